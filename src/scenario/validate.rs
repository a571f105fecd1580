//! The top level of a scenario: name, time settings, SLO; the sections are
//! read by their own modules.

use std::path::Path;
use std::sync::Arc;

use super::error::Diag;
use super::model::{Scenario, Slo};
use super::name::check_name;
use super::node::{Node, Value};
use super::reader::{Bounds, Field, Table};
use super::regions::{Overrides, UsedRegion};
use super::{catalog, option, traffic, workload};
use crate::catalog::{Catalog, UserCatalog};
use crate::time::SimTime;

const TOP_KEYS: &[&str] = &[
    "hostsim_version",
    "name",
    "horizon",
    "warmup",
    "bucket",
    "seed",
    "replications",
    "slo",
    "traffic",
    "workload",
    "network",
    "catalog",
    "option",
];

/// Most time-series rows a scenario may ask for.
pub const MAX_BUCKETS: u64 = 10_000_000;
/// Most replications of one scenario.
pub const MAX_REPLICATIONS: i64 = 10_000;
/// Bucket widths the default picks from (the one nearest to horizon / 1440).
const NICE_BUCKETS_S: [u64; 16] = [1, 5, 10, 15, 30, 60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/// Checks the whole tree and builds the resolved scenario; `user` catalog
/// entries (from `--catalog FILE`) go over the scenario's own `[catalog]`,
/// shared rather than copied.
pub fn scenario(root: &Node, source: &Path, user: &Arc<UserCatalog>) -> Result<Scenario, Diag> {
    let t = Table::new(String::new(), root, TOP_KEYS)?;
    if let Some(f) = t.get("hostsim_version") {
        f.str()?;
    }
    let name = match t.get("name") {
        Some(f) => {
            let name = f.str()?;
            check_name(name).map_err(|m| f.error(m))?;
            name.to_string()
        }
        None => default_name(source)?,
    };
    // Without a horizon, a trace's length is the horizon.
    let trace_length = match (t.get("horizon"), t.get("traffic")) {
        (None, Some(f)) => traffic::trace_length(&f, source)?,
        _ => None,
    };
    let horizon = match trace_length {
        Some(length) => length,
        None => t.require("horizon", "horizon = \"1d\"")?.positive_duration()?,
    };
    let warmup = t.duration_or("warmup", SimTime::ZERO)?;
    if warmup >= horizon {
        let f = t.get("warmup");
        return Err(Diag::new("warmup", f.and_then(|f| f.span()), format!("must be shorter than horizon ({horizon})"))
            .label("warmup >= horizon leaves nothing to measure"));
    }
    let bucket = match t.get("bucket") {
        Some(f) => {
            let bucket = f.positive_duration()?;
            if bucket > horizon {
                return Err(f.error(format!("must not be longer than horizon ({horizon})")));
            }
            bucket
        }
        None => default_bucket(horizon),
    };
    if horizon.0.div_ceil(bucket.0) > MAX_BUCKETS {
        let span = t.get("bucket").or_else(|| t.get("horizon")).and_then(|f| f.span());
        return Err(Diag::new(
            "bucket",
            span,
            format!("horizon {horizon} / bucket {bucket} is more than {MAX_BUCKETS} time-series rows"),
        )
        .hint("choose a wider bucket (e.g. bucket = \"1h\") or a shorter horizon"));
    }
    let seed = t.get("seed").map_or(Ok(1), |f| seed(&f))?;
    let replications = t.get("replications").map_or(Ok(1), |f| f.integer(1, MAX_REPLICATIONS))? as u32;
    let slo = t.get("slo").map(|f| slo(&f)).transpose()?;
    let overrides = Overrides::read(t.get("network"))?;
    let traffic_field = t.require("traffic", "[traffic] with base_rps = 50")?;
    let (traffic, mut used) = traffic::read(&traffic_field, &overrides, source)?;
    let workload_field = t.require("workload", "[workload] with cpu = { dist = \"exponential\", mean = \"30ms\" }")?;
    let workload = workload::read(&workload_field, source)?;
    let own = match t.get("catalog") {
        Some(f) => catalog::read(&f, &format!("scenario {}", source.display()))?,
        None => UserCatalog::default(),
    };
    let catalog = Catalog::layered(own, user);
    let (options, option_regions) = option::read_all(t.get("option"), &overrides, &catalog, source)?;
    let mut regions: Vec<UsedRegion> = option_regions;
    regions.append(&mut used);
    let network = overrides.network(&regions)?;
    Ok(Scenario {
        name,
        source: source.to_path_buf(),
        horizon,
        warmup,
        bucket,
        seed,
        replications,
        slo,
        traffic,
        workload,
        network,
        catalog,
        options,
    })
}

/// The file stem, if it is a usable name.
fn default_name(source: &Path) -> Result<String, Diag> {
    let stem = source.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    check_name(&stem).map_err(|m| {
        Diag::new("name", None, format!("the file name cannot serve as the scenario name: {m}"))
            .hint("set it: name = \"my-scenario\"")
    })?;
    Ok(stem)
}

/// horizon / 1440, rounded to the nice step nearest in ratio, and at most the horizon.
pub fn default_bucket(horizon: SimTime) -> SimTime {
    let target = horizon.as_secs_f64() / 1440.0;
    let mut best = NICE_BUCKETS_S[0];
    for &step in &NICE_BUCKETS_S {
        if (step as f64 / target).ln().abs() < (best as f64 / target).ln().abs() {
            best = step;
        }
    }
    SimTime::from_secs(best).min(horizon)
}

/// A u64 seed: an integer >= 0, or a string of digits (for seeds beyond 2^63).
fn seed(f: &Field) -> Result<u64, Diag> {
    match &f.node.value {
        Value::Str(s) => s.parse::<u64>().map_err(|_| f.error(format!("expected a non-negative integer, got \"{s}\""))),
        _ => Ok(f.integer(0, i64::MAX)? as u64),
    }
}

fn slo(f: &Field) -> Result<Slo, Diag> {
    let t = f.table(&["p99_ms", "success"])?;
    let p99_ms = t.get("p99_ms").map(|f| f.number(Bounds::POSITIVE)).transpose()?;
    let success = t.get("success").map(|f| f.number(Bounds::FRACTION)).transpose()?;
    Ok(Slo { p99_ms, success })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_bucket_picks_a_nice_step() {
        // 1 d / 1440 = 60 s exactly.
        assert_eq!(default_bucket(SimTime::DAY), SimTime::from_secs(60));
        // 14 d / 1440 = 840 s = 14 min: 15 min is nearest.
        assert_eq!(default_bucket(SimTime(14 * SimTime::DAY.0)), SimTime::from_secs(900));
        // 365 d / 1440 = 6.08 h: 6 h.
        assert_eq!(default_bucket(SimTime(365 * SimTime::DAY.0)), SimTime::from_secs(21_600));
        // 10 y / 1440 = 2.5 d: the largest step, 1 d.
        assert_eq!(default_bucket(SimTime(3650 * SimTime::DAY.0)), SimTime::DAY);
        // 1 h / 1440 = 2.5 s: 1 s (ratio 2.5) vs 5 s (ratio 2): 5 s.
        assert_eq!(default_bucket(SimTime::HOUR), SimTime::from_secs(5));
        // Shorter than the smallest step: the horizon itself.
        assert_eq!(default_bucket(SimTime(500_000)), SimTime(500_000));
    }
}
