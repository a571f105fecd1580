//! VPS: a fixed number of rented virtual servers, billed per started hour up
//! to a monthly cap per instance (Linode, Hetzner; DigitalOcean by the hour
//! until its cap). Noisy neighbours are the engine's `neighbours` model.
//! VPS providers publish no power per plan: emissions take CCF's average
//! AWS vCPU in AWS's PUE for each vCPU.

use super::cost::{CostBreakdown, CostCategory};
use super::emissions::Emissions;
use super::{Hosting, Life, Usage};
use crate::billing::started_hours_usd;
use crate::catalog::carbon::AWS_PUE;
use crate::catalog::instance_power::average_vcpu;
use crate::model::{Neighbours, Vps};
use crate::time::SimTime;

/// The cost and capacity model of a `vps` option.
pub struct VpsModel {
    pub spec: Vps,
    pub grid_gco2e_per_kwh: Option<f64>,
}

impl Hosting for VpsModel {
    fn fixed_instances(&self) -> u32 {
        self.spec.instances
    }

    fn vcpus_per_instance(&self) -> u32 {
        self.spec.vcpus
    }

    fn neighbours(&self) -> Option<&Neighbours> {
        self.spec.neighbours.as_ref()
    }

    /// Instances are billed from t = 0 whether up or not (a provider bills
    /// until the server is deleted).
    fn accrue(&self, start: SimTime, len: SimTime, _usage: &Usage, _lives: &[Life]) -> CostBreakdown {
        let s = &self.spec;
        let per_instance = started_hours_usd(start, SimTime(start.0 + len.0), s.hourly_usd, s.monthly_usd);
        let mut cost = CostBreakdown::default();
        cost.add(CostCategory::Compute, f64::from(s.instances) * per_instance);
        cost
    }

    /// Every vCPU rented, at the option's utilisation.
    fn emissions(&self, _start: SimTime, len: SimTime, usage: &Usage, _lives: &[Life]) -> Option<Emissions> {
        let grid = self.grid_gco2e_per_kwh?;
        let vcpu_hours = f64::from(self.spec.instances * self.spec.vcpus) * len.as_hours_f64();
        Some(Emissions::new(vcpu_hours * average_vcpu().at(usage.utilization), AWS_PUE, grid, vcpu_hours))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_linode_4gb_for_a_month() {
        // 3 × $24 (the monthly cap) = $72 over 730 h, whatever the bucket size.
        let model = VpsModel {
            spec: Vps { instances: 3, vcpus: 2, monthly_usd: 24.0, hourly_usd: 0.036, plan: None, neighbours: None },
            grid_gco2e_per_kwh: None,
        };
        let total: f64 = (0..73)
            .map(|i| {
                model.accrue(SimTime(i * 10 * SimTime::HOUR.0), SimTime(10 * SimTime::HOUR.0), &Usage::default(), &[])
            })
            .map(|c| c.get(CostCategory::Compute))
            .sum();
        assert!((total - 72.0).abs() < 1e-9, "{total}");
    }

    #[test]
    fn embodied_emissions_of_a_fixed_fleet() {
        // 3 VPS of 2 vCPUs for 730 h, idle, on a grid of 100 g/kWh:
        // embodied 6 vCPUs × 730 h × 16,779.08 g / 35,040 h = 2,097.39 g, whatever the load or grid;
        // operational 6 × 0.74 W × 730 h × PUE 1.135 / 1,000 × 100 g = 367.8762 g.
        let model = VpsModel {
            spec: Vps { instances: 3, vcpus: 2, monthly_usd: 24.0, hourly_usd: 0.036, plan: None, neighbours: None },
            grid_gco2e_per_kwh: Some(100.0),
        };
        let e = model.emissions(SimTime::ZERO, SimTime::MONTH, &Usage::default(), &[]).unwrap();
        assert!((e.embodied_g - 6.0 * 730.0 * 16_779.08 / 35_040.0).abs() < 0.01);
        assert!((e.embodied_g - 2_097.39).abs() < 0.01);
        assert!((e.operational_g - 367.8762).abs() < 1e-9);
        let busy = Usage { instances: 3.0, utilization: 1.0, served: 0 };
        let full = model.emissions(SimTime::ZERO, SimTime::MONTH, &busy, &[]).unwrap();
        assert_eq!(full.embodied_g, e.embodied_g);
        // At full load each vCPU draws 3.5 W: 3.5 / 0.74 times the idle figure.
        assert!((full.operational_g / e.operational_g - 3.5 / 0.74).abs() < 1e-9);
    }
}
