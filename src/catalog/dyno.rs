//! Heroku dyno types (the Common Runtime's and the Fir generation's): price
//! per month, memory, CPU and whether they may autoscale.
//!
//! Heroku does not publish vCPUs for its shared dynos, so each type is
//! modelled as `vcpus` request slots running at `cpu_share` of a reference
//! vCPU:
//! - Performance dynos are dedicated: `nproc` shows 2 (performance-m: one
//!   core with its hyperthread) and 8 (performance-l: four cores), per
//!   Heroku's help article "What is an acceptable amount of dyno load?";
//!   each runs at full speed.
//! - Heroku's dyno-types table rates compute relative to the smallest dyno:
//!   performance-m is "12x", so one vCPU is 6x. Shared dynos get a range
//!   ("1x-4x" for eco, basic and standard-1x; "2x-8x" for standard-2x);
//!   we take its midpoint: 2.5x = 0.42 vCPU and 5x = 0.83 vCPU, on one
//!   slot each (Heroku's guidance is a load average of 1.0 for every
//!   standard dyno).
//! - Performance-L-RAM, -XL and -2XL have 4, 8 and 16 vCPUs (the same help
//!   article), dedicated.
//! - Fir dynos are named by their vCPUs and memory (`dyno-2c-8gb`); Heroku's
//!   dyno-tiers page marks the Fir tier as dedicated compute, so each vCPU
//!   runs at full speed; autoscaling is "coming to Fir", so not yet allowed.

use std::borrow::Cow;

use super::{Provenance, Text};

/// One dyno type.
#[derive(Clone, Debug, PartialEq)]
pub struct DynoType {
    /// The `dyno` key's value (lower case), e.g. "performance-m".
    pub id: Text,
    /// Requests in service at once (per worker per vCPU).
    pub vcpus: u32,
    /// Speed of each slot relative to a reference vCPU, in (0, 1].
    pub cpu_share: f64,
    pub memory_gb: f64,
    /// Price of a dyno run for a whole month (prorated to the second, capped per 730 h);
    /// with `pool_hours`, the price of the pool per month, whatever the number of dynos.
    pub monthly_usd: f64,
    /// Dyno-hours per 730 h shared by all the option's dynos (Eco: 1,000); when
    /// they are used up, every dyno sleeps until the next month.
    pub pool_hours: Option<f64>,
    /// Whether Heroku autoscaling is available for it (Performance tier only).
    pub autoscaling: bool,
    /// Sleeps after 30 minutes without traffic (Eco).
    pub sleeps: bool,
    pub provenance: Provenance,
}

impl DynoType {
    /// vCPUs × share: the CPU one dyno gives, in reference vCPUs.
    pub fn effective_vcpus(&self) -> f64 {
        f64::from(self.vcpus) * self.cpu_share
    }
}

/// Compute units in one vCPU: performance-m is 12x over 2 vCPUs.
const UNITS_PER_VCPU: f64 = 6.0;

const HEROKU: Provenance = Provenance::builtin(
    "prices: Heroku CLI 11.10.0 (npm heroku, 2026-09-06) COST_MONTHLY, the same as \
     devcenter.heroku.com/articles/usage-and-billing (2023-02-06); memory and compute: \
     devcenter.heroku.com/articles/dyno-types (2024-06-04); vCPUs (nproc): help.heroku.com/88G3XLA6 (undated); \
     autoscaling on Performance only: devcenter.heroku.com/articles/autoscaling (2024-12-03)",
    "2026-09-06",
);
const ECO: Provenance = Provenance::builtin(
    "devcenter.heroku.com/articles/usage-and-billing and /dyno-tiers: $5 per month for a pool of 1,000 dyno-hours \
     shared by all Eco dynos of an account (the same in Heroku CLI 11.10.0, 2026-09-06); sleeps when idle; all \
     sleep when the pool is used up, until the month ends: /articles/eco-dyno-hours; memory and compute: \
     /articles/dyno-types (2024-06-04)",
    "2026-09-06",
);
const FIR: Provenance = Provenance::builtin(
    "prices: Heroku CLI 11.10.0 (npm heroku, 2026-09-06) COST_MONTHLY; vCPUs and memory: the size name; \
     dedicated compute, autoscaling not yet available (\"coming to Fir\"): \
     devcenter.heroku.com/articles/dyno-tiers (2025-04-07)",
    "2026-09-06",
);

