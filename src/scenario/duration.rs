//! Duration strings: "90s", "250ms", "1.5h", compound "3d 10h" or "1h30m".

use crate::time::SimTime;

/// Units and their size in microseconds; a year is 365 days.
const UNITS: [(&str, u128); 10] = [
    ("us", 1),
    ("µs", 1),
    ("ms", 1_000),
    ("s", 1_000_000),
    ("m", 60_000_000),
    ("h", 3_600_000_000),
    ("d", 86_400_000_000),
    ("w", 604_800_000_000),
    ("y", SimTime::YEAR.0 as u128),
    ("min", 60_000_000),
];

/// What the error messages list as valid units.
pub const UNIT_LIST: &str = "us or µs, ms, s, m or min, h, d, w, y (365 d)";

/// Unit names people write, and the unit meant.
const SPELLED_OUT: [(&[&str], &str); 8] = [
    (&["usec", "usecs", "micros", "microsecond", "microseconds"], "us"),
    (&["msec", "msecs", "millis", "millisecond", "milliseconds"], "ms"),
    (&["sec", "secs", "second", "seconds"], "s"),
    (&["mins", "minute", "minutes"], "m"),
    (&["hr", "hrs", "hour", "hours"], "h"),
    (&["day", "days"], "d"),
    (&["wk", "week", "weeks"], "w"),
    (&["yr", "yrs", "year", "years"], "y"),
];

/// Parses a duration like "90s", "250ms", "5m", "2h", "14d", "1w", "1y"
/// (= 365 d), with decimals ("1.5h") and compound forms ("3d 10h", "1h30m").
/// The result is rounded to the nearest microsecond.
pub fn parse_duration(s: &str) -> Result<SimTime, String> {
    let text = s.trim();
    if text.is_empty() {
        return Err("empty duration; write it like \"90s\"".into());
    }
    if text.starts_with('-') {
        return Err(format!("durations cannot be negative, got \"{s}\""));
    }
    let mut rest = text;
    let mut total: u128 = 0;
    while !rest.is_empty() {
        let number_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let number = &rest[..number_len];
        if number.is_empty() {
            return Err(format!("expected a number in \"{s}\" at \"{rest}\"; write durations like \"90s\""));
        }
        rest = rest[number_len..].trim_start();
        let unit_len = rest.find(|c: char| !c.is_alphabetic()).unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        if unit.is_empty() {
            return Err(format!("missing unit after {number} in \"{s}\"; write \"{number}s\" (units: {UNIT_LIST})"));
        }
        let Some(&(_, size)) = UNITS.iter().find(|(u, _)| *u == unit) else {
            let lower = unit.to_lowercase();
            let meant = SPELLED_OUT.iter().find(|(names, _)| names.contains(&lower.as_str())).map(|(_, u)| *u);
            let meant = meant.or_else(|| UNITS.iter().map(|(u, _)| *u).find(|u| *u == lower));
            let suggestion = meant.map(|u| format!(" (write \"{number}{u}\")")).unwrap_or_default();
            return Err(format!("unknown unit \"{unit}\" in \"{s}\"{suggestion}; units: {UNIT_LIST}"));
        };
        total = total
            .checked_add(scaled(number, size).ok_or_else(|| format!("bad number \"{number}\" in \"{s}\""))?)
            .ok_or_else(|| format!("duration \"{s}\" is too long"))?;
        rest = rest[unit_len..].trim_start();
    }
    u64::try_from(total).map(SimTime).map_err(|_| format!("duration \"{s}\" is too long"))
}

/// Formats a duration so `parse_duration` reads it back exactly: whole years
/// as "3y", anything else in the largest unit that divides it ("90s", "14d").
pub fn format_duration(t: SimTime) -> String {
    let year = SimTime::YEAR.0;
    if t.0 >= year && t.0.is_multiple_of(year) { format!("{}y", t.0 / year) } else { t.to_string() }
}

