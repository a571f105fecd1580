//! Whole-scenario tests: defaults, round trip through `resolved.toml`, the
//! init template, and error messages as users see them.

use std::path::Path;

use super::model::{Dist, Kind, Routing};
use super::*;
use crate::time::SimTime;

const FULL: &str = r#"
name = "launch-day"
horizon = "14d"
warmup = "1h"
bucket = "1m"
seed = 42
replications = 5

[slo]
p99_ms = 500
success = 0.999

[traffic]
base_rps = 120
diurnal = { amplitude = 0.6, peak_hour = 14 }
weekly = { weekend_factor = 0.7 }
growth = { per_month = 0.05 }
users = { "us-east-1" = 0.6, London = 0.3, lagos = 0.1 }

[[traffic.spike]]
at = "3d 10h"
duration = "2h"
ramp = "10m"
multiplier = 6

[workload]
cpu = { dist = "exponential", mean = "40ms" }
io  = { dist = "lognormal", mean = "10ms", cv = 1.5 }
io_ops = 4
response_kb = 60
timeout = "30s"

[network.rtt_ms]
lagos = { washington = 120, london = 95.5, lagos = 3, tokyo = 210 }
washington.london = 80

[[option]]
name = "colo"
kind = "bare_metal"
region = "washington"
servers = 2
cores = 16
price_usd = 6000
lifetime = "3y"
colo_usd_per_month = 150
labour_usd_per_month = 400
max_queue = 1000
power = { idle_w = 59, max_w = 404, usd_per_kwh = 0.09, pue = 1.5 }
failures = { mtbf = "2y", repair = "48h" }
outages = { mtbf = "90d", duration = "30m" }

[[option]]
name = "tokyo box"
kind = "bare_metal"
region = "ap-northeast-1"
routing = "random"
servers = 1
cores = 4
cpu_speed = 1.3
egress_usd_per_gb = 0.05
failures = { mtbf = "1y", repair = { dist = "lognormal", mean = "2d", cv = 0.5 } }
outages = { mtbf = "1y", duration = { dist = "exponential", mean = "2h" } }

[[option]]
name = "linode"
kind = "vps"
region = "london"
instances = 3
plan = "linode-4gb"
neighbours = { host_cores = 32, count = 20, vcpus = 2, utilization = 0.4, period = "10m", io_slowdown = 3.0 }

[[option]]
name = "own vps"
kind = "vps"
region = "washington"
instances = 2
vcpus = 4
monthly_usd = 40
neighbours = { host_cores = 16, count = 3, utilization = 0.5 }
outages = { mtbf = "30d", duration = "1h" }

[[option]]
name = "droplet"
kind = "vps"
region = "washington"
instances = 1
plan = "DO-S-1VCPU-1GB"
monthly_usd = 5.5
"#;

const MINIMAL: &str = r#"
horizon = "1d"
[traffic]
base_rps = 10
[workload]
cpu = { dist = "constant", value = "10ms" }
[[option]]
name = "a"
kind = "bare_metal"
region = "london"
servers = 1
cores = 2
"#;

fn parse(text: &str) -> Result<model::Scenario, ScenarioError> {
    parse_str(text, Path::new("scenarios/test-file.toml"))
}

fn error(text: &str) -> String {
    parse(text).unwrap_err().to_string()
}

