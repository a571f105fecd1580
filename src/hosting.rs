//! Hosting models: what capacity an option has and what it costs.
//! One file per kind behind the `Hosting` trait.

pub mod bare_metal;
pub mod cost;
pub mod vps;

use crate::scenario::model::{HostingOption, Kind};
use crate::sim::time::SimTime;
use cost::CostBreakdown;

/// What an option used during one time-series bucket.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Usage {
    /// Time-weighted mean number of instances.
    pub instances: f64,
    /// Busy slot-time / available slot-time, in [0, 1].
    pub utilization: f64,
    /// Requests served.
    pub served: u64,
}

/// The capacity and cost model of one kind of hosting.
pub trait Hosting: Send + Sync {
    /// Instances in service at t = 0.
    fn initial_instances(&self) -> u32;
    /// vCPUs (cores) per instance.
    fn vcpus_per_instance(&self) -> u32;
    /// Cost accrued over [start, start + len) given what was used then.
    fn accrue(&self, start: SimTime, len: SimTime, usage: &Usage) -> CostBreakdown;
}

/// The hosting model for an option (egress is priced by the engine, the same for every kind).
pub fn model(option: &HostingOption) -> Box<dyn Hosting> {
    match &option.kind {
        Kind::BareMetal(b) => Box::new(bare_metal::BareMetalModel { spec: b.clone() }),
        Kind::Vps(v) => Box::new(vps::VpsModel { spec: v.clone() }),
    }
}
