//! `hostsim validate`: checks every file and prints, for each valid one,
//! its plan: what the traffic offers and each option's load against its
//! cores (`plan`), so a unit mistake shows before anything runs.

use std::fmt::Write;
use std::path::PathBuf;

use crate::error::AppError;
use crate::flags::CatalogFile;
use crate::import::clock::utc_minute;
use crate::plan::{Load, Plan, Verdict};
use crate::scenario;
use crate::stdout::{Printer, grouped};
use crate::time::SimTime;

/// Loads every scenario, even after one fails; prints "ok: FILE" and,
/// unless `quiet`, the plan of each valid one; fails (exit 2) with the
/// errors of every invalid one.
pub fn validate(scenarios: &[PathBuf], catalog: &CatalogFile, quiet: bool, out: &mut Printer) -> Result<(), AppError> {
    let user_catalog = catalog.load()?;
    let mut failed = Vec::new();
    for path in scenarios {
        match scenario::load_with(path, &user_catalog) {
            Ok(s) => {
                out.print(&format!("ok: {}\n", path.display()));
                if !quiet {
                    let plan = Plan::of(&s).map_err(|e| AppError::Invalid(e.to_string()))?;
                    out.print(&shown(&plan));
                }
            }
            Err(e) => failed.push(e),
        }
    }
    if failed.is_empty() { Ok(()) } else { Err(AppError::files(failed, scenarios.len())) }
}

/// Unix times of 1990-01-01 and 2100-01-01: a trace's time column between
/// them is read as Unix seconds, to show the peak as a date.
const UNIX_1990_S: f64 = 631_152_000.0;
const UNIX_2100_S: f64 = 4_102_444_800.0;

/// The plan as printed under "ok: FILE", indented.
fn shown(p: &Plan) -> String {
    let mut o = String::new();
    let when = match p.trace_origin_s {
        // A time column of Unix seconds (1990 to 2100): the peak's UTC date.
        Some(origin_s) if (UNIX_1990_S..UNIX_2100_S).contains(&origin_s) => format!(
            "on {} ({} after the trace's first row)",
            utc_minute((origin_s + p.peak_at_s).floor() as i64),
            elapsed(p.peak_at_s)
        ),
        Some(_) => format!("{} after the trace's first row", elapsed(p.peak_at_s)),
        None => format!("on {} ({} after the start)", weekday_clock(p.peak_at_s), elapsed(p.peak_at_s)),
    };
    let _ = writeln!(o, "  horizon {}: about {} requests", p.horizon, grouped(p.requests.max(0.0).round() as u64));
    let _ = writeln!(o, "  offered rate: mean {} rps, peak {} rps {when}", rate(p.mean_rps), rate(p.peak_rps));
    let io = if p.io_mean_s > 0.0 { format!(" (and {} of I/O)", ms(p.io_mean_s)) } else { String::new() };
    let _ = writeln!(
        o,
        "  CPU demand: {} per request{io} on a reference core: {} cores at the mean, {} at the peak",
        ms(p.cpu_mean_s),
        rate(p.mean_rps * p.cpu_mean_s),
        rate(p.peak_rps * p.cpu_mean_s)
    );
    for load in &p.options {
        let _ = writeln!(o, "  {}", option_line(load));
    }
    o
}

/// `colo: 3.0 of 16 cores at the mean, 12.1 at the peak`, then slots when
/// they say more, then a flag if the option is too small.
fn option_line(l: &Load) -> String {
    let cores = if l.cores == 1 { "1 core".to_string() } else { format!("{} cores", l.cores) };
    let mut line = format!(
        "{}: {} of {cores} at the mean, {} at the peak",
        l.name,
        rate(l.cpu_mean_cores),
        rate(l.cpu_peak_cores)
    );
    if let Some(max) = l.max_cores {
        let _ = write!(line, " (autoscaling up to {max} cores)");
    }
    if l.slots_differ() {
        let _ = write!(
            line,
            "; request slots busy ({}): {} of {} at the mean, {} at the peak",
            if l.queries_hold_slots { "CPU, I/O and queries" } else { "CPU and I/O" },
            rate(l.busy_mean),
            l.slots,
            rate(l.busy_peak)
        );
    }
    if let Some((mean, peak)) = l.db {
        let _ = write!(line, "; database {:.0} % busy at the mean, {:.0} % at the peak", mean * 100.0, peak * 100.0);
        if peak >= 1.0 {
            line += " (database OVERLOADED at the peak)";
        }
    }
    let flag = match l.verdict() {
        Verdict::Fits => "",
        Verdict::NeedsScaling => " — needs to scale out for the peak",
        Verdict::OverloadedAtPeak => " — OVERLOADED at the peak",
        Verdict::OverloadedAtMean => " — OVERLOADED at the mean rate",
        Verdict::OverloadedAtMax => " — OVERLOADED at the peak even at its maximum fleet",
    };
    line + flag
}

/// A rate or a number of cores: one decimal, or three significant digits below 1.
fn rate(x: f64) -> String {
    if x >= 1.0 || x == 0.0 { format!("{x:.1}") } else { format!("{x:.3}") }
}

/// Seconds as milliseconds: "60.0 ms".
fn ms(s: f64) -> String {
    format!("{} ms", rate(s * 1000.0))
}

