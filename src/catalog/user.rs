//! The user's catalog entries (`[catalog.vps."id"]`, `[catalog.ec2."name"]`,
//! `[catalog.dyno."name"]`): each gives some fields; over a built-in entry
//! of the same id they replace those fields, otherwise they must be
//! complete (the scenario reader checks that).

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::Provenance;
use super::dyno::DynoType;
use super::ec2::{self, Ec2Type, VcpuSource};
use super::vps::VpsPlan;

/// User entries by kind, keyed by lower-case id.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UserCatalog {
    pub vps: BTreeMap<String, VpsEntry>,
    pub ec2: BTreeMap<String, Ec2Entry>,
    pub dyno: BTreeMap<String, DynoEntry>,
}

impl UserCatalog {
    /// True when there is no entry at all.
    pub fn is_empty(&self) -> bool {
        self.vps.is_empty() && self.ec2.is_empty() && self.dyno.is_empty()
    }

    /// Roughly the memory the entries take: a fixed part per entry plus the
    /// texts read (measured: about 420 bytes for an entry with 60 bytes of text).
    pub fn approx_bytes(&self) -> usize {
        const ENTRY_BYTES: usize = 512;
        let owned = |t: &Cow<'static, str>| if let Cow::Owned(s) = t { s.len() } else { 0 };
        let entry = |id: &String, p: &Provenance, extra: usize| {
            ENTRY_BYTES + id.len() + owned(&p.source) + owned(&p.date) + extra
        };
        let vps = self.vps.iter().map(|(id, e)| entry(id, &e.provenance, e.provider.as_ref().map_or(0, String::len)));
        let ec2 = self.ec2.iter().map(|(id, e)| entry(id, &e.provenance, e.region.as_ref().map_or(0, String::len)));
        let dyno = self.dyno.iter().map(|(id, e)| entry(id, &e.provenance, 0));
        vps.chain(ec2).chain(dyno).sum()
    }

    /// These entries with `higher`'s over them: an id in both takes
    /// `higher`'s entry whole.
    pub fn overridden_by(mut self, higher: &UserCatalog) -> UserCatalog {
        self.vps.extend(higher.vps.iter().map(|(k, v)| (k.clone(), v.clone())));
        self.ec2.extend(higher.ec2.iter().map(|(k, v)| (k.clone(), v.clone())));
        self.dyno.extend(higher.dyno.iter().map(|(k, v)| (k.clone(), v.clone())));
        self
    }
}

/// A user's VPS plan, or changes to a built-in one.
#[derive(Clone, Debug, PartialEq)]
pub struct VpsEntry {
    pub provider: Option<String>,
    pub vcpus: Option<u32>,
    pub memory_gb: Option<f64>,
    pub monthly_usd: Option<f64>,
    /// Default for a new plan: monthly_usd / 730.
    pub hourly_usd: Option<f64>,
    pub provenance: Provenance,
}

impl VpsEntry {
    /// The plan `id` with this entry over `base`; `None` if a new plan lacks vcpus or monthly_usd.
    pub fn apply(&self, id: &str, base: Option<VpsPlan>) -> Option<VpsPlan> {
        let (vcpus, monthly_usd) = match &base {
            Some(b) => (self.vcpus.unwrap_or(b.vcpus), self.monthly_usd.unwrap_or(b.monthly_usd)),
            None => (self.vcpus?, self.monthly_usd?),
        };
        let hourly_default = base.as_ref().map_or(monthly_usd / crate::time::HOURS_PER_MONTH as f64, |b| b.hourly_usd);
        Some(VpsPlan {
            id: Cow::Owned(id.to_string()),
            provider: match (&self.provider, &base) {
                (Some(p), _) => Cow::Owned(p.clone()),
                (None, Some(b)) => b.provider.clone(),
                (None, None) => Cow::Borrowed("user"),
            },
            vcpus,
            memory_gb: self.memory_gb.or(base.as_ref().map(|b| b.memory_gb)).unwrap_or(0.0),
            monthly_usd,
            hourly_usd: self.hourly_usd.unwrap_or(hourly_default),
            provenance: self.provenance.clone(),
            // The provider's allowance stays with its plan whatever the user changes.
            transfer: base.as_ref().and_then(|b| b.transfer.clone()),
        })
    }
}

/// A user's EC2 instance type, or changes to a built-in one, in one AWS
/// region or (without `region`) in every region.
#[derive(Clone, Debug, PartialEq)]
pub struct Ec2Entry {
    /// The AWS region the entry prices; `None`: every region.
    pub region: Option<String>,
    pub vcpus: Option<u32>,
    pub hourly_usd: Option<f64>,
    pub provenance: Provenance,
}

impl Ec2Entry {
    /// Whether the entry prices the type in `aws_region` (`None`: an option
    /// outside AWS's regions, where only an entry without `region` applies).
    pub fn applies_in(&self, aws_region: Option<&str>) -> bool {
        self.region.is_none() || self.region.as_deref() == aws_region
    }

    /// The type `name` with this entry over `base` (the built-in type in the
    /// region); `None` if there is no base and the entry lacks hourly_usd.
    /// Without a base, a type the built-in tables know keeps their vCPUs.
    pub fn apply(&self, name: &str, base: Option<Ec2Type>) -> Option<Ec2Type> {
        let hourly_usd = match &base {
            Some(b) => self.hourly_usd.unwrap_or(b.hourly_usd),
            None => self.hourly_usd?,
        };
        let (vcpus, vcpu_source) = match (self.vcpus, &base) {
            (Some(v), _) => (Some(v), VcpuSource::User),
            (None, Some(b)) => (b.vcpus, b.vcpu_source),
            (None, None) if ec2::known(name) => ec2::vcpus(name),
            (None, None) => (None, VcpuSource::Unknown),
        };
        Some(Ec2Type {
            name: Cow::Owned(name.to_string()),
            vcpus,
            vcpu_source,
            hourly_usd,
            provenance: self.provenance.clone(),
        })
    }
}

/// A user's dyno type, or changes to a built-in one.
#[derive(Clone, Debug, PartialEq)]
pub struct DynoEntry {
    pub vcpus: Option<u32>,
    pub cpu_share: Option<f64>,
    pub memory_gb: Option<f64>,
    pub monthly_usd: Option<f64>,
    pub pool_hours: Option<f64>,
    pub autoscaling: Option<bool>,
    pub sleeps: Option<bool>,
    pub provenance: Provenance,
}

impl DynoEntry {
    /// The dyno type `id` with this entry over `base`; `None` if a new type lacks vcpus or monthly_usd.
    pub fn apply(&self, id: &str, base: Option<DynoType>) -> Option<DynoType> {
        let b = base.as_ref();
        Some(DynoType {
            id: Cow::Owned(id.to_string()),
            vcpus: self.vcpus.or(b.map(|b| b.vcpus))?,
            cpu_share: self.cpu_share.or(b.map(|b| b.cpu_share)).unwrap_or(1.0),
            memory_gb: self.memory_gb.or(b.map(|b| b.memory_gb)).unwrap_or(0.0),
            monthly_usd: self.monthly_usd.or(b.map(|b| b.monthly_usd))?,
            pool_hours: self.pool_hours.or(b.and_then(|b| b.pool_hours)),
            autoscaling: self.autoscaling.or(b.map(|b| b.autoscaling)).unwrap_or(false),
            sleeps: self.sleeps.or(b.map(|b| b.sleeps)).unwrap_or(false),
            provenance: self.provenance.clone(),
        })
    }
}
