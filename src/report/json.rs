//! `summary.json`: `summary.csv`'s columns typed (numbers, booleans, null
//! for empty cells), each option's costs by category as in `costs.csv`, the
//! SLO with each option's verdict, and what was run. Built from the CSV
//! bytes themselves, so a new summary column appears here with no code and
//! every number is the one the CSV holds.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Number, Value};

use super::aggregate::OptionReport;
use super::format::{MS, RATIO, fixed};
use super::ranking;
use crate::model::Scenario;

/// `summary.csv`'s text columns; every other cell is a number, a boolean or empty.
const TEXT_COLUMNS: [&str; 3] = ["option", "kind", "region"];

/// Keys and values written in this order (a JSON object with a stable key order).
struct Ordered(Vec<(String, Value)>);

impl Serialize for Ordered {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[derive(serde::Serialize)]
struct Summary<'a> {
    scenario: &'a str,
    hostsim_version: &'static str,
    seed: u64,
    replications: u32,
    horizon_s: Value,
    warmup_s: Value,
    slo: Option<Slo>,
    ranking_rule: &'static str,
    options: Vec<OptionEntry>,
}

#[derive(serde::Serialize)]
struct Slo {
    p99_ms: Option<Value>,
    success: Option<Value>,
}

#[derive(serde::Serialize)]
struct OptionEntry {
    #[serde(flatten)]
    summary: Ordered,
    rank: usize,
    /// The objectives missed ("p99", "success"): empty when met, null without an SLO.
    slo_missed: Option<Vec<&'static str>>,
    costs_usd: Ordered,
}

/// A CSV cell as JSON: empty is null, `true`/`false` booleans, anything else a number.
fn typed(cell: &str) -> Value {
    match cell {
        "" => Value::Null,
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => cell.parse::<Number>().map_or_else(|_| Value::String(cell.to_string()), Value::Number),
    }
}

/// A number written with at most `decimals` decimals, as the CSV cells are.
pub fn number(x: f64, decimals: usize) -> Value {
    typed(&fixed(x, decimals))
}

/// The rows of CSV `bytes` written by [`super::csv`], each as its header's keys and its cells.
fn records(bytes: &[u8]) -> Vec<Vec<(String, String)>> {
    let mut reader = csv::Reader::from_reader(bytes);
    // Our own CSV, read from memory: it has a header and well-formed rows.
    let header = reader.headers().expect("CSV written by hostsim").clone();
    reader
        .records()
        .map(|row| {
            let row = row.expect("CSV written by hostsim");
            header.iter().zip(row.iter()).map(|(k, v)| (k.to_string(), v.to_string())).collect()
        })
        .collect()
}

/// The cell of `row` under `column` (empty if there is none).
fn cell<'a>(row: &'a [(String, String)], column: &str) -> &'a str {
    row.iter().find(|(k, _)| k == column).map_or("", |(_, v)| v)
}

/// `summary.json`'s bytes (pretty-printed, ending in a newline).
pub fn summary(s: &Scenario, reports: &[OptionReport]) -> Vec<u8> {
    let costs = records(&super::csv::costs(reports));
    let ranked = ranking::ranked(reports);
    let options = records(&super::csv::summary(reports))
        .into_iter()
        .zip(reports)
        .map(|(row, r)| {
            let summary = row
                .into_iter()
                .map(|(k, v)| {
                    let value =
                        if TEXT_COLUMNS.contains(&k.as_str()) && !v.is_empty() { Value::String(v) } else { typed(&v) };
                    (k, value)
                })
                .collect();
            let costs_usd = costs
                .iter()
                .filter(|c| cell(c, "option") == r.name)
                .map(|c| (cell(c, "category").to_string(), typed(cell(c, "usd"))))
                .collect();
            OptionEntry {
                summary: Ordered(summary),
                rank: 1 + ranked.iter().position(|x| std::ptr::eq(*x, r)).expect("every option is ranked"),
                slo_missed: r.slo.map(|v| v.missed()),
                costs_usd: Ordered(costs_usd),
            }
        })
        .collect();
    let secs = |t: crate::time::SimTime| number(t.0 as f64 / 1e6, MS);
    let json = Summary {
        scenario: &s.name,
        hostsim_version: env!("CARGO_PKG_VERSION"),
        seed: s.seed,
        replications: s.replications,
        horizon_s: secs(s.horizon),
        warmup_s: secs(s.warmup),
        slo: s.slo.as_ref().map(|slo| Slo {
            p99_ms: slo.p99_ms.map(|p| number(p, MS)),
            success: slo.success.map(|m| number(m, RATIO)),
        }),
        ranking_rule: ranking::RULE,
        options,
    };
    let mut bytes = serde_json::to_vec_pretty(&json).expect("JSON of plain values serialises");
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_typed() {
        assert_eq!(typed(""), Value::Null);
        assert_eq!(typed("true"), Value::Bool(true));
        assert_eq!(typed("1234"), serde_json::json!(1234));
        assert_eq!(typed("0.096"), serde_json::json!(0.096));
        assert_eq!(serde_json::to_string(&typed("0.096")).unwrap(), "0.096");
    }
}
