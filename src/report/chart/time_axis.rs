//! The x axis of the time-series charts (cost, latency, capacity): time from
//! t = 0 in a unit that fits the horizon, or, when the scenario replays a
//! trace that starts at a real date, UTC dates and times.

use super::axis::{ValueAxis, fmt_number};
use super::theme::TimeUnit;
use crate::report::chart_data::ChartData;

/// A trace `start` before this (1980-01-01 UTC, in Unix seconds) is taken as
/// an offset in a trace of relative times, not as a date.
const FIRST_DATE_UNIX_S: f64 = 315_532_800.0;

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// The time axis of a data set. Values on it are in `unit` from t = 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeAxis {
    /// The unit of the axis values (and of the relative labels).
    pub unit: TimeUnit,
    /// The end of the axis, in `unit`: the horizon, or the last bucket if later.
    pub end: f64,
    /// Unix time (s) of t = 0, for an axis labelled with dates.
    origin_unix_s: Option<f64>,
}

impl TimeAxis {
    /// The axis of `data`: 0 to the horizon (or to the last bucket if later),
    /// dated when its trace starts at a date.
    pub fn of(data: &ChartData) -> TimeAxis {
        let last = data
            .options
            .iter()
            .filter_map(|o| o.series.bucket_start_s.last().copied())
            .filter(|t| t.is_finite())
            .fold(0.0, f64::max);
        let horizon = data.scenario.horizon_s;
        let end_s = if horizon.is_finite() && horizon > 0.0 {
            horizon.max(last)
        } else if last > 0.0 {
            last
        } else {
            1.0
        };
        TimeAxis::new(end_s, data.scenario.trace_start_unix_s)
    }

    /// An axis `end_s` seconds long whose t = 0 is `start_unix_s` (dated if it
    /// is a date, see [`FIRST_DATE_UNIX_S`]).
    pub fn new(end_s: f64, start_unix_s: Option<f64>) -> TimeAxis {
        let unit = TimeUnit::for_horizon(end_s);
        let origin_unix_s = start_unix_s.filter(|s| s.is_finite() && *s >= FIRST_DATE_UNIX_S);
        TimeAxis { unit, end: end_s / unit.seconds(), origin_unix_s }
    }

    /// Seconds per axis unit: series times in seconds are divided by it.
    pub fn scale_s(&self) -> f64 {
        self.unit.seconds()
    }

    /// The value axis from 0 to `end`, with at most 13 ticks at a step natural
    /// for the unit (every 3 h, every 2 days, …); dated ticks fall on whole
    /// steps of UTC time (every 2 days from the first midnight, even hours),
    /// not on whole steps from t = 0.
    pub fn value_axis(&self) -> ValueAxis {
        let axis = ValueAxis::linear(0.0, self.end);
        let Some(step) = self.unit.steps().iter().copied().find(|s| self.end / s <= 12.0) else {
            return axis;
        };
        // Steps below a day divide a day: multiples of them fall on the same
        // times every day. Steps of days count from the first midnight.
        let align = if self.unit == TimeUnit::Days { 1.0 } else { step };
        let first = match self.origin_unix_s {
            None => 0.0,
            Some(origin) => {
                let origin = origin / self.unit.seconds();
                (origin / align).ceil() * align - origin
            }
        };
        let count = ((self.end - first) / step).floor().max(-1.0) + 1.0;
        let ticks: Vec<f64> = (0..count as usize).map(|k| first + k as f64 * step).collect();
        axis.with_ticks(&ticks)
    }

    /// The axis description: `time (days)`, or `UTC, from 1998-06-24 00:00`.
    pub fn caption(&self) -> String {
        match self.origin_unix_s {
            None => self.unit.label().to_string(),
            Some(origin) => {
                let c = Civil::of(origin);
                let seconds = if c.second == 0 { String::new() } else { format!(":{:02}", c.second) };
                format!(
                    "time (UTC), from {}-{:02}-{:02} {:02}:{:02}{seconds}",
                    c.year, c.month, c.day, c.hour, c.minute
                )
            }
        }
    }

    /// A tick label for `v` (in `unit`): the number, or the UTC date or time
    /// (`Jun 24` at midnight and on a day axis, else `13:30`, or `13:30:15`
    /// on an axis of seconds).
    pub fn label(&self, v: f64) -> String {
        let Some(origin) = self.origin_unix_s else {
            return fmt_number(v);
        };
        let c = Civil::of(origin + v * self.unit.seconds());
        let midnight = c.hour == 0 && c.minute == 0 && c.second == 0;
        match self.unit {
            TimeUnit::Days => format!("{} {:02}", MONTHS[c.month as usize - 1], c.day),
            _ if midnight => format!("{} {:02}", MONTHS[c.month as usize - 1], c.day),
            TimeUnit::Seconds => format!("{:02}:{:02}:{:02}", c.hour, c.minute, c.second),
            _ => format!("{:02}:{:02}", c.hour, c.minute),
        }
    }
}

