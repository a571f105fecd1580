//! The ranking of a run's options: the table printed after a run, the rows
//! of `ranking.csv` and the Markdown table of `run --export-markdown`, all
//! in one order and (printed and Markdown) with the same cells.

use super::aggregate::OptionReport;
use super::format::{MS, fixed, opt};
use super::rows::RankingRow;
use super::table::Table;
use crate::color::{self, Style};
use crate::model::Scenario;
use crate::scenario::duration::format_duration;

/// How options are ranked, as `--help` and the README state it.
pub const RULE: &str =
    "options meeting the SLO first (all options without an [slo]), then by total cost, cheapest first";

/// Options in rank order: those not missing the SLO first, then by total
/// cost; equal ones keep the scenario's order (the sort is stable).
pub fn ranked(reports: &[OptionReport]) -> Vec<&OptionReport> {
    let mut order: Vec<&OptionReport> = reports.iter().collect();
    order.sort_by(|a, b| {
        let slo_rank = |r: &OptionReport| u8::from(r.meets_slo() == Some(false));
        slo_rank(a).cmp(&slo_rank(b)).then(a.total_cost_usd.mean.total_cmp(&b.total_cost_usd.mean))
    });
    order
}

/// The objectives an option misses, joined by "+" ("p99+success"); empty when it meets the SLO or there is none.
fn missed(r: &OptionReport) -> String {
    r.slo.map(|v| v.missed().join("+")).unwrap_or_default()
}

/// `ranking.csv`'s rows, in rank order.
pub fn rows(reports: &[OptionReport]) -> impl Iterator<Item = RankingRow> + '_ {
    ranked(reports).into_iter().enumerate().map(|(i, r)| RankingRow {
        rank: i + 1,
        option: r.name.clone(),
        kind: r.kind.to_string(),
        total_cost_usd: r.total_cost_usd.mean,
        cost_per_month_usd: r.per_month(r.total_cost_usd.mean),
        p50_ms: r.p50_ms,
        p99_ms: r.p99_ms.map(|e| e.mean),
        success_ratio: r.success_ratio,
        meets_slo: r.meets_slo(),
        slo_missed: missed(r),
    })
}

const COLUMNS: usize = 9;
/// The `slo` column of the printed table.
const SLO_COLUMN: usize = 8;

/// The ranking's printed cells, in rank order.
fn cells(reports: &[OptionReport]) -> Table<COLUMNS> {
    let rows = ranked(reports)
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let slo = match r.slo {
                Some(v) if v.meets() => "meets".to_string(),
                Some(_) => format!("misses {}", missed(r)),
                None => "-".to_string(),
            };
            [
                (i + 1).to_string(),
                r.name.clone(),
                r.kind.to_string(),
                format!("{:.2}", r.total_cost_usd.mean),
                format!("{:.2}", r.per_month(r.total_cost_usd.mean)),
                opt(r.p50_ms, MS),
                opt(r.p99_ms.map(|e| e.mean), MS),
                r.success_ratio.map(|s| format!("{:.2}%", s * 100.0)).unwrap_or_default(),
                slo,
            ]
        })
        .collect();
    Table {
        header: ["rank", "option", "kind", "cost_usd", "per_month_usd", "p50_ms", "p99_ms", "success", "slo"],
        left: [false, true, true, false, false, false, false, false, true],
        rows,
    }
}

/// The table printed after a run: the scenario's name, then aligned columns.
/// On a coloured stdout, the SLO verdicts are green ("meets") or red ("misses …").
pub fn table(scenario_name: &str, reports: &[OptionReport]) -> String {
    let table = cells(reports);
    if !color::enabled(color::Stream::Stdout) {
        return format!("{scenario_name}\n{}", table.text());
    }
    let verdict = |column: usize, cell: &str| match cell {
        "meets" if column == SLO_COLUMN => Some(Style::Green),
        _ if column == SLO_COLUMN && cell.starts_with("misses") => Some(Style::Red),
        _ => None,
    };
    format!("{}\n{}", color::paint(Style::Bold, scenario_name), table.text_styled(verdict))
}

/// The ranking as a GitHub-flavoured Markdown table with aligned pipes,
/// under a one-line caption: the scenario's name, horizon, replications,
/// seed, SLO and the ranking rule.
pub fn markdown(s: &Scenario, reports: &[OptionReport]) -> String {
    let slo = match &s.slo {
        None => "no SLO".to_string(),
        Some(slo) => {
            let parts: Vec<String> = [
                slo.p99_ms.map(|p| format!("p99 ≤ {} ms", fixed(p, MS))),
                slo.success.map(|m| format!("success ≥ {} %", fixed(m * 100.0, MS))),
            ]
            .into_iter()
            .flatten()
            .collect();
            format!("SLO {}", parts.join(", "))
        }
    };
    let runs =
        if s.replications == 1 { "1 replication".to_string() } else { format!("{} replications", s.replications) };
    format!(
        "**{}**: horizon {}, {runs}, seed {}; {slo}; ranked by: {RULE}.\n\n{}",
        s.name.replace('\\', "\\\\").replace('|', "\\|"),
        format_duration(s.horizon),
        s.seed,
        cells(reports).markdown()
    )
}
