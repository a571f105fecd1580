//! `kind = "paas"`: Heroku-like dynos of a built-in type or given by hand,
//! behind a router (random routing, overhead, timeout, per-dyno backlog),
//! billed per second up to the monthly price (or per pool of dyno-hours,
//! eco), sleeping when idle (eco) and autoscaled on the past hour's p95
//! response time (performance dynos).

use super::iaas;
use super::syntax::{KindSyntax, MAX_SLOTS, Pairs, ReadContext, check_slots};
use crate::catalog::Catalog;
use crate::catalog::dyno::DynoType;
use crate::model::{Dist, Kind, Paas, PaasAutoscaling, Routing, Sleep};
use crate::scenario::error::Diag;
use crate::scenario::reader::{Bounds, Field, Table, join};
use crate::scenario::spec::{Key, Type};
use crate::scenario::suggest::did_you_mean;
use crate::scenario::toml_value::{self, duration, number, string};
use crate::scenario::workload::DURATION_OR_DIST;
use crate::time::SimTime;

/// The keys only a paas option has.
const KEYS: &[Key] = &[
    Key::new(
        "dyno",
        Type::Str,
        "a dyno type (hostsim catalog --kind dyno): gives vcpus, cpu_share, the price and more",
    ),
    Key::new("vcpus", Type::Integer, "vCPUs per dyno").default("from dyno, else required"),
    Key::new("cpu_share", Type::Number, "in (0, 1]: each vCPU runs at this fraction of a reference vCPU")
        .default("from dyno, else 1"),
    Key::new("monthly_usd", Type::Number, "price per dyno per 730 h (with pool_hours: of the pool)")
        .unit("USD")
        .default("from dyno, else required"),
    Key::new("pool_hours", Type::Number, "dyno-hours per 730-hour month shared by all the dynos")
        .unit("h")
        .default("from dyno (eco: 1000), else none"),
    Key::new("dynos", Type::Integer, "dynos at t = 0").default("autoscaling.min, else 1"),
    Key::new("router_overhead", Type::Duration, "added to every response").default("\"1ms\""),
    Key::new("router_timeout", Type::Duration, "slower responses are cut off (H12)").default("\"30s\""),
    Key::new("backlog", Type::Integer, "requests queued per dyno; beyond, the router rejects (H11)").default("50"),
    Key::new("boot", DURATION_OR_DIST, "a new dyno's start time: a duration or a distribution").default("\"10s\""),
    Key::new("sleep_after", Type::Duration, "a dyno idle this long sleeps").default("eco: \"30m\"; others: no sleep"),
    Key::new("wake", Type::Duration, "a sleeping dyno's next request waits this long").default("\"8s\""),
    Key::new("autoscaling", Type::Table(AUTOSCALING_KEYS), "Heroku autoscaling on the p95 response time"),
];

