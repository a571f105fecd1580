//! `[traffic]`: the arrival-rate profile and where requests come from.

use std::path::Path;

use super::error::Diag;
use super::model::{Diurnal, Growth, Spike, Traffic, UserShare, Weekly};
use super::node::Value;
use super::reader::{Bounds, Field, Table};
use super::regions::{Overrides, UsedRegion};
use super::trace;
use crate::time::SimTime;

/// The keys of `[traffic]`.
pub const KEYS: &[&str] = &["base_rps", "diurnal", "weekly", "growth", "spike", "users", "trace"];
const SPIKE_KEYS: &[&str] = &["at", "duration", "ramp", "multiplier"];
/// How far the user shares may sum from 1.
const SHARE_TOLERANCE: f64 = 1e-6;

/// Keys a trace replaces (`users` still applies).
const PROFILE_KEYS: &[&str] = &["base_rps", "diurnal", "weekly", "growth", "spike"];

/// Reads `[traffic]`; also returns the user regions, for the RTT matrix.
/// `source` is the scenario file (a trace file is relative to it).
pub fn read(f: &Field, regions: &Overrides, source: &Path) -> Result<(Traffic, Vec<UsedRegion>), Diag> {
    let t = f.table(KEYS)?;
    let read_users = || match t.get("users") {
        Some(f) => users(&f, regions),
        None => Ok((Vec::new(), Vec::new())),
    };
    if let Some(trace_field) = t.get("trace") {
        if let Some(key) = PROFILE_KEYS.iter().find_map(|k| t.get(k)) {
            let what = if key.key() == "spike" { "the [[traffic.spike]] tables" } else { key.key() };
            return Err(Diag::new(
                key.path(),
                key.span(),
                format!("a trace replaces base_rps/diurnal/weekly/growth/spike; remove {what}"),
            )
            .hint("the trace's counts (× scale) are the arrival rate; users still applies"));
        }
        let (users, used) = read_users()?;
        let trace = trace::read(&trace_field, source)?;
        let traffic = Traffic {
            base_rps: 0.0,
            diurnal: None,
            weekly: None,
            growth: None,
            spikes: Vec::new(),
            users,
            trace: Some(trace),
        };
        return Ok((traffic, used));
    }
    let base_rps = t.require("base_rps", "base_rps = 50   # requests per second")?.number(Bounds::NONNEG)?;
    let diurnal = t.get("diurnal").map(|f| diurnal(&f)).transpose()?;
    let weekly = t
        .get("weekly")
        .map(|f| {
            let w = f.table(&["weekend_factor"])?;
            Ok(Weekly { weekend_factor: w.require("weekend_factor", "weekend_factor = 0.7")?.number(Bounds::NONNEG)? })
        })
        .transpose()?;
    let growth = t
        .get("growth")
        .map(|f| {
            let g = f.table(&["per_month"])?;
            Ok(Growth { per_month: g.require("per_month", "per_month = 0.05")?.number(Bounds::above(-1.0))? })
        })
        .transpose()?;
    let spikes = match t.get("spike") {
        Some(f) => spikes(&f)?,
        None => Vec::new(),
    };
    let (users, used) = read_users()?;
    Ok((Traffic { base_rps, diurnal, weekly, growth, spikes, users, trace: None }, used))
}

/// The length of `[traffic.trace]`, if `[traffic]` has one (the default
/// horizon); the file is scanned once, `read` then finds the scan cached.
pub fn trace_length(f: &Field, source: &Path) -> Result<Option<SimTime>, Diag> {
    let Ok(t) = Table::any(f.path(), f.node) else { return Ok(None) };
    t.get("trace").map(|trace| Ok(trace::read(&trace, source)?.length)).transpose()
}

fn diurnal(f: &Field) -> Result<Diurnal, Diag> {
    let d = f.table(&["amplitude", "peak_hour"])?;
    Ok(Diurnal {
        amplitude: d.require("amplitude", "amplitude = 0.5")?.number(Bounds::FRACTION)?,
        peak_hour: d.number_or("peak_hour", 14.0, Bounds::half_open(0.0, 24.0))?,
    })
}

fn spikes(f: &Field) -> Result<Vec<Spike>, Diag> {
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
        out.push(Spike { at, duration, ramp, multiplier });
    }
    Ok(out)
}

fn users(f: &Field, regions: &Overrides) -> Result<(Vec<UserShare>, Vec<UsedRegion>), Diag> {
    let t = Table::any(f.path(), f.node)?;
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
        sum += share;
        shares.push(UserShare { region: region.name.clone(), share });
        used.push(region);
    }
    if (sum - 1.0).abs() > SHARE_TOLERANCE {
        return Err(f
            .error(format!("shares must sum to 1, but they sum to {}", (sum * 1e9).round() / 1e9))
            .hint("each share is the fraction of requests coming from that region"));
    }
    Ok((shares, used))
}
