//! The egress bill of one job, bucket by bucket, whatever the rule: a flat
//! price per GB, volume tiers per 730-hour month after a free allowance, or
//! a month's percentile of 5-minute Mbps samples. A bucket's bytes are
//! spread evenly over its time, so a bucket across a month boundary is split
//! by time, and buckets of any size add up to the same bill.

use crate::model::{Allowance, Egress, Tiered};
use crate::time::{SimTime, pieces};

/// Bytes in a billed GB: 2^30, as AWS counts data transfer.
pub const BYTES_PER_GB: f64 = 1_073_741_824.0;
/// The length of one bandwidth sample: 5 minutes.
pub const SAMPLE_US: u64 = 300 * SimTime::MICROS_PER_SEC;
const MONTH_US: u64 = SimTime::MONTH.0;
/// 5-minute samples in a 730-hour month (8,760).
const SAMPLES_PER_MONTH: usize = (MONTH_US / SAMPLE_US) as usize;

/// GB sent by `served` responses of `response_kb` kB (1 kB = 1,000 bytes).
pub fn served_gb(served: u64, response_kb: f64) -> f64 {
    served as f64 * response_kb * 1000.0 / BYTES_PER_GB
}

/// The cost of raising a month's volume from `from_gb` to `to_gb`: nothing
/// below `free_gb`, each tier's price within its bounds.
pub fn tiered_usd(from_gb: f64, to_gb: f64, free_gb: f64, tiers: &[(f64, f64)]) -> f64 {
    let mut lower = 0.0;
    let mut usd = 0.0;
    for &(upper, usd_per_gb) in tiers {
        let (a, b) = (from_gb.max(lower).max(free_gb), to_gb.min(upper));
        if b > a {
            usd += (b - a) * usd_per_gb;
        }
        lower = upper;
    }
    usd
}

/// The percentile of `samples` as bandwidth is billed: sorted ascending, the
/// sample at rank ⌈p/100 × n⌉ (95: the top 5 % are not billed).
pub fn billed_sample(samples: &mut [f64], percentile: f64) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    samples.sort_by(f64::total_cmp);
    let rank = (percentile * samples.len() as f64 / 100.0).ceil() as usize;
    samples[rank.clamp(1, samples.len()) - 1]
}

/// One job's egress bill.
pub struct EgressBill<'a> {
    rule: &'a Egress,
    horizon_us: u64,
    /// Tiered: the month being billed and its GB so far.
    month: u64,
    month_gb: f64,
    /// Percentile: GB of each 5-minute sample of the month being observed.
    samples_gb: Vec<f64>,
    observed_month: u64,
    /// Percentile: the billed Mbps of each closed month.
    billed_mbps: Vec<f64>,
}

