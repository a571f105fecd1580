//! `[traffic.trace]`: a recorded trace to replay. The file is read once here,
//! streaming, to check every row and learn its length (the default horizon);
//! the simulation reads it again, row by row.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use super::error::Diag;
use super::file::data_file;
use super::model::Trace;
use super::node::Value;
use super::reader::{Bounds, Field, MAX_DURATION};
use super::spec::{Key, TIME_UNITS, Type};
use crate::time::{SimTime, TimeUnit};
use crate::traffic::trace::{TraceError, TraceSpec, TraceStats, scan};

/// `[traffic.trace]`.
pub const KEYS: &[Key] = &[
    Key::new(
        "file",
        Type::Str,
        "a CSV file with a header row, plain or gzip-compressed, relative to the scenario file",
    )
    .default("required"),
    Key::new("time_column", Type::Str, "each row's start time in time_unit (e.g. Unix time)")
        .default("\"timestamp_seconds\""),
    Key::new("time_unit", Type::OneOf(TIME_UNITS), "the time column's unit").default("\"s\""),
    Key::new("count_column", Type::Str, "requests in the row's bucket, a number >= 0").default("\"requests\""),
    Key::new("bucket", Type::Duration, "the time one row covers").default("required"),
    Key::new("scale", Type::Number, "multiplies every count (> 0)").default("1"),
    Key::new(
        "start",
        Type::Either(&[Type::Str, Type::Number]),
        "skip rows before it: a UTC date \"1998-06-10\", a date-time, or a number in the time column's unit",
    )
    .default("the first row"),
];
/// The time column's name unless `time_column` says otherwise.
pub const DEFAULT_TIME_COLUMN: &str = "timestamp_seconds";
/// The count column's name unless `count_column` says otherwise.
pub const DEFAULT_COUNT_COLUMN: &str = "requests";
/// Scans remembered, so re-validating a scenario (e.g. per sweep point) does
/// not re-read a large trace.
const CACHE_SIZE: usize = 16;

/// Reads `[traffic.trace]`; `source` is the scenario file (`file` is relative to it).
pub fn read(f: &Field, source: &Path) -> Result<Trace, Diag> {
    let t = f.table(KEYS)?;
    let file_field = t.require("file", "file = \"traces/my-site.csv\"   # relative to this scenario file")?;
    let column = |key: &str, default: &str| -> Result<String, Diag> {
        match t.get(key) {
            None => Ok(default.to_string()),
            Some(f) if f.str()?.is_empty() => Err(f.error("must not be empty")),
            Some(f) => Ok(f.str()?.to_string()),
        }
    };
    let time_column = column("time_column", DEFAULT_TIME_COLUMN)?;
    let count_column = column("count_column", DEFAULT_COUNT_COLUMN)?;
    let bucket = t
        .require("bucket", "bucket = \"1m\"   # the time one row covers")?
        .positive_duration()
        .map_err(|d| d.hint("bucket is the time one row of the trace covers, e.g. \"1m\" for per-minute counts"))?;
    let unit_field = t.get("time_unit");
    let time_unit = unit_field.as_ref().map_or(Ok(TimeUnit::Seconds), |f| f.time_unit("the time column"))?;
    let scale = t.number_or("scale", 1.0, Bounds::POSITIVE)?;
    let start = t.get("start").map(|f| start(&f, time_unit)).transpose()?;
    let (shown, path) = data_file(&file_field, source, "the trace file")?;
    let spec =
        TraceSpec { path: &path, time_column: &time_column, time_unit, count_column: &count_column, bucket, start };
    // Messages name the file as the user wrote it (relative to the working directory).
    let stats = scan_cached(spec).map_err(|e| trace_error(&file_field, &TraceError { file: shown.clone(), ..e }))?;
    if unit_field.is_none()
        && let Some(diag) = unit_mistake(&file_field, &shown, &stats, bucket)
    {
        return Err(diag);
    }
    if stats.length > MAX_DURATION {
        return Err(file_field.error(format!("{}: the trace spans more than 1000 years", shown.display())));
    }
    Ok(Trace {
        path,
        time_column,
        time_unit,
        count_column,
        bucket,
        scale,
        // The first row kept, which is t = 0 (no row lies between them, so
        // the same rows are kept): `resolved.toml` and the charts' dates start there.
        start: start.map(|_| stats.first_time),
        rows: stats.rows,
        total_requests: stats.total,
        peak_count: stats.peak,
        length: stats.length,
    })
}

