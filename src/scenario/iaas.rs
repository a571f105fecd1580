//! `kind = "iaas"`: cloud instances of a catalog type or given by hand, booting
//! before they serve, billed from launch to termination, on local or network
//! storage, optionally autoscaled (see `autoscaling`).

use super::autoscaling;
use super::error::Diag;
use super::model::{Autoscaling, Billing, Dist, Iaas, Storage, StorageKind};
use super::node::Value;
use super::option::check_slots;
use super::reader::{Bounds, Field, Table, join};
use super::suggest::did_you_mean;
use super::workload::{dist, duration_or_dist};
use crate::catalog::Catalog;
use crate::time::SimTime;

/// The keys only an iaas option (or a hybrid's burst pool) has.
pub const KEYS: &[&str] = &["instance", "vcpus", "hourly_usd", "initial", "boot", "billing", "storage", "autoscaling"];

const BILLING_KEYS: &[&str] = &["granularity", "minimum"];
const STORAGE_KEYS: &[&str] = &["kind", "latency_factor", "iops", "usd_per_month"];

/// Default boot time: lognormal with the measured EC2 Linux mean, 97 s, and cv 0.2.
pub const DEFAULT_BOOT: Dist = Dist::Lognormal { mean_s: 97.0, cv: 0.2 };
/// Default billing: per second with a 60 s minimum (EC2 Linux).
pub const DEFAULT_BILLING: Billing = Billing { granularity: SimTime::from_secs(1), minimum: SimTime::from_secs(60) };
/// Default storage time factor of network volumes (local disks: 1).
pub const NETWORK_LATENCY_FACTOR: f64 = 10.0;

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
pub fn read(t: &Table, workers_per_vcpu: u32, role: Role, catalog: &Catalog) -> Result<Iaas, Diag> {
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
        storage: t.get("storage").map_or_else(|| Ok(storage_defaults(StorageKind::Local)), |f| storage(&f))?,
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

/// Storage of the given kind with every default.
fn storage_defaults(kind: StorageKind) -> Storage {
    let latency_factor = if kind == StorageKind::Network { NETWORK_LATENCY_FACTOR } else { 1.0 };
    Storage { kind, latency_factor, iops: None, usd_per_month: 0.0 }
}

/// `storage = { kind = "local" | "network", latency_factor, iops, usd_per_month }`.
fn storage(f: &Field) -> Result<Storage, Diag> {
    let t = f.table(STORAGE_KEYS)?;
    let kind = match t.get("kind") {
        None => StorageKind::Local,
        Some(k) => match k.str()? {
            "local" => StorageKind::Local,
            "network" => StorageKind::Network,
            other => {
                return Err(k
                    .error(format!("unknown storage kind \"{other}\"{}", did_you_mean(other, ["local", "network"])))
                    .hint("storage kind is \"local\" (the instance's own disk) or \"network\" (EBS-like volumes)"));
            }
        },
    };
    let defaults = storage_defaults(kind);
    let latency_factor = match t.get("latency_factor") {
        Some(l) => l.number(Bounds::at_least(1.0)).map_err(|d| {
            d.hint("latency_factor multiplies the workload's io time; 1 is a local disk, network volumes are ~10")
        })?,
        None => defaults.latency_factor,
    };
    Ok(Storage {
        kind,
        latency_factor,
        iops: t.get("iops").map(|i| i.number(Bounds::POSITIVE)).transpose()?,
        usd_per_month: t.number_or("usd_per_month", 0.0, Bounds::NONNEG)?,
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::model::{Kind, Metric, Policy};
    use super::*;

    const BASE: &str = "horizon = \"1d\"\n[traffic]\nbase_rps = 10\n[workload]\n\
        cpu = { dist = \"constant\", value = \"10ms\" }\n[[option]]\nname = \"ec2\"\nkind = \"iaas\"\n\
        region = \"us-east-1\"\n";

    fn parse(keys: &str) -> Result<Iaas, String> {
        let s = crate::scenario::parse_str(&format!("{BASE}{keys}"), Path::new("i.toml")).map_err(|e| e.to_string())?;
        match s.options.into_iter().next().map(|o| o.kind) {
            Some(Kind::Iaas(i)) => Ok(i),
            other => Err(format!("not iaas: {other:?}")),
        }
    }

    #[test]
    fn a_catalog_type_with_every_default() {
        let i = parse("instance = \"m5.large\"\ninitial = 3").unwrap();
        let local = Storage { kind: StorageKind::Local, latency_factor: 1.0, iops: None, usd_per_month: 0.0 };
        let expected = Iaas {
            instance: Some("m5.large".into()),
            vcpus: 2,
            hourly_usd: 0.096,
            initial: 3,
            boot: Dist::Lognormal { mean_s: 97.0, cv: 0.2 },
            billing: Billing { granularity: SimTime::from_secs(1), minimum: SimTime::from_secs(60) },
            storage: local,
            autoscaling: None,
        };
        assert_eq!(i, expected);
        let i = parse("instance = \"C5.XLarge\"\ninitial = 1").unwrap();
        assert_eq!((i.instance.as_deref(), i.vcpus, i.hourly_usd), (Some("c5.xlarge"), 4, 0.17));
    }

    #[test]
    fn catalog_types() {
        // us-east-1 on-demand Linux, 2026-07-20: t3.micro 2 vCPUs $0.0104/h, m5.2xlarge 8 vCPUs $0.384/h.
        let i = parse("instance = \"t3.micro\"\ninitial = 1").unwrap();
        assert_eq!((i.vcpus, i.hourly_usd), (2, 0.0104));
        let i = parse("instance = \"m5.2xlarge\"\ninitial = 1").unwrap();
        assert_eq!((i.vcpus, i.hourly_usd), (8, 0.384));
    }

    #[test]
    fn by_hand_and_overrides() {
        let i = parse("vcpus = 16\nhourly_usd = 0.5\ninitial = 1").unwrap();
        assert_eq!((i.instance, i.vcpus, i.hourly_usd), (None, 16, 0.5));
        // Another region's price for a catalog type; its own vCPUs may be repeated.
        let i = parse("instance = \"m5.large\"\nvcpus = 2\nhourly_usd = 0.107\ninitial = 1").unwrap();
        assert_eq!((i.vcpus, i.hourly_usd), (2, 0.107));
    }

    #[test]
    fn boot_billing_and_storage() {
        let i = parse("instance = \"t3.small\"\ninitial = 1\nboot = \"45s\"").unwrap();
        assert_eq!(i.boot, Dist::Constant { value_s: 45.0 });
        assert_eq!(
            parse("instance = \"t3.small\"\ninitial = 1\nboot = \"0s\"").unwrap().boot,
            Dist::Constant { value_s: 0.0 }
        );
        let i =
            parse("instance = \"t3.small\"\ninitial = 1\nboot = { dist = \"uniform\", min = \"30s\", max = \"90s\" }")
                .unwrap();
        assert_eq!(i.boot, Dist::Uniform { min_s: 30.0, max_s: 90.0 });
        let i = parse("instance = \"t3.small\"\ninitial = 1\nbilling = { granularity = \"1h\" }").unwrap();
        assert_eq!(i.billing, Billing { granularity: SimTime::HOUR, minimum: SimTime::from_secs(60) });
        let i = parse("instance = \"t3.small\"\ninitial = 1\nbilling = { granularity = \"10m\", minimum = \"0s\" }")
            .unwrap();
        assert_eq!(i.billing, Billing { granularity: SimTime::from_secs(600), minimum: SimTime::ZERO });
        let i = parse("instance = \"t3.small\"\ninitial = 1\nstorage = { kind = \"network\" }").unwrap();
        let network = Storage { kind: StorageKind::Network, latency_factor: 10.0, iops: None, usd_per_month: 0.0 };
        assert_eq!(i.storage, network);
        let full = "storage = { kind = \"network\", latency_factor = 4, iops = 3000, usd_per_month = 8 }";
        let i = parse(&format!("instance = \"t3.small\"\ninitial = 1\n{full}")).unwrap();
        assert_eq!(i.storage, Storage { latency_factor: 4.0, iops: Some(3000.0), usd_per_month: 8.0, ..network });
        let i = parse("instance = \"t3.small\"\ninitial = 1\nstorage = { iops = 500 }").unwrap();
        assert_eq!((i.storage.kind, i.storage.latency_factor, i.storage.iops), (StorageKind::Local, 1.0, Some(500.0)));
    }

    #[test]
    fn initial_defaults_to_the_autoscaling_min() {
        let scaling = "autoscaling = { policy = \"target_tracking\", target = 0.6, min = 3, max = 9 }";
        let i = parse(&format!("instance = \"m5.large\"\n{scaling}")).unwrap();
        assert_eq!(i.initial, 3);
        let a = i.autoscaling.unwrap();
        assert_eq!((a.min, a.max, a.warmup), (3, 9, SimTime::from_secs(300)));
        assert_eq!(a.policy, Policy::TargetTracking { metric: Metric::Cpu, target: 0.6 });
        let i = parse(&format!("instance = \"m5.large\"\ninitial = 9\n{scaling}")).unwrap();
        assert_eq!(i.initial, 9);
        let zero = "autoscaling = { policy = \"hpa\", target = 0.5, min = 0, max = 4 }\ninitial = 0";
        assert_eq!(parse(&format!("instance = \"m5.large\"\n{zero}")).unwrap().initial, 0);
        let i = parse("instance = \"m5.large\"\nautoscaling = { policy = \"hpa\", target = 0.5, max = 4 }").unwrap();
        assert_eq!((i.initial, i.autoscaling.map(|a| a.min)), (1, Some(1)));
    }

    #[test]
    fn mistakes() {
        let m5 = "instance = \"m5.large\"\n";
        let scaled = |rest: &str| format!("{m5}autoscaling = {{ policy = \"target_tracking\", target = 0.6{rest} }}");
        let cases = [
            ("initial = 1".to_string(), "option \"ec2\".vcpus: required key is missing; without an instance type"),
            ("vcpus = 2\ninitial = 1".into(), "option \"ec2\".hourly_usd: required key is missing; without an"),
            (
                "instance = \"m5.larg\"\ninitial = 1".into(),
                "unknown instance type \"m5.larg\", did you mean \"m5.large\"?",
            ),
            ("instance = \"x1.huge\"\ninitial = 1".into(), "hostsim catalog --kind ec2"),
            (format!("{m5}vcpus = 4\ninitial = 1"), "instance \"m5.large\" has 2 vCPUs, not 4"),
            (format!("{m5}hourly_usd = -1\ninitial = 1"), "hourly_usd: expected a number >= 0, got -1"),
            (m5.to_string(), "option \"ec2\".initial: required key is missing"),
            (format!("{m5}initial = 0"), "initial: expected a positive integer, got 0"),
            (scaled(", max = 5") + "\ninitial = 6", "initial (6) must lie in [min, max] = [1, 5] of autoscaling"),
            (scaled(", min = 2, max = 5") + "\ninitial = 1", "initial (1) must lie in [min, max] = [2, 5]"),
            (format!("{m5}initial = 1\nboot = \"fast\""), "boot: expected a number in \"fast\""),
            (format!("{m5}initial = 1\nboot = 97"), "boot: expected a duration like \"30m\" or a distribution"),
            (
                format!("{m5}initial = 1\nboot = {{ dist = \"lognormal\", mean = \"97s\" }}"),
                "boot.cv: required key is missing; lognormal needs mean and cv",
            ),
            (format!("{m5}initial = 1\nbilling = {{ granularity = \"0s\" }}"), "granularity: must be longer than 0s"),
            (format!("{m5}initial = 1\nbilling = {{ minimum = \"-1s\" }}"), "durations cannot be negative"),
            (format!("{m5}initial = 1\nbilling = {{ granularty = \"1s\" }}"), "did you mean \"granularity\"?"),
            (format!("{m5}initial = 1\nbilling = \"1s\""), "billing: expected a table, got string"),
            (
                format!("{m5}initial = 1\nstorage = {{ kind = \"tape\" }}"),
                "storage.kind: unknown storage kind \"tape\"",
            ),
            (format!("{m5}initial = 1\nstorage = {{ kind = \"netwrk\" }}"), "did you mean \"network\"?"),
            (
                format!("{m5}initial = 1\nstorage = {{ latency_factor = 0.5 }}"),
                "latency_factor: expected a number >= 1, got 0.5",
            ),
            (format!("{m5}initial = 1\nstorage = {{ iops = 0 }}"), "storage.iops: expected a number > 0, got 0"),
            (format!("{m5}initial = 1\nstorage = {{ usd_per_month = -8 }}"), "usd_per_month: expected a number >= 0"),
            (
                "vcpus = 100000\nhourly_usd = 1\ninitial = 1000\nworkers_per_vcpu = 1000".into(),
                "initial × vcpus × workers_per_vcpu = 100000000000 request slots",
            ),
            (scaled(", max = 100000000"), "max × vcpus × workers_per_vcpu = 200000000 request slots; at most 10000000"),
            (format!("{m5}initial = 1\ninstances = 2"), "\"instances\" is a vps key; an iaas option has \"initial\""),
            (format!("{m5}initial = 1\nplan = \"linode-4gb\""), "an iaas option has \"instance\""),
            (format!("{m5}initial = 1\ncores = 2"), "\"cores\" is a bare_metal key; an iaas option has \"vcpus\""),
            (
                format!("{m5}initial = 1\nfailures = {{ mtbf = \"1y\", repair = \"1h\" }}"),
                "option \"ec2\".failures: \"failures\" is a bare_metal key; an iaas option may have \"outages\"",
            ),
            (format!("{m5}initial = 1\nbaseline = {{}}"), "\"baseline\" is a hybrid key"),
            (format!("{m5}initial = 1\ninstanse = 2"), "unknown key \"instanse\", did you mean \"instance\"?"),
        ];
        for (keys, fragment) in cases {
            let err = parse(&keys).unwrap_err();
            assert!(err.contains(fragment), "expected {fragment:?} in:\n{err}");
        }
    }
}
