//! `[traffic]`: the arrival-rate profile and where requests come from.

use std::path::Path;

use super::error::Diag;
use super::model::{Diurnal, Growth, Hourly, Spike, Traffic, UserShare, Weekly};
use super::node::Value;
use super::reader::{Bounds, Field, Table};
use super::regions::{Overrides, UsedRegion};
use super::spec::{Key, Type};
use super::trace;
use crate::time::SimTime;
use crate::traffic::spike::occurrences_before;

/// The keys of `[traffic]`.
pub const KEYS: &[Key] = &[
    Key::new(
        "base_rps",
        Type::Number,
        "mean arrival rate before spikes and growth (the day's and the week's shape have a mean of 1)",
    )
    .unit("requests/s")
    .default("required (not with trace)"),
    Key::new("diurnal", Type::Table(DIURNAL_KEYS), "rate × (1 + amplitude·cos(2π(h − peak_hour)/24))"),
    Key::new(
        "profile",
        Type::Table(PROFILE_TABLE_KEYS),
        "the day's shape from one weight per hour; instead of diurnal",
    ),
    Key::new("weekly", Type::Table(WEEKLY_KEYS), "the week's shape: days = [7 weights] or weekend_factor"),
    Key::new("growth", Type::Table(GROWTH_KEYS), "rate × (1 + per_month)^(t / 730 h)"),
    Key::new(
        "spike",
        Type::Array(&Type::Table(SPIKE_KEYS)),
        "[[traffic.spike]]: rate × multiplier during [at, at + duration), once or repeating",
    ),
    Key::new("users", Type::Map(&Type::Number), "where requests come from: region = share; shares sum to 1")
        .default("the option's own region"),
    Key::new(
        "local_time",
        Type::Bool,
        "each user region follows the day's and the week's shape in its own time zone; needs users and a shape",
    )
    .default("false"),
    Key::new("trace", Type::Table(trace::KEYS), "replay a recorded trace instead of the rate profile"),
];
const DIURNAL_KEYS: &[Key] = &[
    Key::new("amplitude", Type::Number, "in [0, 1]: the peak is (1 + amplitude) × the mean").default("required"),
    Key::new("peak_hour", Type::Number, "hour of the peak, in [0, 24)").unit("h").default("14"),
];
const PROFILE_TABLE_KEYS: &[Key] = &[Key::new(
    "hourly",
    Type::Array(&Type::Number),
    "24 relative weights (>= 0), 00:00–01:00 first, scaled to a mean of 1",
)
.default("required")];
const WEEKLY_KEYS: &[Key] = &[
    Key::new("weekend_factor", Type::Number, "rate × factor on Saturday and Sunday (not rescaled)"),
    Key::new("days", Type::Array(&Type::Number), "7 relative weights, Monday first, scaled to a mean of 1"),
];
const GROWTH_KEYS: &[Key] =
    &[Key::new("per_month", Type::Number, "growth per 730-hour month (0.05 = 5 %), above -1").default("required")];
const SPIKE_KEYS: &[Key] = &[
    Key::new("at", Type::Duration, "start, in simulated time (t = 0 is Monday 00:00 UTC)").default("required"),
    Key::new("duration", Type::Duration, "length of the spike").default("required"),
    Key::new("ramp", Type::Duration, "linear ramp up at the start and down at the end").default("\"0s\""),
    Key::new("multiplier", Type::Number, "rate × this during the spike").default("required"),
    Key::new("every", Type::Duration, "repeat the spike this often (at least its duration)"),
    Key::new("until", Type::Duration, "with every: only occurrences that start before this"),
];
/// How far the user shares may sum from 1.
const SHARE_TOLERANCE: f64 = 1e-6;
/// Most occurrences of one repeating spike within the horizon: the rate is
/// cut at each one's edges, so this bounds the work they add.
pub const MAX_SPIKE_OCCURRENCES: u64 = 100_000;

/// Keys a trace replaces (`users` still applies).
const PROFILE_KEYS: [&str; 7] = ["base_rps", "diurnal", "profile", "weekly", "growth", "spike", "local_time"];

