//! The arrival process: a non-homogeneous Poisson process whose rate is
//! piecewise constant over short segments (the profile at each segment's
//! midpoint), generated lazily in time order so nothing is stored.

use rand_distr::{Distribution, Exp1};

use super::profile::RateProfile;
use crate::sim::rng::Stream;
use crate::sim::time::SimTime;

/// Segment length for a changing rate: short against a day, long against a request.
const SEGMENT_S: f64 = 60.0;

/// Arrival times in [0, horizon), ascending, in microseconds.
pub struct Arrivals {
    profile: RateProfile,
    rng: Stream,
    horizon_s: f64,
    segment_s: f64,
    /// Current time, seconds (f64 so tiny gaps do not round away).
    t_s: f64,
    segment_end_s: f64,
    rate: f64,
}

impl Arrivals {
    pub fn new(profile: RateProfile, horizon: SimTime, rng: Stream) -> Arrivals {
        let horizon_s = horizon.as_secs_f64();
        let segment_s = if profile.is_constant() { horizon_s } else { SEGMENT_S };
        let segment_end_s = segment_s.min(horizon_s);
        let rate = profile.rate_at(segment_end_s / 2.0);
        Arrivals { profile, rng, horizon_s, segment_s, t_s: 0.0, segment_end_s, rate }
    }
}

impl Iterator for Arrivals {
    type Item = u64;

    /// Draws a unit-rate exponential "work" and spends it across segments
    /// at each segment's rate: exact for a piecewise-constant rate.
    #[inline]
    fn next(&mut self) -> Option<u64> {
        let mut work: f64 = Exp1.sample(&mut self.rng);
        loop {
            if self.rate > 0.0 {
                let t = self.t_s + work / self.rate;
                if t < self.segment_end_s {
                    self.t_s = t;
                    // t ≥ 0: through i64 is one instruction where f64 → u64 takes several.
                    return Some((t * 1e6) as i64 as u64);
                }
                work -= self.rate * (self.segment_end_s - self.t_s);
            }
            self.t_s = self.segment_end_s;
            if self.t_s >= self.horizon_s {
                return None;
            }
            self.segment_end_s = (self.t_s + self.segment_s).min(self.horizon_s);
            self.rate = self.profile.rate_at((self.t_s + self.segment_end_s) / 2.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::model::{Diurnal, Traffic};
    use crate::sim::rng::{Purpose, stream};

    fn traffic(base_rps: f64, diurnal: Option<Diurnal>) -> Traffic {
        Traffic { base_rps, diurnal, weekly: None, growth: None, spikes: vec![], users: vec![] }
    }

    #[test]
    fn constant_rate_gives_poisson_count_and_sorted_times() {
        // 50 rps for 2 h: mean 360,000, Poisson sd = 600; allow 5 sd = 3,000.
        let horizon = SimTime::from_secs(7_200);
        let arrivals =
            Arrivals::new(RateProfile::new(&traffic(50.0, None)), horizon, stream(3, 0, Purpose::Arrivals, 0));
        let mut last = 0;
        let mut n = 0u64;
        for t in arrivals {
            assert!(t >= last && t < horizon.0);
            last = t;
            n += 1;
        }
        assert!((n as f64 - 360_000.0).abs() < 3_000.0, "{n}");
    }

    #[test]
    fn diurnal_rate_shapes_the_counts() {
        // amplitude 0.5, peak at 12:00, base 20 rps. Over the two hours around the peak the
        // mean factor is 1 + 0.5 · sin(π/12)/(π/12) = 1.49431, so 7,200 s × 20 × 1.49431 =
        // 215,180 arrivals; around the trough (23:00–01:00) 7,200 × 20 × 0.50569 = 72,820.
        // Tolerance: 5 Poisson standard deviations.
        let d = Diurnal { amplitude: 0.5, peak_hour: 12.0 };
        let arrivals =
            Arrivals::new(RateProfile::new(&traffic(20.0, Some(d))), SimTime::DAY, stream(4, 0, Purpose::Arrivals, 0));
        let (mut peak, mut trough) = (0.0f64, 0.0f64);
        for t in arrivals {
            let h = t as f64 / 3.6e9;
            if (11.0..13.0).contains(&h) {
                peak += 1.0;
            } else if !(1.0..23.0).contains(&h) {
                trough += 1.0;
            }
        }
        let expect_peak: f64 = 7_200.0 * 20.0 * 1.494_31;
        let expect_trough: f64 = 7_200.0 * 20.0 * (2.0 - 1.494_31);
        assert!((peak - expect_peak).abs() < 5.0 * expect_peak.sqrt(), "{peak} vs {expect_peak}");
        assert!((trough - expect_trough).abs() < 5.0 * expect_trough.sqrt(), "{trough} vs {expect_trough}");
    }

    #[test]
    fn zero_rate_gives_no_arrivals() {
        let arrivals =
            Arrivals::new(RateProfile::new(&traffic(0.0, None)), SimTime::HOUR, stream(5, 0, Purpose::Arrivals, 0));
        assert_eq!(arrivals.count(), 0);
    }
}
