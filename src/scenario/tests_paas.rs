//! Whole-scenario tests of paas options: every default, the dyno catalog,
//! sleeping and autoscaling dynos through `resolved.toml` and back, and every
//! mistake as users see it.

use std::path::Path;

use super::model::{Dist, Kind, Paas, PaasAutoscaling, Routing, Sleep};
use super::*;
use crate::scenario::test_option::option_error;
use crate::time::SimTime;

const PLATFORM: &str = r#"
horizon = "2d"
[traffic]
base_rps = 20
[workload]
cpu = { dist = "lognormal", mean = "60ms", cv = 0.8 }

[[option]]
name = "fixed"
kind = "paas"
region = "washington"
dyno = "Standard-2X"
dynos = 4
router_timeout = "25s"
backlog = 20

[[option]]
name = "hobby"
kind = "paas"
region = "london"
dyno = "eco"

[[option]]
name = "auto"
kind = "paas"
region = "us-east-1"
dyno = "performance-m"
workers_per_vcpu = 4
boot = { dist = "uniform", min = "5s", max = "20s" }
autoscaling = { min = 2, max = 12, p95_ms = 350 }
outages = { mtbf = "90d", duration = "30m" }

[[option]]
name = "by hand"
kind = "paas"
region = "washington"
routing = "shared_queue"
vcpus = 3
monthly_usd = 120.5
router_overhead = "3ms"
sleep_after = "2h"
wake = "15s"
"#;

fn parse(text: &str) -> Result<model::Scenario, ScenarioError> {
    parse_str(text, Path::new("platform.toml"))
}

