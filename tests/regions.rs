//! Options across regions: users sent to the nearest region (or by weights),
//! failover after a region has been down for `failover_after`, each region
//! billed and emitting on its own.

use std::fs;
use std::path::Path;

use hostsim::report::aggregate::OptionReport;

use crate::common::cli::{hostsim, ok, repo};

fn parse(text: &str) -> hostsim::model::Scenario {
    hostsim::scenario::parse_str(text, Path::new("regions.toml")).expect("valid scenario")
}

fn run(text: &str) -> Vec<OptionReport> {
    hostsim::pipeline::simulate(&parse(text), true).unwrap()
}

/// One bare-metal server in Washington and one in Frankfurt (or `regions`),
/// 1 ms of constant CPU at 2 rps (no queueing), `users` and `rest` as given.
fn light(users: &str, rest: &str) -> String {
    light_in("regions = { washington = 1, frankfurt = 1 }", users, rest)
}

fn light_in(regions: &str, users: &str, rest: &str) -> String {
    format!(
        r#"
horizon = "1d"
seed = 3
[traffic]
base_rps = 2
users = {{ {users} }}
[workload]
cpu = {{ dist = "constant", value = "1ms" }}
[[option]]
name = "both"
kind = "bare_metal"
cores = 4
{regions}
{rest}
"#
    )
}

fn rtt_ms(text: &str, a: &str, b: &str) -> f64 {
    parse(text).network.rtt_ms(a, b).unwrap()
}

#[test]
fn users_go_to_the_nearest_region() {
    // Half the users in each city, each served at home: every response is the
    // 1 ms of CPU plus the RTT within its city.
    let text = light("washington = 0.5, frankfurt = 0.5", "");
    let r = &run(&text)[0];
    let local = (rtt_ms(&text, "washington", "washington") + rtt_ms(&text, "frankfurt", "frankfurt")) / 2.0;
    let mean = r.mean_ms.unwrap().mean;
    assert!((mean - (1.0 + local)).abs() < 0.05, "mean {mean} ms, expected {} ms", 1.0 + local);
    assert_eq!(r.region, "washington+frankfurt");
}

#[test]
fn weights_send_a_share_across_the_ocean() {
    // Every user in Washington, a quarter sent to Frankfurt: mean = 1 ms + 0.75 × local
    // + 0.25 × transatlantic RTT. Tolerance: 4 binomial standard deviations of the
    // share crossing over the ~172,800 requests of the day, times the RTT difference.
    let text = light("washington = 1.0", "geo_routing = { washington = 0.75, frankfurt = 0.25 }");
    let r = &run(&text)[0];
    let (local, cross) = (rtt_ms(&text, "washington", "washington"), rtt_ms(&text, "washington", "frankfurt"));
    let expected = 1.0 + 0.75 * local + 0.25 * cross;
    let n = r.outcomes.served;
    let tolerance = 4.0 * (0.25 * 0.75 / n).sqrt() * (cross - local);
    let mean = r.mean_ms.unwrap().mean;
    assert!((mean - expected).abs() < tolerance, "mean {mean} ms, expected {expected} ± {tolerance}");
}

#[test]
fn each_region_bills_and_emits_on_its_own() {
    // Nearly idle VPSs for a day: 2 in Washington (us-east-1, 379.07 g/kWh) and 1 in Frankfurt
    // (eu-central-1, 311 g/kWh), linode-4gb billed per started hour at $0.036 (capped at $24 a
    // month): 3 × 24 h × $0.036 = $2.592. Operational: each region's 2-vCPU VPSs at 0.74 W per
    // idle vCPU × 24 h × PUE 1.135 on its own grid (busy time adds under 1 %).
    let text = r#"
horizon = "1d"
seed = 3
[traffic]
base_rps = 0.01
users = { washington = 0.5, frankfurt = 0.5 }
[workload]
cpu = { dist = "constant", value = "1ms" }
[[option]]
name = "vps"
kind = "vps"
plan = "linode-4gb"
regions = { washington = 2, frankfurt = 1 }
"#;
    let r = &run(text)[0];
    assert!((r.total_cost_usd.mean - 3.0 * 24.0 * 0.036).abs() < 1e-9, "{}", r.total_cost_usd.mean);
    let grid = |region: &str| hostsim::catalog::carbon::grid(Some(region), "").unwrap().0;
    let idle_g = |vpss: f64, region: &str| vpss * 2.0 * 0.74 * 24.0 * 1.135 / 1_000.0 * grid(region);
    assert_eq!((grid("us-east-1"), grid("eu-central-1")), (379.07, 311.0));
    let expected = idle_g(2.0, "us-east-1") + idle_g(1.0, "eu-central-1");
    let operational = r.emissions.unwrap().operational_g;
    assert!(operational >= expected * (1.0 - 1e-9) && operational < expected * 1.01, "{operational} vs {expected}");
}

