//! `hostsim sweep`: builds and validates every point before any simulation,
//! plans which option runs this process's points (all, or one shard's) need
//! (`reuse.rs`: an option whose content and scenario-wide part equal an
//! earlier point's is not simulated again), simulates those runs in
//! parallel, each exactly as `hostsim run` would simulate that option, and
//! writes the sweep directory from their rows.
//!
//! The plan keeps one scenario-wide part per distinct value (usually one for
//! the whole sweep) and one option per run, not a scenario per point, and
//! every point shares the one `--catalog` copy.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use super::args::SweepArgs;
use super::grid::Grid;
use super::manifest::Manifest;
use super::output;
use super::progress::SweepProgress;
use super::reuse::{Keyed, Plan, Run};
use super::shard::Shard;
use super::spec;
use super::table::{self, SUMMARY_COLUMNS, SweepTable};
use crate::catalog::UserCatalog;
use crate::error::AppError;
use crate::limits::{self, Estimate};
use crate::model::Scenario;
use crate::pipeline::simulate_counted;
use crate::report::csv;
use crate::scenario::node::{Node, Value};
use crate::scenario::{self, ScenarioError};
use crate::stdout::Printer;

/// Bytes the plan keeps per point: its index and its list of runs.
const POINT_BYTES: f64 = size_of::<(usize, Vec<usize>)>() as f64;

/// Bytes kept per (point, option) at most: its run number, the run (when no
/// earlier point has it) with its estimate, and its row of short text cells.
const OPTION_BYTES: f64 = (size_of::<usize>()
    + size_of::<Run>()
    + size_of::<Estimate>()
    + SUMMARY_COLUMNS.len() * (size_of::<String>() + 16)) as f64;

/// Points validated at once before they join the plan (bounds the scenarios held).
const CHUNK: usize = 1024;

/// What every point shares: the scenario text and tree, the overrides, and the `--catalog` entries.
pub(super) struct Base<'a> {
    pub(super) path: &'a Path,
    pub(super) text: &'a str,
    tree: Node,
    pub(super) args: &'a SweepArgs,
    catalog: Arc<UserCatalog>,
}

impl Base<'_> {
    /// Point `p` as a validated scenario, with --seed and --replications applied.
    pub(super) fn point(&self, grid: &Grid, p: usize) -> Result<Scenario, AppError> {
        let tree = grid.apply(&self.tree, p).map_err(|(k, e)| {
            let (flag, s) = (grid.flag(k), &grid.specs()[k]);
            AppError::Invalid(format!("{flag} {}={}: {e}{}", s.key, grid.labels(p)[k], self.names_hint(&s.key)))
        })?;
        let mut s =
            scenario::validate_tree_with(&tree, self.text, self.path, &self.catalog).map_err(|e| blame(grid, p, &e))?;
        self.args.sim.apply(&mut s);
        if let Some(o) = self.args.optimize
            && s.slo.is_none()
        {
            return Err(AppError::Invalid(format!(
                "{}: --optimize {} --subject-to slo needs an [slo] section in the scenario \
                 (e.g. [slo] with p99_ms = 500)",
                self.path.display(),
                o.as_str()
            )));
        }
        Ok(s)
    }
}

impl Base<'_> {
    /// `(names in the scenario: a, b)` when `key` starts with an array of
    /// named tables such as `option`, for "no element named" errors.
    fn names_hint(&self, key: &str) -> String {
        let first = key.split('.').next().unwrap_or("");
        let Some(Value::Array(items)) = self.tree.get(first).map(|n| &n.value) else {
            return String::new();
        };
        let names: Vec<&str> = items
            .iter()
            .filter_map(|i| match i.get("name").map(|n| &n.value) {
                Some(Value::Str(s)) => Some(s.as_str()),
                _ => None,
            })
            .collect();
        if names.is_empty() { String::new() } else { format!(" (names in the scenario: {})", names.join(", ")) }
    }
}

/// Names the `--set` key (and value) a validation error is about when the
/// error's key path is that key or inside it; else the whole point.
fn blame(grid: &Grid, p: usize, e: &ScenarioError) -> AppError {
    let rendered = e.to_string();
    let message = rendered.strip_prefix("error: ").unwrap_or(&rendered);
    let norm = e.key().replace('"', "").replace(' ', ".");
    let related = |key: &str| {
        !norm.is_empty()
            && (norm == key || norm.starts_with(&format!("{key}.")) || key.starts_with(&format!("{norm}.")))
    };
    let labels = grid.labels(p);
    let hits: Vec<String> = grid
        .specs()
        .iter()
        .zip(&labels)
        .enumerate()
        .filter(|(_, (s, _))| related(&s.key))
        .map(|(k, (s, l))| format!("{} {}={l}", grid.flag(k), s.key))
        .collect();
    if hits.len() == 1 {
        AppError::Invalid(format!("{}: {message}", hits[0]))
    } else {
        AppError::Invalid(format!("sweep point {}: {message}", grid.describe(p)))
    }
}

