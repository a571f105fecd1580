//! `kind = "iaas"`: cloud instances of a catalog type or given by hand, booting
//! before they serve, billed from launch to termination, on local, network or
//! EBS storage (see `storage`), optionally autoscaled (see `autoscaling`),
//! optionally behind a load balancer (see `load_balancer`).

use super::syntax::{KindSyntax, Pairs, ReadContext, check_slots};
use super::{autoscaling, storage};
use crate::catalog::Catalog;
use crate::model::{Autoscaling, Billing, Dist, Iaas, Kind};
use crate::scenario::error::Diag;
use crate::scenario::node::Value;
use crate::scenario::reader::{Bounds, Field, Table, join};
use crate::scenario::suggest::did_you_mean;
use crate::scenario::toml_value::{self, duration, number, string};
use crate::scenario::workload::{dist, duration_or_dist};
use crate::time::SimTime;

/// The keys only an iaas option (or a hybrid's burst pool, without its
/// `load_balancer`, which a hybrid option has at the option level) has.
pub const KEYS: &[&str] =
    &["instance", "vcpus", "hourly_usd", "initial", "boot", "billing", "storage", "autoscaling", "load_balancer"];

/// What an iaas option has instead of other kinds' keys.
const INSTEAD: &[(&str, &str)] = &[
    ("servers", "an iaas option has \"initial\" (and \"autoscaling\")"),
    ("cores", "an iaas option has \"vcpus\" (or an \"instance\" type)"),
    ("price_usd", "an iaas option is rented: it has \"hourly_usd\" (or an \"instance\" type)"),
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
];

const BILLING_KEYS: &[&str] = &["granularity", "minimum"];

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

/// Reads the iaas keys of `t` (an option, or a hybrid's `burst` table);
/// `aws_region` is where the option's cloud prices come from.
pub fn read(
    t: &Table,
    workers_per_vcpu: u32,
    role: Role,
    catalog: &Catalog,
    aws_region: Option<&str>,
) -> Result<Iaas, Diag> {
    let instance = t.get("instance").map(|f| find_instance(&f, catalog)).transpose()?;
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
        (None, Some((_, _, hourly))) => *hourly,
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
    let initial = initial(t, autoscaling.as_ref(), vcpus, workers_per_vcpu)?;
    Ok(Iaas {
        instance: instance.map(|(name, _, _)| name),
        vcpus,
        hourly_usd,
        initial,
        boot: t.get("boot").map_or(Ok(DEFAULT_BOOT), |f| boot(&f))?,
        billing: t.get("billing").map_or(Ok(DEFAULT_BILLING), |f| billing(&f))?,
        storage: t.get("storage").map_or_else(|| Ok(storage::local()), |f| storage::read(&f, aws_region))?,
        autoscaling,
    })
}

/// A catalog instance type by name (case-insensitive): (lowercase name, vCPUs, hourly price).
fn find_instance(f: &Field, catalog: &Catalog) -> Result<(String, u32, f64), Diag> {
    let written = f.str()?;
    let name = written.to_ascii_lowercase();
    match catalog.ec2(&name) {
        Some(t) => match t.vcpus {
            Some(vcpus) => Ok((name, vcpus, t.hourly_usd)),
            None => Err(f
                .error(format!("the catalog does not know how many vCPUs \"{name}\" has"))
                .hint("give vcpus and hourly_usd instead of instance (see: hostsim catalog --kind ec2)")),
        },
        None => {
            let names = crate::catalog::ec2::all().iter().map(|t| t.name.as_ref());
            Err(f.error(format!("unknown instance type \"{written}\"{}", did_you_mean(&name, names))).hint(
                "see the us-east-1 types with: hostsim catalog --kind ec2; or give vcpus and hourly_usd instead of instance",
            ))
        }
    }
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
fn initial(t: &Table, scaling: Option<&Autoscaling>, vcpus: u32, workers_per_vcpu: u32) -> Result<u32, Diag> {
    let field = t.get("initial");
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
pub fn boot(f: &Field) -> Result<Dist, Diag> {
    match &f.node.value {
        Value::Str(_) => Ok(Dist::Constant { value_s: f.duration()?.as_secs_f64() }),
        Value::Table(_) => dist(f),
        _ => duration_or_dist(f),
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

    fn keys(&self) -> &'static [&'static str] {
        KEYS
    }

    fn instead(&self) -> &'static [(&'static str, &'static str)] {
        INSTEAD
    }

    fn read(&self, t: &Table, cx: &ReadContext) -> Result<Kind, Diag> {
        Ok(Kind::Iaas(read(t, cx.workers_per_vcpu, Role::Option, cx.catalog, cx.aws_region)?))
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
    p
}

#[cfg(test)]
mod tests;
