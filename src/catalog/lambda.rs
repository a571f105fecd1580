//! AWS Lambda list prices in 23 regions (requests, duration on x86 and
//! arm64, provisioned concurrency), with their source.

use std::sync::OnceLock;

use super::Provenance;
use super::embedded::rows;

/// `region,item,usd_per_unit,source_date`.
const CSV: &str = include_str!("../../data/aws_lambda_prices_2026-09-22.csv");

/// Where the prices come from; the date is each row's `source_date`.
pub const SOURCE: &str = "AWS calculator's meteredUnitMaps/lambda/USD/current/lambda.json as copied in \
     npm @remotion/lambda-client 4.0.527 (dist/cjs/index.js, object pricing)";

/// The free tier per account and 730-hour month (x86 and arm64 together).
pub const FREE_REQUESTS_PER_MONTH: f64 = 1_000_000.0;
pub const FREE_GB_S_PER_MONTH: f64 = 400_000.0;
pub const FREE_TIER_SOURCE: Provenance = Provenance::builtin(
    "docs.aws.amazon.com/whitepapers/latest/how-aws-pricing-works/lambda.html (stored page capture)",
    "undated (current in 2026-12)",
);

/// One region's prices.
#[derive(Clone, Debug, PartialEq)]
pub struct LambdaPrices {
    pub region: &'static str,
    /// Per request (x86, arm64).
    pub usd_per_request: [f64; 2],
    /// Per GB-s of duration, first tier (x86, arm64).
    pub usd_per_gb_s: [f64; 2],
    /// Per GB-s configured as provisioned concurrency.
    pub provisioned_usd_per_gb_s: f64,
    /// Per GB-s of duration on provisioned concurrency.
    pub provisioned_duration_usd_per_gb_s: f64,
    pub provenance: Provenance,
}

impl LambdaPrices {
    /// The index of an architecture in the per-architecture prices.
    pub fn arch_index(arch: &str) -> usize {
        usize::from(arch == "arm64")
    }
}

/// Every region, in the file's order (read once).
pub fn all() -> &'static [LambdaPrices] {
    static ALL: OnceLock<Vec<LambdaPrices>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut out: Vec<LambdaPrices> = Vec::new();
        for f in rows(CSV) {
            let (Some(&region), Some(&item), Some(usd), Some(&date)) = (f.first(), f.get(1), f.get(2), f.get(3)) else {
                continue;
            };
            let Ok(usd) = usd.parse::<f64>() else { continue };
            if out.last().is_none_or(|p| p.region != region) {
                out.push(LambdaPrices {
                    region,
                    usd_per_request: [f64::NAN; 2],
                    usd_per_gb_s: [f64::NAN; 2],
                    provisioned_usd_per_gb_s: f64::NAN,
                    provisioned_duration_usd_per_gb_s: f64::NAN,
                    provenance: Provenance::builtin(SOURCE, date),
                });
            }
            let p = out.last_mut().expect("pushed");
            match item {
                "Lambda Requests" => p.usd_per_request[0] = usd,
                "Lambda Requests-ARM" => p.usd_per_request[1] = usd,
                "Lambda Duration" => p.usd_per_gb_s[0] = usd,
                "Lambda Duration-ARM" => p.usd_per_gb_s[1] = usd,
                "Lambda Provisioned-Concurrency" => p.provisioned_usd_per_gb_s = usd,
                "Lambda Duration-Provisioned" => p.provisioned_duration_usd_per_gb_s = usd,
                _ => {}
            }
        }
        out
    })
}

/// The prices in an AWS region, if Lambda is priced there.
pub fn region(aws_region: &str) -> Option<&'static LambdaPrices> {
    all().iter().find(|p| p.region == aws_region)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_has_every_price() {
        assert_eq!(all().len(), 23);
        for p in all() {
            let prices = [p.usd_per_request, p.usd_per_gb_s, [p.provisioned_usd_per_gb_s; 2]];
            assert!(prices.iter().flatten().all(|x| x.is_finite() && *x > 0.0), "{p:?}");
            assert!(p.provisioned_duration_usd_per_gb_s > 0.0, "{p:?}");
        }
        // us-east-1: $0.20 per million requests, $0.0000166667 per GB-s (x86), $0.0000133334 (arm64).
        let us = region("us-east-1").unwrap();
        assert_eq!(us.usd_per_request, [0.0000002, 0.0000002]);
        assert_eq!(us.usd_per_gb_s, [0.0000166667, 0.0000133334]);
        assert_eq!(us.provenance.date, "2026-09-22");
        assert!(region("eu-south-2").is_none());
    }
}
