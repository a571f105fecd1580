//! The seven PNG charts of an output directory (DESIGN §4), drawn from the
//! data read back from its CSV files, so `hostsim chart DIR` redraws the
//! same bytes as `hostsim run`. One file per chart over a shared theme.

mod axis;
mod capacity;
mod carbon;
mod cost;
mod cost_breakdown;
mod downsample;
mod labels;
mod latency;
mod latency_cdf;
mod plot;
mod sweep;
mod theme;
mod time_axis;
mod tradeoff;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use plotters::prelude::*;

pub use crate::report::chart_data::{ChartData, ChartError};
pub(crate) use downsample::MAX_POINTS;
pub use sweep::{SweepChartData, SweepChartRow, render_sweep};

/// The chart files written by [`render_all`], in drawing order.
pub const CHART_FILES: [&str; 7] =
    ["cost.png", "latency.png", "latency_cdf.png", "capacity.png", "tradeoff.png", "cost_breakdown.png", "carbon.png"];

/// A drawing failure inside one chart; [`render_all`] adds the file name.
#[derive(Debug)]
pub struct DrawError(String);

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for DrawError {
    fn from(e: DrawingAreaErrorKind<E>) -> DrawError {
        DrawError(e.to_string())
    }
}

/// Draws every chart of `data` as PNG files in `out_dir` (created if
/// missing, but not its parent: an interrupted run's removed staging
/// directory must not come back; callers pass `DIR/charts`) and returns their paths in
/// [`CHART_FILES`] order. Same data, same bytes.
pub fn render_all(data: &ChartData, out_dir: &Path) -> Result<Vec<PathBuf>, ChartError> {
    theme::ensure_font().map_err(ChartError::Font)?;
    match std::fs::create_dir(out_dir) {
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
            return Err(ChartError::Io { path: out_dir.to_path_buf(), source: e });
        }
        _ => {}
    }
    let mut written = Vec::with_capacity(CHART_FILES.len());
    for name in CHART_FILES {
        let path = out_dir.join(name);
        render_one(data, name, &path).map_err(|DrawError(message)| ChartError::Draw { path: path.clone(), message })?;
        written.push(path);
    }
    Ok(written)
}

/// Reads the output directory `dir` and draws its charts into
/// `dir/charts/` (what `hostsim chart DIR` does).
pub fn render_dir(dir: &Path) -> Result<Vec<PathBuf>, ChartError> {
    let data = ChartData::load(dir)?;
    render_all(&data, &dir.join("charts"))
}

fn render_one(data: &ChartData, name: &str, path: &Path) -> Result<(), DrawError> {
    let root = BitMapBackend::new(path, (theme::WIDTH, theme::HEIGHT)).into_drawing_area();
    match name {
        "cost.png" => cost::draw(&root, data)?,
        "latency.png" => latency::draw(&root, data)?,
        "latency_cdf.png" => latency_cdf::draw(&root, data)?,
        "capacity.png" => capacity::draw(&root, data)?,
        "tradeoff.png" => tradeoff::draw(&root, data)?,
        "carbon.png" => carbon::draw(&root, data)?,
        _ => cost_breakdown::draw(&root, data)?,
    }
    root.present()?;
    Ok(())
}
