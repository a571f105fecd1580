//! Predictive scaling (beyond what AWS and Kubernetes offer out of the box
//! in one policy): target tracking, plus a floor from a forecast of the
//! request rate a boot time ahead, taken as the larger of the rates seen at
//! the same time one day and one week earlier. The floor is the count that
//! serves the forecast at the target utilisation.

use super::target_tracking::TargetTracking;
use super::{Observation, Policy, Window};
use crate::model::Metric;
use crate::time::SimTime;

const MINUTE_US: u64 = 60_000_000;

pub struct Predictive {
    reactive: TargetTracking,
    target: f64,
    service_s: f64,
    vcpus: u32,
    /// Mean boot time of an instance: how far ahead it forecasts.
    boot_us: u64,
    /// Arrivals in each minute since t = 0 (its windows are the minutes).
    per_minute: Vec<u32>,
}

impl Predictive {
    pub fn new(metric: Metric, target: f64, service_s: f64, vcpus: u32, boot_us: u64) -> Predictive {
        let reactive = TargetTracking::new(metric, target);
        Predictive { reactive, target, service_s, vcpus, boot_us, per_minute: Vec::new() }
    }

    /// Requests per second a boot time (plus one period) after `now`, from
    /// the same minute one day and one week earlier: the larger of the two.
    fn forecast_rps(&self, now: SimTime) -> Option<f64> {
        let ahead = now.0 + self.boot_us + MINUTE_US;
        let at = |back_us: u64| {
            let minute = ahead.checked_sub(back_us)? / MINUTE_US;
            self.per_minute.get(minute as usize).map(|&n| f64::from(n) / 60.0)
        };
        match (at(SimTime::DAY.0), at(7 * SimTime::DAY.0)) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
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

    fn measure(&mut self, window: &Window) -> Option<f64> {
        self.per_minute.push(window.arrivals as u32);
        self.reactive.measure(window)
    }

    fn decide(&mut self, obs: &Observation) -> Option<u32> {
        let reactive = self.reactive.decide(obs);
        let floor = self.forecast_rps(obs.now).map_or(0, |rps| self.floor(rps));
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
    use crate::stats::histogram::SeriesHistogram;

    #[test]
    fn forecast_sets_a_floor_ahead_of_the_load() {
        // 600 rps expected × 0.05 s per request = 30 busy vCPUs; at 2 vCPUs and a
        // 0.6 target: ceil(30 / 1.2) = 25 instances, even though the metric is calm now.
        let mut p = Predictive::new(Metric::Cpu, 0.6, 0.05, 2, 0);
        // A day of minutes at 600 rps (36,000 arrivals each), 5 instances at 50 % CPU:
        // one day after t = 0, the forecast for the next minute is yesterday's 600 rps.
        let latency = SeriesHistogram::new();
        let minute = Window {
            len_us: MINUTE_US,
            measured: 5,
            busy_us: 5 * MINUTE_US,
            slots: 10,
            arrivals: 36_000,
            latency: &latency,
        };
        for _ in 0..SimTime::DAY.0 / MINUTE_US {
            assert_eq!(p.measure(&minute), Some(0.5));
        }
        let obs = Observation { now: SimTime::DAY, metric: Some(0.5), current: 5, measured: 5, warming: 0 };
        assert_eq!(p.floor(600.0), 25);
        assert_eq!(p.decide(&obs), Some(25));
    }
}
