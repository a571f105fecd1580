//! The Common and Combined Log Formats (Apache and nginx defaults), with or
//! without a request-time field at the end:
//!
//! ```text
//! host ident user [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 200 2326 ["referer" "agent"] [time...]
//! ```
//!
//! The request time, when logged, is the last unquoted field: nginx
//! `$request_time` (seconds, `0.052`), `$upstream_response_time` (seconds;
//! `-` without an upstream, a list `0.050, 0.010 : 0.020` when several were
//! tried: their sum), Apache `%D` (microseconds) or `%T` (seconds).

use super::clock::clf_seconds;

/// What a CLF line holds that import uses.
#[derive(Clone, Debug, PartialEq)]
pub struct ClfLine<'a> {
    /// Unix seconds (UTC).
    pub time_s: i64,
    pub status: u16,
    /// The request target (path and query), or "" when the request line is
    /// not `METHOD TARGET [PROTOCOL]` (a scanner's garbage is still a request).
    pub target: &'a str,
    /// The last unquoted field after the size (and any quoted fields), if any:
    /// where a request time is logged.
    pub last_field: Option<&'a str>,
}

/// Reads one line; the error says what was expected where.
pub fn parse(line: &str) -> Result<ClfLine<'_>, String> {
    let open = line.find(" [").ok_or("no [time] field (the Common Log Format has `host ident user [time]`)")?;
    let rest = &line[open + 2..];
    let close = rest.find(']').ok_or("no `]` closing the [time] field")?;
    let stamp = &rest[..close];
    let time_s = clf_seconds(stamp).ok_or_else(|| {
        format!("cannot read the time [{}] (expected e.g. [10/Oct/2000:13:55:36 -0700])", shorten(stamp))
    })?;
    let rest = rest[close + 1..].strip_prefix(" \"").ok_or("no quoted request after the [time] field")?;
    let end = closing_quote(rest).ok_or("the quoted request has no closing quote")?;
    let request = &rest[..end];
    let mut fields = rest[end + 1..].split_ascii_whitespace();
    let status_text = fields.next().ok_or("no status after the request")?;
    let status =
        status(status_text).ok_or_else(|| format!("status \"{}\" is not a 3-digit code", shorten(status_text)))?;
    let size = fields.next().ok_or("no response size after the status")?;
    if size != "-" && !size.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("response size \"{}\" is not a number or -", shorten(size)));
    }
    let mut words = request.split_ascii_whitespace();
    let target = match (words.next(), words.next()) {
        (Some(_), Some(target)) => target,
        _ => "",
    };
    let after_size = after(rest, size);
    Ok(ClfLine { time_s, status, target, last_field: last_field(trailing(after_size)?) })
}

/// The rest of `text` after the sub-slice `part`.
fn after<'a>(text: &'a str, part: &str) -> &'a str {
    let start = part.as_ptr() as usize - text.as_ptr() as usize + part.len();
    &text[start..]
}

/// Index of the quote ending a quoted field (Apache escapes `"` as `\"`).
fn closing_quote(text: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate() {
        match b {
            _ if escaped => escaped = false,
            b'\\' => escaped = true,
            b'"' => return Some(i),
            _ => {}
        }
    }
    None
}

/// The text after the last quoted field (referer, agent, any other).
fn trailing(mut text: &str) -> Result<&str, String> {
    loop {
        match text.find('"') {
            None => return Ok(text),
            Some(open) => {
                let end = closing_quote(&text[open + 1..]).ok_or("a quoted field has no closing quote")?;
                text = &text[open + end + 2..];
            }
        }
    }
}

/// The last field of `text`: its last word, with the words before it when
/// they form a list (`0.050, 0.010 : 0.020`).
fn last_field(text: &str) -> Option<&str> {
    let words: Vec<&str> = text.split_ascii_whitespace().collect();
    let mut first = words.len().checked_sub(1)?;
    while first > 0 && (words[first - 1].ends_with(',') || words[first - 1] == ":" || words[first] == ":") {
        first -= 1;
    }
    let start = words[first].as_ptr() as usize - text.as_ptr() as usize;
    let last = words[words.len() - 1];
    let end = last.as_ptr() as usize - text.as_ptr() as usize + last.len();
    Some(&text[start..end])
}

/// A request time as logged, in the log's unit: a number, `-` (none: nginx
/// without an upstream), or a list of numbers separated by `,` or `:` (nginx
/// tried several upstreams: the time is their sum; `-` entries count 0).
pub fn duration_value(field: &str) -> Result<Option<f64>, String> {
    let mut sum = None;
    for part in field.split([',', ':']).map(str::trim) {
        if part == "-" {
            continue;
        }
        let v: f64 = part
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v >= 0.0)
            .ok_or_else(|| format!("request time \"{}\" is not a number >= 0 (or -)", shorten(field)))?;
        sum = Some(sum.unwrap_or(0.0) + v);
    }
    Ok(sum)
}

