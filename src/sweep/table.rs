//! `sweep.csv` (DESIGN §4): one column per `--set` key, then the summary
//! columns; one row per point and option, points in cartesian order, options
//! in scenario order. Built from each option run's `summary.csv` row, and read
//! back and written again by `merge` with the same CSV writer, so a merged
//! file is byte-identical to an unsharded one.

/// The `summary.csv` columns, in order (checked against `report::csv::summary`).
pub const SUMMARY_COLUMNS: [&str; 39] = [
    "option",
    "kind",
    "region",
    "replications",
    "offered",
    "served",
    "timed_out",
    "rejected",
    "failed",
    "in_flight",
    "success_ratio",
    "mean_ms",
    "p50_ms",
    "p90_ms",
    "p95_ms",
    "p99_ms",
    "p999_ms",
    "max_ms",
    "total_cost_usd",
    "cost_per_million_usd",
    "cost_per_month_usd",
    "compute_usd_per_instance_hour",
    "mean_instances",
    "peak_instances",
    "utilization",
    "meets_slo",
    "mean_ms_ci95",
    "p99_ms_ci95",
    "total_cost_usd_ci95",
    "cost_per_month_usd_ci95",
    "interruptions",
    "interruptions_ci95",
    "cold_starts",
    "co2e_kg",
    "co2e_g_per_million",
    "co2e_kg_ci95",
    "db_utilization",
    "db_wait_ms",
    "db_wait_ms_ci95",
];

/// The rows of a `sweep.csv`, as text cells.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SweepTable {
    /// The swept keys (the first columns).
    pub keys: Vec<String>,
    /// Each row: one cell per key, then one per summary column.
    pub rows: Vec<Vec<String>>,
}

impl SweepTable {
    /// An empty table with these key columns.
    pub fn new(keys: Vec<String>) -> SweepTable {
        SweepTable { keys, rows: Vec::new() }
    }

    /// All column names.
    pub fn header(&self) -> Vec<&str> {
        self.keys.iter().map(String::as_str).chain(SUMMARY_COLUMNS).collect()
    }

    /// Position of a summary column (by name) in a row.
    pub fn column(&self, name: &str) -> Option<usize> {
        SUMMARY_COLUMNS.iter().position(|c| *c == name).map(|i| self.keys.len() + i)
    }

    /// Appends one row: the key `labels`, then the summary `cells`.
    pub fn push_row(&mut self, labels: &[String], cells: &[String]) {
        self.rows.push(labels.iter().chain(cells).cloned().collect());
    }

    /// Appends one row per option of a point's `summary.csv` bytes, each
    /// after the point's key `labels`.
    pub fn push_point(&mut self, labels: &[String], summary_csv: &[u8]) -> Result<(), String> {
        summary_rows(summary_csv)?.iter().for_each(|cells| self.push_row(labels, cells));
        Ok(())
    }

    /// The file's bytes.
    pub fn to_csv(&self) -> Result<Vec<u8>, String> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let bad = |e: csv::Error| format!("cannot write sweep.csv: {e}");
        w.write_record(self.header()).map_err(bad)?;
        for row in &self.rows {
            w.write_record(row).map_err(bad)?;
        }
        w.into_inner().map_err(|e| format!("cannot write sweep.csv: {e}"))
    }

    /// Reads a `sweep.csv`: the key columns are those before the summary columns.
    pub fn from_csv(bytes: &[u8]) -> Result<SweepTable, String> {
        let mut reader = csv::Reader::from_reader(bytes);
        let header = reader.headers().map_err(|e| e.to_string())?.clone();
        let n = header.len();
        let keys = n.checked_sub(SUMMARY_COLUMNS.len()).filter(|&k| k > 0);
        let Some(keys) = keys.filter(|&k| header.iter().skip(k).eq(SUMMARY_COLUMNS)) else {
            return Err("the header is not one of a sweep (key columns, then the summary columns)".into());
        };
        let mut table = SweepTable::new(header.iter().take(keys).map(str::to_string).collect());
        for record in reader.records() {
            let record = record.map_err(|e| e.to_string())?;
            table.rows.push(record.iter().map(str::to_string).collect());
        }
        Ok(table)
    }
}

/// The rows of `summary.csv` bytes as text cells, checking its columns.
pub fn summary_rows(summary_csv: &[u8]) -> Result<Vec<Vec<String>>, String> {
    let mut reader = csv::Reader::from_reader(summary_csv);
    let header = reader.headers().map_err(|e| format!("summary: {e}"))?;
    if !header.iter().eq(SUMMARY_COLUMNS) {
        return Err(format!("summary columns changed: {}", header.iter().collect::<Vec<_>>().join(",")));
    }
    let row = |r: csv::Result<csv::StringRecord>| {
        r.map(|r| r.iter().map(str::to_string).collect()).map_err(|e| format!("summary: {e}"))
    };
    reader.records().map(row).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_get_their_point_labels_and_round_trip() {
        let summary = format!(
            "{}\nweb,bare_metal,washington,1,{}\n",
            SUMMARY_COLUMNS.join(","),
            ["1"; SUMMARY_COLUMNS.len() - 4].join(",")
        );
        let mut t = SweepTable::new(vec!["option.web.servers".into(), "workload.cpu".into()]);
        let labels = ["2".into(), "{ dist = \"constant\", value = \"1s\" }".into()];
        for row in summary_rows(summary.as_bytes()).unwrap() {
            t.push_row(&labels, &row);
        }
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0][2], "web");
        assert_eq!(t.column("option"), Some(2));
        let bytes = t.to_csv().unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.starts_with("option.web.servers,workload.cpu,option,kind,"), "{text}");
        // The inline table has commas and quotes: it is quoted, and reads back the same.
        let back = SweepTable::from_csv(&bytes).unwrap();
        assert_eq!(back, t);
        assert_eq!(back.to_csv().unwrap(), bytes);
    }

    #[test]
    fn refuses_other_files() {
        assert!(SweepTable::from_csv(b"a,b\n1,2\n").is_err());
        let summary_only = format!("{}\n", SUMMARY_COLUMNS.join(","));
        assert!(SweepTable::from_csv(summary_only.as_bytes()).is_err());
        assert!(summary_rows(b"option,kind\nweb,x\n").is_err());
    }
}
