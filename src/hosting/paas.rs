//! PaaS: dynos are instances of a fleet billed like IaaS by the second, at
//! the monthly price / 730 per hour (so a dyno running a whole 730-hour
//! month costs exactly its monthly price), behind Heroku's router. Dynos
//! drawing on a pool of dyno-hours (Eco) pay the pool's monthly price instead.

use super::cost::{CostBreakdown, CostCategory};
use super::emissions::Emissions;
use super::iaas::IaasModel;
use super::{Hosting, Life, RouterSpec, Usage};
use crate::billing::monthly_prorated_usd;
use crate::model::{Autoscaling, Billing, Iaas, Paas, Policy, Storage, StorageKind};
use crate::time::SimTime;

/// The dynos as a fleet: prorated to the second, no minimum, local storage,
/// Heroku autoscaling if enabled.
fn fleet_spec(p: &Paas) -> Iaas {
    Iaas {
        instance: p.dyno.clone(),
        vcpus: p.vcpus,
        hourly_usd: p.monthly_usd / crate::time::HOURS_PER_MONTH as f64,
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
        spot: None,
        purchase: None,
        savings_plan: None,
    }
}

/// The capacity and cost model of a `paas` option: a fleet of dynos behind
/// the router, billed per dyno or per pool of dyno-hours.
pub struct PaasModel {
    spec: Paas,
    /// The dynos, billed like IaaS instances when they draw on no pool.
    dynos: IaasModel,
}

impl PaasModel {
    pub fn new(spec: &Paas, grid_gco2e_per_kwh: Option<f64>) -> PaasModel {
        PaasModel { spec: spec.clone(), dynos: IaasModel::new(fleet_spec(spec), grid_gco2e_per_kwh) }
    }
}

impl Hosting for PaasModel {
    fn fixed_instances(&self) -> u32 {
        0
    }

    fn vcpus_per_instance(&self) -> u32 {
        self.spec.vcpus
    }

    fn cpu_share(&self) -> f64 {
        self.spec.cpu_share
    }

    fn fleet(&self) -> Option<Iaas> {
        self.dynos.fleet()
    }

    fn router(&self) -> Option<RouterSpec> {
        let p = &self.spec;
        Some(RouterSpec {
            overhead: p.router_overhead,
            timeout: p.router_timeout,
            backlog: p.backlog,
            sleep: p.sleep.clone(),
            pool_hours: p.pool_hours,
        })
    }

    /// A pool of dyno-hours costs its monthly price per 730 h, prorated,
    /// however many dynos run (Heroku Eco: $5 for 1,000 hours).
    fn accrue(&self, start: SimTime, len: SimTime, usage: &Usage, lives: &[Life]) -> CostBreakdown {
        if self.spec.pool_hours.is_none() {
            return self.dynos.accrue(start, len, usage, lives);
        }
        let mut cost = CostBreakdown::default();
        cost.add(CostCategory::Compute, monthly_prorated_usd(self.spec.monthly_usd, len));
        cost
    }

    /// Heroku runs on AWS and publishes no power per dyno: each dyno is its
    /// vCPUs of CCF's average AWS vCPU (a dyno name is no EC2 type), at its
    /// share of them.
    fn emissions(&self, start: SimTime, len: SimTime, usage: &Usage, lives: &[Life]) -> Option<Emissions> {
        Some(self.dynos.emissions(start, len, usage, lives)?.scaled(self.spec.cpu_share))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Dist, Market};

    /// `dynos` dynos of one type; performance-m's sizes, eco's price and pool if `pooled`.
    fn paas(dynos: u32, pooled: bool) -> Paas {
        Paas {
            dyno: Some(if pooled { "eco" } else { "performance-m" }.into()),
            vcpus: 2,
            cpu_share: 1.0,
            monthly_usd: if pooled { 5.0 } else { 250.0 },
            pool_hours: pooled.then_some(1_000.0),
            dynos,
            router_overhead: SimTime(1_000),
            router_timeout: SimTime::from_secs(30),
            backlog: 50,
            boot: Dist::Constant { value_s: 10.0 },
            sleep: None,
            autoscaling: None,
        }
    }

    fn bill(model: &PaasModel, lives: &[Life], horizon: SimTime) -> f64 {
        model.accrue(SimTime::ZERO, horizon, &Usage::default(), lives).get(CostCategory::Compute)
    }

    fn hours(h: u64) -> u64 {
        h * SimTime::HOUR.0
    }

    #[test]
    fn billing_worked_examples() {
        let m = PaasModel::new(&paas(1, false), None);
        let whole = Life { launched_us: 0, ended_us: None, market: Market::OnDemand };
        // A dyno for the whole 730 h costs exactly its monthly price: $250.
        assert!((bill(&m, &[whole], SimTime::MONTH) - 250.0).abs() < 1e-6);
        // 10 days: $250 × 240 / 730 = $82.19178.
        let ten_days = Life { launched_us: 0, ended_us: Some(hours(240)), market: Market::OnDemand };
        assert!((bill(&m, &[ten_days], SimTime::MONTH) - 250.0 * 240.0 / 730.0).abs() < 1e-6);
        // Two dynos for two months (1,460 h): 4 × $250 = $1,000.
        let two_months = SimTime(2 * SimTime::MONTH.0);
        assert!((bill(&m, &[whole, whole], two_months) - 1_000.0).abs() < 1e-6);
    }

    #[test]
    fn a_shared_dyno_emits_its_share_of_its_vcpus() {
        // 1 dyno of 2 vCPUs for 730 h, idle, on 100 g/kWh: 2 × 0.74 W × 730 h × PUE 1.135 / 1,000 × 100 g
        // = 122.6254 g; at a cpu_share of 0.25, a quarter of that and of the embodied grams.
        let whole = Life { launched_us: 0, ended_us: None, market: Market::OnDemand };
        let at = |share: f64| {
            let mut spec = paas(1, false);
            spec.cpu_share = share;
            let m = PaasModel::new(&spec, Some(100.0));
            m.emissions(SimTime::ZERO, SimTime::MONTH, &Usage::default(), &[whole]).unwrap()
        };
        let (full, quarter) = (at(1.0), at(0.25));
        assert!((full.operational_g - 122.6254).abs() < 1e-9, "{full:?}");
        assert!((quarter.operational_g - full.operational_g / 4.0).abs() < 1e-9);
        assert!((quarter.embodied_g - full.embodied_g / 4.0).abs() < 1e-9);
    }

    #[test]
    fn a_pool_costs_its_monthly_price_whatever_the_number_of_dynos() {
        // 3 eco dynos for 10 days: the pool's $5 × 240 / 730 = $1.643836, not 3 × that.
        let m = PaasModel::new(&paas(3, true), None);
        let ten_days = Life { launched_us: 0, ended_us: Some(hours(240)), market: Market::OnDemand };
        let expected = 5.0 * 240.0 / 730.0;
        assert!((bill(&m, &[ten_days; 3], SimTime(hours(240))) - expected).abs() < 1e-9);
        // Billed per bucket, the same: 240 one-hour buckets of $5 / 730.
        let by_hour: f64 = (0..240)
            .map(|h| m.accrue(SimTime(hours(h)), SimTime::HOUR, &Usage::default(), &[ten_days; 3]))
            .map(|c| c.get(CostCategory::Compute))
            .sum();
        assert!((by_hour - expected).abs() < 1e-9, "{by_hour}");
    }
}
