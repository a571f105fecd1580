//! `[[option]]`: the hosting options to compare.

use super::error::Diag;
use super::model::{BareMetal, HostingOption, Kind, Power, Routing};
use super::node::{Node, Value};
use super::reader::{Bounds, Field, Table};
use super::regions::{Overrides, UsedRegion};
use super::suggest::did_you_mean;
use crate::sim::time::SimTime;

const COMMON_KEYS: &[&str] = &[
    "name",
    "kind",
    "region",
    "routing",
    "max_queue",
    "workers_per_vcpu",
    "cpu_speed",
    "egress_usd_per_gb",
    "failures",
    "outages",
];
const BARE_METAL_KEYS: &[&str] =
    &["servers", "cores", "price_usd", "lifetime", "setup_usd", "colo_usd_per_month", "labour_usd_per_month", "power"];
const SUPPORTED_KINDS: &[&str] = &["bare_metal"];
const PLANNED_KINDS: &[&str] = &["vps", "iaas", "paas", "hybrid"];

/// Most request slots (servers × cores × workers per vCPU) in one option.
pub const MAX_SLOTS: u64 = 10_000_000;
/// Default amortisation period of bare-metal hardware: 3 years.
pub const DEFAULT_LIFETIME: SimTime = SimTime(3 * 365 * 86_400 * SimTime::MICROS_PER_SEC);

const MINIMAL_OPTION: &str =
    "[[option]]\nname = \"colo\"\nkind = \"bare_metal\"\nregion = \"washington\"\nservers = 2\ncores = 8";

/// Reads every `[[option]]`; also returns their regions, for the RTT matrix.
pub fn read_all(f: Option<Field>, regions: &Overrides) -> Result<(Vec<HostingOption>, Vec<UsedRegion>), Diag> {
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
        if let Some(Node { value: Value::Str(name), span }) = node.get("name")
            && options.iter().any(|o| &o.name == name)
        {
            return Err(Diag::new(
                format!("option[{i}].name"),
                span.clone(),
                format!("duplicate option name \"{name}\""),
            )
            .hint("every option needs its own name (it labels the reports)"));
        }
        let (option, region) = read_one(i, node, regions)?;
        options.push(option);
        used.push(region);
    }
    Ok((options, used))
}

fn read_one(i: usize, node: &Node, regions: &Overrides) -> Result<(HostingOption, UsedRegion), Diag> {
    let probe = Table::any(format!("option[{i}]"), node)?;
    let name = probe.require("name", "name = \"colo\"")?;
    let name = name.str().and_then(|s| check_option_name(s).map_err(|m| name.error(m)))?;
    let path = format!("option \"{name}\"");
    let probe = Table::any(path.clone(), node)?;
    let kind = probe.get("kind");
    if let Some(kind) = &kind {
        let k = kind.str()?;
        if PLANNED_KINDS.contains(&k) {
            return Err(Diag::new(
                path,
                kind.span(),
                format!("kind \"{k}\" is not supported yet (coming in a later version); supported: bare_metal"),
            ));
        }
        if !SUPPORTED_KINDS.contains(&k) {
            let all = SUPPORTED_KINDS.iter().chain(PLANNED_KINDS).copied();
            return Err(kind
                .error(format!("unknown kind \"{k}\"{}", did_you_mean(k, all)))
                .hint(format!("supported: {}", SUPPORTED_KINDS.join(", "))));
        }
    }
    let known: Vec<&str> = COMMON_KEYS.iter().chain(BARE_METAL_KEYS).copied().collect();
    let t = Table::new(path.clone(), node, &known)?;
    t.require("kind", "kind = \"bare_metal\"")?;
    t.not_yet("failures", "server failures")?;
    t.not_yet("outages", "outages")?;
    let region_field = t.require("region", "region = \"washington\"")?;
    let region = regions.resolve(region_field.str()?, &region_field.path(), region_field.span())?;
    let routing = match t.get("routing") {
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
    let max_queue = t.get("max_queue").map(|f| f.u32(0)).transpose()?;
    let workers_per_vcpu = t.u32_or("workers_per_vcpu", 1, 1)?;
    let cpu_speed = t.number_or("cpu_speed", 1.0, Bounds::POSITIVE)?;
    let egress_usd_per_gb = t.number_or("egress_usd_per_gb", 0.0, Bounds::NONNEG)?;
    let bare = bare_metal(&t, workers_per_vcpu)?;
    let option = HostingOption {
        name: name.to_string(),
        region: region.name.clone(),
        routing,
        max_queue,
        workers_per_vcpu,
        cpu_speed,
        egress_usd_per_gb,
        kind: Kind::BareMetal(bare),
    };
    Ok((option, region))
}

/// Why an option name is unusable, if it is.
fn check_option_name(name: &str) -> Result<&str, String> {
    if name.trim().is_empty() {
        return Err("option names must not be empty".into());
    }
    if name.chars().any(char::is_control) {
        return Err("option names must not contain control characters".into());
    }
    Ok(name)
}

fn bare_metal(t: &Table, workers_per_vcpu: u32) -> Result<BareMetal, Diag> {
    let servers_field = t.require("servers", "servers = 2")?;
    let servers = servers_field.u32(1)?;
    let cores = t.require("cores", "cores = 8")?.u32(1)?;
    let slots = u64::from(servers) * u64::from(cores) * u64::from(workers_per_vcpu);
    if slots > MAX_SLOTS {
        return Err(servers_field.error(format!(
            "servers × cores × workers_per_vcpu = {slots} request slots; at most {MAX_SLOTS} are supported"
        )));
    }
    let lifetime = match t.get("lifetime") {
        Some(f) => f.positive_duration()?,
        None => DEFAULT_LIFETIME,
    };
    Ok(BareMetal {
        servers,
        cores,
        price_usd: t.number_or("price_usd", 0.0, Bounds::NONNEG)?,
        lifetime,
        setup_usd: t.number_or("setup_usd", 0.0, Bounds::NONNEG)?,
        colo_usd_per_month: t.number_or("colo_usd_per_month", 0.0, Bounds::NONNEG)?,
        labour_usd_per_month: t.number_or("labour_usd_per_month", 0.0, Bounds::NONNEG)?,
        power: t.get("power").map(|f| power(&f)).transpose()?,
    })
}

fn power(f: &Field) -> Result<Power, Diag> {
    let p = f.table(&["idle_w", "max_w", "usd_per_kwh", "pue"])?;
    let idle_w = p.require("idle_w", "idle_w = 59")?.number(Bounds::NONNEG)?;
    let max_w = p.require("max_w", "max_w = 404")?.number(Bounds::at_least(idle_w))?;
    Ok(Power {
        idle_w,
        max_w,
        usd_per_kwh: p.require("usd_per_kwh", "usd_per_kwh = 0.09")?.number(Bounds::NONNEG)?,
        pue: p.number_or("pue", 1.0, Bounds::at_least(1.0))?,
    })
}
