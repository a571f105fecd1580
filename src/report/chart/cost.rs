//! `cost.png`: cumulative cost over time, one line per option; with
//! replications ≥ 2, its 95 % confidence band and the interval of the total
//! as a bar at the end.

use plotters::prelude::*;

use super::DrawError;
use super::axis::{ValueAxis, fmt_usd, fmt_usd_label};
use super::plot::{self, AxisSpec};
use super::theme::{self, Area, Mark};
use super::time_axis::TimeAxis;
use crate::report::chart_data::ChartData;

/// A cumulative cost is reached at the end of its bucket: the points are
/// `(first start, 0)` then `(end of bucket i, cost i)`, each bucket ending
/// where the next starts and the last at the horizon (or, if the horizon
/// is unknown or earlier, as wide as the one before).
fn at_bucket_ends(starts: &[f64], cumulative: &[f64], horizon_s: f64) -> (Vec<f64>, Vec<f64>) {
    let n = starts.len().min(cumulative.len());
    if n == 0 {
        return (Vec::new(), Vec::new());
    }
    let mut xs = vec![starts[0]];
    let mut ys = vec![0.0];
    for i in 0..n {
        let end = match (starts.get(i + 1), i.checked_sub(1).map(|p| starts[p])) {
            (Some(&next), _) if i + 1 < n => next,
            _ if horizon_s > starts[i] => horizon_s,
            (_, Some(prev)) => starts[i] + (starts[i] - prev),
            _ => starts[i],
        };
        xs.push(end);
        ys.push(cumulative[i]);
    }
    (xs, ys)
}

/// Draws the chart on `root`.
pub fn draw(root: &Area<'_>, data: &ChartData) -> Result<(), DrawError> {
    let mut legend = theme::option_legend(data, Mark::Line);
    for (item, o) in legend.iter_mut().zip(&data.options) {
        if let Some(total) = o.summary.as_ref().map(|s| s.total_cost_usd) {
            item.label = format!("{} ({})", item.label, fmt_usd_label(total));
        }
    }
    let banded = data.options.iter().any(|o| o.series.cost_band.is_drawn());
    legend.extend(theme::band_legend(banded));
    let title = format!("{}: cumulative cost", data.scenario.name);
    let area = theme::header(root, &title, &theme::subtitle(data, true), &legend)?;

    let time = TimeAxis::of(data);
    let end = time.end;
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
    // With intervals, a margin right of the horizon holds their bars.
    let with_ci = data.scenario.replications >= 2;
    let margin = if with_ci { 0.01 * (data.options.len() as f64 + 1.0) } else { 0.0 };
    let x_axis = time.value_axis().extended(end * (1.0 + margin));
    let x = AxisSpec { axis: x_axis, desc: time.caption(), fmt: &|v| time.label(*v) };
    let y = AxisSpec {
        axis: ValueAxis::linear(0.0, top * 1.05),
        desc: "cumulative cost (USD)".into(),
        fmt: &|v| fmt_usd(*v),
    };
    let plot = plot::build(&area, &x, &y)?;

    let horizon_s = data.scenario.horizon_s;
    for (i, o) in data.options.iter().enumerate() {
        let s = &o.series;
        let (xs, lo) = at_bucket_ends(&s.bucket_start_s, &s.cost_band.lo, horizon_s);
        let (_, hi) = at_bucket_ends(&s.bucket_start_s, &s.cost_band.hi, horizon_s);
        plot::band(&plot, &xs, &lo, &hi, time.scale_s(), theme::option_color(i))?;
    }
    for (i, o) in data.options.iter().enumerate() {
        let color = theme::option_color(i);
        let (xs, ys) = at_bucket_ends(&o.series.bucket_start_s, &o.series.cumulative_cost_usd, horizon_s);
        let style = color.stroke_width(theme::LINE_WIDTH + 1);
        plot::line(&plot, &xs, &ys, time.scale_s(), style)?;
    }
    if with_ci {
        // Interval bars just right of the horizon, side by side.
        for (i, o) in data.options.iter().enumerate() {
            let Some(s) = &o.summary else { continue };
            let Some(ci) = s.total_cost_usd_ci95.filter(|c| c.is_finite() && *c > 0.0) else {
                continue;
            };
            let t = s.total_cost_usd;
            if !t.is_finite() {
                continue;
            }
            let xi = end * (1.0 + 0.01 * (i as f64 + 1.0));
            let color = theme::option_color(i);
            plot::error_bar(&plot, (xi, (t - ci).max(0.0)), (xi, t + ci), color)?;
        }
    }
    if data.options.iter().all(|o| o.series.is_empty()) {
        theme::no_data(&plot.plotting_area().strip_coord_spec(), "no time series in timeseries.csv")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cost_is_plotted_at_bucket_ends() {
        // Buckets of 60 s starting at 0, 60, 120: ends at 60, 120, 180.
        let (xs, ys) = at_bucket_ends(&[0.0, 60.0, 120.0], &[1.0, 2.0, 3.0], f64::NAN);
        assert_eq!(xs, [0.0, 60.0, 120.0, 180.0]);
        assert_eq!(ys, [0.0, 1.0, 2.0, 3.0]);
        // A single bucket ends at the horizon.
        assert_eq!(at_bucket_ends(&[0.0], &[5.0], 90.0), (vec![0.0, 90.0], vec![0.0, 5.0]));
    }
}
