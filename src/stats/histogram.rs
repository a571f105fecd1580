//! A log-linear (HDR-style) histogram of microsecond values: exact below
//! 2^bits, then 2^(bits−1) sub-buckets per power of two, so a quantile is off
//! by at most 2^−bits of its value. Memory is constant whatever the count.

/// Counts of values (µs) in log-linear buckets; `BITS` sub-bucket bits,
/// a constant so the bucket arithmetic compiles to a few instructions.
#[derive(Clone, Debug)]
pub struct Histogram<const BITS: u32> {
    counts: Vec<u64>,
    total: u64,
    sum: u128,
    max: u64,
    /// Lowest touched index, so `clear` and quantile scans skip empty space
    /// (the highest is the maximum's index).
    lowest: usize,
}

/// Summary statistics: ≤ 0.05 % relative error.
pub type SummaryHistogram = Histogram<11>;
/// Per-bucket time series: ≤ 0.4 % relative error, 8× smaller.
pub type SeriesHistogram = Histogram<8>;

impl<const BITS: u32> Default for Histogram<BITS> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const BITS: u32> Histogram<BITS> {
    pub fn new() -> Histogram<BITS> {
        // Room for every u64 value up front, so recording never reallocates.
        let len = ((64 - BITS as usize) << (BITS - 1)) + (1 << BITS);
        Histogram { counts: vec![0; len], total: 0, sum: 0, max: 0, lowest: usize::MAX }
    }

    #[inline]
    fn index(&self, v: u64) -> usize {
        let linear = 1u64 << BITS;
        if v < linear {
            v as usize
        } else {
            let shift = 64 - v.leading_zeros() - BITS;
            (((shift as u64) << (BITS - 1)) + (v >> shift)) as usize
        }
    }

    /// The range [low, low + width) of values that land in bucket `i`.
    fn bucket_range(&self, i: usize) -> (u64, u64) {
        let i = i as u64;
        if i < (1u64 << BITS) {
            (i, 1)
        } else {
            let shift = (i >> (BITS - 1)) - 1;
            let mantissa = i - (shift << (BITS - 1));
            (mantissa << shift, 1u64 << shift)
        }
    }

    /// Records one value.
    #[inline]
    pub fn record(&mut self, v: u64) {
        let i = self.index(v);
        self.counts[i] += 1;
        self.total += 1;
        self.sum += u128::from(v);
        self.max = self.max.max(v);
        self.lowest = self.lowest.min(i);
    }

    /// Highest touched index (an upper bound after `unmerge`).
    #[inline]
    fn highest(&self) -> usize {
        self.index(self.max)
    }

    pub fn count(&self) -> u64 {
        self.total
    }

    /// Exact mean of the recorded values, if any.
    pub fn mean(&self) -> Option<f64> {
        (self.total > 0).then(|| self.sum as f64 / self.total as f64)
    }

    /// Exact largest recorded value, if any.
    pub fn max(&self) -> Option<u64> {
        (self.total > 0).then_some(self.max)
    }

