//! The bodies of `run`, `validate`, `init` and `chart`, and `catalog` and
//! `import` in their own files (`sweep` and `merge` live with the sweep).

pub mod catalog;
pub mod import;
mod validate;

pub use validate::validate;

use std::collections::HashMap;
use std::io;
use std::path::Path;

use crate::cli::RunArgs;
use crate::error::AppError;
use crate::model::Scenario;
use crate::pipeline::{check_limits, simulate, write_outputs};
use crate::report::chart::{self, ChartData};
use crate::report::output::{OutputError, Staging};
use crate::report::ranking;
use crate::scenario;
use crate::stdout::Printer;

/// Loads every scenario, reporting the errors of every file that fails.
fn load_all(args: &RunArgs) -> Result<Vec<Scenario>, AppError> {
    let user_catalog = args.sim.catalog.load()?;
    let mut scenarios = Vec::new();
    let mut failed = Vec::new();
    for path in &args.scenarios {
        match scenario::load_with(path, &user_catalog) {
            Ok(mut s) => {
                args.sim.apply(&mut s);
                scenarios.push(s);
            }
            Err(e) => failed.push(e),
        }
    }
    if failed.is_empty() { Ok(scenarios) } else { Err(AppError::files(failed, args.scenarios.len())) }
}

/// `hostsim init PATH`: writes the starter scenario into a temporary file
/// beside PATH and moves it into place only once complete, so a full disk
/// leaves no truncated file; never replaces an existing file.
pub fn init(path: &Path, out: &mut Printer) -> Result<(), AppError> {
    use std::io::Write;
    let exists = || {
        AppError::Invalid(format!("{}: already exists; choose another path (init never overwrites)", path.display()))
    };
    let failed = |source: io::Error| AppError::Output(OutputError { path: path.to_path_buf(), source });
    // Refused at once, without writing anything; the move below checks again.
    if path.symlink_metadata().is_ok() {
        return Err(exists());
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new();
    temp.prefix(".hostsim-init-");
    // An ordinary file (0666 less the umask), not a private temporary one (0600).
    #[cfg(unix)]
    temp.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temp = temp.tempfile_in(dir).map_err(failed)?;
    let name = scenario::init_name(path);
    let text = scenario::init_text(&name);
    // Through the File: NamedTempFile's own writes add the temporary path to errors.
    let file = temp.as_file_mut();
    file.write_all(text.as_bytes()).and_then(|()| file.sync_all()).map_err(failed)?;
    temp.persist_noclobber(path).map_err(|e| match e.error.kind() {
        io::ErrorKind::AlreadyExists => exists(),
        _ => failed(e.error),
    })?;
    out.print(&format!(
        "wrote {p}; run it with: hostsim run {p} (its outputs go to output/{name})\n",
        p = path.display()
    ));
    Ok(())
}

/// Loads every scenario first, so nothing runs (or is written) if any is invalid.
pub fn run(args: &RunArgs, out: &mut Printer) -> Result<(), AppError> {
    let scenarios = load_all(args)?;
    check_distinct_names(&scenarios, &args.out)?;
    let all = match &scenarios[..] {
        [one] => one.source.display().to_string(),
        _ => format!("{} scenarios", scenarios.len()),
    };
    let estimates = scenarios.iter().map(|s| (s.source.display().to_string(), crate::limits::estimate(s)));
    check_limits(estimates, &args.sim.limits(), &all)?;
    let threads = args.sim.threads();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| AppError::Runtime(format!("cannot start worker threads: {e}")))?;
    for s in &scenarios {
        let reports = pool.install(|| simulate(s, args.quiet))?;
        // Writing formats rows on the same threads (`--jobs`).
        let dir = pool.install(|| write_outputs(s, &reports, &args.out, !args.no_charts))?;
        if !args.quiet {
            out.print(&format!("{}wrote {}\n", ranking::table(&s.name, &reports), dir.display()));
        }
    }
    Ok(())
}

/// Refuses two scenarios of one run with the same name: the second's outputs
/// would silently replace the first's in `out/NAME`.
fn check_distinct_names(scenarios: &[Scenario], out: &Path) -> Result<(), AppError> {
    let mut seen: HashMap<&str, &Path> = HashMap::new();
    for s in scenarios {
        if let Some(first) = seen.insert(&s.name, &s.source) {
            return Err(AppError::Invalid(format!(
                "{} and {} are both named \"{}\": both would write {}; \
                 give one of them another name, e.g. name = \"{}-2\"",
                first.display(),
                s.source.display(),
                s.name,
                out.join(&s.name).display(),
                s.name
            )));
        }
    }
    Ok(())
}

/// `hostsim chart DIR`: redraws DIR/charts from DIR's CSV files, replacing
/// the old charts only once all new ones are drawn.
pub fn rechart(dir: &Path, out: &mut Printer) -> Result<(), AppError> {
    let data = ChartData::load(dir)?;
    let staging = Staging::new(dir, "charts")?;
    chart::render_all(&data, staging.path())?;
    let charts = staging.commit()?;
    out.print(&format!("wrote {}\n", charts.display()));
    Ok(())
}
