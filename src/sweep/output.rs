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
    let optima = m.optimize.is_some().then(|| optimum::find(table)).transpose().map_err(AppError::Runtime)?;
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
        staging.write("optimum.csv", &optimum::to_csv(table, optima).map_err(AppError::Runtime)?)?;
        printed = Some(optimum::table(table, optima, fixed_slo(&m)).map_err(AppError::Runtime)?);
    }
    if charts {
        // Without --optimize the chart still rings each option's cheapest
        // point meeting the SLO and draws untouched options as reference lines.
        let found;
        let optima = match optima {
            Some(optima) => optima,
            None => {
                found = optimum::find(table).map_err(AppError::Runtime)?;
                &found
            }
        };
        render_sweep(&chart_data(table, &m, optima), &staging.path().join("sweep.png"))?;
    }
    Ok((staging.commit()?, printed))
}

/// What the chart needs from the table, the manifest and the optima (none
/// without `--optimize`).
pub fn chart_data(table: &SweepTable, m: &Manifest, optima: &[Optimum]) -> SweepChartData {
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
    SweepChartData {
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
    }
}
