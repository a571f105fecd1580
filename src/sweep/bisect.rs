//! `sweep --search bisect KEY`: the smallest value of one capacity key that
//! meets the SLO, in at most ⌊log₂ n⌋ + 1 simulations of its n `--set`
//! values instead of n. It tests the middle of the sorted values and goes
//! lower when that point meets the SLO, higher when it misses.
//!
//! That is only right when the option's verdict can only improve as the key
//! grows and its cost can only rise, so the key must be a count of what
//! serves (servers, instances, dynos, an autoscaling floor or ceiling) and
//! the only swept key. Each point is simulated exactly as the grid would
//! (same seed, same streams), so on a monotone case the answer is the grid's
//! optimum; the verdict at each point is trusted as `meets_slo` gives it.

use rayon::prelude::*;

use super::grid::Grid;
use super::manifest::Manifest;
use super::optimum::{self, touches};
use super::output;
use super::run::{Base, count, simulate_point};
use super::table::SweepTable;
use crate::error::AppError;
use crate::limits::{self, Estimate};
use crate::stdout::Printer;

/// Option keys (after `option.NAME.`) that count what serves; in a hybrid
/// option they sit inside `baseline` or `burst`.
const COUNTS: [&str; 6] = ["servers", "instances", "dynos", "initial", "autoscaling.min", "autoscaling.max"];

/// The keys that qualify, for the refusals.
const QUALIFYING: &str = "option.NAME.servers (bare metal), option.NAME.instances (vps), \
     option.NAME.dynos (paas), option.NAME.initial (iaas), option.NAME.autoscaling.min or .max (iaas, paas), \
     and a hybrid's option.NAME.baseline.servers or .instances and option.NAME.burst.initial, \
     .burst.autoscaling.min or .max";

/// Whether `rest` (the key after `option.NAME.`) counts what serves.
fn is_count(rest: &str) -> bool {
    let inner = rest.strip_prefix("baseline.").or_else(|| rest.strip_prefix("burst."));
    COUNTS.contains(&rest) || inner.is_some_and(|r| COUNTS.contains(&r))
}

/// Refuses a search whose answer would not be the grid's; returns the key,
/// its position among the swept keys, and the points in increasing order of
/// its value (every other key has one value, so point i has the key's value i).
fn check(grid: &Grid, args: &super::SweepArgs) -> Result<(String, usize, Vec<usize>), AppError> {
    let refuse = |m: String| Err(AppError::Invalid(m));
    let (method, key) = (&args.search[0], &args.search[1]);
    if method != "bisect" {
        return refuse(format!("--search {method}: the only search is bisect (--search bisect KEY)"));
    }
    let flags = format!("--search bisect {key}");
    if args.optimize.is_none() {
        return refuse(format!(
            "{flags} needs --optimize cost --subject-to slo: it looks for the smallest {key} meeting the scenario's [slo]"
        ));
    }
    if args.shard.is_some() {
        return refuse(format!(
            "{flags} cannot be sharded: each step picks its value from the verdict of the last, \
             so no point is known in advance; drop --shard"
        ));
    }
    let specs = grid.specs();
    let Some(at) = specs.iter().position(|s| &s.key == key) else {
        return refuse(format!("{flags}: {key} is not swept; give its values with --set {key}=… (e.g. =1..64)"));
    };
    if grid.is_linked(at) {
        return refuse(format!("{flags}: {key} is a --link key; give its values with --set {key}=…"));
    }
    // A key with one value is a constant; a second key that varies could
    // change which values of KEY meet the SLO.
    if let Some((k, other)) = specs.iter().enumerate().find(|(k, s)| *k != at && s.values.len() > 1) {
        return refuse(format!(
            "{flags}: {} {} has {} values; bisect varies one key only (other keys may have one value each): \
             sweep the other key as a grid, or search once per value of it",
            grid.flag(k),
            other.key,
            other.values.len()
        ));
    }
    let rest = key.strip_prefix("option.").and_then(|r| r.split_once('.')).map(|(_, rest)| rest);
    let Some(rest) = rest else {
        return refuse(format!(
            "{flags}: {key} is a scenario-wide key, not an option's capacity; bisect needs a key \
             that adds capacity and cost as it grows: {QUALIFYING}"
        ));
    };
    if !is_count(rest) {
        let why = if rest.ends_with("cores") || rest.ends_with("vcpus") {
            " (more cores never slow an FCFS pool, but at a fixed price they can cost less, as power per \
             unit of load falls, so the smallest that meets the SLO need not be the cheapest)"
        } else {
            ""
        };
        return refuse(format!(
            "{flags}: {key} is not a capacity key{why}; bisect needs a key that adds capacity and cost \
             as it grows: {QUALIFYING}"
        ));
    }
    let values = &specs[at].values;
    let mut order: Vec<(u64, usize)> = Vec::with_capacity(values.len());
    for (p, v) in values.iter().enumerate() {
        let Ok(n) = v.label.parse::<u64>() else {
            return refuse(format!("{flags}: value {} of --set {key} is not a whole number", v.label));
        };
        order.push((n, p));
    }
    order.sort_unstable();
    Ok((key.clone(), at, order.into_iter().map(|(_, p)| p).collect()))
}

