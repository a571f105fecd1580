//! `storage = { … }` of an iaas option or a hybrid's burst pool: the
//! instance's own disk (`"local"`), a network volume priced by hand
//! (`"network"`), or an EBS volume (`"gp3"`, `"gp2"`, `"io2"`, `"io1"`)
//! priced from the EBS table, which has us-east-1 prices only.

use crate::catalog::ebs::{self, GP3_FREE_IOPS, GP3_FREE_MBPS, IO2_FIRST_TIER_IOPS};
use crate::model::{EbsType, EbsVolume, Storage, StorageKind};
use crate::scenario::error::Diag;
use crate::scenario::reader::{Bounds, Field, Table};
use crate::scenario::spec::{Key, Type};
use crate::scenario::suggest::did_you_mean;
use crate::scenario::toml_value::{inline, number, string};

/// `storage = { … }`.
pub const KEYS: &[Key] = &[
    Key::new("kind", Type::OneOf(&KINDS), "the instance's own disk, a network volume you price, or an EBS volume type")
        .default("\"local\""),
    Key::new("latency_factor", Type::Number, "storage time × this").default("1 (network volumes: 10)"),
    Key::new(
        "iops",
        Type::Either(&[Type::Number, Type::Integer]),
        "operations per second per instance (an integer for EBS); beyond it they queue",
    )
    .default("none (gp3: 3000)"),
    Key::new("usd_per_month", Type::Number, "price per instance per 730-hour month, prorated")
        .unit("USD")
        .default("0 (EBS: from the EBS table in us-east-1)"),
    Key::new("gb", Type::Integer, "EBS only: the volume's size").unit("GB").default("required for EBS"),
    Key::new("throughput_mbps", Type::Integer, "gp3 only: throughput").unit("MB/s").default("125"),
];
const KINDS: [&str; 6] = ["local", "network", "gp3", "gp2", "io2", "io1"];

/// Default storage time factor of network volumes (local disks: 1).
pub const NETWORK_LATENCY_FACTOR: f64 = 10.0;

/// AWS's limits on one volume of each type: size in GB, provisioned IOPS
/// and IOPS per GB (EBS user guide, volume types).
struct Limits {
    gb: (u32, u32),
    iops: (u32, u32),
    iops_per_gb: u32,
}

fn limits(t: EbsType) -> Limits {
    match t {
        EbsType::Gp3 => Limits { gb: (1, 16_384), iops: (3_000, 16_000), iops_per_gb: 500 },
        EbsType::Gp2 => Limits { gb: (1, 16_384), iops: (100, 16_000), iops_per_gb: 3 },
        EbsType::Io2 => Limits { gb: (4, 65_536), iops: (100, 256_000), iops_per_gb: 1_000 },
        EbsType::Io1 => Limits { gb: (4, 16_384), iops: (100, 64_000), iops_per_gb: 50 },
    }
}

/// Local storage with every default (no `storage` key).
pub fn local() -> Storage {
    Storage { kind: StorageKind::Local, latency_factor: 1.0, iops: None, usd_per_month: 0.0 }
}

/// `storage = { kind, … }`; `aws_region` is where the option's cloud prices come from.
pub fn read(f: &Field, aws_region: Option<&str>) -> Result<Storage, Diag> {
    let t = f.table(KEYS)?;
    let kind = match t.get("kind") {
        None => StorageKind::Local,
        Some(k) => match k.str()? {
            "local" => StorageKind::Local,
            "network" => StorageKind::Network,
            other => match EbsType::ALL.into_iter().find(|e| e.as_str() == other) {
                Some(volume_type) => StorageKind::Ebs(volume(&t, volume_type)?),
                None => {
                    return Err(k
                        .error(format!("unknown storage kind \"{other}\"{}", did_you_mean(other, KINDS)))
                        .hint("storage kind is \"local\" (the instance's own disk), \"network\" (a volume you price), or an EBS volume type: \"gp3\", \"gp2\", \"io2\", \"io1\""));
                }
            },
        },
    };
    if !matches!(kind, StorageKind::Ebs(_)) {
        for key in ["gb", "throughput_mbps"] {
            if let Some(k) = t.get(key) {
                return Err(k
                    .error(format!("\"{key}\" sizes an EBS volume; a \"local\" or \"network\" volume has none"))
                    .hint("give an EBS volume type, e.g. storage = { kind = \"gp3\", gb = 100 }, or remove it"));
            }
        }
    }
    let latency_factor = match t.get("latency_factor") {
        Some(l) => l.number(Bounds::at_least(1.0)).map_err(|d| {
            d.hint("latency_factor multiplies the workload's io time; 1 is a local disk, network volumes are ~10")
        })?,
        None if kind == StorageKind::Local => 1.0,
        None => NETWORK_LATENCY_FACTOR,
    };
    let given_usd = t.get("usd_per_month").map(|u| u.number(Bounds::NONNEG)).transpose()?;
    let (iops, usd_per_month) = match kind {
        StorageKind::Ebs(v) => {
            let iops = ebs_iops(&t, v)?;
            let usd = match given_usd {
                Some(usd) => usd,
                None => ebs_price(f, &v, iops, aws_region)?,
            };
            (Some(f64::from(iops)), usd)
        }
        _ => (t.get("iops").map(|i| i.number(Bounds::POSITIVE)).transpose()?, given_usd.unwrap_or(0.0)),
    };
    Ok(Storage { kind, latency_factor, iops, usd_per_month })
}

