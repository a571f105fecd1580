//! Whole-scenario tests of iaas and hybrid options: every policy, schedule,
//! storage and billing, both baseline kinds, through `resolved.toml` and back.

use std::path::Path;

use super::model::{Dist, Kind, Metric, Policy, StorageKind};
use super::*;
use crate::time::SimTime;

const CLOUD: &str = r#"
horizon = "7d"
[traffic]
base_rps = 40
[workload]
cpu = { dist = "exponential", mean = "40ms" }
io = { dist = "lognormal", mean = "5ms", cv = 1.0 }

[[option]]
name = "tracking"
kind = "iaas"
region = "us-east-1"
instance = "m5.large"
billing = { granularity = "1h", minimum = "1h" }
storage = { kind = "network", iops = 3000, usd_per_month = 8 }
autoscaling = { policy = "target_tracking", target = 0.6, min = 2, max = 20, schedule = [{ at = "8h", every = "1d", min = 6 }, { at = "20h", every = "1d", min = 2 }, { at = "3d" , min = 4 }] }

[[option]]
name = "stepped"
kind = "iaas"
region = "washington"
vcpus = 4
hourly_usd = 0.2
boot = { dist = "uniform", min = "40s", max = "2m" }
storage = { kind = "gp3", gb = 100, iops = 6000, throughput_mbps = 250 }
load_balancer = "alb"
autoscaling = { policy = "step", max = 12, steps = [{ above = 0.7, add = 1 }, { above = 0.9, add = 3 }], cooldown = "2m" }

[[option]]
name = "k8s"
kind = "iaas"
region = "london"
instance = "c5.large"
initial = 3
boot = "45s"
storage = { kind = "local", iops = 20000 }
autoscaling = { policy = "hpa", metric = "requests_per_instance", target = 900, min = 1, max = 10 }

[[option]]
name = "foresight"
kind = "iaas"
region = "us-east-1"
instance = "t3.medium"
boot = { dist = "exponential", mean = "1m" }
storage = { kind = "gp2", gb = 50 }
autoscaling = { policy = "predictive", metric = "p95_ms", target = 300, min = 1, max = 8, warmup = "1m" }

[[option]]
name = "fixed"
kind = "iaas"
region = "eu-west-1"
instance = "m5.large"
hourly_usd = 0.107
initial = 3
workers_per_vcpu = 2
storage = { kind = "io2", gb = 100, iops = 4000, usd_per_month = 290 }
load_balancer = { kind = "alb", usd_per_hour = 0.0252, usd_per_lcu_hour = 0.008, requests_per_connection = 4, rules = 12 }

[[option]]
name = "vps+burst"
kind = "hybrid"
region = "washington"
max_queue = 500
baseline = { kind = "vps", instances = 2, plan = "linode-4gb", neighbours = { host_cores = 32, count = 10, utilization = 0.3 } }
burst = { instance = "m5.large", autoscaling = { policy = "target_tracking", target = 0.7, max = 6, schedule = [{ at = "9h", every = "1d", min = 1 }] } }
outages = { mtbf = "90d", duration = "30m" }
load_balancer = "alb"

[[option]]
name = "metal+burst"
kind = "hybrid"
region = "washington"
baseline = { kind = "bare_metal", servers = 1, cores = 16, price_usd = 6000, power = { idle_w = 59, max_w = 404, usd_per_kwh = 0.09 }, failures = { mtbf = "2y", repair = "48h" } }
burst = { vcpus = 2, hourly_usd = 0.1, storage = { kind = "network" }, autoscaling = { policy = "step", min = 1, max = 4, steps = [{ above = 0.8, add = 2 }] } }
"#;

