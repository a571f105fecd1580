//! Heroku Common Runtime dyno types: price per month, memory, CPU and
//! whether they may autoscale.
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
    "prices: devcenter.heroku.com/articles/usage-and-billing (Basic also 2024-10-11); memory and compute: \
     devcenter.heroku.com/articles/dyno-types (2024-06-04); vCPUs (nproc): help.heroku.com/88G3XLA6 (undated); \
     autoscaling on Performance only: devcenter.heroku.com/articles/autoscaling (2024-12-03)",
    "2023-02-06",
);
const ECO: Provenance = Provenance::builtin(
    "devcenter.heroku.com/articles/usage-and-billing and /dyno-tiers: $5 per month for a pool of 1,000 dyno-hours \
     shared by all Eco dynos of an account; sleeps when idle; all sleep when the pool is used up, until the month \
     ends: /articles/eco-dyno-hours; memory and compute: /articles/dyno-types (2024-06-04)",
    "2023-02-06",
);

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
    DynoType {
        id: Cow::Borrowed("basic"),
        vcpus: 1,
        cpu_share: 2.5 / UNITS_PER_VCPU,
        memory_gb: 0.5,
        monthly_usd: 7.0,
        pool_hours: None,
        autoscaling: false,
        sleeps: false,
        provenance: HEROKU,
    },
    DynoType {
        id: Cow::Borrowed("standard-1x"),
        vcpus: 1,
        cpu_share: 2.5 / UNITS_PER_VCPU,
        memory_gb: 0.5,
        monthly_usd: 25.0,
        pool_hours: None,
        autoscaling: false,
        sleeps: false,
        provenance: HEROKU,
    },
    DynoType {
        id: Cow::Borrowed("standard-2x"),
        vcpus: 1,
        cpu_share: 5.0 / UNITS_PER_VCPU,
        memory_gb: 1.0,
        monthly_usd: 50.0,
        pool_hours: None,
        autoscaling: false,
        sleeps: false,
        provenance: HEROKU,
    },
    DynoType {
        id: Cow::Borrowed("performance-m"),
        vcpus: 2,
        cpu_share: 1.0,
        memory_gb: 2.5,
        monthly_usd: 250.0,
        pool_hours: None,
        autoscaling: true,
        sleeps: false,
        provenance: HEROKU,
    },
    DynoType {
        id: Cow::Borrowed("performance-l"),
        vcpus: 8,
        cpu_share: 1.0,
        memory_gb: 14.0,
        monthly_usd: 500.0,
        pool_hours: None,
        autoscaling: true,
        sleeps: false,
        provenance: HEROKU,
    },
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
}
