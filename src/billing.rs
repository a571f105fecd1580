//! Billing rules shared by hosting models.

use crate::time::{HOURS_PER_MONTH, SimTime};

/// What hour `k` (0-based, counted from launch) costs when every started
/// hour is billed `hourly_usd` and each 730-hour month is capped at `monthly_usd`.
pub fn capped_hour_usd(k: u64, hourly_usd: f64, monthly_usd: f64) -> f64 {
    let billed_before = (k % HOURS_PER_MONTH) as f64 * hourly_usd;
    (monthly_usd - billed_before).clamp(0.0, hourly_usd)
}

/// The bill for the hours that start in [from, to) of an instance launched
/// at t = 0, billed per started hour with a monthly cap.
pub fn started_hours_usd(from: SimTime, to: SimTime, hourly_usd: f64, monthly_usd: f64) -> f64 {
    let hour = SimTime::HOUR.0;
    let (first, end) = (from.0.div_ceil(hour), to.0.div_ceil(hour));
    (first..end).map(|k| capped_hour_usd(k, hourly_usd, monthly_usd)).sum()
}

/// Linear proration of a monthly price over `span` (730-hour months).
pub fn monthly_prorated_usd(monthly_usd: f64, span: SimTime) -> f64 {
    monthly_usd * span.as_hours_f64() / HOURS_PER_MONTH as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOURLY: f64 = 0.036; // Linode 4 GB
    const MONTHLY: f64 = 24.0;

    fn hours(h: f64) -> SimTime {
        SimTime::from_secs_f64(h * 3600.0)
    }

    #[test]
    fn a_full_month_costs_the_monthly_price() {
        // 730 started hours at $0.036 would be $26.28; the cap stops the bill at $24:
        // 666 hours × $0.036 = $23.976, hour 667 is charged the remaining $0.024, the rest nothing.
        let bill = started_hours_usd(SimTime::ZERO, hours(730.0), HOURLY, MONTHLY);
        assert!((bill - 24.0).abs() < 1e-9, "{bill}");
        assert!((capped_hour_usd(666, HOURLY, MONTHLY) - 0.024).abs() < 1e-9);
        assert_eq!(capped_hour_usd(700, HOURLY, MONTHLY), 0.0);
    }

    #[test]
    fn a_partial_hour_is_billed_as_a_whole_hour() {
        // 90 minutes = 2 started hours: 2 × $0.036 = $0.072.
        let bill = started_hours_usd(SimTime::ZERO, hours(1.5), HOURLY, MONTHLY);
        assert!((bill - 0.072).abs() < 1e-12);
        // A bucket [1 h, 1.5 h) holds the start of hour 1 only: $0.036.
        assert!((started_hours_usd(hours(1.0), hours(1.5), HOURLY, MONTHLY) - 0.036).abs() < 1e-12);
    }

    #[test]
    fn the_cap_applies_per_730_hour_month() {
        // Two months: 2 × $24 = $48; buckets of any size add up to the same bill.
        let whole = started_hours_usd(SimTime::ZERO, hours(1460.0), HOURLY, MONTHLY);
        assert!((whole - 48.0).abs() < 1e-9);
        let by_day: f64 = (0..61)
            .map(|d| {
                started_hours_usd(hours(24.0 * d as f64), hours((24.0 * (d + 1) as f64).min(1460.0)), HOURLY, MONTHLY)
            })
            .sum();
        assert!((by_day - 48.0).abs() < 1e-9);
    }

    #[test]
    fn proration() {
        // $150 a month for 10 days: 150 × 240 / 730 = $49.315068.
        assert!((monthly_prorated_usd(150.0, hours(240.0)) - 49.315_068).abs() < 1e-6);
    }
}
