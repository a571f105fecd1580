//! Scenario errors: where (file, line, column or key path), what, and a hint,
//! rendered as DESIGN §1 asks:
//!
//! ```text
//! error: scenarios/x.toml:12:11: option "web".servers: expected a positive integer, got -2
//!    |
//! 12 | servers = -2
//!    |           ^^ servers must be at least 1
//! ```

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Most characters shown of the offending line (cut around the error, with
/// "…"), of a key path and of a label: a scenario line can be megabytes long.
const SHOWN_LINE_CHARS: usize = 200;
/// Most characters of a message, which quotes values within its own words.
const SHOWN_MESSAGE_CHARS: usize = 300;
/// Most characters of a hint line (hints can list a large `--catalog`).
const SHOWN_HINT_CHARS: usize = 1000;

/// A problem found while validating, before it is tied to a file: the key
/// path it concerns, the source span if there is one, and what to say.
#[derive(Clone, Debug, PartialEq)]
pub struct Diag {
    /// Dotted key path, e.g. `traffic.diurnal.amplitude` or `option "colo".cores`; empty for syntax errors.
    pub key: String,
    /// Byte span in the scenario text; `None` for values that did not come from the file.
    pub span: Option<Range<usize>>,
    pub message: String,
    /// Short text printed after the caret.
    pub label: Option<String>,
    pub hint: Option<String>,
}

impl Diag {
    /// An error about `key`, pointing at `span`.
    pub fn new(key: impl Into<String>, span: Option<Range<usize>>, message: impl Into<String>) -> Diag {
        Diag { key: key.into(), span, message: message.into(), label: None, hint: None }
    }

    /// Adds a short label printed after the caret.
    pub fn label(mut self, label: impl Into<String>) -> Diag {
        self.label = Some(label.into());
        self
    }

    /// Adds a hint printed below the snippet.
    pub fn hint(mut self, hint: impl Into<String>) -> Diag {
        self.hint = Some(hint.into());
        self
    }
}

/// The position of an error in the file, with the line to show.
#[derive(Clone, Debug, PartialEq)]
pub struct Location {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The offending line, or its part around the error (tabs shown as spaces).
    source_line: String,
    /// Characters of `source_line` before the caret.
    caret: usize,
    /// Number of carets (at least 1).
    width: usize,
    label: Option<String>,
}

/// Most errors shown for one file (as rustc does, the rest are only counted).
pub const MAX_ERRORS: usize = 20;

/// The problems found in one file, collected at the natural boundaries of
/// validation (each top-level key, section, option, unknown key): the first
/// [`MAX_ERRORS`] in the order found, identical ones once, the rest counted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Diags {
    list: Vec<Diag>,
    cut: usize,
}

impl Diags {
    /// Records a problem.
    pub fn push(&mut self, diag: Diag) {
        if self.list.contains(&diag) {
            return;
        }
        if self.list.len() < MAX_ERRORS { self.list.push(diag) } else { self.cut += 1 }
    }

    /// The value, or `None` with its problem recorded.
    pub fn take<T>(&mut self, result: Result<T, Diag>) -> Option<T> {
        result.map_err(|d| self.push(d)).ok()
    }

    /// Records every problem of `other` (and counts what it cut).
    pub fn append(&mut self, other: Diags) {
        other.list.into_iter().for_each(|d| self.push(d));
        self.cut += other.cut;
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

impl From<Diag> for Diags {
    fn from(diag: Diag) -> Diags {
        Diags { list: vec![diag], cut: 0 }
    }
}

/// Why a scenario could not be loaded. Every variant is invalid input (exit 2).
#[derive(Clone, Debug, PartialEq)]
pub enum ScenarioError {
    /// The file could not be read.
    Io { file: PathBuf, reason: String },
    /// The file was read but is not a valid scenario (boxed: errors stay small).
    Invalid(Box<Invalid>),
}

/// What is wrong with a scenario file, and where.
#[derive(Clone, Debug, PartialEq)]
pub struct Invalid {
    pub file: PathBuf,
    /// At least one, at most [`MAX_ERRORS`], in the order found.
    pub problems: Vec<Problem>,
    /// Problems found beyond those shown.
    pub cut: usize,
}

/// One problem in a file.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Key path the error concerns (may be empty for TOML syntax errors).
    pub key: String,
    pub message: String,
    /// Where in the file; `None` when the value has no span.
    pub location: Option<Location>,
    pub hint: Option<String>,
}

impl ScenarioError {
    /// The file could not be read.
    pub fn io(file: &Path, err: &std::io::Error) -> ScenarioError {
        ScenarioError::Io { file: file.to_path_buf(), reason: err.to_string() }
    }

    /// Ties a validation problem to its file, computing line and column from `text`.
    pub fn from_diag(file: &Path, text: &str, diag: Diag) -> ScenarioError {
        ScenarioError::from_diags(file, text, diag.into())
    }

