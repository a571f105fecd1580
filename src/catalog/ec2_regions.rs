//! EC2 on-demand Linux prices in the 34 commercial AWS regions, from
//! Vantage's export of the AWS Price List (2026-05-12), embedded
//! gzip-compressed and read once on first use.

use std::sync::OnceLock;

use super::embedded::{gunzip, rows};

/// `region,instance_type,vcpu,memory_gib,usd_per_hour_linux_ondemand,source_date`.
const PRICES_GZ: &[u8] = include_bytes!("../../data/ec2_ondemand_regions_2026-05-12.csv.gz");

/// Where the regional price list comes from.
pub const SOURCE: &str = "AWS Price List API (Linux on-demand) via Vantage's instances.json, as exported to \
     jawaadjariwala/AWS-EC2-Pricing-Landscape-Analysis data/ec2_pricing_tidy.parquet (commit cbe0a516)";
/// The day the export was made (the prices are as of then or a little earlier).
pub const DATE: &str = "2026-05-12";

/// One type's price in one region.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RegionalPrice {
    pub region: &'static str,
    /// Lower case, e.g. "m5.large".
    pub name: &'static str,
    pub vcpus: u32,
    pub hourly_usd: f64,
}

/// Every priced row, sorted by (region, name) for binary search.
fn table() -> &'static [RegionalPrice] {
    static TEXT: OnceLock<String> = OnceLock::new();
    static TABLE: OnceLock<Vec<RegionalPrice>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let text = TEXT.get_or_init(|| gunzip(PRICES_GZ));
        let mut table: Vec<RegionalPrice> = rows(text).filter_map(|r| parse(&r)).collect();
        table.sort_by(|a, b| (a.region, a.name).cmp(&(b.region, b.name)));
        table
    })
}

/// A row, or `None` when it does not parse or has no price: the list gives
/// $0 for u-6tb1.metal in 11 regions, a type not sold on demand there.
fn parse(r: &[&'static str]) -> Option<RegionalPrice> {
    let [region, name, vcpus, _memory, price, _date] = *r else { return None };
    let hourly_usd: f64 = price.parse().ok().filter(|p: &f64| p.is_finite() && *p > 0.0)?;
    Some(RegionalPrice { region, name, vcpus: vcpus.parse().ok()?, hourly_usd })
}

/// The price of `name` (lower case) in `region`, if the list has one.
pub fn price(region: &str, name: &str) -> Option<&'static RegionalPrice> {
    let t = table();
    t.binary_search_by(|p| (p.region, p.name).cmp(&(region, name))).ok().map(|i| &t[i])
}

/// Every priced type in `region`, by name.
pub fn in_region(region: &str) -> &'static [RegionalPrice] {
    let t = table();
    let start = t.partition_point(|p| p.region < region);
    let end = t.partition_point(|p| p.region <= region);
    &t[start..end]
}

/// The regions the list covers, in order.
pub fn regions() -> impl Iterator<Item = &'static str> {
    let t = table();
    t.iter().enumerate().filter(move |(i, p)| *i == 0 || t[i - 1].region != p.region).map(|(_, p)| p.region)
}

/// The type's vCPUs (the same in every region), if some region prices it.
pub fn vcpus(name: &str) -> Option<u32> {
    regions().find_map(|r| price(r, name)).map(|p| p.vcpus)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_parses_except_the_unpriced_ones() {
        // `parse` keeps borrowed names, as `table` does from its static text.
        let text: &'static str = Box::leak(gunzip(PRICES_GZ).into_boxed_str());
        let all: Vec<Vec<&str>> = rows(text).collect();
        assert_eq!(all.len(), 20_661);
        let unpriced: Vec<&Vec<&str>> = all.iter().filter(|r| parse(r).is_none()).collect();
        assert_eq!(unpriced.len(), 11);
        assert!(unpriced.iter().all(|r| r[1] == "u-6tb1.metal" && r[4] == "0"), "{unpriced:?}");
        assert!(all.iter().all(|r| r[5] == DATE));
        assert_eq!(table().len(), 20_661 - 11);
    }

    #[test]
    fn the_34_regions_are_hostsims_aws_regions() {
        let mut ours: Vec<&str> = crate::network::aws_regions().collect();
        ours.sort_unstable();
        assert_eq!(regions().collect::<Vec<_>>(), ours);
        assert!(regions().all(|r| !in_region(r).is_empty()));
    }

    #[test]
    fn prices_as_listed() {
        // Rows of the data file: eu-west-2,m5.large,2,8,0.111 and eu-south-2,m5.large,2,8,0.107.
        assert_eq!(price("eu-west-2", "m5.large").map(|p| (p.vcpus, p.hourly_usd)), Some((2, 0.111)));
        assert_eq!(price("eu-south-2", "m5.large").map(|p| p.hourly_usd), Some(0.107));
        // AWS offers no m6i in eu-south-2.
        assert_eq!(price("eu-south-2", "m6i.large"), None);
        assert_eq!(price("us-east-1", "u-6tb1.metal"), None);
        // hpc7a.12xlarge runs without SMT: 24 vCPUs, not the 48 its size name suggests.
        assert_eq!(vcpus("hpc7a.12xlarge"), Some(24));
        assert_eq!(vcpus("no.such"), None);
    }
}
