//! Kubernetes HorizontalPodAutoscaler: every 15 s, desired =
//! ceil(current × metric / target), ignored while metric / target is within
//! 10 % of 1; scaling up is immediate, scaling down goes to the highest
//! recommendation of the last 300 s (the stabilisation window).

use std::collections::VecDeque;

use super::{Observation, Policy, Window, proportional};
use crate::model::Metric;
use crate::time::SimTime;

/// Evaluated every 15 s.
pub const PERIOD: SimTime = SimTime::from_secs(15);
/// Ratio band around 1 inside which nothing changes.
pub const TOLERANCE: f64 = 0.1;
/// Scale-down stabilisation window.
pub const DOWN_WINDOW: SimTime = SimTime::from_secs(300);

pub struct Hpa {
    metric: Metric,
    target: f64,
    /// (time, recommendation) of the last `DOWN_WINDOW`.
    recent: VecDeque<(SimTime, u32)>,
}

impl Hpa {
    pub fn new(metric: Metric, target: f64) -> Hpa {
        Hpa { metric, target, recent: VecDeque::new() }
    }
}

impl Policy for Hpa {
    fn period(&self) -> SimTime {
        PERIOD
    }

    fn measure(&mut self, window: &Window) -> Option<f64> {
        window.metric(self.metric)
    }

    fn decide(&mut self, obs: &Observation) -> Option<u32> {
        let m = obs.metric?;
        let ratio = m / self.target;
        let recommendation =
            if (ratio - 1.0).abs() <= TOLERANCE { obs.current } else { proportional(obs.measured, m, self.target) };
        while self.recent.front().is_some_and(|&(t, _)| obs.now.0 - t.0 >= DOWN_WINDOW.0) {
            self.recent.pop_front();
        }
        self.recent.push_back((obs.now, recommendation));
        if recommendation > obs.current {
            return Some(recommendation);
        }
        let stabilised = self.recent.iter().map(|&(_, r)| r).max().unwrap_or(recommendation);
        (stabilised < obs.current).then_some(stabilised)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(s: u64, metric: f64, current: u32) -> Observation {
        Observation { now: SimTime::from_secs(s), metric: Some(metric), current, measured: current, warming: 0 }
    }

    #[test]
    fn proportional_up_with_tolerance() {
        let mut h = Hpa::new(Metric::Cpu, 0.5);
        // 4 pods at 0.54: ratio 1.08, within 10 %: no change.
        assert_eq!(h.decide(&obs(15, 0.54, 4)), None);
        // 4 pods at 0.8: ceil(4 × 0.8 / 0.5) = ceil(6.4) = 7, at once.
        assert_eq!(h.decide(&obs(30, 0.8, 4)), Some(7));
    }

    #[test]
    fn down_follows_the_highest_recommendation_of_300_s() {
        let mut h = Hpa::new(Metric::Cpu, 0.5);
        // At 0 s the load wants 10 pods; from 15 s on only 2 (0.1 × 10 / 0.5).
        assert_eq!(h.decide(&obs(0, 0.5 * 1.0, 10)), None); // ratio 1: keep 10
        for s in (15..300).step_by(15) {
            assert_eq!(h.decide(&obs(s, 0.1, 10)), None, "at {s} s the 10 of t = 0 still counts");
        }
        // At 300 s the t = 0 recommendation has left the window: down to ceil(10 × 0.1 / 0.5) = 2.
        assert_eq!(h.decide(&obs(300, 0.1, 10)), Some(2));
    }
}
