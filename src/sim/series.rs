//! Per-bucket statistics of one job. Requests count in the bucket they
//! arrive in; a bucket stays open (in memory, with its latency histogram)
//! until every request that arrived in it is settled, then shrinks to a few
//! figures and goes to the job's bucket file.

use std::collections::VecDeque;
use std::io;

use crate::hosting::serverless::BilledUse;
use crate::sim::bucket_file::{BucketFile, BucketWriter};
use crate::sim::progress::Counters;
use crate::stats::histogram::SeriesHistogram;
use crate::stats::outcomes::{Outcome, Outcomes};

/// Per-bucket latency figures of one job, in microseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct BucketLatency {
    pub mean_us: f64,
    pub p50_us: f64,
    pub p95_us: f64,
    pub p99_us: f64,
}

/// One time-series bucket of one job.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BucketStats {
    pub outcomes: Outcomes,
    /// Busy slot-time (slot-µs).
    pub busy_slot_us: u64,
    /// Available slot-time (slot-µs).
    pub slot_us: u64,
    /// Instance-time (instance-µs), for the time-weighted instance count.
    pub instance_us: u64,
    /// Instance-time of instances launched and still booting (instance-µs).
    pub pending_us: u64,
    /// Instance-time of instances serving but in their warm-up (instance-µs).
    pub warming_us: u64,
    /// `None` when nothing arriving in this bucket was served.
    pub latency: Option<BucketLatency>,
    /// Busy slot-time weighted by the CPU steal it suffered (slot-µs); over
    /// `busy_slot_us` it is the mean steal while busy.
    pub steal_busy_us: f64,
    /// Cost accrued in the bucket.
    pub cost_usd: f64,
    /// Spot interruption notices in the bucket.
    pub interruptions: u64,
    /// What a serverless option billed by use (zero for other kinds).
    pub billed: BilledUse,
    /// What the option's database did (zero without one).
    pub db: DbLoad,
}

/// What an option's database did: busy time where it was spent, queries
/// and their waits in their request's bucket (or after the warm-up).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DbLoad {
    /// Busy server-time of the primary (server-µs).
    pub primary_busy_us: u64,
    /// Busy server-time of the read replicas together (server-µs).
    pub replica_busy_us: u64,
    pub queries: u64,
    /// Time the queries waited for a connection and then a server (µs).
    pub wait_us: u64,
}

impl std::ops::AddAssign for DbLoad {
    fn add_assign(&mut self, o: DbLoad) {
        self.primary_busy_us += o.primary_busy_us;
        self.replica_busy_us += o.replica_busy_us;
        self.queries += o.queries;
        self.wait_us += o.wait_us;
    }
}

/// How many instances are in each state, and the slots in service.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Levels {
    /// In service.
    pub instances: u32,
    /// Worker slots on the instances in service.
    pub slots: u64,
    /// Launched and booting (billed, not serving).
    pub pending: u32,
    /// In service but in their warm-up (not yet in the scaling metric).
    pub warming: u32,
}

/// The time series being built: the closed buckets in a file, the open ones
/// in memory. Nothing touches a closed bucket: its requests are settled
/// (busy time is added when a request settles, from its arrival on) and its
/// capacity levels are accrued when it closes.
pub struct Series<'p> {
    bucket_us: u64,
    horizon_us: u64,
    n_buckets: usize,
    closed: BucketWriter,
    /// Buckets `stats_base..stats_base + stats.len()`: a plain vector (a
    /// bucket is found on every request), its closed head dropped now and then.
    stats: Vec<BucketStats>,
    stats_base: usize,
    /// Histograms of buckets `first_open..first_open + open.len()`.
    open: VecDeque<SeriesHistogram>,
    first_open: usize,
    spare: Vec<SeriesHistogram>,
    /// The last bucket located, [start, end) and index: most lookups hit it.
    hot: (u64, u64, usize),
    /// Capacity level since `capacity_since_us`.
    capacity_since_us: u64,
    levels: Levels,
    progress: &'p Counters,
}