/// A trace problem, reported at the scenario's `file` key and naming the
/// trace file and line: `traffic.trace.file: traces/x.csv:12: count "-5" is negative`.
fn trace_error(file_field: &Field, e: &TraceError) -> Diag {
    let diag = file_field.error(e.to_string());
    if e.message.starts_with("no column") {
        diag.hint(format!(
            "time_column defaults to \"{DEFAULT_TIME_COLUMN}\" and count_column to \"{DEFAULT_COUNT_COLUMN}\""
        ))
    } else {
        diag
    }
}

/// With no `time_unit` written, rows exactly 1,000 or 1,000,000 buckets
/// apart (the smallest gap between rows) are millisecond or microsecond
/// timestamps read as seconds: replayed 1,000 times too slowly. Writing
/// `time_unit` (even "s") says the unit is meant.
fn unit_mistake(file_field: &Field, shown: &Path, stats: &TraceStats, bucket: SimTime) -> Option<Diag> {
    let ratio = stats.min_gap_s? / bucket.as_secs_f64();
    let unit = [(1e3, TimeUnit::Millis), (1e6, TimeUnit::Micros)]
        .into_iter()
        .find(|(factor, _)| (ratio / factor - 1.0).abs() < 1e-9)
        .map(|(_, unit)| unit)?;
    Some(
        file_field
            .error(format!(
                "{}: consecutive rows are at least {} apart in seconds, exactly {} × bucket ({bucket}): \
                 the timestamps look like {}",
                shown.display(),
                crate::scenario::node::compact(ratio * bucket.as_secs_f64()),
                ratio.round(),
                unit.long_name()
            ))
            .hint(format!(
                "set time_unit = \"{}\" in [traffic.trace] (or time_unit = \"s\" if the rows really are that far apart)",
                unit.as_str()
            )),
    )
}

/// `start`: a number (in the time column's unit), or a UTC date or
/// date-time compared with Unix time (in that unit).
fn start(f: &Field, unit: TimeUnit) -> Result<f64, Diag> {
    let text = match &f.node.value {
        Value::Int(_) | Value::Float(_) => return f.number(Bounds::NONNEG),
        Value::Str(s) | Value::Datetime(s) => s,
        _ => return Err(f.error(format!("expected a date like \"1998-06-10\" or seconds, got {}", f.node.describe()))),
    };
    unix_seconds(text).map(|s| s * unit.per_second()).ok_or_else(|| {
        f.error(format!("cannot read \"{text}\" as a date"))
            .hint("write a UTC date \"1998-06-10\", a date-time \"1998-06-10T12:00:00Z\", or a number of seconds")
    })
}

