//! IaaS autoscaling against the policies' rules, and network storage.

use std::path::Path;

use hostsim::hosting::cost::CostCategory;
use hostsim::model::Scenario;
use hostsim::sim::engine::{JobResult, run_job};
use hostsim::sim::series::BucketStats;

fn scenario(text: &str) -> Scenario {
    hostsim::scenario::parse_str(text, Path::new("iaas.toml")).unwrap_or_else(|e| panic!("{e}"))
}

fn run(s: &Scenario) -> JobResult {
    run_job(s, 0, 0, &Default::default()).unwrap()
}

fn buckets(job: &JobResult) -> Vec<BucketStats> {
    job.buckets.iter().collect::<Result<_, _>>().unwrap()
}

/// 16 rps of 100 ms CPU, stepping to 100 rps from 1 h to 3 h; 2-vCPU instances
/// booting in exactly 100 s, target 50 % CPU, 300 s warm-up.
pub(crate) fn step_load(policy: &str) -> Scenario {
    scenario(&format!(
        r#"
horizon = "5h"
bucket = "30s"
seed = 3
[traffic]
base_rps = 16
[[traffic.spike]]
at = "1h"
duration = "2h"
multiplier = 6.25
[workload]
cpu = {{ dist = "constant", value = "100ms" }}
timeout = "30s"
[[option]]
name = "web"
kind = "iaas"
region = "us-east-1"
vcpus = 2
hourly_usd = 0.096
boot = "100s"
initial = 2
autoscaling = {{ {policy}, min = 1, max = 40, warmup = "300s" }}
"#
    ))
}

/// Time-weighted mean of instances in service over the 30 s bucket starting at `t_s`.
fn instances_at(buckets: &[BucketStats], t_s: u64) -> f64 {
    buckets[(t_s / 30) as usize].instance_us as f64 / 30e6
}

