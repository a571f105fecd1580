//! Resource limits checked before anything is simulated: the expected
//! number of requests and of rare events (time), and the size of the time
//! series (temporary files) plus what stays in memory meanwhile (the user
//! catalog, a sweep's points). A scenario above a limit is invalid input
//! (exit 2) with a message naming the flag that raises the limit.

use crate::hosting::load_balancer::HourTraffic;
use crate::model::{HostingOption, Scenario};
use crate::sim::dyno_hours;
use crate::sim::series::BucketStats;
use crate::time::SimTime;
use crate::traffic::profile::{RateProfile, expected_requests};

/// Default of `--max-requests`: requests simulated by one command, summed
/// over options, replications (and sweep points).
pub const DEFAULT_MAX_REQUESTS: u64 = 1_000_000_000;

/// Default of `--max-events`: rare events (neighbour redraws, failures,
/// outages, spot interruptions, autoscaling evaluations, scheduled changes,
/// pool ticks) of one command, summed like requests.
pub const DEFAULT_MAX_EVENTS: u64 = 1_000_000_000;

/// Default of `--max-memory` in GiB: the time series of one scenario (kept in
/// temporary files until the reports are written) and what is held in memory
/// meanwhile.
pub const DEFAULT_MAX_MEMORY_GIB: u64 = 4;

/// Fixed memory per job besides its buckets (histograms, bookkeeping).
const PER_JOB_BYTES: f64 = 1024.0 * 1024.0;

/// What running a scenario will take, estimated from its file alone.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// Expected arrivals, summed over options and replications.
    pub requests: f64,
    /// Expected rare events, summed over options and replications.
    pub events: f64,
    /// Bytes of per-bucket statistics kept (in temporary files) until the reports are written.
    pub memory_bytes: f64,
    /// Bytes held in memory meanwhile: the user catalog, and in a sweep
    /// what validation keeps of every point.
    pub held_bytes: f64,
}

/// The limits in force (from the command line).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    pub max_requests: u64,
    pub max_events: u64,
    pub max_memory_gib: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_requests: DEFAULT_MAX_REQUESTS,
            max_events: DEFAULT_MAX_EVENTS,
            max_memory_gib: DEFAULT_MAX_MEMORY_GIB,
        }
    }
}

/// Estimates requests, rare events and memory of one scenario.
pub fn estimate(s: &Scenario) -> Estimate {
    let replications = f64::from(s.replications);
    let jobs = s.options.len() as f64 * replications;
    let events: f64 = s.options.iter().map(|o| events_per_job(o, s.horizon)).sum();
    let buckets = s.horizon.0.div_ceil(s.bucket.0.max(1)) as f64;
    // Each job writes its buckets twice: as measured, then priced.
    let bucket_bytes = 2.0 * std::mem::size_of::<BucketStats>() as f64;
    // A load balancer's job keeps the traffic of every hour (to bill it at the end).
    let balanced_jobs = s.options.iter().filter(|o| o.load_balancer.is_some()).count() as f64 * replications;
    let hour_bytes = s.horizon.0.div_ceil(SimTime::HOUR.0) as f64 * std::mem::size_of::<HourTraffic>() as f64;
    Estimate {
        requests: requests_per_job(s) * jobs,
        events: events * replications,
        memory_bytes: jobs * (buckets * bucket_bytes + PER_JOB_BYTES) + balanced_jobs * hour_bytes,
        held_bytes: s.catalog.approx_bytes() as f64,
    }
}

/// Expected arrivals of one job: the profile's integral, or a trace's kept
/// counts × scale (known from validation's pass over the file). Rows past
/// the horizon are not replayed, so a shorter horizon counts at most its
/// rows (at least a bucket apart) at the busiest row's count.
fn requests_per_job(s: &Scenario) -> f64 {
    match &s.traffic.trace {
        Some(t) => {
            let rows_in_horizon = (s.horizon.0.div_ceil(t.bucket.0) + 1) as f64;
            t.scale * t.total_requests.min(t.peak_count * rows_in_horizon)
        }
        None => expected_requests(&RateProfile::new(&s.traffic), s.horizon),
    }
}

