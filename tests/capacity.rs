//! Capacity in vCPUs per bucket (`timeseries.csv`'s `capacity_vcpus`), so
//! that options of different instance sizes compare: cores × servers,
//! vCPUs × instances whatever the workers per vCPU, a dyno's vCPUs at its
//! CPU share, a serverless instance at its configured vCPUs; and the 95 %
//! half-widths of the series exist only with replications.

use std::path::Path;

use hostsim::model::{Dist, Kind, Scenario};
use hostsim::report::aggregate::SeriesPoint;
use hostsim::time::SimTime;

use crate::common;

/// The mean time series of the scenario's first option.
fn series(s: &Scenario) -> Vec<SeriesPoint> {
    let reports = hostsim::pipeline::simulate(s, true).unwrap();
    reports[0].series().collect::<Result<_, _>>().unwrap()
}

/// Each bucket's capacity in vCPUs.
fn capacity(s: &Scenario) -> Vec<f64> {
    series(s).iter().map(|p| p.capacity_vcpus).collect()
}

fn metal(servers: u32, cores: u32, replications: u32) -> Scenario {
    let cpu = Dist::Constant { value_s: 0.010 };
    common::bare_metal(servers, cores, 50.0, cpu, SimTime::from_secs(600), replications)
}

#[test]
fn one_16_core_server_and_ten_2_vcpu_vps_compare_in_vcpus() {
    // 1 server × 16 cores = 16 vCPUs in each of the 10 buckets.
    assert_eq!(capacity(&metal(1, 16, 1)), [16.0; 10]);
    // 4 workers per core: 64 slots, still 16 vCPUs.
    let mut four_workers = metal(1, 16, 1);
    four_workers.options[0].workers_per_vcpu = 4;
    assert_eq!(capacity(&four_workers), [16.0; 10]);
    // 10 VPS × 2 vCPUs = 20 vCPUs, where the instance count is 10.
    let vps = series(&common::vps(metal(1, 16, 1), 10, 2, None));
    assert!(vps.iter().all(|p| p.capacity_vcpus == 20.0 && p.instances == 10.0));
    // 3 dynos of 2 vCPUs at a CPU share of 0.25 (a shared dyno): 3 × 2 × 0.25 = 1.5.
    let mut dynos = common::paas(metal(1, 16, 1), 3, None, None);
    if let Kind::Paas(p) = &mut dynos.options[0].kind {
        (p.vcpus, p.cpu_share) = (2, 0.25);
    }
    assert_eq!(capacity(&dynos), [1.5; 10]);
}

#[test]
fn a_serverless_instance_counts_its_configured_vcpus() {
    // Lambda at 1,024 MB: 1,024 / 1,769 = 0.5789 vCPU per instance in service.
    let text = "horizon = \"600s\"\nbucket = \"60s\"\n[traffic]\nbase_rps = 20\n[workload]\n\
                cpu = { dist = \"constant\", value = \"50ms\" }\n[[option]]\nname = \"fn\"\n\
                kind = \"serverless\"\nregion = \"us-east-1\"\nmemory_mb = 1024\ncold_start = \"0s\"\n";
    let s = hostsim::scenario::parse_str(text, Path::new("fn.toml")).unwrap();
    let points = series(&s);
    assert!(points.iter().any(|p| p.instances > 0.5));
    for p in points {
        let expected = p.instances * 1024.0 / 1769.0;
        assert!((p.capacity_vcpus - expected).abs() < 1e-9, "{} vs {expected}", p.capacity_vcpus);
    }
}

#[test]
fn half_widths_exist_only_with_replications() {
    let one = series(&metal(1, 2, 1));
    assert!(one.iter().all(|p| p.ci95.p99_ms.is_none() && p.ci95.cumulative_cost_usd.is_none()));
    let three = series(&metal(1, 2, 3));
    // Response times vary between replications; fixed capacity does not.
    assert!(three.iter().all(|p| p.ci95.p99_ms.is_some_and(|h| h > 0.0)));
    assert!(three.iter().all(|p| p.ci95.capacity_vcpus == Some(0.0)));
    assert!(three.iter().all(|p| p.ci95.cumulative_cost_usd.is_some()));
}
