//! `--optimize cost --subject-to slo`: per option, the cheapest point of the
//! sweep whose row meets the scenario's `[slo]` (`meets_slo = true`), as
//! `optimum.csv` and a small table on stdout; `--optimize carbon` the point
//! of least `co2e_kg` instead, and `--max-cost` leaves out the points above
//! a total cost. Only options a swept key
//! touches have an optimum: the others are the same at every point, so
//! picking one of those points would be a fake answer; they get one row
//! saying "not swept" with their own cost and p99.

use super::table::SweepTable;

/// The SLO limits, for the table's title.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SloLimits {
    /// `[slo] p99_ms`.
    pub p99_ms: Option<f64>,
    /// `[slo] success`.
    pub success: Option<f64>,
}

/// What the optimum minimises, and the most a point may cost.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Goal {
    /// `co2e_kg` rather than `total_cost_usd`.
    pub carbon: bool,
    pub max_cost_usd: Option<f64>,
}

impl Goal {
    /// The goal `sweep.toml` records: its `optimize` value and `max_cost_usd`.
    pub fn recorded(optimize: &str, max_cost_usd: Option<f64>) -> Goal {
        Goal { carbon: optimize == "carbon", max_cost_usd }
    }

    /// The column minimised.
    fn column(self) -> &'static str {
        if self.carbon { "co2e_kg" } else { "total_cost_usd" }
    }

    /// How the printed table names the point it picks.
    fn title(self) -> String {
        let what = if self.carbon { "lowest-CO2e" } else { "cheapest" };
        let within = self.max_cost_usd.map_or(String::new(), |usd| format!(" within ${usd}"));
        format!("{what} point meeting the SLO{within}")
    }
}

/// The answer for one option.
#[derive(Clone, Debug, PartialEq)]
pub struct Optimum {
    /// Option name.
    pub option: String,
    /// Whether a swept key touches the option; when not, it is the same at
    /// every point and `best`, `meeting` and `fastest` stay empty.
    pub swept: bool,
    /// Row of the option's first point.
    pub first: usize,
    /// Row (in the sweep table) of the best point meeting the SLO (and the cost limit).
    pub best: Option<usize>,
    /// How many points meet the SLO (and the cost limit).
    pub meeting: usize,
    /// Row with the lowest p99, to say how close the sweep came when none meets it.
    pub fastest: Option<usize>,
}

impl Optimum {
    /// The `result` cell of `optimum.csv`.
    pub fn result(&self) -> &'static str {
        match (self.swept, self.best) {
            (false, _) => "not_swept",
            (true, Some(_)) => "optimum",
            (true, None) => "none_meets_slo",
        }
    }
}

/// Whether the swept `key` changes the option `name` at position `index`
/// among `names`: `option.NAME.…` (or `option.INDEX.…`, as `set_path`
/// resolves it: a name first) touches that option only; every other key
/// (`traffic.…`, `workload.…`, `slo.…`, `seed`, `option` itself) touches all.
pub(super) fn touches(key: &str, name: &str, index: usize, names: &[String]) -> bool {
    let mut segments = key.split('.');
    if segments.next() != Some("option") {
        return true;
    }
    match segments.next() {
        None => true,
        Some(seg) => seg == name || (!names.iter().any(|n| n == seg) && seg.parse::<usize>() == Ok(index)),
    }
}

/// Column positions of the cells used here.
struct Cols {
    option: usize,
    /// The column minimised.
    value: usize,
    cost: usize,
    cost_ci: usize,
    p99: usize,
    p99_ci: usize,
    success: usize,
    instances: usize,
    meets: usize,
}

