//! `[[option]]`: the hosting options to compare.

use super::error::Diag;
use super::iaas::{self, Role};
use super::misplaced::{self, Place};
use super::model::{HostingOption, Kind, Outages, Routing};
use super::node::{Node, Value};
use super::reader::{Bounds, Field, MIN_EVENT_INTERVAL, Table};
use super::regions::{Overrides, UsedRegion};
use super::suggest::did_you_mean;
use super::validate::check_name_length;
use super::workload::duration_or_dist;
use super::{bare_metal, hybrid, paas, vps};
use crate::catalog::Catalog;

/// Keys every kind of option has.
const COMMON_KEYS: &[&str] = &[
    "name",
    "kind",
    "region",
    "routing",
    "max_queue",
    "workers_per_vcpu",
    "cpu_speed",
    "egress_usd_per_gb",
    "outages",
];
const KINDS: &[&str] = &["bare_metal", "vps", "iaas", "paas", "hybrid"];

const MINIMAL_OPTION: &str =
    "[[option]]\nname = \"colo\"\nkind = \"bare_metal\"\nregion = \"washington\"\nservers = 2\ncores = 8";

/// Most request slots (instances × vCPUs or cores × workers per vCPU) in one option.
pub const MAX_SLOTS: u64 = 10_000_000;

/// Reads every `[[option]]`; also returns their regions, for the RTT matrix.
pub fn read_all(
    f: Option<Field>,
    regions: &Overrides,
    catalog: &Catalog,
) -> Result<(Vec<HostingOption>, Vec<UsedRegion>), Diag> {
    let Some(f) = f else {
        return Err(Diag::new("option", None, "no [[option]] given; a scenario compares at least one hosting option")
            .hint(format!("add one, for example:\n{MINIMAL_OPTION}")));
    };
    let items = match &f.node.value {
        Value::Array(items) if !items.is_empty() => items,
        Value::Array(_) => return Err(f.error("no [[option]] given").hint(format!("for example:\n{MINIMAL_OPTION}"))),
        _ => {
            return Err(f
                .error(format!("expected an array of tables ([[option]]), got {}", f.node.describe()))
                .hint("write each option under its own [[option]] header (two brackets)"));
        }
    };
    let mut options: Vec<HostingOption> = Vec::with_capacity(items.len());
    let mut used = Vec::with_capacity(items.len());
    for (i, node) in items.iter().enumerate() {
        if let Some(Node { value: Value::Str(name), span, .. }) = node.get("name")
            && options.iter().any(|o| &o.name == name)
        {
            return Err(Diag::new(
                format!("option[{i}].name"),
                span.clone(),
                format!("duplicate option name \"{name}\""),
            )
            .hint("every option needs its own name (it labels the reports)"));
        }
        let (option, region) = read_one(i, node, regions, catalog)?;
        options.push(option);
        used.push(region);
    }
    Ok((options, used))
}