/// What a paas option has instead of other kinds' keys.
const INSTEAD: &[(&str, &str)] = &[
    ("servers", "a paas option has \"dynos\""),
    ("cores", "a paas option has \"vcpus\" (or a \"dyno\" type)"),
    ("price_usd", "dynos are rented: a paas option has \"monthly_usd\" (or a \"dyno\" type)"),
    ("price_usd_per_core", "dynos are rented: a paas option has \"monthly_usd\" (or a \"dyno\" type)"),
    ("lifetime", "dynos are rented, not bought: a paas option has \"monthly_usd\""),
    ("setup_usd", "a paas option has no setup fee"),
    ("colo_usd_per_month", "a paas option's \"monthly_usd\" covers hosting"),
    ("labour_usd_per_month", "a paas option's \"monthly_usd\" is its whole compute cost here"),
    ("power", "a paas option's \"monthly_usd\" includes power"),
    ("failures", "a paas option may have \"outages\" (the whole option down)"),
    ("instances", "a paas option has \"dynos\""),
    ("plan", "a paas option has \"dyno\" (a Heroku dyno type such as \"standard-1x\")"),
    ("hourly_usd", "dynos are priced per month: a paas option has \"monthly_usd\", prorated to the second"),
    ("neighbours", "noisy neighbours are modelled for a vps only"),
    ("instance", "a paas option has \"dyno\" (a Heroku dyno type such as \"standard-1x\")"),
    ("initial", "a paas option has \"dynos\" (the count at t = 0)"),
    ("billing", "dynos are billed per second up to \"monthly_usd\" per 730 h"),
    ("storage", "dynos have no volumes here: the workload's io time applies as it is"),
    ("market", "dynos have no spot market: kind = \"iaas\" (or a hybrid's burst) can run on spot"),
    ("spot_usd_per_hour", "dynos have no spot market: a paas option has \"monthly_usd\""),
    ("interruptions_per_month", "dynos are not interrupted; a paas option may have \"outages\""),
    ("mixed", "dynos have no spot market: kind = \"iaas\" (or a hybrid's burst) can run on spot"),
    ("bandwidth", "dyno prices include data transfer; give egress_usd_per_gb to price it"),
    ("purchase", "dynos have no reserved pricing: a paas option has \"monthly_usd\""),
    ("savings_plan", "savings plans cover EC2 usage: kind = \"iaas\" (or a hybrid's burst)"),
    (
        "load_balancer",
        "a paas option has its own router (router_overhead, router_timeout, backlog), priced in the dynos",
    ),
    ("provider", "\"provider\" chooses AWS Lambda or Google Cloud Run for kind = \"serverless\""),
    ("runtime", "a paas option's start-up time is not a runtime's cold start"),
    ("arch", "a paas option is priced per dyno (dyno or monthly_usd), whatever its architecture"),
    ("memory_mb", "a paas option is sized by \"dyno\" (or \"vcpus\" + \"monthly_usd\"), not memory"),
    ("concurrency", "a paas option serves requests per vCPU or core (\"workers_per_vcpu\")"),
    ("max_instances", "a paas option scales within autoscaling's \"max\""),
    ("provisioned", "a paas option's instances are always warm: nothing to provision"),
    ("min_instances", "a paas option keeps autoscaling's \"min\" (or \"dynos\") running"),
    ("cold_start", "a paas option's new dynos wait \"boot\", sleeping ones \"wake\""),
    ("idle_timeout", "a paas option's instances are not reclaimed when idle (eco dynos sleep after \"sleep_after\")"),
    ("timeout", "the workload's \"timeout\" is when a client gives up (a paas option also has \"router_timeout\")"),
    ("free_tier", "only serverless options have a free tier here"),
    ("gcp_region", "a paas option's \"region\" sets its network RTT"),
];

const AUTOSCALING_KEYS: &[Key] = &[
    Key::new("min", Type::Integer, "fewest dynos").default("1"),
    Key::new("max", Type::Integer, "most dynos").default("required"),
    Key::new("p95_ms", Type::Number, "the p95 response time over the past hour to keep below")
        .unit("ms")
        .default("required"),
];
/// Keys of an iaas `autoscaling` table that Heroku autoscaling does not have.
const IAAS_AUTOSCALING_KEYS: &[&str] =
    &["policy", "metric", "target", "warmup", "schedule", "steps", "below", "remove", "cooldown"];
const AUTOSCALING_EXAMPLE: &str = "autoscaling = { min = 1, max = 10, p95_ms = 400 }";

/// Added to every response by the router: 1 ms.
pub const DEFAULT_ROUTER_OVERHEAD: SimTime = SimTime(1_000);
/// The router cuts off responses slower than this (Heroku H12): 30 s.
pub const DEFAULT_ROUTER_TIMEOUT: SimTime = SimTime::from_secs(30);
/// Requests queued per dyno beyond which the router rejects (Heroku H11).
pub const DEFAULT_BACKLOG: u32 = 50;
/// Time for a new dyno to start serving: 10 s.
pub const DEFAULT_BOOT: Dist = Dist::Constant { value_s: 10.0 };
/// Idle time after which a dyno of a sleeping type (eco) sleeps: 30 min.
pub const DEFAULT_SLEEP_AFTER: SimTime = SimTime::from_secs(1_800);
/// Time a sleeping dyno takes to wake for the next request: 8 s.
pub const DEFAULT_WAKE: SimTime = SimTime::from_secs(8);