/// Expected rare events of one job of `option` over `horizon` (events that
/// follow from others, such as a launched instance becoming ready, are left out).
fn events_per_job(option: &HostingOption, horizon: SimTime) -> f64 {
    let per = |every: SimTime| horizon.as_secs_f64() / every.as_secs_f64();
    let model = crate::hosting::model(option);
    let fixed = f64::from(model.fixed_instances());
    let mut events = 0.0;
    // Each neighbour of each instance draws its state every `period`, unless it can never change.
    if let Some(n) = model.neighbours().filter(|n| n.utilization > 0.0 && n.utilization < 1.0) {
        events += fixed * f64::from(n.count) * per(n.period);
    }
    // At most a failure and a repair per server per `mtbf`.
    if let Some(f) = model.failures() {
        events += 2.0 * fixed * per(f.mtbf);
    }
    if let Some(o) = &option.outages {
        events += 2.0 * per(o.mtbf);
    }
    // A notice and a termination per spot interruption, with the fleet at its largest.
    if let Some(fleet) = model.fleet()
        && let Some(spot) = &fleet.spot
    {
        let most = fleet.autoscaling.as_ref().map_or(fleet.initial, |a| a.max);
        let on_spot = most - spot.mixed.map_or(0, |m| m.on_demand(most));
        events += 2.0 * f64::from(on_spot) * spot.interruptions_per_month * horizon.as_secs_f64()
            / SimTime::MONTH.as_secs_f64();
    }
    if let Some(a) = model.fleet().and_then(|f| f.autoscaling) {
        events += per(crate::autoscale::period(&a.policy));
        // A scheduled change at `at`, then every `every` to the horizon.
        for s in a.schedule.iter().filter(|s| s.at < horizon) {
            events += 1.0 + s.every.map_or(0.0, |every| (horizon.0 - s.at.0) as f64 / every.0 as f64);
        }
    }
    if model.router().is_some_and(|r| r.pool_hours.is_some()) {
        events += per(SimTime(dyno_hours::TICK_US));
    }
    events
}

impl Limits {
    /// Checks the memory of one scenario; `what` names it in the message.
    pub fn check_memory(&self, what: &str, e: &Estimate) -> Result<(), String> {
        let gib = |bytes: f64| bytes / (1u64 << 30) as f64;
        let total = gib(e.memory_bytes + e.held_bytes);
        if total > self.max_memory_gib as f64 {
            return Err(format!(
                "{what}: would need about {total:.1} GiB ({:.1} GiB of time series in temporary files, {:.1} GiB \
                 of catalog and sweep points in memory), above the limit of {} GiB; use a wider bucket, a shorter \
                 horizon, fewer replications or fewer sweep points, or raise the limit with --max-memory {}",
                gib(e.memory_bytes),
                gib(e.held_bytes),
                self.max_memory_gib,
                total.ceil() as u64
            ));
        }
        Ok(())
    }

    /// Checks the total expected rare events; `what` names the run in the message.
    pub fn check_events(&self, what: &str, events: f64) -> Result<(), String> {
        check_count(
            what,
            Count {
                doing: "process",
                noun: "rare events (neighbour redraws, failures, outages, spot interruptions, autoscaling \
                       evaluations, scheduled changes)",
                advice: "lengthen a neighbours period, an mtbf or a schedule's every, lower interruptions_per_month, \
                         shorten the horizon or use fewer replications",
                flag: "--max-events",
            },
            events,
            self.max_events,
        )
    }

    /// Checks the total expected requests; `what` names the run in the message.
    pub fn check_requests(&self, what: &str, requests: f64) -> Result<(), String> {
        check_count(
            what,
            Count {
                doing: "simulate",
                noun: "requests",
                advice: "shorten the horizon, lower the traffic or use fewer replications",
                flag: "--max-requests",
            },
            requests,
            self.max_requests,
        )
    }
}

/// How a counted limit is described in its message.
struct Count {
    doing: &'static str,
    noun: &'static str,
    /// How to need less.
    advice: &'static str,
    flag: &'static str,
}

