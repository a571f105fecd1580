//! `kind = "vps"`: rented virtual servers from a catalog plan or given by
//! hand, billed per started hour up to a monthly cap, with noisy neighbours.

use super::syntax::{KindSyntax, Pairs, ReadContext, check_slots};
use crate::catalog::Catalog;
use crate::catalog::vps::VpsPlan;
use crate::model::{Kind, Neighbours, Vps};
use crate::scenario::error::Diag;
use crate::scenario::node::compact;
use crate::scenario::reader::{Bounds, Field, MIN_EVENT_INTERVAL, Table, join};
use crate::scenario::spec::{Key, Type};
use crate::scenario::suggest::did_you_mean;
use crate::scenario::toml_value::{duration, number, string};
use crate::time::SimTime;

/// The keys only a VPS option has.
const KEYS: &[Key] = &[
    Key::new("instances", Type::Integer, "fixed number of VPSs").default("required (or regions)"),
    Key::new("plan", Type::Str, "a catalog plan (hostsim catalog --kind vps), giving vcpus and prices"),
    Key::new("vcpus", Type::Integer, "vCPUs per instance").default("from plan, else required"),
    Key::new("monthly_usd", Type::Number, "monthly cap per instance").unit("USD").default("from plan, else required"),
    Key::new("hourly_usd", Type::Number, "price per started hour")
        .unit("USD")
        .default("the plan's, else monthly_usd / 730"),
    Key::new("neighbours", Type::Table(NEIGHBOUR_KEYS), "the other VMs on each VPS's physical host"),
];

/// What a vps has instead of other kinds' keys.
const INSTEAD: &[(&str, &str)] = &[
    ("servers", "a vps has \"instances\""),
    ("cores", "a vps has \"vcpus\""),
    ("price_usd", "a vps has \"monthly_usd\" (or a \"plan\")"),
    ("price_usd_per_core", "a vps has \"monthly_usd\" (or a \"plan\")"),
    ("lifetime", "a vps is rented, not bought: it has \"monthly_usd\""),
    ("setup_usd", "a vps has no setup fee"),
    ("colo_usd_per_month", "a vps's \"monthly_usd\" covers hosting"),
    ("labour_usd_per_month", "a vps's \"monthly_usd\" is its whole cost here"),
    ("power", "a vps's \"monthly_usd\" includes power"),
    ("failures", "a vps may have \"outages\" (the whole option down)"),
    ("instance", "a vps has \"plan\""),
    ("initial", "a vps has \"instances\" (a fixed fleet)"),
    ("boot", "a vps fleet is fixed during a run: nothing boots"),
    ("billing", "a vps is billed per started hour up to \"monthly_usd\""),
    ("storage", "a vps's storage slows down with \"neighbours\" (io_slowdown)"),
    (
        "load_balancer",
        "an AWS load balancer fronts EC2 instances; a VPS provider's balancer is not priced here: add its price to monthly_usd",
    ),
    ("autoscaling", "a vps fleet is fixed; kind = \"iaas\", \"paas\" or \"hybrid\" scales"),
    (
        "purchase",
        "a vps plan's \"monthly_usd\" is already its committed price; reserved instances are for kind = \"iaas\"",
    ),
    ("savings_plan", "savings plans cover EC2 usage: kind = \"iaas\" (or a hybrid's burst)"),
    ("dyno", "a vps has \"plan\""),
    ("dynos", "a vps has \"instances\""),
    ("router_overhead", "only a paas option has a platform router"),
    ("router_timeout", "the client's timeout ([workload] timeout) applies"),
    ("backlog", "a vps may have \"max_queue\""),
    ("sleep_after", "a vps never sleeps"),
    ("wake", "a vps never sleeps"),
    ("cpu_share", "a vps's CPU share varies with its \"neighbours\" (steal); use cpu_speed for its speed"),
    ("pool_hours", "a vps is billed per started hour up to \"monthly_usd\", with no pool of hours"),
    ("market", "a vps is rented at its plan's price: kind = \"iaas\" can run on spot"),
    ("spot_usd_per_hour", "a vps is rented at its plan's price: kind = \"iaas\" can run on spot"),
    ("interruptions_per_month", "a vps is not interrupted; it may have \"outages\""),
    ("mixed", "a vps fleet is fixed and on demand: kind = \"iaas\" can run on spot"),
    ("bandwidth", "a vps plan's transfer allowance applies, with its overage; or give egress_usd_per_gb"),
    ("provider", "\"provider\" chooses AWS Lambda or Google Cloud Run for kind = \"serverless\""),
    ("runtime", "a vps option's start-up time is not a runtime's cold start"),
    ("arch", "a vps option is priced per instance (monthly_usd), whatever its architecture"),
    ("memory_mb", "a vps option is sized by \"plan\" (or \"vcpus\" + \"monthly_usd\"), not memory"),
    ("concurrency", "a vps option serves requests per vCPU or core (\"workers_per_vcpu\")"),
    ("max_instances", "a vps option has a fixed number of \"instances\""),
    ("provisioned", "a vps option's instances are always warm: nothing to provision"),
    ("min_instances", "a vps option has a fixed number of \"instances\""),
    ("cold_start", "a vps option's instances are always on"),
    ("idle_timeout", "a vps option's instances are not reclaimed when idle"),
    ("timeout", "the workload's \"timeout\" is when a client gives up"),
    ("free_tier", "only serverless options have a free tier here"),
    ("gcp_region", "a vps option's \"region\" sets its network RTT and where its prices come from"),
];

