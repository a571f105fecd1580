//! `kind = "serverless"` against hand arithmetic and closed forms: the
//! Lambda bill, the cold-start probability at light load (e^(−λT)), the
//! instances of an M/G/∞ queue, Erlang B throttling, and CPU that follows
//! memory. Tolerances come from the sampling noise of each estimate.

use std::path::Path;

use hostsim::model::Scenario;
use hostsim::sim::engine::{JobResult, Shared, run_job};
use rayon::prelude::*;

use crate::common::theory::{erlang_b, mean_ci95};

/// A scenario of one serverless option in us-east-1 (users there too: 1 ms RTT).
fn scenario(head: &str, workload: &str, option: &str) -> Scenario {
    let text = format!(
        "{head}\n[workload]\n{workload}\n[[option]]\nname = \"fn\"\nkind = \"serverless\"\nregion = \"us-east-1\"\n{option}\n"
    );
    hostsim::scenario::parse_str(&text, Path::new("serverless.toml")).unwrap()
}

/// Replication `r` of the first option.
fn job(s: &Scenario, r: u32) -> JobResult {
    run_job(s, 0, r, &Shared::default()).unwrap()
}

#[test]
fn the_lambda_bill_is_requests_plus_rounded_gb_seconds() {
    // 10 M requests (100 rps for 10^5 s) of 120 ms at 1,024 MB = 1 GB in us-east-1, x86, no
    // free tier; the duration is I/O, which memory does not speed up, and the cold start 0 s.
    // Per request: $0.20 / 10^6 + 0.120 s × 1 GB × $0.0000166667 = $0.000002200004, so
    // 10^7 requests cost 10 × $0.20 + 10^7 × 0.120 × $0.0000166667 = $2 + $20.00004.
    // At 120.4 ms the duration is rounded up to 121 ms: $0.0000002 + 0.121 × $0.0000166667.
    // The ~12 requests still running at the horizon are billed up to it: between nothing and
    // their whole duration.
    let request_usd = 0.0000002;
    for (io, duration_usd) in [("120ms", 0.120 * 0.0000166667), ("120400us", 0.121 * 0.0000166667)] {
        let s = scenario(
            "horizon = \"100000s\"\n[traffic]\nbase_rps = 100",
            &format!(
                "cpu = {{ dist = \"constant\", value = \"0s\" }}\nio = {{ dist = \"constant\", value = \"{io}\" }}"
            ),
            "memory_mb = 1024\ncold_start = \"0s\"",
        );
        let j = job(&s, 0);
        let (n, served) = (j.summary.offered as f64, j.summary.served as f64);
        assert_eq!(served + j.summary.in_flight as f64, n);
        // 4 Poisson standard deviations around 10^7 arrivals.
        assert!((n - 1e7).abs() < 4.0 * 1e7f64.sqrt(), "{n}");
        let total = j.cost.total_usd();
        let (low, high) = (n * request_usd + served * duration_usd, n * (request_usd + duration_usd));
        assert!(total >= low - 1e-9 && total <= high + 1e-9, "{io}: {total} not in [{low}, {high}]");
        eprintln!("{io}: {n} requests cost ${total:.5}; 10^7 would cost ${:.5}", 1e7 * (request_usd + duration_usd));
    }
}

#[test]
fn cold_starts_at_light_load_are_e_to_the_minus_lambda_t() {
    // Poisson arrivals at λ, one request per instance, service S = 10 ms ≪ gaps, keep-alive T:
    // a request is cold iff the gap since the previous one exceeds T + S (its instance was
    // reclaimed) or is below S (the one instance is still busy): the gaps are independent, so
    // the cold count is Binomial(N, e^(−λ(T + S)) + 1 − e^(−λS)). λ = 1/600 s, T = 600 s:
    // 36.8 %; λ = 1/60 s: e^(−10) = 0.0045 % plus 0.017 % of overlaps.
    let s_s: f64 = 0.01;
    for rps in [1.0f64 / 600.0, 1.0 / 60.0] {
        let expected = (-rps * (600.0 + s_s)).exp() + 1.0 - (-rps * s_s).exp();
        let s = scenario(
            &format!("horizon = \"365d\"\n[traffic]\nbase_rps = {rps}"),
            "cpu = { dist = \"constant\", value = \"10ms\" }",
            "memory_mb = 1769\ncold_start = \"0s\"\nidle_timeout = \"600s\"",
        );
        let j = job(&s, 0);
        let n = j.summary.served as f64;
        let cold = j.cold_starts as f64;
        // 4 binomial standard deviations (+ 1: the first request finds no instance at all).
        let sd = (n * expected * (1.0 - expected)).sqrt();
        eprintln!("λ = {rps}: {cold} of {n} cold, expected {:.2} ± {sd:.2}", n * expected);
        assert!((cold - n * expected).abs() <= 4.0 * sd + 1.0, "{cold} vs {}", n * expected);
    }
}

