//! The resolved scenario: every default filled in, every unit converted.
//! Produced by `scenario::load` (parse + validate); consumed by the engine,
//! the cost model and the reports. Nothing here can be invalid.

mod autoscaling;
mod commitment;
mod database;
mod egress;
mod empirical;
mod option;
mod traffic;
mod workload;

use std::path::PathBuf;

pub use autoscaling::*;
pub use commitment::*;
pub use database::*;
pub use egress::*;
pub use empirical::*;
pub use option::*;
pub use traffic::*;
pub use workload::*;

use crate::catalog::Catalog;
use crate::time::SimTime;

/// A whole, validated scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Output folder name (safe: no path separators, no "..").
    pub name: String,
    /// The file it was read from (for messages and for relative paths).
    pub source: PathBuf,
    /// The comment block at the top of the file: the question it asks
    /// (see `scenario::description`); empty if there is none.
    pub description: String,
    pub horizon: SimTime,
    /// Requests arriving before this are left out of summary statistics (not of cost).
    pub warmup: SimTime,
    /// Width of one time-series row.
    pub bucket: SimTime,
    pub seed: u64,
    pub replications: u32,
    pub slo: Option<Slo>,
    pub traffic: Traffic,
    pub workload: Workload,
    /// Round-trip times for every (user region, option region) pair in use.
    pub network: Network,
    /// The price catalog the options were read with: the built-ins with the
    /// scenario's `[catalog]` (and `--catalog FILE`) entries over them.
    pub catalog: Catalog,
    pub options: Vec<HostingOption>,
}

/// What "good enough" means; either part may be absent.
#[derive(Clone, Debug, PartialEq)]
pub struct Slo {
    pub p99_ms: Option<f64>,
    /// Minimum served / completed requests, in [0, 1].
    pub success: Option<f64>,
}

/// Round-trip times between regions, in milliseconds.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Network {
    /// Canonical region names; index = region id.
    pub regions: Vec<String>,
    /// `rtt_ms[a][b]`, symmetric, 1 ms on the diagonal.
    pub rtt_ms: Vec<Vec<f64>>,
}

impl Network {
    /// Index of a canonical region name.
    pub fn region_id(&self, name: &str) -> Option<usize> {
        self.regions.iter().position(|r| r == name)
    }

    /// RTT between two canonical regions, if known.
    pub fn rtt_ms(&self, a: &str, b: &str) -> Option<f64> {
        Some(self.rtt_ms[self.region_id(a)?][self.region_id(b)?])
    }
}
