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
        spot: None,
        purchase: None,
        savings_plan: None,
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

/// The iaas option `keys` in `region`.
fn parse_in(region: &str, keys: &str) -> Result<Iaas, String> {
    let option = OPTION.replace("us-east-1", region);
    match parse_option(&format!("{option}{keys}"))?.kind {
        Kind::Iaas(i) => Ok(i),
        other => Err(format!("not iaas: {other:?}")),
    }
}

#[test]
fn spot_from_the_catalog_for_the_type_and_region() {
    // m5.large: us-east-1 $0.04366/h in the 15-20 % band (0.175 a month); in london
    // (eu-west-2) $0.0312/h in the 10-15 % band (0.125).
    let spot = parse("instance = \"m5.large\"\ninitial = 2\nmarket = \"spot\"").unwrap().spot.unwrap();
    assert_eq!(spot, Spot { usd_per_hour: 0.04366, interruptions_per_month: 0.175, mixed: None });
    let london = parse_in("london", "instance = \"m5.large\"\ninitial = 2\nmarket = \"spot\"").unwrap();
    assert_eq!(london.spot.map(|s| (s.usd_per_hour, s.interruptions_per_month)), Some((0.0312, 0.125)));
    // The region's on-demand price (eu-west-2: $0.111) stays for the on-demand instances of a mixed fleet.
    assert_eq!(london.hourly_usd, 0.111);
    assert_eq!(parse("instance = \"m5.large\"\ninitial = 2\nmarket = \"on_demand\"").unwrap().spot, None);
    // Overrides, e.g. where the tables have no row; by hand without an instance type.
    let keys = "vcpus = 2\nhourly_usd = 0.1\ninitial = 10\nmarket = \"spot\"\nspot_usd_per_hour = 0.03\n\
                interruptions_per_month = 0.2\nmixed = { on_demand_base = 2, spot_share = 0.7 }\n\
                egress_usd_per_gb = 0.09";
    let i = parse_in("dallas", keys).unwrap();
    let mixed = Some(Mixed { on_demand_base: 2, spot_percent: 70 });
    assert_eq!(i.spot, Some(Spot { usd_per_hour: 0.03, interruptions_per_month: 0.2, mixed }));
    // mixed defaults: no base, everything above it spot.
    let i = parse("instance = \"m5.large\"\ninitial = 2\nmarket = \"spot\"\nmixed = {}").unwrap();
    assert_eq!(i.spot.unwrap().mixed, Some(Mixed { on_demand_base: 0, spot_percent: 100 }));
}

#[test]
fn spot_keys_are_written_back_and_read_again() {
    let keys =
        "instance = \"m5.large\"\ninitial = 10\nmarket = \"spot\"\nmixed = { on_demand_base = 2, spot_share = 0.7 }";
    let i = parse(keys).unwrap();
    let written: Vec<String> = pairs(&i).into_iter().map(|(k, v)| format!("{k} = {v}")).collect();
    let written = written.join("\n");
    assert!(written.contains("market = \"spot\"\nspot_usd_per_hour = 0.04366\ninterruptions_per_month = 0.175\n"));
    assert!(written.ends_with("mixed = { on_demand_base = 2, spot_share = 0.7 }"), "{written}");
    assert_eq!(parse(&written).unwrap(), i);
    // An on-demand option writes no spot key.
    let od = parse("instance = \"m5.large\"\ninitial = 1").unwrap();
    assert!(pairs(&od).iter().all(|(k, _)| !["market", "spot_usd_per_hour", "mixed"].contains(k)));
}