/// Unix time of `YYYY-MM-DD`, optionally followed by `THH:MM[:SS[.fff]]` and
/// `Z` or an offset `±HH:MM` (no offset means UTC).
pub fn unix_seconds(text: &str) -> Option<f64> {
    let text = text.trim();
    let (date, time) = match text.find(['T', 't', ' ']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let mut parts = date.splitn(3, '-');
    let year: i64 = digits(parts.next()?, 4)?;
    let month: u32 = digits(parts.next()?, 2)?;
    let day: u32 = digits(parts.next()?, 2)?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let mut seconds = days_from_civil(year, month, day) as f64 * 86_400.0;
    if let Some(time) = time {
        let (clock, offset_s) = match time.find(['Z', 'z', '+', '-']) {
            Some(i) => (&time[..i], offset(&time[i..])?),
            None => (time, 0.0),
        };
        let mut hms = clock.splitn(3, ':');
        let hours: u32 = digits(hms.next()?, 2)?;
        let minutes: u32 = digits(hms.next()?, 2)?;
        let secs: f64 = match hms.next() {
            Some(s) if s.len() >= 2 && s.as_bytes()[..2].iter().all(u8::is_ascii_digit) => s.parse().ok()?,
            Some(_) => return None,
            None => 0.0,
        };
        if hours > 23 || minutes > 59 || !(0.0..60.0).contains(&secs) {
            return None;
        }
        seconds += f64::from(hours * 3600 + minutes * 60) + secs - offset_s;
    }
    Some(seconds)
}

/// `Z` → 0; `+HH:MM` / `-HH:MM` → seconds east of UTC.
fn offset(text: &str) -> Option<f64> {
    if text.eq_ignore_ascii_case("z") {
        return Some(0.0);
    }
    let sign = if text.starts_with('-') { -1.0 } else { 1.0 };
    let (h, m) = text.get(1..)?.split_once(':')?;
    let (h, m): (u32, u32) = (digits(h, 2)?, digits(m, 2)?);
    (h <= 23 && m <= 59).then(|| sign * f64::from(h * 3600 + m * 60))
}

/// Exactly `len` ASCII digits.
fn digits<T: std::str::FromStr>(s: &str, len: usize) -> Option<T> {
    (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

/// Days in a month of the proleptic Gregorian calendar.
pub(crate) fn days_in_month(year: i64, month: u32) -> u32 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// What identifies one scan: the file as it is now, and how it is read.
#[derive(Clone, Debug, PartialEq)]
struct ScanKey {
    path: PathBuf,
    len: u64,
    modified: Option<SystemTime>,
    time_column: String,
    time_unit: TimeUnit,
    count_column: String,
    bucket: SimTime,
    start_bits: Option<u64>,
}

static SCANS: Mutex<Vec<(ScanKey, TraceStats)>> = Mutex::new(Vec::new());

/// `scan`, remembering the result for an unchanged file (same size and
/// modification time) read the same way.
fn scan_cached(spec: TraceSpec) -> Result<TraceStats, TraceError> {
    let meta = std::fs::metadata(spec.path).ok();
    let key = ScanKey {
        path: spec.path.to_path_buf(),
        len: meta.as_ref().map_or(0, std::fs::Metadata::len),
        modified: meta.and_then(|m| m.modified().ok()),
        time_column: spec.time_column.to_string(),
        time_unit: spec.time_unit,
        count_column: spec.count_column.to_string(),
        bucket: spec.bucket,
        start_bits: spec.start.map(f64::to_bits),
    };
    if let Ok(cache) = SCANS.lock()
        && let Some((_, stats)) = cache.iter().find(|(k, _)| *k == key)
    {
        return Ok(*stats);
    }
    let stats = scan(spec)?;
    if let Ok(mut cache) = SCANS.lock() {
        if cache.len() >= CACHE_SIZE {
            cache.remove(0);
        }
        cache.push((key, stats));
    }
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_become_unix_seconds() {
        // 1998-06-10 is 10,387 days after 1970-01-01: 897,436,800 s.
        assert_eq!(unix_seconds("1998-06-10"), Some(897_436_800.0));
        assert_eq!(unix_seconds("1970-01-01"), Some(0.0));
        assert_eq!(unix_seconds("2000-02-29T12:30:00Z"), Some(951_782_400.0 + 45_000.0));
        // 1995-07-01 00:00 at -04:00 is 04:00 UTC.
        assert_eq!(unix_seconds("1995-07-01T00:00:00-04:00"), Some(804_571_200.0));
        assert_eq!(unix_seconds("1995-07-01 04:00"), Some(804_571_200.0));
        assert_eq!(unix_seconds("1995-07-01T04:00:00.5"), Some(804_571_200.5));
        assert_eq!(unix_seconds("1998-06-10 00:00:00+02:00"), Some(897_436_800.0 - 7_200.0));
        for bad in ["1998-6-10", "1998-13-01", "1999-02-29", "1998-06-10T24:00", "1998-06-10T12", "x", ""] {
            assert_eq!(unix_seconds(bad), None, "{bad}");
        }
    }
}