#[test]
fn minimal_scenario_gets_every_default() {
    let s = parse(MINIMAL).unwrap();
    assert_eq!(s.name, "test-file");
    assert_eq!(s.warmup, SimTime::ZERO);
    assert_eq!(s.bucket, SimTime::from_secs(60));
    assert_eq!((s.seed, s.replications), (1, 1));
    assert_eq!(s.slo, None);
    assert!(s.traffic.users.is_empty());
    assert_eq!(s.workload.io_ops, 1.0);
    assert_eq!(s.workload.response_kb, 0.0);
    assert_eq!(s.workload.timeout, SimTime::from_secs(30));
    let o = &s.options[0];
    assert_eq!((o.routing, o.max_queue, o.workers_per_vcpu, o.cpu_speed), (Routing::SharedQueue, None, 1, 1.0));
    let Kind::BareMetal(b) = &o.kind else { panic!("not bare metal: {o:?}") };
    assert_eq!(b.lifetime, SimTime(3 * 365 * SimTime::DAY.0));
    assert_eq!((b.price_usd, b.setup_usd, b.power.clone()), (0.0, 0.0, None));
    assert_eq!(s.network.regions, ["london"]);
    assert_eq!(s.network.rtt_ms, vec![vec![1.0]]);
}

#[test]
fn full_scenario_resolves_names_and_units() {
    let s = parse(FULL).unwrap();
    assert_eq!(s.horizon, SimTime(14 * SimTime::DAY.0));
    assert_eq!(s.traffic.spikes[0].at, SimTime(82 * SimTime::HOUR.0));
    let users: Vec<&str> = s.traffic.users.iter().map(|u| u.region.as_str()).collect();
    assert_eq!(users, ["washington", "london", "lagos"]);
    assert_eq!(s.workload.cpu, Dist::Exponential { mean_s: 0.04 });
    assert_eq!(s.options[1].region, "tokyo");
    // Options first, then users, in order of first use.
    assert_eq!(s.network.regions, ["washington", "tokyo", "london", "lagos"]);
    assert_eq!(s.network.rtt_ms("washington", "london"), Some(80.0));
    assert_eq!(s.network.rtt_ms("lagos", "washington"), Some(120.0));
    assert_eq!(s.network.rtt_ms("lagos", "lagos"), Some(3.0));
    assert_eq!(s.network.rtt_ms("tokyo", "washington"), Some(140.5));
    assert_eq!(s.options[0].max_queue, Some(1000));
}

#[test]
fn full_scenario_reads_failures_outages_and_vps() {
    let s = parse(FULL).unwrap();
    let o = &s.options;
    let Kind::BareMetal(colo) = &o[0].kind else { panic!("{:?}", o[0].kind) };
    let failures = colo.failures.as_ref().unwrap();
    assert_eq!(
        (failures.mtbf, &failures.repair),
        (SimTime(730 * SimTime::DAY.0), &Dist::Constant { value_s: 172_800.0 })
    );
    let outages = o[0].outages.as_ref().unwrap();
    assert_eq!((outages.mtbf, &outages.duration), (SimTime(90 * SimTime::DAY.0), &Dist::Constant { value_s: 1800.0 }));
    assert_eq!(o[1].outages.as_ref().unwrap().duration, Dist::Exponential { mean_s: 7200.0 });
    let Kind::Vps(linode) = &o[2].kind else { panic!("{:?}", o[2].kind) };
    assert_eq!(o[2].outages, None);
    assert_eq!(linode.plan.as_deref(), Some("linode-4gb"));
    assert_eq!((linode.instances, linode.vcpus, linode.monthly_usd, linode.hourly_usd), (3, 2, 24.0, 0.036));
    let n = linode.neighbours.as_ref().unwrap();
    assert_eq!((n.host_cores, n.count, n.vcpus, n.utilization, n.io_slowdown), (32, 20, 2, 0.4, 3.0));
    assert_eq!(n.period, SimTime::from_secs(600));
    let Kind::Vps(own) = &o[3].kind else { panic!("{:?}", o[3].kind) };
    assert_eq!((own.plan.as_deref(), own.vcpus, own.monthly_usd, own.hourly_usd), (None, 4, 40.0, 40.0 / 730.0));
    let n = own.neighbours.as_ref().unwrap();
    assert_eq!((n.vcpus, n.period, n.io_slowdown), (2, SimTime::from_secs(600), 1.0));
    let Kind::Vps(droplet) = &o[4].kind else { panic!("{:?}", o[4].kind) };
    // The catalog id is canonical; monthly_usd overrides the plan's price, the hourly price stays the plan's.
    assert_eq!(droplet.plan.as_deref(), Some("do-s-1vcpu-1gb"));
    assert_eq!((droplet.vcpus, droplet.monthly_usd, droplet.hourly_usd, &droplet.neighbours), (1, 5.5, 0.00893, &None));
}

