//! Amazon RDS for PostgreSQL and MySQL: the on-demand hourly price of each
//! current-generation instance class per AWS region, Single-AZ and Multi-AZ
//! (one standby instance), storage per GB-month, and the default
//! `max_connections` of a class (an upper bound: AWS's formula on the
//! nominal memory). The `[[database]]` tier's managed kind reads these.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::Provenance;
use super::embedded::{gunzip, rows};

/// `region,engine,instance_class,vcpu,memory_gib,deployment,usd_per_hour`.
const CLASSES_GZ: &[u8] = include_bytes!("../../data/aws_rds_ondemand_2024-09-28.csv.gz");
/// `region,engine,storage_type,deployment,usd_per_gb_month`.
const STORAGE_CSV: &str = include_str!("../../data/aws_rds_storage_2024-09-28.csv");
/// `instance_class,vcpu,memory_gib_nominal,postgres_…,mysql_max_connections_upper_bound`.
const CONNECTIONS_CSV: &str = include_str!("../../data/aws_rds_max_connections_upper_bound_2024-09-28.csv");

/// Where the prices come from.
pub const PROVENANCE: Provenance = Provenance::builtin(
    "AWS Pricing Calculator maps meteredUnitMaps/rds/USD/current/rds-{postgresql,mysql}-ondemand.json \
     (published 2024-09-28), as copied in yeo/ec2.shop data/rds/ (commit 44337592)",
    "2024-09-28",
);
/// Where the connection limits come from.
pub const CONNECTIONS_PROVENANCE: Provenance = Provenance::builtin(
    "AWS's default max_connections formulas (PostgreSQL: min(memory bytes / 9,531,392, 5,000); \
     MySQL: memory bytes / 12,582,880) on the nominal memory: an upper bound, real defaults are 3-12 % lower",
    "2024-09-28",
);

/// The database engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Engine {
    Postgresql,
    Mysql,
}

impl Engine {
    pub const ALL: [Engine; 2] = [Engine::Postgresql, Engine::Mysql];

    /// As written in a scenario and in the tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::Postgresql => "postgresql",
            Engine::Mysql => "mysql",
        }
    }

    fn parse(text: &str) -> Option<Engine> {
        Engine::ALL.into_iter().find(|e| e.as_str() == text)
    }
}

/// One instance class of one engine in one region.
#[derive(Clone, Debug, PartialEq)]
pub struct RdsClass {
    pub region: &'static str,
    pub engine: Engine,
    /// E.g. `db.m5.large`.
    pub name: &'static str,
    pub vcpus: u32,
    pub memory_gib: f64,
    pub single_az_usd_per_hour: f64,
    /// With one standby in another zone; `None` where not offered.
    pub multi_az_usd_per_hour: Option<f64>,
}

/// Every class, by (region, engine, class name), read once.
fn classes() -> &'static BTreeMap<(&'static str, Engine, &'static str), RdsClass> {
    static CLASSES: OnceLock<BTreeMap<(&'static str, Engine, &'static str), RdsClass>> = OnceLock::new();
    CLASSES.get_or_init(|| {
        let text: &'static str = Box::leak(gunzip(CLASSES_GZ).into_boxed_str());
        let mut map = BTreeMap::new();
        for f in rows(text) {
            let [region, engine, name, vcpus, memory, deployment, usd] = f[..] else { continue };
            let Some(engine) = Engine::parse(engine) else { continue };
            let (Ok(vcpus), Ok(memory_gib), Ok(usd)) = (vcpus.parse(), memory.parse(), usd.parse::<f64>()) else {
                continue;
            };
            let class = map.entry((region, engine, name)).or_insert(RdsClass {
                region,
                engine,
                name,
                vcpus,
                memory_gib,
                single_az_usd_per_hour: f64::NAN,
                multi_az_usd_per_hour: None,
            });
            match deployment {
                "single_az" => class.single_az_usd_per_hour = usd,
                "multi_az_instance" => class.multi_az_usd_per_hour = Some(usd),
                _ => {}
            }
        }
        // A class only offered Multi-AZ cannot be priced as asked for Single-AZ.
        map.retain(|_, c| c.single_az_usd_per_hour.is_finite());
        map
    })
}

/// The class `name` of `engine` in the AWS region `region`, if priced there.
pub fn class(region: &str, engine: Engine, name: &str) -> Option<&'static RdsClass> {
    classes().iter().find(|((r, e, n), _)| *r == region && *e == engine && *n == name).map(|(_, c)| c)
}

/// Every class priced in `region`, by engine then name.
pub fn classes_in(region: &str) -> impl Iterator<Item = &'static RdsClass> {
    classes().values().filter(move |c| c.region == region)
}

