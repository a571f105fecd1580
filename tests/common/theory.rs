//! Closed forms for the queues the engine must reproduce.

/// Erlang C: probability that an arrival waits in M/M/c with offered load a = λ/μ.
pub fn erlang_c(c: u32, a: f64) -> f64 {
    let rho = a / f64::from(c);
    // Σ_{k<c} a^k/k! and a^c/c!, built term by term to stay finite.
    let (mut sum, mut term) = (0.0, 1.0);
    for k in 0..c {
        sum += term;
        term *= a / f64::from(k + 1);
    }
    let tail = term / (1.0 - rho);
    tail / (sum + tail)
}

/// Erlang B: probability that an arrival finds all c servers busy in a loss
/// system (no queue) with offered load a = λ/μ; insensitive to the service
/// law. Recurrence B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)).
pub fn erlang_b(c: u32, a: f64) -> f64 {
    (1..=c).fold(1.0, |b, k| a * b / (f64::from(k) + a * b))
}

/// Mean response time (wait + service) of M/M/c, in seconds.
pub fn mmc_mean_response_s(c: u32, lambda: f64, mu: f64) -> f64 {
    erlang_c(c, lambda / mu) / (f64::from(c) * mu - lambda) + 1.0 / mu
}

/// P(response > t) for M/M/c FCFS: the wait is 0 with probability 1 − C,
/// else exponential with rate θ = cμ − λ; the service is exponential(μ).
pub fn mmc_response_tail(c: u32, lambda: f64, mu: f64, t: f64) -> f64 {
    let pw = erlang_c(c, lambda / mu);
    let theta = f64::from(c) * mu - lambda;
    let waited = if (theta - mu).abs() < 1e-12 {
        (1.0 + mu * t) * (-mu * t).exp()
    } else {
        (theta * (-mu * t).exp() - mu * (-theta * t).exp()) / (theta - mu)
    };
    (1.0 - pw) * (-mu * t).exp() + pw * waited
}

/// The q-quantile of the M/M/c response time, by bisection on the tail.
pub fn mmc_response_quantile_s(c: u32, lambda: f64, mu: f64, q: f64) -> f64 {
    let (mut lo, mut hi) = (0.0, 1.0 / mu);
    while mmc_response_tail(c, lambda, mu, hi) > 1.0 - q {
        hi *= 2.0;
    }
    for _ in 0..200 {
        let mid = (lo + hi) / 2.0;
        if mmc_response_tail(c, lambda, mu, mid) > 1.0 - q { lo = mid } else { hi = mid }
    }
    (lo + hi) / 2.0
}

/// Pollaczek-Khinchine: mean response of M/G/1 with service mean m and cv.
pub fn mg1_mean_response_s(lambda: f64, mean_s: f64, cv: f64) -> f64 {
    let rho = lambda * mean_s;
    let second_moment = mean_s * mean_s * (1.0 + cv * cv);
    lambda * second_moment / (2.0 * (1.0 - rho)) + mean_s
}

/// Mean and 95 % confidence half-width (Student t) of independent replications.
pub fn mean_ci95(xs: &[f64]) -> (f64, f64) {
    use statrs::distribution::{ContinuousCDF, StudentsT};
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let t = StudentsT::new(0.0, 1.0, n - 1.0).expect("at least two values").inverse_cdf(0.975);
    (mean, t * (var / n).sqrt())
}