const NEIGHBOUR_KEYS: &[Key] = &[
    Key::new("host_cores", Type::Integer, "cores of the physical host").default("required"),
    Key::new("count", Type::Integer, "neighbour VMs on the host").default("required"),
    Key::new("vcpus", Type::Integer, "vCPUs of each neighbour").default("2"),
    Key::new("utilization", Type::Number, "in [0, 1]: how busy each neighbour is on average").default("required"),
    Key::new("period", Type::Duration, "mean time between one neighbour's state draws (at least \"1s\")")
        .default("\"10m\""),
    Key::new("io_slowdown", Type::Number, "storage time × this when every neighbour is busy (>= 1)").default("1"),
];

/// Default vCPUs of each neighbour VM.
pub const DEFAULT_NEIGHBOUR_VCPUS: u32 = 2;
/// Default mean time between a neighbour's busy/idle draws: 10 minutes.
pub const DEFAULT_NEIGHBOUR_PERIOD: SimTime = SimTime(600 * SimTime::MICROS_PER_SEC);
/// Default storage slowdown when every neighbour is busy: none.
pub const DEFAULT_IO_SLOWDOWN: f64 = 1.0;
/// Most cores of one physical host, and most neighbour vCPUs on it
/// (`count × vcpus`): far beyond any real host, small enough for any sum.
pub const MAX_HOST_VCPUS: u64 = 1_000_000;