#[test]
fn spot_mistakes() {
    let m5 = "instance = \"m5.large\"\ninitial = 1\n";
    let cases = [
        ("us-east-1", format!("{m5}market = \"spto\""), "market: unknown market \"spto\", did you mean \"spot\"?"),
        ("us-east-1", format!("{m5}spot_usd_per_hour = 0.03"), "\"spot_usd_per_hour\" applies to spot instances only"),
        ("us-east-1", format!("{m5}market = \"on_demand\"\nmixed = {{}}"), "\"mixed\" applies to spot instances only"),
        (
            "af-south-1",
            format!("{m5}market = \"spot\""),
            "option \"ec2\".market: no spot price for \"m5.large\" in af-south-1; the catalog has one for \
             \"m5.large\" in ap-east-1, ap-northeast-1",
        ),
        (
            "mx-central-1",
            format!("{m5}hourly_usd = 0.1\nmarket = \"spot\"\nspot_usd_per_hour = 0.04"),
            "no interruption band for \"m5.large\" in mx-central-1; the catalog has one for \"m5.large\" in af-south-1",
        ),
        (
            "us-east-1",
            "vcpus = 2\nhourly_usd = 0.1\ninitial = 1\nmarket = \"spot\"".into(),
            "no spot price for spot instances without an instance type",
        ),
        (
            "dallas",
            format!("{m5}hourly_usd = 0.1\nmarket = \"spot\""),
            "no spot price for spot instances in a region that is not",
        ),
        ("us-east-1", format!("{m5}market = \"spot\"\nspot_usd_per_hour = -1"), "expected a number >= 0, got -1"),
        ("us-east-1", format!("{m5}market = \"spot\"\ninterruptions_per_month = -0.1"), "expected a number >= 0"),
        (
            "us-east-1",
            format!("{m5}market = \"spot\"\nmixed = {{ spot_share = 0.705 }}"),
            "spot_share 0.705 is not a whole percentage",
        ),
        (
            "us-east-1",
            format!("{m5}market = \"spot\"\nmixed = {{ spot_share = 1.5 }}"),
            "spot_share: expected a number",
        ),
        ("us-east-1", format!("{m5}market = \"spot\"\nmixed = {{ base = 2 }}"), "unknown key \"base\""),
    ];
    for (region, keys, fragment) in cases {
        let err = parse_in(region, &keys).unwrap_err();
        assert!(err.contains(fragment), "expected {fragment:?} in:\n{err}");
    }
}

#[test]
fn reservations_and_savings_plans() {
    use crate::catalog::reserved::{Payment, Term};
    use crate::model::{Reservation, SavingsPlan};
    let m5 = "instance = \"m5.large\"\ninitial = 1\n";
    // us-east-1 standard 1y all upfront, 2026-05-12: $0.056393 per hour.
    let i = parse(&format!("{m5}purchase = {{ reserved = 4, term = \"1y\", payment = \"all_upfront\" }}")).unwrap();
    let r = Reservation { reserved: 4, term: Term::OneYear, payment: Payment::AllUpfront, usd_per_hour: 0.056393 };
    assert_eq!((i.purchase, i.savings_plan), (Some(r), None));
    // The region of a city: london → eu-west-2 (3y all upfront there, from the same table).
    let london = format!(
        "name = \"ec2\"\nkind = \"iaas\"\nregion = \"london\"\n{m5}purchase = {{ reserved = 1, term = \"3y\", payment = \"all_upfront\" }}"
    );
    let Kind::Iaas(i) = parse_option(&london).unwrap().kind else { panic!("not iaas") };
    let expected = crate::catalog::reserved::rate("m5.large", "eu-west-2", Term::ThreeYear, Payment::AllUpfront);
    assert_eq!(i.purchase.map(|r| r.usd_per_hour), expected.map(|r| r.usd_per_hour));
    // No upfront for t3.medium (2024-07-01): $0.0261 per hour; a rate by hand where there is no data.
    let t3 =
        "instance = \"t3.medium\"\ninitial = 1\npurchase = { reserved = 2, term = \"1y\", payment = \"no_upfront\" }";
    assert_eq!(parse(t3).unwrap().purchase.map(|r| r.usd_per_hour), Some(0.0261));
    let by_hand = "purchase = { reserved = 2, term = \"3y\", payment = \"partial_upfront\", usd_per_hour = 0.04 }";
    let i = parse(&format!("{m5}{by_hand}\nsavings_plan = {{ usd_per_hour = 0.3, discount = 0.28 }}")).unwrap();
    let r = Reservation { reserved: 2, term: Term::ThreeYear, payment: Payment::PartialUpfront, usd_per_hour: 0.04 };
    assert_eq!(i.purchase, Some(r));
    assert_eq!(i.savings_plan, Some(SavingsPlan { usd_per_hour: 0.3, discount: 0.28 }));
    let i = parse(&format!("vcpus = 2\nhourly_usd = 0.1\ninitial = 1\n{by_hand}")).unwrap();
    assert_eq!(i.purchase.map(|r| r.usd_per_hour), Some(0.04));
}

