//! `kind = "iaas"`: cloud instances of a catalog type or given by hand, booting
//! before they serve, billed from launch to termination, on local, network or
//! EBS storage (see `storage`), optionally autoscaled (see `autoscaling`),
//! optionally behind a load balancer (see `load_balancer`), on demand or on spot.

use std::path::Path;

use super::commitment::{self, Lookup};
use super::syntax::{KindSyntax, Pairs, ReadContext, check_slots};
use super::{autoscaling, load_balancer, storage};
use crate::catalog::spot as spot_table;
use crate::model::{Autoscaling, Billing, Dist, Iaas, Kind, Mixed, Spot};
use crate::scenario::aws_region;
use crate::scenario::error::Diag;
use crate::scenario::node::Value;
use crate::scenario::reader::{Bounds, Field, Table, join};
use crate::scenario::spec::{Key, Type};
use crate::scenario::suggest::did_you_mean;
use crate::scenario::toml_value::{self, duration, inline, number, string};
use crate::scenario::workload::{DURATION_OR_DIST, dist, duration_or_dist};
use crate::time::SimTime;

/// The keys only an iaas option (or a hybrid's burst pool, without its
/// `load_balancer`, which a hybrid option has at the option level) has.
pub const KEYS: &[Key] = &[
    Key::new(
        "instance",
        Type::Str,
        "an EC2 type (hostsim catalog --kind ec2): gives vcpus and the on-demand price in the option's AWS region",
    ),
    Key::new("vcpus", Type::Integer, "vCPUs per instance").default("from instance, else required"),
    Key::new("hourly_usd", Type::Number, "on-demand price per instance-hour")
        .unit("USD")
        .default("from instance, else required"),
    Key::new("initial", Type::Integer, "instances in service at t = 0").default("autoscaling.min, else required"),
    Key::new("boot", DURATION_OR_DIST, "launch to serving: a duration or a distribution")
        .default("lognormal, mean \"97s\", cv 0.2"),
    Key::new("billing", Type::Table(BILLING_KEYS), "each started granularity is billed, at least minimum per instance"),
    Key::new("storage", Type::Table(storage::KEYS), "local disk, a network volume or an EBS volume per instance")
        .default("local"),
    Key::new("autoscaling", Type::Tagged(&autoscaling::AUTOSCALING), "an autoscaling policy"),
    Key::new("market", Type::OneOf(&MARKETS), "spot: EC2 spot instances, interrupted at random")
        .default("\"on_demand\""),
    Key::new("spot_usd_per_hour", Type::Number, "price per spot instance-hour")
        .unit("USD")
        .default("the catalog's spot price"),
    Key::new("interruptions_per_month", Type::Number, "interruptions per running spot instance per 730-hour month")
        .default("the midpoint of the catalog's band"),
    Key::new("mixed", Type::Table(MIXED_KEYS), "a base on demand and a share of the rest on spot"),
    Key::new("purchase", Type::Table(commitment::PURCHASE_KEYS), "standard reserved instances"),
    Key::new("savings_plan", Type::Table(commitment::SAVINGS_PLAN_KEYS), "a compute savings plan"),
    Key::new(
        "load_balancer",
        load_balancer::TYPE,
        "\"alb\" or { kind = \"alb\", … }: an AWS Application Load Balancer in front",
    ),
];

