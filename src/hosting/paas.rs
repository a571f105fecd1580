//! PaaS: dynos are instances of a fleet billed like IaaS by the second, at
//! the monthly price / 730 per hour (so a dyno running a whole 730-hour
//! month costs exactly its monthly price), behind Heroku's router.

use crate::scenario::model::{Autoscaling, Billing, Iaas, Paas, Policy, Storage, StorageKind};
use crate::sim::time::SimTime;

/// Hours in the month a dyno's monthly price covers.
const HOURS_PER_MONTH: f64 = 730.0;

/// The dynos as a fleet: prorated to the second, no minimum, local storage,
/// Heroku autoscaling if enabled.
pub fn fleet_spec(p: &Paas) -> Iaas {
    Iaas {
        instance: p.dyno.clone(),
        vcpus: p.vcpus,
        hourly_usd: p.monthly_usd / HOURS_PER_MONTH,
        initial: p.dynos,
        boot: p.boot.clone(),
        billing: Billing { granularity: SimTime::from_secs(1), minimum: SimTime::ZERO },
        storage: Storage { kind: StorageKind::Local, latency_factor: 1.0, iops: None, usd_per_month: 0.0 },
        autoscaling: p.autoscaling.as_ref().map(|a| Autoscaling {
            policy: Policy::Heroku { p95_ms: a.p95_ms },
            min: a.min,
            max: a.max,
            warmup: SimTime::ZERO,
            schedule: Vec::new(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hosting::cost::CostCategory;
    use crate::hosting::iaas::IaasModel;
    use crate::hosting::{Hosting, Life, Usage};
    use crate::scenario::model::Dist;

    fn performance_m(dynos: u32) -> IaasModel {
        let p = Paas {
            dyno: Some("performance-m".into()),
            vcpus: 2,
            cpu_share: 1.0,
            monthly_usd: 250.0,
            dynos,
            router_overhead: SimTime(1_000),
            router_timeout: SimTime::from_secs(30),
            backlog: 50,
            boot: Dist::Constant { value_s: 10.0 },
            sleep: None,
            autoscaling: None,
        };
        IaasModel { spec: fleet_spec(&p) }
    }

    fn bill(model: &IaasModel, lives: &[Life], horizon: SimTime) -> f64 {
        model.accrue(SimTime::ZERO, horizon, &Usage::default(), lives).get(CostCategory::Compute)
    }

    fn hours(h: u64) -> u64 {
        h * SimTime::HOUR.0
    }

    #[test]
    fn billing_worked_examples() {
        let m = performance_m(1);
        let whole = Life { launched_us: 0, ended_us: None };
        // A dyno for the whole 730 h costs exactly its monthly price: $250.
        assert!((bill(&m, &[whole], SimTime::MONTH) - 250.0).abs() < 1e-6);
        // 10 days: $250 × 240 / 730 = $82.19178.
        let ten_days = Life { launched_us: 0, ended_us: Some(hours(240)) };
        assert!((bill(&m, &[ten_days], SimTime::MONTH) - 250.0 * 240.0 / 730.0).abs() < 1e-6);
        // Two dynos for two months (1,460 h): 4 × $250 = $1,000.
        let two_months = SimTime(2 * SimTime::MONTH.0);
        assert!((bill(&m, &[whole, whole], two_months) - 1_000.0).abs() < 1e-6);
    }
}
