//! `hostsim import`: generated logs of known rate and request-time
//! distribution in every format, the bundled NASA reduction rebuilt from
//! the raw log's format, the filters, and every refusal (exit 2, nothing
//! written).

use std::fs;
use std::io::{Read, Write};
use std::path::Path;

use crate::common::cli::{hostsim, ok, repo, stderr};
use crate::common::logs::{LogFormat, Spec, clf_time, generate, iso_time};

/// 2024-05-01 00:00 UTC.
const START_S: i64 = 1_714_521_600;

fn gunzip(path: &Path) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(fs::File::open(path).unwrap()).read_to_string(&mut text).unwrap();
    text
}

/// The trace's rows.
fn rows(path: &Path) -> Vec<(i64, u64)> {
    let text = gunzip(path);
    assert!(text.starts_with("timestamp_seconds,requests\n"), "{text}");
    text.lines()
        .skip(1)
        .map(|l| {
            let (t, n) = l.split_once(',').unwrap();
            (t.parse().unwrap(), n.parse().unwrap())
        })
        .collect()
}

/// `cpu` of a workload or scenario file: (family, mean in seconds, cv).
fn cpu(path: &Path) -> (String, f64, f64) {
    let doc: toml::Table = fs::read_to_string(path).unwrap().parse().unwrap();
    let cpu = doc["workload"]["cpu"].as_table().unwrap();
    let mean = hostsim::scenario::parse_duration(cpu["mean"].as_str().unwrap()).unwrap();
    let cv = cpu.get("cv").and_then(|v| v.as_float()).unwrap_or(f64::NAN);
    (cpu["dist"].as_str().unwrap().to_string(), mean.as_secs_f64(), cv)
}

