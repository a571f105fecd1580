//! IaaS: instances billed from launch to termination, each started billing
//! unit (`granularity`) charged when it starts, at least `minimum` per
//! instance (charged at termination), plus storage per instance-month.
//! EC2 Linux: per second with a 60 s minimum.

use super::cost::{CostBreakdown, CostCategory};
use super::{Hosting, Life, Usage};
use crate::billing::monthly_prorated_usd;
use crate::model::Iaas;
use crate::time::SimTime;

/// The cost and capacity model of an `iaas` option (or a hybrid's burst pool).
pub struct IaasModel {
    pub spec: Iaas,
}

impl IaasModel {
    /// Billing units of a life of `lived_us` that have started by then.
    fn units_started(&self, lived_us: u64) -> u64 {
        lived_us.div_ceil(self.spec.billing.granularity.0)
    }

    /// What one instance's life costs over [from, to).
    pub fn life_usd(&self, life: &Life, from: u64, to: u64) -> CostBreakdown {
        let mut cost = CostBreakdown::default();
        let end = life.ended_us.unwrap_or(u64::MAX);
        let (a, b) = (from.max(life.launched_us), to.min(end));
        if a >= b && !(life.ended_us.is_some_and(|e| (from..to).contains(&e))) {
            return cost;
        }
        let unit_usd = self.spec.hourly_usd * self.spec.billing.granularity.as_hours_f64();
        // Units starting in [a, b): unit k starts at launch + k × granularity.
        let started = |t: u64| self.units_started(t.saturating_sub(life.launched_us));
        let mut units = started(b.max(a)) - started(a);
        if let Some(e) = life.ended_us.filter(|e| (from..to).contains(e)) {
            // At termination, top the bill up to the minimum.
            let minimum_units = self.units_started(self.spec.billing.minimum.0);
            units += minimum_units.saturating_sub(started(e));
        }
        cost.add(CostCategory::Compute, units as f64 * unit_usd);
        if b > a {
            cost.add(CostCategory::Storage, monthly_prorated_usd(self.spec.storage.usd_per_month, SimTime(b - a)));
        }
        cost
    }
}

impl Hosting for IaasModel {
    fn fixed_instances(&self) -> u32 {
        0
    }

    fn vcpus_per_instance(&self) -> u32 {
        self.spec.vcpus
    }

    fn fleet(&self) -> Option<Iaas> {
        Some(self.spec.clone())
    }

    fn accrue(&self, start: SimTime, len: SimTime, _usage: &Usage, lives: &[Life]) -> CostBreakdown {
        let mut cost = CostBreakdown::default();
        for life in lives {
            cost += self.life_usd(life, start.0, start.0 + len.0);
        }
        cost
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Billing, Dist, Storage, StorageKind};

    fn m5_large(granularity_s: u64, minimum_s: u64) -> IaasModel {
        IaasModel {
            spec: Iaas {
                instance: Some("m5.large".into()),
                vcpus: 2,
                hourly_usd: 0.096,
                initial: 3,
                boot: Dist::Constant { value_s: 97.0 },
                billing: Billing {
                    granularity: SimTime::from_secs(granularity_s),
                    minimum: SimTime::from_secs(minimum_s),
                },
                storage: Storage { kind: StorageKind::Local, latency_factor: 1.0, iops: None, usd_per_month: 0.0 },
                autoscaling: None,
                purchase: None,
                savings_plan: None,
            },
        }
    }

    fn life(launched_s: u64, lived_s: Option<u64>) -> Life {
        Life { launched_us: launched_s * 1_000_000, ended_us: lived_s.map(|l| (launched_s + l) * 1_000_000) }
    }

    fn compute(model: &IaasModel, lives: &[Life], horizon_s: u64) -> f64 {
        model.accrue(SimTime::ZERO, SimTime::from_secs(horizon_s), &Usage::default(), lives).get(CostCategory::Compute)
    }

    #[test]
    fn three_m5_large_for_730_hours() {
        // 3 × m5.large × 730 h × $0.096 = $210.24, by the second or by the hour.
        let lives = [life(0, None), life(0, None), life(0, None)];
        assert!((compute(&m5_large(1, 60), &lives, 730 * 3600) - 210.24).abs() < 1e-6);
        assert!((compute(&m5_large(3600, 0), &lives, 730 * 3600) - 210.24).abs() < 1e-9);
    }

    #[test]
    fn per_second_with_a_60_second_minimum() {
        let m = m5_large(1, 60);
        // Lives 30 s: billed 60 s = $0.096 × 60/3600 = $0.0016.
        assert!((compute(&m, &[life(100, Some(30))], 3600) - 0.0016).abs() < 1e-12);
        // Lives 61 s: billed 61 s = $0.096 × 61/3600 = $0.00162667.
        assert!((compute(&m, &[life(100, Some(61))], 3600) - 0.096 * 61.0 / 3600.0).abs() < 1e-12);
    }

    #[test]
    fn hourly_granularity_rounds_up_per_started_hour() {
        let m = m5_large(3600, 0);
        // 61 minutes = 2 started hours = $0.192; 30 minutes = 1 hour = $0.096.
        assert!((compute(&m, &[life(0, Some(61 * 60))], 7200) - 0.192).abs() < 1e-12);
        assert!((compute(&m, &[life(0, Some(30 * 60))], 7200) - 0.096).abs() < 1e-12);
    }

    #[test]
    fn buckets_add_up_to_the_whole() {
        // A 95-minute life billed by the second, summed over 10-minute buckets.
        let m = m5_large(1, 60);
        let l = [life(125, Some(95 * 60))];
        let whole = compute(&m, &l, 3 * 3600);
        let parts: f64 = (0..18)
            .map(|i| {
                m.accrue(SimTime::from_secs(600 * i), SimTime::from_secs(600), &Usage::default(), &l)
                    .get(CostCategory::Compute)
            })
            .sum();
        assert!((whole - 0.096 * 95.0 / 60.0).abs() < 1e-9);
        assert!((parts - whole).abs() < 1e-9);
    }
}
