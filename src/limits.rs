//! Resource limits checked before anything is simulated: the expected
//! number of requests (time) and the size of the time series (temporary files). A
//! scenario above a limit is invalid input (exit 2) with a message naming
//! the flag that raises the limit.

use crate::scenario::model::Scenario;
use crate::sim::series::BucketStats;
use crate::traffic::profile::{RateProfile, expected_requests};

/// Default of `--max-requests`: requests simulated by one command, summed
/// over options, replications (and sweep points).
pub const DEFAULT_MAX_REQUESTS: u64 = 1_000_000_000;

/// Default of `--max-memory` in GiB: the time series of one scenario (kept in
/// temporary files until the reports are written).
pub const DEFAULT_MAX_MEMORY_GIB: u64 = 4;

/// Fixed memory per job besides its buckets (histograms, bookkeeping).
const PER_JOB_BYTES: f64 = 1024.0 * 1024.0;

/// What running a scenario will take, estimated from its file alone.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// Expected arrivals, summed over options and replications.
    pub requests: f64,
    /// Bytes of per-bucket statistics kept (in temporary files) until the reports are written.
    pub memory_bytes: f64,
}

/// The limits in force (from the command line).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    pub max_requests: u64,
    pub max_memory_gib: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_requests: DEFAULT_MAX_REQUESTS, max_memory_gib: DEFAULT_MAX_MEMORY_GIB }
    }
}

/// Estimates requests and memory of one scenario.
pub fn estimate(s: &Scenario) -> Estimate {
    let jobs = s.options.len() as f64 * f64::from(s.replications);
    let per_job = expected_requests(&RateProfile::new(&s.traffic), s.horizon);
    let buckets = s.horizon.0.div_ceil(s.bucket.0.max(1)) as f64;
    // Each job writes its buckets twice: as measured, then priced.
    let bucket_bytes = 2.0 * std::mem::size_of::<BucketStats>() as f64;
    Estimate { requests: per_job * jobs, memory_bytes: jobs * (buckets * bucket_bytes + PER_JOB_BYTES) }
}

impl Limits {
    /// Checks the memory of one scenario; `what` names it in the message.
    pub fn check_memory(&self, what: &str, e: &Estimate) -> Result<(), String> {
        let gib = e.memory_bytes / (1u64 << 30) as f64;
        if gib > self.max_memory_gib as f64 {
            return Err(format!(
                "{what}: the time series would need about {gib:.1} GiB of temporary files, above the limit of {} GiB; \
                 use a wider bucket, a shorter horizon or fewer replications, or raise the limit with \
                 --max-memory {}",
                self.max_memory_gib,
                gib.ceil() as u64
            ));
        }
        Ok(())
    }

    /// Checks the total expected requests; `what` names the run in the message.
    pub fn check_requests(&self, what: &str, requests: f64) -> Result<(), String> {
        if requests > self.max_requests as f64 {
            return Err(format!(
                "{what}: would simulate about {requests:.3e} requests, above the limit of {:.0e}; \
                 shorten the horizon, lower the traffic or use fewer replications, or raise the limit \
                 with --max-requests {}",
                self.max_requests as f64,
                round_up(requests)
            ));
        }
        Ok(())
    }
}

/// `x` rounded up to two significant digits, as an integer to type.
fn round_up(x: f64) -> u64 {
    let unit = 10f64.powi((x.log10().floor() as i32 - 1).max(0));
    ((x / unit).ceil() * unit) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_flag_and_a_value_that_passes() {
        let limits = Limits { max_requests: 1000, max_memory_gib: 1 };
        let err = limits.check_requests("x.toml", 12_345.0).unwrap_err();
        assert!(err.contains("--max-requests 13000"), "{err}");
        assert!(limits.check_requests("x.toml", 1000.0).is_ok());
        let big = Estimate { requests: 0.0, memory_bytes: 2.5 * (1u64 << 30) as f64 };
        let err = limits.check_memory("x.toml", &big).unwrap_err();
        assert!(err.contains("--max-memory 3"), "{err}");
    }
}
