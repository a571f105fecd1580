//! Combines the replications of each option into report rows: means, 95 %
//! confidence half-widths, a pooled latency distribution and a mean time
//! series. Replications are folded in a fixed order, so the result never
//! depends on which thread finished first.

use std::io;

use crate::hosting::VcpuRule;
use crate::hosting::cost::{CostBreakdown, CostCategory};
use crate::hosting::emissions::Emissions;
use crate::model::{Database, Grid, HostingOption, Scenario};
use crate::sim::bucket_file::BucketFile;
use crate::sim::engine::JobResult;
use crate::sim::series::{BucketLatency, BucketStats};
use crate::stats::ci::{Estimate, Estimator, estimate};
use crate::stats::histogram::SummaryHistogram;
use crate::stats::outcomes::Outcomes;
use crate::time::{HOURS_PER_MONTH, SimTime};

/// What instance time costs, however it is bought.
const COMPUTE: [CostCategory; 3] = [CostCategory::Compute, CostCategory::Reserved, CostCategory::SavingsPlan];

/// Mean outcome counts over replications.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MeanOutcomes {
    pub offered: f64,
    pub served: f64,
    pub timed_out: f64,
    pub rejected: f64,
    pub failed: f64,
    pub in_flight: f64,
}

impl MeanOutcomes {
    fn of<'a>(all: impl Iterator<Item = &'a Outcomes>, n: usize) -> MeanOutcomes {
        let mut sum = Outcomes::default();
        all.for_each(|o| sum += *o);
        let mean = |x: u64| x as f64 / n as f64;
        MeanOutcomes {
            offered: mean(sum.offered),
            served: mean(sum.served),
            timed_out: mean(sum.timed_out),
            rejected: mean(sum.rejected),
            failed: mean(sum.failed),
            in_flight: mean(sum.in_flight),
        }
    }
}

/// One option's results over all replications.
#[derive(Debug)]
pub struct OptionReport {
    pub name: String,
    pub kind: &'static str,
    pub region: String,
    pub replications: usize,
    /// After the warm-up.
    pub outcomes: MeanOutcomes,
    pub success_ratio: Option<f64>,
    /// Latency estimates in ms, over served requests after the warm-up.
    pub mean_ms: Option<Estimate>,
    pub p50_ms: Option<f64>,
    pub p90_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    pub p99_ms: Option<Estimate>,
    pub p999_ms: Option<f64>,
    pub max_ms: Option<f64>,
    /// Whole horizon, warm-up included.
    pub total_cost_usd: Estimate,
    pub cost_per_million_usd: Option<f64>,
    /// (compute + reserved + savings_plan) per launched instance-hour (boot
    /// included), whole horizon; `None` without instance time or those costs.
    pub compute_usd_per_instance_hour: Option<f64>,
    pub mean_instances: f64,
    pub peak_instances: f64,
    pub utilization: f64,
    /// Against the scenario's `[slo]`; `None` without one.
    pub slo: Option<SloVerdict>,
    /// Spot interruption notices after the warm-up, over replications.
    pub interruptions: Estimate,
    /// Mean fraction of served requests that waited for a cold start.
    pub cold_starts: f64,
    /// The database's utilisation after the warm-up (its busier part:
    /// primary or replicas), over replications; `None` without a database.
    pub db_utilization: Option<f64>,
    /// Mean wait of a query for a connection and a database server, ms.
    pub db_wait_ms: Option<Estimate>,
    /// Mean cost by category.
    pub costs: CostBreakdown,
    /// Whole horizon, kgCO2e over replications; `None` when the grid is unknown.
    pub co2e_kg: Option<Estimate>,
    /// Mean grams of CO2e per million requests served (whole horizon).
    pub co2e_g_per_million: Option<f64>,
    /// Mean grams by scope.
    pub emissions: Option<Emissions>,
    /// The grid the emissions were reckoned on.
    pub grid: Option<Grid>,
    /// All replications' served response times (µs) after the warm-up.
    pub latency: SummaryHistogram,
    /// Each replication's buckets (in replication order); `series` folds them lazily.
    pub buckets: Vec<BucketFile>,
    vcpus: VcpuRule,
    /// The database simulated, if any.
    database: Option<Database>,
    bucket_us: u64,
    horizon_us: u64,
}

