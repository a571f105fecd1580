//! `capacity.png`: two stacked panels over the same time axis. Top: the
//! capacity in service per option in vCPUs (instances × their vCPUs, a
//! shared dyno's at its CPU share, a serverless instance at its configured
//! vCPUs; see `hosting::VcpuRule`), so one 16-core server and ten 2-vCPU VPS
//! compare; dashed above it where instances were launched and still
//! booting, a triangle over each bucket with a spot interruption notice,
//! the 95 % band with replications. In the middle, when some option has a
//! database: each database's utilisation, in %. Bottom: the offered load as
//! a grey area.
//! Served rates are not drawn: where everything is served they lie on the
//! area's edge and hide it; what was not served is in `summary.csv`.

use plotters::prelude::*;

use super::DrawError;
use super::axis::{ValueAxis, fmt_number};
use super::downsample::{MAX_POINTS, segments};
use super::plot::{self, AxisSpec};
use super::theme::{self, Area, INK, LegendItem, Mark};
use super::time_axis::TimeAxis;
use crate::report::chart_data::{ChartData, OptionData, TimeSeries};

/// Offered load: light grey, drawn under the lines.
const OFFERED: RGBColor = RGBColor(215, 215, 215);

/// Share of the points at which two lines are within 1 % of the larger's
/// scale (0 when they have no point in common).
fn close_share(a: &[f64], b: &[f64]) -> f64 {
    let scale = a.iter().chain(b).filter(|v| v.is_finite()).fold(0.0_f64, |m, v| m.max(v.abs()));
    let pairs = a.iter().zip(b).filter(|(x, y)| x.is_finite() && y.is_finite());
    let (close, total) = pairs.fold((0, 0), |(c, t), (x, y)| (c + usize::from((x - y).abs() <= 0.01 * scale), t + 1));
    if total == 0 { 0.0 } else { close as f64 / total as f64 }
}

/// Line widths per option: a line mostly hidden under a later one (over
/// half its points) is drawn wider underneath so both stay visible as a band.
fn underlay_widths(series: &[&[f64]]) -> Vec<u32> {
    (0..series.len())
        .map(|i| {
            let hidden_by = series[i + 1..].iter().filter(|later| close_share(series[i], later) > 0.5).count();
            theme::LINE_WIDTH + 1 + 2 * hidden_by.min(4) as u32
        })
        .collect()
}

/// For each option, the first earlier option whose line its own all but
/// coincides with (at 95 % of the points or more), named in the legend.
fn same_as(series: &[&[f64]]) -> Vec<Option<usize>> {
    (0..series.len()).map(|i| (0..i).find(|&j| close_share(series[i], series[j]) >= 0.95)).collect()
}

/// The offered-load series to draw in grey: that of the first option with
/// any (all options see the same arrivals).
fn offered(data: &ChartData) -> Option<&TimeSeries> {
    let has = |s: &TimeSeries| s.offered_rps.iter().any(|v| v.is_finite());
    data.options.iter().map(|o| &o.series).find(|s| has(s))
}

/// Capacity launched (in service plus booting), for options that ever had
/// some booting; NaN away from booting so the dashes show only where they
/// differ from the solid line.
fn launched(s: &TimeSeries) -> Option<&[f64]> {
    s.launched.iter().any(|v| v.is_finite()).then_some(s.launched.as_slice())
}

/// (time, capacity in service) of the buckets with a spot interruption notice.
fn interrupted(s: &TimeSeries) -> Vec<(f64, f64)> {
    let points = s.bucket_start_s.iter().zip(&s.capacity).zip(&s.interruptions);
    points.filter(|(_, n)| **n > 0.0).map(|((t, c), _)| (*t, *c)).collect()
}

