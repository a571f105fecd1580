//! Unit tests of `autoscaling` tables: each policy, its defaults and every mistake.

use super::*;
use crate::model::Kind;
use crate::scenario::test_option::{option_error, parse_option};

const OPTION: &str = "name = \"ec2\"\nkind = \"iaas\"\nregion = \"us-east-1\"\ninstance = \"m5.large\"\n";

fn parse(table: &str) -> Result<Autoscaling, String> {
    match parse_option(&format!("{OPTION}autoscaling = {{ {table} }}\n"))?.kind {
        Kind::Iaas(i) => i.autoscaling.ok_or_else(|| "no autoscaling".into()),
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
    let a = parse("policy = \"target_tracking\", metric = \"requests_per_instance\", target = 600, max = 3").unwrap();
    assert_eq!(a.policy, Policy::TargetTracking { metric: Metric::RequestsPerInstance, target: 600.0 });
    assert_eq!(
        parse("policy = \"hpa\", target = 1, max = 1").unwrap().policy,
        Policy::Hpa { metric: Metric::Cpu, target: 1.0 }
    );
}

#[test]
fn step_with_defaults() {
    let a = parse("policy = \"step\", max = 8, steps = [{ above = 0.7, add = 1 }, { above = 0.9, add = 3 }]").unwrap();
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
    let every_15s = "policy = \"hpa\", target = 0.6, max = 2, schedule = [{ at = \"0s\", every = \"15s\", min = 2 }]";
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
        ("policy = \"hpa\", target = 1.5, max = 2".into(), "autoscaling.target: expected a number in (0, 1], got 1.5"),
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
        (format!("{step}, steps = [{{ above = 70, add = 1 }}]"), "steps[0].above: expected a number in (0, 1], got 70"),
        (format!("{step}, steps = [{{ above = 0.7, add = 0 }}]"), "steps[0].add: expected a positive integer, got 0"),
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
        (format!("{tt}, max = 5, schedule = [{{ min = 2 }}]"), "autoscaling.schedule[0].at: required key is missing"),
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
            "policy = \"hpa\", target = 0.5, max = 5, schedule = [{ at = \"8h\", every = \"10s\", min = 2 }]".into(),
            "the policy evaluates every 15s",
        ),
        (format!("{tt}, max = 5, schedule = [{{ at = \"8h\", evry = \"1d\", min = 2 }}]"), "did you mean \"every\"?"),
    ];
    for (table, fragment) in cases {
        let err = parse(&table).unwrap_err();
        assert!(err.contains(fragment), "expected {fragment:?} in:\n{err}");
    }
    let err = option_error(&format!("{OPTION}autoscaling = \"on\"\n"));
    assert!(err.contains("autoscaling: expected a table, got string"), "{err}");
}
