//! A log file as lines: plain or gzip (recognised by its first bytes, so
//! rotated `access.log.2.gz` files need no flag), streamed, each line at
//! most [`MAX_LINE_BYTES`] kept (the rest of a longer line is skipped, so a
//! file without newlines cannot fill memory).

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use crate::traffic::trace::decompressed;

/// The longest line kept whole; a longer one is reported as a bad line.
pub const MAX_LINE_BYTES: usize = 64 << 10;
const BUFFER: usize = 1 << 16;

/// One line of a log.
#[derive(Debug, PartialEq)]
pub enum Line {
    /// The text (invalid UTF-8 replaced by U+FFFD, as in a user agent).
    Text(String),
    /// The line is longer than [`MAX_LINE_BYTES`].
    TooLong,
}

/// Streams the lines of one file, numbering them from 1.
pub struct Lines {
    input: Box<dyn BufRead + Send>,
    number: u64,
    bytes: Vec<u8>,
}

impl Lines {
    /// Opens `path`, decompressing if it starts with the gzip magic bytes.
    pub fn open(path: &Path) -> io::Result<Lines> {
        let file = File::open(path)?;
        if file.metadata()?.is_dir() {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "is a directory"));
        }
        Lines::new(BufReader::with_capacity(BUFFER, file))
    }

    /// Lines of `input`, decompressed if it starts with the gzip magic bytes.
    pub fn new<R: Read + Send + 'static>(input: BufReader<R>) -> io::Result<Lines> {
        Ok(Lines { input: decompressed(input)?, number: 0, bytes: Vec::new() })
    }

    /// The next line and its number; `None` at the end.
    pub fn next_line(&mut self) -> io::Result<Option<(u64, Line)>> {
        self.bytes.clear();
        let mut too_long = false;
        let mut any = false;
        loop {
            let chunk = self.input.fill_buf()?;
            if chunk.is_empty() {
                break;
            }
            any = true;
            let newline = chunk.iter().position(|&b| b == b'\n');
            let take = newline.unwrap_or(chunk.len());
            let room = MAX_LINE_BYTES.saturating_sub(self.bytes.len());
            too_long |= take > room;
            self.bytes.extend_from_slice(&chunk[..take.min(room)]);
            self.input.consume(newline.map_or(take, |n| n + 1));
            if newline.is_some() {
                break;
            }
        }
        if !any {
            return Ok(None);
        }
        self.number += 1;
        if too_long {
            return Ok(Some((self.number, Line::TooLong)));
        }
        if self.bytes.last() == Some(&b'\r') {
            self.bytes.pop();
        }
        Ok(Some((self.number, Line::Text(String::from_utf8_lossy(&self.bytes).into_owned()))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(bytes: Vec<u8>) -> Vec<(u64, Line)> {
        let mut lines = Lines::new(BufReader::new(io::Cursor::new(bytes))).unwrap();
        std::iter::from_fn(|| lines.next_line().unwrap()).collect()
    }

    #[test]
    fn plain_and_gzip_give_the_same_lines() {
        use std::io::Write;
        let text = b"a\r\nb\n\nlast without newline".to_vec();
        let expected = vec![
            (1, Line::Text("a".into())),
            (2, Line::Text("b".into())),
            (3, Line::Text(String::new())),
            (4, Line::Text("last without newline".into())),
        ];
        assert_eq!(all(text.clone()), expected);
        // Two gzip members back to back (`cat a.gz b.gz`) read as one stream.
        let mut gz = Vec::new();
        for part in [&text[..5], &text[5..]] {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(part).unwrap();
            gz.extend(e.finish().unwrap());
        }
        assert_eq!(all(gz), expected);
        assert_eq!(all(Vec::new()), vec![]);
    }

    #[test]
    fn long_lines_are_cut_off_and_counted() {
        let mut text = vec![b'x'; MAX_LINE_BYTES + 1];
        text.extend_from_slice(b"\nok\n\xff\n");
        assert_eq!(
            all(text),
            vec![(1, Line::TooLong), (2, Line::Text("ok".into())), (3, Line::Text("\u{fffd}".into()))]
        );
        assert_eq!(all(vec![b'y'; MAX_LINE_BYTES]), vec![(1, Line::Text("y".repeat(MAX_LINE_BYTES)))]);
    }
}
