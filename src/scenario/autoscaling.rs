//! `autoscaling = { policy = …, min, max, warmup, schedule, … }` of an iaas
//! option or a hybrid's burst pool; each policy has its own keys.

use super::error::Diag;
use super::model::{Autoscaling, Metric, Policy, ScalingStep, ScheduledMin};
use super::node::{Value, compact};
use super::option::check_slots;
use super::reader::{Bounds, Field, Table, join};
use super::suggest::did_you_mean;
use crate::time::SimTime;

/// Keys every policy has.
const COMMON_KEYS: &[&str] = &["policy", "min", "max", "warmup", "schedule"];
/// Each policy and its own keys.
const POLICIES: &[(&str, &[&str])] = &[
    ("target_tracking", &["metric", "target"]),
    ("step", &["metric", "steps", "below", "remove", "cooldown"]),
    ("hpa", &["metric", "target"]),
    ("predictive", &["metric", "target"]),
];
const METRICS: &[&str] = &["cpu", "requests_per_instance", "p95_ms"];
const STEP_KEYS: &[&str] = &["above", "add"];
const SCHEDULE_KEYS: &[&str] = &["at", "every", "min"];

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
        if COMMON_KEYS.contains(&k) || own.contains(&k) {
            continue;
        }
        let owners: Vec<&str> = POLICIES.iter().filter(|(_, keys)| keys.contains(&k)).map(|(n, _)| *n).collect();
        if let Some(first) = owners.first() {
            return Err(Diag::new(
                join(&probe.path, k),
                key.span.clone(),
                format!("\"{k}\" is not a key of the {policy} policy; it belongs to {}", owners.join(", ")),
            )
            .hint(format!("remove it, or use policy = \"{first}\"")));
        }
    }
    let known: Vec<&str> = COMMON_KEYS.iter().chain(own).copied().collect();
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

/// The key's name for a metric.
pub fn metric_name(m: Metric) -> &'static str {
    match m {
        Metric::Cpu => "cpu",
        Metric::RequestsPerInstance => "requests_per_instance",
        Metric::P95Ms => "p95_ms",
    }
}

/// The key's name for a policy.
pub fn policy_name(p: &Policy) -> &'static str {
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
mod tests {
    use std::path::Path;

    use super::super::model::Kind;
    use super::*;

    const BASE: &str = "horizon = \"1d\"\n[traffic]\nbase_rps = 10\n[workload]\n\
        cpu = { dist = \"constant\", value = \"10ms\" }\n[[option]]\nname = \"ec2\"\nkind = \"iaas\"\n\
        region = \"us-east-1\"\ninstance = \"m5.large\"\n";

    fn parse(table: &str) -> Result<Autoscaling, String> {
        let text = format!("{BASE}autoscaling = {{ {table} }}\n");
        let s = crate::scenario::parse_str(&text, Path::new("a.toml")).map_err(|e| e.to_string())?;
        match s.options.into_iter().next().map(|o| o.kind) {
            Some(Kind::Iaas(i)) => i.autoscaling.ok_or_else(|| "no autoscaling".into()),
            other => Err(format!("not iaas: {other:?}")),
        }
    }

    #[test]
    fn target_tracking_hpa_and_predictive_with_defaults() {
        let a = parse("policy = \"target_tracking\", target = 0.6, max = 10").unwrap();
        let policy = Policy::TargetTracking { metric: Metric::Cpu, target: 0.6 };
        assert_eq!(a, Autoscaling { policy, min: 1, max: 10, warmup: DEFAULT_WARMUP, schedule: Vec::new() });
        let a = parse("policy = \"hpa\", target = 0.5, max = 4").unwrap();
        assert_eq!((a.policy, a.warmup), (Policy::Hpa { metric: Metric::Cpu, target: 0.5 }, SimTime::ZERO));
        let a = parse("policy = \"hpa\", target = 0.5, max = 4, warmup = \"30s\"").unwrap();
        assert_eq!(a.warmup, SimTime::from_secs(30));
        let a = parse("policy = \"predictive\", metric = \"p95_ms\", target = 250, min = 0, max = 4").unwrap();
        assert_eq!(
            (a.policy, a.min, a.warmup),
            (Policy::Predictive { metric: Metric::P95Ms, target: 250.0 }, 0, DEFAULT_WARMUP)
        );
        let a =
            parse("policy = \"target_tracking\", metric = \"requests_per_instance\", target = 600, max = 3").unwrap();
        assert_eq!(a.policy, Policy::TargetTracking { metric: Metric::RequestsPerInstance, target: 600.0 });
        assert_eq!(
            parse("policy = \"hpa\", target = 1, max = 1").unwrap().policy,
            Policy::Hpa { metric: Metric::Cpu, target: 1.0 }
        );
    }

