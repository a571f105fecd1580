//! The database tier: a tandem of web slots and database servers, checked
//! against Jackson networks, saturation throughput and connection limits.

use std::path::Path;

use hostsim::report::aggregate::{MeanOutcomes, OptionReport};

use crate::common::theory::mmc_mean_response_s;

fn parse(text: &str) -> hostsim::model::Scenario {
    hostsim::scenario::parse_str(text, Path::new("database.toml")).expect("valid scenario")
}

fn run(text: &str) -> Vec<OptionReport> {
    hostsim::pipeline::simulate(&parse(text), true).unwrap()
}

fn assert_every_request_counted_once(o: &MeanOutcomes) {
    let settled = o.served + o.timed_out + o.rejected + o.failed + o.in_flight;
    assert!((settled - o.offered).abs() < 1e-9, "{o:?}");
}

/// |sim − theory| ≤ tol·theory, and the CI half-width at most half that tolerance.
fn check(what: &str, sim: f64, ci: f64, theory: f64, tol: f64) {
    let allowed = tol * theory;
    eprintln!("{what}: sim {sim:.4} ± {ci:.4}, theory {theory:.4} (tolerance {allowed:.4})");
    assert!((sim - theory).abs() <= allowed, "{what}: sim {sim} vs theory {theory}");
    assert!(ci <= allowed / 2.0, "{what}: CI {ci} too wide to test a {tol} tolerance");
}

#[test]
fn releasing_the_web_slot_makes_a_jackson_network() {
    // λ = 280/s into 4 cores of exponential 10 ms CPU (M/M/4 at ρ = 0.7), each
    // request then sending one query to one database server of exponential
    // 2.5 ms (M/M/1 at ρ = 280 × 0.0025 = 0.7). With the slot released before
    // the query the two queues are a tandem of a Jackson network: the mean
    // response is each station's own, added (Burke: the web tier's departures are
    // Poisson), plus the users' RTT and the database's 1 ms round trip.
    // M/M/1: 2.5 / (1 − 0.7) = 8.333 ms, of which 5.833 ms waiting.
    let text = r#"
horizon = "1h"
warmup = "2m"
replications = 8
[traffic]
base_rps = 280
[workload]
cpu = { dist = "exponential", mean = "10ms" }
db = { dist = "exponential", mean = "2.5ms" }
db_holds_web_slot = false
[[database]]
name = "main"
kind = "self_hosted"
cores = 1
monthly_usd = 100
[[option]]
name = "metal"
kind = "bare_metal"
region = "washington"
servers = 1
cores = 4
database = "main"
pool_size = 1000
"#;
    let scenario = parse(text);
    let user_rtt_ms = scenario.network.rtt_ms("washington", "washington").unwrap();
    let r = &run(text)[0];
    let web_ms = mmc_mean_response_s(4, 280.0, 100.0) * 1e3;
    let db_ms = 2.5 / (1.0 - 0.7);
    let mean = r.mean_ms.unwrap();
    check("tandem mean response", mean.mean, mean.ci95.unwrap(), web_ms + db_ms + user_rtt_ms + 1.0, 0.03);
    let wait = r.db_wait_ms.unwrap();
    check("database wait", wait.mean, wait.ci95.unwrap(), db_ms - 2.5, 0.05);
    let utilization = r.db_utilization.unwrap();
    assert!((utilization - 0.7).abs() < 0.01, "database utilisation {utilization}");
    assert!((r.utilization - 0.7).abs() < 0.01, "web utilisation {}", r.utilization);
}

/// An overloaded option whose requests hold their slot across the query:
/// `cores` slots of exponential `cpu_ms`, `db_cores` database servers of
/// exponential `db_ms` and no round trip, offered `rps` with a short queue,
/// so the slots never idle. Returns the throughput (req/s, the mean over
/// replications) and the seconds measured over all of them.
fn saturated(cores: u32, cpu_ms: f64, db_cores: u32, db_ms: f64, rps: f64) -> (f64, f64) {
    let reps = 4;
    let text = format!(
        r#"
horizon = "1h"
warmup = "1m"
replications = {reps}
[traffic]
base_rps = {rps}
[workload]
cpu = {{ dist = "exponential", mean = "{cpu_ms}ms" }}
db = {{ dist = "exponential", mean = "{db_ms}ms" }}
[[database]]
name = "main"
kind = "self_hosted"
cores = {db_cores}
monthly_usd = 100
rtt = "0s"
[[option]]
name = "metal"
kind = "bare_metal"
region = "washington"
servers = 1
cores = {cores}
max_queue = 50
database = "main"
"#
    );
    let scenario = parse(&text);
    let measured_s = (scenario.horizon.0 - scenario.warmup.0) as f64 / 1e6;
    let r = &run(&text)[0];
    assert_eq!(r.outcomes.timed_out + r.outcomes.failed, 0.0);
    assert!(r.outcomes.rejected > 0.0, "the queue must overflow for the slots never to idle");
    (r.outcomes.served / measured_s, measured_s * f64::from(reps))
}

