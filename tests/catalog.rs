//! The price catalog: every entry has a source and a date, the built-in
//! EC2 prices are AWS's, and a user's entries win (a scenario's `[catalog]`,
//! then `--catalog FILE` over it).

use std::fs;
use std::path::Path;

use hostsim::model::Kind;
use hostsim::scenario;

use crate::common::cli::{hostsim, ok, stderr};

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
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown region \"atlantis\". Give an AWS region name"));
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
    let m5 = s.catalog.ec2("m5.large", Some("eu-west-2")).unwrap();
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

/// A one-day scenario with one iaas option of `keys` in `region`.
fn iaas_scenario(region: &str, keys: &str) -> String {
    format!(
        "horizon = \"1d\"\nseed = 1\n[traffic]\nbase_rps = 1\n[workload]\ncpu = {{ dist = \"constant\", value = \"10ms\" }}\n\
         [[option]]\nname = \"ec2\"\nkind = \"iaas\"\nregion = \"{region}\"\n{keys}\n"
    )
}

#[test]
fn three_m5_large_for_a_day_in_eu_west_2_bill_the_london_price() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("s.toml"), iaas_scenario("eu-west-2", "instance = \"m5.large\"\ninitial = 3")).unwrap();
    ok(hostsim(&["run", "s.toml", "--quiet", "--no-charts", "--out", "out"], tmp.path()));
    // data/ec2_ondemand_regions_2026-05-12.csv.gz: "eu-west-2,m5.large,2,8,0.111,2026-05-12"
    // (us-east-1 is $0.096). A fixed fleet runs all day: 3 × 24 h × $0.111 = $7.992.
    let costs = fs::read_to_string(tmp.path().join("out/s/costs.csv")).unwrap();
    assert_eq!(costs, "option,category,usd\nec2,compute,7.992\n");
    // resolved.toml writes the price, so it re-runs to the same bill without the catalog.
    let resolved = fs::read_to_string(tmp.path().join("out/s/resolved.toml")).unwrap();
    assert!(resolved.contains("region = \"eu-west-2\"\n") && resolved.contains("hourly_usd = 0.111\n"), "{resolved}");
    // A city that hosts an AWS region prices there too: london is eu-west-2.
    let s = scenario::parse_str(&iaas_scenario("London", "instance = \"m5.large\"\ninitial = 3"), Path::new("l.toml"));
    let Kind::Iaas(i) = &s.unwrap().options[0].kind else { panic!("not iaas") };
    assert_eq!(i.hourly_usd, 0.111);
}

#[test]
fn a_type_not_sold_in_the_region_or_a_region_outside_aws_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let refused = |region: &str, keys: &str| {
        fs::write(tmp.path().join("s.toml"), iaas_scenario(region, keys)).unwrap();
        let o = hostsim(&["run", "s.toml", "--quiet", "--no-charts", "--out", "out"], tmp.path());
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(!tmp.path().join("out").exists(), "no output for invalid input");
        stderr(&o)
    };
    // AWS sells no m6i in eu-south-2 (Spain): the type, the region and where it is sold.
    let err = refused("eu-south-2", "instance = \"m6i.large\"\ninitial = 3");
    assert!(
        err.contains(
            "s.toml:11:12: option \"ec2\".instance: instance type \"m6i.large\" has no on-demand price in eu-south-2"
        ),
        "{err}"
    );
    assert!(
        err.contains("it is priced in (lowest round trip from eu-south-2 first): af-south-1, eu-west-1, eu-west-2, ")
            && err.contains(" more (hostsim catalog --kind ec2 --region NAME); or give hourly_usd"),
        "{err}"
    );
    // madrid is eu-south-2: the message says so.
    assert!(
        refused("madrid", "instance = \"m6i.large\"\ninitial = 1")
            .contains("in eu-south-2 (the AWS region of \"madrid\")")
    );
    // dallas hosts no AWS region: never a silent us-east-1 price.
    let err = refused("dallas", "instance = \"m5.large\"\ninitial = 1");
    assert!(
        err.contains("region \"dallas\" hosts no AWS region, so the catalog has no price for \"m5.large\" there"),
        "{err}"
    );
    assert!(
        err.contains("places at dallas instead (us-west-1, us-west-2, mx-central-1)")
            && err.contains("or give hourly_usd"),
        "{err}"
    );
    // With hourly_usd the type still gives its vCPUs: 2 × m6i.large at $0.12 for 24 h = $5.76.
    fs::write(
        tmp.path().join("s.toml"),
        iaas_scenario("eu-south-2", "instance = \"m6i.large\"\nhourly_usd = 0.12\ninitial = 2\negress_usd_per_gb = 0"),
    )
    .unwrap();
    ok(hostsim(&["run", "s.toml", "--quiet", "--no-charts", "--out", "out"], tmp.path()));
    assert_eq!(
        fs::read_to_string(tmp.path().join("out/s/costs.csv")).unwrap(),
        "option,category,usd\nec2,compute,5.76\n"
    );
}

