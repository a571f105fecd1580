//! The bodies of `run`, `validate`, `init`, `chart`, `report` and `compare`, and `catalog` and
//! `import` in their own files (`sweep` and `merge` live with the sweep).

pub mod catalog;
pub mod import;
mod validate;

pub use validate::validate;

use std::collections::HashMap;
use std::io;
use std::path::Path;

use crate::cli::{CompareFormat, RunArgs};
use crate::error::AppError;
use crate::model::Scenario;
use crate::pipeline::{check_limits, simulate, write_outputs};
use crate::report::chart::{self, ChartData};
use crate::report::chart_data::read_summary;
use crate::report::compare as comparison;
use crate::report::output::{OutputError, Staging};
use crate::report::{command_line, html, ranking};
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

/// `hostsim init PATH`: writes the starter scenario atomically; never
/// replaces an existing file.
pub fn init(path: &Path, out: &mut Printer) -> Result<(), AppError> {
    let exists = || {
        AppError::Invalid(format!("{}: already exists; choose another path (init never overwrites)", path.display()))
    };
    // Refused at once, without writing anything; the move below checks again.
    if path.symlink_metadata().is_ok() {
        return Err(exists());
    }
    let name = scenario::init_name(path);
    write_file(path, scenario::init_text(&name).as_bytes(), false).map_err(|e| match e.source.kind() {
        io::ErrorKind::AlreadyExists => exists(),
        _ => AppError::Output(e),
    })?;
    out.print(&format!(
        "wrote {p}; run it with: hostsim run {p} (its outputs go to output/{name})\n",
        p = path.display()
    ));
    Ok(())
}

/// Writes `bytes` into a temporary file beside `path` and moves it into
/// place only once complete, so a full disk leaves no truncated file;
/// replaces an existing file only if `replace`.
fn write_file(path: &Path, bytes: &[u8], replace: bool) -> Result<(), OutputError> {
    use std::io::Write;
    let failed = |source: io::Error| OutputError { path: path.to_path_buf(), source };
    let mut temp = tempfile::Builder::new();
    temp.prefix(".hostsim-");
    // An ordinary file (0666 less the umask), not a private temporary one (0600).
    #[cfg(unix)]
    temp.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temp = temp.tempfile_in(parent(path)).map_err(failed)?;
    // Through the File: NamedTempFile's own writes add the temporary path to errors.
    let file = temp.as_file_mut();
    file.write_all(bytes).and_then(|()| file.sync_all()).map_err(failed)?;
    let placed = if replace { temp.persist(path).map(drop) } else { temp.persist_noclobber(path).map(drop) };
    placed.map_err(|e| failed(e.error))
}

