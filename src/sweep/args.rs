//! The flags of `hostsim sweep` and `hostsim merge` (clap derive).

use std::path::PathBuf;

use clap::{ArgGroup, Args, ValueEnum};

use super::shard::ShardArg;

/// The examples at the end of `hostsim sweep --help`.
pub const SWEEP_EXAMPLES: &str = "Examples:
  hostsim sweep shop.toml --set option.web.servers=1..8 --set traffic.base_rps=50,100
  hostsim sweep shop.toml --set option.web.servers=1..8 --optimize cost --subject-to slo
  hostsim sweep shop.toml --set option.web.servers=1..8 --shard 2/3 --out shards
  hostsim sweep shop.toml --link option.colo.cores=4,8,16 --link option.colo.price_usd=3000,4500,7000
      (3 points: 4 cores at $3000, 8 at $4500, 16 at $7000; --link keys go in step)
  hostsim sweep shop.toml --set option.web.servers=1..64 --optimize cost --subject-to slo \
      --search bisect option.web.servers
      (the fewest servers meeting the SLO in at most 7 simulations instead of 64)

Writes OUT/<name>-sweep/: sweep.csv, sweep.png, sweep.toml (and optimum.csv, search.csv).";

/// The examples at the end of `hostsim merge --help`.
pub const MERGE_EXAMPLES: &str = "Examples:
  hostsim merge shards/shop-sweep-shard-1-of-3 shards/shop-sweep-shard-2-of-3 shards/shop-sweep-shard-3-of-3
  hostsim merge shards --out output    (every shard directory inside shards/)";

/// What `--optimize` minimises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Objective {
    /// Total cost over the horizon (`total_cost_usd`).
    Cost,
    /// Emissions over the horizon (`co2e_kg`, location-based).
    Carbon,
}

impl Objective {
    /// The flag's value, as `sweep.toml` records it.
    pub fn as_str(self) -> &'static str {
        match self {
            Objective::Cost => "cost",
            Objective::Carbon => "carbon",
        }
    }
}

/// What `--subject-to` requires.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Constraint {
    /// The scenario's `[slo]` (`meets_slo = true`).
    Slo,
}

/// Flags of `hostsim sweep`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("values").required(true).multiple(true).args(["set", "link"])))]
pub struct SweepArgs {
    /// Scenario file (TOML); - reads it from standard input.
    #[arg(value_parser = crate::scenario::path_or_stdin)]
    pub scenario: PathBuf,
    /// A dotted key and its values: a comma list (2,4,8 or "30s","60s") or a
    /// range START..END:STEP (50..500:50, 30s..2m:30s). Repeat for more keys:
    /// every combination runs, the first key varying slowest.
    #[arg(long = "set", value_name = "KEY=VALUES")]
    pub set: Vec<String>,
    /// A dotted key and its values, as --set, that varies together with the
    /// other --link keys instead of being multiplied: value i of every --link
    /// key makes one point (each needs as many values). The linked keys are
    /// one more axis of the --set product, varying fastest.
    #[arg(long = "link", value_name = "KEY=VALUES")]
    pub link: Vec<String>,
    /// Output directory: writes OUT/<scenario name>-sweep/ (or, with --shard,
    /// OUT/<scenario name>-sweep-shard-I-of-N/).
    #[arg(short = 'o', long, default_value = "output", value_name = "DIR")]
    pub out: PathBuf,
    /// Run only shard I of N (1-based: points whose index modulo N is I-1).
    /// `auto/N` takes I from JOB_COMPLETION_INDEX (Kubernetes, 0-based) or
    /// SLURM_ARRAY_TASK_ID (counted from SLURM_ARRAY_TASK_MIN); `auto` alone
    /// takes N from SLURM_ARRAY_TASK_COUNT.
    #[arg(long, value_name = "I/N|auto/N|auto")]
    pub shard: Option<ShardArg>,
    /// Find, per option, the cheapest (cost) or lowest-emission (carbon)
    /// point (needs --subject-to slo).
    #[arg(long, value_enum, value_name = "OBJECTIVE", requires = "subject_to")]
    pub optimize: Option<Objective>,
    /// With --optimize: leave out points whose total_cost_usd is above USD.
    #[arg(long, value_name = "USD", requires = "optimize", value_parser = max_cost)]
    pub max_cost: Option<f64>,
    /// The constraint of --optimize: the scenario's [slo].
    #[arg(long, value_enum, value_name = "CONSTRAINT", requires = "optimize")]
    pub subject_to: Option<Constraint>,
    /// `bisect KEY`: instead of every value of the one --set KEY, bisect its
    /// sorted values for the smallest meeting the SLO (needs --optimize cost
    /// --subject-to slo), trusting that more capacity never misses it where
    /// less meets it. KEY is an option's count: servers, instances, dynos,
    /// initial, autoscaling.min or autoscaling.max (a hybrid's inside
    /// baseline or burst). Writes search.csv, the values tried in order.
    #[arg(long, num_args = 2, value_names = ["METHOD", "KEY"])]
    pub search: Vec<String>,
    /// Seed, replications (at every point), threads and resource limits.
    #[command(flatten)]
    pub sim: crate::flags::SimFlags,
    /// No progress bar and nothing on stdout.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Do not render sweep.png.
    #[arg(long)]
    pub no_charts: bool,
    /// For tests: simulate every option at every point, even when an earlier
    /// point simulated the same option with the same scenario-wide keys.
    #[arg(long, hide = true)]
    pub no_reuse: bool,
    /// For benchmarks: print the time of validation, simulation, assembly and
    /// writing, and bookkeeping as a share of simulation, on stderr.
    #[arg(long, hide = true)]
    pub timings: bool,
}

/// Flags of `hostsim merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Shard directories written by `sweep --shard`, or directories holding them.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Output directory: writes OUT/<scenario name>-sweep/, as an unsharded sweep does.
    #[arg(short = 'o', long, default_value = "output", value_name = "DIR")]
    pub out: PathBuf,
    /// Nothing on stdout.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Do not render sweep.png.
    #[arg(long)]
    pub no_charts: bool,
}

/// `--max-cost`: a finite amount, 0 or more.
fn max_cost(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(usd) if usd.is_finite() && usd >= 0.0 => Ok(usd),
        _ => Err(format!("expected an amount in USD, 0 or more (e.g. 250), got \"{text}\"")),
    }
}
