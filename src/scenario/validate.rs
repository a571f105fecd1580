//! The top level of a scenario: name, time settings, SLO; the sections are
//! read by their own modules.

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use super::database::{self, Tables};
use super::error::{Diag, Diags};
use super::model::{HostingOption, Scenario, Slo, Workload};
use super::name::check_name;
use super::node::{Node, Value};
use super::reader::{Bounds, Field, Table, recover_unknown};
use super::regions::{self, Overrides, UsedRegion};
use super::spec::{Key, Type};
use super::{catalog, option, traffic, workload};
use crate::catalog::{Catalog, UserCatalog};
use crate::time::SimTime;

/// The top level of a scenario file.
pub const TOP_KEYS: &[Key] = &[
    Key::new("hostsim_version", Type::Str, "the hostsim version that wrote this file (resolved.toml); not checked"),
    Key::new("name", Type::Str, "output folder name: at most 192 bytes, no /, \\, .., leading . or control characters")
        .default("the file stem"),
    Key::new("horizon", Type::Duration, "simulated time").default("required (with [traffic.trace]: its length)"),
    Key::new("warmup", Type::Duration, "requests arriving earlier are left out of summary statistics (not of cost)")
        .default("\"0s\""),
    Key::new("bucket", Type::Duration, "time-series resolution").default("horizon / 1440, rounded to a round step"),
    Key::new("seed", Type::Either(&[Type::Integer, Type::Str]), "random seed: an integer >= 0, or a string of digits")
        .default("1"),
    Key::new("replications", Type::Integer, "independent runs; confidence intervals need >= 2").default("1"),
    Key::new("slo", Type::Table(SLO_KEYS), "the service-level objective an option must meet"),
    Key::new("traffic", Type::Table(traffic::KEYS), "the arrival rate and where requests come from")
        .default("required"),
    Key::new("workload", Type::Table(workload::KEYS), "what one request asks of a server").default("required"),
    Key::new("network", Type::Table(regions::NETWORK_KEYS), "round-trip times and UTC offsets of regions"),
    Key::new("catalog", Type::Table(catalog::KINDS), "catalog entries added or changed for this scenario"),
    Key::new("database", Type::Array(&Type::Tagged(&database::DATABASE)), "database tiers options may name"),
    Key::new("option", Type::Array(&Type::Tagged(&option::OPTION)), "the hosting options to compare")
        .default("required"),
];

/// `[slo]`.
const SLO_KEYS: &[Key] = &[
    Key::new("p99_ms", Type::Number, "the 99th percentile of response time must not exceed this").unit("ms"),
    Key::new("success", Type::Number, "served / completed requests must be at least this (a fraction in [0, 1])"),
];

/// Most time-series rows a scenario may ask for.
pub const MAX_BUCKETS: u64 = 10_000_000;
/// Most replications of one scenario.
pub const MAX_REPLICATIONS: i64 = 10_000;
/// Bucket widths the default picks from (the one nearest to horizon / 1440).
const NICE_BUCKETS_S: [u64; 16] = [1, 5, 10, 15, 30, 60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/// Checks the whole tree and builds the resolved scenario; `user` catalog
/// entries (from `--catalog FILE`) go over the scenario's own `[catalog]`,
/// shared rather than copied. Every problem is reported, not just the
/// first: each top-level key, the traffic and workload sections and each
/// option are read on their own, and a check that needs a part that failed
/// (the options need the catalog and `[network]`) is skipped rather than
/// reporting a follow-on error.
pub fn scenario(root: &Node, source: &Path, user: &Arc<UserCatalog>) -> Result<Scenario, Diags> {
    let mut errors = Diags::default();
    let root = recovered(root, &mut errors);
    let t = Table::new(String::new(), &root, TOP_KEYS)?;
    let e = &mut errors;
    if let Some(f) = t.get("hostsim_version") {
        e.take(f.str());
    }
    let name = e.take(name(&t, source));
    let horizon = e.take(horizon(&t, source));
    let warmup = e.take(t.duration_or("warmup", SimTime::ZERO));
    let bucket = e.take(t.get("bucket").map(|f| f.positive_duration()).transpose());
    let (warmup, bucket) = match (horizon, warmup, bucket) {
        (Some(horizon), Some(warmup), Some(bucket)) => e.take(time_settings(&t, horizon, warmup, bucket)).unzip(),
        _ => (None, None),
    };
    let seed = e.take(t.get("seed").map_or(Ok(1), |f| seed(&f)));
    let replications = e.take(t.get("replications").map_or(Ok(1), |f| f.integer(1, MAX_REPLICATIONS)));
    let slo = e.take(t.get("slo").map(|f| slo(&f)).transpose());
    let overrides = e.take(Overrides::read(t.get("network")));
    // The traffic's user regions may be custom regions of [network]; the
    // horizon bounds its repeating spikes.
    let traffic = overrides.as_ref().zip(horizon).and_then(|(overrides, horizon)| {
        let field = e.take(t.require("traffic", "[traffic] with base_rps = 50"))?;
        e.take(traffic::read(&field, overrides, source, horizon))
    });
    let workload_field =
        e.take(t.require("workload", "[workload] with cpu = { dist = \"exponential\", mean = \"30ms\" }"));
    let workload = workload_field.and_then(|f| e.take(workload::read(&f, source)));
    let own = match t.get("catalog") {
        Some(f) => e.take(catalog::read(&f, &format!("scenario {}", source.display()))),
        None => Some(UserCatalog::default()),
    };
    let catalog = own.map(|own| Catalog::layered(own, user));
    let databases = Tables::read(t.get("database")).map_err(|d| e.append(d)).ok();
    let options = match (&overrides, &catalog, &databases) {
        (Some(overrides), Some(catalog), Some(databases)) => {
            option::read_all(t.get("option"), overrides, catalog, databases, source, e)
        }
        _ => None,
    };
    if let (Some(databases), Some((options, _)), Some(workload)) = (&databases, &options, &workload) {
        e.append(database_use(databases, options, workload, t.get("workload")));
    }
    let (
        Some(name),
        Some(horizon),
        Some(warmup),
        Some(bucket),
        Some(seed),
        Some(replications),
        Some(slo),
        Some(overrides),
        Some((traffic, mut used)),
        Some(workload),
        Some(catalog),
        Some((options, mut regions)),
    ) = (name, horizon, warmup, bucket, seed, replications, slo, overrides, traffic, workload, catalog, options)
    else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    if let Some(o) = options.iter().find(|o| o.regions.is_some()).filter(|_| traffic.users.is_empty()) {
        return Err(Diag::new(
            format!("option \"{}\".regions", o.name),
            None,
            "an option across regions needs to know where users are",
        )
        .hint("add their regions to [traffic], e.g. users = { washington = 0.6, frankfurt = 0.4 }")
        .into());
    }
    regions.append(&mut used);
    // Databases running elsewhere need their RTT to the option's region.
    for db in options.iter().filter_map(|o| o.database.as_ref()) {
        if let Some(r) = &db.region {
            regions.push(UsedRegion { name: r.clone(), path: format!("database \"{}\".region", db.name), span: None });
        }
    }
    let network = overrides.network(&regions)?;
    Ok(Scenario {
        name,
        source: source.to_path_buf(),
        // Set from the file's text by `scenario::validate_tree_with`.
        description: String::new(),
        horizon,
        warmup,
        bucket,
        seed,
        replications: replications as u32,
        slo,
        traffic,
        workload,
        network,
        catalog,
        options,
    })
}

/// The tree with every unknown key of the top level, `[traffic]` and
/// `[workload]` reported and recovered from (`reader::recover_unknown`).
fn recovered<'n>(root: &'n Node, errors: &mut Diags) -> Cow<'n, Node> {
    let mut root = recover_unknown("", root, TOP_KEYS, errors);
    for (section, known) in [("traffic", traffic::KEYS), ("workload", workload::KEYS)] {
        let Some(node) = root.get(section) else { continue };
        if let Cow::Owned(fixed) = recover_unknown(section, node, known, errors)
            && let Some(slot) = root.to_mut().get_mut(section)
        {
            *slot = fixed;
        }
    }
    root
}

