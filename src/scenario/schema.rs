//! `hostsim schema`: the scenario format as a JSON Schema (draft-07, which
//! Taplo / Even Better TOML read), written from the key lists the readers
//! open their tables with ([`super::spec`]), so it cannot list a key the
//! reader refuses or miss one it reads.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::spec::{Key, Tagged, Type};
use super::validate::TOP_KEYS;

/// What `parse_duration` accepts: numbers (decimals allowed) each followed
/// by a unit, spaces anywhere between ("90s", "1.5h", "3d 10h", "1 h 30 min").
pub const DURATION_PATTERN: &str = r"^\s*(([0-9]+(\.[0-9]{0,18})?|\.[0-9]{1,18})\s*(us|µs|ms|min|s|m|h|d|w|y)\s*)+$";

/// The whole schema, as `hostsim schema` prints it.
pub fn text() -> String {
    let mut text = serde_json::to_string_pretty(&schema()).expect("a JSON value always serialises");
    text.push('\n');
    text
}

/// The schema of a scenario file.
pub fn schema() -> Value {
    let mut definitions = BTreeMap::new();
    let mut root = table(TOP_KEYS, &mut definitions);
    root["$schema"] = json!("http://json-schema.org/draft-07/schema#");
    root["title"] = json!("hostsim scenario");
    root["description"] = json!(
        "A hostsim scenario: the traffic, the workload and the hosting options to compare. Written by `hostsim schema` from the definitions its reader uses."
    );
    root["definitions"] = json!(definitions);
    sorted(root)
}

/// The tagged tables met so far, by name, written once and referred to.
type Definitions = BTreeMap<&'static str, Value>;

/// A table with exactly these keys; those whose default is "required" must be there.
fn table(keys: &[Key], definitions: &mut Definitions) -> Value {
    let properties: Map<String, Value> = keys.iter().map(|k| (k.name.to_string(), key(k, definitions))).collect();
    let required: Vec<&str> = keys.iter().filter(|k| k.default == "required").map(|k| k.name).collect();
    let mut schema = json!({ "type": "object", "properties": properties, "additionalProperties": false });
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    schema
}

/// One key: its type, and its meaning, unit and default in words (and as a
/// JSON value where the default is a plain TOML value).
fn key(k: &Key, definitions: &mut Definitions) -> Value {
    let mut about = k.doc.to_string();
    let notes: Vec<String> = [("unit", k.unit), ("default", k.default)]
        .into_iter()
        .filter(|(_, text)| !text.is_empty())
        .map(|(what, text)| format!("{what}: {text}"))
        .collect();
    if !notes.is_empty() {
        about = format!("{about} ({})", notes.join("; "));
    }
    let mut schema = match of_type(k.ty, definitions) {
        // Draft-07 ignores keywords beside "$ref": wrap it to keep the description.
        reference @ Value::Object(_) if reference.get("$ref").is_some() => json!({ "allOf": [reference] }),
        schema => schema,
    };
    schema["description"] = json!(about);
    if let Some(default) = plain_default(k.default) {
        schema["default"] = default;
    }
    schema
}

/// A default written as a plain TOML value (`1`, `"30s"`, `false`), as JSON.
fn plain_default(text: &str) -> Option<Value> {
    let parsed: toml::Table = toml::from_str(&format!("v = {text}")).ok()?;
    serde_json::to_value(parsed.get("v")?).ok()
}

fn of_type(ty: Type, definitions: &mut Definitions) -> Value {
    match ty {
        Type::Number => json!({ "type": "number" }),
        Type::Integer => json!({ "type": "integer" }),
        Type::Str => json!({ "type": "string" }),
        Type::Bool => json!({ "type": "boolean" }),
        Type::Duration => json!({ "type": "string", "pattern": DURATION_PATTERN }),
        Type::OneOf(names) => json!({ "type": "string", "enum": names }),
        Type::Table(keys) => table(keys, definitions),
        Type::Array(element) => json!({ "type": "array", "items": of_type(*element, definitions) }),
        Type::Map(value) => json!({ "type": "object", "additionalProperties": of_type(*value, definitions) }),
        Type::Tagged(tagged) => {
            if !definitions.contains_key(tagged.name) {
                // Placed first, so a variant that holds the same union refers to it.
                definitions.insert(tagged.name, Value::Null);
                let schema = variants(tagged, definitions);
                definitions.insert(tagged.name, schema);
            }
            json!({ "$ref": format!("#/definitions/{}", tagged.name) })
        }
        Type::Either(types) => {
            json!({ "anyOf": types.iter().map(|t| of_type(*t, definitions)).collect::<Vec<_>>() })
        }
    }
}

/// One closed table per variant, its tag fixed to the variant's name: a key
/// of another variant, or a misspelled one, matches none of them.
fn variants(tagged: &Tagged, definitions: &mut Definitions) -> Value {
    let one_of: Vec<Value> = (tagged.variants)()
        .into_iter()
        .map(|(name, own)| {
            let keys: Vec<Key> = tagged.common.iter().chain(own).copied().collect();
            let mut schema = table(&keys, definitions);
            schema["properties"][tagged.tag]["enum"] = json!([name]);
            schema
        })
        .collect();
    json!({ "type": "object", "oneOf": one_of })
}

