//! `[[option]]`: the hosting options to compare.

use std::path::Path;

use super::database::Tables;
use super::egress;
use super::error::{Diag, Diags};
use super::kinds::{self, KindSyntax, Place, ReadContext};
use super::model::{Grid, HostingOption, Kind, Outages, Routing, Serverless};
use super::name::check_name_length;
use super::node::{Node, Value};
use super::reader::{Bounds, Field, MIN_EVENT_INTERVAL, Table, recover_unknown};
use super::regions::{Overrides, UsedRegion};
use super::spanning;
use super::spec::{Key, Tagged, Type};
use super::suggest::did_you_mean;
use super::workload::{DURATION_OR_DIST, duration_or_dist};
use crate::catalog::{Catalog, carbon};

/// `[[option]]`: `kind` picks the keys besides the common ones.
pub const OPTION: Tagged = Tagged {
    name: "option",
    tag: "kind",
    common: COMMON_KEYS,
    variants: || kinds::ALL.iter().map(|k| (k.name(), k.keys())).collect(),
};

/// Keys every kind of option has.
const COMMON_KEYS: &[Key] = &[
    Key::new("name", Type::Str, "unique label, at most 192 bytes of UTF-8").default("required"),
    Key::new("kind", Type::Str, "bare_metal, vps, iaas, hybrid, paas or serverless").default("required"),
    Key::new("region", Type::Str, "where it runs: a measured city, an AWS region name or a region of your own")
        .default("required (or regions)"),
    Key::new(
        "regions",
        Type::Map(&Type::Either(&[Type::Integer, Type::Table(spanning::REGION_KEYS)])),
        "instead of region (bare_metal, vps, iaas): servers, VPSs or initial instances per region, \
         region = count or { instances, outages }",
    ),
    Key::new(
        "geo_routing",
        Type::Either(&[Type::OneOf(&["nearest"]), Type::Map(&Type::Number)]),
        "with regions: each user to the nearest region up, or by weights per region (summing to 1)",
    )
    .default("\"nearest\""),
    Key::new(
        "failover_after",
        Type::Duration,
        "with regions: a region's users still go to it this long after it goes down (DNS TTL plus health checks)",
    )
    .default("\"60s\""),
    Key::new(
        "routing",
        Type::OneOf(&ROUTINGS),
        "one FCFS queue (an ideal balancer), or a queue per instance, each request sent round robin, \
         to the fewest in service plus waiting (ties: lowest index), to the shorter of two sampled, or at random",
    )
    .default("\"shared_queue\" (paas: \"random\")"),
    Key::new("max_queue", Type::Integer, "arrivals that find this many requests waiting are rejected; 0: Erlang B")
        .default("unlimited"),
    Key::new("workers_per_vcpu", Type::Integer, "requests in service at once per core").default("1"),
    Key::new("cpu_speed", Type::Number, "CPU time is divided by this").default("1.0"),
    Key::new("egress_usd_per_gb", Type::Number, "a flat price per GB (2^30 bytes) of responses served")
        .unit("USD")
        .default("by kind and region"),
    Key::new(
        "grid_gco2e_per_kwh",
        Type::Number,
        "carbon intensity of the electricity it runs on (location-based), for its emissions",
    )
    .unit("gCO2e/kWh")
    .default("the region's (AWS: Cloud Carbon Footprint's; else Google's 2024 figure for the city)"),
    Key::new("database", Type::Str, "the [[database]] its requests query (its own instance of it)"),
    Key::new(
        "pool_size",
        Type::Integer,
        "connections each web instance opens to its database; a query waits for a free one",
    )
    .default("one per web slot"),
    Key::new(
        "outages",
        Type::Table(OUTAGE_KEYS),
        "the whole option goes down after an exponential time with mean mtbf",
    ),
];
/// The names of `Routing::ALL`, in its order (a test checks they match).
const ROUTINGS: [&str; 5] = ["shared_queue", "round_robin", "least_connections", "power_of_two", "random"];
/// `outages = { mtbf, duration }`.
pub(super) const OUTAGE_KEYS: &[Key] = &[
    Key::new("mtbf", Type::Duration, "mean time between outages (at least \"1s\")").default("required"),
    Key::new("duration", DURATION_OR_DIST, "how long an outage lasts: a duration or a distribution")
        .default("required"),
];

