//! An AWS Application Load Balancer's bill: every started clock hour costs
//! the hourly price plus that hour's LCUs at the LCU-hour price. An hour's
//! LCUs are the largest of its four dimensions (new connections per second
//! ÷ 25, active connections ÷ 3,000, GB processed ÷ 1, rule evaluations per
//! second beyond the 10 free rules ÷ 1,000), from the traffic of that hour.

use crate::catalog::elb::{ACTIVE_CONNECTIONS, FREE_RULES, GB_PER_HOUR, NEW_CONNECTIONS_PER_S, RULE_EVALUATIONS_PER_S};
use crate::model::LoadBalancer;
use crate::time::SimTime;

const HOUR_US: u64 = SimTime::HOUR.0;

/// What went through the balancer in one clock hour (requests count in the hour they arrive).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct HourTraffic {
    /// Requests that arrived.
    pub requests: u64,
    /// Responses served (the bytes processed).
    pub served: u64,
    /// Time the requests' connections were open, summed (µs): by Little's
    /// law, / 1 h is the mean number of active connections.
    pub connection_us: u128,
}

/// The traffic of each clock hour from t = 0, by arrival; memory grows with
/// the hours of the horizon (32 bytes each), not with the requests.
#[derive(Clone, Debug, Default)]
pub struct HourlyTraffic {
    hours: Vec<HourTraffic>,
}

impl HourlyTraffic {
    /// Adds a request that arrived at `arrival_us` and held its connection `held_us`.
    #[inline]
    pub fn record(&mut self, arrival_us: u64, served: bool, held_us: u64) {
        let hour = (arrival_us / HOUR_US) as usize;
        if hour >= self.hours.len() {
            self.hours.resize(hour + 1, HourTraffic::default());
        }
        let h = &mut self.hours[hour];
        h.requests += 1;
        h.served += u64::from(served);
        h.connection_us += u128::from(held_us);
    }

    /// The traffic of hour `k` (none after the last request).
    pub fn hour(&self, k: u64) -> HourTraffic {
        usize::try_from(k).ok().and_then(|k| self.hours.get(k)).copied().unwrap_or_default()
    }
}

/// The LCUs one hour uses, responses of `response_kb` (10³ bytes; GB = 10⁹ bytes).
pub fn lcus(lb: &LoadBalancer, h: &HourTraffic, response_kb: f64) -> f64 {
    let per_s = |n: f64| n / 3_600.0;
    let new_connections = per_s(h.requests as f64 / lb.requests_per_connection) / NEW_CONNECTIONS_PER_S;
    let active = h.connection_us as f64 / HOUR_US as f64 / ACTIVE_CONNECTIONS;
    let processed = h.served as f64 * response_kb / 1e6 / GB_PER_HOUR;
    let billed_rules = f64::from(lb.rules.saturating_sub(FREE_RULES));
    let rules = per_s(h.requests as f64 * billed_rules) / RULE_EVALUATIONS_PER_S;
    new_connections.max(active).max(processed).max(rules)
}