/// A 3-digit HTTP status.
pub fn status(text: &str) -> Option<u16> {
    (text.len() == 3 && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse().ok()).flatten()
}

/// At most 40 characters of `text`, for messages.
pub fn shorten(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apache_common_and_combined_lines() {
        // Apache's documentation examples.
        let common = r#"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326"#;
        let line = parse(common).unwrap();
        assert_eq!(line, ClfLine { time_s: 971_211_336, status: 200, target: "/apache_pb.gif", last_field: None });
        let combined = r#"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)""#;
        assert_eq!(parse(combined).unwrap(), line);
        // The NASA 1995 log: no protocol, a size of "-".
        let nasa = r#"199.72.81.55 - - [01/Jul/1995:00:00:01 -0400] "GET /history/apollo/" 304 -"#;
        let line = parse(nasa).unwrap();
        assert_eq!(
            (line.time_s, line.status, line.target, line.last_field),
            (804_571_201, 304, "/history/apollo/", None)
        );
    }

    #[test]
    fn request_time_fields_at_the_end() {
        // nginx: log_format timed '... "$http_user_agent" $request_time';
        let nginx = r#"203.0.113.7 - - [01/May/2024:14:00:00 +0200] "GET /api/items?page=2 HTTP/2.0" 200 512 "-" "curl/8.5.0" 0.052"#;
        let line = parse(nginx).unwrap();
        assert_eq!((line.time_s, line.target, line.last_field), (1_714_564_800, "/api/items?page=2", Some("0.052")));
        assert_eq!(duration_value("0.052").unwrap(), Some(0.052));
        // $request_time $upstream_response_time, two upstreams tried.
        let upstream = r#"203.0.113.7 - - [01/May/2024:14:00:00 +0200] "POST /login HTTP/1.1" 502 0 "-" "Mozilla/5.0 (X11; Linux x86_64)" 0.075 0.050, 0.010 : 0.015"#;
        let field = parse(upstream).unwrap().last_field.unwrap();
        assert_eq!(field, "0.050, 0.010 : 0.015");
        assert!((duration_value(field).unwrap().unwrap() - 0.075).abs() < 1e-12);
        assert_eq!(duration_value("-").unwrap(), None);
        // Apache LogFormat "%h %l %u %t \"%r\" %>s %b %D": microseconds, after the size.
        let apache = r#"192.0.2.10 - - [03/Dec/2026:09:15:02 +0000] "GET /index.html HTTP/1.1" 200 10801 51234"#;
        assert_eq!(parse(apache).unwrap().last_field, Some("51234"));
        // An escaped quote inside the agent does not end it.
        let escaped = r#"192.0.2.10 - - [03/Dec/2026:09:15:02 +0000] "GET / HTTP/1.1" 200 1 "-" "say \"hi\"" 7"#;
        assert_eq!(parse(escaped).unwrap().last_field, Some("7"));
    }

    #[test]
    fn garbage_requests_still_count_but_broken_lines_do_not() {
        let scanner = r#"198.51.100.4 - - [03/Dec/2026:09:15:02 +0000] "\x16\x03\x01" 400 157 "-" "-""#;
        assert_eq!(parse(scanner).unwrap().target, "");
        let cases = [
            ("just some text", "no [time] field"),
            (r#"h - - [03/Dec/2026:09:15:02 +0000 "GET / HTTP/1.1" 200 1"#, "no `]` closing"),
            (r#"h - - [03/Dec/2026 09:15:02] "GET / HTTP/1.1" 200 1"#, "cannot read the time"),
            (r#"h - - [03/Dec/2026:09:15:02 +0000] GET / 200 1"#, "no quoted request"),
            (r#"h - - [03/Dec/2026:09:15:02 +0000] "GET / HTTP/1.1 200 1"#, "no closing quote"),
            (r#"h - - [03/Dec/2026:09:15:02 +0000] "GET / HTTP/1.1" OK 1"#, "status \"OK\""),
            (r#"h - - [03/Dec/2026:09:15:02 +0000] "GET / HTTP/1.1" 200"#, "no response size"),
            (r#"h - - [03/Dec/2026:09:15:02 +0000] "GET / HTTP/1.1" 200 12kB"#, "response size \"12kB\""),
            (r#"h - - [03/Dec/2026:09:15:02 +0000] "GET / HTTP/1.1" 200 1 "-"#, "no closing quote"),
        ];
        for (line, expected) in cases {
            let e = parse(line).unwrap_err();
            assert!(e.contains(expected), "{line}: {e}");
        }
        assert!(duration_value("fast").unwrap_err().contains("\"fast\" is not a number"));
        assert!(duration_value("-1").is_err());
    }
}
