//! `hostsim compare DIR_A DIR_B`: for each option in both runs' `summary.csv`,
//! the change from A to B in total cost, p50, p99, success ratio and mean
//! instances, marked where it exceeds the two runs' 95 % confidence
//! intervals combined.

use serde::Serialize;
use serde_json::Value;

use super::format::{COUNT, MS, RATIO, USD};
use super::json::number;
use super::rows::SummaryRow;
use super::table::Table;

/// A compared column of `summary.csv`: its decimals, its value and its 95 % half-width (if it has one).
struct Metric {
    column: &'static str,
    decimals: usize,
    value: fn(&SummaryRow) -> Option<f64>,
    ci95: fn(&SummaryRow) -> Option<f64>,
}

const METRICS: [Metric; 5] = [
    Metric {
        column: "total_cost_usd",
        decimals: USD,
        value: |r| Some(r.total_cost_usd),
        ci95: |r| r.total_cost_usd_ci95,
    },
    Metric { column: "p50_ms", decimals: MS, value: |r| r.p50_ms, ci95: |_| None },
    Metric { column: "p99_ms", decimals: MS, value: |r| r.p99_ms, ci95: |r| r.p99_ms_ci95 },
    Metric { column: "success_ratio", decimals: RATIO, value: |r| r.success_ratio, ci95: |_| None },
    Metric { column: "mean_instances", decimals: COUNT, value: |r| r.mean_instances, ci95: |_| None },
];

/// One option's change in one metric, from A to B (`change` = B − A).
#[derive(Debug, Serialize)]
pub struct Change {
    pub option: String,
    pub metric: &'static str,
    pub a: Value,
    pub b: Value,
    pub change: Value,
    /// The change as a percentage of A (null when A is 0 or absent).
    pub change_pct: Value,
    /// |change| > √(a_ci95² + b_ci95²); null when either run has no interval for it.
    pub beyond_ci95: Option<bool>,
}

/// Two runs compared: the changes of the options in both, and the options in one only.
#[derive(Debug, Serialize)]
pub struct Comparison {
    pub a: String,
    pub b: String,
    pub changes: Vec<Change>,
    pub only_in_a: Vec<String>,
    pub only_in_b: Vec<String>,
}

/// The changes from `a` to `b`, options in A's order.
pub fn compare(a_name: &str, a: &[SummaryRow], b_name: &str, b: &[SummaryRow]) -> Comparison {
    let in_other = |rows: &[SummaryRow], name: &str| rows.iter().any(|r| r.option == name);
    let mut changes = Vec::new();
    for ra in a {
        let Some(rb) = b.iter().find(|r| r.option == ra.option) else { continue };
        for m in &METRICS {
            let (va, vb) = ((m.value)(ra), (m.value)(rb));
            let change = va.zip(vb).map(|(x, y)| y - x);
            let beyond_ci95 =
                change.zip((m.ci95)(ra).zip((m.ci95)(rb))).map(|(d, (ca, cb))| d.abs() > (ca * ca + cb * cb).sqrt());
            let pct = va.zip(change).filter(|&(x, _)| x != 0.0).map(|(x, d)| d / x.abs() * 100.0);
            let num = |v: Option<f64>, decimals| v.map_or(Value::Null, |x| number(x, decimals));
            changes.push(Change {
                option: ra.option.clone(),
                metric: m.column,
                a: num(va, m.decimals),
                b: num(vb, m.decimals),
                change: num(change, m.decimals),
                change_pct: num(pct, 2),
                beyond_ci95,
            });
        }
    }
    Comparison {
        a: a_name.to_string(),
        b: b_name.to_string(),
        changes,
        only_in_a: a.iter().filter(|r| !in_other(b, &r.option)).map(|r| r.option.clone()).collect(),
        only_in_b: b.iter().filter(|r| !in_other(a, &r.option)).map(|r| r.option.clone()).collect(),
    }
}

/// What the marker means, under the table.
const MARKER_NOTE: &str = "* the change exceeds both runs' 95 % confidence intervals combined (√(a² + b²)); \
                           unmarked: within them, or no interval (one replication; p50, success and instances have none)";

impl Comparison {
    fn table(&self) -> Table<7> {
        let cell = |v: &Value| if v.is_null() { String::new() } else { v.to_string() };
        let signed = |v: &Value| match v.as_f64() {
            Some(x) if x > 0.0 => format!("+{v}"),
            _ => cell(v),
        };
        let rows = self
            .changes
            .iter()
            .map(|c| {
                [
                    c.option.clone(),
                    c.metric.to_string(),
                    cell(&c.a),
                    cell(&c.b),
                    signed(&c.change),
                    if c.change_pct.is_null() { String::new() } else { format!("{}%", signed(&c.change_pct)) },
                    if c.beyond_ci95 == Some(true) { "*".to_string() } else { String::new() },
                ]
            })
            .collect();
        Table {
            header: ["option", "metric", "a", "b", "change", "change_pct", "ci95"],
            left: [true, true, false, false, false, false, true],
            rows,
        }
    }

    /// Lines naming the options in one run only (none if there are none).
    fn only(&self) -> String {
        let mut out = String::new();
        for (which, names) in [("A", &self.only_in_a), ("B", &self.only_in_b)] {
            if !names.is_empty() {
                out += &format!("only in {which}, not compared: {}\n", names.join(", "));
            }
        }
        out
    }

    /// Aligned columns for reading.
    pub fn text(&self) -> String {
        format!("A: {}\nB: {}\n{}{MARKER_NOTE}\n{}", self.a, self.b, self.table().text(), self.only())
    }

    /// A Markdown table for a pull request or an issue.
    pub fn markdown(&self) -> String {
        format!(
            "From A (`{}`) to B (`{}`):\n\n{}\n\\{MARKER_NOTE}\n{}",
            self.a,
            self.b,
            self.table().markdown(),
            self.only().replace('\n', "\n\n")
        )
    }

    /// Pretty-printed JSON, keys in a fixed order, ending in a newline.
    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).expect("JSON of plain values serialises") + "\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(option: &str, cost: f64, ci: Option<f64>) -> SummaryRow {
        SummaryRow { option: option.into(), total_cost_usd: cost, total_cost_usd_ci95: ci, ..SummaryRow::default() }
    }

    #[test]
    fn a_change_is_marked_beyond_the_combined_intervals_only() {
        // Half-widths 3 and 4 combine to 5: a change of 5.5 is beyond them, 4.5 is not.
        let a = [row("x", 100.0, Some(3.0)), row("y", 100.0, Some(3.0)), row("gone", 1.0, None)];
        let b = [row("y", 104.5, Some(4.0)), row("x", 105.5, Some(4.0)), row("new", 1.0, None)];
        let c = compare("a", &a, "b", &b);
        let cost: Vec<(&str, Option<bool>, String)> = c
            .changes
            .iter()
            .filter(|c| c.metric == "total_cost_usd")
            .map(|c| (c.option.as_str(), c.beyond_ci95, c.change_pct.to_string()))
            .collect();
        assert_eq!(cost, [("x", Some(true), "5.5".to_string()), ("y", Some(false), "4.5".to_string())]);
        assert_eq!((c.only_in_a, c.only_in_b), (vec!["gone".to_string()], vec!["new".to_string()]));
        // Without intervals (one replication) nothing is marked.
        let c = compare("a", &[row("x", 1.0, None)], "b", &[row("x", 2.0, None)]);
        assert_eq!(c.changes[0].beyond_ci95, None);
        let last = c.text().lines().nth(3).unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(last, "x total_cost_usd 1 2 +1 +100%");
    }
}
