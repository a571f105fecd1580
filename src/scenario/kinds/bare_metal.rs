//! `kind = "bare_metal"`: owned servers, with power and hardware failures.

use std::path::Path;

use super::syntax::{KindSyntax, Pairs, ReadContext, check_slots};
use crate::catalog::specpower;
use crate::model::{BareMetal, Draw, Failures, Kind, Power};
use crate::scenario::egress;
use crate::scenario::error::Diag;
use crate::scenario::reader::{Bounds, Field, MIN_EVENT_INTERVAL, Table};
use crate::scenario::spec::{Key, Type};
use crate::scenario::toml_value::{self, duration, number};
use crate::scenario::workload::{DURATION_OR_DIST, duration_or_dist};
use crate::time::SimTime;

const PRICE_USD: Key = Key::new(
    "price_usd",
    Type::Number,
    "purchase price per server (the base with price_usd_per_core), amortised over lifetime",
)
.unit("USD")
.default("0");
const PRICE_USD_PER_CORE: Key =
    Key::new("price_usd_per_core", Type::Number, "purchase price of each core, amortised the same way")
        .unit("USD")
        .default("0");
const LIFETIME: Key = Key::new("lifetime", Type::Duration, "amortisation period").default("\"3y\"");
const SETUP_USD: Key =
    Key::new("setup_usd", Type::Number, "one-off cost per server, at t = 0").unit("USD").default("0");
const COLO_USD_PER_MONTH: Key =
    Key::new("colo_usd_per_month", Type::Number, "per server: space, power allowance, network")
        .unit("USD")
        .default("0");
const LABOUR_USD_PER_MONTH: Key =
    Key::new("labour_usd_per_month", Type::Number, "for the whole option").unit("USD").default("0");
const POWER: Key =
    Key::new("power", Type::Table(POWER_KEYS), "energy: (idle + (max − idle) × utilisation) × pue × price, per server");

/// How an owned server is priced: the keys of a self-hosted database's `server = {…}`.
pub const SERVER_KEYS: &[Key] =
    &[PRICE_USD, PRICE_USD_PER_CORE, LIFETIME, SETUP_USD, COLO_USD_PER_MONTH, LABOUR_USD_PER_MONTH, POWER];

/// The keys only a bare-metal option has.
const KEYS: &[Key] = &[
    Key::new("servers", Type::Integer, "fixed number of servers").default("required (or regions)"),
    Key::new("cores", Type::Integer, "cores per server: servers × cores slots").default("required"),
    PRICE_USD,
    PRICE_USD_PER_CORE,
    LIFETIME,
    SETUP_USD,
    COLO_USD_PER_MONTH,
    LABOUR_USD_PER_MONTH,
    POWER,
    Key::new("failures", Type::Table(FAILURE_KEYS), "each server fails after an exponential time with mean mtbf"),
    Key::new(
        "bandwidth",
        Type::Table(egress::BANDWIDTH_KEYS),
        "bandwidth billed the colocation way (a monthly percentile of Mbps); not with egress_usd_per_gb",
    ),
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
    let servers_field = cx.fleet_field(t, "servers", "servers = 2")?;
    let servers = servers_field.u32(1)?;
    let cores = t.require("cores", "cores = 8")?.u32(1)?;
    check_slots(&servers_field, "servers × cores × workers_per_vcpu", servers, cores, workers_per_vcpu)?;
    let failures = t.get("failures").map(|f| failures(&f, cx.source)).transpose()?;
    Ok(BareMetal { servers, failures, ..server(t, cores)? })
}

/// One owned server of `cores` priced by the `SERVER_KEYS` of `t` (no failures).
pub fn server(t: &Table, cores: u32) -> Result<BareMetal, Diag> {
    let lifetime = match t.get("lifetime") {
        Some(f) => f.positive_duration()?,
        None => DEFAULT_LIFETIME,
    };
    Ok(BareMetal {
        servers: 1,
        cores,
        price_usd: t.number_or("price_usd", 0.0, Bounds::NONNEG)?,
        price_usd_per_core: t.number_or("price_usd_per_core", 0.0, Bounds::NONNEG)?,
        lifetime,
        setup_usd: t.number_or("setup_usd", 0.0, Bounds::NONNEG)?,
        colo_usd_per_month: t.number_or("colo_usd_per_month", 0.0, Bounds::NONNEG)?,
        labour_usd_per_month: t.number_or("labour_usd_per_month", 0.0, Bounds::NONNEG)?,
        power: t.get("power").map(|f| power(&f, cores)).transpose()?,
        failures: None,
    })
}

