//! `[catalog]`: the user's catalog entries, in a scenario or in a file given
//! with `--catalog FILE` (a TOML file holding only a `[catalog]` table):
//!
//! ```toml
//! [catalog.vps."my-plan"]
//! vcpus = 2
//! monthly_usd = 10
//! [catalog.ec2."m5.large"]
//! region = "eu-west-1"          # optional: without it, the entry applies in every region
//! hourly_usd = 0.107
//! source = "AWS price list, eu-west-1"
//! date = "2026-08-10"
//! ```

use std::borrow::Cow;
use std::path::Path;

use super::error::{Diag, ScenarioError};
use super::node::Node;
use super::reader::{Bounds, Field, Table};
use super::spec::{Key, Type};
use crate::catalog::user::{DynoEntry, Ec2Entry, VpsEntry};
use crate::catalog::{Provenance, UserCatalog, dyno, ec2, vps};

/// `[catalog]`: one table of entries per kind, keyed by id.
pub const KINDS: &[Key] = &[
    Key::new("vps", Type::Map(&Type::Table(VPS_KEYS)), "VPS plans by id: vcpus and monthly_usd required for a new id"),
    Key::new(
        "ec2",
        Type::Map(&Type::Table(EC2_KEYS)),
        "EC2 instance types by name: hourly_usd required for a new name",
    ),
    Key::new(
        "dyno",
        Type::Map(&Type::Table(DYNO_KEYS)),
        "dyno types by name: vcpus and monthly_usd required for a new name",
    ),
];
const SOURCE: Key = Key::new("source", Type::Str, "where the price comes from").default("this file");
const DATE: Key = Key::new("date", Type::Str, "when the price was seen").default("\"not given\"");
const VPS_KEYS: &[Key] = &[
    Key::new("provider", Type::Str, "who sells the plan"),
    Key::new("vcpus", Type::Integer, "vCPUs of the plan"),
    Key::new("memory_gb", Type::Number, "memory of the plan").unit("GB"),
    Key::new("monthly_usd", Type::Number, "price per 730-hour month").unit("USD"),
    Key::new("hourly_usd", Type::Number, "price per hour").unit("USD").default("monthly_usd / 730"),
    SOURCE,
    DATE,
];
const EC2_KEYS: &[Key] = &[
    Key::new("region", Type::Str, "an AWS region or a city that hosts one: the entry prices the type there only")
        .default("every region"),
    Key::new("vcpus", Type::Integer, "vCPUs of the instance type"),
    Key::new("hourly_usd", Type::Number, "on-demand price per hour").unit("USD"),
    SOURCE,
    DATE,
];
const DYNO_KEYS: &[Key] = &[
    Key::new("vcpus", Type::Integer, "vCPUs of the dyno"),
    Key::new("cpu_share", Type::Number, "in (0, 1]: each vCPU runs at this fraction of a reference vCPU").default("1"),
    Key::new("memory_gb", Type::Number, "memory of the dyno").unit("GB"),
    Key::new("monthly_usd", Type::Number, "price per dyno per 730-hour month (with pool_hours: of the pool)")
        .unit("USD"),
    Key::new("pool_hours", Type::Number, "dyno-hours a month that monthly_usd buys for all the dynos")
        .unit("h")
        .default("none: the price is per dyno"),
    Key::new("autoscaling", Type::Bool, "whether the dyno type may autoscale"),
    Key::new("sleeps", Type::Bool, "whether an idle dyno sleeps"),
    SOURCE,
    DATE,
];
/// A `--catalog FILE`: a `[catalog]` table and nothing else.
const FILE_KEYS: &[Key] = &[Key::new("catalog", Type::Table(KINDS), "catalog entries")];
/// `date` when an entry gives none.
pub const DEFAULT_DATE: &str = "not given";

