//! `report.html`: one self-contained page of a run to pass on (no network:
//! the style inline, the charts as base64 `data:` URIs, system fonts): the
//! scenario's question, the ranking with its confidence intervals and SLO
//! verdicts, each option's costs, the charts, the scenario as run and the
//! command line. Built only from the output folder's files (`folder.rs`),
//! so `hostsim report DIR` writes the same bytes the run did.

mod encode;
mod folder;

use std::path::Path;

use encode::{base64, escape};
pub use folder::REQUIRED;
use folder::RunFolder;

use super::chart_data::ChartError;
use super::format::fixed;
use super::ranking::RULE;
use super::rows::{RankingRow, SummaryRow};

/// The report's file name in an output folder.
pub const FILE: &str = "report.html";

/// The page's style sheet: system fonts, laptop-width columns, print rules.
const STYLE: &str = include_str!("html/style.css");

/// The report of the output folder `dir`, from its files.
pub fn render(dir: &Path) -> Result<Vec<u8>, ChartError> {
    Ok(page(&RunFolder::read(dir)?).into_bytes())
}

fn page(run: &RunFolder) -> String {
    let sections = [header(run), ranking(run), costs(run), charts(run), scenario(run), footer(run)];
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}: hostsim report</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n{}</main>\n</body>\n</html>\n",
        escape(&run.resolved.name),
        sections.concat()
    )
}