/// A dyno type that does not sleep and has no pool of hours.
const fn billed_per_dyno(
    id: &'static str,
    vcpus: u32,
    cpu_share: f64,
    memory_gb: f64,
    monthly_usd: f64,
    autoscaling: bool,
    provenance: Provenance,
) -> DynoType {
    DynoType {
        id: Cow::Borrowed(id),
        vcpus,
        cpu_share,
        memory_gb,
        monthly_usd,
        pool_hours: None,
        autoscaling,
        sleeps: false,
        provenance,
    }
}

/// A Common Runtime dyno on a shared host: one slot at `units` of Heroku's compute rating.
const fn shared(id: &'static str, units: f64, memory_gb: f64, monthly_usd: f64) -> DynoType {
    billed_per_dyno(id, 1, units / UNITS_PER_VCPU, memory_gb, monthly_usd, false, HEROKU)
}

/// A Performance dyno: dedicated vCPUs at full speed, may autoscale.
const fn performance(id: &'static str, vcpus: u32, memory_gb: f64, monthly_usd: f64) -> DynoType {
    billed_per_dyno(id, vcpus, 1.0, memory_gb, monthly_usd, true, HEROKU)
}

/// A Fir dyno (`dyno-<vCPUs>c-<GB>gb`): dedicated vCPUs at full speed, no autoscaling yet.
const fn fir(id: &'static str, vcpus: u32, memory_gb: f64, monthly_usd: f64) -> DynoType {
    billed_per_dyno(id, vcpus, 1.0, memory_gb, monthly_usd, false, FIR)
}

/// Every built-in dyno type.
pub const DYNOS: &[DynoType] = &[
    DynoType {
        id: Cow::Borrowed("eco"),
        vcpus: 1,
        cpu_share: 2.5 / UNITS_PER_VCPU,
        memory_gb: 0.5,
        monthly_usd: 5.0,
        pool_hours: Some(1_000.0),
        autoscaling: false,
        sleeps: true,
        provenance: ECO,
    },
    // Compute 1x-4x and 2x-8x: the midpoints 2.5x and 5x.
    shared("basic", 2.5, 0.5, 7.0),
    shared("standard-1x", 2.5, 0.5, 25.0),
    shared("standard-2x", 5.0, 1.0, 50.0),
    performance("performance-m", 2, 2.5, 250.0),
    performance("performance-l", 8, 14.0, 500.0),
    performance("performance-l-ram", 4, 30.0, 500.0),
    performance("performance-xl", 8, 62.0, 750.0),
    performance("performance-2xl", 16, 126.0, 1_500.0),
    fir("dyno-1c-0.5gb", 1, 0.5, 25.0),
    fir("dyno-1c-4gb", 1, 4.0, 80.0),
    fir("dyno-1c-8gb", 1, 8.0, 100.0),
    fir("dyno-2c-1gb", 2, 1.0, 50.0),
    fir("dyno-2c-4gb", 2, 4.0, 150.0),
    fir("dyno-2c-8gb", 2, 8.0, 160.0),
    fir("dyno-2c-16gb", 2, 16.0, 250.0),
    fir("dyno-4c-8gb", 4, 8.0, 300.0),
    fir("dyno-4c-16gb", 4, 16.0, 320.0),
    fir("dyno-4c-32gb", 4, 32.0, 500.0),
    fir("dyno-8c-16gb", 8, 16.0, 600.0),
    fir("dyno-8c-32gb", 8, 32.0, 640.0),
    fir("dyno-8c-64gb", 8, 64.0, 750.0),
    fir("dyno-16c-32gb", 16, 32.0, 1_200.0),
    fir("dyno-16c-64gb", 16, 64.0, 1_000.0),
    fir("dyno-16c-128gb", 16, 128.0, 1_500.0),
    fir("dyno-32c-64gb", 32, 64.0, 2_400.0),
];

