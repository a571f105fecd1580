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
    use crate::model::{Diurnal, Growth, Hourly, Spike, UserShare, Weekly};

    fn flat(base_rps: f64) -> Traffic {
        Traffic { base_rps, ..Traffic::default() }
    }

    /// 100 rps peaking at 12:00–13:00 (weight 4, the other hours 1: mean 1.125).
    fn lunch(users: &[(&str, f64, i32)], local_time: bool) -> Traffic {
        let mut weights = [1.0; 24];
        weights[12] = 4.0;
        let users = users
            .iter()
            .map(|&(region, share, hours)| UserShare { region: region.into(), share, utc_offset_s: hours * 3600 })
            .collect();
        Traffic { base_rps: 100.0, hourly: Some(Hourly { weights }), users, local_time, ..Traffic::default() }
    }

    /// The rate at the start of every minute of the first day.
    fn minutes_of_a_day(p: &RateProfile) -> Vec<f64> {
        (0..1440).map(|m| p.rate_at(m as f64 * 60.0)).collect()
    }

    /// Minutes of the day where the rate is above both neighbours (wrapping).
    fn peaks(rates: &[f64]) -> Vec<usize> {
        let n = rates.len();
        (0..n).filter(|&i| rates[i] > rates[(i + n - 1) % n] && rates[i] > rates[(i + 1) % n]).collect()
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

    #[test]
    fn london_and_washington_in_local_time_peak_five_hours_apart_and_lower() {
        let london = RateProfile::new(&lunch(&[("london", 1.0, 0)], true));
        let washington = RateProfile::new(&lunch(&[("washington", 1.0, -5)], true));
        let both = RateProfile::new(&lunch(&[("london", 0.5, 0), ("washington", 0.5, -5)], true));
        // Each alone peaks at its 12:30 local: 12:30 UTC (minute 750) and 17:30 UTC (1050),
        // at 100 × 4 / 1.125 = 355.6 rps.
        assert_eq!(peaks(&minutes_of_a_day(&london)), [750]);
        assert_eq!(peaks(&minutes_of_a_day(&washington)), [1050]);
        let peak = 100.0 * 4.0 / 1.125;
        assert!((london.rate_at(750.0 * 60.0) - peak).abs() < 1e-9);
        // Together: two peaks five hours apart, each half the height plus half the
        // other's night: 50 × (4 + 1) / 1.125 = 222.2 rps.
        let rates = minutes_of_a_day(&both);
        assert_eq!(peaks(&rates), [750, 1050]);
        let together = rates.iter().copied().fold(0.0, f64::max);
        assert!((together - 50.0 * 5.0 / 1.125).abs() < 1e-9, "{together}");
        // Every mean is base_rps (100), so the peak-to-mean ratio falls from 3.56 to 2.22.
        for p in [&london, &washington, &both] {
            assert!((expected_requests(p, SimTime::DAY) / 86_400.0 - 100.0).abs() < 1e-9);
        }
        let ratio = |p: &RateProfile| minutes_of_a_day(p).into_iter().fold(0.0, f64::max) / 100.0;
        assert!(ratio(&both) < ratio(&london) && ratio(&both) < ratio(&washington));
        // Without local_time both regions follow UTC: one peak, as London alone.
        let utc = RateProfile::new(&lunch(&[("london", 0.5, 0), ("washington", 0.5, -5)], false));
        assert!(!utc.is_local());
        assert_eq!(minutes_of_a_day(&utc), minutes_of_a_day(&london));
    }

    #[test]
    fn with_local_time_a_weeks_mean_is_base_rps_and_the_weights_sum_to_the_rate() {
        // Lunch hours, weekdays 1.2 and weekend 0.5 (mean 1), users in London,
        // Washington and Mumbai (+5:30): over any whole week the mean is 100 rps,
        // whatever the offsets (each region's shape is a week-periodic shift with
        // mean 1, and the shares sum to 1).
        let mut t = lunch(&[("london", 0.3, 0), ("washington", 0.5, -5), ("mumbai", 0.2, 0)], true);
        t.users[2].utc_offset_s = 5 * 3600 + 1800;
        t.weekly = Some(Weekly::Days([1.2, 1.2, 1.2, 1.2, 1.2, 0.5, 0.5]));
        let p = RateProfile::new(&t);
        let week = 7.0 * 86_400.0;
        let e = expected_requests(&p, SimTime::from_secs(7 * 86_400));
        assert!((e / week - 100.0).abs() < 1e-9, "{}", e / week);
        // The draw weights of the regions add up to the rate at every time.
        for t_s in [0.0, 3_000.0, 45_000.0, 5.3 * 86_400.0] {
            let sum: f64 = p.user_weights(t_s).sum();
            assert!((100.0 * sum - p.rate_at(t_s)).abs() < 1e-9);
        }
        // Monday 02:00 UTC is Sunday 21:00 in Washington: its weekend weight 0.5 × its
        // night hour 1 / 1.125, × share 0.5.
        let w: Vec<f64> = p.user_weights(2.0 * 3600.0).collect();
        assert!((w[1] - 0.5 * 0.5 / 1.125).abs() < 1e-12, "{w:?}");
    }

    #[test]
    fn a_repeating_spike_multiplies_the_profile_at_every_occurrence() {
        // Lunch profile (100 rps mean) with a ×3 hour from 20:00 every day, until day 2:
        // the rate at 20:30 is 3 × 100 / 1.125 on days 0 and 1, then 100 / 1.125.
        let mut t = lunch(&[], false);
        t.spikes.push(Spike {
            at: SimTime::from_secs(20 * 3600),
            duration: SimTime::HOUR,
            ramp: SimTime::ZERO,
            multiplier: 3.0,
            every: Some(SimTime::DAY),
            until: Some(SimTime(2 * SimTime::DAY.0)),
        });
        let p = RateProfile::new(&t);
        let at = |day: f64| p.rate_at(day * 86_400.0 + 20.5 * 3600.0);
        assert!((at(0.0) - 300.0 / 1.125).abs() < 1e-9);
        assert!((at(1.0) - 300.0 / 1.125).abs() < 1e-9);
        assert!((at(2.0) - 100.0 / 1.125).abs() < 1e-9);
        // Over 3 days: 3 × 8,640,000 plus 2 hours × 2 × (100 / 1.125) extra = 26,560,000.
        let e = expected_requests(&p, SimTime(3 * SimTime::DAY.0));
        assert!((e - (25_920_000.0 + 2.0 * 3600.0 * 200.0 / 1.125)).abs() < 1e-3, "{e}");
    }
}