/// "2d 4h 12m" (zero parts left out; seconds only when there are some).
fn elapsed(t_s: f64) -> String {
    let total = SimTime::from_secs_f64(t_s).0 / SimTime::MICROS_PER_SEC;
    let parts = [(total / 86_400, "d"), (total % 86_400 / 3600, "h"), (total % 3600 / 60, "m"), (total % 60, "s")];
    let shown: Vec<String> = parts.iter().filter(|(n, _)| *n > 0).map(|(n, unit)| format!("{n}{unit}")).collect();
    if shown.is_empty() { "0s".to_string() } else { shown.join(" ") }
}

/// The day of the week and clock time of `t_s` after Monday 00:00 (the profile's t = 0).
fn weekday_clock(t_s: f64) -> String {
    const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    let minutes = (t_s / 60.0).floor() as u64;
    let day = DAYS[(minutes / 1440 % 7) as usize];
    format!("{day} {:02}:{:02}", minutes % 1440 / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_times_read_easily() {
        assert_eq!(
            (rate(3.0), rate(12.06), rate(0.0123), rate(0.0)),
            ("3.0".into(), "12.1".into(), "0.012".into(), "0.0".into())
        );
        // 2 d 14 h = 223,200 s: a Wednesday.
        assert_eq!(elapsed(223_200.0), "2d 14h");
        assert_eq!(weekday_clock(223_200.0), "Wednesday 14:00");
        assert_eq!(elapsed(1000.0), "16m 40s");
        assert_eq!(weekday_clock(7.0 * 86_400.0 + 30.0), "Monday 00:00");
    }

    #[test]
    fn a_traces_peak_is_dated_when_its_times_are_unix_seconds() {
        // Three minutes from 2024-12-03 10:00 UTC (Unix 1,733,220,000): 60, 180
        // and 120 requests, so 360 / 180 s = 2 rps on average, 180 / 60 s = 3 rps
        // at the peak, in the minute from 10:01.
        let dir = tempfile::tempdir().unwrap();
        let rows = "timestamp_seconds,requests\n1733220000,60\n1733220060,180\n1733220120,120\n";
        std::fs::write(dir.path().join("t.csv"), rows).unwrap();
        let text = "[traffic.trace]\nfile = \"t.csv\"\nbucket = \"1m\"\n\
            [workload]\ncpu = { dist = \"constant\", value = \"10ms\" }\n\
            [[option]]\nname = \"colo\"\nkind = \"bare_metal\"\nregion = \"london\"\nservers = 1\ncores = 2\n";
        let s = scenario::parse_str(text, &dir.path().join("s.toml")).unwrap();
        let p = Plan::of(&s).unwrap();
        assert_eq!((p.requests, p.mean_rps, p.peak_rps, p.peak_at_s), (360.0, 2.0, 3.0, 60.0));
        assert_eq!(p.trace_origin_s, Some(1_733_220_000.0));
        let shown = shown(&p);
        assert!(shown.contains("peak 3.0 rps on 2024-12-03 10:01 UTC (1m after the trace's first row)"), "{shown}");
        // Times that are no Unix seconds (a trace starting at 0) keep the offset only.
        std::fs::write(dir.path().join("t.csv"), "timestamp_seconds,requests\n0,60\n60,180\n120,120\n").unwrap();
        let p = Plan::of(&scenario::parse_str(text, &dir.path().join("s.toml")).unwrap()).unwrap();
        let shown = super::shown(&p);
        assert!(shown.contains("peak 3.0 rps 1m after the trace's first row"), "{shown}");
    }

    #[test]
    fn the_plan_names_each_option_and_flags_overloads() {
        let text = "horizon = \"1d\"\n[traffic]\nbase_rps = 50\ndiurnal = { amplitude = 0.6, peak_hour = 14 }\n\
            [workload]\ncpu = { dist = \"exponential\", mean = \"60ms\" }\n\
            [[option]]\nname = \"colo\"\nkind = \"bare_metal\"\nregion = \"london\"\nservers = 2\ncores = 8\n\
            [[option]]\nname = \"small\"\nkind = \"bare_metal\"\nregion = \"london\"\nservers = 1\ncores = 4\n";
        let s = crate::scenario::parse_str(text, std::path::Path::new("p.toml")).unwrap();
        let shown = shown(&Plan::of(&s).unwrap());
        // 50 rps × 86,400 s; peak 50 × 1.6 = 80 rps; 60 ms × 50 = 3.0 cores, × 80 = 4.8.
        assert!(shown.contains("horizon 1d: about 4,320,000 requests"), "{shown}");
        assert!(shown.contains("mean 50.0 rps, peak 80.0 rps on Monday 14:00 (14h after the start)"), "{shown}");
        assert!(
            shown.contains(
                "CPU demand: 60.0 ms per request on a reference core: 3.0 cores at the mean, 4.8 at the peak"
            ),
            "{shown}"
        );
        assert!(shown.contains("  colo: 3.0 of 16 cores at the mean, 4.8 at the peak\n"), "{shown}");
        assert!(
            shown.contains("  small: 3.0 of 4 cores at the mean, 4.8 at the peak — OVERLOADED at the peak\n"),
            "{shown}"
        );
    }
}
