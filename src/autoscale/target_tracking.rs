//! AWS target tracking: one datapoint a minute. Three consecutive datapoints
//! above the target scale out to ceil(measured × metric / target) (instances
//! still warming count as capacity already added); fifteen below 0.9 × target
//! scale in to that count, but never while an instance is warming up.

use super::{Observation, Policy, Window, proportional};
use crate::model::Metric;
use crate::time::SimTime;

pub struct TargetTracking {
    metric: Metric,
    target: f64,
    above: u32,
    below: u32,
}

/// One datapoint a minute.
pub const PERIOD: SimTime = SimTime::from_secs(60);
/// Datapoints above the target before scaling out.
pub const OUT_DATAPOINTS: u32 = 3;
/// Datapoints below 0.9 × target before scaling in.
pub const IN_DATAPOINTS: u32 = 15;

impl TargetTracking {
    pub fn new(metric: Metric, target: f64) -> TargetTracking {
        TargetTracking { metric, target, above: 0, below: 0 }
    }
}

impl Policy for TargetTracking {
    fn period(&self) -> SimTime {
        PERIOD
    }

    fn measure(&mut self, window: &Window) -> Option<f64> {
        window.metric(self.metric)
    }

    fn decide(&mut self, obs: &Observation) -> Option<u32> {
        let m = obs.metric?;
        if m > self.target {
            self.above += 1;
            self.below = 0;
        } else if m < 0.9 * self.target {
            self.below += 1;
            self.above = 0;
        } else {
            self.above = 0;
            self.below = 0;
        }
        let wanted = proportional(obs.measured, m, self.target);
        if self.above >= OUT_DATAPOINTS {
            self.above = 0;
            return (wanted > obs.current).then_some(wanted);
        }
        if self.below >= IN_DATAPOINTS && obs.warming == 0 {
            self.below = 0;
            return (wanted < obs.current).then_some(wanted);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(minute: u64, metric: f64, current: u32, warming: u32) -> Observation {
        Observation {
            now: SimTime::from_secs(60 * minute),
            metric: Some(metric),
            current,
            measured: current - warming,
            warming,
        }
    }

    #[test]
    fn three_datapoints_above_scale_out_proportionally() {
        let mut p = TargetTracking::new(Metric::Cpu, 0.5);
        // 4 instances at 90 % CPU against a 50 % target: ceil(4 × 0.9 / 0.5) = ceil(7.2) = 8.
        assert_eq!(p.decide(&obs(1, 0.9, 4, 0)), None);
        assert_eq!(p.decide(&obs(2, 0.9, 4, 0)), None);
        assert_eq!(p.decide(&obs(3, 0.9, 4, 0)), Some(8));
    }

    #[test]
    fn fifteen_datapoints_below_scale_in_but_not_while_warming() {
        let mut p = TargetTracking::new(Metric::Cpu, 0.5);
        for minute in 1..15 {
            assert_eq!(p.decide(&obs(minute, 0.2, 8, 0)), None, "minute {minute}");
        }
        // 15th datapoint, but one instance is warming: no scale-in.
        assert_eq!(p.decide(&obs(15, 0.2, 8, 1)), None);
        // The alarm is still on once nobody is warming: ceil(8 × 0.2 / 0.5) = ceil(3.2) = 4.
        assert_eq!(p.decide(&obs(16, 0.2, 8, 0)), Some(4));
        // Then it takes another 15 datapoints below to scale in again.
        for minute in 17..31 {
            assert_eq!(p.decide(&obs(minute, 0.2, 4, 0)), None, "minute {minute}");
        }
        // ceil(4 × 0.2 / 0.5) = ceil(1.6) = 2.
        assert_eq!(p.decide(&obs(31, 0.2, 4, 0)), Some(2));
    }

    #[test]
    fn a_datapoint_near_the_target_resets_the_count() {
        let mut p = TargetTracking::new(Metric::Cpu, 0.5);
        p.decide(&obs(1, 0.9, 4, 0));
        p.decide(&obs(2, 0.9, 4, 0));
        p.decide(&obs(3, 0.48, 4, 0)); // between 0.45 and 0.5
        assert_eq!(p.decide(&obs(4, 0.9, 4, 0)), None);
    }
}
