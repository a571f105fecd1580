//! Reading a recorded trace: a CSV file (plain or gzip-compressed) with one
//! row per bucket, a time column (seconds, or `time_unit`) and a request-count column,
//! streamed row by row so a trace of any length takes constant memory.
//!
//! Every row is checked as it is read: timestamps must be numbers below
//! 2^53 (held exactly) and increase by at least one bucket from row to row;
//! counts must be finite numbers >= 0. Rows before `start` are checked and
//! skipped. Spaces around names and values are ignored. A row is at most
//! `record_cap::MAX_RECORD_BYTES` long, and the file must be a regular
//! file: it is read once to check it and again for every replay.

use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use csv::{ByteRecord, ReaderBuilder};

use super::record_cap::{RecordCap, RecordTooLong};
use crate::model::Trace;
use crate::time::SimTime;
use crate::time::TimeUnit;

/// Counts above this are rejected as absurd (as rates are in a scenario).
pub const MAX_COUNT: f64 = 1e12;
/// Timestamps must be below 2^53 in magnitude: above it an f64 skips integers,
/// so a timestamp would be silently rounded.
const MAX_EXACT_TIME: f64 = 9_007_199_254_740_992.0;
/// Two timestamps closer than `bucket × (1 − this)` overlap (room for decimal rounding).
const SPACING_TOLERANCE: f64 = 1e-9;
/// Bytes read from the file at a time.
const BUFFER: usize = 1 << 16;

/// How to read a trace file: the `[traffic.trace]` keys that matter for reading.
#[derive(Clone, Copy, Debug)]
pub struct TraceSpec<'a> {
    /// The file as it is named in messages (the canonical path is opened the same way).
    pub path: &'a Path,
    pub time_column: &'a str,
    pub time_unit: TimeUnit,
    pub count_column: &'a str,
    /// Width of one row.
    pub bucket: SimTime,
    /// Rows with an earlier timestamp are skipped (in `time_unit`).
    pub start: Option<f64>,
}

impl<'a> From<&'a Trace> for TraceSpec<'a> {
    fn from(t: &'a Trace) -> TraceSpec<'a> {
        TraceSpec {
            path: &t.path,
            time_column: &t.time_column,
            time_unit: t.time_unit,
            count_column: &t.count_column,
            bucket: t.bucket,
            start: t.start,
        }
    }
}

/// A problem with a trace file: which file, which line (1-based, the header
/// is line 1) and what.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceError {
    pub file: PathBuf,
    pub line: Option<u64>,
    pub message: String,
}

impl fmt::Display for TraceError {
    /// `file:line: message`, as compilers print positions.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file.display(), self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

impl std::error::Error for TraceError {}

/// One kept row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Row {
    /// 1-based line number in the file.
    pub line: u64,
    /// The time column's value, in seconds.
    pub time_s: f64,
    /// The time column's value as written (in `time_unit`).
    pub time: f64,
    /// Requests in the row's bucket (before `scale`).
    pub count: f64,
}

/// Streams the rows of a trace file, checking each one.
pub struct TraceReader {
    csv: csv::Reader<Box<dyn Read + Send>>,
    record: ByteRecord,
    file: PathBuf,
    time_index: usize,
    count_index: usize,
    time_unit: TimeUnit,
    bucket: SimTime,
    start: Option<f64>,
    /// Timestamp of the previous row (kept or not, as written), for the order check.
    previous: Option<f64>,
    /// The smallest gap between consecutive rows so far, in seconds.
    min_gap_s: Option<f64>,
}

