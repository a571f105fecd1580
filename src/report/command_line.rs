//! The command line that produced a run, recorded in its output folder
//! (`command_line.txt`) so `report.html` can show it, and `hostsim report
//! DIR` too, long after the run.

use std::ffi::OsString;
use std::path::Path;

/// The file in an output folder holding the command line, one line.
pub const FILE: &str = "command_line.txt";

/// This process's command line as a shell would take it back: the program by
/// its file name (not the path it was started from), each argument quoted
/// where the shell would otherwise split or expand it.
pub fn current() -> String {
    of(std::env::args_os())
}

/// [`current`] for the given arguments, the program first.
fn of(args: impl IntoIterator<Item = OsString>) -> String {
    let mut args = args.into_iter();
    let program = args.next().map_or_else(
        || "hostsim".to_string(),
        |p| Path::new(&p).file_name().unwrap_or(&p).to_string_lossy().into_owned(),
    );
    let quoted = args.map(|a| quote(&a.to_string_lossy()));
    [quote(&program)].into_iter().chain(quoted).collect::<Vec<_>>().join(" ")
}

/// `arg` as is if the shell leaves it alone, otherwise in single quotes.
fn quote(arg: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c);
    if !arg.is_empty() && arg.chars().all(plain) {
        return arg.to_string();
    }
    format!("'{}'", arg.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_quoted_only_where_the_shell_needs_it() {
        let args = ["/usr/local/bin/hostsim", "run", "my site.toml", "--out", "out/x", "", "it's", "$HOME"];
        assert_eq!(of(args.map(OsString::from)), r#"hostsim run 'my site.toml' --out out/x '' 'it'\''s' '$HOME'"#);
        assert_eq!(of([]), "hostsim");
    }
}
