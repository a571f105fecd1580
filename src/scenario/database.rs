//! `[[database]]`: the database tiers options may name (`database = "main"`).
//! Each table is checked at the top level (its name, its kind, that an option
//! names it); its prices are resolved for each option that names it, in that
//! option's AWS region, since every option gets its own instance of it.

use super::error::{Diag, Diags};
use super::model::{Database, DatabaseKind, Managed};
use super::name::check_name_length;
use super::reader::{Bounds, Field, Table, join};
use super::spec::{Key, Tagged, Type};
use super::suggest::did_you_mean;
use super::toml_value::{duration, number, string};
use crate::catalog::rds::{self, Engine};
use crate::catalog::{Catalog, heroku_postgres};
use crate::scenario::kinds::bare_metal;
use crate::scenario::regions::Overrides;

/// `[[database]]`: `kind` picks the keys besides the common ones.
pub const DATABASE: Tagged = Tagged {
    name: "database",
    tag: "kind",
    common: COMMON_KEYS,
    variants: || vec![("self_hosted", SELF_HOSTED_KEYS), ("managed", MANAGED_KEYS), ("paas", PAAS_KEYS)],
};

const KINDS: [&str; 3] = ["self_hosted", "managed", "paas"];

const COMMON_KEYS: &[Key] = &[
    Key::new("name", Type::Str, "what options call it: database = \"name\"").default("required"),
    Key::new("kind", Type::OneOf(&KINDS), "self_hosted, managed (RDS-like) or paas (Heroku Postgres)")
        .default("required"),
    Key::new("max_connections", Type::Integer, "connections it accepts in all (over every web instance's pool)")
        .default("managed: the class's default; paas: the plan's limit; self_hosted: unlimited"),
    Key::new("region", Type::Str, "where it runs (priced there), when not in the option's region")
        .default("the option's region"),
    Key::new("rtt", Type::Duration, "round trip between the web instances and the database, per query")
        .default("\"1ms\" in the option's region; else the network's RTT between the two"),
];

const SELF_HOSTED_KEYS: &[Key] = &[
    Key::new("plan", Type::Str, "the VPS plan it runs on (hostsim catalog --kind vps), giving cores and price"),
    Key::new("cores", Type::Integer, "cores: FCFS servers for queries").default("from plan, else required"),
    Key::new("monthly_usd", Type::Number, "what the server costs a month, all in")
        .unit("USD")
        .default("from plan; with server 0; else required"),
    Key::new(
        "server",
        Type::Table(bare_metal::SERVER_KEYS),
        "an owned server of `cores`: bought (price_usd over lifetime), colocated and powered, as bare metal",
    ),
];

const MANAGED_KEYS: &[Key] = &[
    Key::new("engine", Type::OneOf(&["postgresql", "mysql"]), "the database engine, for prices and connection limits")
        .default("\"postgresql\""),
    Key::new(
        "instance_class",
        Type::Str,
        "an RDS class (hostsim catalog --kind database), priced in the option's region",
    ),
    Key::new("vcpus", Type::Integer, "vCPUs: FCFS servers for queries").default("from instance_class, else required"),
    Key::new("hourly_usd", Type::Number, "price of one Single-AZ instance an hour")
        .unit("USD")
        .default("from instance_class, else required"),
    Key::new(
        "multi_az",
        Type::Bool,
        "a standby in another zone: about twice the instance and storage price, no capacity",
    )
    .default("false"),
    Key::new("storage_gb", Type::Number, "allocated storage").unit("GB").default("0"),
    Key::new("storage_usd_per_gb_month", Type::Number, "storage price of one copy")
        .unit("USD")
        .default("gp3 in the option's AWS region"),
    Key::new("read_replicas", Type::Integer, "replicas of the primary's class taking read queries").default("0"),
    Key::new("read_share", Type::Number, "the share of queries that are reads (sent to the replicas)")
        .default("required with read_replicas"),
];

const PAAS_KEYS: &[Key] = &[Key::new(
    "plan",
    Type::Str,
    "a Heroku Postgres plan (hostsim catalog --kind database), giving vCPUs, price and connection limit",
)
.default("required")];

/// The `[[database]]` tables by name, each checked to have a usable name and kind.
pub struct Tables<'a> {
    tables: Vec<(String, Field<'a>)>,
}