/// What an iaas option has instead of other kinds' keys.
const INSTEAD: &[(&str, &str)] = &[
    ("servers", "an iaas option has \"initial\" (and \"autoscaling\")"),
    ("cores", "an iaas option has \"vcpus\" (or an \"instance\" type)"),
    ("price_usd", "an iaas option is rented: it has \"hourly_usd\" (or an \"instance\" type)"),
    ("price_usd_per_core", "an iaas option is rented: it has \"hourly_usd\" (or an \"instance\" type)"),
    ("lifetime", "an iaas option is rented, not bought: it has \"hourly_usd\""),
    ("setup_usd", "an iaas option has no setup fee"),
    ("colo_usd_per_month", "an iaas option's \"hourly_usd\" covers hosting"),
    ("labour_usd_per_month", "an iaas option's \"hourly_usd\" is its whole compute cost here"),
    ("power", "an iaas option's \"hourly_usd\" includes power"),
    ("failures", "an iaas option may have \"outages\" (the whole option down)"),
    ("instances", "an iaas option has \"initial\" (and \"autoscaling\")"),
    ("plan", "an iaas option has \"instance\" (an EC2 type such as \"m5.large\")"),
    ("monthly_usd", "an iaas option has \"hourly_usd\", billed per \"billing.granularity\""),
    ("neighbours", "noisy neighbours are modelled for a vps only"),
    ("dyno", "an iaas option has \"instance\" (an EC2 type such as \"m5.large\")"),
    ("dynos", "an iaas option has \"initial\" (and \"autoscaling\")"),
    ("router_overhead", "only a paas option has a platform router"),
    ("router_timeout", "the client's timeout ([workload] timeout) applies"),
    ("backlog", "an iaas option may have \"max_queue\""),
    ("sleep_after", "an iaas instance never sleeps"),
    ("wake", "an iaas instance never sleeps"),
    ("cpu_share", "an iaas vCPU is not shared: use cpu_speed for a slower or faster CPU"),
    ("pool_hours", "an iaas option is billed per \"billing.granularity\", with no pool of hours"),
    ("bandwidth", "an iaas option pays its AWS region's egress tiers per GB; or give egress_usd_per_gb"),
    ("provider", "\"provider\" chooses AWS Lambda or Google Cloud Run for kind = \"serverless\""),
    ("runtime", "a iaas option's start-up time is not a runtime's cold start"),
    ("arch", "a iaas option is priced per instance-hour (instance or hourly_usd), whatever its architecture"),
    ("memory_mb", "a iaas option is sized by \"instance\" (or \"vcpus\" + \"hourly_usd\"), not memory"),
    ("concurrency", "a iaas option serves requests per vCPU or core (\"workers_per_vcpu\")"),
    ("max_instances", "an iaas option scales within autoscaling's \"max\""),
    ("provisioned", "a iaas option's instances are always warm: nothing to provision"),
    ("min_instances", "an iaas option keeps autoscaling's \"min\" running"),
    ("cold_start", "an iaas option's new instances wait \"boot\""),
    ("idle_timeout", "a iaas option's instances are not reclaimed when idle (autoscaling scales in)"),
    ("timeout", "the workload's \"timeout\" is when a client gives up"),
    ("free_tier", "only serverless options have a free tier here"),
    ("gcp_region", "a iaas option's \"region\" sets its network RTT and its AWS prices"),
];

const MARKETS: [&str; 2] = ["on_demand", "spot"];
const BILLING_KEYS: &[Key] = &[
    Key::new("granularity", Type::Duration, "billed time is rounded up to a multiple of this").default("\"1s\""),
    Key::new("minimum", Type::Duration, "billed at least this per instance").default("\"60s\""),
];
const MIXED_KEYS: &[Key] = &[
    Key::new("on_demand_base", Type::Integer, "instances on demand before any spot").default("0"),
    Key::new("spot_share", Type::Number, "a whole percentage in [0, 1] of the instances above the base on spot")
        .default("1"),
];
/// The keys that only a spot fleet has.
const SPOT_ONLY_KEYS: [&str; 3] = ["spot_usd_per_hour", "interruptions_per_month", "mixed"];

/// Default boot time: lognormal with the measured EC2 Linux mean, 97 s, and cv 0.2.
pub const DEFAULT_BOOT: Dist = Dist::Lognormal { mean_s: 97.0, cv: 0.2 };
/// Default billing: per second with a 60 s minimum (EC2 Linux).
pub const DEFAULT_BILLING: Billing = Billing { granularity: SimTime::from_secs(1), minimum: SimTime::from_secs(60) };

/// Whether the instances are a whole option or the burst pool of a hybrid one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// `kind = "iaas"`: autoscaling is optional, its `min` defaults to 1.
    Option,
    /// `burst = { … }` of a hybrid: autoscaling is required, its `min` defaults to 0.
    Burst,
}

