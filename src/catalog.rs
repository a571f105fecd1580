//! The price catalog: built-in entries (EC2 instance types, VPS plans, dyno
//! types, EBS volumes, load balancers, reference power and colocation
//! figures), every price with its source and date, and the user's entries
//! layered over them (`[catalog]` in a scenario, `--catalog FILE`).

pub mod carbon;
pub mod cloud_run;
pub mod dyno;
pub mod ebs;
pub mod ec2;
pub mod ec2_regions;
pub mod egress;
pub mod elb;
pub mod embedded;
pub mod heroku_postgres;
pub mod instance_power;
pub mod lambda;
pub mod lambda_cold_start;
pub mod rds;
pub mod reference;
pub mod reserved;
pub mod specpower;
pub mod spot;
pub mod user;
pub mod vps;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

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

/// The catalog a scenario sees: the built-in entries, the scenario's own
/// `[catalog]` entries over them, and the `--catalog FILE` entries over
/// those. A user entry with a built-in id replaces the fields it gives (and
/// the provenance); one with a new id adds an entry; an id in both user
/// layers takes the file's entry whole. The file's entries are shared, not
/// copied, by every scenario and sweep point read with them.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    own: Arc<UserCatalog>,
    file: Arc<UserCatalog>,
}

/// One kind's user entries, e.g. `|u| &u.vps`.
type Kind<T> = fn(&UserCatalog) -> &BTreeMap<String, T>;

impl Catalog {
    /// Only the built-in entries.
    pub fn builtin() -> Catalog {
        Catalog::default()
    }

    /// The built-in entries with `user` over them.
    pub fn new(user: UserCatalog) -> Catalog {
        Catalog { own: Arc::new(user), file: Arc::default() }
    }

    /// The built-in entries, a scenario's `own` over them and `file`'s
    /// (shared) over those.
    pub fn layered(own: UserCatalog, file: &Arc<UserCatalog>) -> Catalog {
        Catalog { own: Arc::new(own), file: Arc::clone(file) }
    }

    /// The `--catalog FILE` entries, as shared.
    pub fn file(&self) -> &Arc<UserCatalog> {
        &self.file
    }

    /// The user's entries in one table, the file's over the scenario's
    /// (what `resolved.toml` writes back).
    pub fn user(&self) -> UserCatalog {
        (*self.own).clone().overridden_by(&self.file)
    }

    /// Roughly the memory of the user's entries, for the --max-memory estimate.
    pub fn approx_bytes(&self) -> usize {
        self.own.approx_bytes() + self.file.approx_bytes()
    }

    /// A user entry by id (case-insensitive): the file's, else the scenario's.
    fn user_entry<T>(&self, kind: Kind<T>, id: &str) -> Option<(&String, &T)> {
        let id = id.to_ascii_lowercase();
        kind(&self.file).get_key_value(&id).or_else(|| kind(&self.own).get_key_value(&id))
    }

    /// The user's ids of one kind that `builtin` does not know, in order.
    fn new_ids<T>(&self, kind: Kind<T>, builtin: impl Fn(&str) -> bool) -> Vec<String> {
        let ids: BTreeSet<&String> = kind(&self.own).keys().chain(kind(&self.file).keys()).collect();
        ids.into_iter().filter(|id| !builtin(id)).cloned().collect()
    }

    /// A VPS plan by id (case-insensitive).
    pub fn vps_plan(&self, id: &str) -> Option<VpsPlan> {
        let builtin = vps::plan(id).cloned();
        match self.user_entry(|u| &u.vps, id) {
            Some((id, entry)) => entry.apply(id, builtin),
            None => builtin,
        }
    }

    /// Every VPS plan: the built-ins (as overridden), then the user's new ones.
    pub fn vps_plans(&self) -> Vec<VpsPlan> {
        let ids = vps::PLANS.iter().map(|p| p.id.to_string());
        let ids = ids.chain(self.new_ids(|u| &u.vps, |id| vps::plan(id).is_some()));
        ids.filter_map(|id| self.vps_plan(&id)).collect()
    }

