//! Number formatting for CSV cells: fixed decimals, trailing zeros trimmed,
//! so files are byte-stable and easy to read.

/// `x` with at most `decimals` decimals, trailing zeros removed; empty for NaN.
pub fn fixed(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let mut s = format!("{x:.decimals$}");
    if s.contains('.') {
        let trimmed = s.trim_end_matches('0').trim_end_matches('.').len();
        s.truncate(trimmed);
    }
    if s == "-0" { "0".to_string() } else { s }
}

/// An optional value; empty when absent.
pub fn opt(x: Option<f64>, decimals: usize) -> String {
    x.map(|v| fixed(v, decimals)).unwrap_or_default()
}

/// Decimals for each kind of column.
pub const COUNT: usize = 4;
pub const MS: usize = 3;
pub const USD: usize = 4;
/// Hourly rates: EC2 prices have up to 6 decimals.
pub const USD_PER_HOUR: usize = 6;
pub const RATIO: usize = 6;
/// Kilograms and grams of CO2e.
pub const CO2E: usize = 4;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_rounds() {
        assert_eq!(fixed(1234.0, COUNT), "1234");
        assert_eq!(fixed(2.5, COUNT), "2.5");
        assert_eq!(fixed(1.0 / 3.0, MS), "0.333");
        assert_eq!(fixed(-0.0001, MS), "0");
        assert_eq!(fixed(f64::NAN, MS), "");
        assert_eq!(opt(None, MS), "");
    }
}
