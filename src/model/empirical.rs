//! An empirical duration distribution: a table of measured values with
//! weights, sampled by its inverse CDF with linear interpolation.

use std::path::PathBuf;
use std::sync::Arc;

use crate::time::TimeUnit;

/// One point of the table: a value and the probability of a draw at most it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step {
    pub value_s: f64,
    /// Cumulative weight up to and including this row, normalised (the last is 1).
    pub cumulative: f64,
}

/// An empirical distribution read from a file: the file (for `resolved.toml`)
/// and its table, shared so that clones (one per job) are cheap.
#[derive(Clone, Debug, PartialEq)]
pub struct Empirical {
    /// The file as opened (canonical), written back to `resolved.toml`.
    pub path: PathBuf,
    /// The unit the file's values are in.
    pub unit: TimeUnit,
    steps: Arc<[Step]>,
    mean_s: f64,
}

impl Empirical {
    /// The distribution of `(value_s, weight)` rows (any order; values >= 0,
    /// weights >= 0); `None` unless the weights have a positive finite sum.
    pub fn new(path: PathBuf, unit: TimeUnit, mut rows: Vec<(f64, f64)>) -> Option<Empirical> {
        let total: f64 = rows.iter().map(|&(_, w)| w).sum();
        if !(total > 0.0 && total.is_finite()) {
            return None;
        }
        // Stable: equal values keep file order, so the table is the same every run.
        rows.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut running = 0.0;
        let mut steps: Vec<Step> = rows
            .into_iter()
            .map(|(value_s, weight)| {
                running += weight;
                Step { value_s, cumulative: running / total }
            })
            .collect();
        // Rounding must not leave draws near 1 without a row.
        if let Some(last) = steps.last_mut() {
            last.cumulative = 1.0;
        }
        let mean_s = mean_s(&steps);
        Some(Empirical { path, unit, steps: steps.into(), mean_s })
    }

    /// The value with CDF `u` in (0, 1]: below the first row's cumulative
    /// weight the first value; between two rows the straight line joining
    /// (c_{i−1}, x_{i−1}) and (c_i, x_i). O(log n).
    pub fn quantile_s(&self, u: f64) -> f64 {
        let i = self.steps.partition_point(|s| s.cumulative < u).min(self.steps.len() - 1);
        let hi = self.steps[i];
        if i == 0 {
            return hi.value_s;
        }
        let lo = self.steps[i - 1];
        // lo.cumulative < u <= hi.cumulative, so the width is positive.
        let t = (u - lo.cumulative) / (hi.cumulative - lo.cumulative);
        lo.value_s + (hi.value_s - lo.value_s) * t
    }

    /// The mean of the draws ([`quantile_s`](Self::quantile_s) integrated over (0, 1]).
    pub fn mean_s(&self) -> f64 {
        self.mean_s
    }

    /// The one value of a table whose rows all hold the same value.
    pub fn constant_s(&self) -> Option<f64> {
        let (first, last) = (self.steps.first()?, self.steps.last()?);
        (first.value_s == last.value_s).then_some(first.value_s)
    }

    /// The table, sorted by value.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }
}