/// Reads the paas keys of an option (the common ones are read by `option`).
pub fn read(t: &Table, cx: &ReadContext) -> Result<Paas, Diag> {
    let (workers_per_vcpu, catalog) = (cx.workers_per_vcpu, cx.catalog);
    let dyno = t.get("dyno").map(|f| find_dyno(&f, catalog)).transpose()?;
    let dyno = dyno.as_ref();
    let vcpus = match (dyno, t.get("vcpus")) {
        (Some(d), Some(f)) => {
            let given = f.u32(1)?;
            if given != d.vcpus {
                return Err(f
                    .error(format!(
                        "dyno \"{}\" has {} vCPUs here, not {given}; choose one: dyno or vcpus",
                        d.id, d.vcpus
                    ))
                    .hint("give either dyno = \"...\" (from the catalog) or vcpus + monthly_usd, not both"));
            }
            given
        }
        (Some(d), None) => d.vcpus,
        (None, Some(f)) => f.u32(1)?,
        (None, None) => return Err(without_dyno(t, "vcpus", "vcpus = 1")),
    };
    let cpu_share = match t.get("cpu_share") {
        Some(f) => f
            .number(Bounds::open_closed(0.0, 1.0))
            .map_err(|d| d.hint("a dyno's vCPU gets at most all of a vCPU; for a faster CPU, use cpu_speed"))?,
        None => dyno.map_or(1.0, |d| d.cpu_share),
    };
    let monthly_usd = match (t.get("monthly_usd"), dyno) {
        (Some(f), _) => f.number(Bounds::NONNEG)?,
        (None, Some(d)) => d.monthly_usd,
        (None, None) => return Err(without_dyno(t, "monthly_usd", "monthly_usd = 25")),
    };
    let pool_hours = match t.get("pool_hours") {
        Some(f) => {
            Some(f.number(Bounds::POSITIVE).map_err(|d| d.hint("dyno-hours per 730 h shared by all the dynos"))?)
        }
        None => dyno.and_then(|d| d.pool_hours),
    };
    let autoscaling =
        t.get("autoscaling").map(|f| autoscaling(&f, dyno, catalog, vcpus, workers_per_vcpu)).transpose()?;
    let dynos = dynos(t, autoscaling.as_ref())?;
    let slots = u64::from(dynos) * u64::from(vcpus) * u64::from(workers_per_vcpu);
    if slots > MAX_SLOTS {
        let at = t.get("dynos").or_else(|| t.get("vcpus")).map_or_else(|| t.span.clone(), |f| f.span());
        return Err(Diag::new(
            join(&t.path, "dynos"),
            at,
            format!("dynos × vcpus × workers_per_vcpu = {slots} request slots; at most {MAX_SLOTS} are supported"),
        ));
    }
    Ok(Paas {
        dyno: dyno.map(|d| d.id.to_string()),
        vcpus,
        cpu_share,
        monthly_usd,
        pool_hours,
        dynos,
        router_overhead: t.duration_or("router_overhead", DEFAULT_ROUTER_OVERHEAD)?,
        router_timeout: t.get("router_timeout").map_or(Ok(DEFAULT_ROUTER_TIMEOUT), |f| {
            f.positive_duration().map_err(|d| d.hint("the router cuts off responses slower than this (H12)"))
        })?,
        backlog: t.u32_or("backlog", DEFAULT_BACKLOG, 0)?,
        boot: t.get("boot").map_or(Ok(DEFAULT_BOOT), |f| iaas::boot(&f, cx.source))?,
        sleep: sleep(t, dyno)?,
        autoscaling,
    })
}

/// A catalog dyno type by name (case-insensitive), or an error listing them.
fn find_dyno(f: &Field, catalog: &Catalog) -> Result<DynoType, Diag> {
    let written = f.str()?;
    if let Some(d) = catalog.dyno(written) {
        return Ok(d);
    }
    let dynos = catalog.dynos();
    let names = dynos.iter().map(|d| d.id.as_ref());
    let listed: Vec<String> = dynos
        .iter()
        .map(|d| {
            let cpus = if d.vcpus == 1 { "1 vCPU".to_string() } else { format!("{} vCPUs", d.vcpus) };
            let share =
                if d.cpu_share < 1.0 { format!(" at a {:.0} % share", d.cpu_share * 100.0) } else { String::new() };
            let scales = if d.autoscaling { ", autoscales" } else { "" };
            format!("{} (${}/month, {cpus}{share}, {} GB{scales})", d.id, d.monthly_usd, d.memory_gb)
        })
        .collect();
    let name = written.to_ascii_lowercase();
    Err(f.error(format!("unknown dyno type \"{written}\"{}", did_you_mean(&name, names))).hint(format!(
        "catalog dyno types: {}; or give vcpus and monthly_usd instead of dyno, or add the type under [catalog.dyno]",
        listed.join(", ")
    )))
}

/// The error for a key that is required when there is no `dyno`.
fn without_dyno(t: &Table, key: &str, example: &str) -> Diag {
    Diag::new(
        join(&t.path, key),
        t.span.clone(),
        "required key is missing; without a dyno type, a paas option needs vcpus and monthly_usd",
    )
    .label(format!("this table needs \"{key}\" or \"dyno\""))
    .hint(format!("add a line like: {example}; or use a catalog type such as dyno = \"standard-1x\""))
}

