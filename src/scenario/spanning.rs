//! An option across regions: `regions = { washington = 2, frankfurt = 2 }`
//! instead of `region`, read as one ordinary option per region (each with
//! that region's prices, grid and outages) behind `geo_routing`.

use super::error::Diag;
use super::model::{GeoRouting, Grid, HostingOption, Iaas, Kind, Regions};
use super::option::{Reading, outages};
use super::reader::{Bounds, Field};
use super::regions::{Overrides, UsedRegion};
use super::spec::{Key, Type};
use crate::time::SimTime;

/// `region = { instances = 2, outages = { … } }`.
pub const REGION_KEYS: &[Key] = &[
    Key::new("instances", Type::Integer, "servers (bare_metal), VPSs (vps) or initial instances (iaas) in this region")
        .default("required"),
    Key::new("outages", Type::Table(super::option::OUTAGE_KEYS), "outages of this region alone"),
];

/// Kinds whose options may span regions: fixed fleets, and IaaS with one
/// autoscaler per region.
const KINDS: [&str; 3] = ["bare_metal", "vps", "iaas"];

/// Shares within this of 1 sum to 1.
const WEIGHT_TOLERANCE: f64 = 1e-6;

/// The default `failover_after`: a 30-second DNS TTL plus 30 seconds of health checks.
pub const FAILOVER_AFTER: SimTime = SimTime::from_secs(60);

/// The option of `at` across the regions of `f`, and the regions it uses.
pub fn read(at: &Reading, f: &Field, overrides: &Overrides) -> Result<(HostingOption, Vec<UsedRegion>), Diag> {
    let t = at.t;
    if let Some(region) = t.get("region") {
        return Err(region.error("give either region or regions, not both").hint(
            "regions = { washington = 2, frankfurt = 2 } lists every region the option runs in, with its instances",
        ));
    }
    if !KINDS.contains(&at.kind.name()) {
        return Err(f.error(format!("regions is not supported for kind \"{}\"", at.kind.name())).hint(format!(
            "an option spans regions with kind {}; give this one a region, or compare one option per region",
            KINDS.join(" or ")
        )));
    }
    if let Some(db) = t.get("database") {
        return Err(db.error("a database is not simulated for an option across regions").hint(
            "its web tiers would share one database across the ocean: compare one option per region, each with its database",
        ));
    }
    let whole_outages = t.get("outages").is_some();
    let entries = f.map()?;
    let mut parts: Vec<HostingOption> = Vec::new();
    let mut used: Vec<UsedRegion> = Vec::new();
    for (key, field) in entries.entries() {
        let region = overrides.resolve(&key.name, &field.path(), key.span.clone())?;
        if used.iter().any(|u| u.name == region.name) {
            return Err(Diag::new(field.path(), key.span.clone(), format!("region {} is listed twice", region.name)));
        }
        let (count, own_outages) = match field.node.value {
            super::node::Value::Table(_) => {
                let entry = field.table(REGION_KEYS)?;
                let count = entry.require("instances", "instances = 2")?;
                (count, entry.get("outages").map(|o| outages(&o, at.source)).transpose()?)
            }
            _ => (field.clone(), None),
        };
        if own_outages.is_some() && whole_outages {
            return Err(field.error("outages are given for the whole option and for this region").hint(
                "give outages either on the option (every region down at once) or in each region's entry, not both",
            ));
        }
        let mut part = at.in_region(&field, &region.name, &key.name, Some(count))?;
        if own_outages.is_some() {
            part.outages = own_outages;
        }
        parts.push(part);
        used.push(region);
    }
    if parts.is_empty() {
        return Err(f.error("names no region").hint("e.g. regions = { washington = 2, frankfurt = 2 }"));
    }
    let geo_routing = match t.get("geo_routing") {
        None => GeoRouting::Nearest,
        Some(g) => geo_routing(&g, &used, overrides)?,
    };
    let failover_after = t.duration_or("failover_after", FAILOVER_AFTER)?;
    Ok((whole(parts, geo_routing, failover_after, whole_outages), used))
}

/// `"nearest"` or `{ region = weight, … }` naming every region of the option once.
fn geo_routing(f: &Field, used: &[UsedRegion], overrides: &Overrides) -> Result<GeoRouting, Diag> {
    if let super::node::Value::Str(_) = f.node.value {
        f.one_of("geo_routing", ["nearest"], |s| s)?;
        return Ok(GeoRouting::Nearest);
    }
    let names: Vec<&str> = used.iter().map(|u| u.name.as_str()).collect();
    let mut weights = vec![None; used.len()];
    let entries = f.map()?;
    for (key, field) in entries.entries() {
        let name = overrides.resolve(&key.name, &field.path(), key.span.clone())?.name;
        let Some(i) = names.iter().position(|n| *n == name) else {
            return Err(Diag::new(
                field.path(),
                key.span.clone(),
                format!("{} is not one of the option's regions", key.name),
            )
            .hint(format!("the regions are: {}", names.join(", "))));
        };
        weights[i] = Some(field.number(Bounds::NONNEG)?);
    }
    let Some(weights) = weights.into_iter().collect::<Option<Vec<f64>>>() else {
        return Err(f.error("gives no weight to some of the option's regions").hint(format!(
            "give each of {} a weight (0 sends it no users until another region is down)",
            names.join(", ")
        )));
    };
    let sum: f64 = weights.iter().sum();
    if (sum - 1.0).abs() > WEIGHT_TOLERANCE {
        return Err(f
            .error(format!("weights must sum to 1, but they sum to {}", (sum * 1e9).round() / 1e9))
            .hint("each weight is the share of all users sent to that region"));
    }
    Ok(GeoRouting::Weights(weights))
}

/// The option as a whole: the first part with every part's instances, in
/// the regions joined by `+`, on their instance-weighted mean grid.
fn whole(parts: Vec<HostingOption>, geo_routing: GeoRouting, failover_after: SimTime, outages: bool) -> HostingOption {
    let mut option = parts[0].clone();
    let count = |p: &HostingOption| p.kind.fleet().unwrap_or(0);
    let total: u32 = parts.iter().map(count).sum();
    if let Some(n) = option.kind.fleet_mut() {
        *n = total;
    }
    // Each region scales between min and max on its own: the option between their sums.
    if let Kind::Iaas(Iaas { autoscaling: Some(a), .. }) = &mut option.kind {
        let n = parts.len() as u32;
        (a.min, a.max) = (a.min * n, a.max * n);
    }
    option.region = parts.iter().map(|p| p.region.as_str()).collect::<Vec<_>>().join("+");
    option.aws_region = None;
    if !outages {
        option.outages = None;
    }
    option.grid =
        parts.iter().map(|p| p.grid.as_ref().map(|g| (g, count(p)))).collect::<Option<Vec<_>>>().map(|grids| Grid {
            gco2e_per_kwh: grids.iter().map(|(g, n)| g.gco2e_per_kwh * f64::from(*n)).sum::<f64>() / f64::from(total),
            source: {
                let mut sources: Vec<&str> = grids.iter().map(|(g, _)| g.source.as_str()).collect();
                sources.dedup();
                sources.join(" + ")
            },
        });
    option.regions = Some(Regions { parts, geo_routing, failover_after, shared_outages: outages });
    option
}
