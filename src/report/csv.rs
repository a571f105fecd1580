//! The CSV reports as bytes (no I/O here). Each row type's field names are
//! the file's columns, in order.

use rayon::prelude::*;
use serde::Serialize;

use super::aggregate::{OptionReport, SeriesPoint};
use super::format::{COUNT, MS, RATIO, USD, fixed, opt};
use super::ranking;
use super::rows::{CdfRow, CostRow, EmissionRow, SummaryRow};
use crate::hosting::cost::CostCategory;
use crate::hosting::emissions::SCOPES;

#[derive(Serialize, Default)]
struct SeriesRow<'a> {
    option: &'a str,
    bucket_start_s: String,
    offered_rps: String,
    served: String,
    timed_out: String,
    rejected: String,
    failed: String,
    instances: String,
    utilization: String,
    steal: String,
    mean_ms: String,
    p50_ms: String,
    p95_ms: String,
    p99_ms: String,
    cost_usd: String,
    cumulative_cost_usd: String,
    offered: String,
    in_flight: String,
    pending: String,
    warming: String,
    interruptions: String,
    capacity_vcpus: String,
    booting_vcpus: String,
    capacity_vcpus_ci95: String,
    p50_ms_ci95: String,
    p95_ms_ci95: String,
    p99_ms_ci95: String,
    cumulative_cost_usd_ci95: String,
    db_utilization: String,
    db_wait_ms: String,
}

/// Quantiles beyond 0.9999 in `latency_cdf.csv`, each as `k` with
/// q = 1 − 1/k, so the tail between 99.99 % and the maximum is drawn as a
/// curve, not one straight segment.
const DEEP_TAIL: [u64; 3] = [20_000, 50_000, 100_000];

/// Requests a deep-tail quantile needs beyond it to be written: with fewer,
/// it is one of the few slowest requests (the maximum, nearly), noise
/// rather than a shape. So 0.99999 needs 1,000,000 requests.
const MIN_BEYOND: u64 = 10;

/// Quantiles written to `latency_cdf.csv` for `count` pooled response
/// times: 1 % steps plus the tails, and the deep tail as far as `count`
/// puts at least [`MIN_BEYOND`] requests beyond each quantile.
fn cdf_quantiles(count: u64) -> impl Iterator<Item = f64> {
    let body = (1..=99).map(|i| f64::from(i) / 100.0);
    let deep = DEEP_TAIL.into_iter().filter(move |&k| count >= MIN_BEYOND * k).map(|k| 1.0 - 1.0 / k as f64);
    [0.001, 0.005].into_iter().chain(body).chain([0.995, 0.999, 0.9995, 0.9999]).chain(deep).chain([1.0])
}

/// The rows as CSV bytes, after the header line if `header` (even with no rows).
fn to_bytes<T: Serialize + Default>(rows: impl Iterator<Item = T>, header: bool) -> Vec<u8> {
    let start = if header { header_line::<T>() } else { Vec::new() };
    let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(start);
    for row in rows {
        // Writing to a Vec cannot fail, and every row type serialises to flat fields.
        w.serialize(row).expect("CSV row serialises");
    }
    w.into_inner().expect("in-memory writer flushes")
}

/// `T`'s header line, taken from a default row: the csv crate writes a
/// header only before a first row, and a file without rows (e.g. `costs.csv`
/// when every cost is zero) must still name its columns.
fn header_line<T: Serialize + Default>() -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.serialize(T::default()).expect("CSV row serialises");
    let mut bytes = w.into_inner().expect("in-memory writer flushes");
    // Field names hold no newline: the header is everything up to the first.
    let end = bytes.iter().position(|&b| b == b'\n').map_or(bytes.len(), |i| i + 1);
    bytes.truncate(end);
    bytes
}