/// Reads a `[catalog]` table; `origin` is the default `source` of its entries.
pub fn read(f: &Field, origin: &str) -> Result<UserCatalog, Diag> {
    let t = f.table(KINDS)?;
    let mut out = UserCatalog::default();
    for (key, field) in t.get("vps").map(|f| entries(&f)).transpose()?.unwrap_or_default() {
        let e = field.table(VPS_KEYS)?;
        let entry = VpsEntry {
            provider: e.get("provider").map(|f| f.str().map(str::to_string)).transpose()?,
            vcpus: e.get("vcpus").map(|f| f.u32(1)).transpose()?,
            memory_gb: e.get("memory_gb").map(|f| f.number(Bounds::POSITIVE)).transpose()?,
            monthly_usd: e.get("monthly_usd").map(|f| f.number(Bounds::POSITIVE)).transpose()?,
            hourly_usd: e.get("hourly_usd").map(|f| f.number(Bounds::POSITIVE)).transpose()?,
            provenance: provenance(&e, origin)?,
        };
        let known = vps::plan(&key).is_some();
        require(&e, known, &[("vcpus", entry.vcpus.is_some()), ("monthly_usd", entry.monthly_usd.is_some())])?;
        out.vps.insert(key, entry);
    }
    for (key, field) in t.get("ec2").map(|f| entries(&f)).transpose()?.unwrap_or_default() {
        let e = field.table(EC2_KEYS)?;
        let region = e.get("region").map(|f| aws_region(&f)).transpose()?;
        let entry = Ec2Entry {
            region: region.map(str::to_string),
            vcpus: e.get("vcpus").map(|f| f.u32(1)).transpose()?,
            hourly_usd: e.get("hourly_usd").map(|f| f.number(Bounds::POSITIVE)).transpose()?,
            provenance: provenance(&e, origin)?,
        };
        // Only a type the built-ins price where the entry applies may leave out hourly_usd.
        let known = match region {
            Some(r) => ec2::instance_in(r, &key).is_some(),
            None => ec2::known(&key),
        };
        require(&e, known, &[("hourly_usd", entry.hourly_usd.is_some())])?;
        out.ec2.insert(key, entry);
    }
    for (key, field) in t.get("dyno").map(|f| entries(&f)).transpose()?.unwrap_or_default() {
        let e = field.table(DYNO_KEYS)?;
        let entry = DynoEntry {
            vcpus: e.get("vcpus").map(|f| f.u32(1)).transpose()?,
            cpu_share: e.get("cpu_share").map(|f| f.number(Bounds::open_closed(0.0, 1.0))).transpose()?,
            memory_gb: e.get("memory_gb").map(|f| f.number(Bounds::POSITIVE)).transpose()?,
            monthly_usd: e.get("monthly_usd").map(|f| f.number(Bounds::POSITIVE)).transpose()?,
            pool_hours: e.get("pool_hours").map(|f| f.number(Bounds::POSITIVE)).transpose()?,
            autoscaling: e.get("autoscaling").map(|f| f.boolean()).transpose()?,
            sleeps: e.get("sleeps").map(|f| f.boolean()).transpose()?,
            provenance: provenance(&e, origin)?,
        };
        let known = dyno::dyno(&key).is_some();
        require(&e, known, &[("vcpus", entry.vcpus.is_some()), ("monthly_usd", entry.monthly_usd.is_some())])?;
        out.dyno.insert(key, entry);
    }
    Ok(out)
}

/// Reads a `--catalog FILE`: a TOML file with a `[catalog]` table and nothing else.
pub fn load_file(path: &Path) -> Result<UserCatalog, ScenarioError> {
    let text = super::read_text(path)?;
    let fail = |d: Diag| ScenarioError::from_diag(path, &text, d);
    let root = Node::parse(&text).map_err(fail)?;
    let origin = format!("user catalog {}", path.display());
    let read_root = || {
        let t = Table::new(String::new(), &root, FILE_KEYS)?;
        read(&t.require("catalog", "[catalog.vps.\"my-plan\"] with vcpus = 2 and monthly_usd = 10")?, &origin)
    };
    read_root().map_err(fail)
}

/// The entries of one kind's table, keyed by lower-case id; ids that differ
/// only in case are an error.
fn entries<'a>(f: &Field<'a>) -> Result<Vec<(String, Field<'a>)>, Diag> {
    let t = f.map()?;
    let mut out: Vec<(String, Field<'a>)> = Vec::new();
    for (key, field) in t.entries() {
        let id = key.name.to_ascii_lowercase();
        if id.is_empty() {
            return Err(Diag::new(field.path(), key.span.clone(), "an entry needs a name"));
        }
        if out.iter().any(|(k, _)| *k == id) {
            return Err(Diag::new(field.path(), key.span.clone(), format!("\"{}\" is listed twice", key.name))
                .hint("names are compared without regard to case"));
        }
        out.push((id, field));
    }
    Ok(out)
}

/// `source` and `date`, defaulting to where the entry was read and "not given".
fn provenance(e: &Table, origin: &str) -> Result<Provenance, Diag> {
    let text = |key: &str, default: &str| -> Result<String, Diag> {
        match e.get(key) {
            Some(f) if f.str()?.trim().is_empty() => Err(f.error("must not be empty")),
            Some(f) => Ok(f.str()?.to_string()),
            None => Ok(default.to_string()),
        }
    };
    Ok(Provenance { source: Cow::Owned(text("source", origin)?), date: Cow::Owned(text("date", DEFAULT_DATE)?) })
}

/// A new entry (no built-in of that id) must give `needed`; any entry must give a value.
fn require(e: &Table, known: bool, needed: &[(&str, bool)]) -> Result<(), Diag> {
    let values = e.entries().filter(|(k, _)| k.name != "source" && k.name != "date").count();
    if values == 0 {
        return Err(Diag::new(e.path.clone(), e.span.clone(), "gives no value to change or add")
            .hint(format!("give at least one of: {}", needed.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", "))));
    }
    if known {
        return Ok(());
    }
    if let Some((key, _)) = needed.iter().find(|(_, given)| !given) {
        let all: Vec<&str> = needed.iter().map(|(k, _)| *k).collect();
        return Err(Diag::new(
            e.path.clone(),
            e.span.clone(),
            format!("not in the built-in catalog, so it needs {}; \"{key}\" is missing", all.join(" and ")),
        )
        .hint("to change a built-in entry, use its exact name (see `hostsim catalog`)"));
    }
    Ok(())
}

/// An EC2 entry's `region`: an AWS region name, or a city that hosts one.
fn aws_region(f: &Field) -> Result<&'static str, Diag> {
    super::aws_region::parse(f.str()?).map_err(|m| f.error(m))
}
