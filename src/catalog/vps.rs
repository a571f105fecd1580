//! VPS plans: vCPUs, price per started hour and the monthly cap. Linode
//! lists both prices; DigitalOcean's hourly price is its monthly price / 672.

use std::borrow::Cow;

use super::{Provenance, Text};

/// One VPS plan.
#[derive(Clone, Debug, PartialEq)]
pub struct VpsPlan {
    /// The `plan` key's value (lower case).
    pub id: Text,
    pub provider: Text,
    pub vcpus: u32,
    pub memory_gb: f64,
    /// Monthly cap per instance (per 730 h).
    pub monthly_usd: f64,
    /// Price per started hour.
    pub hourly_usd: f64,
    pub provenance: Provenance,
}

const LINODE: Provenance = Provenance::builtin(
    "linode.com/pricing as captured in fernandobandeira/djinn harvested/research/2025-08-19_deep_research_linode_vps_hosting_pricing_and_specifications_17bc5d.md (commit 2974b7a6)",
    "2025-08-19",
);
const DO_SMALL: Provenance =
    Provenance::builtin("cloudtoolstack.com/learn/do-droplets-guide (secondary source)", "2026-03-14");
const DO_API: Provenance = Provenance::builtin(
    "test fixtures mirroring the DigitalOcean /v2/sizes API (secondary source; no official page capture)",
    "2026",
);

/// Every built-in plan.
pub const PLANS: &[VpsPlan] = &[
    VpsPlan {
        id: Cow::Borrowed("linode-1gb"),
        provider: Cow::Borrowed("Linode (Nanode 1 GB)"),
        vcpus: 1,
        memory_gb: 1.0,
        monthly_usd: 5.0,
        hourly_usd: 0.0075,
        provenance: LINODE,
    },
    VpsPlan {
        id: Cow::Borrowed("linode-2gb"),
        provider: Cow::Borrowed("Linode"),
        vcpus: 1,
        memory_gb: 2.0,
        monthly_usd: 12.0,
        hourly_usd: 0.018,
        provenance: LINODE,
    },
    VpsPlan {
        id: Cow::Borrowed("linode-4gb"),
        provider: Cow::Borrowed("Linode"),
        vcpus: 2,
        memory_gb: 4.0,
        monthly_usd: 24.0,
        hourly_usd: 0.036,
        provenance: LINODE,
    },
    VpsPlan {
        id: Cow::Borrowed("linode-8gb"),
        provider: Cow::Borrowed("Linode"),
        vcpus: 4,
        memory_gb: 8.0,
        monthly_usd: 48.0,
        hourly_usd: 0.072,
        provenance: LINODE,
    },
    VpsPlan {
        id: Cow::Borrowed("linode-dedicated-4gb"),
        provider: Cow::Borrowed("Linode (dedicated CPU)"),
        vcpus: 2,
        memory_gb: 4.0,
        monthly_usd: 36.0,
        hourly_usd: 0.054,
        provenance: LINODE,
    },
    VpsPlan {
        id: Cow::Borrowed("do-s-1vcpu-512mb"),
        provider: Cow::Borrowed("DigitalOcean Basic"),
        vcpus: 1,
        memory_gb: 0.5,
        monthly_usd: 4.0,
        hourly_usd: 0.00595,
        provenance: DO_SMALL,
    },
    VpsPlan {
        id: Cow::Borrowed("do-s-1vcpu-1gb"),
        provider: Cow::Borrowed("DigitalOcean Basic"),
        vcpus: 1,
        memory_gb: 1.0,
        monthly_usd: 6.0,
        hourly_usd: 0.00893,
        provenance: DO_SMALL,
    },
    VpsPlan {
        id: Cow::Borrowed("do-s-2vcpu-4gb"),
        provider: Cow::Borrowed("DigitalOcean Basic"),
        vcpus: 2,
        memory_gb: 4.0,
        monthly_usd: 24.0,
        hourly_usd: 0.03571,
        provenance: DO_API,
    },
    VpsPlan {
        id: Cow::Borrowed("do-s-4vcpu-8gb"),
        provider: Cow::Borrowed("DigitalOcean Basic"),
        vcpus: 4,
        memory_gb: 8.0,
        monthly_usd: 48.0,
        hourly_usd: 0.07143,
        provenance: DO_API,
    },
];

/// The plan with this id (case-insensitive).
pub fn plan(id: &str) -> Option<&'static VpsPlan> {
    PLANS.iter().find(|p| p.id.eq_ignore_ascii_case(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_plan_has_a_source_a_date_and_a_unique_id() {
        for (i, p) in PLANS.iter().enumerate() {
            assert!(!p.provenance.source.is_empty() && !p.provenance.date.is_empty(), "{}", p.id);
            assert!(p.vcpus > 0 && p.monthly_usd > 0.0, "{}", p.id);
            assert!(PLANS[..i].iter().all(|q| q.id != p.id), "duplicate {}", p.id);
        }
        assert_eq!(plan("Linode-4GB").map(|p| (p.vcpus, p.monthly_usd)), Some((2, 24.0)));
    }
}
