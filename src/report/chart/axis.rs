//! A value axis that is linear or logarithmic (decided from the data), with
//! readable 1-2-5 ticks in both cases, and the number formats used on axes.

use std::ops::Range;

use plotters::coord::ranged1d::{KeyPointHint, KeyPointWeight, NoDefaultFormatting, Ranged, ValueFormatter};

/// A value axis: linear, or logarithmic (base 10) when the data span more
/// than a decade. Implements plotters' `Ranged` so it can be used directly
/// in `build_cartesian_2d`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValueAxis {
    lo: f64,
    hi: f64,
    log: bool,
    /// Ticks chosen by the chart instead of 1-2-5 ones (at most 16).
    fixed: Option<([f64; 16], usize)>,
}

impl ValueAxis {
    /// A linear axis over `lo..hi` (widened if empty or not finite).
    pub fn linear(lo: f64, hi: f64) -> ValueAxis {
        let (lo, hi) = sane_range(lo, hi, false);
        ValueAxis { lo, hi, log: false, fixed: None }
    }

    /// A log axis over `lo..hi` (both made positive, widened if empty).
    pub fn log(lo: f64, hi: f64) -> ValueAxis {
        let (lo, hi) = sane_range(lo, hi, true);
        ValueAxis { lo, hi, log: true, fixed: None }
    }

