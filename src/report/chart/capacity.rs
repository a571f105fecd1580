//! `capacity.png`: two stacked panels over the same time axis. Top: mean
//! instances in service per option (what autoscaling did), dashed above it
//! where instances were launched and still booting, a triangle over each
//! bucket with a spot interruption notice. Bottom: offered
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

/// The offered-load series to draw in grey: that of the first option with
/// any (all options see the same arrivals).
fn offered(data: &ChartData) -> Option<&TimeSeries> {
    let has = |s: &TimeSeries| s.offered_rps.iter().any(|v| v.is_finite());
    data.options.iter().map(|o| &o.series).find(|s| has(s))
}

/// Instances launched (in service plus booting), for options that ever had
/// one booting; NaN away from booting so the dashes show only where they
/// differ from the solid line.
fn launched(s: &TimeSeries) -> Option<&[f64]> {
    s.launched.iter().any(|v| v.is_finite()).then_some(s.launched.as_slice())
}

/// (time, instances in service) of the buckets with a spot interruption notice.
fn interrupted(s: &TimeSeries) -> Vec<(f64, f64)> {
    let points = s.bucket_start_s.iter().zip(&s.instances).zip(&s.interruptions);
    points.filter(|(_, n)| **n > 0.0).map(|((t, i), _)| (*t, *i)).collect()
}

/// Draws the chart on `root`.
pub fn draw(root: &Area<'_>, data: &ChartData) -> Result<(), DrawError> {
    let launched: Vec<Option<&[f64]>> = data.options.iter().map(|o| launched(&o.series)).collect();
    let mut legend = theme::option_legend(data, Mark::Line);
    if launched.iter().any(Option::is_some) {
        legend.push(LegendItem::new("incl. booting", INK, Mark::Dashed));
    }
    let interrupted: Vec<Vec<(f64, f64)>> = data.options.iter().map(|o| interrupted(&o.series)).collect();
    if interrupted.iter().any(|p| !p.is_empty()) {
        legend.push(LegendItem::new("spot interruption", INK, Mark::Triangle));
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
        .chain(launched.iter().flatten().flat_map(|l| l.iter().copied()))
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
    for (i, points) in interrupted.iter().enumerate() {
        plot::marks_above(&plot, points, unit.seconds(), theme::option_color(i))?;
    }

    // Bottom: offered load and served rate.
    let served: Vec<&[f64]> = data.options.iter().map(|o| o.series.served_rps.as_slice()).collect();
    let offered = offered(data);
    let max_rate = served
        .iter()
        .flat_map(|s| s.iter().copied())
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
    let served_widths = underlay_widths(&served);
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