/// An example of `profile.hourly`: a working day peaking 4× the night at lunch.
const HOURLY_EXAMPLE: &str =
    "profile = { hourly = [1, 1, 1, 1, 1, 1, 1.5, 2, 3, 3, 3, 3.5, 4, 3.5, 3, 3, 3, 3, 2.5, 2, 2, 1.5, 1, 1] }";

/// Reads `[traffic]`; also returns the user regions, for the RTT matrix.
/// `source` is the scenario file (a trace file is relative to it); the
/// horizon bounds the occurrences of repeating spikes.
pub fn read(
    f: &Field,
    regions: &Overrides,
    source: &Path,
    horizon: SimTime,
) -> Result<(Traffic, Vec<UsedRegion>), Diag> {
    let t = f.table(KEYS)?;
    let local_time = t.get("local_time").map(|f| f.boolean()).transpose()?.unwrap_or(false);
    let read_users = || match t.get("users") {
        Some(f) => users(&f, regions, local_time),
        None => Ok((Vec::new(), Vec::new())),
    };
    if let Some(trace_field) = t.get("trace") {
        if let Some(key) = PROFILE_KEYS.iter().find_map(|k| t.get(k)) {
            let what = if key.key() == "spike" { "the [[traffic.spike]] tables" } else { key.key() };
            return Err(Diag::new(
                key.path(),
                key.span(),
                format!("a trace replaces base_rps/diurnal/profile/weekly/growth/spike/local_time; remove {what}"),
            )
            .hint("the trace's counts (× scale) are the arrival rate; users still applies"));
        }
        let (users, used) = read_users()?;
        let trace = trace::read(&trace_field, source)?;
        return Ok((Traffic { users, trace: Some(trace), ..Traffic::default() }, used));
    }
    let base_rps = t.require("base_rps", "base_rps = 50   # requests per second")?.number(Bounds::NONNEG)?;
    let diurnal = t.get("diurnal").map(|f| diurnal(&f)).transpose()?;
    let hourly = t.get("profile").map(|f| profile(&f)).transpose()?;
    if let (Some(_), Some(p)) = (&diurnal, t.get("profile")) {
        return Err(p
            .error("the day's shape is given twice: diurnal and profile")
            .hint("keep one: diurnal = { amplitude, peak_hour } is a cosine, profile.hourly any 24 weights"));
    }
    let weekly = t.get("weekly").map(|f| weekly(&f)).transpose()?;
    let growth = t
        .get("growth")
        .map(|f| {
            let g = f.table(GROWTH_KEYS)?;
            Ok(Growth { per_month: g.require("per_month", "per_month = 0.05")?.number(Bounds::above(-1.0))? })
        })
        .transpose()?;
    let spikes = match t.get("spike") {
        Some(f) => spikes(&f, horizon)?,
        None => Vec::new(),
    };
    if let Some(f) = t.get("local_time").filter(|_| local_time) {
        if t.get("users").is_none() {
            return Err(f.error("local_time needs users = { region = share, ... }").hint(
                "each user region follows the day's shape in its own time zone; without users, requests come \
                 from each option's own region",
            ));
        }
        if diurnal.is_none() && hourly.is_none() && weekly.is_none() {
            return Err(f
                .error("local_time has no shape to shift: give diurnal, profile or weekly")
                .hint(format!("for example: {HOURLY_EXAMPLE}")));
        }
    }
    let (users, used) = read_users()?;
    let traffic = Traffic { base_rps, diurnal, hourly, weekly, growth, spikes, users, local_time, trace: None };
    Ok((traffic, used))
}

/// The length of `[traffic.trace]`, if `[traffic]` has one (the default
/// horizon); the file is scanned once, `read` then finds the scan cached.
pub fn trace_length(f: &Field, source: &Path) -> Result<Option<SimTime>, Diag> {
    let Ok(t) = Table::any(f.path(), f.node) else { return Ok(None) };
    t.get("trace").map(|trace| Ok(trace::read(&trace, source)?.length)).transpose()
}

