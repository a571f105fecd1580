//! `--set KEY=VALUES`: a dotted key path into the scenario and the values it
//! takes in a sweep, as a comma list (`2,4,8`, `"30s","60s"`, `m5.large,m5.xlarge`)
//! or a range (`50..500:50`, `0.5..0.9:0.1`, `30s..120s:30s`).

use crate::scenario::duration::{format_duration, parse_duration};
use crate::scenario::node::{Key, Node, Value};

/// Most values one `--set` may expand to.
pub const MAX_VALUES: usize = 100_000;

/// One value of a swept key: how it reads in `sweep.csv` and the TOML value set.
#[derive(Clone, Debug, PartialEq)]
pub struct SetValue {
    /// The cell written in the key's column (a string without its quotes).
    pub label: String,
    /// The value put into the scenario tree (no span: it is not from the file).
    pub node: Node,
}

/// A parsed `--set`: the key path and its values in the order given.
#[derive(Clone, Debug, PartialEq)]
pub struct SetSpec {
    /// Dotted path, e.g. `option.web.servers`.
    pub key: String,
    /// At least one value, no two with the same label.
    pub values: Vec<SetValue>,
}

/// Parses one `--set` argument; the error names the argument and what is wrong.
pub fn parse(arg: &str) -> Result<SetSpec, String> {
    let fail = |m: String| format!("--set {arg}: {m}");
    let Some((key, values)) = arg.split_once('=') else {
        return Err(fail("expected KEY=VALUES, e.g. option.web.servers=2,4,8".into()));
    };
    let key = key.trim();
    check_key(key).map_err(fail)?;
    let values = parse_values(values.trim()).map_err(fail)?;
    // A set, not pairwise comparisons: a range may have 100,000 values.
    let mut seen = std::collections::HashSet::new();
    if let Some(v) = values.iter().find(|v| !seen.insert(v.label.as_str())) {
        return Err(fail(format!("value {} is given twice", v.label)));
    }
    Ok(SetSpec { key: key.to_string(), values })
}

/// An option's name written as the first part of a key (`colo.servers`):
/// the key that was meant (`option.colo.servers`), if `tree` has an option
/// of that name and no top-level key of that name.
pub fn meant_option_key(key: &str, tree: &Node) -> Option<String> {
    let first = key.split('.').next()?;
    if tree.get(first).is_some() {
        return None;
    }
    let Some(Node { value: Value::Array(options), .. }) = tree.get("option") else { return None };
    let named = |o: &Node| matches!(o.get("name"), Some(Node { value: Value::Str(n), .. }) if n == first);
    options.iter().any(named).then(|| format!("option.{key}"))
}

fn check_key(key: &str) -> Result<(), String> {
    if key.is_empty() {
        return Err("the key is empty; write it like option.web.servers".into());
    }
    let bad = |c: char| c.is_whitespace() || c.is_control() || c == '"' || c == '\'';
    if key.split('.').any(|s| s.is_empty()) || key.contains(bad) {
        return Err(format!("bad key \"{key}\"; write dotted names like option.web.servers or traffic.base_rps"));
    }
    Ok(())
}

/// A range if the text is one (`A..B` or `A..B:STEP` of numbers or durations), else a list.
fn parse_values(text: &str) -> Result<Vec<SetValue>, String> {
    if text.is_empty() {
        return Err("no values after '='".into());
    }
    if let Some(parts) = range_parts(text) {
        return range(parts);
    }
    split_list(text)?.into_iter().map(list_value).collect()
}

/// `(start, end, step)` when `text` looks like a range: both ends non-empty
/// and starting with a digit, without quotes or brackets.
fn range_parts(text: &str) -> Option<(&str, &str, Option<&str>)> {
    if text.contains(['"', '\'', '[', '{', ',']) {
        return None;
    }
    let (start, rest) = text.split_once("..")?;
    let (end, step) = match rest.split_once(':') {
        Some((end, step)) => (end, Some(step.trim())),
        None => (rest, None),
    };
    let (start, end) = (start.trim(), end.trim());
    let numeric = |s: &str| s.trim_start_matches(['-', '+']).starts_with(|c: char| c.is_ascii_digit() || c == '.');
    (numeric(start) && numeric(end)).then_some((start, end, step))
}