/// `autoscaling = { min, max, p95_ms }`, on dyno types that allow it (or dynos given by hand).
fn autoscaling(
    f: &Field,
    dyno: Option<&DynoType>,
    catalog: &Catalog,
    vcpus: u32,
    workers_per_vcpu: u32,
) -> Result<PaasAutoscaling, Diag> {
    if let Some(d) = dyno.filter(|d| !d.autoscaling) {
        let allowed: Vec<String> = catalog.dynos().into_iter().filter(|d| d.autoscaling).map(|d| d.id.into()).collect();
        return Err(f
            .error(format!("{} dynos cannot autoscale; autoscaling needs {}", d.id, allowed.join(" or ")))
            .hint(
                "Heroku autoscales performance dynos only: change the dyno type, or remove autoscaling and set dynos",
            ));
    }
    let probe = Table::any(f.path(), f.node).map_err(|d| d.hint(format!("for example: {AUTOSCALING_EXAMPLE}")))?;
    if let Some((key, _)) = probe.entries().find(|(k, _)| IAAS_AUTOSCALING_KEYS.contains(&k.name.as_str())) {
        return Err(Diag::new(
            join(&probe.path, &key.name),
            key.span.clone(),
            format!("\"{}\" is a key of iaas autoscaling; paas autoscaling has only min, max and p95_ms", key.name),
        )
        .hint("Heroku scales one dyno at a time on the past hour's p95 response time against p95_ms"));
    }
    let t = f.table(AUTOSCALING_KEYS)?;
    let min = t.u32_or("min", 1, 1)?;
    let max_field = t.require("max", "max = 10")?;
    let max = max_field.u32(1)?;
    if max < min {
        return Err(max_field
            .error(format!("max ({max}) must be at least min ({min})"))
            .hint("the dynos scale within [min, max]"));
    }
    check_slots(&max_field, "max × vcpus × workers_per_vcpu", max, vcpus, workers_per_vcpu)?;
    let p95_ms = t
        .require("p95_ms", "p95_ms = 400")?
        .number(Bounds::POSITIVE)
        .map_err(|d| d.hint("p95_ms is the target 95th-percentile response time in milliseconds"))?;
    Ok(PaasAutoscaling { min, max, p95_ms })
}

/// `dynos`: the fixed count without autoscaling (default 1), else within
/// [min, max] (default min).
fn dynos(t: &Table, scaling: Option<&PaasAutoscaling>) -> Result<u32, Diag> {
    let field = t.get("dynos");
    let Some(a) = scaling else { return field.map_or(Ok(1), |f| f.u32(1)) };
    let Some(f) = field else { return Ok(a.min) };
    let n = f.u32(1)?;
    if n < a.min || n > a.max {
        return Err(f
            .error(format!("dynos ({n}) must lie in [min, max] = [{}, {}] of autoscaling", a.min, a.max))
            .hint("dynos is the number of dynos at t = 0; leave it out to start at min"));
    }
    Ok(n)
}

/// `sleep_after` + `wake`: eco dynos sleep by default, others only if `sleep_after` is given.
fn sleep(t: &Table, dyno: Option<&DynoType>) -> Result<Option<Sleep>, Diag> {
    let wake = t.get("wake");
    let after = match (t.get("sleep_after"), dyno) {
        (Some(f), _) => f.positive_duration().map_err(|d| d.hint("dynos sleep after this long without a request"))?,
        (None, Some(d)) if d.sleeps => DEFAULT_SLEEP_AFTER,
        (None, _) => {
            let Some(w) = wake else { return Ok(None) };
            let which = dyno.map_or_else(|| "these".to_string(), |d| d.id.to_string());
            return Err(w
                .error(format!("{which} dynos never sleep unless sleep_after is given, so wake has no effect"))
                .hint("add sleep_after = \"30m\" (idle time before a dyno sleeps), or remove wake"));
        }
    };
    let wake = wake.map_or(Ok(DEFAULT_WAKE), |f| f.duration())?;
    Ok(Some(Sleep { after, wake }))
}

/// `kind = "paas"` in the registry of kinds.
pub struct Syntax;