impl TraceReader {
    /// Opens the file (gzip-compressed if it starts with the gzip magic
    /// bytes) and finds the two columns in its header.
    pub fn open(spec: TraceSpec) -> Result<TraceReader, TraceError> {
        let file = spec.path.to_path_buf();
        let fail = |line: Option<u64>, message: String| TraceError { file: file.clone(), line, message };
        let input = open_csv(spec.path).map_err(|e| match e {
            OpenError::Io(e) => fail(None, format!("cannot read the trace file: {e}")),
            OpenError::NotAFile => fail(
                None,
                "not a regular file (a FIFO, device or directory): a trace is read once to check it and again \
                 for every replay, so it must be a file"
                    .into(),
            ),
        })?;
        let mut csv = ReaderBuilder::new().has_headers(true).buffer_capacity(BUFFER).from_reader(input);
        let header = csv.byte_headers().map_err(|e| csv_error(&file, &e))?.clone();
        let names: Vec<String> = header.iter().map(|h| String::from_utf8_lossy(h.trim_ascii()).into_owned()).collect();
        let find = |column: &str, key: &str| {
            names.iter().position(|n| n == column).ok_or_else(|| {
                let shown = if names.iter().all(String::is_empty) { "none".to_string() } else { names.join(", ") };
                fail(Some(1), format!("no column \"{column}\" (the header has: {shown}); set {key} to the right name"))
            })
        };
        let time_index = find(spec.time_column, "time_column")?;
        let count_index = find(spec.count_column, "count_column")?;
        Ok(TraceReader {
            csv,
            record: ByteRecord::new(),
            file,
            time_index,
            count_index,
            time_unit: spec.time_unit,
            bucket: spec.bucket,
            start: spec.start,
            previous: None,
            min_gap_s: None,
        })
    }

    /// The next row at or after `start`, checked; `None` at the end of the file.
    pub fn next_row(&mut self) -> Result<Option<Row>, TraceError> {
        loop {
            match self.csv.read_byte_record(&mut self.record) {
                Ok(true) => {}
                Ok(false) => return Ok(None),
                Err(e) => return Err(csv_error(&self.file, &e)),
            }
            let line = self.record.position().map_or(0, |p| p.line());
            let fail = |message: String| TraceError { file: self.file.clone(), line: Some(line), message };
            let time_field = self.record.get(self.time_index).unwrap_or_default();
            let time = match parse_number(time_field) {
                Some(t) if t.abs() < MAX_EXACT_TIME => t,
                Some(t) if t.is_finite() => {
                    return Err(fail(format!(
                        "timestamp \"{}\" is too large to hold exactly (at most 2^53 − 1 = 9007199254740991): \
                         the time column is in {}",
                        shown(time_field),
                        self.time_unit.long_name()
                    )));
                }
                _ => return Err(fail(format!("timestamp \"{}\" is not a number", shown(time_field)))),
            };
            let per_second = self.time_unit.per_second();
            if let Some(previous) = self.previous {
                let bucket_s = self.bucket.as_secs_f64();
                let gap_s = (time - previous) / per_second;
                if time <= previous {
                    return Err(fail(format!(
                        "timestamp {} is not after the previous row's {}: rows must be sorted by time, each time once",
                        shown(time_field),
                        previous
                    )));
                }
                if gap_s < bucket_s * (1.0 - SPACING_TOLERANCE) {
                    return Err(fail(format!(
                        "timestamp {} is less than one bucket ({}) after the previous row's {}: is bucket the width of one row?",
                        shown(time_field),
                        self.bucket,
                        previous
                    )));
                }
                self.min_gap_s = Some(self.min_gap_s.map_or(gap_s, |m| m.min(gap_s)));
            }
            let count_field = self.record.get(self.count_index).unwrap_or_default();
            let count = match parse_number(count_field) {
                Some(c) if c.is_nan() || c.is_infinite() => {
                    return Err(fail(format!("count \"{}\" is not a finite number", shown(count_field))));
                }
                Some(c) if c < 0.0 => return Err(fail(format!("count \"{}\" is negative", shown(count_field)))),
                Some(c) if c > MAX_COUNT => {
                    return Err(fail(format!("count \"{}\" is absurdly large (over 1e12)", shown(count_field))));
                }
                Some(c) => c,
                None => return Err(fail(format!("count \"{}\" is not a number", shown(count_field)))),
            };
            self.previous = Some(time);
            if self.start.is_some_and(|start| time < start) {
                continue;
            }
            return Ok(Some(Row { line, time_s: time / per_second, time, count }));
        }
    }

    /// The smallest gap between consecutive rows read so far, in seconds.
    pub fn min_gap_s(&self) -> Option<f64> {
        self.min_gap_s
    }
}