const MINIMAL_OPTION: &str =
    "[[option]]\nname = \"colo\"\nkind = \"bare_metal\"\nregion = \"washington\"\nservers = 2\ncores = 8";

/// Reads every `[[option]]`; also returns their regions, for the RTT matrix.
/// Each option is read on its own, so the problems of every option are
/// recorded in `errors`; `None` if any option failed. `source` is the
/// scenario file (data files are relative to it).
pub fn read_all(
    f: Option<Field>,
    regions: &Overrides,
    catalog: &Catalog,
    databases: &Tables,
    source: &Path,
    errors: &mut Diags,
) -> Option<(Vec<HostingOption>, Vec<UsedRegion>)> {
    let items = errors.take(items(f))?;
    let mut options: Vec<HostingOption> = Vec::with_capacity(items.len());
    let mut used = Vec::with_capacity(items.len());
    let mut names: Vec<&str> = Vec::with_capacity(items.len());
    let mut failed = false;
    for (i, node) in items.iter().enumerate() {
        if let Some(Node { value: Value::Str(name), span, .. }) = node.get("name") {
            if names.contains(&name.as_str()) {
                errors.push(
                    Diag::new(format!("option[{i}].name"), span.clone(), format!("duplicate option name \"{name}\""))
                        .hint("every option needs its own name (it labels the reports)"),
                );
                failed = true;
                continue;
            }
            names.push(name);
        }
        match read_one(i, node, &Env { regions, catalog, databases, source }, errors) {
            Some((option, mut regions)) => {
                options.push(option);
                used.append(&mut regions);
            }
            None => failed = true,
        }
    }
    (!failed).then_some((options, used))
}

/// The `[[option]]` tables.
fn items<'a>(f: Option<Field<'a>>) -> Result<&'a [Node], Diag> {
    let Some(f) = f else {
        return Err(Diag::new("option", None, "no [[option]] given; a scenario compares at least one hosting option")
            .hint(format!("add one, for example:\n{MINIMAL_OPTION}")));
    };
    match &f.node.value {
        Value::Array(items) if !items.is_empty() => Ok(items),
        Value::Array(_) => Err(f.error("no [[option]] given").hint(format!("for example:\n{MINIMAL_OPTION}"))),
        _ => Err(f
            .error(format!("expected an array of tables ([[option]]), got {}", f.node.describe()))
            .hint("write each option under its own [[option]] header (two brackets)")),
    }
}

/// What every option is read against.
struct Env<'a> {
    regions: &'a Overrides,
    catalog: &'a Catalog,
    databases: &'a Tables<'a>,
    /// The scenario file (data files are relative to it).
    source: &'a Path,
}

/// One option, or `None` with its problems recorded: every key of another
/// kind (then nothing more is read: the option is likely written for that
/// kind) or every unknown key (recovered from) and its first other problem.
fn read_one(i: usize, node: &Node, env: &Env, errors: &mut Diags) -> Option<(HostingOption, Vec<UsedRegion>)> {
    let (path, kind) = errors.take(name_and_kind(i, node))?;
    let probe = Table::any(path.clone(), node).ok()?;
    let misplaced = kinds::all_misplaced(&probe, Place::Option(kind.name()), COMMON_KEYS, &kinds::ALL);
    if !misplaced.is_empty() {
        misplaced.into_iter().for_each(|d| errors.push(d));
        return None;
    }
    let known: Vec<Key> = COMMON_KEYS.iter().chain(kind.keys()).copied().collect();
    let mut unknown = Diags::default();
    let node = recover_unknown(&path, node, &known, &mut unknown);
    let clean = unknown.is_empty();
    errors.append(unknown);
    let read = errors.take(read_keys(path, kind, &node, &known, env));
    read.filter(|_| clean)
}