/// Reads the VPS keys of an option (the common ones are read by `option`);
/// `plan` is looked up in `catalog` (user entries first, then the built-ins).
pub fn read(t: &Table, cx: &ReadContext) -> Result<Vps, Diag> {
    let (workers_per_vcpu, catalog) = (cx.workers_per_vcpu, cx.catalog);
    let instances_field = cx.fleet_field(t, "instances", "instances = 3")?;
    let instances = instances_field.u32(1)?;
    let plan = t.get("plan").map(|f| find_plan(&f, catalog)).transpose()?;
    let plan = plan.as_ref();
    let vcpus = match (plan, t.get("vcpus")) {
        (Some(p), Some(f)) => {
            let vcpus = f.u32(1)?;
            if vcpus != p.vcpus {
                return Err(f
                    .error(format!("plan \"{}\" has {} vCPUs, not {vcpus}; choose one: plan or vcpus", p.id, p.vcpus))
                    .hint("give either plan = \"...\" (from the catalog) or vcpus + monthly_usd, not both"));
            }
            vcpus
        }
        (Some(p), None) => p.vcpus,
        (None, Some(f)) => f.u32(1)?,
        (None, None) => return Err(without_plan(t, "vcpus", "vcpus = 2")),
    };
    check_slots(&instances_field, "instances × vcpus × workers_per_vcpu", instances, vcpus, workers_per_vcpu)?;
    let monthly_field = t.get("monthly_usd");
    let monthly_usd = match (&monthly_field, plan) {
        (Some(f), _) => f.number(Bounds::POSITIVE)?,
        (None, Some(p)) => p.monthly_usd,
        (None, None) => return Err(without_plan(t, "monthly_usd", "monthly_usd = 24")),
    };
    let hourly_usd = match t.get("hourly_usd") {
        Some(f) => {
            let hourly = f.number(Bounds::POSITIVE)?;
            if hourly > monthly_usd {
                return Err(f
                    .error(format!(
                        "hourly_usd ({}) must not exceed monthly_usd ({})",
                        compact(hourly),
                        compact(monthly_usd)
                    ))
                    .hint("billing is per started hour, capped at monthly_usd per instance per 730 h"));
            }
            hourly
        }
        None => {
            let hourly = plan.map_or(monthly_usd / crate::time::HOURS_PER_MONTH as f64, |p| p.hourly_usd);
            if hourly > monthly_usd || hourly <= 0.0 {
                let at = monthly_field.as_ref().map_or_else(|| t.span.clone(), Field::span);
                return Err(Diag::new(
                    format!("{}.hourly_usd", t.path),
                    at,
                    format!(
                        "the default hourly_usd ({}) is not in (0, monthly_usd = {}]",
                        compact(hourly),
                        compact(monthly_usd)
                    ),
                )
                .hint("give hourly_usd explicitly"));
            }
            hourly
        }
    };
    Ok(Vps {
        instances,
        vcpus,
        monthly_usd,
        hourly_usd,
        plan: plan.map(|p| p.id.to_string()),
        neighbours: t.get("neighbours").map(|f| neighbours(&f, vcpus)).transpose()?,
    })
}

/// A catalog plan by id (case-insensitive), or an error listing the plans.
fn find_plan(f: &Field, catalog: &Catalog) -> Result<VpsPlan, Diag> {
    let id = f.str()?;
    catalog.vps_plan(id).ok_or_else(|| {
        let plans = catalog.vps_plans();
        let ids: Vec<&str> = plans.iter().map(|p| p.id.as_ref()).collect();
        let otherwise = "or give vcpus and monthly_usd instead of plan, or add the plan under [catalog.vps]";
        // A size in the name ("linode-16gb") is what the user wants; a near spelling ("linode-1gb") is not.
        match nearest_by_memory(id, &plans) {
            Some(nearest) => f
                .error(format!("unknown plan \"{id}\"; the nearest plans by memory: {nearest}"))
                .hint(format!("catalog plans: {}; {otherwise}", ids.join(", "))),
            None => f
                .error(format!("unknown plan \"{id}\"{}", did_you_mean(id, ids.iter().copied())))
                .hint(format!("catalog plans: {}; {otherwise}", ids.join(", "))),
        }
    })
}

/// Plans shown as the nearest by memory.
const NEAREST_PLANS: usize = 3;

/// The plans nearest in memory (ratio) to the size in `id` ("16gb", "512mb"),
/// the same provider's (the name before the first "-") if it has any:
/// `linode-8gb (8 GB, 4 vCPUs, $48/month), …`. `None` if `id` names no size.
fn nearest_by_memory(id: &str, plans: &[VpsPlan]) -> Option<String> {
    let lower = id.to_lowercase();
    let size_gb = ["gb", "mb"].iter().find_map(|unit| {
        let at = lower.find(unit)?;
        let digits: String = lower[..at]
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let x: f64 = digits.parse().ok().filter(|x: &f64| *x > 0.0)?;
        Some(if *unit == "mb" { x / 1024.0 } else { x })
    })?;
    let provider = lower.split('-').next().unwrap_or_default();
    let same: Vec<&VpsPlan> = plans.iter().filter(|p| p.id.split('-').next() == Some(provider)).collect();
    let mut pool: Vec<&VpsPlan> = if same.is_empty() { plans.iter().collect() } else { same };
    pool.sort_by(|a, b| {
        let distance = |p: &VpsPlan| (p.memory_gb / size_gb).ln().abs();
        distance(a).total_cmp(&distance(b)).then(a.memory_gb.total_cmp(&b.memory_gb))
    });
    let shown: Vec<String> = pool
        .iter()
        .take(NEAREST_PLANS)
        .map(|p| format!("{} ({} GB, {} vCPUs, ${}/month)", p.id, p.memory_gb, p.vcpus, p.monthly_usd))
        .collect();
    (!shown.is_empty()).then(|| shown.join(", "))
}

