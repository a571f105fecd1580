//! Command-line definitions (clap derive). Every command's help ends with an example.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// hostsim: what will each way of hosting a web application cost, and what
/// latency will its users see, under your traffic?
#[derive(Debug, Parser)]
#[command(name = "hostsim", version, about, long_about = None, after_help = "Example:\n  hostsim init my-site.toml && hostsim run my-site.toml\n\nExit codes: 0 success, 1 runtime failure (I/O), 2 invalid input, 130 interrupted (Ctrl-C; unfinished output removed).")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate scenarios and write CSV reports (and charts) under --out.
    #[command(after_help = "Example:\n  hostsim run scenarios/quickstart.toml --replications 5 --out output")]
    Run(RunArgs),
    /// Check scenario files without simulating; prints "ok: <file>" for each.
    #[command(after_help = "Example:\n  hostsim validate scenarios/*.toml --catalog my-prices.toml")]
    Validate {
        /// Scenario files (TOML).
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
        #[command(flatten)]
        catalog: CatalogFile,
    },
    /// Write a commented starter scenario (refuses to overwrite).
    #[command(after_help = "Example:\n  hostsim init my-site.toml")]
    Init {
        /// Where to write it.
        #[arg(default_value = "scenario.toml")]
        path: PathBuf,
    },
    /// Run a scenario at every combination of --set values; write sweep.csv and sweep.png.
    #[command(after_help = crate::sweep::SWEEP_EXAMPLES)]
    Sweep(crate::sweep::SweepArgs),
    /// Merge the shard directories of a sweep into the sweep.csv an unsharded run writes.
    #[command(after_help = crate::sweep::MERGE_EXAMPLES)]
    Merge(crate::sweep::MergeArgs),
    /// Redraw the PNG charts of an output directory from its CSV files.
    #[command(after_help = "Example:\n  hostsim chart output/quickstart")]
    Chart {
        /// An output directory written by `hostsim run`.
        dir: PathBuf,
    },
    /// Print the price catalog (EC2, VPS plans, dynos, power, colocation) with source and date.
    #[command(after_help = "Examples:\n  hostsim catalog --kind ec2 | grep m5.large\n  \
                            hostsim catalog --kind vps --format csv --catalog my-prices.toml")]
    Catalog(CatalogArgs),
}

/// Flags of `hostsim run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario files (TOML); each writes OUT/<scenario name>/.
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Output directory.
    #[arg(long, default_value = "output", value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub sim: SimFlags,
    /// No progress bar and no ranking table.
    #[arg(long)]
    pub quiet: bool,
    /// Do not render PNG charts.
    #[arg(long)]
    pub no_charts: bool,
}

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
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Override the scenario's number of independent replications (CIs need >= 2).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub replications: Option<u32>,
    /// Worker threads (default: all cores). Results are identical for any value.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
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
    pub fn apply(&self, s: &mut crate::scenario::model::Scenario) {
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

/// Flags of `hostsim catalog`.
#[derive(Debug, Args)]
pub struct CatalogArgs {
    /// Only this kind of entry.
    #[arg(long, value_enum)]
    pub kind: Option<crate::catalog::print::Section>,
    /// table: aligned columns with numbered sources; csv: one row per entry with the full source.
    #[arg(long, value_enum, default_value = "table")]
    pub format: crate::catalog::print::Format,
    /// Show the built-ins with this file's [catalog] entries over them.
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
}
