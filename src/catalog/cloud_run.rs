//! Google Cloud Run request-based billing rates (tiers 1 and 2), its free
//! tier and which regions are in which tier, with their source.

use std::sync::OnceLock;

use super::Provenance;
use super::embedded::rows;

/// `generation,kind,key,tier,unit,value,source_date`.
const CSV: &str = include_str!("../../data/gcp_cloud_run_rates_2026-10-28.csv");

pub const PROVENANCE: Provenance = Provenance::builtin(
    "cloud.google.com/run/pricing as transcribed in npm firebase-tools 15.34.2 \
     (lib/deploy/functions/pricing.js)",
    "2026-10-28",
);
/// Each busy period is rounded up to 100 ms.
pub const GRANULARITY_SOURCE: Provenance =
    Provenance::builtin("cloud.google.com/run/pricing (stored page capture)", "undated (current in 2026-12)");

/// One tier's rates (request-based billing).
#[derive(Clone, Debug, PartialEq)]
pub struct CloudRunRates {
    pub tier: u8,
    pub usd_per_vcpu_s: f64,
    pub usd_per_gib_s: f64,
    /// vCPU of an idle minimum instance.
    pub idle_usd_per_vcpu_s: f64,
    pub usd_per_request: f64,
}

/// The free tier per billing account and month.
#[derive(Clone, Debug, PartialEq)]
pub struct FreeTier {
    pub requests: f64,
    pub vcpu_s: f64,
    pub gib_s: f64,
}

struct Table {
    rates: Vec<CloudRunRates>,
    free: FreeTier,
    regions: Vec<(&'static str, u8)>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = Table {
            rates: (1..=2)
                .map(|tier| CloudRunRates {
                    tier,
                    usd_per_vcpu_s: f64::NAN,
                    usd_per_gib_s: f64::NAN,
                    idle_usd_per_vcpu_s: f64::NAN,
                    usd_per_request: f64::NAN,
                })
                .collect(),
            free: FreeTier { requests: f64::NAN, vcpu_s: f64::NAN, gib_s: f64::NAN },
            regions: Vec::new(),
        };
        for f in rows(CSV) {
            let (Some(&kind), Some(&key), Some(&tier), Some(value)) = (f.get(1), f.get(2), f.get(3), f.get(5)) else {
                continue;
            };
            let value: f64 = value.parse().unwrap_or(f64::NAN);
            let tier_index = tier.parse::<usize>().ok().map(|t| t.saturating_sub(1));
            match (kind, key, tier_index) {
                ("rate", "invocations", _) => t.rates.iter_mut().for_each(|r| r.usd_per_request = value),
                ("rate", "vCpu", Some(i)) => t.rates[i].usd_per_vcpu_s = value,
                ("rate", "memoryGb", Some(i)) => t.rates[i].usd_per_gib_s = value,
                ("rate", "idleVCpu", Some(i)) => t.rates[i].idle_usd_per_vcpu_s = value,
                ("free_tier", "invocations", _) => t.free.requests = value,
                ("free_tier", "vCpu", _) => t.free.vcpu_s = value,
                ("free_tier", "memoryGb", _) => t.free.gib_s = value,
                ("region_tier", region, Some(i)) => t.regions.push((region, i as u8 + 1)),
                _ => {}
            }
        }
        t
    })
}

/// The rates of tier 1 or 2.
pub fn rates(tier: u8) -> &'static CloudRunRates {
    &table().rates[usize::from(tier.clamp(1, 2)) - 1]
}

/// The free tier (request-based billing).
pub fn free_tier() -> &'static FreeTier {
    &table().free
}

/// Every region with its tier, in the file's order.
pub fn regions() -> &'static [(&'static str, u8)] {
    &table().regions
}

/// The tier of a Cloud Run region, if the table lists it.
pub fn tier(region: &str) -> Option<u8> {
    regions().iter().find(|(r, _)| r.eq_ignore_ascii_case(region)).map(|(_, t)| *t)
}

/// The Cloud Run region in or nearest each built-in city (our choice: the
/// same metro where Google has one, else the nearest).
pub const CITY_REGION: &[(&str, &str)] = &[
    ("washington", "us-east4"),
    ("dallas", "us-south1"),
    ("toronto", "northamerica-northeast2"),
    ("montreal", "northamerica-northeast1"),
    ("sao_paulo", "southamerica-east1"),
    ("london", "europe-west2"),
    ("frankfurt", "europe-west3"),
    ("madrid", "europe-southwest1"),
    ("tokyo", "asia-northeast1"),
    ("osaka", "asia-northeast2"),
    ("sydney", "australia-southeast1"),
    ("mumbai", "asia-south1"),
    ("chennai", "asia-south1"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_tiers_the_free_tier_and_the_regions() {
        let t1 = rates(1);
        assert_eq!((t1.usd_per_vcpu_s, t1.usd_per_gib_s, t1.idle_usd_per_vcpu_s), (0.000024, 0.0000025, 0.0000025));
        assert_eq!(t1.usd_per_request, 0.0000004);
        let t2 = rates(2);
        assert_eq!((t2.usd_per_vcpu_s, t2.usd_per_gib_s, t2.idle_usd_per_vcpu_s), (0.0000336, 0.0000035, 0.0000035));
        assert_eq!(*free_tier(), FreeTier { requests: 2_000_000.0, vcpu_s: 180_000.0, gib_s: 360_000.0 });
        assert_eq!(regions().len(), 40);
        assert_eq!((tier("us-central1"), tier("europe-west2"), tier("mars1")), (Some(1), Some(2), None));
        assert!(
            CITY_REGION.iter().all(|(city, r)| tier(r).is_some() && crate::network::canonical_region(city).is_some())
        );
    }
}
