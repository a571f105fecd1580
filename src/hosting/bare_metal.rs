//! Bare metal: owned servers of fixed capacity. Capex is amortised linearly
//! over the lifetime; colocation and labour are monthly (730 h); energy
//! follows utilisation; setup is paid once at t = 0.

use super::cost::{CostBreakdown, CostCategory};
use super::{Hosting, Life, Usage};
use crate::billing::monthly_prorated_usd;
use crate::model::{BareMetal, Failures};
use crate::time::SimTime;

/// The cost and capacity model of a `bare_metal` option.
pub struct BareMetalModel {
    pub spec: BareMetal,
}

impl Hosting for BareMetalModel {
    fn fixed_instances(&self) -> u32 {
        self.spec.servers
    }

    fn vcpus_per_instance(&self) -> u32 {
        self.spec.cores
    }

    fn failures(&self) -> Option<&Failures> {
        self.spec.failures.as_ref()
    }

    fn accrue(&self, start: SimTime, len: SimTime, usage: &Usage, _lives: &[Life]) -> CostBreakdown {
        let s = &self.spec;
        let servers = f64::from(s.servers);
        let hours = len.as_hours_f64();
        let mut cost = CostBreakdown::default();
        cost.add(CostCategory::Capex, servers * s.purchase_usd() * len.as_secs_f64() / s.lifetime.as_secs_f64());
        cost.add(CostCategory::Colo, servers * monthly_prorated_usd(s.colo_usd_per_month, len));
        cost.add(CostCategory::Labour, monthly_prorated_usd(s.labour_usd_per_month, len));
        if start == SimTime::ZERO {
            cost.add(CostCategory::Setup, servers * s.setup_usd);
        }
        if let Some(p) = &s.power {
            let watts = p.idle_w + (p.max_w - p.idle_w) * usage.utilization;
            cost.add(CostCategory::Power, servers * watts * p.pue * hours / 1000.0 * p.usd_per_kwh);
        }
        cost
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Draw, Power};

    fn model(power: Option<Power>) -> BareMetalModel {
        BareMetalModel {
            spec: BareMetal {
                servers: 2,
                cores: 16,
                price_usd: 3_650.0,
                price_usd_per_core: 0.0,
                lifetime: SimTime(3 * 365 * SimTime::DAY.0),
                setup_usd: 99.0,
                colo_usd_per_month: 150.0,
                labour_usd_per_month: 400.0,
                power,
                failures: None,
            },
        }
    }

    #[test]
    fn every_category_over_a_730_hour_month() {
        let month = SimTime::MONTH;
        let c = model(None).accrue(SimTime::ZERO, month, &Usage::default(), &[]);
        // capex: 2 × $3,650 × 730 h / (3 × 365 × 24 h = 26,280 h) = $202.78
        assert!((c.get(CostCategory::Capex) - 202.777_78).abs() < 1e-4);
        // colo: 2 × $150 × 730/730 = $300
        assert!((c.get(CostCategory::Colo) - 300.0).abs() < 1e-9);
        // labour: $400 × 730/730 = $400
        assert!((c.get(CostCategory::Labour) - 400.0).abs() < 1e-9);
        // setup: 2 × $99 once, at t = 0 only
        assert_eq!(c.get(CostCategory::Setup), 198.0);
        let later = model(None).accrue(SimTime::HOUR, SimTime::HOUR, &Usage::default(), &[]);
        assert_eq!(later.get(CostCategory::Setup), 0.0);
    }

    #[test]
    fn power_worked_example() {
        // 2 servers at 50 % utilisation, 59 W idle / 404 W max: 59 + 345 × 0.5 = 231.5 W each;
        // × 2 × PUE 1.5 = 694.5 W; × 730 h = 506.985 kWh; × $0.09 = $45.62865.
        let draw = Draw::Watts { idle_w: 59.0, max_w: 404.0, idle_w_per_core: 0.0, max_w_per_core: 0.0 };
        let power = Power { idle_w: 59.0, max_w: 404.0, usd_per_kwh: 0.09, pue: 1.5, draw };
        let usage = Usage { instances: 2.0, utilization: 0.5, served: 0 };
        let c = model(Some(power)).accrue(SimTime::ZERO, SimTime::MONTH, &usage, &[]);
        assert!((c.get(CostCategory::Power) - 45.628_65).abs() < 1e-6);
    }

    #[test]
    fn a_price_per_core_grows_the_purchase_price_with_cores() {
        let mut m = model(None);
        m.spec.price_usd = 1_000.0;
        m.spec.price_usd_per_core = 150.0;
        // base $1,000 + 16 cores × $150 = $3,400 per server.
        assert_eq!(m.spec.purchase_usd(), 3_400.0);
        // capex: 2 servers × $3,400 × 730 h / 26,280 h (3 years) = $188.888…
        let c = m.accrue(SimTime::ZERO, SimTime::MONTH, &Usage::default(), &[]);
        assert!((c.get(CostCategory::Capex) - 2.0 * 3_400.0 * 730.0 / 26_280.0).abs() < 1e-9);
        assert!((c.get(CostCategory::Capex) - 188.888_89).abs() < 1e-5);
        // Twice the cores: $1,000 + 32 × $150 = $5,800, so capex × 5,800 / 3,400.
        m.spec.cores = 32;
        let c = m.accrue(SimTime::ZERO, SimTime::MONTH, &Usage::default(), &[]);
        assert!((c.get(CostCategory::Capex) - 2.0 * 5_800.0 * 730.0 / 26_280.0).abs() < 1e-9);
    }
}