impl<'p> Series<'p> {
    pub fn new(bucket_us: u64, horizon_us: u64, progress: &'p Counters) -> Series<'p> {
        Series {
            bucket_us,
            horizon_us,
            n_buckets: horizon_us.div_ceil(bucket_us) as usize,
            // Its own file, freed as soon as the job has priced its buckets.
            closed: BucketWriter::new(Default::default()),
            stats: Vec::new(),
            stats_base: 0,
            open: VecDeque::new(),
            first_open: 0,
            spare: Vec::new(),
            hot: (0, bucket_us.min(horizon_us), 0),
            capacity_since_us: 0,
            levels: Levels::default(),
            progress,
        }
    }

    /// The bucket holding time `t`, without touching the lookup cache.
    pub fn index_of(&self, t_us: u64) -> usize {
        (t_us / self.bucket_us) as usize
    }

    /// The bucket holding time `t` (< horizon).
    #[inline]
    pub fn bucket_of(&mut self, t_us: u64) -> usize {
        let (start, end, b) = self.hot;
        if t_us >= start && t_us < end {
            return b;
        }
        let b = (t_us / self.bucket_us) as usize;
        self.hot = (b as u64 * self.bucket_us, self.bucket_end(b), b);
        b
    }

    /// End of bucket `b` (or the horizon).
    #[inline]
    pub fn bucket_end(&self, b: usize) -> u64 {
        ((b as u64 + 1) * self.bucket_us).min(self.horizon_us)
    }

    /// Open bucket `b`.
    #[inline]
    fn at(&mut self, b: usize) -> &mut BucketStats {
        debug_assert!(b >= self.first_open, "only open buckets change");
        let i = b.wrapping_sub(self.stats_base);
        if i < self.stats.len() {
            return &mut self.stats[i];
        }
        self.grow_to(b)
    }

    #[cold]
    fn grow_to(&mut self, b: usize) -> &mut BucketStats {
        let i = b.checked_sub(self.stats_base).expect("only open buckets change");
        self.stats.resize(i + 1, BucketStats::default());
        &mut self.stats[i]
    }

    /// Counts a settled request; `latency_us` for served ones.
    #[inline]
    pub fn record(&mut self, bucket: usize, outcome: Outcome, latency_us: Option<u64>) {
        self.at(bucket).outcomes.add(outcome);
        if let Some(l) = latency_us {
            while self.open.len() <= bucket - self.first_open {
                let h = self.spare.pop().unwrap_or_default();
                self.open.push_back(h);
            }
            self.open[bucket - self.first_open].record(l);
        }
    }

    /// Closes every bucket before `bucket`: their requests are all settled.
    #[inline]
    pub fn close_before(&mut self, bucket: usize) {
        if bucket > self.first_open {
            self.close_until(bucket);
        }
    }

    fn close_until(&mut self, bucket: usize) {
        while self.first_open < bucket.min(self.n_buckets) {
            let b = self.first_open;
            self.accrue_levels(self.bucket_end(b));
            let mut stats = self.stats.get_mut(b - self.stats_base).map(std::mem::take).unwrap_or_default();
            if let Some(mut h) = self.open.pop_front() {
                stats.latency = h.mean().map(|mean_us| BucketLatency {
                    mean_us,
                    p50_us: h.quantile(0.50).unwrap_or(mean_us),
                    p95_us: h.quantile(0.95).unwrap_or(mean_us),
                    p99_us: h.quantile(0.99).unwrap_or(mean_us),
                });
                h.clear();
                self.spare.push(h);
            }
            self.progress.add(self.bucket_end(b) - b as u64 * self.bucket_us, stats.outcomes.offered);
            self.closed.push(&stats);
            self.first_open += 1;
        }
        // Dropping the closed head once it is half the vector moves each bucket at most once.
        let closed = self.first_open - self.stats_base;
        if 2 * closed >= self.stats.len() {
            self.stats.drain(..closed.min(self.stats.len()));
            self.stats_base = self.first_open;
        }
    }

    /// Adds the busy interval [start, end), which suffered CPU `steal`, to
    /// the buckets it overlaps.
    #[inline]
    pub fn add_busy(&mut self, start_us: u64, end_us: u64, steal: f64) {
        let (hot_start, hot_end, b) = self.hot;
        if end_us <= start_us {
            return;
        }
        if start_us >= hot_start && end_us <= hot_end {
            self.add_busy_to(b, end_us - start_us, steal);
            return;
        }
        self.spread(start_us, end_us, |s, b, us| s.add_busy_to(b, us, steal));
    }

    /// Calls `f` with each bucket [start, end) overlaps and the µs it has there.
    fn spread(&mut self, start_us: u64, end_us: u64, mut f: impl FnMut(&mut Self, usize, u64)) {
        let mut t = start_us;
        while t < end_us {
            let b = self.bucket_of(t);
            let until = self.bucket_end(b).min(end_us);
            f(self, b, until - t);
            t = until;
        }
    }

    /// Adds a database server's busy interval [start, end) (a replica's, or the primary's).
    pub fn add_db_busy(&mut self, start_us: u64, end_us: u64, replica: bool) {
        let end_us = end_us.min(self.horizon_us);
        self.spread(start_us, end_us, |s, b, us| {
            let db = &mut s.at(b).db;
            if replica { db.replica_busy_us += us } else { db.primary_busy_us += us }
        });
    }

    /// Counts a query of a request arrived at `arrival`, which waited `wait_us`.
    pub fn add_db_query(&mut self, arrival_us: u64, wait_us: u64) {
        let b = self.bucket_of(arrival_us);
        let db = &mut self.at(b).db;
        db.queries += 1;
        db.wait_us += wait_us;
    }

    #[inline]
    fn add_busy_to(&mut self, b: usize, busy_us: u64, steal: f64) {
        let bucket = self.at(b);
        bucket.busy_slot_us += busy_us;
        if steal > 0.0 {
            bucket.steal_busy_us += steal * busy_us as f64;
        }
    }

    /// Counts a spot interruption notice at `t` (never inside a closed bucket).
    pub fn count_interruption(&mut self, t_us: u64) {
        if t_us < self.horizon_us {
            let b = self.bucket_of(t_us);
            self.at(b).interruptions += 1;
        }
    }

    /// Adds billed use to the bucket holding `t` (< horizon, never in a closed bucket).
    pub fn add_billed(&mut self, t_us: u64, f: impl FnOnce(&mut BilledUse)) {
        let b = self.bucket_of(t_us);
        f(&mut self.at(b).billed);
    }

    /// From `t` on, the option's instances are at `levels`. Time only moves
    /// on: `t` is never inside a closed bucket.
    pub fn set_capacity(&mut self, t_us: u64, levels: Levels) {
        debug_assert!(t_us.min(self.horizon_us) >= self.capacity_since_us, "capacity changed in a closed bucket");
        self.accrue_levels(t_us);
        self.levels = levels;
    }

    /// Adds the current levels' time up to `t` to the buckets.
    fn accrue_levels(&mut self, t_us: u64) {
        let mut from = self.capacity_since_us;
        let to = t_us.min(self.horizon_us);
        let l = self.levels;
        while from < to {
            let b = self.bucket_of(from);
            let until = self.bucket_end(b).min(to);
            let bucket = self.at(b);
            let len = until - from;
            bucket.instance_us += u64::from(l.instances) * len;
            bucket.slot_us += l.slots * len;
            bucket.pending_us += u64::from(l.pending) * len;
            bucket.warming_us += u64::from(l.warming) * len;
            from = until;
        }
        self.capacity_since_us = self.capacity_since_us.max(to);
    }

    /// Closes everything at the horizon and returns the buckets.
    pub fn finish(mut self) -> io::Result<BucketFile> {
        self.set_capacity(self.horizon_us, Levels::default());
        self.close_before(self.n_buckets);
        self.closed.finish()
    }
}
