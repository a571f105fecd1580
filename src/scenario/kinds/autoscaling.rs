//! `autoscaling = { policy = …, min, max, warmup, schedule, … }` of an iaas
//! option or a hybrid's burst pool; each policy has its own keys.

use super::syntax::check_slots;
use crate::model::{Autoscaling, Metric, Policy, ScalingStep, ScheduledMin};
use crate::scenario::error::Diag;
use crate::scenario::node::{Value, compact};
use crate::scenario::reader::{Bounds, Field, Table, join};
use crate::scenario::spec::{self, Key, Tagged, Type};
use crate::scenario::suggest::did_you_mean;
use crate::scenario::toml_value::{duration, inline, number, string};
use crate::time::SimTime;

/// `autoscaling = { … }` of an iaas option or a hybrid's burst: `policy` picks the keys.
pub const AUTOSCALING: Tagged =
    Tagged { name: "autoscaling", tag: "policy", common: COMMON_KEYS, variants: || POLICIES.to_vec() };
/// Keys every policy has.
const COMMON_KEYS: &[Key] = &[
    Key::new("policy", Type::Str, "target_tracking, step, hpa or predictive").default("required"),
    Key::new("min", Type::Integer, "fewest instances").default("1 (a hybrid's burst: 0)"),
    Key::new("max", Type::Integer, "most instances").default("required"),
    Key::new("warmup", Type::Duration, "a new instance is not counted in the metric for this long after boot")
        .default("\"300s\" (hpa: \"0s\")"),
    Key::new("schedule", Type::Array(&Type::Table(SCHEDULE_KEYS)), "scheduled minimums: [{ at, every, min }]"),
];
const METRIC: Key = Key::new("metric", Type::OneOf(METRICS), "what the policy measures").default("\"cpu\"");
const TARGET: Key = Key::new(
    "target",
    Type::Number,
    "the metric's target: a CPU utilisation in (0, 1], or requests per instance per second, or ms",
)
.default("required");
/// Each policy and its own keys.
const POLICIES: &[(&str, &[Key])] = &[
    ("target_tracking", &[METRIC, TARGET]),
    (
        "step",
        &[
            METRIC,
            Key::new(
                "steps",
                Type::Array(&Type::Table(STEP_KEYS)),
                "[{ above, add }]: add instances above a CPU utilisation",
            )
            .default("required"),
            Key::new("below", Type::Number, "remove instances below this CPU utilisation").default("0.3"),
            Key::new("remove", Type::Integer, "instances removed at once").default("1"),
            Key::new("cooldown", Type::Duration, "wait after a scaling action").default("\"300s\""),
        ],
    ),
    ("hpa", &[METRIC, TARGET]),
    ("predictive", &[METRIC, TARGET]),
];
const METRICS: &[&str] = &["cpu", "requests_per_instance", "p95_ms"];
const STEP_KEYS: &[Key] = &[
    Key::new("above", Type::Number, "CPU utilisation in (0, 1] above which the step applies").default("required"),
    Key::new("add", Type::Integer, "instances added").default("required"),
];
const SCHEDULE_KEYS: &[Key] = &[
    Key::new("at", Type::Duration, "when the minimum starts").default("required"),
    Key::new("every", Type::Duration, "repeat this often"),
    Key::new("min", Type::Integer, "the minimum from then on").default("required"),
];

/// Default warm-up after boot (target tracking, step, predictive); hpa: 0 s.
pub const DEFAULT_WARMUP: SimTime = SimTime::from_secs(300);
/// Default CPU utilisation below which a step policy removes instances.
pub const DEFAULT_BELOW: f64 = 0.3;
/// Default instances a step policy removes at once.
pub const DEFAULT_REMOVE: u32 = 1;
/// Default wait after a step policy's scaling action.
pub const DEFAULT_COOLDOWN: SimTime = SimTime::from_secs(300);

