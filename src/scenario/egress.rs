//! An option's egress rule: `egress_usd_per_gb` (a flat price per GB),
//! `bandwidth = { … }` (bare metal: a percentile of Mbps per month), or the
//! default of its kind and region: AWS's internet tiers for cloud instances
//! in an AWS region, a VPS plan's transfer allowance, otherwise free.

use super::error::Diag;
use super::node::compact;
use super::reader::{Bounds, Field, Table};
use crate::catalog::egress::{self as tiers, FREE_GB_PER_MONTH, TIER_UPPER_GB};
use crate::catalog::{Catalog, vps::Transfer};
use crate::model::{Allowance, Bandwidth, Egress, Kind, Tiered, Vps};

/// The keys of `bandwidth = { … }`.
const BANDWIDTH_KEYS: &[&str] = &["usd_per_mbps_month", "percentile"];
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
            Kind::BareMetal(_) | Kind::Paas(_) => Ok(FREE),
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
                "no AWS data-transfer prices for region \"{written}\" (it is not an AWS region and has none near it); \
                 give egress_usd_per_gb"
            ))
            .hint("egress_usd_per_gb = 0.09 prices every GB (2^30 bytes) served; 0 makes egress free"));
    };
    let Some(r) = tiers::region(aws) else {
        let known: Vec<&str> = tiers::all().iter().map(|r| r.region).collect();
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
