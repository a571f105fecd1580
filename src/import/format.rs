//! Which log format a file is in, found from its first lines (or forced),
//! and the reading of one line in that format into a [`Request`].

use super::clf;
use super::json::{self, Fields};

/// Lines read from the start of each file to recognise its format.
pub const SAMPLE_LINES: usize = 100;

/// `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatChoice {
    /// Recognise the format from the first lines of each file.
    Auto,
    /// Common or Combined Log Format, with or without a request time as the last field.
    Clf,
    /// One JSON object per line.
    Json,
}

/// `--duration-unit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum UnitChoice {
    /// Seconds when the values have decimals; microseconds (Apache %D) when
    /// they are whole numbers and one of the first lines' is above 60;
    /// JSON field names ending in _ms or _us say so.
    Auto,
    S,
    Ms,
    Us,
}

/// The unit request times are logged in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    S,
    Ms,
    Us,
}

impl Unit {
    /// Units in a second (a divisor, so 51234 µs is exactly 0.051234 s).
    fn per_second(self) -> f64 {
        match self {
            Unit::S => 1.0,
            Unit::Ms => 1e3,
            Unit::Us => 1e6,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Unit::S => "seconds",
            Unit::Ms => "milliseconds",
            Unit::Us => "microseconds",
        }
    }
}

/// How the user asked for the format to be read.
#[derive(Clone, Copy, Debug)]
pub struct Choice<'a> {
    pub format: FormatChoice,
    pub unit: UnitChoice,
    pub time_field: Option<&'a str>,
    pub duration_field: Option<&'a str>,
}

/// A file's format, as recognised or forced.
#[derive(Clone, Debug, PartialEq)]
pub enum Format {
    /// Common or Combined; `unit` is that of the request time at the end, if logged.
    Clf {
        unit: Option<Unit>,
    },
    Json {
        fields: Fields,
        unit: Option<Unit>,
    },
}

/// What import keeps of one request.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// Unix seconds (UTC).
    pub time_s: f64,
    pub status: Option<u16>,
    /// The request target (path and query), "" if the log has none.
    pub target: String,
    /// The request time in seconds, if logged.
    pub duration_s: Option<f64>,
}

impl Format {
    /// Reads one line; the error says what is wrong with it.
    pub fn parse(&self, line: &str) -> Result<Request, String> {
        match self {
            Format::Clf { unit } => {
                let l = clf::parse(line)?;
                let duration = match (unit, l.last_field) {
                    (Some(unit), Some(field)) => clf::duration_value(field)?.map(|v| v / unit.per_second()),
                    _ => None,
                };
                Ok(Request {
                    time_s: l.time_s as f64,
                    status: Some(l.status),
                    target: l.target.into(),
                    duration_s: duration,
                })
            }
            Format::Json { fields, unit } => {
                let l = json::parse(line, fields)?;
                let duration = l.duration.map(|v| v / unit.unwrap_or(Unit::S).per_second());
                Ok(Request { time_s: l.time_s, status: l.status, target: l.target, duration_s: duration })
            }
        }
    }

    /// The format in words, for the summary.
    pub fn describe(&self) -> String {
        match self {
            Format::Clf { unit: None } => "Common/Combined Log Format, no request time".into(),
            Format::Clf { unit: Some(Unit::Us) } => {
                "Common/Combined Log Format, request time in microseconds as the last field (Apache %D)".into()
            }
            Format::Clf { unit: Some(u) } => format!(
                "Common/Combined Log Format, request time in {} as the last field{}",
                u.name(),
                if *u == Unit::S { " (nginx $request_time or $upstream_response_time, Apache %T)" } else { "" }
            ),
            Format::Json { fields, unit } => match (&fields.duration, unit) {
                (Some(d), Some(u)) => {
                    format!("JSON lines, time in \"{}\", request time in \"{d}\" ({})", fields.time, u.name())
                }
                _ => format!("JSON lines, time in \"{}\", no request time", fields.time),
            },
        }
    }
}