/// The built-in dyno type with this id (case-insensitive), e.g. "Performance-M".
pub fn dyno(id: &str) -> Option<&'static DynoType> {
    DYNOS.iter().find(|d| d.id.eq_ignore_ascii_case(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dynos_as_documented() {
        let m = dyno("Performance-M").unwrap();
        assert_eq!((m.vcpus, m.monthly_usd, m.memory_gb, m.autoscaling), (2, 250.0, 2.5, true));
        // standard-2x: compute 2x–8x, midpoint 5x; 6x per vCPU.
        assert!((dyno("standard-2x").unwrap().effective_vcpus() - 0.8333).abs() < 1e-3);
        assert!(DYNOS.iter().filter(|d| d.autoscaling).all(|d| d.id.starts_with("performance")));
        let row = |id: &str| dyno(id).map(|d| (d.vcpus, d.monthly_usd, d.memory_gb));
        assert_eq!(row("eco"), Some((1, 5.0, 0.5)));
        assert_eq!(row("basic"), Some((1, 7.0, 0.5)));
        assert_eq!(row("standard-1x"), Some((1, 25.0, 0.5)));
        assert_eq!(row("standard-2x"), Some((1, 50.0, 1.0)));
        assert_eq!(row("performance-l"), Some((8, 500.0, 14.0)));
        let sleepers: Vec<&str> = DYNOS.iter().filter(|d| d.sleeps).map(|d| d.id.as_ref()).collect();
        assert_eq!(sleepers, ["eco"]);
        let pools: Vec<(&str, Option<f64>)> =
            DYNOS.iter().filter(|d| d.pool_hours.is_some()).map(|d| (d.id.as_ref(), d.pool_hours)).collect();
        assert_eq!(pools, [("eco", Some(1_000.0))]);
        assert!(DYNOS.iter().all(|d| d.cpu_share > 0.0 && d.cpu_share <= 1.0 && !d.provenance.date.is_empty()));
    }

    #[test]
    fn the_2026_list_of_performance_and_fir_sizes() {
        // heroku_dyno_prices_2026-09-06.csv (Heroku CLI 11.10.0): Performance-L-RAM $500,
        // -XL $750, -2XL $1,500; memory 30 / 62 / 126 GB (dyno-types, 2024-06-04);
        // 4 / 8 / 16 vCPUs (help.heroku.com/88G3XLA6).
        let row = |id: &str| dyno(id).map(|d| (d.vcpus, d.cpu_share, d.memory_gb, d.monthly_usd, d.autoscaling));
        assert_eq!(row("Performance-L-RAM"), Some((4, 1.0, 30.0, 500.0, true)));
        assert_eq!(row("performance-xl"), Some((8, 1.0, 62.0, 750.0, true)));
        assert_eq!(row("performance-2xl"), Some((16, 1.0, 126.0, 1_500.0, true)));
        // The 17 Fir sizes (the issue says 16; the CLI lists 17), at the CLI's monthly price.
        let fir = [
            ("dyno-1c-0.5gb", 25.0),
            ("dyno-1c-4gb", 80.0),
            ("dyno-1c-8gb", 100.0),
            ("dyno-2c-1gb", 50.0),
            ("dyno-2c-4gb", 150.0),
            ("dyno-2c-8gb", 160.0),
            ("dyno-2c-16gb", 250.0),
            ("dyno-4c-8gb", 300.0),
            ("dyno-4c-16gb", 320.0),
            ("dyno-4c-32gb", 500.0),
            ("dyno-8c-16gb", 600.0),
            ("dyno-8c-32gb", 640.0),
            ("dyno-8c-64gb", 750.0),
            ("dyno-16c-32gb", 1_200.0),
            ("dyno-16c-64gb", 1_000.0),
            ("dyno-16c-128gb", 1_500.0),
            ("dyno-32c-64gb", 2_400.0),
        ];
        assert_eq!(DYNOS.iter().filter(|d| d.id.starts_with("dyno-")).count(), fir.len());
        for (id, usd) in fir {
            // The size name gives vCPUs and memory: dyno-16c-128gb is 16 vCPUs and 128 GB.
            let (c, gb) = id["dyno-".len()..].trim_end_matches("gb").split_once("c-").unwrap();
            let d = dyno(id).unwrap();
            assert_eq!((d.vcpus, d.memory_gb, d.monthly_usd), (c.parse().unwrap(), gb.parse().unwrap(), usd), "{id}");
            assert!(d.cpu_share == 1.0 && !d.autoscaling && !d.sleeps && d.pool_hours.is_none(), "{id}");
            assert_eq!(d.provenance.date, "2026-09-06");
        }
    }
}
