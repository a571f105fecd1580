//! One job = one (option, replication): feed the option's requests through
//! its pool, settle each request's outcome, and gather streaming statistics.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::hosting::cost::{CostBreakdown, CostCategory, egress_usd};
use crate::hosting::{self, Usage};
use crate::scenario::model::Scenario;
use crate::sim::pool::{Admission, Pool};
use crate::sim::request::{Request, RequestStream};
use crate::sim::rng::{Purpose, stream};
use crate::sim::time::SimTime;
use crate::stats::histogram::{Histogram, SERIES_BITS, SUMMARY_BITS};
use crate::stats::outcomes::{Outcome, Outcomes};

/// Per-bucket latency figures of one job, in microseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct BucketLatency {
    pub mean_us: f64,
    pub p50_us: f64,
    pub p95_us: f64,
    pub p99_us: f64,
}

/// One time-series bucket of one job. Requests count in the bucket they arrive in.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BucketStats {
    pub outcomes: Outcomes,
    /// Busy slot-time in this bucket (slot-µs).
    pub busy_slot_us: u64,
    /// Available slot-time (slot-µs).
    pub slot_us: u64,
    /// Instance-time (instance-µs), for the time-weighted instance count.
    pub instance_us: u64,
    /// `None` when nothing arriving in this bucket was served.
    pub latency: Option<BucketLatency>,
    pub cost_usd: f64,
    /// Mean CPU steal (0 without noisy neighbours).
    pub steal: f64,
}

/// Everything one job measured. Summary fields cover requests arriving at or
/// after the warm-up; costs and buckets cover the whole horizon.
#[derive(Clone, Debug)]
pub struct JobResult {
    pub summary: Outcomes,
    /// Response times (µs) of served requests.
    pub latency: Histogram,
    /// Busy and available slot-time after the warm-up.
    pub busy_slot_us: u128,
    pub slot_us: u128,
    /// Instance-time after the warm-up, and the most instances at once.
    pub instance_us: u128,
    pub peak_instances: u32,
    pub cost: CostBreakdown,
    pub buckets: Vec<BucketStats>,
}

/// Simulates one option for one replication. `progress` advances by
/// simulated microseconds as buckets close.
pub fn run_job(scenario: &Scenario, option_index: usize, replication: u32, progress: &AtomicU64) -> JobResult {
    let option = &scenario.options[option_index];
    let model = hosting::model(option);
    let horizon_us = scenario.horizon.0;
    let warmup_us = scenario.warmup.0;
    let timeout_us = scenario.workload.timeout.0;
    let bucket_us = scenario.bucket.0;
    let n_buckets = horizon_us.div_ceil(bucket_us) as usize;

    let instances = model.initial_instances();
    let slots_per_instance = model.vcpus_per_instance() * option.workers_per_vcpu;
    let mut pool = Pool::new(option.routing, instances, slots_per_instance, option.max_queue);
    let mut route_rng = stream(scenario.seed, replication, Purpose::Routing);

    let mut buckets = vec![BucketStats::default(); n_buckets];
    let mut summary = Outcomes::default();
    let mut latency = Histogram::new(SUMMARY_BITS);
    let mut bucket_latency = Histogram::new(SERIES_BITS);
    let mut busy_after_warmup: u128 = 0;
    let mut current = 0usize;
    let mut current_end = bucket_us.min(horizon_us);

    for Request { arrival_us, service_us, rtt_us } in RequestStream::new(scenario, option, replication) {
        while arrival_us >= current_end {
            buckets[current].latency = close_latency(&mut bucket_latency);
            progress.fetch_add(bucket_us, Ordering::Relaxed);
            current += 1;
            current_end = (current_end + bucket_us).min(horizon_us);
        }
        let outcome = match pool.offer(arrival_us, service_us, timeout_us, &mut route_rng) {
            Admission::Rejected => Outcome::Rejected,
            Admission::Abandoned { leave_us } => settle_timeout(leave_us, horizon_us),
            Admission::Started { start_us, finish_us } => {
                let end_us = finish_us.min(horizon_us);
                if end_us <= current_end {
                    // Common case: the whole service lies in the arrival's bucket.
                    buckets[current].busy_slot_us += end_us - start_us;
                } else {
                    add_busy(&mut buckets, bucket_us, start_us, end_us);
                }
                busy_after_warmup += u128::from(end_us.saturating_sub(start_us.max(warmup_us)));
                let response_us = rtt_us + (finish_us - arrival_us);
                if response_us > timeout_us {
                    // The client gives up when its response time reaches the timeout.
                    settle_timeout(arrival_us + timeout_us.saturating_sub(rtt_us), horizon_us)
                } else if finish_us > horizon_us {
                    Outcome::InFlight
                } else {
                    bucket_latency.record(response_us);
                    if arrival_us >= warmup_us {
                        latency.record(response_us);
                    }
                    Outcome::Served
                }
            }
        };
        buckets[current].outcomes.add(outcome);
        if arrival_us >= warmup_us {
            summary.add(outcome);
        }
    }
    buckets[current].latency = close_latency(&mut bucket_latency);

    // Fixed capacity: every bucket has the same fleet.
    let slots = u64::from(instances * slots_per_instance);
    let mut cost = CostBreakdown::default();
    for (i, b) in buckets.iter_mut().enumerate() {
        let start = i as u64 * bucket_us;
        let len = bucket_us.min(horizon_us - start);
        b.slot_us = slots * len;
        b.instance_us = u64::from(instances) * len;
        let usage = Usage {
            instances: f64::from(instances),
            utilization: if b.slot_us > 0 { b.busy_slot_us as f64 / b.slot_us as f64 } else { 0.0 },
            served: b.outcomes.served,
        };
        let mut c = model.accrue(SimTime(start), SimTime(len), &usage);
        c.add(
            CostCategory::Egress,
            egress_usd(b.outcomes.served, scenario.workload.response_kb, option.egress_usd_per_gb),
        );
        b.cost_usd = c.total_usd();
        cost += c;
    }
    progress.fetch_add(horizon_us.saturating_sub(current as u64 * bucket_us), Ordering::Relaxed);

    let measured_us = u128::from(horizon_us - warmup_us);
    JobResult {
        summary,
        latency,
        busy_slot_us: busy_after_warmup,
        slot_us: u128::from(slots) * measured_us,
        instance_us: u128::from(instances) * measured_us,
        peak_instances: instances,
        cost,
        buckets,
    }
}

/// A timed-out request is settled when the client gives up, unless that is after the horizon.
fn settle_timeout(gives_up_us: u64, horizon_us: u64) -> Outcome {
    if gives_up_us > horizon_us { Outcome::InFlight } else { Outcome::TimedOut }
}

/// Adds the busy interval [start, end) to the buckets it overlaps.
fn add_busy(buckets: &mut [BucketStats], bucket_us: u64, mut start: u64, end: u64) {
    while start < end {
        let i = (start / bucket_us) as usize;
        let bucket_end = ((i as u64 + 1) * bucket_us).min(end);
        buckets[i].busy_slot_us += bucket_end - start;
        start = bucket_end;
    }
}

/// The bucket's latency figures; empties the histogram for the next bucket.
fn close_latency(h: &mut Histogram) -> Option<BucketLatency> {
    let figures = h.mean().map(|mean_us| BucketLatency {
        mean_us,
        p50_us: h.quantile(0.50).unwrap_or(mean_us),
        p95_us: h.quantile(0.95).unwrap_or(mean_us),
        p99_us: h.quantile(0.99).unwrap_or(mean_us),
    });
    h.clear();
    figures
}
