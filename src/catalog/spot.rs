//! EC2 spot, per instance type and AWS region: the average spot price and its
//! saving on on-demand (Linux), and the Spot Instance Advisor's interruption
//! band (the share of instances AWS interrupted in a month). Both tables are
//! embedded gzip-compressed and read once on first use.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::Provenance;
use super::embedded::{gunzip, rows};

/// `region,instance_type,usd_per_hour_ondemand,spot_avg_usd_per_hour,spot_saving_vs_ondemand_pct,source_date`.
const PRICES_GZ: &[u8] = include_bytes!("../../data/ec2_spot_prices_2026-05-12.csv.gz");
/// `region,instance_type,saving_vs_ondemand_pct,interruption_band_index,interruption_band_per_month,interruption_band_max_pct,source_date`.
const ADVISOR_GZ: &[u8] = include_bytes!("../../data/ec2_spot_advisor_2025-06-28.csv.gz");

/// Where the spot prices come from.
pub const PRICE_PROVENANCE: Provenance = Provenance::builtin(
    "average spot price (Linux) from Vantage's instances.json (built from the AWS Price List and spot price \
     history), as exported to jawaadjariwala/AWS-EC2-Pricing-Landscape-Analysis data/ec2_pricing_tidy.parquet \
     (commit cbe0a516); one snapshot: spot prices move daily",
    "2026-05-12",
);
/// Where the interruption bands come from.
pub const BAND_PROVENANCE: Provenance = Provenance::builtin(
    "AWS Spot Instance Advisor (spot-advisor-data.json, Linux), as embedded in alexei-led/spotinfo \
     internal/spot/data/spot-advisor-data.json (commit 5eedf20a)",
    "2025-06-28",
);

/// The Spot Instance Advisor's frequency-of-interruption band: the share of
/// instances of a type in a region that AWS interrupted in the past month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Band(u8);

impl Band {
    /// The five bands, by the advisor's index (0 to 4).
    const LABELS: [&'static str; 5] = ["<5%", "5-10%", "10-15%", "15-20%", ">20%"];
    /// Each band's midpoint; the open ">20%" band is taken as 25 %.
    const PER_MONTH: [f64; 5] = [0.025, 0.075, 0.125, 0.175, 0.25];

    /// The band of the advisor's index, if it is one.
    pub fn from_index(index: u8) -> Option<Band> {
        (usize::from(index) < Self::LABELS.len()).then_some(Band(index))
    }

    /// As AWS writes it, e.g. "5-10%".
    pub fn label(self) -> &'static str {
        Self::LABELS[usize::from(self.0)]
    }

    /// The hazard hostsim gives an instance of this band: interruptions per
    /// instance per 730-hour month (the band's midpoint).
    pub fn interruptions_per_month(self) -> f64 {
        Self::PER_MONTH[usize::from(self.0)]
    }
}

/// An average spot price.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SpotPrice {
    pub usd_per_hour: f64,
    /// Saving on the on-demand price, in percent (absent for a few new types).
    pub saving_pct: Option<f64>,
}

/// What the tables know about one instance type in one region.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Entry {
    pub price: Option<SpotPrice>,
    pub band: Option<Band>,
}

/// Both tables by (instance type, region): a type's regions are neighbours.
type Table = BTreeMap<(&'static str, &'static str), Entry>;

fn table() -> &'static Table {
    static PRICES: OnceLock<String> = OnceLock::new();
    static ADVISOR: OnceLock<String> = OnceLock::new();
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Table::new();
        for f in rows(PRICES.get_or_init(|| gunzip(PRICES_GZ))) {
            let usd_per_hour = f.get(3).and_then(|p| p.parse().ok()).filter(|p: &f64| p.is_finite() && *p >= 0.0);
            if let (Some(&region), Some(&name), Some(usd_per_hour)) = (f.first(), f.get(1), usd_per_hour) {
                let saving_pct = f.get(4).and_then(|s| s.parse().ok());
                table.entry((name, region)).or_default().price = Some(SpotPrice { usd_per_hour, saving_pct });
            }
        }
        for f in rows(ADVISOR.get_or_init(|| gunzip(ADVISOR_GZ))) {
            let band = f.get(3).and_then(|b| b.parse().ok()).and_then(Band::from_index);
            if let (Some(&region), Some(&name), Some(band)) = (f.first(), f.get(1), band) {
                table.entry((name, region)).or_default().band = Some(band);
            }
        }
        table
    })
}

/// The spot price and band of `instance` (lower case) in the AWS region `region`.
pub fn lookup(instance: &str, region: &str) -> Option<Entry> {
    table().get(&(instance, region)).copied()
}

/// The regions where `instance` has what `has` asks for, in order.
pub fn regions(instance: &str, has: impl Fn(&Entry) -> bool) -> Vec<&'static str> {
    let from = (instance, "");
    let same_type = table().range(from..).take_while(|((name, _), _)| *name == instance);
    same_type.filter(|(_, e)| has(e)).map(|((_, region), _)| *region).collect()
}

/// Every (instance type, region, entry), by type then region.
pub fn entries() -> impl Iterator<Item = (&'static str, &'static str, &'static Entry)> {
    table().iter().map(|((name, region), e)| (*name, *region, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_of_both_tables_is_read() {
        let count = |gz: &[u8]| rows(&gunzip(gz)).count();
        let priced = entries().filter(|(_, _, e)| e.price.is_some()).count();
        let banded = entries().filter(|(_, _, e)| e.band.is_some()).count();
        assert_eq!((priced, banded), (count(PRICES_GZ), count(ADVISOR_GZ)));
        assert_eq!((priced, banded), (15_583, 14_962));
    }

    #[test]
    fn m5_large_in_us_east_1_and_where_it_has_a_price() {
        // From the tables: $0.04366 an hour, 59 % below on-demand, band 15-20 %.
        let e = lookup("m5.large", "us-east-1").unwrap();
        assert_eq!(e.price, Some(SpotPrice { usd_per_hour: 0.04366, saving_pct: Some(59.0) }));
        let band = e.band.unwrap();
        assert_eq!((band.label(), band.interruptions_per_month()), ("15-20%", 0.175));
        // af-south-1 has a band but no price.
        let af = lookup("m5.large", "af-south-1").unwrap();
        assert!(af.price.is_none() && af.band.unwrap().label() == ">20%");
        let priced = regions("m5.large", |e| e.price.is_some());
        assert_eq!(priced.len(), 20);
        assert!(priced.contains(&"eu-west-2") && !priced.contains(&"af-south-1"));
        assert_eq!(regions("m5.large", |e| e.band.is_some()).len(), 29);
        assert!(regions("no.such", |_| true).is_empty() && lookup("m5.large", "atlantis-1").is_none());
    }

    #[test]
    fn band_midpoints() {
        let all: Vec<(&str, f64)> =
            (0..5).map(|i| Band::from_index(i).unwrap()).map(|b| (b.label(), b.interruptions_per_month())).collect();
        assert_eq!(all, [("<5%", 0.025), ("5-10%", 0.075), ("10-15%", 0.125), ("15-20%", 0.175), (">20%", 0.25)]);
        assert_eq!(Band::from_index(5), None);
    }
}