/// One simulated value: the point, its rows, and the searched option's verdict.
struct Step {
    point: usize,
    summary: Vec<u8>,
    meets: bool,
    cost: String,
    p99: String,
}

/// `hostsim sweep --set KEY=VALUES --search bisect KEY --optimize cost --subject-to slo`.
pub fn search(base: &Base, grid: &Grid, pool: &rayon::ThreadPool, out: &mut Printer) -> Result<(), AppError> {
    let args = base.args;
    let (key, at, order) = check(grid, args)?;
    let label = |p: usize| grid.labels(p).swap_remove(at);
    let keys: Vec<String> = grid.specs().iter().map(|s| s.key.clone()).collect();
    let path = base.path.display().to_string();
    let first = base.point(grid, 0)?;
    // Every value is checked before anything runs; the limits hold for the
    // most expensive values bisect could try.
    let mut estimates: Vec<Estimate> = pool.install(|| {
        (0..grid.len())
            .into_par_iter()
            .map(|p| base.point(grid, p).map(|s| limits::estimate(&s)))
            .collect::<Result<_, _>>()
    })?;
    let most = (usize::BITS - grid.len().leading_zeros()) as usize;
    estimates.sort_by(|a, b| b.requests.total_cmp(&a.requests));
    let held = (std::mem::size_of::<Estimate>() * grid.len()) as f64;
    let worst = estimates.iter().take(most).map(|e| (path.clone(), Estimate { held_bytes: e.held_bytes + held, ..*e }));
    crate::pipeline::check_limits(worst, &args.sim.limits(), &format!("{path}: {most} sweep points"))?;

    let names: Vec<String> = first.options.iter().map(|o| o.name.clone()).collect();
    let option = names.iter().enumerate().position(|(i, n)| touches(&key, n, i, &names)).unwrap_or(0);
    let quiet = args.quiet;
    let print = |out: &mut Printer, text: String| {
        if !quiet {
            out.print(&text);
        }
    };
    print(
        out,
        format!("bisect {key} over {} values: at most {most} simulations, for option {}\n", grid.len(), names[option]),
    );
    let started = std::time::Instant::now();
    let (mut low, mut high) = (0usize, order.len());
    let mut steps: Vec<Step> = Vec::new();
    let mut answer = None;
    let mut requests = 0;
    while low < high {
        let mid = low + (high - low) / 2;
        let point = order[mid];
        let (summary, n) = pool.install(|| simulate_point(&base.point(grid, point)?))?;
        requests += n;
        let mut rows = SweepTable::new(keys.clone());
        rows.push_point(&grid.labels(point), &summary).map_err(AppError::Runtime)?;
        let cell = |name: &str| {
            let row = rows.rows.get(option);
            rows.column(name).and_then(|c| row?.get(c)).cloned().unwrap_or_default()
        };
        let step = Step {
            point,
            meets: cell("meets_slo") == "true",
            cost: cell("total_cost_usd"),
            p99: cell("p99_ms"),
            summary,
        };
        let p99 = if step.p99.is_empty() { "none served".to_string() } else { format!("{} ms", step.p99) };
        let verdict = if step.meets { "meets" } else { "misses" };
        let value = label(point);
        print(
            out,
            format!(
                "step {}: {key} = {value} {verdict} the SLO (total_cost_usd {}, p99 {p99})\n",
                steps.len() + 1,
                step.cost
            ),
        );
        if step.meets {
            answer = Some(mid);
            high = mid;
        } else {
            low = mid + 1;
        }
        steps.push(step);
    }
    let tried = format!("{} of {} values simulated", steps.len(), grid.len());
    print(
        out,
        match answer {
            Some(0) => {
                format!("smallest {key} meeting the SLO: {} (the smallest value given; {tried})\n", label(order[0]))
            }
            Some(i) => format!("smallest {key} meeting the SLO: {} ({tried})\n", label(order[i])),
            None => format!(
                "no value of {key} meets the SLO, not even the largest, {} ({tried})\n",
                label(order[order.len() - 1])
            ),
        },
    );
    if !quiet {
        let secs = started.elapsed().as_secs_f64();
        eprintln!("simulated {} of {} points ({} requests) in {secs:.2} s", steps.len(), grid.len(), count(requests));
    }

    let search_csv = search_csv(&key, &steps, label)?;
    let mut by_point: Vec<&Step> = steps.iter().collect();
    by_point.sort_by_key(|s| s.point);
    let mut table = SweepTable::new(keys.clone());
    for s in &by_point {
        table.push_point(&grid.labels(s.point), &s.summary).map_err(AppError::Runtime)?;
    }
    let goal = args.optimize.map(|o| (o, args.max_cost));
    let m =
        Manifest { search: Some(format!("bisect {key}")), ..Manifest::of_sweep(&first, base.text, grid, goal, None) };
    let mut optima = optimum::find(&table, m.goal().unwrap_or_default()).map_err(AppError::Runtime)?;
    // The optimum is bisect's answer, whatever the costs of larger values tried.
    let per_point = names.len();
    let best = answer.map(|i| by_point.iter().position(|s| s.point == order[i]).unwrap_or(0) * per_point + option);
    if let Some(o) = optima.get_mut(option) {
        o.best = best;
    }
    let extra: [(&str, &[u8]); 1] = [("search.csv", &search_csv)];
    let (dir, printed) = output::write_whole_with(&args.out, &table, &m, !args.no_charts, Some(&optima), &extra)?;
    print(out, format!("{}wrote {}\n", printed.unwrap_or_default(), dir.display()));
    Ok(())
}

