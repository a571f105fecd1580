//! The price catalog: every entry has a source and a date, the built-in
//! EC2 prices are AWS's, and a user's entries win (a scenario's `[catalog]`,
//! then `--catalog FILE` over it).

use std::fs;
use std::path::Path;

use hostsim::model::Kind;
use hostsim::scenario;

use crate::common::cli::hostsim;

/// A one-day VPS scenario on `plan`, with `extra` appended (e.g. a `[catalog]` table).
fn vps_scenario(plan: &str, extra: &str) -> String {
    format!(
        "horizon = \"1d\"\n[traffic]\nbase_rps = 1\n[workload]\ncpu = {{ dist = \"constant\", value = \"1ms\" }}\n\
         [[option]]\nname = \"v\"\nkind = \"vps\"\nregion = \"london\"\ninstances = 1\nplan = \"{plan}\"\n{extra}"
    )
}

#[test]
fn every_entry_has_a_price_a_source_and_a_date() {
    let tmp = tempfile::tempdir().unwrap();
    let o = hostsim(&["catalog", "--format", "csv"], tmp.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut reader = csv::Reader::from_reader(o.stdout.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, ["kind", "name", "vcpus", "price", "unit", "memory_gb", "notes", "source", "date"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(rows.len() > 1300, "{} rows", rows.len());
    for r in &rows {
        assert!(!r[3].is_empty() && !r[7].is_empty() && !r[8].is_empty(), "{r:?}");
    }
    for kind in ["ec2", "vps", "dyno", "reserved", "power", "colo"] {
        assert!(rows.iter().any(|r| &r[0] == kind), "no {kind} entry");
    }
    // m5.large in us-east-1: $0.096 per hour (AWS Pricing API, 2026-07-20), 2 vCPUs.
    let m5 = rows.iter().find(|r| &r[1] == "m5.large").unwrap();
    assert_eq!((&m5[2], &m5[3], &m5[4], &m5[8]), ("2", "0.096", "USD/hour", "2026-07-20"));
    // --kind filters.
    let o = hostsim(&["catalog", "--kind", "dyno"], tmp.path());
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(table.contains("performance-m") && !table.contains("m5.large"), "{table}");
}

#[test]
fn reserved_rates_are_listed_by_region() {
    let tmp = tempfile::tempdir().unwrap();
    let csv_rows = |args: &[&str]| {
        let o = hostsim(args, tmp.path());
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let mut reader = csv::Reader::from_reader(o.stdout.as_slice());
        reader.records().map(Result::unwrap).collect::<Vec<csv::StringRecord>>()
    };
    // london is eu-west-2: 609 types with a 1y and/or a 3y all-upfront rate, dated 2026-05-12.
    let rows = csv_rows(&["catalog", "--kind", "reserved", "--region", "london", "--format", "csv"]);
    assert!(rows.len() > 1000, "{} rows", rows.len());
    assert!(rows.iter().all(|r| &r[0] == "reserved" && r[6].starts_with("eu-west-2;") && &r[8] == "2026-05-12"));
    assert!(rows.iter().all(|r| r[7].contains("Vantage")), "the source is named");
    // Without --region: us-east-1, where m5.large 1y all upfront is $0.056393 an hour.
    let rows = csv_rows(&["catalog", "--kind", "reserved", "--format", "csv"]);
    let m5 = rows.iter().find(|r| &r[1] == "m5.large" && r[6].contains(" 1y all_upfront")).unwrap();
    assert_eq!((&m5[3], &m5[4]), ("0.056393", "USD/hour"));
    // A region that is not AWS's: exit 2 with the list of regions.
    let o = hostsim(&["catalog", "--kind", "reserved", "--region", "atlantis"], tmp.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not an AWS region"));
}

#[test]
fn a_scenario_catalog_overrides_and_extends_the_built_ins() {
    let extra = "[catalog.vps.\"my-plan\"]\nvcpus = 2\nmonthly_usd = 10\n\
                 [catalog.vps.linode-4gb]\nmonthly_usd = 20\nsource = \"my invoice\"\ndate = \"2026-11-01\"\n\
                 [catalog.ec2.\"m5.large\"]\nhourly_usd = 0.107\n";
    let s = scenario::parse_str(&vps_scenario("my-plan", extra), Path::new("c.toml")).unwrap();
    let Kind::Vps(v) = &s.options[0].kind else { panic!("not a vps") };
    // A new plan: hourly = monthly / 730.
    assert_eq!((v.plan.as_deref(), v.vcpus, v.monthly_usd, v.hourly_usd), (Some("my-plan"), 2, 10.0, 10.0 / 730.0));
    // The override wins over the built-in price; the built-in vCPUs stay.
    let linode = s.catalog.vps_plan("linode-4gb").unwrap();
    assert_eq!((linode.vcpus, linode.monthly_usd, linode.provenance.source.as_ref()), (2, 20.0, "my invoice"));
    let m5 = s.catalog.ec2("m5.large").unwrap();
    assert_eq!((m5.hourly_usd, m5.vcpus), (0.107, Some(2)));
    assert_eq!(m5.provenance.source, "scenario c.toml");
    // resolved.toml carries the entries, so it reads back the same.
    let written = scenario::to_resolved_toml(&s);
    let mut again = scenario::parse_str(&written, Path::new("out/resolved.toml")).unwrap_or_else(|e| panic!("{e}"));
    again.source = s.source.clone();
    assert_eq!(again, s, "{written}");
}

#[test]
fn a_catalog_file_wins_over_the_scenario() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = vps_scenario("my-plan", "[catalog.vps.\"my-plan\"]\nvcpus = 1\nmonthly_usd = 10\n");
    fs::write(tmp.path().join("s.toml"), scenario).unwrap();
    fs::write(tmp.path().join("prices.toml"), "[catalog.vps.\"My-Plan\"]\nvcpus = 1\nmonthly_usd = 73\n").unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["run", "s.toml", "--quiet", "--no-charts", "--out", "out"];
        args.extend_from_slice(extra);
        let o = hostsim(&args, tmp.path());
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        fs::read_to_string(tmp.path().join("out/s/resolved.toml")).unwrap()
    };
    assert!(run(&[]).contains("monthly_usd = 10\n"));
    let with_file = run(&["--catalog", "prices.toml"]);
    // 73 / 730 = 0.1 per hour: the file's price, and its source.
    assert!(with_file.contains("monthly_usd = 73\nhourly_usd = 0.1\n"), "{with_file}");
    assert!(with_file.contains("source = \"user catalog prices.toml\""), "{with_file}");
    // The listing shows the file's entry too.
    let o = hostsim(&["catalog", "--kind", "vps", "--catalog", "prices.toml", "--format", "csv"], tmp.path());
    assert!(String::from_utf8_lossy(&o.stdout).contains("vps,my-plan,1,73,USD/month"));
    // A bad catalog file is invalid input, named with its line.
    fs::write(tmp.path().join("bad.toml"), "[catalog.vps.\"x\"]\nvcpus = 0\n").unwrap();
    let o = hostsim(&["run", "s.toml", "--catalog", "bad.toml", "--out", "out2"], tmp.path());
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.starts_with("error: bad.toml:2:9: catalog.vps.x.vcpus: expected a positive integer, got 0"), "{err}");
}

#[test]
fn validate_and_sweep_take_the_catalog_file_too() {
    let tmp = tempfile::tempdir().unwrap();
    // The plan exists only in the file.
    fs::write(tmp.path().join("s.toml"), vps_scenario("file-plan", "")).unwrap();
    fs::write(tmp.path().join("prices.toml"), "[catalog.vps.\"file-plan\"]\nvcpus = 1\nmonthly_usd = 73\n").unwrap();
    let o = hostsim(&["validate", "s.toml"], tmp.path());
    assert_eq!(o.status.code(), Some(2), "unknown without the file");
    let o = hostsim(&["validate", "s.toml", "--catalog", "prices.toml"], tmp.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let args = ["sweep", "s.toml", "--set", "option.v.instances=1,2", "--quiet", "--out", "sw"];
    let o = hostsim(&[&args[..], &["--catalog", "prices.toml"]].concat(), tmp.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // One day of 1 and 2 instances at $0.1 per started hour: 24 × 0.1 = $2.4 and $4.8.
    let table = fs::read_to_string(tmp.path().join("sw/s-sweep/sweep.csv")).unwrap();
    assert!(table.contains(",2.4,") && table.contains(",4.8,"), "{table}");
}

#[test]
fn catalog_mistakes_are_named() {
    let cases = [
        ("[catalog.vps.\"new\"]\nvcpus = 2\n", "not in the built-in catalog, so it needs vcpus and monthly_usd"),
        ("[catalog.ec2.\"x9.large\"]\nvcpus = 2\n", "\"hourly_usd\" is missing"),
        ("[catalog.ec2.\"m5.large\"]\nsource = \"me\"\n", "gives no value to change or add"),
        ("[catalog.vpss.a]\nvcpus = 1\n", "unknown key \"vpss\", did you mean \"vps\"?"),
        ("[catalog.vps.a]\nvcpu = 1\n", "did you mean \"vcpus\"?"),
        ("[catalog.vps]\nA = { vcpus = 1, monthly_usd = 1 }\na = { vcpus = 1, monthly_usd = 1 }\n", "listed twice"),
        ("[catalog.dyno.\"big\"]\nvcpus = 4\nmonthly_usd = 100\nautoscaling = \"yes\"\n", "expected true or false"),
        ("[catalog.dyno.\"big\"]\nvcpus = 4\nmonthly_usd = 100\ncpu_share = 1.5\n", "expected a number in (0, 1]"),
    ];
    for (extra, fragment) in cases {
        let err = scenario::parse_str(&vps_scenario("linode-4gb", extra), Path::new("c.toml")).unwrap_err();
        assert!(err.to_string().contains(fragment), "expected {fragment:?} in:\n{err}");
    }
}
