//! Whole-scenario tests of the traffic shapes: hourly and daily weights,
//! repeating spikes, local time per user region, through `resolved.toml`
//! and back, and their mistakes as users see them.

use std::path::Path;

use super::model::{Hourly, Weekly};
use super::*;
use crate::time::SimTime;

/// Every traffic-shape key, with a custom region given its offset and a
/// built-in one overridden.
pub(super) const SHAPES: &str = r#"
horizon = "2w"
[traffic]
base_rps = 80
profile = { hourly = [0.5, 0.4, 0.3, 0.3, 0.3, 0.4, 0.8, 1.5, 2.5, 3, 3, 3.5, 4, 3.5, 3, 3, 3, 2.8, 2.5, 2, 1.6, 1.2, 0.9, 0.7] }
weekly = { days = [1, 1, 1, 1, 1.1, 0.6, 0.5] }
users = { london = 0.4, "us-east-1" = 0.4, lagos = 0.1, chennai = 0.1 }
local_time = true

[[traffic.spike]]
at = "9h"
duration = "30m"
ramp = "5m"
multiplier = 3
every = "1d"
until = "10d 9h"

[[traffic.spike]]
at = "3d 10h"
duration = "2h"
multiplier = 6

[network.rtt_ms]
lagos = { london = 95, washington = 120, chennai = 180, lagos = 3 }

[network.utc_offset]
lagos = "+1h"
chennai = "+5h 30m"

[workload]
cpu = { dist = "exponential", mean = "40ms" }

[[option]]
name = "colo"
kind = "bare_metal"
region = "london"
servers = 2
cores = 8
"#;

fn parse(text: &str) -> Result<model::Scenario, ScenarioError> {
    parse_str(text, Path::new("scenarios/shapes.toml"))
}

#[test]
fn every_shape_key_resolves() {
    let s = parse(SHAPES).unwrap_or_else(|e| panic!("{e}"));
    let t = &s.traffic;
    let hourly = t.hourly.as_ref().map(|h: &Hourly| (h.weights[0], h.weights[12], h.weights[23]));
    assert_eq!(hourly, Some((0.5, 4.0, 0.7)));
    assert_eq!(t.weekly, Some(Weekly::Days([1.0, 1.0, 1.0, 1.0, 1.1, 0.6, 0.5])));
    assert!(t.local_time);
    let offsets: Vec<(&str, i32)> = t.users.iter().map(|u| (u.region.as_str(), u.utc_offset_s)).collect();
    assert_eq!(offsets, [("london", 0), ("washington", -18_000), ("lagos", 3_600), ("chennai", 19_800)]);
    let daily = &t.spikes[0];
    assert_eq!(
        (daily.every, daily.until),
        (Some(SimTime::DAY), Some(SimTime(10 * SimTime::DAY.0 + 9 * SimTime::HOUR.0)))
    );
    assert_eq!((t.spikes[1].every, t.spikes[1].until), (None, None));
    // Without local_time no offset is kept (nor needed: lagos has none built in).
    let utc = parse(&SHAPES.replace("local_time = true", "").replace("lagos = \"+1h\"", "")).unwrap();
    assert!(utc.traffic.users.iter().all(|u| u.utc_offset_s == 0));
}

#[test]
fn the_weekend_factor_still_reads() {
    let s = parse(&SHAPES.replace("days = [1, 1, 1, 1, 1.1, 0.6, 0.5]", "weekend_factor = 0.7")).unwrap();
    assert_eq!(s.traffic.weekly, Some(Weekly::WeekendFactor(0.7)));
}