/// Recognises the format of a file from its first non-blank lines.
pub fn detect(sample: &[String], choice: &Choice) -> Result<Format, String> {
    let clf_lines: Vec<clf::ClfLine> = sample.iter().filter_map(|l| clf::parse(l).ok()).collect();
    let objects: Vec<_> = sample.iter().filter_map(|l| json::object(l).ok()).collect();
    let is_json = match choice.format {
        FormatChoice::Clf => false,
        FormatChoice::Json => true,
        FormatChoice::Auto if clf_lines.is_empty() && objects.is_empty() => {
            let first = sample.first().map_or("the file is empty".to_string(), |l| {
                format!("as the Common Log Format, its first line has {}", clf::parse(l).err().unwrap_or_default())
            });
            return Err(format!(
                "cannot recognise the log format from the first {} lines ({first}; nor is it JSON lines); \
                 hostsim reads the Common and Combined Log Formats and JSON lines (--format)",
                sample.len()
            ));
        }
        FormatChoice::Auto => objects.len() > clf_lines.len(),
    };
    if is_json {
        let first = objects.first().ok_or("no line of the first ones is a JSON object (--format json)")?;
        let fields = json::fields(first, choice.time_field, choice.duration_field)?;
        let values: Vec<(bool, f64)> = match &fields.duration {
            None => vec![],
            Some(name) => objects
                .iter()
                .filter_map(|o| match o.get(name)? {
                    serde_json::Value::Number(n) => Some((n.is_f64(), n.as_f64()?)),
                    serde_json::Value::String(s) => Some((s.contains('.'), s.trim().parse().ok()?)),
                    _ => None,
                })
                .collect(),
        };
        let named = fields.duration.as_deref().and_then(|n| {
            let n = n.to_ascii_lowercase();
            if n.ends_with("_ms") {
                Some(Unit::Ms)
            } else if n.ends_with("_us") {
                Some(Unit::Us)
            } else {
                None
            }
        });
        let unit = fields.duration.as_ref().and_then(|_| chosen(choice.unit).or(named).or_else(|| guess(&values)));
        return Ok(Format::Json { fields, unit });
    }
    if choice.format == FormatChoice::Clf && clf_lines.is_empty() {
        let reason = sample.first().and_then(|l| clf::parse(l).err()).unwrap_or_else(|| "the file is empty".into());
        return Err(format!(
            "none of the first {} lines is in the Common Log Format: the first has {reason}",
            sample.len()
        ));
    }
    let values: Vec<(bool, f64)> = clf_lines
        .iter()
        .filter_map(|l| {
            let field = l.last_field?;
            Some((field.contains('.'), clf::duration_value(field).ok()??))
        })
        .collect();
    let logged = clf_lines.iter().filter(|l| l.last_field.is_some_and(|f| clf::duration_value(f).is_ok())).count();
    let unit = match chosen(choice.unit) {
        Some(u) => Some(u),
        // Most lines end with a number (or `-`): a request time is logged.
        None if 2 * logged >= clf_lines.len() && !values.is_empty() => guess(&values),
        None => None,
    };
    Ok(Format::Clf { unit })
}

fn chosen(unit: UnitChoice) -> Option<Unit> {
    match unit {
        UnitChoice::Auto => None,
        UnitChoice::S => Some(Unit::S),
        UnitChoice::Ms => Some(Unit::Ms),
        UnitChoice::Us => Some(Unit::Us),
    }
}

/// The unit of logged request times (written with a decimal point or not,
/// value): seconds if any has decimals (nginx writes `0.052`); whole
/// numbers above 60 are microseconds (Apache %D: no request takes over a
/// minute at every line, and %D values are rarely below 60 µs); otherwise
/// seconds (Apache %T).
fn guess(values: &[(bool, f64)]) -> Option<Unit> {
    if values.is_empty() {
        return None;
    }
    let decimals = values.iter().any(|&(point, v)| point || v.fract() != 0.0);
    let max = values.iter().map(|&(_, v)| v).fold(0.0, f64::max);
    Some(if decimals || max <= 60.0 { Unit::S } else { Unit::Us })
}