fn diurnal(f: &Field) -> Result<Diurnal, Diag> {
    let d = f.table(DIURNAL_KEYS)?;
    let amplitude = d.require("amplitude", "amplitude = 0.5")?;
    Ok(Diurnal {
        amplitude: amplitude.number(Bounds::FRACTION).map_err(|e| {
            if amplitude.number(Bounds::above(1.0)).is_ok() {
                e.hint(format!(
                    "amplitude 1 already takes the rate from 0 to 2× the mean; for a higher peak give 24 hourly \
                     weights instead of diurnal (peak 4× the night at lunch):\n{HOURLY_EXAMPLE}"
                ))
            } else {
                e
            }
        })?,
        peak_hour: d.number_or("peak_hour", 14.0, Bounds::half_open(0.0, 24.0))?,
    })
}

/// `profile = { hourly = [24 weights] }`.
fn profile(f: &Field) -> Result<Hourly, Diag> {
    let p = f.table(PROFILE_TABLE_KEYS)?;
    let weights = weights(&p.require("hourly", HOURLY_EXAMPLE)?, "hourly weights, 00:00–01:00 first")?;
    Ok(Hourly { weights })
}

/// `weekly = { weekend_factor }` or `weekly = { days = [7 weights] }`.
fn weekly(f: &Field) -> Result<Weekly, Diag> {
    let w = f.table(WEEKLY_KEYS)?;
    match (w.get("weekend_factor"), w.get("days")) {
        (Some(_), Some(days)) => Err(days
            .error("give weekend_factor or days, not both")
            .hint("days = [7 weights], Monday first, sets every day; weekend_factor only Saturday and Sunday")),
        (Some(factor), None) => Ok(Weekly::WeekendFactor(factor.number(Bounds::NONNEG)?)),
        (None, Some(days)) => Ok(Weekly::Days(weights(&days, "daily weights, Monday first")?)),
        (None, None) => Err(Diag::new(f.path(), f.span(), "expected weekend_factor or days").hint(
            "weekly = { days = [1, 1, 1, 1, 1, 0.6, 0.5] }   # Monday first, or weekly = { weekend_factor = 0.7 }",
        )),
    }
}

/// N relative weights, each >= 0, not all 0 (`what` names them in messages).
fn weights<const N: usize>(f: &Field, what: &str) -> Result<[f64; N], Diag> {
    let elements = f.elements().map_err(|d| d.hint(format!("write {N} {what}")))?;
    if elements.len() != N {
        return Err(f
            .error(format!("expected {N} {what}, got {}", elements.len()))
            .label(format!("{} given", elements.len())));
    }
    let mut out = [0.0; N];
    for (o, e) in out.iter_mut().zip(&elements) {
        *o = e.number(Bounds::NONNEG).map_err(|d| d.hint("weights are relative rates: 0 or more"))?;
    }
    if out.iter().all(|&w| w == 0.0) {
        return Err(f.error(format!("all {N} weights are 0")).hint(
            "the weights give the shape (scaled to a mean of 1) and base_rps the mean rate; for no traffic set \
             base_rps = 0",
        ));
    }
    Ok(out)
}

