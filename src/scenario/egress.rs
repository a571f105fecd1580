//! An option's egress rule: `egress_usd_per_gb` (a flat price per GB),
//! `bandwidth = { … }` (bare metal: a percentile of Mbps per month), or the
//! default of its kind and region: AWS's internet tiers for cloud instances
//! in an AWS region, a VPS plan's transfer allowance, otherwise free.

use super::error::Diag;
use super::node::compact;
use super::reader::{Bounds, Field, Table};
use super::spec::{Key, Type};
use crate::catalog::egress::{self as tiers, FREE_GB_PER_MONTH, TIER_UPPER_GB};
use crate::catalog::{Catalog, vps::Transfer};
use crate::model::{Allowance, Bandwidth, Egress, Kind, Provider, Tiered, Vps};

/// The keys of `bandwidth = { … }`.
pub const BANDWIDTH_KEYS: &[Key] = &[
    Key::new("usd_per_mbps_month", Type::Number, "price per Mbps of the month's percentile")
        .unit("USD")
        .default("required"),
    Key::new("percentile", Type::Number, "in (0, 100]: the percentile of the month's 5-minute mean Mbps").default("95"),
];
/// The colocation norm: the top 5 % of a month's samples are not billed.
pub const DEFAULT_PERCENTILE: f64 = 95.0;

/// Where the option is, as its egress rule needs it.
pub struct Region<'a> {
    /// The `region` key, for messages.
    pub field: &'a Field<'a>,
    /// The canonical region (a city or a custom name).
    pub region: &'a str,
    pub aws_region: Option<&'a str>,
}

/// Reads the egress rule of option `t` of kind `kind`.
pub fn read(t: &Table, kind: &Kind, place: &Region, catalog: &Catalog) -> Result<Egress, Diag> {
    let flat = t.get("egress_usd_per_gb");
    match (flat, t.get("bandwidth")) {
        (Some(_), Some(b)) => Err(b
            .error("give either bandwidth (a percentile of Mbps per month) or egress_usd_per_gb (per GB), not both")
            .hint("colocation bills bandwidth; egress_usd_per_gb is a price per GB of 2^30 bytes")),
        (Some(f), None) => Ok(Egress::Flat { usd_per_gb: f.number(Bounds::NONNEG)? }),
        (None, Some(b)) => bandwidth(&b).map(Egress::Percentile),
        (None, None) => match kind {
            Kind::Iaas(_) | Kind::Hybrid(_) => aws_tiers(place),
            Kind::Vps(v) => Ok(vps_allowance(v, place.region, catalog).unwrap_or(FREE)),
            Kind::Serverless(s) if s.provider == Provider::Lambda => aws_tiers(place),
            // Google's egress prices are not in the catalog.
            Kind::BareMetal(_) | Kind::Paas(_) | Kind::Serverless(_) => Ok(FREE),
        },
    }
}

/// No charge (the default where no price is sourced).
const FREE: Egress = Egress::Flat { usd_per_gb: 0.0 };

/// `bandwidth = { usd_per_mbps_month = 0.5, percentile = 95 }`.
fn bandwidth(f: &Field) -> Result<Bandwidth, Diag> {
    let b = f.table(BANDWIDTH_KEYS)?;
    Ok(Bandwidth {
        usd_per_mbps_month: b.require("usd_per_mbps_month", "usd_per_mbps_month = 0.5")?.number(Bounds::NONNEG)?,
        percentile: b.number_or("percentile", DEFAULT_PERCENTILE, Bounds::open_closed(0.0, 100.0))?,
    })
}

/// AWS's internet tiers in the option's AWS region, or an error asking for a price.
fn aws_tiers(place: &Region) -> Result<Egress, Diag> {
    let written = place.field.str()?;
    let Some(aws) = place.aws_region else {
        return Err(place
            .field
            .error(format!(
                "no AWS data-transfer prices for region \"{written}\" (it is not an AWS region); give egress_usd_per_gb"
            ))
            .hint(format!(
                "egress_usd_per_gb = 0.09 prices every GB (2^30 bytes) served, 0 makes egress free; or {}",
                super::aws_region::instead(written)
            )));
    };
    let Some(r) = tiers::region(aws) else {
        // The commercial regions with tiers, in the order hostsim lists AWS regions.
        let known: Vec<&str> = crate::network::aws_regions().filter(|a| tiers::region(a).is_some()).collect();
        return Err(place
            .field
            .error(format!("no AWS data-transfer prices for {aws} in the catalog; give egress_usd_per_gb"))
            .hint(format!(
                "egress_usd_per_gb = 0.09 prices every GB (2^30 bytes) served; regions with tiers: {}",
                known.join(", ")
            )));
    };
    let prices: Vec<String> = r.usd_per_gb.iter().map(|p| compact(*p)).collect();
    Ok(Egress::Tiered(Tiered {
        what: format!(
            "AWS {aws} internet egress: {} GB free a month, then {} USD/GB (first 10 TB, next 40, next 100, over 150 TB)",
            compact(FREE_GB_PER_MONTH),
            prices.join(" / ")
        ),
        free: Allowance::PerMonth { gb: FREE_GB_PER_MONTH },
        tiers: TIER_UPPER_GB.into_iter().zip(r.usd_per_gb).collect(),
    }))
}

