//! `hostsim schema`: the JSON Schema of scenario files accepts every bundled
//! scenario, the `init` template (its commented examples too) and the
//! `resolved.toml` of each, and refuses what the reader refuses for a key's
//! name or type (checked with an independent validator, boon).

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::common::cli::{hostsim, ok, repo, toml_files};

/// The schema as `hostsim schema` prints it, compiled.
struct Checker {
    schemas: boon::Schemas,
    index: boon::SchemaIndex,
}

impl Checker {
    fn new() -> Checker {
        let tmp = tempfile::tempdir().unwrap();
        let schema: Value = serde_json::from_slice(&ok(hostsim(&["schema"], tmp.path())).stdout).unwrap();
        let mut schemas = boon::Schemas::new();
        let mut compiler = boon::Compiler::new();
        compiler.add_resource("hostsim.schema.json", schema).unwrap();
        // Compiling also checks the schema against draft-07's meta-schema.
        let index = compiler.compile("hostsim.schema.json", &mut schemas).unwrap_or_else(|e| panic!("{e:#}"));
        Checker { schemas, index }
    }

    /// Why `text` (a scenario file) does not validate, if it does not.
    fn check(&self, text: &str) -> Result<(), String> {
        let table: toml::Table = toml::from_str(text).map_err(|e| format!("not TOML: {e}"))?;
        let instance = json(toml::Value::Table(table));
        self.schemas.validate(&instance, self.index).map_err(|e| format!("{e:#}"))
    }
}

/// A TOML value as JSON, as editors see it (a datetime as its text).
fn json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::from(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(x) => Value::from(x),
        toml::Value::Boolean(b) => Value::from(b),
        toml::Value::Datetime(d) => Value::from(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(json).collect()),
        toml::Value::Table(t) => Value::Object(t.into_iter().map(|(k, v)| (k, json(v))).collect()),
    }
}

#[test]
fn every_bundled_scenario_and_its_resolved_toml_validate() {
    let checker = Checker::new();
    let mut files = toml_files("scenarios");
    files.extend(toml_files("scenarios/bench"));
    assert!(files.len() >= 16, "{files:?}");
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        checker.check(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let scenario = hostsim::scenario::load(&file).unwrap_or_else(|e| panic!("{e}"));
        let resolved = hostsim::scenario::to_resolved_toml(&scenario);
        checker.check(&resolved).unwrap_or_else(|e| panic!("resolved.toml of {}: {e}\n{resolved}", file.display()));
    }
}

#[test]
fn the_init_template_validates_with_its_examples_uncommented() {
    let checker = Checker::new();
    let tmp = tempfile::tempdir().unwrap();
    ok(hostsim(&["init", "site.toml"], tmp.path()));
    let template = fs::read_to_string(tmp.path().join("site.toml")).unwrap();
    checker.check(&template).unwrap();
    // Each commented-out option from its "# [[option]]" line to the blank
    // line after it, without the "# ": every kind as a user would write it.
    let mut examples = String::new();
    for (start, _) in template.match_indices("\n# [[option]]") {
        for line in template[start + 1..].lines().take_while(|l| !l.trim().is_empty()) {
            examples.push_str(line.strip_prefix("# ").unwrap_or(line));
            examples.push('\n');
        }
    }
    let kinds = examples.matches("kind = ").count();
    assert!(kinds >= 5, "the template's examples:\n{examples}");
    let text = format!("{template}\n{examples}");
    let scenario = hostsim::scenario::parse_str(&text, Path::new("site.toml")).unwrap_or_else(|e| panic!("{e}"));
    checker.check(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    checker.check(&hostsim::scenario::to_resolved_toml(&scenario)).unwrap();
}

const QUICKSTART_HEAD: &str = "horizon = \"1d\"\n[workload]\ncpu = { dist = \"exponential\", mean = \"30ms\" }\n";

#[test]
fn misspelled_keys_wrong_types_and_unknown_values_are_refused() {
    let checker = Checker::new();
    let option =
        "[[option]]\nname = \"colo\"\nkind = \"bare_metal\"\nregion = \"washington\"\nservers = 2\ncores = 8\n";
    let good = format!("{QUICKSTART_HEAD}[traffic]\nbase_rps = 50\n{option}");
    checker.check(&good).unwrap();
    let bad = [
        good.replace("base_rps", "base_rsp"),
        good.replace("servers = 2", "instnces = 2"),
        good.replace("servers = 2", "servers = \"two\""),
        good.replace("base_rps = 50", "base_rps = \"50\""),
        good.replace("horizon = \"1d\"", "horizon = \"1 day\""),
        good.replace("horizon = \"1d\"", "horizon = 86400"),
        good.replace("\"bare_metal\"", "\"baremetal\""),
        good.replace("\"exponential\"", "\"normal\""),
        good.replace("mean = \"30ms\"", "mean = \"30ms\", cv = 1"),
        // A key of another kind.
        good.replace("servers = 2", "servers = 2\ninstances = 3"),
        format!("{good}horizn = \"2d\"\n"),
        format!("{good}[slo]\np99 = 300\n"),
    ];
    for text in bad {
        assert!(checker.check(&text).is_err(), "accepted:\n{text}");
        let refused = hostsim::scenario::parse_str(&text, Path::new("s.toml")).is_err();
        assert!(refused, "the reader refuses it too:\n{text}");
    }
}

/// The bad-input corpus: where the reader's message is about a key's name,
/// its type or a value outside a fixed list, the schema refuses it too.
#[test]
fn the_schema_refuses_the_bad_inputs_about_names_types_and_fixed_values() {
    let checker = Checker::new();
    let about_shape = [
        "unknown key",
        " key; ",
        "is not a key of",
        "expected an array",
        "expected true or false",
        "got string",
        "expected a duration like",
        "unknown unit",
        "unknown kind",
        "unknown distribution",
        "unknown routing",
        "unknown arch",
        "unknown market",
        "unknown storage kind",
        "unknown term",
        "unknown draw",
        "unknown load balancer",
        "unknown provider",
        "unknown policy",
        "not \"iaas\"",
    ];
    let mut checked = 0;
    for file in toml_files("tests/bad_inputs") {
        let text = fs::read_to_string(&file).unwrap();
        let expect = text.lines().next().unwrap_or_default();
        if about_shape.iter().any(|f| expect.contains(f)) {
            assert!(checker.check(&text).is_err(), "{} passes the schema", file.display());
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} bad inputs checked");
}

#[test]
fn the_shipped_schema_is_up_to_date_and_taplo_finds_it() {
    let tmp = tempfile::tempdir().unwrap();
    let printed = ok(hostsim(&["schema"], tmp.path())).stdout;
    let shipped = fs::read(repo("hostsim.schema.json")).unwrap();
    assert!(printed == shipped, "hostsim.schema.json is stale: run  hostsim schema > hostsim.schema.json");
    // Same bytes on every run.
    assert_eq!(ok(hostsim(&["schema"], tmp.path())).stdout, printed);
    let taplo = fs::read_to_string(repo(".taplo.toml")).unwrap();
    assert!(taplo.contains("\"scenarios/**/*.toml\"") && taplo.contains("hostsim.schema.json"), "{taplo}");
}