/// Reads an `autoscaling` table; `default_min` is 1 for an iaas option and 0
/// for a hybrid's burst pool. `max × vcpus × workers_per_vcpu` must fit in
/// the slot limit.
pub fn read(f: &Field, default_min: u32, vcpus: u32, workers_per_vcpu: u32) -> Result<Autoscaling, Diag> {
    let probe =
        Table::any(f.path(), f.node).map_err(|d| d.hint(format!("for example: {}", example("target_tracking"))))?;
    let policy_field = probe.require("policy", "policy = \"target_tracking\"")?;
    let name = policy_field.str()?;
    let names = POLICIES.iter().map(|(n, _)| *n);
    let Some(&(policy, own)) = POLICIES.iter().find(|(n, _)| *n == name) else {
        return Err(policy_field
            .error(format!("unknown policy \"{name}\"{}", did_you_mean(name, names.clone())))
            .hint(format!("policies: {}", names.collect::<Vec<_>>().join(", "))));
    };
    for (key, _) in probe.entries() {
        let k = key.name.as_str();
        if spec::has(COMMON_KEYS, k) || spec::has(own, k) {
            continue;
        }
        let owners: Vec<&str> = POLICIES.iter().filter(|(_, keys)| spec::has(keys, k)).map(|(n, _)| *n).collect();
        if let Some(first) = owners.first() {
            return Err(Diag::new(
                join(&probe.path, k),
                key.span.clone(),
                format!("\"{k}\" is not a key of the {policy} policy; it belongs to {}", owners.join(", ")),
            )
            .hint(format!("remove it, or use policy = \"{first}\"")));
        }
    }
    let known: Vec<Key> = COMMON_KEYS.iter().chain(own).copied().collect();
    let t = f.table(&known)?;
    let min = t.u32_or("min", default_min, 0)?;
    let max_field = t.require("max", "max = 10")?;
    let max = max_field.u32(1)?;
    if max < min {
        return Err(max_field
            .error(format!("max ({max}) must be at least min ({min})"))
            .hint("the fleet scales within [min, max]"));
    }
    check_slots(&max_field, "max × vcpus × workers_per_vcpu", max, vcpus, workers_per_vcpu)?;
    let default_warmup = if policy == "hpa" { SimTime::ZERO } else { DEFAULT_WARMUP };
    let warmup = t.duration_or("warmup", default_warmup)?;
    let metric = metric(&t, policy)?;
    let policy = match policy {
        "step" => step(&t)?,
        "hpa" => Policy::Hpa { metric, target: target(&t, metric)? },
        "predictive" => Policy::Predictive { metric, target: target(&t, metric)? },
        _ => Policy::TargetTracking { metric, target: target(&t, metric)? },
    };
    let period = crate::autoscale::period(&policy);
    let schedule = t.get("schedule").map_or_else(|| Ok(Vec::new()), |f| schedule(&f, max, period))?;
    Ok(Autoscaling { policy, min, max, warmup, schedule })
}

/// An autoscaling table with every key of its policy, for `resolved.toml`.
pub fn write(a: &Autoscaling) -> String {
    let mut p = vec![
        ("policy", string(policy_name(&a.policy))),
        ("min", a.min.to_string()),
        ("max", a.max.to_string()),
        ("warmup", duration(a.warmup)),
    ];
    match &a.policy {
        Policy::TargetTracking { metric, target }
        | Policy::Hpa { metric, target }
        | Policy::Predictive { metric, target } => {
            p.push(("metric", string(metric_name(*metric))));
            p.push(("target", number(*target)));
        }
        Policy::Step { steps, below, remove, cooldown } => {
            p.push(("metric", string("cpu")));
            let steps: Vec<String> =
                steps.iter().map(|s| format!("{{ above = {}, add = {} }}", number(s.above), s.add)).collect();
            p.push(("steps", format!("[{}]", steps.join(", "))));
            p.push(("below", number(*below)));
            p.push(("remove", remove.to_string()));
            p.push(("cooldown", duration(*cooldown)));
        }
        Policy::Heroku { p95_ms } => p.push(("p95_ms", number(*p95_ms))),
    }
    if !a.schedule.is_empty() {
        let entries: Vec<String> = a
            .schedule
            .iter()
            .map(|s| {
                let mut e = vec![("at", duration(s.at))];
                if let Some(every) = s.every {
                    e.push(("every", duration(every)));
                }
                e.push(("min", s.min.to_string()));
                inline(&e)
            })
            .collect();
        p.push(("schedule", format!("[{}]", entries.join(", "))));
    }
    inline(&p)
}

/// The key's name for a metric.
fn metric_name(m: Metric) -> &'static str {
    match m {
        Metric::Cpu => "cpu",
        Metric::RequestsPerInstance => "requests_per_instance",
        Metric::P95Ms => "p95_ms",
    }
}

/// The key's name for a policy.
fn policy_name(p: &Policy) -> &'static str {
    match p {
        Policy::TargetTracking { .. } => "target_tracking",
        Policy::Step { .. } => "step",
        Policy::Hpa { .. } => "hpa",
        Policy::Predictive { .. } => "predictive",
        Policy::Heroku { .. } => "heroku",
    }
}

fn example(policy: &str) -> String {
    match policy {
        "step" => "autoscaling = { policy = \"step\", max = 10, steps = [{ above = 0.7, add = 1 }, { above = 0.9, add = 3 }] }"
            .into(),
        _ => format!("autoscaling = {{ policy = \"{policy}\", target = 0.6, max = 10 }}"),
    }
}

/// `metric` (default cpu); a step policy only takes cpu.
fn metric(t: &Table, policy: &str) -> Result<Metric, Diag> {
    let Some(f) = t.get("metric") else { return Ok(Metric::Cpu) };
    let metric = match f.str()? {
        "cpu" => Metric::Cpu,
        "requests_per_instance" => Metric::RequestsPerInstance,
        "p95_ms" => Metric::P95Ms,
        other => {
            return Err(f
                .error(format!("unknown metric \"{other}\"{}", did_you_mean(other, METRICS.iter().copied())))
                .hint(format!("metrics: {}", METRICS.join(", "))));
        }
    };
    if policy == "step" && metric != Metric::Cpu {
        return Err(f
            .error(format!("the step policy only supports metric = \"cpu\", not \"{}\"", metric_name(metric)))
            .hint("track other metrics with policy = \"target_tracking\", \"hpa\" or \"predictive\""));
    }
    Ok(metric)
}