/// The option's path in messages (`option "colo"`) and its kind.
fn name_and_kind(i: usize, node: &Node) -> Result<(String, &'static dyn KindSyntax), Diag> {
    let probe = Table::any(format!("option[{i}]"), node)?;
    let name = probe.require("name", "name = \"colo\"")?;
    let name = name.str().and_then(|s| check_option_name(s).map_err(|m| name.error(m)))?;
    let path = format!("option \"{name}\"");
    let probe = Table::any(path.clone(), node)?;
    let others: Vec<String> = kinds::ALL[1..].iter().map(|k| format!("\"{}\"", k.name())).collect();
    let example = format!("kind = \"{}\" (or {})", kinds::ALL[0].name(), others.join(", "));
    let kind_field = probe.require("kind", &example)?;
    Ok((path, kind_of(&kind_field)?))
}

/// The option's keys, all known, once its name and kind are; the regions it uses.
fn read_keys(
    path: String,
    kind: &dyn KindSyntax,
    node: &Node,
    known: &[Key],
    env: &Env,
) -> Result<(HostingOption, Vec<UsedRegion>), Diag> {
    let Env { regions, catalog, databases, source } = *env;
    let t = Table::new(path, node, known)?;
    let at = Reading { t: &t, kind, catalog, databases, regions, source };
    if let Some(f) = t.get("regions") {
        return spanning::read(&at, &f, regions);
    }
    let region_field =
        t.require("region", "region = \"washington\" (or regions = { washington = 2, frankfurt = 2 })")?;
    let region = regions.resolve(region_field.str()?, &region_field.path(), region_field.span())?;
    let option = at.in_region(&region_field, &region.name, region_field.str()?, None)?;
    Ok((option, vec![region]))
}

/// One option's table being read.
pub(super) struct Reading<'a> {
    pub t: &'a Table<'a>,
    pub kind: &'a dyn KindSyntax,
    pub catalog: &'a Catalog,
    pub databases: &'a Tables<'a>,
    /// Resolves region names (a database's own).
    pub regions: &'a Overrides,
    pub source: &'a Path,
}

impl Reading<'_> {
    /// The option in region `name` (canonical), written as `written` in
    /// `region_field` (messages about the region point there).
    pub fn in_region(
        &self,
        region_field: &Field,
        name: &str,
        written: &str,
        fleet: Option<Field>,
    ) -> Result<HostingOption, Diag> {
        let (t, kind, catalog, source) = (self.t, self.kind, self.catalog, self.source);
        let database = t
            .get("database")
            .map(|f| self.databases.resolve(&f, crate::network::aws_region(written), self.regions, catalog))
            .transpose()?;
        let pool_size = match (t.get("pool_size"), &database) {
            (Some(f), None) => {
                return Err(f
                    .error("pool_size is the size of a pool of database connections, but this option has no database")
                    .hint("name its database: database = \"main\", or remove pool_size"));
            }
            (f, _) => f.map(|f| f.u32(1)).transpose()?,
        };
        let routing = match t.get("routing") {
            None => kind.default_routing(),
            Some(f) => f.one_of("routing", Routing::ALL, Routing::as_str)?,
        };
        let max_queue = t.get("max_queue").map(|f| kind.max_queue(&f)).transpose()?;
        let workers_per_vcpu = t.u32_or("workers_per_vcpu", 1, 1)?;
        let cpu_speed = t.number_or("cpu_speed", 1.0, Bounds::POSITIVE)?;
        let aws_region = crate::network::aws_region(written);
        let cx = ReadContext {
            workers_per_vcpu,
            catalog,
            region: written,
            aws_region,
            common: COMMON_KEYS,
            kinds: &kinds::ALL,
            source,
            fleet,
        };
        let kind = kind.read(t, &cx)?;
        if let (Kind::Serverless(_), Some(f)) = (&kind, t.get("database")) {
            return Err(f.error("a database is not simulated behind a serverless option").hint(
                "compare the database tier with a kind that keeps instances (iaas, paas, vps, bare_metal, hybrid)",
            ));
        }
        let at = egress::Region { field: region_field, region: name, aws_region };
        let egress = egress::read(t, &kind, &at, catalog)?;
        let outages = t.get("outages").map(|f| outages(&f, source)).transpose()?;
        // Only the kinds that have the key (iaas, hybrid) get this far with it.
        let load_balancer = t.get("load_balancer").map(|f| kinds::load_balancer::read(&f, aws_region)).transpose()?;
        let grid = match t.get("grid_gco2e_per_kwh") {
            Some(f) => Some(Grid { gco2e_per_kwh: f.number(Bounds::NONNEG)?, source: Grid::GIVEN.to_string() }),
            None => match &kind {
                // Cloud Run runs in its Google region, whatever AWS region shares the city.
                Kind::Serverless(Serverless { gcp_region: Some(gcp), .. }) => carbon::google(gcp),
                _ => carbon::grid(aws_region, name),
            }
            .map(|(gco2e_per_kwh, source)| Grid { gco2e_per_kwh, source }),
        };
        Ok(HostingOption {
            name: t.require("name", "name = \"colo\"")?.str()?.to_string(),
            region: name.to_string(),
            aws_region: aws_region.map(str::to_string),
            routing,
            max_queue,
            workers_per_vcpu,
            cpu_speed,
            egress,
            outages,
            load_balancer,
            grid,
            database,
            pool_size,
            kind,
            regions: None,
        })
    }
}