/// The saturation throughput min(slots / (cpu + db), db servers / db) per
/// second, and the simulated one within 4 standard deviations of a count
/// of completions over `span_s` whose time between them has squared CV `cv2`.
fn check_saturation(cores: u32, cpu_ms: f64, db_cores: u32, db_ms: f64, cv2: f64) {
    let expected = (f64::from(cores) / ((cpu_ms + db_ms) / 1e3)).min(f64::from(db_cores) / (db_ms / 1e3));
    let (x, span_s) = saturated(cores, cpu_ms, db_cores, db_ms, 1.5 * expected);
    // Completions of a busy station over T: variance ≈ X·T·cv² (a renewal count).
    let tolerance = 4.0 * (expected * span_s * cv2).sqrt() / span_s;
    eprintln!("throughput {x:.3}/s, expected {expected:.3}/s ± {tolerance:.3}");
    assert!((x - expected).abs() <= tolerance, "throughput {x}/s, expected {expected}/s ± {tolerance}");
}

#[test]
fn saturation_throughput_when_the_web_tier_is_the_bottleneck() {
    // 4 slots held 8 + 2 ms a request: 4 / 0.010 s = 400/s; the 4 database
    // servers could take 4 / 0.002 s = 2,000/s (and never queue: at most
    // 4 queries are out at once). A slot's time, 8 + 2 ms of exponentials,
    // has cv² = (8² + 2²) / 10² = 0.68.
    check_saturation(4, 8.0, 4, 2.0, 0.68);
}

#[test]
fn saturation_throughput_when_the_database_is_the_bottleneck() {
    // 8 slots held 2 + 5 ms could serve 8 / 0.007 s = 1,143/s; one database
    // server of 5 ms serves 1 / 0.005 s = 200/s. The slots wait for it, and it
    // idles only when all 8 requests are in their CPU at once (probability
    // about 1e-8): its exponential 5 ms gives cv² = 1.
    check_saturation(8, 2.0, 1, 5.0, 1.0);
}

#[test]
fn instances_beyond_max_connections_fail_their_requests() {
    // Pools of 10 connections into a database accepting 100: ten instances
    // open 10 × 10 = 100, the 11th is refused and every request it takes fails.
    // The fleet runs 5 instances, then 11 from 1 h and 15 from 2 h (scheduled
    // minimums, 60 s boots); round robin gives each instance in service an
    // equal share: 1/11 of requests fail from 1 h + 60 s, 5/15 from 2 h + 60 s.
    let text = r#"
horizon = "3h"
bucket = "1m"
[traffic]
base_rps = 50
[workload]
cpu = { dist = "constant", value = "1ms" }
db = { dist = "constant", value = "1ms" }
[[database]]
name = "main"
kind = "self_hosted"
cores = 4
monthly_usd = 100
max_connections = 100
[[option]]
name = "fleet"
kind = "iaas"
region = "washington"
instance = "m5.large"
boot = "60s"
routing = "round_robin"
database = "main"
pool_size = 10
autoscaling = { policy = "target_tracking", target = 0.6, min = 5, max = 15, schedule = [{ at = "1h", min = 11 }, { at = "2h", min = 15 }] }
"#;
    let r = &run(text)[0];
    let mut seen = [(0.0, 0.0); 3];
    for p in r.series() {
        let p = p.unwrap();
        let (start_m, failed, offered) = (p.start_s / 60.0, p.outcomes.failed, p.outcomes.offered);
        match start_m as u32 {
            // Minute 61 has the 11th instance's first requests.
            0..=60 => assert_eq!(failed, 0.0, "minute {start_m}: 10 instances or fewer"),
            62..120 => seen[1] = (seen[1].0 + failed, seen[1].1 + offered),
            122..180 => seen[2] = (seen[2].0 + failed, seen[2].1 + offered),
            _ => {}
        }
        assert_eq!(p.outcomes.timed_out + p.outcomes.rejected, 0.0);
    }
    // Round robin is exact up to the one rotation a minute's count may cut short.
    let (share_11, share_15) = (seen[1].0 / seen[1].1, seen[2].0 / seen[2].1);
    eprintln!("failed: {share_11:.5} of {} with 11 instances, {share_15:.5} of {} with 15", seen[1].1, seen[2].1);
    assert!((share_11 - 1.0 / 11.0).abs() < 1e-3, "with 11 instances {share_11} of requests failed");
    assert!((share_15 - 5.0 / 15.0).abs() < 1e-3, "with 15 instances {share_15} failed");
}

