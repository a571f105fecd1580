//! Autoscaling policies behind one trait; one file per policy. A policy sees
//! an observation every `period` and may ask for a new instance count; the
//! fleet clamps it to [min, max] and launches or retires instances.

pub mod heroku;
pub mod hpa;
pub mod predictive;
pub mod step;
pub mod target_tracking;

use crate::scenario::model::{Autoscaling, Policy as PolicySpec};
use crate::time::SimTime;

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
    /// Requests per second expected a boot time ahead (predictive only).
    pub forecast_rps: Option<f64>,
}

/// A scaling policy.
pub trait Policy: Send {
    /// How often it evaluates.
    fn period(&self) -> SimTime;
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

/// Builds the policy of an `autoscaling` table. `service_s` is the mean
/// service time of a request and `vcpus` an instance's size, for forecasts.
pub fn build(spec: &Autoscaling, service_s: f64, vcpus: u32) -> Box<dyn Policy> {
    match &spec.policy {
        PolicySpec::TargetTracking { target, .. } => Box::new(target_tracking::TargetTracking::new(*target)),
        PolicySpec::Step { steps, below, remove, cooldown } => {
            Box::new(step::StepScaling::new(steps.clone(), *below, *remove, *cooldown))
        }
        PolicySpec::Hpa { target, .. } => Box::new(hpa::Hpa::new(*target)),
        PolicySpec::Predictive { target, .. } => Box::new(predictive::Predictive::new(*target, service_s, vcpus)),
        PolicySpec::Heroku { p95_ms } => Box::new(heroku::Heroku::new(*p95_ms)),
    }
}