#[test]
fn instances_at_high_load_are_the_busy_servers_of_m_g_infinity() {
    // λ = 10 rps, service 10 s (I/O), keep-alive 1 ms ≪ service, no cold start: instances
    // are the busy servers of M/D/∞: Poisson with mean λS = 100 (+ λ × 1 ms idle = 0.01).
    // The time average over H = 86,340 s has variance λS²/H = 0.0116 (SE 0.108): 4 SE = 0.43.
    // The 1-s bucket means have variance λ(S − b/3) = 10 × (10 − 1/3) = 96.67 (the
    // autocovariance λ(S − |τ|) averaged over a bucket); their sample variance has a
    // relative SE of √(2 Σρ²/n) ≈ √(13.4 / 86,340) = 1.25 %: 4 SE = 5 %.
    let s = scenario(
        "horizon = \"1d\"\nwarmup = \"60s\"\nbucket = \"1s\"\n[traffic]\nbase_rps = 10",
        "cpu = { dist = \"constant\", value = \"0s\" }\nio = { dist = \"constant\", value = \"10s\" }",
        "cold_start = \"0s\"\nidle_timeout = \"1ms\"",
    );
    let j = job(&s, 0);
    let measured_s = 86_340.0;
    let mean = j.instance_us as f64 / 1e6 / measured_s;
    eprintln!("M/D/∞: mean instances {mean:.3}, theory 100.01 ± 0.43");
    assert!((mean - 100.01).abs() < 0.43, "{mean}");
    let counts: Vec<f64> = j.buckets.iter().skip(60).map(|b| b.unwrap().instance_us as f64 / 1e6).collect();
    let m = counts.iter().sum::<f64>() / counts.len() as f64;
    let var = counts.iter().map(|c| (c - m).powi(2)).sum::<f64>() / (counts.len() - 1) as f64;
    let expected = 10.0 * (10.0 - 1.0 / 3.0);
    eprintln!("M/D/∞: variance of 1-s means {var:.2}, theory {expected:.2} ± 5 %");
    assert!((var / expected - 1.0).abs() < 0.05, "{var}");
}

#[test]
fn throttling_beyond_max_instances_is_erlang_b() {
    // max_instances = 5, one request per instance, keep-alive 1 day (an instance once started
    // stays), λ = 4 rps, service 1 s: an M/D/5/5 loss system, whose rejected fraction is
    // Erlang B(5, 4) = 0.1991 whatever the service law. 8 replications of a day each;
    // tolerance 2 % of B, and the 95 % CI must be within half of it.
    let s = scenario(
        "horizon = \"1d\"\nwarmup = \"1m\"\n[traffic]\nbase_rps = 4",
        "cpu = { dist = \"constant\", value = \"0s\" }\nio = { dist = \"constant\", value = \"1s\" }",
        "cold_start = \"0s\"\nidle_timeout = \"1d\"\nmax_instances = 5",
    );
    let fractions: Vec<f64> = (0..8u32)
        .into_par_iter()
        .map(|r| {
            let j = job(&s, r);
            j.summary.rejected as f64 / j.summary.offered as f64
        })
        .collect();
    let (mean, ci) = mean_ci95(&fractions);
    let b = erlang_b(5, 4.0);
    eprintln!("M/D/5/5: rejected {mean:.4} ± {ci:.4}, Erlang B {b:.4}");
    assert!((mean - b).abs() <= 0.02 * b, "{mean} vs {b}");
    assert!(ci <= 0.01 * b, "CI {ci} too wide");
}

