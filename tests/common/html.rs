//! Reading `report.html` back in tests: its attributes and inline images,
//! and the ranking it must show.

use std::path::Path;

/// The values of every `src` and `href` attribute in `html` that point
/// outside the page (anything but a `data:` URI or a `#fragment`).
pub fn external_references(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["src=", "href="] {
        for (at, _) in html.match_indices(attribute) {
            let rest = &html[at + attribute.len()..];
            let value = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
                _ => rest.split(|c: char| c.is_whitespace() || c == '>').next().unwrap_or(""),
            };
            if !value.starts_with("data:") && !value.starts_with('#') {
                found.push(value.to_string());
            }
        }
    }
    found
}

/// The payloads of the page's `data:image/png;base64,` images, decoded, in page order.
pub fn inline_pngs(html: &str) -> Vec<Vec<u8>> {
    const PREFIX: &str = "data:image/png;base64,";
    html.match_indices(PREFIX)
        .map(|(at, _)| {
            let payload = &html[at + PREFIX.len()..];
            unbase64(&payload[..payload.find('"').expect("a quoted attribute")])
        })
        .collect()
}

/// Standard base64 decoded (written here independently of the encoder under test).
fn unbase64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let digits: Vec<u32> = text
        .bytes()
        .filter(|&b| b != b'=')
        .map(|b| ALPHABET.iter().position(|&a| a == b).expect("a base64 digit") as u32)
        .collect();
    let mut bytes = Vec::new();
    for group in digits.chunks(4) {
        let n = group.iter().enumerate().fold(0, |n, (i, d)| n | d << (18 - 6 * i));
        bytes.extend((0..group.len() - 1).map(|i| (n >> (16 - 8 * i)) as u8));
    }
    bytes
}

/// `ranking.csv`'s rows as (option, total cost with 2 decimals, per month with 2 decimals), in rank order.
pub fn ranking(dir: &Path) -> Vec<(String, String, String)> {
    let mut reader = csv::Reader::from_path(dir.join("ranking.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (option, total, month) = (column("option"), column("total_cost_usd"), column("cost_per_month_usd"));
    let usd = |cell: &str| format!("{:.2}", cell.parse::<f64>().unwrap());
    reader.records().map(|r| r.unwrap()).map(|r| (r[option].to_string(), usd(&r[total]), usd(&r[month]))).collect()
}

#[test]
fn base64_decodes() {
    assert_eq!(unbase64("TWFu"), b"Man");
    assert_eq!(unbase64("TQ=="), b"M");
    assert_eq!(unbase64("Zm9vYmE="), b"fooba");
    assert_eq!(unbase64(""), b"");
}

#[test]
fn external_references_are_found() {
    let page = r##"<img src="data:image/png;base64,AA"><a href="#x">x</a><img src='http://a/b.png'><link href=https://c/d.css>"##;
    assert_eq!(external_references(page), ["http://a/b.png", "https://c/d.css"]);
}
