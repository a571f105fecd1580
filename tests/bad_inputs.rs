//! The bad-input corpus through the library: every `tests/bad_inputs/*.toml`
//! starts with `# expect: <fragment>` and must fail to load with a message
//! that names the file, gives a line and column (or a key path), and
//! contains the fragment.

use std::fs;
use std::path::Path;

use crate::common::cli::toml_files;

/// The fragment from the `# expect:` first line.
fn expected(text: &str, file: &Path) -> String {
    let first = text.lines().next().unwrap_or("");
    first
        .strip_prefix("# expect: ")
        .unwrap_or_else(|| panic!("{}: first line must be `# expect: <fragment>`", file.display()))
        .trim()
        .to_string()
}

/// True if `s` starts with `:<digits>:<digits>: `.
fn has_line_column(s: &str) -> bool {
    let mut parts = s.splitn(4, ':');
    let (Some(""), Some(line), Some(col), Some(rest)) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let digits = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit());
    digits(line) && digits(col) && rest.starts_with(' ')
}

#[test]
fn every_bad_input_fails_with_its_message() {
    let files = toml_files("tests/bad_inputs");
    assert!(files.len() >= 30, "corpus has only {} files", files.len());
    for file in files {
        let text = fs::read_to_string(&file).expect("corpus file is readable");
        let fragment = expected(&text, &file);
        let name = file.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let err = match hostsim::scenario::load(&file) {
            Ok(_) => panic!("{name}: loaded, but should fail with {fragment:?}"),
            Err(e) => e,
        };
        assert!(!err.is_io(), "{name}: {err}");
        let shown = err.to_string();
        let first = shown.lines().next().unwrap_or("");
        let prefix = format!("error: {}", file.display());
        assert!(first.starts_with(&prefix), "{name}: first line does not start with {prefix:?}:\n{shown}");
        let after = &first[prefix.len()..];
        let located =
            has_line_column(after) || (!err.key().is_empty() && after.starts_with(&format!(": {}", err.key())));
        assert!(located, "{name}: no line:column and no key path:\n{shown}");
        assert!(shown.contains(&name), "{name}: message does not name the file:\n{shown}");
        assert!(shown.contains(&fragment), "{name}: expected {fragment:?} in:\n{shown}");
        // However long the offending line, at most ~200 characters of it are shown.
        for line in shown.lines().filter_map(quoted_source) {
            assert!(line.chars().count() <= 202, "{name}: quotes {} characters of a line", line.chars().count());
        }
    }
}

/// The quoted file line of an error's snippet (`12 | servers = -2`).
fn quoted_source(line: &str) -> Option<&str> {
    let (number, text) = line.split_once(" | ")?;
    (!number.is_empty() && number.chars().all(|c| c.is_ascii_digit())).then_some(text)
}

#[test]
fn errors_with_a_span_show_the_line_and_a_caret() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_inputs/zero_cores.toml");
    let err = hostsim::scenario::load(&file).expect_err("zero cores is invalid");
    let shown = err.to_string();
    let lines: Vec<&str> = shown.lines().collect();
    // error: …/zero_cores.toml:23:9: option "colo".cores: expected a positive integer, got 0
    //    |
    // 23 | cores = 0
    //    |         ^ cores must be at least 1
    assert_eq!(err.line_column(), Some((23, 9)), "{shown}");
    assert_eq!(lines[2], "23 | cores = 0", "{shown}");
    assert_eq!(lines[3], "   |         ^ cores must be at least 1", "{shown}");
}

#[test]
fn a_missing_file_cannot_be_read() {
    let err = hostsim::scenario::load(Path::new("tests/bad_inputs/no-such-file.toml")).expect_err("no such file");
    assert!(err.is_io());
    assert!(err.to_string().starts_with("error: tests/bad_inputs/no-such-file.toml: cannot read: "), "{err}");
}
