//! `--optimize cost --subject-to slo`: per option, the cheapest point of the
//! sweep whose row meets the scenario's `[slo]` (`meets_slo = true`), as
//! `optimum.csv` and a small table on stdout.

use super::table::SweepTable;

/// The SLO limits, for the table's title.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SloLimits {
    /// `[slo] p99_ms`.
    pub p99_ms: Option<f64>,
    /// `[slo] success`.
    pub success: Option<f64>,
}

/// The answer for one option.
#[derive(Clone, Debug, PartialEq)]
pub struct Optimum {
    /// Option name.
    pub option: String,
    /// Row (in the sweep table) of the cheapest point meeting the SLO.
    pub best: Option<usize>,
    /// How many points meet the SLO.
    pub meeting: usize,
    /// Row with the lowest p99, to say how close the sweep came when none meets it.
    pub fastest: Option<usize>,
}

/// Column positions of the cells used here.
struct Cols {
    option: usize,
    cost: usize,
    cost_ci: usize,
    p99: usize,
    p99_ci: usize,
    success: usize,
    instances: usize,
    meets: usize,
}

fn cols(t: &SweepTable) -> Result<Cols, String> {
    let c = |name: &str| t.column(name).ok_or_else(|| format!("sweep.csv has no column {name}"));
    Ok(Cols {
        option: c("option")?,
        cost: c("total_cost_usd")?,
        cost_ci: c("total_cost_usd_ci95")?,
        p99: c("p99_ms")?,
        p99_ci: c("p99_ms_ci95")?,
        success: c("success_ratio")?,
        instances: c("mean_instances")?,
        meets: c("meets_slo")?,
    })
}

fn number(row: &[String], col: usize) -> Option<f64> {
    row.get(col).and_then(|s| s.parse::<f64>().ok()).filter(|v| v.is_finite())
}

/// Per option (in order of first appearance), the cheapest row meeting the
/// SLO; ties go to the earlier point.
pub fn find(t: &SweepTable) -> Result<Vec<Optimum>, String> {
    let c = cols(t)?;
    let mut out: Vec<Optimum> = Vec::new();
    for (i, row) in t.rows.iter().enumerate() {
        let name = row.get(c.option).cloned().unwrap_or_default();
        let pos = match out.iter().position(|o| o.option == name) {
            Some(pos) => pos,
            None => {
                out.push(Optimum { option: name, best: None, meeting: 0, fastest: None });
                out.len() - 1
            }
        };
        let o = &mut out[pos];
        let p99 = number(row, c.p99);
        if p99.is_some_and(|p| o.fastest.and_then(|f| number(&t.rows[f], c.p99)).is_none_or(|q| p < q)) {
            o.fastest = Some(i);
        }
        let Some(cost) = number(row, c.cost) else { continue };
        if row.get(c.meets).is_some_and(|m| m == "true") {
            o.meeting += 1;
            if o.best.and_then(|b| number(&t.rows[b], c.cost)).is_none_or(|b| cost < b) {
                o.best = Some(i);
            }
        }
    }
    Ok(out)
}

/// `optimum.csv`: `option,points_meeting_slo`, the key columns, then
/// `total_cost_usd,total_cost_usd_ci95,p99_ms,p99_ms_ci95,success_ratio,mean_instances`;
/// an option no point satisfies has `points_meeting_slo = 0` and empty cells.
pub fn to_csv(t: &SweepTable, optima: &[Optimum]) -> Result<Vec<u8>, String> {
    let c = cols(t)?;
    let picked = [c.cost, c.cost_ci, c.p99, c.p99_ci, c.success, c.instances];
    let mut w = csv::Writer::from_writer(Vec::new());
    let bad = |e: csv::Error| format!("cannot write optimum.csv: {e}");
    let mut header = vec!["option", "points_meeting_slo"];
    header.extend(t.keys.iter().map(String::as_str));
    header.extend([
        "total_cost_usd",
        "total_cost_usd_ci95",
        "p99_ms",
        "p99_ms_ci95",
        "success_ratio",
        "mean_instances",
    ]);
    w.write_record(&header).map_err(bad)?;
    for o in optima {
        let mut record = vec![o.option.clone(), o.meeting.to_string()];
        match o.best.and_then(|b| t.rows.get(b)) {
            Some(row) => {
                record.extend(row[..t.keys.len()].iter().cloned());
                record.extend(picked.iter().map(|&k| row.get(k).cloned().unwrap_or_default()));
            }
            None => record.extend(std::iter::repeat_n(String::new(), t.keys.len() + picked.len())),
        }
        w.write_record(&record).map_err(bad)?;
    }
    w.into_inner().map_err(|e| format!("cannot write optimum.csv: {e}"))
}