/// An option against the scenario's `[slo]`: whether it meets each objective
/// (an objective the SLO leaves out is met).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SloVerdict {
    pub p99_ok: bool,
    pub success_ok: bool,
}

impl SloVerdict {
    pub fn meets(self) -> bool {
        self.p99_ok && self.success_ok
    }

    /// The objectives missed, named as in `[slo]` minus the unit: "p99", "success".
    pub fn missed(self) -> Vec<&'static str> {
        [(!self.p99_ok, "p99"), (!self.success_ok, "success")].into_iter().filter_map(|(m, n)| m.then_some(n)).collect()
    }
}

/// One bucket of the mean time series.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesPoint {
    pub start_s: f64,
    pub len_s: f64,
    pub outcomes: MeanOutcomes,
    pub instances: f64,
    /// Time-weighted vCPUs in service, and of the instances booting ([`VcpuRule`]).
    pub capacity_vcpus: f64,
    pub booting_vcpus: f64,
    /// Time-weighted instances booting, and serving but in their warm-up.
    pub pending: f64,
    pub warming: f64,
    pub utilization: f64,
    pub steal: f64,
    /// Mean spot interruption notices in the bucket.
    pub interruptions: f64,
    /// The database's utilisation (its busier part), without one `None`.
    pub db_utilization: Option<f64>,
    /// Mean wait of the bucket's queries for a connection and a server, over
    /// the replications that sent some.
    pub db_wait_ms: Option<f64>,
    /// Means over the replications that served something in the bucket.
    pub mean_ms: Option<f64>,
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub cost_usd: f64,
    pub cumulative_cost_usd: f64,
    /// 95 % half-widths over the replications (`None` with fewer than two).
    pub ci95: SeriesCi95,
}

/// The spread over replications of the series the time charts draw, as
/// 95 % confidence half-widths of the bucket's mean.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SeriesCi95 {
    pub capacity_vcpus: Option<f64>,
    /// Over the replications that served something in the bucket.
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub cumulative_cost_usd: Option<f64>,
}

