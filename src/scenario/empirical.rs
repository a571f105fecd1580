//! `{ dist = "empirical", file = "durations.csv", unit = "ms" }`: a
//! distribution read from a CSV file (plain or gzip) relative to the
//! scenario file. Rows are `value` or `value,weight` (all the same form),
//! after an optional header row (a first row whose first field is not a
//! number); values are durations in `unit` (default seconds), >= 0;
//! weights >= 0 with a positive sum. Every row is checked and a problem
//! names the file and line.

use std::path::Path;

use csv::{ByteRecord, ReaderBuilder};

use super::error::Diag;
use super::file::data_file;
use super::model::{Dist, Empirical, FileUnit};
use super::reader::{Field, MAX_DURATION, MAX_MAGNITUDE, Table};
use crate::traffic::record_cap::{MAX_RECORD_BYTES, RecordTooLong};
use crate::traffic::trace::{OpenError, open_csv, parse_number as number, shown};

/// The keys besides `dist`.
pub const KEYS: &[&str] = &["file", "unit"];

/// Most rows in a file: the table is held in memory (16 bytes a row, 16 MB
/// at the cap); a larger sample is better binned into `value,weight` rows.
pub const MAX_ROWS: usize = 1_000_000;

/// Reads the `file` and `unit` keys of `t` and the file they name.
pub fn read(t: &Table, source: &Path) -> Result<Dist, Diag> {
    let example = "file = \"durations.csv\"   # relative to this scenario file";
    let file_field = t.require("file", example)?;
    let unit = t.get("unit").map(|f| unit(&f)).transpose()?.unwrap_or(FileUnit::Seconds);
    let (shown, path) = data_file(&file_field, source, "the distribution file")?;
    let at = |line: Option<u64>, message: String| {
        let place = line.map_or(String::new(), |l| format!(":{l}"));
        file_field.error(format!("{}{place}: {message}", shown.display()))
    };
    let rows = rows(&path, unit).map_err(|(line, message)| at(line, message))?;
    if rows.is_empty() {
        return Err(at(None, "no rows: write one duration per row, or value,weight rows".into()));
    }
    Empirical::new(path, unit, rows)
        .map(Dist::Empirical)
        .ok_or_else(|| at(None, "the weights sum to 0: at least one row needs a positive weight".into()))
}

/// `unit`: "s", "ms" or "us".
fn unit(f: &Field) -> Result<FileUnit, Diag> {
    let name = f.str()?;
    FileUnit::ALL.into_iter().find(|u| u.name() == name).ok_or_else(|| {
        let names: Vec<String> = FileUnit::ALL.iter().map(|u| format!("\"{}\"", u.name())).collect();
        f.error(format!("unknown unit \"{name}\"; the file's values are in {}", names.join(", ")))
    })
}

/// A problem: the 1-based line (if any) and what.
type RowError = (Option<u64>, String);

/// Every row as (value in seconds, weight), checked.
fn rows(path: &Path, unit: FileUnit) -> Result<Vec<(f64, f64)>, RowError> {
    let input = open_csv(path).map_err(|e| match e {
        OpenError::Io(e) => (None, format!("cannot read: {e}")),
        OpenError::NotAFile => (None, "not a regular file (a FIFO, device or directory)".to_string()),
    })?;
    let mut csv = ReaderBuilder::new().has_headers(false).flexible(true).from_reader(input);
    let mut record = ByteRecord::new();
    let mut rows: Vec<(f64, f64)> = Vec::new();
    // The field count of the first data row, and its line.
    let mut form: Option<(usize, u64)> = None;
    let mut first_record = true;
    while csv.read_byte_record(&mut record).map_err(|e| csv_error(&e))? {
        let line = record.position().map_or(0, |p| p.line());
        let fail = |message: String| Err((Some(line), message));
        let value_field = record.get(0).unwrap_or_default();
        let header_allowed = std::mem::replace(&mut first_record, false);
        let Some(value) = number(value_field) else {
            if header_allowed {
                continue;
            }
            return fail(format!("value \"{}\" is not a number", shown(value_field)));
        };
        let fields = record.len();
        match form {
            None if fields > 2 => {
                return fail(format!("{fields} fields: a row is `value` or `value,weight`"));
            }
            None => form = Some((fields, line)),
            Some((first, first_line)) if first != fields => {
                return fail(format!(
                    "{fields} field(s) where line {first_line} has {first}: all rows must be `value` or all `value,weight`"
                ));
            }
            Some(_) => {}
        }
        if rows.len() == MAX_ROWS {
            return fail(format!(
                "more than {MAX_ROWS} rows: bin the values into value,weight rows (a weight is a count)"
            ));
        }
        if !value.is_finite() {
            return fail(format!("value \"{}\" is not a finite number", shown(value_field)));
        }
        if value < 0.0 {
            return fail(format!("value \"{}\" is negative: durations are >= 0", shown(value_field)));
        }
        let value_s = unit.to_secs(value);
        if value_s > MAX_DURATION.as_secs_f64() {
            return fail(format!("value \"{}\" {} is longer than 1000 years", shown(value_field), unit.name()));
        }
        let weight = match record.get(1) {
            None => 1.0,
            Some(w) => match number(w) {
                Some(x) if !x.is_finite() || x > MAX_MAGNITUDE => {
                    return fail(format!("weight \"{}\" is not a finite number up to 1e12", shown(w)));
                }
                Some(x) if x < 0.0 => return fail(format!("weight \"{}\" is negative", shown(w))),
                Some(x) => x,
                None => return fail(format!("weight \"{}\" is not a number", shown(w))),
            },
        };
        rows.push((value_s, weight));
    }
    Ok(rows)
}

/// A CSV-level error (I/O, a row over `MAX_RECORD_BYTES`) with its line.
fn csv_error(e: &csv::Error) -> RowError {
    let line = e.position().map(|p| p.line());
    match e.kind() {
        csv::ErrorKind::Io(io) => match io.get_ref().and_then(|e| e.downcast_ref::<RecordTooLong>()) {
            Some(long) => (
                Some(long.line),
                format!("a row longer than {} KiB: is this a file of durations?", MAX_RECORD_BYTES / 1024),
            ),
            None => (line, format!("cannot read: {io}")),
        },
        _ => (line, format!("not a readable CSV file: {e}")),
    }
}
