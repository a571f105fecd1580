//! Trace replay (`[traffic.trace]`): the offered load follows the trace's
//! counts × scale, missing or zero rows give no requests, `start` and
//! `horizon` cut the trace, gzip reads the same, and bad rows are exit 2.

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::Path;

use hostsim::model::Scenario;
use hostsim::report::aggregate::OptionReport;
use hostsim::scenario;

use crate::common::cli::hostsim;

/// A scenario replaying `trace` (a file name in `dir`) with extra `[traffic.trace]` and top-level lines.
fn scenario(dir: &Path, trace: &str, trace_keys: &str, top: &str) -> Scenario {
    let text = format!(
        r#"
{top}
seed = 3
[traffic.trace]
file = "{trace}"
bucket = "1m"
{trace_keys}
[workload]
cpu = {{ dist = "exponential", mean = "5ms" }}
[[option]]
name = "box"
kind = "bare_metal"
region = "washington"
servers = 1
cores = 4
"#
    );
    let path = dir.join("replay.toml");
    fs::write(&path, &text).unwrap();
    scenario::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// Writes per-minute rows `(minute, count)` from Unix time `t0`.
fn write_trace(dir: &Path, name: &str, t0: u64, rows: impl IntoIterator<Item = (u64, u64)>) -> String {
    let mut text = String::from("timestamp_seconds,requests\n");
    for (minute, count) in rows {
        let _ = writeln!(text, "{},{count}", t0 + minute * 60);
    }
    fs::write(dir.join(name), text).unwrap();
    name.to_string()
}

fn run(s: &Scenario) -> OptionReport {
    hostsim::pipeline::simulate(s, true).unwrap().remove(0)
}

#[test]
fn total_offered_is_the_trace_sum_times_scale() {
    // Six hours of minutes with counts 100..=298 in a fixed pattern; scale 0.5.
    let dir = tempfile::tempdir().unwrap();
    let counts: Vec<(u64, u64)> = (0..360).map(|m| (m, 100 + (m * 37) % 199)).collect();
    let sum: u64 = counts.iter().map(|(_, c)| c).sum();
    let trace = write_trace(dir.path(), "t.csv", 900_000_000, counts);
    let s = scenario(dir.path(), &trace, "scale = 0.5", "replications = 4");
    assert_eq!(s.horizon.as_secs_f64(), 6.0 * 3600.0, "the horizon defaults to the trace's length");
    let trace_info = s.traffic.trace.as_ref().unwrap();
    assert_eq!((trace_info.rows, trace_info.total_requests), (360, sum as f64));
    // Each replication's count is Poisson with mean sum × 0.5; the mean of 4
    // replications has sd sqrt(mean / 4). Allow 5 sd.
    let expected = sum as f64 * 0.5;
    let bound = 5.0 * (expected / 4.0).sqrt();
    let offered = run(&s).outcomes.offered;
    assert!((offered - expected).abs() < bound, "offered {offered}, expected {expected} ± {bound}");
}

#[test]
fn a_zero_hour_and_a_missing_hour_offer_nothing() {
    // Four hours at 600 per minute (10 rps); hour 1 has rows of count 0, hour 2 has no rows at all.
    let dir = tempfile::tempdir().unwrap();
    let rows = (0..240).filter(|m| !(120..180).contains(m)).map(|m| (m, if (60..120).contains(&m) { 0 } else { 600 }));
    let trace = write_trace(dir.path(), "t.csv", 0, rows);
    let s = scenario(dir.path(), &trace, "", "bucket = \"1m\"");
    let report = run(&s);
    let series: Vec<_> = report.series().collect::<Result<_, _>>().unwrap();
    assert_eq!(series.len(), 240);
    for p in &series {
        let quiet = (3600.0..3.0 * 3600.0).contains(&p.start_s);
        if quiet {
            assert_eq!(p.outcomes.offered, 0.0, "bucket at {} s", p.start_s);
        } else {
            // 600 expected per minute, sd 24.5: 400 is 8 sd below.
            assert!(p.outcomes.offered > 400.0, "bucket at {} s: {}", p.start_s, p.outcomes.offered);
        }
    }
}

#[test]
fn start_skips_rows_and_horizon_cuts_or_extends() {
    let dir = tempfile::tempdir().unwrap();
    // 1998-06-10 00:00 UTC = 897,436,800. An hour before it at 60,000 per minute, two hours after at 60.
    let t0 = 897_436_800 - 3600;
    let trace = write_trace(dir.path(), "t.csv", t0, (0..180).map(|m| (m, if m < 60 { 60_000 } else { 60 })));
    let s = scenario(dir.path(), &trace, "start = \"1998-06-10\"", "");
    assert_eq!(s.horizon.as_secs_f64(), 7200.0);
    // 120 rows × 60 = 7,200 requests expected, sd 85: nothing of the hour before start.
    let offered = run(&s).outcomes.offered;
    assert!((offered - 7200.0).abs() < 5.0 * 7200f64.sqrt(), "{offered}");
    // A shorter horizon cuts the trace; a longer one adds time without requests.
    let short = run(&scenario(dir.path(), &trace, "start = 897436800", "horizon = \"30m\"")).outcomes.offered;
    assert!((short - 1800.0).abs() < 5.0 * 1800f64.sqrt(), "{short}");
    let long = run(&scenario(dir.path(), &trace, "start = 897436800", "horizon = \"4h\"")).outcomes.offered;
    assert_eq!(long, offered, "same arrivals, and none after the trace ends");
}

#[test]
fn gzip_replays_the_same_requests_and_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let plain = write_trace(dir.path(), "t.csv", 0, (0..30).map(|m| (m, 30 + m)));
    let text = fs::read(dir.path().join(&plain)).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&text).unwrap();
    fs::write(dir.path().join("t.csv.gz"), gz.finish().unwrap()).unwrap();
    let a = scenario(dir.path(), &plain, "scale = 3", "");
    let b = scenario(dir.path(), "t.csv.gz", "scale = 3", "");
    let (ra, rb) = (run(&a), run(&b));
    assert_eq!(ra.outcomes.offered, rb.outcomes.offered);
    assert_eq!(ra.p99_ms.unwrap().mean, rb.p99_ms.unwrap().mean);
    // resolved.toml names the trace by its absolute path and reads back the same.
    let written = scenario::to_resolved_toml(&b);
    let mut again = scenario::parse_str(&written, Path::new("elsewhere/resolved.toml")).unwrap();
    again.source = b.source.clone();
    assert_eq!(again, b, "{written}");
}