#[test]
fn resolved_toml_round_trips() {
    for text in [FULL, MINIMAL, INIT_TEMPLATE, super::tests_traffic::SHAPES] {
        let s = parse(text).unwrap();
        let written = to_resolved_toml(&s);
        assert!(written.contains(&format!("hostsim_version = \"{}\"", env!("CARGO_PKG_VERSION"))));
        let mut again =
            parse_str(&written, Path::new("out/resolved.toml")).unwrap_or_else(|e| panic!("{e}\n{written}"));
        again.source = s.source.clone();
        assert_eq!(again, s, "{written}");
    }
}

#[test]
fn every_routing_is_read_and_written_back() {
    assert_eq!(spec::one_of(option::OPTION.common, "routing"), Routing::ALL.map(Routing::as_str));
    for routing in Routing::ALL {
        let text = MINIMAL.replace("kind = ", &format!("routing = \"{}\"\nkind = ", routing.as_str()));
        let s = parse(&text).unwrap();
        assert_eq!(s.options[0].routing, routing);
        let again = parse_str(&to_resolved_toml(&s), Path::new("out/resolved.toml")).unwrap();
        assert_eq!(again.options[0].routing, routing);
    }
}

#[test]
fn example_scenarios_round_trip() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.retain(|p| p.extension().is_some_and(|x| x == "toml"));
    assert!(!files.is_empty());
    for file in files {
        let s = load(&file).unwrap_or_else(|e| panic!("{e}"));
        let written = to_resolved_toml(&s);
        let mut again = parse_str(&written, Path::new("resolved.toml")).unwrap_or_else(|e| panic!("{e}\n{written}"));
        again.source = s.source.clone();
        assert_eq!(again, s, "{}:\n{written}", file.display());
    }
}

#[test]
fn resolved_toml_keeps_big_seeds_and_odd_names() {
    let mut s = parse(MINIMAL).unwrap();
    s.seed = u64::MAX;
    s.name = "quote \" and ünïcode".into();
    let mut again = parse_str(&to_resolved_toml(&s), Path::new("x.toml")).unwrap();
    again.source = s.source.clone();
    assert_eq!(again, s);
}

#[test]
fn init_template_parses_and_comments_every_line() {
    let s = parse_str(INIT_TEMPLATE, Path::new("scenario.toml")).unwrap();
    assert_eq!(s.horizon, SimTime::DAY);
    assert_eq!(s.options.len(), 1);
    for line in INIT_TEMPLATE.lines().filter(|l| !l.trim().is_empty()) {
        assert!(line.contains('#'), "uncommented line: {line}");
    }
}

#[test]
fn init_names_the_scenario_after_the_file() {
    assert!(INIT_TEMPLATE.contains(TEMPLATE_NAME_LINE));
    let named = |path: &str| {
        let text = init_text(&init_name(Path::new(path)));
        // Parsed under another file name: the name must be written, not defaulted.
        parse_str(&text, Path::new("elsewhere.toml")).unwrap_or_else(|e| panic!("{e}")).name
    };
    assert_eq!(named("my-site.toml"), "my-site");
    assert_eq!(named("dir/launch day.v2.toml"), "launch day.v2");
    assert_eq!(named("quote\" ünï.toml"), "quote\" ünï");
    // Not a usable name: the template's own.
    assert_eq!(named("dir/.."), "my-app");
    assert_eq!(named(".hidden.toml"), "my-app");
    // The comment keeps its column.
    assert!(init_text("my-site").contains("name = \"my-site\"           # output folder name"));
}