/// The kind named by the `kind` value, if it is a known kind.
fn kind_of(f: &Field) -> Result<&'static dyn KindSyntax, Diag> {
    let k = f.str()?;
    if let Some(kind) = kinds::find(k) {
        return Ok(kind);
    }
    let names = kinds::ALL.map(|k| k.name());
    let lower = k.to_lowercase().replace('-', "_");
    if let Some((_, meant)) = PROVIDER_KINDS.iter().find(|(names, _)| names.contains(&lower.as_str())) {
        return Err(f.error(format!("unknown kind \"{k}\"; {meant}")).hint(format!("kinds: {}", names.join(", "))));
    }
    Err(f.error(format!("unknown kind \"{k}\"{}", did_you_mean(k, names))).hint(format!("kinds: {}", names.join(", "))))
}

/// Provider and product names written as a kind, and the kind that models them.
const PROVIDER_KINDS: &[(&[&str], &str)] = &[
    (
        &["ec2", "aws", "gcp", "gce", "azure", "cloud", "vm", "kubernetes", "k8s"],
        "cloud instances billed by the second or hour are kind = \"iaas\" \
         (e.g. instance = \"m5.large\", with autoscaling = { … }; policy = \"hpa\" for Kubernetes)",
    ),
    (&["heroku", "dyno", "dynos"], "Heroku dynos are kind = \"paas\" (e.g. dyno = \"standard-2x\")"),
    (
        &["linode", "digitalocean", "droplet", "hetzner", "vultr", "akamai"],
        "rented virtual servers at a monthly price are kind = \"vps\" (e.g. plan = \"linode-4gb\")",
    ),
    (
        &["colo", "colocation", "dedicated", "metal", "server", "owned", "on_prem"],
        "servers you own or rent whole are kind = \"bare_metal\" (servers, cores, price_usd)",
    ),
    (
        &["lambda", "aws_lambda", "cloud_run", "cloudrun", "functions", "cloud_functions"],
        "functions and containers billed per request are kind = \"serverless\" \
         (provider = \"lambda\", the default, or \"cloud_run\")",
    ),
    (
        &["fargate", "ecs"],
        "containers billed per second of their size are close to kind = \"iaas\" (vcpus + hourly_usd, with autoscaling)",
    ),
];

/// `outages = { mtbf = "90d", duration = "30m" }`; `duration` may be a distribution.
pub(super) fn outages(f: &Field, source: &Path) -> Result<Outages, Diag> {
    let t = f.table(OUTAGE_KEYS)?;
    let mtbf = t
        .require("mtbf", "mtbf = \"90d\"")?
        .duration_at_least(MIN_EVENT_INTERVAL)
        .map_err(|d| d.hint("mtbf is the mean time between outages of the whole option, e.g. \"90d\""))?;
    let duration = duration_or_dist(&t.require("duration", "duration = \"30m\"")?, source)?;
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
