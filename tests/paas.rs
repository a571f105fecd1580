//! PaaS: the router's random routing, its limits, Heroku autoscaling and
//! sleeping dynos.

mod common;

use common::theory::{mmc_mean_response_s, mmc_response_quantile_s};
use hostsim::scenario::model::{Dist, PaasAutoscaling, Sleep};
use hostsim::sim::engine::run_job;
use hostsim::sim::time::SimTime;

#[test]
fn random_routing_is_c_independent_m_m_1_queues() {
    // 4 dynos, one worker each, ρ = 0.8, exponential service of 10 ms: λ = 320 rps.
    // Random routing splits Poisson arrivals into 4 Poisson streams of 80 rps, so each
    // dyno is an M/M/1 at ρ = 0.8: mean response 10 ms / (1 − 0.8) = 50 ms (+ 1 ms router).
    let base = common::bare_metal(1, 1, 320.0, Dist::Exponential { mean_s: 0.01 }, SimTime::from_secs(3 * 3_600), 8);
    let mut s = common::paas(base, 4, None, None);
    s.workload.timeout = SimTime::from_secs(3_600);
    if let hostsim::scenario::model::Kind::Paas(p) = &mut s.options[0].kind {
        p.router_timeout = SimTime::from_secs(3_600);
        p.backlog = 1_000_000;
    }
    let r = &hostsim::app::simulate(&s, true).unwrap()[0];
    let mean = r.mean_ms.unwrap();
    let mm1 = mmc_mean_response_s(1, 80.0, 100.0) * 1e3 + 1.0;
    eprintln!("random routing mean {:.3} ± {:.3} ms, M/M/1 {mm1:.3}", mean.mean, mean.ci95.unwrap());
    assert!((mean.mean / mm1 - 1.0).abs() < 0.03, "{} vs {mm1}", mean.mean);
    assert!(mean.ci95.unwrap() < 0.015 * mm1);
    // A shared queue (M/M/4 at the same ρ) has p99 = 68.9 ms; random routing's p99 is
    // the M/M/1's, ln(100) × 50 ms = 230 ms: clearly worse.
    let shared_p99 = mmc_response_quantile_s(4, 320.0, 100.0, 0.99) * 1e3 + 1.0;
    let p99 = r.p99_ms.unwrap().mean;
    eprintln!("random routing p99 {p99:.1} ms, shared queue {shared_p99:.1} ms");
    assert!(p99 > 2.0 * shared_p99, "{p99} vs {shared_p99}");
}

#[test]
fn router_limits_time_out_at_30_s_and_reject_beyond_the_backlog() {
    // 2 dynos of one worker, 1 s service, 10 rps offered: each dyno gets 5 rps and
    // serves 1. Its queue fills to the 50-request backlog (H11 rejects beyond), and a
    // request admitted deep in it would wait up to 50 s: the router cuts it off at
    // 30 s (H12, timed out).
    let base = common::bare_metal(1, 1, 10.0, Dist::Constant { value_s: 1.0 }, SimTime::from_secs(3_600), 1);
    let s = common::paas(base, 2, None, None);
    let job = run_job(&s, 0, 0, &Default::default()).unwrap();
    let o = job.summary;
    assert_eq!(o.offered, o.accounted());
    assert!(o.rejected > 0 && o.timed_out > 0 && o.served > 0, "{o:?}");
    for b in job.buckets.iter().map(Result::unwrap) {
        assert_eq!(b.outcomes.offered, b.outcomes.accounted());
    }
    // Nothing served took longer than the router allows.
    assert!(job.latency.max().unwrap() <= 30_000_000, "{:?}", job.latency.max());
    // The dynos still work flat out (the router does not stop a request already
    // started), but FCFS under this overload collapses: the requests reaching the
    // front have waited nearly 30 s, so most finish too late to count as served.
    let busy: u64 = job.buckets.iter().map(|b| b.unwrap().busy_slot_us).sum();
    assert!(busy as f64 / (2.0 * s.horizon.0 as f64) > 0.95, "utilisation {busy}");
    assert!(o.served < o.timed_out, "{o:?}");
}

#[test]
fn autoscaling_adds_at_most_one_dyno_a_minute_and_removes_them_more_slowly() {
    // 1-worker dynos, 50 ms exponential service, target p95 400 ms; 10 rps (one dyno
    // suffices: p95 = ln 20 / (20 − 10) = 300 ms), then 60 rps from 1 h to 2 h (about 5
    // dynos needed), then 10 again.
    let mut base = common::bare_metal(1, 1, 10.0, Dist::Exponential { mean_s: 0.05 }, SimTime::from_secs(4 * 3_600), 1);
    base.traffic.spikes.push(hostsim::scenario::model::Spike {
        at: SimTime::from_secs(3_600),
        duration: SimTime::from_secs(3_600),
        ramp: SimTime::ZERO,
        multiplier: 6.0,
    });
    let s = common::paas(base, 2, None, Some(PaasAutoscaling { min: 1, max: 20, p95_ms: 400.0 }));
    let job = run_job(&s, 0, 0, &Default::default()).unwrap();
    let ups: Vec<f64> = job.scaling.iter().filter(|r| r.change > 0).map(|r| r.observation.now.as_secs_f64()).collect();
    let downs: Vec<f64> =
        job.scaling.iter().filter(|r| r.change < 0).map(|r| r.observation.now.as_secs_f64()).collect();
    assert!(job.scaling.iter().all(|r| r.change.abs() == 1), "one dyno per event");
    assert!(ups.len() >= 2 && !downs.is_empty(), "{ups:?} {downs:?}");
    for pair in job.scaling.windows(2) {
        let gap = pair[1].observation.now.0 - pair[0].observation.now.0;
        assert!(gap >= 60_000_000, "events at least a minute apart: {pair:?}");
    }
    // Down is slower than up: at least 5 minutes between removals.
    for pair in downs.windows(2) {
        assert!(pair[1] - pair[0] >= 300.0, "{downs:?}");
    }
}

#[test]
fn a_sleeping_dyno_makes_the_next_request_wait_for_it_to_wake() {
    // One eco dyno that sleeps after 30 min idle and takes 8 s to wake; a request every
    // 2 hours on average finds it asleep, so its response is 8 s + 20 ms + 2 ms.
    let base =
        common::bare_metal(1, 1, 1.0 / 7_200.0, Dist::Constant { value_s: 0.02 }, SimTime(60 * SimTime::DAY.0), 1);
    let sleep = Sleep { after: SimTime::from_secs(1_800), wake: SimTime::from_secs(8) };
    let s = common::paas(base, 1, Some(sleep), None);
    let job = run_job(&s, 0, 0, &Default::default()).unwrap();
    // Requests after a long idle wake the dyno: p50 ≈ 8.021 s (RTT 0 + 1 ms router + 20 ms + 8 s).
    let p50 = job.latency.quantile(0.5).unwrap() / 1e3;
    assert!((p50 - 8_021.0).abs() < 10.0, "{p50}");
    // Without sleep the same requests take 21 ms.
    let awake = run_job(&common::paas(s.clone(), 1, None, None), 0, 0, &Default::default()).unwrap();
    assert!((awake.latency.quantile(0.5).unwrap() / 1e3 - 21.0).abs() < 0.1);
}