/// What one pass over a trace found.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TraceStats {
    /// Rows at or after `start`.
    pub rows: u64,
    /// The first of them's time as written (in `time_unit`): t = 0.
    pub first_time: f64,
    /// Sum of their counts (before `scale`).
    pub total: f64,
    /// The largest count of one of them (before `scale`).
    pub peak: f64,
    /// Last kept row's time − first kept row's time + bucket.
    pub length: SimTime,
    /// The smallest gap between consecutive rows, in seconds (`None` for one row).
    pub min_gap_s: Option<f64>,
}

/// Reads the whole trace once, checking every row, in constant memory.
pub fn scan(spec: TraceSpec) -> Result<TraceStats, TraceError> {
    let mut reader = TraceReader::open(spec)?;
    let mut first: Option<(f64, f64)> = None;
    let mut last = 0.0;
    let (mut rows, mut total, mut peak) = (0u64, 0.0, 0.0f64);
    while let Some(row) = reader.next_row()? {
        first.get_or_insert((row.time_s, row.time));
        last = row.time_s;
        rows += 1;
        total += row.count;
        peak = peak.max(row.count);
    }
    let Some((first, first_time)) = first else {
        let message = match spec.start {
            Some(start) => format!("no rows at or after start ({start}): the trace is empty from there"),
            None => "the trace has no rows".to_string(),
        };
        return Err(TraceError { file: spec.path.to_path_buf(), line: None, message });
    };
    let length = SimTime::from_secs_f64(last - first).0.saturating_add(spec.bucket.0);
    Ok(TraceStats { rows, first_time, total, peak, length: SimTime(length), min_gap_s: reader.min_gap_s() })
}

/// A number from CSV bytes: plain digits take a fast path; anything else
/// goes through the standard float parser. `None` if it is not a number.
#[inline]
pub fn parse_number(bytes: &[u8]) -> Option<f64> {
    let bytes = bytes.trim_ascii();
    if !bytes.is_empty() && bytes.len() <= 15 && bytes.iter().all(u8::is_ascii_digit) {
        let n = bytes.iter().fold(0u64, |n, &b| n * 10 + u64::from(b - b'0'));
        return Some(n as f64);
    }
    std::str::from_utf8(bytes).ok()?.parse::<f64>().ok()
}

/// A field as shown in a message: lossy UTF-8, at most 40 characters.
pub fn shown(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes.trim_ascii());
    let short: String = text.chars().take(40).collect();
    if short.len() < text.len() { format!("{short}…") } else { short }
}

/// A CSV-level error (bad UTF-8 in the header, unequal field counts, a row
/// over `record_cap::MAX_RECORD_BYTES`, I/O) with its line.
fn csv_error(file: &Path, e: &csv::Error) -> TraceError {
    let mut line = e.position().map(|p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("the row has {len} fields but the header has {expected_len}")
        }
        csv::ErrorKind::Io(io) => match io.get_ref().and_then(|e| e.downcast_ref::<RecordTooLong>()) {
            Some(long) => {
                line = Some(long.line);
                long.to_string()
            }
            None => format!("cannot read the trace file: {io}"),
        },
        _ => format!("not a readable CSV file: {e}"),
    };
    TraceError { file: file.to_path_buf(), line, message }
}

/// Why a CSV data file could not be opened.
#[derive(Debug)]
pub enum OpenError {
    Io(std::io::Error),
    /// A FIFO, device or directory: data files are read whole to check them.
    NotAFile,
}

/// Opens a CSV data file (a trace, an empirical distribution) for
/// streaming: a regular file, gunzipped if it starts with the gzip magic
/// bytes, each record capped at `record_cap::MAX_RECORD_BYTES`.
pub fn open_csv(path: &Path) -> Result<Box<dyn Read + Send>, OpenError> {
    let handle = open_without_waiting(path).map_err(OpenError::Io)?;
    // Checked on the open file, so nothing can be swapped in between.
    if !handle.metadata().map_err(OpenError::Io)?.is_file() {
        return Err(OpenError::NotAFile);
    }
    let input = decompressed(BufReader::with_capacity(BUFFER, handle)).map_err(OpenError::Io)?;
    Ok(Box::new(RecordCap::new(input)))
}