#[test]
fn init_template_examples_are_valid_when_uncommented() {
    // Every commented-out [[option]] block, up to its blank line, without the leading "# ".
    let mut blocks = Vec::new();
    for (start, _) in INIT_TEMPLATE.match_indices("# [[option]]") {
        let block: Vec<&str> = INIT_TEMPLATE[start..]
            .lines()
            .take_while(|l| !l.trim().is_empty())
            .map(|l| l.strip_prefix("# ").unwrap_or(l))
            .collect();
        blocks.push(block.join("\n"));
    }
    let text = INIT_TEMPLATE.replace("# failures = ", "failures = ").replace("# outages = ", "outages = ");
    let s = parse(&format!("{text}\n{}\n", blocks.join("\n\n"))).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.options.len(), 7);
    let Kind::BareMetal(colo) = &s.options[0].kind else { panic!("{:?}", s.options[0].kind) };
    assert!(colo.failures.is_some() && s.options[0].outages.is_some());
    let Kind::Vps(vps) = &s.options[1].kind else { panic!("{:?}", s.options[1].kind) };
    assert_eq!((vps.plan.as_deref(), vps.instances, vps.vcpus), (Some("linode-4gb"), 3, 2));
    assert_eq!(vps.neighbours.as_ref().map(|n| (n.host_cores, n.count, n.vcpus)), Some((32, 20, 2)));
    let Kind::Iaas(ec2) = &s.options[2].kind else { panic!("{:?}", s.options[2].kind) };
    assert_eq!((ec2.instance.as_deref(), ec2.vcpus, ec2.hourly_usd, ec2.initial), (Some("m5.large"), 2, 0.096, 2));
    assert_eq!((ec2.storage.iops, ec2.autoscaling.as_ref().map(|a| a.max)), (Some(3000.0), Some(20)));
    let Kind::Hybrid(h) = &s.options[3].kind else { panic!("{:?}", s.options[3].kind) };
    assert!(matches!(*h.baseline, Kind::Vps(_)));
    assert_eq!(h.burst.autoscaling.as_ref().map(|a| (a.min, a.max)), Some((0, 10)));
    let Kind::Paas(heroku) = &s.options[4].kind else { panic!("{:?}", s.options[4].kind) };
    assert_eq!((heroku.dyno.as_deref(), heroku.vcpus, heroku.dynos, heroku.backlog), (Some("performance-m"), 2, 1, 50));
    assert_eq!(heroku.autoscaling.as_ref().map(|a| (a.min, a.max, a.p95_ms)), Some((1, 10, 400.0)));
    let Kind::Serverless(lambda) = &s.options[5].kind else { panic!("{:?}", s.options[5].kind) };
    assert_eq!((lambda.memory_mb, lambda.runtime.as_deref(), lambda.vcpus), (1_769, Some("python3.13"), 1.0));
    let regions = s.options[6].regions.as_ref().expect("the last example spans regions");
    let parts: Vec<(&str, Option<u32>, bool)> =
        regions.parts.iter().map(|p| (p.region.as_str(), p.kind.fleet(), p.outages.is_some())).collect();
    assert_eq!(parts, [("london", Some(2), false), ("washington", Some(2), true)]);
    assert_eq!(s.options[6].kind.fleet(), Some(4));
    let written = to_resolved_toml(&s);
    let mut again = parse_str(&written, Path::new("r.toml")).unwrap_or_else(|e| panic!("{e}\n{written}"));
    again.source = s.source.clone();
    assert_eq!(again, s, "{written}");
}

#[test]
fn errors_follow_the_design_format() {
    let text = MINIMAL.replace("servers = 1", "servers = -2");
    let err = error(&text);
    assert_eq!(
        err,
        "error: scenarios/test-file.toml:11:11: option \"a\".servers: expected a positive integer, got -2\n   |\n\
         11 | servers = -2\n   |           ^^ servers must be at least 1"
    );
}