fn cloud() -> model::Scenario {
    parse_str(CLOUD, Path::new("cloud.toml")).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_policy_and_both_baselines_round_trip() {
    let s = cloud();
    let written = to_resolved_toml(&s);
    let mut again = parse_str(&written, Path::new("resolved.toml")).unwrap_or_else(|e| panic!("{e}\n{written}"));
    again.source = s.source.clone();
    assert_eq!(again, s, "{written}");
    // Defaults are spelled out.
    for fragment in [
        "warmup = \"0s\"",
        "warmup = \"5m\"",
        "below = 0.3, remove = 1, cooldown = \"2m\"",
        "billing = { granularity = \"1s\", minimum = \"1m\" }",
        "storage = { kind = \"network\", latency_factor = 10, usd_per_month = 0 }",
        "boot = { dist = \"lognormal\", mean = \"97s\", cv = 0.2 }",
        "baseline = { kind = \"vps\", instances = 2, plan = \"linode-4gb\"",
        "initial = 0",
        "storage = { kind = \"gp3\", gb = 100, throughput_mbps = 250, latency_factor = 10, iops = 6000, usd_per_month = 28 }",
        "storage = { kind = \"gp2\", gb = 50, latency_factor = 10, usd_per_month = 5 }",
        "load_balancer = { kind = \"alb\", usd_per_hour = 0.0225, usd_per_lcu_hour = 0.008, requests_per_connection = 1, rules = 1 }",
    ] {
        assert!(written.contains(fragment), "{fragment:?} not in:\n{written}");
    }
}

#[test]
fn policies_schedules_storage_and_billing_resolve() {
    let s = cloud();
    let iaas = |i: usize| match &s.options[i].kind {
        Kind::Iaas(x) => x.clone(),
        other => panic!("{other:?}"),
    };
    let tracking = iaas(0);
    assert_eq!((tracking.billing.granularity, tracking.billing.minimum), (SimTime::HOUR, SimTime::HOUR));
    assert_eq!((tracking.storage.kind, tracking.storage.latency_factor), (StorageKind::Network, 10.0));
    assert_eq!((tracking.storage.iops, tracking.storage.usd_per_month, tracking.initial), (Some(3000.0), 8.0, 2));
    let a = tracking.autoscaling.unwrap();
    assert_eq!(a.schedule.len(), 3);
    assert_eq!((a.schedule[2].at, a.schedule[2].every, a.schedule[2].min), (SimTime(3 * SimTime::DAY.0), None, 4));
    let stepped = iaas(1);
    assert_eq!((stepped.instance, stepped.vcpus, stepped.initial), (None, 4, 1));
    assert_eq!(stepped.boot, Dist::Uniform { min_s: 40.0, max_s: 120.0 });
    let Policy::Step { steps, below, remove, cooldown } = stepped.autoscaling.unwrap().policy else { panic!() };
    assert_eq!((steps.len(), below, remove, cooldown), (2, 0.3, 1, SimTime::from_secs(120)));
    let k8s = iaas(2);
    assert_eq!((k8s.initial, k8s.boot.clone(), k8s.storage.latency_factor), (3, Dist::Constant { value_s: 45.0 }, 1.0));
    let a = k8s.autoscaling.unwrap();
    assert_eq!(
        (a.policy, a.warmup),
        (Policy::Hpa { metric: Metric::RequestsPerInstance, target: 900.0 }, SimTime::ZERO)
    );
    let foresight = iaas(3);
    assert_eq!(foresight.boot, Dist::Exponential { mean_s: 60.0 });
    assert_eq!(foresight.autoscaling.unwrap().policy, Policy::Predictive { metric: Metric::P95Ms, target: 300.0 });
    let fixed = iaas(4);
    assert_eq!((fixed.hourly_usd, fixed.initial, fixed.autoscaling), (0.107, 3, None));
    assert_eq!((s.options[4].region.as_str(), s.options[4].workers_per_vcpu), ("london", 2));
    let Kind::Hybrid(h) = &s.options[5].kind else { panic!("{:?}", s.options[5].kind) };
    assert!(matches!(&*h.baseline, Kind::Vps(v) if v.neighbours.is_some()));
    assert_eq!((h.burst.initial, h.burst.autoscaling.as_ref().map(|a| a.min)), (0, Some(0)));
    assert_eq!((s.options[5].max_queue, s.options[5].outages.is_some()), (Some(500), true));
    let Kind::Hybrid(h) = &s.options[6].kind else { panic!("{:?}", s.options[6].kind) };
    assert!(matches!(&*h.baseline, Kind::BareMetal(b) if b.power.is_some() && b.failures.is_some()));
    assert_eq!((h.burst.initial, h.burst.storage.latency_factor), (1, 10.0));
}

#[test]
fn never_panics_on_truncated_or_mangled_cloud_options() {
    for (i, _) in CLOUD.char_indices() {
        if let Err(e) = parse_str(&CLOUD[..i], Path::new("cut.toml")) {
            assert!(e.to_string().starts_with("error: "));
        }
    }
    let lines: Vec<&str> = CLOUD.lines().collect();
    for i in 0..lines.len() {
        let mut without = lines.clone();
        without.remove(i);
        let _ = parse_str(&without.join("\n"), Path::new("cut.toml")).map_err(|e| e.to_string());
    }
}