/// The table printed to stdout.
pub fn table(t: &SweepTable, optima: &[Optimum], slo: SloLimits) -> Result<String, String> {
    let c = cols(t)?;
    let mut limits = Vec::new();
    if let Some(p) = slo.p99_ms {
        limits.push(format!("p99 ≤ {p} ms"));
    }
    if let Some(s) = slo.success {
        limits.push(format!("success ≥ {s}"));
    }
    let limits = if limits.is_empty() { String::new() } else { format!(" ({})", limits.join(", ")) };
    let mut out = format!("cheapest point meeting the SLO{limits}, per option:\n");
    let mut header: Vec<String> = vec!["option".into()];
    header.extend(t.keys.iter().cloned());
    header.extend(["total_cost_usd".into(), "p99_ms".into(), "success".into()]);
    let mut lines: Vec<Result<Vec<String>, String>> = Vec::new();
    for o in optima {
        match o.best.and_then(|b| t.rows.get(b)) {
            Some(row) => {
                let mut cells = vec![o.option.clone()];
                cells.extend(row[..t.keys.len()].iter().cloned());
                let success = number(row, c.success).map(|s| format!("{:.2}%", s * 100.0)).unwrap_or_default();
                cells.extend([row[c.cost].clone(), row[c.p99].clone(), success]);
                lines.push(Ok(cells));
            }
            None => {
                let closest = match o.fastest.and_then(|f| t.rows.get(f)) {
                    Some(row) => {
                        let at = t.keys.iter().zip(row).map(|(k, v)| format!("{k}={v}"));
                        format!(" (lowest p99: {} ms at {})", row[c.p99], at.collect::<Vec<_>>().join(", "))
                    }
                    None => " (it served no request at any point)".into(),
                };
                lines.push(Err(format!("{}: no point of the sweep meets the SLO{closest}", o.option)));
            }
        }
    }
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for cells in lines.iter().flatten() {
        for (w, cell) in widths.iter_mut().zip(cells) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let row = |cells: &[String]| {
        let padded = cells.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}"));
        padded.collect::<Vec<_>>().join("  ").trim_end().to_string() + "\n"
    };
    out += &row(&header);
    for line in &lines {
        match line {
            Ok(cells) => out += &row(cells),
            Err(message) => out += &format!("{message}\n"),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::table::SUMMARY_COLUMNS;

    /// A table with one key `n` and rows `(n, option, cost, p99, meets)`.
    fn sample(rows: &[(&str, &str, &str, &str, &str)]) -> SweepTable {
        let mut t = SweepTable::new(vec!["n".into()]);
        for (n, option, cost, p99, meets) in rows {
            let mut row = vec![n.to_string()];
            row.extend(SUMMARY_COLUMNS.iter().map(|col| {
                match *col {
                    "option" => option,
                    "total_cost_usd" => cost,
                    "p99_ms" => p99,
                    "meets_slo" => meets,
                    "success_ratio" => "1",
                    _ => "",
                }
                .to_string()
            }));
            t.rows.push(row);
        }
        t
    }

    #[test]
    fn picks_the_cheapest_point_meeting_the_slo() {
        let t = sample(&[
            ("1", "web", "10", "900", "false"),
            ("1", "db", "5", "800", "false"),
            ("2", "web", "20", "300", "true"),
            ("2", "db", "9", "700", "false"),
            ("4", "web", "40", "100", "true"),
            ("4", "db", "18", "600", "false"),
        ]);
        let o = find(&t).unwrap();
        assert_eq!(o[0], Optimum { option: "web".into(), best: Some(2), meeting: 2, fastest: Some(4) });
        assert_eq!((o[1].best, o[1].meeting, o[1].fastest), (None, 0, Some(5)));
        let csv = String::from_utf8(to_csv(&t, &o).unwrap()).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "option,points_meeting_slo,n,total_cost_usd,total_cost_usd_ci95,p99_ms,p99_ms_ci95,success_ratio,mean_instances"
        );
        assert_eq!(lines[1], "web,2,2,20,,300,,1,");
        assert_eq!(lines[2], "db,0,,,,,,,");
        let text = table(&t, &o, SloLimits { p99_ms: Some(400.0), success: None }).unwrap();
        assert!(text.starts_with("cheapest point meeting the SLO (p99 ≤ 400 ms), per option:\n"), "{text}");
        assert!(text.contains("web     2  20              300"), "{text}");
        assert!(text.contains("db: no point of the sweep meets the SLO (lowest p99: 600 ms at n=4)"), "{text}");
    }
}
