//! `hostsim catalog`: every entry with its price, vCPUs, source and date, as
//! an aligned table (sources as numbered notes below it) or as CSV. Returns
//! text; printing is the caller's business.

mod carbon;
mod serverless;

use serde::Serialize;

use crate::catalog::reference::{REFERENCES, Topic};
use crate::catalog::reserved::{self, Payment, Term};
use crate::catalog::spot::{self, BAND_PROVENANCE, PRICE_PROVENANCE};
use crate::catalog::vps::VpsPlan;
use crate::catalog::{Catalog, Provenance, ebs, ec2, egress, elb, heroku_postgres, rds, specpower};
use crate::cli::{CatalogArgs, Format, Section};
use crate::error::AppError;
use crate::scenario;
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
pub fn render(args: &CatalogArgs) -> Result<String, AppError> {
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

/// One section's rows; `region` is the AWS region of `--region`, which
/// regional tables filter by and the others ignore.
type SectionRows = fn(&Catalog, Option<&str>) -> Vec<Row>;

/// Every section and its printer, in the order they are listed.
const SECTIONS: &[(Section, SectionRows)] = &[
    (Section::Ec2, ec2_rows),
    (Section::Vps, vps_rows),
    (Section::Dyno, dyno_rows),
    (Section::Reserved, |_, r| reserved_rows(r)),
    (Section::Ebs, |_, _| ebs_rows().collect()),
    (Section::Elb, |_, _| elb_rows()),
    (Section::Power, |_, _| power_rows()),
    (Section::Colo, |_, _| reference_rows(Topic::Colo, "colo")),
    (Section::Spot, spot_rows),
    (Section::Egress, egress_rows),
    (Section::Serverless, serverless::rows),
    (Section::Database, |_, r| database_rows(r)),
    (Section::Carbon, |_, r| carbon::rows(r)),
];

/// The entries of `section` (all when `None`) for the AWS region `region`
/// (an AWS region name; `None`: each regional table's default), in a fixed order.
pub fn rows(catalog: &Catalog, section: Option<Section>, region: Option<&str>) -> Vec<Row> {
    let wanted = |s: Section| section.is_none_or(|w| w == s);
    SECTIONS.iter().filter(|(s, _)| wanted(*s)).flat_map(|(_, printer)| printer(catalog, region)).collect()
}

/// `hostsim --version`'s long text: the version, then the dates of each
/// section's built-in prices (distinct dates, oldest first), so a bill can be
/// traced to the price list it used.
pub fn version_text(version: &str) -> String {
    use clap::ValueEnum;
    let catalog = Catalog::builtin();
    let mut text = format!("{version}\nbuilt-in prices (hostsim catalog lists each with its source):");
    for (section, printer) in SECTIONS {
        let mut dates: Vec<String> = printer(&catalog, None).into_iter().map(|r| r.date).collect();
        dates.sort();
        dates.dedup();
        let name = section.to_possible_value().map(|v| v.get_name().to_string()).unwrap_or_default();
        text.push_str(&format!("\n  {name:<11} {}", dates.join(", ")));
    }
    text
}

/// EC2 types priced in `region` (default us-east-1).
fn ec2_rows(catalog: &Catalog, region: Option<&str>) -> Vec<Row> {
    let region = region.unwrap_or(ec2::US_EAST_1);
    catalog
        .ec2_types(region)
        .into_iter()
        .map(|t| Row {
            kind: "ec2",
            name: t.name.to_string(),
            vcpus: t.vcpus.map_or_else(String::new, |v| v.to_string()),
            price: t.hourly_usd.to_string(),
            unit: "USD/hour",
            memory_gb: String::new(),
            notes: format!("{region} Linux on-demand; {}", t.vcpu_source.note()),
            ..provenance(&t.provenance)
        })
        .collect()
}

/// VPS plans (not regional).
fn vps_rows(catalog: &Catalog, _region: Option<&str>) -> Vec<Row> {
    catalog
        .vps_plans()
        .into_iter()
        .map(|p| Row {
            kind: "vps",
            name: p.id.to_string(),
            vcpus: p.vcpus.to_string(),
            price: p.monthly_usd.to_string(),
            unit: "USD/month",
            memory_gb: p.memory_gb.to_string(),
            notes: vps_notes(&p),
            ..provenance(&p.provenance)
        })
        .collect()
}

/// Heroku dyno types (not regional).
fn dyno_rows(catalog: &Catalog, _region: Option<&str>) -> Vec<Row> {
    catalog
        .dynos()
        .into_iter()
        .map(|d| {
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
        })
        .collect()
}

/// The reference figures of one topic (not regional).
fn reference_rows(topic: Topic, kind: &'static str) -> Vec<Row> {
    REFERENCES
        .iter()
        .filter(|r| r.topic == topic)
        .map(|r| Row {
            kind,
            name: r.id.to_string(),
            vcpus: String::new(),
            price: r.value.to_string(),
            unit: r.unit,
            memory_gb: String::new(),
            notes: r.what.to_string(),
            ..provenance(&r.provenance)
        })
        .collect()
}

/// The power reference figures, then the SPECpower groups `draw = "specpower"`
/// reads: each group's idle and full-load watts.
fn power_rows() -> Vec<Row> {
    let mut rows = reference_rows(Topic::Power, "power");
    for g in specpower::groups() {
        let sockets = specpower::sockets_label(g.sockets);
        let group = format!("specpower-{sockets}s-{}-{}c", g.cores_lo, g.cores_hi);
        for (state, watts) in [("idle", g.idle_w), ("max", g.max_w)] {
            rows.push(Row {
                kind: "power",
                name: format!("{group}-{state}"),
                vcpus: g.cores_median.to_string(),
                price: watts.to_string(),
                unit: "W",
                notes: format!(
                    "{sockets}-socket servers of {} to {} cores, median of {} results ({}; vcpus: the median server's cores); power.draw = \"specpower\"",
                    g.cores_lo,
                    g.cores_hi,
                    g.results,
                    if state == "idle" { "active idle" } else { "100 % load" }
                ),
                ..provenance(&specpower::PROVENANCE)
            });
        }
    }
    rows
}

/// AWS's free allowance, then each region's internet egress tiers (in `region` only, when given).
fn egress_rows(_catalog: &Catalog, region: Option<&str>) -> Vec<Row> {
    let mut rows = vec![Row {
        kind: "egress",
        name: "free per month".into(),
        price: egress::FREE_GB_PER_MONTH.to_string(),
        unit: "GB/month",
        notes: "AWS data transfer out to the internet, per option (GB = 2^30 bytes)".into(),
        ..provenance(&egress::FREE)
    }];
    for r in egress::all().iter().filter(|r| region.is_none_or(|w| w == r.region)) {
        rows.extend((0..4).map(|k| Row {
            kind: "egress",
            name: format!("{} {}", r.region, egress::TIER_NAMES[k]),
            price: r.usd_per_gb[k].to_string(),
            unit: "USD/GB",
            notes: "internet egress, by the month's volume (TB = 1,024 GB of 2^30 bytes)".into(),
            ..provenance(&r.provenance[k])
        }));
    }
    rows
}

/// Two rows per instance type and region (in `region` only, when given): its
/// spot price, and its interruption band as the hazard hostsim uses, each
/// with its own source and date.
fn spot_rows(catalog: &Catalog, region: Option<&str>) -> Vec<Row> {
    let mut rows = Vec::new();
    for (name, r, e) in spot::entries().filter(|(_, r, _)| region.is_none_or(|w| w == *r)) {
        let vcpus = catalog.ec2_vcpus(name).map_or_else(String::new, |v| v.to_string());
        if let Some(p) = e.price {
            let saving = p.saving_pct.map_or_else(String::new, |s| format!("; {s} % below on-demand"));
            rows.push(Row {
                kind: "spot",
                name: name.to_string(),
                vcpus: vcpus.clone(),
                price: p.usd_per_hour.to_string(),
                unit: "USD/hour",
                notes: format!("{r}; average spot price (Linux){saving}"),
                ..provenance(&PRICE_PROVENANCE)
            });
        }
        if let Some(band) = e.band {
            rows.push(Row {
                kind: "spot",
                name: name.to_string(),
                vcpus,
                price: band.interruptions_per_month().to_string(),
                unit: "interruptions/month",
                notes: format!("{r}; {} of instances interrupted a month (hostsim: the band's midpoint)", band.label()),
                ..provenance(&BAND_PROVENANCE)
            });
        }
    }
    rows
}

/// A VPS plan's hourly price and, where sourced, its transfer allowance with its own source.
fn vps_notes(p: &VpsPlan) -> String {
    let mut notes = format!("{}; {} USD per started hour up to the monthly price", p.provider, p.hourly_usd);
    if let Some(t) = &p.transfer {
        notes.push_str(&format!(
            "; transfer {} GB a month per instance (accrues over {} h, pooled), then {} USD/GB{} (source: {}, {})",
            t.gb_per_month,
            t.full_after_hours,
            t.overage_usd_per_gb,
            t.sao_paulo_overage_usd_per_gb.map_or_else(String::new, |s| format!(", {s} in sao_paulo")),
            t.provenance.source,
            t.provenance.date
        ));
    }
    notes
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

/// Managed databases: RDS classes (both engines) and storage in `region`
/// (default us-east-1), then the Heroku Postgres plans (not regional).
fn database_rows(region: Option<&str>) -> Vec<Row> {
    let region = region.unwrap_or("us-east-1");
    let mut rows: Vec<Row> = rds::classes_in(region)
        .map(|c| {
            let mut notes = format!("{region} RDS for {}", c.engine.as_str());
            if let Some(m) = c.multi_az_usd_per_hour {
                notes.push_str(&format!("; Multi-AZ {m} USD/hour"));
            }
            if let Some(n) = rds::max_connections(c.engine, c.name) {
                notes.push_str(&format!("; max_connections at most {n}"));
            }
            Row {
                kind: "database",
                name: format!("{} {}", c.engine.as_str(), c.name),
                vcpus: c.vcpus.to_string(),
                price: c.single_az_usd_per_hour.to_string(),
                unit: "USD/hour",
                memory_gb: trimmed(c.memory_gib),
                notes,
                ..provenance(&rds::PROVENANCE)
            }
        })
        .collect();
    for engine in rds::Engine::ALL {
        for storage in rds::STORAGE_TYPES {
            let Some(usd) = rds::storage_usd_per_gb_month(region, engine, storage, false) else { continue };
            rows.push(Row {
                kind: "database",
                name: format!("{} storage {storage}", engine.as_str()),
                price: usd.to_string(),
                unit: "USD/GB-month",
                notes: if storage == "backup" {
                    format!("{region} RDS for {}; backup snapshot storage", engine.as_str())
                } else {
                    format!("{region} RDS for {}; Multi-AZ twice", engine.as_str())
                },
                ..provenance(&rds::PROVENANCE)
            });
        }
    }
    rows.extend(heroku_postgres::plans().iter().map(|p| Row {
        kind: "database",
        name: format!("heroku-postgres {}", p.name),
        vcpus: p.vcpus.map_or_else(String::new, trimmed),
        price: p.usd_per_month.to_string(),
        unit: "USD/month",
        memory_gb: p.memory_gb.map_or_else(String::new, trimmed),
        notes: format!(
            "{} GB storage; {} connections{}",
            p.storage_gb,
            p.connection_limit,
            if p.high_availability { "; high availability (standby)" } else { "" }
        ),
        ..provenance(&heroku_postgres::PROVENANCE)
    }));
    rows
}

/// A row with only its source and date filled in.
pub(crate) fn provenance(p: &Provenance) -> Row {
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
        for kind in [
            "ec2",
            "vps",
            "dyno",
            "reserved",
            "ebs",
            "elb",
            "power",
            "colo",
            "spot",
            "egress",
            "lambda",
            "cloud_run",
            "cold_start",
        ] {
            assert!(rows.iter().any(|r| r.kind == kind), "no {kind} rows");
        }
        for r in &rows {
            assert!(!r.source.is_empty() && !r.date.is_empty() && !r.price.is_empty(), "{r:?}");
        }
        let m5 = rows.iter().find(|r| r.name == "m5.large").unwrap();
        assert_eq!((m5.vcpus.as_str(), m5.price.as_str(), m5.unit), ("2", "0.096", "USD/hour"));
        let cell = |name: &str| {
            let r = rows.iter().find(|r| r.name == name).unwrap_or_else(|| panic!("no {name}"));
            (r.price.clone(), r.unit)
        };
        // RDS db.t3.large PostgreSQL in us-east-1 at $0.145/h; Heroku Postgres Standard-0 at $50/month.
        assert_eq!(cell("postgresql db.t3.large"), ("0.145".into(), "USD/hour"));
        assert_eq!(cell("postgresql storage gp3"), ("0.115".into(), "USD/GB-month"));
        assert_eq!(cell("heroku-postgres standard-0"), ("50".into(), "USD/month"));
    }

    #[test]
    fn power_lists_the_specpower_groups() {
        let power = rows(&Catalog::builtin(), Some(Section::Power), None);
        let spec: Vec<&Row> = power.iter().filter(|r| r.name.starts_with("specpower-")).collect();
        // Two rows (idle, max) for each of the 8 groups of 2018–21.
        assert_eq!(spec.len(), 2 * 8);
        let find = |name: &str| spec.iter().find(|r| r.name == name).map(|r| (r.price.as_str(), r.vcpus.as_str()));
        assert_eq!(find("specpower-2s-33-64c-idle"), Some(("53.5", "56")));
        assert_eq!(find("specpower-2s-33-64c-max"), Some(("411", "56")));
        assert_eq!(find("specpower-4+s-129-256c-max"), Some(("1805.5", "224")));
        assert!(spec.iter().all(|r| r.date == "2018-2021" && r.source.contains("SPECpower") && r.unit == "W"));
        assert!(spec[0].notes.contains("median of 9 results"), "{:?}", spec[0]);
    }

    #[test]
    fn ebs_and_elb_list_their_tables() {
        let ebs = rows(&Catalog::builtin(), Some(Section::Ebs), None);
        assert_eq!(ebs.len(), crate::catalog::ebs::all().len());
        let gp3 = csv(&ebs);
        assert!(
            gp3.contains("ebs,gp3,,0.005,USD/IOPS-month,,us-east-1 Provisioned IOPS; IOPS above the free 3000,"),
            "{gp3}"
        );
        assert!(ebs.iter().all(|r| r.date == "2024-07-01"));
        let elb = rows(&Catalog::builtin(), Some(Section::Elb), None);
        let find = |name: &str| elb.iter().find(|r| r.name == name).map(|r| (r.price.as_str(), r.unit));
        assert_eq!(find("alb-hour"), Some(("0.0225", "USD/hour")));
        assert_eq!(find("alb-lcu-hour"), Some(("0.008", "USD/LCU-hour")));
        assert_eq!(find("alb-lcu-new-connections"), Some(("25", "new connections/s")));
        assert_eq!(find("alb-free-rules"), Some(("10", "rules")));
    }

    #[test]
    fn sections_filter_and_formats_render() {
        let dynos = rows(&Catalog::builtin(), Some(Section::Dyno), None);
        // 6 Common Runtime types of 2023, Performance-L-RAM, -XL, -2XL and 17 Fir sizes.
        assert_eq!(dynos.len(), 6 + 3 + 17);
        let csv = csv(&dynos);
        assert!(csv.starts_with("kind,name,vcpus,price,unit,memory_gb,notes,source,date\n"), "{csv}");
        assert!(csv.contains("dyno,performance-m,2,250,USD/month,2.5,"), "{csv}");
        assert!(csv.contains("sleeps after 30 min idle; the price buys 1000 dyno-hours a month"), "{csv}");
        let table = table(&dynos);
        let lines: Vec<&str> = table.lines().collect();
        // The name column is as wide as "performance-l-ram"; numbers are right-aligned.
        assert!(lines[0].starts_with("kind  name               vcpus  price"), "{table}");
        assert!(table.contains("standard-2x         0.83     50  USD/month"), "{table}");
        assert!(table.contains("\nSources:\n[1] "), "{table}");
    }

    #[test]
    fn spot_prices_and_bands_by_region() {
        let spot = rows(&Catalog::builtin(), Some(Section::Spot), Some("us-east-1"));
        let m5: Vec<&Row> = spot.iter().filter(|r| r.name == "m5.large").collect();
        // The price ($0.04366, 59 % below on-demand, 2026-05-12) and the 15-20 % band as 0.175 a month (2025-06-28).
        let cells = |r: &Row| (r.vcpus.clone(), r.price.clone(), r.unit, r.date.clone());
        assert_eq!(
            m5.iter().map(|r| cells(r)).collect::<Vec<_>>(),
            [
                ("2".into(), "0.04366".into(), "USD/hour", "2026-05-12".into()),
                ("2".into(), "0.175".into(), "interruptions/month", "2025-06-28".into())
            ]
        );
        assert!(m5[0].notes.starts_with("us-east-1; ") && m5[0].notes.contains("59 % below on-demand"), "{:?}", m5[0]);
        assert!(m5[1].notes.contains("15-20% of instances interrupted a month"), "{:?}", m5[1]);
        assert!(spot.iter().all(|r| r.notes.starts_with("us-east-1; ")));
        // Without a region, every region's rows: m5.large is priced in 20 and banded in 29.
        let all = rows(&Catalog::builtin(), Some(Section::Spot), None);
        assert_eq!(all.iter().filter(|r| r.name == "m5.large").count(), 20 + 29);
        let table = table(&spot);
        assert!(
            table.contains("[1] us-east-1; average spot price") && table.contains("[2] us-east-1; 15-20%"),
            "{table}"
        );
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