    /// Log when the positive data span more than a decade, else linear from 0.
    /// `values` may contain NaN or non-positive numbers (ignored for the span).
    pub fn auto(values: impl IntoIterator<Item = f64>) -> ValueAxis {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for v in values {
            if v.is_finite() && v > 0.0 {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
        if !lo.is_finite() {
            return ValueAxis::linear(0.0, 1.0);
        }
        if hi / lo > 10.0 { ValueAxis::log(lo / 1.25, hi * 1.25) } else { ValueAxis::linear(0.0, hi * 1.08) }
    }

    /// The same axis with exactly these ticks (the first 16 inside the
    /// range), e.g. the percentiles of a "nines" scale.
    pub fn with_ticks(mut self, ticks: &[f64]) -> ValueAxis {
        let mut fixed = [0.0; 16];
        let mut n = 0;
        for &t in ticks {
            if n < fixed.len() && t >= self.lo && t <= self.hi {
                fixed[n] = t;
                n += 1;
            }
        }
        self.fixed = Some((fixed, n));
        self
    }

    /// The same axis (scale and ticks) reaching up to `hi` if that is higher,
    /// e.g. to leave a margin after the last tick.
    pub fn extended(mut self, hi: f64) -> ValueAxis {
        if hi.is_finite() && hi > self.hi {
            self.hi = hi;
        }
        self
    }

    /// True for a logarithmic axis.
    pub fn is_log(&self) -> bool {
        self.log
    }

    /// The lowest value shown.
    pub fn lo(&self) -> f64 {
        self.lo
    }

    /// The highest value shown.
    pub fn hi(&self) -> f64 {
        self.hi
    }

    /// `v` clamped into the axis (so off-scale values still draw at the edge),
    /// or `None` if `v` cannot be shown (NaN, or ≤ 0 on a log axis).
    pub fn clamp(&self, v: f64) -> Option<f64> {
        if !v.is_finite() || (self.log && v <= 0.0) {
            return None;
        }
        Some(v.clamp(self.lo, self.hi))
    }

    fn unit_position(&self, v: f64) -> f64 {
        if self.log {
            (v.max(f64::MIN_POSITIVE).ln() - self.lo.ln()) / (self.hi.ln() - self.lo.ln())
        } else {
            (v - self.lo) / (self.hi - self.lo)
        }
    }

    /// Tick values: the chart's own if set; else, for bold (labelled)
    /// ticks, decades (or 1-2-5 if that gives under 3) on a log axis and
    /// the finest 1-2-5 step that fits in `max` on a linear one; for light
    /// grid lines, a finer subdivision.
    pub fn ticks(&self, max: usize, bold: bool) -> Vec<f64> {
        if let Some((fixed, n)) = self.fixed {
            return fixed[..n].to_vec();
        }
        if max == 0 {
            return Vec::new();
        }
        if !self.log {
            let n = if bold { max } else { (linear_ticks(self.lo, self.hi, 9).len() * 5).min(max) };
            return linear_ticks(self.lo, self.hi, n);
        }
        let levels: Vec<Vec<f64>> = [&[1.0][..], &[1.0, 2.0, 5.0], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]]
            .iter()
            .map(|m| log_ticks(self.lo, self.hi, m))
            .filter(|l| l.len() <= max)
            .collect();
        let chosen = if bold { levels.iter().find(|l| l.len() >= 3).or(levels.last()) } else { levels.last() };
        let ticks = chosen.cloned().unwrap_or_default();
        if ticks.len() < 2 {
            // Less than a factor 2 on a log axis: fall back to linear ticks.
            return linear_ticks(self.lo, self.hi, max.min(6));
        }
        ticks
    }
}

/// Ensures `lo < hi`, both finite (and positive for log).
fn sane_range(lo: f64, hi: f64, log: bool) -> (f64, f64) {
    let (mut lo, mut hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    if log {
        if !(hi.is_finite() && hi > 0.0) {
            hi = 10.0;
        }
        if !(lo.is_finite() && lo > 0.0) {
            lo = hi / 10.0;
        }
        if hi / lo < 1.01 {
            lo /= 1.5;
            hi *= 1.5;
        }
    } else {
        if !lo.is_finite() {
            lo = 0.0;
        }
        if !hi.is_finite() {
            hi = lo + 1.0;
        }
        if hi - lo <= f64::EPSILON * hi.abs().max(1.0) {
            let pad = if hi == 0.0 { 1.0 } else { hi.abs() * 0.1 };
            lo -= if lo == 0.0 { 0.0 } else { pad };
            hi += pad;
        }
    }
    (lo, hi)
}

/// `m × 10^k` for every mantissa `m` and every `k` that falls in `lo..=hi`.
fn log_ticks(lo: f64, hi: f64, mantissas: &[f64]) -> Vec<f64> {
    let mut out = Vec::new();
    let first = lo.log10().floor() as i32;
    let last = hi.log10().ceil() as i32;
    for k in first..=last.min(first + 40) {
        for &m in mantissas {
            let v = m * 10f64.powi(k);
            if v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9) {
                out.push(v);
            }
        }
    }
    out
}

/// At most `n` ticks at a 1-2-5 step covering `lo..=hi`.
pub fn linear_ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if n == 0 || hi <= lo || !lo.is_finite() || !hi.is_finite() {
        return Vec::new();
    }
    let raw = (hi - lo) / n as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| (((hi - lo) / s).floor() as usize) < n)
        .unwrap_or(10.0 * mag);
    let start = (lo / step).ceil() as i64;
    let end = (hi / step).floor() as i64;
    (start..=end).map(|i| i as f64 * step).collect()
}

impl Ranged for ValueAxis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let u = self.unit_position(*value).clamp(-10.0, 10.0);
        (limit.0 as f64 + u * (limit.1 - limit.0) as f64).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        let bold = matches!(hint.weight(), KeyPointWeight::Bold);
        self.ticks(hint.max_num_points(), bold)
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

impl ValueFormatter<f64> for ValueAxis {
    fn format(value: &f64) -> String {
        fmt_number(*value)
    }
}

/// A compact number: `0`, `0.25`, `12`, `1,500`, `2.5M`.
pub fn fmt_number(v: f64) -> String {
    let a = v.abs();
    if !v.is_finite() {
        return "–".into();
    }
    if a >= 1e6 {
        return format!("{}M", trim(v / 1e6, 2));
    }
    if a >= 1e4 {
        return group_thousands(v.round());
    }
    if a >= 100.0 || a == 0.0 {
        return group_thousands(v.round());
    }
    if a >= 1.0 {
        return trim(v, 2);
    }
    let digits = (-a.log10()).ceil() as usize + 1;
    trim(v, digits.min(6))
}

