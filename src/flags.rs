//! Flags shared by `run`, `sweep` and `validate` (clap derive): the
//! `--catalog` file and how to simulate (seed, replications, threads,
//! resource limits). Below both `cli` and `sweep`, which flatten them.

use std::path::PathBuf;

use clap::Args;

/// `--catalog FILE`: shared by `run`, `sweep` and `validate`.
#[derive(Debug, Args)]
pub struct CatalogFile {
    /// A TOML file with a [catalog] table whose entries override or extend the built-in
    /// catalog (and the scenario's own [catalog]).
    #[arg(long = "catalog", value_name = "FILE")]
    pub path: Option<PathBuf>,
}

impl CatalogFile {
    /// The file's entries (none without --catalog), to be shared by every scenario read with them.
    pub fn load(&self) -> Result<std::sync::Arc<crate::catalog::UserCatalog>, crate::scenario::ScenarioError> {
        let user = self.path.as_deref().map(crate::scenario::load_catalog).transpose()?;
        Ok(std::sync::Arc::new(user.unwrap_or_default()))
    }
}

/// How to simulate: flags shared by `run` and `sweep`.
#[derive(Debug, Args)]
pub struct SimFlags {
    #[command(flatten)]
    pub catalog: CatalogFile,
    /// Override the scenario's random seed.
    #[arg(short = 's', long, value_name = "N")]
    pub seed: Option<u64>,
    /// Override the scenario's number of independent replications (CIs need >= 2).
    #[arg(short = 'r', long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub replications: Option<u32>,
    /// Worker threads (default: all cores). Results are identical for any value.
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub jobs: Option<u32>,
    /// Stop before simulating if the expected number of requests (over all
    /// options, replications and sweep points) is above this.
    #[arg(long, value_name = "N", default_value_t = crate::limits::DEFAULT_MAX_REQUESTS)]
    pub max_requests: u64,
    /// Stop before simulating if the expected number of rare events (neighbour
    /// redraws, failures, outages, autoscaling evaluations, scheduled changes;
    /// over all options, replications and sweep points) is above this.
    #[arg(long, value_name = "N", default_value_t = crate::limits::DEFAULT_MAX_EVENTS)]
    pub max_events: u64,
    /// Stop before simulating if a scenario's time series (kept in temporary
    /// files) would take more than this many GiB.
    #[arg(long, value_name = "GIB", default_value_t = crate::limits::DEFAULT_MAX_MEMORY_GIB)]
    pub max_memory: u64,
}

impl SimFlags {
    /// The resource limits from --max-requests, --max-events and --max-memory.
    pub fn limits(&self) -> crate::limits::Limits {
        crate::limits::Limits {
            max_requests: self.max_requests,
            max_events: self.max_events,
            max_memory_gib: self.max_memory,
        }
    }

    /// Applies --seed and --replications to a loaded scenario.
    pub fn apply(&self, s: &mut crate::model::Scenario) {
        if let Some(seed) = self.seed {
            s.seed = seed;
        }
        if let Some(r) = self.replications {
            s.replications = r;
        }
    }

    /// Worker threads for rayon (0: all cores).
    pub fn threads(&self) -> usize {
        self.jobs.map_or(0, |j| j as usize)
    }
}