#[test]
fn a_bad_row_is_exit_2_naming_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("t.csv"), "timestamp_seconds,requests\n0,5\n60,7\n120,-5\n").unwrap();
    let text = "[traffic.trace]\nfile = \"t.csv\"\nbucket = \"1m\"\n[workload]\ncpu = { dist = \"constant\", value = \"1ms\" }\n\
                [[option]]\nname = \"a\"\nkind = \"bare_metal\"\nregion = \"london\"\nservers = 1\ncores = 1\n";
    fs::write(dir.path().join("s.toml"), text).unwrap();
    let o = hostsim(&["run", "s.toml", "--out", "out"], dir.path());
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.starts_with("error: s.toml:2:8: traffic.trace.file: t.csv:4: count \"-5\" is negative"), "{err}");
    assert!(!dir.path().join("out").exists());
}

#[test]
fn the_bundled_traces_load_with_their_documented_totals() {
    // data/traces/PROVENANCE.md: rows and total requests of each file.
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/traces");
    let dir = tempfile::tempdir().unwrap();
    for (file, rows, total, days) in [
        ("worldcup98_per_minute.csv.gz", 125_300, 1_352_804_107.0, 87.0),
        ("nasa_http_1995_per_minute.csv.gz", 81_396, 3_461_612.0, 62.0),
    ] {
        let s = scenario(dir.path(), &data.join(file).to_string_lossy(), "", "");
        let t = s.traffic.trace.as_ref().unwrap();
        assert_eq!((t.rows, t.total_requests), (rows, total), "{file}");
        assert!((s.horizon.as_secs_f64() / 86_400.0 - days).abs() < 1.0, "{file}: {}", s.horizon);
    }
}