const AUTOSCALING_EXAMPLE: &str = "autoscaling = { policy = \"target_tracking\", target = 0.6, max = 10 }";

/// Reads the iaas keys of `t` (an option, or a hybrid's `burst` table).
pub fn read(t: &Table, role: Role, cx: &ReadContext) -> Result<Iaas, Diag> {
    let workers_per_vcpu = cx.workers_per_vcpu;
    let instance = t.get("instance").map(|f| find_instance(&f, cx)).transpose()?;
    let vcpus = match (&instance, t.get("vcpus")) {
        (Some((name, vcpus, _)), Some(f)) => {
            let given = f.u32(1)?;
            if given != *vcpus {
                return Err(f
                    .error(format!("instance \"{name}\" has {vcpus} vCPUs, not {given}; choose one: instance or vcpus"))
                    .hint("give either instance = \"...\" (from the catalog) or vcpus + hourly_usd, not both"));
            }
            given
        }
        (Some((_, vcpus, _)), None) => *vcpus,
        (None, Some(f)) => f.u32(1)?,
        (None, None) => return Err(without_instance(t, "vcpus", "vcpus = 2")),
    };
    let hourly_usd = match (t.get("hourly_usd"), &instance) {
        (Some(f), _) => f.number(Bounds::NONNEG)?,
        (None, Some((_, _, hourly))) => hourly.clone()?,
        (None, None) => return Err(without_instance(t, "hourly_usd", "hourly_usd = 0.096")),
    };
    let autoscaling = match (t.get("autoscaling"), role) {
        (Some(f), _) => {
            let default_min = if role == Role::Burst { 0 } else { 1 };
            Some(autoscaling::read(&f, default_min, vcpus, workers_per_vcpu)?)
        }
        (None, Role::Option) => None,
        (None, Role::Burst) => {
            return Err(Diag::new(join(&t.path, "autoscaling"), t.span.clone(), "required key is missing")
                .label("the burst pool needs \"autoscaling\"")
                .hint(format!(
                    "only the burst part of a hybrid option scales; add, for example: {AUTOSCALING_EXAMPLE}"
                )));
        }
    };
    let initial = initial(t, autoscaling.as_ref(), vcpus, cx)?;
    let spot = spot(t, instance.as_ref().map(|(name, _, _)| name.as_str()), cx.aws_region)?;
    let lookup = Lookup { instance: instance.as_ref().map(|(name, _, _)| name.as_str()), aws_region: cx.aws_region };
    let purchase = t.get("purchase").map(|f| commitment::purchase(&f, &lookup)).transpose()?;
    let savings_plan = t.get("savings_plan").map(|f| commitment::savings_plan(&f)).transpose()?;
    Ok(Iaas {
        instance: instance.map(|(name, _, _)| name),
        vcpus,
        hourly_usd,
        initial,
        boot: t.get("boot").map_or(Ok(DEFAULT_BOOT), |f| boot(&f, cx.source))?,
        billing: t.get("billing").map_or(Ok(DEFAULT_BILLING), |f| billing(&f))?,
        storage: t.get("storage").map_or_else(|| Ok(storage::local()), |f| storage::read(&f, cx.aws_region))?,
        autoscaling,
        spot,
        purchase,
        savings_plan,
    })
}

