//! `capacity.png`: two stacked panels over the same time axis. Top: mean
//! instances in service per option (what autoscaling did). Bottom: offered
//! load as a grey area with each option's served rate as a line, so load
//! that was not served (timeouts, rejections) shows as a gap below the area.

use plotters::prelude::*;

use super::DrawError;
use super::axis::{ValueAxis, fmt_number};
use super::downsample::{MAX_POINTS, segments};
use super::plot::{self, AxisSpec};
use super::theme::{self, Area, LegendItem, Mark};
use crate::report::chart_data::{ChartData, TimeSeries};

/// Offered load: light grey, drawn under the lines.
const OFFERED: RGBColor = RGBColor(215, 215, 215);

/// Served requests per second of each bucket (bucket width from the next
/// bucket's start; the last bucket reuses the previous width).
fn served_rps(s: &TimeSeries) -> Vec<f64> {
    let t = &s.bucket_start_s;
    (0..s.len())
        .map(|i| {
            let width = if i + 1 < t.len() {
                t[i + 1] - t[i]
            } else if i > 0 {
                t[i] - t[i - 1]
            } else {
                f64::NAN
            };
            if width > 0.0 { s.served[i] / width } else { f64::NAN }
        })
        .collect()
}

/// The offered-load series to draw in grey: that of the first option with
/// any (all options see the same arrivals).
fn offered(data: &ChartData) -> Option<&TimeSeries> {
    let has = |s: &TimeSeries| s.offered_rps.iter().any(|v| v.is_finite());
    data.options.iter().map(|o| &o.series).find(|s| has(s))
}

/// Draws the chart on `root`.
pub fn draw(root: &Area<'_>, data: &ChartData) -> Result<(), DrawError> {
    let mut legend = theme::option_legend(data, Mark::Line);
    legend.push(LegendItem::new("offered load", OFFERED, Mark::Swatch));
    let title = format!("{}: capacity and load", data.scenario.name);
    let area = theme::header(root, &title, &theme::subtitle(data), &legend)?;
    let (unit, end) = theme::time_axis(data);
    let (_, height) = area.dim_in_pixel();
    let (top_area, bottom_area) = area.split_vertically(height * 11 / 20);

    // Top: instances.
    let max_instances = data
        .options
        .iter()
        .flat_map(|o| o.series.instances.iter().copied())
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    let x_top = AxisSpec { axis: ValueAxis::linear(0.0, end), desc: String::new(), fmt: &|v| fmt_number(*v) };
    let y_top = AxisSpec {
        axis: ValueAxis::linear(0.0, (max_instances * 1.12).max(1.0)),
        desc: "instances in service".into(),
        fmt: &|v| fmt_number(*v),
    };
    let mut plot = plot::build(&top_area, &x_top, &y_top)?;
    for (i, o) in data.options.iter().enumerate() {
        let s = &o.series;
        let style = theme::option_color(i).stroke_width(theme::LINE_WIDTH + 1);
        plot::line(&mut plot, &s.bucket_start_s, &s.instances, unit.seconds(), style)?;
    }

    // Bottom: offered load and served rate.
    let served: Vec<Vec<f64>> = data.options.iter().map(|o| served_rps(&o.series)).collect();
    let offered = offered(data);
    let max_rate = served
        .iter()
        .flatten()
        .copied()
        .chain(offered.iter().flat_map(|s| s.offered_rps.iter().copied()))
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    let x_bottom = AxisSpec { axis: ValueAxis::linear(0.0, end), desc: unit.label().into(), fmt: &|v| fmt_number(*v) };
    let y_bottom = AxisSpec {
        axis: ValueAxis::linear(0.0, (max_rate * 1.12).max(1.0)),
        desc: "requests / s".into(),
        fmt: &|v| fmt_number(*v),
    };
    let mut plot = plot::build(&bottom_area, &x_bottom, &y_bottom)?;
    if let Some(s) = offered {
        for run in segments(&s.bucket_start_s, &s.offered_rps, MAX_POINTS) {
            let (Some(first), Some(last)) = (run.first(), run.last()) else { continue };
            let mut polygon: Vec<(f64, f64)> = vec![(first.0 / unit.seconds(), 0.0)];
            polygon.extend(run.iter().map(|&(x, y)| (x / unit.seconds(), y.max(0.0))));
            polygon.push((last.0 / unit.seconds(), 0.0));
            plot.draw_series(std::iter::once(Polygon::new(polygon, OFFERED.filled())))?;
        }
    }
    for (i, (o, rps)) in data.options.iter().zip(&served).enumerate() {
        let style = theme::option_color(i).stroke_width(theme::LINE_WIDTH);
        plot::line(&mut plot, &o.series.bucket_start_s, rps, unit.seconds(), style)?;
    }
    let note = "lines: served requests / s per option;  grey area: offered load";
    let note_style = theme::text(theme::TICK_SIZE, theme::MUTED);
    plot.plotting_area().strip_coord_spec().draw_text(note, &note_style, (10, 8))?;
    Ok(())
}