    /// Nearest-rank quantile (q in [0, 1]), reported as its bucket's midpoint.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if self.total == 0 {
            return None;
        }
        let rank = ((q * self.total as f64).ceil() as u64).clamp(1, self.total);
        let mut seen = 0;
        for i in self.lowest..=self.highest() {
            seen += self.counts[i];
            if seen >= rank {
                let (low, width) = self.bucket_range(i);
                let mid = low as f64 + (width - 1) as f64 / 2.0;
                return Some(mid.min(self.max as f64));
            }
        }
        Some(self.max as f64)
    }

    /// Adds another histogram's counts (same `bits`).
    pub fn merge(&mut self, other: &Histogram<BITS>) {
        if other.total == 0 {
            return;
        }
        for i in other.lowest..=other.highest() {
            self.counts[i] += other.counts[i];
        }
        self.total += other.total;
        self.sum += other.sum;
        self.max = self.max.max(other.max);
        self.lowest = self.lowest.min(other.lowest);
    }

    /// Removes counts earlier merged in from `other` (a sliding window); the
    /// exact maximum is then no longer tracked (quantiles stay exact).
    pub fn unmerge(&mut self, other: &Histogram<BITS>) {
        if other.total == 0 {
            return;
        }
        for i in other.lowest..=other.highest() {
            self.counts[i] -= other.counts[i];
        }
        self.total -= other.total;
        self.sum -= other.sum;
    }

    /// Nearest-rank quantile of this histogram and `other` together.
    pub fn quantile_with(&self, other: &Histogram<BITS>, q: f64) -> Option<f64> {
        let total = self.total + other.total;
        if total == 0 {
            return None;
        }
        let rank = ((q * total as f64).ceil() as u64).clamp(1, total);
        let (lo, hi) = (self.lowest.min(other.lowest), self.highest().max(other.highest()));
        let mut seen = 0;
        for i in lo..=hi {
            seen += self.counts.get(i).unwrap_or(&0) + other.counts.get(i).unwrap_or(&0);
            if seen >= rank {
                let (low, width) = self.bucket_range(i);
                return Some(low as f64 + (width - 1) as f64 / 2.0);
            }
        }
        None
    }

    /// Empties the histogram, touching only the used range.
    pub fn clear(&mut self) {
        if self.total > 0 {
            let hi = self.highest();
            self.counts[self.lowest..=hi].fill(0);
        }
        self.total = 0;
        self.sum = 0;
        self.max = 0;
        self.lowest = usize::MAX;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_values_are_exact() {
        let mut h = SummaryHistogram::new();
        for v in 1..=100 {
            h.record(v);
        }
        // Nearest rank: p50 of 1..=100 is the 50th value, p99 the 99th.
        assert_eq!(h.quantile(0.5), Some(50.0));
        assert_eq!(h.quantile(0.99), Some(99.0));
        assert_eq!(h.quantile(1.0), Some(100.0));
        assert_eq!(h.mean(), Some(50.5));
        assert_eq!(h.max(), Some(100));
    }

    #[test]
    fn relative_error_is_bounded_over_many_decades() {
        fn check<const BITS: u32>() {
            let bound = 1.0 / f64::from(1u32 << BITS);
            let mut v = 1u64;
            while v < 1u64 << 40 {
                let mut h = Histogram::<BITS>::new();
                h.record(v);
                h.record(v + 1); // the max would otherwise clamp the answer
                let q = h.quantile(0.5).unwrap();
                assert!((q - v as f64).abs() / v as f64 <= bound, "bits {BITS}, v {v}, got {q}");
                v = v * 3 + 7;
            }
        }
        check::<8>();
        check::<11>();
    }

    #[test]
    fn buckets_tile_the_number_line() {
        let h = Histogram::<4>::new();
        let mut next = 0;
        for i in 0..200 {
            let (low, width) = h.bucket_range(i);
            assert_eq!(low, next, "bucket {i}");
            assert_eq!(h.index(low), i);
            assert_eq!(h.index(low + width - 1), i);
            next = low + width;
        }
    }

    #[test]
    fn merge_equals_recording_everything_once_and_clear_resets() {
        let (mut a, mut b, mut all) = (SeriesHistogram::new(), SeriesHistogram::new(), SeriesHistogram::new());
        for v in 0..5_000u64 {
            let x = v * v % 100_003;
            if v % 3 == 0 {
                a.record(x)
            } else {
                b.record(x)
            }
            all.record(x);
        }
        a.merge(&b);
        for q in [0.0, 0.1, 0.5, 0.9, 0.99, 1.0] {
            assert_eq!(a.quantile(q), all.quantile(q));
        }
        assert_eq!(a.mean(), all.mean());
        // Sliding windows: merging b into a copy of a and taking it out again.
        let mut window = all.clone();
        window.merge(&b);
        window.unmerge(&b);
        assert_eq!(window.quantile(0.9), all.quantile(0.9));
        assert_eq!(all.quantile_with(&SeriesHistogram::new(), 0.9), all.quantile(0.9));
        a.clear();
        assert_eq!(a.count(), 0);
        assert_eq!(a.quantile(0.5), None);
        a.record(7);
        assert_eq!(a.quantile(0.5), Some(7.0));
    }
}