/// The directory `path` is in ("." for a bare file name).
fn parent(path: &Path) -> &Path {
    path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."))
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
    if let Some(md) = &args.export_markdown {
        // Refused before anything runs, rather than after.
        let dir = parent(md);
        if !dir.is_dir() {
            let source = io::Error::new(io::ErrorKind::NotFound, format!("{} is not a directory", dir.display()));
            return Err(AppError::Output(OutputError { path: md.clone(), source }));
        }
    }
    let threads = args.sim.threads();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| AppError::Runtime(format!("cannot start worker threads: {e}")))?;
    let mut markdown = Vec::new();
    let command_line = command_line::current();
    for s in &scenarios {
        let reports = pool.install(|| simulate(s, args.quiet))?;
        markdown.push(ranking::markdown(s, &reports));
        // Writing formats rows on the same threads (`--jobs`).
        let dir = pool.install(|| write_outputs(s, &reports, &args.out, !args.no_charts, &command_line))?;
        if !args.quiet {
            out.print(&format!("{}wrote {}\n", ranking::table(&s.name, &reports), dir.display()));
        }
    }
    if let Some(md) = &args.export_markdown {
        write_file(md, markdown.join("\n").as_bytes(), true)?;
        if !args.quiet {
            out.print(&format!("wrote {}\n", md.display()));
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

/// `hostsim compare DIR_A DIR_B`: the changes from A's run to B's.
pub fn compare(a: &Path, b: &Path, format: CompareFormat, out: &mut Printer) -> Result<(), AppError> {
    let read = |dir: &Path| {
        check_run_folder(dir, &["summary.csv"], "give two folders `hostsim run` wrote")?;
        Ok::<_, AppError>(read_summary(dir)?)
    };
    let c = comparison::compare(&a.display().to_string(), &read(a)?, &b.display().to_string(), &read(b)?);
    out.print(&match format {
        CompareFormat::Table => c.text(),
        CompareFormat::Markdown => c.markdown(),
        CompareFormat::Json => c.json(),
    });
    Ok(())
}

/// Refuses (exit 2) a `dir` that lacks one of `files`, so is not a run's
/// output folder; `what` says what to give instead.
fn check_run_folder(dir: &Path, files: &[&str], what: &str) -> Result<(), AppError> {
    match files.iter().find(|f| !dir.join(f).is_file()) {
        None => Ok(()),
        Some(missing) => Err(AppError::Invalid(format!(
            "{}: not a run's output folder (it has no {missing}); {what}, e.g. output/quickstart",
            dir.display()
        ))),
    }
}

/// `hostsim completions SHELL`: the shell's completion script, generated
/// from the same clap definitions that parse the command line.
pub fn completions(shell: clap_complete::Shell, out: &mut Printer) -> Result<(), AppError> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut <crate::cli::Cli as clap::CommandFactory>::command(), "hostsim", &mut script);
    out.print(&String::from_utf8_lossy(&script));
    Ok(())
}

/// `hostsim man`: the manual page (roff), from the same clap definitions:
/// the top-level page, then a section per subcommand with its synopsis,
/// description, flags and examples, so one page documents every flag.
pub fn man(out: &mut Printer) -> Result<(), AppError> {
    let failed = |e: std::io::Error| AppError::Runtime(format!("cannot render the manual page: {e}"));
    let mut cli = <crate::cli::Cli as clap::CommandFactory>::command();
    cli.build();
    let mut page = Vec::new();
    clap_mangen::Man::new(cli.clone()).render(&mut page).map_err(failed)?;
    for sub in cli.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        let title = format!("hostsim {}", sub.get_name());
        let man = clap_mangen::Man::new(sub.clone());
        let mut part = Vec::new();
        man.render_description_section(&mut part).map_err(failed)?;
        man.render_synopsis_section(&mut part).map_err(failed)?;
        man.render_options_section(&mut part).map_err(failed)?;
        man.render_extra_section(&mut part).map_err(failed)?;
        page.extend_from_slice(format!(".SH \"{}\"\n", title.to_uppercase()).as_bytes());
        // Each part is a page of its own to clap_mangen: drop its string
        // definitions and nest its sections under the subcommand's.
        for line in String::from_utf8_lossy(&part).lines().filter(|l| !l.starts_with(".ie ") && !l.starts_with(".el "))
        {
            let line = line.strip_prefix(".SH ").map_or(line.to_string(), |rest| format!(".SS {rest}"));
            page.extend_from_slice(line.as_bytes());
            page.push(b'\n');
        }
    }
    out.print(&String::from_utf8_lossy(&page));
    Ok(())
}

/// `hostsim schema`: the JSON Schema of scenario files, written from the
/// key lists the scenario reader uses.
pub fn schema(out: &mut Printer) -> Result<(), AppError> {
    out.print(&crate::scenario::schema::text());
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

/// `hostsim report DIR`: writes DIR/report.html again from DIR's files
/// (the same bytes the run wrote, unless they changed), replacing the old
/// report in one step once the new one is whole.
pub fn report(dir: &Path, out: &mut Printer) -> Result<(), AppError> {
    check_run_folder(dir, &html::REQUIRED, "give a folder `hostsim run` wrote")?;
    let path = dir.join(html::FILE);
    write_file(&path, &html::render(dir)?, true)?;
    out.print(&format!("wrote {}\n", path.display()));
    Ok(())
}
