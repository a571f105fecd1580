//! Heroku dyno autoscaling: each minute, the p95 response time over the
//! past hour against the target; one dyno more when above (events at least a
//! minute apart), one dyno less after 5 consecutive minutes below, so it
//! scales down more slowly than up.

use std::collections::VecDeque;

use super::{Observation, Policy, Window};
use crate::stats::histogram::SeriesHistogram;
use crate::time::SimTime;

/// Evaluated each minute.
pub const PERIOD: SimTime = SimTime::from_secs(60);
/// Minutes below the target before removing a dyno.
pub const DOWN_AFTER_MINUTES: u32 = 5;
/// Windows (one a minute) kept as the past hour.
const WINDOWS_PER_HOUR: usize = 60;

pub struct Heroku {
    p95_ms: f64,
    below: u32,
    /// Response times of the last hour's windows, and their sum.
    past_hour: VecDeque<SeriesHistogram>,
    past_hour_total: SeriesHistogram,
}

impl Heroku {
    pub fn new(p95_ms: f64) -> Heroku {
        Heroku { p95_ms, below: 0, past_hour: VecDeque::new(), past_hour_total: SeriesHistogram::new() }
    }
}

impl Policy for Heroku {
    fn period(&self) -> SimTime {
        PERIOD
    }

    /// The p95 (ms) over the past hour's windows and this one; then this
    /// window joins the past hour.
    fn measure(&mut self, window: &Window) -> Option<f64> {
        let p95 = if window.is_empty() {
            None
        } else {
            self.past_hour_total.quantile_with(window.latency, 0.95).map(|us| us / 1e3)
        };
        self.past_hour_total.merge(window.latency);
        self.past_hour.push_back(window.latency.clone());
        if self.past_hour.len() > WINDOWS_PER_HOUR
            && let Some(old) = self.past_hour.pop_front()
        {
            self.past_hour_total.unmerge(&old);
        }
        p95
    }

    fn decide(&mut self, obs: &Observation) -> Option<u32> {
        let p95 = obs.metric?;
        if p95 > self.p95_ms {
            self.below = 0;
            return Some(obs.current + 1);
        }
        self.below += 1;
        if self.below >= DOWN_AFTER_MINUTES {
            self.below = 0;
            return Some(obs.current.saturating_sub(1));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_up_per_minute_and_down_after_five_minutes() {
        let mut h = Heroku::new(400.0);
        let obs = |minute: u64, p95: f64, current: u32| Observation {
            now: SimTime::from_secs(60 * minute),
            metric: Some(p95),
            current,
            measured: current,
            warming: 0,
        };
        assert_eq!(h.decide(&obs(1, 900.0, 2)), Some(3));
        assert_eq!(h.decide(&obs(2, 800.0, 3)), Some(4));
        for minute in 3..7 {
            assert_eq!(h.decide(&obs(minute, 100.0, 4)), None);
        }
        assert_eq!(h.decide(&obs(7, 100.0, 4)), Some(3));
    }
}
