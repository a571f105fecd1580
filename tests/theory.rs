//! The engine against queueing theory: M/M/c (Erlang C), M/G/c/c (Erlang B)
//! and M/G/1 (Pollaczek-Khinchine). Each case runs replications in parallel and checks
//! both that the theory lies within the tolerance and that the 95 % CI is
//! well inside it (so a pass is not luck).

use hostsim::model::Dist;
use hostsim::time::SimTime;

use crate::common;
use crate::common::theory::*;

/// Simulates ~`requests` in `reps` replications; returns (mean ± ci, p99 ± ci) in ms.
fn simulate(servers: u32, cores: u32, lambda: f64, cpu: Dist, requests: f64, reps: u32) -> ((f64, f64), (f64, f64)) {
    let horizon = SimTime::from_secs_f64(requests / lambda / f64::from(reps));
    let scenario = common::bare_metal(servers, cores, lambda, cpu, horizon, reps);
    let report = &hostsim::pipeline::simulate(&scenario, true).unwrap()[0];
    let mean = report.mean_ms.unwrap();
    let p99 = report.p99_ms.unwrap();
    assert_eq!(report.outcomes.timed_out + report.outcomes.rejected + report.outcomes.failed, 0.0);
    ((mean.mean, mean.ci95.unwrap()), (p99.mean, p99.ci95.unwrap()))
}

/// |sim − theory| ≤ tol·theory, and the CI half-width is at most half that tolerance.
fn check(what: &str, (sim, ci): (f64, f64), theory: f64, tol: f64) {
    let allowed = tol * theory;
    eprintln!("{what}: sim {sim:.4} ± {ci:.4}, theory {theory:.4} (tolerance {allowed:.4})");
    assert!((sim - theory).abs() <= allowed, "{what}: sim {sim} vs theory {theory}");
    assert!(ci <= allowed / 2.0, "{what}: CI {ci} too wide to test a {tol} tolerance");
}

/// M/M/c with exponential service of mean 10 ms at utilisation ρ. Beside the
/// whole response, the queueing part is tested on its own: the mean wait
/// (mean response − 10 ms) within `wait_tol` of Erlang C's C/(cμ − λ), and
/// the p99's excess over the service's own p99 (ln 100 × 10 ms = 46.05 ms)
/// within `p99_tol` of theory's. Each tolerance is at least twice the 95 % CI
/// of the quantity tested (`check` asks), so no-queueing (unlimited cores) or
/// a core too few or too many shows.
fn mmc_case(c: u32, rho: f64, requests: f64, wait_tol: f64, p99_tol: f64) {
    let mu = 100.0; // 1 / 10 ms
    let lambda = rho * f64::from(c) * mu;
    let (mean, p99) = simulate(1, c, lambda, Dist::Exponential { mean_s: 0.01 }, requests, 16);
    let mean_theory = mmc_mean_response_s(c, lambda, mu) * 1e3;
    let p99_theory = mmc_response_quantile_s(c, lambda, mu, 0.99) * 1e3;
    check(&format!("M/M/{c} rho {rho} mean"), mean, mean_theory, 0.03);
    check(&format!("M/M/{c} rho {rho} p99"), p99, p99_theory, 0.05);
    let service_ms = 1e3 / mu;
    let wait_theory = erlang_c(c, lambda / mu) / (f64::from(c) * mu - lambda) * 1e3;
    assert!((mean_theory - service_ms - wait_theory).abs() < 1e-9);
    check(&format!("M/M/{c} rho {rho} mean wait"), (mean.0 - service_ms, mean.1), wait_theory, wait_tol);
    let service_p99 = 100f64.ln() * service_ms;
    check(&format!("M/M/{c} rho {rho} p99 excess"), (p99.0 - service_p99, p99.1), p99_theory - service_p99, p99_tol);
}

#[test]
fn mm1_rho_05() {
    // Wait 10 ms, p99 92.10 ms (excess 46.05 ms).
    mmc_case(1, 0.5, 4e6, 0.05, 0.1);
}

#[test]
fn mm1_rho_09() {
    // ρ = 0.9 on one server is strongly autocorrelated: it needs many requests.
    // Wait 90 ms, p99 460.5 ms (excess 414.5 ms).
    mmc_case(1, 0.9, 100e6, 0.05, 0.1);
}

#[test]
fn mm8_rho_07() {
    // At ρ = 0.5 the Erlang C wait is 0.148 ms of a 10.15 ms response, below
    // the noise of the service times; at 0.7 it is C(8, 5.6) = 0.2706 over
    // cμ − λ = 240/s: 1.128 ms. 7 cores (ρ = 0.8) would wait 2.86 ms,
    // 9 cores 0.42 ms, unlimited cores 0. p99 47.82 ms (excess 1.77 ms).
    mmc_case(8, 0.7, 4e6, 0.1, 0.3);
}

#[test]
fn mm8_rho_09() {
    // Wait 8.77 ms, p99 70.87 ms (excess 24.8 ms).
    mmc_case(8, 0.9, 32e6, 0.05, 0.1);
}

#[test]
fn mm32_rho_085() {
    // At ρ = 0.5 the wait is 0.0002 ms; at 0.85 it is C(32, 27.2) = 0.2824 over
    // 480/s: 0.588 ms. 31 cores (ρ = 0.877) would wait 0.91 ms, 33 cores 0.37 ms.
    // p99 46.77 ms (excess 0.72 ms).
    mmc_case(32, 0.85, 8e6, 0.1, 0.3);
}

#[test]
fn mm32_rho_09() {
    // Wait 1.432 ms; p99 47.94 ms, only 1.89 ms above the 46.05 ms that no
    // queueing would give: the excess is what tells them apart.
    mmc_case(32, 0.9, 16e6, 0.1, 0.25);
}