/// ∫₀¹ Q(u) du of the piecewise-linear inverse CDF: the first value with
/// probability c₁, and each segment's midpoint with its width:
/// mean = c₁·x₁ + Σ_{i≥2} (c_i − c_{i−1})·(x_{i−1} + x_i)/2.
fn mean_s(steps: &[Step]) -> f64 {
    let Some(first) = steps.first() else { return 0.0 };
    let segments: f64 =
        steps.windows(2).map(|w| (w[1].cumulative - w[0].cumulative) * (w[0].value_s + w[1].value_s) / 2.0).sum();
    first.cumulative * first.value_s + segments
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example: rows (value ms, weight) 10,1 / 20,2 / 40,1 (total 4).
    /// Cumulative: 0.25 at 10 ms, 0.75 at 20 ms, 1 at 40 ms.
    fn small() -> Empirical {
        let rows = vec![(0.040, 1.0), (0.010, 1.0), (0.020, 2.0)];
        Empirical::new(PathBuf::from("d.csv"), TimeUnit::Seconds, rows).unwrap()
    }

    #[test]
    fn quantiles_are_the_hand_computed_inverse_cdf() {
        let e = small();
        let cases = [
            // Up to c₁ = 0.25: the first value.
            (0.1, 0.010),
            (0.25, 0.010),
            // 0.5 is halfway from 0.25 to 0.75: 10 + (20 − 10) × 0.5 = 15 ms.
            (0.5, 0.015),
            // 0.3: 10 + 10 × (0.05 / 0.5) = 11 ms.
            (0.3, 0.011),
            (0.75, 0.020),
            // 0.9: 20 + 20 × (0.15 / 0.25) = 32 ms.
            (0.9, 0.032),
            // The largest value and nothing beyond it.
            (1.0, 0.040),
        ];
        for (u, want) in cases {
            assert!((e.quantile_s(u) - want).abs() < 1e-15, "u = {u}: {} vs {want}", e.quantile_s(u));
        }
    }

    #[test]
    fn the_mean_integrates_the_inverse_cdf() {
        // 0.25 × 10 + 0.5 × (10 + 20)/2 + 0.25 × (20 + 40)/2 = 2.5 + 7.5 + 7.5 = 17.5 ms.
        assert!((small().mean_s() - 0.0175).abs() < 1e-15);
        // The same by a midpoint sum over a fine grid of u.
        let e = small();
        let n = 1_000_000;
        let riemann: f64 = (0..n).map(|k| e.quantile_s((k as f64 + 0.5) / n as f64)).sum::<f64>() / n as f64;
        assert!((riemann - 0.0175).abs() < 1e-9, "{riemann}");
        // One value (any number of rows of it): a constant.
        let c = Empirical::new(PathBuf::new(), TimeUnit::Seconds, vec![(0.03, 1.0); 5]).unwrap();
        assert_eq!((c.mean_s(), c.quantile_s(1e-9), c.quantile_s(0.6), c.quantile_s(1.0)), (0.03, 0.03, 0.03, 0.03));
        assert_eq!((c.constant_s(), e.constant_s()), (Some(0.03), None));
    }

    #[test]
    fn zero_weights_and_ties_are_harmless() {
        // 5 ms weight 0, 10 ms weight 1, 30 ms weight 1: c = 0, 0.5, 1. The first
        // row is no atom, but it starts the line to 10 ms: 0.25 → 5 + 5 × 0.5 = 7.5 ms;
        // 0.75 → 10 + 20 × 0.5 = 20 ms. Mean 0.5 × 7.5 + 0.5 × 20 = 13.75 ms.
        let rows = vec![(0.005, 0.0), (0.010, 1.0), (0.030, 1.0)];
        let e = Empirical::new(PathBuf::new(), TimeUnit::Seconds, rows).unwrap();
        assert!((e.quantile_s(0.25) - 0.0075).abs() < 1e-15);
        assert!((e.quantile_s(0.75) - 0.020).abs() < 1e-15);
        assert!((e.mean_s() - 0.01375).abs() < 1e-15);
        // Tied values: 10 ms twice (weights 1 and 1), 20 ms once: c = 1/3, 2/3, 1.
        // Between the ties the line is flat: 0.5 → 10 ms; 5/6 → 15 ms.
        let rows = vec![(0.010, 1.0), (0.020, 1.0), (0.010, 1.0)];
        let e = Empirical::new(PathBuf::new(), TimeUnit::Seconds, rows).unwrap();
        assert!((e.quantile_s(0.5) - 0.010).abs() < 1e-15);
        assert!((e.quantile_s(5.0 / 6.0) - 0.015).abs() < 1e-15);
        assert!(Empirical::new(PathBuf::new(), TimeUnit::Seconds, vec![(1.0, 0.0)]).is_none());
        assert!(Empirical::new(PathBuf::new(), TimeUnit::Seconds, vec![]).is_none());
    }
}