/// `value` with every object's keys inserted in sorted order, so the text is
/// the same whether or not serde_json keeps insertion order (a feature other
/// crates may turn on).
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(fields) => {
            let mut pairs: Vec<(String, Value)> = fields.into_iter().collect();
            pairs.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(pairs.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::duration::parse_duration;

    #[test]
    fn the_duration_pattern_accepts_what_the_parser_accepts() {
        let pattern = regex::Regex::new(DURATION_PATTERN).unwrap();
        let samples = [
            "90s",
            "250ms",
            "1.5h",
            "3d 10h",
            "1h30m",
            "60 ms",
            "1 h 30 min",
            " 5m ",
            "1y",
            "2w",
            "10us",
            "10µs",
            ".5h",
            "1.h",
            "0s",
            "1min30s",
            "",
            "5",
            "-5s",
            "5 hours",
            "30secs",
            "5.5.5s",
            "s",
            "1hm",
            "1 d x",
            "h1",
            "1e3s",
            "1,5h",
        ];
        for s in samples {
            assert_eq!(pattern.is_match(s), parse_duration(s).is_ok(), "{s:?}");
        }
    }

    /// `schema`, or what its `$ref` (alone or wrapped in `allOf`) points at.
    fn resolve<'v>(schema: &'v Value, root: &'v Value) -> &'v Value {
        let reference = schema.get("$ref").or_else(|| schema.pointer("/allOf/0/$ref"));
        match reference.and_then(Value::as_str).and_then(|r| r.strip_prefix("#")) {
            Some(pointer) => root.pointer(pointer).unwrap_or_else(|| panic!("no {pointer}")),
            None => schema,
        }
    }

    /// Checks that `schema` has every key of `ty` with its type; returns how many keys.
    fn covers(ty: Type, schema: &Value, root: &Value, path: &str) -> usize {
        let schema = resolve(schema, root);
        let kind = |t: &str| assert_eq!(schema["type"], json!(t), "{path}: {schema}");
        match ty {
            Type::Number => kind("number"),
            Type::Integer => kind("integer"),
            Type::Str | Type::OneOf(_) | Type::Duration => kind("string"),
            Type::Bool => kind("boolean"),
            Type::Array(element) => return covers(*element, &schema["items"], root, &format!("{path}[]")),
            Type::Map(value) => return covers(*value, &schema["additionalProperties"], root, &format!("{path}.*")),
            Type::Either(types) => {
                let any = schema["anyOf"].as_array().unwrap_or_else(|| panic!("{path}: {schema}"));
                assert_eq!(any.len(), types.len(), "{path}");
                return types.iter().zip(any).map(|(t, s)| covers(*t, s, root, path)).sum();
            }
            Type::Table(keys) => return covers_keys(keys, schema, root, path),
            Type::Tagged(tagged) => {
                let variants = (tagged.variants)();
                let one_of = schema["oneOf"].as_array().unwrap_or_else(|| panic!("{path}: {schema}"));
                assert_eq!(one_of.len(), variants.len(), "{path}");
                let mut n = 0;
                for ((name, own), s) in variants.into_iter().zip(one_of) {
                    assert_eq!(s["properties"][tagged.tag]["enum"], json!([name]), "{path}");
                    let keys: Vec<Key> = tagged.common.iter().chain(own).copied().collect();
                    n += covers_keys(&keys, s, root, &format!("{path}({name})"));
                }
                return n;
            }
        }
        0
    }

    /// Checks that `schema` is a closed table of exactly `keys`.
    fn covers_keys(keys: &[Key], schema: &Value, root: &Value, path: &str) -> usize {
        assert_eq!(schema["additionalProperties"], json!(false), "{path} is open");
        let properties = schema["properties"].as_object().unwrap_or_else(|| panic!("{path}: {schema}"));
        assert_eq!(properties.len(), keys.len(), "{path}");
        let mut n = keys.len();
        for k in keys {
            let at = format!("{path}.{}", k.name);
            let property = properties.get(k.name).unwrap_or_else(|| panic!("{at} is missing"));
            assert!(property["description"].as_str().is_some_and(|d| d.starts_with(k.doc)), "{at}");
            n += covers(k.ty, property, root, &at);
        }
        n
    }

    #[test]
    fn every_key_the_reader_declares_is_in_the_schema_with_its_type() {
        let root = schema();
        let n = covers_keys(TOP_KEYS, &root, &root, "");
        // Every kind's keys with the common ones, the distributions at each place…
        assert!(n > 300, "only {n} keys");
    }

    #[test]
    fn defaults_become_json_where_they_are_plain_values() {
        assert_eq!(plain_default("1"), Some(json!(1)));
        assert_eq!(plain_default("\"30s\""), Some(json!("30s")));
        assert_eq!(plain_default("false"), Some(json!(false)));
        assert_eq!(plain_default("required"), None);
        assert_eq!(plain_default("1 (a hybrid's burst: 0)"), None);
    }
}