    /// Ties the problems found in a file (at least one) to it.
    pub fn from_diags(file: &Path, text: &str, diags: Diags) -> ScenarioError {
        let problems = diags
            .list
            .into_iter()
            .map(|diag| Problem {
                location: diag.span.as_ref().and_then(|span| locate(text, span, diag.label.clone())),
                key: diag.key,
                message: diag.message,
                hint: diag.hint,
            })
            .collect();
        ScenarioError::Invalid(Box::new(Invalid { file: file.to_path_buf(), problems, cut: diags.cut }))
    }

    /// True when the file could not be read (as opposed to being invalid).
    pub fn is_io(&self) -> bool {
        matches!(self, ScenarioError::Io { .. })
    }

    /// The scenario file the error is about.
    pub fn file(&self) -> &Path {
        match self {
            ScenarioError::Io { file, .. } => file,
            ScenarioError::Invalid(e) => &e.file,
        }
    }

    /// How many problems were found (1 for an unreadable file).
    pub fn count(&self) -> usize {
        match self {
            ScenarioError::Io { .. } => 1,
            ScenarioError::Invalid(e) => e.problems.len() + e.cut,
        }
    }

    fn first(&self) -> Option<&Problem> {
        match self {
            ScenarioError::Invalid(e) => e.problems.first(),
            ScenarioError::Io { .. } => None,
        }
    }

    /// 1-based (line, column) of the (first) error, when it has one.
    pub fn line_column(&self) -> Option<(usize, usize)> {
        self.first().and_then(|p| p.location.as_ref()).map(|l| (l.line, l.column))
    }

    /// The key path the (first) error concerns (empty for syntax and I/O errors).
    pub fn key(&self) -> &str {
        self.first().map_or("", |p| p.key.as_str())
    }
}

impl std::error::Error for ScenarioError {}

impl fmt::Display for ScenarioError {
    /// One error as DESIGN §1 shows it; several one after the other, a
    /// blank line apart, then how many there were.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = match self {
            ScenarioError::Io { file, reason } => {
                return write!(f, "error: {}: cannot read: {reason}", file.display());
            }
            ScenarioError::Invalid(e) => e,
        };
        for (i, problem) in e.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("\n\n")?;
            }
            problem.render(&e.file, f)?;
        }
        let total = e.problems.len() + e.cut;
        if total > 1 {
            write!(f, "\n\nerror: {}: {total} errors", e.file.display())?;
            if e.cut > 0 {
                write!(f, " (the first {} shown, {} more cut)", e.problems.len(), e.cut)?;
            }
        }
        Ok(())
    }
}

impl Problem {
    /// `error: file:line:column: key: message`, the line with a caret, the hint.
    fn render(&self, file: &Path, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Problem { key, message, location, hint } = self;
        let key = shorten(key, SHOWN_LINE_CHARS);
        let message = shorten(message, SHOWN_MESSAGE_CHARS);
        write!(f, "error: {}:", file.display())?;
        if let Some(l) = location {
            write!(f, "{}:{}:", l.line, l.column)?;
        }
        if key.is_empty() {
            write!(f, " {message}")?;
        } else {
            write!(f, " {key}: {message}")?;
        }
        let gutter = location.as_ref().map_or(1, |l| l.line.to_string().len());
        if let Some(l) = location {
            let pad = " ".repeat(gutter);
            write!(f, "\n{pad} |\n{} | {}\n{pad} | ", l.line, l.source_line)?;
            write!(f, "{}{}", " ".repeat(l.caret), "^".repeat(l.width))?;
            if let Some(label) = &l.label {
                write!(f, " {}", shorten(label, SHOWN_LINE_CHARS))?;
            }
        }
        if let Some(hint) = hint {
            let pad = " ".repeat(gutter);
            let mut lines = hint.lines().map(|l| shorten(l, SHOWN_HINT_CHARS));
            write!(f, "\n{pad} = hint: {}", lines.next().unwrap_or_default())?;
            for line in lines {
                write!(f, "\n{pad}         {line}")?;
            }
        }
        Ok(())
    }
}

/// Line, column and the line's text for a byte span; `None` if the span is outside `text`.
fn locate(text: &str, span: &Range<usize>, label: Option<String>) -> Option<Location> {
    let start = span.start.min(text.len());
    if !text.is_char_boundary(start) {
        return None;
    }
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = text[..start].matches('\n').count() + 1;
    let column = text[line_start..start].chars().count() + 1;
    let end = span.end.clamp(start, line_end);
    let (source_line, caret) = window(text[line_start..line_end].trim_end_matches('\r'), column - 1);
    let shown_after_caret = source_line.chars().count() - caret;
    let width = text.get(start..end).map_or(1, |s| s.chars().count()).min(shown_after_caret).max(1);
    Some(Location { line, column, source_line, caret, width, label })
}

