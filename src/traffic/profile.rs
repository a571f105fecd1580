//! The arrival rate as a function of time:
//! `base_rps × shape × growth × spikes`, where the shape (day and week) is
//! taken in UTC, or with `local_time` in each user region's own time and
//! weighted by the regions' shares.

use super::shape::Shape;
use super::spike::Spikes;
use crate::model::Traffic;
use crate::time::SimTime;

/// Evaluates the rate of a `[traffic]` table at any time.
#[derive(Clone, Debug)]
pub struct RateProfile {
    base_rps: f64,
    shape: Shape,
    /// Growth per 730-hour month (0: none).
    growth_per_month: f64,
    spikes: Spikes,
    /// With `local_time` (and a shape that varies): each user region's
    /// share (scaled to sum to exactly 1) and UTC offset in seconds.
    local: Vec<(f64, f64)>,
}

impl RateProfile {
    pub fn new(traffic: &Traffic) -> RateProfile {
        let shape = Shape::new(traffic);
        let local = if traffic.local_time && !shape.is_flat() {
            let total: f64 = traffic.users.iter().map(|u| u.share).sum();
            traffic.users.iter().map(|u| (u.share / total, f64::from(u.utc_offset_s))).collect()
        } else {
            Vec::new()
        };
        RateProfile {
            base_rps: traffic.base_rps,
            shape,
            growth_per_month: traffic.growth.as_ref().map_or(0.0, |g| g.per_month),
            spikes: Spikes::new(&traffic.spikes),
            local,
        }
    }

    /// The end of the piece starting at `t_s`: the next multiple of
    /// `width_s`, or the first spike edge before it.
    pub fn piece_end_s(&self, t_s: f64, width_s: f64) -> f64 {
        let mut grid = ((t_s / width_s).floor() + 1.0) * width_s;
        if grid <= t_s {
            grid += width_s; // t_s was a rounding hair below a multiple
        }
        self.spikes.next_edge_s(t_s).map_or(grid, |e| e.min(grid))
    }

    /// True when the rate never changes, so arrivals need no segments.
    pub fn is_constant(&self) -> bool {
        self.shape.is_flat() && self.growth_per_month == 0.0 && self.spikes.is_flat()
    }

    /// True when the user regions' shares of the requests change with time
    /// (`local_time` with a shape): draw them with `user_weights`.
    pub fn is_local(&self) -> bool {
        !self.local.is_empty()
    }

    /// Each user region's part of the shape at `t_s` (share × the shape in
    /// its local time), in `users` order; they sum to the aggregate shape.
    pub fn user_weights(&self, t_s: f64) -> impl Iterator<Item = f64> + '_ {
        self.local.iter().map(move |&(share, offset_s)| self.shape.apply(share, t_s + offset_s))
    }

    /// Requests per second at `t` seconds after the start (Monday 00:00
    /// UTC), summed over all user regions.
    pub fn rate_at(&self, t_s: f64) -> f64 {
        let mut rate = if self.local.is_empty() {
            self.shape.apply(self.base_rps, t_s)
        } else {
            self.base_rps * self.user_weights(t_s).sum::<f64>()
        };
        if self.growth_per_month != 0.0 {
            let hours = t_s / 3600.0;
            rate *= (1.0 + self.growth_per_month).powf(hours / crate::time::HOURS_PER_MONTH as f64);
        }
        self.spikes.apply(rate, t_s).max(0.0)
    }
}