#[test]
fn shape_mistakes_are_named() {
    let hourly = "profile = { hourly = [0.5, 0.4, 0.3, 0.3, 0.3, 0.4, 0.8, 1.5, 2.5, 3, 3, 3.5, 4, 3.5, 3, 3, 3, 2.8, 2.5, 2, 1.6, 1.2, 0.9, 0.7] }";
    let cases = [
        (
            SHAPES.replace(", 0.7] }", "] }"),
            "traffic.profile.hourly: expected 24 hourly weights, 00:00–01:00 first, got 23",
        ),
        (SHAPES.replace("[0.5, 0.4,", "[-0.5, 0.4,"), "traffic.profile.hourly[0]: expected a number >= 0, got -0.5"),
        (
            SHAPES.replace(hourly, &format!("profile = {{ hourly = [{}] }}", ["0"; 24].join(", "))),
            "all 24 weights are 0",
        ),
        (
            SHAPES.replace("days = [", "weekend_factor = 0.7, days = ["),
            "traffic.weekly.days: give weekend_factor or days, not both",
        ),
        (
            SHAPES.replace("days = [1, 1, 1, 1, 1.1, 0.6, 0.5]", "days = [1, 2]"),
            "expected 7 daily weights, Monday first, got 2",
        ),
        (SHAPES.replace("profile = {", "diurnal = { amplitude = 0.5 }\nprofile = {"), "the day's shape is given twice"),
        (SHAPES.replace(hourly, "diurnal = { amplitude = 3 }"), "for a higher peak give 24 hourly weights"),
        (SHAPES.replace("every = \"1d\"", "every = \"20m\""), "every 20m is shorter than the spike's duration 30m"),
        (SHAPES.replace("until = \"10d 9h\"", "until = \"8h\""), "until 8h is not after at 9h"),
        (
            SHAPES.replace("multiplier = 6", "multiplier = 6\nuntil = \"5d\""),
            "traffic.spike[1].until: until needs every",
        ),
        (SHAPES.replace("lagos = \"+1h\"\n", ""), "traffic.users.lagos: local_time needs the UTC offset of lagos"),
        (
            SHAPES.replace("\"+1h\"", "\"+1h 30s\""),
            "network.utc_offset.lagos: UTC offset \"+1h 30s\" is not whole minutes",
        ),
        (SHAPES.replace("\"+1h\"", "\"-13h\""), "is not whole minutes from -12h to +14h"),
        (SHAPES.replace("\"+1h\"", "1"), "network.utc_offset.lagos: expected a string, got 1"),
        (
            SHAPES.replace("chennai = \"+5h 30m\"", "chennai = \"+5h 30m\"\nap-south-2 = \"+5h\""),
            "region chennai is listed twice",
        ),
        (SHAPES.replace("users = {", "# users = {"), "traffic.local_time: local_time needs users"),
        (SHAPES.replace(hourly, "").replace("weekly = {", "# weekly = {"), "local_time has no shape to shift"),
        (SHAPES.replace("local_time = true", "local_time = \"yes\""), "expected true or false"),
    ];
    for (text, fragment) in cases {
        let err = parse(&text).map(|_| panic!("loaded; expected {fragment:?}")).unwrap_err().to_string();
        assert!(err.contains(fragment), "expected {fragment:?} in:\n{err}");
    }
}

#[test]
fn a_spike_repeated_beyond_the_cap_is_refused_and_at_the_cap_is_not() {
    // Every 1s from 0s over 100,000 s is exactly 100,000 occurrences: allowed; one
    // more second of horizon makes 100,001.
    let spike = |horizon: &str| {
        SHAPES
            .replace("horizon = \"2w\"", &format!("horizon = \"{horizon}\""))
            .replace("at = \"9h\"\nduration = \"30m\"\nramp = \"5m\"", "at = \"0s\"\nduration = \"1s\"")
            .replace("every = \"1d\"\nuntil = \"10d 9h\"", "every = \"1s\"")
    };
    assert!(parse(&spike("100000s")).is_ok());
    let err = parse(&spike("100001s")).unwrap_err().to_string();
    assert!(
        err.contains(
            "traffic.spike[0].every: a spike every 1s from 0s to 100001s is 100001 occurrences; at most 100000"
        ),
        "{err}"
    );
}
