//! The text of `workload.toml` and `scenario.toml`: the fitted request-time
//! distribution with every candidate in comments, and a scenario that runs
//! as written (the trace beside it, the fitted workload, one placeholder
//! option sized from the observed peak).

use std::fmt::Write;

use super::buckets::Span;
use super::durations::Observed;
use crate::model::Dist;
use crate::scenario::toml_value;
use crate::stats::fit::Candidate;
use crate::stdout::grouped;

/// The trace file's name in the output directory.
pub const TRACE_FILE: &str = "trace.csv.gz";
/// The logged request times, for `{ dist = "empirical", file = … }`.
pub const DURATIONS_FILE: &str = "durations.csv";
/// Request time assumed when the logs have none (the scenario says so).
const PLACEHOLDER_CPU: Dist = Dist::Exponential { mean_s: 0.05 };
/// The placeholder option's instance type, its vCPUs, and the CPU
/// utilisation its size aims at.
const PLACEHOLDER_INSTANCE: &str = "m5.large";
const PLACEHOLDER_VCPUS: f64 = 2.0;
const PLACEHOLDER_TARGET: f64 = 0.6;

/// The request-time fit, or why there is none.
#[derive(Debug)]
pub enum Fit {
    /// Candidates best AIC first, what was logged, and `--cpu-share`.
    Fitted {
        candidates: Vec<Candidate>,
        observed: Observed,
        cpu_share: f64,
    },
    None {
        why: String,
    },
}

impl Fit {
    /// The workload's `cpu`: the best candidate scaled by `--cpu-share`.
    pub fn cpu(&self) -> Option<Dist> {
        match self {
            Fit::Fitted { candidates, cpu_share, .. } => candidates.first().map(|c| scaled(&c.dist, *cpu_share)),
            Fit::None { .. } => None,
        }
    }
}

/// `d` with every duration multiplied by `f` (shapes and cvs unchanged),
/// its numbers rounded to 4 significant digits, what a person reads (the
/// fit's own uncertainty is larger).
pub fn scaled(d: &Dist, f: f64) -> Dist {
    match *d {
        Dist::Exponential { mean_s } => Dist::Exponential { mean_s: round4(mean_s * f) },
        Dist::Lognormal { mean_s, cv } => Dist::Lognormal { mean_s: round4(mean_s * f), cv: round4(cv) },
        Dist::Gamma { mean_s, cv } => Dist::Gamma { mean_s: round4(mean_s * f), cv: round4(cv) },
        Dist::Weibull { median_s, shape, min_s, max_s } => Dist::Weibull {
            median_s: round4(median_s * f),
            shape: round4(shape),
            min_s: round4(min_s * f),
            max_s: round4(max_s * f),
        },
        ref other => other.clone(),
    }
}

/// A fitted distribution as an inline table with durations in the unit
/// that reads best (`"49.83ms"` rather than `"49830us"`).
pub fn dist_text(d: &Dist) -> String {
    let family = |name: &str| toml_value::string(name);
    match *d {
        Dist::Exponential { mean_s } => {
            toml_value::inline(&[("dist", family("exponential")), ("mean", duration(mean_s))])
        }
        Dist::Lognormal { mean_s, cv } => toml_value::inline(&[
            ("dist", family("lognormal")),
            ("mean", duration(mean_s)),
            ("cv", toml_value::number(cv)),
        ]),
        Dist::Gamma { mean_s, cv } => {
            toml_value::inline(&[("dist", family("gamma")), ("mean", duration(mean_s)), ("cv", toml_value::number(cv))])
        }
        Dist::Weibull { median_s, shape, .. } => toml_value::inline(&[
            ("dist", family("weibull")),
            ("median", duration(median_s)),
            ("shape", toml_value::number(shape)),
        ]),
        ref other => toml_value::dist(other),
    }
}

/// A duration string in s, ms or us, whichever keeps the number at 1 or more.
fn duration(s: f64) -> String {
    let (value, unit) = match s {
        s if s >= 1.0 => (s, "s"),
        s if s >= 1e-3 => (s * 1e3, "ms"),
        s => (s * 1e6, "us"),
    };
    format!("\"{}{unit}\"", round4(value))
}

/// `x` to 4 significant digits.
fn round4(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(3 - x.abs().log10().floor() as i32);
    (x * scale).round() / scale
}

/// A count or rate for people: whole numbers grouped (1,888), others with a decimal.
pub fn amount(x: f64) -> String {
    if x.fract() == 0.0 && x >= 0.0 { grouped(x as u64) } else { format!("{x:.1}") }
}

/// A duration in seconds for people: "52.3 ms", "1.20 s".
pub fn ms(s: f64) -> String {
    if s >= 1.0 { format!("{s:.2} s") } else { format!("{:.1} ms", s * 1e3) }
}