/// The keys of `power = { … }`: the watts given, or where they come from.
const POWER_KEYS: &[Key] = &[
    Key::new("idle_w", Type::Number, "one server's idle draw (a base with idle_w_per_core)").unit("W"),
    Key::new("max_w", Type::Number, "one server's full-load draw (a base with max_w_per_core)").unit("W"),
    Key::new("idle_w_per_core", Type::Number, "idle watts per core, added to idle_w").unit("W").default("0"),
    Key::new("max_w_per_core", Type::Number, "full-load watts per core, added to max_w").unit("W").default("0"),
    Key::new("draw", Type::OneOf(&[SPECPOWER]), "take the watts from SPECpower results, instead of idle_w/max_w"),
    Key::new("sockets", Type::Integer, "with draw: 1, 2 or 4 (four or more)")
        .default("1 up to 64 cores, 2 up to 128, 4 above"),
    Key::new("usd_per_kwh", Type::Number, "energy price").unit("USD/kWh").default("required"),
    Key::new("pue", Type::Number, "power usage effectiveness (>= 1)").default("1"),
];
/// The one `draw`: watts from the SPECpower table.
const SPECPOWER: &str = "specpower";
/// `failures = { mtbf, repair }`.
const FAILURE_KEYS: &[Key] = &[
    Key::new("mtbf", Type::Duration, "mean time between failures of one server (at least \"1s\")").default("required"),
    Key::new("repair", DURATION_OR_DIST, "time to repair: a duration or a distribution").default("required"),
];

/// The keys that give the watts by hand (none of them go with `draw`).
const WATTS_KEYS: [&str; 4] = ["idle_w", "max_w", "idle_w_per_core", "max_w_per_core"];

/// `power = { … }` of a server with `cores` cores: its watts resolved now,
/// and how they were given, to write back.
fn power(f: &Field, cores: u32) -> Result<Power, Diag> {
    let p = f.table(POWER_KEYS)?;
    let (draw, idle_w, max_w) = match p.get("draw") {
        Some(d) => specpower_draw(&p, &d, cores)?,
        None => given_watts(&p, cores)?,
    };
    let usd_per_kwh = p.require("usd_per_kwh", "usd_per_kwh = 0.09")?.number(Bounds::NONNEG)?;
    let pue = p.number_or("pue", 1.0, Bounds::at_least(1.0))?;
    Ok(Power { idle_w, max_w, usd_per_kwh, pue, draw })
}

/// `idle_w` and `max_w`, each plus its per-core watts × cores if given
/// (then the plain key is a base and defaults to 0).
fn given_watts(p: &Table, cores: u32) -> Result<(Draw, f64, f64), Diag> {
    if let Some(s) = p.get("sockets") {
        return Err(s.error("sockets applies only with draw = \"specpower\"").hint(
            "draw = \"specpower\" takes the watts from SPECpower results by sockets and cores; idle_w and max_w are watts given by hand",
        ));
    }
    let idle_w_per_core = p.number_or("idle_w_per_core", 0.0, Bounds::NONNEG)?;
    let max_w_per_core = p.number_or("max_w_per_core", 0.0, Bounds::NONNEG)?;
    let idle_w = match p.get("idle_w_per_core") {
        Some(_) => p.number_or("idle_w", 0.0, Bounds::NONNEG)?,
        None => p.require("idle_w", "idle_w = 59 (or draw = \"specpower\")")?.number(Bounds::NONNEG)?,
    };
    let (max_field, max_w) = match p.get("max_w_per_core") {
        Some(per_core) => (per_core, p.number_or("max_w", 0.0, Bounds::NONNEG)?),
        None => {
            let f = p.require("max_w", "max_w = 404 (or draw = \"specpower\")")?;
            let max_w = f.number(Bounds::at_least(idle_w))?;
            (f, max_w)
        }
    };
    let n = f64::from(cores);
    let (idle_total, max_total) = (idle_w + idle_w_per_core * n, max_w + max_w_per_core * n);
    if max_total < idle_total {
        return Err(max_field.error(format!(
            "the full-load draw ({max_total} W) is below the idle draw ({idle_total} W) with {cores} cores"
        )));
    }
    Ok((Draw::Watts { idle_w, max_w, idle_w_per_core, max_w_per_core }, idle_total, max_total))
}