/// `market = "spot"` and the spot keys: the price and the hazard of the
/// type in the option's AWS region from the catalog, unless given.
fn spot(t: &Table, instance: Option<&str>, aws_region: Option<&str>) -> Result<Option<Spot>, Diag> {
    let market = t.get("market");
    let is_spot = match &market {
        None => false,
        Some(f) => match f.str()? {
            "on_demand" => false,
            "spot" => true,
            other => {
                return Err(f
                    .error(format!("unknown market \"{other}\"{}", did_you_mean(other, MARKETS)))
                    .hint("market is \"on_demand\" (the default) or \"spot\""));
            }
        },
    };
    let (Some(market), true) = (market, is_spot) else {
        if let Some(f) = SPOT_ONLY_KEYS.iter().find_map(|k| t.get(k)) {
            let key = f.path().rsplit('.').next().unwrap_or_default().to_string();
            return Err(f
                .error(format!("\"{key}\" applies to spot instances only"))
                .hint("add market = \"spot\" (the instances are on demand without it)"));
        }
        return Ok(None);
    };
    let entry = instance.zip(aws_region).and_then(|(name, region)| spot_table::lookup(name, region));
    let usd_per_hour = match (t.get("spot_usd_per_hour"), entry.and_then(|e| e.price)) {
        (Some(f), _) => f.number(Bounds::NONNEG)?,
        (None, Some(p)) => p.usd_per_hour,
        (None, None) => {
            let (has, override_key) = (|e: &spot_table::Entry| e.price.is_some(), "spot_usd_per_hour = 0.035");
            return Err(no_spot_data(&market, "spot price", instance, aws_region, has, override_key));
        }
    };
    let interruptions_per_month = match (t.get("interruptions_per_month"), entry.and_then(|e| e.band)) {
        (Some(f), _) => f.number(Bounds::NONNEG).map_err(|d| {
            d.hint("interruptions per running spot instance per 730-hour month, e.g. 0.075 for the 5-10 % band")
        })?,
        (None, Some(band)) => band.interruptions_per_month(),
        (None, None) => {
            let (has, override_key) = (|e: &spot_table::Entry| e.band.is_some(), "interruptions_per_month = 0.1");
            return Err(no_spot_data(&market, "interruption band", instance, aws_region, has, override_key));
        }
    };
    let mixed = t.get("mixed").map(|f| mixed(&f)).transpose()?;
    Ok(Some(Spot { usd_per_hour, interruptions_per_month, mixed }))
}

/// The error for a spot figure the catalog does not have for this type and
/// region: where it has it, or which key gives it.
fn no_spot_data(
    market: &Field,
    what: &str,
    instance: Option<&str>,
    aws_region: Option<&str>,
    has: fn(&spot_table::Entry) -> bool,
    override_key: &str,
) -> Diag {
    let (Some(name), Some(region)) = (instance, aws_region) else {
        let why = if instance.is_none() { "without an instance type" } else { "in a region that is not an AWS region" };
        return market
            .error(format!("no {what} for spot instances {why}"))
            .hint(format!("give it with {override_key}; or use a catalog instance type in an AWS region"));
    };
    let regions = spot_table::regions(name, has);
    let where_ = if regions.is_empty() {
        format!("the catalog has no {what} for \"{name}\" in any region")
    } else {
        format!("the catalog has one for \"{name}\" in {}", regions.join(", "))
    };
    market
        .error(format!("no {what} for \"{name}\" in {region}; {where_}"))
        .hint(format!("give it with {override_key}, or choose a region listed (see: hostsim catalog --kind spot)"))
}

/// `mixed = { on_demand_base = 2, spot_share = 0.7 }`: a base on demand and a
/// share of the rest on spot, as EC2 Auto Scaling's mixed-instances policy.
fn mixed(f: &Field) -> Result<Mixed, Diag> {
    let t = f.table(MIXED_KEYS)?;
    let on_demand_base = t.u32_or("on_demand_base", 0, 0)?;
    let spot_percent = match t.get("spot_share") {
        None => 100,
        Some(s) => {
            let share = s.number(Bounds::FRACTION)?;
            let percent = (share * 100.0).round();
            if (share * 100.0 - percent).abs() > 1e-6 {
                return Err(s
                    .error(format!("spot_share {share} is not a whole percentage"))
                    .hint("AWS splits by whole percentages (OnDemandPercentageAboveBaseCapacity): e.g. 0.7 or 0.25"));
            }
            percent as u32
        }
    };
    Ok(Mixed { on_demand_base, spot_percent })
}

