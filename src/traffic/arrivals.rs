//! The arrival process: a non-homogeneous Poisson process whose rate is
//! piecewise constant over segments (the profile at the midpoint of each
//! 60 s of the clock, cut at spike edges, or a trace's rows), generated lazily in time order so nothing
//! is stored.

use rand_distr::{Distribution, Exp1};

use super::profile::RateProfile;
use super::replay::TraceRates;
use super::trace::TraceError;
use crate::model::Traffic;
use crate::rng::Stream;
use crate::time::SimTime;

/// Segment length for a changing rate: short against a day, long against a request.
const SEGMENT_S: f64 = 60.0;

/// Where the rate of each segment comes from. Asked once per segment, never
/// per arrival, so the enum costs nothing on the hot path.
pub enum RateSource {
    /// The `[traffic]` profile, sampled at each segment's midpoint.
    Profile { profile: Box<RateProfile>, segment_s: f64 },
    /// A recorded trace, one segment per row (and one per gap).
    Trace(Box<TraceRates>),
    /// No arrivals at all: a trace that could not be opened.
    Failed(TraceError),
}

impl RateSource {
    /// The source for a `[traffic]` table: its trace if it has one, else its profile.
    pub fn new(traffic: &Traffic, horizon: SimTime) -> RateSource {
        match &traffic.trace {
            Some(trace) => match TraceRates::open(trace) {
                Ok(rates) => RateSource::Trace(Box::new(rates)),
                Err(e) => RateSource::Failed(e),
            },
            None => {
                let profile = RateProfile::new(traffic);
                let segment_s = if profile.is_constant() { horizon.as_secs_f64() } else { SEGMENT_S };
                RateSource::Profile { profile: Box::new(profile), segment_s }
            }
        }
    }

    /// The segment starting at `t_s`: its end (at most `horizon_s`) and rate.
    fn segment(&mut self, t_s: f64, horizon_s: f64) -> (f64, f64) {
        match self {
            RateSource::Profile { profile, segment_s } => {
                let end = profile.piece_end_s(t_s, *segment_s).min(horizon_s);
                (end, profile.rate_at((t_s + end) / 2.0))
            }
            RateSource::Trace(rates) => rates.segment(t_s, horizon_s),
            RateSource::Failed(_) => (horizon_s, 0.0),
        }
    }

    /// Why a trace stopped giving rows early, if it did.
    pub fn error(&self) -> Option<&TraceError> {
        match self {
            RateSource::Profile { .. } => None,
            RateSource::Trace(rates) => rates.error(),
            RateSource::Failed(e) => Some(e),
        }
    }
}

/// Arrival times in [0, horizon), ascending, in microseconds.
pub struct Arrivals {
    source: RateSource,
    rng: Stream,
    horizon_s: f64,
    /// Current time, seconds (f64 so tiny gaps do not round away).
    t_s: f64,
    segment_start_s: f64,
    segment_end_s: f64,
    rate: f64,
}

impl Arrivals {
    /// Arrivals of a `[traffic]` table (its profile or its trace).
    pub fn new(traffic: &Traffic, horizon: SimTime, rng: Stream) -> Arrivals {
        Arrivals::from_source(RateSource::new(traffic, horizon), horizon, rng)
    }

    /// Arrivals at the rates of `source`.
    pub fn from_source(mut source: RateSource, horizon: SimTime, rng: Stream) -> Arrivals {
        let horizon_s = horizon.as_secs_f64();
        let (segment_end_s, rate) = if horizon_s > 0.0 { source.segment(0.0, horizon_s) } else { (0.0, 0.0) };
        Arrivals { source, rng, horizon_s, t_s: 0.0, segment_start_s: 0.0, segment_end_s, rate }
    }

    /// The middle of the segment the last arrival fell in: the time its
    /// rate (and, with local time, its user regions' weights) is taken at.
    pub fn segment_mid_s(&self) -> f64 {
        (self.segment_start_s + self.segment_end_s) / 2.0
    }

    /// Why a trace ended before its rows did (unreadable or changed since it
    /// was validated); arrivals stop there.
    pub fn error(&self) -> Option<&TraceError> {
        self.source.error()
    }
}

