//! Routing disciplines against their closed forms: round robin (E_N/M/1
//! queues), power of two choices (the supermarket model), least connections
//! (between M/M/N and N × M/M/1). Each case checks that theory lies within
//! the tolerance and that the 95 % CI is well inside it (so a pass is not luck).

use hostsim::model::{Dist, Routing};
use hostsim::time::SimTime;

use crate::common;
use crate::common::theory::mmc_mean_response_s;

/// Mean service time (10 ms) and its rate.
const SERVICE_S: f64 = 0.01;
const MU: f64 = 1.0 / SERVICE_S;

/// `n` single-slot servers at utilisation `rho` (exponential service of
/// 10 ms) under `routing`, ~`requests` over `reps` replications: the mean
/// response and its 95 % CI half-width, in ms.
fn mean_ms(routing: Routing, n: u32, rho: f64, requests: f64, reps: u32) -> (f64, f64) {
    let lambda = rho * f64::from(n) * MU;
    let horizon = SimTime::from_secs_f64(requests / lambda / f64::from(reps));
    let mut s = common::bare_metal(n, 1, lambda, Dist::Exponential { mean_s: SERVICE_S }, horizon, reps);
    s.options[0].routing = routing;
    let report = &hostsim::pipeline::simulate(&s, true).unwrap()[0];
    assert_eq!(report.outcomes.timed_out + report.outcomes.rejected + report.outcomes.failed, 0.0);
    let mean = report.mean_ms.unwrap();
    (mean.mean, mean.ci95.unwrap())
}

/// |sim − theory| ≤ tol·theory, and the CI half-width is at most half that tolerance.
fn check(what: &str, (sim, ci): (f64, f64), theory: f64, tol: f64) {
    let allowed = tol * theory;
    eprintln!("{what}: sim {sim:.4} ± {ci:.4} ms, theory {theory:.4} ms (tolerance {allowed:.4})");
    assert!((sim - theory).abs() <= allowed, "{what}: sim {sim} vs theory {theory}");
    assert!(ci <= allowed / 2.0, "{what}: CI {ci} too wide to test a {tol} tolerance");
}

/// E_N/M/1's σ: the root in (0, 1) of σ = (Nλ' / (Nλ' + μ(1 − σ)))^N, the
/// Laplace transform of the Erlang-N interarrival time (N phases of rate Nλ')
/// at μ(1 − σ). The map is increasing, so iterating from 0 climbs to the
/// smallest root, which is in (0, 1) when λ' < μ (σ = 1 is the other).
fn erlang_sigma(n: u32, lambda_each: f64, mu: f64) -> f64 {
    let phase = f64::from(n) * lambda_each;
    let mut sigma = 0.0;
    for _ in 0..100_000 {
        let next = (phase / (phase + mu * (1.0 - sigma))).powi(n as i32);
        if (next - sigma).abs() < 1e-15 {
            break;
        }
        sigma = next;
    }
    sigma
}

#[test]
fn round_robin_is_n_erlang_n_m_1_queues() {
    // N = 4 single-slot servers, Poisson λ = 320 rps, μ = 100: each server gets
    // every 4th arrival, Erlang-4 interarrivals at λ' = 80 rps (ρ = 0.8). Then
    // σ = (320 / (320 + 100(1 − σ)))^4 gives σ = 0.6939 (between D/M/1's 0.6286
    // and M/M/1's 0.8: more regular arrivals queue less), and mean response
    // 1/(μ(1 − σ)) = 10 ms / 0.3061 = 32.67 ms, against 50 ms for random routing.
    let sigma = erlang_sigma(4, 80.0, MU);
    assert!((sigma - 0.6939).abs() < 1e-4, "{sigma}");
    let theory_ms = 1e3 / (MU * (1.0 - sigma));
    check("round robin E4/M/1", mean_ms(Routing::RoundRobin, 4, 0.8, 6e6, 8), theory_ms, 0.02);
}