    #[test]
    fn step_with_defaults() {
        let a =
            parse("policy = \"step\", max = 8, steps = [{ above = 0.7, add = 1 }, { above = 0.9, add = 3 }]").unwrap();
        let steps = vec![ScalingStep { above: 0.7, add: 1 }, ScalingStep { above: 0.9, add: 3 }];
        let policy = Policy::Step { steps, below: 0.3, remove: 1, cooldown: SimTime::from_secs(300) };
        assert_eq!((a.policy, a.warmup), (policy, DEFAULT_WARMUP));
        let a = parse(
            "policy = \"step\", metric = \"cpu\", max = 8, steps = [{ above = 1, add = 2 }], below = 0, remove = 2, \
             cooldown = \"1m\"",
        )
        .unwrap();
        let steps = vec![ScalingStep { above: 1.0, add: 2 }];
        assert_eq!(a.policy, Policy::Step { steps, below: 0.0, remove: 2, cooldown: SimTime::from_secs(60) });
    }

    #[test]
    fn schedules_with_and_without_repeats() {
        let a = parse(
            "policy = \"target_tracking\", target = 0.6, max = 10, schedule = [{ at = \"8h\", every = \"1d\", min = 6 }, \
             { at = \"20h\", min = 0 }]",
        )
        .unwrap();
        let expected = vec![
            ScheduledMin { at: SimTime::from_secs(8 * 3600), every: Some(SimTime::DAY), min: 6 },
            ScheduledMin { at: SimTime::from_secs(20 * 3600), every: None, min: 0 },
        ];
        assert_eq!(a.schedule, expected);
        assert!(parse("policy = \"hpa\", target = 0.6, max = 2, schedule = []").unwrap().schedule.is_empty());
        // As often as the policy evaluates is allowed.
        let every_15s =
            "policy = \"hpa\", target = 0.6, max = 2, schedule = [{ at = \"0s\", every = \"15s\", min = 2 }]";
        assert_eq!(parse(every_15s).unwrap().schedule[0].every, Some(SimTime::from_secs(15)));
    }