/// The `--set` (or `--link`) arguments parsed, refusing a key that starts
/// with an option's name: `--set colo.servers=…` for an option named colo
/// would add a top-level key.
fn parse_specs(flag: &str, args: &[String], tree: &Node) -> Result<Vec<spec::SetSpec>, AppError> {
    let parse = |arg: &String| spec::parse(arg).map_err(|e| e.replacen("--set", flag, 1));
    let specs: Vec<spec::SetSpec> = args.iter().map(parse).collect::<Result<_, _>>().map_err(AppError::Invalid)?;
    if let Some((arg, meant)) =
        specs.iter().zip(args).find_map(|(s, arg)| Some((arg, spec::meant_option_key(&s.key, tree)?)))
    {
        let values = arg.split_once('=').map_or("", |(_, v)| v);
        let first = meant.trim_start_matches("option.").split('.').next().unwrap_or_default();
        return Err(AppError::Invalid(format!(
            "{flag} {arg}: \"{first}\" is an option's name, not a top-level key; write {flag} {meant}={values}"
        )));
    }
    Ok(specs)
}

/// `hostsim sweep SCENARIO --set KEY=VALUES... --link KEY=VALUES...`.
pub fn sweep(args: &SweepArgs, out: &mut Printer) -> Result<(), AppError> {
    let started = Instant::now();
    let path = args.scenario.as_path();
    let text = scenario::read_text(path)?;
    let tree = scenario::parse_tree(&text, path)?;
    let sets = parse_specs("--set", &args.set, &tree)?;
    let links = parse_specs("--link", &args.link, &tree)?;
    let grid = Grid::new(sets, links).map_err(AppError::Invalid)?;
    let shard = args.shard.map(|s| s.resolve(|k| std::env::var(k).ok())).transpose().map_err(AppError::Invalid)?;
    if let Some(s) = shard.filter(|s| s.count as usize > grid.len()) {
        let n = grid.len();
        return Err(AppError::Invalid(format!(
            "--shard {}: the sweep has only {n} points, so at most {n} shards (merge refuses more)",
            s.label()
        )));
    }
    let threads = args.sim.threads();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| AppError::Runtime(format!("cannot start worker threads: {e}")))?;
    let base = Base { path, text: &text, tree, args, catalog: args.sim.catalog.load()? };
    if !args.search.is_empty() {
        return super::bisect::search(&base, &grid, &pool, out);
    }
    let mine = |p: usize| shard.is_none_or(|s: Shard| s.contains(p));

    // What this process holds besides a run's time series: the catalog (in
    // each estimate) and the plan, at most one run and row per (point, option).
    let limits = args.sim.limits();
    let first = base.point(&grid, 0)?;
    let per_point = POINT_BYTES + OPTION_BYTES * first.options.len() as f64;
    let held = |e: Estimate| Estimate { held_bytes: e.held_bytes + per_point * grid.len() as f64, ..e };
    limits.check_memory(&path.display().to_string(), &held(limits::estimate(&first))).map_err(AppError::Invalid)?;
    // Every point is checked (in every shard) before anything runs; this
    // process's points join the plan in grid order, a chunk at a time.
    let mut plan = Plan::new(!args.no_reuse);
    let mut planned = 0;
    for start in (0..grid.len()).step_by(CHUNK) {
        let chunk = start..(start + CHUNK).min(grid.len());
        let keyed: Vec<Result<Option<Keyed>, AppError>> = pool.install(|| {
            let check = |p| base.point(&grid, p).map(|s| mine(p).then(|| Keyed::new(s)));
            chunk.clone().into_par_iter().map(check).collect()
        });
        for (p, result) in chunk.zip(keyed) {
            if let Some(k) = result? {
                plan.add(p, k);
                planned += 1;
            }
        }
    }
    let estimates: Vec<Estimate> =
        pool.install(|| plan.runs.par_iter().map(|r| limits::estimate(&r.scenario(&plan))).collect());
    let all = format!("{}: {planned} sweep points ({} option runs)", path.display(), plan.runs.len());
    let named = estimates.iter().map(|&e| (path.display().to_string(), held(e)));
    crate::pipeline::check_limits(named, &limits, &all)?;
    let validated_s = started.elapsed().as_secs_f64();

    let label = format!("{} sweep", first.name);
    let requests: Vec<f64> = estimates.iter().map(|e| e.requests).collect();
    let progress = SweepProgress::new(&label, &plan, &requests, args.quiet);
    let simulating = Instant::now();
    // Each run's summary.csv, its header line cut off: one row.
    let simulated: Vec<(Vec<u8>, u64)> = pool.install(|| {
        plan.runs
            .par_iter()
            .enumerate()
            .map(|(r, run)| {
                let (mut summary, requests) = simulate_point(&run.scenario(&plan))?;
                progress.run_done(r);
                let header = summary.iter().position(|&b| b == b'\n').map_or(summary.len(), |i| i + 1);
                summary.drain(..header);
                Ok((summary, requests))
            })
            .collect::<Result<_, AppError>>()
    })?;
    progress.finish();
    let simulated_s = simulating.elapsed().as_secs_f64();

    // The runs' rows read as one summary.csv (one CSV reader, not one per run).
    let assembling = Instant::now();
    let mut all = format!("{}\n", SUMMARY_COLUMNS.join(",")).into_bytes();
    let mut requests = 0;
    for (row, n) in simulated {
        all.extend_from_slice(&row);
        requests += n;
    }
    let rows = table::summary_rows(&all).map_err(AppError::Runtime)?;
    drop(all);
    if rows.len() != plan.runs.len() {
        return Err(AppError::Runtime(format!("{} summary rows for {} option runs", rows.len(), plan.runs.len())));
    }
    let mut table = SweepTable::new(grid.specs().iter().map(|s| s.key.clone()).collect());
    for (p, runs) in &plan.points {
        let labels = grid.labels(*p);
        runs.iter().for_each(|&r| table.push_row(&labels, &rows[r]));
    }
    drop(rows);
    let assembled_s = assembling.elapsed().as_secs_f64();
    if !args.quiet {
        let of = if shard.is_some() { format!(" of {}", grid.len()) } else { String::new() };
        let (requests, runs) = (count(requests), plan.runs.len());
        let s = |n: usize| if n == 1 { "" } else { "s" };
        eprintln!(
            "simulated {planned}{of} point{}: {runs} option run{} ({requests} requests), {} reused, in {simulated_s:.2} s",
            s(if of.is_empty() { planned } else { grid.len() }),
            s(runs),
            plan.reused(),
        );
    }

    let m = Manifest::of_sweep(&first, &text, &grid, args.optimize.map(|o| (o, args.max_cost)), shard);
    let writing = Instant::now();
    match shard {
        Some(s) => {
            let name = output::shard_dir_name(&m.scenario, s.index, s.count);
            let dir = output::write_shard(&args.out, &name, &table, &m)?;
            if !args.quiet {
                let (label, points) = (s.label(), grid.len());
                out.print(&format!("wrote {} (shard {label}: {} of {points} points)\n", dir.display(), planned));
            }
        }
        None => {
            let (dir, optimum) = output::write_whole(&args.out, &table, &m, !args.no_charts)?;
            if !args.quiet {
                out.print(&format!("{}wrote {}\n", optimum.unwrap_or_default(), dir.display()));
            }
        }
    }
    if args.timings {
        let written_s = writing.elapsed().as_secs_f64();
        let bookkeeping_s = validated_s + assembled_s + written_s;
        eprintln!(
            "timings: validation and reuse lookup {validated_s:.3} s, simulation {simulated_s:.3} s, \
             sweep.csv rows {assembled_s:.3} s, writing {written_s:.3} s; bookkeeping {:.1} % of simulation",
            100.0 * bookkeeping_s / simulated_s
        );
    }
    Ok(())
}

/// Simulates one validated point (every option, quietly): its `summary.csv`
/// bytes (read them with `table::summary_rows`) and the number of requests simulated.
pub(super) fn simulate_point(s: &Scenario) -> Result<(Vec<u8>, u64), AppError> {
    let (reports, requests) = simulate_counted(s, true)?;
    Ok((csv::summary(&reports), requests))
}

/// A request count for the end line: exact below a million, else in millions.
pub(super) fn count(n: u64) -> String {
    if n < 1_000_000 { n.to_string() } else { format!("{:.1} M", n as f64 / 1e6) }
}