fn cols(t: &SweepTable, goal: Goal) -> Result<Cols, String> {
    let c = |name: &str| t.column(name).ok_or_else(|| format!("sweep.csv has no column {name}"));
    Ok(Cols {
        option: c("option")?,
        value: c(goal.column())?,
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

/// Per option (in order of first appearance, which is scenario order), the
/// row of least `goal` value meeting the SLO (and costing at most its
/// limit) among the option's points; ties go to the earlier point. An
/// option no key touches is marked not swept instead.
pub fn find(t: &SweepTable, goal: Goal) -> Result<Vec<Optimum>, String> {
    let c = cols(t, goal)?;
    let mut out: Vec<Optimum> = Vec::new();
    for (i, row) in t.rows.iter().enumerate() {
        let name = row.get(c.option).cloned().unwrap_or_default();
        let pos = match out.iter().position(|o| o.option == name) {
            Some(pos) => pos,
            None => {
                out.push(Optimum { option: name, swept: true, first: i, best: None, meeting: 0, fastest: None });
                out.len() - 1
            }
        };
        let o = &mut out[pos];
        let p99 = number(row, c.p99);
        if p99.is_some_and(|p| o.fastest.and_then(|f| number(&t.rows[f], c.p99)).is_none_or(|q| p < q)) {
            o.fastest = Some(i);
        }
        let (Some(value), Some(cost)) = (number(row, c.value), number(row, c.cost)) else { continue };
        let affordable = goal.max_cost_usd.is_none_or(|max| cost <= max);
        if affordable && row.get(c.meets).is_some_and(|m| m == "true") {
            o.meeting += 1;
            if o.best.and_then(|b| number(&t.rows[b], c.value)).is_none_or(|b| value < b) {
                o.best = Some(i);
            }
        }
    }
    let names: Vec<String> = out.iter().map(|o| o.option.clone()).collect();
    for (index, o) in out.iter_mut().enumerate() {
        if !t.keys.iter().any(|k| touches(k, &o.option, index, &names)) {
            *o = Optimum { swept: false, best: None, meeting: 0, fastest: None, ..o.clone() };
        }
    }
    Ok(out)
}

/// The picked summary columns of `optimum.csv`, after the key columns.
const PICKED: [&str; 6] =
    ["total_cost_usd", "total_cost_usd_ci95", "p99_ms", "p99_ms_ci95", "success_ratio", "mean_instances"];

/// `optimum.csv`: `option,result,points_meeting_slo`, the key columns, the
/// [`PICKED`] columns (and `co2e_kg,co2e_kg_ci95` for carbon), then
/// `meets_slo`; one row per option. `result` is
/// `optimum` (the cheapest point meeting the SLO, its key values and
/// results), `none_meets_slo` (`points_meeting_slo = 0`, empty cells) or
/// `not_swept` (no key touches it: empty count and keys, its results at the
/// first point, the same at every point).
pub fn to_csv(t: &SweepTable, optima: &[Optimum], goal: Goal) -> Result<Vec<u8>, String> {
    let c = cols(t, goal)?;
    let carbon: &[&str] = if goal.carbon { &["co2e_kg", "co2e_kg_ci95"] } else { &[] };
    let mut picked = vec![c.cost, c.cost_ci, c.p99, c.p99_ci, c.success, c.instances];
    for name in carbon {
        picked.push(t.column(name).ok_or_else(|| format!("sweep.csv has no column {name}"))?);
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let bad = |e: csv::Error| format!("cannot write optimum.csv: {e}");
    let mut header = vec!["option", "result", "points_meeting_slo"];
    header.extend(t.keys.iter().map(String::as_str));
    header.extend(PICKED);
    header.extend(carbon);
    header.push("meets_slo");
    w.write_record(&header).map_err(bad)?;
    let empty = |n: usize| std::iter::repeat_n(String::new(), n);
    for o in optima {
        let shown = if o.swept { o.best } else { Some(o.first) };
        let mut record = vec![o.option.clone(), o.result().to_string()];
        record.push(if o.swept { o.meeting.to_string() } else { String::new() });
        match shown.and_then(|r| t.rows.get(r)) {
            Some(row) => {
                if o.swept {
                    record.extend(row[..t.keys.len()].iter().cloned());
                } else {
                    record.extend(empty(t.keys.len()));
                }
                record.extend(picked.iter().map(|&k| row.get(k).cloned().unwrap_or_default()));
                record.push(row.get(c.meets).cloned().unwrap_or_default());
            }
            None => {
                record.extend(empty(t.keys.len() + picked.len()));
                record.push("false".into());
            }
        }
        w.write_record(&record).map_err(bad)?;
    }
    w.into_inner().map_err(|e| format!("cannot write optimum.csv: {e}"))
}

/// The table printed to stdout.
pub fn table(t: &SweepTable, optima: &[Optimum], slo: SloLimits, goal: Goal) -> Result<String, String> {
    let c = cols(t, goal)?;
    let mut limits = Vec::new();
    if let Some(p) = slo.p99_ms {
        limits.push(format!("p99 ≤ {p} ms"));
    }
    if let Some(s) = slo.success {
        limits.push(format!("success ≥ {s}"));
    }
    let limits = if limits.is_empty() { String::new() } else { format!(" ({})", limits.join(", ")) };
    let mut out = format!("{}{limits}, per option:\n", goal.title());
    let mut header: Vec<String> = vec!["option".into()];
    header.extend(t.keys.iter().cloned());
    header.extend(["total_cost_usd".into(), "p99_ms".into(), "success".into()]);
    if goal.carbon {
        header.push("co2e_kg".into());
    }
    let mut lines: Vec<Result<Vec<String>, String>> = Vec::new();
    let success = |row: &[String]| number(row, c.success).map(|s| format!("{:.2}%", s * 100.0)).unwrap_or_default();
    for o in optima {
        if !o.swept {
            lines.push(Err(not_swept(o, t.rows.get(o.first), &c, success, goal)));
            continue;
        }
        match o.best.and_then(|b| t.rows.get(b)) {
            Some(row) => {
                let mut cells = vec![o.option.clone()];
                cells.extend(row[..t.keys.len()].iter().cloned());
                cells.extend([row[c.cost].clone(), row[c.p99].clone(), success(row)]);
                if goal.carbon {
                    cells.push(row[c.value].clone());
                }
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
                let within = goal.max_cost_usd.map_or(String::new(), |usd| format!(" within ${usd}"));
                lines.push(Err(format!("{}: no point of the sweep meets the SLO{within}{closest}", o.option)));
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

/// The printed line of an option no swept key touches: its results, the
/// same at every point, and whether they meet the SLO.
fn not_swept(
    o: &Optimum,
    row: Option<&Vec<String>>,
    c: &Cols,
    success: impl Fn(&[String]) -> String,
    goal: Goal,
) -> String {
    let head = format!("{}: not swept (no --set key changes it)", o.option);
    let Some(row) = row else { return head };
    let verdict = match row.get(c.meets).map(String::as_str) {
        Some("true") => "; meets the SLO",
        Some("false") => "; misses the SLO",
        _ => "",
    };
    let p99 = if row[c.p99].is_empty() { "none served".to_string() } else { format!("{} ms", row[c.p99]) };
    let co2e = if goal.carbon { format!(", co2e_kg {}", row[c.value]) } else { String::new() };
    format!("{head}: total_cost_usd {}, p99 {p99}, success {}{co2e}{verdict}", row[c.cost], success(row))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::table::SUMMARY_COLUMNS;

    /// A table with one key `key` and rows `(value, option, cost, p99, meets)`.
    fn sample_by(key: &str, rows: &[(&str, &str, &str, &str, &str)]) -> SweepTable {
        let mut t = SweepTable::new(vec![key.into()]);
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

    /// A table with one key `n`, which touches every option.
    fn sample(rows: &[(&str, &str, &str, &str, &str)]) -> SweepTable {
        sample_by("n", rows)
    }

    #[test]
    fn carbon_picks_the_least_co2e_meeting_the_slo_within_the_cost_limit() {
        // Three regions of one option: the cheapest is the dirtiest; the greenest costs the most.
        let mut t = sample_by(
            "option.web.region",
            &[
                ("washington", "web", "100", "200", "true"),
                ("london", "web", "120", "250", "true"),
                ("eu-north-1", "web", "150", "300", "true"),
                ("mumbai", "web", "90", "900", "false"),
                ("mumbai", "db", "10", "50", "true"),
            ],
        );
        let col = t.column("co2e_kg").unwrap();
        for (row, kg) in t.rows.iter_mut().zip(["40", "25", "2", "1", "3"]) {
            row[col] = kg.into();
        }
        let carbon = Goal { carbon: true, max_cost_usd: None };
        // mumbai emits least but misses the SLO: eu-north-1.
        assert_eq!(find(&t, carbon).unwrap()[0].best, Some(2));
        assert_eq!(find(&t, Goal::default()).unwrap()[0].best, Some(0), "cost still picks washington");
        // Within $130, eu-north-1 is out: london.
        let within = Goal { carbon: true, max_cost_usd: Some(130.0) };
        let o = find(&t, within).unwrap();
        assert_eq!((o[0].best, o[0].meeting), (Some(1), 2));
        let text = table(&t, &o, SloLimits::default(), within).unwrap();
        assert!(text.starts_with("lowest-CO2e point meeting the SLO within $130, per option:\n"), "{text}");
        assert!(text.lines().nth(1).unwrap().ends_with("co2e_kg"), "{text}");
        assert!(text.lines().nth(2).unwrap().ends_with("25"), "{text}");
        // An option no key touches says its emissions too.
        assert!(text.contains("db: not swept (no --set key changes it): total_cost_usd 10, p99 50 ms, success 100.00%, co2e_kg 3; meets the SLO"), "{text}");
        let csv = String::from_utf8(to_csv(&t, &o, within).unwrap()).unwrap();
        assert!(csv.lines().next().unwrap().ends_with(",mean_instances,co2e_kg,co2e_kg_ci95,meets_slo"), "{csv}");
        assert!(csv.lines().nth(1).unwrap().starts_with("web,optimum,2,london,120,"), "{csv}");
        // Nothing within $50.
        let none = find(&t, Goal { carbon: true, max_cost_usd: Some(50.0) }).unwrap();
        assert_eq!((none[0].best, none[0].result()), (None, "none_meets_slo"));
        let text = table(&t, &none, SloLimits::default(), Goal { carbon: true, max_cost_usd: Some(50.0) }).unwrap();
        assert!(text.contains("web: no point of the sweep meets the SLO within $50"), "{text}");
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
        let o = find(&t, Goal::default()).unwrap();
        let web = Optimum { option: "web".into(), swept: true, first: 0, best: Some(2), meeting: 2, fastest: Some(4) };
        assert_eq!(o[0], web);
        assert_eq!((o[1].swept, o[1].best, o[1].meeting, o[1].fastest), (true, None, 0, Some(5)));
        let csv = String::from_utf8(to_csv(&t, &o, Goal::default()).unwrap()).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "option,result,points_meeting_slo,n,total_cost_usd,total_cost_usd_ci95,p99_ms,p99_ms_ci95,success_ratio,mean_instances,meets_slo"
        );
        assert_eq!(lines[1], "web,optimum,2,2,20,,300,,1,,true");
        assert_eq!(lines[2], "db,none_meets_slo,0,,,,,,,,false");
        let text = table(&t, &o, SloLimits { p99_ms: Some(400.0), success: None }, Goal::default()).unwrap();
        assert!(text.starts_with("cheapest point meeting the SLO (p99 ≤ 400 ms), per option:\n"), "{text}");
        assert!(text.contains("web     2  20              300"), "{text}");
        assert!(text.contains("db: no point of the sweep meets the SLO (lowest p99: 600 ms at n=4)"), "{text}");
    }

    #[test]
    fn an_option_no_key_touches_gets_one_not_swept_row() {
        // Only web's servers are swept: db is the same at every point ($5,
        // p99 250 ms), so it has no optimum, only its own results.
        let rows = [
            ("1", "web", "10", "900", "false"),
            ("1", "db", "5", "250", "true"),
            ("2", "web", "20", "300", "true"),
            ("2", "db", "5", "250", "true"),
            ("4", "web", "40", "100", "true"),
            ("4", "db", "5", "250", "true"),
        ];
        let t = sample_by("option.web.servers", &rows);
        let o = find(&t, Goal::default()).unwrap();
        // web's optimum is the one a scenario-wide key gives: $20 at servers = 2, 2 points meeting.
        assert_eq!(o[0], find(&sample_by("n", &rows), Goal::default()).unwrap()[0]);
        assert_eq!((o[0].best, o[0].meeting), (Some(2), 2));
        let db = Optimum { option: "db".into(), swept: false, first: 1, best: None, meeting: 0, fastest: None };
        assert_eq!(o[1], db);
        let csv = String::from_utf8(to_csv(&t, &o, Goal::default()).unwrap()).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[1], "web,optimum,2,2,20,,300,,1,,true");
        assert_eq!(lines[2], "db,not_swept,,,5,,250,,1,,true");
        assert_eq!(lines.len(), 3, "one row per option: {csv}");
        let text = table(&t, &o, SloLimits { p99_ms: Some(400.0), success: None }, Goal::default()).unwrap();
        assert!(text.contains("\nweb     2                   20              300     100.00%\n"), "{text}");
        let line =
            "db: not swept (no --set key changes it): total_cost_usd 5, p99 250 ms, success 100.00%; meets the SLO";
        assert!(text.contains(line), "{text}");

        // By position: option.1 is db, so db has the optimum and web is not swept.
        let o = find(&sample_by("option.1.servers", &rows), Goal::default()).unwrap();
        assert_eq!((o[0].swept, o[1].swept, o[1].best), (false, true, Some(1)));
    }

    #[test]
    fn keys_touch_their_option_or_every_option() {
        let names = ["web".to_string(), "0".to_string()];
        for key in ["traffic.base_rps", "workload.cpu", "seed", "horizon", "slo.p99_ms", "option"] {
            assert!(touches(key, "web", 0, &names) && touches(key, "0", 1, &names), "{key}");
        }
        assert!(touches("option.web.power.usd_per_kwh", "web", 0, &names));
        assert!(!touches("option.web.cores", "0", 1, &names));
        // A name comes before a position, as `set_path` resolves it: option.0 is the option named "0".
        assert!(touches("option.0.cores", "0", 1, &names));
        assert!(!touches("option.0.cores", "web", 0, &names));
        let names = ["web".to_string(), "db".to_string()];
        assert!(touches("option.1.cores", "db", 1, &names) && !touches("option.1.cores", "web", 0, &names));
    }
}