/// A catalog plan's allowance, pooled over the option's instances, if sourced.
fn vps_allowance(v: &Vps, region: &str, catalog: &Catalog) -> Option<Egress> {
    let plan = catalog.vps_plan(v.plan.as_deref()?)?;
    let Transfer { gb_per_month, full_after_hours, overage_usd_per_gb, sao_paulo_overage_usd_per_gb, .. } =
        plan.transfer?;
    let overage = match sao_paulo_overage_usd_per_gb {
        Some(p) if region == "sao_paulo" => p,
        _ => overage_usd_per_gb,
    };
    let gb = f64::from(v.instances) * gb_per_month;
    Some(Egress::Tiered(Tiered {
        what: format!(
            "plan {} transfer: {} GB a month per instance × {}, pooled, then {} USD/GB",
            plan.id,
            compact(gb_per_month),
            v.instances,
            compact(overage)
        ),
        free: Allowance::Accrued { gb, full_after_hours },
        tiers: vec![(f64::INFINITY, overage)],
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::test_option::parse_option;

    fn egress(lines: &str) -> Egress {
        parse_option(&format!("name = \"web\"\n{lines}")).unwrap_or_else(|e| panic!("{e}")).egress
    }

    fn tiered(e: Egress) -> Tiered {
        match e {
            Egress::Tiered(t) => t,
            other => panic!("not tiered: {other:?}"),
        }
    }

    const BURST: &str =
        "burst = { instance = \"m5.large\", autoscaling = { policy = \"target_tracking\", target = 0.6, max = 4 } }";

    #[test]
    fn each_kind_gets_its_default() {
        // iaas in London: eu-west-2's tiers, 100 GB free.
        let t = tiered(egress("kind = \"iaas\"\nregion = \"london\"\ninstance = \"m5.large\"\ninitial = 1"));
        assert!(t.what.starts_with("AWS eu-west-2 internet egress"), "{}", t.what);
        assert_eq!(t.free, Allowance::PerMonth { gb: 100.0 });
        assert_eq!(t.tiers[0], (10_240.0, 0.09));
        // A hybrid's whole egress: its region's AWS tiers (washington: us-east-1).
        let t = tiered(egress(&format!(
            "kind = \"hybrid\"\nregion = \"washington\"\nbaseline = {{ kind = \"vps\", instances = 1, plan = \"linode-4gb\" }}\n{BURST}"
        )));
        assert!(t.what.starts_with("AWS us-east-1"), "{}", t.what);
        // 3 × Linode 4 GB: 3 × 4,096 GB pooled, accruing over the 730-h month, then $0.005.
        let t = tiered(egress("kind = \"vps\"\nregion = \"london\"\ninstances = 3\nplan = \"linode-4gb\""));
        assert_eq!(t.free, Allowance::Accrued { gb: 12_288.0, full_after_hours: 730.0 });
        assert_eq!(t.tiers, vec![(f64::INFINITY, 0.005)]);
        // A plan without a sourced allowance, a hand-made VPS, a dyno, a server: free.
        let free = Egress::Flat { usd_per_gb: 0.0 };
        assert_eq!(egress("kind = \"vps\"\nregion = \"london\"\ninstances = 1\nplan = \"do-s-4vcpu-8gb\""), free);
        assert_eq!(egress("kind = \"vps\"\nregion = \"london\"\ninstances = 1\nvcpus = 2\nmonthly_usd = 10"), free);
        assert_eq!(egress("kind = \"paas\"\nregion = \"washington\"\ndyno = \"standard-1x\""), free);
        assert_eq!(egress("kind = \"bare_metal\"\nregion = \"washington\"\nservers = 1\ncores = 4"), free);
    }

    #[test]
    fn given_prices_override() {
        // A flat price wins, even where AWS has no tiers (eu-south-2) or none apply (dallas).
        let flat = Egress::Flat { usd_per_gb: 0.02 };
        let iaas = "kind = \"iaas\"\ninstance = \"m5.large\"\ninitial = 1\negress_usd_per_gb = 0.02\nregion = ";
        assert_eq!(egress(&format!("{iaas}\"eu-south-2\"")), flat);
        assert_eq!(egress(&format!("{iaas}\"dallas\"\nhourly_usd = 0.096")), flat);
        let b = egress(
            "kind = \"bare_metal\"\nregion = \"washington\"\nservers = 1\ncores = 4\nbandwidth = { usd_per_mbps_month = 0.5 }",
        );
        assert_eq!(b, Egress::Percentile(Bandwidth { usd_per_mbps_month: 0.5, percentile: 95.0 }));
    }
}
