//! What every hosting kind's syntax provides ([`KindSyntax`]), what its
//! reader is given ([`ReadContext`]), and the request-slot limit they share.

use std::path::Path;

use crate::catalog::Catalog;
use crate::model::{Kind, Routing};
use crate::scenario::error::Diag;
use crate::scenario::reader::{Field, Table};
use crate::scenario::spec::Key;

/// Most request slots (instances × vCPUs or cores × workers per vCPU) in one option.
pub const MAX_SLOTS: u64 = 10_000_000;

/// `key = value` pairs of `resolved.toml`, values already written as TOML.
pub type Pairs = Vec<(&'static str, String)>;

/// One hosting kind's part of the scenario file: its keys, how they are
/// read and written back, and what it has instead of other kinds' keys.
pub trait KindSyntax: Sync {
    /// The `kind` key's value.
    fn name(&self) -> &'static str;
    /// The keys only this kind has (a key may belong to several kinds).
    fn keys(&self) -> &'static [Key];
    /// What this kind has instead of another kind's key: (key, text).
    fn instead(&self) -> &'static [(&'static str, &'static str)];
    /// Reads this kind's keys of `t` (the option-level keys are read by `option`).
    fn read(&self, t: &Table, cx: &ReadContext) -> Result<Kind, Diag>;
    /// This kind's keys of `kind` as written to `resolved.toml`, or `None`
    /// when `kind` is another kind.
    fn write(&self, kind: &Kind) -> Option<Pairs>;
    /// Routing without a `routing` key.
    fn default_routing(&self) -> Routing {
        Routing::SharedQueue
    }
    /// Reads the option-level `max_queue` (a kind may limit its queues otherwise).
    fn max_queue(&self, f: &Field) -> Result<u32, Diag> {
        f.u32(0)
    }
}

/// What a kind's reader needs besides its table.
pub struct ReadContext<'a> {
    pub workers_per_vcpu: u32,
    /// Built-in prices with the scenario's and the user's entries over them.
    pub catalog: &'a Catalog,
    /// The option's `region` as written, for messages.
    pub region: &'a str,
    /// The AWS region the option's cloud prices come from; `None` outside
    /// AWS (dallas, toronto, chennai, custom regions).
    pub aws_region: Option<&'a str>,
    /// The option-level keys, refused inside a hybrid's baseline or burst.
    pub common: &'a [Key],
    /// Every kind, to say whose key a misplaced key is.
    pub kinds: &'a [&'a dyn KindSyntax],
    /// The scenario file, which data files (an empirical distribution) are relative to.
    pub source: &'a Path,
    /// In an option across regions, this region's count of servers or VPSs
    /// (from `regions`), read instead of the kind's own key.
    pub fleet: Option<Field<'a>>,
}

impl<'a> ReadContext<'a> {
    /// The field holding the fleet's count: the region's in `regions`, else
    /// `key` of `t` (required); a key given beside `regions` is an error.
    pub fn fleet_field(&self, t: &Table<'a>, key: &str, example: &str) -> Result<Field<'a>, Diag> {
        match self.fleet_or(t, key)? {
            Some(f) => Ok(f),
            None => t.require(key, example),
        }
    }

    /// The same, where `key` is optional.
    pub fn fleet_or(&self, t: &Table<'a>, key: &str) -> Result<Option<Field<'a>>, Diag> {
        match (&self.fleet, t.get(key)) {
            (None, own) => Ok(own),
            (Some(_), Some(f)) => Err(f.error(format!("{key} is given per region in regions")).hint(format!(
                "remove {key}; regions = {{ washington = 2, frankfurt = 2 }} gives each region's {key}"
            ))),
            (Some(f), None) => Ok(Some(f.clone())),
        }
    }
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