/// The acceptance test for one format: two hours, 10/s then 30/s,
/// lognormal request times of mean 50 ms and cv 1.0, a malformed line
/// after every 997 good ones.
fn imports_two_phases(format: LogFormat, file: &str) {
    let dir = tempfile::tempdir().unwrap();
    let spec = Spec {
        format,
        start_s: START_S,
        phases: &[(3600.0, 10.0), (3600.0, 30.0)],
        mean_s: 0.05,
        cv: 1.0,
        bad_every: 997,
        seed: 18,
    };
    let (text, generated) = generate(&spec);
    fs::write(dir.path().join(file), text).unwrap();
    let o = ok(hostsim(&["import", file, "--out", "site"], dir.path()));
    let stdout = String::from_utf8(o.stdout).unwrap();
    let site = dir.path().join("site");

    // Every valid line is counted in its UTC minute: the rows are exactly the generator's.
    let got = rows(&site.join("trace.csv.gz"));
    let expected: Vec<(i64, u64)> = generated.per_minute.iter().map(|(&t, &n)| (t, n)).collect();
    assert_eq!(got, expected);
    // And they are Poisson counts of the two rates: each minute within 4.5 sd
    // of 600 or 1,800 (120 minutes: a false alarm has probability 120 × 6.8e-6 < 0.1 %),
    // each hour's total within 4 sd (36,000 ± 759, 108,000 ± 1,315).
    assert_eq!(got.len(), 120);
    for (i, &(t, n)) in got.iter().enumerate() {
        assert_eq!(t, START_S + 60 * i as i64);
        let mean = if i < 60 { 600.0 } else { 1800.0 };
        assert!((n as f64 - mean).abs() < 4.5 * f64::sqrt(mean), "minute {i}: {n}");
    }
    for (hour, mean) in [(0, 36_000.0), (1, 108_000.0)] {
        let total: u64 = got[hour * 60..hour * 60 + 60].iter().map(|&(_, n)| n).sum();
        assert!((total as f64 - mean).abs() < 4.0 * f64::sqrt(mean), "hour {hour}: {total}");
    }

    // The fitted workload: lognormal, mean within 3 % of 50 ms, cv within 10 % of 1.
    let (family, mean_s, cv) = cpu(&site.join("workload.toml"));
    assert_eq!(family, "lognormal", "{}", fs::read_to_string(site.join("workload.toml")).unwrap());
    assert!((mean_s / 0.05 - 1.0).abs() < 0.03, "mean {mean_s}");
    assert!((cv - 1.0).abs() < 0.1, "cv {cv}");
    assert_eq!(cpu(&site.join("scenario.toml")), (family, mean_s, cv));
    let workload = fs::read_to_string(site.join("workload.toml")).unwrap();
    for said in ["AIC", "KS", "exponential", "gamma", "weibull", "dist = \"empirical\"", "queueing"] {
        assert!(workload.contains(said), "{said}: {workload}");
    }
    // durations.csv: the histogram of every request time, weights summing to the requests.
    let durations = fs::read_to_string(site.join("durations.csv")).unwrap();
    assert!(durations.starts_with("duration_s,weight\n"));
    let weights: f64 = durations.lines().skip(1).map(|l| l.split_once(',').unwrap().1.parse::<f64>().unwrap()).sum();
    let requests: u64 = got.iter().map(|&(_, n)| n).sum();
    assert_eq!(weights, requests as f64);
    // workload.toml's empirical alternative, put in the scenario as it says, is
    // read by hostsim: its mean within 3 % of 50 ms, as the fit's (the sample
    // mean's sd is 50 ms / √144,000 = 0.26 %; the 200-per-decade bins add < 0.6 %).
    let empirical_line = workload.lines().find_map(|l| l.strip_prefix("# cpu = { dist = \"empirical\"")).unwrap();
    let scenario = fs::read_to_string(site.join("scenario.toml")).unwrap();
    let cpu_line = scenario.lines().find(|l| l.starts_with("cpu = ")).unwrap();
    let swapped = scenario.replace(cpu_line, &format!("cpu = {{ dist = \"empirical\"{empirical_line}"));
    // Beside site/, not in it (a re-import refuses a directory holding other files).
    let swapped = swapped
        .replace("file = \"durations.csv\"", "file = \"site/durations.csv\"")
        .replace("file = \"trace.csv.gz\"", "file = \"site/trace.csv.gz\"");
    fs::write(dir.path().join("empirical.toml"), swapped).unwrap();
    let model = hostsim::scenario::load(&dir.path().join("empirical.toml")).unwrap();
    assert!(matches!(model.workload.cpu, hostsim::model::Dist::Empirical(_)), "{:?}", model.workload.cpu);
    let empirical_mean_s = model.workload.cpu.mean_s();
    assert!((empirical_mean_s / 0.05 - 1.0).abs() < 0.03, "empirical mean {empirical_mean_s}");

    // The summary: requests, span, rates, the status mix, the skipped lines with file:line.
    let bad = generated.bad_lines.len();
    assert!(bad > 100, "{bad}");
    let lines = requests + bad as u64;
    for said in [
        format!("requests: {} of {} lines", grouped(requests), grouped(lines)),
        "span: 2024-05-01 00:00 UTC to 2024-05-01 02:00 UTC (2h)".to_string(),
        "status: 2xx 100 %".to_string(),
        format!("skipped {bad} of {} lines", grouped(lines)),
        format!("  {file}:{}: ", generated.bad_lines[0]),
        format!("  {file}:{}: ", generated.bad_lines[4]),
        "best fit by AIC: lognormal".to_string(),
    ] {
        assert!(stdout.contains(&said), "{said:?} not in:\n{stdout}");
    }
    assert!(!stdout.contains(&format!("{file}:{}:", generated.bad_lines[5])), "only five bad lines are shown");

    // The scenario validates and runs as written; its offered load is the trace's
    // total within Poisson noise (144,000 ± 4 × 379 per replication, two averaged).
    ok(hostsim(&["validate", "site/scenario.toml"], dir.path()));
    ok(hostsim(&["run", "site/scenario.toml", "--quiet", "--no-charts", "--out", "out"], dir.path()));
    let summary = fs::read_to_string(dir.path().join("out/site/summary.csv")).unwrap();
    let row: Vec<&str> = summary.lines().nth(1).unwrap().split(',').collect();
    let offered: f64 = row[4].parse().unwrap();
    assert!((offered - requests as f64).abs() < 4.0 * (requests as f64 / 2.0).sqrt(), "{offered} vs {requests}");

    // Importing again gives the same bytes, and replaces the earlier import whole.
    ok(hostsim(&["import", file, "--out", "site"], dir.path()));
    ok(hostsim(&["import", file, "--out", "again"], dir.path()));
    for f in ["trace.csv.gz", "durations.csv", "workload.toml"] {
        assert_eq!(fs::read(site.join(f)).unwrap(), fs::read(dir.path().join("again").join(f)).unwrap(), "{f}");
    }
}

