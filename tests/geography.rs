//! Geography: the round trip between the users' region and the option's
//! region adds to every response; with local time each region keeps its own clock.

use std::path::Path;

use crate::common::cli::{hostsim, stderr};

fn scenario(users: &str) -> hostsim::model::Scenario {
    let text = format!(
        r#"
horizon = "2h"
seed = 5
[traffic]
base_rps = 50
users = {{ {users} = 1.0 }}
[workload]
cpu = {{ dist = "exponential", mean = "20ms" }}
[[option]]
name = "dc"
kind = "bare_metal"
region = "washington"
servers = 1
cores = 4
"#
    );
    hostsim::scenario::parse_str(&text, Path::new("geo.toml")).expect("valid scenario")
}

#[test]
fn users_in_tokyo_see_the_pacific_in_every_percentile() {
    // Built-in table: Washington→Tokyo 142 ms, Tokyo→Washington 139 ms, mean 140.5 ms;
    // within Washington 1 ms. Same requests (common random numbers), so every
    // percentile moves by 140.5 − 1 = 139.5 ms, up to the histogram's 0.05 %.
    let near = &hostsim::pipeline::simulate(&scenario("washington"), true).unwrap()[0];
    let far = &hostsim::pipeline::simulate(&scenario("tokyo"), true).unwrap()[0];
    let pairs = [
        (near.p50_ms.unwrap(), far.p50_ms.unwrap()),
        (near.p90_ms.unwrap(), far.p90_ms.unwrap()),
        (near.p95_ms.unwrap(), far.p95_ms.unwrap()),
        (near.p99_ms.unwrap().mean, far.p99_ms.unwrap().mean),
        (near.mean_ms.unwrap().mean, far.mean_ms.unwrap().mean),
    ];
    for (a, b) in pairs {
        assert!((b - a - 139.5).abs() <= 0.001 * b, "{a} → {b}");
    }
    assert_eq!(near.outcomes, far.outcomes);
}

#[test]
fn aws_region_names_map_to_the_nearest_measured_city() {
    let text = r#"
horizon = "1h"
[traffic]
base_rps = 1
users = { "ap-northeast-1" = 1.0 }
[workload]
cpu = { dist = "constant", value = "10ms" }
[[option]]
name = "dc"
kind = "bare_metal"
region = "us-east-1"
servers = 1
cores = 1
"#;
    let s = hostsim::scenario::parse_str(text, Path::new("alias.toml")).expect("valid scenario");
    let r = &hostsim::pipeline::simulate(&s, true).unwrap()[0];
    // 140.5 ms round trip + 10 ms of service.
    assert!((r.p50_ms.unwrap() - 150.5).abs() < 0.1, "{:?}", r.p50_ms);
}

#[test]
fn a_local_time_run_repeats_from_its_resolved_toml_whatever_the_jobs() {
    // Users in London and Washington at their own lunch peaks, a spike every day:
    // the same bytes with 1 or 2 jobs, and again from the run's resolved.toml.
    let tmp = tempfile::tempdir().unwrap();
    let text = r#"
name = "lunch"
horizon = "2d"
replications = 2
[traffic]
base_rps = 5
profile = { hourly = [1, 1, 1, 1, 1, 1, 1, 2, 3, 3, 3, 3, 4.6, 3, 3, 3, 3, 2, 2, 1, 1, 1, 1, 1] }
weekly = { days = [1, 1, 1, 1, 1, 0.5, 0.5] }
users = { london = 0.5, washington = 0.5 }
local_time = true
[[traffic.spike]]
at = "9h"
duration = "10m"
multiplier = 4
every = "1d"
[workload]
cpu = { dist = "exponential", mean = "100ms" }
[[option]]
name = "dc"
kind = "bare_metal"
region = "london"
servers = 1
cores = 2
"#;
    std::fs::write(tmp.path().join("lunch.toml"), text).unwrap();
    let run = |scenario: &str, out: &str, jobs: &str| {
        let o = hostsim(&["run", scenario, "--out", out, "--no-charts", "--quiet", "--jobs", jobs], tmp.path());
        assert!(o.status.success(), "{}", stderr(&o));
        ["summary.csv", "timeseries.csv", "costs.csv"]
            .map(|f| std::fs::read(tmp.path().join(out).join("lunch").join(f)).unwrap())
    };
    let first = run("lunch.toml", "a", "1");
    assert_eq!(first, run("lunch.toml", "b", "2"), "--jobs changed the bytes");
    let resolved = std::fs::read_to_string(tmp.path().join("a/lunch/resolved.toml")).unwrap();
    assert!(resolved.contains("local_time = true") && resolved.contains("washington = \"-5h\""), "{resolved}");
    assert_eq!(first, run("a/lunch/resolved.toml", "c", "2"), "resolved.toml ran to other numbers");
}