/// `target`: a CPU utilisation in (0, 1], or a positive number for the other metrics.
fn target(t: &Table, metric: Metric) -> Result<f64, Diag> {
    let (example, bounds, meaning) = match metric {
        Metric::Cpu => (
            "target = 0.6   # 60 % CPU",
            Bounds::open_closed(0.0, 1.0),
            "a cpu target is a fraction of capacity: 0.6 means 60 %",
        ),
        Metric::RequestsPerInstance => {
            ("target = 600", Bounds::POSITIVE, "requests arriving per in-service instance per minute")
        }
        Metric::P95Ms => ("target = 300", Bounds::POSITIVE, "the 95th percentile response time, in ms"),
    };
    t.require("target", example)?.number(bounds).map_err(|d| d.hint(meaning))
}

/// The step policy's keys: `steps`, `below`, `remove`, `cooldown`.
fn step(t: &Table) -> Result<Policy, Diag> {
    let f = t.require("steps", "steps = [{ above = 0.7, add = 1 }, { above = 0.9, add = 3 }]")?;
    let items = match &f.node.value {
        Value::Array(items) if !items.is_empty() => items,
        _ => {
            return Err(f
                .error(format!("expected a non-empty array of steps, got {}", f.node.describe()))
                .hint("for example: steps = [{ above = 0.7, add = 1 }, { above = 0.9, add = 3 }]"));
        }
    };
    let mut steps: Vec<ScalingStep> = Vec::with_capacity(items.len());
    for (i, node) in items.iter().enumerate() {
        let s = Table::new(format!("{}[{i}]", f.path()), node, STEP_KEYS)?;
        let above_field = s.require("above", "above = 0.7")?;
        let above = above_field
            .number(Bounds::open_closed(0.0, 1.0))
            .map_err(|d| d.hint("above is a CPU utilisation: 0.7 means 70 %"))?;
        if let Some(prev) = steps.last()
            && above <= prev.above
        {
            return Err(above_field
                .error(format!(
                    "steps must have strictly increasing \"above\": {} follows {}",
                    compact(above),
                    compact(prev.above)
                ))
                .hint("list the steps from the lowest utilisation to the highest"));
        }
        let add = s.require("add", "add = 1")?.u32(1)?;
        steps.push(ScalingStep { above, add });
    }
    let below = t.number_or("below", DEFAULT_BELOW, Bounds::FRACTION)?;
    let lowest = steps[0].above;
    if below >= lowest {
        let span = t.get("below").and_then(|b| b.span()).or_else(|| f.span());
        return Err(Diag::new(
            join(&t.path, "below"),
            span,
            format!("below ({}) must be less than the lowest step's above ({})", compact(below), compact(lowest)),
        )
        .hint(format!("below is the CPU utilisation under which instances are removed (default {DEFAULT_BELOW})")));
    }
    let remove = t.u32_or("remove", DEFAULT_REMOVE, 1)?;
    let cooldown = t.duration_or("cooldown", DEFAULT_COOLDOWN)?;
    Ok(Policy::Step { steps, below, remove, cooldown })
}

/// `schedule = [{ at, every, min }, …]`: each `min` at most `max`; each
/// `every` at least the policy's evaluation `period`, so a schedule never
/// adds more events than the policy itself.
fn schedule(f: &Field, max: u32, period: SimTime) -> Result<Vec<ScheduledMin>, Diag> {
    let Value::Array(items) = &f.node.value else {
        return Err(f
            .error(format!("expected an array of tables, got {}", f.node.describe()))
            .hint("for example: schedule = [{ at = \"8h\", every = \"1d\", min = 6 }, { at = \"20h\", every = \"1d\", min = 2 }]"));
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, node) in items.iter().enumerate() {
        let s = Table::new(format!("{}[{i}]", f.path()), node, SCHEDULE_KEYS)?;
        let at = s.require("at", "at = \"8h\"")?.duration()?;
        let every = s
            .get("every")
            .map(|e| {
                e.duration_at_least(period).map_err(|d| {
                    d.hint(format!("the policy evaluates every {period}; repeat a schedule at most that often"))
                })
            })
            .transpose()?;
        let min_field = s.require("min", "min = 6")?;
        let min = min_field.u32(0)?;
        if min > max {
            return Err(min_field
                .error(format!("min ({min}) must not exceed the autoscaling max ({max})"))
                .hint("a schedule raises or lowers min within [0, max]"));
        }
        out.push(ScheduledMin { at, every, min });
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
