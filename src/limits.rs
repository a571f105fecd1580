//! Resource limits checked before anything is simulated: the expected
//! number of requests (time), and the size of the time series (temporary
//! files) plus what stays in memory meanwhile (the user catalog, a sweep's
//! points). A scenario above a limit is invalid input (exit 2) with a
//! message naming the flag that raises the limit.

use crate::scenario::model::Scenario;
use crate::sim::series::BucketStats;
use crate::traffic::profile::{RateProfile, expected_requests};

/// Default of `--max-requests`: requests simulated by one command, summed
/// over options, replications (and sweep points).
pub const DEFAULT_MAX_REQUESTS: u64 = 1_000_000_000;

/// Default of `--max-memory` in GiB: the time series of one scenario (kept in
/// temporary files until the reports are written) and what is held in memory
/// meanwhile.
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
    /// Bytes held in memory meanwhile: the user catalog, and in a sweep
    /// what validation keeps of every point.
    pub held_bytes: f64,
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
    Estimate {
        requests: per_job * jobs,
        memory_bytes: jobs * (buckets * bucket_bytes + PER_JOB_BYTES),
        held_bytes: s.catalog.approx_bytes() as f64,
    }
}

impl Limits {
    /// Checks the memory of one scenario; `what` names it in the message.
    pub fn check_memory(&self, what: &str, e: &Estimate) -> Result<(), String> {
        let gib = |bytes: f64| bytes / (1u64 << 30) as f64;
        let total = gib(e.memory_bytes + e.held_bytes);
        if total > self.max_memory_gib as f64 {
            return Err(format!(
                "{what}: would need about {total:.1} GiB ({:.1} GiB of time series in temporary files, {:.1} GiB \
                 of catalog and sweep points in memory), above the limit of {} GiB; use a wider bucket, a shorter \
                 horizon, fewer replications or fewer sweep points, or raise the limit with --max-memory {}",
                gib(e.memory_bytes),
                gib(e.held_bytes),
                self.max_memory_gib,
                total.ceil() as u64
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
        let gib = (1u64 << 30) as f64;
        let big = Estimate { requests: 0.0, memory_bytes: 2.5 * gib, held_bytes: 0.0 };
        let err = limits.check_memory("x.toml", &big).unwrap_err();
        assert!(err.contains("--max-memory 3"), "{err}");
        // What is held in memory counts too.
        let held = Estimate { requests: 0.0, memory_bytes: 0.5 * gib, held_bytes: 0.6 * gib };
        let err = limits.check_memory("x.toml", &held).unwrap_err();
        assert!(err.contains("about 1.1 GiB (0.5 GiB of time series") && err.contains("0.6 GiB of catalog"), "{err}");
        assert!(err.contains("--max-memory 2"), "{err}");
    }

    #[test]
    fn scenarios_share_the_catalog_file_and_the_estimate_counts_it() {
        use std::borrow::Cow;
        use std::path::Path;
        use std::sync::Arc;

        use crate::catalog::Provenance;
        use crate::catalog::user::{UserCatalog, VpsEntry};
        use crate::scenario::{parse_str, parse_tree, validate_tree_with};

        let text = "horizon = \"1h\"\n[traffic]\nbase_rps = 1\n[workload]\ncpu = { dist = \"constant\", value = \"1ms\" }\n\
                    [[option]]\nname = \"a\"\nkind = \"bare_metal\"\nregion = \"washington\"\nservers = 1\ncores = 1\n";
        let mut file = UserCatalog::default();
        for i in 0..1367 {
            let source = Cow::Owned(format!("a provider's price list, page {i}"));
            let entry = VpsEntry {
                provider: None,
                vcpus: Some(2),
                memory_gb: None,
                monthly_usd: Some(10.0),
                hourly_usd: None,
                provenance: Provenance { source, date: Cow::Borrowed("2026-01-01") },
            };
            file.vps.insert(format!("plan-{i}"), entry);
        }
        let file = Arc::new(file);
        let path = Path::new("s.toml");
        let tree = parse_tree(text, path).unwrap();
        let points: Vec<_> = (0..2).map(|_| validate_tree_with(&tree, text, path, &file).unwrap()).collect();
        assert!(points.iter().all(|s| Arc::ptr_eq(s.catalog.file(), &file)), "each point shares the one copy");
        let extra = estimate(&points[0]).held_bytes - estimate(&parse_str(text, path).unwrap()).held_bytes;
        assert!(extra >= 1367.0 * 420.0, "the catalog counts in the estimate: {extra} bytes");
    }
}
