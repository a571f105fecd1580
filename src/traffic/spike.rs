//! Spikes: temporary multiplications of the rate, once or every `every`,
//! and the times where they bend, so a piecewise-constant rate can be cut
//! there. A repeating spike's occurrences are computed when asked, never
//! listed, so a spike every minute of a year costs no memory.

use crate::model::Spike;
use crate::time::SimTime;

/// Every spike of a `[traffic]` table.
#[derive(Clone, Debug)]
pub struct Spikes {
    spikes: Vec<Spike>,
    /// Where a one-off spike's rate jumps or its ramp bends (start, ramp
    /// ends, end), ascending.
    once_edges_s: Vec<f64>,
}

/// The occurrences examined around a time: the one found by division, the
/// one before and two after, which covers its rounding either way.
const AROUND: [i64; 4] = [-1, 0, 1, 2];

impl Spikes {
    pub fn new(spikes: &[Spike]) -> Spikes {
        let mut once_edges_s: Vec<f64> = spikes
            .iter()
            .filter(|s| s.multiplier != 1.0 && s.every.is_none())
            .flat_map(|s| edges_s(s, s.at.as_secs_f64()))
            .collect();
        once_edges_s.sort_by(f64::total_cmp);
        once_edges_s.dedup();
        Spikes { spikes: spikes.to_vec(), once_edges_s }
    }

    /// True when no spike changes the rate.
    pub fn is_flat(&self) -> bool {
        self.spikes.iter().all(|s| s.multiplier == 1.0)
    }

    /// The first edge of any spike after `t_s`.
    pub fn next_edge_s(&self, t_s: f64) -> Option<f64> {
        let once = self.once_edges_s.get(self.once_edges_s.partition_point(|&e| e <= t_s)).copied();
        let repeating = self.spikes.iter().filter(|s| s.multiplier != 1.0).filter_map(|s| {
            let every = s.every?;
            occurrences_near(s, every, t_s)
                .flat_map(|start| edges_s(s, start))
                .filter(|&e| e > t_s)
                .min_by(f64::total_cmp)
        });
        once.into_iter().chain(repeating).min_by(f64::total_cmp)
    }

    /// `rate` × every spike's factor at `t_s` (overlapping spikes multiply).
    pub fn apply(&self, rate: f64, t_s: f64) -> f64 {
        let mut rate = rate;
        for spike in &self.spikes {
            rate *= factor(spike, t_s);
        }
        rate
    }
}

/// Start (in seconds) of each occurrence of `s`, repeating `every`, near `t_s`.
fn occurrences_near(s: &Spike, every: SimTime, t_s: f64) -> impl Iterator<Item = f64> + '_ {
    let k = ((t_s - s.at.as_secs_f64()) / every.as_secs_f64()).floor().max(0.0) as i64;
    AROUND.into_iter().filter_map(move |d| {
        let k = u64::try_from(k + d).ok()?;
        let start = SimTime(every.0.checked_mul(k)?.checked_add(s.at.0)?);
        s.until.is_none_or(|until| start < until).then_some(start.as_secs_f64())
    })
}

/// Where an occurrence starting at `start_s` jumps or bends.
fn edges_s(s: &Spike, start_s: f64) -> [f64; 4] {
    let ramp = s.ramp.as_secs_f64();
    let end = start_s + s.duration.as_secs_f64();
    [start_s, start_s + ramp, end - ramp, end]
}

/// 1 outside every occurrence; inside one, ramps linearly to `multiplier` and back.
fn factor(s: &Spike, t_s: f64) -> f64 {
    let start = match s.every {
        None => s.at.as_secs_f64(),
        Some(every) => {
            let duration = s.duration.as_secs_f64();
            // Occurrences do not overlap (every >= duration): at most one holds t_s.
            match occurrences_near(s, every, t_s).find(|&start| start <= t_s && t_s < start + duration) {
                Some(start) => start,
                None => return 1.0,
            }
        }
    };
    let end = start + s.duration.as_secs_f64();
    if t_s < start || t_s >= end {
        return 1.0;
    }
    let ramp = s.ramp.as_secs_f64();
    let into_ramp = if ramp > 0.0 { ((t_s - start).min(end - t_s) / ramp).min(1.0) } else { 1.0 };
    1.0 + (s.multiplier - 1.0) * into_ramp
}