/// `draw = "specpower"` (with `sockets` if given): the table's watts for this many cores.
fn specpower_draw(p: &Table, d: &Field, cores: u32) -> Result<(Draw, f64, f64), Diag> {
    let name = d.str()?;
    if name != SPECPOWER {
        return Err(d
            .error(format!("unknown draw \"{name}\"; expected \"specpower\""))
            .hint("or leave draw out and give the watts: idle_w and max_w"));
    }
    if let Some(k) = WATTS_KEYS.iter().find_map(|k| p.get(k)) {
        return Err(k
            .error(format!("{} and draw = \"specpower\" both give the watts; keep one", k.key()))
            .hint("draw = \"specpower\" takes idle and full-load watts from SPECpower results for the cores"));
    }
    let sockets = p.get("sockets").map(|f| sockets(&f)).transpose()?;
    let used = sockets.unwrap_or_else(|| specpower::default_sockets(cores));
    let Some((idle_w, max_w)) = specpower::watts(used, cores) else {
        let ranges: Vec<String> = specpower::SOCKETS
            .iter()
            .filter_map(|&s| {
                specpower::cores_range(s).map(|(lo, hi)| format!("{}: {lo} to {hi} cores", specpower::sockets_label(s)))
            })
            .collect();
        let at = p.get("sockets").unwrap_or_else(|| d.clone());
        return Err(at
            .error(format!(
                "the SPECpower table has no {}-socket servers of {cores} cores",
                specpower::sockets_label(used)
            ))
            .hint(format!("its servers by sockets: {}; or give idle_w and max_w", ranges.join(", "))));
    };
    Ok((Draw::SpecPower { sockets }, idle_w, max_w))
}

/// `sockets`: one of the table's socket counts.
fn sockets(f: &Field) -> Result<u32, Diag> {
    let n = f.integer(1, 4)?;
    specpower::SOCKETS
        .iter()
        .copied()
        .find(|&s| i64::from(s) == n)
        .ok_or_else(|| f.error(format!("expected 1, 2 or 4 (4 or more), got {n}")))
}

/// `failures = { mtbf = "2y", repair = "48h" }`; `repair` may be a distribution.
fn failures(f: &Field, source: &Path) -> Result<Failures, Diag> {
    let t = f.table(FAILURE_KEYS)?;
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

    fn keys(&self) -> &'static [Key] {
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
        let mut p = vec![("servers", b.servers.to_string()), ("cores", b.cores.to_string())];
        p.extend(server_pairs(b));
        if let Some(f) = &b.failures {
            let (mtbf, repair) = (duration(f.mtbf), toml_value::duration_or_dist(&f.repair));
            p.push(("failures", format!("{{ mtbf = {mtbf}, repair = {repair} }}")));
        }
        Some(p)
    }
}

/// The `SERVER_KEYS` of `b` as written back.
fn server_pairs(b: &BareMetal) -> Pairs {
    let mut p = vec![
        ("price_usd", number(b.price_usd)),
        ("lifetime", duration(b.lifetime)),
        ("setup_usd", number(b.setup_usd)),
        ("colo_usd_per_month", number(b.colo_usd_per_month)),
        ("labour_usd_per_month", number(b.labour_usd_per_month)),
    ];
    if b.price_usd_per_core > 0.0 {
        p.insert(1, ("price_usd_per_core", number(b.price_usd_per_core)));
    }
    if let Some(w) = &b.power {
        p.push(("power", write_power(w)));
    }
    p
}

/// A self-hosted database's `server = { … }`.
pub fn write_server(b: &BareMetal) -> String {
    let keys: Vec<String> = server_pairs(b).into_iter().map(|(k, v)| format!("{k} = {v}")).collect();
    format!("{{ {} }}", keys.join(", "))
}

