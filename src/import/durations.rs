//! Logged request times, streamed into a fine log-spaced histogram: 200
//! bins per decade from 1 µs to 1 h (1,912 counters, whatever the log's
//! size). A bin stands for its geometric centre, within 0.6 % of every
//! value in it. The bins are the weighted sample the fit uses and the rows
//! of `durations.csv`.

/// Bins per factor of ten.
const PER_DECADE: f64 = 200.0;
/// The lowest bin starts at 1 µs.
const LOW_S: f64 = 1e-6;
/// The highest bin ends at 1 h; longer times count in it.
const HIGH_S: f64 = 3600.0;

/// A histogram of request times.
#[derive(Clone, Debug)]
pub struct Durations {
    counts: Vec<u64>,
    /// Times logged as 0 (below the log's resolution: nginx's 0.000).
    zeros: u64,
    /// Times above 1 h, counted in the top bin.
    over: u64,
    sum_s: f64,
}

/// What the summary and comments say about the request times.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Observed {
    pub count: u64,
    pub zeros: u64,
    pub over: u64,
    /// Mean of the logged values (exact, not binned).
    pub mean_s: f64,
    pub p50_s: f64,
    pub p90_s: f64,
    pub p99_s: f64,
}

fn bins() -> usize {
    ((HIGH_S / LOW_S).log10() * PER_DECADE).ceil() as usize
}

fn centre_s(bin: usize) -> f64 {
    LOW_S * 10f64.powf((bin as f64 + 0.5) / PER_DECADE)
}

impl Default for Durations {
    fn default() -> Durations {
        Durations { counts: vec![0; bins()], zeros: 0, over: 0, sum_s: 0.0 }
    }
}

impl Durations {
    /// Counts one request time (seconds, >= 0).
    pub fn add(&mut self, d_s: f64) {
        self.sum_s += d_s;
        if d_s <= 0.0 {
            self.zeros += 1;
            return;
        }
        self.over += u64::from(d_s > HIGH_S);
        let bin = self.bin(d_s);
        self.counts[bin] += 1;
    }

    fn bin(&self, d_s: f64) -> usize {
        let i = ((d_s / LOW_S).log10() * PER_DECADE).floor();
        (i.max(0.0) as usize).min(self.counts.len() - 1)
    }

    /// Request times counted.
    pub fn count(&self) -> u64 {
        self.zeros + self.counts.iter().sum::<u64>()
    }

    /// The bins as (value in seconds, count), ascending, empty bins left
    /// out. Zeros stand at half the smallest time logged: a log that writes
    /// 0.000 has a resolution of 1 ms and the true times are below it.
    pub fn weighted(&self) -> Vec<(f64, f64)> {
        let mut counts = self.counts.clone();
        if self.zeros > 0
            && let Some(first) = counts.iter().position(|&n| n > 0)
        {
            counts[self.bin(centre_s(first) / 2.0)] += self.zeros;
        }
        counts.iter().enumerate().filter(|&(_, &n)| n > 0).map(|(i, &n)| (centre_s(i), n as f64)).collect()
    }

    /// Mean and quantiles (of the bins) for the summary; `None` if nothing was counted.
    pub fn observed(&self) -> Option<Observed> {
        let count = self.count();
        let weighted = self.weighted();
        if count == 0 || weighted.is_empty() {
            return None;
        }
        let quantile = |q: f64| {
            let goal = q * count as f64;
            let mut seen = 0.0;
            weighted.iter().find(|&&(_, n)| {
                seen += n;
                seen >= goal
            })
        };
        let at = |q| quantile(q).map_or(0.0, |&(v, _)| v);
        Some(Observed {
            count,
            zeros: self.zeros,
            over: self.over,
            mean_s: self.sum_s / count as f64,
            p50_s: at(0.5),
            p90_s: at(0.9),
            p99_s: at(0.99),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_are_fine_and_cover_a_microsecond_to_an_hour() {
        // log10(3600 / 1e-6) = 9.556 decades × 200 = 1,911.3 → 1,912 bins.
        assert_eq!(bins(), 1912);
        let d = Durations::default();
        for v in [1e-6, 0.000_123, 0.052, 1.0, 59.0, 3599.0] {
            let c = centre_s(d.bin(v));
            // Half a bin: 10^(0.5/200) − 1 = 0.58 %.
            assert!((c / v - 1.0).abs() < 0.0058, "{v} → {c}");
        }
        assert_eq!(d.bin(1e-9), 0);
        assert_eq!(d.bin(1e6), 1911);
    }

    #[test]
    fn counts_means_quantiles_and_zeros() {
        let mut d = Durations::default();
        // 1 ms twice, 10 ms 7 times, 100 ms once, and one 0: mean (2 + 70 + 100) / 11 ms.
        for v in [0.001, 0.001, 0.1, 0.0] {
            d.add(v);
        }
        for _ in 0..7 {
            d.add(0.01);
        }
        let o = d.observed().unwrap();
        assert_eq!((o.count, o.zeros, o.over), (11, 1, 0));
        assert!((o.mean_s - 0.172 / 11.0).abs() < 1e-15);
        // 5.5th of 11 sorted is 10 ms; the 9.9th is 10 ms; the 10.89th is 100 ms.
        assert!((o.p50_s / 0.01 - 1.0).abs() < 0.006 && (o.p90_s / 0.01 - 1.0).abs() < 0.006);
        assert!((o.p99_s / 0.1 - 1.0).abs() < 0.006);
        let w = d.weighted();
        // The zero stands at 0.5 ms, below the 1 ms of the smallest logged time.
        assert_eq!(w.iter().map(|&(_, n)| n).collect::<Vec<_>>(), vec![1.0, 2.0, 7.0, 1.0]);
        // Within a bin of half the 1 ms bin's centre: two half-bins, 1.2 %.
        assert!((w[0].0 / 0.0005 - 1.0).abs() < 0.012, "{w:?}");
        assert!(w.windows(2).all(|p| p[0].0 < p[1].0));
    }

    #[test]
    fn times_over_an_hour_count_in_the_top_bin() {
        let mut d = Durations::default();
        d.add(7200.0);
        assert_eq!(d.observed().unwrap().over, 1);
        assert_eq!(d.weighted().len(), 1);
        assert_eq!(d.weighted()[0].0, centre_s(bins() - 1));
    }
}
