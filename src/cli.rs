//! Command-line definitions (clap derive). Every command's help ends with an example.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::flags::{CatalogFile, SimFlags};
use crate::import::filter::{StatusRange, status_list};
use crate::import::format::{FormatChoice, UnitChoice};

/// hostsim: what will each way of hosting a web application cost, and what
/// latency will its users see, under your traffic?
#[derive(Debug, Parser)]
#[command(name = "hostsim", version, about, long_about = None, after_help = "Example:\n  hostsim init my-site.toml && hostsim run my-site.toml\n\nExit codes: 0 success, 1 runtime failure (I/O), 2 invalid input, 130 interrupted (Ctrl-C; unfinished output removed).")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Colour errors and tables: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, global = true, value_enum, default_value_t, value_name = "WHEN")]
    pub color: crate::color::When,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate scenarios and write CSV and JSON reports, report.html (and charts) under --out; print each ranking.
    #[command(after_help = format!(
        "Ranking (printed, ranking.csv, --export-markdown): {}.\n\n\
         Example:\n  hostsim run scenarios/quickstart.toml --replications 5 --out output --export-markdown ranking.md",
        crate::report::ranking::RULE
    ))]
    Run(RunArgs),
    /// Check scenario files without simulating; prints "ok: <file>" and the plan of each
    /// (expected requests, mean and peak rate, each option's load against its cores).
    #[command(after_help = "Examples:\n  hostsim validate scenarios/*.toml --catalog my-prices.toml\n  \
                            hostsim validate --quiet my-site.toml\n\n\
                            Every file is checked, and every error of a file is shown (up to 20); exit 2 if any file is invalid.")]
    Validate {
        /// Scenario files (TOML); - reads one from standard input.
        #[arg(required = true, value_parser = crate::scenario::path_or_stdin)]
        scenarios: Vec<PathBuf>,
        #[command(flatten)]
        catalog: CatalogFile,
        /// Print only "ok: <file>", not the plan.
        #[arg(short = 'q', long)]
        quiet: bool,
    },
    /// Write a commented starter scenario (refuses to overwrite).
    #[command(after_help = "Example:\n  hostsim init my-site.toml")]
    Init {
        /// Where to write it.
        #[arg(default_value = "scenario.toml")]
        path: PathBuf,
        /// Print nothing on success (errors still go to stderr).
        #[arg(short = 'q', long)]
        quiet: bool,
    },
    /// Run a scenario at every combination of --set values; write sweep.csv and sweep.png.
    #[command(after_help = crate::sweep::SWEEP_EXAMPLES)]
    Sweep(crate::sweep::SweepArgs),
    /// Merge the shard directories of a sweep into the sweep.csv an unsharded run writes.
    #[command(after_help = crate::sweep::MERGE_EXAMPLES)]
    Merge(crate::sweep::MergeArgs),
    /// Print a shell completion script for hostsim on stdout.
    #[command(
        after_help = "Examples:\n  hostsim completions bash > ~/.local/share/bash-completion/completions/hostsim\n  \
                            hostsim completions zsh > ~/.zfunc/_hostsim\n  \
                            hostsim completions fish > ~/.config/fish/completions/hostsim.fish"
    )]
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the JSON Schema of scenario files on stdout (for completion and checking in editors).
    #[command(after_help = "Example:\n  hostsim schema > hostsim.schema.json\n\n\
                            Then start a scenario with the line  #:schema ./hostsim.schema.json  (Taplo, Even Better TOML),\n\
                            or associate it with scenarios/*.toml in .taplo.toml (see the README's Scenario reference).")]
    Schema,
    /// Print hostsim's manual page (roff) on stdout.
    #[command(after_help = "Example:\n  hostsim man > hostsim.1 && man ./hostsim.1")]
    Man,
    /// Read web server access logs into a trace, a fitted workload and a runnable scenario.
    #[command(after_help = IMPORT_EXAMPLES)]
    Import(ImportArgs),
    /// Redraw the PNG charts of an output directory from its CSV files.
    #[command(after_help = "Example:\n  hostsim chart output/quickstart")]
    Chart {
        /// An output directory written by `hostsim run`.
        dir: PathBuf,
        /// Print nothing on success (errors still go to stderr).
        #[arg(short = 'q', long)]
        quiet: bool,
    },
    /// Write an output directory's report.html again from its files (after `hostsim chart`, say).
    #[command(
        after_help = "Example:\n  hostsim report output/quickstart && xdg-open output/quickstart/report.html\n\n\
                            One self-contained page (charts inline, nothing fetched): the ranking, costs, charts, the \
                            scenario and the command that ran it. Exit 2 if DIR is not a run's output folder."
    )]
    Report {
        /// An output directory written by `hostsim run`.
        dir: PathBuf,
        /// Print nothing on success (errors still go to stderr).
        #[arg(short = 'q', long)]
        quiet: bool,
    },
    /// Compare two runs' outputs: per option in both, the change in cost, p50, p99, success and mean instances.
    #[command(after_help = "Examples:\n  hostsim compare output/before/quickstart output/after/quickstart\n  \
                            hostsim compare old/my-site new/my-site --format markdown > changes.md\n\n\
                            A change is marked * where it exceeds both runs' 95 % confidence intervals combined \
                            (needs --replications 2 or more). Exit 0 whatever changed; 2 if a folder is not a run's output.")]
    Compare {
        /// The first run's output folder (e.g. output/quickstart).
        dir_a: PathBuf,
        /// The second run's output folder.
        dir_b: PathBuf,
        /// table: aligned columns; markdown: a table to paste; json: for programs.
        #[arg(long, value_enum, default_value = "table")]
        format: CompareFormat,
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
    /// Scenario files (TOML); each writes OUT/<scenario name>/; - reads one from standard input.
    #[arg(required = true, value_parser = crate::scenario::path_or_stdin)]
    pub scenarios: Vec<PathBuf>,
    /// Output directory.
    #[arg(short = 'o', long, default_value = "output", value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub sim: SimFlags,
    /// No progress bar and no ranking table.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Do not render PNG charts.
    #[arg(long)]
    pub no_charts: bool,
    /// Also write the ranking as a Markdown table (for a pull request or an issue) to FILE,
    /// one section per scenario; replaced whole once every scenario has run.
    #[arg(long, value_name = "FILE")]
    pub export_markdown: Option<PathBuf>,
}

/// How `compare` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CompareFormat {
    Table,
    Markdown,
    Json,
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
    /// AWS Lambda prices per region (all regions unless --region), Cloud Run rates by tier, free tiers, measured Lambda cold starts.
    Serverless,
    /// Managed databases: RDS classes and storage (us-east-1 unless --region), Heroku Postgres plans.
    Database,
    /// Grid carbon intensity per AWS region (all unless --region) and Google Cloud region, PUEs, embodied emissions, EC2 power by load.
    Carbon,
}

/// How to print the entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for reading, sources as numbered notes.
    Table,
    /// One row per entry with the full source text, for tools.
    Csv,
}

const IMPORT_EXAMPLES: &str = "Examples:\n  \
    hostsim import /var/log/nginx/access.log* --out my-site\n  \
    hostsim import NASA_access_log_Jul95.gz NASA_access_log_Aug95.gz --out nasa-import\n  \
    hostsim import app.jsonl --time-field ts --duration-field elapsed_ms --out my-api\n  \
    hostsim import access.log --filter-status 2xx,3xx --exclude '^/static/|\\.(css|js|png)$' --out my-site\n\n\
    Writes DIR/trace.csv.gz, DIR/durations.csv, DIR/workload.toml and DIR/scenario.toml, then:\n  \
    hostsim run my-site/scenario.toml";

/// Flags of `hostsim import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Access logs, plain or gzip-compressed; several files (e.g. rotated logs) make one trace.
    #[arg(required = true, value_name = "LOG")]
    pub logs: Vec<PathBuf>,
    /// The directory to write (created, or replaced whole if an earlier import wrote it).
    #[arg(short = 'o', long, value_name = "DIR", required = true)]
    pub out: PathBuf,
    /// Print nothing on success: no summary (errors still go to stderr).
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// The log format (auto: recognised from each file's first 100 lines).
    #[arg(long, value_enum, default_value = "auto")]
    pub format: FormatChoice,
    /// JSON lines: the field holding each request's time (default: the first present of
    /// time, timestamp, @timestamp, ts, time_iso8601, time_local, msec, date).
    #[arg(long, value_name = "NAME")]
    pub time_field: Option<String>,
    /// JSON lines: the field holding each request's duration (default: the first present of
    /// request_time, duration, response_time, elapsed, latency, duration_ms, …).
    #[arg(long, value_name = "NAME")]
    pub duration_field: Option<String>,
    /// The unit request times are logged in.
    #[arg(long, value_enum, default_value = "auto")]
    pub duration_unit: UnitChoice,
    /// Width of one trace row, a whole number of seconds.
    #[arg(long, value_name = "DURATION", default_value = "1m", value_parser = bucket_seconds)]
    pub bucket: u64,
    /// Count only these statuses: classes and codes, e.g. 2xx,3xx or 200,304.
    #[arg(long, value_name = "LIST", value_parser = statuses)]
    pub filter_status: Option<Statuses>,
    /// Leave out requests whose target (path and query) matches this regular expression,
    /// e.g. static assets a CDN serves; may be repeated.
    #[arg(long, value_name = "REGEX", value_parser = pattern)]
    pub exclude: Vec<regex::Regex>,
    /// Fail (exit 2, nothing written) if more than this share of the lines cannot be read.
    #[arg(long, value_name = "PERCENT", default_value = "1%", value_parser = percent)]
    pub max_bad: f64,
    /// The share of a logged request time that is CPU time: the workload's cpu is this
    /// times the logged time (see workload.toml's comments).
    #[arg(long, value_name = "F", default_value = "1", value_parser = share)]
    pub cpu_share: f64,
}

/// `--filter-status`'s list, as one value.
#[derive(Clone, Debug)]
pub struct Statuses(pub Vec<StatusRange>);

fn statuses(text: &str) -> Result<Statuses, String> {
    status_list(text).map(Statuses)
}

/// `--bucket`: a duration of whole seconds, at least one.
fn bucket_seconds(text: &str) -> Result<u64, String> {
    let t = crate::scenario::parse_duration(text)?;
    if t.0 == 0 || !t.0.is_multiple_of(crate::time::SimTime::MICROS_PER_SEC) {
        return Err(format!("\"{text}\": the bucket must be a whole number of seconds, e.g. \"1m\" or \"1s\""));
    }
    Ok(t.0 / crate::time::SimTime::MICROS_PER_SEC)
}

fn pattern(text: &str) -> Result<regex::Regex, String> {
    regex::Regex::new(text).map_err(|e| e.to_string())
}

/// `--max-bad`: a percentage with its sign, 0% to 100%, as a fraction.
fn percent(text: &str) -> Result<f64, String> {
    let number = text.trim().strip_suffix('%').ok_or_else(|| format!("\"{text}\": write a percentage like 1%"))?;
    match number.trim().parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) => Ok(p / 100.0),
        _ => Err(format!("\"{text}\": expected a percentage from 0% to 100%, like 1%")),
    }
}

/// `--cpu-share`: a fraction in (0, 1].
fn share(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(f) if f > 0.0 && f <= 1.0 => Ok(f),
        _ => Err(format!("\"{text}\": expected a fraction above 0 and at most 1, e.g. 0.4")),
    }
}