/// An error if `value` is above `limit`, naming the flag with a value that passes.
fn check_count(what: &str, c: Count, value: f64, limit: u64) -> Result<(), String> {
    if value > limit as f64 {
        return Err(format!(
            "{what}: would {} about {value:.3e} {}, above the limit of {:.0e}; {}, or raise the limit with {} {}",
            c.doing,
            c.noun,
            limit as f64,
            c.advice,
            c.flag,
            round_up(value)
        ));
    }
    Ok(())
}

/// `x` rounded up to two significant digits, as an integer to type.
fn round_up(x: f64) -> u64 {
    let unit = 10f64.powi((x.log10().floor() as i32 - 1).max(0));
    ((x / unit).ceil() * unit) as u64
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn messages_name_the_flag_and_a_value_that_passes() {
        let limits = Limits { max_requests: 1000, max_events: 1000, max_memory_gib: 1 };
        let err = limits.check_requests("x.toml", 12_345.0).unwrap_err();
        assert!(err.contains("--max-requests 13000"), "{err}");
        assert!(limits.check_requests("x.toml", 1000.0).is_ok());
        let err = limits.check_events("x.toml", 2_001.0).unwrap_err();
        assert!(err.contains("limit of 1e3") && err.contains("--max-events 2100"), "{err}");
        assert!(limits.check_events("x.toml", 1000.0).is_ok());
        let gib = (1u64 << 30) as f64;
        let big = Estimate { requests: 0.0, events: 0.0, memory_bytes: 2.5 * gib, held_bytes: 0.0 };
        let err = limits.check_memory("x.toml", &big).unwrap_err();
        assert!(err.contains("--max-memory 3"), "{err}");
        // What is held in memory counts too.
        let held = Estimate { requests: 0.0, events: 0.0, memory_bytes: 0.5 * gib, held_bytes: 0.6 * gib };
        let err = limits.check_memory("x.toml", &held).unwrap_err();
        assert!(err.contains("about 1.1 GiB (0.5 GiB of time series") && err.contains("0.6 GiB of catalog"), "{err}");
        assert!(err.contains("--max-memory 2"), "{err}");
    }

    #[test]
    fn scenarios_share_the_catalog_file_and_the_estimate_counts_it() {
        use std::borrow::Cow;
        use std::sync::Arc;

        use crate::catalog::Provenance;
        use crate::catalog::user::{UserCatalog, VpsEntry};
        use crate::scenario::{parse_str, parse_tree, validate_tree_with};

        let text = "horizon = \"1h\"\n[traffic]\nbase_rps = 1\n[workload]\ncpu = { dist = \"constant\", value = \"1ms\" }\n\
                    [[option]]\nname = \"a\"\nkind = \"bare_metal\"\nregion = \"washington\"\nservers = 1\ncores = 1\n";
        let mut file = UserCatalog::default();
        for i in 0..1367 {
            let source = Cow::Owned(format!("a provider's price list, page {i}"));
            let entry = VpsEntry {
                provider: None,
                vcpus: Some(2),
                memory_gb: None,
                monthly_usd: Some(10.0),
                hourly_usd: None,
                provenance: Provenance { source, date: Cow::Borrowed("2026-01-01") },
            };
            file.vps.insert(format!("plan-{i}"), entry);
        }
        let file = Arc::new(file);
        let path = Path::new("s.toml");
        let tree = parse_tree(text, path).unwrap();
        let points: Vec<_> = (0..2).map(|_| validate_tree_with(&tree, text, path, &file).unwrap()).collect();
        assert!(points.iter().all(|s| Arc::ptr_eq(s.catalog.file(), &file)), "each point shares the one copy");
        let extra = estimate(&points[0]).held_bytes - estimate(&parse_str(text, path).unwrap()).held_bytes;
        assert!(extra >= 1367.0 * 420.0, "the catalog counts in the estimate: {extra} bytes");
    }

    /// A scenario of one option (`option` lines after its name) over `horizon`, with `traffic` lines.
    fn scenario(dir: &Path, horizon: &str, traffic: &str, option: &str) -> Scenario {
        let text = format!(
            "{horizon}replications = 2\n[traffic]\n{traffic}\n[workload]\ncpu = {{ dist = \"constant\", value = \"1ms\" }}\n\
             [[option]]\nname = \"a\"\nregion = \"london\"\n{option}\n"
        );
        let path = dir.join("s.toml");
        std::fs::write(&path, text).unwrap();
        crate::scenario::load(&path).unwrap_or_else(|e| panic!("{e}"))
    }

    const BOX: &str = "kind = \"bare_metal\"\nservers = 1\ncores = 1";

    #[test]
    fn a_load_balancer_counts_its_hours() {
        let dir = tempfile::tempdir().unwrap();
        let iaas = "kind = \"iaas\"\nvcpus = 2\nhourly_usd = 0.1\ninitial = 1";
        let lb = format!("{iaas}\nload_balancer = {{ kind = \"alb\", usd_per_hour = 0.02, usd_per_lcu_hour = 0.008 }}");
        let bytes =
            |option: &str| estimate(&scenario(dir.path(), "horizon = \"1y\"\n", "base_rps = 1", option)).memory_bytes;
        // 2 replications × 8,760 hours × 32 bytes.
        assert_eq!(std::mem::size_of::<HourTraffic>(), 32);
        assert_eq!(bytes(&lb) - bytes(iaas), 2.0 * 8_760.0 * 32.0);
    }

    #[test]
    fn shaped_traffic_counts_its_integral_whatever_the_peak() {
        let dir = tempfile::tempdir().unwrap();
        // A 4.6× lunch hour (4× the mean: 4.6 / (27.6 / 24)), weekdays and weekends,
        // users in two time zones: over two whole weeks the mean is base_rps, so
        // 2 replications × 10 rps × 1,209,600 s = 24,192,000 requests.
        let hourly = format!("profile = {{ hourly = [{}, 4.6, {}] }}", ["1"; 12].join(", "), ["1"; 11].join(", "));
        let traffic = format!(
            "base_rps = 10\n{hourly}\nweekly = {{ days = [1, 1, 1, 1, 1, 0.5, 0.5] }}\n\
             users = {{ london = 0.5, washington = 0.5 }}\nlocal_time = true"
        );
        let e = estimate(&scenario(dir.path(), "horizon = \"2w\"\n", &traffic, BOX)).requests;
        assert!((e / 24_192_000.0 - 1.0).abs() < 1e-9, "{e}");
        // A ×3 hour every day at noon until day 10, on a flat 10 rps: 10 occurrences
        // of 3,600 s × 20 extra rps = 720,000 more per replication: 25,632,000.
        let spike = "base_rps = 10\n[[traffic.spike]]\nat = \"12h\"\nduration = \"1h\"\nmultiplier = 3\n\
                     every = \"1d\"\nuntil = \"10d\"";
        let e = estimate(&scenario(dir.path(), "horizon = \"2w\"\n", spike, BOX)).requests;
        assert!((e / 25_632_000.0 - 1.0).abs() < 1e-9, "{e}");
    }

    #[test]
    fn a_trace_counts_its_total_times_scale() {
        let dir = tempfile::tempdir().unwrap();
        // 100 rows of 10 requests a minute: a total of 1,000.
        let rows: String = (0..100).map(|m| format!("{},10\n", m * 60)).collect();
        std::fs::write(dir.path().join("t.csv"), format!("timestamp_seconds,requests\n{rows}")).unwrap();
        let trace = "[traffic.trace]\nfile = \"t.csv\"\nbucket = \"1m\"\nscale = 1e6";
        let s = scenario(dir.path(), "", trace, BOX);
        // 1,000 requests × scale 1e6 × 2 replications = 2e9 > the default 1e9.
        assert_eq!(estimate(&s).requests, 2e9);
        assert!(Limits::default().check_requests("s.toml", estimate(&s).requests).is_err());
        // A 10-minute horizon replays at most 11 rows of the busiest count:
        // 11 × 10 × 1e6 × 2 = 2.2e8.
        let short = scenario(dir.path(), "horizon = \"10m\"\n", trace, BOX);
        assert_eq!(estimate(&short).requests, 2.2e8);
    }

    #[test]
    fn rare_events_are_counted_per_kind() {
        let dir = tempfile::tempdir().unwrap();
        let year = "horizon = \"365d\"\n";
        let flat = "base_rps = 0.001";
        let events = |option: &str| estimate(&scenario(dir.path(), year, flat, option)).events;
        // 3 VPS instances × 10 neighbours × 31,536,000 s / 1 s × 2 replications = 1.89e9 > 1e9.
        let vps = "kind = \"vps\"\ninstances = 3\nplan = \"linode-2gb\"\n\
                   neighbours = { host_cores = 32, count = 10, utilization = 0.5, period = \"1s\" }";
        assert_eq!(events(vps), 3.0 * 10.0 * 31_536_000.0 * 2.0);
        assert!(Limits::default().check_events("s.toml", events(vps)).is_err());
        // Neighbours that are never (or always) busy never redraw.
        assert_eq!(events(&vps.replace("utilization = 0.5", "utilization = 1")), 0.0);
        // Failures: 2 servers × (a failure and a repair) × 365 d / 1 d × 2 replications = 2,920;
        // outages: 2 × 365 d / 73 d × 2 replications = 20.
        let failing = "kind = \"bare_metal\"\nservers = 2\ncores = 1\nfailures = { mtbf = \"1d\", repair = \"1h\" }\n\
                       outages = { mtbf = \"73d\", duration = \"1h\" }";
        assert_eq!(events(failing), 2_920.0 + 20.0);
        // HPA every 15 s: 2,102,400 evaluations a year; a schedule from 1d every 1m:
        // 1 + 364 × 1,440 = 524,161 changes; × 2 replications.
        let hpa = "kind = \"iaas\"\ninstance = \"m5.large\"\nautoscaling = { policy = \"hpa\", target = 0.5, max = 4, \
                   schedule = [{ at = \"1d\", every = \"1m\", min = 2 }] }";
        assert_eq!(events(hpa), (2_102_400.0 + 524_161.0) * 2.0);
        // Eco's pool of dyno-hours ticks each minute: 525,600 a year; Heroku autoscaling the same.
        assert_eq!(events("kind = \"paas\"\ndyno = \"eco\""), 525_600.0 * 2.0);
        assert_eq!(events(BOX), 0.0);
        // Spot: 10 instances × 0.5 interruptions a month × 12 months (8,760 h / 730 h) × (a
        // notice and a termination) × 2 replications = 240; mixed, at max = 10 with a base of 2
        // and 70 % spot above it, 5 are spot (2 + ⌈0.3 × 8⌉ = 5 on demand): 120.
        let spot = "kind = \"iaas\"\ninstance = \"m5.large\"\nmarket = \"spot\"\ninterruptions_per_month = 0.5\n";
        assert!((events(&format!("{spot}initial = 10")) - 240.0).abs() < 1e-9);
        let mixed = format!(
            "{spot}mixed = {{ on_demand_base = 2, spot_share = 0.7 }}\n\
             autoscaling = {{ policy = \"target_tracking\", target = 0.6, min = 1, max = 10 }}"
        );
        // Target tracking evaluates every 60 s: 525,600 a year, × 2 replications.
        assert!((events(&mixed) - 120.0 - 525_600.0 * 2.0).abs() < 1e-6);
    }

    #[test]
    fn the_bundled_scenarios_are_within_the_default_limits() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut files: Vec<_> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).collect();
        files.extend(std::fs::read_dir(root.join("bench")).unwrap().map(|e| e.unwrap().path()));
        let limits = Limits::default();
        for file in files.iter().filter(|p| p.extension().is_some_and(|x| x == "toml")) {
            let e = estimate(&crate::scenario::load(file).unwrap_or_else(|e| panic!("{e}")));
            let what = file.display().to_string();
            assert!(limits.check_requests(&what, e.requests).is_ok(), "{what}: {e:?}");
            assert!(limits.check_events(&what, e.events).is_ok(), "{what}: {e:?}");
            assert!(limits.check_memory(&what, &e).is_ok(), "{what}: {e:?}");
        }
    }
}
