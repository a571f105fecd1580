//! One job of an option across regions: each region's part is an ordinary
//! job (its own instances, queue, outages, prices and grid); in front of
//! them, geo routing sends each request to a region by where its user is,
//! and away from a region that has been down for `failover_after`.
//!
//! The parts share one request stream and never touch each other, so each
//! is advanced to an arrival's time before the arrival is routed; the
//! single-region loop in `engine` is left as it is.

use std::io;

use crate::hosting;
use crate::model::{GeoRouting, HostingOption, Regions, Scenario};
use crate::rng::{Purpose, Stream, stream, unit_open0};
use crate::sim::bucket_file::{BucketFile, BucketWriter};
use crate::sim::disruption::StreamIds;
use crate::sim::engine::{Job, JobResult, Shared};
use crate::sim::request::RequestStream;
use crate::sim::series::{BucketLatency, BucketStats};

/// Where each user region's requests go.
struct GeoRouter<'a> {
    rule: &'a GeoRouting,
    failover_after_us: u64,
    /// Per user region, the parts by RTT from it, nearest first (ties: part order).
    nearest: Vec<Vec<usize>>,
    /// Per user region and part, the RTT (µs).
    rtt_us: Vec<Vec<u64>>,
    /// Per part, since when it has been down (in an outage), if it is.
    down_since_us: Vec<Option<u64>>,
    rng: Stream,
}

impl GeoRouter<'_> {
    /// True if `part`'s users are sent elsewhere at `t`: down for at least `failover_after`.
    fn failed_over(&self, part: usize, t_us: u64) -> bool {
        self.down_since_us[part].is_some_and(|since| t_us >= since.saturating_add(self.failover_after_us))
    }

    /// The part serving a request of user region `user` arriving at `t`.
    fn pick(&mut self, user: usize, t_us: u64) -> usize {
        match self.rule {
            GeoRouting::Nearest => {
                let order = &self.nearest[user];
                order.iter().copied().find(|&p| !self.failed_over(p, t_us)).unwrap_or(order[0])
            }
            GeoRouting::Weights(weights) => {
                let draw = unit_open0(&mut self.rng);
                let up = |p: usize| !self.failed_over(p, t_us);
                let total: f64 = weights.iter().enumerate().filter(|&(p, _)| up(p)).map(|(_, w)| w).sum();
                // Every region down (or only zero weights up): the weights as given.
                let (live, total) = if total > 0.0 { (true, total) } else { (false, 1.0) };
                let mut u = draw * total;
                for (p, w) in weights.iter().enumerate() {
                    if live && !up(p) {
                        continue;
                    }
                    if u <= *w {
                        return p;
                    }
                    u -= w;
                }
                weights.iter().rposition(|&w| w > 0.0).unwrap_or(0)
            }
        }
    }
}

/// Simulates an option across regions for one replication.
pub fn run(scenario: &Scenario, regions: &Regions, replication: u32, shared: &Shared) -> io::Result<JobResult> {
    let parts = &regions.parts;
    let mut first_instance = 0;
    let mut jobs: Vec<Job> = Vec::with_capacity(parts.len());
    for (k, part) in parts.iter().enumerate() {
        let model = hosting::model(part);
        // The whole option's outages take every region down at once (one stream).
        let outages = if regions.shared_outages { 0 } else { k as u64 + 1 };
        let ids = StreamIds { first_instance, outages };
        first_instance += model.fixed_instances();
        jobs.push(Job::new(scenario, part, model, replication, ids, shared));
    }
    let mut geo = router(scenario, regions, replication);
    let horizon_us = scenario.horizon.0;
    let mut seqs = vec![0u64; jobs.len()];
    let mut requests = RequestStream::by_user_region(scenario, replication);
    for mut request in requests.by_ref() {
        let t_us = request.arrival_us;
        for (k, job) in jobs.iter_mut().enumerate() {
            advance(job, k, t_us, &mut geo);
        }
        let user = request.rtt_us as usize;
        let k = geo.pick(user, t_us);
        request.rtt_us = geo.rtt_us[user][k];
        let settle_by_us = jobs[k].events.peek_time().unwrap_or(u64::MAX).min(horizon_us);
        jobs[k].arrive(seqs[k], request, settle_by_us);
        seqs[k] += 1;
    }
    let mut results = Vec::with_capacity(jobs.len());
    for (k, mut job) in jobs.into_iter().enumerate() {
        advance(&mut job, k, horizon_us, &mut geo);
        results.push(job.finish(&shared.spill)?);
    }
    let mut merged = merge(results, shared)?;
    merged.trace_error = requests.trace_error().cloned();
    Ok(merged)
}

