//! A pool of dyno-hours shared by all the dynos of an option (Heroku Eco).
//!
//! Months are consecutive 730-hour periods from t = 0. Every minute, each
//! dyno that was awake at some time during the past minute uses 60 s of the
//! month's pool, so the count is within a minute of the awake time per
//! sleep or wake. Once the month's use reaches the pool, every dyno is down
//! until the month ends; then the pool refills.

use crate::time::SimTime;

/// How often awake dynos are counted: 1 minute.
pub const TICK_US: u64 = 60 * 1_000_000;

/// The month's pool of dyno-time and what is left of it.
#[derive(Clone, Debug, PartialEq)]
pub struct DynoHours {
    pool_us: u64,
    used_us: u64,
    exhausted: bool,
}

impl DynoHours {
    pub fn new(pool_hours: f64) -> DynoHours {
        DynoHours { pool_us: SimTime::from_secs_f64(pool_hours * 3_600.0).0, used_us: 0, exhausted: false }
    }

    /// Charges the minute ending at `t`, when `awake` dynos were awake; at a
    /// month's end, refills the pool. True if the dynos must go down or come back up.
    pub fn tick(&mut self, t_us: u64, awake: u32) -> bool {
        let was_exhausted = self.exhausted;
        self.used_us += u64::from(awake) * TICK_US;
        self.exhausted |= self.used_us >= self.pool_us;
        if t_us.is_multiple_of(SimTime::MONTH.0) {
            self.used_us = 0;
            self.exhausted = false;
        }
        self.exhausted != was_exhausted
    }

    /// True while the month's pool is used up (every dyno down).
    pub fn exhausted(&self) -> bool {
        self.exhausted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_dynos_use_up_1000_hours_in_500_and_the_next_month_refills() {
        let mut h = DynoHours::new(1_000.0);
        // 2 dynos × 60 s a minute: 3.6 M s of pool last 30,000 minutes = 500 h.
        let minutes_to_exhaust = 1_000 * 60 / 2;
        for minute in 1..minutes_to_exhaust {
            assert!(!h.tick(minute * TICK_US, 2), "minute {minute}");
        }
        assert!(h.tick(minutes_to_exhaust * TICK_US, 2) && h.exhausted());
        assert_eq!(minutes_to_exhaust * TICK_US, 500 * SimTime::HOUR.0);
        // Nothing is awake while exhausted; the tick at 730 h brings the dynos back.
        let minutes_per_month = SimTime::MONTH.0 / TICK_US;
        for minute in minutes_to_exhaust + 1..minutes_per_month {
            assert!(!h.tick(minute * TICK_US, 0));
        }
        assert!(h.tick(SimTime::MONTH.0, 0) && !h.exhausted());
        // One dyno awake all month never exhausts 1,000 h (730 h < 1,000 h).
        for minute in 1..=minutes_per_month {
            assert!(!h.tick(SimTime::MONTH.0 + minute * TICK_US, 1));
        }
    }
}