fn grouped(n: u64) -> String {
    hostsim::stdout::grouped(n)
}

#[test]
fn a_combined_log_with_nginx_request_times_imports() {
    imports_two_phases(LogFormat::NginxCombined, "access.log");
}

#[test]
fn an_apache_log_with_microseconds_imports() {
    imports_two_phases(LogFormat::ApacheD, "access_log");
}

#[test]
fn a_json_lines_log_imports() {
    imports_two_phases(LogFormat::JsonLines, "access.jsonl");
}

#[test]
fn generated_times_read_back() {
    // 1995-07-01 04:00:01 UTC is 00:00:01 at -04:00.
    assert_eq!(clf_time(804_571_201, -240), "01/Jul/1995:00:00:01 -0400");
    assert_eq!(hostsim::import::clock::clf_seconds(&clf_time(START_S - 1, 120)), Some(START_S - 1));
    assert_eq!(iso_time(START_S as f64 + 0.25), "2024-05-01T02:00:00.250+02:00");
}

/// The bundled NASA reduction is what `hostsim import` makes of the raw
/// log's format: its first three hours written back as Common Log Format
/// lines at local time -0400 (each minute's requests spread over the
/// minute, gzip-compressed as the ITA distributes them) import to the same
/// rows, byte for byte.
#[test]
fn the_bundled_nasa_minutes_are_reproduced_from_the_raw_log_format() {
    let bundled = gunzip(Path::new(&repo("data/traces/nasa_http_1995_per_minute.csv.gz")));
    let first: i64 = bundled.lines().nth(1).unwrap().split_once(',').unwrap().0.parse().unwrap();
    let span: Vec<&str> = bundled
        .lines()
        .skip(1)
        .take_while(|l| l.split_once(',').unwrap().0.parse::<i64>().unwrap() < first + 3 * 3600)
        .collect();
    assert_eq!(span.len(), 180, "no minute of the first three hours is missing");
    let dir = tempfile::tempdir().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    for row in &span {
        let (t, n) = row.split_once(',').unwrap();
        let (t, n): (i64, i64) = (t.parse().unwrap(), n.parse().unwrap());
        for i in 0..n {
            let stamp = clf_time(t + i * 60 / n, -240);
            writeln!(gz, r#"199.72.81.55 - - [{stamp}] "GET /history/apollo/ HTTP/1.0" 200 6245"#).unwrap();
        }
    }
    fs::write(dir.path().join("NASA_access_log_Jul95.gz"), gz.finish().unwrap()).unwrap();
    let o = ok(hostsim(&["import", "NASA_access_log_Jul95.gz", "--out", "nasa-import"], dir.path()));
    let stdout = String::from_utf8(o.stdout).unwrap();
    let expected = format!("timestamp_seconds,requests\n{}\n", span.join("\n"));
    assert_eq!(gunzip(&dir.path().join("nasa-import/trace.csv.gz")), expected);
    assert!(stdout.contains("span: 1995-07-01 04:00 UTC to 1995-07-01 07:00 UTC (3h)"), "{stdout}");
    // No request times in this format: a placeholder workload that still validates.
    let workload = fs::read_to_string(dir.path().join("nasa-import/workload.toml")).unwrap();
    assert!(workload.contains("No workload was fitted: the logs have no request times"), "{workload}");
    assert!(!dir.path().join("nasa-import/durations.csv").exists());
    ok(hostsim(&["validate", "nasa-import/scenario.toml"], dir.path()));
}

/// A small hand-written log: statuses, static assets, a scanner's garbage.
const MIXED: &str = r#"192.0.2.1 - - [01/May/2024:00:00:01 +0000] "GET / HTTP/1.1" 200 512 "-" "Mozilla/5.0"
192.0.2.1 - - [01/May/2024:00:00:02 +0000] "GET /static/app.js HTTP/1.1" 200 9000 "https://example.com/" "Mozilla/5.0"
192.0.2.2 - - [01/May/2024:00:00:30 +0000] "GET /logo.png HTTP/1.1" 304 - "-" "Mozilla/5.0"
192.0.2.3 - - [01/May/2024:00:01:05 +0000] "POST /login HTTP/1.1" 302 0 "-" "Mozilla/5.0"
198.51.100.4 - - [01/May/2024:00:01:10 +0000] "\x16\x03\x01" 400 157 "-" "-"
192.0.2.3 - - [01/May/2024:00:03:00 +0000] "GET /missing HTTP/1.1" 404 153 "-" "Mozilla/5.0"
192.0.2.1 - - [01/May/2024:00:03:59 +0000] "GET /api HTTP/1.1" 500 20 "-" "Mozilla/5.0"
"#;

#[test]
fn status_filters_and_exclusions_shape_the_trace() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("access.log"), MIXED).unwrap();
    let o = ok(hostsim(&["import", "access.log", "--out", "all"], dir.path()));
    let stdout = String::from_utf8(o.stdout).unwrap();
    // 7 requests: 3 in minute 0, 2 in minute 1, none in minute 2 (a missing row), 2 in minute 3.
    assert_eq!(rows(&dir.path().join("all/trace.csv.gz")), [(START_S, 3), (START_S + 60, 2), (START_S + 180, 2)]);
    assert!(stdout.contains("status: 2xx 29 %, 3xx 29 %, 4xx 29 %, 5xx 14 %"), "{stdout}");
    let args = ["import", "access.log", "--out", "ok", "--filter-status", "2xx,3xx", "--exclude", r"^/static/|\.png$"];
    let o = ok(hostsim(&args, dir.path()));
    let stdout = String::from_utf8(o.stdout).unwrap();
    // Kept: GET / (200) and POST /login (302).
    assert_eq!(rows(&dir.path().join("ok/trace.csv.gz")), [(START_S, 1), (START_S + 60, 1)]);
    assert!(stdout.contains("2 kept (3 left out by --filter-status, 2 by --exclude)"), "{stdout}");
    // -q writes the same trace and prints nothing.
    let o = ok(hostsim(&["import", "access.log", "-o", "quiet", "-q"], dir.path()));
    assert!(o.stdout.is_empty(), "{}", String::from_utf8_lossy(&o.stdout));
    assert_eq!(
        fs::read(dir.path().join("quiet/trace.csv.gz")).unwrap(),
        fs::read(dir.path().join("all/trace.csv.gz")).unwrap()
    );
}

