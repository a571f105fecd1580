//! Demand distributions: what one request asks of a server, in seconds.

use rand::Rng;
use rand_distr::{Distribution, Exp1, Gamma, StandardNormal};

use crate::model::{Dist, Empirical, weibull_scale_s};
use crate::rng::unit_open0;

/// A `Dist` with its sampling parameters precomputed.
#[derive(Clone, Debug)]
pub enum Sampler {
    Constant(f64),
    Exponential {
        mean_s: f64,
    },
    /// exp(mu + sigma · Z)
    Lognormal {
        mu: f64,
        sigma: f64,
    },
    Gamma(Gamma<f64>),
    Uniform {
        min_s: f64,
        width_s: f64,
    },
    /// x_m · U^(−1/shape)
    Pareto {
        scale_s: f64,
        neg_inv_shape: f64,
    },
    /// scale · (−ln U)^(1/shape), the inverse CDF of 1 − exp(−(x/scale)^shape),
    /// clipped to [min, max].
    Weibull {
        scale_s: f64,
        inv_shape: f64,
        min_s: f64,
        max_s: f64,
    },
    /// The table's interpolated inverse CDF at a uniform draw.
    Empirical(Empirical),
}

impl Sampler {
    /// Precomputes parameters; `dist` is already validated (means > 0, cv > 0, shape > 1).
    pub fn new(dist: &Dist) -> Sampler {
        match *dist {
            // One value needs no draw, so the streams it shares (failure
            // times with repairs, outage times with durations) run as with a constant.
            Dist::Empirical(ref e) => e.constant_s().map_or_else(|| Sampler::Empirical(e.clone()), Sampler::Constant),
            Dist::Constant { value_s } => Sampler::Constant(value_s),
            Dist::Exponential { mean_s } => Sampler::Exponential { mean_s },
            Dist::Lognormal { mean_s, cv } => {
                // Var = mean² · cv², so sigma² = ln(1 + cv²) and mu = ln(mean) − sigma²/2.
                let sigma2 = (1.0 + cv * cv).ln();
                Sampler::Lognormal { mu: mean_s.ln() - sigma2 / 2.0, sigma: sigma2.sqrt() }
            }
            Dist::Gamma { mean_s, cv } => {
                // shape k = 1/cv², scale θ = mean / k.
                let shape = 1.0 / (cv * cv);
                let gamma = Gamma::new(shape, mean_s / shape)
                    .unwrap_or_else(|_| Gamma::new(1.0, mean_s).expect("validated mean > 0"));
                Sampler::Gamma(gamma)
            }
            Dist::Uniform { min_s, max_s } => Sampler::Uniform { min_s, width_s: max_s - min_s },
            Dist::Pareto { mean_s, shape } => Sampler::Pareto {
                // mean = x_m · shape / (shape − 1)
                scale_s: mean_s * (shape - 1.0) / shape,
                neg_inv_shape: -1.0 / shape,
            },
            Dist::Weibull { median_s, shape, min_s, max_s } => {
                Sampler::Weibull { scale_s: weibull_scale_s(median_s, shape), inv_shape: 1.0 / shape, min_s, max_s }
            }
        }
    }

    /// One draw, in seconds (never negative).
    #[inline(always)]
    pub fn sample_s<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Sampler::Constant(v) => *v,
            Sampler::Exponential { mean_s } => {
                let e: f64 = Exp1.sample(rng);
                mean_s * e
            }
            Sampler::Lognormal { mu, sigma } => {
                let z: f64 = StandardNormal.sample(rng);
                (mu + sigma * z).exp()
            }
            Sampler::Gamma(g) => g.sample(rng),
            Sampler::Uniform { min_s, width_s } => min_s + width_s * unit_open0(rng),
            Sampler::Pareto { scale_s, neg_inv_shape } => scale_s * unit_open0(rng).powf(*neg_inv_shape),
            Sampler::Weibull { scale_s, inv_shape, min_s, max_s } => {
                (scale_s * (-unit_open0(rng).ln()).powf(*inv_shape)).clamp(*min_s, *max_s)
            }
            Sampler::Empirical(e) => e.quantile_s(unit_open0(rng)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Purpose, stream};

