//! Egress bills through the engine: AWS tiers by monthly volume, a VPS plan's
//! pooled allowance, and bare metal's 95th percentile of 5-minute Mbps.

use std::path::Path;

use hostsim::hosting::cost::CostCategory;
use hostsim::hosting::egress::{BYTES_PER_GB, tiered_usd};
use hostsim::model::Scenario;
use hostsim::sim::engine::{JobResult, run_job};
use hostsim::sim::series::BucketStats;

fn scenario(text: &str) -> Scenario {
    hostsim::scenario::parse_str(text, Path::new("egress.toml")).unwrap_or_else(|e| panic!("{e}"))
}

fn run(s: &Scenario) -> (JobResult, Vec<BucketStats>) {
    let job = run_job(s, 0, 0, &Default::default()).unwrap();
    let buckets = job.buckets.iter().collect::<Result<_, _>>().unwrap();
    (job, buckets)
}

/// One option served `base_rps` of 1 ms requests of `response_kb` for `horizon`, nothing else billed.
fn one_option(horizon: &str, bucket: &str, base_rps: f64, response_kb: f64, option: &str) -> Scenario {
    scenario(&format!(
        r#"
horizon = "{horizon}"
bucket = "{bucket}"
seed = 5
[traffic]
base_rps = {base_rps}
[workload]
cpu = {{ dist = "constant", value = "1ms" }}
response_kb = {response_kb}
timeout = "30s"
[[option]]
name = "web"
{option}
"#
    ))
}

/// GB (2^30 bytes) served in `buckets`.
fn gb(buckets: &[BucketStats], response_kb: f64) -> f64 {
    buckets.iter().map(|b| b.outcomes.served as f64).sum::<f64>() * response_kb * 1000.0 / BYTES_PER_GB
}

const US_EAST_1: [(f64, f64); 4] = [(10_240.0, 0.09), (51_200.0, 0.085), (153_600.0, 0.07), (f64::INFINITY, 0.05)];

#[test]
fn iaas_in_us_east_1_pays_the_tiers_month_by_month() {
    // 1 rps for 2 × 730 h = 2.628 M responses a month; at 4,903 kB each that is
    // 2.628e6 × 4.903e6 / 2^30 ≈ 12,000 GB a month, billed (10,240 − 100) × $0.09 +
    // 1,760 × $0.085 = $1,062.20 in each month. Arrivals are Poisson, so the expected
    // bill is computed from the volume actually served in each month.
    let kb = 4_903.0;
    let iaas = "kind = \"iaas\"\nregion = \"us-east-1\"\nvcpus = 2\nhourly_usd = 0\ninitial = 1";
    let s = one_option("1460h", "1h", 1.0, kb, iaas);
    let (job, buckets) = run(&s);
    let (first, second) = (gb(&buckets[..730], kb), gb(&buckets[730..], kb));
    assert!((first / 12_000.0 - 1.0).abs() < 0.01 && (second / 12_000.0 - 1.0).abs() < 0.01, "{first} {second}");
    // Each month restarts the tiers and the free 100 GB.
    let expected = tiered_usd(0.0, first, 100.0, &US_EAST_1) + tiered_usd(0.0, second, 100.0, &US_EAST_1);
    let egress = job.cost.get(CostCategory::Egress);
    assert!((egress - expected).abs() < 1e-6, "{egress} vs {expected}");
    assert!((expected / 2.0 - 1_062.2).abs() < 0.02 * 1_062.2, "{expected}");
    // The buckets add up to the whole (compute is free here).
    let sum: f64 = buckets.iter().map(|b| b.cost_usd).sum();
    assert!((sum - egress).abs() < 1e-6 * egress, "{sum} vs {egress}");
}

#[test]
fn a_flat_price_overrides_the_tiers() {
    // 1 rps × 1 kB for 10 h ≈ 36,000 responses = 0.0335 GB; × $0.5 ≈ $0.0168.
    let iaas =
        "kind = \"iaas\"\nregion = \"eu-south-2\"\nvcpus = 2\nhourly_usd = 0\ninitial = 1\negress_usd_per_gb = 0.5";
    let (job, buckets) = run(&one_option("10h", "1h", 1.0, 1.0, iaas));
    let expected = gb(&buckets, 1.0) * 0.5;
    assert!((job.cost.get(CostCategory::Egress) - expected).abs() < 1e-12, "{expected}");
}