/// The name, the question and what was run.
fn header(run: &RunFolder) -> String {
    let r = &run.resolved;
    let question = match run.description.is_empty() {
        true => String::new(),
        false => format!("<div class=\"question\">{}</div>\n", escape(&run.description)),
    };
    let seed = match &r.seed {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let facts = [
        ("Horizon", r.horizon.clone()),
        ("Replications", r.replications.to_string()),
        ("Seed", seed),
        ("SLO", slo_text(run)),
    ];
    let facts: String = facts.iter().map(|(k, v)| format!("<div><dt>{k}</dt><dd>{}</dd></div>\n", escape(v))).collect();
    format!(
        "<header>\n<p class=\"kicker\">hostsim report</p>\n<h1>{}</h1>\n{question}<dl class=\"facts\">\n{facts}</dl>\n</header>\n",
        escape(&r.name)
    )
}

/// The SLO's objectives, e.g. "p99 ≤ 400 ms, success ≥ 99.9 %".
fn slo_text(run: &RunFolder) -> String {
    let Some(slo) = &run.resolved.slo else { return "none".to_string() };
    let parts: Vec<String> = [
        slo.p99_ms.map(|p| format!("p99 ≤ {} ms", fixed(p, 3))),
        slo.success.map(|s| format!("success ≥ {} %", fixed(s * 100.0, 4))),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() { "none".to_string() } else { parts.join(", ") }
}

/// A number with its 95 % half-width, where there is one.
fn with_ci(value: String, ci: Option<f64>, decimals: usize) -> String {
    match ci {
        Some(ci) => format!("{value} <span class=\"ci\">± {ci:.decimals$}</span>"),
        None => value,
    }
}

/// `ranking.csv`'s rows, in its order, with `summary.csv`'s intervals.
fn ranking(run: &RunFolder) -> String {
    let rows: String = run.ranking.iter().map(|r| ranking_row(run, r)).collect();
    let note = match run.resolved.replications >= 2 {
        true => format!(
            "<p class=\"note\">± is the half-width of a 95 % confidence interval over {} replications.</p>\n",
            run.resolved.replications
        ),
        false => {
            "<p class=\"note\">One replication: no confidence intervals (run with --replications 2 or more).</p>\n"
                .to_string()
        }
    };
    format!(
        "<section id=\"ranking\">\n<h2>Ranking</h2>\n<p>Ranked by: {}.</p>\n<div class=\"scroll\"><table>\n<thead><tr>\
         <th>Rank</th><th class=\"text\">Option</th><th class=\"text\">Kind</th><th>Cost over {} (USD)</th>\
         <th>Per month (USD)</th><th>p50 (ms)</th><th>p99 (ms)</th><th>Success</th><th class=\"text\">SLO</th>\
         </tr></thead>\n<tbody>\n{rows}</tbody>\n</table></div>\n{note}</section>\n",
        escape(RULE),
        escape(&run.resolved.horizon)
    )
}

fn ranking_row(run: &RunFolder, r: &RankingRow) -> String {
    let s = run.summary_of(&r.option);
    let ci = |f: fn(&SummaryRow) -> Option<f64>| s.and_then(f).filter(|_| run.resolved.replications >= 2);
    let (class, verdict) = verdict(run, r);
    let number = |cell: String| format!("<td>{cell}</td>");
    let text = |cell: &str| format!("<td class=\"text\">{}</td>", escape(cell));
    let cells = [
        number(r.rank.to_string()),
        text(&r.option),
        text(&r.kind),
        number(with_ci(format!("{:.2}", r.total_cost_usd), ci(|s| s.total_cost_usd_ci95), 2)),
        number(with_ci(format!("{:.2}", r.cost_per_month_usd), ci(|s| s.cost_per_month_usd_ci95), 2)),
        number(r.p50_ms.map(|p| format!("{p:.1}")).unwrap_or_default()),
        number(with_ci(r.p99_ms.map(|p| format!("{p:.1}")).unwrap_or_default(), ci(|s| s.p99_ms_ci95), 1)),
        number(r.success_ratio.map(|s| format!("{} %", fixed(s * 100.0, 3))).unwrap_or_default()),
        format!("<td class=\"text verdict\">{verdict}</td>"),
    ]
    .concat();
    format!("<tr class=\"{class}\">{cells}</tr>\n")
}

/// The row's class and its SLO cell: met, or which objective is missed and by how much.
fn verdict(run: &RunFolder, r: &RankingRow) -> (&'static str, String) {
    match r.meets_slo {
        None => ("", "no SLO".to_string()),
        Some(true) => ("meets", "meets".to_string()),
        Some(false) => {
            let slo = run.resolved.slo.as_ref();
            let why: Vec<String> = r
                .slo_missed
                .split('+')
                .map(|missed| match (missed, slo) {
                    ("p99", Some(slo)) => format!(
                        "p99 {} ms &gt; {} ms",
                        r.p99_ms.map(|p| format!("{p:.1}")).unwrap_or_default(),
                        slo.p99_ms.map(|p| fixed(p, 3)).unwrap_or_default()
                    ),
                    ("success", Some(slo)) => format!(
                        "success {} % &lt; {} %",
                        r.success_ratio.map(|s| fixed(s * 100.0, 3)).unwrap_or_default(),
                        slo.success.map(|s| fixed(s * 100.0, 4)).unwrap_or_default()
                    ),
                    (other, _) => escape(other),
                })
                .collect();
            ("misses", format!("<strong>misses</strong> {}", why.join("; ")))
        }
    }
}

/// Each option's costs by category (`costs.csv`), over the horizon and per month.
fn costs(run: &RunFolder) -> String {
    let cards: String = run.ranking.iter().map(|r| cost_card(run, r)).collect();
    format!(
        "<section id=\"costs\">\n<h2>Costs by category</h2>\n<p>Over the horizon ({}) and per 730-hour month, \
         in ranking order.</p>\n<div class=\"cards\">\n{cards}</div>\n</section>\n",
        escape(&run.resolved.horizon)
    )
}

fn cost_card(run: &RunFolder, r: &RankingRow) -> String {
    let meta = match run.summary_of(&r.option).map(|s| s.region.as_str()).filter(|region| !region.is_empty()) {
        Some(region) => format!("{} · {}", escape(&r.kind), escape(region)),
        None => escape(&r.kind),
    };
    let total = r.total_cost_usd;
    // A category's monthly cost is its share of the option's.
    let rows: String = run
        .costs
        .iter()
        .filter(|c| c.option == r.option)
        .map(|c| {
            let share = if total > 0.0 { c.usd / total } else { 0.0 };
            format!(
                "<tr><td class=\"text\">{}</td><td>{:.2}</td><td>{:.2}</td><td>{:.1} %</td></tr>\n",
                escape(&c.category),
                c.usd,
                share * r.cost_per_month_usd,
                share * 100.0
            )
        })
        .collect();
    format!(
        "<article class=\"card\">\n<h3>{}</h3>\n<p class=\"meta\">{meta}</p>\n<table>\n<thead><tr><th class=\"text\">Category</th>\
         <th>USD</th><th>USD / month</th><th>Share</th></tr></thead>\n<tbody>\n{rows}</tbody>\n\
         <tfoot><tr><th class=\"text\">Total</th><td>{total:.2}</td><td>{:.2}</td><td></td></tr></tfoot>\n</table>\n</article>\n",
        escape(&r.option),
        r.cost_per_month_usd
    )
}

/// What each chart shows, by file name.
fn caption(file: &str) -> &str {
    match file {
        "cost.png" => "Cumulative cost over the horizon",
        "latency.png" => "Response time percentiles over time",
        "latency_cdf.png" => "Distribution of response times (CDF)",
        "capacity.png" => "Offered load and capacity over time",
        "tradeoff.png" => "Cost against p99 response time (hollow: misses the SLO)",
        "cost_breakdown.png" => "Cost by category",
        "carbon.png" => "Emissions by scope (location-based)",
        other => other,
    }
}

/// The charts inline, or why there are none.
fn charts(run: &RunFolder) -> String {
    let body = match &run.charts {
        None => "<p class=\"note\">Charts were not drawn: the run was made with --no-charts. Draw them with \
                 <code>hostsim chart DIR</code>, then <code>hostsim report DIR</code> puts them here.</p>\n"
            .to_string(),
        Some(charts) => charts
            .iter()
            .map(|(file, png)| {
                let caption = escape(caption(file));
                format!(
                    "<figure>\n<img src=\"data:image/png;base64,{}\" alt=\"{caption}\">\n<figcaption>{caption} \
                     <span class=\"file\">(charts/{})</span></figcaption>\n</figure>\n",
                    base64(png),
                    escape(file)
                )
            })
            .collect(),
    };
    format!("<section id=\"charts\">\n<h2>Charts</h2>\n{body}</section>\n")
}

/// `resolved.toml`, folded.
fn scenario(run: &RunFolder) -> String {
    format!(
        "<section id=\"scenario\">\n<h2>The scenario as run</h2>\n<details>\n<summary>resolved.toml: every default \
         filled in ({} lines)</summary>\n<pre><code>{}</code></pre>\n</details>\n</section>\n",
        run.resolved_text.lines().count(),
        escape(&run.resolved_text)
    )
}

/// Which hostsim ran it, and how.
fn footer(run: &RunFolder) -> String {
    let command = match &run.command_line {
        Some(c) => format!("<code>{}</code>", escape(c)),
        None => "not recorded (the folder was written before hostsim recorded it)".to_string(),
    };
    format!(
        "<footer>\n<dl>\n<div><dt>hostsim</dt><dd>{}</dd></div>\n<div><dt>Command line</dt><dd>{command}</dd></div>\n\
         </dl>\n</footer>\n",
        escape(&run.resolved.hostsim_version)
    )
}

#[cfg(test)]
mod tests {
    use super::folder::{Resolved, RunFolder, Slo};
    use super::*;

    fn run(slo: Option<Slo>) -> RunFolder {
        RunFolder {
            resolved: Resolved {
                hostsim_version: "9.9.9".into(),
                name: "n".into(),
                horizon: "1d".into(),
                seed: toml::Value::Integer(1),
                replications: 1,
                slo,
            },
            resolved_text: String::new(),
            description: String::new(),
            command_line: None,
            summary: Vec::new(),
            ranking: Vec::new(),
            costs: Vec::new(),
            charts: None,
        }
    }

    fn row(meets: Option<bool>, missed: &str) -> RankingRow {
        RankingRow {
            p99_ms: Some(612.34),
            success_ratio: Some(0.98765),
            meets_slo: meets,
            slo_missed: missed.into(),
            ..RankingRow::default()
        }
    }

    #[test]
    fn a_miss_says_which_objective_and_by_how_much() {
        let both = run(Some(Slo { p99_ms: Some(400.0), success: Some(0.999) }));
        assert_eq!(
            verdict(&both, &row(Some(false), "p99+success")),
            ("misses", "<strong>misses</strong> p99 612.3 ms &gt; 400 ms; success 98.765 % &lt; 99.9 %".to_string())
        );
        assert_eq!(verdict(&both, &row(Some(true), "")), ("meets", "meets".to_string()));
        assert_eq!(verdict(&run(None), &row(None, "")), ("", "no SLO".to_string()));
        assert_eq!(slo_text(&both), "p99 ≤ 400 ms, success ≥ 99.9 %");
        assert_eq!(slo_text(&run(Some(Slo { p99_ms: None, success: Some(0.5) }))), "success ≥ 50 %");
        assert_eq!(slo_text(&run(None)), "none");
    }

    #[test]
    fn the_page_says_what_is_missing() {
        let page = page(&run(None));
        assert!(page.contains("Charts were not drawn"), "{page}");
        assert!(page.contains("not recorded"), "{page}");
        assert!(page.starts_with("<!DOCTYPE html>") && page.ends_with("</html>\n"));
    }
}