/// A catalog instance type by name (case-insensitive), priced in the
/// option's AWS region: (lowercase name, vCPUs, the hourly price or, where
/// the catalog has none, the error to give unless `hourly_usd` is set).
fn find_instance(f: &Field, cx: &ReadContext) -> Result<(String, u32, Result<f64, Diag>), Diag> {
    let written = f.str()?;
    let name = written.to_ascii_lowercase();
    let (vcpus, hourly_usd) = match cx.catalog.ec2(&name, cx.aws_region) {
        Some(t) => (t.vcpus, Ok(t.hourly_usd)),
        None if cx.catalog.ec2_known(&name) => (cx.catalog.ec2_vcpus(&name), Err(no_price(f, &name, cx))),
        None => {
            let names = crate::catalog::ec2::all().iter().map(|t| t.name.as_ref());
            return Err(f.error(format!("unknown instance type \"{written}\"{}", did_you_mean(&name, names))).hint(
                "see the types with: hostsim catalog --kind ec2 --region REGION; or give vcpus and hourly_usd instead of instance",
            ));
        }
    };
    match vcpus {
        Some(vcpus) => Ok((name, vcpus, hourly_usd)),
        None => Err(f
            .error(format!("the catalog does not know how many vCPUs \"{name}\" has"))
            .hint("give vcpus and hourly_usd instead of instance (see: hostsim catalog --kind ec2)")),
    }
}

/// Why a known type has no catalog price in the option's region: the region
/// is outside AWS, or AWS does not sell the type there.
fn no_price(f: &Field, name: &str, cx: &ReadContext) -> Diag {
    let Some(aws) = cx.aws_region else {
        return f
            .error(format!(
                "region \"{}\" hosts no AWS region, so the catalog has no price for \"{name}\" there",
                cx.region
            ))
            .hint(format!("{}; or give hourly_usd", aws_region::instead(cx.region)));
    };
    // Nearest first, by the round-trip time between the cities hostsim places them at.
    let mut regions = crate::catalog::ec2::regions_with(name);
    let rtt_ms = |r: &str| crate::network::builtin_rtt_ms(aws, r).unwrap_or(f64::INFINITY);
    regions.sort_by(|a, b| rtt_ms(a).total_cmp(&rtt_ms(b)).then(a.cmp(b)));
    const SHOWN: usize = 8;
    let mut listed = regions.iter().take(SHOWN).copied().collect::<Vec<_>>().join(", ");
    if regions.len() > SHOWN {
        listed.push_str(&format!(" and {} more", regions.len() - SHOWN));
    }
    let available = if regions.is_empty() { "no built-in region".to_string() } else { listed };
    let of_city = if aws.eq_ignore_ascii_case(cx.region) {
        String::new()
    } else {
        format!(" (the AWS region of \"{}\")", cx.region)
    };
    f.error(format!(
        "instance type \"{name}\" has no on-demand price in {aws}{of_city}: not sold there, or not in the price list"
    ))
    .hint(format!(
        "it is priced in (lowest round trip from {aws} first): {available} (hostsim catalog --kind ec2 --region \
         NAME); or give hourly_usd for this option"
    ))
}

/// The error for a key that is required when there is no `instance`.
fn without_instance(t: &Table, key: &str, example: &str) -> Diag {
    Diag::new(
        join(&t.path, key),
        t.span.clone(),
        "required key is missing; without an instance type, an iaas option needs vcpus and hourly_usd",
    )
    .label(format!("this table needs \"{key}\" or \"instance\""))
    .hint(format!("add a line like: {example}; or use a catalog type such as instance = \"m5.large\""))
}