/// Mean of the values that exist; `None` when none do.
fn mean_of_some(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let (sum, n) = values.flatten().fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// Estimate over replications of a per-replication value that may be missing.
fn estimate_some(values: impl Iterator<Item = Option<f64>>) -> Option<Estimate> {
    let values: Vec<f64> = values.flatten().collect();
    (!values.is_empty()).then(|| estimate(&values))
}

fn ms(us: f64) -> f64 {
    us / 1_000.0
}

/// Folds one option's replications (in replication order) into its report,
/// taking their buckets over.
pub fn aggregate(scenario: &Scenario, option: &HostingOption, results: Vec<JobResult>) -> OptionReport {
    let jobs = &results;
    let n = jobs.len();
    let outcomes = MeanOutcomes::of(jobs.iter().map(|j| &j.summary), n);
    let quantile_ms = |q: f64| mean_of_some(jobs.iter().map(|j| j.latency.quantile(q).map(ms)));
    let success_ratio = mean_of_some(jobs.iter().map(|j| {
        let completed = j.summary.offered - j.summary.in_flight;
        (completed > 0).then(|| j.summary.served as f64 / completed as f64)
    }));
    let p99_ms = estimate_some(jobs.iter().map(|j| j.latency.quantile(0.99).map(ms)));
    let total_cost_usd = estimate(&jobs.iter().map(|j| j.cost.total_usd()).collect::<Vec<_>>());
    let cost_per_million_usd = mean_of_some(jobs.iter().map(|j| {
        let served = j.served_whole_horizon;
        (served > 0).then(|| j.cost.total_usd() / served as f64 * 1e6)
    }));
    let compute_usd_per_instance_hour = mean_of_some(jobs.iter().map(|j| {
        let usd: f64 = COMPUTE.iter().map(|&c| j.cost.get(c)).sum();
        let hours = j.launched_instance_us as f64 / SimTime::HOUR.0 as f64;
        (hours > 0.0 && usd > 0.0).then(|| usd / hours)
    }));
    let slo = scenario.slo.as_ref().map(|slo| SloVerdict {
        p99_ok: slo.p99_ms.is_none_or(|limit| p99_ms.is_some_and(|p| p.mean <= limit)),
        success_ok: slo.success.is_none_or(|min| success_ratio.is_some_and(|s| s >= min)),
    });
    let emitted: Option<Vec<Emissions>> = jobs.iter().map(|j| j.emissions).collect();
    let co2e_kg = emitted.as_ref().map(|e| estimate(&e.iter().map(|e| e.total_g() / 1_000.0).collect::<Vec<_>>()));
    let co2e_g_per_million = emitted.as_ref().and_then(|e| {
        mean_of_some(e.iter().zip(jobs).map(|(e, j)| {
            let served = j.served_whole_horizon;
            (served > 0).then(|| e.total_g() / served as f64 * 1e6)
        }))
    });
    let emissions = emitted.map(|all| {
        let mut mean = Emissions::default();
        all.iter().for_each(|e| mean += e.scaled(1.0 / n as f64));
        mean
    });
    let mut costs = CostBreakdown::default();
    let mut latency = SummaryHistogram::new();
    for j in jobs {
        latency.merge(&j.latency);
        for c in CostCategory::ALL {
            costs.add(c, j.cost.get(c) / n as f64);
        }
    }
    let ratio = |num: u128, den: u128| if den > 0 { num as f64 / den as f64 } else { 0.0 };
    // Simulated only when requests have database time.
    let database = option.database.as_ref().filter(|_| scenario.workload.db.is_some());
    let measured_us = (scenario.horizon.0 - scenario.warmup.0) as f64;
    OptionReport {
        name: option.name.clone(),
        kind: option.kind.as_str(),
        region: option.region.clone(),
        replications: n,
        outcomes,
        success_ratio,
        mean_ms: estimate_some(jobs.iter().map(|j| j.latency.mean().map(ms))),
        p50_ms: quantile_ms(0.50),
        p90_ms: quantile_ms(0.90),
        p95_ms: quantile_ms(0.95),
        p99_ms,
        p999_ms: quantile_ms(0.999),
        max_ms: mean_of_some(jobs.iter().map(|j| j.latency.max().map(|m| ms(m as f64)))),
        total_cost_usd,
        cost_per_million_usd,
        compute_usd_per_instance_hour,
        mean_instances: jobs.iter().map(|j| j.instance_us as f64 / measured_us).sum::<f64>() / n as f64,
        peak_instances: jobs.iter().map(|j| f64::from(j.peak_instances)).sum::<f64>() / n as f64,
        utilization: jobs.iter().map(|j| ratio(j.busy_slot_us, j.slot_us)).sum::<f64>() / n as f64,
        slo,
        interruptions: estimate(&jobs.iter().map(|j| j.interruptions as f64).collect::<Vec<_>>()),
        cold_starts: jobs.iter().map(|j| ratio(u128::from(j.cold_starts), u128::from(j.summary.served))).sum::<f64>()
            / n as f64,
        db_utilization: database.map(|db| {
            jobs.iter().map(|j| db.utilization(j.db.primary_busy_us, j.db.replica_busy_us, measured_us)).sum::<f64>()
                / n as f64
        }),
        db_wait_ms: database.and_then(|_| {
            estimate_some(
                jobs.iter().map(|j| (j.db.queries > 0).then(|| ms(j.db.wait_us as f64 / j.db.queries as f64))),
            )
        }),
        costs,
        co2e_kg,
        co2e_g_per_million,
        emissions,
        grid: option.grid.clone(),
        latency,
        buckets: results.into_iter().map(|j| j.buckets).collect(),
        vcpus: VcpuRule::of(option),
        database: database.cloned(),
        bucket_us: scenario.bucket.0,
        horizon_us: scenario.horizon.0,
    }
}

impl OptionReport {
    /// Whether the option meets the SLO; `None` without one.
    pub fn meets_slo(&self) -> Option<bool> {
        self.slo.map(SloVerdict::meets)
    }

    /// An amount over the horizon as a rate per 730-hour month.
    pub fn per_month(&self, usd: f64) -> f64 {
        usd * (HOURS_PER_MONTH * SimTime::HOUR.0) as f64 / self.horizon_us as f64
    }

    /// The mean time series over replications, one point per bucket, computed
    /// as the replications' bucket files are read, in step.
    pub fn series(&self) -> impl Iterator<Item = io::Result<SeriesPoint>> + '_ {
        let mut readers: Vec<_> = self.buckets.iter().map(BucketFile::iter).collect();
        let n = readers.len();
        let n_buckets = self.buckets.first().map_or(0, BucketFile::len);
        let bucket_us = self.bucket_us;
        let vcpus = self.vcpus;
        let estimator = Estimator::new(n);
        let mut cumulative = 0.0;
        // Each replication's own cumulative cost, for the spread of the mean's.
        let mut cumulative_each = vec![0.0; n];
        let mut row = Vec::with_capacity(n);
        let mut values = Vec::with_capacity(n);
        (0..n_buckets).map(move |i| {
            row.clear();
            for r in &mut readers {
                row.push(r.next().expect("every replication has every bucket")?);
            }
            let row = &row;
            let start_us = i as u64 * bucket_us;
            let len_us = bucket_us.min(self.horizon_us - start_us);
            let at = |f: &dyn Fn(&BucketStats) -> f64| row.iter().map(f).sum::<f64>() / n as f64;
            let latency =
                |f: fn(&BucketLatency) -> f64| mean_of_some(row.iter().map(|b| b.latency.as_ref().map(|l| ms(f(l)))));
            let mut ci95 = |each: &mut dyn Iterator<Item = f64>| {
                values.clear();
                values.extend(each);
                estimator.estimate(&values).ci95
            };
            let capacity = |b: &BucketStats| {
                (b.slot_us as f64 * vcpus.per_slot + b.instance_us as f64 * vcpus.per_instance) / len_us as f64
            };
            let each_latency =
                |f: fn(&BucketLatency) -> f64| row.iter().filter_map(move |b| b.latency.as_ref().map(|l| ms(f(l))));
            let cost_usd = at(&|b| b.cost_usd);
            cumulative += cost_usd;
            cumulative_each.iter_mut().zip(row).for_each(|(c, b)| *c += b.cost_usd);
            let spread = SeriesCi95 {
                capacity_vcpus: ci95(&mut row.iter().map(capacity)),
                p50_ms: ci95(&mut each_latency(|l| l.p50_us)),
                p95_ms: ci95(&mut each_latency(|l| l.p95_us)),
                p99_ms: ci95(&mut each_latency(|l| l.p99_us)),
                cumulative_cost_usd: ci95(&mut cumulative_each.iter().copied()),
            };
            let pending = at(&|b| b.pending_us as f64 / len_us as f64);
            Ok(SeriesPoint {
                start_s: start_us as f64 / 1e6,
                len_s: len_us as f64 / 1e6,
                outcomes: MeanOutcomes::of(row.iter().map(|b| &b.outcomes), n),
                instances: at(&|b| b.instance_us as f64 / len_us as f64),
                capacity_vcpus: at(&capacity),
                booting_vcpus: pending * vcpus.per_booting,
                pending,
                warming: at(&|b| b.warming_us as f64 / len_us as f64),
                utilization: at(&|b| if b.slot_us > 0 { b.busy_slot_us as f64 / b.slot_us as f64 } else { 0.0 }),
                steal: at(&|b| if b.busy_slot_us > 0 { b.steal_busy_us / b.busy_slot_us as f64 } else { 0.0 }),
                interruptions: at(&|b| b.interruptions as f64),
                db_utilization: self
                    .database
                    .as_ref()
                    .map(|db| at(&|b| db.utilization(b.db.primary_busy_us, b.db.replica_busy_us, len_us as f64))),
                db_wait_ms: self.database.as_ref().and_then(|_| {
                    mean_of_some(
                        row.iter().map(|b| (b.db.queries > 0).then(|| ms(b.db.wait_us as f64) / b.db.queries as f64)),
                    )
                }),
                mean_ms: latency(|l| l.mean_us),
                p50_ms: latency(|l| l.p50_us),
                p95_ms: latency(|l| l.p95_us),
                p99_ms: latency(|l| l.p99_us),
                cost_usd,
                cumulative_cost_usd: cumulative,
                ci95: spread,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::SloVerdict;

    #[test]
    fn a_verdict_names_each_objective_missed() {
        let v = |p99_ok, success_ok| SloVerdict { p99_ok, success_ok };
        assert!(v(true, true).meets() && v(true, true).missed().is_empty());
        assert!(!v(false, true).meets() && v(false, true).missed() == ["p99"]);
        assert!(!v(true, false).meets() && v(true, false).missed() == ["success"]);
        assert_eq!(v(false, false).missed(), ["p99", "success"]);
    }
}
