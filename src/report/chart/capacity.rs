//! `capacity.png`: two stacked panels over the same time axis. Top: mean
//! instances in service per option (what autoscaling did), dashed above it
//! where instances were launched and still booting. Bottom: offered
//! load as a grey area with each option's served rate as a line, so load
//! that was not served (timeouts, rejections) shows as a gap below the area.

use plotters::prelude::*;

use super::DrawError;
use super::axis::{ValueAxis, fmt_number};
use super::downsample::{MAX_POINTS, segments};
use super::plot::{self, AxisSpec};
use super::theme::{self, Area, INK, LegendItem, Mark};
use crate::report::chart_data::{ChartData, TimeSeries};

/// Offered load: light grey, drawn under the lines.
const OFFERED: RGBColor = RGBColor(215, 215, 215);

/// Line widths per option: lines hidden under a later, identical one
/// (instance counts of same-sized options; served rates when all load was
/// served) are drawn wider underneath so each stays visible as a band.
fn underlay_widths(series: &[&[f64]]) -> Vec<u32> {
    let same = |a: &[f64], b: &[f64]| {
        let scale = a.iter().chain(b).filter(|v| v.is_finite()).fold(0.0_f64, |m, v| m.max(v.abs()));
        let pairs = a.iter().zip(b).filter(|(x, y)| x.is_finite() && y.is_finite());
        let (close, total) =
            pairs.fold((0, 0), |(c, t), (x, y)| (c + usize::from((x - y).abs() <= 0.01 * scale), t + 1));
        total > 0 && close * 2 > total
    };
    (0..series.len())
        .map(|i| {
            let hidden_by = series[i + 1..].iter().filter(|later| same(series[i], later)).count();
            theme::LINE_WIDTH + 1 + 2 * hidden_by.min(4) as u32
        })
        .collect()
}

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

/// Instances launched (in service plus booting) per bucket, for options that
/// ever had one booting; NaN away from booting so the dashes show only where
/// they differ from the solid line (each dashed run starts and ends on it).
fn launched(s: &TimeSeries) -> Option<Vec<f64>> {
    let booting = |i: usize| s.pending.get(i).is_some_and(|&p| p > 0.0);
    (0..s.len()).any(booting).then(|| {
        let near_booting = |i: usize| booting(i) || (i > 0 && booting(i - 1)) || booting(i + 1);
        (0..s.len()).map(|i| if near_booting(i) { s.instances[i] + s.pending[i] } else { f64::NAN }).collect()
    })
}

/// Draws the chart on `root`.
pub fn draw(root: &Area<'_>, data: &ChartData) -> Result<(), DrawError> {
    let launched: Vec<Option<Vec<f64>>> = data.options.iter().map(|o| launched(&o.series)).collect();
    let mut legend = theme::option_legend(data, Mark::Line);
    if launched.iter().any(Option::is_some) {
        legend.push(LegendItem::new("incl. booting", INK, Mark::Dashed));
    }
    legend.push(LegendItem::new("offered load", OFFERED, Mark::Swatch));
    let title = format!("{}: capacity and load", data.scenario.name);
    let area = theme::header(root, &title, &theme::subtitle(data, false), &legend)?;
    let (unit, end) = theme::time_axis(data);
    let (_, height) = area.dim_in_pixel();
    let (top_area, bottom_area) = area.split_vertically(height * 11 / 20);

    // Top: instances.
    let max_instances = data
        .options
        .iter()
        .flat_map(|o| o.series.instances.iter().copied())
        .chain(launched.iter().flatten().flatten().copied())
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    let x_top = AxisSpec { axis: theme::time_value_axis(unit, end), desc: String::new(), fmt: &|v| fmt_number(*v) };
    let y_top = AxisSpec {
        axis: ValueAxis::linear(0.0, (max_instances * 1.12).max(1.0)),
        desc: "instances in service".into(),
        fmt: &|v| fmt_number(*v),
    };
    let plot = plot::build(&top_area, &x_top, &y_top)?;
    let instances: Vec<&[f64]> = data.options.iter().map(|o| o.series.instances.as_slice()).collect();
    let instance_widths = underlay_widths(&instances);
    for (i, o) in data.options.iter().enumerate() {
        let s = &o.series;
        let style = theme::option_color(i).stroke_width(instance_widths[i]);
        plot::line(&plot, &s.bucket_start_s, &s.instances, unit.seconds(), style)?;
    }
    for (i, (o, launched)) in data.options.iter().zip(&launched).enumerate() {
        if let Some(launched) = launched {
            plot::dashed_line(&plot, &o.series.bucket_start_s, launched, unit.seconds(), theme::option_color(i))?;
        }
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
    let x_bottom =
        AxisSpec { axis: theme::time_value_axis(unit, end), desc: unit.label().into(), fmt: &|v| fmt_number(*v) };
    let y_bottom = AxisSpec {
        axis: ValueAxis::linear(0.0, (max_rate * 1.12).max(1.0)),
        desc: "served, offered (req/s)".into(),
        fmt: &|v| fmt_number(*v),
    };
    let plot = plot::build(&bottom_area, &x_bottom, &y_bottom)?;
    let served_widths = underlay_widths(&served.iter().map(Vec::as_slice).collect::<Vec<_>>());
    if let Some(s) = offered {
        for run in segments(&s.bucket_start_s, &s.offered_rps, MAX_POINTS) {
            let (Some(first), Some(last)) = (run.first(), run.last()) else { continue };
            let mut polygon: Vec<(f64, f64)> = vec![(first.0 / unit.seconds(), 0.0)];
            polygon.extend(run.iter().map(|&(x, y)| (x / unit.seconds(), y.max(0.0))));
            polygon.push((last.0 / unit.seconds(), 0.0));
            plot.plotting_area().draw(&Polygon::new(polygon, OFFERED.filled()))?;
        }
    }
    for (i, (o, rps)) in data.options.iter().zip(&served).enumerate() {
        let style = theme::option_color(i).stroke_width(served_widths[i]);
        plot::line(&plot, &o.series.bucket_start_s, rps, unit.seconds(), style)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hidden_lines_are_widened() {
        let a = [2.0, 2.0, 3.0];
        let b = [5.0, 5.0, 6.0];
        let w = theme::LINE_WIDTH + 1;
        // a and b differ: same width. a is hidden under the later a.
        assert_eq!(underlay_widths(&[&a, &b]), [w, w]);
        assert_eq!(underlay_widths(&[&a, &b, &a]), [w + 2, w, w]);
        assert_eq!(underlay_widths(&[&a, &a, &a]), [w + 4, w + 2, w]);
        assert_eq!(underlay_widths(&[&[f64::NAN], &[f64::NAN]]), [w, w]);
    }
}