/// Every `[[database]]` is named by an option, and `[workload]` has `db`
/// exactly when some option has a database.
fn database_use(databases: &Tables, options: &[HostingOption], workload: &Workload, at: Option<Field>) -> Diags {
    let named: Vec<&str> = options.iter().filter_map(|o| o.database.as_ref()).map(|d| d.name.as_str()).collect();
    let mut errors = databases.unused(&named);
    let workload_span = at.and_then(|f| f.span());
    match (options.iter().find(|o| o.database.is_some()), &workload.db) {
        (Some(o), None) => errors.push(
            Diag::new(
                "workload",
                workload_span,
                format!("option \"{}\" has a database, but [workload] has no db", o.name),
            )
            .hint("add the database time per query: db = { dist = \"lognormal\", mean = \"8ms\", cv = 1.5 }"),
        ),
        (None, Some(_)) => errors.push(
            Diag::new("workload.db", workload_span, "no option has a database to query")
                .hint("name a [[database]] on an option (database = \"main\"), or remove db"),
        ),
        _ => {}
    }
    errors
}

/// `name`, or the file stem.
fn name(t: &Table, source: &Path) -> Result<String, Diag> {
    match t.get("name") {
        Some(f) => {
            let name = f.str()?;
            check_name(name).map_err(|m| f.error(m))?;
            Ok(name.to_string())
        }
        None => default_name(source),
    }
}

/// `horizon`, or without it a trace's length.
fn horizon(t: &Table, source: &Path) -> Result<SimTime, Diag> {
    let trace_length = match (t.get("horizon"), t.get("traffic")) {
        (None, Some(f)) => traffic::trace_length(&f, source)?,
        _ => None,
    };
    match trace_length {
        Some(length) => Ok(length),
        None => t.require("horizon", "horizon = \"1d\"")?.positive_duration(),
    }
}

/// Checks warmup and bucket against the horizon; the bucket's default.
fn time_settings(
    t: &Table,
    horizon: SimTime,
    warmup: SimTime,
    bucket: Option<SimTime>,
) -> Result<(SimTime, SimTime), Diag> {
    if warmup >= horizon {
        let f = t.get("warmup");
        return Err(Diag::new("warmup", f.and_then(|f| f.span()), format!("must be shorter than horizon ({horizon})"))
            .label("warmup >= horizon leaves nothing to measure"));
    }
    let bucket = match (bucket, t.get("bucket")) {
        (Some(bucket), Some(f)) if bucket > horizon => {
            return Err(f.error(format!("must not be longer than horizon ({horizon})")));
        }
        (Some(bucket), _) => bucket,
        (None, _) => default_bucket(horizon),
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
    Ok((warmup, bucket))
}

/// The file stem, if it is a usable name.
fn default_name(source: &Path) -> Result<String, Diag> {
    if super::file::is_stdin(source) {
        return Err(Diag::new("name", None, "a scenario read from standard input has no file name to name it")
            .hint("set it: name = \"my-scenario\""));
    }
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
    let t = f.table(SLO_KEYS)?;
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
