//! Failures, outages and noisy neighbours against their models' arithmetic.

use hostsim::model::{Dist, Failures, Kind, Neighbours, Outages, Scenario};
use hostsim::stats::ci::estimate;
use hostsim::time::SimTime;

use crate::common;

fn hours(h: u64) -> SimTime {
    SimTime(h * SimTime::HOUR.0)
}

/// Per-replication values of `f` over a scenario's single option.
fn per_replication(s: &Scenario, f: impl Fn(&hostsim::sim::engine::JobResult) -> f64) -> Vec<f64> {
    (0..s.replications).map(|r| f(&hostsim::sim::engine::run_job(s, 0, r, &Default::default()).unwrap())).collect()
}

/// |sim − theory| within two 95 % half-widths (about 4 standard errors),
/// and the interval narrow enough (`max_ci`) for the check to mean something.
fn check(what: &str, values: &[f64], theory: f64, max_ci: f64) {
    let e = estimate(values);
    let ci = e.ci95.unwrap();
    eprintln!("{what}: sim {:.5} ± {ci:.5}, theory {theory:.5}", e.mean);
    assert!((e.mean - theory).abs() <= 2.0 * ci, "{what}: {} vs {theory} (ci {ci})", e.mean);
    assert!(ci <= max_ci, "{what}: interval {ci} too wide");
}

#[test]
fn one_server_is_up_mtbf_over_mtbf_plus_mttr() {
    // MTBF 10 h, repair exponential with mean 2 h: up 10 / (10 + 2) = 0.83333 of the time.
    // 16 replications of 2,000 h each see about 16 × 167 failure cycles.
    let mut s = common::bare_metal(1, 4, 0.5, Dist::Constant { value_s: 0.1 }, hours(2_000), 16);
    s.warmup = SimTime::ZERO;
    let Kind::BareMetal(b) = &mut s.options[0].kind else { unreachable!() };
    b.failures = Some(Failures { mtbf: hours(10), repair: Dist::Exponential { mean_s: 7_200.0 } });
    let up = per_replication(&s, |j| j.instance_us as f64 / s.horizon.0 as f64);
    check("availability", &up, 10.0 / 12.0, 0.02);
}

#[test]
fn outages_take_everything_down_and_fail_what_is_in_service() {
    // Outages every 20 h on average (from the end of the last), lasting 1 h:
    // up 20 / 21 = 0.95238 of the time, about 2,100 h / 21 h = 100 outages per run.
    // 100 cores never queue, so at an outage's start the requests in service,
    // Poisson with mean λ·E[S] = 1 rps × 10 s = 10, fail.
    let mut s = common::bare_metal(1, 100, 1.0, Dist::Constant { value_s: 10.0 }, hours(2_100), 8);
    s.warmup = SimTime::ZERO;
    s.workload.timeout = SimTime::from_secs(30);
    s.options[0].outages = Some(Outages { mtbf: hours(20), duration: Dist::Constant { value_s: 3_600.0 } });
    let runs: Vec<_> =
        (0..s.replications).map(|r| hostsim::sim::engine::run_job(&s, 0, r, &Default::default()).unwrap()).collect();
    let up: Vec<f64> = runs.iter().map(|j| j.instance_us as f64 / s.horizon.0 as f64).collect();
    check("outage availability", &up, 20.0 / 21.0, 0.01);
    // The number of outages varies (sd ≈ 9.5 per run), so counts are taken
    // per outage: one server down 1 h per outage, so a run's outages are its
    // downtime in hours (an outage cut by the horizon counts in part). Each
    // outage's count is Poisson with mean m, so over K outages in all the
    // count per outage has standard error √(m/K): the tolerance is 4 of them.
    let outages: f64 = runs.iter().map(|j| (s.horizon.0 as f64 - j.instance_us as f64) / 3.6e9).sum();
    let per_outage = |what: &str, count: fn(&hostsim::sim::engine::JobResult) -> u64, m: f64| {
        let sim = runs.iter().map(|j| count(j) as f64).sum::<f64>() / outages;
        let allowed = 4.0 * (m / outages).sqrt();
        eprintln!("{what}: sim {sim:.4}, theory {m} (±{allowed:.4}; {outages:.1} outages)");
        assert!((sim - m).abs() <= allowed, "{what}: {sim} vs {m}");
    };
    // Failed: the requests in service at an outage's start, Poisson(10):
    // ±0.45 over ~800 outages (before: ±2 CIs of the failures per run, ~16 %).
    per_outage("failed per outage", |j| j.summary.failed, 10.0);
    // Arrivals during an outage wait for it to end; all but those of its last 20 s
    // (timeout 30 s − 10 s of service) give up: Poisson(3,580), ±8.5 (0.24 %).
    per_outage("timed out per outage", |j| j.summary.timed_out, 3_580.0);
    for j in &runs {
        assert_eq!(j.summary.offered, j.summary.accounted());
    }
}

fn neighbours(count: u32, utilization: f64) -> Neighbours {
    Neighbours { host_cores: 8, count, vcpus: 2, utilization, period: SimTime::from_secs(600), io_slowdown: 2.0 }
}

/// A 3 × 4-vCPU VPS fleet at about 60 % load.
fn fleet(n: Option<Neighbours>) -> Scenario {
    let mut s = common::bare_metal(1, 1, 60.0, Dist::Exponential { mean_s: 0.1 }, hours(12), 2);
    s.workload.io = Some(Dist::Exponential { mean_s: 0.01 });
    s.workload.timeout = SimTime::from_secs(3_600);
    common::vps(s, 3, 4, n)
}