impl<'a> EgressBill<'a> {
    pub fn new(rule: &'a Egress, horizon: SimTime) -> EgressBill<'a> {
        EgressBill {
            rule,
            horizon_us: horizon.0,
            month: 0,
            month_gb: 0.0,
            samples_gb: Vec::new(),
            observed_month: 0,
            billed_mbps: Vec::new(),
        }
    }

    /// Whether every bucket must be `observe`d before the first `bucket_usd`:
    /// a percentile is known only when its month ends.
    pub fn needs_first_pass(&self) -> bool {
        matches!(self.rule, Egress::Percentile(_))
    }

    /// First pass (percentile rule): `gb` sent during [start, start + len).
    pub fn observe(&mut self, start: SimTime, len: SimTime, gb: f64) {
        let Egress::Percentile(b) = self.rule else { return };
        if len.0 == 0 {
            return;
        }
        for (t, next) in pieces(start.0, start.0 + len.0, SAMPLE_US) {
            let month = t / MONTH_US;
            while self.observed_month < month {
                self.close_month(b.percentile);
            }
            if self.samples_gb.is_empty() {
                self.samples_gb = vec![0.0; SAMPLES_PER_MONTH];
            }
            self.samples_gb[((t % MONTH_US) / SAMPLE_US) as usize] += gb * (next - t) as f64 / len.0 as f64;
        }
    }

    /// Bills the month being observed: its samples in Mbps (10^6 bits/s;
    /// a sample cut short by the horizon is its mean over its own length).
    fn close_month(&mut self, percentile: f64) {
        let month_start = self.observed_month * MONTH_US;
        let mut mbps: Vec<f64> = Vec::with_capacity(SAMPLES_PER_MONTH);
        for k in 0..SAMPLES_PER_MONTH as u64 {
            let from = month_start + k * SAMPLE_US;
            if from >= self.horizon_us {
                break;
            }
            let secs = (self.horizon_us.min(from + SAMPLE_US) - from) as f64 / 1e6;
            let gb = self.samples_gb.get(k as usize).copied().unwrap_or(0.0);
            mbps.push(gb * BYTES_PER_GB * 8.0 / 1e6 / secs);
        }
        self.billed_mbps.push(billed_sample(&mut mbps, percentile));
        self.samples_gb.clear();
        self.observed_month += 1;
    }

    /// The egress cost of `gb` sent during [start, start + len); buckets must
    /// come in time order.
    pub fn bucket_usd(&mut self, start: SimTime, len: SimTime, gb: f64) -> f64 {
        if len.0 == 0 {
            return 0.0;
        }
        let months = || pieces(start.0, start.0 + len.0, MONTH_US);
        let rule = self.rule;
        match rule {
            Egress::Flat { usd_per_gb } => gb * usd_per_gb,
            Egress::Tiered(tiers) => {
                let mut usd = 0.0;
                for (t, next) in months() {
                    let month = t / MONTH_US;
                    if month != self.month {
                        (self.month, self.month_gb) = (month, 0.0);
                    }
                    let part_gb = gb * (next - t) as f64 / len.0 as f64;
                    let free_gb = self.free_gb(tiers);
                    usd += tiered_usd(self.month_gb, self.month_gb + part_gb, free_gb, &tiers.tiers);
                    self.month_gb += part_gb;
                }
                usd
            }
            Egress::Percentile(b) => {
                let in_horizon = self.horizon_us.div_ceil(MONTH_US);
                while self.observed_month < in_horizon {
                    self.close_month(b.percentile);
                }
                let mut usd = 0.0;
                for (t, next) in months() {
                    let mbps = self.billed_mbps.get((t / MONTH_US) as usize).copied().unwrap_or(0.0);
                    // A month's bill is spread over its time; a partial last month pays its share.
                    usd += mbps * b.usd_per_mbps_month * (next - t) as f64 / MONTH_US as f64;
                }
                usd
            }
        }
    }

    /// GB free in the month being billed.
    fn free_gb(&self, tiers: &Tiered) -> f64 {
        match tiers.free {
            Allowance::PerMonth { gb } => gb,
            Allowance::Accrued { gb, full_after_hours } => {
                let month_start = self.month * MONTH_US;
                let hours = SimTime(self.horizon_us.min(month_start + MONTH_US) - month_start).as_hours_f64();
                gb * (hours / full_after_hours).min(1.0)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Bandwidth;

    const HOUR: SimTime = SimTime::HOUR;

    fn us_east_1() -> Egress {
        let tiers = vec![(10_240.0, 0.09), (51_200.0, 0.085), (153_600.0, 0.07), (f64::INFINITY, 0.05)];
        Egress::Tiered(Tiered { what: "test".into(), free: Allowance::PerMonth { gb: 100.0 }, tiers })
    }

    /// The bill of `gb_per_hour` sent every hour for `hours`, in buckets of `bucket_h` hours.
    fn bill(rule: &Egress, hours: u64, bucket_h: u64, gb_per_hour: impl Fn(u64) -> f64) -> f64 {
        let horizon = SimTime(hours * HOUR.0);
        let mut b = EgressBill::new(rule, horizon);
        let buckets = hours.div_ceil(bucket_h);
        let span = |i: u64| {
            let start = i * bucket_h;
            (SimTime(start * HOUR.0), SimTime((bucket_h.min(hours - start)) * HOUR.0))
        };
        let gb = |i: u64| (i * bucket_h..((i + 1) * bucket_h).min(hours)).map(&gb_per_hour).sum::<f64>();
        if b.needs_first_pass() {
            for i in 0..buckets {
                let (s, l) = span(i);
                b.observe(s, l, gb(i));
            }
        }
        (0..buckets)
            .map(|i| {
                let (s, l) = span(i);
                b.bucket_usd(s, l, gb(i))
            })
            .sum()
    }

    #[test]
    fn twelve_thousand_gb_in_us_east_1() {
        // 12,000 GB in one 730-hour month: the first 100 GB free, the rest of the
        // first 10 TB (10,240 GB) at $0.09, the next 1,760 GB at $0.085:
        // (10,240 − 100) × 0.09 + 1,760 × 0.085 = 912.60 + 149.60 = $1,062.20.
        assert!((tiered_usd(0.0, 12_000.0, 100.0, &[(10_240.0, 0.09), (51_200.0, 0.085)]) - 1_062.2).abs() < 1e-9);
        // The same sent evenly, in one bucket, in hourly buckets or in 5-hour buckets.
        for bucket_h in [730, 1, 5] {
            let usd = bill(&us_east_1(), 730, bucket_h, |_| 12_000.0 / 730.0);
            assert!((usd - 1_062.2).abs() < 1e-6, "{bucket_h} h buckets: {usd}");
        }
        // All of it in the last hour: the same volume, the same bill.
        let late = bill(&us_east_1(), 730, 1, |h| if h == 729 { 12_000.0 } else { 0.0 });
        assert!((late - 1_062.2).abs() < 1e-6);
    }

    #[test]
    fn a_second_month_restarts_the_tiers_and_the_free_gb() {
        // 12,000 GB in each of two months: 2 × $1,062.20 = $2,124.40, where
        // 24,000 GB in one month would be (10,240 − 100) × 0.09 + 13,760 × 0.085 = $2,082.20.
        let usd = bill(&us_east_1(), 1_460, 24, |_| 12_000.0 / 730.0);
        assert!((usd - 2_124.4).abs() < 1e-6, "{usd}");
        // A bucket across the boundary (600 h to 900 h) is split by time: the same bill.
        let usd = bill(&us_east_1(), 1_460, 300, |_| 12_000.0 / 730.0);
        assert!((usd - 2_124.4).abs() < 1e-6, "{usd}");
        // A short horizon still gets its 100 GB free (AWS does not prorate it):
        // 24 h × 10 GB = 240 GB; (240 − 100) × $0.09 = $12.60.
        assert!((bill(&us_east_1(), 24, 1, |_| 10.0) - 12.6).abs() < 1e-9);
    }

    #[test]
    fn a_vps_allowance_and_its_overage() {
        // 3 × Linode 4 GB: 3 × 4,096 GB = 12,288 GB pooled per 730-h month, then $0.005/GB.
        let rule = Egress::Tiered(Tiered {
            what: "test".into(),
            free: Allowance::Accrued { gb: 3.0 * 4_096.0, full_after_hours: 730.0 },
            tiers: vec![(f64::INFINITY, 0.005)],
        });
        // 20,000 GB in a month: (20,000 − 12,288) × $0.005 = $38.56.
        assert!((bill(&rule, 730, 1, |_| 20_000.0 / 730.0) - 38.56).abs() < 1e-9);
        // 10 days (240 h) of 100 GB an hour = 24,000 GB; the allowance accrues
        // for 240 of 730 h: 12,288 × 240 / 730 = 4,039.89 GB free;
        // (24,000 − 4,039.89) × $0.005 = $99.80.
        let expected = (24_000.0 - 12_288.0 * 240.0 / 730.0) * 0.005;
        assert!((bill(&rule, 240, 1, |_| 100.0) - expected).abs() < 1e-9);
        assert!((expected - 99.800_55).abs() < 1e-4);
        // DigitalOcean accrues its allowance over 672 h: 700 h of a month get all of it.
        let rule = Egress::Tiered(Tiered {
            what: "test".into(),
            free: Allowance::Accrued { gb: 1_000.0, full_after_hours: 672.0 },
            tiers: vec![(f64::INFINITY, 0.01)],
        });
        // 1,500 GB in 700 h: (1,500 − 1,000) × $0.01 = $5.
        assert!((bill(&rule, 700, 7, |_| 1_500.0 / 700.0) - 5.0).abs() < 1e-9);
    }

    #[test]
    fn the_95th_percentile_ignores_the_top_five_percent() {
        let rule = Egress::Percentile(Bandwidth { usd_per_mbps_month: 0.5, percentile: 95.0 });
        // A month of 8,760 five-minute samples: 100 Mbps, except 438 samples (5 %)
        // at 1,000 Mbps. Sorted, rank ⌈0.95 × 8,760⌉ = 8,322 is still 100 Mbps,
        // so the bill is 100 Mbps × $0.50 = $50, however high the spikes.
        let gb_at = |mbps: f64| mbps * 1e6 / 8.0 * 300.0 / BYTES_PER_GB;
        let mut b = EgressBill::new(&rule, SimTime::MONTH);
        let sample = |k: u64| if k.is_multiple_of(20) { gb_at(1_000.0) } else { gb_at(100.0) };
        for k in 0..8_760 {
            b.observe(SimTime(k * SAMPLE_US), SimTime(SAMPLE_US), sample(k));
        }
        let usd: f64 = (0..8_760).map(|k| b.bucket_usd(SimTime(k * SAMPLE_US), SimTime(SAMPLE_US), sample(k))).sum();
        assert!((usd - 50.0).abs() < 1e-6, "{usd}");
        // One more spike sample in 20 (10 % in all) and the 95th percentile is a spike: $500.
        let mut b = EgressBill::new(&rule, SimTime::MONTH);
        let sample = |k: u64| if k.is_multiple_of(10) { gb_at(1_000.0) } else { gb_at(100.0) };
        for k in 0..8_760 {
            b.observe(SimTime(k * SAMPLE_US), SimTime(SAMPLE_US), sample(k));
        }
        let usd: f64 = (0..8_760).map(|k| b.bucket_usd(SimTime(k * SAMPLE_US), SimTime(SAMPLE_US), 0.0)).sum();
        assert!((usd - 500.0).abs() < 1e-6, "{usd}");
    }

    #[test]
    fn bandwidth_from_long_buckets_and_a_partial_month() {
        // A steady 80 Mbps in 1-hour buckets: every sample is 80 Mbps.
        // 1.5 months (1,095 h): 80 × $0.5 for the first month + 80 × $0.5 × 365/730
        // for the second = $40 + $20 = $60.
        let rule = Egress::Percentile(Bandwidth { usd_per_mbps_month: 0.5, percentile: 95.0 });
        let gb_per_hour = 80e6 / 8.0 * 3600.0 / BYTES_PER_GB;
        let usd = bill(&rule, 1_095, 1, |_| gb_per_hour);
        assert!((usd - 60.0).abs() < 1e-6, "{usd}");
        assert_eq!(billed_sample(&mut [], 95.0), 0.0);
        assert_eq!(billed_sample(&mut [3.0, 1.0, 2.0], 100.0), 3.0);
        assert_eq!(billed_sample(&mut [3.0, 1.0, 2.0], 1.0), 1.0);
    }

    #[test]
    fn flat_and_served_gb() {
        // 10 M responses × 60 kB = 6 × 10^11 bytes = 558.79 GB of 2^30 bytes; × $0.09 = $50.29.
        let gb = served_gb(10_000_000, 60.0);
        assert!((gb - 558.793_5).abs() < 1e-4);
        let rule = Egress::Flat { usd_per_gb: 0.09 };
        assert!((EgressBill::new(&rule, HOUR).bucket_usd(SimTime::ZERO, HOUR, gb) - 50.291_4).abs() < 1e-4);
    }
}
