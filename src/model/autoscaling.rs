//! How an autoscaled fleet grows and shrinks: the policy and its bounds.

use crate::time::SimTime;

/// When and how the fleet grows and shrinks.
#[derive(Clone, Debug, PartialEq)]
pub struct Autoscaling {
    pub policy: Policy,
    pub min: u32,
    pub max: u32,
    /// After boot, an instance is left out of the metric (and blocks
    /// scale-in) for this long.
    pub warmup: SimTime,
    /// Changes of `min` at given times, combined with the policy.
    pub schedule: Vec<ScheduledMin>,
}

/// From `at` (and every `every` after it, if given), the fleet's minimum is `min`.
#[derive(Clone, Debug, PartialEq)]
pub struct ScheduledMin {
    pub at: SimTime,
    pub every: Option<SimTime>,
    pub min: u32,
}

/// The scaling policy.
#[derive(Clone, Debug, PartialEq)]
pub enum Policy {
    /// AWS target tracking: 60 s datapoints; 3 above the target scale out to
    /// ceil(current × metric / target); 15 below 0.9 × target scale in.
    TargetTracking { metric: Metric, target: f64 },
    /// AWS step scaling on CPU: add the largest matching step's instances,
    /// remove `remove` below `below`, then wait `cooldown`.
    Step { steps: Vec<ScalingStep>, below: f64, remove: u32, cooldown: SimTime },
    /// Kubernetes HPA: every 15 s, ceil(current × metric / target) outside a
    /// 10 % tolerance; scale-down to the highest recommendation of the last 300 s.
    Hpa { metric: Metric, target: f64 },
    /// Target tracking plus a forecast from the same time one day and one week
    /// earlier, launching a boot time ahead.
    Predictive { metric: Metric, target: f64 },
    /// Heroku (PaaS only): each minute, p95 response time over the past hour
    /// against `p95_ms`; one dyno up or down per event, at least a minute
    /// apart, down only after 5 minutes below the target.
    Heroku { p95_ms: f64 },
}

/// One step of a step policy: above this CPU utilisation, add this many.
#[derive(Clone, Debug, PartialEq)]
pub struct ScalingStep {
    pub above: f64,
    pub add: u32,
}

/// What a policy tracks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// Mean CPU utilisation of in-service instances, in [0, 1].
    Cpu,
    /// Requests arriving per in-service instance per minute.
    RequestsPerInstance,
    /// 95th percentile response time over the period, ms.
    P95Ms,
}