#[test]
fn catalog_entries_apply_in_their_region_or_in_every_region() {
    // m5.large: $0.5 in eu-west-1 only; c5.large: $0.2 everywhere, even in dallas.
    let extra = "[catalog.ec2.\"m5.large\"]\nregion = \"eu-west-1\"\nhourly_usd = 0.5\n\
                 [catalog.ec2.\"c5.large\"]\nhourly_usd = 0.2\n";
    let price = |region: &str, instance: &str| {
        // A flat egress price: dallas has no AWS egress tiers either.
        let keys = format!("instance = \"{instance}\"\ninitial = 1\negress_usd_per_gb = 0.09");
        let text = format!("{}{extra}", iaas_scenario(region, &keys));
        scenario::parse_str(&text, Path::new("c.toml")).map(|s| match &s.options[0].kind {
            Kind::Iaas(i) => i.hourly_usd,
            _ => panic!("not iaas"),
        })
    };
    assert_eq!(price("eu-west-1", "m5.large").unwrap(), 0.5);
    // Elsewhere the built-in price stands: eu-west-2 $0.111, us-east-1 $0.096.
    assert_eq!(price("eu-west-2", "m5.large").unwrap(), 0.111);
    assert_eq!(price("us-east-1", "m5.large").unwrap(), 0.096);
    assert_eq!(price("dallas", "c5.large").unwrap(), 0.2);
    assert!(price("dallas", "m5.large").is_err());
    // The entry's region reads back from resolved.toml.
    let text = format!("{}{extra}", iaas_scenario("eu-west-1", "instance = \"m5.large\"\ninitial = 1"));
    let s = scenario::parse_str(&text, Path::new("c.toml")).unwrap();
    let written = scenario::to_resolved_toml(&s);
    assert!(written.contains("[catalog.ec2.\"m5.large\"]\nregion = \"eu-west-1\"\nhourly_usd = 0.5\n"), "{written}");
    let mut again = scenario::parse_str(&written, Path::new("out/resolved.toml")).unwrap_or_else(|e| panic!("{e}"));
    again.source = s.source.clone();
    assert_eq!(again, s, "{written}");
    // A region that is not an AWS region is named.
    let bad = format!(
        "{}[catalog.ec2.\"m5.large\"]\nregion = \"toronto\"\nhourly_usd = 0.5\n",
        iaas_scenario("us-east-1", "vcpus = 2\nhourly_usd = 0.1\ninitial = 1")
    );
    let err = scenario::parse_str(&bad, Path::new("c.toml")).unwrap_err().to_string();
    assert!(err.contains("catalog.ec2.m5.large.region: \"toronto\" hosts no AWS region; write one of the AWS regions hostsim places at toronto instead (ca-west-1)"), "{err}");
}

