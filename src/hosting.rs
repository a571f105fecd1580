//! Hosting models: how an option serves (its instances, a fleet that comes
//! and goes, neighbours, failures, a router in front) and what it costs.
//! One file per kind behind the `Hosting` trait; the engine asks it, never
//! the kind. A load balancer in front (`load_balancer`) is priced apart,
//! from the traffic of each hour. Each model reckons a bucket's emissions
//! beside its cost (`emissions`), on its own region's grid.

pub mod bare_metal;
pub mod commitment;
pub mod cost;
pub mod database;
pub mod egress;
pub mod emissions;
pub mod hybrid;
pub mod iaas;
pub mod load_balancer;
pub mod paas;
pub mod serverless;
pub mod vps;

use crate::model::{Failures, HostingOption, Iaas, Kind, Market, Neighbours, Serverless, Sleep};
use crate::time::SimTime;
use cost::CostBreakdown;
use emissions::Emissions;

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

/// When an instance was launched and, if it has, terminated (µs), and the
/// market it was bought in (reserved or savings-plan cover applies to
/// on-demand lives only; spot lives are billed at the spot price).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Life {
    pub launched_us: u64,
    pub ended_us: Option<u64>,
    pub market: Market,
}

/// A router in front of the instances (Heroku's), as the engine needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct RouterSpec {
    /// Added to every response.
    pub overhead: SimTime,
    /// Responses slower than this are cut off (H12).
    pub timeout: SimTime,
    /// Requests queued per instance at most (H11 beyond).
    pub backlog: u32,
    /// Instances idle for a while sleep, and the next request waits for one to wake.
    pub sleep: Option<Sleep>,
    /// Hours a month the instances draw on together (Eco), if they share a pool.
    pub pool_hours: Option<f64>,
}

/// The capacity and cost model of one kind of hosting. What a kind does
/// not have (a fleet, neighbours, failures, a router) defaults to none.
pub trait Hosting: Send + Sync {
    /// Instances that exist for the whole run (0 for IaaS, whose instances
    /// come and go with their fleet).
    fn fixed_instances(&self) -> u32;
    /// vCPUs (cores) per fixed instance.
    fn vcpus_per_instance(&self) -> u32;
    /// The share of a reference vCPU an instance's vCPU runs at (shared dynos).
    fn cpu_share(&self) -> f64 {
        1.0
    }
    /// The instances that come and go (IaaS, a hybrid's burst pool, dynos), launched from this spec.
    fn fleet(&self) -> Option<Iaas> {
        None
    }
    /// Noisy neighbours on the fixed instances' hosts (VPS).
    fn neighbours(&self) -> Option<&Neighbours> {
        None
    }
    /// Failures of the fixed instances (bare metal).
    fn failures(&self) -> Option<&Failures> {
        None
    }
    /// The router in front of the instances (PaaS).
    fn router(&self) -> Option<RouterSpec> {
        None
    }
    /// Instances started per request (serverless): the engine runs its own loop for them.
    fn serverless(&self) -> Option<&Serverless> {
        None
    }
    /// Cost accrued over [start, start + len) given what was used then and
    /// the lives of the instances launched during the run (IaaS).
    fn accrue(&self, start: SimTime, len: SimTime, usage: &Usage, lives: &[Life]) -> CostBreakdown;
    /// Emissions over the same span from the same use, on the model's grid;
    /// `None` when its grid's carbon intensity is unknown.
    fn emissions(&self, start: SimTime, len: SimTime, usage: &Usage, lives: &[Life]) -> Option<Emissions>;
}

/// The hosting model for an option (egress is priced by the engine with `egress::EgressBill`).
pub fn model(option: &HostingOption) -> Box<dyn Hosting> {
    kind_model(&option.kind, option.grid.as_ref().map(|g| g.gco2e_per_kwh))
}

/// How an option's capacity reads in reference vCPUs, so that 1 server of
/// 16 cores and 10 VPS of 2 vCPUs compare: a slot in service is
/// `cpu_share / workers_per_vcpu` vCPU (a shared dyno's vCPU counts at its
/// share); a serverless instance is its configured vCPUs (Lambda: memory ÷
/// 1,769 MB), its slots being concurrent requests, not CPUs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VcpuRule {
    /// vCPUs per worker slot in service (0 for serverless).
    pub per_slot: f64,
    /// vCPUs per instance in service counted by instance (serverless; 0 otherwise).
    pub per_instance: f64,
    /// vCPUs of an instance launched and still booting (the fleet's size; 0 without a fleet).
    pub per_booting: f64,
}

impl VcpuRule {
    /// The rule of `option`.
    pub fn of(option: &HostingOption) -> VcpuRule {
        let model = model(option);
        if let Some(s) = model.serverless() {
            return VcpuRule { per_slot: 0.0, per_instance: s.vcpus, per_booting: s.vcpus };
        }
        let share = model.cpu_share();
        VcpuRule {
            per_slot: share / f64::from(option.workers_per_vcpu.max(1)),
            per_instance: 0.0,
            per_booting: model.fleet().map_or(0.0, |f| f64::from(f.vcpus) * share),
        }
    }
}

/// The model of `kind` on a grid of `grid_gco2e_per_kwh` (if known).
fn kind_model(kind: &Kind, grid_gco2e_per_kwh: Option<f64>) -> Box<dyn Hosting> {
    let grid = grid_gco2e_per_kwh;
    match kind {
        Kind::BareMetal(b) => Box::new(bare_metal::BareMetalModel { spec: b.clone(), grid_gco2e_per_kwh: grid }),
        Kind::Vps(v) => Box::new(vps::VpsModel { spec: v.clone(), grid_gco2e_per_kwh: grid }),
        Kind::Iaas(i) => Box::new(iaas::IaasModel::new(i.clone(), grid)),
        Kind::Hybrid(h) => Box::new(hybrid::HybridModel::new(h, grid)),
        Kind::Paas(p) => Box::new(paas::PaasModel::new(p, grid)),
        Kind::Serverless(s) => Box::new(serverless::ServerlessModel { spec: s.clone(), grid_gco2e_per_kwh: grid }),
    }
}
