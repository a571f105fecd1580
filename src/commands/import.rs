//! `hostsim import LOG... --out DIR`: reads the logs, refuses too many bad
//! lines or no request at all (exit 2, nothing written), fits the request
//! times, writes the directory in one step and prints a summary.

use std::fmt::Write;

use crate::cli::ImportArgs;
use crate::error::AppError;
use crate::import::buckets::Span;
use crate::import::filter::Filter;
use crate::import::format::Choice;
use crate::import::outputs::{self, Files};
use crate::import::text::{self, Facts, Fit, amount, ms};
use crate::import::{self, Options, Tally, clock::utc_minute};
use crate::stdout::{Printer, grouped};

pub fn command(args: &ImportArgs, out: &mut Printer) -> Result<(), AppError> {
    let (root, name) = outputs::destination(&args.out)?;
    let options = Options {
        choice: Choice {
            format: args.format,
            unit: args.duration_unit,
            time_field: args.time_field.as_deref(),
            duration_field: args.duration_field.as_deref(),
        },
        bucket_s: args.bucket as i64,
        filter: Filter { statuses: args.filter_status.clone().map(|s| s.0), exclude: args.exclude.clone() },
    };
    let mut tally = import::read(&args.logs, &options).map_err(AppError::Invalid)?;
    check_bad_lines(&tally, args.max_bad)?;
    let buckets = std::mem::replace(&mut tally.buckets, import::buckets::Buckets::new(options.bucket_s));
    let (rows, span) = buckets.finish();
    let span = span.ok_or_else(|| AppError::Invalid(no_requests(&tally)))?;
    let sample = tally.durations.weighted();
    let fit = fit(&tally, &sample, args.cpu_share);
    let sources = sources(&tally);
    let scenario_name = if crate::scenario::check_name(&name).is_ok() { name.as_str() } else { "imported" };
    let dir = args.out.display().to_string();
    let facts = Facts { name: scenario_name, sources: &sources, dir: &dir, span, bucket_s: options.bucket_s };
    let scaled: Vec<(f64, f64)> = sample.iter().map(|&(v, w)| (v * args.cpu_share, w)).collect();
    let files = Files {
        rows: &rows,
        durations: (!scaled.is_empty()).then_some(&scaled[..]),
        workload_toml: &text::workload_toml(&sources, &fit),
        scenario_toml: &text::scenario_toml(&facts, &fit),
    };
    let written = outputs::write(&root, &name, &files)?;
    out.print(&summary(&tally, &span, options.bucket_s, &fit, args.max_bad));
    let listed: Vec<&str> = outputs::FILES.into_iter().filter(|f| written.join(f).exists()).collect();
    out.print(&format!(
        "wrote {dir}/ ({})\nnext: hostsim validate {dir}/scenario.toml && hostsim run {dir}/scenario.toml\n",
        listed.join(", ")
    ));
    Ok(())
}

/// More than `--max-bad` of the lines unreadable: exit 2 with the first few.
fn check_bad_lines(tally: &Tally, max_bad: f64) -> Result<(), AppError> {
    if tally.bad == 0 || tally.bad as f64 <= max_bad * tally.lines as f64 {
        return Ok(());
    }
    Err(AppError::Invalid(format!(
        "{} of {} lines ({}) could not be read, more than --max-bad {}; nothing was written. The first:\n{}",
        grouped(tally.bad),
        grouped(tally.lines),
        percent(tally.bad, tally.lines),
        percent_of(max_bad),
        shown(tally)
    )))
}

fn shown(tally: &Tally) -> String {
    tally.bad_shown.iter().map(|l| format!("  {l}\n")).collect::<String>().trim_end().to_string()
}

/// Why there is no request to write.
fn no_requests(tally: &Tally) -> String {
    let mut why = format!("no requests to write: {} lines read", grouped(tally.lines));
    if tally.bad > 0 {
        let _ = write!(why, ", {} unreadable", grouped(tally.bad));
    }
    if tally.status_filtered > 0 {
        let _ = write!(why, ", {} left out by --filter-status", grouped(tally.status_filtered));
    }
    if tally.excluded > 0 {
        let _ = write!(why, ", {} left out by --exclude", grouped(tally.excluded));
    }
    why
}

/// The fit of the kept requests' times, or why there is none.
fn fit(tally: &Tally, sample: &[(f64, f64)], cpu_share: f64) -> Fit {
    let Some(observed) = tally.durations.observed() else {
        let why = if tally.durations.count() > 0 {
            "every request time is logged as 0"
        } else {
            "the logs have no request times"
        };
        return Fit::None { why: why.into() };
    };
    match crate::stats::fit::fit_all(sample) {
        Ok(candidates) if !candidates.is_empty() => Fit::Fitted { candidates, observed, cpu_share },
        Ok(_) => Fit::None { why: "no distribution could be fitted".into() },
        Err(why) => Fit::None { why },
    }
}