#[test]
fn lambda_scales_by_at_most_1000_new_instances_then_100_a_second() {
    // λ = 500 rps for 10 s, each request 20 s long (so no instance frees before the horizon
    // and each request needs a new one), max_instances far above: Lambda's scaling rate (a
    // bucket of 1,000 new instances refilled at 100 a second) alone throttles. The bucket
    // empties at t ≈ 2.5 s (1,000 + 100 t = 500 t); from then on each new instance waits
    // for 10 ms of refill, carried over exactly, so by the last arrival t_last < 10 s the
    // launches are ⌊(10 s + t_last) / 10 ms⌋ = 1,999 once t_last > 9.99 s (arrivals come
    // every 2 ms). Every launched request is still in flight; the rest are rejected (429).
    // At 50 rps (500 arrivals over 10 s, under the 1,000 burst) nothing is throttled.
    for (rps, launched) in [(500, 1_999), (50, 0)] {
        let s = scenario(
            &format!("horizon = \"10s\"\n[traffic]\nbase_rps = {rps}"),
            "cpu = { dist = \"constant\", value = \"0s\" }\nio = { dist = \"constant\", value = \"20s\" }\n\
             timeout = \"60s\"",
            "cold_start = \"0s\"\nmax_instances = 100000",
        );
        let j = job(&s, 0);
        let o = &j.summary;
        assert_eq!(o.served, 0);
        if launched > 0 {
            assert_eq!(o.in_flight, launched, "{o:?}");
            assert_eq!(o.rejected, o.offered - launched, "{o:?}");
        } else {
            assert_eq!(o.rejected, 0, "{o:?}");
            assert_eq!(o.in_flight, o.offered, "{o:?}");
        }
    }
}

#[test]
fn lambda_cpu_follows_memory() {
    // 100 ms of CPU on a reference core: at 1,769 MB (one vCPU) it takes 100 ms, at 884 MB
    // (884 / 1,769 of a vCPU) 100 × 1,769 / 884 = 200.113 ms, at 3,538 MB (two vCPUs) still
    // 100 ms: one request is single-threaded. Each response adds the 1 ms RTT; no cold start.
    for (mb, service_ms) in [(1_769, 100.0), (884, 100.0 * 1_769.0 / 884.0), (3_538, 100.0)] {
        let s = scenario(
            "horizon = \"1h\"\n[traffic]\nbase_rps = 1",
            "cpu = { dist = \"constant\", value = \"100ms\" }",
            &format!("memory_mb = {mb}\ncold_start = \"0s\""),
        );
        let report = &hostsim::pipeline::simulate(&s, true).unwrap()[0];
        let mean = report.mean_ms.unwrap().mean;
        assert!((mean - 1.0 - service_ms).abs() < 1e-3, "{mb} MB: {mean} ms");
    }
}

