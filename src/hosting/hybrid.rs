//! Hybrid: a fixed baseline (bare metal or VPS) priced by its own model, plus
//! an IaaS burst pool priced by instance life; one queue serves both.

use super::cost::CostBreakdown;
use super::emissions::Emissions;
use super::iaas::IaasModel;
use super::{Hosting, Life, Usage};
use crate::model::{Failures, Hybrid, Iaas, Neighbours};
use crate::time::SimTime;

/// The cost model of a `hybrid` option.
pub struct HybridModel {
    baseline: Box<dyn Hosting>,
    burst: IaasModel,
}

impl HybridModel {
    pub fn new(spec: &Hybrid, grid_gco2e_per_kwh: Option<f64>) -> HybridModel {
        HybridModel {
            baseline: super::kind_model(&spec.baseline, grid_gco2e_per_kwh),
            burst: IaasModel::new(spec.burst.clone(), grid_gco2e_per_kwh),
        }
    }
}

impl Hosting for HybridModel {
    fn fixed_instances(&self) -> u32 {
        self.baseline.fixed_instances()
    }

    fn vcpus_per_instance(&self) -> u32 {
        self.baseline.vcpus_per_instance()
    }

    fn fleet(&self) -> Option<Iaas> {
        self.burst.fleet()
    }

    fn neighbours(&self) -> Option<&Neighbours> {
        self.baseline.neighbours()
    }

    fn failures(&self) -> Option<&Failures> {
        self.baseline.failures()
    }

    /// `lives` are the burst pool's instances.
    fn accrue(&self, start: SimTime, len: SimTime, usage: &Usage, lives: &[Life]) -> CostBreakdown {
        let mut cost = self.baseline.accrue(start, len, usage, &[]);
        cost += self.burst.accrue(start, len, usage, lives);
        cost
    }

    /// Both parts at the option's utilisation.
    fn emissions(&self, start: SimTime, len: SimTime, usage: &Usage, lives: &[Life]) -> Option<Emissions> {
        let mut e = self.baseline.emissions(start, len, usage, &[])?;
        e += self.burst.emissions(start, len, usage, lives)?;
        Some(e)
    }
}