#[test]
fn a_trace_that_changes_after_validation_fails_the_run_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let trace = write_trace(dir.path(), "t.csv", 900_000_000, (0..60).map(|m| (m, 100)));
    let s = scenario(dir.path(), &trace, "", "");
    // Replaced between validation and replay: row 31 is no longer a count.
    let mut rows: Vec<String> = (0..60).map(|m| format!("{},100", 900_000_000 + m * 60)).collect();
    rows[30] = format!("{},lots", 900_000_000 + 30 * 60);
    fs::write(dir.path().join("t.csv"), format!("timestamp_seconds,requests\n{}\n", rows.join("\n"))).unwrap();
    let e = hostsim::pipeline::simulate(&s, true).expect_err("an incomplete replay is an error");
    assert_eq!(e.exit_code(), 1, "{e}");
    let message = e.to_string();
    assert!(message.contains("t.csv:32"), "names the file and line: {message}");
}

#[test]
fn a_millisecond_trace_is_refused_with_the_hint_and_replays_with_time_unit() {
    let dir = tempfile::tempdir().unwrap();
    // The same per-minute counts with timestamps in seconds and in milliseconds (rows 60,000 apart).
    let counts: Vec<(u64, u64)> = (0..120).map(|m| (m, 60 + m % 7)).collect();
    let seconds = write_trace(dir.path(), "s.csv", 897_436_800, counts.iter().copied());
    let mut ms = String::from("timestamp_seconds,requests\n");
    for (minute, count) in &counts {
        let _ = writeln!(ms, "{},{count}", (897_436_800 + minute * 60) * 1000);
    }
    fs::write(dir.path().join("ms.csv"), ms).unwrap();
    // Read as seconds, the rows are 1,000 buckets apart: exit 2 with the hint, nothing written.
    let toml = |trace: &str, keys: &str| {
        format!(
            "[traffic.trace]\nfile = \"{trace}\"\nbucket = \"1m\"\n{keys}\n[workload]\ncpu = {{ dist = \"exponential\", mean = \"5ms\" }}\n\
             [[option]]\nname = \"box\"\nkind = \"bare_metal\"\nregion = \"washington\"\nservers = 1\ncores = 4\n"
        )
    };
    fs::write(dir.path().join("ms.toml"), toml("ms.csv", "")).unwrap();
    let o = hostsim(&["run", "ms.toml", "--out", "out"], dir.path());
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("exactly 1000 × bucket (1m): the timestamps look like milliseconds"), "{err}");
    assert!(err.contains("hint: set time_unit = \"ms\" in [traffic.trace]"), "{err}");
    assert!(!dir.path().join("out").exists());
    // With time_unit = "ms" it is the seconds trace: same length, totals and requests, and a
    // start date is compared in milliseconds.
    let a = scenario(dir.path(), &seconds, "", "");
    let b = scenario(dir.path(), "ms.csv", "time_unit = \"ms\"", "");
    assert_eq!(
        (b.horizon, b.traffic.trace.as_ref().unwrap().total_requests),
        (a.horizon, a.traffic.trace.as_ref().unwrap().total_requests)
    );
    assert_eq!(run(&a).outcomes.offered, run(&b).outcomes.offered);
    let late = scenario(dir.path(), "ms.csv", "time_unit = \"ms\"\nstart = \"1998-06-10T01:00:00Z\"", "");
    assert_eq!(late.horizon.as_secs_f64(), 3600.0);
    // resolved.toml writes the unit and reads back the same.
    let written = scenario::to_resolved_toml(&late);
    assert!(written.contains("time_unit = \"ms\"\n"), "{written}");
    let mut again = scenario::parse_str(&written, Path::new("elsewhere/resolved.toml")).unwrap();
    again.source = late.source.clone();
    assert_eq!(again, late);
    // Written explicitly, "s" is taken at its word (rows 1,000 minutes apart, as asked).
    assert_eq!(
        scenario(dir.path(), "ms.csv", "time_unit = \"s\"", "horizon = \"1d\"").traffic.trace.unwrap().rows,
        120
    );
}

#[test]
fn a_start_before_the_first_row_resolves_to_that_row() {
    // Rows from 1998-06-10 00:05 UTC (897,436,800 + 300) and start = midnight: the
    // first row kept is t = 0, so resolved.toml (and the charts' dates) start at 00:05.
    let dir = tempfile::tempdir().unwrap();
    let trace = write_trace(dir.path(), "t.csv", 897_437_100, (0..10).map(|m| (m, 60)));
    let start = |keys: &str| scenario(dir.path(), &trace, keys, "").traffic.trace.unwrap().start;
    assert_eq!(start("start = \"1998-06-10\""), Some(897_437_100.0));
    assert_eq!(start("start = 897437160"), Some(897_437_160.0));
    assert_eq!(start(""), None);
}