/// The size and throughput of an EBS volume; refuses the keys its type does not have.
fn volume(t: &Table, volume_type: EbsType) -> Result<EbsVolume, Diag> {
    let name = volume_type.as_str();
    let lim = limits(volume_type);
    let gb = t.require("gb", "gb = 100")?;
    let gb = u32::try_from(gb.integer(i64::from(lim.gb.0), i64::from(lim.gb.1))?).unwrap_or(lim.gb.1);
    if volume_type == EbsType::Gp2
        && let Some(i) = t.get("iops")
    {
        return Err(i
            .error("a gp2 volume's IOPS follow its size (3 per GB, 100 to 16,000); they cannot be provisioned")
            .hint("remove iops, or use kind = \"gp3\" (3,000 IOPS included) or \"io2\" to provision IOPS"));
    }
    let throughput_mbps = match t.get("throughput_mbps") {
        None if volume_type == EbsType::Gp3 => Some(GP3_FREE_MBPS),
        None => None,
        Some(m) if volume_type == EbsType::Gp3 => {
            Some(u32::try_from(m.integer(i64::from(GP3_FREE_MBPS), 1_000)?).unwrap_or(1_000))
        }
        Some(m) => {
            return Err(m
                .error(format!(
                    "{} {name} volume's throughput follows its IOPS; only gp3 provisions throughput_mbps",
                    article(name)
                ))
                .hint("remove throughput_mbps, or use kind = \"gp3\""));
        }
    };
    Ok(EbsVolume { volume_type, gb, throughput_mbps })
}

/// The IOPS of an EBS volume: provisioned (gp3 default 3,000; io1 and io2
/// required) or, for gp2, its baseline from its size, within AWS's limits.
fn ebs_iops(t: &Table, v: EbsVolume) -> Result<u32, Diag> {
    let name = v.volume_type.as_str();
    let lim = limits(v.volume_type);
    let field = match v.volume_type {
        EbsType::Gp2 => return Ok(ebs::gp2_iops(v.gb)),
        EbsType::Gp3 => t.get("iops"),
        // An io1 or io2 volume's IOPS are provisioned.
        EbsType::Io2 | EbsType::Io1 => Some(t.require("iops", "iops = 3000")?),
    };
    let iops = match field {
        None => GP3_FREE_IOPS,
        Some(i) => {
            let n = u32::try_from(i.integer(i64::from(lim.iops.0), i64::from(lim.iops.1))?).unwrap_or(lim.iops.1);
            // A gp3 volume has its 3,000 IOPS whatever its size.
            let most = v.gb.saturating_mul(lim.iops_per_gb).max(lim.iops.0);
            if n > most {
                return Err(i
                    .error(format!(
                        "{} {name} volume of {} GB has at most {most} IOPS ({} per GB), not {n}",
                        article(name),
                        v.gb,
                        lim.iops_per_gb
                    ))
                    .hint("make the volume larger (gb) or provision fewer IOPS"));
            }
            n
        }
    };
    if let (Some(mbps), Some(m)) = (v.throughput_mbps, t.get("throughput_mbps"))
        && f64::from(mbps) > f64::from(iops) / 4.0
    {
        return Err(m
            .error(format!(
                "a gp3 volume with {iops} IOPS has at most {} MB/s (0.25 MB/s per IOPS), not {mbps}",
                iops / 4
            ))
            .hint("provision more IOPS or less throughput"));
    }
    Ok(iops)
}

/// The volume's price from the EBS table, which has us-east-1 only.
fn ebs_price(f: &Field, v: &EbsVolume, iops: u32, aws_region: Option<&str>) -> Result<f64, Diag> {
    let name = v.volume_type.as_str();
    let hint = format!(
        "give the volume's price per instance per month: storage = {{ kind = \"{name}\", gb = {}, usd_per_month = … }}",
        v.gb
    );
    if aws_region != Some(ebs::REGION) {
        let here = aws_region.map_or("a region without AWS prices".to_string(), |r| format!("\"{r}\""));
        return Err(f
            .error(format!(
                "the built-in EBS prices are for {} only; this option's prices come from {here}",
                ebs::REGION
            ))
            .hint(hint));
    }
    if v.volume_type == EbsType::Io2 && iops > IO2_FIRST_TIER_IOPS {
        return Err(f
            .error(format!(
                "AWS prices io2 IOPS above {IO2_FIRST_TIER_IOPS} at lower tiers that the built-in EBS table does not have ({iops} IOPS)"
            ))
            .hint(hint));
    }
    Ok(ebs::monthly_usd(v, iops))
}

/// "an io2", "a gp3".
fn article(volume_type: &str) -> &'static str {
    if volume_type.starts_with('i') { "an" } else { "a" }
}

/// `storage` as written to `resolved.toml` (an EBS volume with its price spelled out).
pub fn write(s: &Storage) -> String {
    let kind = match s.kind {
        StorageKind::Local => "local",
        StorageKind::Network => "network",
        StorageKind::Ebs(v) => v.volume_type.as_str(),
    };
    let mut pairs = vec![("kind", string(kind))];
    if let StorageKind::Ebs(v) = s.kind {
        pairs.push(("gb", v.gb.to_string()));
        if let Some(mbps) = v.throughput_mbps {
            pairs.push(("throughput_mbps", mbps.to_string()));
        }
    }
    pairs.push(("latency_factor", number(s.latency_factor)));
    // A gp2 volume's IOPS follow its size.
    if let Some(iops) = s.iops.filter(|_| !matches!(s.kind, StorageKind::Ebs(v) if v.volume_type == EbsType::Gp2)) {
        pairs.push(("iops", number(iops)));
    }
    pairs.push(("usd_per_month", number(s.usd_per_month)));
    inline(&pairs)
}

#[cfg(test)]
mod tests;
