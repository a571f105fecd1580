//! `hostsim catalog`: every entry with its price, vCPUs, source and date, as
//! an aligned table (sources as numbered notes below it) or as CSV. Returns
//! text; printing is the caller's business.

use serde::Serialize;

use crate::catalog::reference::{REFERENCES, Topic};
use crate::catalog::reserved::{self, Payment, Term};
use crate::catalog::{Catalog, Provenance, ec2};
use crate::cli::{CatalogArgs, Format, Section};
use crate::error::AppError;
use crate::scenario::{self, ScenarioError};
use crate::stdout::Printer;

/// One listed entry; the CSV columns, in order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    pub kind: &'static str,
    pub name: String,
    /// Empty when unknown.
    pub vcpus: String,
    pub price: String,
    pub unit: &'static str,
    pub memory_gb: String,
    pub notes: String,
    pub source: String,
    pub date: String,
}

/// Runs `hostsim catalog`: prints the built-ins, with `--catalog FILE`'s
/// entries over them, to `out`.
pub fn command(args: &CatalogArgs, out: &mut Printer) -> Result<(), AppError> {
    out.print(&render(args)?);
    Ok(())
}

/// The text `hostsim catalog` prints.
pub fn render(args: &CatalogArgs) -> Result<String, ScenarioError> {
    let catalog = match &args.catalog {
        Some(path) => Catalog::new(scenario::load_catalog(path)?),
        None => Catalog::builtin(),
    };
    let rows = rows(&catalog, args.kind, args.region);
    Ok(match args.format {
        Format::Table => table(&rows),
        Format::Csv => csv(&rows),
    })
}

/// The entries of `section` (all when `None`), in a fixed order; `region`
/// is the AWS region of `--region`, which regional tables filter by.
pub fn rows(catalog: &Catalog, section: Option<Section>, region: Option<&str>) -> Vec<Row> {
    let wanted = |s: Section| section.is_none_or(|w| w == s);
    let mut rows = Vec::new();
    if wanted(Section::Ec2) {
        rows.extend(catalog.ec2_types().into_iter().map(|t| Row {
            kind: "ec2",
            name: t.name.to_string(),
            vcpus: t.vcpus.map_or_else(String::new, |v| v.to_string()),
            price: t.hourly_usd.to_string(),
            unit: "USD/hour",
            memory_gb: String::new(),
            notes: format!("us-east-1 Linux on-demand; {}", t.vcpu_source.note()),
            ..provenance(&t.provenance)
        }));
    }
    if wanted(Section::Vps) {
        rows.extend(catalog.vps_plans().into_iter().map(|p| Row {
            kind: "vps",
            name: p.id.to_string(),
            vcpus: p.vcpus.to_string(),
            price: p.monthly_usd.to_string(),
            unit: "USD/month",
            memory_gb: p.memory_gb.to_string(),
            notes: format!("{}; {} USD per started hour up to the monthly price", p.provider, p.hourly_usd),
            ..provenance(&p.provenance)
        }));
    }
    if wanted(Section::Dyno) {
        rows.extend(catalog.dynos().into_iter().map(|d| {
            let mut notes = format!("{} slot(s) at {:.2} of a vCPU", d.vcpus, d.cpu_share);
            notes.push_str(if d.autoscaling { "; autoscaling" } else { "; no autoscaling" });
            if d.sleeps {
                notes.push_str("; sleeps after 30 min idle");
            }
            if let Some(hours) = d.pool_hours {
                notes.push_str(&format!("; the price buys {hours} dyno-hours a month shared by all dynos"));
            }
            Row {
                kind: "dyno",
                name: d.id.to_string(),
                vcpus: trimmed(d.effective_vcpus()),
                price: d.monthly_usd.to_string(),
                unit: "USD/month",
                memory_gb: d.memory_gb.to_string(),
                notes,
                ..provenance(&d.provenance)
            }
        }));
    }
    if wanted(Section::Reserved) {
        rows.extend(reserved_rows(region));
    }
    for (topic, kind) in [(Topic::Power, "power"), (Topic::Colo, "colo")] {
        let section = if topic == Topic::Power { Section::Power } else { Section::Colo };
        if wanted(section) {
            rows.extend(REFERENCES.iter().filter(|r| r.topic == topic).map(|r| Row {
                kind,
                name: r.id.to_string(),
                vcpus: String::new(),
                price: r.value.to_string(),
                unit: r.unit,
                memory_gb: String::new(),
                notes: r.what.to_string(),
                ..provenance(&r.provenance)
            }));
        }
    }
    rows
}

/// The reserved-instance rates of one AWS region (us-east-1 without one).
fn reserved_rows(region: Option<&str>) -> Vec<Row> {
    let region = region.unwrap_or("us-east-1");
    let rates = reserved::all().iter().filter(|r| r.region == region);
    rates
        .map(|r| {
            let hours = match r.term {
                Term::OneYear => 8_760,
                Term::ThreeYear => 26_280,
            };
            let how = match r.payment {
                Payment::AllUpfront => format!("effective rate: the upfront fee / {hours} h"),
                _ => "the hourly fee, nothing upfront".to_string(),
            };
            let mut notes = format!("{}; standard {} {}; {how}", r.region, r.term.as_str(), r.payment.as_str());
            if let Some(od) = r.ondemand_usd_per_hour {
                notes.push_str(&format!("; on-demand {od} ({:.1} % off)", 100.0 * (1.0 - r.usd_per_hour / od)));
            }
            Row {
                kind: "reserved",
                name: r.instance.to_string(),
                vcpus: ec2::instance(&r.instance).and_then(|t| t.vcpus).map_or_else(String::new, |v| v.to_string()),
                price: r.usd_per_hour.to_string(),
                unit: "USD/hour",
                memory_gb: String::new(),
                notes,
                ..provenance(&r.provenance)
            }
        })
        .collect()
}

