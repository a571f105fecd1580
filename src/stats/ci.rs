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
    let n = values.len();
    if n == 0 {
        return Estimate { mean: f64::NAN, ci95: None };
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return Estimate { mean, ci95: None };
    }
    let var = values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    let t = StudentsT::new(0.0, 1.0, (n - 1) as f64).map(|d| d.inverse_cdf(0.975)).unwrap_or(f64::NAN);
    Estimate { mean, ci95: Some(t * (var / n as f64).sqrt()) }
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
    fn one_value_has_no_interval() {
        assert_eq!(estimate(&[5.0]), Estimate { mean: 5.0, ci95: None });
    }
}