/// `input`, decompressed when it starts with the gzip magic bytes (several
/// gzip members in a row, as `cat a.gz b.gz` makes, are read as one).
pub fn decompressed<R: Read + Send + 'static>(mut input: BufReader<R>) -> std::io::Result<Box<dyn BufRead + Send>> {
    Ok(if input.fill_buf()?.starts_with(&[0x1f, 0x8b]) {
        Box::new(BufReader::with_capacity(BUFFER, flate2::bufread::MultiGzDecoder::new(input)))
    } else {
        Box::new(input)
    })
}

/// Opens `path` for reading without waiting: opening a FIFO blocks until a
/// writer comes, unless non-blocking (which changes nothing for a regular file).
fn open_without_waiting(path: &std::path::Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    options.open(path)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn spec(path: &Path) -> TraceSpec<'_> {
        TraceSpec {
            path,
            time_column: "timestamp_seconds",
            time_unit: TimeUnit::Seconds,
            count_column: "requests",
            bucket: SimTime::from_secs(60),
            start: None,
        }
    }

    #[test]
    fn scans_rows_with_gaps_and_start() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "t.csv", "requests,timestamp_seconds\n5,600\n7,660\n 2 , 900 \n");
        // Rows at 600, 660 and 900: length 900 − 600 + 60 = 360 s, total 14.
        let s = scan(spec(&p)).unwrap();
        // The rows are 60 and 240 s apart: the smallest gap is 60 s.
        let stats = |rows, first_time, total, length| TraceStats {
            rows,
            first_time,
            total,
            peak: 7.0,
            length: SimTime::from_secs(length),
            min_gap_s: Some(60.0),
        };
        assert_eq!(s, stats(3, 600.0, 14.0, 360));
        // From 630: the first row kept (t = 0) is at 660.
        let from_660 = scan(TraceSpec { start: Some(630.0), ..spec(&p) }).unwrap();
        assert_eq!(from_660, stats(2, 660.0, 9.0, 300));
        let e = scan(TraceSpec { start: Some(901.0), ..spec(&p) }).unwrap_err();
        assert!(e.message.contains("no rows at or after start (901)"), "{e}");
    }

    #[test]
    fn millisecond_and_microsecond_timestamps_become_seconds() {
        let dir = tempfile::tempdir().unwrap();
        // Rows at 600,000 and 660,000 ms (600 and 660 s) with a gap of one row: 600 → 780 s.
        let p = write(dir.path(), "t.csv", "timestamp_seconds,requests\n600000,5\n660000,7\n780000,2\n");
        let ms = TraceSpec { time_unit: TimeUnit::Millis, ..spec(&p) };
        // 780 − 600 + 60 = 240 s; the smallest gap 60 s.
        let s = scan(ms).unwrap();
        assert_eq!((s.rows, s.length, s.min_gap_s), (3, SimTime::from_secs(240), Some(60.0)));
        // start is in the column's unit: from 660,000 ms on.
        let from_660 = scan(TraceSpec { start: Some(659_999.5), ..ms }).unwrap();
        assert_eq!((from_660.rows, from_660.first_time), (2, 660_000.0));
        let mut reader = TraceReader::open(ms).unwrap();
        assert_eq!(reader.next_row().unwrap().unwrap().time_s, 600.0);
        // Read as seconds, the same rows are 60,000 s apart: 1,000 buckets.
        assert_eq!(scan(spec(&p)).unwrap().min_gap_s, Some(60_000.0));
        let us = write(dir.path(), "u.csv", "timestamp_seconds,requests\n0,1\n30000000,1\n");
        let e = scan(TraceSpec { time_unit: TimeUnit::Micros, ..spec(&us) }).unwrap_err();
        assert!(e.to_string().contains("u.csv:3: timestamp 30000000 is less than one bucket (1m)"), "{e}");
    }

    #[test]
    fn reads_gzip_by_its_magic_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv.gz");
        let mut gz = flate2::write::GzEncoder::new(File::create(&path).unwrap(), flate2::Compression::default());
        gz.write_all(b"timestamp_seconds,requests\n0,1.5\n60,2.5\n").unwrap();
        gz.finish().unwrap();
        assert_eq!(scan(spec(&path)).unwrap().total, 4.0);
    }

    #[test]
    fn every_bad_row_names_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let cases = [
            ("timestamp_seconds,requests\n0,1\n60,-5\n", "t.csv:3: count \"-5\" is negative"),
            ("timestamp_seconds,requests\n0,1\n60,abc\n", "t.csv:3: count \"abc\" is not a number"),
            ("timestamp_seconds,requests\n0,1\n60,\n", "t.csv:3: count \"\" is not a number"),
            ("timestamp_seconds,requests\n0,1\n60,nan\n", "t.csv:3: count \"nan\" is not a finite number"),
            ("timestamp_seconds,requests\n0,1\n60,1e13\n", "absurdly large"),
            ("timestamp_seconds,requests\n0,1\nx,1\n", "t.csv:3: timestamp \"x\" is not a number"),
            (
                "timestamp_seconds,requests\n0,1\n120,1\n60,1\n",
                "t.csv:4: timestamp 60 is not after the previous row's 120",
            ),
            ("timestamp_seconds,requests\n0,1\n0,1\n", "t.csv:3: timestamp 0 is not after"),
            ("timestamp_seconds,requests\n0,1\n30,1\n", "t.csv:3: timestamp 30 is less than one bucket (1m)"),
            ("timestamp_seconds,requests\n0,1\n60,1,3\n", "t.csv:3: the row has 3 fields but the header has 2"),
            ("time,requests\n0,1\n", "t.csv:1: no column \"timestamp_seconds\" (the header has: time, requests)"),
            ("timestamp_seconds,hits\n0,1\n", "no column \"requests\""),
            ("", "t.csv:1: no column \"timestamp_seconds\" (the header has: none)"),
            ("timestamp_seconds,requests\n", "the trace has no rows"),
        ];
        for (text, expected) in cases {
            let p = write(dir.path(), "t.csv", text);
            let e = scan(spec(&p)).unwrap_err().to_string();
            assert!(e.contains(expected), "{text:?}: expected {expected:?} in {e:?}");
        }
        let e = scan(spec(&dir.path().join("missing.csv"))).unwrap_err();
        assert_eq!(e.line, None);
        assert!(e.to_string().contains("missing.csv: cannot read the trace file"), "{e}");
    }

    #[test]
    fn long_rows_inexact_timestamps_and_non_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let long = format!("timestamp_seconds,requests\n0,1\n60,{}\n", "1".repeat(70_000));
        let e = scan(spec(&write(dir.path(), "t.csv", &long))).unwrap_err().to_string();
        assert!(e.contains("t.csv:3: a row longer than 64 KiB"), "{e}");
        // 2^53 − 1 is held exactly; 2^53 + 1 and 2^63 − 1 would be rounded.
        let ok = "timestamp_seconds,requests\n9007199254740931,1\n9007199254740991,1\n";
        assert_eq!(scan(spec(&write(dir.path(), "t.csv", ok))).unwrap().rows, 2);
        for huge in ["9007199254740993", "9223372036854775807", "-9007199254740992", "1e300"] {
            let text = format!("timestamp_seconds,requests\n0,1\n{huge},1\n");
            let e = scan(spec(&write(dir.path(), "t.csv", &text))).unwrap_err().to_string();
            assert!(e.contains(&format!("t.csv:3: timestamp \"{huge}\" is too large to hold exactly")), "{e}");
        }
        let e = scan(spec(dir.path())).unwrap_err();
        assert_eq!(e.line, None);
        assert!(e.message.starts_with("not a regular file"), "{e}");
    }

    #[test]
    fn numbers_parse_fast_or_slow_alike() {
        assert_eq!(parse_number(b"123456789012345"), Some(123_456_789_012_345.0));
        assert_eq!(parse_number(b"1234567890123456789"), Some(1.234_567_890_123_456_8e18));
        assert_eq!(parse_number(b"2.5"), Some(2.5));
        assert_eq!(parse_number(b"-3"), Some(-3.0));
        assert_eq!(parse_number(b""), None);
        assert_eq!(parse_number(b"1,5"), None);
    }
}