    #[test]
    fn mistakes() {
        let tt = "policy = \"target_tracking\", target = 0.6";
        let step = "policy = \"step\", max = 5";
        let cases = [
            ("max = 5".to_string(), "option \"ec2\".autoscaling.policy: required key is missing"),
            (
                "policy = \"target-tracking\", max = 5".into(),
                "unknown policy \"target-tracking\", did you mean \"target_tracking\"?",
            ),
            ("policy = \"magic\", max = 5".into(), "policies: target_tracking, step, hpa, predictive"),
            (tt.to_string(), "option \"ec2\".autoscaling.max: required key is missing"),
            (format!("{tt}, max = 0"), "autoscaling.max: expected a positive integer, got 0"),
            (format!("{tt}, min = 5, max = 2"), "autoscaling.max: max (2) must be at least min (5)"),
            (format!("{tt}, min = -1, max = 2"), "autoscaling.min: expected an integer >= 0, got -1"),
            ("policy = \"target_tracking\", max = 2".into(), "autoscaling.target: required key is missing"),
            (format!("{tt}, max = 2, metric = \"memory\""), "unknown metric \"memory\""),
            (format!("{tt}, max = 2, metric = \"p95ms\""), "did you mean \"p95_ms\"?"),
            (
                "policy = \"hpa\", target = 1.5, max = 2".into(),
                "autoscaling.target: expected a number in (0, 1], got 1.5",
            ),
            ("policy = \"predictive\", target = 0, max = 2".into(), "target: expected a number in (0, 1], got 0"),
            (
                "policy = \"hpa\", metric = \"p95_ms\", target = -5, max = 2".into(),
                "autoscaling.target: expected a number > 0, got -5",
            ),
            (format!("{tt}, max = 2, warmup = 300"), "autoscaling.warmup: expected a duration"),
            (
                format!("{tt}, max = 2, steps = [{{ above = 0.7, add = 1 }}]"),
                "autoscaling.steps: \"steps\" is not a key of the target_tracking policy; it belongs to step",
            ),
            (format!("{tt}, max = 2, cooldown = \"1m\""), "hint: remove it, or use policy = \"step\""),
            (
                format!("{step}, target = 0.5, steps = []"),
                "\"target\" is not a key of the step policy; it belongs to target_tracking, hpa, predictive",
            ),
            (format!("{tt}, max = 2, tagret = 0.5"), "unknown key \"tagret\", did you mean \"target\"?"),
            (step.to_string(), "autoscaling.steps: required key is missing"),
            (format!("{step}, steps = []"), "autoscaling.steps: expected a non-empty array of steps, got an array"),
            (format!("{step}, steps = {{ above = 0.7, add = 1 }}"), "expected a non-empty array of steps, got a table"),
            (format!("{step}, steps = [{{ above = 0.7 }}]"), "autoscaling.steps[0].add: required key is missing"),
            (format!("{step}, steps = [{{ add = 1 }}]"), "autoscaling.steps[0].above: required key is missing"),
            (
                format!("{step}, steps = [{{ above = 70, add = 1 }}]"),
                "steps[0].above: expected a number in (0, 1], got 70",
            ),
            (
                format!("{step}, steps = [{{ above = 0.7, add = 0 }}]"),
                "steps[0].add: expected a positive integer, got 0",
            ),
            (format!("{step}, steps = [{{ above = 0.7, add = 1, remove = 1 }}]"), "unknown key \"remove\""),
            (
                format!("{step}, steps = [{{ above = 0.9, add = 1 }}, {{ above = 0.7, add = 3 }}]"),
                "autoscaling.steps[1].above: steps must have strictly increasing \"above\": 0.7 follows 0.9",
            ),
            (
                format!("{step}, steps = [{{ above = 0.7, add = 1 }}, {{ above = 0.7, add = 3 }}]"),
                "strictly increasing \"above\": 0.7 follows 0.7",
            ),
            (
                format!("{step}, steps = [{{ above = 0.7, add = 1 }}], metric = \"p95_ms\""),
                "autoscaling.metric: the step policy only supports metric = \"cpu\", not \"p95_ms\"",
            ),
            (
                format!("{step}, steps = [{{ above = 0.7, add = 1 }}], below = 0.8"),
                "autoscaling.below: below (0.8) must be less than the lowest step's above (0.7)",
            ),
            (
                format!("{step}, steps = [{{ above = 0.2, add = 1 }}]"),
                "below (0.3) must be less than the lowest step's above (0.2)",
            ),
            (
                format!("{step}, steps = [{{ above = 0.7, add = 1 }}], remove = 0"),
                "autoscaling.remove: expected a positive integer",
            ),
            (
                format!("{step}, steps = [{{ above = 0.7, add = 1 }}], cooldown = \"soon\""),
                "autoscaling.cooldown: expected a number",
            ),
            (
                format!("{tt}, max = 5, schedule = {{ at = \"8h\", min = 2 }}"),
                "autoscaling.schedule: expected an array of tables",
            ),
            (
                format!("{tt}, max = 5, schedule = [{{ min = 2 }}]"),
                "autoscaling.schedule[0].at: required key is missing",
            ),
            (
                format!("{tt}, max = 5, schedule = [{{ at = \"8h\" }}]"),
                "autoscaling.schedule[0].min: required key is missing",
            ),
            (
                format!("{tt}, max = 5, schedule = [{{ at = \"8h\", min = 2 }}, {{ at = \"9h\", min = 6 }}]"),
                "autoscaling.schedule[1].min: min (6) must not exceed the autoscaling max (5)",
            ),
            (
                format!("{tt}, max = 5, schedule = [{{ at = \"8h\", every = \"0s\", min = 2 }}]"),
                "schedule[0].every: must be longer than 0s",
            ),
            (
                format!("{tt}, max = 5, schedule = [{{ at = \"8h\", every = \"59s\", min = 2 }}]"),
                "schedule[0].every: 59s is shorter than the minimum of 1m",
            ),
            (
                "policy = \"hpa\", target = 0.5, max = 5, schedule = [{ at = \"8h\", every = \"10s\", min = 2 }]"
                    .into(),
                "the policy evaluates every 15s",
            ),
            (
                format!("{tt}, max = 5, schedule = [{{ at = \"8h\", evry = \"1d\", min = 2 }}]"),
                "did you mean \"every\"?",
            ),
        ];
        for (table, fragment) in cases {
            let err = parse(&table).unwrap_err();
            assert!(err.contains(fragment), "expected {fragment:?} in:\n{err}");
        }
        let err =
            crate::scenario::parse_str(&format!("{BASE}autoscaling = \"on\"\n"), Path::new("a.toml")).unwrap_err();
        assert!(err.to_string().contains("autoscaling: expected a table, got string"), "{err}");
    }
}
