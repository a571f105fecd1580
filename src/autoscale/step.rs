//! AWS step scaling on CPU: each minute, add the instances of the highest
//! step whose threshold the metric exceeds, or remove some below `below`;
//! after any change, wait `cooldown`.

use super::{Observation, Policy, Window};
use crate::model::{Metric, ScalingStep};
use crate::time::SimTime;

/// Evaluated each minute.
pub const PERIOD: SimTime = SimTime::from_secs(60);

pub struct StepScaling {
    steps: Vec<ScalingStep>,
    below: f64,
    remove: u32,
    cooldown: SimTime,
    quiet_until: SimTime,
}

impl StepScaling {
    pub fn new(steps: Vec<ScalingStep>, below: f64, remove: u32, cooldown: SimTime) -> StepScaling {
        StepScaling { steps, below, remove, cooldown, quiet_until: SimTime::ZERO }
    }
}

impl Policy for StepScaling {
    fn period(&self) -> SimTime {
        PERIOD
    }

    fn measure(&mut self, window: &Window) -> Option<f64> {
        window.metric(Metric::Cpu)
    }

    fn decide(&mut self, obs: &Observation) -> Option<u32> {
        let m = obs.metric?;
        if obs.now < self.quiet_until {
            return None;
        }
        let add = self.steps.iter().filter(|s| m > s.above).map(|s| s.add).next_back();
        let wanted = match add {
            Some(add) => obs.current + add,
            None if m < self.below && obs.warming == 0 => obs.current.saturating_sub(self.remove),
            None => return None,
        };
        self.quiet_until = SimTime(obs.now.0 + self.cooldown.0);
        Some(wanted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highest_matching_step_then_cooldown() {
        let steps = vec![ScalingStep { above: 0.7, add: 1 }, ScalingStep { above: 0.9, add: 3 }];
        let mut p = StepScaling::new(steps, 0.3, 1, SimTime::from_secs(300));
        let obs = |s: u64, m: f64| Observation {
            now: SimTime::from_secs(s),
            metric: Some(m),
            current: 4,
            measured: 4,
            warming: 0,
        };
        assert_eq!(p.decide(&obs(60, 0.95)), Some(7)); // 4 + 3
        assert_eq!(p.decide(&obs(120, 0.95)), None); // cooling down until 360 s
        assert_eq!(p.decide(&obs(360, 0.8)), Some(5)); // 4 + 1
        assert_eq!(p.decide(&obs(660, 0.5)), None); // between the thresholds
        assert_eq!(p.decide(&obs(720, 0.1)), Some(3)); // 4 − 1
    }
}