fn read_one(
    i: usize,
    node: &Node,
    regions: &Overrides,
    catalog: &Catalog,
) -> Result<(HostingOption, UsedRegion), Diag> {
    let probe = Table::any(format!("option[{i}]"), node)?;
    let name = probe.require("name", "name = \"colo\"")?;
    let name = name.str().and_then(|s| check_option_name(s).map_err(|m| name.error(m)))?;
    let path = format!("option \"{name}\"");
    let probe = Table::any(path.clone(), node)?;
    let kind_field = probe.require("kind", "kind = \"bare_metal\" (or \"vps\", \"iaas\", \"paas\", \"hybrid\")")?;
    let kind = kind_name(&kind_field)?;
    misplaced::check(&probe, Place::Option(kind), COMMON_KEYS)?;
    let known: Vec<&str> = COMMON_KEYS.iter().chain(misplaced::keys_of(kind)).copied().collect();
    let t = Table::new(path.clone(), node, &known)?;
    let region_field = t.require("region", "region = \"washington\"")?;
    let region = regions.resolve(region_field.str()?, &region_field.path(), region_field.span())?;
    let routing = match t.get("routing") {
        // Heroku's router sends each request to a random dyno.
        None if kind == "paas" => Routing::Random,
        None => Routing::SharedQueue,
        Some(f) => match f.str()? {
            "shared_queue" => Routing::SharedQueue,
            "random" => Routing::Random,
            other => {
                let valid = ["shared_queue", "random"];
                return Err(f
                    .error(format!("unknown routing \"{other}\"{}", did_you_mean(other, valid)))
                    .hint("routing is \"shared_queue\" (one queue, a load balancer) or \"random\""));
            }
        },
    };
    let max_queue = match t.get("max_queue") {
        Some(f) if kind == "paas" => {
            return Err(f
                .error("a paas option limits its queues with \"backlog\" (requests queued per dyno), not max_queue")
                .hint("write backlog = N instead (default 50, like Heroku's router: beyond it, requests are rejected, H11)"));
        }
        f => f.map(|f| f.u32(0)).transpose()?,
    };
    let workers_per_vcpu = t.u32_or("workers_per_vcpu", 1, 1)?;
    let cpu_speed = t.number_or("cpu_speed", 1.0, Bounds::POSITIVE)?;
    let egress_usd_per_gb = t.number_or("egress_usd_per_gb", 0.0, Bounds::NONNEG)?;
    let kind = match kind {
        "vps" => Kind::Vps(vps::read(&t, workers_per_vcpu, catalog)?),
        "iaas" => Kind::Iaas(iaas::read(&t, workers_per_vcpu, Role::Option, catalog)?),
        "paas" => Kind::Paas(paas::read(&t, workers_per_vcpu, catalog)?),
        "hybrid" => Kind::Hybrid(hybrid::read(&t, workers_per_vcpu, COMMON_KEYS, catalog)?),
        _ => Kind::BareMetal(bare_metal::read(&t, workers_per_vcpu)?),
    };
    let outages = t.get("outages").map(|f| outages(&f)).transpose()?;
    let option = HostingOption {
        name: name.to_string(),
        region: region.name.clone(),
        routing,
        max_queue,
        workers_per_vcpu,
        cpu_speed,
        egress_usd_per_gb,
        outages,
        kind,
    };
    Ok((option, region))
}

/// The `kind` value, if it is a known kind.
fn kind_name(f: &Field) -> Result<&'static str, Diag> {
    let k = f.str()?;
    if let Some(kind) = KINDS.iter().find(|s| **s == k) {
        return Ok(kind);
    }
    let kinds = KINDS.iter().copied();
    Err(f.error(format!("unknown kind \"{k}\"{}", did_you_mean(k, kinds))).hint(format!("kinds: {}", KINDS.join(", "))))
}

/// Rejects an option with more than `MAX_SLOTS` request slots; `count` is the
/// field blamed (servers or instances), `what` names the product.
pub fn check_slots(count: &Field, what: &str, n: u32, per: u32, workers_per_vcpu: u32) -> Result<(), Diag> {
    let slots = u64::from(n) * u64::from(per) * u64::from(workers_per_vcpu);
    if slots > MAX_SLOTS {
        return Err(count.error(format!("{what} = {slots} request slots; at most {MAX_SLOTS} are supported")));
    }
    Ok(())
}

/// `outages = { mtbf = "90d", duration = "30m" }`; `duration` may be a distribution.
fn outages(f: &Field) -> Result<Outages, Diag> {
    let t = f.table(&["mtbf", "duration"])?;
    let mtbf = t
        .require("mtbf", "mtbf = \"90d\"")?
        .duration_at_least(MIN_EVENT_INTERVAL)
        .map_err(|d| d.hint("mtbf is the mean time between outages of the whole option, e.g. \"90d\""))?;
    let duration = duration_or_dist(&t.require("duration", "duration = \"30m\"")?)?;
    Ok(Outages { mtbf, duration })
}

/// Why an option name is unusable, if it is.
fn check_option_name(name: &str) -> Result<&str, String> {
    if name.trim().is_empty() {
        return Err("option names must not be empty".into());
    }
    check_name_length(name)?;
    if name.chars().any(char::is_control) {
        return Err("option names must not contain control characters".into());
    }
    Ok(name)
}