fn paas(s: &model::Scenario, i: usize) -> Paas {
    match &s.options[i].kind {
        Kind::Paas(p) => p.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_fixed_an_eco_an_autoscaled_and_a_hand_made_option_resolve() {
    let s = parse(PLATFORM).unwrap_or_else(|e| panic!("{e}"));
    assert!(s.options.iter().take(3).all(|o| o.routing == Routing::Random && o.max_queue.is_none()));
    let fixed = paas(&s, 0);
    assert_eq!((fixed.dyno.as_deref(), fixed.vcpus, fixed.monthly_usd, fixed.dynos), (Some("standard-2x"), 1, 50.0, 4));
    assert_eq!((fixed.router_timeout, fixed.backlog, fixed.sleep.clone()), (SimTime::from_secs(25), 20, None));
    let eco = paas(&s, 1);
    assert_eq!((eco.monthly_usd, eco.dynos, eco.boot.clone()), (5.0, 1, Dist::Constant { value_s: 10.0 }));
    assert_eq!(eco.sleep, Some(Sleep { after: SimTime::from_secs(1_800), wake: SimTime::from_secs(8) }));
    assert_eq!((eco.pool_hours, paas(&s, 0).pool_hours), (Some(1_000.0), None));
    let auto = paas(&s, 2);
    assert_eq!((auto.vcpus, auto.dynos, auto.boot.clone()), (2, 2, Dist::Uniform { min_s: 5.0, max_s: 20.0 }));
    assert_eq!(auto.autoscaling, Some(PaasAutoscaling { min: 2, max: 12, p95_ms: 350.0 }));
    assert_eq!((s.options[2].region.as_str(), s.options[2].workers_per_vcpu), ("washington", 4));
    let hand = paas(&s, 3);
    assert_eq!(s.options[3].routing, Routing::SharedQueue);
    assert_eq!((hand.dyno, hand.vcpus, hand.monthly_usd, hand.router_overhead), (None, 3, 120.5, SimTime(3_000)));
    assert_eq!(hand.sleep, Some(Sleep { after: SimTime::from_secs(7_200), wake: SimTime::from_secs(15) }));
}

#[test]
fn paas_options_round_trip_through_resolved_toml() {
    let s = parse(PLATFORM).unwrap_or_else(|e| panic!("{e}"));
    let written = to_resolved_toml(&s);
    let mut again = parse_str(&written, Path::new("resolved.toml")).unwrap_or_else(|e| panic!("{e}\n{written}"));
    again.source = s.source.clone();
    assert_eq!(again, s, "{written}");
    for fragment in [
        "routing = \"random\"",
        "dyno = \"standard-2x\"\nvcpus = 1\ncpu_share = 0.8333333333333334\nmonthly_usd = 50\ndynos = 4\n\
         router_overhead = \"1ms\"\n\
         router_timeout = \"25s\"\nbacklog = 20\nboot = \"10s\"\n",
        "dyno = \"eco\"\nvcpus = 1\ncpu_share = 0.4166666666666667\nmonthly_usd = 5\npool_hours = 1000\n",
        "sleep_after = \"30m\"\nwake = \"8s\"",
        "autoscaling = { min = 2, max = 12, p95_ms = 350 }",
        "routing = \"shared_queue\"",
    ] {
        assert!(written.contains(fragment), "{fragment:?} not in:\n{written}");
    }
}

#[test]
fn never_panics_on_truncated_or_mangled_paas_options() {
    for (i, _) in PLATFORM.char_indices() {
        if let Err(e) = parse(&PLATFORM[..i]) {
            assert!(e.to_string().starts_with("error: "));
        }
    }
    let lines: Vec<&str> = PLATFORM.lines().collect();
    for i in 0..lines.len() {
        let mut without = lines.clone();
        without.remove(i);
        let _ = parse(&without.join("\n")).map_err(|e| e.to_string());
    }
}

fn error(keys: &str) -> String {
    option_error(&format!("name = \"web\"\nkind = \"paas\"\nregion = \"washington\"\n{keys}"))
}

#[test]
fn every_paas_mistake_is_named() {
    let m = "dyno = \"performance-m\"\n";
    let scaled = |rest: &str| format!("{m}autoscaling = {{ {rest} }}");
    let cases = [
        ("dynos = 2".to_string(), "option \"web\".vcpus: required key is missing; without a dyno type"),
        ("vcpus = 1".into(), "option \"web\".monthly_usd: required key is missing; without a dyno type"),
        ("dyno = \"standard1x\"".into(), "unknown dyno type \"standard1x\", did you mean \"standard-1x\"?"),
        ("dyno = \"hobby\"".into(), "catalog dyno types: eco ($5/month, 1 vCPU at a 42 % share, 0.5 GB)"),
        ("dyno = \"x\"".into(), "performance-m ($250/month, 2 vCPUs, 2.5 GB, autoscales)"),
        ("dyno = 2".into(), "dyno: expected a string, got"),
        (format!("{m}vcpus = 4"), "dyno \"performance-m\" has 2 vCPUs here, not 4; choose one: dyno or vcpus"),
        (format!("{m}monthly_usd = -1"), "monthly_usd: expected a number >= 0, got -1"),
        ("vcpus = 0\nmonthly_usd = 5".into(), "vcpus: expected a positive integer, got 0"),
        (format!("{m}dynos = 0"), "dynos: expected a positive integer, got 0"),
        (
            "dyno = \"standard-2x\"\nautoscaling = { max = 4, p95_ms = 400 }".into(),
            "option \"web\".autoscaling: standard-2x dynos cannot autoscale; autoscaling needs performance-m or \
             performance-l",
        ),
        ("dyno = \"eco\"\nautoscaling = {}".into(), "eco dynos cannot autoscale"),
        (scaled("max = 4"), "autoscaling.p95_ms: required key is missing"),
        (scaled("p95_ms = 400"), "autoscaling.max: required key is missing"),
        (scaled("max = 4, p95_ms = 0"), "autoscaling.p95_ms: expected a number > 0, got 0"),
        (scaled("max = 4, p95_ms = -5"), "expected a number > 0, got -5"),
        (scaled("min = 5, max = 4, p95_ms = 400"), "autoscaling.max: max (4) must be at least min (5)"),
        (scaled("min = 0, max = 4, p95_ms = 400"), "autoscaling.min: expected a positive integer, got 0"),
        (scaled("max = 4, p95_ms = 400, policy = \"hpa\""), "\"policy\" is a key of iaas autoscaling"),
        (scaled("max = 4, p95ms = 400"), "unknown key \"p95ms\", did you mean \"p95_ms\"?"),
        (format!("{m}autoscaling = 3"), "autoscaling: expected a table, got"),
        (scaled("min = 2, max = 4, p95_ms = 400") + "\ndynos = 1", "dynos (1) must lie in [min, max] = [2, 4]"),
        (scaled("max = 4, p95_ms = 400") + "\ndynos = 5", "dynos (5) must lie in [min, max] = [1, 4] of autoscaling"),
        (format!("{m}router_timeout = \"0s\""), "option \"web\".router_timeout: must be longer than 0s"),
        (format!("{m}router_timeout = 30"), "router_timeout: expected a duration like \"90s\""),
        (format!("{m}router_overhead = \"-1ms\""), "durations cannot be negative"),
        (format!("{m}backlog = -1"), "backlog: expected an integer >= 0, got -1"),
        (format!("{m}boot = 10"), "boot: expected a duration like \"30m\" or a distribution"),
        (format!("{m}sleep_after = \"0s\""), "sleep_after: must be longer than 0s"),
        (format!("{m}sleep_after = \"30 mins\""), "unknown unit \"mins\""),
        (format!("{m}wake = \"5s\""), "option \"web\".wake: performance-m dynos never sleep unless sleep_after"),
        ("vcpus = 1\nmonthly_usd = 1\nwake = \"5s\"".into(), "these dynos never sleep unless sleep_after is given"),
        ("dyno = \"eco\"\nwake = \"fast\"".into(), "wake: expected a number in \"fast\""),
        (format!("{m}max_queue = 10"), "max_queue: a paas option limits its queues with \"backlog\""),
        (format!("{m}routing = \"roundrobin\""), "unknown routing \"roundrobin\", did you mean \"round_robin\"?"),
        (format!("{m}dynos = 3000000\nworkers_per_vcpu = 2"), "dynos × vcpus × workers_per_vcpu = 12000000"),
        (scaled("max = 3000000, p95_ms = 1") + "\nworkers_per_vcpu = 2", "max × vcpus × workers_per_vcpu = 12000000"),
        (format!("{m}dynoss = 2"), "unknown key \"dynoss\", did you mean \"dynos\"?"),
    ];
    for (keys, fragment) in cases {
        let err = error(&keys);
        assert!(err.contains(fragment), "expected {fragment:?} in:\n{err}");
    }
}