/// A UTC calendar date and time of day, to the nearest second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

impl Civil {
    /// The date and time of `unix_s` seconds after 1970-01-01 00:00 UTC
    /// (proleptic Gregorian calendar).
    fn of(unix_s: f64) -> Civil {
        let total = unix_s.round() as i64;
        let (days, secs) = (total.div_euclid(86_400), total.rem_euclid(86_400) as u32);
        // Days since 0000-03-01, in 400-year eras of 146,097 days; years
        // start in March so the leap day is the last day of a year.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let month_from_march = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32;
        let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 } as u32;
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Civil { year, month, day, hour: secs / 3600, minute: secs % 3600 / 60, second: secs % 60 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        let c = |y, mo, d, h, mi, s| Civil { year: y, month: mo, day: d, hour: h, minute: mi, second: s };
        assert_eq!(Civil::of(0.0), c(1970, 1, 1, 0, 0, 0));
        // 1998-06-10: 10,387 days after 1970-01-01 (28 years with 7 leap days
        // = 10,227, then Jan–May 1998 = 151 and 9 days).
        assert_eq!(Civil::of(10_387.0 * 86_400.0), c(1998, 6, 10, 0, 0, 0));
        assert_eq!(Civil::of(951_782_400.0 + 45_296.0), c(2000, 2, 29, 12, 34, 56));
        assert_eq!(Civil::of(-1.0), c(1969, 12, 31, 23, 59, 59));
    }

    #[test]
    fn relative_axes_count_from_zero() {
        // 24 h: every 2 h gives 13 ticks (0..=24), within the limit.
        let a = TimeAxis::new(86_400.0, None);
        assert_eq!(a.value_axis().ticks(13, true), (0..=12).map(|k| 2.0 * k as f64).collect::<Vec<_>>());
        assert_eq!((a.caption().as_str(), a.label(6.0).as_str()), ("time (h)", "6"));
        // 14 days: every 2 days.
        assert_eq!(TimeAxis::new(14.0 * 86_400.0, None).value_axis().ticks(13, true).len(), 8);
        // A start before 1980 is an offset, not a date.
        assert_eq!(TimeAxis::new(86_400.0, Some(600.0)), a);
    }

    #[test]
    fn dated_axes_label_utc_dates_and_times() {
        // t = 0 is 1998-06-10 00:00 UTC: 897,436,800 s (10,387 days).
        let june_10 = 897_436_800.0;
        let days = TimeAxis::new(20.0 * 86_400.0, Some(june_10));
        assert_eq!(days.caption(), "time (UTC), from 1998-06-10 00:00");
        assert_eq!(days.label(0.0), "Jun 10");
        assert_eq!(days.label(21.0), "Jul 01");
        // Every 2 days from the first midnight, t = 0 itself.
        assert_eq!(days.value_axis().ticks(13, true)[..2], [0.0, 2.0]);
        let noon = TimeAxis::new(20.0 * 86_400.0, Some(june_10 + 43_200.0));
        assert_eq!(noon.value_axis().ticks(13, true)[..2], [0.5, 2.5]);
        // A day from 13:30: ticks every 2 h fall on even hours, the first at
        // 14:00 (0.5 h in), midnight labelled with its date.
        let hours = TimeAxis::new(86_400.0, Some(june_10 + 13.5 * 3600.0));
        assert_eq!(hours.caption(), "time (UTC), from 1998-06-10 13:30");
        let ticks = hours.value_axis().ticks(13, true);
        assert_eq!(ticks[0], 0.5);
        assert_eq!(ticks.len(), 12);
        let labels: Vec<String> = ticks.iter().map(|&v| hours.label(v)).collect();
        assert_eq!(&labels[..6], ["14:00", "16:00", "18:00", "20:00", "22:00", "Jun 11"]);
        let seconds = TimeAxis::new(120.0, Some(june_10 + 61.0));
        assert_eq!(
            (seconds.label(14.0).as_str(), seconds.caption().as_str()),
            ("00:01:15", "time (UTC), from 1998-06-10 00:01:01")
        );
    }
}