fn spikes(f: &Field, horizon: SimTime) -> Result<Vec<Spike>, Diag> {
    let items = match &f.node.value {
        Value::Array(items) => items,
        _ => {
            return Err(f
                .error(format!("expected an array of tables ([[traffic.spike]]), got {}", f.node.describe()))
                .hint("write each spike under its own [[traffic.spike]] header"));
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, node) in items.iter().enumerate() {
        let s = Table::new(format!("{}[{i}]", f.path()), node, SPIKE_KEYS)?;
        let at = s.require("at", "at = \"3d 10h\"")?.duration()?;
        let duration_field = s.require("duration", "duration = \"2h\"")?;
        let duration = duration_field.positive_duration()?;
        let ramp = s.duration_or("ramp", SimTime::ZERO)?;
        if ramp.0.saturating_mul(2) > duration.0 {
            let span = s.get("ramp").and_then(|f| f.span());
            return Err(Diag::new(
                format!("{}.ramp", s.path),
                span,
                format!("ramp {ramp} is too long for a spike of {duration}: ramping up and down takes 2 × ramp"),
            )
            .label("must be at most half the duration"));
        }
        let multiplier = s.require("multiplier", "multiplier = 5")?.number(Bounds::NONNEG)?;
        let every = s.get("every").map(|f| every(&f, duration)).transpose()?;
        let until = s.get("until").map(|f| until(&f, at, every)).transpose()?;
        let spike = Spike { at, duration, ramp, multiplier, every, until };
        if let (Some(f), Some(every)) = (s.get("every"), every) {
            let n = occurrences_before(&spike, horizon);
            if n > MAX_SPIKE_OCCURRENCES {
                let end = until.map_or(horizon, |u| u.min(horizon));
                return Err(f
                    .error(format!(
                        "a spike every {every} from {at} to {end} is {n} occurrences; at most {MAX_SPIKE_OCCURRENCES}"
                    ))
                    .hint("repeat it less often, stop it earlier with until, or shorten the horizon"));
            }
        }
        out.push(spike);
    }
    Ok(out)
}

/// A spike's `every`: at least its duration, so occurrences never overlap.
fn every(f: &Field, duration: SimTime) -> Result<SimTime, Diag> {
    let every = f.positive_duration()?;
    if every < duration {
        return Err(f
            .error(format!("every {every} is shorter than the spike's duration {duration}: it would overlap itself"))
            .label(format!("at least {duration}"))
            .hint("for spikes that overlap, give each its own [[traffic.spike]] (overlapping spikes multiply)"));
    }
    Ok(every)
}

/// A repeating spike's `until`: after `at`.
fn until(f: &Field, at: SimTime, every: Option<SimTime>) -> Result<SimTime, Diag> {
    if every.is_none() {
        return Err(f.error("until needs every").hint("until ends a repeating spike: every = \"1d\", until = \"30d\""));
    }
    let until = f.duration()?;
    if until <= at {
        return Err(f
            .error(format!("until {until} is not after at {at}: the spike would never happen"))
            .label(format!("after {at}")));
    }
    Ok(until)
}

/// `users`; with `local_time` each region needs a UTC offset.
fn users(f: &Field, regions: &Overrides, local_time: bool) -> Result<(Vec<UserShare>, Vec<UsedRegion>), Diag> {
    let t = f.map()?;
    if t.is_empty() {
        return Err(f
            .error("names no region")
            .hint("give shares that sum to 1, e.g. users = { washington = 0.7, london = 0.3 },\nor leave users out: requests then come from each option's own region"));
    }
    let mut shares: Vec<UserShare> = Vec::new();
    let mut used = Vec::new();
    let mut sum = 0.0;
    for (key, field) in t.entries() {
        let region = regions.resolve(&key.name, &field.path(), key.span.clone())?;
        if shares.iter().any(|s| s.region == region.name) {
            return Err(Diag::new(field.path(), key.span.clone(), format!("region {} is listed twice", region.name)));
        }
        let share = field.number(Bounds::open_closed(0.0, 1.0))?;
        let utc_offset_s = match (local_time, regions.utc_offset_s(&region.name)) {
            (false, _) => 0,
            (true, Some(s)) => s,
            (true, None) => {
                return Err(Diag::new(
                    field.path(),
                    key.span.clone(),
                    format!("local_time needs the UTC offset of {}", region.name),
                )
                .hint(format!(
                    "add it (the region's standard time minus UTC):\n[network.utc_offset]\n{} = \"+1h\"",
                    region.name
                )));
            }
        };
        sum += share;
        shares.push(UserShare { region: region.name.clone(), share, utc_offset_s });
        used.push(region);
    }
    if (sum - 1.0).abs() > SHARE_TOLERANCE {
        return Err(f
            .error(format!("shares must sum to 1, but they sum to {}", (sum * 1e9).round() / 1e9))
            .hint("each share is the fraction of requests coming from that region"));
    }
    Ok((shares, used))
}