/// Lost requests (timed out or failed) of `light_in(regions)` at 20 rps for a
/// week with `outages` (if any) on the option, failing over after `after`.
fn lost_with_failover(regions: &str, outages: &str, after: &str) -> f64 {
    let users = "washington = 0.5, frankfurt = 0.5";
    let text = light_in(regions, users, &format!("{outages}\nfailover_after = \"{after}\""))
        .replace("base_rps = 2", "base_rps = 20")
        .replace("horizon = \"1d\"", "horizon = \"7d\"")
        .replace("[workload]", "[workload]\ntimeout = \"5s\"");
    let r = &run(&text)[0];
    r.outcomes.timed_out + r.outcomes.failed
}

#[test]
fn a_down_regions_users_fail_over_after_failover_after() {
    // Washington's users (10 rps) arriving in the first 60 s of each outage time out; after
    // that they are served in Frankfurt. Never failing over, they are lost for the whole
    // 20 minutes but the last 5 s (the timeout: those still waiting are served when it
    // recovers). The same outages in both runs (common random numbers), so the ratio is
    // 60 / 1,195 = 0.0502; tolerance 10 %, over ~28 outages × 600 requests each.
    let regions = "regions = { washington = { instances = 1, outages = { mtbf = \"6h\", duration = \"20m\" } }, \
                   frankfurt = 1 }";
    let (fast, never) = (lost_with_failover(regions, "", "60s"), lost_with_failover(regions, "", "30d"));
    assert!(never > 10_000.0, "{never}");
    let ratio = fast / never;
    assert!((ratio / (60.0 / 1_195.0) - 1.0).abs() < 0.1, "{fast} / {never} = {ratio}");
}

#[test]
fn the_whole_options_outages_take_every_region_down_at_once() {
    // With the outages on the option, both regions are down together: failing over
    // helps nobody, so the requests lost are the same whether or not it happens.
    let regions = "regions = { washington = 1, frankfurt = 1 }";
    let outages = "outages = { mtbf = \"6h\", duration = \"20m\" }";
    let (fast, never) = (lost_with_failover(regions, outages, "60s"), lost_with_failover(regions, outages, "30d"));
    assert!(fast > 10_000.0, "{fast}");
    assert_eq!(fast, never);
}

#[test]
fn resolved_toml_reads_back_to_the_same_option() {
    let tmp = tempfile::tempdir().unwrap();
    let text = light(
        "washington = 0.5, frankfurt = 0.5",
        "geo_routing = { washington = 0.6, frankfurt = 0.4 }\nfailover_after = \"2m\"",
    )
    .replace("frankfurt = 1 }", "frankfurt = { instances = 2, outages = { mtbf = \"3d\", duration = \"10m\" } } }");
    fs::write(tmp.path().join("s.toml"), &text).unwrap();
    ok(hostsim(&["run", "-q", "--no-charts", "-o", "out", "s.toml"], tmp.path()));
    let resolved = fs::read_to_string(tmp.path().join("out/s/resolved.toml")).unwrap();
    // Regions are written as their AWS names, whose prices they were read with.
    assert!(resolved.contains("geo_routing = { us-east-1 = 0.6, eu-central-1 = 0.4 }"), "{resolved}");
    let again = hostsim::scenario::parse_str(&resolved, Path::new("resolved.toml")).unwrap();
    assert_eq!(again.options, parse(&text).options);
}

#[test]
fn the_bundled_two_region_scenario_validates() {
    let tmp = tempfile::tempdir().unwrap();
    ok(hostsim(&["validate", &repo("scenarios/two-regions.toml")], tmp.path()));
}

#[test]
fn each_region_autoscales_on_its_own() {
    // EC2 m5.large behind target tracking (1 to 6 per region), every user in Washington.
    // Washington's part sees exactly what a Washington-only option sees (the same requests,
    // routing and boot draws), so it scales the same; Frankfurt gets nothing and stays at its
    // minimum: 1 more instance all day, billed 24 h × eu-central-1's m5.large price.
    let option = |place: &str| {
        format!(
            r#"
horizon = "1d"
seed = 3
[traffic]
base_rps = 40
diurnal = {{ amplitude = 0.8, peak_hour = 14 }}
users = {{ washington = 1.0 }}
[workload]
cpu = {{ dist = "exponential", mean = "50ms" }}
[[option]]
name = "ec2"
kind = "iaas"
instance = "m5.large"
egress_usd_per_gb = 0
autoscaling = {{ policy = "target_tracking", min = 1, max = 6, target = 0.5 }}
{place}
"#
        )
    };
    let one = &run(&option("region = \"washington\""))[0];
    let both = &run(&option("regions = { washington = 1, frankfurt = 1 }"))[0];
    assert!(one.peak_instances > 1.0, "Washington scales out: {}", one.peak_instances);
    assert!(
        (both.mean_instances - one.mean_instances - 1.0).abs() < 1e-9,
        "{} {}",
        both.mean_instances,
        one.mean_instances
    );
    let frankfurt_usd_per_hour = hostsim::catalog::Catalog::builtin()
        .ec2_types("eu-central-1")
        .into_iter()
        .find(|t| t.name == "m5.large")
        .unwrap()
        .hourly_usd;
    let extra = both.total_cost_usd.mean - one.total_cost_usd.mean;
    assert!((extra - 24.0 * frankfurt_usd_per_hour).abs() < 1e-9, "{extra} vs 24 × {frankfurt_usd_per_hour}");
}
