//! `kind = "bare_metal"`: owned servers, with power and hardware failures.

use std::path::Path;

use super::syntax::{KindSyntax, Pairs, ReadContext, check_slots};
use crate::model::{BareMetal, Failures, Kind, Power};
use crate::scenario::error::Diag;
use crate::scenario::reader::{Bounds, Field, MIN_EVENT_INTERVAL, Table};
use crate::scenario::toml_value::{self, duration, number};
use crate::scenario::workload::duration_or_dist;
use crate::time::SimTime;

/// The keys only a bare-metal option has.
const KEYS: &[&str] = &[
    "servers",
    "cores",
    "price_usd",
    "lifetime",
    "setup_usd",
    "colo_usd_per_month",
    "labour_usd_per_month",
    "power",
    "failures",
    "bandwidth",
];

/// What bare metal has instead of other kinds' keys.
const INSTEAD: &[(&str, &str)] = &[
    ("instances", "bare metal has \"servers\""),
    ("vcpus", "bare metal has \"cores\""),
    ("plan", "bare metal has no catalog: give \"cores\" and \"price_usd\""),
    ("monthly_usd", "bare metal has \"price_usd\" and \"colo_usd_per_month\""),
    ("hourly_usd", "bare metal is not billed by the hour"),
    ("neighbours", "a bare-metal server has no neighbours"),
    ("instance", "bare metal has no catalog: give \"cores\" and \"price_usd\""),
    ("initial", "bare metal has \"servers\" (a fixed fleet)"),
    ("boot", "bare-metal capacity is fixed during a run: nothing boots"),
    ("billing", "bare metal is bought: it has \"price_usd\" and \"lifetime\""),
    ("storage", "bare-metal disks are local: the workload's io time applies as it is"),
    (
        "load_balancer",
        "an AWS load balancer fronts cloud instances; add your own balancer's cost to colo_usd_per_month or labour_usd_per_month",
    ),
    ("autoscaling", "bare-metal capacity is fixed (ordering hardware takes weeks)"),
    ("purchase", "bare metal is bought outright: its \"price_usd\" is amortised over \"lifetime\""),
    ("savings_plan", "bare metal is bought outright: its \"price_usd\" is amortised over \"lifetime\""),
    ("dyno", "bare metal has no catalog: give \"cores\" and \"price_usd\""),
    ("dynos", "bare metal has \"servers\""),
    ("router_overhead", "only a paas option has a platform router"),
    ("router_timeout", "the client's timeout ([workload] timeout) applies"),
    ("backlog", "bare metal may have \"max_queue\""),
    ("sleep_after", "a bare-metal server never sleeps"),
    ("wake", "a bare-metal server never sleeps"),
    ("cpu_share", "a bare-metal core is not shared: use cpu_speed for a slower or faster CPU"),
    ("pool_hours", "a bare-metal server runs all month: its price covers every hour"),
    ("market", "owned servers are bought, not rented: kind = \"iaas\" can run on spot"),
    ("spot_usd_per_hour", "owned servers are bought, not rented: kind = \"iaas\" can run on spot"),
    ("interruptions_per_month", "owned servers are not interrupted; they may have \"failures\""),
    ("mixed", "owned servers are bought, not rented: kind = \"iaas\" can run on spot"),
    ("provider", "\"provider\" chooses AWS Lambda or Google Cloud Run for kind = \"serverless\""),
    ("runtime", "a bare_metal option's start-up time is not a runtime's cold start"),
    ("arch", "a bare_metal option is priced per server (price_usd), whatever its architecture"),
    ("memory_mb", "a bare_metal option is sized by \"servers\" and \"cores\", not memory"),
    ("concurrency", "a bare_metal option serves requests per vCPU or core (\"workers_per_vcpu\")"),
    ("max_instances", "a bare_metal option has a fixed number of \"servers\""),
    ("provisioned", "a bare_metal option's instances are always warm: nothing to provision"),
    ("min_instances", "a bare_metal option has a fixed number of \"servers\""),
    ("cold_start", "servers are always on: a bare_metal option has no start-up time"),
    ("idle_timeout", "a bare_metal option's instances are not reclaimed when idle"),
    ("timeout", "the workload's \"timeout\" is when a client gives up"),
    ("free_tier", "only serverless options have a free tier here"),
    ("gcp_region", "a bare_metal option's \"region\" sets its network RTT"),
];

/// Default amortisation period of bare-metal hardware: 3 years.
pub const DEFAULT_LIFETIME: SimTime = SimTime(3 * SimTime::YEAR.0);

/// Reads the bare-metal keys of an option (the common ones are read by `option`).
pub fn read(t: &Table, cx: &ReadContext) -> Result<BareMetal, Diag> {
    let workers_per_vcpu = cx.workers_per_vcpu;
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
        failures: t.get("failures").map(|f| failures(&f, cx.source)).transpose()?,
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
fn failures(f: &Field, source: &Path) -> Result<Failures, Diag> {
    let t = f.table(&["mtbf", "repair"])?;
    let mtbf = t
        .require("mtbf", "mtbf = \"2y\"")?
        .duration_at_least(MIN_EVENT_INTERVAL)
        .map_err(|d| d.hint("mtbf is the mean time between failures of one server, e.g. \"2y\""))?;
    let repair = duration_or_dist(&t.require("repair", "repair = \"48h\"")?, source)?;
    Ok(Failures { mtbf, repair })
}

/// `kind = "bare_metal"` in the registry of kinds.
pub struct Syntax;

impl KindSyntax for Syntax {
    fn name(&self) -> &'static str {
        "bare_metal"
    }

    fn keys(&self) -> &'static [&'static str] {
        KEYS
    }

    fn instead(&self) -> &'static [(&'static str, &'static str)] {
        INSTEAD
    }

    fn read(&self, t: &Table, cx: &ReadContext) -> Result<Kind, Diag> {
        Ok(Kind::BareMetal(read(t, cx)?))
    }

    fn write(&self, kind: &Kind) -> Option<Pairs> {
        let Kind::BareMetal(b) = kind else { return None };
        let mut p = vec![
            ("servers", b.servers.to_string()),
            ("cores", b.cores.to_string()),
            ("price_usd", number(b.price_usd)),
            ("lifetime", duration(b.lifetime)),
            ("setup_usd", number(b.setup_usd)),
            ("colo_usd_per_month", number(b.colo_usd_per_month)),
            ("labour_usd_per_month", number(b.labour_usd_per_month)),
        ];
        if let Some(w) = &b.power {
            let pue = number(w.pue);
            let (idle, max, kwh) = (number(w.idle_w), number(w.max_w), number(w.usd_per_kwh));
            p.push(("power", format!("{{ idle_w = {idle}, max_w = {max}, usd_per_kwh = {kwh}, pue = {pue} }}")));
        }
        if let Some(f) = &b.failures {
            let (mtbf, repair) = (duration(f.mtbf), toml_value::duration_or_dist(&f.repair));
            p.push(("failures", format!("{{ mtbf = {mtbf}, repair = {repair} }}")));
        }
        Some(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Dist;
    use crate::scenario::test_option::parse_option;

    const OPTION: &str = "name = \"colo\"\nkind = \"bare_metal\"\nregion = \"london\"\nservers = 2\ncores = 4\n";

    fn parse(keys: &str) -> Result<BareMetal, String> {
        match parse_option(&format!("{OPTION}{keys}"))?.kind {
            Kind::BareMetal(b) => Ok(b),
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
