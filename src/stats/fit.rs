//! Maximum-likelihood fits of exponential, lognormal, gamma and Weibull
//! distributions to a weighted sample of durations, ranked by AIC.
//!
//! The sample is pairs (value in seconds, weight). A weight is a count: a
//! pair (x, 3) is the value x seen three times, so every likelihood is
//! Σ wᵢ · ln f(xᵢ) and a weighted sample fits exactly as the repeated one.
//! `hostsim import` passes the bins of a fine log-spaced histogram, each as
//! its representative value and its count, and the fit treats each bin as
//! that many points at that value. Rounding ln x to a grid of step h adds
//! h²/12 to the variance of ln x (1.1·10⁻⁵ at 200 bins per decade) and
//! errors that average out to the mean of ln x, far below the parameters'
//! standard errors, so the bins' values stand in for the raw durations
//! without a correction.
//!
//! AIC = 2p − 2 ln L, with ln L the weighted log-likelihood at the estimate
//! and p the number of fitted parameters: 1 for the exponential, 2 for the
//! others; the lowest AIC is best.
//!
//! The Kolmogorov–Smirnov distance is sup |S(x) − F(x)| between the
//! weighted empirical CDF S (a step of wᵢ / Σw at each value) and the fitted
//! CDF F. On binned values each step carries a whole bin, so the distance
//! has a floor of about half the heaviest bin's share: read it as a
//! distance between candidates, not as a test with n = the request count.

use std::fmt;

use statrs::function::erf::erfc;
use statrs::function::gamma::{digamma, gamma_lr, ln_gamma};

use crate::model::Dist;

/// One family fitted by maximum likelihood to a weighted sample.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub family: Family,
    pub dist: Dist,
    pub log_likelihood: f64,
    pub aic: f64,
    pub ks_distance: f64,
}

/// The families `fit_all` tries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Exponential,
    Lognormal,
    Gamma,
    Weibull,
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Family::Exponential => "exponential",
            Family::Lognormal => "lognormal",
            Family::Gamma => "gamma",
            Family::Weibull => "weibull",
        })
    }
}

/// Fits every family to `sample` (pairs of value in seconds > 0 and weight >= 0, any order); best AIC first.
/// Errors (as a String message) if fewer than 2 distinct positive values or zero total weight.
pub fn fit_all(sample: &[(f64, f64)]) -> Result<Vec<Candidate>, String> {
    let points = checked_points(sample)?;
    let moments = Moments::of(&points)?;
    let fits =
        [fit_exponential(&moments), fit_lognormal(&moments), fit_gamma(&moments)?, fit_weibull(&points, &moments)?];
    let mut candidates: Vec<Candidate> = fits
        .into_iter()
        .map(|fit| {
            let parameters = if fit.params.family() == Family::Exponential { 1.0 } else { 2.0 };
            Candidate {
                family: fit.params.family(),
                dist: fit.params.dist(),
                log_likelihood: fit.log_likelihood,
                aic: 2.0 * parameters - 2.0 * fit.log_likelihood,
                ks_distance: ks_distance(&points, moments.weight, &fit.params),
            }
        })
        .collect();
    // A stable sort: equal AICs keep the order above (fewer parameters first).
    candidates.sort_by(|a, b| a.aic.total_cmp(&b.aic));
    Ok(candidates)
}

/// The sample's points with positive weight, sorted by value with equal
/// values merged; refuses values that are not positive and finite, and
/// weights that are negative or not finite.
fn checked_points(sample: &[(f64, f64)]) -> Result<Vec<(f64, f64)>, String> {
    for (i, &(value_s, weight)) in sample.iter().enumerate() {
        if !(value_s.is_finite() && value_s > 0.0) {
            return Err(format!("duration #{} is {value_s} s; durations to fit must be positive and finite", i + 1));
        }
        if !(weight.is_finite() && weight >= 0.0) {
            return Err(format!("weight #{} is {weight}; weights must be finite and >= 0", i + 1));
        }
    }
    let mut points: Vec<(f64, f64)> = sample.iter().copied().filter(|&(_, w)| w > 0.0).collect();
    if points.is_empty() {
        return Err("no durations to fit: the total weight is zero".to_string());
    }
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    points.dedup_by(|next, kept| {
        let same = next.0 == kept.0;
        if same {
            kept.1 += next.1;
        }
        same
    });
    if points.len() < 2 {
        return Err(format!(
            "every duration is {} s; fitting a distribution needs at least 2 distinct values",
            points[0].0
        ));
    }
    Ok(points)
}

