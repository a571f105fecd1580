//! Unit tests of `storage = { … }`: EBS volumes priced from the table in
//! us-east-1, refused elsewhere without a price, and AWS's volume limits.

use crate::model::{EbsType, EbsVolume, Kind, Storage, StorageKind};
use crate::scenario::test_option::parse_option;

/// The storage of an m5.large option in `region` with `storage = { … }`, or the error.
fn storage(region: &str, table: &str) -> Result<Storage, String> {
    let lines = format!(
        "name = \"ec2\"\nkind = \"iaas\"\nregion = \"{region}\"\ninstance = \"m5.large\"\nhourly_usd = 0.096\ninitial = 1\nstorage = {{ {table} }}"
    );
    match parse_option(&lines)?.kind {
        Kind::Iaas(i) => Ok(i.storage),
        other => Err(format!("not iaas: {other:?}")),
    }
}

fn ebs(volume_type: EbsType, gb: u32, throughput_mbps: Option<u32>) -> StorageKind {
    StorageKind::Ebs(EbsVolume { volume_type, gb, throughput_mbps })
}

#[test]
fn gp3_at_6000_iops_and_250_mbps_costs_28_dollars_a_month() {
    // 100 GB × $0.08 + (6,000 − 3,000) IOPS × $0.005 + (250 − 125) MB/s × $0.04 = 8 + 15 + 5 = $28.
    let s = storage("us-east-1", "kind = \"gp3\", gb = 100, iops = 6000, throughput_mbps = 250").unwrap();
    assert_eq!((s.kind, s.iops, s.latency_factor), (ebs(EbsType::Gp3, 100, Some(250)), Some(6000.0), 10.0));
    assert!((s.usd_per_month - 28.0).abs() < 1e-9, "{}", s.usd_per_month);
    // The defaults: the free 3,000 IOPS (which cap the volume's operations) and 125 MB/s; 100 × $0.08 = $8.
    let s = storage("washington", "kind = \"gp3\", gb = 100").unwrap();
    assert_eq!((s.kind, s.iops), (ebs(EbsType::Gp3, 100, Some(125)), Some(3000.0)));
    assert!((s.usd_per_month - 8.0).abs() < 1e-9);
}

#[test]
fn gp2_and_io2_and_io1() {
    // gp2: 200 GB × $0.10 = $20; its IOPS are 3 per GB = 600.
    let s = storage("us-east-1", "kind = \"gp2\", gb = 200").unwrap();
    assert_eq!((s.kind, s.iops), (ebs(EbsType::Gp2, 200, None), Some(600.0)));
    assert!((s.usd_per_month - 20.0).abs() < 1e-9);
    // io2: 100 GB × $0.125 + 4,000 IOPS × $0.065 = 12.5 + 260 = $272.50.
    let s = storage("us-east-1", "kind = \"io2\", gb = 100, iops = 4000, latency_factor = 3").unwrap();
    assert_eq!((s.iops, s.latency_factor), (Some(4000.0), 3.0));
    assert!((s.usd_per_month - 272.5).abs() < 1e-9);
    // io2 at AWS's first-tier limit: 32 GB × $0.125 + 32,000 × $0.065 = 4 + 2,080 = $2,084.
    let s = storage("us-east-1", "kind = \"io2\", gb = 32, iops = 32000").unwrap();
    assert!((s.usd_per_month - 2084.0).abs() < 1e-9);
    // io1: 100 GB × $0.125 + 5,000 × $0.065 = 12.5 + 325 = $337.50.
    let s = storage("us-east-1", "kind = \"io1\", gb = 100, iops = 5000").unwrap();
    assert!((s.usd_per_month - 337.5).abs() < 1e-9);
}

#[test]
fn a_given_price_wins_and_is_required_outside_us_east_1() {
    let s = storage("eu-west-2", "kind = \"gp3\", gb = 100, usd_per_month = 9.28").unwrap();
    assert_eq!((s.usd_per_month, s.iops), (9.28, Some(3000.0)));
    let s = storage("us-east-1", "kind = \"gp3\", gb = 100, usd_per_month = 1").unwrap();
    assert_eq!(s.usd_per_month, 1.0);
    for (region, here) in [("eu-west-2", "\"eu-west-2\""), ("london", "\"eu-west-2\""), ("dallas", "a region without")]
    {
        let err = storage(region, "kind = \"gp3\", gb = 100").unwrap_err();
        assert!(err.contains("the built-in EBS prices are for us-east-1 only"), "{err}");
        assert!(err.contains(&format!("this option's prices come from {here}")), "{err}");
        assert!(err.contains("usd_per_month = …"), "{err}");
    }
}

#[test]
fn aws_volume_limits_and_keys_of_other_types() {
    let cases = [
        ("kind = \"gp3\"", "storage.gb: required key is missing"),
        ("kind = \"gp3\", gb = 0", "storage.gb: expected an integer from 1 to 16384, got 0"),
        ("kind = \"gp3\", gb = 100, iops = 2000", "storage.iops: expected an integer from 3000 to 16000"),
        ("kind = \"gp3\", gb = 8, iops = 6000", "a gp3 volume of 8 GB has at most 4000 IOPS (500 per GB), not 6000"),
        ("kind = \"gp3\", gb = 100, throughput_mbps = 1001", "throughput_mbps: expected an integer from 125 to 1000"),
        ("kind = \"gp3\", gb = 100, throughput_mbps = 800", "a gp3 volume with 3000 IOPS has at most 750 MB/s"),
        ("kind = \"gp2\", gb = 100, iops = 3000", "a gp2 volume's IOPS follow its size"),
        ("kind = \"io2\", gb = 100, throughput_mbps = 500", "only gp3 provisions throughput_mbps"),
        ("kind = \"io2\", gb = 100", "storage.iops: required key is missing"),
        ("kind = \"io1\", gb = 10, iops = 1000", "an io1 volume of 10 GB has at most 500 IOPS (50 per GB), not 1000"),
        ("kind = \"io2\", gb = 100, iops = 40000", "AWS prices io2 IOPS above 32000 at lower tiers"),
        ("kind = \"network\", gb = 100", "\"gb\" sizes an EBS volume"),
        ("kind = \"gp4\", gb = 100", "unknown storage kind \"gp4\", did you mean \"gp3\"?"),
    ];
    for (table, fragment) in cases {
        let err = storage("us-east-1", table).unwrap_err();
        assert!(err.contains(fragment), "{table}: expected {fragment:?} in:\n{err}");
    }
    // A small gp3 volume still has its 3,000 IOPS.
    assert_eq!(storage("us-east-1", "kind = \"gp3\", gb = 1").unwrap().iops, Some(3000.0));
    // io2 above the first tier is fine with a price of one's own.
    assert!(storage("us-east-1", "kind = \"io2\", gb = 100, iops = 40000, usd_per_month = 2000").is_ok());
}
