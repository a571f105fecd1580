//! Price tables embedded in the binary, gzip-compressed where large
//! (`include_bytes!` of `data/*.csv.gz`), read once on first use.

use std::io::Read;

/// The text of an embedded gzip file. The bytes are fixed at build time, so
/// a failure here is a build defect, caught by each table's parse test.
pub fn gunzip(gz: &[u8]) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(gz).read_to_string(&mut text).expect("embedded table is valid gzip UTF-8");
    text
}

/// The fields of each row after the header (the embedded tables have no
/// quoted fields; a test per table checks every row parses).
pub fn rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines().skip(1).filter(|l| !l.is_empty()).map(|l| l.split(',').map(str::trim).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gunzip_round_trip_and_rows() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(b"region,type\nus-east-1, m5.large\n\neu-west-2,c5.xlarge\n").unwrap();
        let text = gunzip(&gz.finish().unwrap());
        let all: Vec<Vec<&str>> = rows(&text).collect();
        assert_eq!(all, vec![vec!["us-east-1", "m5.large"], vec!["eu-west-2", "c5.xlarge"]]);
    }
}
