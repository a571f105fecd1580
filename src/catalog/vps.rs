//! VPS plans: vCPUs, price per started hour and the monthly cap. Linode
//! lists both prices; DigitalOcean's hourly price is its monthly price / 672.
//! Where the provider publishes it, a plan's monthly transfer allowance and
//! the price of the overage beyond it.

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
    /// Outbound transfer included, if the provider's allowance for the plan is sourced.
    pub transfer: Option<Transfer>,
}

/// A plan's outbound transfer allowance: per instance, accruing with the
/// hours it exists, pooled over the account; the overage is billed per GB.
#[derive(Clone, Debug, PartialEq)]
pub struct Transfer {
    /// GB (2^30 bytes) per instance per month.
    pub gb_per_month: f64,
    /// Hours of a month after which the whole allowance has accrued
    /// (Linode: the 730-hour month; DigitalOcean: 672 h).
    pub full_after_hours: f64,
    /// Per GB beyond the pooled allowance.
    pub overage_usd_per_gb: f64,
    /// Linode charges more for overage in São Paulo (and Jakarta, not a hostsim region).
    pub sao_paulo_overage_usd_per_gb: Option<f64>,
    pub provenance: Provenance,
}

/// 1 TB of a provider's allowance in GB (2^30 bytes), as AWS counts.
const TB: f64 = 1024.0;

const LINODE_TRANSFER: Provenance = Provenance::builtin(
    "allowance per plan: linode/docs upcoming-pricing-changes-april-2023 (stored version 177f69ca, prices from \
     2023-04-01); proration, pooling and overage ($0.005/GB, São Paulo $0.007): linode/docs \
     products/platform/get-started/guides/network-transfer (modified 2023-10-25)",
    "2023-10-25",
);
const DO_TRANSFER: Provenance = Provenance::builtin(
    "allowance: fuzzbuster/ec2instances.info digitalocean/scrape_test.go (commit 5312498a; DigitalOcean pricing page \
     transferQuota, secondary source); overage $0.01/GiB, pooled: docs.digitalocean.com/products/droplets/details/\
     pricing (validated 2025-04-22); accrues per hour up to 672 h a month: DigitalOcean droplets overview (older docs)",
    "2025-04-22",
);

const fn linode(tb: f64) -> Option<Transfer> {
    Some(Transfer {
        gb_per_month: tb * TB,
        full_after_hours: crate::time::HOURS_PER_MONTH as f64,
        overage_usd_per_gb: 0.005,
        sao_paulo_overage_usd_per_gb: Some(0.007),
        provenance: LINODE_TRANSFER,
    })
}

const fn digitalocean(gib: f64) -> Option<Transfer> {
    Some(Transfer {
        gb_per_month: gib,
        full_after_hours: 672.0,
        overage_usd_per_gb: 0.01,
        sao_paulo_overage_usd_per_gb: None,
        provenance: DO_TRANSFER,
    })
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
        transfer: linode(1.0),
        provenance: LINODE,
    },
    VpsPlan {
        id: Cow::Borrowed("linode-2gb"),
        provider: Cow::Borrowed("Linode"),
        vcpus: 1,
        memory_gb: 2.0,
        monthly_usd: 12.0,
        hourly_usd: 0.018,
        transfer: linode(2.0),
        provenance: LINODE,
    },
    VpsPlan {
        id: Cow::Borrowed("linode-4gb"),
        provider: Cow::Borrowed("Linode"),
        vcpus: 2,
        memory_gb: 4.0,
        monthly_usd: 24.0,
        hourly_usd: 0.036,
        transfer: linode(4.0),
        provenance: LINODE,
    },
    VpsPlan {
        id: Cow::Borrowed("linode-8gb"),
        provider: Cow::Borrowed("Linode"),
        vcpus: 4,
        memory_gb: 8.0,
        monthly_usd: 48.0,
        hourly_usd: 0.072,
        transfer: linode(5.0),
        provenance: LINODE,
    },
    VpsPlan {
        id: Cow::Borrowed("linode-dedicated-4gb"),
        provider: Cow::Borrowed("Linode (dedicated CPU)"),
        vcpus: 2,
        memory_gb: 4.0,
        monthly_usd: 36.0,
        hourly_usd: 0.054,
        transfer: linode(4.0),
        provenance: LINODE,
    },
    VpsPlan {
        id: Cow::Borrowed("do-s-1vcpu-512mb"),
        provider: Cow::Borrowed("DigitalOcean Basic"),
        vcpus: 1,
        memory_gb: 0.5,
        monthly_usd: 4.0,
        hourly_usd: 0.00595,
        transfer: None,
        provenance: DO_SMALL,
    },
    VpsPlan {
        id: Cow::Borrowed("do-s-1vcpu-1gb"),
        provider: Cow::Borrowed("DigitalOcean Basic"),
        vcpus: 1,
        memory_gb: 1.0,
        monthly_usd: 6.0,
        hourly_usd: 0.00893,
        transfer: digitalocean(1000.0),
        provenance: DO_SMALL,
    },
    VpsPlan {
        id: Cow::Borrowed("do-s-2vcpu-4gb"),
        provider: Cow::Borrowed("DigitalOcean Basic"),
        vcpus: 2,
        memory_gb: 4.0,
        monthly_usd: 24.0,
        hourly_usd: 0.03571,
        transfer: digitalocean(4000.0),
        provenance: DO_API,
    },
    VpsPlan {
        id: Cow::Borrowed("do-s-4vcpu-8gb"),
        provider: Cow::Borrowed("DigitalOcean Basic"),
        vcpus: 4,
        memory_gb: 8.0,
        monthly_usd: 48.0,
        hourly_usd: 0.07143,
        transfer: None,
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

    #[test]
    fn sourced_allowances() {
        let gb = |id: &str| plan(id).and_then(|p| p.transfer.as_ref()).map(|t| (t.gb_per_month, t.overage_usd_per_gb));
        // Linode 4 GB: 4 TB = 4 × 1,024 GB; Linode 8 GB: 5 TB.
        assert_eq!(gb("linode-4gb"), Some((4096.0, 0.005)));
        assert_eq!(gb("linode-8gb"), Some((5120.0, 0.005)));
        // DigitalOcean $6 and $24: 1,000 and 4,000 GiB; the others are not verified.
        assert_eq!(gb("do-s-1vcpu-1gb"), Some((1000.0, 0.01)));
        assert_eq!(gb("do-s-2vcpu-4gb"), Some((4000.0, 0.01)));
        assert_eq!((gb("do-s-1vcpu-512mb"), gb("do-s-4vcpu-8gb")), (None, None));
        assert_eq!(plan("do-s-1vcpu-1gb").and_then(|p| p.transfer.as_ref()).map(|t| t.full_after_hours), Some(672.0));
    }
}