#[test]
fn idle_neighbours_change_nothing() {
    let quiet = hostsim::pipeline::simulate(&fleet(None), true).unwrap();
    let idle = hostsim::pipeline::simulate(&fleet(Some(neighbours(10, 0.0))), true).unwrap();
    let (a, b) = (&quiet[0], &idle[0]);
    assert_eq!(a.outcomes, b.outcomes);
    assert_eq!(a.mean_ms, b.mean_ms);
    assert_eq!(a.p99_ms, b.p99_ms);
    assert_eq!(a.max_ms, b.max_ms);
}

#[test]
fn more_or_busier_neighbours_never_make_it_faster() {
    let run = |count, u| {
        let r = &hostsim::pipeline::simulate(&fleet(Some(neighbours(count, u))), true).unwrap()[0];
        (r.mean_ms.unwrap().mean, r.p99_ms.unwrap().mean)
    };
    let mut last = (0.0, 0.0);
    let mut by_count = vec![];
    for count in [0, 2, 4, 6] {
        let now = run(count, 0.5);
        assert!(now.0 >= last.0 && now.1 >= last.1, "count {count}: {now:?} after {last:?}");
        by_count.push(now);
        last = now;
    }
    let mut last = (0.0, 0.0);
    let mut by_utilization = vec![];
    for u in [0.0, 0.2, 0.4, 0.6, 0.8] {
        let now = run(4, u);
        assert!(now.0 >= last.0 && now.1 >= last.1, "utilization {u}: {now:?} after {last:?}");
        by_utilization.push(now);
        last = now;
    }
    // At the extremes the difference is no tie: 6 neighbours at half load
    // against none, 4 at 80 % against idle ones, slow the mean by over 10 %.
    for (what, series) in [("count", &by_count), ("utilization", &by_utilization)] {
        let (first, last) = (series[0], series[series.len() - 1]);
        assert!(last.0 > 1.1 * first.0 && last.1 > first.1, "{what}: {last:?} vs {first:?}");
    }
}

/// At light load a request's CPU time is stretched by 1/(1 − steal) at its
/// start: host of 8 cores, this VPS's own vCPU busy (D = 1 + 2N with N of 8
/// neighbours of 2 vCPUs busy, N ~ Binomial(8, 0.5) as an arrival sees it),
/// steal 1 − 8/D when D > 8, so the stretch is max(1, (1 + 2N)/8):
/// E = Σ C(8, N)/256 × max(1, (1 + 2N)/8) over N = 0..8. The mean response
/// of 10 ms constant requests (0.2 rps, no I/O, no queueing) is 10 ms × E.
/// The neighbours redraw every 10 min on average, so 4 runs of 20 days hold
/// ~11,000 independent states: the standard error is ~0.3 %.
#[test]
fn steal_stretches_service_by_its_expected_factor() {
    let stretch: f64 = (0..=8u32).map(|k| binomial(8, k) / 256.0 * ((1.0 + 2.0 * f64::from(k)) / 8.0).max(1.0)).sum();
    // N ≤ 3 (93 of 256) no steal; N ≥ 4: (70 × 9 + 56 × 11 + 28 × 13 + 8 × 15 + 1 × 17)/8
    // = 218.375 of 256: E = (93 + 218.375)/256 = 1.21631.
    assert!((stretch - 1.216_31).abs() < 1e-5, "{stretch}");
    let mut s = common::bare_metal(1, 1, 0.2, Dist::Constant { value_s: 0.01 }, hours(24 * 20), 4);
    s.workload.timeout = SimTime::from_secs(300);
    let n = Neighbours { count: 8, ..neighbours(8, 0.5) };
    let s = common::vps(s, 1, 4, Some(n));
    let means: Vec<f64> = per_replication(&s, |j| j.latency.mean().unwrap() / 1e4);
    check("service stretch", &means, stretch, 0.01);
}

#[test]
fn mean_steal_matches_the_binomial_expectation() {
    // Host 8 cores; the VPS's 4 vCPUs are always busy (overloaded); 6 neighbours of
    // 2 vCPUs, each busy half the time: N ~ Binomial(6, 0.5), D = 4 + 2N, steal = 1 − 8/D if D > 8.
    let n = neighbours(6, 0.5);
    let expected: f64 = (0..=6u32)
        .map(|k| {
            let p = binomial(6, k) * 0.5f64.powi(6);
            let d = 4.0 + 2.0 * f64::from(k);
            p * if d > 8.0 { 1.0 - 8.0 / d } else { 0.0 }
        })
        .sum();
    // = (20 × 0.2 + 15 × 1/3 + 6 × 3/7 + 1 × 0.5) / 64 = 0.188616
    assert!((expected - 0.188_616).abs() < 1e-5);
    let mut s = common::bare_metal(1, 1, 1.0, Dist::Constant { value_s: 10.0 }, hours(24 * 20), 4);
    s.workload.timeout = SimTime::from_secs(300);
    let s = common::vps(s, 1, 4, Some(n));
    let steal: Vec<f64> = per_replication(&s, |j| {
        let (busy, weighted) = j
            .buckets
            .iter()
            .map(Result::unwrap)
            .fold((0.0, 0.0), |(b, w), x| (b + x.busy_slot_us as f64, w + x.steal_busy_us));
        weighted / busy
    });
    let mean = steal.iter().sum::<f64>() / steal.len() as f64;
    eprintln!("mean steal {mean:.5}, expected {expected:.5}");
    assert!((mean / expected - 1.0).abs() < 0.05, "{mean} vs {expected}");
}

fn binomial(n: u32, k: u32) -> f64 {
    (1..=k).map(|i| f64::from(n - k + i) / f64::from(i)).product()
}
