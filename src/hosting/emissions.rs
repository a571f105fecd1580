//! Emissions beside cost, location-based: operational (the energy the
//! hardware draws × the data centre's PUE × the grid's gCO2e per kWh) and
//! embodied (the hardware's manufacture, per vCPU-hour, spread over a
//! 4-year life). Network, storage and cooling beyond PUE are left out.

use std::ops::AddAssign;

use super::Life;
use crate::catalog::carbon::embodied_g_per_vcpu_hour;
use crate::time::SimTime;

/// Grams of CO2e by scope.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Emissions {
    pub operational_g: f64,
    pub embodied_g: f64,
}

/// One scope's grams.
type Scope = fn(&Emissions) -> f64;

/// The scopes, as `emissions.csv` names them, and their grams.
pub const SCOPES: [(&str, Scope); 2] = [("operational", |e| e.operational_g), ("embodied", |e| e.embodied_g)];

impl Emissions {
    /// `watt_hours` drawn by the hardware, in a data centre of `pue`, on a
    /// grid of `gco2e_per_kwh`; and `vcpu_hours` of hardware held.
    pub fn new(watt_hours: f64, pue: f64, gco2e_per_kwh: f64, vcpu_hours: f64) -> Emissions {
        Emissions {
            operational_g: watt_hours * pue / 1_000.0 * gco2e_per_kwh,
            embodied_g: vcpu_hours * embodied_g_per_vcpu_hour(),
        }
    }

    /// Both scopes × `factor` (a share of the hardware).
    pub fn scaled(self, factor: f64) -> Emissions {
        Emissions { operational_g: self.operational_g * factor, embodied_g: self.embodied_g * factor }
    }

    pub fn total_g(&self) -> f64 {
        self.operational_g + self.embodied_g
    }
}

impl AddAssign for Emissions {
    fn add_assign(&mut self, o: Emissions) {
        self.operational_g += o.operational_g;
        self.embodied_g += o.embodied_g;
    }
}

/// Hours the `lives` spend in [start, start + len), launch (boot) to termination.
pub fn life_hours(lives: &[Life], start: SimTime, len: SimTime) -> f64 {
    let (from, to) = (start.0, start.0 + len.0);
    let us: u64 =
        lives.iter().map(|l| to.min(l.ended_us.unwrap_or(u64::MAX)).saturating_sub(from.max(l.launched_us))).sum();
    us as f64 / SimTime::HOUR.0 as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Market;

    #[test]
    fn grams_from_watt_hours_and_vcpu_hours() {
        // 1,000 Wh × PUE 1.5 = 1.5 kWh × 400 g/kWh = 600 g; 35,040 vCPU-hours = one vCPU's 4 years.
        let e = Emissions::new(1_000.0, 1.5, 400.0, 35_040.0);
        assert!((e.operational_g - 600.0).abs() < 1e-9);
        assert!((e.embodied_g - crate::catalog::carbon::EMBODIED_KG_PER_VCPU * 1_000.0).abs() < 1e-6);
        assert!((e.total_g() - e.operational_g - e.embodied_g).abs() < 1e-12);
    }

    #[test]
    fn life_hours_clip_each_life_to_the_bucket() {
        let h = SimTime::HOUR.0;
        let life =
            |a: u64, b: Option<u64>| Life { launched_us: a * h, ended_us: b.map(|b| b * h), market: Market::OnDemand };
        // Bucket [1 h, 3 h): a life 0–2 h gives 1 h, one from 2 h on gives 1 h, one 5–6 h none.
        let lives = [life(0, Some(2)), life(2, None), life(5, Some(6))];
        assert_eq!(life_hours(&lives, SimTime::HOUR, SimTime(2 * h)), 2.0);
    }
}