/// The geo router of `regions` for the scenario's user regions.
fn router<'a>(scenario: &Scenario, regions: &'a Regions, replication: u32) -> GeoRouter<'a> {
    let rtt_us = |user: &str, part: &HostingOption| {
        (scenario.network.rtt_ms(user, &part.region).unwrap_or(1.0) * 1_000.0).round() as u64
    };
    let rtt: Vec<Vec<u64>> =
        scenario.traffic.users.iter().map(|u| regions.parts.iter().map(|p| rtt_us(&u.region, p)).collect()).collect();
    let nearest = rtt
        .iter()
        .map(|row| {
            let mut order: Vec<usize> = (0..row.len()).collect();
            order.sort_by_key(|&p| row[p]);
            order
        })
        .collect();
    GeoRouter {
        rule: &regions.geo_routing,
        failover_after_us: regions.failover_after.0,
        nearest,
        rtt_us: rtt,
        down_since_us: vec![None; regions.parts.len()],
        rng: stream(scenario.seed, replication, Purpose::GeoRouting, 0),
    }
}

/// Applies part `k`'s rare events before `t` (and before the horizon),
/// noting when it goes down and comes back.
fn advance(job: &mut Job, k: usize, t_us: u64, geo: &mut GeoRouter) {
    let until_us = t_us.min(job.horizon_us());
    while let Some(at_us) = job.events.peek_time().filter(|&at| at < until_us) {
        let (_, event) = job.events.pop().expect("peeked");
        job.handle(at_us, event);
        let down = job.disruptions.in_outage();
        match (down, geo.down_since_us[k]) {
            (true, None) => geo.down_since_us[k] = Some(at_us),
            (false, Some(_)) => geo.down_since_us[k] = None,
            _ => {}
        }
    }
}

/// The parts' results as one option's: counts, times, costs and emissions
/// add up; latency histograms merge; each bucket is the parts' buckets
/// added (its latency quantiles: the parts' weighted by requests served).
fn merge(results: Vec<JobResult>, shared: &Shared) -> io::Result<JobResult> {
    let mut readers: Vec<_> = results.iter().map(|r| r.buckets.iter()).collect();
    let mut writer = BucketWriter::new(shared.spill.clone());
    let len = results.first().map_or(0, |r| r.buckets.len());
    for _ in 0..len {
        let mut parts = Vec::with_capacity(readers.len());
        for reader in &mut readers {
            parts.push(reader.next().expect("every part has the horizon's buckets")?);
        }
        writer.push(&add_buckets(&parts));
    }
    drop(readers);
    let buckets: BucketFile = writer.finish()?;
    let mut all = results.into_iter();
    let mut merged = all.next().expect("an option spans at least one region");
    merged.buckets = buckets;
    for r in all {
        merged.summary += r.summary;
        merged.latency.merge(&r.latency);
        merged.busy_slot_us += r.busy_slot_us;
        merged.slot_us += r.slot_us;
        merged.instance_us += r.instance_us;
        // The regions' peaks added: at most the option's peak.
        merged.peak_instances += r.peak_instances;
        merged.interruptions += r.interruptions;
        merged.cold_starts += r.cold_starts;
        merged.db += r.db;
        merged.cost += r.cost;
        merged.emissions = merged.emissions.zip(r.emissions).map(|(mut a, b)| {
            a += b;
            a
        });
        merged.served_whole_horizon += r.served_whole_horizon;
        merged.launched_instance_us += r.launched_instance_us;
        merged.scaling.extend(r.scaling);
    }
    Ok(merged)
}

