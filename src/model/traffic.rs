//! The arrival-rate profile of a scenario: where requests come from and when.

use std::path::PathBuf;

use crate::time::{SimTime, TimeUnit};

/// The arrival-rate profile and where requests come from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Traffic {
    /// Mean arrival rate before modulation, requests per second.
    pub base_rps: f64,
    /// The day's shape as a cosine (at most one of `diurnal` and `hourly`).
    pub diurnal: Option<Diurnal>,
    /// The day's shape from 24 hourly weights.
    pub hourly: Option<Hourly>,
    pub weekly: Option<Weekly>,
    pub growth: Option<Growth>,
    pub spikes: Vec<Spike>,
    /// User regions (canonical names) and their shares, summing to 1.
    /// Empty means "every request comes from the option's own region".
    pub users: Vec<UserShare>,
    /// Each user region follows the day's and the week's shape in its own
    /// local time (its `utc_offset_s`) instead of UTC.
    pub local_time: bool,
    /// A recorded trace replayed instead of the profile above (then
    /// `base_rps` is 0 and there is no diurnal, weekly, growth or spike).
    pub trace: Option<Trace>,
}

/// `[traffic.trace]`: per-bucket request counts replayed from a CSV file
/// (plain or gzip), streamed while simulating. Arrivals are Poisson within
/// a row at `count × scale / bucket`; missing rows mean no requests; the
/// first row at or after `start` is t = 0.
#[derive(Clone, Debug, PartialEq)]
pub struct Trace {
    /// The file, canonical (absolute), so `resolved.toml` works from anywhere.
    pub path: PathBuf,
    /// Column holding each row's start time (e.g. Unix time), in `time_unit`.
    pub time_column: String,
    /// The unit of the time column.
    pub time_unit: TimeUnit,
    /// Column holding each row's request count.
    pub count_column: String,
    /// Width of one row.
    pub bucket: SimTime,
    /// Multiplies every count.
    pub scale: f64,
    /// Rows with an earlier time are skipped (in `time_unit`, as the time
    /// column); once read, the first row kept, t = 0.
    pub start: Option<f64>,
    /// Rows kept (at or after `start`), from the validation pass.
    pub rows: u64,
    /// Sum of the kept rows' counts, before `scale`.
    pub total_requests: f64,
    /// The largest kept row's count, before `scale` (bounds the requests of a horizon shorter than the trace).
    pub peak_count: f64,
    /// Last kept row's time − first kept row's time + bucket: the default horizon.
    pub length: SimTime,
}

/// rate × (1 + amplitude · cos(2π (h − peak_hour) / 24)).
#[derive(Clone, Debug, PartialEq)]
pub struct Diurnal {
    /// In [0, 1].
    pub amplitude: f64,
    /// Hour of day of the peak, in [0, 24).
    pub peak_hour: f64,
}

/// `profile = { hourly = [...] }`: the rate through the day follows 24
/// weights, one per hour from 00:00, interpolated linearly between hour
/// centres (wrapping at midnight) and scaled to a mean of 1.
#[derive(Clone, Debug, PartialEq)]
pub struct Hourly {
    /// As written: each >= 0, not all 0 (scaled to mean 1 where used, so a
    /// written file reads back to the same numbers).
    pub weights: [f64; 24],
}

/// The week's shape; t = 0 is Monday 00:00.
#[derive(Clone, Debug, PartialEq)]
pub enum Weekly {
    /// Saturday and Sunday × the factor (the other days × 1: not rescaled).
    WeekendFactor(f64),
    /// One weight per day, Monday first, as written: each >= 0, not all 0
    /// (scaled to a mean of 1 where used).
    Days([f64; 7]),
}

/// rate × (1 + per_month)^(t / 730 h).
#[derive(Clone, Debug, PartialEq)]
pub struct Growth {
    pub per_month: f64,
}

/// A temporary multiplication of the rate: ramps linearly from 1 to
/// `multiplier` over `ramp` after `at`, holds, and ramps back down over the
/// last `ramp` of `duration`; again every `every` if given.
#[derive(Clone, Debug, PartialEq)]
pub struct Spike {
    pub at: SimTime,
    pub duration: SimTime,
    pub ramp: SimTime,
    pub multiplier: f64,
    /// Repeats at `at + k × every` (k = 0, 1, …); at least `duration`, so
    /// occurrences never overlap.
    pub every: Option<SimTime>,
    /// With `every`: no occurrence starts at or after this (else: the horizon).
    pub until: Option<SimTime>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct UserShare {
    /// Canonical region name (see `network`).
    pub region: String,
    /// In (0, 1].
    pub share: f64,
    /// The region's standard time minus UTC, seconds (whole minutes), used
    /// with `local_time`; 0 without it.
    pub utc_offset_s: i32,
}
