//! A cap on the length of one record of a trace file, enforced under the CSV
//! reader: the csv crate holds a whole record in memory, so a file of
//! gigabytes without a line break (`/dev/zero` behind a symlink, a gzip bomb)
//! or inside one quoted field would otherwise be read into memory whole.
//!
//! The wrapper follows csv's quoting (a quote opens a quoted field only at
//! the start of a field, `""` inside one is a quote, line breaks inside one
//! belong to the record) and fails the read as soon as a record is longer
//! than the cap, naming the line it starts on.

use std::fmt;
use std::io::{self, Read};

/// The longest record of a trace, in bytes (a row is a few dozen bytes).
pub const MAX_RECORD_BYTES: u64 = 64 * 1024;

/// Where the wrapper is within a record, as the CSV parser sees it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: `""` (a quote) or the field's end.
    QuoteInQuoted,
}

/// A reader that fails with `RecordTooLong` once a record passes `MAX_RECORD_BYTES`.
pub struct RecordCap<R> {
    inner: R,
    state: State,
    /// Bytes of the current record so far (its terminator excluded).
    record_bytes: u64,
    /// Line feeds read so far.
    line_feeds: u64,
    /// 1-based line the current record starts on.
    record_line: u64,
}

/// Why a read failed: the record starting on `line` is longer than the cap.
#[derive(Debug, PartialEq)]
pub struct RecordTooLong {
    pub line: u64,
}

impl fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a row longer than {} KiB: is this a CSV file of per-bucket counts?", MAX_RECORD_BYTES / 1024)
    }
}

impl std::error::Error for RecordTooLong {}

impl<R: Read> RecordCap<R> {
    pub fn new(inner: R) -> RecordCap<R> {
        RecordCap { inner, state: State::FieldStart, record_bytes: 0, line_feeds: 0, record_line: 1 }
    }

    /// Follows one byte; `Err` once the current record is too long.
    fn step(&mut self, b: u8) -> Result<(), RecordTooLong> {
        if b == b'\n' {
            self.line_feeds += 1;
        }
        let ends_record = matches!(b, b'\n' | b'\r') && self.state != State::Quoted;
        if ends_record {
            self.state = State::FieldStart;
            self.record_bytes = 0;
            self.record_line = self.line_feeds + 1;
            return Ok(());
        }
        self.state = match (self.state, b) {
            (State::FieldStart | State::Unquoted | State::QuoteInQuoted, b',') => State::FieldStart,
            (State::FieldStart, b'"') | (State::QuoteInQuoted, b'"') => State::Quoted,
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            _ => State::Unquoted,
        };
        self.record_bytes += 1;
        if self.record_bytes > MAX_RECORD_BYTES {
            return Err(RecordTooLong { line: self.record_line });
        }
        Ok(())
    }
}

impl<R: Read> Read for RecordCap<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        for &b in &buf[..n] {
            self.step(b).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `input` to its end through the cap; the line of a too-long record, if any.
    fn too_long_at(input: &[u8]) -> Option<u64> {
        let mut out = Vec::new();
        match RecordCap::new(input).read_to_end(&mut out) {
            Ok(_) => None,
            Err(e) => Some(e.get_ref().and_then(|e| e.downcast_ref::<RecordTooLong>()).expect("RecordTooLong").line),
        }
    }

    #[test]
    fn records_up_to_the_cap_pass_and_longer_ones_name_their_line() {
        let max = MAX_RECORD_BYTES as usize;
        let exact = format!("a,b\n{}\n1,2\n", "9".repeat(max));
        assert_eq!(too_long_at(exact.as_bytes()), None);
        // Header on line 1, a short row on line 2, then one byte over the cap on line 3.
        let over = format!("a,b\r\n1,2\r\n{}\n", "9".repeat(max + 1));
        assert_eq!(too_long_at(over.as_bytes()), Some(3));
        assert_eq!(too_long_at(&vec![0u8; max * 3]), Some(1));
    }

    #[test]
    fn line_breaks_inside_quotes_belong_to_the_record() {
        let max = MAX_RECORD_BYTES as usize;
        // A quoted field spanning many short lines is one long record, starting on line 2.
        let quoted = format!("a,b\n1,\"{}\"\n", "x\n".repeat(max));
        assert_eq!(too_long_at(quoted.as_bytes()), Some(2));
        // `""` is a quote inside a quoted field; the field then ends and so does the record.
        let escaped = format!("a,b\n1,\"x\"\"y\"\n{}", "1,2\n".repeat(max));
        assert_eq!(too_long_at(escaped.as_bytes()), None);
        // A quote inside an unquoted field is a plain byte: line breaks still end records.
        let stray = format!("a,b\n1,5\"\n{}", "1,2\n".repeat(max));
        assert_eq!(too_long_at(stray.as_bytes()), None);
    }
}
