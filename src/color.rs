//! Colour on terminals: `--color auto|always|never`, honouring `NO_COLOR`
//! (no-color.org) and `TERM=dumb` under `auto`. Decided once at start-up,
//! per stream; everything else asks [`enabled`]. Colour is a presentation
//! layer: errors and tables are built as plain text and painted last, so
//! their words (and every test of them) are the same either way.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

/// When to colour (`--color`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum When {
    /// When the stream is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`.
    #[default]
    Auto,
    /// Always, even into a pipe or a file (and whatever `NO_COLOR` says).
    Always,
    /// Never.
    Never,
}

/// The stream a text goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// Off until [`init`]: library callers and tests get plain text.
static STDOUT: AtomicBool = AtomicBool::new(false);
static STDERR: AtomicBool = AtomicBool::new(false);

/// Decides, for each stream, whether to colour it.
pub fn init(when: When) {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    STDOUT.store(decide(when, std::io::stdout().is_terminal(), no_color, dumb), Ordering::Relaxed);
    STDERR.store(decide(when, std::io::stderr().is_terminal(), no_color, dumb), Ordering::Relaxed);
}

/// Whether a stream is coloured: `always` and `never` say so; `auto` only
/// on a terminal, without `NO_COLOR` and not on a dumb terminal.
fn decide(when: When, terminal: bool, no_color: bool, dumb: bool) -> bool {
    match when {
        When::Always => true,
        When::Never => false,
        When::Auto => terminal && !no_color && !dumb,
    }
}

/// Whether `stream` is coloured.
pub fn enabled(stream: Stream) -> bool {
    match stream {
        Stream::Stdout => STDOUT.load(Ordering::Relaxed),
        Stream::Stderr => STDERR.load(Ordering::Relaxed),
    }
}

/// A text style, as an SGR code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Bold,
    BoldRed,
    Red,
    Green,
    BoldCyan,
    Yellow,
}

impl Style {
    fn sgr(self) -> &'static str {
        match self {
            Style::Bold => "1",
            Style::BoldRed => "1;31",
            Style::Red => "31",
            Style::Green => "32",
            Style::BoldCyan => "1;36",
            Style::Yellow => "33",
        }
    }
}

/// `text` in `style` (always: the caller has asked [`enabled`]).
pub fn paint(style: Style, text: &str) -> String {
    if text.is_empty() { String::new() } else { format!("\x1b[{}m{text}\x1b[0m", style.sgr()) }
}

/// An error message as printed on stderr: when stderr is coloured, each
/// `error:` in bold red (as rustc and cargo do), the `file:line:column:`
/// after it in bold, the carets under the offending value in red and each
/// `hint:` in bold cyan; otherwise `text` unchanged.
pub fn error_text(text: &str) -> String {
    if !enabled(Stream::Stderr) {
        return text.to_string();
    }
    text.lines().map(error_line).collect::<Vec<_>>().join("\n")
}

/// One line of an error message, painted.
fn error_line(line: &str) -> String {
    if let Some(rest) = line.strip_prefix("error: ") {
        // "file:12:7: key: message": the location up to its column, in bold.
        let location = rest.find(": ").map(|i| &rest[..=i]).filter(|l| is_location(l));
        return match location {
            Some(l) => format!("{} {}{}", paint(Style::BoldRed, "error:"), paint(Style::Bold, l), &rest[l.len()..]),
            None => format!("{} {rest}", paint(Style::BoldRed, "error:")),
        };
    }
    if let Some((gutter, after)) = line.split_once(" | ")
        && gutter.trim().is_empty()
        && after.trim_start().starts_with('^')
    {
        // The caret line under the snippet: "   |     ^^^ label".
        let indent = after.len() - after.trim_start().len();
        return format!("{gutter} | {}{}", &after[..indent], paint(Style::Red, &after[indent..]));
    }
    if let Some((gutter, hint)) = line.split_once(" = hint: ")
        && gutter.trim().is_empty()
    {
        return format!("{gutter} = {} {hint}", paint(Style::BoldCyan, "hint:"));
    }
    line.to_string()
}

/// True for `path:LINE:COLUMN:`.
fn is_location(text: &str) -> bool {
    let mut parts = text.trim_end_matches(':').rsplitn(3, ':');
    let numeric = |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    numeric(parts.next()) && numeric(parts.next()) && parts.next().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_lines_are_painted_where_rustc_paints_them() {
        assert_eq!(
            error_line("error: x.toml:12:11: option \"web\".servers: expected a positive integer"),
            "\x1b[1;31merror:\x1b[0m \x1b[1mx.toml:12:11:\x1b[0m option \"web\".servers: expected a positive integer"
        );
        // No line and column: only the word "error:".
        assert_eq!(error_line("error: x.toml: cannot read: gone"), "\x1b[1;31merror:\x1b[0m x.toml: cannot read: gone");
        assert_eq!(
            error_line("   |           ^^ must be at least 1"),
            "   |           \x1b[31m^^ must be at least 1\x1b[0m"
        );
        assert_eq!(error_line("12 | servers = -2"), "12 | servers = -2", "the snippet itself stays plain");
        assert_eq!(error_line("   = hint: set it"), "   = \x1b[1;36mhint:\x1b[0m set it");
    }

    #[test]
    fn auto_colours_only_a_terminal_without_no_color() {
        assert!(decide(When::Auto, true, false, false));
        assert!(!decide(When::Auto, false, false, false), "a pipe or a file");
        assert!(!decide(When::Auto, true, true, false), "NO_COLOR");
        assert!(!decide(When::Auto, true, false, true), "TERM=dumb");
        assert!(decide(When::Always, false, true, true), "the flag wins over NO_COLOR");
        assert!(!decide(When::Never, true, false, false));
    }

    #[test]
    fn a_location_has_a_line_and_a_column() {
        assert!(is_location("scenarios/a.toml:3:9:"));
        assert!(!is_location("scenarios/a.toml:"));
        assert!(!is_location("a:b:c:"));
    }
}
