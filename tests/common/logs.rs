//! A seeded access-log generator: Poisson arrivals in phases of known rate,
//! lognormal request times, and malformed lines at known places, written
//! in the formats `hostsim import` reads. It keeps the per-minute counts of
//! the lines it wrote, so an import can be checked exactly as well as
//! against theory.

use std::collections::BTreeMap;
use std::fmt::Write;

use hostsim::import::clock::civil_from_days;
use rand::SeedableRng;
use rand_distr::{Distribution, Exp, LogNormal};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The log formats generated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// nginx combined + `$request_time` (seconds, 3 decimals), local time +02:00.
    NginxCombined,
    /// Apache `%h %l %u %t "%r" %>s %b %D` (microseconds), local time -07:00.
    ApacheD,
    /// nginx `escape=json` lines: ISO time with milliseconds and +02:00, numbers as strings.
    JsonLines,
}

/// What was written.
#[derive(Debug, Default)]
pub struct Generated {
    /// Valid lines per minute (minute start, Unix seconds UTC).
    pub per_minute: BTreeMap<i64, u64>,
    pub lines: u64,
    /// Malformed lines, and their 1-based line numbers.
    pub bad_lines: Vec<u64>,
}

/// Phases of constant rate (seconds long, requests per second) from
/// `start_s` (Unix seconds); request times lognormal with `mean_s` and `cv`;
/// a malformed line after every `bad_every` valid ones.
pub struct Spec<'a> {
    pub format: LogFormat,
    pub start_s: i64,
    pub phases: &'a [(f64, f64)],
    pub mean_s: f64,
    pub cv: f64,
    pub bad_every: u64,
    pub seed: u64,
}

/// `dd/Mon/yyyy:HH:MM:SS ±HHMM` of Unix second `t` at `offset_min` east of UTC.
pub fn clf_time(t: i64, offset_min: i64) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let local = t + offset_min * 60;
    let (y, m, d) = civil_from_days(local.div_euclid(86_400));
    let s = local.rem_euclid(86_400);
    let sign = if offset_min < 0 { '-' } else { '+' };
    let o = offset_min.abs();
    let month = MONTHS[m as usize - 1];
    format!("{d:02}/{month}/{y}:{:02}:{:02}:{:02} {sign}{:02}{:02}", s / 3600, s % 3600 / 60, s % 60, o / 60, o % 60)
}

/// ISO 8601 with milliseconds of Unix time `t` at +02:00.
pub fn iso_time(t: f64) -> String {
    let whole = t.floor() as i64;
    let local = whole + 7200;
    let (y, m, d) = civil_from_days(local.div_euclid(86_400));
    let s = local.rem_euclid(86_400);
    let ms = ((t - whole as f64) * 1000.0).floor() as i64;
    format!("{y}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{ms:03}+02:00", s / 3600, s % 3600 / 60, s % 60)
}

const BAD: [&str; 4] = [
    "this line is not a log line",
    r#"192.0.2.1 - - [31/Feb/2024:00:00:00 +0000] "GET / HTTP/1.1" 200 1"#,
    r#"192.0.2.1 - - [01/May/2024:00:00:00 +0000] "GET / HTTP/1.1" OK 1"#,
    "{\"time\": ",
];

/// The log's text and what it holds.
pub fn generate(spec: &Spec) -> (String, Generated) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(spec.seed);
    let sigma2 = (1.0 + spec.cv * spec.cv).ln();
    let durations = LogNormal::new(spec.mean_s.ln() - sigma2 / 2.0, sigma2.sqrt()).unwrap();
    let mut text = String::new();
    let mut g = Generated::default();
    let mut phase_start = spec.start_s as f64;
    for &(length_s, rps) in spec.phases {
        let gaps = Exp::new(rps).unwrap();
        let mut t = phase_start + gaps.sample(&mut rng);
        while t < phase_start + length_s {
            let d: f64 = durations.sample(&mut rng);
            let whole = t.floor() as i64;
            let path = format!("/api/items/{}", g.lines % 97);
            match spec.format {
                LogFormat::NginxCombined => writeln!(
                    text,
                    r#"203.0.113.{} - - [{}] "GET {path} HTTP/1.1" 200 512 "-" "Mozilla/5.0 (X11; Linux x86_64)" {d:.3}"#,
                    g.lines % 250,
                    clf_time(whole, 120)
                ),
                LogFormat::ApacheD => writeln!(
                    text,
                    r#"198.51.100.{} - - [{}] "GET {path} HTTP/1.1" 200 10801 {}"#,
                    g.lines % 250,
                    clf_time(whole, -420),
                    (d * 1e6).round() as u64
                ),
                LogFormat::JsonLines => writeln!(
                    text,
                    r#"{{"time":"{}","remote_addr":"203.0.113.9","request":"GET {path} HTTP/1.1","status":"200","body_bytes_sent":"512","request_time":"{d:.3}"}}"#,
                    iso_time(t)
                ),
            }
            .unwrap();
            // A JSON line's time has milliseconds; its minute is that of the exact time.
            *g.per_minute.entry(t.floor().div_euclid(60.0) as i64 * 60).or_default() += 1;
            g.lines += 1;
            if g.lines.is_multiple_of(spec.bad_every) {
                text.push_str(BAD[(g.lines / spec.bad_every) as usize % BAD.len()]);
                text.push('\n');
                g.lines += 1;
                g.bad_lines.push(g.lines);
            }
            t += gaps.sample(&mut rng);
        }
        phase_start += length_s;
    }
    (text, g)
}