#[test]
fn provider_names_as_a_kind_name_the_kind_that_models_them() {
    let with_kind = |kind: &str| error(&MINIMAL.replace("kind = \"bare_metal\"", &format!("kind = \"{kind}\"")));
    for (kind, meant) in [
        ("ec2", "kind = \"iaas\""),
        ("AWS", "kind = \"iaas\""),
        ("gcp", "kind = \"iaas\""),
        ("heroku", "kind = \"paas\""),
        ("dyno", "kind = \"paas\""),
        ("digitalocean", "kind = \"vps\""),
        ("linode", "kind = \"vps\""),
        ("colo", "kind = \"bare_metal\""),
        ("lambda", "kind = \"serverless\""),
        ("cloud-run", "kind = \"serverless\""),
        ("fargate", "kind = \"iaas\""),
    ] {
        let e = with_kind(kind);
        assert!(e.contains(&format!("unknown kind \"{kind}\"; ")) && e.contains(meant), "{kind}: {e}");
    }
    // Other names still get the spelling suggestion.
    assert!(with_kind("bare-metal").contains("did you mean \"bare_metal\"?"));
}

#[test]
fn typical_mistakes() {
    let cases = [
        (MINIMAL.replace("cores", "cors"), "unknown key \"cors\", did you mean \"cores\"?"),
        (MINIMAL.replace("london", "londn"), "unknown region \"londn\", did you mean \"london\"?"),
        (MINIMAL.replace("\"1d\"", "\"1d\"\nwarmup = \"2d\""), "warmup: must be shorter than horizon (1d)"),
        (
            MINIMAL.replace("bare_metal", "paas"),
            "option \"a\".servers: \"servers\" is a bare_metal key; a paas option has \"dynos\"",
        ),
        (MINIMAL.replace("bare_metal", "pass"), "unknown kind \"pass\", did you mean \"paas\"?"),
        (
            MINIMAL.replace("bare_metal", "iaas"),
            "option \"a\".servers: \"servers\" is a bare_metal key; an iaas option has \"initial\"",
        ),
        (
            MINIMAL.replace("bare_metal", "vps"),
            "option \"a\".servers: \"servers\" is a bare_metal key; a vps has \"instances\"",
        ),
        (
            MINIMAL.replace("cores = 2", "cores = 2\nplan = \"linode-1gb\""),
            "\"plan\" is a vps key; bare metal has no catalog",
        ),
        (MINIMAL.replace("bare_metal", "bare-metal"), "unknown kind \"bare-metal\", did you mean \"bare_metal\"?"),
        (MINIMAL.replace("horizon = \"1d\"", ""), "horizon: required key is missing"),
        (MINIMAL.replace("base_rps = 10", "base_rps = 10\nusers = { london = 0.5, tokyo = 0.4 }"), "sum to 0.9"),
        (
            MINIMAL.replace("cores = 2", "cores = 2\nfailures = { mtbf = \"2y\" }"),
            "failures.repair: required key is missing",
        ),
        (
            MINIMAL.replace("cores = 2", "cores = 2\noutages = { mtbf = \"0s\", duration = \"1h\" }"),
            "outages.mtbf: must be longer than 0s",
        ),
        (
            MINIMAL.replace("cores = 2", "cores = 2\noutages = { mtbf = \"500ms\", duration = \"1s\" }"),
            "outages.mtbf: 500ms is shorter than the minimum of 1s",
        ),
        (
            MINIMAL.replace("cores = 2", "cores = 2\noutages = { mtbf = \"9d\" }"),
            "outages.duration: required key is missing",
        ),
        (
            MINIMAL.replace("cores = 2", "cores = 2\noutages = { mtbf = \"9d\", duration = \"5 mins\" }"),
            "unknown unit \"mins\"",
        ),
        (
            MINIMAL.replace("cores = 2", "cores = 2\noutages = { mtbf = \"9d\", duraton = \"5m\" }"),
            "did you mean \"duration\"?",
        ),
        (
            MINIMAL
                .replace("cores = 2", "cores = 2\noutages = { mtbf = \"9d\", duration = { dist = \"exponential\" } }"),
            "outages.duration.mean: required key is missing",
        ),
        (format!("{MINIMAL}\n[[option]]\nname = \"a\"\n"), "duplicate option name \"a\""),
        (MINIMAL.replace("\"1d\"", "\"1d\"\nbucket = \"1us\""), "time-series rows"),
        (MINIMAL.replace("cores = 2", "cores = 100000\nworkers_per_vcpu = 1000"), "request slots"),
        (
            MINIMAL.replace("base_rps = 10", "base_rps = 10\n[traffic.trace]\nfile = \"x.csv\""),
            "traffic.base_rps: a trace replaces base_rps/diurnal/profile/weekly/growth/spike/local_time; remove base_rps",
        ),
        (
            MINIMAL.replace("base_rps = 10", "[traffic.trace]\nfile = \"no-such.csv\"\nbucket = \"1m\""),
            "traffic.trace.file: cannot read the trace file scenarios/no-such.csv",
        ),
        (MINIMAL.replace("london", "lagos"), "unknown region \"lagos\""),
        (
            MINIMAL.replace("base_rps = 10", "base_rps = 10\nusers = { london = 0.5, lagos = 0.5 }")
                + "[network.rtt_ms]\nlagos.lagos = 2\n",
            "traffic.users.lagos: no round-trip time between london and lagos",
        ),
    ];
    for (text, fragment) in cases {
        let err = error(&text);
        assert!(err.contains(fragment), "expected {fragment:?} in:\n{err}");
    }
    // A custom region with only its own RTT is fine when nothing else is used.
    let lagos = MINIMAL.replace("london", "lagos") + "[network.rtt_ms]\nlagos.lagos = 2\n";
    assert_eq!(parse(&lagos).unwrap().network.rtt_ms, vec![vec![2.0]]);
}

