//! `hostsim sweep`: builds and validates every point before any simulation,
//! then simulates this process's points (all, or one shard's) in parallel,
//! each exactly as `hostsim run` would, and writes the sweep directory.
//!
//! Validation keeps only each point's estimate, not its scenario: a point is
//! built again when it runs (the same tree and catalog give the same
//! scenario), so memory does not grow with points × scenario size, and every
//! point shares the one `--catalog` copy.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use super::args::SweepArgs;
use super::grid::Grid;
use super::manifest::Manifest;
use super::output;
use super::progress;
use super::shard::Shard;
use super::spec;
use super::table::SweepTable;
use crate::catalog::UserCatalog;
use crate::error::AppError;
use crate::limits::{self, Estimate};
use crate::model::Scenario;
use crate::pipeline::simulate;
use crate::report::csv;
use crate::scenario::node::{Node, Value};
use crate::scenario::{self, ScenarioError};
use crate::stdout::Printer;

/// Bytes validation keeps per point until it runs: its index and estimate.
const POINT_BYTES: f64 = std::mem::size_of::<(usize, Estimate)>() as f64;

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
        if self.args.optimize.is_some() && s.slo.is_none() {
            return Err(AppError::Invalid(format!(
                "{}: --optimize cost --subject-to slo needs an [slo] section in the scenario \
                 (e.g. [slo] with p99_ms = 500)",
                self.path.display()
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

    // What this process holds besides a point's time series: the catalog
    // (in each estimate) and validation's record of every point.
    let held = |e: Estimate| Estimate { held_bytes: e.held_bytes + POINT_BYTES * grid.len() as f64, ..e };
    let limits = args.sim.limits();
    let first = base.point(&grid, 0)?;
    limits.check_memory(&path.display().to_string(), &held(limits::estimate(&first))).map_err(AppError::Invalid)?;
    // Every point is checked (in every shard) before anything runs.
    let checked: Vec<Result<Option<Estimate>, AppError>> = pool.install(|| {
        let check = |p| base.point(&grid, p).map(|s| mine(p).then(|| limits::estimate(&s)));
        (0..grid.len()).into_par_iter().map(check).collect()
    });
    let mut todo: Vec<(usize, Estimate)> = Vec::new();
    for (p, result) in checked.into_iter().enumerate() {
        if let Some(e) = result? {
            todo.push((p, e));
        }
    }

    let all = format!("{}: {} sweep points", path.display(), todo.len());
    let estimates = todo.iter().map(|&(_, e)| (path.display().to_string(), held(e)));
    crate::pipeline::check_limits(estimates, &limits, &all)?;

    let label = format!("{} sweep", first.name);
    let bar = progress::bar(&label, todo.len(), args.quiet);
    let started = Instant::now();
    let summaries: Vec<Vec<u8>> = pool.install(|| {
        todo.par_iter()
            .map(|&(p, _)| {
                let bytes = csv::summary(&simulate(&base.point(&grid, p)?, true)?);
                bar.inc(1);
                Ok(bytes)
            })
            .collect::<Result<_, AppError>>()
    })?;
    bar.finish_and_clear();
    let mut table = SweepTable::new(grid.specs().iter().map(|s| s.key.clone()).collect());
    for ((p, _), bytes) in todo.iter().zip(&summaries) {
        table.push_point(&grid.labels(*p), bytes).map_err(AppError::Runtime)?;
    }
    if !args.quiet {
        let secs = started.elapsed().as_secs_f64();
        eprintln!("simulated {} of {} points in {secs:.2} s", todo.len(), grid.len());
    }

    let m = Manifest::of_sweep(&first, &text, &grid, args.optimize.is_some(), shard);
    match shard {
        Some(s) => {
            let name = output::shard_dir_name(&m.scenario, s.index, s.count);
            let dir = output::write_shard(&args.out, &name, &table, &m)?;
            if !args.quiet {
                let (label, points) = (s.label(), grid.len());
                out.print(&format!("wrote {} (shard {label}: {} of {points} points)\n", dir.display(), todo.len()));
            }
        }
        None => {
            let (dir, optimum) = output::write_whole(&args.out, &table, &m, !args.no_charts)?;
            if !args.quiet {
                out.print(&format!("{}wrote {}\n", optimum.unwrap_or_default(), dir.display()));
            }
        }
    }
    Ok(())
}
