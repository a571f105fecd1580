//! Writing a sweep directory, the same way for `sweep` and `merge`:
//! `sweep.csv`, `sweep.toml`, and for a whole sweep `sweep.png` and (when
//! optimising) `optimum.csv`, atomically (temporary directory, then rename).

use std::path::{Path, PathBuf};

use super::manifest::{self, CsvDigest, Manifest};
use super::optimum::{self, Optimum, SloLimits};
use super::table::SweepTable;
use crate::error::AppError;
use crate::report::chart::{SweepChartData, SweepChartRow, render_sweep};
use crate::report::output::Staging;

/// The directory name of a whole sweep, `<scenario name>-sweep`.
pub fn whole_dir_name(scenario: &str) -> String {
    format!("{scenario}-sweep")
}

/// The directory name of a shard, `<scenario name>-sweep-shard-I-of-N`.
pub fn shard_dir_name(scenario: &str, index: u32, count: u32) -> String {
    format!("{scenario}-sweep-shard-{index}-of-{count}")
}

/// The SLO that holds at every point: the scenario's, unless a `slo.` key is swept.
pub fn fixed_slo(m: &Manifest) -> SloLimits {
    if m.sets.iter().any(|s| s.key == "slo" || s.key.starts_with("slo.")) {
        return SloLimits::default();
    }
    SloLimits { p99_ms: m.slo_p99_ms, success: m.slo_success }
}

/// Writes `sweep.csv` and `sweep.toml` (with the CSV's digest) into `staging`.
fn write_table(staging: &Staging, table: &SweepTable, m: &Manifest) -> Result<(), AppError> {
    let csv = table.to_csv().map_err(AppError::Runtime)?;
    let m = Manifest { csv: Some(CsvDigest { rows: table.rows.len(), sha256: manifest::sha256(&csv) }), ..m.clone() };
    staging.write("sweep.csv", &csv)?;
    staging.write(manifest::FILE, m.to_toml().map_err(AppError::Runtime)?.as_bytes())?;
    Ok(())
}

/// Writes a shard's directory; returns its path.
pub fn write_shard(out: &Path, name: &str, table: &SweepTable, m: &Manifest) -> Result<PathBuf, AppError> {
    let staging = Staging::new(out, name)?;
    write_table(&staging, table, m)?;
    Ok(staging.commit()?)
}

/// Writes a whole sweep's directory under `out`; returns its path and, when
/// optimising, the optimum table to print.
pub fn write_whole(
    out: &Path,
    table: &SweepTable,
    m: &Manifest,
    charts: bool,
) -> Result<(PathBuf, Option<String>), AppError> {
    let optima = m.goal().map(|g| optimum::find(table, g)).transpose().map_err(AppError::Runtime)?;
    write_whole_with(out, table, m, charts, optima.as_deref(), &[])
}

/// Writes a whole sweep's directory with the given optima (when optimising:
/// `optimum.csv` and the table returned to print) and `extra` files (name,
/// bytes), such as a search's `search.csv`.
pub fn write_whole_with(
    out: &Path,
    table: &SweepTable,
    m: &Manifest,
    charts: bool,
    optima: Option<&[Optimum]>,
    extra: &[(&str, &[u8])],
) -> Result<(PathBuf, Option<String>), AppError> {
    let m = m.whole();
    let staging = Staging::new(out, &whole_dir_name(&m.scenario))?;
    write_table(&staging, table, &m)?;
    for (name, bytes) in extra {
        staging.write(name, bytes)?;
    }
    let mut printed = None;
    if let Some(optima) = optima {
        let goal = m.goal().unwrap_or_default();
        staging.write("optimum.csv", &optimum::to_csv(table, optima, goal).map_err(AppError::Runtime)?)?;
        printed = Some(optimum::table(table, optima, fixed_slo(&m), goal).map_err(AppError::Runtime)?);
    }
    if charts {
        render_sweep(&chart_data(table, &m, optima).map_err(AppError::Runtime)?, &staging.path().join("sweep.png"))?;
    }
    Ok((staging.commit()?, printed))
}

