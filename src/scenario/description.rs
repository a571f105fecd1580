//! A scenario's description: the comment block at the top of its file (the
//! question it asks), kept so `resolved.toml` and `report.html` show it.

/// The first run of `#` lines at the top of `text` (blank lines before it
/// skipped), each without its `#` and one space after it; ends at the first
/// line that is not a comment. Empty if the file does not start with one.
pub fn leading_comment(text: &str) -> String {
    let lines = text.lines().skip_while(|l| l.trim().is_empty());
    let comment: Vec<&str> = lines
        .map_while(|l| l.trim_start().strip_prefix('#'))
        .map(|rest| rest.strip_prefix(' ').unwrap_or(rest))
        .collect();
    comment.join("\n").trim_end().to_string()
}

/// `description` as comment lines, then a blank line that ends the block
/// (nothing when empty): [`leading_comment`] of the result gives it back.
pub fn as_comment(description: &str) -> String {
    if description.is_empty() {
        return String::new();
    }
    let lines: Vec<String> =
        description.lines().map(|l| if l.is_empty() { "#".to_string() } else { format!("# {l}") }).collect();
    format!("{}\n\n", lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_leading_comment_block_is_kept_without_its_marks() {
        let text = "\n# The question.\n#\n#   an indented line\n#no space\n\n# not this\nname = \"x\" # nor this\n";
        assert_eq!(leading_comment(text), "The question.\n\n  an indented line\nno space");
        assert_eq!(leading_comment("name = \"x\"\n# later\n"), "");
        assert_eq!(leading_comment(""), "");
        assert_eq!(leading_comment("# only\n#\n"), "only", "trailing empty comment lines are dropped");
    }

    #[test]
    fn written_back_it_reads_the_same() {
        for description in ["The question.\n\n  an indented line\nno space", "one line", ""] {
            let text = format!("{}name = \"x\"\n", as_comment(description));
            assert_eq!(leading_comment(&text), description);
        }
        assert_eq!(as_comment("a\n\nb"), "# a\n#\n# b\n\n");
    }
}