/// `number` (decimal digits with at most one point) times `size` microseconds,
/// rounded to the nearest microsecond, in exact integer arithmetic.
fn scaled(number: &str, size: u128) -> Option<u128> {
    let (int, frac) = number.split_once('.').unwrap_or((number, ""));
    if (int.is_empty() && frac.is_empty()) || frac.contains('.') || frac.len() > 18 {
        return None;
    }
    let int: u128 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let whole = int.checked_mul(size)?;
    if frac.is_empty() {
        return Some(whole);
    }
    let denom = 10u128.pow(frac.len() as u32);
    let num: u128 = frac.parse::<u128>().ok()?.checked_mul(size)?;
    whole.checked_add((num + denom / 2) / denom)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn us(s: &str) -> u64 {
        parse_duration(s).unwrap_or_else(|e| panic!("{s}: {e}")).0
    }

    #[test]
    fn every_unit() {
        assert_eq!(us("7us"), 7);
        assert_eq!(us("7µs"), 7);
        assert_eq!(us("250ms"), 250_000);
        assert_eq!(us("90s"), 90_000_000);
        assert_eq!(us("5m"), 300_000_000);
        assert_eq!(us("5min"), 300_000_000);
        assert_eq!(us("2h"), 7_200_000_000);
        assert_eq!(us("14d"), 14 * 86_400_000_000);
        assert_eq!(us("1w"), 7 * 86_400_000_000);
        assert_eq!(us("1y"), 365 * 86_400_000_000);
        assert_eq!(us("0s"), 0);
    }

    #[test]
    fn compound_and_decimal() {
        // 3 d 10 h = (72 + 10) h = 82 h.
        assert_eq!(us("3d 10h"), 82 * 3_600_000_000);
        // 1 h 30 m = 5400 s.
        assert_eq!(us("1h30m"), 5_400_000_000);
        assert_eq!(us("1.5h"), 5_400_000_000);
        assert_eq!(us("0.25s"), 250_000);
        assert_eq!(us(".5s"), 500_000);
        assert_eq!(us(" 10 s "), 10_000_000);
        // 1.0000005 s rounds to the nearest microsecond.
        assert_eq!(us("1.0000005s"), 1_000_001);
    }

    #[test]
    fn round_trips_simtime_display_and_format_duration() {
        for t in [1u64, 250_000, 90_000_000, 7_200_000_000, 14 * 86_400_000_000, 1_500_000, 3 * 31_536_000_000_000] {
            assert_eq!(us(&SimTime(t).to_string()), t);
            assert_eq!(us(&format_duration(SimTime(t))), t);
        }
        assert_eq!(format_duration(SimTime(3 * 31_536_000_000_000)), "3y");
        assert_eq!(format_duration(SimTime(14 * 86_400_000_000)), "14d");
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let err = |s: &str| parse_duration(s).unwrap_err();
        assert!(err("10 parsecs").contains("unknown unit \"parsecs\""));
        assert!(err("90").contains("missing unit"));
        assert!(err("").contains("empty"));
        assert!(err("-5s").contains("negative"));
        assert!(err("s").contains("expected a number"));
        assert!(err("1..5s").contains("bad number"));
        assert!(err("1h 30").contains("missing unit"));
        assert!(err("999999999999y").contains("too long"));
        assert!(err("5 S").contains("unknown unit"));
        // Spelled-out and upper-case units are named with the unit meant.
        assert!(err("2 hours").starts_with("unknown unit \"hours\" in \"2 hours\" (write \"2h\"); units: "));
        assert!(err("30secs").contains("(write \"30s\")"));
        assert!(err("5 S").contains("(write \"5s\")"));
        assert!(err("250MS").contains("(write \"250ms\")"));
    }

    #[test]
    fn spaces_and_min_are_accepted_everywhere_a_duration_is_read() {
        // "60 ms" = "60ms"; "30min" = "30m"; "1 h 30 min" = 5400 s.
        assert_eq!(us("60 ms"), 60_000);
        assert_eq!(us("30min"), us("30m"));
        assert_eq!(us("1 h 30 min"), 5_400_000_000);
    }
}