#[test]
fn reservation_and_savings_plan_mistakes() {
    let m5 = "instance = \"m5.large\"\ninitial = 1\n";
    let p = |rest: &str| format!("{m5}purchase = {{ {rest} }}");
    let cases = [
        (p("reserved = 0, term = \"1y\", payment = \"all_upfront\""), "purchase.reserved: expected a positive integer"),
        (p("reserved = 4, term = \"2y\", payment = \"all_upfront\""), "purchase.term: unknown term \"2y\""),
        (p("reserved = 4, term = \"1y\", payment = \"all_upfrnt\""), "did you mean \"all_upfront\"?"),
        (p("reserved = 4, payment = \"all_upfront\""), "purchase.term: required key is missing"),
        (p("reserved = 4, term = \"1y\""), "purchase.payment: required key is missing"),
        (p("term = \"1y\", payment = \"all_upfront\""), "purchase.reserved: required key is missing"),
        (
            p("reserved = 4, term = \"1y\", payment = \"no_upfront\""),
            "no 1y no_upfront reserved price for \"m5.large\" in us-east-1 in the catalog",
        ),
        (p("reserved = 4, term = \"1y\", payment = \"no_upfront\""), "in us-east-1 the catalog has 1y all_upfront"),
        (p("reserved = 4, term = \"1y\", payment = \"partial_upfront\""), "its upfront fee is not in the bundled data"),
        (p("reserved = 4, term = \"1y\", payment = \"all_upfront\", usd_per_hour = 0"), "expected a number > 0"),
        (
            "vcpus = 2\nhourly_usd = 0.1\ninitial = 1\npurchase = { reserved = 1, term = \"1y\", payment = \"all_upfront\" }"
                .into(),
            "without an instance type there is no reserved price to look up",
        ),
        (p("reserved = 4, term = \"1y\", payment = \"all_upfront\", upfront = 1"), "unknown key \"upfront\""),
        (format!("{m5}savings_plan = {{ usd_per_hour = 0.3 }}"), "hostsim has no EC2 savings-plan rates"),
        (format!("{m5}savings_plan = {{ usd_per_hour = 0.3, discount = 1 }}"), "expected a number in (0, 1), got 1"),
        (format!("{m5}savings_plan = {{ usd_per_hour = 0.3, discount = 0 }}"), "expected a number in (0, 1), got 0"),
        (format!("{m5}savings_plan = {{ discount = 0.3 }}"), "savings_plan.usd_per_hour: required key is missing"),
    ];
    for (keys, fragment) in cases {
        let err = parse(&keys).unwrap_err();
        assert!(err.contains(fragment), "expected {fragment:?} in:\n{err}");
    }
    // A region without AWS prices (dallas; the on-demand price by hand) and a region without this type's rate.
    let dallas = format!(
        "name = \"ec2\"\nkind = \"iaas\"\nregion = \"dallas\"\nhourly_usd = 0.1\n{}",
        p("reserved = 1, term = \"1y\", payment = \"all_upfront\"")
    );
    let err = parse_option(&dallas).unwrap_err();
    assert!(err.contains("neither an AWS region nor a city with one"), "{err}");
    let milan = format!(
        "name = \"ec2\"\nkind = \"iaas\"\nregion = \"eu-south-1\"\n{}",
        p("reserved = 1, term = \"1y\", payment = \"all_upfront\"")
    );
    let err = parse_option(&milan).unwrap_err();
    assert!(err.contains("in eu-south-1 in the catalog") && err.contains("is listed in ap-east-1, "), "{err}");
}
