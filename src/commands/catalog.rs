//! `hostsim catalog`: every entry with its price, vCPUs, source and date, as
//! an aligned table (sources as numbered notes below it) or as CSV. Returns
//! text; printing is the caller's business.

use serde::Serialize;

use crate::catalog::reference::{REFERENCES, Topic};
use crate::catalog::{Catalog, Provenance};
use crate::catalog::{ebs, elb};
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
    let rows = rows(&catalog, args.kind);
    Ok(match args.format {
        Format::Table => table(&rows),
        Format::Csv => csv(&rows),
    })
}

/// The entries of `section` (all when `None`), in a fixed order.
pub fn rows(catalog: &Catalog, section: Option<Section>) -> Vec<Row> {
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
    if wanted(Section::Ebs) {
        rows.extend(ebs_rows());
    }
    if wanted(Section::Elb) {
        rows.extend(elb_rows());
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

/// The EBS table, saying which rows a `storage.kind` uses and how.
fn ebs_rows() -> impl Iterator<Item = Row> {
    ebs::all().iter().map(|p| {
        let unit = match p.unit.as_str() {
            "GB-month" => "USD/GB-month",
            "IOPS-month" => "USD/IOPS-month",
            "Mbps-month" => "USD/(MB/s)-month",
            _ => "USD/1M requests",
        };
        let usage = match (p.volume.as_str(), p.unit.as_str()) {
            ("gp3", "IOPS-month") => format!("IOPS above the free {}", ebs::GP3_FREE_IOPS),
            ("gp3", "Mbps-month") => format!("MB/s above the free {}", ebs::GP3_FREE_MBPS),
            ("gp2", _) => "its IOPS follow its size: 3 per GB, 100 to 16,000".into(),
            ("io2", "IOPS-month") => format!("AWS's first tier, up to {} IOPS", ebs::IO2_FIRST_TIER_IOPS),
            ("gp3" | "io1" | "io2", _) => "per provisioned unit".into(),
            _ => "listed for reference: not a storage kind here".into(),
        };
        Row {
            kind: "ebs",
            name: p.volume.clone(),
            price: p.usd.to_string(),
            unit,
            notes: format!("{} {}; {usage}", ebs::REGION, p.item),
            ..provenance(&p.provenance)
        }
    })
}

/// The ALB and NLB prices, then the four LCU dimensions and the free rules.
fn elb_rows() -> Vec<Row> {
    let mut rows: Vec<Row> = elb::all()
        .iter()
        .map(|p| {
            let hour = p.item == "load_balancer_hour";
            let use_note = if p.load_balancer == "alb" { "load_balancer = \"alb\"" } else { "not priced by hostsim" };
            Row {
                kind: "elb",
                name: format!("{}-{}", p.load_balancer, if hour { "hour" } else { "lcu-hour" }),
                price: p.usd.to_string(),
                unit: if hour { "USD/hour" } else { "USD/LCU-hour" },
                notes: format!("{} {}; {use_note}", elb::REGION, p.item),
                ..provenance(&p.provenance)
            }
        })
        .collect();
    let dimensions = [
        ("alb-lcu-new-connections", elb::NEW_CONNECTIONS_PER_S, "new connections/s", &elb::LCU_SOURCE),
        ("alb-lcu-active-connections", elb::ACTIVE_CONNECTIONS, "active connections", &elb::LCU_SOURCE),
        ("alb-lcu-processed-gb", elb::GB_PER_HOUR, "GB/hour", &elb::LCU_SOURCE),
        ("alb-lcu-rule-evaluations", elb::RULE_EVALUATIONS_PER_S, "rule evaluations/s", &elb::LCU_SOURCE),
        ("alb-free-rules", f64::from(elb::FREE_RULES), "rules", &elb::FREE_RULES_SOURCE),
    ];
    rows.extend(dimensions.into_iter().map(|(name, value, unit, source)| Row {
        kind: "elb",
        name: name.to_string(),
        price: value.to_string(),
        unit,
        notes: if name == "alb-free-rules" {
            "rules evaluated per request that are not billed".into()
        } else {
            "what one LCU buys (EC2 targets); an hour bills its largest dimension".into()
        },
        ..provenance(source)
    }));
    rows
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
        let rows = rows(&Catalog::builtin(), None);
        for kind in ["ec2", "vps", "dyno", "ebs", "elb", "power", "colo"] {
            assert!(rows.iter().any(|r| r.kind == kind), "no {kind} rows");
        }
        for r in &rows {
            assert!(!r.source.is_empty() && !r.date.is_empty() && !r.price.is_empty(), "{r:?}");
        }
        let m5 = rows.iter().find(|r| r.name == "m5.large").unwrap();
        assert_eq!((m5.vcpus.as_str(), m5.price.as_str(), m5.unit), ("2", "0.096", "USD/hour"));
    }

    #[test]
    fn ebs_and_elb_list_their_tables() {
        let ebs = rows(&Catalog::builtin(), Some(Section::Ebs));
        assert_eq!(ebs.len(), crate::catalog::ebs::all().len());
        let gp3 = csv(&ebs);
        assert!(
            gp3.contains("ebs,gp3,,0.005,USD/IOPS-month,,us-east-1 Provisioned IOPS; IOPS above the free 3000,"),
            "{gp3}"
        );
        assert!(ebs.iter().all(|r| r.date == "2024-07-01"));
        let elb = rows(&Catalog::builtin(), Some(Section::Elb));
        let find = |name: &str| elb.iter().find(|r| r.name == name).map(|r| (r.price.as_str(), r.unit));
        assert_eq!(find("alb-hour"), Some(("0.0225", "USD/hour")));
        assert_eq!(find("alb-lcu-hour"), Some(("0.008", "USD/LCU-hour")));
        assert_eq!(find("alb-lcu-new-connections"), Some(("25", "new connections/s")));
        assert_eq!(find("alb-free-rules"), Some(("10", "rules")));
    }

    #[test]
    fn sections_filter_and_formats_render() {
        let dynos = rows(&Catalog::builtin(), Some(Section::Dyno));
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
}