impl KindSyntax for Syntax {
    fn name(&self) -> &'static str {
        "paas"
    }

    fn keys(&self) -> &'static [Key] {
        KEYS
    }

    fn instead(&self) -> &'static [(&'static str, &'static str)] {
        INSTEAD
    }

    fn read(&self, t: &Table, cx: &ReadContext) -> Result<Kind, Diag> {
        Ok(Kind::Paas(read(t, cx)?))
    }

    fn write(&self, kind: &Kind) -> Option<Pairs> {
        let Kind::Paas(d) = kind else { return None };
        Some(pairs(d))
    }

    // Heroku's router sends each request to a random dyno.
    fn default_routing(&self) -> Routing {
        Routing::Random
    }

    fn max_queue(&self, f: &Field) -> Result<u32, Diag> {
        Err(f.error("a paas option limits its queues with \"backlog\" (requests queued per dyno), not max_queue").hint(
            "write backlog = N instead (default 50, like Heroku's router: beyond it, requests are rejected, H11)",
        ))
    }
}

/// The keys of a paas option, named as in DESIGN §2 and §3.4 and read back
/// by `read` (`sleep_after` and `wake` only when the dynos sleep).
fn pairs(d: &Paas) -> Pairs {
    let mut p = Pairs::new();
    if let Some(dyno) = &d.dyno {
        p.push(("dyno", string(dyno)));
    }
    p.push(("vcpus", d.vcpus.to_string()));
    p.push(("cpu_share", number(d.cpu_share)));
    p.push(("monthly_usd", number(d.monthly_usd)));
    if let Some(hours) = d.pool_hours {
        p.push(("pool_hours", number(hours)));
    }
    p.push(("dynos", d.dynos.to_string()));
    p.push(("router_overhead", duration(d.router_overhead)));
    p.push(("router_timeout", duration(d.router_timeout)));
    p.push(("backlog", d.backlog.to_string()));
    p.push(("boot", toml_value::duration_or_dist(&d.boot)));
    if let Some(sleep) = &d.sleep {
        p.push(("sleep_after", duration(sleep.after)));
        p.push(("wake", duration(sleep.wake)));
    }
    if let Some(a) = &d.autoscaling {
        let p95 = number(a.p95_ms);
        p.push(("autoscaling", format!("{{ min = {}, max = {}, p95_ms = {p95} }}", a.min, a.max)));
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::test_option::parse_option;

    const OPTION: &str = "name = \"web\"\nkind = \"paas\"\nregion = \"washington\"\n";

    fn parse_paas(keys: &str) -> Result<(Routing, Option<u32>, Paas), String> {
        let o = parse_option(&format!("{OPTION}{keys}"))?;
        match o.kind {
            Kind::Paas(p) => Ok((o.routing, o.max_queue, p)),
            other => Err(format!("not paas: {other:?}")),
        }
    }

    fn parse(keys: &str) -> Result<Paas, String> {
        parse_paas(keys).map(|(_, _, p)| p)
    }

    #[test]
    fn a_catalog_dyno_with_every_default() {
        let (routing, max_queue, p) = parse_paas("dyno = \"standard-1x\"").unwrap();
        let expected = Paas {
            dyno: Some("standard-1x".into()),
            vcpus: 1,
            // Compute 1x–4x, midpoint 2.5x, at 6x per vCPU (performance-m: 12x on 2).
            cpu_share: 2.5 / 6.0,
            monthly_usd: 25.0,
            pool_hours: None,
            dynos: 1,
            router_overhead: SimTime(1_000),
            router_timeout: SimTime::from_secs(30),
            backlog: 50,
            boot: Dist::Constant { value_s: 10.0 },
            sleep: None,
            autoscaling: None,
        };
        assert_eq!((routing, max_queue, p), (Routing::Random, None, expected));
        let p = parse("dyno = \"Performance-L\"\ndynos = 3").unwrap();
        assert_eq!((p.dyno.as_deref(), p.vcpus, p.monthly_usd, p.dynos), (Some("performance-l"), 8, 500.0, 3));
        assert_eq!(p.cpu_share, 1.0);
        let (routing, _, _) = parse_paas("dyno = \"basic\"\nrouting = \"shared_queue\"").unwrap();
        assert_eq!(routing, Routing::SharedQueue);
    }

    #[test]
    fn by_hand_and_overrides() {
        let p = parse("vcpus = 4\nmonthly_usd = 100").unwrap();
        assert_eq!((p.dyno, p.vcpus, p.cpu_share, p.monthly_usd, p.dynos, p.sleep), (None, 4, 1.0, 100.0, 1, None));
        let p = parse("dyno = \"basic\"\ncpu_share = 0.5").unwrap();
        assert_eq!((p.cpu_share, p.monthly_usd), (0.5, 7.0));
        assert!(parse("vcpus = 1\nmonthly_usd = 5\ncpu_share = 1.5").unwrap_err().contains("cpu_speed"));
        // A catalog type at another price; its own vCPUs may be repeated (as resolved.toml does).
        let p = parse("dyno = \"standard-2x\"\nvcpus = 1\nmonthly_usd = 45").unwrap();
        assert_eq!((p.vcpus, p.monthly_usd), (1, 45.0));
        assert_eq!(parse("vcpus = 1\nmonthly_usd = 0").unwrap().monthly_usd, 0.0);
        // A pool of dyno-hours from the type (eco), changed, or given by hand.
        assert_eq!(parse("dyno = \"eco\"").unwrap().pool_hours, Some(1_000.0));
        assert_eq!(parse("dyno = \"eco\"\npool_hours = 550").unwrap().pool_hours, Some(550.0));
        assert_eq!(parse("vcpus = 1\nmonthly_usd = 9\npool_hours = 100").unwrap().pool_hours, Some(100.0));
        assert!(parse("dyno = \"eco\"\npool_hours = 0").unwrap_err().contains("dyno-hours per 730 h"));
    }

    #[test]
    fn router_boot_and_backlog() {
        let keys = "dyno = \"basic\"\nrouter_overhead = \"0s\"\nrouter_timeout = \"55s\"\nbacklog = 0\nboot = \"0s\"";
        let p = parse(keys).unwrap();
        assert_eq!((p.router_overhead, p.router_timeout, p.backlog), (SimTime::ZERO, SimTime::from_secs(55), 0));
        assert_eq!(p.boot, Dist::Constant { value_s: 0.0 });
        let p = parse("dyno = \"basic\"\nboot = { dist = \"lognormal\", mean = \"12s\", cv = 0.5 }").unwrap();
        assert_eq!(p.boot, Dist::Lognormal { mean_s: 12.0, cv: 0.5 });
    }

    #[test]
    fn eco_dynos_sleep_and_others_only_when_asked() {
        let thirty_minutes = Some(Sleep { after: SimTime::from_secs(1_800), wake: SimTime::from_secs(8) });
        assert_eq!(parse("dyno = \"eco\"").unwrap().sleep, thirty_minutes);
        let p = parse("dyno = \"ECO\"\nsleep_after = \"1h\"\nwake = \"5s\"").unwrap();
        assert_eq!(p.sleep, Some(Sleep { after: SimTime::HOUR, wake: SimTime::from_secs(5) }));
        assert_eq!(parse("dyno = \"eco\"\nwake = \"0s\"").unwrap().sleep.map(|s| s.wake), Some(SimTime::ZERO));
        assert_eq!(parse("dyno = \"basic\"").unwrap().sleep, None);
        let p = parse("dyno = \"basic\"\nsleep_after = \"10m\"").unwrap();
        assert_eq!(p.sleep, Some(Sleep { after: SimTime::from_secs(600), wake: SimTime::from_secs(8) }));
        let p = parse("vcpus = 1\nmonthly_usd = 0\nsleep_after = \"30m\"\nwake = \"20s\"").unwrap();
        assert_eq!(p.sleep.map(|s| s.wake), Some(SimTime::from_secs(20)));
    }

    #[test]
    fn autoscaling_with_defaults() {
        let p = parse("dyno = \"performance-m\"\nautoscaling = { max = 10, p95_ms = 400 }").unwrap();
        assert_eq!((p.dynos, p.autoscaling), (1, Some(PaasAutoscaling { min: 1, max: 10, p95_ms: 400.0 })));
        let p = parse("dyno = \"performance-l\"\nautoscaling = { min = 2, max = 5, p95_ms = 250.5 }").unwrap();
        assert_eq!((p.dynos, p.autoscaling), (2, Some(PaasAutoscaling { min: 2, max: 5, p95_ms: 250.5 })));
        let p = parse("dyno = \"performance-m\"\ndynos = 5\nautoscaling = { min = 2, max = 5, p95_ms = 300 }").unwrap();
        assert_eq!(p.dynos, 5);
        // By hand, autoscaling is allowed.
        let p = parse("vcpus = 2\nmonthly_usd = 200\nautoscaling = { min = 3, max = 3, p95_ms = 1 }").unwrap();
        assert_eq!((p.dynos, p.autoscaling.map(|a| a.min)), (3, Some(3)));
    }
}