/// Expected number of arrivals in [0, horizon) (midpoint rule on 60 s
/// steps, or longer ones past 100,000 steps, so any horizon takes little
/// time; cut at spike edges as the arrivals are).
pub fn expected_requests(profile: &RateProfile, horizon: SimTime) -> f64 {
    if profile.is_constant() {
        return profile.rate_at(0.0) * horizon.as_secs_f64();
    }
    let end = horizon.as_secs_f64();
    let width = (end / 100_000.0).max(60.0);
    let mut t = 0.0;
    let mut total = 0.0;
    while t < end {
        let next = profile.piece_end_s(t, width).min(end);
        total += profile.rate_at((t + next) / 2.0) * (next - t);
        t = next;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Diurnal, Growth, Spike, Weekly};

    fn flat(base_rps: f64) -> Traffic {
        Traffic { base_rps, ..Traffic::default() }
    }

    #[test]
    fn diurnal_peaks_at_peak_hour_and_troughs_twelve_hours_later() {
        let mut t = flat(100.0);
        t.diurnal = Some(Diurnal { amplitude: 0.6, peak_hour: 14.0 });
        let p = RateProfile::new(&t);
        // 100 × (1 + 0.6 · cos 0) = 160 at 14:00; 100 × (1 − 0.6) = 40 at 02:00.
        assert!((p.rate_at(14.0 * 3600.0) - 160.0).abs() < 1e-9);
        assert!((p.rate_at(2.0 * 3600.0) - 40.0).abs() < 1e-9);
        assert!(!p.is_constant());
    }

    #[test]
    fn weekend_factor_applies_on_saturday_and_sunday_only() {
        let mut t = flat(100.0);
        t.weekly = Some(Weekly::WeekendFactor(0.7));
        let p = RateProfile::new(&t);
        let day = 86_400.0;
        assert_eq!(p.rate_at(4.5 * day), 100.0); // Friday
        assert!((p.rate_at(5.5 * day) - 70.0).abs() < 1e-9); // Saturday
        assert!((p.rate_at(6.5 * day) - 70.0).abs() < 1e-9); // Sunday
        assert_eq!(p.rate_at(7.5 * day), 100.0); // Monday again
    }

    #[test]
    fn growth_compounds_per_730_hour_month() {
        let mut t = flat(100.0);
        t.growth = Some(Growth { per_month: 0.05 });
        let p = RateProfile::new(&t);
        // After two months: 100 × 1.05² = 110.25.
        assert!((p.rate_at(2.0 * 730.0 * 3600.0) - 110.25).abs() < 1e-9);
    }

    #[test]
    fn spike_ramps_up_holds_and_ramps_down() {
        let mut t = flat(10.0);
        t.spikes.push(Spike {
            at: SimTime::from_secs(1000),
            duration: SimTime::from_secs(1000),
            ramp: SimTime::from_secs(100),
            multiplier: 6.0,
            every: None,
            until: None,
        });
        let p = RateProfile::new(&t);
        assert_eq!(p.rate_at(999.0), 10.0);
        // Halfway up the ramp: 10 × (1 + 5 × 0.5) = 35.
        assert!((p.rate_at(1050.0) - 35.0).abs() < 1e-9);
        assert!((p.rate_at(1500.0) - 60.0).abs() < 1e-9);
        assert!((p.rate_at(1950.0) - 35.0).abs() < 1e-9);
        assert_eq!(p.rate_at(2000.0), 10.0);
    }

    #[test]
    fn a_spike_shorter_than_a_piece_gets_exactly_its_duration() {
        // 10 rps for an hour with a 2 s ×100 spike at 1000 s: 3,600 × 10 + 2 × 10 × 99 =
        // 37,980 requests (a whole 60 s piece at ×100 would be 36,000 + 59,400 = 95,400).
        let mut t = flat(10.0);
        let spike = |at, duration| Spike {
            at: SimTime::from_secs(at),
            duration: SimTime::from_secs(duration),
            ramp: SimTime(0),
            multiplier: 100.0,
            every: None,
            until: None,
        };
        t.spikes.push(spike(1000, 2));
        let p = RateProfile::new(&t);
        assert_eq!(expected_requests(&p, SimTime::HOUR), 37_980.0);
        // Pieces are the 60 s of the clock, cut at the spike's edges.
        assert_eq!(p.piece_end_s(960.0, 60.0), 1000.0);
        assert_eq!(p.piece_end_s(1000.0, 60.0), 1002.0);
        assert_eq!(p.piece_end_s(1002.0, 60.0), 1020.0);
        assert_eq!(p.piece_end_s(1020.0, 60.0), 1080.0);
    }

    #[test]
    fn expected_requests_integrates_the_profile() {
        // Flat 10 rps for an hour: 36,000 requests.
        let p = RateProfile::new(&flat(10.0));
        assert_eq!(expected_requests(&p, SimTime::HOUR), 36_000.0);
        // A full diurnal cycle integrates to the base rate × 24 h.
        let mut t = flat(10.0);
        t.diurnal = Some(Diurnal { amplitude: 0.6, peak_hour: 14.0 });
        let e = expected_requests(&RateProfile::new(&t), SimTime::DAY);
        assert!((e / 864_000.0 - 1.0).abs() < 1e-6);
    }
}
