//! Scenario errors: where (file, line, column or key path), what, and a hint,
//! rendered as DESIGN §1 asks:
//!
//! ```text
//! error: scenarios/x.toml:12:11: option "web".servers: expected a positive integer, got -2
//!    |
//! 12 | servers = -2
//!    |           ^^ servers must be at least 1
//! ```

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

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
    /// The offending line (tabs shown as spaces).
    source_line: String,
    /// Number of carets (at least 1).
    width: usize,
    label: Option<String>,
}

/// Why a scenario could not be loaded. Every variant is invalid input (exit 2).
#[derive(Clone, Debug, PartialEq)]
pub enum ScenarioError {
    /// The file could not be read.
    Io { file: PathBuf, reason: String },
    /// The file was read but is not a valid scenario (boxed: errors stay small).
    Invalid(Box<Invalid>),
}

/// What is wrong with a scenario, and where.
#[derive(Clone, Debug, PartialEq)]
pub struct Invalid {
    pub file: PathBuf,
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
        let location = diag.span.as_ref().and_then(|span| locate(text, span, diag.label.clone()));
        ScenarioError::Invalid(Box::new(Invalid {
            file: file.to_path_buf(),
            key: diag.key,
            message: diag.message,
            location,
            hint: diag.hint,
        }))
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

    /// 1-based (line, column) of the error, when it has one.
    pub fn line_column(&self) -> Option<(usize, usize)> {
        match self {
            ScenarioError::Invalid(e) => e.location.as_ref().map(|l| (l.line, l.column)),
            ScenarioError::Io { .. } => None,
        }
    }

    /// The key path the error concerns (empty for syntax and I/O errors).
    pub fn key(&self) -> &str {
        match self {
            ScenarioError::Invalid(e) => &e.key,
            ScenarioError::Io { .. } => "",
        }
    }
}

impl std::error::Error for ScenarioError {}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (file, key, message, location, hint) = match self {
            ScenarioError::Io { file, reason } => {
                return write!(f, "error: {}: cannot read: {reason}", file.display());
            }
            ScenarioError::Invalid(e) => (&e.file, &e.key, &e.message, &e.location, &e.hint),
        };
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
            write!(f, "{}{}", " ".repeat(l.column - 1), "^".repeat(l.width))?;
            if let Some(label) = &l.label {
                write!(f, " {label}")?;
            }
        }
        if let Some(hint) = hint {
            let pad = " ".repeat(gutter);
            let mut lines = hint.lines();
            write!(f, "\n{pad} = hint: {}", lines.next().unwrap_or(""))?;
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
    let width = text.get(start..end).map_or(1, |s| s.chars().count()).max(1);
    let source_line = text[line_start..line_end].trim_end_matches('\r').replace('\t', " ");
    Some(Location { line, column, source_line, width, label })
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
    fn columns_count_characters_and_spans_stop_at_the_line_end() {
        let text = "a = \"é\" x\nb";
        let start = text.find('x').unwrap();
        let l = locate(text, &(start..text.len()), None).unwrap();
        assert_eq!((l.line, l.column, l.width), (1, 9, 1));
    }
}