/// Runs `hostsim import` expecting exit 2 and no output directory; returns stderr.
fn refused(args: &[&str], dir: &Path) -> String {
    let o = hostsim(args, dir);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!dir.join("site").exists(), "an output directory was written");
    stderr(&o)
}

#[test]
fn too_many_bad_lines_are_refused_with_the_first_five() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(MIXED);
    for i in 0..7 {
        text.push_str(&format!("broken line {i}\n"));
    }
    fs::write(dir.path().join("access.log"), &text).unwrap();
    // 7 of 14 lines: 50 %.
    let e = refused(&["import", "access.log", "--out", "site"], dir.path());
    assert!(e.contains("7 of 14 lines (50 %) could not be read, more than --max-bad 1 %"), "{e}");
    assert!(e.contains("access.log:8: no [time] field") && e.contains("access.log:12: no [time] field"), "{e}");
    assert!(!e.contains("access.log:13:"), "only five are shown: {e}");
    let o = ok(hostsim(&["import", "access.log", "--out", "site", "--max-bad", "50%"], dir.path()));
    assert!(String::from_utf8(o.stdout).unwrap().contains("skipped 7 of 14 lines (50 %, --max-bad 50 %)"));
}

#[test]
fn unreadable_or_unrecognisable_logs_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let e = refused(&["import", "missing.log", "--out", "site"], dir.path());
    assert!(e.starts_with("error: missing.log: cannot read: No such file or directory"), "{e}");
    fs::write(dir.path().join("notes.txt"), "hello\nworld\n").unwrap();
    let e = refused(&["import", "notes.txt", "--out", "site"], dir.path());
    assert!(e.contains("error: notes.txt: cannot recognise the log format from the first 2 lines"), "{e}");
    let e = refused(&["import", "notes.txt", "--format", "json", "--out", "site"], dir.path());
    assert!(e.contains("no line of the first ones is a JSON object"), "{e}");
    // Every request filtered out: nothing to write.
    fs::write(dir.path().join("access.log"), MIXED).unwrap();
    let e = refused(&["import", "access.log", "--filter-status", "1xx", "--out", "site"], dir.path());
    assert!(e.contains("no requests to write: 7 lines read, 7 left out by --filter-status"), "{e}");
    // Flags: clap's usage errors are exit 2 too.
    for (flag, value, said) in [
        ("--max-bad", "1", "write a percentage like 1%"),
        ("--bucket", "500ms", "a whole number of seconds"),
        ("--filter-status", "ok", "expected status classes like 2xx"),
        ("--exclude", "(", "regex parse error"),
        ("--cpu-share", "1.5", "above 0 and at most 1"),
    ] {
        let e = refused(&["import", "access.log", flag, value, "--out", "site"], dir.path());
        assert!(e.contains(said), "{flag} {value}: {e}");
    }
    // A directory holding other files is not replaced.
    fs::create_dir(dir.path().join("site")).unwrap();
    fs::write(dir.path().join("site/notes.txt"), "mine").unwrap();
    let o = hostsim(&["import", "access.log", "--out", "site"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("holds notes.txt"), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(dir.path().join("site/notes.txt")).unwrap(), "mine");
}