#[test]
fn mg1_lognormal_cv2_rho_07() {
    // M/G/1, lognormal service mean 10 ms, cv 2, ρ = 0.7: P-K mean response =
    // λ·E[S²]/(2(1−ρ)) + E[S] = 70 × 0.0005 / 0.6 + 0.01 = 0.068333 s.
    let lambda = 70.0;
    let (mean, _) = simulate(1, 1, lambda, Dist::Lognormal { mean_s: 0.01, cv: 2.0 }, 24e6, 16);
    let theory = mg1_mean_response_s(lambda, 0.01, 2.0) * 1e3;
    assert!((theory - 68.333).abs() < 1e-3);
    check("M/G/1 lognormal cv 2 rho 0.7 mean", mean, theory, 0.05);
}

#[test]
fn mg1_empirical_file_rho_063() {
    // M/G/1 with service times from a file: rows (ms, weight) 2,1 / 6,2 / 12,1 / 40,1,
    // cumulative 0.2, 0.6, 0.8, 1. Between rows the inverse CDF is linear, so a
    // draw there is uniform on the segment [a, b]: mean (a + b)/2, E[S²] (a² + ab + b²)/3.
    // E[S] = 0.2·2 + 0.4·4 + 0.2·9 + 0.2·26 = 0.4 + 1.6 + 1.8 + 5.2 = 9 ms.
    // E[S²] = 0.2·4 + 0.4·(4 + 12 + 36)/3 + 0.2·(36 + 72 + 144)/3 + 0.2·(144 + 480 + 1600)/3
    //       = 0.8 + 6.9333 + 16.8 + 148.2667 = 172.8 ms², so cv² = 172.8/81 − 1 = 1.1333.
    // λ = 70/s, ρ = 0.63: P-K mean response = 70 × 172.8e-6 / (2 × 0.37) + 0.009 = 0.025346 s.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("service.csv"), "duration_ms,weight\n2,1\n6,2\n12,1\n40,1\n").unwrap();
    let text = "horizon = \"1h\"\n[traffic]\nbase_rps = 70\n[workload]\n\
                cpu = { dist = \"empirical\", file = \"service.csv\", unit = \"ms\" }\n\
                [[option]]\nname = \"m\"\nkind = \"bare_metal\"\nregion = \"washington\"\nservers = 1\ncores = 1\n";
    std::fs::write(dir.path().join("s.toml"), text).unwrap();
    let cpu = hostsim::scenario::load(&dir.path().join("s.toml")).unwrap().workload.cpu;
    // The mean the rest of hostsim uses is the exact one.
    assert!((cpu.mean_s() - 0.009).abs() < 1e-15, "{}", cpu.mean_s());
    let cv = (172.8 / 81.0 - 1.0_f64).sqrt();
    let theory = mg1_mean_response_s(70.0, 0.009, cv) * 1e3;
    assert!((theory - 25.346).abs() < 1e-3, "{theory}");
    let (mean, _) = simulate(1, 1, 70.0, cpu, 8e6, 16);
    check("M/G/1 empirical rho 0.63 mean", mean, theory, 0.02);
}

#[test]
fn matches_the_peer_analytic_figures() {
    // shared/peers/analytic.py: M/M/8, λ = 7.2, μ = 1 → mean 1.876916 s, p99 7.087347 s.
    assert!((mmc_mean_response_s(8, 7.2, 1.0) - 1.876_916).abs() < 1e-6);
    assert!((mmc_response_quantile_s(8, 7.2, 1.0, 0.99) - 7.087_347).abs() < 1e-5);
    // M/M/1 at ρ = 0.5, μ = 1: mean 1/(μ − λ) = 2 s; response ~ Exp(0.5), p99 = ln(100)/0.5 = 9.21034 s.
    assert!((mmc_mean_response_s(1, 0.5, 1.0) - 2.0).abs() < 1e-12);
    assert!((mmc_response_quantile_s(1, 0.5, 1.0, 0.99) - 9.210_340).abs() < 1e-5);
}

/// `max_queue = 0` is a pure loss system: 5 slots, offered load 3.6 erlangs
/// (λ = 360/s, mean service 10 ms) lose B(5, 3.6) = 16.31 % of arrivals,
/// whatever the service law. Each law runs 12 independent seeds; the mean
/// loss must be within 1.5 % of theory and its 95 % CI inside half of that.
#[test]
fn max_queue_zero_is_erlang_b() {
    let b = erlang_b(5, 3.6);
    // B1 = 3.6/4.6 = .78261, B2 = .58484, B3 = .41238, B4 = .27068, B5 = .16310.
    assert!((b - 0.163_10).abs() < 1e-5, "{b}");
    let laws = [
        ("exponential", Dist::Exponential { mean_s: 0.01 }),
        ("constant", Dist::Constant { value_s: 0.01 }),
        ("lognormal cv 2", Dist::Lognormal { mean_s: 0.01, cv: 2.0 }),
    ];
    for (law, cpu) in laws {
        let losses: Vec<f64> = (0..12)
            .map(|seed| {
                let mut s = common::bare_metal(1, 5, 360.0, cpu.clone(), SimTime::from_secs(600), 1);
                s.seed = 1_000 + seed;
                s.options[0].max_queue = Some(0);
                let o = hostsim::pipeline::simulate(&s, true).unwrap()[0].outcomes;
                assert_eq!(o.timed_out + o.failed, 0.0);
                o.rejected / o.offered
            })
            .collect();
        check(&format!("M/{law}/5/5 loss"), mean_ci95(&losses), b, 0.015);
    }
}
