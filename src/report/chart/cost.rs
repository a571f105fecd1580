//! `cost.png`: cumulative cost over time, one line per option; with
//! replications ≥ 2, the 95 % interval of the total as a bar at the end.

use plotters::prelude::*;

use super::DrawError;
use super::axis::{ValueAxis, fmt_number, fmt_usd};
use super::plot::{self, AxisSpec};
use super::theme::{self, Area, Mark};
use crate::report::chart_data::ChartData;

/// Draws the chart on `root`.
pub fn draw(root: &Area<'_>, data: &ChartData) -> Result<(), DrawError> {
    let mut legend = theme::option_legend(data, Mark::Line);
    for (item, o) in legend.iter_mut().zip(&data.options) {
        if let Some(total) = o.summary.as_ref().map(|s| s.total_cost_usd) {
            item.label = format!("{} ({})", item.label, fmt_usd(total));
        }
    }
    let title = format!("{}: cumulative cost", data.scenario.name);
    let area = theme::header(root, &title, &theme::subtitle(data), &legend)?;

    let (unit, end) = theme::time_axis(data);
    let mut top = 0.0_f64;
    for o in &data.options {
        let ci = o.summary.as_ref().and_then(|s| s.total_cost_usd_ci95);
        let total = o.summary.as_ref().map(|s| s.total_cost_usd);
        let candidates = o.series.cumulative_cost_usd.iter().copied();
        let candidates = candidates.chain(total.map(|t| t + ci.unwrap_or(0.0)));
        top = candidates.filter(|v| v.is_finite()).fold(top, f64::max);
    }
    if top <= 0.0 {
        top = 1.0;
    }
    let x = AxisSpec { axis: ValueAxis::linear(0.0, end), desc: unit.label().into(), fmt: &|v| fmt_number(*v) };
    let y = AxisSpec {
        axis: ValueAxis::linear(0.0, top * 1.05),
        desc: "cumulative cost (USD)".into(),
        fmt: &|v| fmt_usd(*v),
    };
    let mut plot = plot::build(&area, &x, &y)?;

    for (i, o) in data.options.iter().enumerate() {
        let color = theme::option_color(i);
        let s = &o.series;
        let style = color.stroke_width(theme::LINE_WIDTH + 1);
        plot::line(&mut plot, &s.bucket_start_s, &s.cumulative_cost_usd, unit.seconds(), style)?;
    }
    if data.scenario.replications >= 2 {
        // Interval bars at the horizon, nudged apart so they don't overlap.
        let n = data.options.len().max(1) as f64;
        for (i, o) in data.options.iter().enumerate() {
            let Some(s) = &o.summary else { continue };
            let Some(ci) = s.total_cost_usd_ci95.filter(|c| c.is_finite() && *c > 0.0) else {
                continue;
            };
            let t = s.total_cost_usd;
            if !t.is_finite() {
                continue;
            }
            let xi = end * (1.0 - 0.004 * (n - 1.0 - i as f64));
            let color = theme::option_color(i);
            plot::error_bar(&plot, (xi, (t - ci).max(0.0)), (xi, t + ci), color)?;
        }
    }
    if data.options.iter().all(|o| o.series.is_empty()) {
        theme::no_data(&plot.plotting_area().strip_coord_spec(), "no time series in timeseries.csv")?;
    }
    Ok(())
}
