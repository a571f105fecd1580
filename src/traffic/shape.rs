//! The shape of the rate through the day and the week, before growth and
//! spikes: a cosine (`diurnal`) or 24 hourly weights (`profile.hourly`), and
//! a weekend factor or 7 daily weights (`weekly`). Weights are scaled to a
//! mean of 1, so `base_rps` stays the mean rate.

use std::f64::consts::PI;

use crate::model::{Traffic, Weekly};

/// The day's and the week's shape as factors of the rate.
#[derive(Clone, Debug)]
pub struct Shape {
    day: Day,
    week: Week,
}

#[derive(Clone, Debug)]
enum Day {
    Flat,
    /// 1 + amplitude · cos(2π (h − peak_hour) / 24).
    Cosine {
        amplitude: f64,
        peak_hour: f64,
    },
    /// Value at each hour's centre (hh:30), mean 1; linear in between.
    Hourly([f64; 24]),
}

#[derive(Clone, Debug)]
enum Week {
    Flat,
    /// Saturday and Sunday × the factor.
    Weekend(f64),
    /// Each day's factor, Monday first, mean 1.
    Days([f64; 7]),
}

/// `weights` scaled to a mean of 1 (the reader refuses an all-zero list).
fn mean_one<const N: usize>(weights: &[f64; N]) -> [f64; N] {
    let mean = weights.iter().sum::<f64>() / N as f64;
    weights.map(|w| w / mean)
}

impl Shape {
    pub fn new(traffic: &Traffic) -> Shape {
        let day = match (&traffic.diurnal, &traffic.hourly) {
            (Some(d), _) if d.amplitude != 0.0 => Day::Cosine { amplitude: d.amplitude, peak_hour: d.peak_hour },
            (_, Some(h)) if h.weights.iter().any(|&w| w != h.weights[0]) => Day::Hourly(mean_one(&h.weights)),
            _ => Day::Flat,
        };
        let week = match &traffic.weekly {
            Some(Weekly::WeekendFactor(f)) if *f != 1.0 => Week::Weekend(*f),
            Some(Weekly::Days(d)) if d.iter().any(|&w| w != d[0]) => Week::Days(mean_one(d)),
            _ => Week::Flat,
        };
        Shape { day, week }
    }

    /// True when the shape is 1 at all times.
    pub fn is_flat(&self) -> bool {
        matches!((&self.day, &self.week), (Day::Flat, Week::Flat))
    }

    /// `rate` × the day's factor × the week's factor at `t_s` seconds after
    /// Monday 00:00 (multiplied in that order, so results stay bit-stable).
    pub fn apply(&self, rate: f64, t_s: f64) -> f64 {
        let hours = t_s / 3600.0;
        let mut rate = rate;
        match &self.day {
            Day::Flat => {}
            Day::Cosine { amplitude, peak_hour } => {
                let hour_of_day = hours.rem_euclid(24.0);
                rate *= 1.0 + amplitude * (2.0 * PI * (hour_of_day - peak_hour) / 24.0).cos();
            }
            Day::Hourly(w) => {
                // Hour i's weight sits at i + 0.5 h; before 00:30 the line runs from 23:30.
                let x = hours.rem_euclid(24.0) - 0.5;
                let below = x.floor();
                let frac = x - below;
                let i = (below as i64).rem_euclid(24) as usize;
                rate *= w[i] + (w[(i + 1) % 24] - w[i]) * frac;
            }
        }
        let day_of_week = || (hours / 24.0).rem_euclid(7.0).floor();
        match &self.week {
            Week::Flat => {}
            // Days 5 and 6 of each week (t = 0 is Monday) are Saturday and Sunday.
            Week::Weekend(factor) => {
                if day_of_week() >= 5.0 {
                    rate *= factor;
                }
            }
            Week::Days(d) => rate *= d[(day_of_week() as usize).min(6)],
        }
        rate
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Diurnal, Hourly};

    fn hourly(weights: [f64; 24]) -> Shape {
        Shape::new(&Traffic { hourly: Some(Hourly { weights }), ..Traffic::default() })
    }

    /// A lunch peak: weight 4 at 12:00–13:00, 1 elsewhere (mean 27/24 = 1.125).
    fn lunch() -> [f64; 24] {
        let mut w = [1.0; 24];
        w[12] = 4.0;
        w
    }