fn range((start, end, step): (&str, &str, Option<&str>)) -> Result<Vec<SetValue>, String> {
    if let (Ok(a), Ok(b)) = (start.parse::<i64>(), end.parse::<i64>()) {
        let s = match step {
            None => 1,
            Some(s) => s.parse::<i64>().map_err(|_| format!("step \"{s}\" of an integer range must be an integer"))?,
        };
        let count = steps(a as f64, b as f64, s as f64)?;
        let values = (0..count as i64).map(|k| a + k * s);
        return Ok(values.map(|v| SetValue { label: v.to_string(), node: Node::new(Value::Int(v)) }).collect());
    }
    if let (Ok(a), Ok(b)) = (start.parse::<f64>(), end.parse::<f64>()) {
        let s = match step {
            None => 1.0,
            Some(s) => s.parse::<f64>().map_err(|_| format!("step \"{s}\" of a number range must be a number"))?,
        };
        let count = steps(a, b, s)?;
        let parts = [start, end, step.unwrap_or("1")];
        let decimals = parts.iter().map(|t| decimals(t)).collect::<Option<Vec<_>>>().map(|d| d.into_iter().max());
        let decimals = decimals.map(|d| d.unwrap_or(0));
        let values = (0..count).map(|k| {
            let v = a + k as f64 * s;
            let label = match decimals {
                Some(d) => format!("{v:.d$}"),
                None => format!("{}", (v * 1e12).round() / 1e12),
            };
            let parsed = label.parse::<f64>().unwrap_or(v);
            SetValue { label, node: Node::new(Value::Float(parsed)) }
        });
        return Ok(values.collect());
    }
    let (a, b) = match (parse_duration(start), parse_duration(end)) {
        (Ok(a), Ok(b)) => (a.0, b.0),
        _ => {
            return Err(format!(
                "bad range \"{start}..{end}\": write numbers (50..500:50) or durations (30s..120s:30s)"
            ));
        }
    };
    let Some(step) = step else {
        return Err(format!("a duration range needs a step, e.g. {start}..{end}:{start}"));
    };
    let s = parse_duration(step).map_err(|e| format!("step: {e}"))?.0;
    let count = steps(a as f64, b as f64, s as f64)?;
    let values = (0..count as u64).map(|k| format_duration(crate::time::SimTime(a + k * s)));
    Ok(values.map(|label| SetValue { node: Node::new(Value::Str(label.clone())), label }).collect())
}

/// Number of values `start + k × step` up to `end` (inclusive when it lands on a step).
fn steps(start: f64, end: f64, step: f64) -> Result<usize, String> {
    if !(step > 0.0 && step.is_finite()) {
        return Err(format!("the step must be positive, got {step}"));
    }
    if !(start.is_finite() && end.is_finite()) || end < start {
        return Err(format!("empty range: {end} is below {start}"));
    }
    let n = ((end - start) / step + 1e-9).floor() + 1.0;
    if n > MAX_VALUES as f64 {
        return Err(format!("the range has {n} values; at most {MAX_VALUES} are allowed"));
    }
    Ok(n as usize)
}

/// Digits after the decimal point as written, or `None` with an exponent.
fn decimals(text: &str) -> Option<usize> {
    if text.contains(['e', 'E']) {
        return None;
    }
    Some(text.split_once('.').map_or(0, |(_, frac)| frac.len()))
}