/// The weighted sums every family's estimate is built from.
struct Moments {
    /// Σw
    weight: f64,
    /// Σw·x / Σw
    mean_s: f64,
    /// Σw·ln x / Σw
    mean_ln: f64,
    /// Σw·(ln x − mean_ln)² / Σw, computed about the mean to avoid cancellation.
    var_ln: f64,
}

impl Moments {
    fn of(points: &[(f64, f64)]) -> Result<Moments, String> {
        let weight: f64 = points.iter().map(|p| p.1).sum();
        let mean_s = points.iter().map(|&(x, w)| w * x).sum::<f64>() / weight;
        let mean_ln = points.iter().map(|&(x, w)| w * x.ln()).sum::<f64>() / weight;
        let var_ln = points.iter().map(|&(x, w)| w * (x.ln() - mean_ln).powi(2)).sum::<f64>() / weight;
        // Below this spread ln(mean) − mean(ln x) ≈ var_ln / 2 drowns in rounding
        // and the gamma and Weibull shapes are not defined by the data.
        if var_ln.sqrt() < 1e-6 {
            return Err(format!(
                "the durations differ by less than one part in a million (all about {mean_s} s); \
                 there is no spread to fit a distribution to"
            ));
        }
        Ok(Moments { weight, mean_s, mean_ln, var_ln })
    }
}

/// A family's estimated parameters in its natural form.
#[derive(Clone, Copy, Debug)]
enum Params {
    Exponential {
        mean_s: f64,
    },
    /// ln x ~ Normal(mu, sigma²)
    Lognormal {
        mu: f64,
        sigma: f64,
    },
    /// density x^(k−1) e^(−x/θ) / (Γ(k) θ^k)
    Gamma {
        shape: f64,
        scale_s: f64,
    },
    /// CDF 1 − exp(−(x/λ)^k)
    Weibull {
        shape: f64,
        scale_s: f64,
    },
}

impl Params {
    fn family(&self) -> Family {
        match self {
            Params::Exponential { .. } => Family::Exponential,
            Params::Lognormal { .. } => Family::Lognormal,
            Params::Gamma { .. } => Family::Gamma,
            Params::Weibull { .. } => Family::Weibull,
        }
    }

    /// The same distribution in the parameters a scenario uses.
    fn dist(&self) -> Dist {
        match *self {
            Params::Exponential { mean_s } => Dist::Exponential { mean_s },
            Params::Lognormal { mu, sigma } => {
                let sigma2 = sigma * sigma;
                Dist::Lognormal { mean_s: (mu + sigma2 / 2.0).exp(), cv: sigma2.exp_m1().sqrt() }
            }
            Params::Gamma { shape, scale_s } => Dist::Gamma { mean_s: shape * scale_s, cv: 1.0 / shape.sqrt() },
            Params::Weibull { shape, scale_s } => {
                Dist::weibull(scale_s * std::f64::consts::LN_2.powf(1.0 / shape), shape)
            }
        }
    }

    fn cdf(&self, x: f64) -> f64 {
        match *self {
            Params::Exponential { mean_s } => -(-x / mean_s).exp_m1(),
            Params::Lognormal { mu, sigma } => 0.5 * erfc(-(x.ln() - mu) / (sigma * std::f64::consts::SQRT_2)),
            Params::Gamma { shape, scale_s } => gamma_lr(shape, x / scale_s),
            Params::Weibull { shape, scale_s } => -(-(x / scale_s).powf(shape)).exp_m1(),
        }
    }
}

/// Estimated parameters and the weighted log-likelihood at them.
struct Fit {
    params: Params,
    log_likelihood: f64,
}

/// The MLE of the mean is the weighted mean; ln L = −W·ln m − W.
fn fit_exponential(m: &Moments) -> Fit {
    let log_likelihood = -m.weight * m.mean_s.ln() - m.weight;
    Fit { params: Params::Exponential { mean_s: m.mean_s }, log_likelihood }
}

/// mu and sigma² are the weighted mean and (1/W) variance of ln x;
/// ln L = −Σw·ln x − W·ln σ − W/2·ln 2π − W/2.
fn fit_lognormal(m: &Moments) -> Fit {
    let sigma = m.var_ln.sqrt();
    let w = m.weight;
    let log_likelihood = -w * m.mean_ln - w * sigma.ln() - w / 2.0 * (2.0 * std::f64::consts::PI).ln() - w / 2.0;
    Fit { params: Params::Lognormal { mu: m.mean_ln, sigma }, log_likelihood }
}

