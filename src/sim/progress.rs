//! Progress of a run's jobs: counters the engine advances as buckets close
//! and the progress bar reads (shared between threads).

use std::sync::atomic::{AtomicU64, Ordering};

/// What the jobs of a run have done so far.
#[derive(Debug, Default)]
pub struct Counters {
    /// Simulated microseconds, summed over jobs.
    pub simulated_us: AtomicU64,
    /// Requests settled, summed over jobs.
    pub requests: AtomicU64,
}

impl Counters {
    pub fn add(&self, simulated_us: u64, requests: u64) {
        self.simulated_us.fetch_add(simulated_us, Ordering::Relaxed);
        self.requests.fetch_add(requests, Ordering::Relaxed);
    }
}
