//! Every error of a file at once (up to `MAX_ERRORS`), as rustc reports
//! them, without follow-on errors from a part that failed.

use std::path::Path;

use super::error::MAX_ERRORS;
use super::*;

fn errors(text: &str) -> ScenarioError {
    parse_str(text, Path::new("e.toml")).expect_err("the scenario is invalid")
}

/// The `error: e.toml:…` lines, one per problem shown (the count line apart).
fn heads(e: &ScenarioError) -> Vec<String> {
    let is_count = |l: &str| {
        l.strip_prefix("error: e.toml: ")
            .and_then(|rest| rest.split_once(" errors"))
            .is_some_and(|(n, _)| n.chars().all(|c| c.is_ascii_digit()))
    };
    e.to_string().lines().filter(|l| l.starts_with("error: e.toml:") && !is_count(l)).map(String::from).collect()
}

const THREE: &str = r#"horizon = 5
[traffic]
base_rps = 10
[workload]
cpu = { dist = "exponential", mean = "0s" }
[[option]]
name = "a"
kind = "bare_metal"
region = "london"
servers = 1
cores = 0
"#;

#[test]
fn three_errors_in_three_places_are_all_reported_with_their_lines() {
    let e = errors(THREE);
    assert_eq!(e.count(), 3, "{e}");
    let heads = heads(&e);
    assert_eq!(heads.len(), 3, "{e}");
    assert!(heads[0].starts_with("error: e.toml:1:11: horizon: expected a duration"), "{e}");
    assert!(heads[1].starts_with("error: e.toml:5:"), "{e}");
    assert!(heads[1].contains("workload.cpu.mean: must be longer than 0s"), "{e}");
    assert!(heads[2].starts_with("error: e.toml:11:9: option \"a\".cores"), "{e}");
    assert!(e.to_string().ends_with("\n\nerror: e.toml: 3 errors"), "{e}");
    // The first error is the one the accessors describe.
    assert_eq!((e.line_column(), e.key()), (Some((1, 11)), "horizon"));
}

#[test]
fn one_error_keeps_the_single_error_format() {
    let e = errors(&THREE.replace("horizon = 5", "horizon = \"1d\"").replace("\"0s\"", "\"1s\"")).to_string();
    assert!(e.starts_with("error: e.toml:11:9: option \"a\".cores: expected a positive integer, got 0"), "{e}");
    assert!(!e.contains("errors"), "{e}");
}

#[test]
fn more_than_twenty_errors_show_twenty_and_say_how_many_were_cut() {
    // 25 options, each with zero cores: 25 errors, 20 shown.
    let mut text = String::from(
        "horizon = \"1d\"\n[traffic]\nbase_rps = 1\n[workload]\ncpu = { dist = \"constant\", value = \"1ms\" }\n",
    );
    for i in 0..25 {
        text += &format!(
            "[[option]]\nname = \"o{i}\"\nkind = \"bare_metal\"\nregion = \"london\"\nservers = 1\ncores = 0\n"
        );
    }
    let e = errors(&text);
    assert_eq!(e.count(), 25);
    assert_eq!(heads(&e).len(), MAX_ERRORS, "{e}");
    assert!(e.to_string().ends_with("error: e.toml: 25 errors (the first 20 shown, 5 more cut)"), "{e}");
}

#[test]
fn every_unknown_key_is_reported_and_a_typo_is_read_as_meant() {
    // "horizn" is read as horizon (so no "horizon is missing" follows) and its bad value is
    // reported too; "zzz" and the option's "colour" are reported and left out.
    let text = "horizn = \"0s\"\nzzz = 1\n[traffic]\nbase_rps = 10\nbase_rpz = 3\n[workload]\n\
        cpu = { dist = \"constant\", value = \"1ms\" }\n[[option]]\nname = \"a\"\nkind = \"bare_metal\"\n\
        region = \"london\"\nservers = 1\ncores = 2\ncolour = \"red\"\n";
    let e = errors(text);
    let shown = e.to_string();
    let heads = heads(&e);
    assert_eq!(heads.len(), 5, "{shown}");
    assert!(heads[0].contains("unknown key \"horizn\", did you mean \"horizon\"?"), "{shown}");
    assert!(heads[1].contains("unknown key \"zzz\""), "{shown}");
    // base_rps is written, so base_rpz is only reported.
    assert!(heads[2].contains("traffic: unknown key \"base_rpz\", did you mean \"base_rps\"?"), "{shown}");
    assert!(heads[3].contains("horizon: must be longer than 0s"), "{shown}");
    assert!(heads[4].contains("option \"a\": unknown key \"colour\""), "{shown}");
    assert!(!shown.contains("missing"), "{shown}");
}

#[test]
fn keys_of_another_kind_are_all_named_and_nothing_follows_from_them() {
    // A VPS written with bare-metal keys: both named; no "instances is missing" after them.
    let text = "horizon = \"1d\"\n[traffic]\nbase_rps = 10\n[workload]\ncpu = { dist = \"constant\", value = \"1ms\" }\n\
        [[option]]\nname = \"v\"\nkind = \"vps\"\nregion = \"london\"\nservers = 2\ncores = 4\n";
    let e = errors(text);
    let heads = heads(&e);
    assert_eq!(heads.len(), 2, "{e}");
    assert!(heads[0].contains("\"servers\" is a bare_metal key"), "{e}");
    assert!(heads[1].contains("\"cores\" is a bare_metal key"), "{e}");
    assert!(!e.to_string().contains("missing"), "{e}");
}

#[test]
fn parts_that_depend_on_a_failed_part_are_skipped() {
    // A bad [catalog] is reported; the option naming a plan of it is not read (no follow-on
    // "unknown plan"), but the workload after it still is.
    let text = "horizon = \"1d\"\n[traffic]\nbase_rps = 10\n[workload]\ncpu = { dist = \"constant\", value = \"-1ms\" }\n\
        [catalog]\nvps = 5\n[[option]]\nname = \"v\"\nkind = \"vps\"\nregion = \"london\"\ninstances = 1\nplan = \"mine\"\n";
    let e = errors(text);
    assert_eq!(e.count(), 2, "{e}");
    assert!(e.to_string().contains("workload.cpu.value"), "{e}");
    assert!(e.to_string().contains("catalog.vps"), "{e}");
    // Two options with one name: the duplicate is reported, and the first option's own error too.
    let text = "horizon = \"1d\"\n[traffic]\nbase_rps = 10\n[workload]\ncpu = { dist = \"constant\", value = \"1ms\" }\n\
        [[option]]\nname = \"a\"\nkind = \"bare_metal\"\nregion = \"london\"\nservers = 1\ncores = 0\n\
        [[option]]\nname = \"a\"\nkind = \"bare_metal\"\nregion = \"london\"\nservers = 1\ncores = 1\n";
    let e = errors(text);
    assert_eq!(e.count(), 2, "{e}");
    assert!(e.to_string().contains("duplicate option name \"a\""), "{e}");
}