/// At most [`SHOWN_LINE_CHARS`] characters of `line` around character `at`
/// (from a little before it), with "…" where cut, tabs as spaces; and how
/// many characters of that come before `at`.
fn window(line: &str, at: usize) -> (String, usize) {
    let total = line.chars().count();
    let from = at.saturating_sub(SHOWN_LINE_CHARS / 4).min(total.saturating_sub(SHOWN_LINE_CHARS));
    let mut shown = if from > 0 { String::from("…") } else { String::new() };
    shown.extend(line.chars().skip(from).take(SHOWN_LINE_CHARS).map(|c| if c == '\t' { ' ' } else { c }));
    if from + SHOWN_LINE_CHARS < total {
        shown.push('…');
    }
    (shown, at - from + usize::from(from > 0))
}

/// `s`, or its start and end around a "…" if it has more than `max` characters.
fn shorten(s: &str, max: usize) -> Cow<'_, str> {
    let count = s.chars().count();
    if count <= max {
        return Cow::Borrowed(s);
    }
    let head = max * 2 / 3;
    let tail = max - head - 1;
    let mut out: String = s.chars().take(head).collect();
    out.push('…');
    out.extend(s.chars().skip(count - tail));
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_design_format() {
        let text = "name = \"x\"\n\n[[option]]\nservers = -2\n";
        let start = text.find("-2").unwrap();
        let diag = Diag::new("option[0].servers", Some(start..start + 2), "expected a positive integer, got -2")
            .label("servers must be at least 1");
        let err = ScenarioError::from_diag(Path::new("scenarios/x.toml"), text, diag);
        assert_eq!(
            err.to_string(),
            "error: scenarios/x.toml:4:11: option[0].servers: expected a positive integer, got -2\n  |\n4 | \
             servers = -2\n  |           ^^ servers must be at least 1"
        );
        assert_eq!(err.line_column(), Some((4, 11)));
    }

    #[test]
    fn without_a_span_names_the_key_and_shows_the_hint() {
        let diag = Diag::new("horizon", None, "required key is missing").hint("add a line like\nhorizon = \"1d\"");
        let err = ScenarioError::from_diag(Path::new("a.toml"), "", diag);
        assert_eq!(
            err.to_string(),
            "error: a.toml: horizon: required key is missing\n  = hint: add a line like\n          horizon = \"1d\""
        );
    }

    #[test]
    fn io_errors_say_cannot_read() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file or directory");
        let err = ScenarioError::io(Path::new("nope.toml"), &io);
        assert!(err.is_io());
        assert_eq!(err.to_string(), "error: nope.toml: cannot read: No such file or directory");
    }

    #[test]
    fn long_lines_are_shown_around_the_error() {
        let line = format!("{} = {} # {}", "k".repeat(300), "-5", "x".repeat(10_000));
        let text = format!("a = 1\n{line}\n");
        let start = text.find("-5").unwrap();
        let err = ScenarioError::from_diag(Path::new("f.toml"), &text, Diag::new("k", Some(start..start + 2), "bad"));
        let shown = err.to_string();
        let lines: Vec<&str> = shown.lines().collect();
        // The real column, and at most 200 characters of the line (plus an ellipsis at each cut end).
        assert!(lines[0].starts_with("error: f.toml:2:304: "), "{shown}");
        let quoted = lines[2].strip_prefix("2 | ").unwrap();
        assert_eq!(quoted.chars().count(), SHOWN_LINE_CHARS + 2, "{quoted}");
        assert!(quoted.starts_with('…') && quoted.ends_with('…'), "{quoted}");
        // The caret still points at -5.
        let caret = lines[3].strip_prefix("  | ").unwrap();
        let before = caret.find('^').unwrap();
        assert_eq!(quoted.chars().skip(before).take(2).collect::<String>(), "-5", "{quoted}\n{caret}");
        assert_eq!(caret.trim(), "^^");
        // A span running to the end of a long line gets carets only up to the cut.
        let err =
            ScenarioError::from_diag(Path::new("f.toml"), &text, Diag::new("k", Some(start..text.len() - 1), "bad"));
        assert!(err.to_string().lines().all(|l| l.chars().count() < 210), "{err}");
    }

    #[test]
    fn long_keys_messages_and_hints_are_shortened_in_the_middle() {
        let diag =
            Diag::new("k".repeat(1000), None, format!("unknown key \"{}\", did you mean \"x\"?", "y".repeat(5000)))
                .hint("z".repeat(5000));
        let shown = ScenarioError::from_diag(Path::new("f.toml"), "", diag).to_string();
        let first = shown.lines().next().unwrap();
        assert!(first.chars().count() < 20 + SHOWN_LINE_CHARS + SHOWN_MESSAGE_CHARS, "{first}");
        assert!(first.ends_with(", did you mean \"x\"?"), "{first}");
        assert!(shown.lines().all(|l| l.chars().count() <= SHOWN_HINT_CHARS + 20));
        assert_eq!(shorten("short", 10), "short");
        assert_eq!(shorten("abcdefghijkl", 10), "abcdef…jkl");
    }

    #[test]
    fn columns_count_characters_and_spans_stop_at_the_line_end() {
        let text = "a = \"é\" x\nb";
        let start = text.find('x').unwrap();
        let l = locate(text, &(start..text.len()), None).unwrap();
        assert_eq!((l.line, l.column, l.width), (1, 9, 1));
    }
}
