//! Unit tests of the iaas keys: catalog types, defaults, boot, billing, storage and mistakes.

use super::*;
use crate::model::{Metric, Policy, Storage, StorageKind};
use crate::scenario::test_option::parse_option;

const OPTION: &str = "name = \"ec2\"\nkind = \"iaas\"\nregion = \"us-east-1\"\n";

fn parse(keys: &str) -> Result<Iaas, String> {
    match parse_option(&format!("{OPTION}{keys}"))?.kind {
        Kind::Iaas(i) => Ok(i),
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
    let i = parse("instance = \"t3.small\"\ninitial = 1\nboot = { dist = \"uniform\", min = \"30s\", max = \"90s\" }")
        .unwrap();
    assert_eq!(i.boot, Dist::Uniform { min_s: 30.0, max_s: 90.0 });
    let i = parse("instance = \"t3.small\"\ninitial = 1\nbilling = { granularity = \"1h\" }").unwrap();
    assert_eq!(i.billing, Billing { granularity: SimTime::HOUR, minimum: SimTime::from_secs(60) });
    let i =
        parse("instance = \"t3.small\"\ninitial = 1\nbilling = { granularity = \"10m\", minimum = \"0s\" }").unwrap();
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
        ("instance = \"m5.larg\"\ninitial = 1".into(), "unknown instance type \"m5.larg\", did you mean \"m5.large\"?"),
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
        (format!("{m5}initial = 1\nstorage = {{ kind = \"tape\" }}"), "storage.kind: unknown storage kind \"tape\""),
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
