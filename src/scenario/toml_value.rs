//! Values written as TOML text that reads back to the same value: numbers,
//! strings, keys, durations, distributions and inline tables.

use std::fmt::Write;

use super::duration::format_duration;
use super::model::{Dist, weibull_median_s, weibull_scale_s};
use crate::time::SimTime;

/// `{ k = v, … }`.
pub fn inline(pairs: &[(&str, String)]) -> String {
    let parts: Vec<String> = pairs.iter().map(|(k, v)| format!("{k} = {v}")).collect();
    format!("{{ {} }}", parts.join(", "))
}

/// A distribution as an inline table; durations to the microsecond.
pub fn dist(d: &Dist) -> String {
    let t = |s: f64| duration(SimTime::from_secs_f64(s));
    match *d {
        Dist::Constant { value_s } => format!("{{ dist = \"constant\", value = {} }}", t(value_s)),
        Dist::Exponential { mean_s } => format!("{{ dist = \"exponential\", mean = {} }}", t(mean_s)),
        Dist::Lognormal { mean_s, cv } => {
            format!("{{ dist = \"lognormal\", mean = {}, cv = {} }}", t(mean_s), number(cv))
        }
        Dist::Gamma { mean_s, cv } => format!("{{ dist = \"gamma\", mean = {}, cv = {} }}", t(mean_s), number(cv)),
        Dist::Uniform { min_s, max_s } => {
            format!("{{ dist = \"uniform\", min = {}, max = {} }}", t(min_s), t(max_s))
        }
        Dist::Pareto { mean_s, shape } => {
            format!("{{ dist = \"pareto\", mean = {}, shape = {} }}", t(mean_s), number(shape))
        }
        Dist::Weibull { median_s, shape, min_s, max_s } => {
            let (key, value) = weibull_size(median_s, shape);
            let mut pairs = vec![("dist", string("weibull")), (key, duration(value)), ("shape", number(shape))];
            if min_s > 0.0 {
                pairs.push(("min", t(min_s)));
            }
            if max_s.is_finite() {
                pairs.push(("max", t(max_s)));
            }
            inline(&pairs)
        }
        Dist::Empirical(ref e) => {
            let file = string(&e.path.to_string_lossy());
            format!("{{ dist = \"empirical\", file = {file}, unit = {} }}", string(e.unit.as_str()))
        }
    }
}

/// How a Weibull's size is written so that it reads back to the same
/// median: the median if it is a whole microsecond (as a median read from a
/// file is), else the scale if that is (as a scale read from a file is, its
/// median computed from it), else the median to the nearest microsecond.
fn weibull_size(median_s: f64, shape: f64) -> (&'static str, SimTime) {
    let median = SimTime::from_secs_f64(median_s);
    let scale = SimTime::from_secs_f64(weibull_scale_s(median_s, shape));
    if median.as_secs_f64() != median_s && weibull_median_s(scale.as_secs_f64(), shape) == median_s {
        ("scale", scale)
    } else {
        ("median", median)
    }
}

/// A constant as a plain duration string, any other distribution as a table.
pub fn duration_or_dist(d: &Dist) -> String {
    match *d {
        Dist::Constant { value_s } => duration(SimTime::from_secs_f64(value_s)),
        _ => dist(d),
    }
}

pub fn duration(t: SimTime) -> String {
    format!("\"{}\"", format_duration(t))
}

/// A number as TOML reads it back exactly: Rust prints the shortest string
/// that round-trips, without an exponent (integers come out as TOML integers).
pub fn number(x: f64) -> String {
    if x.is_finite() { format!("{x}") } else { "nan".into() }
}

/// `[a, b, …]`.
pub fn numbers(xs: &[f64]) -> String {
    let parts: Vec<String> = xs.iter().map(|&x| number(x)).collect();
    format!("[{}]", parts.join(", "))
}

/// A UTC offset in seconds (whole minutes) as `"-5h"`, `"+5h 30m"`, `"0h"`.
pub fn utc_offset(s: i32) -> String {
    let sign = if s < 0 {
        "-"
    } else if s > 0 {
        "+"
    } else {
        ""
    };
    let minutes = s.unsigned_abs() / 60;
    let (h, m) = (minutes / 60, minutes % 60);
    if m == 0 { format!("\"{sign}{h}h\"") } else { format!("\"{sign}{h}h {m}m\"") }
}

/// A TOML basic string.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A table key: bare when it can be, quoted otherwise.
pub fn key(k: &str) -> String {
    let bare = !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare { k.to_string() } else { string(k) }
}
