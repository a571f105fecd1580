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
use super::model::{Dist, Empirical};
use super::reader::{Field, MAX_DURATION, MAX_MAGNITUDE};
use super::spec::{Key, TIME_UNITS, Type};
use crate::time::TimeUnit;
use crate::traffic::record_cap::{MAX_RECORD_BYTES, RecordTooLong};
use crate::traffic::trace::{OpenError, open_csv, parse_number as number, shown};

/// The keys besides `dist`.
pub const KEYS: &[Key] = &[
    Key::new("file", Type::Str, "a CSV file of value or value,weight rows, relative to the scenario file")
        .default("required"),
    Key::new("unit", Type::OneOf(TIME_UNITS), "the unit of the file's values").default("\"s\""),
];

/// Most rows in a file: the table is held in memory (16 bytes a row, 16 MB
/// at the cap); a larger sample is better binned into `value,weight` rows.
pub const MAX_ROWS: usize = 1_000_000;

/// Reads the file named by `file_field` (relative to the scenario file
/// `source`), its values in `unit_field` (default seconds).
pub fn read(file_field: &Field, unit_field: Option<Field>, source: &Path) -> Result<Dist, Diag> {
    let unit = unit_field.map(|f| f.time_unit("the file's values")).transpose()?.unwrap_or(TimeUnit::Seconds);
    let (shown, path) = data_file(file_field, source, "the distribution file")?;
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

/// A problem: the 1-based line (if any) and what.
type RowError = (Option<u64>, String);

/// Every row as (value in seconds, weight), checked.
fn rows(path: &Path, unit: TimeUnit) -> Result<Vec<(f64, f64)>, RowError> {
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
            return fail(format!("value \"{}\" {} is longer than 1000 years", shown(value_field), unit.as_str()));
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

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::scenario::node::Node;
    use crate::scenario::reader::Table;
    use crate::scenario::workload::dist;

    /// Reads `cpu = <text>` as a scenario in `dir` would.
    fn parse(text: &str, dir: &Path) -> Result<Dist, Diag> {
        let root = Node::parse(text).unwrap();
        let t = Table::any(String::new(), &root).unwrap();
        dist(&t.get("cpu").unwrap(), &dir.join("s.toml"))
    }

    /// Reads `cpu = { dist = "empirical", <keys> }` with `data` in the file `name` beside the scenario.
    fn read_with(name: &str, data: &[u8], keys: &str) -> Result<Dist, Diag> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(name), data).unwrap();
        parse(&format!("cpu = {{ dist = \"empirical\", {keys} }}"), dir.path())
    }

    fn read(data: &str) -> Result<Dist, Diag> {
        read_with("d.csv", data.as_bytes(), "file = \"d.csv\"")
    }

    fn table(d: Dist) -> Vec<(f64, f64)> {
        let Dist::Empirical(e) = d else { panic!("{d:?}") };
        e.steps().iter().map(|s| (s.value_s, s.cumulative)).collect()
    }

    #[test]
    fn values_weights_header_units_and_gzip() {
        // One value per row, unsorted, with a header: each row weighs 1/4.
        let plain = table(read("duration_s\n0.3\n0.1\n0.2\n0.1\n").unwrap());
        assert_eq!(plain, [(0.1, 0.25), (0.1, 0.5), (0.2, 0.75), (0.3, 1.0)]);
        // value,weight rows without a header, spaces and CRLF ignored: weights 1, 3 → 0.25, 1.
        assert_eq!(table(read("0.02, 3\r\n0.01 ,1\r\n").unwrap()), [(0.01, 0.25), (0.02, 1.0)]);
        // In milliseconds: 250 ms is 0.25 s.
        let ms = read_with("d.csv", b"250\n", "file = \"d.csv\", unit = \"ms\"").unwrap();
        assert_eq!(table(ms.clone()), [(0.25, 1.0)]);
        let Dist::Empirical(e) = ms else { unreachable!() };
        assert_eq!((e.unit, e.path.is_absolute()), (TimeUnit::Millis, true));
        // gzip, as import writes it.
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"duration_s,weight\n0.5,1\n1.5,1\n").unwrap();
        let d = read_with("d.csv.gz", &gz.finish().unwrap(), "file = \"d.csv.gz\"").unwrap();
        assert_eq!(table(d), [(0.5, 0.5), (1.5, 1.0)]);
        // Written back (the canonical path), it reads back the same from another folder.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("d.csv"), "7\n9\n").unwrap();
        let d = parse("cpu = { dist = \"empirical\", file = \"d.csv\", unit = \"us\" }", dir.path()).unwrap();
        let written = crate::scenario::toml_value::dist(&d);
        assert!(written.ends_with("d.csv\", unit = \"us\" }"), "{written}");
        assert_eq!(parse(&format!("cpu = {written}"), Path::new("elsewhere")), Ok(d));
    }

    #[test]
    fn every_bad_file_names_its_line() {
        let msg = |data: &str| read(data).unwrap_err().message;
        let ends = |data: &str, tail: &str| {
            let m = msg(data);
            assert!(m.contains("d.csv") && m.ends_with(tail), "{m:?} does not end with {tail:?}");
        };
        ends("", "d.csv: no rows: write one duration per row, or value,weight rows");
        ends("duration_s\n", "no rows: write one duration per row, or value,weight rows");
        ends("0.1\nabc\n", "d.csv:2: value \"abc\" is not a number");
        ends("0.1\n-0.2\n", "d.csv:2: value \"-0.2\" is negative: durations are >= 0");
        ends("0.1\nnan\n", "d.csv:2: value \"nan\" is not a finite number");
        ends("0.1,1\n0.2\n", "d.csv:2: 1 field(s) where line 1 has 2: all rows must be `value` or all `value,weight`");
        ends("0.1,1,2\n", "d.csv:1: 3 fields: a row is `value` or `value,weight`");
        ends("0.1,-1\n", "d.csv:1: weight \"-1\" is negative");
        ends("0.1,x\n", "d.csv:1: weight \"x\" is not a number");
        ends("0.1,inf\n", "d.csv:1: weight \"inf\" is not a finite number up to 1e12");
        ends("0.1,0\n0.2,0\n", "d.csv: the weights sum to 0: at least one row needs a positive weight");
        ends("40000000000\n", "d.csv:1: value \"40000000000\" s is longer than 1000 years");
        ends(
            &format!("0.1\n{}\n", "9".repeat(70_000)),
            "d.csv:2: a row longer than 64 KiB: is this a file of durations?",
        );
        let e = read_with("other.csv", b"1\n", "file = \"d.csv\"").unwrap_err();
        assert!(e.message.starts_with("cannot read the distribution file"), "{}", e.message);
        assert_eq!(e.key, "cpu.file");
        let e = read_with("d.csv", b"1\n", "file = \"d.csv\", unit = \"min\"").unwrap_err();
        assert_eq!(e.message, "unknown unit \"min\"; expected \"s\", \"ms\", \"us\"");
        let e = read_with("d.csv", b"1\n", "unit = \"s\"").unwrap_err();
        assert!(e.message.contains("empirical needs file (and optionally unit)"), "{}", e.message);
    }

    #[test]
    fn rows_are_capped() {
        // MAX_ROWS rows are read; one more is refused at its line.
        let rows = "1\n".repeat(MAX_ROWS);
        assert_eq!(table(read(&rows).unwrap()).len(), MAX_ROWS);
        let e = read(&format!("{rows}2\n")).unwrap_err().message;
        assert!(
            e.ends_with(&format!(
                "d.csv:{}: more than 1000000 rows: bin the values into value,weight rows (a weight is a count)",
                MAX_ROWS + 1
            )),
            "{e}"
        );
    }
}
