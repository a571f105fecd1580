//! The run pipeline shared by `run` and `sweep`: limits checked before
//! anything runs, every (option, replication) job simulated in parallel and
//! folded in a fixed order, and a scenario's outputs written atomically.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::Instant;

use rayon::prelude::*;

use crate::error::AppError;
use crate::model::Scenario;
use crate::report::aggregate::{OptionReport, aggregate};
use crate::report::chart::{self, ChartData};
use crate::report::output::Staging;
use crate::report::progress::Progress;
use crate::report::{command_line, csv, html, json};
use crate::scenario;
use crate::sim::engine::{JobResult, Shared, run_job};

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
    simulate_counted(s, quiet).map(|(reports, _)| reports)
}

/// [`simulate`], also giving the number of requests simulated (for `sweep`'s end line).
pub fn simulate_counted(s: &Scenario, quiet: bool) -> Result<(Vec<OptionReport>, u64), AppError> {
    let jobs: Vec<(usize, u32)> = (0..s.options.len()).flat_map(|o| (0..s.replications).map(move |r| (o, r))).collect();
    let shared = Shared::default();
    let progress = Progress::new(&s.name, s.horizon.0 * jobs.len() as u64, quiet);
    let started = Instant::now();
    let results: io::Result<Vec<JobResult>> =
        progress.track(&shared.counters, || jobs.par_iter().map(|&(o, r)| run_job(s, o, r, &shared)).collect());
    let results =
        results.map_err(|e| AppError::Runtime(format!("cannot keep the time series in a temporary file: {e}")))?;
    let requests = shared.counters.requests.load(Ordering::Relaxed);
    if !quiet {
        let secs = started.elapsed().as_secs_f64();
        eprintln!("simulated {requests} requests in {secs:.2} s ({:.1} M requests/s)", requests as f64 / secs / 1e6);
    }
    if let Some(e) = results.iter().find_map(|r| r.trace_error.as_ref()) {
        return Err(AppError::Runtime(format!("the trace could not be replayed to its end: {e}")));
    }
    let mut results = results.into_iter();
    let per_option = s.replications as usize;
    let reports = s.options.iter().map(|option| aggregate(s, option, results.by_ref().take(per_option).collect()));
    Ok((reports.collect(), requests))
}

/// Writes all reports (and charts) of a scenario atomically under `out`,
/// with `command_line`, the command that ran it; returns the output directory.
pub fn write_outputs(
    s: &Scenario,
    reports: &[OptionReport],
    out: &Path,
    charts: bool,
    command_line: &str,
) -> Result<PathBuf, AppError> {
    let staging = Staging::new(out, &s.name)?;
    staging.write("summary.csv", &csv::summary(reports))?;
    staging.write("ranking.csv", &csv::ranking(reports))?;
    staging.write("summary.json", &json::summary(s, reports))?;
    staging.write_with("timeseries.csv", |w| csv::timeseries(reports, w))?;
    staging.write("costs.csv", &csv::costs(reports))?;
    staging.write("emissions.csv", &csv::emissions(reports))?;
    staging.write("latency_cdf.csv", &csv::latency_cdf(reports))?;
    staging.write("resolved.toml", scenario::to_resolved_toml(s).as_bytes())?;
    staging.write(command_line::FILE, format!("{command_line}\n").as_bytes())?;
    if charts {
        // Drawn from the CSVs just written, exactly as `hostsim chart` does.
        let data = ChartData::load(staging.path())?;
        chart::render_all(&data, &staging.path().join("charts"))?;
    }
    // Last, from the files above, exactly as `hostsim report` does.
    staging.write(html::FILE, &html::render(staging.path())?)?;
    Ok(staging.commit()?)
}