/// Storage (`gp2`, `gp3`, `io1`, `io2` or `backup`) in USD per GB-month.
pub fn storage_usd_per_gb_month(region: &str, engine: Engine, storage: &str, multi_az: bool) -> Option<f64> {
    let deployment = match (storage, multi_az) {
        ("backup", _) => "any",
        (_, false) => "single_az",
        (_, true) => "multi_az_instance",
    };
    rows(STORAGE_CSV)
        .find(|f| f[..4] == [region, engine.as_str(), storage, deployment])
        .and_then(|f| f.get(4)?.parse().ok())
}

/// The storage types priced per GB-month, as `storage_usd_per_gb_month` takes them.
pub const STORAGE_TYPES: [&str; 5] = ["gp2", "gp3", "io1", "io2", "backup"];

/// The default `max_connections` of a class (an upper bound; see the module).
pub fn max_connections(engine: Engine, class: &str) -> Option<u32> {
    let column = match engine {
        Engine::Postgresql => 3,
        Engine::Mysql => 4,
    };
    rows(CONNECTIONS_CSV).find(|f| f[0] == class).and_then(|f| f.get(column)?.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_are_priced_as_aws_lists_them() {
        // us-east-1 list prices, also in Infracost's golden tests of 2026-05-03:
        // db.t3.large PostgreSQL $0.145/h; MySQL Multi-AZ $0.272/h = 2 × $0.136.
        let pg = class("us-east-1", Engine::Postgresql, "db.t3.large").unwrap();
        assert_eq!((pg.vcpus, pg.memory_gib, pg.single_az_usd_per_hour), (2, 8.0, 0.145));
        let my = class("us-east-1", Engine::Mysql, "db.t3.large").unwrap();
        assert_eq!((my.single_az_usd_per_hour, my.multi_az_usd_per_hour), (0.136, Some(0.272)));
        assert!(class("us-east-1", Engine::Postgresql, "db.nope.large").is_none());
        // Multi-AZ is about twice Single-AZ everywhere (1.94-2.06 in the source's check).
        let all: Vec<_> = classes().values().collect();
        assert!(all.len() > 4_000, "{}", all.len());
        for c in &all {
            assert!(c.single_az_usd_per_hour > 0.0 && c.vcpus > 0, "{c:?}");
            if let Some(m) = c.multi_az_usd_per_hour {
                assert!((1.9..=2.1).contains(&(m / c.single_az_usd_per_hour)), "{c:?}");
            }
        }
        // Every row was read: 4,678 classes with both prices, and one offered Multi-AZ only (left out).
        let prices: usize = all.iter().map(|c| 1 + usize::from(c.multi_az_usd_per_hour.is_some())).sum();
        assert_eq!(prices + 1, rows(&gunzip(CLASSES_GZ)).count());
        assert_eq!(rows(STORAGE_CSV).filter(|f| f.len() == 5 && f[4].parse::<f64>().is_ok()).count(), 340);
        assert_eq!(
            rows(CONNECTIONS_CSV).filter(|f| f[3].parse::<u32>().is_ok() && f[4].parse::<u32>().is_ok()).count(),
            74
        );
        // Twenty regions, each with both engines.
        let regions: std::collections::BTreeSet<_> = all.iter().map(|c| c.region).collect();
        assert_eq!(regions.len(), 20);
        assert!(classes_in("eu-west-2").any(|c| c.engine == Engine::Mysql));
    }

    #[test]
    fn storage_and_connections() {
        // us-east-1: gp2 = gp3 = $0.115/GB-month Single-AZ, $0.23 Multi-AZ; io1 $0.125; backup $0.095.
        let pg = Engine::Postgresql;
        assert_eq!(storage_usd_per_gb_month("us-east-1", pg, "gp3", false), Some(0.115));
        assert_eq!(storage_usd_per_gb_month("us-east-1", pg, "gp2", true), Some(0.23));
        assert_eq!(storage_usd_per_gb_month("us-east-1", pg, "io1", false), Some(0.125));
        assert_eq!(storage_usd_per_gb_month("us-east-1", pg, "backup", true), Some(0.095));
        assert_eq!(storage_usd_per_gb_month("us-east-1", pg, "magnetic", false), None);
        // db.m5.large, 8 GiB: PostgreSQL ⌊8 × 2^30 / 9,531,392⌋ = 901; MySQL ⌊8 × 2^30 / 12,582,880⌋ = 682.
        assert_eq!(max_connections(pg, "db.m5.large"), Some(901));
        assert_eq!(max_connections(Engine::Mysql, "db.m5.large"), Some(682));
        assert_eq!((8u64 << 30) / 9_531_392, 901);
        assert_eq!(max_connections(pg, "db.x9.large"), None);
    }
}