    /// An EC2 instance type by name (case-insensitive) priced in the AWS
    /// region `aws_region`; `None` for a region outside AWS, where only the
    /// user's entries without `region` price it.
    pub fn ec2(&self, name: &str, aws_region: Option<&str>) -> Option<Ec2Type> {
        let builtin = aws_region.and_then(|r| ec2::instance_in(r, name));
        match self.user_entry(|u| &u.ec2, name).filter(|(_, e)| e.applies_in(aws_region)) {
            Some((id, entry)) => entry.apply(id, builtin),
            None => builtin,
        }
    }

    /// Whether the type is known in some region (built in, or a user's entry).
    pub fn ec2_known(&self, name: &str) -> bool {
        ec2::known(name) || self.user_entry(|u| &u.ec2, name).is_some()
    }

    /// The type's vCPUs wherever it is known: the user's entry, else the
    /// built-in tables (vCPUs do not depend on the region).
    pub fn ec2_vcpus(&self, name: &str) -> Option<u32> {
        let user = self.user_entry(|u| &u.ec2, name).and_then(|(_, e)| e.vcpus);
        user.or_else(|| ec2::known(name).then(|| ec2::vcpus(&name.to_ascii_lowercase()).0).flatten())
    }

    /// Every EC2 instance type priced in the AWS region `aws_region`: the
    /// built-ins (as overridden), then the user's new ones.
    pub fn ec2_types(&self, aws_region: &str) -> Vec<Ec2Type> {
        let names = ec2::types_in(aws_region).into_iter().map(|t| t.name.to_string());
        let names = names.chain(self.new_ids(|u| &u.ec2, |name| ec2::instance_in(aws_region, name).is_some()));
        names.filter_map(|name| self.ec2(&name, Some(aws_region))).collect()
    }

    /// A dyno type by name (case-insensitive), e.g. "performance-m".
    pub fn dyno(&self, name: &str) -> Option<DynoType> {
        let builtin = dyno::dyno(name).cloned();
        match self.user_entry(|u| &u.dyno, name) {
            Some((id, entry)) => entry.apply(id, builtin),
            None => builtin,
        }
    }

    /// Every dyno type: the built-ins (as overridden), then the user's new ones.
    pub fn dynos(&self) -> Vec<DynoType> {
        let ids = dyno::DYNOS.iter().map(|d| d.id.to_string());
        let ids = ids.chain(self.new_ids(|u| &u.dyno, |id| dyno::dyno(id).is_some()));
        ids.filter_map(|id| self.dyno(&id)).collect()
    }
}

/// Equal when they give the same entries, however layered.
impl PartialEq for Catalog {
    fn eq(&self, other: &Catalog) -> bool {
        self.user() == other.user()
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
        let ec2 = Ec2Entry { region: None, vcpus: None, hourly_usd: Some(0.107), provenance: user("eu-west-1 price") };
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
        let m5 = c.ec2("M5.Large", Some("us-east-1")).unwrap();
        assert_eq!((m5.hourly_usd, m5.vcpus, m5.provenance.source.as_ref()), (0.107, Some(2), "eu-west-1 price"));
        assert_eq!(Catalog::builtin().ec2("m5.large", Some("us-east-1")).unwrap().hourly_usd, 0.096);
        // A new plan: hourly defaults to monthly / 730.
        let p = c.vps_plan("MY-PLAN").unwrap();
        assert_eq!((p.vcpus, p.monthly_usd, p.hourly_usd), (2, 10.0, 10.0 / 730.0));
        assert_eq!(c.vps_plans().len(), vps::PLANS.len() + 1);
        assert_eq!(c.ec2_types("us-east-1").len(), ec2::all().len());
        assert_eq!(c.dynos().len(), dyno::DYNOS.len());
    }