/// `summary.csv`: one row per option.
pub fn summary(reports: &[OptionReport]) -> Vec<u8> {
    to_bytes(
        reports.iter().map(|r| SummaryRow {
            option: r.name.clone(),
            kind: r.kind.to_string(),
            region: r.region.clone(),
            replications: r.replications as f64,
            offered: r.outcomes.offered,
            served: r.outcomes.served,
            timed_out: r.outcomes.timed_out,
            rejected: r.outcomes.rejected,
            failed: r.outcomes.failed,
            in_flight: r.outcomes.in_flight,
            success_ratio: r.success_ratio,
            mean_ms: r.mean_ms.map(|e| e.mean),
            p50_ms: r.p50_ms,
            p90_ms: r.p90_ms,
            p95_ms: r.p95_ms,
            p99_ms: r.p99_ms.map(|e| e.mean),
            p999_ms: r.p999_ms,
            max_ms: r.max_ms,
            total_cost_usd: r.total_cost_usd.mean,
            cost_per_million_usd: r.cost_per_million_usd,
            cost_per_month_usd: Some(r.per_month(r.total_cost_usd.mean)),
            compute_usd_per_instance_hour: r.compute_usd_per_instance_hour,
            mean_instances: Some(r.mean_instances),
            peak_instances: Some(r.peak_instances),
            utilization: Some(r.utilization),
            meets_slo: r.meets_slo(),
            mean_ms_ci95: r.mean_ms.and_then(|e| e.ci95),
            p99_ms_ci95: r.p99_ms.and_then(|e| e.ci95),
            total_cost_usd_ci95: r.total_cost_usd.ci95,
            cost_per_month_usd_ci95: r.total_cost_usd.ci95.map(|ci| r.per_month(ci)),
            interruptions: r.interruptions.mean,
            interruptions_ci95: r.interruptions.ci95,
            cold_starts: r.cold_starts,
            co2e_kg: r.co2e_kg.map(|e| e.mean),
            co2e_g_per_million: r.co2e_g_per_million,
            co2e_kg_ci95: r.co2e_kg.and_then(|e| e.ci95),
            db_utilization: r.db_utilization,
            db_wait_ms: r.db_wait_ms.map(|e| e.mean),
            db_wait_ms_ci95: r.db_wait_ms.and_then(|e| e.ci95),
        }),
        true,
    )
}

/// `emissions.csv`: each option's mean kgCO2e by scope, on its grid (options
/// whose grid is unknown have no rows).
pub fn emissions(reports: &[OptionReport]) -> Vec<u8> {
    let rows = reports.iter().filter_map(|r| Some((r, r.emissions?, r.grid.as_ref()?))).flat_map(|(r, e, grid)| {
        SCOPES.iter().map(move |(scope, grams)| EmissionRow {
            option: r.name.clone(),
            region: r.region.clone(),
            grid_gco2e_per_kwh: grid.gco2e_per_kwh,
            grid_source: grid.source.clone(),
            scope: scope.to_string(),
            co2e_kg: grams(&e) / 1_000.0,
        })
    });
    to_bytes(rows, true)
}

/// `ranking.csv`: one row per option, in rank order ([`ranking::RULE`]).
pub fn ranking(reports: &[OptionReport]) -> Vec<u8> {
    to_bytes(ranking::rows(reports), true)
}

/// `timeseries.csv` rows formatted at once: formatting is most of the
/// writing time, so batches are split between the worker threads (in order,
/// so the bytes never depend on them).
const BATCH_ROWS: usize = 16_384;
const CHUNK_ROWS: usize = 1_024;

