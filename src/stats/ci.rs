//! Means across replications with Student-t 95 % confidence half-widths.

use statrs::distribution::{ContinuousCDF, StudentsT};

/// Mean and 95 % confidence half-width of independent replications.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub mean: f64,
    /// `None` with fewer than two values.
    pub ci95: Option<f64>,
}

/// Mean and t-based half-width: t(0.975, n−1) · s / √n.
pub fn estimate(values: &[f64]) -> Estimate {
    estimate_with(values, t975)
}

/// t(0.975, n − 1): the Student-t quantile of a 95 % interval of n values.
fn t975(n: usize) -> f64 {
    StudentsT::new(0.0, 1.0, (n - 1) as f64).map(|d| d.inverse_cdf(0.975)).unwrap_or(f64::NAN)
}

fn estimate_with(values: &[f64], t: impl Fn(usize) -> f64) -> Estimate {
    let n = values.len();
    if n == 0 {
        return Estimate { mean: f64::NAN, ci95: None };
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return Estimate { mean, ci95: None };
    }
    let var = values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    Estimate { mean, ci95: Some(t(n) * (var / n as f64).sqrt()) }
}

/// [`estimate`] for many small samples of at most `max_n` values (one per
/// bucket of a time series): the t quantiles are computed once, not per call.
#[derive(Clone, Debug)]
pub struct Estimator {
    /// `t[n]` = t(0.975, n − 1) for 2 ≤ n ≤ max_n.
    t: Vec<f64>,
}

impl Estimator {
    pub fn new(max_n: usize) -> Estimator {
        Estimator { t: (0..=max_n).map(|n| if n >= 2 { t975(n) } else { f64::NAN }).collect() }
    }

    /// The same as [`estimate`]`(values)`; `values` holds at most `max_n` values.
    pub fn estimate(&self, values: &[f64]) -> Estimate {
        estimate_with(values, |n| self.t.get(n).copied().unwrap_or_else(|| t975(n)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worked_example() {
        // values 10, 12, 14: mean 12, s = 2, t(0.975, 2) = 4.302653, half-width = 4.302653 · 2/√3 = 4.968275
        let e = estimate(&[10.0, 12.0, 14.0]);
        assert_eq!(e.mean, 12.0);
        assert!((e.ci95.unwrap() - 4.968_275).abs() < 1e-5);
    }

    #[test]
    fn the_estimator_gives_the_same_intervals() {
        let e = Estimator::new(4);
        for values in [&[10.0, 12.0, 14.0][..], &[1.0, 2.0], &[3.0], &[], &[1.0, 5.0, 2.0, 8.0, 3.0]] {
            let (a, b) = (e.estimate(values), estimate(values));
            assert!(a.ci95 == b.ci95 && (a.mean == b.mean || a.mean.is_nan() && b.mean.is_nan()), "{values:?}");
        }
    }

    #[test]
    fn one_value_has_no_interval() {
        assert_eq!(estimate(&[5.0]), Estimate { mean: 5.0, ci95: None });
    }
}
