//! PaaS: the router's random routing, its limits, Heroku autoscaling and
//! sleeping dynos.

use hostsim::model::{Dist, PaasAutoscaling, Sleep};
use hostsim::sim::engine::run_job;
use hostsim::time::SimTime;

use crate::common;
use crate::common::theory::{erlang_b, mean_ci95, mmc_mean_response_s, mmc_response_quantile_s};

#[test]
fn random_routing_is_c_independent_m_m_1_queues() {
    // 4 dynos, one worker each, ρ = 0.8, exponential service of 10 ms: λ = 320 rps.
    // Random routing splits Poisson arrivals into 4 Poisson streams of 80 rps, so each
    // dyno is an M/M/1 at ρ = 0.8: mean response 10 ms / (1 − 0.8) = 50 ms (+ 1 ms router).
    let base = common::bare_metal(1, 1, 320.0, Dist::Exponential { mean_s: 0.01 }, SimTime::from_secs(3 * 3_600), 8);
    let mut s = common::paas(base, 4, None, None);
    s.workload.timeout = SimTime::from_secs(3_600);
    if let hostsim::model::Kind::Paas(p) = &mut s.options[0].kind {
        p.router_timeout = SimTime::from_secs(3_600);
        p.backlog = 1_000_000;
    }
    let r = &hostsim::pipeline::simulate(&s, true).unwrap()[0];
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
fn the_backlog_holds_exactly_50_requests_per_dyno() {
    // 2 dynos of one worker, 10 rps of requests that each take 3 h, a 1 h run,
    // and no timeout before the horizon: no request finishes or gives up, so
    // each dyno holds the one it serves plus its backlog of 50, and every
    // other arrival is rejected (H11). In flight at the horizon: exactly
    // 2 × (1 + 50) = 102, whatever the arrivals; a backlog of 49 or 100 shows.
    let base = common::bare_metal(1, 1, 10.0, Dist::Constant { value_s: 3.0 * 3_600.0 }, SimTime::from_secs(3_600), 1);
    let mut s = common::paas(base, 2, None, None);
    s.warmup = SimTime::ZERO;
    s.workload.timeout = SimTime::from_secs(2 * 3_600);
    if let hostsim::model::Kind::Paas(p) = &mut s.options[0].kind {
        p.router_timeout = SimTime::from_secs(2 * 3_600);
    }
    let o = run_job(&s, 0, 0, &Default::default()).unwrap().summary;
    assert_eq!((o.in_flight, o.served, o.timed_out, o.failed), (102, 0, 0, 0), "{o:?}");
    assert_eq!(o.rejected, o.offered - 102, "{o:?}");
}

#[test]
fn backlog_zero_is_a_loss_system_per_dyno() {
    // One dyno of 5 workers, backlog 0, λ = 360/s of 10 ms: the router rejects an
    // arrival only when all 5 are busy, so it loses Erlang B(5, 3.6) = 16.31 %.
    // 8 seeds; the mean loss is within 2 % of theory.
    let losses: Vec<f64> = (0..8)
        .map(|seed| {
            let base = common::bare_metal(1, 1, 360.0, Dist::Exponential { mean_s: 0.01 }, SimTime::from_secs(600), 1);
            let mut s = common::paas(base, 1, None, None);
            s.seed = 2_000 + seed;
            s.options[0].workers_per_vcpu = 5;
            if let hostsim::model::Kind::Paas(p) = &mut s.options[0].kind {
                p.backlog = 0;
            }
            let o = hostsim::pipeline::simulate(&s, true).unwrap()[0].outcomes;
            o.rejected / o.offered
        })
        .collect();
    let (loss, ci) = mean_ci95(&losses);
    let b = erlang_b(5, 3.6);
    eprintln!("backlog 0 loss {loss:.4} ± {ci:.4}, Erlang B {b:.4}");
    assert!((loss - b).abs() < 0.02 * b && ci < 0.01 * b, "{loss} ± {ci} vs {b}");
}

#[test]
fn autoscaling_adds_at_most_one_dyno_a_minute_and_removes_them_more_slowly() {
    // 1-worker dynos, 50 ms exponential service, target p95 400 ms; 10 rps (one dyno
    // suffices: p95 = ln 20 / (20 − 10) = 300 ms), then 60 rps from 1 h to 2 h (about 5
    // dynos needed), then 10 again.
    let mut base = common::bare_metal(1, 1, 10.0, Dist::Exponential { mean_s: 0.05 }, SimTime::from_secs(4 * 3_600), 1);
    base.traffic.spikes.push(hostsim::model::Spike {
        at: SimTime::from_secs(3_600),
        duration: SimTime::from_secs(3_600),
        ramp: SimTime::ZERO,
        multiplier: 6.0,
        every: None,
        until: None,
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

/// One option on the dyno type `dyno`, with `catalog` lines, under 2 rps of
/// constant 50 ms CPU for 10 days.
fn on_dyno(dyno: &str, catalog: &str) -> hostsim::model::Scenario {
    let text = format!(
        r#"
horizon = "10d"
seed = 5
[traffic]
base_rps = 2
[workload]
cpu = {{ dist = "constant", value = "50ms" }}
[[option]]
name = "web"
kind = "paas"
region = "washington"
dyno = "{dyno}"
{catalog}
"#
    );
    hostsim::scenario::parse_str(&text, std::path::Path::new("dyno.toml")).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_shared_dyno_runs_at_its_cpu_share_and_the_catalog_prices_it() {
    // Basic: 1 vCPU at a 2.5/6 share, so 50 ms of reference CPU takes
    // 50 / (2.5 / 6) = 120 ms; + 1 ms router + 1 ms RTT within washington. At 2 rps
    // it is busy 24 % of the time, so some requests queue: the median is the bare
    // response time, the mean above it.
    let r = &hostsim::pipeline::simulate(&on_dyno("basic", ""), true).unwrap()[0];
    assert!((r.p50_ms.unwrap() - 122.0).abs() < 0.5, "{:?}", r.p50_ms);
    assert!(r.mean_ms.unwrap().mean > 122.5);
    assert!((r.utilization - 2.0 * 0.12).abs() < 0.01, "{}", r.utilization);
    // $7 per 730 h: 10 days = 240 h cost 7 × 240 / 730 = $2.3014.
    assert!((r.total_cost_usd.mean - 7.0 * 240.0 / 730.0).abs() < 1e-9, "{:?}", r.total_cost_usd);
    // Performance-M is dedicated (share 1): 50 ms + 2 ms.
    let m = &hostsim::pipeline::simulate(&on_dyno("performance-m", ""), true).unwrap()[0];
    assert!((m.p50_ms.unwrap() - 52.0).abs() < 0.5, "{:?}", m.p50_ms);

    // The scenario's [catalog] changes a built-in type's price and share…
    let over = "[catalog.dyno.basic]\nmonthly_usd = 9\ncpu_share = 0.5";
    let r = &hostsim::pipeline::simulate(&on_dyno("basic", over), true).unwrap()[0];
    assert!((r.p50_ms.unwrap() - 102.0).abs() < 0.5, "50 / 0.5 + 2: {:?}", r.p50_ms);
    assert!((r.total_cost_usd.mean - 9.0 * 240.0 / 730.0).abs() < 1e-9, "{:?}", r.total_cost_usd);
    // …and adds new ones: 2 dedicated vCPUs at $100 per month.
    let new = "[catalog.dyno.\"my-dyno\"]\nvcpus = 2\nmonthly_usd = 100\nautoscaling = true";
    let mut s = on_dyno("my-dyno", new);
    let hostsim::model::Kind::Paas(p) = &s.options[0].kind else { panic!() };
    assert_eq!((p.vcpus, p.cpu_share, p.monthly_usd), (2, 1.0, 100.0));
    s.horizon = SimTime::from_secs(73 * 3_600);
    let r = &hostsim::pipeline::simulate(&s, true).unwrap()[0];
    // 73 h = a tenth of 730 h: $10.
    assert!((r.total_cost_usd.mean - 10.0).abs() < 1e-9, "{:?}", r.total_cost_usd);
}

/// `dynos` eco dynos under 0.2 rps of 10 ms requests (a gap of 30 min, when a
/// dyno would sleep, has probability e^-180 per dyno) for `horizon`, in 10-hour buckets.
fn eco(dynos: u32, horizon: &str) -> hostsim::model::Scenario {
    let text = format!(
        r#"
horizon = "{horizon}"
bucket = "10h"
seed = 11
[traffic]
base_rps = 0.2
[workload]
cpu = {{ dist = "constant", value = "10ms" }}
[[option]]
name = "hobby"
kind = "paas"
region = "washington"
dyno = "eco"
dynos = {dynos}
"#
    );
    hostsim::scenario::parse_str(&text, std::path::Path::new("eco.toml")).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn one_eco_dyno_awake_all_month_never_uses_up_the_pool() {
    // Awake 730 h a month, under the 1,000 dyno-hours: two months without a failure.
    let job = run_job(&eco(1, "1460h"), 0, 0, &Default::default()).unwrap();
    let o = job.summary;
    assert!(o.offered > 1_000_000, "{o:?}");
    assert_eq!((o.timed_out, o.rejected, o.failed), (0, 0, 0), "{o:?}");
    assert_eq!(o.served + o.in_flight, o.offered);
}

#[test]
fn two_eco_dynos_use_up_the_pool_after_500_hours_until_the_month_ends() {
    // Two dynos never asleep use 2 dyno-hours an hour: 1,000 h last 500 h of the
    // 730-hour month; requests arriving in the 230 h left are not served. At 730 h
    // the pool refills and service resumes.
    let job = run_job(&eco(2, "830h"), 0, 0, &Default::default()).unwrap();
    let hour = |h: u64| h * SimTime::HOUR.0;
    let month_buckets = 73; // 730 h / 10 h
    let mut month = hostsim::stats::outcomes::Outcomes::default();
    for (k, b) in job.buckets.iter().enumerate() {
        let (start, o) = (hour(10 * k as u64), b.unwrap().outcomes);
        if k < month_buckets {
            month += o;
        }
        if start < hour(500) || start >= hour(730) {
            assert_eq!(o.served, o.offered, "bucket at {} h: {o:?}", start / hour(1));
        } else if start + hour(10) <= hour(720) {
            // The last bucket of the month serves the few requests still waiting at 730 h.
            assert!(o.offered > 0 && o.served == 0, "bucket at {} h: {o:?}", start / hour(1));
        }
    }
    let unserved = month.offered - month.served;
    // Arrivals after 500 h are a binomial share 230/730 of the month's; the
    // pool runs out within a 1-minute tick of 500 h, and requests arriving in
    // the month's last 30 s wait for the refill (router timeout): at 0.2 rps, 12 + 6.
    let p = 230.0 / 730.0;
    let expected = month.offered as f64 * p;
    let tolerance = 4.0 * (month.offered as f64 * p * (1.0 - p)).sqrt() + 0.2 * 90.0;
    eprintln!("unserved {unserved} of {}, expected {expected:.0} ± {tolerance:.0}", month.offered);
    assert!((unserved as f64 - expected).abs() < tolerance, "{month:?}");
    // Like an outage: requests in service at 500 h fail (at most one per dyno),
    // those arriving later wait for a dyno until the router times out.
    assert!(month.failed <= 2 && month.rejected == 0, "{month:?}");
    assert_eq!(month.timed_out + month.failed, unserved);
}

#[test]
fn eco_dynos_share_one_price() {
    // Three eco dynos for 10 days pay for one pool: $5 × 240 / 730 = $1.6438,
    // not 3 × $5 × 240 / 730 = $4.93 (each dyno awake 240 h: 720 h of the 1,000).
    let r = &hostsim::pipeline::simulate(&on_dyno("eco", "dynos = 3"), true).unwrap()[0];
    assert!((r.total_cost_usd.mean - 5.0 * 240.0 / 730.0).abs() < 1e-9, "{:?}", r.total_cost_usd);
    assert_eq!((r.outcomes.failed, r.outcomes.timed_out), (0.0, 0.0));
}

#[test]
fn a_catalog_dyno_type_with_a_pool_runs_out_when_its_hours_do() {
    // A never-sleeping type with 100 dyno-hours for $3: one dyno serves the first
    // 100 h of the 240 h, then nothing (the served share is binomial around
    // 100/240, ± a 1-minute tick); the pool costs $3 × 240 / 730.
    let s = on_dyno("tiny", "[catalog.dyno.tiny]\nvcpus = 1\nmonthly_usd = 3\npool_hours = 100");
    let hostsim::model::Kind::Paas(p) = &s.options[0].kind else { panic!() };
    assert_eq!((p.pool_hours, p.sleep.as_ref()), (Some(100.0), None));
    let written = hostsim::scenario::to_resolved_toml(&s);
    assert!(written.contains("pool_hours = 100\n") && written.contains("[catalog.dyno.tiny]"), "{written}");
    let r = &hostsim::pipeline::simulate(&s, true).unwrap()[0];
    let (served, p) = (r.outcomes.served / r.outcomes.offered, 100.0 / 240.0);
    let tolerance = 4.0 * (p * (1.0 - p) / r.outcomes.offered).sqrt() + 60.0 / (240.0 * 3_600.0);
    assert!((served - p).abs() < tolerance, "{served} vs {p} ± {tolerance}");
    assert!((r.total_cost_usd.mean - 3.0 * 240.0 / 730.0).abs() < 1e-9, "{:?}", r.total_cost_usd);
}

#[test]
fn sleeping_eco_dynos_use_no_hours() {
    // Three eco dynos, one request per dyno every 2 hours on average: each is awake
    // while its last request is under 30 min old, 1 − e^(−1/4) = 22 % of the time, so
    // 3 × 730 h × 0.22 ≈ 485 h of the 1,000 a month (+ up to a minute per sleep and
    // per wake, 30 s each on average: about 15 h) and none fails; awake all month they would use 2,190 h
    // and run out after 333 h.
    let base =
        common::bare_metal(1, 1, 3.0 / 7_200.0, Dist::Constant { value_s: 0.02 }, SimTime(2 * SimTime::MONTH.0), 1);
    let mut s =
        common::paas(base, 3, Some(Sleep { after: SimTime::from_secs(1_800), wake: SimTime::from_secs(8) }), None);
    let hostsim::model::Kind::Paas(p) = &mut s.options[0].kind else { panic!() };
    p.pool_hours = Some(1_000.0);
    let o = run_job(&s, 0, 0, &Default::default()).unwrap().summary;
    assert!(o.offered > 2_000, "{o:?}");
    assert_eq!(o.served + o.in_flight, o.offered, "{o:?}");
}