/// The error for a key that is required when there is no `plan`.
fn without_plan(t: &Table, key: &str, example: &str) -> Diag {
    Diag::new(
        join(&t.path, key),
        t.span.clone(),
        "required key is missing; without a plan, a vps needs vcpus and monthly_usd",
    )
    .label(format!("this table needs \"{key}\" or \"plan\""))
    .hint(format!("add a line like: {example}; or use a catalog plan such as plan = \"linode-4gb\""))
}

/// `neighbours = { host_cores, count, vcpus, utilization, period, io_slowdown }`.
fn neighbours(f: &Field, vps_vcpus: u32) -> Result<Neighbours, Diag> {
    let n = f.table(NEIGHBOUR_KEYS)?;
    let host_field = n.require("host_cores", "host_cores = 32")?;
    let host_cores = host_field.u32(1)?;
    if host_cores < vps_vcpus {
        return Err(host_field
            .error(format!("the host has {host_cores} cores, fewer than this VPS's {vps_vcpus} vCPUs"))
            .hint("host_cores counts the cores of the physical host; it must be at least the VPS's vcpus"));
    }
    if u64::from(host_cores) > MAX_HOST_VCPUS {
        return Err(host_field.error(format!("at most {MAX_HOST_VCPUS} host cores are supported")));
    }
    let count_field = n.require("count", "count = 20")?;
    let count = count_field.u32(0)?;
    let vcpus = n.u32_or("vcpus", DEFAULT_NEIGHBOUR_VCPUS, 1)?;
    let total = u64::from(count) * u64::from(vcpus);
    if total > MAX_HOST_VCPUS {
        return Err(count_field.error(format!(
            "count × vcpus = {total} neighbour vCPUs on one host; at most {MAX_HOST_VCPUS} are supported"
        )));
    }
    let utilization = n.require("utilization", "utilization = 0.4")?.number(Bounds::FRACTION)?;
    let period = match n.get("period") {
        Some(f) => f
            .duration_at_least(MIN_EVENT_INTERVAL)
            .map_err(|d| d.hint("period is the mean time between one neighbour's state draws, e.g. \"10m\""))?,
        None => DEFAULT_NEIGHBOUR_PERIOD,
    };
    let io_slowdown = match n.get("io_slowdown") {
        Some(f) => f.number(Bounds::at_least(1.0)).map_err(|d| {
            d.hint("io_slowdown multiplies storage time when every neighbour is busy; 1 means no slowdown")
        })?,
        None => DEFAULT_IO_SLOWDOWN,
    };
    Ok(Neighbours { host_cores, count, vcpus, utilization, period, io_slowdown })
}

/// `kind = "vps"` in the registry of kinds.
pub struct Syntax;

