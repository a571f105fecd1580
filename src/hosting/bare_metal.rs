//! Bare metal: owned servers of fixed capacity. Capex is amortised linearly
//! over the lifetime; colocation and labour are monthly (730 h); energy
//! follows utilisation; setup is paid once at t = 0. Its emissions come
//! from the same energy (SPECpower's watts for its cores, PUE 1, without a
//! `power` table) and its cores' embodied share.

use super::cost::{CostBreakdown, CostCategory};
use super::emissions::Emissions;
use super::{Hosting, Life, Usage};
use crate::billing::monthly_prorated_usd;
use crate::catalog::specpower;
use crate::model::{BareMetal, Failures};
use crate::time::SimTime;

/// The cost and capacity model of a `bare_metal` option.
pub struct BareMetalModel {
    pub spec: BareMetal,
    pub grid_gco2e_per_kwh: Option<f64>,
}

impl BareMetalModel {
    /// One server's draw at `utilization` (linear from idle to full load)
    /// and its PUE: the `power` table's, else SPECpower's median server of
    /// its cores in a PUE of 1 (the `pue` key's default).
    fn watts_and_pue(&self, utilization: f64) -> Option<(f64, f64)> {
        let cores = self.spec.cores;
        let (idle_w, max_w, pue) = match &self.spec.power {
            Some(p) => (p.idle_w, p.max_w, p.pue),
            None => {
                let (idle_w, max_w) = specpower::watts(specpower::default_sockets(cores), cores)?;
                (idle_w, max_w, 1.0)
            }
        };
        Some((idle_w + (max_w - idle_w) * utilization, pue))
    }
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
        if let (Some(p), Some((watts, pue))) = (&s.power, self.watts_and_pue(usage.utilization)) {
            cost.add(CostCategory::Power, servers * watts * pue * hours / 1000.0 * p.usd_per_kwh);
        }
        cost
    }

    /// Every server draws at the option's utilisation, as for the power cost.
    fn emissions(&self, _start: SimTime, len: SimTime, usage: &Usage, _lives: &[Life]) -> Option<Emissions> {
        let grid = self.grid_gco2e_per_kwh?;
        let (watts, pue) = self.watts_and_pue(usage.utilization)?;
        let server_hours = f64::from(self.spec.servers) * len.as_hours_f64();
        Some(Emissions::new(server_hours * watts, pue, grid, server_hours * f64::from(self.spec.cores)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Draw, Power};

    fn model(power: Option<Power>) -> BareMetalModel {
        BareMetalModel {
            grid_gco2e_per_kwh: None,
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
    fn emissions_worked_example() {
        // The same 506.985 kWh in us-east-1 (CCF: 379.07 gCO2e/kWh): 192,182.80 g operational.
        let draw = Draw::Watts { idle_w: 59.0, max_w: 404.0, idle_w_per_core: 0.0, max_w_per_core: 0.0 };
        let power = Power { idle_w: 59.0, max_w: 404.0, usd_per_kwh: 0.09, pue: 1.5, draw };
        let usage = Usage { instances: 2.0, utilization: 0.5, served: 0 };
        let mut m = model(Some(power));
        m.grid_gco2e_per_kwh = Some(379.07);
        let e = m.emissions(SimTime::ZERO, SimTime::MONTH, &usage, &[]).unwrap();
        assert!((e.operational_g - 506.985 * 379.07).abs() < 1e-6);
        assert!((e.operational_g - 192_182.80).abs() < 0.01);
        // Embodied: 2 servers × 16 cores × 730 h × 16,779.08 g / 35,040 h = 11,186.05 g.
        assert!((e.embodied_g - 32.0 * 730.0 * 16_779.08 / 35_040.0).abs() < 0.01);
        // Without a power table: SPECpower's 1-socket 16-core median (26.58 W idle, 137.75 W full), PUE 1.
        m.spec.power = None;
        let e = m.emissions(SimTime::ZERO, SimTime::MONTH, &usage, &[]).unwrap();
        let (idle, full) = specpower::watts(1, 16).unwrap();
        assert!((e.operational_g - 2.0 * (idle + (full - idle) * 0.5) * 730.0 / 1_000.0 * 379.07).abs() < 1e-6);
        // Unknown grid: no estimate.
        m.grid_gco2e_per_kwh = None;
        assert_eq!(m.emissions(SimTime::ZERO, SimTime::MONTH, &usage, &[]), None);
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
