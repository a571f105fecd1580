//! The price catalog: built-in entries (EC2 instance types, VPS plans, dyno
//! types, reference power and colocation figures), every price with its
//! source and date, and the user's entries layered over them (`[catalog]` in
//! a scenario, `--catalog FILE`).

pub mod dyno;
pub mod ec2;
pub mod print;
pub mod reference;
pub mod user;
pub mod vps;

use std::borrow::Cow;

pub use user::UserCatalog;

use dyno::DynoType;
use ec2::Ec2Type;
use vps::VpsPlan;

/// Text that is built in (borrowed) or comes from a user's file (owned).
pub type Text = Cow<'static, str>;

/// Where a price comes from and when it was true.
#[derive(Clone, Debug, PartialEq)]
pub struct Provenance {
    pub source: Text,
    /// Date of the data as stated by the source (YYYY-MM-DD or a period).
    pub date: Text,
}

impl Provenance {
    /// A built-in provenance.
    pub const fn builtin(source: &'static str, date: &'static str) -> Provenance {
        Provenance { source: Cow::Borrowed(source), date: Cow::Borrowed(date) }
    }
}

/// The catalog a scenario sees: the built-in entries with the user's
/// entries over them. A user entry with a built-in id replaces the fields it
/// gives (and the provenance); one with a new id adds an entry.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Catalog {
    user: UserCatalog,
}

impl Catalog {
    /// Only the built-in entries.
    pub fn builtin() -> Catalog {
        Catalog::default()
    }

    /// The built-in entries with `user` over them.
    pub fn new(user: UserCatalog) -> Catalog {
        Catalog { user }
    }

    /// The user's entries (what `resolved.toml` writes back).
    pub fn user(&self) -> &UserCatalog {
        &self.user
    }

    /// A VPS plan by id (case-insensitive).
    pub fn vps_plan(&self, id: &str) -> Option<VpsPlan> {
        let builtin = vps::plan(id).cloned();
        match self.user.vps.get_key_value(&id.to_ascii_lowercase()) {
            Some((id, entry)) => entry.apply(id, builtin),
            None => builtin,
        }
    }

    /// Every VPS plan: the built-ins (as overridden), then the user's new ones.
    pub fn vps_plans(&self) -> Vec<VpsPlan> {
        let ids = vps::PLANS.iter().map(|p| p.id.to_string());
        let ids = ids.chain(self.user.vps.keys().filter(|k| vps::plan(k).is_none()).cloned());
        ids.filter_map(|id| self.vps_plan(&id)).collect()
    }

    /// An EC2 instance type by name (case-insensitive), us-east-1 prices.
    pub fn ec2(&self, name: &str) -> Option<Ec2Type> {
        let builtin = ec2::instance(name);
        match self.user.ec2.get_key_value(&name.to_ascii_lowercase()) {
            Some((id, entry)) => entry.apply(id, builtin),
            None => builtin,
        }
    }

    /// Every EC2 instance type: the built-ins (as overridden), then the user's new ones.
    pub fn ec2_types(&self) -> Vec<Ec2Type> {
        let names = ec2::all().iter().map(|t| t.name.to_string());
        let new = self.user.ec2.keys().filter(|k| ec2::instance(k).is_none()).cloned();
        names.chain(new).filter_map(|name| self.ec2(&name)).collect()
    }

    /// A dyno type by name (case-insensitive), e.g. "performance-m".
    pub fn dyno(&self, name: &str) -> Option<DynoType> {
        let builtin = dyno::dyno(name).cloned();
        match self.user.dyno.get_key_value(&name.to_ascii_lowercase()) {
            Some((id, entry)) => entry.apply(id, builtin),
            None => builtin,
        }
    }

    /// Every dyno type: the built-ins (as overridden), then the user's new ones.
    pub fn dynos(&self) -> Vec<DynoType> {
        let ids = dyno::DYNOS.iter().map(|d| d.id.to_string());
        let new = self.user.dyno.keys().filter(|k| dyno::dyno(k).is_none()).cloned();
        ids.chain(new).filter_map(|id| self.dyno(&id)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::user::{Ec2Entry, VpsEntry};
    use super::*;

    fn user(source: &str) -> Provenance {
        Provenance { source: Cow::Owned(source.into()), date: Cow::Borrowed("2026-11-25") }
    }

    #[test]
    fn user_entries_override_fields_and_add_new_ids() {
        let mut u = UserCatalog::default();
        let ec2 = Ec2Entry { vcpus: None, hourly_usd: Some(0.107), provenance: user("eu-west-1 price") };
        u.ec2.insert("m5.large".into(), ec2);
        let plan = VpsEntry {
            provider: None,
            vcpus: Some(2),
            memory_gb: None,
            monthly_usd: Some(10.0),
            hourly_usd: None,
            provenance: user("my host"),
        };
        u.vps.insert("my-plan".into(), plan);
        let c = Catalog::new(u);
        // The price is the user's; the vCPUs stay the built-in's.
        let m5 = c.ec2("M5.Large").unwrap();
        assert_eq!((m5.hourly_usd, m5.vcpus, m5.provenance.source.as_ref()), (0.107, Some(2), "eu-west-1 price"));
        assert_eq!(Catalog::builtin().ec2("m5.large").unwrap().hourly_usd, 0.096);
        // A new plan: hourly defaults to monthly / 730.
        let p = c.vps_plan("MY-PLAN").unwrap();
        assert_eq!((p.vcpus, p.monthly_usd, p.hourly_usd), (2, 10.0, 10.0 / 730.0));
        assert_eq!(c.vps_plans().len(), vps::PLANS.len() + 1);
        assert_eq!(c.ec2_types().len(), ec2::all().len());
        assert_eq!(c.dynos().len(), dyno::DYNOS.len());
    }
}