    #[test]
    fn ec2_entries_apply_in_their_region_and_built_ins_are_priced_per_region() {
        let entry = |region: Option<&str>, vcpus: Option<u32>, usd: Option<f64>| Ec2Entry {
            region: region.map(str::to_string),
            vcpus,
            hourly_usd: usd,
            provenance: user("mine"),
        };
        let mut u = UserCatalog::default();
        u.ec2.insert("m5.large".into(), entry(Some("eu-west-1"), None, Some(0.5)));
        u.ec2.insert("x9.large".into(), entry(None, Some(3), Some(0.2)));
        // A type not sold in eu-south-2, priced there by hand: it keeps the built-in vCPUs.
        u.ec2.insert("m6i.large".into(), entry(Some("eu-south-2"), None, Some(0.13)));
        let c = Catalog::new(u);
        let price = |name: &str, region: Option<&str>| c.ec2(name, region).map(|t| (t.vcpus, t.hourly_usd));
        assert_eq!(price("m5.large", Some("eu-west-1")), Some((Some(2), 0.5)));
        // Built in elsewhere: eu-west-2 $0.111 (regional list), us-east-1 $0.096 (Karpenter).
        assert_eq!(price("m5.large", Some("eu-west-2")), Some((Some(2), 0.111)));
        assert_eq!(price("m5.large", Some("us-east-1")), Some((Some(2), 0.096)));
        assert_eq!(price("m5.large", None), None);
        assert_eq!(price("x9.large", None), Some((Some(3), 0.2)));
        assert_eq!(price("m6i.large", Some("eu-south-2")), Some((Some(2), 0.13)));
        assert_eq!(Catalog::builtin().ec2("m6i.large", Some("eu-south-2")), None);
        assert!(c.ec2_known("X9.LARGE") && c.ec2_known("m6i.large") && !c.ec2_known("x8.large"));
        assert_eq!(
            (c.ec2_vcpus("x9.large"), c.ec2_vcpus("c5.large"), c.ec2_vcpus("x8.large")),
            (Some(3), Some(2), None)
        );
        // The listing of a region has its built-ins and the entries that apply there.
        let names = |region: &str| c.ec2_types(region).into_iter().map(|t| t.name.to_string()).collect::<Vec<_>>();
        let (south, west) = (names("eu-south-2"), names("eu-west-1"));
        assert!(south.contains(&"m6i.large".to_string()) && south.contains(&"x9.large".to_string()));
        // The eu-south-2 entry leaves eu-west-2's built-in m6i.large ($0.111) alone.
        let west2 = c.ec2_types("eu-west-2");
        assert_eq!(west2.iter().find(|t| t.name == "m6i.large").map(|t| t.hourly_usd), Some(0.111));
        // m5.large once in eu-west-1, at the entry's price; the built-ins plus x9.large.
        let m5: Vec<f64> =
            c.ec2_types("eu-west-1").iter().filter(|t| t.name == "m5.large").map(|t| t.hourly_usd).collect();
        assert_eq!(m5, [0.5]);
        assert_eq!(west.len(), ec2::types_in("eu-west-1").len() + 1);
    }

    #[test]
    fn the_file_layer_wins_whole_and_is_shared() {
        let entry = |price: f64, source: &str| VpsEntry {
            provider: None,
            vcpus: Some(1),
            memory_gb: None,
            monthly_usd: Some(price),
            hourly_usd: None,
            provenance: user(source),
        };
        let (mut own, mut file) = (UserCatalog::default(), UserCatalog::default());
        own.vps.insert("a".into(), entry(1.0, "scenario"));
        own.vps.insert("b".into(), entry(2.0, "scenario"));
        file.vps.insert("b".into(), entry(3.0, "file"));
        file.vps.insert("c".into(), entry(4.0, "file"));
        let file = Arc::new(file);
        let (x, y) = (Catalog::layered(own.clone(), &file), Catalog::layered(UserCatalog::default(), &file));
        assert!(Arc::ptr_eq(x.file(), y.file()) && Arc::ptr_eq(x.file(), &file));
        let price = |c: &Catalog, id: &str| c.vps_plan(id).map(|p| p.monthly_usd);
        assert_eq!(
            [price(&x, "A"), price(&x, "b"), price(&x, "c"), price(&y, "a")],
            [Some(1.0), Some(3.0), Some(4.0), None]
        );
        assert_eq!(x.vps_plans().len(), vps::PLANS.len() + 3);
        // The same entries in one layer are the same catalog.
        assert_eq!(x, Catalog::new(own.overridden_by(&file)));
        assert!(x.approx_bytes() > y.approx_bytes());
    }
}