#[test]
fn failures_and_outages_end_requests_waiting_on_the_database() {
    // Two servers that fail every 10 minutes on average (repaired in 1 minute)
    // and whole-option outages, balanced by least connections, each with one
    // connection to a database that takes 20 ms a query: requests wait for
    // the connection, and every failure ends those on its server, whatever
    // they were waiting for. Every request is accounted for once.
    let text = r#"
horizon = "6h"
replications = 2
[traffic]
base_rps = 20
[workload]
cpu = { dist = "exponential", mean = "5ms" }
db = { dist = "exponential", mean = "20ms" }
db_queries = 2
[[database]]
name = "main"
kind = "self_hosted"
cores = 2
monthly_usd = 100
[[option]]
name = "metal"
kind = "bare_metal"
region = "washington"
servers = 2
cores = 4
routing = "least_connections"
database = "main"
pool_size = 1
failures = { mtbf = "10m", repair = "1m" }
outages = { mtbf = "2h", duration = "5m" }
"#;
    let r = &run(text)[0];
    let o = &r.outcomes;
    assert_every_request_counted_once(o);
    assert!(o.failed > 0.0 && o.served > 0.9 * o.offered, "{o:?}");
    // One connection per server for 20 rps × 2 queries × 20 ms = 0.8 busy connections
    // (0.4 each, 0.8 while the other server is down): queries queue for it.
    let wait = r.db_wait_ms.unwrap().mean;
    assert!(wait > 5.0, "queries waited {wait} ms for a connection and a server");
}

#[test]
fn spot_interruptions_drain_instances_and_their_connections() {
    // Three spot instances, each interrupted about every 12 hours, with 4
    // connections each into a database accepting 12: no room for a fourth.
    // An interrupted one drains, closes its connections when its last request
    // ends and is replaced at its termination, so its replacement fits.
    let text = r#"
horizon = "2d"
replications = 2
[traffic]
base_rps = 20
[workload]
cpu = { dist = "exponential", mean = "20ms" }
db = { dist = "exponential", mean = "2ms" }
db_queries = 2
[[database]]
name = "main"
kind = "self_hosted"
cores = 2
monthly_usd = 100
max_connections = 12
[[option]]
name = "spot"
kind = "iaas"
region = "washington"
instance = "m5.large"
initial = 3
market = "spot"
interruptions_per_month = 60
database = "main"
pool_size = 4
"#;
    let r = &run(text)[0];
    let o = &r.outcomes;
    assert_every_request_counted_once(o);
    assert!(r.interruptions.mean > 4.0, "{} interruptions", r.interruptions.mean);
    assert!(o.failed < 1e-4 * o.offered, "{o:?}");
}

#[test]
fn a_database_in_another_region_is_priced_there_and_a_round_trip_away() {
    // Web servers in Washington, their db.m5.large in Frankfurt: one 1 ms query per
    // request of 1 ms CPU, at 2 rps (no queueing). The mean response is 1 + 1 ms,
    // the users' RTT to Washington and one transatlantic round trip; the database
    // is billed at eu-central-1's hourly price for the day.
    let text = r#"
horizon = "1d"
[traffic]
base_rps = 2
[workload]
cpu = { dist = "constant", value = "1ms" }
db = { dist = "constant", value = "1ms" }
[[database]]
name = "far"
kind = "managed"
instance_class = "db.m5.large"
region = "frankfurt"
[[option]]
name = "metal"
kind = "bare_metal"
region = "washington"
servers = 1
cores = 4
database = "far"
"#;
    let s = parse(text);
    let (user_ms, across_ms) =
        (s.network.rtt_ms("washington", "washington").unwrap(), s.network.rtt_ms("washington", "frankfurt").unwrap());
    let r = &run(text)[0];
    let mean = r.mean_ms.unwrap().mean;
    let expected = 2.0 + user_ms + across_ms;
    assert!((mean - expected).abs() < 0.01, "mean {mean} ms, expected {expected} ms");
    let hourly = hostsim::catalog::rds::class("eu-central-1", hostsim::catalog::rds::Engine::Postgresql, "db.m5.large")
        .unwrap()
        .single_az_usd_per_hour;
    let db_usd = r.costs.get(hostsim::hosting::cost::CostCategory::Database);
    assert!((db_usd - 24.0 * hourly).abs() < 1e-6, "{db_usd} for 24 h at ${hourly}/h");
}