/// The caution every fitted workload carries.
const QUEUEING: &str = "\
# A logged request time is the server's whole response time: CPU, but also
# waiting for a worker (queueing on the old server), the database, other
# services and the client's network. hostsim adds its own queueing on top,
# so the fit overstates the demand of a busy server. To get closer to the
# service demand: import only the quietest hours (e.g. filter the log to the
# night before importing), where queueing is least, or scale by the share
# you know is CPU with --cpu-share (e.g. 0.4 when a profile shows 40 % of a
# request's time on the CPU).
";

/// `workload.toml`: a `[workload]` table with the best fit, the others and
/// the empirical distribution in comments.
pub fn workload_toml(sources: &str, fit: &Fit) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "# Request times from {sources}, written by `hostsim import`.");
    match fit {
        Fit::None { why } => {
            let _ = writeln!(t, "# No workload was fitted: {why}.");
            let _ = writeln!(
                t,
                "# scenario.toml uses a placeholder cpu = {}; measure your own.",
                dist_text(&PLACEHOLDER_CPU)
            );
        }
        Fit::Fitted { candidates, observed: o, cpu_share } => {
            let _ = writeln!(
                t,
                "# {} request times: mean {}, median {}, p90 {}, p99 {} (as logged).",
                grouped(o.count),
                ms(o.mean_s),
                ms(o.p50_s),
                ms(o.p90_s),
                ms(o.p99_s)
            );
            if o.zeros > 0 {
                let _ = writeln!(
                    t,
                    "# {} were logged as 0 (below the log's resolution): fitted at half the smallest time logged.",
                    grouped(o.zeros)
                );
            }
            if *cpu_share != 1.0 {
                let _ = writeln!(
                    t,
                    "# Scaled by --cpu-share {cpu_share}: cpu = {cpu_share} × the logged time (durations.csv too)."
                );
            }
            let _ = writeln!(t, "#\n# Fitted by maximum likelihood, best first by AIC (lower is better); KS is the");
            let _ = writeln!(t, "# largest gap between the fitted and the logged distribution functions:");
            for c in candidates {
                let _ = writeln!(
                    t,
                    "#   {:<12} AIC {:>14.1}   KS {:.4}   {}",
                    c.family.to_string(),
                    c.aic,
                    c.ks_distance,
                    dist_text(&scaled(&c.dist, *cpu_share))
                );
            }
            let _ = writeln!(
                t,
                "# Or replay the logged times themselves (inverse CDF of the histogram in {DURATIONS_FILE}):"
            );
            let _ = writeln!(t, "# cpu = {{ dist = \"empirical\", file = \"{DURATIONS_FILE}\" }}");
            let _ = writeln!(t, "#");
            t.push_str(QUEUEING);
        }
    }
    t.push_str("\n[workload]\n");
    let _ = writeln!(t, "cpu = {}", dist_text(&fit.cpu().unwrap_or(PLACEHOLDER_CPU)));
    t
}

/// What the scenario's comments and placeholder sizing need to know.
#[derive(Debug)]
pub struct Facts<'a> {
    pub name: &'a str,
    pub sources: &'a str,
    /// The output directory, as the user named it (for the commands shown).
    pub dir: &'a str,
    pub span: Span,
    pub bucket_s: i64,
}