impl KindSyntax for Syntax {
    fn name(&self) -> &'static str {
        "vps"
    }

    fn keys(&self) -> &'static [Key] {
        KEYS
    }

    fn instead(&self) -> &'static [(&'static str, &'static str)] {
        INSTEAD
    }

    fn read(&self, t: &Table, cx: &ReadContext) -> Result<Kind, Diag> {
        Ok(Kind::Vps(read(t, cx)?))
    }

    fn write(&self, kind: &Kind) -> Option<Pairs> {
        let Kind::Vps(v) = kind else { return None };
        let mut p = Pairs::new();
        p.push(("instances", v.instances.to_string()));
        if let Some(plan) = &v.plan {
            p.push(("plan", string(plan)));
        }
        p.push(("vcpus", v.vcpus.to_string()));
        p.push(("monthly_usd", number(v.monthly_usd)));
        p.push(("hourly_usd", number(v.hourly_usd)));
        if let Some(n) = &v.neighbours {
            p.push((
                "neighbours",
                format!(
                    "{{ host_cores = {}, count = {}, vcpus = {}, utilization = {}, period = {}, io_slowdown = {} }}",
                    n.host_cores,
                    n.count,
                    n.vcpus,
                    number(n.utilization),
                    duration(n.period),
                    number(n.io_slowdown)
                ),
            ));
        }
        Some(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::test_option::parse_option;

    const OPTION: &str = "name = \"web\"\nkind = \"vps\"\nregion = \"london\"\n";

    fn parse(keys: &str) -> Result<Vps, String> {
        match parse_option(&format!("{OPTION}{keys}"))?.kind {
            Kind::Vps(v) => Ok(v),
            other => Err(format!("not a vps: {other:?}")),
        }
    }

    #[test]
    fn by_hand_with_defaults() {
        let v = parse("instances = 2\nvcpus = 4\nmonthly_usd = 73").unwrap();
        assert_eq!(v, Vps { instances: 2, vcpus: 4, monthly_usd: 73.0, hourly_usd: 0.1, plan: None, neighbours: None });
        let v = parse("instances = 1\nvcpus = 1\nmonthly_usd = 10\nhourly_usd = 0.02").unwrap();
        assert_eq!(v.hourly_usd, 0.02);
    }

    #[test]
    fn from_a_plan() {
        let v = parse("instances = 3\nplan = \"Linode-8GB\"").unwrap();
        assert_eq!((v.plan.as_deref(), v.vcpus, v.monthly_usd, v.hourly_usd), (Some("linode-8gb"), 4, 48.0, 0.072));
        // What resolved.toml writes back: the plan's own vcpus and explicit prices are accepted.
        let v = parse("instances = 3\nplan = \"linode-8gb\"\nvcpus = 4\nmonthly_usd = 40\nhourly_usd = 0.05").unwrap();
        assert_eq!((v.vcpus, v.monthly_usd, v.hourly_usd), (4, 40.0, 0.05));
    }

    #[test]
    fn neighbours_with_defaults() {
        let v =
            parse("instances = 1\nplan = \"linode-4gb\"\nneighbours = { host_cores = 2, count = 0, utilization = 0 }")
                .unwrap();
        let expected = Neighbours {
            host_cores: 2,
            count: 0,
            vcpus: DEFAULT_NEIGHBOUR_VCPUS,
            utilization: 0.0,
            period: SimTime::from_secs(600),
            io_slowdown: 1.0,
        };
        assert_eq!(v.neighbours, Some(expected));
        let full = "neighbours = { host_cores = 64, count = 30, vcpus = 1, utilization = 1, period = \"1h\", \
                    io_slowdown = 2.5 }";
        let n = parse(&format!("instances = 1\nplan = \"linode-4gb\"\n{full}")).unwrap().neighbours.unwrap();
        assert_eq!((n.host_cores, n.count, n.vcpus, n.utilization), (64, 30, 1, 1.0));
        assert_eq!((n.period, n.io_slowdown), (SimTime::HOUR, 2.5));
    }

    #[test]
    fn mistakes() {
        let plan = "instances = 1\nplan = \"linode-4gb\"\n";
        let nb = |rest: &str| format!("{plan}neighbours = {{ host_cores = 8, count = 4{rest} }}");
        let cases = [
            ("plan = \"linode-4gb\"".to_string(), "option \"web\".instances: required key is missing"),
            ("instances = 0\nplan = \"linode-4gb\"".into(), "instances: expected a positive integer, got 0"),
            ("instances = 1\nplan = \"linode-4g\"".into(), "unknown plan \"linode-4g\", did you mean \"linode-4gb\"?"),
            // A size in the name: the plans nearest by memory (Linode's own, ratio 16/8 = 2 first), not "linode-1gb".
            (
                "instances = 1\nplan = \"linode-16gb\"".into(),
                "unknown plan \"linode-16gb\"; the nearest plans by memory: linode-8gb (8 GB, 4 vCPUs, $48/month), \
                 linode-4gb (4 GB, 2 vCPUs, $24/month)",
            ),
            ("instances = 1\nplan = \"do-512mb\"".into(), "the nearest plans by memory: do-s-1vcpu-512mb (0.5 GB"),
            ("instances = 1\nplan = \"hetzner\"".into(), "catalog plans: linode-1gb, linode-2gb"),
            ("instances = 1\nplan = 4".into(), "plan: expected a string"),
            (format!("{plan}vcpus = 8"), "plan \"linode-4gb\" has 2 vCPUs, not 8; choose one: plan or vcpus"),
            ("instances = 1\nmonthly_usd = 5".into(), "vcpus: required key is missing; without a plan"),
            ("instances = 1\nvcpus = 1".into(), "monthly_usd: required key is missing; without a plan"),
            ("instances = 1\nvcpus = 1\nmonthly_usd = 0".into(), "monthly_usd: expected a number > 0, got 0"),
            (format!("{plan}hourly_usd = 30"), "hourly_usd (30) must not exceed monthly_usd (24)"),
            (format!("{plan}hourly_usd = 0"), "hourly_usd: expected a number > 0"),
            (format!("{plan}monthly_usd = 0.01"), "the default hourly_usd (0.036) is not in (0, monthly_usd = 0.01]"),
            (
                "instances = 5000000\nvcpus = 4\nmonthly_usd = 5".into(),
                "instances × vcpus × workers_per_vcpu = 20000000",
            ),
            (
                format!("{plan}neighbours = {{ host_cores = 1, count = 4, utilization = 0.5 }}"),
                "fewer than this VPS's 2",
            ),
            (nb(""), "neighbours.utilization: required key is missing"),
            (nb(", utilization = 1.5"), "neighbours.utilization: expected a number in [0, 1], got 1.5"),
            (nb(", utilization = 0.5, io_slowdown = 0.5"), "io_slowdown: expected a number >= 1, got 0.5"),
            (nb(", utilization = 0.5, period = \"0s\""), "neighbours.period: must be longer than 0s"),
            (nb(", utilization = 0.5, period = \"1us\""), "neighbours.period: 1us is shorter than the minimum of 1s"),
            (nb(", utilization = 0.5, vcpus = 0"), "neighbours.vcpus: expected a positive integer, got 0"),
            (nb(", utilization = 0.5, vcpus = 4000000"), "count × vcpus = 16000000 neighbour vCPUs"),
            (format!("{plan}neighbours = {{ count = 4, utilization = 0.5 }}"), "neighbours.host_cores: required key"),
            (
                format!("{plan}neighbours = {{ host_cores = 8, count = -1, utilization = 0.5 }}"),
                "neighbours.count: expected an integer >= 0, got -1",
            ),
            (format!("{plan}neighbours = {{ host_cores = 8, cont = 1 }}"), "did you mean \"count\"?"),
            (
                format!("{plan}servers = 2"),
                "option \"web\".servers: \"servers\" is a bare_metal key; a vps has \"instances\"",
            ),
            (format!("{plan}cores = 2"), "\"cores\" is a bare_metal key; a vps has \"vcpus\""),
            (format!("{plan}failures = {{ mtbf = \"1y\", repair = \"1h\" }}"), "a vps may have \"outages\""),
            (format!("{plan}instnces = 2"), "unknown key \"instnces\", did you mean \"instances\"?"),
        ];
        for (keys, fragment) in cases {
            let err = parse(&keys).unwrap_err();
            assert!(err.contains(fragment), "expected {fragment:?} in:\n{err}");
        }
    }
}