/// Money on an axis or label: `$0`, `$50`, `$12.50`, `$1,234`, `$1.2M`.
pub fn fmt_usd(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let sign = if v < 0.0 { "-" } else { "" };
    let a = v.abs();
    let body = if a >= 1e6 {
        format!("{}M", trim(a / 1e6, 2))
    } else if a >= 100.0 || a == a.round() {
        group_thousands(a.round())
    } else {
        format!("{a:.2}")
    };
    format!("{sign}${body}")
}

/// Money in a data label, where cents are noise: whole dollars from $10
/// (`$96`), else as [`fmt_usd`] (`$4.50`).
pub fn fmt_usd_label(v: f64) -> String {
    if v.is_finite() && v.abs() >= 10.0 { fmt_usd(v.round()) } else { fmt_usd(v) }
}

/// Milliseconds in a label: `12 ms`, `1.5 s` from 1000 ms on.
pub fn fmt_ms(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    if v.abs() >= 1000.0 { format!("{} s", trim(v / 1000.0, 2)) } else { format!("{} ms", fmt_number(v)) }
}

/// A ratio as a percentage with up to 4 decimals: `99.9 %`, `100 %`.
pub fn fmt_percent(ratio: f64) -> String {
    if !ratio.is_finite() {
        return "–".into();
    }
    format!("{} %", trim(ratio * 100.0, 4))
}

/// `v` with at most `digits` decimals, trailing zeros removed.
fn trim(v: f64, digits: usize) -> String {
    let s = format!("{v:.digits$}");
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

/// An integer-valued `v` with thousands separators.
fn group_thousands(v: f64) -> String {
    let s = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0.0 && out != "0" {
        out.insert(0, '-');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(fmt_number(0.0), "0");
        assert_eq!(fmt_number(0.25), "0.25");
        assert_eq!(fmt_number(12.5), "12.5");
        assert_eq!(fmt_number(1500.0), "1,500");
        assert_eq!(fmt_number(2_500_000.0), "2.5M");
        assert_eq!(fmt_usd(1234.4), "$1,234");
        assert_eq!(fmt_usd(12.5), "$12.50");
        assert_eq!(fmt_usd(50.0), "$50");
        assert_eq!(fmt_usd_label(96.08), "$96");
        assert_eq!(fmt_usd_label(4.5), "$4.50");
        assert_eq!(fmt_ms(1500.0), "1.5 s");
        assert_eq!(fmt_ms(f64::NAN), "–");
    }

    #[test]
    fn log_only_beyond_a_decade() {
        assert!(!ValueAxis::auto([10.0, 90.0]).is_log());
        assert!(ValueAxis::auto([10.0, 900.0, f64::NAN, 0.0]).is_log());
        assert!(!ValueAxis::auto([f64::NAN]).is_log());
    }

    #[test]
    fn ticks_are_nice() {
        // 1..1000 spans 3 decades: decades are enough as bold ticks.
        assert_eq!(ValueAxis::log(1.0, 1000.0).ticks(10, true), [1.0, 10.0, 100.0, 1000.0]);
        // 30..300: a single decade tick (100) is too few, so 1-2-5.
        assert_eq!(ValueAxis::log(30.0, 300.0).ticks(10, true), [50.0, 100.0, 200.0]);
        assert_eq!(linear_ticks(0.0, 10.0, 6), [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        // Linear bold ticks: the finest 1-2-5 step that fits.
        assert_eq!(ValueAxis::linear(0.0, 7.5).ticks(9, true), [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]);
        // Degenerate ranges never panic and still give an axis.
        let a = ValueAxis::linear(5.0, 5.0);
        assert!(a.lo() < a.hi());
        let l = ValueAxis::log(0.0, 0.0);
        assert!(l.lo() > 0.0 && l.lo() < l.hi());
    }
}