/// `timeseries.csv`: one row per option and bucket, written to `out` as
/// the rows are computed (a year of 1-minute buckets is millions of rows).
pub fn timeseries<W: std::io::Write>(reports: &[OptionReport], mut out: W) -> Result<(), csv::Error> {
    let mut header = true;
    for r in reports {
        let mut points = r.series();
        loop {
            let batch = points.by_ref().take(BATCH_ROWS).collect::<std::io::Result<Vec<SeriesPoint>>>()?;
            if batch.is_empty() {
                break;
            }
            let chunks: Vec<Vec<u8>> = batch
                .par_chunks(CHUNK_ROWS)
                .enumerate()
                .map(|(i, c)| series_rows(&r.name, c, header && i == 0))
                .collect();
            header = false;
            for chunk in chunks {
                out.write_all(&chunk)?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

fn series_rows(option: &str, points: &[SeriesPoint], header: bool) -> Vec<u8> {
    to_bytes(
        points.iter().map(|p| SeriesRow {
            option,
            bucket_start_s: fixed(p.start_s, MS),
            offered_rps: fixed(p.outcomes.offered / p.len_s, COUNT),
            served: fixed(p.outcomes.served, COUNT),
            timed_out: fixed(p.outcomes.timed_out, COUNT),
            rejected: fixed(p.outcomes.rejected, COUNT),
            failed: fixed(p.outcomes.failed, COUNT),
            instances: fixed(p.instances, COUNT),
            utilization: fixed(p.utilization, RATIO),
            steal: fixed(p.steal, RATIO),
            mean_ms: opt(p.mean_ms, MS),
            p50_ms: opt(p.p50_ms, MS),
            p95_ms: opt(p.p95_ms, MS),
            p99_ms: opt(p.p99_ms, MS),
            cost_usd: fixed(p.cost_usd, USD),
            cumulative_cost_usd: fixed(p.cumulative_cost_usd, USD),
            offered: fixed(p.outcomes.offered, COUNT),
            in_flight: fixed(p.outcomes.in_flight, COUNT),
            pending: fixed(p.pending, COUNT),
            warming: fixed(p.warming, COUNT),
            interruptions: fixed(p.interruptions, COUNT),
            capacity_vcpus: fixed(p.capacity_vcpus, COUNT),
            booting_vcpus: fixed(p.booting_vcpus, COUNT),
            capacity_vcpus_ci95: opt(p.ci95.capacity_vcpus, COUNT),
            p50_ms_ci95: opt(p.ci95.p50_ms, MS),
            p95_ms_ci95: opt(p.ci95.p95_ms, MS),
            p99_ms_ci95: opt(p.ci95.p99_ms, MS),
            cumulative_cost_usd_ci95: opt(p.ci95.cumulative_cost_usd, USD),
            db_utilization: opt(p.db_utilization, RATIO),
            db_wait_ms: opt(p.db_wait_ms, MS),
        }),
        header,
    )
}

/// `costs.csv`: one row per option and category with a cost (only the header
/// when every cost is zero).
pub fn costs(reports: &[OptionReport]) -> Vec<u8> {
    to_bytes(
        reports.iter().flat_map(|r| {
            CostCategory::ALL.into_iter().filter(|&c| r.costs.get(c) != 0.0).map(|c| CostRow {
                option: r.name.clone(),
                category: c.as_str().to_string(),
                usd: r.costs.get(c),
            })
        }),
        true,
    )
}

/// `latency_cdf.csv`: the pooled response-time distribution of each option.
pub fn latency_cdf(reports: &[OptionReport]) -> Vec<u8> {
    to_bytes(
        reports.iter().flat_map(|r| {
            cdf_quantiles(r.latency.count()).filter_map(|q| {
                r.latency.quantile(q).map(|us| CdfRow {
                    option: r.name.clone(),
                    quantile: q,
                    response_ms: us / 1_000.0,
                })
            })
        }),
        true,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deep_tail_is_written_only_where_enough_requests_lie_beyond() {
        let deepest = |count| cdf_quantiles(count).filter(|q| *q < 1.0).fold(0.0, f64::max);
        let tail = |count| cdf_quantiles(count).filter(|q| *q > 0.9999 && *q < 1.0).collect::<Vec<_>>();
        assert_eq!(deepest(199_999), 0.9999);
        assert_eq!(tail(200_000), [0.99995]);
        assert_eq!(tail(999_999), [0.99995, 0.99998]);
        assert_eq!(tail(1_000_000), [0.99995, 0.99998, 0.99999]);
        assert_eq!(tail(u64::MAX).len(), 3, "0.99999 is the deepest");
        // At 1,000,000 requests, 0.99999 has 10 beyond it; 6 decimals write it exactly.
        assert_eq!(fixed(deepest(1_000_000), RATIO), "0.99999");
        assert_eq!(cdf_quantiles(1).count(), 101 + 4 + 1, "the fixed list whatever the count");
    }

    #[test]
    fn every_report_has_its_header_even_without_rows() {
        assert_eq!(costs(&[]), b"option,category,usd\n");
        assert_eq!(latency_cdf(&[]), b"option,quantile,response_ms\n");
        assert_eq!(emissions(&[]), b"option,region,grid_gco2e_per_kwh,grid_source,scope,co2e_kg\n");
        let summary = String::from_utf8(summary(&[])).unwrap();
        assert!(
            summary.starts_with("option,kind,region,")
                && summary.ends_with(
                    "cold_starts,co2e_kg,co2e_g_per_million,co2e_kg_ci95,db_utilization,db_wait_ms,db_wait_ms_ci95\n"
                ),
            "{summary}"
        );
        assert_eq!(summary.lines().count(), 1);
    }
}