/// A row with only its source and date filled in.
fn provenance(p: &Provenance) -> Row {
    Row {
        kind: "",
        name: String::new(),
        vcpus: String::new(),
        price: String::new(),
        unit: "",
        memory_gb: String::new(),
        notes: String::new(),
        source: p.source.to_string(),
        date: p.date.to_string(),
    }
}

/// Two decimals without trailing zeros: 2, 0.42, 0.83.
fn trimmed(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// CSV with a header row.
pub fn csv(rows: &[Row]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        // Writing to a Vec cannot fail.
        let _ = w.serialize(row);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Aligned columns; each distinct source gets a number, listed below.
pub fn table(rows: &[Row]) -> String {
    let mut sources: Vec<&str> = Vec::new();
    let cells: Vec<[String; 8]> = rows
        .iter()
        .map(|r| {
            let n = match sources.iter().position(|s| *s == r.source) {
                Some(i) => i + 1,
                None => {
                    sources.push(&r.source);
                    sources.len()
                }
            };
            let vcpus = if r.vcpus.is_empty() && r.kind == "ec2" { "?".to_string() } else { r.vcpus.clone() };
            [
                r.kind.to_string(),
                r.name.clone(),
                vcpus,
                r.price.clone(),
                r.unit.to_string(),
                r.memory_gb.clone(),
                r.date.clone(),
                format!("[{n}] {}", r.notes),
            ]
        })
        .collect();
    let header = ["kind", "name", "vcpus", "price", "unit", "memory_gb", "date", "source, notes"];
    let mut widths = header.map(str::len);
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[String]| {
        let mut text = String::new();
        for (i, c) in cells.iter().enumerate() {
            let pad = widths[i].saturating_sub(c.chars().count());
            match i {
                2 | 3 | 5 => text.push_str(&format!("{}{c}  ", " ".repeat(pad))),
                7 => text.push_str(c),
                _ => text.push_str(&format!("{c}{}  ", " ".repeat(pad))),
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&header.map(String::from));
    for row in &cells {
        line(row);
    }
    if !sources.is_empty() {
        out.push_str("\nSources:\n");
        for (i, s) in sources.iter().enumerate() {
            out.push_str(&format!("[{}] {s}\n", i + 1));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_has_a_price_a_source_and_a_date() {
        let rows = rows(&Catalog::builtin(), None, None);
        for kind in ["ec2", "vps", "dyno", "reserved", "power", "colo"] {
            assert!(rows.iter().any(|r| r.kind == kind), "no {kind} rows");
        }
        for r in &rows {
            assert!(!r.source.is_empty() && !r.date.is_empty() && !r.price.is_empty(), "{r:?}");
        }
        let m5 = rows.iter().find(|r| r.name == "m5.large").unwrap();
        assert_eq!((m5.vcpus.as_str(), m5.price.as_str(), m5.unit), ("2", "0.096", "USD/hour"));
    }

    #[test]
    fn sections_filter_and_formats_render() {
        let dynos = rows(&Catalog::builtin(), Some(Section::Dyno), None);
        assert_eq!(dynos.len(), 6);
        let csv = csv(&dynos);
        assert!(csv.starts_with("kind,name,vcpus,price,unit,memory_gb,notes,source,date\n"), "{csv}");
        assert!(csv.contains("dyno,performance-m,2,250,USD/month,2.5,"), "{csv}");
        assert!(csv.contains("sleeps after 30 min idle; the price buys 1000 dyno-hours a month"), "{csv}");
        let table = table(&dynos);
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[0].starts_with("kind  name           vcpus  price"), "{table}");
        assert!(table.contains("standard-2x     0.83     50  USD/month"), "{table}");
        assert!(table.contains("\nSources:\n[1] "), "{table}");
    }

    #[test]
    fn reserved_rates_by_region() {
        // us-east-1 by default: m5.large 1y all upfront $0.056393 (41.3 % off $0.096), and t3.medium's no-upfront rate.
        let us = rows(&Catalog::builtin(), Some(Section::Reserved), None);
        let m5: Vec<&Row> = us.iter().filter(|r| r.name == "m5.large").collect();
        assert_eq!(m5.len(), 2, "1y and 3y");
        assert_eq!((m5[0].price.as_str(), m5[0].vcpus.as_str(), m5[0].date.as_str()), ("0.056393", "2", "2026-05-12"));
        assert!(
            m5[0].notes.starts_with("us-east-1; standard 1y all_upfront; effective rate: the upfront fee / 8760 h")
        );
        assert!(m5[0].notes.ends_with("on-demand 0.096 (41.3 % off)"), "{}", m5[0].notes);
        let t3 = us.iter().find(|r| r.name == "t3.medium" && r.notes.contains("no_upfront")).unwrap();
        assert_eq!((t3.price.as_str(), t3.date.as_str()), ("0.0261", "2024-07-01"));
        assert!(us.iter().all(|r| r.kind == "reserved" && r.notes.starts_with("us-east-1;")));
        // Another region: only its rows, each with its source.
        let london = rows(&Catalog::builtin(), Some(Section::Reserved), Some("eu-west-2"));
        assert!(!london.is_empty() && london.iter().all(|r| r.notes.starts_with("eu-west-2;") && !r.source.is_empty()));
        assert!(rows(&Catalog::builtin(), Some(Section::Reserved), Some("eu-south-1")).is_empty());
    }
}
