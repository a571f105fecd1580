//! What `report.html` shows, read back from a run's output folder (never
//! from the simulation itself), so `hostsim report DIR` writes the same
//! bytes as the run did.

use std::io;
use std::path::Path;

use serde::Deserialize;

use crate::report::chart::CHART_FILES;
use crate::report::chart_data::{ChartError, read_csv, read_summary};
use crate::report::command_line;
use crate::report::rows::{CostRow, RankingRow, SummaryRow};
use crate::scenario::description::leading_comment;
use crate::scenario::file::{MAX_FILE_BYTES, read_capped_text};

/// The files a run's output folder must hold for a report; the charts and
/// the command line are shown when present.
pub const REQUIRED: [&str; 4] = ["summary.csv", "ranking.csv", "costs.csv", "resolved.toml"];

/// The keys of `resolved.toml` the report shows.
#[derive(Debug, Deserialize)]
pub struct Resolved {
    /// The hostsim that ran the scenario.
    pub hostsim_version: String,
    pub name: String,
    /// As written, e.g. "1d".
    pub horizon: String,
    /// An integer, or a string beyond the largest TOML integer.
    pub seed: toml::Value,
    pub replications: u32,
    pub slo: Option<Slo>,
}

/// `[slo]` of `resolved.toml`.
#[derive(Debug, Deserialize)]
pub struct Slo {
    pub p99_ms: Option<f64>,
    pub success: Option<f64>,
}

/// A run's output folder, as the report shows it.
#[derive(Debug)]
pub struct RunFolder {
    pub resolved: Resolved,
    /// `resolved.toml` whole.
    pub resolved_text: String,
    /// The scenario file's leading comment (see `scenario::description`).
    pub description: String,
    /// `command_line.txt`, absent in folders written before it was.
    pub command_line: Option<String>,
    pub summary: Vec<SummaryRow>,
    /// In rank order.
    pub ranking: Vec<RankingRow>,
    pub costs: Vec<CostRow>,
    /// Each chart's file name and PNG bytes, in drawing order; `None` when
    /// the run drew none (`--no-charts`).
    pub charts: Option<Vec<(&'static str, Vec<u8>)>>,
}

impl RunFolder {
    /// Reads `dir`, a run's output folder.
    pub fn read(dir: &Path) -> Result<RunFolder, ChartError> {
        let resolved_path = dir.join("resolved.toml");
        let resolved_text = read_capped_text(&resolved_path, MAX_FILE_BYTES, "a scenario file")
            .map_err(|source| ChartError::Io { path: resolved_path.clone(), source })?;
        let resolved = toml::from_str(&resolved_text).map_err(|e: toml::de::Error| {
            let line = e.span().map_or(0, |s| resolved_text[..s.start.min(resolved_text.len())].lines().count());
            ChartError::Toml { path: resolved_path.clone(), line: line.max(1) as u64, message: e.message().to_string() }
        })?;
        let charts_dir = dir.join("charts");
        let charts = match charts_dir.is_dir() {
            false => None,
            true => Some(
                CHART_FILES.iter().map(|&name| Ok((name, read(&charts_dir.join(name))?))).collect::<Result<_, _>>()?,
            ),
        };
        let command_line = match read(&dir.join(command_line::FILE)) {
            Ok(bytes) => Some(String::from_utf8_lossy(&bytes).trim_end().to_string()),
            Err(ChartError::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        Ok(RunFolder {
            resolved,
            description: leading_comment(&resolved_text),
            resolved_text,
            command_line,
            summary: read_summary(dir)?,
            ranking: read_csv(&dir.join("ranking.csv"))?,
            costs: read_csv(&dir.join("costs.csv"))?,
            charts,
        })
    }

    /// The `summary.csv` row of `option`.
    pub fn summary_of(&self, option: &str) -> Option<&SummaryRow> {
        self.summary.iter().find(|s| s.option == option)
    }
}

fn read(path: &Path) -> Result<Vec<u8>, ChartError> {
    std::fs::read(path).map_err(|source| ChartError::Io { path: path.to_path_buf(), source })
}