/// `power = { … }` as given: the watts (per core too, when given) or the draw.
fn write_power(w: &Power) -> String {
    let mut keys = match &w.draw {
        Draw::Watts { idle_w, max_w, idle_w_per_core, max_w_per_core } => {
            let mut keys = vec![format!("idle_w = {}", number(*idle_w)), format!("max_w = {}", number(*max_w))];
            for (key, value) in [("idle_w_per_core", idle_w_per_core), ("max_w_per_core", max_w_per_core)] {
                if *value > 0.0 {
                    keys.push(format!("{key} = {}", number(*value)));
                }
            }
            keys
        }
        Draw::SpecPower { sockets } => {
            let mut keys = vec!["draw = \"specpower\"".to_string()];
            keys.extend(sockets.map(|s| format!("sockets = {s}")));
            keys
        }
    };
    keys.push(format!("usd_per_kwh = {}", number(w.usd_per_kwh)));
    keys.push(format!("pue = {}", number(w.pue)));
    format!("{{ {} }}", keys.join(", "))
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

    #[test]
    fn a_price_per_core_adds_to_the_base_price() {
        let b = parse("price_usd = 1000\nprice_usd_per_core = 150").unwrap();
        // base $1,000 + 4 cores × $150 = $1,600 per server.
        assert_eq!((b.price_usd, b.price_usd_per_core, b.purchase_usd()), (1_000.0, 150.0, 1_600.0));
        // Without a base: 4 × $150 = $600; without either, nothing.
        assert_eq!(parse("price_usd_per_core = 150").unwrap().purchase_usd(), 600.0);
        assert_eq!(parse("").unwrap().purchase_usd(), 0.0);
    }

    #[test]
    fn per_core_watts_add_to_the_base_watts() {
        let p = parse(
            "power = { idle_w = 20, max_w = 60, idle_w_per_core = 2.5, max_w_per_core = 10, usd_per_kwh = 0.15 }",
        )
        .unwrap()
        .power
        .unwrap();
        // 4 cores: idle 20 + 4 × 2.5 = 30 W, full load 60 + 4 × 10 = 100 W.
        assert_eq!((p.idle_w, p.max_w, p.usd_per_kwh, p.pue), (30.0, 100.0, 0.15, 1.0));
        // Per-core watts alone: the base is 0 (idle 4 × 3 = 12 W, full 4 × 12 = 48 W).
        let p =
            parse("power = { idle_w_per_core = 3, max_w_per_core = 12, usd_per_kwh = 0.15 }").unwrap().power.unwrap();
        assert_eq!((p.idle_w, p.max_w), (12.0, 48.0));
        // Plain watts stay the whole draw.
        let p = parse("power = { idle_w = 59, max_w = 404, usd_per_kwh = 0.09 }").unwrap().power.unwrap();
        assert_eq!((p.idle_w, p.max_w), (59.0, 404.0));
    }

    /// The power of a server of `cores` cores with `power = { draw = "specpower"… }`.
    fn specpower(cores: u32, sockets: &str) -> Result<Power, String> {
        let option = OPTION.replace("cores = 4", &format!("cores = {cores}"));
        let text = format!("{option}power = {{ draw = \"specpower\"{sockets}, usd_per_kwh = 0.15, pue = 1.2 }}");
        match parse_option(&text)?.kind {
            Kind::BareMetal(b) => Ok(b.power.unwrap()),
            other => Err(format!("not bare metal: {other:?}")),
        }
    }

    #[test]
    fn specpower_watts_follow_sockets_and_cores() {
        // 16 cores, 1 socket by default: 10/22 of the way from the 1–8-core group's median
        // server (6 cores: 15.9 W idle, 71.7 W full) to the 17–32 group's (28 cores: 39.4 W, 217 W).
        let p = specpower(16, "").unwrap();
        assert!((p.idle_w - (15.9 + 23.5 * 10.0 / 22.0)).abs() < 1e-9, "{p:?}");
        assert!((p.max_w - (71.7 + 145.3 * 10.0 / 22.0)).abs() < 1e-9, "{p:?}");
        assert_eq!((p.usd_per_kwh, p.pue, &p.draw), (0.15, 1.2, &Draw::SpecPower { sockets: None }));
        // 96 cores take 2 sockets by default: between 56 cores (53.5 W, 411 W) and 128 (101.5 W, 442 W), 40/72 of the way.
        let p = specpower(96, "").unwrap();
        assert!(
            (p.idle_w - (53.5 + 48.0 * 40.0 / 72.0)).abs() < 1e-9
                && (p.max_w - (411.0 + 31.0 * 40.0 / 72.0)).abs() < 1e-9
        );
        // Given sockets: 2 sockets of 56 cores in all are that group's medians.
        let p = specpower(56, ", sockets = 2").unwrap();
        assert_eq!((p.idle_w, p.max_w, p.draw), (53.5, 411.0, Draw::SpecPower { sockets: Some(2) }));
    }

    #[test]
    fn power_mistakes() {
        let cases = [
            (specpower(300, ""), "power.draw: the SPECpower table has no 4+-socket servers of 300 cores"),
            (specpower(8, ", sockets = 2"), "power.sockets: the SPECpower table has no 2-socket servers of 8 cores"),
            (specpower(8, ", sockets = 3"), "power.sockets: expected 1, 2 or 4 (4 or more), got 3"),
            (specpower(8, ", sockets = 0"), "power.sockets: expected an integer from 1 to 4"),
            (
                specpower(8, ", idle_w = 50"),
                "power.idle_w: idle_w and draw = \"specpower\" both give the watts; keep one",
            ),
        ];
        for (result, fragment) in cases {
            let err = result.unwrap_err();
            assert!(err.contains(fragment), "expected {fragment:?} in:\n{err}");
        }
        let err = |keys: &str| parse(&format!("power = {{ {keys} }}")).unwrap_err();
        let cases = [
            ("draw = \"spec\", usd_per_kwh = 0.1", "power.draw: unknown draw \"spec\"; expected \"specpower\""),
            (
                "idle_w = 59, max_w = 404, sockets = 2, usd_per_kwh = 0.1",
                "sockets applies only with draw = \"specpower\"",
            ),
            ("max_w = 404, usd_per_kwh = 0.1", "power.idle_w: required key is missing"),
            (
                "idle_w = 50, idle_w_per_core = 10, max_w = 80, usd_per_kwh = 0.1",
                "power.max_w: the full-load draw (80 W) is below the idle draw (90 W) with 4 cores",
            ),
            ("idle_w = 59, max_w = 30, usd_per_kwh = 0.1", "power.max_w: expected a number >= 59, got 30"),
        ];
        for (keys, fragment) in cases {
            let e = err(keys);
            assert!(e.contains(fragment), "expected {fragment:?} in:\n{e}");
        }
    }

    #[test]
    fn price_and_power_per_core_write_back_as_given() {
        use crate::scenario::{parse_str, to_resolved_toml};
        let head =
            "horizon = \"1d\"\n[traffic]\nbase_rps = 10\n[workload]\ncpu = { dist = \"constant\", value = \"10ms\" }\n";
        for power in [
            "power = { draw = \"specpower\", usd_per_kwh = 0.15 }",
            "power = { draw = \"specpower\", sockets = 2, usd_per_kwh = 0.15, pue = 1.4 }",
            "power = { idle_w_per_core = 3, max_w = 40, max_w_per_core = 12, usd_per_kwh = 0.15 }",
        ] {
            let text = format!(
                "{head}[[option]]\n{}price_usd = 900\nprice_usd_per_core = 125\n{power}\n",
                OPTION.replace("cores = 4", "cores = 24")
            );
            let s = parse_str(&text, Path::new("s.toml")).unwrap_or_else(|e| panic!("{e}"));
            let written = to_resolved_toml(&s);
            assert!(written.contains("price_usd = 900\nprice_usd_per_core = 125\n"), "{written}");
            let mut again =
                parse_str(&written, Path::new("out/resolved.toml")).unwrap_or_else(|e| panic!("{e}\n{written}"));
            again.source = s.source.clone();
            assert_eq!(again, s, "{written}");
            // Written as given, not as the watts of 24 cores: the same file with other cores re-resolves.
            assert!(!written.contains("idle_w = 39.4"), "{written}");
            let resized = parse_str(&written.replace("cores = 24", "cores = 32"), Path::new("r.toml")).unwrap();
            let (Kind::BareMetal(b), Kind::BareMetal(before)) = (&resized.options[0].kind, &s.options[0].kind) else {
                panic!("not bare metal")
            };
            assert_eq!(b.purchase_usd(), 900.0 + 32.0 * 125.0);
            let (now, then) = (b.power.as_ref().unwrap(), before.power.as_ref().unwrap());
            assert!(now.max_w > then.max_w, "{now:?} {then:?}");
        }
    }
}
