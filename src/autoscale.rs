//! Autoscaling policies behind one trait; one file per policy. Every
//! `period` a policy takes its metric from what the instances did (keeping
//! whatever memory it needs), sees an observation and may ask for a new
//! instance count; the fleet clamps it to [min, max] and launches or retires
//! instances.

pub mod heroku;
pub mod hpa;
pub mod predictive;
pub mod step;
pub mod target_tracking;

use crate::model::{Autoscaling, Iaas, Metric, Policy as PolicySpec};
use crate::stats::histogram::SeriesHistogram;
use crate::time::SimTime;

/// What the instances in service and past their warm-up did since the last
/// evaluation.
#[derive(Clone, Copy, Debug)]
pub struct Window<'a> {
    pub len_us: u64,
    /// Instances measured.
    pub measured: u32,
    /// Their busy slot-time (settled and in progress) and their slots.
    pub busy_us: u64,
    pub slots: u64,
    /// Requests that arrived (at any instance).
    pub arrivals: u64,
    /// Response times (µs) of requests served.
    pub latency: &'a SeriesHistogram,
}

impl Window<'_> {
    /// True if no instance was measured (or the window is empty): no metric.
    pub fn is_empty(&self) -> bool {
        self.measured == 0 || self.len_us == 0
    }

    /// The value of `metric` over the window; `None` if nothing was measured.
    pub fn metric(&self, metric: Metric) -> Option<f64> {
        if self.is_empty() {
            return None;
        }
        match metric {
            Metric::Cpu => Some(self.busy_us as f64 / (self.slots as f64 * self.len_us as f64)),
            Metric::RequestsPerInstance => {
                Some(self.arrivals as f64 * 60e6 / self.len_us as f64 / f64::from(self.measured))
            }
            Metric::P95Ms => self.latency.quantile(0.95).map(|us| us / 1e3),
        }
    }
}

/// What a policy sees at an evaluation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Observation {
    pub now: SimTime,
    /// The tracked metric over the last period, from instances in service
    /// and past their warm-up; `None` when no such instance served.
    pub metric: Option<f64>,
    /// Instances launched and not being retired (booting or in service).
    pub current: u32,
    /// Instances whose utilisation makes up the metric.
    pub measured: u32,
    /// Instances booting or in their warm-up.
    pub warming: u32,
}

/// A scaling policy.
pub trait Policy: Send {
    /// How often it evaluates.
    fn period(&self) -> SimTime;
    /// Its metric over the window that just ended (`None` if nothing was
    /// measured); called once per evaluation, before `decide`.
    fn measure(&mut self, window: &Window) -> Option<f64>;
    /// The instance count it wants now, if it wants a change.
    fn decide(&mut self, obs: &Observation) -> Option<u32>;
}

/// ceil(measured × metric / target): the count that would bring the metric to its target.
pub fn proportional(measured: u32, metric: f64, target: f64) -> u32 {
    (f64::from(measured) * metric / target).ceil().max(0.0) as u32
}

/// How often a policy of this spec evaluates (what `Policy::period` returns).
pub fn period(spec: &PolicySpec) -> SimTime {
    match spec {
        PolicySpec::TargetTracking { .. } | PolicySpec::Predictive { .. } => target_tracking::PERIOD,
        PolicySpec::Step { .. } => step::PERIOD,
        PolicySpec::Hpa { .. } => hpa::PERIOD,
        PolicySpec::Heroku { .. } => heroku::PERIOD,
    }
}

/// Builds the policy of an `autoscaling` table for a fleet launched from
/// `fleet`; `service_s` is the mean service time of a request (for forecasts).
pub fn build(spec: &Autoscaling, fleet: &Iaas, service_s: f64) -> Box<dyn Policy> {
    match &spec.policy {
        PolicySpec::TargetTracking { metric, target } => {
            Box::new(target_tracking::TargetTracking::new(*metric, *target))
        }
        PolicySpec::Step { steps, below, remove, cooldown } => {
            Box::new(step::StepScaling::new(steps.clone(), *below, *remove, *cooldown))
        }
        PolicySpec::Hpa { metric, target } => Box::new(hpa::Hpa::new(*metric, *target)),
        PolicySpec::Predictive { metric, target } => {
            let boot_us = (fleet.boot.mean_s() * 1e6) as u64;
            Box::new(predictive::Predictive::new(*metric, *target, service_s, fleet.vcpus, boot_us))
        }
        PolicySpec::Heroku { p95_ms } => Box::new(heroku::Heroku::new(*p95_ms)),
    }
}
