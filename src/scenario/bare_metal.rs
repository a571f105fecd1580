//! `kind = "bare_metal"`: owned servers, with power and hardware failures.

use super::error::Diag;
use super::model::{BareMetal, Failures, Power};
use super::option::check_slots;
use super::reader::{Bounds, Field, MIN_EVENT_INTERVAL, Table};
use super::workload::duration_or_dist;
use crate::time::SimTime;

/// The keys only a bare-metal option has.
pub const KEYS: &[&str] = &[
    "servers",
    "cores",
    "price_usd",
    "lifetime",
    "setup_usd",
    "colo_usd_per_month",
    "labour_usd_per_month",
    "power",
    "failures",
];

/// Default amortisation period of bare-metal hardware: 3 years.
pub const DEFAULT_LIFETIME: SimTime = SimTime(3 * SimTime::YEAR.0);

/// Reads the bare-metal keys of an option (the common ones are read by `option`).
pub fn read(t: &Table, workers_per_vcpu: u32) -> Result<BareMetal, Diag> {
    let servers_field = t.require("servers", "servers = 2")?;
    let servers = servers_field.u32(1)?;
    let cores = t.require("cores", "cores = 8")?.u32(1)?;
    check_slots(&servers_field, "servers × cores × workers_per_vcpu", servers, cores, workers_per_vcpu)?;
    let lifetime = match t.get("lifetime") {
        Some(f) => f.positive_duration()?,
        None => DEFAULT_LIFETIME,
    };
    Ok(BareMetal {
        servers,
        cores,
        price_usd: t.number_or("price_usd", 0.0, Bounds::NONNEG)?,
        lifetime,
        setup_usd: t.number_or("setup_usd", 0.0, Bounds::NONNEG)?,
        colo_usd_per_month: t.number_or("colo_usd_per_month", 0.0, Bounds::NONNEG)?,
        labour_usd_per_month: t.number_or("labour_usd_per_month", 0.0, Bounds::NONNEG)?,
        power: t.get("power").map(|f| power(&f)).transpose()?,
        failures: t.get("failures").map(|f| failures(&f)).transpose()?,
    })
}

fn power(f: &Field) -> Result<Power, Diag> {
    let p = f.table(&["idle_w", "max_w", "usd_per_kwh", "pue"])?;
    let idle_w = p.require("idle_w", "idle_w = 59")?.number(Bounds::NONNEG)?;
    let max_w = p.require("max_w", "max_w = 404")?.number(Bounds::at_least(idle_w))?;
    Ok(Power {
        idle_w,
        max_w,
        usd_per_kwh: p.require("usd_per_kwh", "usd_per_kwh = 0.09")?.number(Bounds::NONNEG)?,
        pue: p.number_or("pue", 1.0, Bounds::at_least(1.0))?,
    })
}

/// `failures = { mtbf = "2y", repair = "48h" }`; `repair` may be a distribution.
fn failures(f: &Field) -> Result<Failures, Diag> {
    let t = f.table(&["mtbf", "repair"])?;
    let mtbf = t
        .require("mtbf", "mtbf = \"2y\"")?
        .duration_at_least(MIN_EVENT_INTERVAL)
        .map_err(|d| d.hint("mtbf is the mean time between failures of one server, e.g. \"2y\""))?;
    let repair = duration_or_dist(&t.require("repair", "repair = \"48h\"")?)?;
    Ok(Failures { mtbf, repair })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::model::{Dist, Kind};
    use super::*;

    const BASE: &str = "horizon = \"1d\"\n[traffic]\nbase_rps = 10\n[workload]\n\
        cpu = { dist = \"constant\", value = \"10ms\" }\n[[option]]\nname = \"colo\"\nkind = \"bare_metal\"\n\
        region = \"london\"\nservers = 2\ncores = 4\n";

    fn parse(extra: &str) -> Result<BareMetal, String> {
        let s =
            crate::scenario::parse_str(&format!("{BASE}{extra}"), Path::new("b.toml")).map_err(|e| e.to_string())?;
        match s.options.into_iter().next().map(|o| o.kind) {
            Some(Kind::BareMetal(b)) => Ok(b),
            other => Err(format!("not bare metal: {other:?}")),
        }
    }

    #[test]
    fn failures_with_a_fixed_or_random_repair() {
        assert_eq!(parse("").unwrap().failures, None);
        let f = parse("failures = { mtbf = \"2y\", repair = \"48h\" }").unwrap().failures.unwrap();
        assert_eq!(f.mtbf, SimTime(2 * 365 * SimTime::DAY.0));
        assert_eq!(f.repair, Dist::Constant { value_s: 48.0 * 3600.0 });
        let f = parse("failures = { mtbf = \"1y\", repair = { dist = \"lognormal\", mean = \"1d\", cv = 0.5 } }")
            .unwrap()
            .failures
            .unwrap();
        assert_eq!(f.repair, Dist::Lognormal { mean_s: 86_400.0, cv: 0.5 });
    }

    #[test]
    fn failure_mistakes() {
        let cases = [
            ("failures = { mtbf = \"0s\", repair = \"1h\" }", "option \"colo\".failures.mtbf: must be longer than 0s"),
            (
                "failures = { mtbf = \"999ms\", repair = \"1h\" }",
                "failures.mtbf: 999ms is shorter than the minimum of 1s",
            ),
            ("failures = { repair = \"1h\" }", "option \"colo\".failures.mtbf: required key is missing"),
            ("failures = { mtbf = \"1y\" }", "option \"colo\".failures.repair: required key is missing"),
            ("failures = { mtbf = \"1y\", repair = \"0s\" }", "failures.repair: must be longer than 0s"),
            ("failures = { mtbf = \"1y\", repair = \"2x\" }", "unknown unit \"x\""),
            ("failures = { mtbf = \"1y\", repair = 48 }", "expected a duration like \"30m\" or a distribution"),
            ("failures = { mtbf = \"1y\", reapir = \"1h\" }", "unknown key \"reapir\", did you mean \"repair\"?"),
            ("failures = \"2y\"", "failures: expected a table"),
        ];
        for (extra, fragment) in cases {
            let err = parse(extra).unwrap_err();
            assert!(err.contains(fragment), "expected {fragment:?} in:\n{err}");
        }
    }
}