/// What the chart needs from the table, the manifest and the optima. Without
/// `--optimize` (`optima` is `None`) they are found here all the same: the
/// chart rings each option's cheapest point meeting the SLO and draws an
/// option no key touches as a reference line either way.
pub fn chart_data(table: &SweepTable, m: &Manifest, optima: Option<&[Optimum]>) -> Result<SweepChartData, String> {
    let found;
    let optima = match optima {
        Some(optima) => optima,
        None => {
            found = optimum::find(table, m.goal().unwrap_or_default())?;
            &found
        }
    };
    let col = |name: &str| table.column(name).unwrap_or(usize::MAX);
    let (option, cost, p99, meets) = (col("option"), col("total_cost_usd"), col("p99_ms"), col("meets_slo"));
    let (offered, in_flight, timed_out) = (col("offered"), col("in_flight"), col("timed_out"));
    let number = |row: &[String], c: usize| row.get(c).and_then(|s| s.parse::<f64>().ok()).filter(|v| v.is_finite());
    let rows = table.rows.iter().enumerate().map(|(i, row)| SweepChartRow {
        labels: row.iter().take(table.keys.len()).cloned().collect(),
        option: row.get(option).cloned().unwrap_or_default(),
        total_cost_usd: number(row, cost),
        p99_ms: number(row, p99),
        meets_slo: row.get(meets).and_then(|m| m.parse::<bool>().ok()),
        optimum: optima.iter().any(|o| o.best == Some(i)),
        timed_out_share: match (number(row, timed_out), number(row, offered), number(row, in_flight)) {
            (Some(t), Some(o), Some(f)) if o - f > 0.0 => Some(t / (o - f)),
            _ => None,
        },
    });
    let slo = fixed_slo(m);
    Ok(SweepChartData {
        scenario: m.scenario.clone(),
        keys: table.keys.clone(),
        rows: rows.collect(),
        replications: m.replications,
        slo_p99_ms: slo.p99_ms,
        slo_success: slo.success,
        not_swept: optima.iter().filter(|o| !o.swept).map(|o| o.option.clone()).collect(),
        // Linked keys go in step; with no --set key the first of them is x.
        in_step_with_x: match m.sets.first() {
            Some(x) if x.linked => m.sets.iter().skip(1).filter(|s| s.linked).map(|s| s.key.clone()).collect(),
            _ => Vec::new(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::manifest::SetEntry;
    use crate::sweep::table::SUMMARY_COLUMNS;

    /// A summary row of `option` with the named cells set, the others empty.
    fn cells(option: &str, set: &[(&str, &str)]) -> Vec<String> {
        let cell = |c: &str| set.iter().find(|(k, _)| *k == c).map_or("", |(_, v)| v).to_string();
        SUMMARY_COLUMNS.iter().map(|c| if *c == "option" { option.to_string() } else { cell(c) }).collect()
    }

    #[test]
    fn without_optimize_the_chart_still_gets_optima_untouched_options_and_timeouts() {
        let key = "option.web.servers".to_string();
        let mut table = SweepTable::new(vec![key.clone()]);
        for (servers, cost, timed_out, meets) in
            [("1", "5", "30", "false"), ("2", "9", "0", "true"), ("3", "12", "0", "true")]
        {
            let web = [("total_cost_usd", cost), ("offered", "1010"), ("in_flight", "10"), ("timed_out", timed_out)];
            table.push_row(&[servers.into()], &cells("web", &[web.as_slice(), &[("meets_slo", meets)]].concat()));
            table.push_row(&[servers.into()], &cells("db", &[("total_cost_usd", "3"), ("meets_slo", "true")]));
        }
        let m = Manifest {
            hostsim_version: String::new(),
            scenario: "s".into(),
            scenario_hash: String::new(),
            seed: "1".into(),
            replications: 1,
            sets_hash: String::new(),
            points: 3,
            optimize: None,
            max_cost_usd: None,
            search: None,
            slo_p99_ms: Some(400.0),
            slo_success: Some(0.999),
            shard: None,
            shards: None,
            csv: None,
            sets: vec![SetEntry { key, values: vec!["1".into(), "2".into(), "3".into()], linked: false }],
        };
        let data = chart_data(&table, &m, None).unwrap();
        let optimum: Vec<(&str, &str)> =
            data.rows.iter().filter(|r| r.optimum).map(|r| (r.option.as_str(), r.labels[0].as_str())).collect();
        assert_eq!(optimum, [("web", "2")], "the cheapest point meeting the SLO");
        assert_eq!(data.not_swept, ["db"]);
        assert_eq!((data.slo_p99_ms, data.slo_success), (Some(400.0), Some(0.999)));
        // 30 of the 1,000 finished requests (offered − in flight) timed out.
        assert_eq!(data.rows[0].timed_out_share, Some(0.03));
        assert_eq!(data.rows[2].timed_out_share, Some(0.0));
        assert_eq!(data.rows[1].timed_out_share, None, "db's row has no counts");
    }
}