    #[test]
    fn hourly_weights_are_scaled_to_mean_one_and_hit_at_hour_centres() {
        let s = hourly(lunch());
        // At 12:30 the weight itself, 4 / 1.125 = 3.5556; at 03:30, 1 / 1.125 = 0.8889.
        assert!((s.apply(1.0, 12.5 * 3600.0) - 4.0 / 1.125).abs() < 1e-12);
        assert!((s.apply(1.0, 3.5 * 3600.0) - 1.0 / 1.125).abs() < 1e-12);
        // Halfway between 11:30 and 12:30 (12:00): (1 + 4) / 2 / 1.125 = 2.2222.
        assert!((s.apply(1.0, 12.0 * 3600.0) - 2.5 / 1.125).abs() < 1e-12);
        // The day is periodic: the same at 12:30 on day 3.
        assert!((s.apply(1.0, (72.0 + 12.5) * 3600.0) - 4.0 / 1.125).abs() < 1e-12);
    }

    #[test]
    fn hourly_interpolation_wraps_at_midnight() {
        // Weight 3 at 23:00–24:00 and 1 at 00:00–01:00: the line from 23:30 to
        // 00:30 passes 2 (× 24/26, the scale to mean 1) at midnight.
        let mut w = [1.0; 24];
        w[23] = 3.0;
        let s = hourly(w);
        let scale = 24.0 / 26.0;
        assert!((s.apply(1.0, 0.0) - 2.0 * scale).abs() < 1e-12);
        assert!((s.apply(1.0, 86_400.0) - 2.0 * scale).abs() < 1e-12);
        assert!((s.apply(1.0, 0.25 * 3600.0) - 1.5 * scale).abs() < 1e-12);
        assert!((s.apply(1.0, 23.75 * 3600.0) - 2.5 * scale).abs() < 1e-12);
        // Negative times (a local time west of UTC at t = 0) wrap to the day before.
        assert!((s.apply(1.0, -0.25 * 3600.0) - 2.5 * scale).abs() < 1e-12);
    }

    #[test]
    fn a_days_integral_of_the_hourly_shape_is_one_day() {
        // Linear between hour centres with wrapping: each hour-to-hour segment
        // integrates to (w_i + w_i+1)/2 hours, and the 24 segments sum to Σ w = 24
        // after scaling, so the day integrates to exactly 86,400 s (midpoint rule on
        // 60 s steps is exact: every kink is at hh:30, on a step edge).
        let mut w = [0.0; 24];
        for (i, x) in w.iter_mut().enumerate() {
            *x = ((i * 7) % 11) as f64 + if i == 5 { 0.0 } else { 0.5 };
        }
        let s = hourly(w);
        let integral: f64 = (0..1440).map(|m| s.apply(1.0, m as f64 * 60.0 + 30.0) * 60.0).sum();
        assert!((integral - 86_400.0).abs() < 1e-6, "{integral}");
    }

    #[test]
    fn equal_weights_and_zero_amplitude_are_flat() {
        assert!(hourly([2.0; 24]).is_flat());
        assert!(!hourly(lunch()).is_flat());
        let t = Traffic { diurnal: Some(Diurnal { amplitude: 0.0, peak_hour: 3.0 }), ..Traffic::default() };
        assert!(Shape::new(&t).is_flat());
        let t = Traffic { weekly: Some(Weekly::Days([3.0; 7])), ..Traffic::default() };
        assert!(Shape::new(&t).is_flat());
    }

    #[test]
    fn days_are_scaled_to_mean_one_monday_first() {
        // Weekdays 1.2, weekend 0.5: mean (6 + 1) / 7 = 1, so the weights stand as written.
        let t = Traffic { weekly: Some(Weekly::Days([1.2, 1.2, 1.2, 1.2, 1.2, 0.5, 0.5])), ..Traffic::default() };
        let s = Shape::new(&t);
        let day = 86_400.0;
        assert!((s.apply(1.0, 0.5 * day) - 1.2).abs() < 1e-12); // Monday
        assert!((s.apply(1.0, 5.5 * day) - 0.5).abs() < 1e-12); // Saturday
        assert!((s.apply(1.0, 7.5 * day) - 1.2).abs() < 1e-12); // Monday again
        // Twice every weight: the same shape.
        let t = Traffic { weekly: Some(Weekly::Days([2.4, 2.4, 2.4, 2.4, 2.4, 1.0, 1.0])), ..Traffic::default() };
        assert!((Shape::new(&t).apply(1.0, 6.5 * day) - 0.5).abs() < 1e-12);
    }
}
