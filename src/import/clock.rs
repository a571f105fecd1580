//! Log time stamps to Unix seconds (UTC), and back to a UTC date for messages.
//! The Common Log Format writes local time with its offset,
//! `10/Oct/2000:13:55:36 -0700`; JSON logs write ISO 8601 or a number.

use crate::scenario::{days_from_civil, days_in_month, unix_seconds};

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// Unix seconds of a CLF time `dd/Mon/yyyy:HH:MM:SS ±HHMM` (without the
/// brackets); month names in English, any case.
pub fn clf_seconds(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    // dd/Mon/yyyy:HH:MM:SS ±HHMM is exactly 26 bytes.
    if b.len() != 26 || b[2] != b'/' || b[6] != b'/' || b[11] != b':' || b[14] != b':' || b[17] != b':' {
        return None;
    }
    if b[20] != b' ' || !matches!(b[21], b'+' | b'-') {
        return None;
    }
    let day: u32 = number(&text[0..2])?;
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(&text[3..6]))? as u32 + 1;
    let year: i64 = number(&text[7..11])?;
    let (hour, minute, second): (i64, i64, i64) =
        (number(&text[12..14])?, number(&text[15..17])?, number(&text[18..20])?);
    let (offset_h, offset_m): (i64, i64) = (number(&text[22..24])?, number(&text[24..26])?);
    // A leap second (:60) is read as the next second's start, as Unix time does.
    if day == 0 || day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    if offset_h > 23 || offset_m > 59 {
        return None;
    }
    let east_s = (offset_h * 3600 + offset_m * 60) * if b[21] == b'-' { -1 } else { 1 };
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - east_s)
}

/// Unix seconds of a JSON log's time value written as text: ISO 8601
/// (`2024-05-01T12:00:00.123+02:00`, `Z` or no offset = UTC), a CLF time,
/// or a number as [`epoch_seconds`] reads it.
pub fn text_seconds(text: &str) -> Option<f64> {
    let text = text.trim();
    if let Ok(n) = text.parse::<f64>() {
        return epoch_seconds(n);
    }
    clf_seconds(text).map(|s| s as f64).or_else(|| unix_seconds(&iso_offset_with_colon(text)))
}

/// `+0200` at the end of an ISO date-time as `+02:00` (both are ISO 8601).
fn iso_offset_with_colon(text: &str) -> String {
    let b = text.as_bytes();
    let n = b.len();
    if n > 5 && matches!(b[n - 5], b'+' | b'-') && b[n - 4..].iter().all(u8::is_ascii_digit) && text.contains('T') {
        format!("{}:{}", &text[..n - 2], &text[n - 2..])
    } else {
        text.to_string()
    }
}

/// A number of Unix seconds; milliseconds above 10^11 and microseconds
/// above 10^14 (no log of this century is in seconds there: 10^11 s is
/// the year 5138); `None` before 1970 or from the year 10000.
pub fn epoch_seconds(n: f64) -> Option<f64> {
    let s = match n {
        n if n > 1e14 => n / 1e6,
        n if n > 1e11 => n / 1e3,
        n => n,
    };
    (s.is_finite() && (0.0..YEAR_10000_S).contains(&s)).then_some(s)
}

/// 10000-01-01 in Unix seconds: a time beyond is no log's.
const YEAR_10000_S: f64 = 253_402_300_800.0;

/// `yyyy-mm-dd HH:MM UTC` of Unix seconds, for messages and comments.
pub fn utc_minute(unix_s: i64) -> String {
    let (days, rest) = (unix_s.div_euclid(86_400), unix_s.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02} UTC", rest / 3600, rest % 3600 / 60)
}

/// The date of a day count since 1970-01-01 (H. Hinnant's algorithm, the
/// inverse of `days_from_civil`).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// Exactly ASCII digits.
fn number<T: std::str::FromStr>(s: &str) -> Option<T> {
    s.bytes().all(|b| b.is_ascii_digit()).then(|| s.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clf_times_become_utc_seconds() {
        // The NASA log's first line: 1995-07-01 00:00:01 at -04:00 is 04:00:01 UTC,
        // 804,571,200 + 1 (1995-07-01 is 9,312 days after 1970-01-01: 9,312 × 86,400 + 4 × 3,600).
        assert_eq!(clf_seconds("01/Jul/1995:00:00:01 -0400"), Some(804_571_201));
        // Apache's documentation example: 13:55:36 at -07:00 is 20:55:36 UTC on 2000-10-10
        // (11,240 days: 971,136,000 + 75,336).
        assert_eq!(clf_seconds("10/Oct/2000:13:55:36 -0700"), Some(971_211_336));
        // East of UTC, half-hour offsets, and the day changing at UTC midnight.
        assert_eq!(clf_seconds("10/Oct/2000:13:55:36 +0530"), Some(971_211_336 - 7 * 3600 - 5 * 3600 - 1800));
        assert_eq!(clf_seconds("01/Jan/2024:00:30:00 +0100"), Some(1_704_067_200 - 1800));
        assert_eq!(clf_seconds("29/feb/2024:12:00:00 +0000"), Some(1_709_208_000));
        for (i, m) in MONTHS.iter().enumerate() {
            let t = clf_seconds(&format!("01/{m}/2001:00:00:00 +0000")).unwrap();
            assert_eq!(t, days_from_civil(2001, i as u32 + 1, 1) * 86_400, "{m}");
        }
        for bad in [
            "29/Feb/2023:12:00:00 +0000",
            "31/Apr/2024:12:00:00 +0000",
            "10/Okt/2000:13:55:36 -0700",
            "10/Oct/2000:24:00:00 -0700",
            "10/Oct/2000:13:55:36",
            "10/Oct/2000 13:55:36 -0700",
            "1/Oct/2000:13:55:36 -0700",
            "10/Oct/2000:13:55:36 -07:0",
        ] {
            assert_eq!(clf_seconds(bad), None, "{bad}");
        }
    }

    #[test]
    fn json_times_in_every_common_form() {
        let t = 1_714_564_800.0; // 2024-05-01 12:00:00 UTC
        assert_eq!(text_seconds("2024-05-01T12:00:00Z"), Some(t));
        assert_eq!(text_seconds("2024-05-01T14:00:00+02:00"), Some(t));
        assert_eq!(text_seconds("2024-05-01T14:00:00.250+0200"), Some(t + 0.25));
        assert_eq!(text_seconds("01/May/2024:08:00:00 -0400"), Some(t));
        assert_eq!(text_seconds("1714564800.5"), Some(t + 0.5));
        assert_eq!(epoch_seconds(1_714_564_800_000.0), Some(t));
        assert_eq!(epoch_seconds(1_714_564_800_000_000.0), Some(t));
        assert_eq!(text_seconds("yesterday"), None);
    }

    #[test]
    fn utc_dates_round_trip() {
        assert_eq!(utc_minute(804_571_201), "1995-07-01 04:00 UTC");
        assert_eq!(utc_minute(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc_minute(1_709_164_800 + 86_399), "2024-02-29 23:59 UTC");
        for days in [-800_000, -1, 0, 59, 11_016, 19_782, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
    }
}