#[test]
fn cpu_share_scales_the_fitted_workload() {
    let dir = tempfile::tempdir().unwrap();
    let spec = Spec {
        format: LogFormat::ApacheD,
        start_s: START_S,
        phases: &[(600.0, 20.0)],
        mean_s: 0.05,
        cv: 1.0,
        bad_every: 1_000_000,
        seed: 7,
    };
    fs::write(dir.path().join("access_log"), generate(&spec).0).unwrap();
    ok(hostsim(&["import", "access_log", "--out", "full"], dir.path()));
    ok(hostsim(&["import", "access_log", "--out", "half", "--cpu-share", "0.5"], dir.path()));
    let (family, full, cv) = cpu(&dir.path().join("full/workload.toml"));
    let (half_family, half, half_cv) = cpu(&dir.path().join("half/workload.toml"));
    assert_eq!((family, cv), (half_family, half_cv));
    // Means are written to 4 significant digits: half of a rounded mean is within 0.01 %.
    assert!((half / full - 0.5).abs() < 1e-4, "{half} vs {full}");
    let durations = |d: &str| fs::read_to_string(dir.path().join(d).join("durations.csv")).unwrap();
    let first = |text: String| text.lines().nth(1).unwrap().split_once(',').unwrap().0.parse::<f64>().unwrap();
    assert!((first(durations("half")) / first(durations("full")) - 0.5).abs() < 1e-5);
}