/// The shape k solves ln k − ψ(k) = s with s = ln(mean) − mean(ln x) > 0
/// (Jensen), by safeguarded Newton from Minka's closed-form start (within
/// 1.5 % of the root); the scale is mean / k.
/// ln L = (k−1)·Σw·ln x − Σw·x/θ − W·k·ln θ − W·ln Γ(k).
fn fit_gamma(m: &Moments) -> Result<Fit, String> {
    let s = m.mean_s.ln() - m.mean_ln;
    if s.is_nan() || s <= 0.0 {
        return Err("the durations are too close together to fit a gamma distribution".to_string());
    }
    let start = (3.0 - s + ((s - 3.0).powi(2) + 24.0 * s).sqrt()) / (12.0 * s);
    // ψ(k) − ln k + s increases in k (from −∞ to s), so it has one root.
    let shape = increasing_root(start, |k| (digamma(k) - k.ln() + s, trigamma(k) - 1.0 / k))
        .ok_or("the gamma fit did not converge")?;
    let scale_s = m.mean_s / shape;
    let w = m.weight;
    let log_likelihood =
        (shape - 1.0) * w * m.mean_ln - w * m.mean_s / scale_s - w * shape * scale_s.ln() - w * ln_gamma(shape);
    Ok(Fit { params: Params::Gamma { shape, scale_s }, log_likelihood })
}

/// Profile likelihood: for a shape k the best scale has λ^k = Σw·x^k / W,
/// and k solves the score equation Σw·x^k·ln x / Σw·x^k − 1/k − mean(ln x) = 0,
/// whose left side increases from −∞ to ln max(x) − mean(ln x) > 0. The
/// start k = π / (√6 · sd(ln x)) is exact for Weibull data (sd(ln x) = π / (k√6)).
/// ln L = W·ln k − W·k·ln λ + (k−1)·Σw·ln x − W (as Σw·(x/λ)^k = W).
fn fit_weibull(points: &[(f64, f64)], m: &Moments) -> Result<Fit, String> {
    // x^k = e^(k·c) · e^(k·y) with y = ln x − c ≤ 0, so no power overflows.
    let c = points.last().map_or(0.0, |p| p.0.ln());
    let ys: Vec<(f64, f64)> = points.iter().map(|&(x, w)| (x.ln() - c, w)).collect();
    // (Σw·e^(ky), Σw·e^(ky)·y, Σw·e^(ky)·y²)
    let sums = |k: f64| {
        ys.iter().fold((0.0, 0.0, 0.0), |(s0, s1, s2), &(y, w)| {
            let e = w * (k * y).exp();
            (s0 + e, s1 + e * y, s2 + e * y * y)
        })
    };
    let mean_y = m.mean_ln - c;
    let start = std::f64::consts::PI / (6f64.sqrt() * m.var_ln.sqrt());
    let shape = increasing_root(start, |k| {
        let (s0, s1, s2) = sums(k);
        let a = s1 / s0;
        (a - 1.0 / k - mean_y, s2 / s0 - a * a + 1.0 / (k * k))
    })
    .ok_or("the Weibull fit did not converge")?;
    let ln_scale = c + (sums(shape).0 / m.weight).ln() / shape;
    let w = m.weight;
    let log_likelihood = w * shape.ln() - w * shape * ln_scale + (shape - 1.0) * w * m.mean_ln - w;
    Ok(Fit { params: Params::Weibull { shape, scale_s: ln_scale.exp() }, log_likelihood })
}

/// The root in (0, ∞) of an increasing f, given f and f' together: brackets
/// it by halving and doubling from `start`, then Newton steps, bisecting
/// whenever a step would leave the bracket. `None` if it does not converge.
fn increasing_root(start: f64, f: impl Fn(f64) -> (f64, f64)) -> Option<f64> {
    const MAX_STEPS: usize = 200;
    let (mut lo, mut hi) = (start, start);
    for _ in 0..MAX_STEPS {
        if f(lo).0 <= 0.0 {
            break;
        }
        lo /= 2.0;
    }
    for _ in 0..MAX_STEPS {
        if f(hi).0 >= 0.0 {
            break;
        }
        hi *= 2.0;
    }
    if !(f(lo).0 <= 0.0 && f(hi).0 >= 0.0) {
        return None;
    }
    let mut x = start;
    for _ in 0..MAX_STEPS {
        let (value, slope) = f(x);
        if value == 0.0 {
            return Some(x);
        }
        if value < 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        let newton = x - value / slope;
        let next = if newton > lo && newton < hi { newton } else { (lo + hi) / 2.0 };
        if (next - x).abs() <= 1e-14 * x || hi - lo <= 1e-14 * hi {
            return Some(next);
        }
        x = next;
    }
    None
}

