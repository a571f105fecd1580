//! The arrival rate as a function of time:
//! `base_rps × diurnal × weekly × growth × spikes`.

use std::f64::consts::PI;

use crate::model::{Spike, Traffic};
use crate::time::SimTime;

/// Evaluates the rate of a `[traffic]` table at any time.
#[derive(Clone, Debug)]
pub struct RateProfile {
    traffic: Traffic,
    /// Where a spike's rate jumps or its ramp bends (start, ramp ends, end),
    /// ascending: pieces of a piecewise-constant rate are cut there, so a
    /// spike shorter than a piece still gets exactly its own duration.
    spike_edges_s: Vec<f64>,
}

impl RateProfile {
    pub fn new(traffic: &Traffic) -> RateProfile {
        let mut spike_edges_s: Vec<f64> = traffic
            .spikes
            .iter()
            .filter(|s| s.multiplier != 1.0)
            .flat_map(|s| {
                let (start, ramp) = (s.at.as_secs_f64(), s.ramp.as_secs_f64());
                let end = start + s.duration.as_secs_f64();
                [start, start + ramp, end - ramp, end]
            })
            .collect();
        spike_edges_s.sort_by(f64::total_cmp);
        spike_edges_s.dedup();
        RateProfile { traffic: traffic.clone(), spike_edges_s }
    }

    /// The end of the piece starting at `t_s`: the next multiple of
    /// `width_s`, or the first spike edge before it.
    pub fn piece_end_s(&self, t_s: f64, width_s: f64) -> f64 {
        let mut grid = ((t_s / width_s).floor() + 1.0) * width_s;
        if grid <= t_s {
            grid += width_s; // t_s was a rounding hair below a multiple
        }
        let next_edge = self.spike_edges_s.get(self.spike_edges_s.partition_point(|&e| e <= t_s));
        next_edge.map_or(grid, |&e| e.min(grid))
    }

    /// True when the rate never changes, so arrivals need no segments.
    pub fn is_constant(&self) -> bool {
        let t = &self.traffic;
        t.diurnal.as_ref().is_none_or(|d| d.amplitude == 0.0)
            && t.weekly.as_ref().is_none_or(|w| w.weekend_factor == 1.0)
            && t.growth.as_ref().is_none_or(|g| g.per_month == 0.0)
            && t.spikes.iter().all(|s| s.multiplier == 1.0)
    }

    /// Requests per second at `t` seconds after the start (Monday 00:00).
    pub fn rate_at(&self, t_s: f64) -> f64 {
        let t = &self.traffic;
        let hours = t_s / 3600.0;
        let mut rate = t.base_rps;
        if let Some(d) = &t.diurnal {
            let hour_of_day = hours.rem_euclid(24.0);
            rate *= 1.0 + d.amplitude * (2.0 * PI * (hour_of_day - d.peak_hour) / 24.0).cos();
        }
        if let Some(w) = &t.weekly {
            // Days 5 and 6 of each week (t = 0 is Monday) are Saturday and Sunday.
            let day_of_week = (hours / 24.0).rem_euclid(7.0).floor();
            if day_of_week >= 5.0 {
                rate *= w.weekend_factor;
            }
        }
        if let Some(g) = &t.growth {
            rate *= (1.0 + g.per_month).powf(hours / crate::time::HOURS_PER_MONTH as f64);
        }
        for spike in &t.spikes {
            rate *= spike_factor(spike, t_s);
        }
        rate.max(0.0)
    }
}

/// 1 outside the spike; ramps linearly to `multiplier` and back.
fn spike_factor(spike: &Spike, t_s: f64) -> f64 {
    let start = spike.at.as_secs_f64();
    let end = start + spike.duration.as_secs_f64();
    if t_s < start || t_s >= end {
        return 1.0;
    }
    let ramp = spike.ramp.as_secs_f64();
    let into_ramp = if ramp > 0.0 { ((t_s - start).min(end - t_s) / ramp).min(1.0) } else { 1.0 };
    1.0 + (spike.multiplier - 1.0) * into_ramp
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
    use crate::model::{Diurnal, Growth, Weekly};

    fn flat(base_rps: f64) -> Traffic {
        Traffic { base_rps, diurnal: None, weekly: None, growth: None, spikes: vec![], users: vec![], trace: None }
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
        t.weekly = Some(Weekly { weekend_factor: 0.7 });
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
