//! `hostsim catalog --kind serverless`: AWS Lambda prices per region, Cloud
//! Run rates per tier, both free tiers, and the measured Lambda cold starts.

use super::{Row, provenance};
use crate::catalog::{Catalog, Provenance, cloud_run, lambda, lambda_cold_start};
use crate::model::Dist;

/// AWS bills the INIT phase (the cold start) as duration since 2025-08-01.
const INIT_BILLED: Provenance = Provenance::builtin(
    "aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase",
    "2025-04 (effective 2025-08-01)",
);

/// Lambda in `region` (every region when `None`), Cloud Run, then the cold starts.
pub fn rows(_catalog: &Catalog, region: Option<&str>) -> Vec<Row> {
    let mut rows = Vec::new();
    for p in lambda::all().iter().filter(|p| region.is_none_or(|r| r == p.region)) {
        let items = [
            ("requests x86_64", p.usd_per_request[0] * 1e6, "USD/million requests"),
            ("requests arm64", p.usd_per_request[1] * 1e6, "USD/million requests"),
            ("duration x86_64", p.usd_per_gb_s[0], "USD/GB-s"),
            ("duration arm64", p.usd_per_gb_s[1], "USD/GB-s"),
            ("provisioned", p.provisioned_usd_per_gb_s, "USD/GB-s"),
            ("provisioned duration", p.provisioned_duration_usd_per_gb_s, "USD/GB-s"),
        ];
        rows.extend(items.into_iter().map(|(item, price, unit)| Row {
            kind: "lambda",
            name: format!("{} {item}", p.region),
            price: trim(price),
            unit,
            notes: match item {
                "provisioned" => "each provisioned instance while configured (arm64 priced the same here)".into(),
                "provisioned duration" => "busy time on provisioned instances".into(),
                _ if item.starts_with("duration") => "first tier; busy periods rounded up to 1 ms".into(),
                _ => String::new(),
            },
            ..provenance(&p.provenance)
        }));
    }
    let lambda_free = [
        ("free requests", lambda::FREE_REQUESTS_PER_MONTH, "requests/month"),
        ("free duration", lambda::FREE_GB_S_PER_MONTH, "GB-s/month"),
    ];
    rows.extend(lambda_free.into_iter().map(|(name, value, unit)| Row {
        kind: "lambda",
        name: name.into(),
        price: trim(value),
        unit,
        notes: "per account and 730-hour month, with free_tier = true".into(),
        ..provenance(&lambda::FREE_TIER_SOURCE)
    }));
    rows.push(Row {
        kind: "lambda",
        name: "cold start (INIT)".into(),
        price: "1".into(),
        unit: "x duration price",
        notes: "a cold start is billed as busy time, at the duration price".into(),
        ..provenance(&INIT_BILLED)
    });
    for tier in [1, 2] {
        let r = cloud_run::rates(tier);
        let regions: Vec<&str> = cloud_run::regions().iter().filter(|(_, t)| *t == tier).map(|(r, _)| *r).collect();
        let items = [
            ("vcpu", r.usd_per_vcpu_s, "USD/vCPU-s"),
            ("memory", r.usd_per_gib_s, "USD/GiB-s"),
            ("idle vcpu", r.idle_usd_per_vcpu_s, "USD/vCPU-s"),
        ];
        rows.extend(items.into_iter().map(|(item, price, unit)| Row {
            kind: "cloud_run",
            name: format!("tier {tier} {item}"),
            price: trim(price),
            unit,
            notes: if item == "vcpu" {
                format!("request-based billing, busy periods rounded up to 100 ms; {}", regions.join(" "))
            } else if item == "idle vcpu" {
                "an idle minimum instance (its memory at the memory rate)".into()
            } else {
                String::new()
            },
            ..provenance(&cloud_run::PROVENANCE)
        }));
    }
    let free = cloud_run::free_tier();
    let run_items = [
        ("requests", cloud_run::rates(1).usd_per_request * 1e6, "USD/million requests", ""),
        ("free requests", free.requests, "requests/month", "per billing account, with free_tier = true"),
        ("free vcpu", free.vcpu_s, "vCPU-s/month", "per billing account, with free_tier = true"),
        ("free memory", free.gib_s, "GiB-s/month", "per billing account, with free_tier = true"),
    ];
    rows.extend(run_items.into_iter().map(|(name, price, unit, notes)| Row {
        kind: "cloud_run",
        name: name.into(),
        price: trim(price),
        unit,
        notes: notes.into(),
        ..provenance(&cloud_run::PROVENANCE)
    }));
    rows.extend(lambda_cold_start::all().iter().map(|c| {
        let Dist::Lognormal { mean_s, cv } = c.lognormal() else { unreachable!("a lognormal") };
        Row {
            kind: "cold_start",
            name: format!("{} {} {} MB {}", c.runtime, c.arch, c.memory_mb, c.package),
            price: trim(c.median_ms),
            unit: "ms (median)",
            notes: format!(
                "p99 {} ms, n = {}; as lognormal mean {:.1} ms, cv {:.2}; hello-world functions: a floor",
                trim(c.p99_ms),
                c.n,
                mean_s * 1e3,
                cv
            ),
            ..provenance(&lambda_cold_start::PROVENANCE)
        }
    }));
    rows
}

/// A price as written, without float noise: 0.0000166667, 0.2, 1000000.
fn trim(x: f64) -> String {
    let s = format!("{x:.10}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lambda_by_region_cloud_run_by_tier_and_the_cold_starts() {
        let all = rows(&Catalog::builtin(), None);
        let count = |k: &str| all.iter().filter(|r| r.kind == k).count();
        // 23 regions × 6 prices + 3; 2 tiers × 3 rates + 4; 620 measured functions.
        assert_eq!((count("lambda"), count("cloud_run"), count("cold_start")), (23 * 6 + 3, 10, 620));
        let us = rows(&Catalog::builtin(), Some("us-east-1"));
        let duration = us.iter().find(|r| r.name == "us-east-1 duration x86_64").unwrap();
        assert_eq!((duration.price.as_str(), duration.unit), ("0.0000166667", "USD/GB-s"));
        let requests = us.iter().find(|r| r.name == "us-east-1 requests arm64").unwrap();
        assert_eq!(requests.price, "0.2");
        assert!(us.iter().all(|r| r.kind != "lambda" || !r.name.starts_with("eu-")));
        let py = all.iter().find(|r| r.name == "python3.13 x86_64 128 MB zip").unwrap();
        assert!(py.notes.contains("a floor") && py.date == "2026-07-24..2026-08-22", "{py:?}");
    }
}