/// ψ'(x) for x > 0: the recurrence ψ'(x) = ψ'(x+1) + 1/x² up to x ≥ 20, then
/// the asymptotic series 1/x + 1/(2x²) + 1/(6x³) − 1/(30x⁵) + 1/(42x⁷) − 1/(30x⁹)
/// (the next term, 5/(66x¹¹), is below 4·10⁻¹⁶ at x = 20).
fn trigamma(mut x: f64) -> f64 {
    let mut sum = 0.0;
    while x < 20.0 {
        sum += 1.0 / (x * x);
        x += 1.0;
    }
    let r = 1.0 / x;
    let r2 = r * r;
    sum + r + r2 / 2.0 + r * r2 * (1.0 / 6.0 - r2 * (1.0 / 30.0 - r2 * (1.0 / 42.0 - r2 / 30.0)))
}

/// sup |S − F| over the sorted, merged points: at each value the empirical
/// CDF jumps from the weight below it to the weight up to it, and the
/// distance is largest at one side of a jump.
fn ks_distance(points: &[(f64, f64)], total_weight: f64, params: &Params) -> f64 {
    let mut below = 0.0;
    let mut distance: f64 = 0.0;
    for &(x, w) in points {
        let f = params.cdf(x);
        let up_to = below + w;
        distance = distance.max((f - below / total_weight).abs()).max((up_to / total_weight - f).abs());
        below = up_to;
    }
    distance
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::weibull_scale_s;
    use crate::rng::{Purpose, stream};
    use crate::workload::Sampler;

    const N: usize = 20_000;

    /// n draws of `dist` from a seeded stream, each with weight 1.
    fn draw(dist: &Dist, n: usize) -> Vec<(f64, f64)> {
        let sampler = Sampler::new(dist);
        let mut rng = stream(18, 0, Purpose::Cpu, 0);
        (0..n).map(|_| (sampler.sample_s(&mut rng), 1.0)).collect()
    }

    fn candidate(candidates: &[Candidate], family: Family) -> &Candidate {
        candidates.iter().find(|c| c.family == family).expect("every family is fitted")
    }

    /// The natural parameters of a fitted lognormal: (mu, sigma).
    fn lognormal_mu_sigma(dist: &Dist) -> (f64, f64) {
        let Dist::Lognormal { mean_s, cv } = *dist else { panic!("not a lognormal: {dist:?}") };
        let sigma2 = (1.0 + cv * cv).ln();
        (mean_s.ln() - sigma2 / 2.0, sigma2.sqrt())
    }

    /// The 1 % critical value of the one-sample KS statistic with known
    /// parameters; with estimated parameters (Lilliefors) the true critical
    /// value is smaller, so "below it" is a conservative check.
    fn ks_critical_1pct(n: usize) -> f64 {
        1.63 / (n as f64).sqrt()
    }

    #[test]
    fn worked_example_exponential() {
        // {1, 2, 3} s with weights {1, 1, 2}: W = 4, mean = (1 + 2 + 6)/4 = 9/4 = 2.25 s;
        // ln L = −W·ln 2.25 − W = −4 · 0.8109302 − 4 = −7.2437209; AIC = 2·1 + 14.4874418 = 16.4874418.
        let candidates = fit_all(&[(3.0, 2.0), (1.0, 1.0), (2.0, 1.0)]).unwrap();
        let exp = candidate(&candidates, Family::Exponential);
        assert_eq!(exp.dist, Dist::Exponential { mean_s: 2.25 });
        assert!((exp.log_likelihood - (-7.243_720_9)).abs() < 1e-6, "{}", exp.log_likelihood);
        assert!((exp.aic - 16.487_441_8).abs() < 1e-6, "{}", exp.aic);
    }

    #[test]
    fn worked_example_lognormal() {
        // {1, e²} s, one each: ln x = {0, 2}, mu = 1, sigma² = ((0−1)² + (2−1)²)/2 = 1;
        // ln L = −Σ ln x − W·ln σ − W/2·ln 2π − W/2 = −2 − 0 − 1.8378771 − 1 = −4.8378771;
        // mean = e^(mu + σ²/2) = e^1.5 = 4.4816891 s, cv = √(e^σ² − 1) = √(e − 1) = 1.3108324.
        let e2 = 2f64.exp();
        let candidates = fit_all(&[(1.0, 1.0), (e2, 1.0)]).unwrap();
        let ln = candidate(&candidates, Family::Lognormal);
        assert!((ln.log_likelihood - (-4.837_877_1)).abs() < 1e-6, "{}", ln.log_likelihood);
        let Dist::Lognormal { mean_s, cv } = ln.dist else { panic!() };
        assert!((mean_s - 4.481_689_1).abs() < 1e-6 && (cv - 1.310_832_4).abs() < 1e-6, "{mean_s} {cv}");
    }

    // Each estimate is checked to within 4 of its asymptotic standard errors
    // (a 6·10⁻⁵ two-sided chance of a false failure per check).
    const Z: f64 = 4.0;

    #[test]
    fn exponential_mean_within_four_standard_errors() {
        // The MLE is the sample mean: sd = mean / √n = 0.04 / 141.4 = 0.28 ms.
        let candidates = fit_all(&draw(&Dist::Exponential { mean_s: 0.04 }, N)).unwrap();
        let Dist::Exponential { mean_s } = candidate(&candidates, Family::Exponential).dist else { panic!() };
        assert!((mean_s - 0.04).abs() < Z * 0.04 / (N as f64).sqrt(), "{mean_s}");
    }

    #[test]
    fn lognormal_mu_and_sigma_within_four_standard_errors() {
        // cv 1.5: σ² = ln(1 + 2.25) = 1.1787, σ = 1.0857; sd(mu) = σ/√n, sd(σ) ≈ σ/√(2n).
        let truth = Dist::Lognormal { mean_s: 0.01, cv: 1.5 };
        let (mu, sigma) = lognormal_mu_sigma(&truth);
        let candidates = fit_all(&draw(&truth, N)).unwrap();
        let (mu_hat, sigma_hat) = lognormal_mu_sigma(&candidate(&candidates, Family::Lognormal).dist);
        let n = N as f64;
        assert!((mu_hat - mu).abs() < Z * sigma / n.sqrt(), "{mu_hat} vs {mu}");
        assert!((sigma_hat - sigma).abs() < Z * sigma / (2.0 * n).sqrt(), "{sigma_hat} vs {sigma}");
    }

    #[test]
    fn gamma_mean_and_shape_within_four_standard_errors() {
        // cv 0.5: k = 4. The MLE of the mean is the sample mean: sd = mean · cv / √n.
        // Fisher information: var(k̂) = k / (n·(k·ψ'(k) − 1)); ψ'(4) = π²/6 − 1 − 1/4 − 1/9
        // = 0.283823, so var(k̂) = 4 / (20,000 · 0.135292) and sd(k̂) = 0.03845.
        let candidates = fit_all(&draw(&Dist::Gamma { mean_s: 0.02, cv: 0.5 }, N)).unwrap();
        let Dist::Gamma { mean_s, cv } = candidate(&candidates, Family::Gamma).dist else { panic!() };
        let n = N as f64;
        assert!((mean_s - 0.02).abs() < Z * 0.02 * 0.5 / n.sqrt(), "{mean_s}");
        let (k, k_hat) = (4.0, 1.0 / (cv * cv));
        let sd_k = (k / (n * (k * trigamma(k) - 1.0))).sqrt();
        assert!((sd_k - 0.038_45).abs() < 1e-4, "{sd_k}");
        assert!((k_hat - k).abs() < Z * sd_k, "{k_hat}");
    }

    #[test]
    fn weibull_shape_and_scale_within_four_standard_errors() {
        // The inverse Fisher information of (k, ln λ): var(k̂) = 6k²/(π²n) (sd = 0.780·k/√n),
        // var(ln λ̂) = (1 + 6(1 − γ)²/π²) / (k²n) = 1.1087 / (k²n).
        let (median_s, k) = (0.02, 0.6);
        let candidates = fit_all(&draw(&Dist::weibull(median_s, k), N)).unwrap();
        let Dist::Weibull { median_s: median_hat, shape: k_hat, .. } = candidate(&candidates, Family::Weibull).dist
        else {
            panic!()
        };
        let n = N as f64;
        let sd_k = (6.0 / std::f64::consts::PI.powi(2)).sqrt() * k / n.sqrt();
        assert!((k_hat - k).abs() < Z * sd_k, "{k_hat}");
        let ln_scale_error = (weibull_scale_s(median_hat, k_hat) / weibull_scale_s(median_s, k)).ln();
        assert!(ln_scale_error.abs() < Z * (1.1087 / (k * k * n)).sqrt(), "{ln_scale_error}");
    }

    /// Σw·ln f(x) from statrs's densities, set up from the scenario parameters.
    fn direct_log_likelihood(dist: &Dist, sample: &[(f64, f64)]) -> f64 {
        use statrs::distribution::{Continuous, Exp, Gamma, LogNormal, Weibull};
        let ln_pdf: Box<dyn Fn(f64) -> f64> = match *dist {
            Dist::Exponential { mean_s } => {
                let d = Exp::new(1.0 / mean_s).unwrap();
                Box::new(move |x| d.ln_pdf(x))
            }
            Dist::Lognormal { .. } => {
                let (mu, sigma) = lognormal_mu_sigma(dist);
                let d = LogNormal::new(mu, sigma).unwrap();
                Box::new(move |x| d.ln_pdf(x))
            }
            Dist::Gamma { mean_s, cv } => {
                let shape = 1.0 / (cv * cv);
                let d = Gamma::new(shape, shape / mean_s).unwrap(); // statrs takes a rate
                Box::new(move |x| d.ln_pdf(x))
            }
            Dist::Weibull { median_s, shape, .. } => {
                let d = Weibull::new(shape, weibull_scale_s(median_s, shape)).unwrap();
                Box::new(move |x| d.ln_pdf(x))
            }
            _ => panic!("not a fitted family: {dist:?}"),
        };
        sample.iter().map(|&(x, w)| w * ln_pdf(x)).sum()
    }

    /// The dist with its first or second parameter multiplied by `factor`.
    fn nudged(dist: &Dist, first: bool, factor: f64) -> Dist {
        let (a, b) = if first { (factor, 1.0) } else { (1.0, factor) };
        match *dist {
            Dist::Exponential { mean_s } => Dist::Exponential { mean_s: mean_s * a },
            Dist::Lognormal { mean_s, cv } => Dist::Lognormal { mean_s: mean_s * a, cv: cv * b },
            Dist::Gamma { mean_s, cv } => Dist::Gamma { mean_s: mean_s * a, cv: cv * b },
            Dist::Weibull { median_s, shape, .. } => Dist::weibull(median_s * a, shape * b),
            _ => panic!("not a fitted family: {dist:?}"),
        }
    }

    #[test]
    fn each_log_likelihood_is_the_sum_of_log_densities_and_a_maximum() {
        // Checks the closed forms and the solvers independently: statrs's densities give the
        // same ln L, and moving any parameter by ±0.1 % lowers it (a maximum, whatever the
        // parameterisation). Weights 1 and 2 alternate, so weights count.
        let sample: Vec<(f64, f64)> = draw(&Dist::Gamma { mean_s: 0.03, cv: 0.8 }, 2_000)
            .into_iter()
            .enumerate()
            .map(|(i, (x, _))| (x, 1.0 + (i % 2) as f64))
            .collect();
        for c in fit_all(&sample).unwrap() {
            let direct = direct_log_likelihood(&c.dist, &sample);
            assert!((direct - c.log_likelihood).abs() < 1e-9 * direct.abs(), "{c:?}: direct {direct}");
            let parameters = if c.family == Family::Exponential { [true].as_slice() } else { &[true, false] };
            for &first in parameters {
                for factor in [0.999, 1.001] {
                    let moved = direct_log_likelihood(&nudged(&c.dist, first, factor), &sample);
                    assert!(moved < c.log_likelihood, "{c:?}: {moved} at ×{factor} (first: {first})");
                }
            }
        }
    }

    // Burnham and Anderson: an AIC 10 above the best has essentially no support.
    #[test]
    fn aic_ranks_the_generating_family_first_by_more_than_ten() {
        let cases = [
            (Dist::Lognormal { mean_s: 0.01, cv: 1.5 }, Family::Lognormal),
            (Dist::weibull(0.02, 0.6), Family::Weibull),
            (Dist::Gamma { mean_s: 0.02, cv: 0.5 }, Family::Gamma),
        ];
        for (truth, family) in cases {
            let candidates = fit_all(&draw(&truth, N)).unwrap();
            assert_eq!(candidates[0].family, family, "{candidates:?}");
            assert!(candidates[1].aic - candidates[0].aic > 10.0, "{candidates:?}");
            assert!(candidates.windows(2).all(|w| w[0].aic <= w[1].aic));
        }
    }

    #[test]
    fn exponential_data_fit_by_the_exponential_or_its_generalisations_at_shape_one() {
        // The exponential is gamma and Weibull at shape 1, so it wins on AIC only when
        // their extra parameter gains less than 1 in ln L (2·gain ~ χ²₁: 84 % of
        // samples). What always holds: its AIC is within χ²₁(0.999) − 2 = 8.8 of the
        // best, both shapes are within 4 standard errors of 1, and the lognormal is far behind.
        let candidates = fit_all(&draw(&Dist::Exponential { mean_s: 0.04 }, N)).unwrap();
        let best = candidates[0].aic;
        assert!(candidate(&candidates, Family::Exponential).aic - best < 8.8, "{candidates:?}");
        assert!(candidate(&candidates, Family::Lognormal).aic - best > 100.0, "{candidates:?}");
        let n = N as f64;
        let Dist::Gamma { cv, .. } = candidate(&candidates, Family::Gamma).dist else { panic!() };
        // sd(k̂) at k = 1: √(1 / (n·(π²/6 − 1))) = 1.2456/√n.
        assert!((1.0 / (cv * cv) - 1.0).abs() < Z * 1.2456 / n.sqrt(), "{cv}");
        let Dist::Weibull { shape, .. } = candidate(&candidates, Family::Weibull).dist else { panic!() };
        assert!((shape - 1.0).abs() < Z * 0.780 / n.sqrt(), "{shape}");
    }

    #[test]
    fn ks_distance_small_for_the_generating_family_and_large_for_a_wrong_one() {
        let critical = ks_critical_1pct(N);
        let cases = [
            (Dist::Exponential { mean_s: 0.04 }, Family::Exponential, Family::Lognormal),
            (Dist::Lognormal { mean_s: 0.01, cv: 1.5 }, Family::Lognormal, Family::Exponential),
            (Dist::weibull(0.02, 0.6), Family::Weibull, Family::Gamma),
            (Dist::Gamma { mean_s: 0.02, cv: 0.5 }, Family::Gamma, Family::Exponential),
        ];
        for (truth, right, wrong) in cases {
            let candidates = fit_all(&draw(&truth, N)).unwrap();
            let (d_right, d_wrong) =
                (candidate(&candidates, right).ks_distance, candidate(&candidates, wrong).ks_distance);
            assert!(d_right < critical, "{truth:?}: {right} {d_right} ≥ {critical}");
            assert!(d_wrong > 2.0 * critical, "{truth:?}: {wrong} {d_wrong} ≤ 2 × {critical}");
        }
    }

    #[test]
    fn a_weight_of_three_fits_as_the_value_repeated_three_times() {
        let base = draw(&Dist::Gamma { mean_s: 0.03, cv: 0.8 }, 500);
        let weighted: Vec<(f64, f64)> = base.iter().map(|&(x, _)| (x, 3.0)).collect();
        let repeated: Vec<(f64, f64)> = base.iter().flat_map(|&p| [p, p, p]).collect();
        let (a, b) = (fit_all(&weighted).unwrap(), fit_all(&repeated).unwrap());
        let close = |x: f64, y: f64| (x - y).abs() <= 1e-9 * x.abs().max(y.abs());
        let params = |d: &Dist| match *d {
            Dist::Exponential { mean_s } => (mean_s, 0.0),
            Dist::Lognormal { mean_s, cv } | Dist::Gamma { mean_s, cv } => (mean_s, cv),
            Dist::Weibull { median_s, shape, .. } => (median_s, shape),
            _ => panic!("not a fitted family: {d:?}"),
        };
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.family, y.family);
            let ((p1, p2), (q1, q2)) = (params(&x.dist), params(&y.dist));
            assert!(close(p1, q1) && close(p2, q2), "{x:?} vs {y:?}");
            assert!(close(x.log_likelihood, y.log_likelihood) && close(x.aic, y.aic), "{x:?} vs {y:?}");
            assert!(close(x.ks_distance, y.ks_distance), "{x:?} vs {y:?}");
        }
    }

    #[test]
    fn histogram_bins_fit_as_the_raw_durations() {
        // 200 log-spaced bins per decade, each at its geometric centre with its count, as
        // import passes them: each ln x moves by at most h/2 = ln(10)/400 = 0.0058, errors that
        // average out (mu moves by about h/√(12n) = 2·10⁻⁵, against its sd σ/√n = 0.0059),
        // and σ² grows by h²/12 = 1.1·10⁻⁵ (σ by 7·10⁻⁶). Both are asked to stay within sd/10.
        let raw = draw(&Dist::Lognormal { mean_s: 0.05, cv: 1.0 }, N);
        let h = 10f64.ln() / 200.0;
        let mut bins = std::collections::BTreeMap::new();
        for &(x, _) in &raw {
            *bins.entry((x.ln() / h).floor() as i64).or_insert(0.0) += 1.0;
        }
        let binned: Vec<(f64, f64)> = bins.iter().map(|(&i, &count)| (((i as f64 + 0.5) * h).exp(), count)).collect();
        assert!(binned.len() < raw.len() / 10);
        let (a, b) = (fit_all(&raw).unwrap(), fit_all(&binned).unwrap());
        let (mu_raw, sigma_raw) = lognormal_mu_sigma(&candidate(&a, Family::Lognormal).dist);
        let (mu_binned, sigma_binned) = lognormal_mu_sigma(&candidate(&b, Family::Lognormal).dist);
        let sd_mu = sigma_raw / (N as f64).sqrt();
        assert!((mu_binned - mu_raw).abs() < sd_mu / 10.0, "{mu_binned} vs {mu_raw}");
        assert!((sigma_binned - sigma_raw).abs() < sd_mu / 10.0, "{sigma_binned} vs {sigma_raw}");
        assert_eq!(a[0].family, b[0].family);
        // Each bin's step adds at most its own share to the distance.
        let heaviest = bins.values().fold(0.0f64, |m, &c| m.max(c)) / N as f64;
        for (x, y) in a.iter().zip(&b) {
            assert!(y.ks_distance <= x.ks_distance + heaviest, "{x:?} vs {y:?}");
        }
    }

    #[test]
    fn degenerate_samples_are_refused_with_a_message_not_nans() {
        let cases: [(&[(f64, f64)], &str); 9] = [
            (&[], "total weight is zero"),
            (&[(1.0, 0.0), (2.0, 0.0)], "total weight is zero"),
            (&[(0.05, 3.0), (0.05, 2.0)], "every duration is 0.05 s"),
            (&[(0.05, 3.0), (0.07, 0.0)], "every duration is 0.05 s"),
            (&[(0.0, 1.0), (1.0, 1.0)], "duration #1 is 0 s"),
            (&[(1.0, 1.0), (-2.0, 1.0)], "duration #2 is -2 s"),
            (&[(f64::NAN, 1.0), (1.0, 1.0)], "duration #1 is NaN s"),
            (&[(1.0, -1.0), (2.0, 1.0)], "weight #1 is -1"),
            (&[(1.0, 1.0), (1.0 + 1e-9, 1.0)], "less than one part in a million"),
        ];
        for (sample, message) in cases {
            let error = fit_all(sample).unwrap_err();
            assert!(error.contains(message), "{sample:?}: {error}");
        }
        assert!(fit_all(&[(1.0, f64::INFINITY), (2.0, 1.0)]).unwrap_err().contains("weight #1 is inf"));
    }

    #[test]
    fn extreme_but_valid_samples_give_finite_fits() {
        // Two values nine decades apart, and two a part in 10⁵ apart: finite everything.
        for sample in [[(1e-6, 1.0), (1e3, 1.0)], [(0.05, 1.0), (0.050_005, 1.0)]] {
            for c in fit_all(&sample).unwrap() {
                assert!(c.log_likelihood.is_finite() && c.aic.is_finite() && c.ks_distance.is_finite(), "{c:?}");
                assert!(c.dist.mean_s().is_finite() && c.dist.mean_s() > 0.0, "{c:?}");
            }
        }
    }

    #[test]
    fn trigamma_matches_known_values() {
        // ψ'(1) = π²/6, ψ'(1/2) = π²/2, ψ'(x) − ψ'(x+1) = 1/x² across the switch to the series at 20.
        let pi2 = std::f64::consts::PI.powi(2);
        assert!((trigamma(1.0) - pi2 / 6.0).abs() < 1e-12);
        assert!((trigamma(0.5) - pi2 / 2.0).abs() < 1e-12);
        for x in [0.01, 19.5, 20.0, 45.0] {
            let step = 1.0 / (x * x);
            assert!((trigamma(x) - trigamma(x + 1.0) - step).abs() < 1e-12 * step, "{x}");
        }
    }

    #[test]
    fn families_print_as_scenario_files_name_them() {
        let names: Vec<String> =
            [Family::Exponential, Family::Lognormal, Family::Gamma, Family::Weibull].map(|f| f.to_string()).into();
        assert_eq!(names, ["exponential", "lognormal", "gamma", "weibull"]);
    }
}
