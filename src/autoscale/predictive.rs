//! Predictive scaling (beyond what AWS and Kubernetes offer out of the box
//! in one policy): target tracking, plus a floor from a forecast of the
//! request rate a boot time ahead, taken as the larger of the rates seen at
//! the same time one day and one week earlier. The floor is the count that
//! serves the forecast at the target utilisation.

use super::target_tracking::TargetTracking;
use super::{Observation, Policy};
use crate::time::SimTime;

pub struct Predictive {
    reactive: TargetTracking,
    target: f64,
    service_s: f64,
    vcpus: u32,
}

impl Predictive {
    pub fn new(target: f64, service_s: f64, vcpus: u32) -> Predictive {
        Predictive { reactive: TargetTracking::new(target), target, service_s, vcpus }
    }

    /// Instances needed to serve `rps` at the target utilisation.
    pub fn floor(&self, rps: f64) -> u32 {
        (rps * self.service_s / (f64::from(self.vcpus) * self.target)).ceil() as u32
    }
}

impl Policy for Predictive {
    fn period(&self) -> SimTime {
        self.reactive.period()
    }

    fn decide(&mut self, obs: &Observation) -> Option<u32> {
        let reactive = self.reactive.decide(obs);
        let floor = obs.forecast_rps.map_or(0, |rps| self.floor(rps));
        match reactive {
            Some(n) => Some(n.max(floor)),
            None if floor > obs.current => Some(floor),
            None => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forecast_sets_a_floor_ahead_of_the_load() {
        // 600 rps expected × 0.05 s per request = 30 busy vCPUs; at 2 vCPUs and a
        // 0.6 target: ceil(30 / 1.2) = 25 instances, even though the metric is calm now.
        let mut p = Predictive::new(0.6, 0.05, 2);
        let obs = Observation {
            now: SimTime::from_secs(60),
            metric: Some(0.5),
            current: 5,
            measured: 5,
            warming: 0,
            forecast_rps: Some(600.0),
        };
        assert_eq!(p.floor(600.0), 25);
        assert_eq!(p.decide(&obs), Some(25));
    }
}
