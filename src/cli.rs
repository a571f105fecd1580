//! Command-line definitions (clap derive). Every command's help ends with an example.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::flags::{CatalogFile, SimFlags};

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
    /// Check scenario files without simulating; prints "ok: <file>" and the plan of each
    /// (expected requests, mean and peak rate, each option's load against its cores).
    #[command(after_help = "Examples:\n  hostsim validate scenarios/*.toml --catalog my-prices.toml\n  \
                            hostsim validate --quiet my-site.toml\n\n\
                            Every file is checked, and every error of a file is shown (up to 20); exit 2 if any file is invalid.")]
    Validate {
        /// Scenario files (TOML).
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
        #[command(flatten)]
        catalog: CatalogFile,
        /// Print only "ok: <file>", not the plan.
        #[arg(long)]
        quiet: bool,
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
    /// Print the price catalog (EC2, VPS plans, dynos, power, colocation, spot, egress) with source and date.
    #[command(after_help = "Examples:\n  hostsim catalog --kind ec2 | grep m5.large\n  \
                            hostsim catalog --kind ec2 --region eu-west-2\n  \
                            hostsim catalog --kind reserved --region eu-west-2\n  \
                            hostsim catalog --kind vps --format csv --catalog my-prices.toml\n  \
                            hostsim catalog --kind spot --region eu-west-2 | grep m5.large\n  \
                            hostsim catalog --kind egress --region eu-west-2")]
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

/// Flags of `hostsim catalog`.
#[derive(Debug, Args)]
pub struct CatalogArgs {
    /// Only this kind of entry.
    #[arg(long, value_enum)]
    pub kind: Option<Section>,
    /// Prices in this AWS region (e.g. eu-west-2) or a city that hosts one (e.g. london);
    /// regional tables only (EC2 without it: us-east-1).
    #[arg(long, value_name = "REGION", value_parser = aws_region)]
    pub region: Option<&'static str>,
    /// table: aligned columns with numbered sources; csv: one row per entry with the full source.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Show the built-ins with this file's [catalog] entries over them.
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
}

/// `--region`: the AWS region a name stands for.
fn aws_region(written: &str) -> Result<&'static str, String> {
    crate::scenario::aws_region::parse(written)
}

/// Which entries to list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Section {
    /// EC2 instance types (Linux on-demand; us-east-1 unless --region).
    Ec2,
    /// VPS plans.
    Vps,
    /// Heroku dyno types.
    Dyno,
    /// EC2 standard reserved instances: effective USD per hour (us-east-1 unless --region).
    Reserved,
    /// EBS volume prices (us-east-1).
    Ebs,
    /// Load balancer prices (us-east-1) and what an LCU buys.
    Elb,
    /// Server power draw, electricity prices, PUE.
    Power,
    /// Colocation prices.
    Colo,
    /// EC2 spot prices and interruption bands, per instance type and AWS region.
    Spot,
    /// AWS data transfer out to the internet, per GB by monthly volume tier.
    Egress,
}

/// How to print the entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for reading, sources as numbered notes.
    Table,
    /// One row per entry with the full source text, for tools.
    Csv,
}
