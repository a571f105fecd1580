//! Hosting models: what capacity an option has and what it costs.
//! One file per kind behind the `Hosting` trait.

pub mod bare_metal;
pub mod cost;
pub mod hybrid;
pub mod iaas;
pub mod paas;
pub mod vps;

use crate::scenario::model::{HostingOption, Kind};
use crate::time::SimTime;
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

/// When an instance was launched and, if it has, terminated (µs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Life {
    pub launched_us: u64,
    pub ended_us: Option<u64>,
}

/// The capacity and cost model of one kind of hosting.
pub trait Hosting: Send + Sync {
    /// Instances that exist for the whole run (0 for IaaS, whose instances
    /// come and go with their fleet).
    fn fixed_instances(&self) -> u32;
    /// vCPUs (cores) per fixed instance.
    fn vcpus_per_instance(&self) -> u32;
    /// Cost accrued over [start, start + len) given what was used then and
    /// the lives of the instances launched during the run (IaaS).
    fn accrue(&self, start: SimTime, len: SimTime, usage: &Usage, lives: &[Life]) -> CostBreakdown;
}

/// The hosting model for an option (egress is priced by the engine, the same for every kind).
pub fn model(option: &HostingOption) -> Box<dyn Hosting> {
    kind_model(&option.kind)
}

fn kind_model(kind: &Kind) -> Box<dyn Hosting> {
    match kind {
        Kind::BareMetal(b) => Box::new(bare_metal::BareMetalModel { spec: b.clone() }),
        Kind::Vps(v) => Box::new(vps::VpsModel { spec: v.clone() }),
        Kind::Iaas(i) => Box::new(iaas::IaasModel { spec: i.clone() }),
        Kind::Hybrid(h) => Box::new(hybrid::HybridModel::new(h)),
        Kind::Paas(p) => paas::model(p),
    }
}