impl Iterator for Arrivals {
    type Item = u64;

    /// Draws a unit-rate exponential "work" and spends it across segments
    /// at each segment's rate: exact for a piecewise-constant rate.
    #[inline]
    fn next(&mut self) -> Option<u64> {
        let mut work: f64 = Exp1.sample(&mut self.rng);
        loop {
            if self.rate > 0.0 {
                let t = self.t_s + work / self.rate;
                if t < self.segment_end_s {
                    self.t_s = t;
                    // t ≥ 0: through i64 is one instruction where f64 → u64 takes several.
                    return Some((t * 1e6) as i64 as u64);
                }
                work -= self.rate * (self.segment_end_s - self.t_s);
            }
            self.t_s = self.segment_end_s;
            if self.t_s >= self.horizon_s {
                return None;
            }
            self.segment_start_s = self.t_s;
            (self.segment_end_s, self.rate) = self.source.segment(self.t_s, self.horizon_s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Diurnal, Traffic};
    use crate::rng::{Purpose, stream};

    fn traffic(base_rps: f64, diurnal: Option<Diurnal>) -> Traffic {
        Traffic { base_rps, diurnal, ..Traffic::default() }
    }

    #[test]
    fn constant_rate_gives_poisson_count_and_sorted_times() {
        // 50 rps for 2 h: mean 360,000, Poisson sd = 600; allow 5 sd = 3,000.
        let horizon = SimTime::from_secs(7_200);
        let arrivals = Arrivals::new(&traffic(50.0, None), horizon, stream(3, 0, Purpose::Arrivals, 0));
        let mut last = 0;
        let mut n = 0u64;
        for t in arrivals {
            assert!(t >= last && t < horizon.0);
            last = t;
            n += 1;
        }
        assert!((n as f64 - 360_000.0).abs() < 3_000.0, "{n}");
    }

    #[test]
    fn diurnal_rate_shapes_the_counts() {
        // amplitude 0.5, peak at 12:00, base 20 rps. Over the two hours around the peak the
        // mean factor is 1 + 0.5 · sin(π/12)/(π/12) = 1.49431, so 7,200 s × 20 × 1.49431 =
        // 215,180 arrivals; around the trough (23:00–01:00) 7,200 × 20 × 0.50569 = 72,820.
        // Tolerance: 5 Poisson standard deviations.
        let d = Diurnal { amplitude: 0.5, peak_hour: 12.0 };
        let arrivals = Arrivals::new(&traffic(20.0, Some(d)), SimTime::DAY, stream(4, 0, Purpose::Arrivals, 0));
        let (mut peak, mut trough) = (0.0f64, 0.0f64);
        for t in arrivals {
            let h = t as f64 / 3.6e9;
            if (11.0..13.0).contains(&h) {
                peak += 1.0;
            } else if !(1.0..23.0).contains(&h) {
                trough += 1.0;
            }
        }
        let expect_peak: f64 = 7_200.0 * 20.0 * 1.494_31;
        let expect_trough: f64 = 7_200.0 * 20.0 * (2.0 - 1.494_31);
        assert!((peak - expect_peak).abs() < 5.0 * expect_peak.sqrt(), "{peak} vs {expect_peak}");
        assert!((trough - expect_trough).abs() < 5.0 * expect_trough.sqrt(), "{trough} vs {expect_trough}");
    }

    #[test]
    fn a_two_second_spike_adds_two_seconds_of_extra_traffic() {
        // 10 rps for an hour with a ×100 spike over [1000 s, 1002 s): 37,980 arrivals in
        // all, 2,000 of them inside the spike (2 s × 1,000 rps). Tolerance: 5 Poisson sd.
        let mut t = traffic(10.0, None);
        t.spikes.push(crate::model::Spike {
            at: SimTime::from_secs(1000),
            duration: SimTime::from_secs(2),
            ramp: SimTime(0),
            multiplier: 100.0,
            every: None,
            until: None,
        });
        let arrivals: Vec<u64> = Arrivals::new(&t, SimTime::HOUR, stream(6, 0, Purpose::Arrivals, 0)).collect();
        let within = arrivals.iter().filter(|&&a| (1_000_000_000..1_002_000_000).contains(&a)).count() as f64;
        let all = arrivals.len() as f64;
        assert!((within - 2_000.0).abs() < 5.0 * 2_000f64.sqrt(), "{within}");
        assert!((all - 37_980.0).abs() < 5.0 * 37_980f64.sqrt(), "{all}");
    }

    /// Counts of arrivals in each window, over `horizon`.
    fn counts(t: &Traffic, horizon: SimTime, seed: u64, windows_h: &[(f64, f64)]) -> (f64, Vec<f64>) {
        let mut all = 0.0;
        let mut within = vec![0.0; windows_h.len()];
        for a in Arrivals::new(t, horizon, stream(seed, 0, Purpose::Arrivals, 0)) {
            all += 1.0;
            let h = a as f64 / 3.6e9;
            for (n, (from, to)) in within.iter_mut().zip(windows_h) {
                if (*from..*to).contains(&h) {
                    *n += 1.0;
                }
            }
        }
        (all, within)
    }

    /// Within 4 Poisson standard deviations of `expected`.
    fn poisson_close(count: f64, expected: f64) -> bool {
        (count - expected).abs() < 4.0 * expected.sqrt()
    }

    #[test]
    fn a_day_with_a_4x_lunch_peak_offers_the_integral_of_its_rate() {
        // 20 rps, hourly weights 4 at 12:00–13:00 and 1 elsewhere (mean 1.125). The
        // hour's mean of the line between hour centres is (w11 + 6·w12 + w13) / 8 =
        // 26/8 = 3.25, so 12:00–13:00 offers 72,000 × 3.25 / 1.125 = 208,000; 03:00–04:00
        // 72,000 / 1.125 = 64,000; 11:00–12:00 (1 + 6 + 4)/8 = 1.375: 88,000; the day
        // 20 × 86,400 = 1,728,000.
        let mut weights = [1.0; 24];
        weights[12] = 4.0;
        let t = Traffic { base_rps: 20.0, hourly: Some(crate::model::Hourly { weights }), ..Traffic::default() };
        let (all, within) = counts(&t, SimTime::DAY, 7, &[(12.0, 13.0), (3.0, 4.0), (11.0, 12.0)]);
        assert!(poisson_close(all, 1_728_000.0), "{all}");
        for (n, expected) in within.iter().zip([208_000.0, 64_000.0, 88_000.0]) {
            assert!(poisson_close(*n, expected), "{n} vs {expected}");
        }
    }

    #[test]
    fn a_repeating_spike_adds_its_traffic_at_every_occurrence_until_until() {
        // 10 rps for 12 h with a 2-minute ×11 spike every hour from 00:30, until 10 h:
        // occurrences at 00:30, 01:30, …, 09:30 (10 of them), each 120 s × 110 rps =
        // 13,200 requests; 10:30 and 11:30 have none (120 s × 10 = 1,200 each).
        // Total 432,000 + 10 × 120 × 100 = 552,000.
        let mut t = traffic(10.0, None);
        t.spikes.push(crate::model::Spike {
            at: SimTime::from_secs(1800),
            duration: SimTime::from_secs(120),
            ramp: SimTime(0),
            multiplier: 11.0,
            every: Some(SimTime::HOUR),
            until: Some(SimTime(10 * SimTime::HOUR.0)),
        });
        let windows: Vec<(f64, f64)> = (0..12).map(|h| (h as f64 + 0.5, h as f64 + 0.5 + 120.0 / 3600.0)).collect();
        let (all, within) = counts(&t, SimTime(12 * SimTime::HOUR.0), 8, &windows);
        assert!(poisson_close(all, 552_000.0), "{all}");
        for (h, n) in within.iter().enumerate() {
            let expected = if h < 10 { 13_200.0 } else { 1_200.0 };
            assert!(poisson_close(*n, expected), "{h}: {n} vs {expected}");
        }
    }

    #[test]
    fn zero_rate_gives_no_arrivals() {
        let arrivals = Arrivals::new(&traffic(0.0, None), SimTime::HOUR, stream(5, 0, Purpose::Arrivals, 0));
        assert_eq!(arrivals.count(), 0);
    }
}
