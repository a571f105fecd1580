//! Reading a scenario or `--catalog` file whole, up to `MAX_FILE_BYTES`: a
//! scenario is a page or two of TOML, so `/dev/urandom` or a log file given
//! by mistake fails at once instead of filling memory. Finding the data
//! files a scenario names (a trace, an empirical distribution).

use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::error::{Diag, ScenarioError};
use super::reader::Field;

/// The largest scenario or catalog file read.
pub const MAX_FILE_BYTES: u64 = 16 << 20;

/// How messages name standard input, given as `-` on the command line.
pub const STDIN_PATH: &str = "<stdin>";

/// Whether standard input was read already: it holds one file.
static STDIN_TAKEN: AtomicBool = AtomicBool::new(false);

/// clap's value parser for a scenario or catalog file: `-` is standard input.
pub fn path_or_stdin(arg: &str) -> Result<PathBuf, String> {
    Ok(PathBuf::from(if arg == "-" { STDIN_PATH } else { arg }))
}

/// Whether `path` stands for standard input.
pub fn is_stdin(path: &Path) -> bool {
    path == Path::new(STDIN_PATH)
}

/// The file's text; an I/O error (exit 2) if it cannot be read, is larger
/// than `MAX_FILE_BYTES` or is not UTF-8. Standard input can be read once.
pub fn read_text(path: &Path) -> Result<String, ScenarioError> {
    const WHAT: &str = "a scenario or catalog file: is it the right file?";
    let bytes = if is_stdin(path) {
        if STDIN_TAKEN.swap(true, Ordering::SeqCst) {
            let message = "standard input (-) holds one file and was read already: give - once";
            return Err(ScenarioError::io(path, &std::io::Error::new(std::io::ErrorKind::InvalidInput, message)));
        }
        read_capped_from(std::io::stdin().lock(), MAX_FILE_BYTES, WHAT)
    } else {
        read_capped(path, MAX_FILE_BYTES, WHAT)
    };
    bytes.and_then(utf8).map_err(|e| ScenarioError::io(path, &e))
}

/// The whole of `path` as text, if it is at most `cap_bytes` long and UTF-8;
/// otherwise an `InvalidData` error saying which.
pub fn read_capped_text(path: &Path, cap_bytes: u64, what: &str) -> std::io::Result<String> {
    read_capped(path, cap_bytes, what).and_then(utf8)
}

/// The bytes as text, or an `InvalidData` error naming the first bad byte.
fn utf8(bytes: Vec<u8>) -> std::io::Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let message = format!("not UTF-8 text (the first bad byte is at offset {offset})");
        std::io::Error::new(std::io::ErrorKind::InvalidData, message)
    })
}

/// The whole of `path`, if it is at most `cap_bytes` long; a longer file is
/// an `InvalidData` error saying the limit is that of `what`.
pub fn read_capped(path: &Path, cap_bytes: u64, what: &str) -> std::io::Result<Vec<u8>> {
    read_capped_from(std::fs::File::open(path)?, cap_bytes, what)
}

/// All of `reader`, if it is at most `cap_bytes` long (see [`read_capped`]).
fn read_capped_from(reader: impl Read, cap_bytes: u64, what: &str) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(cap_bytes + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap_bytes {
        let message = format!("larger than {} MiB, the limit of {what}", cap_bytes >> 20);
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, message));
    }
    Ok(bytes)
}

/// The data file named by `field` (relative to the scenario file `source`):
/// as shown in messages (relative to the working directory, tidied) and as
/// opened (canonical, so `resolved.toml` finds it from anywhere). `what`
/// names it in the error: "the trace file".
pub fn data_file(field: &Field, source: &Path, what: &str) -> Result<(PathBuf, PathBuf), Diag> {
    let file = field.str()?;
    if file.is_empty() {
        return Err(field.error("must name a CSV file"));
    }
    let shown = tidy(&source.parent().unwrap_or(Path::new("")).join(file));
    let path = std::fs::canonicalize(&shown).map_err(|e| {
        field
            .error(format!("cannot read {what} {}: {e}", shown.display()))
            .hint("file is relative to the scenario file's folder")
    })?;
    Ok((shown, path))
}

/// `path` with `.` and `dir/..` removed, for messages ("scenarios/../traces/x.csv" → "traces/x.csv").
fn tidy(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_paths_drop_dot_and_parent_pairs() {
        assert_eq!(tidy(Path::new("tests/bad_inputs/../fixtures/x.csv")), Path::new("tests/fixtures/x.csv"));
        assert_eq!(tidy(Path::new("./a/./b.csv")), Path::new("a/b.csv"));
        assert_eq!(tidy(Path::new("../x.csv")), Path::new("../x.csv"));
    }

    #[test]
    fn files_over_the_cap_or_not_text_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.toml");
        // Exactly 16 MiB of comment lines is read; one byte more is not.
        let line = format!("#{}\n", "x".repeat(1022));
        std::fs::write(&path, line.repeat((MAX_FILE_BYTES / 1024) as usize)).unwrap();
        assert_eq!(read_text(&path).unwrap().len() as u64, MAX_FILE_BYTES);
        std::fs::write(&path, format!("{}\n", line.repeat((MAX_FILE_BYTES / 1024) as usize))).unwrap();
        let e = read_text(&path).unwrap_err().to_string();
        assert!(e.contains("s.toml: cannot read: larger than 16 MiB"), "{e}");
        std::fs::write(&path, b"name = \"a\"\n\xff\n").unwrap();
        let e = read_text(&path).unwrap_err().to_string();
        assert!(e.contains("s.toml: cannot read: not UTF-8 text (the first bad byte is at offset 11)"), "{e}");
    }
}