/// One bucket of the whole option from its parts' buckets.
fn add_buckets(parts: &[BucketStats]) -> BucketStats {
    let mut b = BucketStats::default();
    let mut latency = BucketLatency { mean_us: 0.0, p50_us: 0.0, p95_us: 0.0, p99_us: 0.0 };
    let mut served = 0u64;
    for p in parts {
        b.outcomes += p.outcomes;
        b.busy_slot_us += p.busy_slot_us;
        b.slot_us += p.slot_us;
        b.instance_us += p.instance_us;
        b.pending_us += p.pending_us;
        b.db += p.db;
        b.warming_us += p.warming_us;
        b.steal_busy_us += p.steal_busy_us;
        b.cost_usd += p.cost_usd;
        b.interruptions += p.interruptions;
        if let Some(l) = &p.latency {
            let w = p.outcomes.served as f64;
            served += p.outcomes.served;
            latency.mean_us += l.mean_us * w;
            latency.p50_us += l.p50_us * w;
            latency.p95_us += l.p95_us * w;
            latency.p99_us += l.p99_us * w;
        }
    }
    if served > 0 {
        let n = served as f64;
        b.latency = Some(BucketLatency {
            mean_us: latency.mean_us / n,
            p50_us: latency.p50_us / n,
            p95_us: latency.p95_us / n,
            p99_us: latency.p99_us / n,
        });
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geo(rule: &GeoRouting) -> GeoRouter<'_> {
        GeoRouter {
            rule,
            failover_after_us: 60_000_000,
            nearest: vec![vec![0, 1], vec![1, 0]],
            rtt_us: vec![vec![1_000, 90_000], vec![90_000, 1_000]],
            down_since_us: vec![None, None],
            rng: stream(1, 0, Purpose::GeoRouting, 0),
        }
    }

    #[test]
    fn nearest_until_the_region_has_been_down_for_failover_after() {
        let mut g = geo(&GeoRouting::Nearest);
        assert_eq!((g.pick(0, 0), g.pick(1, 0)), (0, 1));
        // Region 0 goes down at 10 s: its users still go there until 70 s.
        g.down_since_us[0] = Some(10_000_000);
        assert_eq!(g.pick(0, 69_999_999), 0);
        assert_eq!(g.pick(0, 70_000_000), 1);
        assert_eq!(g.pick(1, 70_000_000), 1);
        // Both down long enough: the nearest anyway.
        g.down_since_us[1] = Some(0);
        assert_eq!(g.pick(0, 100_000_000), 0);
    }

    #[test]
    fn weights_share_the_users_and_skip_a_failed_over_region() {
        // 100,000 draws at 0.25 / 0.75: region 0's count within 4 binomial standard deviations
        // (σ = √(100,000 × 0.25 × 0.75) = 136.9).
        let rule = GeoRouting::Weights(vec![0.25, 0.75]);
        let mut g = geo(&rule);
        let n = 100_000;
        let zeros = (0..n).filter(|_| g.pick(0, 0) == 0).count() as f64;
        assert!((zeros - 25_000.0).abs() < 4.0 * 136.9, "{zeros}");
        g.down_since_us[1] = Some(0);
        assert!((0..1_000).all(|_| g.pick(1, 60_000_000) == 0));
    }

    #[test]
    fn a_bucket_of_two_parts_adds_up() {
        let part = |served: u64, p99_ms: f64, cost_usd: f64| {
            let mut b = BucketStats { cost_usd, busy_slot_us: 10, slot_us: 40, ..BucketStats::default() };
            b.outcomes.served = served;
            b.outcomes.offered = served + 1;
            b.latency = Some(BucketLatency { mean_us: p99_ms, p50_us: p99_ms, p95_us: p99_ms, p99_us: p99_ms * 1e3 });
            b
        };
        // 30 served at p99 100 ms and 10 at 200 ms: (30 × 100 + 10 × 200) / 40 = 125 ms.
        let b = add_buckets(&[part(30, 100.0, 1.5), part(10, 200.0, 2.0), BucketStats::default()]);
        assert_eq!((b.outcomes.served, b.outcomes.offered, b.busy_slot_us, b.slot_us), (40, 42, 20, 80));
        assert!((b.cost_usd - 3.5).abs() < 1e-12);
        assert!((b.latency.unwrap().p99_us - 125_000.0).abs() < 1e-9);
    }
}
