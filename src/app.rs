//! The application: dispatches commands, maps errors to exit codes
//! (0 success, 1 runtime failure, 2 invalid input).

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::Instant;

use clap::Parser;
use rayon::prelude::*;

use crate::cli::{Cli, Command, RunArgs};
use crate::report::aggregate::{OptionReport, aggregate};
use crate::report::chart::{self, ChartData, ChartError};
use crate::report::output::{OutputError, Staging};
use crate::report::progress::Progress;
use crate::report::{csv, ranking};
use crate::scenario::{self, ScenarioError, model::Scenario};
use crate::sim::engine::{JobResult, Shared, run_job};
use crate::stdout::Printer;

/// Why a command failed; decides the exit code.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Scenario(#[from] ScenarioError),
    #[error("error: {0}")]
    Invalid(String),
    #[error("error: {0}")]
    Output(#[from] OutputError),
    #[error("error: {0}")]
    Runtime(String),
    #[error("error: {0}")]
    Chart(#[from] ChartError),
}

impl AppError {
    pub fn exit_code(&self) -> u8 {
        match self {
            AppError::Scenario(_) | AppError::Invalid(_) => 2,
            AppError::Chart(ChartError::Csv { .. } | ChartError::Toml { .. }) => 2,
            AppError::Output(_) | AppError::Runtime(_) | AppError::Chart(_) => 1,
        }
    }
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    crate::interrupt::install();
    match dispatch(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// Runs the command; a failure to print on stdout only counts once the
/// command's own work (and its error, which comes first) is done.
fn dispatch(command: Command) -> Result<(), AppError> {
    let mut out = Printer::stdout();
    match command {
        Command::Run(args) => run(&args, &mut out),
        Command::Validate { scenarios, catalog } => {
            let user_catalog = catalog.load()?;
            for path in &scenarios {
                scenario::load_with(path, &user_catalog)?;
                out.print(&format!("ok: {}\n", path.display()));
            }
            Ok(())
        }
        Command::Init { path } => init(&path, &mut out),
        Command::Chart { dir } => rechart(&dir, &mut out),
        Command::Catalog(args) => crate::catalog::print::command(&args, &mut out),
        Command::Sweep(args) => crate::sweep::sweep(&args, &mut out),
        Command::Merge(args) => crate::sweep::merge(&args, &mut out),
    }?;
    out.finish().map_err(|e| AppError::Runtime(format!("cannot write to stdout: {e}")))
}

/// `hostsim init PATH`: writes the starter scenario into a temporary file
/// beside PATH and moves it into place only once complete, so a full disk
/// leaves no truncated file; never replaces an existing file.
fn init(path: &Path, out: &mut Printer) -> Result<(), AppError> {
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
fn run(args: &RunArgs, out: &mut Printer) -> Result<(), AppError> {
    let mut scenarios = Vec::new();
    let user_catalog = args.sim.catalog.load()?;
    for path in &args.scenarios {
        let mut s = scenario::load_with(path, &user_catalog)?;
        args.sim.apply(&mut s);
        scenarios.push(s);
    }
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

/// Checks the memory of each scenario (named, with its estimate) and the
/// requests and rare events of all together (`all` names them), before anything runs.
pub fn check_limits(
    estimates: impl IntoIterator<Item = (String, crate::limits::Estimate)>,
    limits: &crate::limits::Limits,
    all: &str,
) -> Result<(), AppError> {
    let (mut requests, mut events) = (0.0, 0.0);
    for (what, e) in estimates {
        limits.check_memory(&what, &e).map_err(AppError::Invalid)?;
        requests += e.requests;
        events += e.events;
    }
    limits.check_requests(all, requests).map_err(AppError::Invalid)?;
    limits.check_events(all, events).map_err(AppError::Invalid)
}

/// Runs every (option, replication) job in parallel and folds them in a
/// fixed order. Fails if a replayed trace could not be read to its end.
pub fn simulate(s: &Scenario, quiet: bool) -> Result<Vec<OptionReport>, AppError> {
    let jobs: Vec<(usize, u32)> = (0..s.options.len()).flat_map(|o| (0..s.replications).map(move |r| (o, r))).collect();
    let shared = Shared::default();
    let progress = Progress::new(&s.name, s.horizon.0 * jobs.len() as u64, quiet);
    let started = Instant::now();
    let results: io::Result<Vec<JobResult>> =
        progress.track(&shared.counters, || jobs.par_iter().map(|&(o, r)| run_job(s, o, r, &shared)).collect());
    let results =
        results.map_err(|e| AppError::Runtime(format!("cannot keep the time series in a temporary file: {e}")))?;
    if !quiet {
        let requests = shared.counters.requests.load(Ordering::Relaxed);
        let secs = started.elapsed().as_secs_f64();
        eprintln!("simulated {requests} requests in {secs:.2} s ({:.1} M requests/s)", requests as f64 / secs / 1e6);
    }
    if let Some(e) = results.iter().find_map(|r| r.trace_error.as_ref()) {
        return Err(AppError::Runtime(format!("the trace could not be replayed to its end: {e}")));
    }
    let mut results = results.into_iter();
    let per_option = s.replications as usize;
    Ok(s.options.iter().map(|option| aggregate(s, option, results.by_ref().take(per_option).collect())).collect())
}

/// Writes all reports (and charts) of a scenario atomically under `out`; returns the output directory.
pub fn write_outputs(s: &Scenario, reports: &[OptionReport], out: &Path, charts: bool) -> Result<PathBuf, AppError> {
    let staging = Staging::new(out, &s.name)?;
    staging.write("summary.csv", &csv::summary(reports))?;
    staging.write_with("timeseries.csv", |w| csv::timeseries(reports, w))?;
    staging.write("costs.csv", &csv::costs(reports))?;
    staging.write("latency_cdf.csv", &csv::latency_cdf(reports))?;
    staging.write("resolved.toml", scenario::to_resolved_toml(s).as_bytes())?;
    if charts {
        // Drawn from the CSVs just written, exactly as `hostsim chart` does.
        let data = ChartData::load(staging.path())?;
        chart::render_all(&data, &staging.path().join("charts"))?;
    }
    Ok(staging.commit()?)
}

/// `hostsim chart DIR`: redraws DIR/charts from DIR's CSV files, replacing
/// the old charts only once all new ones are drawn.
fn rechart(dir: &Path, out: &mut Printer) -> Result<(), AppError> {
    let data = ChartData::load(dir)?;
    let staging = Staging::new(dir, "charts")?;
    chart::render_all(&data, staging.path())?;
    let charts = staging.commit()?;
    out.print(&format!("wrote {}\n", charts.display()));
    Ok(())
}