/// `initial`: the fixed fleet size without autoscaling (required, >= 1), else
/// within [min, max] (default min).
fn initial(t: &Table, scaling: Option<&Autoscaling>, vcpus: u32, cx: &ReadContext) -> Result<u32, Diag> {
    let workers_per_vcpu = cx.workers_per_vcpu;
    let field = cx.fleet_or(t, "initial")?;
    let Some(a) = scaling else {
        let f = field.ok_or_else(|| {
            Diag::new(join(&t.path, "initial"), t.span.clone(), "required key is missing")
                .label("this table needs \"initial\" or \"autoscaling\"")
                .hint(format!(
                    "without autoscaling, initial is the fixed number of instances: add initial = 2; or scale with {AUTOSCALING_EXAMPLE}"
                ))
        })?;
        let n = f.u32(1)?;
        check_slots(&f, "initial × vcpus × workers_per_vcpu", n, vcpus, workers_per_vcpu)?;
        return Ok(n);
    };
    let Some(f) = field else { return Ok(a.min) };
    let n = f.u32(0)?;
    if n < a.min || n > a.max {
        return Err(f
            .error(format!("initial ({n}) must lie in [min, max] = [{}, {}] of autoscaling", a.min, a.max))
            .hint("initial is the number of instances in service at t = 0; leave it out to start at min"));
    }
    Ok(n)
}

/// `boot`: a duration string (a constant, "0s" allowed) or a distribution table
/// (also a paas option's `boot`).
pub fn boot(f: &Field, source: &Path) -> Result<Dist, Diag> {
    match &f.node.value {
        Value::Str(_) => Ok(Dist::Constant { value_s: f.duration()?.as_secs_f64() }),
        Value::Table(_) => dist(f, source),
        _ => duration_or_dist(f, source),
    }
}

/// `billing = { granularity = "1s", minimum = "60s" }`.
fn billing(f: &Field) -> Result<Billing, Diag> {
    let t = f.table(BILLING_KEYS)?;
    let granularity = match t.get("granularity") {
        Some(g) => g.positive_duration().map_err(|d| {
            d.hint("billed time is rounded up to a multiple of granularity: \"1s\" (EC2 Linux) or \"1h\" (per started hour)")
        })?,
        None => DEFAULT_BILLING.granularity,
    };
    let minimum = t.duration_or("minimum", DEFAULT_BILLING.minimum)?;
    Ok(Billing { granularity, minimum })
}

/// `kind = "iaas"` in the registry of kinds.
pub struct Syntax;

impl KindSyntax for Syntax {
    fn name(&self) -> &'static str {
        "iaas"
    }

    fn keys(&self) -> &'static [Key] {
        KEYS
    }

    fn instead(&self) -> &'static [(&'static str, &'static str)] {
        INSTEAD
    }

    fn read(&self, t: &Table, cx: &ReadContext) -> Result<Kind, Diag> {
        Ok(Kind::Iaas(read(t, Role::Option, cx)?))
    }

    fn write(&self, kind: &Kind) -> Option<Pairs> {
        let Kind::Iaas(i) = kind else { return None };
        Some(pairs(i))
    }
}

/// The keys of an iaas option or burst pool.
pub fn pairs(i: &Iaas) -> Pairs {
    let mut p = Pairs::new();
    if let Some(instance) = &i.instance {
        p.push(("instance", string(instance)));
    }
    p.push(("vcpus", i.vcpus.to_string()));
    p.push(("hourly_usd", number(i.hourly_usd)));
    p.push(("initial", i.initial.to_string()));
    p.push(("boot", toml_value::duration_or_dist(&i.boot)));
    let b = &i.billing;
    p.push(("billing", format!("{{ granularity = {}, minimum = {} }}", duration(b.granularity), duration(b.minimum))));
    p.push(("storage", storage::write(&i.storage)));
    if let Some(a) = &i.autoscaling {
        p.push(("autoscaling", autoscaling::write(a)));
    }
    if let Some(s) = &i.spot {
        p.push(("market", string("spot")));
        p.push(("spot_usd_per_hour", number(s.usd_per_hour)));
        p.push(("interruptions_per_month", number(s.interruptions_per_month)));
        if let Some(m) = &s.mixed {
            let share = number(f64::from(m.spot_percent) / 100.0);
            p.push(("mixed", inline(&[("on_demand_base", m.on_demand_base.to_string()), ("spot_share", share)])));
        }
    }
    if let Some(r) = &i.purchase {
        p.push(("purchase", commitment::write_purchase(r)));
    }
    if let Some(s) = &i.savings_plan {
        p.push(("savings_plan", commitment::write_savings_plan(s)));
    }
    p
}

#[cfg(test)]
mod tests;