impl<'a> Tables<'a> {
    /// Reads the `[[database]]` array (none if absent).
    pub fn read(f: Option<Field<'a>>) -> Result<Tables<'a>, Diags> {
        let mut errors = Diags::default();
        let mut tables: Vec<(String, Field<'a>)> = Vec::new();
        for field in f.map(|f| f.elements()).transpose().map_err(Diags::from)?.unwrap_or_default() {
            let Some(name) = errors.take(table_name(&field)) else { continue };
            if tables.iter().any(|(n, _)| *n == name) {
                let name_field = field.node.get("name").map(|n| n.span.clone());
                errors.push(
                    Diag::new(
                        join(&field.path(), "name"),
                        name_field.flatten(),
                        format!("duplicate database name \"{name}\""),
                    )
                    .hint("every [[database]] needs its own name"),
                );
                continue;
            }
            tables.push((name, field));
        }
        if errors.is_empty() { Ok(Tables { tables }) } else { Err(errors) }
    }

    /// The database `f` (an option's `database` key) names, resolved in
    /// its own region (`regions` names it) or else the option's AWS region.
    pub fn resolve(
        &self,
        f: &Field,
        aws_region: Option<&str>,
        regions: &Overrides,
        catalog: &Catalog,
    ) -> Result<Database, Diag> {
        let name = f.str()?;
        let Some((_, table)) = self.tables.iter().find(|(n, _)| n == name) else {
            let names: Vec<&str> = self.tables.iter().map(|(n, _)| n.as_str()).collect();
            let hint = if names.is_empty() {
                "define it in a [[database]] table: name, kind and its size".to_string()
            } else {
                format!("databases: {}", names.join(", "))
            };
            return Err(f
                .error(format!("no [[database]] named \"{name}\"{}", did_you_mean(name, names.iter().copied())))
                .hint(hint));
        };
        read(name, table, aws_region, regions, catalog)
    }

    /// An error for each table no option names (`named`: the names options use).
    pub fn unused(&self, named: &[&str]) -> Diags {
        let mut errors = Diags::default();
        for (name, f) in self.tables.iter().filter(|(n, _)| !named.contains(&n.as_str())) {
            errors.push(
                Diag::new(format!("database \"{name}\""), f.span(), format!("no option uses database \"{name}\""))
                    .hint(format!("name it on an option: database = \"{name}\"; or remove it")),
            );
        }
        errors
    }
}

/// A table's name, after checking it is a table with a name.
fn table_name(f: &Field) -> Result<String, Diag> {
    let t = Table::any(f.path(), f.node)?;
    let name = t.require("name", "name = \"main\"")?;
    let text = name.str()?;
    if text.trim().is_empty() {
        return Err(name.error("database names must not be empty"));
    }
    check_name_length(text).map_err(|m| name.error(m))?;
    Ok(text.to_string())
}

/// One `[[database]]` table, priced in its own region or else in `aws_region`.
fn read(
    name: &str,
    f: &Field,
    aws_region: Option<&str>,
    regions: &Overrides,
    catalog: &Catalog,
) -> Result<Database, Diag> {
    let path = format!("database \"{name}\"");
    let probe = Table::any(path.clone(), f.node)?;
    let kind = probe.require("kind", "kind = \"managed\"")?.one_of("database kind", KINDS, |k| k)?;
    let keys: Vec<Key> = COMMON_KEYS.iter().chain(kind_keys(kind)).copied().collect();
    let t = Table::new(path, f.node, &keys)?;
    let (region, aws_region) = match t.get("region") {
        Some(f) => {
            let written = f.str()?;
            (Some(regions.resolve(written, &f.path(), f.span())?), crate::network::aws_region(written))
        }
        None => (None, aws_region),
    };
    let (servers, default_connections, kind) = match kind {
        "self_hosted" => self_hosted(&t, catalog)?,
        "managed" => managed(&t, aws_region)?,
        _ => paas(&t)?,
    };
    let max_connections = match t.get("max_connections") {
        Some(f) => Some(f.u32(1)?),
        None => default_connections,
    };
    let rtt = t.get("rtt").map(|f| f.duration()).transpose()?;
    Ok(Database { name: name.to_string(), servers, max_connections, region: region.map(|r| r.name), rtt, kind })
}

fn kind_keys(kind: &str) -> &'static [Key] {
    match kind {
        "self_hosted" => SELF_HOSTED_KEYS,
        "managed" => MANAGED_KEYS,
        _ => PAAS_KEYS,
    }
}

/// Servers, the default connection limit and the kind's prices.
type Read = (u32, Option<u32>, DatabaseKind);

fn self_hosted(t: &Table, catalog: &Catalog) -> Result<Read, Diag> {
    let plan = match t.get("plan") {
        Some(f) => {
            let id = f.str()?;
            Some(catalog.vps_plan(id).ok_or_else(|| {
                f.error(format!("unknown VPS plan \"{id}\""))
                    .hint("see hostsim catalog --kind vps, or give cores and monthly_usd")
            })?)
        }
        None => None,
    };
    let cores = match (t.get("cores"), &plan) {
        (Some(f), _) => f.u32(1)?,
        (None, Some(p)) => p.vcpus,
        (None, None) => t.require("cores", "cores = 4")?.u32(1)?,
    };
    let server = match (t.get("server"), &plan) {
        (Some(f), Some(_)) => {
            return Err(f
                .error("a database runs on a VPS plan or on an owned server, not both")
                .hint("drop plan (and give cores), or drop server"));
        }
        (Some(f), None) => Some(bare_metal::server(&Table::new(f.path(), f.node, bare_metal::SERVER_KEYS)?, cores)?),
        (None, _) => None,
    };
    let monthly_usd = match (t.get("monthly_usd"), &plan, &server) {
        (Some(f), _, _) => f.number(Bounds::NONNEG)?,
        (None, Some(p), _) => p.monthly_usd,
        (None, None, Some(_)) => 0.0,
        (None, None, None) => t
            .require("monthly_usd", "monthly_usd = 80 (or server = { price_usd = 6000, colo_usd_per_month = 100 })")?
            .number(Bounds::NONNEG)?,
    };
    let plan = plan.map(|p| p.id.to_string());
    Ok((cores, None, DatabaseKind::SelfHosted { plan, monthly_usd, server }))
}

fn managed(t: &Table, aws_region: Option<&str>) -> Result<Read, Diag> {
    let engine = match t.get("engine") {
        Some(f) => f.one_of("engine", Engine::ALL, Engine::as_str)?,
        None => Engine::Postgresql,
    };
    let multi_az = t.get("multi_az").map_or(Ok(false), |f| f.boolean())?;
    let (class, vcpus, hourly_usd, multi_az_hourly_usd, connections) = match t.get("instance_class") {
        Some(f) => {
            let name = f.str()?;
            for key in ["vcpus", "hourly_usd"] {
                if let Some(g) = t.get(key) {
                    return Err(g.error(format!("{key} comes from instance_class \"{name}\"; give one or the other")));
                }
            }
            let Some(region) = aws_region else {
                return Err(f
                    .error(format!("{name} is priced per AWS region, and the option naming it runs outside AWS"))
                    .hint("give vcpus and hourly_usd instead"));
            };
            let class = rds::class(region, engine, name).ok_or_else(|| {
                f.error(format!("no RDS {} class \"{name}\" priced in {region}", engine.as_str()))
                    .hint(format!("see hostsim catalog --kind database --region {region}"))
            })?;
            let both = if multi_az {
                Some(
                    class
                        .multi_az_usd_per_hour
                        .ok_or_else(|| f.error(format!("{name} is not offered Multi-AZ in {region}")))?,
                )
            } else {
                None
            };
            let connections = rds::max_connections(engine, name);
            (Some(name.to_string()), class.vcpus, class.single_az_usd_per_hour, both, connections)
        }
        None => {
            let example = "instance_class = \"db.m5.large\" (or vcpus and hourly_usd)";
            let vcpus = t.require("vcpus", example)?.u32(1)?;
            let hourly_usd = t.require("hourly_usd", example)?.number(Bounds::NONNEG)?;
            (None, vcpus, hourly_usd, multi_az.then_some(2.0 * hourly_usd), None)
        }
    };
    let storage_gb = t.number_or("storage_gb", 0.0, Bounds::NONNEG)?;
    let storage_usd_per_gb_month = match t.get("storage_usd_per_gb_month") {
        Some(f) => Some(f.number(Bounds::NONNEG)?),
        None => None,
    };
    let catalog_storage = aws_region.and_then(|r| rds::storage_usd_per_gb_month(r, engine, "gp3", false));
    let storage_price = match (storage_usd_per_gb_month, catalog_storage) {
        (Some(usd), _) => usd,
        (None, Some(usd)) => usd,
        (None, None) if storage_gb == 0.0 => 0.0,
        (None, None) => {
            let f = t.get("storage_gb");
            return Err(Diag::new(join(&t.path, "storage_gb"), f.and_then(|f| f.span()), "no storage price here")
                .hint("give storage_usd_per_gb_month (RDS storage is priced in AWS regions only)"));
        }
    };
    let read_replicas = t.u32_or("read_replicas", 0, 0)?;
    let read_share = match (t.get("read_share"), read_replicas) {
        (Some(f), _) => f.number(Bounds::FRACTION)?,
        (None, 0) => 0.0,
        (None, _) => t.require("read_share", "read_share = 0.8")?.number(Bounds::FRACTION)?,
    };
    let m = Managed {
        engine,
        instance_class: class,
        hourly_usd,
        multi_az_hourly_usd,
        storage_gb,
        storage_usd_per_gb_month: storage_price,
        storage_price_given: storage_usd_per_gb_month.is_some(),
        read_replicas,
        read_share,
    };
    Ok((vcpus, connections, DatabaseKind::Managed(m)))
}

fn paas(t: &Table) -> Result<Read, Diag> {
    let f = t.require("plan", "plan = \"standard-0\"")?;
    let name = f.str()?;
    let names = heroku_postgres::plans().iter().map(|p| p.name);
    let plan = heroku_postgres::plan(name).ok_or_else(|| {
        f.error(format!("unknown Heroku Postgres plan \"{name}\"{}", did_you_mean(name, names)))
            .hint("see hostsim catalog --kind database")
    })?;
    // Essential plans run on shared servers and publish no vCPUs: one server.
    let servers = plan.vcpus.map_or(1, |v| v.round().max(1.0) as u32);
    let kind = DatabaseKind::Paas { plan: plan.name.to_string(), monthly_usd: plan.usd_per_month };
    Ok((servers, Some(plan.connection_limit), kind))
}

/// The `[[database]]` table of `db` as `resolved.toml` writes it: what was
/// given, with defaults filled in that do not depend on the option's region.
pub fn write(db: &Database) -> Vec<(&'static str, String)> {
    let mut out = vec![("name", string(&db.name))];
    match &db.kind {
        DatabaseKind::SelfHosted { plan, monthly_usd, server } => {
            out.push(("kind", string("self_hosted")));
            match plan {
                Some(p) => out.push(("plan", string(p))),
                None => out.push(("monthly_usd", number(*monthly_usd))),
            }
            out.push(("cores", db.servers.to_string()));
            if let Some(s) = server {
                out.push(("server", bare_metal::write_server(s)));
            }
        }
        DatabaseKind::Managed(m) => {
            out.push(("kind", string("managed")));
            out.push(("engine", string(m.engine.as_str())));
            match &m.instance_class {
                Some(c) => out.push(("instance_class", string(c))),
                None => {
                    out.push(("vcpus", db.servers.to_string()));
                    out.push(("hourly_usd", number(m.hourly_usd)));
                }
            }
            out.push(("multi_az", m.multi_az_hourly_usd.is_some().to_string()));
            out.push(("storage_gb", number(m.storage_gb)));
            if m.storage_price_given {
                out.push(("storage_usd_per_gb_month", number(m.storage_usd_per_gb_month)));
            }
            out.push(("read_replicas", m.read_replicas.to_string()));
            out.push(("read_share", number(m.read_share)));
        }
        DatabaseKind::Paas { plan, .. } => {
            out.push(("kind", string("paas")));
            out.push(("plan", string(plan)));
        }
    }
    if let Some(n) = db.max_connections {
        out.push(("max_connections", n.to_string()));
    }
    if let Some(r) = &db.region {
        out.push(("region", string(r)));
    }
    if let Some(rtt) = db.rtt {
        out.push(("rtt", duration(rtt)));
    }
    out
}