#[cfg(test)]
mod tests {
    use super::*;

    const AUTO: Choice =
        Choice { format: FormatChoice::Auto, unit: UnitChoice::Auto, time_field: None, duration_field: None };

    fn detected(lines: &[&str]) -> Result<Format, String> {
        let sample: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        detect(&sample, &AUTO)
    }

    const COMBINED: &str = r#"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)""#;

    #[test]
    fn each_format_is_recognised_from_its_first_lines() {
        assert_eq!(detected(&[COMBINED, "garbage"]).unwrap(), Format::Clf { unit: None });
        let nginx = format!("{COMBINED} 0.052");
        assert_eq!(detected(&[&nginx, &format!("{COMBINED} 1.000")]).unwrap(), Format::Clf { unit: Some(Unit::S) });
        let apache_d = format!("{COMBINED} 51234");
        assert_eq!(detected(&[&apache_d, &format!("{COMBINED} 12")]).unwrap(), Format::Clf { unit: Some(Unit::Us) });
        let apache_t = format!("{COMBINED} 0");
        assert_eq!(detected(&[&apache_t, &format!("{COMBINED} 2")]).unwrap(), Format::Clf { unit: Some(Unit::S) });
        let upstream = format!("{COMBINED} -");
        assert_eq!(detected(&[&upstream, &nginx]).unwrap(), Format::Clf { unit: Some(Unit::S) });
        let json = r#"{"time":"2024-05-01T12:00:00Z","status":200,"duration_ms":52}"#;
        let fields = Fields { time: "time".into(), duration: Some("duration_ms".into()) };
        assert_eq!(detected(&[json]).unwrap(), Format::Json { fields, unit: Some(Unit::Ms) });
        let json = r#"{"time":"2024-05-01T12:00:00Z","status":200}"#;
        assert_eq!(
            detected(&[json]).unwrap(),
            Format::Json { fields: Fields { time: "time".into(), duration: None }, unit: None }
        );
    }

    #[test]
    fn forced_formats_and_units_win() {
        let sample = vec![format!("{COMBINED} 12")];
        let forced = Choice { unit: UnitChoice::Ms, ..AUTO };
        assert_eq!(detect(&sample, &forced).unwrap(), Format::Clf { unit: Some(Unit::Ms) });
        let e = detect(&sample, &Choice { format: FormatChoice::Json, ..AUTO }).unwrap_err();
        assert!(e.contains("--format json"), "{e}");
        let e = detect(&["{}".to_string()], &Choice { format: FormatChoice::Clf, ..AUTO }).unwrap_err();
        assert!(e.contains("none of the first 1 lines is in the Common Log Format"), "{e}");
        let e = detected(&["hello", "world"]).unwrap_err();
        assert!(e.contains("cannot recognise the log format") && e.contains("no [time] field"), "{e}");
    }

    #[test]
    fn lines_become_requests_in_seconds() {
        let apache_d = Format::Clf { unit: Some(Unit::Us) };
        let r = apache_d.parse(&format!("{COMBINED} 51234")).unwrap();
        assert_eq!(
            r,
            Request {
                time_s: 971_211_336.0,
                status: Some(200),
                target: "/apache_pb.gif".into(),
                duration_s: Some(0.051234)
            }
        );
        let none = Format::Clf { unit: None };
        assert_eq!(none.parse(&format!("{COMBINED} 51234")).unwrap().duration_s, None);
        let json =
            Format::Json { fields: Fields { time: "t".into(), duration: Some("d".into()) }, unit: Some(Unit::Ms) };
        assert_eq!(json.parse(r#"{"t":1000000000,"d":"52"}"#).unwrap().duration_s, Some(0.052));
    }
}
