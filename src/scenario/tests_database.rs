//! Whole-scenario tests of `[[database]]`: each kind's defaults and prices,
//! per-option resolution in the option's region, `resolved.toml` and back,
//! and the mistakes as users see them.

use std::path::Path;

use super::model::{Database, DatabaseKind, Managed};
use super::*;
use crate::catalog::rds::Engine;

const TIERS: &str = r#"
horizon = "1d"
[traffic]
base_rps = 20
[workload]
cpu = { dist = "exponential", mean = "30ms" }
db = { dist = "lognormal", mean = "8ms", cv = 1.5 }
db_queries = 3
db_holds_web_slot = false

[[database]]
name = "main"
kind = "managed"
instance_class = "db.m5.large"
multi_az = true
storage_gb = 100
read_replicas = 1
read_share = 0.8

[[database]]
name = "pg"
kind = "paas"
plan = "standard-0"

[[database]]
name = "own"
kind = "self_hosted"
cores = 8
monthly_usd = 300
max_connections = 200

[[option]]
name = "virginia"
kind = "iaas"
region = "us-east-1"
instance = "m5.large"
initial = 2
database = "main"

[[option]]
name = "london"
kind = "iaas"
region = "eu-west-2"
instance = "m5.large"
initial = 2
database = "main"

[[option]]
name = "heroku"
kind = "paas"
region = "washington"
dyno = "standard-2x"
dynos = 2
database = "pg"

[[option]]
name = "colo"
kind = "bare_metal"
region = "washington"
servers = 2
cores = 8
database = "own"
"#;

fn parse(text: &str) -> Result<model::Scenario, ScenarioError> {
    parse_str(text, Path::new("tiers.toml"))
}

fn managed(db: &Database) -> &Managed {
    match &db.kind {
        DatabaseKind::Managed(m) => m,
        other => panic!("{other:?}"),
    }
}

#[test]
fn each_kind_is_sized_and_priced() {
    let s = parse(TIERS).unwrap_or_else(|e| panic!("{e}"));
    let w = &s.workload;
    assert_eq!((w.db.as_ref().map(|d| d.mean_s()), w.db_queries, w.db_holds_web_slot), (Some(0.008), 3, false));
    let db = |i: usize| s.options[i].database.as_ref().unwrap();
    // db.m5.large PostgreSQL: 2 vCPUs, at most 901 connections; us-east-1 $0.178/h, $0.356/h Multi-AZ, gp3 $0.115.
    let virginia = managed(db(0));
    assert_eq!((db(0).servers, db(0).max_connections, virginia.engine), (2, Some(901), Engine::Postgresql));
    assert_eq!(
        (virginia.hourly_usd, virginia.multi_az_hourly_usd, virginia.storage_usd_per_gb_month),
        (0.178, Some(0.356), 0.115)
    );
    // The same table is priced again in London, where RDS costs more.
    let london = managed(db(1));
    assert!(london.hourly_usd > virginia.hourly_usd && london.storage_usd_per_gb_month > 0.115, "{london:?}");
    // Heroku standard-0: 2 vCPUs, 120 connections, $50 a month.
    assert_eq!((db(2).servers, db(2).max_connections), (2, Some(120)));
    assert_eq!(db(2).kind, DatabaseKind::Paas { plan: "standard-0".into(), monthly_usd: 50.0 });
    assert_eq!((db(3).servers, db(3).max_connections), (8, Some(200)));
    assert!((db(3).usd_per_hour() - 300.0 / 730.0).abs() < 1e-12);
}

#[test]
fn databases_round_trip_through_resolved_toml() {
    let s = parse(TIERS).unwrap_or_else(|e| panic!("{e}"));
    let written = to_resolved_toml(&s);
    let mut again = parse_str(&written, Path::new("resolved.toml")).unwrap_or_else(|e| panic!("{e}\n{written}"));
    again.source = s.source.clone();
    assert_eq!(again, s, "{written}");
    // "main" is written once, without the price of the first option's region.
    assert_eq!(written.matches("name = \"main\"").count(), 1, "{written}");
    assert!(!written.contains("storage_usd_per_gb_month"), "{written}");
}

#[test]
fn mistakes_name_the_key() {
    let cases = [
        ("database = \"pg\"\n", "database = \"pgg\"\n", "no [[database]] named \"pgg\", did you mean \"pg\"?"),
        ("plan = \"standard-0\"", "plan = \"standard-99\"", "unknown Heroku Postgres plan \"standard-99\""),
        (
            "instance_class = \"db.m5.large\"",
            "instance_class = \"db.m9.large\"",
            "no RDS postgresql class \"db.m9.large\" priced in us-east-1",
        ),
        ("read_share = 0.8\n", "", "database \"main\".read_share: required key is missing"),
        ("cores = 8\n", "", "database \"own\".cores: required key is missing"),
        ("db_queries = 3\n", "db_queries = 0\n", "workload.db_queries"),
        ("name = \"own\"", "name = \"main\"", "duplicate database name \"main\""),
    ];
    for (from, to, expected) in cases {
        assert!(TIERS.contains(from), "{from}");
        let err = parse(&TIERS.replacen(from, to, 1)).unwrap_err().to_string();
        assert!(err.contains(expected), "{expected:?} not in:\n{err}");
    }
    // A database no option uses, and a db time no option can spend.
    let unused = TIERS.replacen("database = \"own\"\n", "", 1);
    assert!(parse(&unused).unwrap_err().to_string().contains("no option uses database \"own\""));
    let no_db = TIERS.replacen("db = { dist = \"lognormal\", mean = \"8ms\", cv = 1.5 }\n", "", 1);
    assert!(parse(&no_db).unwrap_err().to_string().contains("has a database, but [workload] has no db"));
}

#[test]
fn an_owned_server_in_another_region_reads_and_round_trips() {
    let text = TIERS.replace(
        "monthly_usd = 300",
        "region = \"frankfurt\"\nserver = { price_usd = 7300, colo_usd_per_month = 100, power = { idle_w = 100, max_w = 300, usd_per_kwh = 0.2 } }",
    );
    let s = parse(&text).unwrap_or_else(|e| panic!("{e}"));
    let own = s.options.iter().filter_map(|o| o.database.as_ref()).find(|d| d.name == "own").unwrap();
    let DatabaseKind::SelfHosted { monthly_usd, server: Some(server), .. } = &own.kind else { panic!("{own:?}") };
    // No monthly price: the server's capex, colo and power are billed from its load.
    assert_eq!((*monthly_usd, server.cores, server.price_usd, server.colo_usd_per_month), (0.0, 8, 7_300.0, 100.0));
    // In Frankfurt, a transatlantic round trip from the option in Washington.
    assert_eq!(own.region.as_deref(), Some("frankfurt"));
    let option = s.options.iter().find(|o| o.database.as_ref() == Some(own)).unwrap();
    assert_eq!(
        own.rtt_from(&option.region, &s.network).as_secs_f64() * 1e3,
        s.network.rtt_ms(&option.region, "frankfurt").unwrap()
    );
    let written = to_resolved_toml(&s);
    let mut again = parse_str(&written, Path::new("resolved.toml")).unwrap_or_else(|e| panic!("{e}\n{written}"));
    again.source = s.source.clone();
    assert_eq!(again, s, "{written}");
}