#[test]
fn power_of_two_nears_the_supermarket_limit() {
    // N = 100 single-slot servers at ρ = 0.9. As N → ∞ the mean response is
    // Σ_{k≥1} ρ^(2^k − 2) = 1 + 0.9^2 + 0.9^6 + 0.9^14 + … = 2.6141 service times
    // (Mitzenmacher's supermarket model), 26.14 ms. At N = 100 it is worse by a
    // measured 1.3 % (26.48 ± 0.15 ms over 8 × 2 M requests, a CI of 0.6 %): the
    // tolerance is 3 %, the gap plus twice the CI, and the CI must lie within half of it.
    let limit: f64 = (1..10).map(|k| 0.9f64.powi((1 << k) - 2)).sum();
    assert!((limit - 2.6141).abs() < 1e-4, "{limit}");
    let (sim, ci) = mean_ms(Routing::PowerOfTwo, 100, 0.9, 16e6, 8);
    check("power of two N = 100", (sim, ci), limit * SERVICE_S * 1e3, 0.03);
    // Finite N is worse, never better, than the limit.
    assert!(sim > limit * SERVICE_S * 1e3, "{sim}");
}

#[test]
fn least_connections_lies_between_one_queue_and_random_and_near_m_m_n() {
    // N = 4 single-slot servers at ρ = 0.8 (same requests for each discipline).
    // One shared queue (M/M/4) has mean response 17.46 ms; random routing
    // (4 × M/M/1) 50 ms. Joining the shortest queue loses only when a request
    // waits behind one server while another frees first: 1.95 service times
    // (19.5 ms) by a separate simulation of the JSQ Markov chain, 12 % above
    // M/M/4 but within the bottom tenth of the range from M/M/4 to random.
    let (n, rho) = (4, 0.8);
    let lambda = rho * f64::from(n) * MU;
    let mmn = mmc_mean_response_s(n, lambda, MU) * 1e3;
    let mm1 = mmc_mean_response_s(1, lambda / f64::from(n), MU) * 1e3;
    let shared = mean_ms(Routing::SharedQueue, n, rho, 4e6, 8);
    let least = mean_ms(Routing::LeastConnections, n, rho, 4e6, 8);
    let random = mean_ms(Routing::Random, n, rho, 4e6, 8);
    eprintln!("shared {shared:?}, least connections {least:?}, random {random:?} (ms); M/M/4 {mmn:.3}, M/M/1 {mm1:.3}");
    assert!(shared.0 + shared.1 < least.0 - least.1, "{shared:?} vs {least:?}");
    assert!(least.0 + least.1 < random.0 - random.1, "{least:?} vs {random:?}");
    // Where it lies between M/M/4 (0) and 4 × M/M/1 (1), with its CI: measured 0.066 ± 0.005.
    let (at, ci) = ((least.0 - mmn) / (mm1 - mmn), least.1 / (mm1 - mmn));
    eprintln!("least connections at {at:.4} ± {ci:.4} of the way from M/M/4 to random");
    assert!(at > 0.0 && at + ci < 0.1, "{at} ± {ci}");
}

#[test]
fn autoscaled_instances_join_every_rotation_when_ready() {
    // 2 instances of 2 vCPUs (40 rps of 100 ms CPU) under a step from 16 to 100 rps
    // from 1 h to 3 h: target tracking at 50 % CPU grows the fleet to about 10. Were
    // the new instances never routed to, the 2 first could serve at most 40 of the
    // 100 rps and most requests of the step's second hour would time out.
    for routing in Routing::ALL {
        let mut s = crate::iaas::step_load(r#"policy = "target_tracking", metric = "cpu", target = 0.5"#);
        s.options[0].routing = routing;
        let job = hostsim::sim::engine::run_job(&s, 0, 0, &Default::default()).unwrap();
        assert!(job.peak_instances >= 9, "{routing:?}: {}", job.peak_instances);
        // 2 h to 3 h, in 30 s buckets: scaled out, nearly everything is served.
        let hour: Vec<_> = job.buckets.iter().map(Result::unwrap).skip(240).take(120).collect();
        let (served, offered) = hour.iter().fold((0, 0), |(s, o), b| (s + b.outcomes.served, o + b.outcomes.offered));
        eprintln!("{routing:?}: peak {} instances, {served} of {offered} served", job.peak_instances);
        assert!(served as f64 > 0.99 * offered as f64, "{routing:?}: {served} of {offered} served");
    }
}
