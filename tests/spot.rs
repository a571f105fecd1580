//! Spot instances against their model: interruptions at the band's hazard,
//! two minutes' notice, one-for-one replacement, billing at the spot price,
//! and the mixed-instances split.

use std::path::Path;

use hostsim::hosting::cost::CostCategory;
use hostsim::model::{Kind, Scenario};
use hostsim::sim::engine::{JobResult, run_job};
use hostsim::sim::series::BucketStats;

use crate::common::cli::{hostsim, ok};

/// A scenario of one iaas option in `region` with the option lines `option`,
/// light traffic of 10 ms requests (or `cpu`), no warm-up.
fn scenario(horizon: &str, replications: u32, cpu: &str, region: &str, option: &str) -> Scenario {
    let text = format!(
        "horizon = \"{horizon}\"\nseed = 17\nreplications = {replications}\n[traffic]\nbase_rps = 0.01\n\
         [workload]\ncpu = {{ dist = \"constant\", value = \"{cpu}\" }}\ntimeout = \"2h\"\n\
         [[option]]\nname = \"spot\"\nkind = \"iaas\"\nregion = \"{region}\"\ninstance = \"m5.large\"\n{option}\n"
    );
    hostsim::scenario::parse_str(&text, Path::new("spot.toml")).unwrap_or_else(|e| panic!("{e}"))
}

fn runs(s: &Scenario) -> Vec<JobResult> {
    (0..s.replications).map(|r| run_job(s, 0, r, &Default::default()).unwrap()).collect()
}

fn buckets(job: &JobResult) -> Vec<BucketStats> {
    job.buckets.iter().collect::<Result<_, _>>().unwrap()
}

#[test]
fn interruptions_per_instance_month_are_the_band_hazard() {
    // m5.large in ap-east-1 is in the advisor's ">20%" band, taken as 0.25 interruptions per
    // instance-month. 100 instances booting in 0 s for 10 years, twice: about 100 × 0.25 ×
    // 120 months × 2 = 6,000 interruptions. Exposure is the time instances run before their
    // notice: with instant boots, exactly the instance-time in service.
    let s = scenario("3650d", 2, "10ms", "ap-east-1", "initial = 100\nboot = \"0s\"\nmarket = \"spot\"");
    let Kind::Iaas(i) = &s.options[0].kind else { unreachable!() };
    assert_eq!(i.spot.as_ref().map(|s| s.interruptions_per_month), Some(0.25));
    let jobs = runs(&s);
    let n: u64 = jobs.iter().map(|j| j.interruptions).sum();
    let month_us = 730.0 * 3600e6;
    let exposure_months: f64 = jobs.iter().map(|j| j.instance_us as f64 / month_us).sum();
    // Poisson: the rate's standard error is sqrt(n) / exposure.
    let (rate, se) = (n as f64 / exposure_months, (n as f64).sqrt() / exposure_months);
    eprintln!("{n} interruptions over {exposure_months:.1} instance-months: {rate:.5} ± {se:.5} (1 SE)");
    assert!((rate - 0.25).abs() <= 3.0 * se, "rate {rate} vs 0.25 (se {se})");
    assert!(n > 5_000, "{n}: the test needs enough interruptions to mean something");
}

#[test]
fn a_fixed_spot_fleet_is_interrupted_replaced_and_billed_at_the_spot_price() {
    // 10 spot instances at 0.2 interruptions per instance-month for 30 days: expected
    // 10 × 0.2 × 720 / 730 = 1.97260 interruptions per run (Poisson, variance = mean).
    let option = "initial = 10\nmarket = \"spot\"\nspot_usd_per_hour = 0.05\ninterruptions_per_month = 0.2";
    let s = scenario("30d", 200, "10ms", "us-east-1", option);
    let jobs = runs(&s);
    let per_run: Vec<f64> = jobs.iter().map(|j| j.interruptions as f64).collect();
    let expected = 10.0 * 0.2 * 720.0 / 730.0;
    let mean = per_run.iter().sum::<f64>() / per_run.len() as f64;
    let se = (expected / per_run.len() as f64).sqrt();
    eprintln!("interruptions per run: {mean:.4}, theory {expected:.4} ± {se:.4} (1 SE)");
    assert!((mean - expected).abs() <= 3.0 * se, "{mean} vs {expected} (se {se})");
    for j in &jobs {
        let b = buckets(j);
        // Every notice is counted in its bucket.
        assert_eq!(b.iter().map(|b| b.interruptions).sum::<u64>(), j.interruptions);
        // A run with an interruption dips below 10 instances in service (two minutes of
        // notice, then the replacement's boot), and never above.
        let bucket_us = s.bucket.0 as f64;
        let lowest = b.iter().map(|b| b.instance_us as f64 / bucket_us).fold(f64::INFINITY, f64::min);
        assert!(lowest <= 10.0 + 1e-9 && (j.interruptions == 0 || lowest < 10.0), "{lowest}");
        // 10 ms requests finish well within the notice: none fails.
        assert_eq!(j.summary.failed, 0);
        // An interrupted instance is billed to its termination, its replacement from its
        // launch then, so each of the 10 slots is billed for the whole 720 h:
        // 10 × 720 h × $0.05 = $360, plus under a second per life from rounding its
        // billed time up to whole seconds.
        let compute = j.cost.get(CostCategory::Compute);
        let lives = 10.0 + j.interruptions as f64;
        assert!(compute >= 360.0 - 1e-9 && compute <= 360.0 + lives * 0.05 / 3600.0, "{compute}");
    }
}