#[test]
fn the_catalog_lists_every_aws_region() {
    let tmp = tempfile::tempdir().unwrap();
    for region in hostsim::network::aws_regions() {
        let o = ok(hostsim(&["catalog", "--kind", "ec2", "--region", region, "--format", "csv"], tmp.path()));
        let rows: Vec<csv::StringRecord> =
            csv::Reader::from_reader(o.stdout.as_slice()).records().map(Result::unwrap).collect();
        assert!(rows.len() > 100, "{region}: {} rows", rows.len());
        assert!(rows.iter().all(|r| r[6].starts_with(&format!("{region} Linux on-demand"))), "{region}");
    }
    // eu-west-2 by its city, in the table format: m5.large at $0.111 from the regional list.
    let o = ok(hostsim(&["catalog", "--kind", "ec2", "--region", "london"], tmp.path()));
    let table = String::from_utf8_lossy(&o.stdout);
    let m5 = table.lines().find(|l| l.starts_with("ec2   m5.large ")).unwrap();
    assert!(m5.contains(" 2  ") && m5.contains("0.111  USD/hour") && m5.contains("2026-05-12"), "{m5}");
    // Not an AWS region: exit 2, saying what to write.
    let o = hostsim(&["catalog", "--region", "dallas"], tmp.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("\"dallas\" hosts no AWS region"), "{}", stderr(&o));
    let o = hostsim(&["catalog", "--region", "eu-wset-2"], tmp.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean \"eu-west-2\"?"), "{}", stderr(&o));
}

#[test]
fn the_2026_dynos_and_a_hybrid_burst_are_priced_from_the_catalog() {
    let paas = |keys: &str| {
        let text = format!(
            "horizon = \"1d\"\n[traffic]\nbase_rps = 1\n[workload]\ncpu = {{ dist = \"constant\", value = \"10ms\" }}\n\
             [[option]]\nname = \"h\"\nkind = \"paas\"\nregion = \"washington\"\n{keys}\n"
        );
        scenario::parse_str(&text, Path::new("h.toml")).map(|s| match &s.options[0].kind {
            Kind::Paas(p) => (p.vcpus, p.cpu_share, p.monthly_usd),
            _ => panic!("not paas"),
        })
    };
    // Heroku CLI 11.10.0 (2026-09-06): Performance-2XL $1,500, 16 dedicated vCPUs, may autoscale.
    assert_eq!(
        paas("dyno = \"Performance-2XL\"\nautoscaling = { max = 4, p95_ms = 300 }").unwrap(),
        (16, 1.0, 1_500.0)
    );
    // Fir dyno-2c-8gb: $160, 2 dedicated vCPUs; autoscaling is not yet available on Fir.
    assert_eq!(paas("dyno = \"dyno-2c-8gb\"\ndynos = 2").unwrap(), (2, 1.0, 160.0));
    let err = paas("dyno = \"dyno-2c-8gb\"\nautoscaling = { max = 4, p95_ms = 300 }").unwrap_err().to_string();
    assert!(err.contains("dyno-2c-8gb dynos cannot autoscale; autoscaling needs performance-m or "), "{err}");
    // A hybrid's burst is read by the iaas reader: priced in the option's AWS region too.
    let text = format!(
        "{}baseline = {{ kind = \"vps\", instances = 1, plan = \"linode-4gb\" }}\n\
         burst = {{ instance = \"m5.large\", autoscaling = {{ policy = \"target_tracking\", target = 0.6, max = 4 }} }}\n",
        iaas_scenario("london", "").replace("kind = \"iaas\"", "kind = \"hybrid\"")
    );
    let s = scenario::parse_str(&text, Path::new("h.toml")).unwrap_or_else(|e| panic!("{e}"));
    let Kind::Hybrid(h) = &s.options[0].kind else { panic!("not hybrid") };
    // eu-west-2 (london's AWS region): m5.large $0.111 an hour.
    assert_eq!((h.burst.vcpus, h.burst.hourly_usd), (2, 0.111));
}
