//! VPS: a fixed number of rented virtual servers, billed per started hour up
//! to a monthly cap per instance (Linode, Hetzner; DigitalOcean by the hour
//! until its cap). Noisy neighbours are the engine's `neighbours` model.

use super::cost::{CostBreakdown, CostCategory};
use super::{Hosting, Life, Usage};
use crate::billing::started_hours_usd;
use crate::model::{Neighbours, Vps};
use crate::time::SimTime;

/// The cost and capacity model of a `vps` option.
pub struct VpsModel {
    pub spec: Vps,
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_linode_4gb_for_a_month() {
        // 3 × $24 (the monthly cap) = $72 over 730 h, whatever the bucket size.
        let model = VpsModel {
            spec: Vps { instances: 3, vcpus: 2, monthly_usd: 24.0, hourly_usd: 0.036, plan: None, neighbours: None },
        };
        let total: f64 = (0..73)
            .map(|i| {
                model.accrue(SimTime(i * 10 * SimTime::HOUR.0), SimTime(10 * SimTime::HOUR.0), &Usage::default(), &[])
            })
            .map(|c| c.get(CostCategory::Compute))
            .sum();
        assert!((total - 72.0).abs() < 1e-9, "{total}");
    }
}