#[test]
fn a_vps_plan_pools_its_allowance_and_bills_the_overage() {
    // 2 × Linode 4 GB: 2 × 4 TB = 8,192 GB free in the 730-h month, then $0.005/GB.
    // 1 rps × 3,900 kB for 730 h ≈ 2.628 M × 3.9e6 / 2^30 ≈ 9,545 GB:
    // (9,545 − 8,192) × $0.005 ≈ $6.77.
    let kb = 3_900.0;
    let vps = "kind = \"vps\"\nregion = \"washington\"\ninstances = 2\nplan = \"linode-4gb\"";
    let (job, buckets) = run(&one_option("730h", "1h", 1.0, kb, vps));
    let served = gb(&buckets, kb);
    let expected = (served - 8_192.0) * 0.005;
    let egress = job.cost.get(CostCategory::Egress);
    assert!((egress - expected).abs() < 1e-9, "{egress} vs {expected} for {served} GB");
    assert!((egress - 6.77).abs() < 0.5, "{egress}");
    // The same plans in São Paulo pay Linode's overage there, $0.007/GB.
    let vps = "kind = \"vps\"\nregion = \"sao_paulo\"\ninstances = 2\nplan = \"linode-4gb\"";
    let (job, buckets) = run(&one_option("730h", "1h", 1.0, kb, vps));
    let expected = (gb(&buckets, kb) - 8_192.0) * 0.007;
    assert!((job.cost.get(CostCategory::Egress) - expected).abs() < 1e-9);
}

#[test]
fn bare_metal_bandwidth_at_the_95th_percentile_ignores_a_short_spike() {
    // 20 rps × 125 kB = 2.5 MB/s = 20 Mbps for a 730-h month, with a tenfold spike
    // for 12 h (144 of 8,760 five-minute samples, 1.6 %: below the top 5 %).
    // The billed sample, at rank ⌈0.95 × 8,760⌉ = 8,322, is an ordinary one: about
    // 20 Mbps (Poisson noise of a sample: √(20 × 300) / (20 × 300) = 1.3 %), so the
    // bill is about 20 × $0.50 = $10, not the spike's 200 Mbps.
    let text = r#"
horizon = "730h"
bucket = "5m"
seed = 5
[traffic]
base_rps = 20
[[traffic.spike]]
at = "100h"
duration = "12h"
ramp = "0s"
multiplier = 10
[workload]
cpu = { dist = "constant", value = "1ms" }
response_kb = 125
timeout = "30s"
[[option]]
name = "colo"
kind = "bare_metal"
region = "washington"
servers = 2
cores = 8
bandwidth = { usd_per_mbps_month = 0.5, percentile = 95 }
"#;
    let (job, buckets) = run(&scenario(text));
    // The billed sample again, from the 5-minute buckets.
    let mut mbps: Vec<f64> = buckets.iter().map(|b| b.outcomes.served as f64 * 125_000.0 * 8.0 / 300.0 / 1e6).collect();
    mbps.sort_by(f64::total_cmp);
    assert_eq!(mbps.len(), 8_760);
    let billed = mbps[8_322 - 1];
    let egress = job.cost.get(CostCategory::Egress);
    assert!((egress - billed * 0.5).abs() < 1e-9, "{egress} vs {billed} Mbps");
    // 95th percentile of a sample of 6,000 expected arrivals: 20 × (1 + 1.645 × 1.3 %) ≈ 20.4 Mbps;
    // allow 4 standard errors either side.
    assert!((billed - 20.0 * (1.0 + 1.645 * 0.0129)).abs() < 4.0 * 20.0 * 0.0129, "{billed}");
    assert!(mbps[8_759] > 150.0, "the spike is there: {}", mbps[8_759]);
}