/// `scenario.toml`: runs as written, next to its trace.
pub fn scenario_toml(f: &Facts, fit: &Fit) -> String {
    use super::clock::utc_minute;
    let span = &f.span;
    let minutes = (span.end_s - span.first_s) as f64 / 60.0;
    let mean_per_min = span.requests as f64 / minutes;
    let peak_per_min = span.peak as f64 * 60.0 / f.bucket_s as f64;
    let bucket = toml_value::duration(crate::time::SimTime::from_secs(f.bucket_s as u64));
    let cpu = fit.cpu();
    let cpu_mean_s = cpu.as_ref().unwrap_or(&PLACEHOLDER_CPU).mean_s();
    // Busy vCPUs = arrival rate × CPU time per request.
    let instances =
        |per_min: f64| (per_min / 60.0 * cpu_mean_s / (PLACEHOLDER_VCPUS * PLACEHOLDER_TARGET)).ceil().max(1.0);
    let min = instances(mean_per_min);
    let max = (2.0 * instances(peak_per_min)).max(min + 1.0);
    let mut t = String::new();
    let _ = writeln!(t, "# A scenario from {}, written by `hostsim import`. Check and run it with", f.sources);
    let _ = writeln!(t, "#   hostsim validate {0}/scenario.toml && hostsim run {0}/scenario.toml", f.dir);
    let _ = writeln!(t, "#");
    let _ = writeln!(
        t,
        "# The logs: {} requests from {} to {}, {} buckets of {} with requests",
        grouped(span.requests),
        utc_minute(span.first_s),
        utc_minute(span.end_s),
        grouped(span.rows as u64),
        crate::time::SimTime::from_secs(f.bucket_s as u64)
    );
    let _ = writeln!(t, "# (missing rows in {TRACE_FILE} had none and are replayed as silence).");
    let _ = writeln!(
        t,
        "#   mean  {} requests per minute ({:.2} per second) over that span",
        amount(mean_per_min),
        mean_per_min / 60.0
    );
    let _ = writeln!(
        t,
        "#   peak  {} requests per minute ({:.2} per second) in the busiest bucket, from {}",
        amount(peak_per_min),
        peak_per_min / 60.0,
        utc_minute(span.peak_at_s)
    );
    let _ = writeln!(t, "\nname = {}", toml_value::string(f.name));
    let _ = writeln!(t, "# No horizon: the trace's length. The outputs' time series: horizon / 1440 per row.");
    let _ = writeln!(t, "seed = 1\nreplications = 2          # two independent replays (95 % confidence intervals)");
    let _ = writeln!(t, "\n[traffic.trace]");
    let _ = writeln!(t, "file = {}    # next to this file", toml_value::string(TRACE_FILE));
    let _ = writeln!(t, "bucket = {bucket}");
    let _ = writeln!(t, "# scale = 2                # what if the traffic doubled?");
    let _ = writeln!(t, "\n[workload]");
    match &cpu {
        Some(d) => {
            let _ = writeln!(t, "# Fitted to the logged request times: see workload.toml for the other fits and");
            let _ = writeln!(t, "# why a response time overstates the CPU a request needs.");
            let _ = writeln!(t, "cpu = {}", dist_text(d));
        }
        None => {
            let _ =
                writeln!(t, "# PLACEHOLDER: the logs have no request times (see workload.toml); put your own here.");
            let _ = writeln!(t, "cpu = {}", dist_text(&PLACEHOLDER_CPU));
        }
    }
    let _ = writeln!(t, "timeout = \"30s\"");
    let _ = writeln!(t, "\n# PLACEHOLDER: one option to start from. Replace or add the hosting you want to");
    let _ = writeln!(t, "# compare (`hostsim init` writes an example of every kind; `hostsim catalog` lists prices).");
    let _ = writeln!(
        t,
        "# Sized for {:.0} % CPU: {:.2} requests/s × {} of CPU = {:.2} busy vCPUs at the mean,",
        PLACEHOLDER_TARGET * 100.0,
        mean_per_min / 60.0,
        ms(cpu_mean_s),
        mean_per_min / 60.0 * cpu_mean_s
    );
    let _ = writeln!(
        t,
        "# {:.2} in the busiest bucket; {PLACEHOLDER_INSTANCE} has {PLACEHOLDER_VCPUS} vCPUs.",
        peak_per_min / 60.0 * cpu_mean_s
    );
    let _ = writeln!(t, "[[option]]\nname = \"ec2\"\nkind = \"iaas\"\nregion = \"us-east-1\"");
    let _ = writeln!(t, "instance = {}", toml_value::string(PLACEHOLDER_INSTANCE));
    let _ = writeln!(
        t,
        "autoscaling = {{ policy = \"target_tracking\", metric = \"cpu\", target = {PLACEHOLDER_TARGET}, min = {min}, max = {max} }}"
    );
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_for_people() {
        assert_eq!(grouped(3_461_612), "3,461,612");
        assert_eq!(grouped(405), "405");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(amount(1888.0), "1,888");
        assert_eq!(amount(1187.25), "1187.2");
        assert_eq!(round4(0.987_654), 0.9877);
        assert_eq!(round4(12.345_67), 12.35);
        assert_eq!(ms(0.0523), "52.3 ms");
        assert_eq!(ms(1.2), "1.20 s");
        assert_eq!(duration(0.049_829), "\"49.83ms\"");
        assert_eq!(duration(0.000_523_44), "\"523.4us\"");
        assert_eq!(duration(1.5), "\"1.5s\"");
        let d = Dist::Lognormal { mean_s: 0.04983, cv: 0.997 };
        assert_eq!(dist_text(&d), "{ dist = \"lognormal\", mean = \"49.83ms\", cv = 0.997 }");
    }

    #[test]
    fn cpu_share_scales_durations_not_shapes() {
        let d = scaled(&Dist::Lognormal { mean_s: 0.1, cv: 1.23456 }, 0.5);
        assert_eq!(d, Dist::Lognormal { mean_s: 0.05, cv: 1.235 });
        let d = scaled(&Dist::weibull(0.2, 0.46), 0.5);
        assert_eq!(d, Dist::weibull(0.1, 0.46));
    }
}