/// Draws the chart on `root`.
pub fn draw(root: &Area<'_>, data: &ChartData) -> Result<(), DrawError> {
    let capacity: Vec<&[f64]> = data.options.iter().map(|o| o.series.capacity.as_slice()).collect();
    let launched: Vec<Option<&[f64]>> = data.options.iter().map(|o| launched(&o.series)).collect();
    let mut legend = theme::option_legend(data, Mark::Line);
    for (i, same) in same_as(&capacity).into_iter().enumerate() {
        if let Some(j) = same {
            legend[i].label = format!("{} (same as {})", legend[i].label, data.options[j].name);
        }
    }
    if launched.iter().any(Option::is_some) {
        legend.push(LegendItem::new("incl. booting", INK, Mark::Dashed));
    }
    let interrupted: Vec<Vec<(f64, f64)>> = data.options.iter().map(|o| interrupted(&o.series)).collect();
    if interrupted.iter().any(|p| !p.is_empty()) {
        legend.push(LegendItem::new("spot interruption", INK, Mark::Triangle));
    }
    legend.extend(theme::band_legend(data.options.iter().any(|o| o.series.capacity_band.is_drawn())));
    legend.push(LegendItem::new("offered load", OFFERED, Mark::Swatch));
    let title = format!("{}: capacity and load", data.scenario.name);
    let area = theme::header(root, &title, &theme::subtitle(data, false), &legend)?;
    let time = TimeAxis::of(data);
    let (_, height) = area.dim_in_pixel();
    let has_db = |o: &&OptionData| o.series.db_utilization.iter().any(|v| v.is_finite());
    let (top_area, db_area, bottom_area) = if data.options.iter().any(|o| has_db(&o)) {
        let (top, rest) = area.split_vertically(height * 9 / 20);
        let (db, bottom) = rest.split_vertically(height * 5 / 20);
        (top, Some(db), bottom)
    } else {
        let (top, bottom) = area.split_vertically(height * 11 / 20);
        (top, None, bottom)
    };

    // Top: capacity. The axis fits the lines; bands beyond it are clipped
    // (with 2 replications a 95 % interval is 12.7 standard errors wide).
    let max_capacity = data
        .options
        .iter()
        .flat_map(|o| o.series.capacity.iter().copied())
        .chain(launched.iter().flatten().flat_map(|l| l.iter().copied()))
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    let x_top = AxisSpec { axis: time.value_axis(), desc: String::new(), fmt: &|v| time.label(*v) };
    let unit = if data.capacity_in_vcpus { "capacity in service (vCPUs)" } else { "instances in service" };
    let y_top = AxisSpec {
        axis: ValueAxis::linear(0.0, (max_capacity * 1.12).max(1.0)),
        desc: unit.into(),
        fmt: &|v| fmt_number(*v),
    };
    let plot = plot::build(&top_area, &x_top, &y_top)?;
    for (i, o) in data.options.iter().enumerate() {
        let (s, band) = (&o.series, &o.series.capacity_band);
        plot::band(&plot, &s.bucket_start_s, &band.lo, &band.hi, time.scale_s(), theme::option_color(i))?;
    }
    let widths = underlay_widths(&capacity);
    for (i, o) in data.options.iter().enumerate() {
        let style = theme::option_color(i).stroke_width(widths[i]);
        plot::line(&plot, &o.series.bucket_start_s, capacity[i], time.scale_s(), style)?;
    }
    for (i, (o, launched)) in data.options.iter().zip(&launched).enumerate() {
        if let Some(launched) = launched {
            plot::dashed_line(&plot, &o.series.bucket_start_s, launched, time.scale_s(), theme::option_color(i))?;
        }
    }
    for (i, points) in interrupted.iter().enumerate() {
        plot::marks_above(&plot, points, time.scale_s(), theme::option_color(i))?;
    }

    // Middle: each database's utilisation.
    if let Some(db_area) = db_area {
        let x = AxisSpec { axis: time.value_axis(), desc: String::new(), fmt: &|v| time.label(*v) };
        let y = AxisSpec {
            axis: ValueAxis::linear(0.0, 110.0),
            desc: "database (% busy)".into(),
            fmt: &|v| fmt_number(*v),
        };
        let plot = plot::build(&db_area, &x, &y)?;
        for (i, o) in data.options.iter().enumerate().filter(|(_, o)| has_db(o)) {
            let percent: Vec<f64> = o.series.db_utilization.iter().map(|u| u * 100.0).collect();
            let style = theme::option_color(i).stroke_width(theme::LINE_WIDTH);
            plot::line(&plot, &o.series.bucket_start_s, &percent, time.scale_s(), style)?;
        }
    }

    // Bottom: offered load.
    let offered = offered(data);
    let max_rate =
        offered.iter().flat_map(|s| s.offered_rps.iter().copied()).filter(|v| v.is_finite()).fold(0.0_f64, f64::max);
    let x_bottom = AxisSpec { axis: time.value_axis(), desc: time.caption(), fmt: &|v| time.label(*v) };
    let y_bottom = AxisSpec {
        axis: ValueAxis::linear(0.0, (max_rate * 1.12).max(1.0)),
        desc: "offered load (req/s)".into(),
        fmt: &|v| fmt_number(*v),
    };
    let plot = plot::build(&bottom_area, &x_bottom, &y_bottom)?;
    if let Some(s) = offered {
        let x = |t: f64| t / time.scale_s();
        for run in segments(&s.bucket_start_s, &s.offered_rps, MAX_POINTS) {
            let (Some(first), Some(last)) = (run.first(), run.last()) else { continue };
            let mut polygon: Vec<(f64, f64)> = vec![(x(first.0), 0.0)];
            polygon.extend(run.iter().map(|&(t, y)| (x(t), y.max(0.0))));
            polygon.push((x(last.0), 0.0));
            plot.plotting_area().draw(&Polygon::new(polygon, OFFERED.filled()))?;
        }
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

    #[test]
    fn coinciding_lines_are_named_in_the_legend() {
        // 16 vCPUs as 1 server × 16 cores, and as 8 VPS × 2 vCPUs: the same
        // line; 10 × 2 vCPUs = 20 differs.
        let server = [16.0; 20];
        let vps = [8.0 * 2.0; 20];
        let bigger = [10.0 * 2.0; 20];
        assert_eq!(same_as(&[&server, &bigger, &vps]), [None, None, Some(0)]);
        // Equal for half the time only: not "the same".
        let half: Vec<f64> = (0..20).map(|k| if k < 10 { 16.0 } else { 20.0 }).collect();
        assert_eq!(same_as(&[&server, &half]), [None, None]);
        // Within 1 % of the scale counts as the same (16 vs 16.1).
        assert_eq!(same_as(&[&server, &[16.1; 20]]), [None, Some(0)]);
    }
}
