//! The short ranking table printed to stdout after a run.

use super::aggregate::OptionReport;
use super::format::{MS, opt};

/// Options ranked: those meeting the SLO first, then by total cost.
pub fn table(scenario_name: &str, reports: &[OptionReport]) -> String {
    let mut order: Vec<&OptionReport> = reports.iter().collect();
    order.sort_by(|a, b| {
        let slo_rank = |r: &OptionReport| u8::from(r.meets_slo == Some(false));
        slo_rank(a).cmp(&slo_rank(b)).then(a.total_cost_usd.mean.total_cmp(&b.total_cost_usd.mean))
    });
    let name_width = order.iter().map(|r| r.name.len()).max().unwrap_or(6).max(6);
    let mut out = format!("{scenario_name}\n");
    out += &format!(
        "{:>4}  {:<name_width$}  {:<10}  {:>12}  {:>13}  {:>10}  {:>10}  {:>9}  {}\n",
        "rank", "option", "kind", "cost_usd", "per_month_usd", "p50_ms", "p99_ms", "success", "slo"
    );
    for (i, r) in order.iter().enumerate() {
        let slo = match r.meets_slo {
            Some(true) => "meets",
            Some(false) => "misses",
            None => "-",
        };
        out += &format!(
            "{:>4}  {:<name_width$}  {:<10}  {:>12}  {:>13}  {:>10}  {:>10}  {:>9}  {}\n",
            i + 1,
            r.name,
            r.kind,
            format!("{:.2}", r.total_cost_usd.mean),
            format!("{:.2}", r.per_month(r.total_cost_usd.mean)),
            opt(r.p50_ms, MS),
            opt(r.p99_ms.map(|e| e.mean), MS),
            r.success_ratio.map(|s| format!("{:.2}%", s * 100.0)).unwrap_or_default(),
            slo
        );
    }
    out
}
