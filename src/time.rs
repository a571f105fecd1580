//! Time, at the bottom of every layer: simulated time is an integer number
//! of microseconds, so event order never depends on floating-point
//! rounding; the calendar units prices and durations are written in are
//! defined here once.

use std::fmt;

/// A billing month: 730 hours (8,760 h a year / 12), wherever a monthly
/// price becomes time or growth compounds per month.
pub const HOURS_PER_MONTH: u64 = 730;

/// A year, as durations write it ("1y") and as server lifetimes count it.
pub const DAYS_PER_YEAR: u64 = 365;

/// A point in (or span of) simulated time, in microseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(pub u64);

impl SimTime {
    pub const ZERO: SimTime = SimTime(0);
    pub const MICROS_PER_SEC: u64 = 1_000_000;
    /// One hour.
    pub const HOUR: SimTime = SimTime(3_600 * Self::MICROS_PER_SEC);
    /// One day.
    pub const DAY: SimTime = SimTime(86_400 * Self::MICROS_PER_SEC);
    /// A billing month ([`HOURS_PER_MONTH`]).
    pub const MONTH: SimTime = SimTime(HOURS_PER_MONTH * 3_600 * Self::MICROS_PER_SEC);
    /// A year ([`DAYS_PER_YEAR`]).
    pub const YEAR: SimTime = SimTime(DAYS_PER_YEAR * 86_400 * Self::MICROS_PER_SEC);

    pub const fn from_secs(s: u64) -> SimTime {
        SimTime(s * Self::MICROS_PER_SEC)
    }

    /// Rounds to the nearest microsecond; negative input becomes zero.
    pub fn from_secs_f64(s: f64) -> SimTime {
        SimTime((s * 1e6).round().max(0.0) as u64)
    }

    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1e6
    }

    pub fn as_hours_f64(self) -> f64 {
        self.0 as f64 / 3.6e9
    }

    pub fn as_micros(self) -> u64 {
        self.0
    }
}

impl fmt::Display for SimTime {
    /// Formats as the largest unit that divides the value exactly ("90s", "2h", "14d").
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const UNITS: [(&str, u64); 6] = [
            ("d", 86_400_000_000),
            ("h", 3_600_000_000),
            ("m", 60_000_000),
            ("s", 1_000_000),
            ("ms", 1_000),
            ("us", 1),
        ];
        if self.0 == 0 {
            return f.write_str("0s");
        }
        let (unit, size) = UNITS.iter().find(|(_, size)| self.0.is_multiple_of(*size)).copied().unwrap_or(("us", 1));
        write!(f, "{}{}", self.0 / size, unit)
    }
}

/// The pieces of [from, to) (µs) cut at every multiple of `period_us`, in
/// order: a bucket split into the clock hours, months or samples it touches.
pub fn pieces(from_us: u64, to_us: u64, period_us: u64) -> impl Iterator<Item = (u64, u64)> {
    let mut t = from_us;
    std::iter::from_fn(move || {
        (t < to_us).then(|| {
            let piece = (t, to_us.min((t / period_us + 1) * period_us));
            t = piece.1;
            piece
        })
    })
}

/// The unit of plain numbers in a data file (a trace's time column, an
/// empirical distribution's values): "s", "ms" or "us".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TimeUnit {
    #[default]
    Seconds,
    Millis,
    Micros,
}

impl TimeUnit {
    /// Every unit, in the order messages list them.
    pub const ALL: [TimeUnit; 3] = [TimeUnit::Seconds, TimeUnit::Millis, TimeUnit::Micros];

    /// The name written in a scenario file: "s", "ms" or "us".
    pub fn as_str(self) -> &'static str {
        match self {
            TimeUnit::Seconds => "s",
            TimeUnit::Millis => "ms",
            TimeUnit::Micros => "us",
        }
    }

    /// The unit spelled out, for messages.
    pub fn long_name(self) -> &'static str {
        match self {
            TimeUnit::Seconds => "seconds",
            TimeUnit::Millis => "milliseconds",
            TimeUnit::Micros => "microseconds",
        }
    }

    /// How many of this unit make a second.
    pub fn per_second(self) -> f64 {
        match self {
            TimeUnit::Seconds => 1.0,
            TimeUnit::Millis => 1e3,
            TimeUnit::Micros => 1e6,
        }
    }

    /// A value in this unit, in seconds (a division: 5 ms is exactly the
    /// double nearest 0.005 s).
    pub fn to_secs(self, value: f64) -> f64 {
        value / self.per_second()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_cut_at_each_multiple() {
        // [90, 250) by 100: [90, 100), [100, 200), [200, 250); an empty span has none.
        assert_eq!(pieces(90, 250, 100).collect::<Vec<_>>(), [(90, 100), (100, 200), (200, 250)]);
        assert_eq!(pieces(100, 200, 100).collect::<Vec<_>>(), [(100, 200)]);
        assert_eq!(pieces(5, 5, 100).count(), 0);
    }

    #[test]
    fn display_picks_the_largest_exact_unit() {
        assert_eq!(SimTime::from_secs(90).to_string(), "90s");
        assert_eq!(SimTime::from_secs(7_200).to_string(), "2h");
        assert_eq!(SimTime(14 * SimTime::DAY.0).to_string(), "14d");
        assert_eq!(SimTime(250_000).to_string(), "250ms");
        assert_eq!(SimTime::ZERO.to_string(), "0s");
    }

    #[test]
    fn month_is_730_hours() {
        assert_eq!(SimTime::MONTH.as_hours_f64(), 730.0);
    }

    #[test]
    fn units_divide() {
        assert_eq!(TimeUnit::Millis.to_secs(5.0), 0.005);
        assert_eq!(TimeUnit::Micros.to_secs(250.0), 0.00025);
        assert_eq!(TimeUnit::Seconds.to_secs(1.5), 1.5);
        let names: Vec<&str> = TimeUnit::ALL.iter().map(|u| u.as_str()).collect();
        assert_eq!(names, ["s", "ms", "us"]);
    }
}