/// The files read, for comments: "access.log" or "a.log and 2 more files".
fn sources(tally: &Tally) -> String {
    let name =
        |p: &std::path::Path| p.file_name().map_or(p.display().to_string(), |n| n.to_string_lossy().into_owned());
    match &tally.files[..] {
        [] => "no file".into(),
        [(one, _)] => name(one),
        [(first, _), rest @ ..] => {
            format!("{} and {} more file{}", name(first), rest.len(), if rest.len() > 1 { "s" } else { "" })
        }
    }
}

fn percent(part: u64, whole: u64) -> String {
    percent_of(part as f64 / whole.max(1) as f64)
}

/// A fraction as a percentage for people: "1 %", "0.05 %".
fn percent_of(f: f64) -> String {
    let p = f * 100.0;
    let text = if p >= 10.0 || p == p.round() {
        format!("{p:.0}")
    } else if p >= 0.1 {
        format!("{p:.1}")
    } else {
        format!("{p:.3}")
    };
    format!("{text} %")
}

/// What was read, for stdout.
fn summary(t: &Tally, span: &Span, bucket_s: i64, fit: &Fit, max_bad: f64) -> String {
    let mut s = String::new();
    for (path, format) in &t.files {
        let described = format.as_ref().map_or("empty".to_string(), |f| f.describe());
        let _ = writeln!(s, "read {}: {described}", path.display());
    }
    let read = t.requests_read();
    let _ = write!(s, "requests: {} of {} lines", grouped(read), grouped(t.lines));
    if t.status_filtered + t.excluded > 0 {
        let _ = write!(
            s,
            "; {} kept ({} left out by --filter-status, {} by --exclude)",
            grouped(span.requests),
            grouped(t.status_filtered),
            grouped(t.excluded)
        );
    }
    s.push('\n');
    let minutes = (span.end_s - span.first_s) as f64 / 60.0;
    let length = crate::time::SimTime::from_secs((span.end_s - span.first_s) as u64);
    let _ = writeln!(
        s,
        "span: {} to {} ({length}), {} buckets of {} with requests",
        utc_minute(span.first_s),
        utc_minute(span.end_s),
        grouped(span.rows as u64),
        crate::time::SimTime::from_secs(bucket_s as u64)
    );
    let mean = span.requests as f64 / minutes;
    let peak = span.peak as f64 * 60.0 / bucket_s as f64;
    let _ = writeln!(
        s,
        "per minute: mean {} ({:.2}/s), peak {} ({:.2}/s) in the bucket from {}",
        amount(mean),
        mean / 60.0,
        amount(peak),
        peak / 60.0,
        utc_minute(span.peak_at_s)
    );
    let classes: Vec<String> = (1..=5)
        .filter(|&c| t.statuses[c] > 0)
        .map(|c| format!("{c}xx {}", percent(t.statuses[c], read)))
        .chain((t.statuses[0] > 0).then(|| format!("none {}", percent(t.statuses[0], read))))
        .collect();
    let _ = writeln!(s, "status: {}", classes.join(", "));
    match fit {
        Fit::Fitted { candidates, observed, cpu_share } => {
            let best = &candidates[0];
            let _ = writeln!(
                s,
                "request times: {} logged, mean {}, p99 {}; best fit by AIC: {} (KS {:.4}){}",
                grouped(observed.count),
                ms(observed.mean_s),
                ms(observed.p99_s),
                best.family,
                best.ks_distance,
                if *cpu_share == 1.0 { String::new() } else { format!(", scaled by --cpu-share {cpu_share}") }
            );
            if t.without_duration > 0 {
                let _ = writeln!(s, "  ({} requests had no request time)", grouped(t.without_duration));
            }
            let _ = writeln!(s, "  a logged time includes queueing on the old server: see workload.toml");
        }
        Fit::None { why } => {
            let _ = writeln!(s, "request times: none fitted ({why}); scenario.toml has a placeholder cpu");
        }
    }
    if t.bad > 0 {
        let _ = writeln!(
            s,
            "skipped {} of {} lines ({}, --max-bad {}):\n{}",
            grouped(t.bad),
            grouped(t.lines),
            percent(t.bad, t.lines),
            percent_of(max_bad),
            shown(t)
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_for_people() {
        assert_eq!(percent_of(0.01), "1 %");
        assert_eq!(percent_of(0.0531), "5.3 %");
        assert_eq!(percent_of(0.123), "12 %");
        assert_eq!(percent_of(0.000_05), "0.005 %");
        assert_eq!(percent(0, 0), "0 %");
    }
}