#[test]
fn beyond_max_instances_lambda_throttles_and_cloud_run_queues() {
    // One instance of one slot, 1 s of I/O per request, 2 rps: offered load 2.
    // Lambda rejects what finds it busy: Erlang B(1, 2) = 2/3 of the requests (binomial-like
    // noise over ~172,800 requests: SE ≈ 0.0011, 4 SE < 0.005). Cloud Run queues them: none
    // is rejected and the instance never idles (busy > 99.9 % of the time; it still works
    // on a request whose client has given up, as a server does), while the queue holds
    // about 5 s of requests, so most responses exceed the 5 s timeout.
    let head = "horizon = \"1d\"\nwarmup = \"1m\"\n[traffic]\nbase_rps = 2";
    let work =
        "cpu = { dist = \"constant\", value = \"0s\" }\nio = { dist = \"constant\", value = \"1s\" }\ntimeout = \"5s\"";
    let lambda = job(&scenario(head, work, "cold_start = \"0s\"\nidle_timeout = \"1d\"\nmax_instances = 1"), 0);
    let rejected = lambda.summary.rejected as f64 / lambda.summary.offered as f64;
    assert!((rejected - erlang_b(1, 2.0)).abs() < 0.005, "{rejected}");
    assert_eq!(lambda.summary.timed_out, 0);
    let run = job(
        &scenario(
            "horizon = \"1d\"\nwarmup = \"1m\"\n[traffic]\nbase_rps = 2",
            work,
            "provider = \"cloud_run\"\ncold_start = \"0s\"\nconcurrency = 1\nmax_instances = 1",
        ),
        0,
    );
    assert_eq!(run.summary.rejected, 0);
    let busy = run.busy_slot_us as f64 / run.slot_us as f64;
    assert!(busy > 0.999, "{busy}");
    let o = run.summary;
    assert_eq!(o.offered, o.served + o.timed_out + o.in_flight);
    // Once a queue forms, a queued request takes each freed slot and the busy period goes
    // on: the day bills 86,400 s × ($0.000024 per vCPU-s + 0.5 GiB × $0.0000025) = $2.1816
    // of compute, less the idle time (under 0.1 % after the warm-up, at most its 60 s).
    let compute = run.cost.get(hostsim::hosting::cost::CostCategory::Compute);
    let day = 86_400.0 * (0.000024 + 0.5 * 0.0000025);
    assert!(compute <= day + 1e-9 && compute > 0.999 * day - 60.0 * 0.00002525, "{compute}");
    assert!(o.timed_out as f64 > 0.45 * o.offered as f64);
}

#[test]
fn warm_instances_are_billed_while_configured_and_their_busy_time_at_their_rate() {
    use hostsim::hosting::cost::CostCategory;
    // Lambda, 1,024 MB = 1 GB, provisioned = 2, for a day, 0.01 rps of 100 ms (no two
    // overlap in practice, so no on-demand instance starts): provisioned 2 × 1 GB × 86,400 s ×
    // $0.0000041667 = $0.72000; each request 0.1 s × 1 GB × $0.0000097222 plus $0.0000002.
    let work = "cpu = { dist = \"constant\", value = \"0s\" }\nio = { dist = \"constant\", value = \"100ms\" }";
    let s = scenario("horizon = \"1d\"\n[traffic]\nbase_rps = 0.01", work, "memory_mb = 1024\nprovisioned = 2");
    let j = job(&s, 0);
    assert_eq!((j.peak_instances, j.cold_starts), (2, 0));
    let n = j.summary.offered as f64;
    assert!((j.cost.get(CostCategory::Provisioned) - 2.0 * 86_400.0 * 0.0000041667).abs() < 1e-9);
    assert!((j.cost.get(CostCategory::Compute) - n * 0.1 * 0.0000097222).abs() < 1e-12);
    assert!((j.cost.get(CostCategory::Requests) - n * 0.0000002).abs() < 1e-12);
    // Cloud Run in us-east4 (tier 1), 1 vCPU, 512 MiB, min_instances = 1: idle $0.0000025 per
    // vCPU-s + 0.5 GiB × $0.0000025 = $0.00000375 a second, $0.324 a day; each busy period
    // (100 ms, already a whole 100 ms) adds the active rate minus the idle one:
    // 0.1 s × ($0.000024 + $0.00000125 − $0.00000375) = 0.1 × $0.0000215.
    let s = scenario(
        "horizon = \"1d\"\n[traffic]\nbase_rps = 0.01",
        work,
        "provider = \"cloud_run\"\ncold_start = \"0s\"\nmin_instances = 1",
    );
    let j = job(&s, 0);
    let n = j.summary.offered as f64;
    assert_eq!((j.peak_instances, j.cold_starts), (1, 0));
    assert!((j.cost.get(CostCategory::Provisioned) - 86_400.0 * 0.00000375).abs() < 1e-9);
    assert!((j.cost.get(CostCategory::Compute) - n * 0.1 * 0.0000215).abs() < 1e-12);
    assert!((j.cost.get(CostCategory::Requests) - n * 0.0000004).abs() < 1e-12);
}