#[test]
fn target_tracking_settles_on_the_proportional_count_after_the_step() {
    let job = run(&step_load(r#"policy = "target_tracking", metric = "cpu", target = 0.5"#));
    // Low load: 16 rps × 0.1 s = 1.6 busy vCPUs: 40 % of 2 instances (below 0.9 × target, and
    // ceil(2 × 0.4 / 0.5) = 2, so it stays at 2).
    // High load: 100 × 0.1 = 10 busy vCPUs: ceil(10 / (2 × 0.5)) = 10 instances (± 1).
    let buckets = buckets(&job);
    let before = instances_at(&buckets, 3_000);
    let settled = instances_at(&buckets, 3 * 3_600 - 60);
    assert!((before - 2.0).abs() <= 1.0, "before the step: {before}");
    assert!((settled - 10.0).abs() <= 1.0, "after the step: {settled}");
    // The first scale-out needs 3 datapoints above target: no sooner than
    // 3 min after the step, and new capacity serves a boot time (100 s) later.
    let first = job.scaling.iter().find(|r| r.change > 0).expect("a scale-out");
    assert!(first.observation.now.as_secs_f64() >= 3_600.0 + 180.0, "{first:?}");
    let grew =
        (0..buckets.len()).find(|&b| instances_at(&buckets, b as u64 * 30) > before + 0.5).unwrap() as f64 * 30.0;
    assert!(grew >= 3_600.0 + 180.0 + 100.0 - 30.0, "capacity grew at {grew} s");
    // Scale-in needs 15 datapoints below 0.9 × target: no sooner than 15 min after the drop at 3 h.
    let first_in = job.scaling.iter().find(|r| r.change < 0).expect("a scale-in");
    assert!(first_in.observation.now.as_secs_f64() >= 3.0 * 3_600.0 + 15.0 * 60.0, "{first_in:?}");
    // Warm-up: no scale-in decision was taken while an instance was warming,
    // and warming instances were never part of the measurement.
    for r in &job.scaling {
        if r.change < 0 {
            assert_eq!(r.observation.warming, 0, "{r:?}");
        }
        assert!(r.observation.measured + r.observation.warming <= r.observation.current, "{r:?}");
    }
}

#[test]
fn booting_and_warming_instances_are_in_the_series() {
    let job = run(&step_load(r#"policy = "target_tracking", metric = "cpu", target = 0.5"#));
    let launched: i64 = job.scaling.iter().map(|r| r.change.max(0)).sum();
    let retired_early = job.scaling.iter().any(|r| r.change < 0 && r.observation.warming > 0);
    assert!(launched >= 8 && !retired_early, "{launched} launched");
    // Every launch boots for exactly 100 s and then warms up for 300 s; the 2
    // initial instances serve at t = 0 and warm up for 300 s. So over the run:
    // booting instance-time = launched × 100 s, warming = (launched + 2) × 300 s.
    let buckets = buckets(&job);
    let total_s = |f: fn(&BucketStats) -> u64| buckets.iter().map(|b| f(b) as f64 / 1e6).sum::<f64>();
    assert_eq!(total_s(|b| b.pending_us), launched as f64 * 100.0);
    assert_eq!(total_s(|b| b.warming_us), (launched + 2) as f64 * 300.0);
    // The first scale-out's instances are booting in the 30 s bucket after the decision.
    let first = job.scaling.iter().find(|r| r.change > 0).unwrap();
    let b = &buckets[(first.observation.now.as_secs_f64() / 30.0) as usize + 1];
    assert_eq!(b.pending_us, first.change as u64 * 30_000_000);
}

#[test]
fn hpa_scales_up_at_once_and_down_after_the_window() {
    let job = run(&step_load(r#"policy = "hpa", metric = "cpu", target = 0.5"#));
    let settled = instances_at(&buckets(&job), 3 * 3_600 - 60);
    assert!((settled - 10.0).abs() <= 1.0, "after the step: {settled}");
    // Every change is proportional: ceil(measured × metric / target), here checked on
    // the recorded observations (HPA ignores changes within 10 % of the target).
    for r in &job.scaling {
        let o = r.observation;
        let m = o.metric.unwrap();
        assert!((m / 0.5 - 1.0).abs() > 0.1, "{r:?}");
    }
    // Before the drop at 3 h every recommendation was about 10; after it, about 2
    // (ceil(10 × 0.08 / 0.5)). Scale-down follows the highest recommendation of the
    // last 300 s, so the fleet cannot fall far below 10 until 300 s after the drop.
    let deep = job.scaling.iter().find(|r| r.change < 0 && r.observation.current as i64 + r.change < 8);
    let deep = deep.expect("a scale-down after the drop");
    assert!(deep.observation.now.as_secs_f64() >= 3.0 * 3_600.0 + 300.0, "{deep:?}");
}

#[test]
fn iops_cap_queues_like_m_d_1_and_latency_factor_multiplies_io() {
    // One instance with 64 vCPUs (no CPU queue); 1 ms CPU, 1 ms reference I/O, one
    // operation per request on a 100-IOPS volume: the volume is an M/D/1 queue with
    // D = 10 ms. At λ = 80 rps, ρ = 0.8 and the mean wait is ρD / (2(1 − ρ)) = 20 ms.
    // Response = 1 ms RTT + 1 ms CPU + 20 ms wait + max(1 ms × factor 1, D = 10 ms) = 32 ms.
    let text = |rps: f64, factor: f64, iops: &str| {
        format!(
            r#"
horizon = "2h"
warmup = "5m"
seed = 9
replications = 4
[traffic]
base_rps = {rps}
[workload]
cpu = {{ dist = "constant", value = "1ms" }}
io = {{ dist = "constant", value = "1ms" }}
io_ops = 1
[[option]]
name = "ebs"
kind = "iaas"
region = "washington"
vcpus = 64
hourly_usd = 1
initial = 1
storage = {{ kind = "network", latency_factor = {factor}{iops} }}
"#
        )
    };
    let mean_ms = |t: String| {
        let r = &hostsim::pipeline::simulate(&scenario(&t), true).unwrap()[0];
        let mean = r.mean_ms.unwrap();
        (mean.mean, mean.ci95.unwrap())
    };
    // The volume's wait is the response less its fixed 12 ms (RTT, CPU, one
    // operation of 10 ms); it must be within 5 % of M/D/1's, with a 95 % CI
    // (from 4 replications) under half of that.
    let wait = |(mean, ci): (f64, f64), theory: f64| {
        let w = mean - 12.0;
        eprintln!("M/D/1 wait {w:.3} ± {ci:.3} ms, theory {theory}");
        assert!((w / theory - 1.0).abs() < 0.05 && ci < 0.025 * theory, "wait {w} ± {ci} vs {theory}");
    };
    let at_80 = mean_ms(text(80.0, 1.0, ", iops = 100"));
    wait(at_80, 20.0);
    // Latency grows as the cap is approached: the wait is 5 ms at ρ = 0.5 (17 ms in all), 45 ms at ρ = 0.9.
    let at_50 = mean_ms(text(50.0, 1.0, ", iops = 100"));
    let at_90 = mean_ms(text(90.0, 1.0, ", iops = 100"));
    assert!(at_50.0 < at_80.0 && at_80.0 < at_90.0, "{at_50:?} {at_80:?} {at_90:?}");
    wait(at_50, 5.0);
    // Without a cap, the latency factor multiplies storage time: 1 + 1 + 1 ms × 10 = 12 ms.
    let slow = mean_ms(text(80.0, 10.0, "")).0;
    assert!((slow - 12.0).abs() < 0.05, "{slow}");
}

/// A day of m5.large (us-east-1, $0.096/h on demand) with no traffic, sized by a
/// schedule: 2 instances from t = 0; the minimum rises to 10 at 8 h (8 launched
/// then, booting 100 s, billed from launch) and falls to 2 at 20 h 30 s, so the
/// step policy's next evaluation, at 20 h 1 min, retires the 8 (idle: they end
/// at once). `commitments` are the option's purchase / savings_plan lines.
fn scheduled_day(commitments: &str) -> Scenario {
    scenario(&format!(
        r#"
horizon = "1d"
bucket = "10m"
seed = 1
[traffic]
base_rps = 0
[workload]
cpu = {{ dist = "constant", value = "10ms" }}
[[option]]
name = "ec2"
kind = "iaas"
region = "us-east-1"
instance = "m5.large"
boot = "100s"
{commitments}
autoscaling = {{ policy = "step", steps = [{{ above = 0.9, add = 1 }}], below = 0.3, remove = 8, cooldown = "60s", min = 2, max = 10, schedule = [{{ at = "8h", min = 10 }}, {{ at = "20h 30s", min = 2 }}] }}
"#
    ))
}

/// Three m5.large instances (no autoscaling) in us-east-1 serving `rps` of
/// 10 ms requests with 5 kB responses for `horizon`, with `keys` added.
fn fixed_m5_fleet(horizon: &str, rps: f64, keys: &str) -> Scenario {
    scenario(&format!(
        r#"
horizon = "{horizon}"
seed = 11
[traffic]
base_rps = {rps}
[workload]
cpu = {{ dist = "constant", value = "10ms" }}
response_kb = 5
[[option]]
name = "web"
kind = "iaas"
region = "us-east-1"
instance = "m5.large"
initial = 3
{keys}
"#
    ))
}

fn cost(job: &JobResult, category: &str) -> f64 {
    CostCategory::ALL.into_iter().find(|c| c.as_str() == category).map_or(f64::NAN, |c| job.cost.get(c))
}

#[test]
fn four_reserved_instances_under_a_fleet_peaking_at_ten() {
    let s = scheduled_day(r#"purchase = { reserved = 4, term = "1y", payment = "all_upfront" }"#);
    let job = run(&s);
    // Reserved: 4 × 24 h × $0.056393 (us-east-1 1y all upfront, 2026-05-12) = $5.413728.
    assert!((cost(&job, "reserved") - 5.413728).abs() < 1e-9, "{}", cost(&job, "reserved"));
    // Beyond 4: 10 − 4 = 6 instances from 8 h to 20 h 1 min = 6 × 43,260 s = 259,560 instance-seconds;
    // × $0.096 / 3600 = $6.9216 on demand (all lives outlast the 60 s minimum).
    assert!((cost(&job, "compute") - 6.9216).abs() < 1e-9, "{}", cost(&job, "compute"));
    assert!((job.cost.total_usd() - (5.413728 + 6.9216)).abs() < 1e-9);
    // Launched instance-time: 2 × 24 h + 8 × 12 h 1 min = 144.1333 h.
    assert_eq!(job.launched_instance_us, (2 * 86_400 + 8 * 43_260) as u128 * 1_000_000);
    assert_eq!(job.peak_instances, 10);
}

#[test]
fn unused_reservations_are_still_billed() {
    // 12 reserved, never more than 10 running: nothing on demand, all 12 paid for 24 h:
    // 12 × 24 × $0.056393 = $16.241184.
    let job = run(&scheduled_day(r#"purchase = { reserved = 12, term = "1y", payment = "all_upfront" }"#));
    assert_eq!(cost(&job, "compute"), 0.0);
    assert!((cost(&job, "reserved") - 16.241184).abs() < 1e-9);
}

#[test]
fn a_savings_plan_over_hours_under_and_over_its_commitment() {
    // $0.30/h at 28 % off covers $0.30 / 0.72 = $0.416667 of on-demand charges an hour.
    // Hours 0–7: 2 × $0.096 = $0.192, under. Hours 8–19: 10 × $0.096 = $0.96, over by $0.543333.
    // Hour 20: 2 × $0.096 + 8 × $0.096 × 60 / 3600 = $0.2048, under; hours 21–23: $0.192, under.
    // Compute = 12 × (0.96 − 0.416667) = $6.52; savings plan = 24 × $0.30 = $7.20.
    let job = run(&scheduled_day(r#"savings_plan = { usd_per_hour = 0.30, discount = 0.28 }"#));
    assert!((cost(&job, "savings_plan") - 7.20).abs() < 1e-9);
    assert!((cost(&job, "compute") - 12.0 * (0.96 - 0.30 / 0.72)).abs() < 1e-9, "{}", cost(&job, "compute"));
    // With 4 reservations first, the plan sees 6 × $0.096 = $0.576 over hours 8–19 and nothing else:
    // beyond = 12 × (0.576 − 0.416667) = $1.912.
    let both = r#"purchase = { reserved = 4, term = "1y", payment = "all_upfront" }
savings_plan = { usd_per_hour = 0.30, discount = 0.28 }"#;
    let job = run(&scheduled_day(both));
    assert!((cost(&job, "compute") - 12.0 * (0.576 - 0.30 / 0.72)).abs() < 1e-9, "{}", cost(&job, "compute"));
    assert!((cost(&job, "reserved") - 5.413728).abs() < 1e-9);
}

#[test]
fn commitments_read_back_from_resolved_toml() {
    let both = r#"purchase = { reserved = 4, term = "3y", payment = "all_upfront" }
savings_plan = { usd_per_hour = 0.30, discount = 0.28 }"#;
    let s = scheduled_day(both);
    let written = hostsim::scenario::to_resolved_toml(&s);
    assert!(
        written
            .contains(r#"purchase = { reserved = 4, term = "3y", payment = "all_upfront", usd_per_hour = 0.036111 }"#)
    );
    assert!(written.contains(r#"savings_plan = { usd_per_hour = 0.3, discount = 0.28 }"#), "{written}");
    let mut again = hostsim::scenario::parse_str(&written, Path::new("out/resolved.toml")).unwrap();
    again.source = s.source.clone();
    assert_eq!(again, s);
    assert_eq!(run(&again).cost, run(&s).cost);
}

#[test]
fn gp3_volumes_cost_28_dollars_per_instance_month() {
    use hostsim::hosting::cost::CostCategory;
    let s = fixed_m5_fleet("730h", 1.0, "storage = { kind = \"gp3\", gb = 100, iops = 6000, throughput_mbps = 250 }");
    let job = run(&s);
    // Compute: 3 × m5.large × 730 h × $0.096 = $210.24.
    assert!((job.cost.get(CostCategory::Compute) - 210.24).abs() < 1e-6);
    // Each volume: 100 GB × $0.08 + (6,000 − 3,000) IOPS × $0.005 + (250 − 125) MB/s × $0.04 = $28
    // a month; three instances for the whole 730 h: 3 × $28 = $84.
    assert!((job.cost.get(CostCategory::Storage) - 84.0).abs() < 1e-6, "{:?}", job.cost);
}

#[test]
fn an_alb_bills_started_hours_and_the_lcus_of_each_hour() {
    use hostsim::hosting::cost::CostCategory;
    // 100 requests/s for 2.5 h, one new connection each: 100 / 25 = 4 LCUs an hour (the bytes,
    // 100 × 3,600 × 5 kB = 1.8 GB an hour, are 1.8 LCUs; active connections are ~1, 0.0003 LCU).
    // The half hour at the end is billed as a whole hour with its own traffic (~2 LCUs):
    // 3 × $0.0225 + (4 + 4 + 2) × $0.008 = $0.1475. Exactly, the LCUs are the arrivals / (3,600 × 25).
    let job = run(&fixed_m5_fleet("150m", 100.0, "load_balancer = \"alb\""));
    let offered = job.summary.offered as f64;
    let bill = job.cost.get(CostCategory::LoadBalancer);
    assert!((bill - (3.0 * 0.0225 + offered / 90_000.0 * 0.008)).abs() < 1e-12, "{bill} {offered}");
    // Arrivals are Poisson: 900,000 ± 3 standard deviations (3 × 949).
    assert!((offered - 900_000.0).abs() < 3.0 * 949.0, "{offered}");
    assert!((bill - 0.1475).abs() < 3.0 * 949.0 / 90_000.0 * 0.008, "{bill}");
    // The buckets (150 of a minute) add up to the bill; the hours are charged in the minutes they start.
    let buckets = buckets(&job);
    let total: f64 = buckets.iter().map(|b| b.cost_usd).sum();
    assert!((total - job.cost.total_usd()).abs() < 1e-9);
    // Keep-alive: 50 requests a connection make the bytes (1.8 LCUs) the largest dimension.
    let kept = run(&fixed_m5_fleet("150m", 100.0, "load_balancer = { kind = \"alb\", requests_per_connection = 50 }"));
    let gb = kept.summary.served as f64 * 5.0 / 1e6;
    let bill = kept.cost.get(CostCategory::LoadBalancer);
    assert!((bill - (3.0 * 0.0225 + gb * 0.008)).abs() < 1e-6, "{bill} {gb}");
}

#[test]
fn a_hybrid_pays_its_baseline_by_the_hour_and_its_scheduled_burst_by_the_second() {
    // No traffic, 10 h. Baseline: 2 Linode 4 GB at $0.036 a started hour:
    // 2 × 10 × $0.036 = $0.72. Burst (m5.large, $0.096/h in us-east-1, per
    // second): the schedule raises its minimum to 3 at 2 h (3 launched then,
    // billed from launch) and drops it to 0 at 6 h 30 s, so the step policy's
    // next evaluation, at 6 h 1 min, retires the idle 3: 3 × 4 h 1 min × $0.096
    // = 3 × 14,460 s × $0.096 / 3,600 = $1.1568. Total $1.8768; at most 2 + 3 instances.
    let job = run(&scenario(
        r#"
horizon = "10h"
seed = 4
[traffic]
base_rps = 0
[workload]
cpu = { dist = "constant", value = "10ms" }
[[option]]
name = "hybrid"
kind = "hybrid"
region = "washington"
baseline = { kind = "vps", instances = 2, plan = "linode-4gb" }
burst = { instance = "m5.large", boot = "100s", autoscaling = { policy = "step", steps = [{ above = 0.9, add = 1 }], below = 0.3, remove = 8, cooldown = "60s", min = 0, max = 4, schedule = [{ at = "2h", min = 3 }, { at = "6h 30s", min = 0 }] } }
"#,
    ));
    assert!((cost(&job, "compute") - (0.72 + 1.1568)).abs() < 1e-9, "{:?}", job.cost);
    assert!((job.cost.total_usd() - 1.8768).abs() < 1e-9, "{:?}", job.cost);
    assert_eq!(job.peak_instances, 5);
    // Launched instance-time: 2 × 10 h + 3 × 4 h 1 min.
    assert_eq!(job.launched_instance_us, (2 * 36_000 + 3 * 14_460) as u128 * 1_000_000);
}