#[test]
fn missing_file_is_an_io_error() {
    let err = load(Path::new("/no/such/dir/x.toml")).unwrap_err();
    assert!(err.is_io());
    assert!(err.to_string().starts_with("error: /no/such/dir/x.toml: cannot read: "), "{err}");
}

#[test]
fn edited_trees_validate_without_spans() {
    let mut tree = parse_tree(MINIMAL, Path::new("m.toml")).unwrap();
    tree.set_path("option.a.servers", Node::new(node::Value::Int(0))).unwrap();
    let err = validate_tree(&tree, MINIMAL, Path::new("m.toml")).unwrap_err();
    assert!(err.to_string().starts_with("error: m.toml: option \"a\".servers: expected a positive integer, got 0"));
    tree.set_path("option.a.servers", Node::new(node::Value::Int(3))).unwrap();
    let s = validate_tree(&tree, MINIMAL, Path::new("m.toml")).unwrap();
    let Kind::BareMetal(b) = &s.options[0].kind else { panic!("not bare metal") };
    assert_eq!(b.servers, 3);
}

#[test]
fn never_panics_on_truncated_or_mangled_input() {
    // Every prefix of a full scenario, and the scenario with each line
    // removed or doubled: each must parse or fail cleanly, and every error
    // must render.
    for text in [FULL, INIT_TEMPLATE, super::tests_traffic::SHAPES] {
        for (i, _) in text.char_indices() {
            if let Err(e) = parse(&text[..i]) {
                assert!(e.to_string().starts_with("error: "));
            }
        }
        let lines: Vec<&str> = text.lines().collect();
        for i in 0..lines.len() {
            let mut without = lines.clone();
            without.remove(i);
            let _ = parse(&without.join("\n")).map_err(|e| e.to_string());
            let mut doubled = lines.clone();
            doubled.insert(i, lines[i]);
            let _ = parse(&doubled.join("\n")).map_err(|e| e.to_string());
        }
    }
}
