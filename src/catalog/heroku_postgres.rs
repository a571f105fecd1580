//! Heroku Postgres plans: monthly price, vCPUs, memory, storage and the
//! connection limit of each plan (Essential, Standard, Premium). The
//! `[[database]]` tier's PaaS kind reads these.

use std::sync::OnceLock;

use super::Provenance;
use super::embedded::rows;

/// `plan,tier,usd_per_month,vcpu,ram_gb,storage_gb,connection_limit,provisioned_iops,high_availability,source_date`.
const CSV: &str = include_str!("../../data/heroku_postgres_plans_2026-02-25.csv");

/// Where the figures come from.
pub const PROVENANCE: Provenance = Provenance::builtin(
    "prices, vCPUs, disk: Render's restatement of Heroku's list prices (render-oss/skills \
     skills/render-migrate-from-heroku/references/service-mapping.md, commit e0e908a3); memory and \
     connection limits: Heroku Dev Center, Heroku Postgres Production Tier Technical Characterization \
     (2023-04-12); Essential connection limits from hand-kept tables (low confidence)",
    "2026-02-25",
);

/// One plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// E.g. `standard-0`.
    pub name: &'static str,
    /// `essential`, `standard` or `premium`.
    pub tier: &'static str,
    pub usd_per_month: f64,
    /// Not published for the Essential plans (shared servers).
    pub vcpus: Option<f64>,
    pub memory_gb: Option<f64>,
    pub storage_gb: f64,
    pub connection_limit: u32,
    /// Premium plans keep a standby (high availability).
    pub high_availability: bool,
}

/// Every plan, cheapest tier first as listed (read once).
pub fn plans() -> &'static [Plan] {
    static PLANS: OnceLock<Vec<Plan>> = OnceLock::new();
    PLANS.get_or_init(|| {
        rows(CSV)
            .filter_map(|f| {
                Some(Plan {
                    name: f.first()?,
                    tier: f.get(1)?,
                    usd_per_month: f.get(2)?.parse().ok()?,
                    vcpus: f.get(3)?.parse().ok(),
                    memory_gb: f.get(4)?.parse().ok(),
                    storage_gb: f.get(5)?.parse().ok()?,
                    connection_limit: f.get(6)?.parse().ok()?,
                    high_availability: *f.get(8)? == "yes",
                })
            })
            .collect()
    })
}

/// The plan called `name`.
pub fn plan(name: &str) -> Option<&'static Plan> {
    plans().iter().find(|p| p.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_plan_parses_with_its_limits() {
        assert_eq!(plans().len(), 21, "every row parses");
        // Standard-0: $50 a month, 2 vCPUs, 4 GB, 64 GB of disk, 120 connections.
        let s0 = plan("standard-0").unwrap();
        assert_eq!((s0.usd_per_month, s0.vcpus, s0.memory_gb, s0.storage_gb), (50.0, Some(2.0), Some(4.0), 64.0));
        assert_eq!((s0.connection_limit, s0.high_availability), (120, false));
        // Premium shares Standard's specs, keeps a standby and costs more.
        let p4 = plan("premium-4").unwrap();
        let s4 = plan("standard-4").unwrap();
        assert_eq!((p4.vcpus, p4.connection_limit, p4.high_availability), (s4.vcpus, 500, true));
        assert!(p4.usd_per_month > s4.usd_per_month);
        // Essential plans publish no vCPUs.
        assert_eq!(plan("essential-0").unwrap().vcpus, None);
        assert!(plan("hobby-dev").is_none());
    }
}