    /// Sample mean and coefficient of variation of n draws.
    fn moments(dist: Dist, n: usize) -> (f64, f64) {
        let s = Sampler::new(&dist);
        let mut rng = stream(7, 0, Purpose::Cpu, 0);
        let xs: Vec<f64> = (0..n).map(|_| s.sample_s(&mut rng)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        (mean, var.sqrt() / mean)
    }

    #[test]
    fn a_clipped_weibull_stays_in_its_bounds_with_the_clipped_mean() {
        // Rap Genius's fit (median 50 ms, shape 0.46) clipped to [10 ms, 30 s]: 28.2 % of
        // draws are raised to 10 ms, 2·10⁻⁶ lowered to 30 s. The mean, a + ∫_a^b P(X > x) dx
        // by numerical integration, is 0.26397 s (0.26198 s unclipped).
        let d = Dist::Weibull { median_s: 0.05, shape: 0.46, min_s: 0.01, max_s: 30.0 };
        assert!((d.mean_s() - 0.263_972).abs() < 1e-5, "{}", d.mean_s());
        assert!((Dist::weibull(0.05, 0.46).mean_s() - 0.261_979).abs() < 1e-5);
        let s = Sampler::new(&d);
        let mut rng = stream(7, 0, Purpose::Cpu, 0);
        let n = 400_000;
        let xs: Vec<f64> = (0..n).map(|_| s.sample_s(&mut rng)).collect();
        assert!(xs.iter().all(|x| (0.01..=30.0).contains(x)));
        let at_min = xs.iter().filter(|&&x| x == 0.01).count() as f64 / n as f64;
        // Binomial sd √(0.28 × 0.72 / 400k) = 0.0007; allow 5 sd.
        assert!((at_min - 0.2815).abs() < 0.0036, "{at_min}");
        // The cv is at most 2.52 (unclipped): sd of the mean ≤ 0.264 × 2.52 / √400k = 0.0011; allow 6 sd.
        let mean = xs.iter().sum::<f64>() / n as f64;
        assert!((mean - d.mean_s()).abs() < 0.007, "{mean}");
    }

    // With n = 400k and cv ≤ 2 the standard error of the mean is ≤ 2/√400k = 0.3 % of
    // the mean; 1.5 % is 5 standard errors. The cv estimate is noisier for heavy tails.
    #[test]
    fn every_distribution_has_the_mean_and_cv_it_was_given() {
        let n = 400_000;
        let cases = [
            (Dist::Constant { value_s: 0.04 }, 0.04, 0.0),
            (Dist::Exponential { mean_s: 0.04 }, 0.04, 1.0),
            (Dist::Lognormal { mean_s: 0.01, cv: 1.5 }, 0.01, 1.5),
            (Dist::Gamma { mean_s: 0.02, cv: 0.5 }, 0.02, 0.5),
            // uniform(0.01, 0.03): mean 0.02, sd 0.02/√12 = 0.005774, cv 0.2887
            (Dist::Uniform { min_s: 0.01, max_s: 0.03 }, 0.02, 0.2887),
            // pareto shape 5: cv = 1/√(shape (shape − 2)) = 1/√15 = 0.2582
            (Dist::Pareto { mean_s: 0.05, shape: 5.0 }, 0.05, 0.2582),
            // weibull median 20 ms, shape 1.5: scale = 0.02 / ln2^(1/1.5) = 0.0255356 s;
            // mean = scale · Γ(1 + 1/1.5) = 0.0255356 × 0.9027453 = 0.0230522 s;
            // cv = √(Γ(1 + 2/1.5) / Γ(1 + 1/1.5)² − 1) = √(1.1906393 / 0.8149491 − 1) = 0.6790
            (Dist::weibull(0.02, 1.5), 0.0230522, 0.6790),
        ];
        for (dist, mean, cv) in cases {
            let (m, c) = moments(dist.clone(), n);
            assert!((m / mean - 1.0).abs() < 0.015, "{dist:?}: mean {m}");
            assert!((c - cv).abs() < 0.1 * cv.max(0.1), "{dist:?}: cv {c}");
        }
    }

    /// Kolmogorov-Smirnov: the draws' empirical CDF against the exact CDF of
    /// the law each `Dist` names, with parameters derived here from the mean
    /// and cv (not from `Sampler`). At n = 400k the sup distance exceeds
    /// √(−ln(0.0005)/2)/√n = 1.949/632.5 = 0.0031 with probability 0.001
    /// when the law is right; a gamma drawn with a cv 3 % off (0.515 for 0.5)
    /// was measured at 0.010, three times that.
    #[test]
    fn every_distribution_passes_a_kolmogorov_smirnov_test() {
        use statrs::distribution::{ContinuousCDF, Exp, Gamma, LogNormal, Pareto, Uniform, Weibull};
        let n = 400_000;
        let critical = (-(0.0005f64).ln() / 2.0).sqrt() / (n as f64).sqrt();
        let lognormal_sigma2 = (1.0 + 1.5f64 * 1.5).ln();
        let weibull_scale = 0.02 / std::f64::consts::LN_2.powf(1.0 / 1.5);
        let cases: [(Dist, Box<dyn ContinuousCDF<f64, f64>>); 6] = [
            (Dist::Exponential { mean_s: 0.04 }, Box::new(Exp::new(25.0).unwrap())),
            // σ² = ln(1 + cv²), μ = ln(mean) − σ²/2
            (
                Dist::Lognormal { mean_s: 0.01, cv: 1.5 },
                Box::new(LogNormal::new(0.01f64.ln() - lognormal_sigma2 / 2.0, lognormal_sigma2.sqrt()).unwrap()),
            ),
            // shape 1/cv² = 4, rate shape/mean = 200/s
            (Dist::Gamma { mean_s: 0.02, cv: 0.5 }, Box::new(Gamma::new(4.0, 200.0).unwrap())),
            (Dist::Uniform { min_s: 0.01, max_s: 0.03 }, Box::new(Uniform::new(0.01, 0.03).unwrap())),
            // x_m = mean (shape − 1)/shape = 0.04 s
            (Dist::Pareto { mean_s: 0.05, shape: 5.0 }, Box::new(Pareto::new(0.04, 5.0).unwrap())),
            // scale = median / ln2^(1/shape)
            (Dist::weibull(0.02, 1.5), Box::new(Weibull::new(1.5, weibull_scale).unwrap())),
        ];
        for (dist, cdf) in cases {
            let s = Sampler::new(&dist);
            let mut rng = stream(11, 0, Purpose::Cpu, 0);
            let mut xs: Vec<f64> = (0..n).map(|_| s.sample_s(&mut rng)).collect();
            xs.sort_by(f64::total_cmp);
            let d = xs
                .iter()
                .enumerate()
                .map(|(i, &x)| {
                    let f = cdf.cdf(x);
                    (f - i as f64 / n as f64).max((i + 1) as f64 / n as f64 - f)
                })
                .fold(0.0, f64::max);
            assert!(d < critical, "{dist:?}: KS distance {d} ≥ {critical}");
        }
    }

    /// Empirical quantiles of a heavy-tailed Weibull (shape 0.46, as measured
    /// request times often are) against its exact inverse CDF,
    /// x_p = scale · (−ln(1 − p))^(1/k), within 4 standard errors of the
    /// sample quantile, √(p(1 − p)/n) / f(x_p).
    #[test]
    fn weibull_quantiles_are_the_inverse_cdf() {
        let (median_s, shape) = (0.05, 0.46);
        let scale = weibull_scale_s(median_s, shape);
        let s = Sampler::new(&Dist::weibull(median_s, shape));
        let mut rng = stream(7, 0, Purpose::Cpu, 0);
        let n = 200_000;
        let mut xs: Vec<f64> = (0..n).map(|_| s.sample_s(&mut rng)).collect();
        xs.sort_by(f64::total_cmp);
        for p in [0.1_f64, 0.5, 0.9, 0.99] {
            let exact = scale * (-(1.0 - p).ln()).powf(1.0 / shape);
            let density = shape / scale * (exact / scale).powf(shape - 1.0) * (1.0 - p);
            let se = (p * (1.0 - p) / n as f64).sqrt() / density;
            let got = xs[(p * n as f64) as usize];
            assert!((got - exact).abs() < 4.0 * se, "p = {p}: {got} vs {exact} (se {se})");
        }
        // The median is the one given.
        assert!((scale * std::f64::consts::LN_2.powf(1.0 / shape) - median_s).abs() < 1e-12);
    }

    /// A Weibull given by its scale (as `scale = "100ms"` reads it: the
    /// median scale · (ln 2)^(1/k)) draws from the inverse CDF of that scale,
    /// x_p = 0.1 s · (−ln(1 − p))^(1/0.7), within 4 standard errors.
    #[test]
    fn weibull_by_scale_quantiles_are_the_inverse_cdf_of_that_scale() {
        let (scale, shape) = (0.1, 0.7);
        let s = Sampler::new(&Dist::weibull(crate::model::weibull_median_s(scale, shape), shape));
        let mut rng = stream(9, 0, Purpose::Cpu, 0);
        let n = 200_000;
        let mut xs: Vec<f64> = (0..n).map(|_| s.sample_s(&mut rng)).collect();
        xs.sort_by(f64::total_cmp);
        for p in [0.05_f64, 0.5, 0.9, 0.999] {
            let exact = scale * (-(1.0 - p).ln()).powf(1.0 / shape);
            let density = shape / scale * (exact / scale).powf(shape - 1.0) * (1.0 - p);
            let se = (p * (1.0 - p) / n as f64).sqrt() / density;
            let got = xs[(p * n as f64) as usize];
            assert!((got - exact).abs() < 4.0 * se, "p = {p}: {got} vs {exact} (se {se})");
        }
    }

    /// Draws from an empirical table against its hand-computed inverse CDF.
    /// Rows (ms, weight) 10,1 / 20,2 / 40,1: cumulative 0.25, 0.75, 1. The
    /// 10 ms atom holds a quarter of the draws; Q(0.5) = 10 + 10 × 0.25/0.5 =
    /// 15 ms, where the density is 0.5 per 10 ms = 50/s; Q(0.9) = 20 + 20 ×
    /// 0.15/0.25 = 32 ms, density 0.25 per 20 ms = 12.5/s. Sample quantiles
    /// within 4 standard errors √(p(1 − p)/n) / f; the mean (17.5 ms, see
    /// `model::empirical`) within 4 standard errors σ/√n, σ² = E[X²] − 17.5²
    /// with E[X²] = 0.25·100 + 0.5·(100 + 200 + 400)/3 + 0.25·(400 + 800 + 1600)/3
    /// = 25 + 116.67 + 233.33 = 375 ms², so σ = √68.75 = 8.29 ms.
    #[test]
    fn empirical_draws_follow_the_interpolated_inverse_cdf() {
        let rows = vec![(0.010, 1.0), (0.020, 2.0), (0.040, 1.0)];
        let table = Empirical::new(std::path::PathBuf::new(), crate::time::TimeUnit::Seconds, rows).unwrap();
        let s = Sampler::new(&Dist::Empirical(table));
        let mut rng = stream(7, 0, Purpose::Cpu, 0);
        let n = 200_000;
        let mut xs: Vec<f64> = (0..n).map(|_| s.sample_s(&mut rng)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        assert!((mean - 0.0175).abs() < 4.0 * 0.00829 / (n as f64).sqrt(), "mean {mean}");
        xs.sort_by(f64::total_cmp);
        let atom = xs.iter().filter(|&&x| x == 0.010).count() as f64 / n as f64;
        assert!((atom - 0.25).abs() < 4.0 * (0.25 * 0.75 / n as f64).sqrt(), "atom {atom}");
        for (p, exact, density) in [(0.5, 0.015, 50.0), (0.9, 0.032, 12.5)] {
            let se = (p * (1.0 - p) / n as f64).sqrt() / density;
            let got = xs[(p * n as f64) as usize];
            assert!((got - exact).abs() < 4.0 * se, "p = {p}: {got} vs {exact} (se {se})");
        }
        assert_eq!((xs[0], xs[n - 1] <= 0.040), (0.010, true));
    }
}