#[test]
fn requests_in_service_get_the_two_minute_notice_to_finish() {
    // One spot instance (2 slots) interrupted about every 2 days over 60 days, busy with
    // requests of 60 s (they finish within the notice: none fails) or of 1,000 s (those
    // in service at a notice fail at the termination, unless within 120 s of their end).
    let option = "initial = 1\nmarket = \"spot\"\nspot_usd_per_hour = 0.05\ninterruptions_per_month = 15";
    let short = runs(&scenario("60d", 1, "60s", "us-east-1", option));
    assert!(short[0].interruptions > 10, "{}", short[0].interruptions);
    assert_eq!(short[0].summary.failed, 0);
    let long = runs(&scenario("60d", 1, "1000s", "us-east-1", option));
    assert!(long[0].interruptions > 10, "{}", long[0].interruptions);
    assert!(long[0].summary.failed > 0);
    let o = long[0].summary;
    assert_eq!(o.offered, o.served + o.timed_out + o.rejected + o.failed + o.in_flight);
}

#[test]
fn a_mixed_fleet_keeps_its_on_demand_base_and_share() {
    // Base 2, 70 % spot above it: 10 instances are 2 + ⌈30 % × 8⌉ = 5 on demand and 5 spot.
    // Never interrupted, for 24 h: 5 × 24 h × $0.096 + 5 × 24 h × $0.03 = $11.52 + $3.60 = $15.12.
    let option = "initial = 10\nmarket = \"spot\"\nspot_usd_per_hour = 0.03\ninterruptions_per_month = 0\n\
                  mixed = { on_demand_base = 2, spot_share = 0.7 }";
    let jobs = runs(&scenario("1d", 1, "10ms", "us-east-1", option));
    let compute = jobs[0].cost.get(CostCategory::Compute);
    assert!((compute - 15.12).abs() < 1e-9, "{compute}");
    // Replacements keep the split: interrupted spot instances are replaced by spot ones, so
    // the bill stays 5 on-demand slots for the whole day: 5 × 24 × $0.096 = $11.52 on demand,
    // and with spot at $0 the whole bill is that.
    let interrupted = option.replace("interruptions_per_month = 0", "interruptions_per_month = 30");
    let interrupted = interrupted.replace("spot_usd_per_hour = 0.03", "spot_usd_per_hour = 0");
    let jobs = runs(&scenario("1d", 1, "10ms", "us-east-1", &interrupted));
    assert!(jobs[0].interruptions > 0);
    let compute = jobs[0].cost.get(CostCategory::Compute);
    assert!((compute - 11.52).abs() < 1e-9, "{compute}");
}

#[test]
fn an_autoscaled_spot_fleet_and_the_reports() {
    // target tracking with min = max = 4: the group keeps 4, replacing interrupted ones.
    let dir = tempfile::tempdir().unwrap();
    let text = "horizon = \"7d\"\nseed = 5\nreplications = 2\n[traffic]\nbase_rps = 5\n[workload]\n\
                cpu = { dist = \"exponential\", mean = \"50ms\" }\n[[option]]\nname = \"spot\"\nkind = \"iaas\"\n\
                region = \"london\"\ninstance = \"m5.large\"\nmarket = \"spot\"\ninterruptions_per_month = 10\n\
                autoscaling = { policy = \"target_tracking\", target = 0.5, min = 4, max = 4 }\n";
    std::fs::write(dir.path().join("s.toml"), text).unwrap();
    let run = |out: &str, jobs: &str| {
        ok(hostsim(&["run", "s.toml", "--out", out, "--quiet", "--no-charts", "--jobs", jobs], dir.path()));
        let d = dir.path().join(out).join("s");
        ["summary.csv", "timeseries.csv", "costs.csv"].map(|f| std::fs::read_to_string(d.join(f)).unwrap())
    };
    let (one, two) = (run("a", "1"), run("b", "2"));
    assert_eq!(one, two, "the same bytes whatever --jobs");
    let [summary, series, _] = one;
    let header: Vec<&str> = summary.lines().next().unwrap().split(',').collect();
    let row: Vec<&str> = summary.lines().nth(1).unwrap().split(',').collect();
    let cell = |name: &str| row[header.iter().position(|h| *h == name).unwrap()].parse::<f64>().unwrap();
    // 4 × 10 × 168 / 730 = 9.2 interruptions per run expected; the fleet never exceeds 4.
    assert!(cell("interruptions") > 2.0 && cell("peak_instances") <= 4.0, "{summary}");
    assert!(cell("interruptions_ci95") >= 0.0);
    let series_header: Vec<&str> = series.lines().next().unwrap().split(',').collect();
    let k = series_header.iter().position(|h| *h == "interruptions").unwrap();
    let total: f64 = series.lines().skip(1).map(|l| l.split(',').nth(k).unwrap().parse::<f64>().unwrap()).sum();
    assert!((total - cell("interruptions")).abs() < 1e-3, "{total}");
    // resolved.toml writes the catalog's price and hazard back, and runs again to the same numbers.
    let resolved = std::fs::read_to_string(dir.path().join("a/s/resolved.toml")).unwrap();
    assert!(resolved.contains("spot_usd_per_hour = 0.0312\ninterruptions_per_month = 10\n"), "{resolved}");
    std::fs::write(dir.path().join("s.toml"), resolved).unwrap();
    assert_eq!(run("c", "2")[0], summary);
}