/// The bill for the clock hours that start in [from, to): each is charged
/// whole (a partial last hour too) in the bucket where it starts, so buckets
/// add up to the whole.
pub fn usd(lb: &LoadBalancer, traffic: &HourlyTraffic, from: SimTime, to: SimTime, response_kb: f64) -> f64 {
    let (first, end) = (from.0.div_ceil(HOUR_US), to.0.div_ceil(HOUR_US));
    (first..end).map(|k| lb.usd_per_hour + lcus(lb, &traffic.hour(k), response_kb) * lb.usd_per_lcu_hour).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// us-east-1 prices, a new connection per request, one rule.
    fn alb() -> LoadBalancer {
        LoadBalancer { usd_per_hour: 0.0225, usd_per_lcu_hour: 0.008, requests_per_connection: 1.0, rules: 1 }
    }

    fn hour(requests: u64, served: u64, connection_s: u64) -> HourTraffic {
        HourTraffic { requests, served, connection_us: u128::from(connection_s) * 1_000_000 }
    }

    #[test]
    fn the_largest_dimension_is_billed() {
        // 100 requests/s = 360,000 in the hour, 1 new connection each: 100 / 25 = 4 LCUs.
        // 50 kB responses: 360,000 × 50 kB = 18 GB: 18 LCUs, the largest.
        let h = hour(360_000, 360_000, 36_000);
        assert!((lcus(&alb(), &h, 50.0) - 18.0).abs() < 1e-9);
        // 5 kB responses: 1.8 GB; new connections win with 4 LCUs.
        assert!((lcus(&alb(), &h, 5.0) - 4.0).abs() < 1e-9);
        // 20 requests per connection: 0.2 LCU of connections, 1.8 of bytes.
        let keep_alive = LoadBalancer { requests_per_connection: 20.0, ..alb() };
        assert!((lcus(&keep_alive, &h, 5.0) - 1.8).abs() < 1e-9);
        // Connections open 10,800,000 s in the hour = 3,000 active on average: 1 LCU.
        assert!((lcus(&keep_alive, &hour(360_000, 0, 10_800_000), 0.0) - 1.0).abs() < 1e-9);
        // 30 rules, 20 billed: 100/s × 20 = 2,000 evaluations/s = 2 LCUs.
        let rules = LoadBalancer { rules: 30, requests_per_connection: 20.0, ..alb() };
        assert!((lcus(&rules, &hour(360_000, 0, 0), 0.0) - 2.0).abs() < 1e-9);
        // Ten rules are free: the new connections' 0.2 LCU is billed, as with one rule.
        let ten = LoadBalancer { rules: 10, requests_per_connection: 20.0, ..alb() };
        assert!((lcus(&ten, &hour(360_000, 0, 0), 0.0) - 0.2).abs() < 1e-12);
    }

    #[test]
    fn two_and_a_half_hours_at_100_requests_per_second() {
        // 100 requests/s, 5 kB responses, a new connection each: 4 LCUs an hour (above).
        // The horizon is 2.5 h: 3 started hours, the last billed whole with its half
        // hour of traffic (180,000 requests: 2 LCUs).
        // = 3 × $0.0225 + (4 + 4 + 2) LCU × $0.008 = $0.0675 + $0.08 = $0.1475.
        let t = HourlyTraffic {
            hours: vec![hour(360_000, 360_000, 0), hour(360_000, 360_000, 0), hour(180_000, 180_000, 0)],
        };
        let horizon = SimTime::from_secs(9_000);
        let whole = usd(&alb(), &t, SimTime::ZERO, horizon, 5.0);
        assert!((whole - 0.1475).abs() < 1e-12, "{whole}");
        // 7-minute buckets add up to the same bill; the hours start in buckets 0, 8 and 17.
        let parts: Vec<f64> = (0..22)
            .map(|i| {
                let from = SimTime::from_secs(420 * i);
                usd(&alb(), &t, from, SimTime::from_secs((420 * (i + 1)).min(9_000)), 5.0)
            })
            .collect();
        assert!((parts.iter().sum::<f64>() - whole).abs() < 1e-12);
        assert_eq!(parts.iter().filter(|&&p| p > 0.0).count(), 3);
        assert!((parts[17] - (0.0225 + 2.0 * 0.008)).abs() < 1e-12);
    }

    #[test]
    fn hours_without_traffic_cost_the_hourly_price() {
        // 24 idle hours: 24 × $0.0225 = $0.54.
        let bill = usd(&alb(), &HourlyTraffic::default(), SimTime::ZERO, SimTime::from_secs(86_400), 1.0);
        assert!((bill - 0.54).abs() < 1e-12);
    }

    #[test]
    fn requests_count_in_the_hour_they_arrive() {
        let mut t = HourlyTraffic::default();
        t.record(3_599_999_999, true, 2_000_000);
        t.record(3_600_000_000, false, 30_000_000);
        assert_eq!(t.hour(0), hour(1, 1, 2));
        assert_eq!(t.hour(1), hour(1, 0, 30));
        assert_eq!(t.hour(7), HourTraffic::default());
    }
}