/// How many occurrences of `s` start before `end` (the horizon).
pub fn occurrences_before(s: &Spike, end: SimTime) -> u64 {
    let end = s.until.map_or(end, |until| until.min(end));
    match s.every {
        _ if s.at >= end => 0,
        None => 1,
        Some(every) => (end.0 - s.at.0).div_ceil(every.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spike(at_s: u64, duration_s: u64, ramp_s: u64, every_s: Option<u64>, until_s: Option<u64>) -> Spike {
        Spike {
            at: SimTime::from_secs(at_s),
            duration: SimTime::from_secs(duration_s),
            ramp: SimTime::from_secs(ramp_s),
            multiplier: 5.0,
            every: every_s.map(SimTime::from_secs),
            until: until_s.map(SimTime::from_secs),
        }
    }

    #[test]
    fn a_daily_spike_hits_every_occurrence_and_stops_at_until() {
        // An hour at ×5 from 12:00, every day, none starting on or after day 3 12:00.
        let day = 86_400;
        let s = Spikes::new(&[spike(12 * 3600, 3600, 0, Some(day), Some(3 * day + 12 * 3600))]);
        for d in 0..3 {
            let noon = (d * day + 12 * 3600) as f64;
            assert_eq!(s.apply(1.0, noon - 1.0), 1.0, "day {d}");
            assert_eq!(s.apply(1.0, noon), 5.0, "day {d}");
            assert_eq!(s.apply(1.0, noon + 3599.0), 5.0, "day {d}");
            assert_eq!(s.apply(1.0, noon + 3600.0), 1.0, "day {d}");
            assert_eq!(s.next_edge_s(noon - 10.0), Some(noon));
            assert_eq!(s.next_edge_s(noon), Some(noon + 3600.0));
        }
        // Day 3's would start at until: it does not happen, and no edge is left.
        assert_eq!(s.apply(1.0, (3 * day + 12 * 3600 + 60) as f64), 1.0);
        assert_eq!(s.next_edge_s((2 * day + 14 * 3600) as f64), None);
        assert_eq!(occurrences_before(&s.spikes[0], SimTime::from_secs(10 * day)), 3);
        // Without until, to the horizon: days 0–9 in 10 days; days 0–1 in 1 d 12 h.
        let forever = spike(12 * 3600, 3600, 0, Some(day), None);
        assert_eq!(occurrences_before(&forever, SimTime::from_secs(10 * day)), 10);
        assert_eq!(occurrences_before(&forever, SimTime::from_secs(day + 12 * 3600)), 1);
        assert_eq!(occurrences_before(&forever, SimTime::from_secs(day + 12 * 3600 + 1)), 2);
    }

    #[test]
    fn a_repeating_spike_is_its_one_off_occurrences() {
        // Every 1000 s from 100 s, 300 s long with 50 s ramps, until 2100 s: the
        // occurrences at 100 s and 1100 s (the one at 2100 s would start at until).
        // The same factors and edges everywhere as those two pasted one by one.
        let repeating = Spikes::new(&[spike(100, 300, 50, Some(1000), Some(2100))]);
        let pasted = Spikes::new(&[spike(100, 300, 50, None, None), spike(1100, 300, 50, None, None)]);
        let mut t = 0.0;
        while t < 4000.0 {
            assert_eq!(repeating.apply(10.0, t), pasted.apply(10.0, t), "t = {t}");
            assert_eq!(repeating.next_edge_s(t), pasted.next_edge_s(t), "t = {t}");
            t += 12.5;
        }
        assert_eq!(repeating.apply(1.0, 2250.0), 1.0);
        // Halfway up the second occurrence's ramp: 1 + 4 × 0.5 = 3.
        assert_eq!(repeating.apply(1.0, 1125.0), 3.0);
    }

    #[test]
    fn back_to_back_occurrences_and_overlapping_spikes() {
        // every = duration: each occurrence ends where the next starts.
        let s = Spikes::new(&[spike(0, 60, 0, Some(60), None)]);
        assert_eq!(s.apply(1.0, 59.999), 5.0);
        assert_eq!(s.apply(1.0, 60.0), 5.0);
        assert_eq!(s.next_edge_s(30.0), Some(60.0));
        // Two spikes at once multiply: ×5 × ×5 = ×25.
        let both = Spikes::new(&[spike(0, 100, 0, None, None), spike(50, 60, 0, Some(1000), None)]);
        assert_eq!(both.apply(2.0, 75.0), 50.0);
        assert_eq!(both.apply(2.0, 25.0), 10.0);
    }
}