/// Splits at commas outside quotes, brackets and braces.
fn split_list(text: &str) -> Result<Vec<&str>, String> {
    let mut parts = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None, 0);
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => depth -= 1,
            (None, ',') if depth == 0 => {
                parts.push(text[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(text[start..].trim());
    if parts.iter().any(|p| p.is_empty()) {
        return Err(format!("empty value in the list \"{text}\""));
    }
    Ok(parts)
}

/// A list element: a TOML value if it reads as one (`4`, `0.5`, `true`,
/// `"30s"`, `{ dist = "constant", value = "40ms" }`), else a bare string (`30s`).
fn list_value(text: &str) -> Result<SetValue, String> {
    let parsed = Node::parse(&format!("v = {text}\n")).ok().and_then(|root| root.get("v").cloned());
    let node = match parsed {
        Some(node) => without_spans(node),
        None if text.contains(['"', '\'', '[', ']', '{', '}', '=', '\n']) => {
            return Err(format!("cannot read the value {text} (strings with quotes or brackets must be valid TOML)"));
        }
        None => Node::new(Value::Str(text.to_string())),
    };
    let label = match &node.value {
        Value::Str(s) => s.clone(),
        _ => text.to_string(),
    };
    Ok(SetValue { label, node })
}

/// The node with every span removed: spans would point into the `--set`
/// text, not the scenario file that error messages show.
fn without_spans(node: Node) -> Node {
    let value = match node.value {
        Value::Array(items) => Value::Array(items.into_iter().map(without_spans).collect()),
        Value::Table(entries) => Value::Table(
            entries.into_iter().map(|(k, v)| (Key { name: k.name, span: None }, without_spans(v))).collect(),
        ),
        other => other,
    };
    Node::new(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(arg: &str) -> Vec<String> {
        parse(arg).unwrap().values.into_iter().map(|v| v.label).collect()
    }

    #[test]
    fn lists_keep_their_order_and_types() {
        let s = parse("option.web.servers=2,4,8").unwrap();
        assert_eq!(s.key, "option.web.servers");
        assert_eq!(s.values[1].node.value, Value::Int(4));
        let s = parse("workload.timeout=\"30s\", 60s").unwrap();
        assert_eq!(s.values[0].node.value, Value::Str("30s".into()));
        assert_eq!(s.values[1].node.value, Value::Str("60s".into()));
        assert_eq!(labels("workload.timeout=\"30s\",60s"), ["30s", "60s"]);
        assert_eq!(parse("x.y=0.5,true").unwrap().values[1].node.value, Value::Bool(true));
        // Commas inside an inline table do not split it; its label is as written.
        let s =
            parse("workload.cpu={ dist = \"constant\", value = \"40ms\" },{ dist = \"exponential\", mean = \"1s\" }")
                .unwrap();
        assert_eq!(s.values.len(), 2);
        assert_eq!(s.values[0].label, "{ dist = \"constant\", value = \"40ms\" }");
        assert!(
            matches!(&s.values[0].node.value, Value::Table(t) if t.iter().all(|(k, v)| k.span.is_none() && v.span.is_none()))
        );
    }

    #[test]
    fn ranges_include_the_end_when_it_lands_on_a_step() {
        // 50, 100, …, 500: (500 − 50) / 50 + 1 = 10 values, integers.
        let s = parse("traffic.base_rps=50..500:50").unwrap();
        assert_eq!(s.values.len(), 10);
        assert_eq!(s.values[9].node.value, Value::Int(500));
        assert_eq!(labels("a=1..10:4"), ["1", "5", "9"]);
        assert_eq!(labels("a=1..3"), ["1", "2", "3"]);
        // 0.1 steps print as written, without binary noise (0.30000000000000004).
        assert_eq!(labels("a=0.1..0.5:0.1"), ["0.1", "0.2", "0.3", "0.4", "0.5"]);
        assert_eq!(parse("a=0.1..0.5:0.1").unwrap().values[2].node.value, Value::Float(0.3));
        assert_eq!(labels("workload.timeout=30s..2m:30s"), ["30s", "1m", "90s", "2m"]);
    }

    #[test]
    fn bad_arguments_name_the_argument() {
        for (arg, want) in [
            ("servers", "expected KEY=VALUES"),
            ("=1,2", "the key is empty"),
            ("a..b=1", "bad key"),
            ("a=", "no values"),
            ("a=1,,2", "empty value"),
            ("a=1,2,1", "value 1 is given twice"),
            ("a=5..1", "empty range"),
            ("a=1..5:0", "step must be positive"),
            ("a=1..5:x", "must be an integer"),
            ("a=30s..1m", "needs a step"),
            ("a=0..1e9", "at most 100000"),
            ("a=\"unterminated", "cannot read the value"),
        ] {
            let e = parse(arg).unwrap_err();
            assert!(e.starts_with(&format!("--set {arg}: ")) && e.contains(want), "{arg}: {e}");
        }
    }

    #[test]
    fn the_longest_range_is_checked_for_repeats_in_linear_time() {
        // Pairwise checks took 5 × 10⁹ comparisons (half a minute) here.
        assert_eq!(parse("a=1..100000").unwrap().values.len(), MAX_VALUES);
    }

    #[test]
    fn an_option_name_first_means_the_option_key() {
        let tree = Node::parse("[traffic]\nbase_rps = 1\n[[option]]\nname = \"colo\"\nservers = 1\n").unwrap();
        assert_eq!(meant_option_key("colo.servers", &tree).as_deref(), Some("option.colo.servers"));
        assert_eq!(meant_option_key("traffic.base_rps", &tree), None);
        assert_eq!(meant_option_key("web.servers", &tree), None);
    }

    #[test]
    fn strings_with_dots_are_not_ranges() {
        assert_eq!(labels("traffic.trace.file=../a.csv"), ["../a.csv"]);
        assert_eq!(labels("option.ec2.instance=m5.large,m5.xlarge"), ["m5.large", "m5.xlarge"]);
    }
}