/// `search.csv`: `step,KEY,meets_slo,total_cost_usd,p99_ms`, the searched
/// option at each value tried, in the order tried.
fn search_csv(key: &str, steps: &[Step], label: impl Fn(usize) -> String) -> Result<Vec<u8>, AppError> {
    let bad = |e: ::csv::Error| AppError::Runtime(format!("cannot write search.csv: {e}"));
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(["step", key, "meets_slo", "total_cost_usd", "p99_ms"]).map_err(bad)?;
    for (i, s) in steps.iter().enumerate() {
        let record = [(i + 1).to_string(), label(s.point), s.meets.to_string(), s.cost.clone(), s.p99.clone()];
        w.write_record(&record).map_err(bad)?;
    }
    w.into_inner().map_err(|e| AppError::Runtime(format!("cannot write search.csv: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_qualify_and_sizes_do_not() {
        for rest in
            ["servers", "instances", "dynos", "initial", "autoscaling.max", "baseline.servers", "burst.autoscaling.min"]
        {
            assert!(is_count(rest), "{rest}");
        }
        for rest in
            ["cores", "vcpus", "price_usd", "autoscaling.target", "baseline.cores", "burst.vcpus", "power.idle_w"]
        {
            assert!(!is_count(rest), "{rest}");
        }
    }
}
