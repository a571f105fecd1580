//! `latency_cdf.png`: the pooled response-time distribution of each option.
//! x: response time (log when it spans more than a decade); y: share of
//! requests at least that fast, on a "nines" scale (50 %, 90 %, 99 %,
//! 99.9 %, … equally spaced) so the tail, where options differ, is readable.

use plotters::prelude::*;

use super::DrawError;
use super::axis::{ValueAxis, fmt_ms, fmt_number};
use super::labels::{self, Rect};
use super::plot::{self, AxisSpec};
use super::theme::{self, Area, Mark};
use crate::report::chart_data::ChartData;

/// Position of quantile `q` on the nines scale: `-log10(1 - q)`
/// (0.9 → 1, 0.99 → 2, …); `None` for q outside [0, 1) or NaN.
fn nines(q: f64) -> Option<f64> {
    (0.0..1.0).contains(&q).then(|| -(1.0 - q).log10())
}

/// The label of nines-scale position `v`: `90%`, `99.9%`, or `max` at `top`.
fn percent_label(v: f64, top: f64) -> String {
    if v >= top - 1e-9 {
        return "max".into();
    }
    let p = 100.0 * (1.0 - 10f64.powf(-v));
    let digits = (v.round() as usize).saturating_sub(2).min(6);
    format!("{p:.digits$}%")
}

/// Points along a polyline (pixels) at most 7 px apart, so 8 px boxes
/// around them cover it with no gap; its vertices included (a lone point too).
fn along(pixels: &[(i32, i32)]) -> impl Iterator<Item = (i32, i32)> + '_ {
    let lone = pixels.iter().copied().take(usize::from(pixels.len() == 1));
    lone.chain(pixels.windows(2).flat_map(|pair| {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        let steps = ((x1 - x0).abs().max((y1 - y0).abs()) / 4).max(1);
        (0..=steps).map(move |k| (x0 + (x1 - x0) * k / steps, y0 + (y1 - y0) * k / steps))
    }))
}

/// Draws the chart on `root`.
pub fn draw(root: &Area<'_>, data: &ChartData) -> Result<(), DrawError> {
    let legend = theme::option_legend(data, Mark::Line);
    let title = format!("{}: response-time distribution", data.scenario.name);
    let area = theme::header(root, &title, &theme::subtitle(data, false), &legend)?;

    let slo = data.scenario.slo_p99_ms.filter(|v| v.is_finite() && *v > 0.0);
    let finite = |&(q, ms): &(f64, f64)| q.is_finite() && ms.is_finite();
    let points = || data.options.iter().flat_map(|o| o.cdf.iter().filter(|p| finite(p)));
    // The highest quantile below 1 sets the top; q = 1 (the maximum) sits
    // half a nine above it.
    let deepest = points().filter_map(|&(q, _)| nines(q)).fold(1.0_f64, f64::max);
    let deepest = (deepest - 1e-6).ceil();
    let top = deepest + 0.5;
    let to_y = |q: f64| if q >= 1.0 { Some(top) } else { nines(q.max(0.0)) };

    let mut ticks = vec![nines(0.5).unwrap_or(0.3)];
    ticks.extend((1..=deepest as usize).map(|k| k as f64));
    ticks.push(top);
    let y_axis = ValueAxis::linear(0.0, top).with_ticks(&ticks);
    let x_axis = ValueAxis::auto(points().map(|&(_, ms)| ms).chain(slo));
    let fmt_y = move |v: &f64| percent_label(*v, top);
    let x = AxisSpec { axis: x_axis, desc: "response time (ms)".into(), fmt: &|v| fmt_number(*v) };
    let y = AxisSpec { axis: y_axis, desc: "requests served at least this fast (nines scale)".into(), fmt: &fmt_y };
    let plot = plot::build(&area, &x, &y)?;

    let area = plot.plotting_area();
    let base = area.get_base_pixel();
    let spec = plot.as_coord_spec();
    // Boxes along every curve, which the SLO label must not cover.
    let mut curves: Vec<(Rect, i64)> = Vec::new();
    for (i, o) in data.options.iter().enumerate() {
        let mut pts: Vec<(f64, f64)> =
            o.cdf.iter().filter(|p| finite(p)).filter_map(|&(q, ms)| Some((ms, to_y(q)?))).collect();
        pts.sort_by(|a, b| a.1.total_cmp(&b.1));
        let pixels: Vec<(i32, i32)> = pts
            .iter()
            .filter_map(|&(x, y)| Some(area.map_coordinate(&(spec.x_spec().clamp(x)?, spec.y_spec().clamp(y)?))))
            .map(|(x, y)| (x - base.0, y - base.1))
            .collect();
        curves.extend(along(&pixels).map(|(x, y)| ((x - 4, y - 4, x + 4, y + 4), labels::HARD)));
        let (xs, ys): (Vec<f64>, Vec<f64>) = pts.into_iter().unzip();
        // `line` wants ascending x; response times ascend with quantiles,
        // so plot y against x with x as the series' "time".
        let style = theme::option_color(i).stroke_width(theme::LINE_WIDTH + 1);
        plot::line(&plot, &xs, &ys, 1.0, style)?;
    }
    if let Some(slo) = slo
        && let Some((column, top)) = plot::dashed_vline(&plot, slo, theme::SLO)?
    {
        let screen = area.strip_coord_spec();
        let label = format!("SLO p99 ≤ {}", fmt_ms(slo));
        let style = theme::bold(theme::TICK_SIZE, theme::SLO);
        let (w, h) = screen.estimate_text_size(&label, &style)?;
        let (width, height) = screen.dim_in_pixel();
        // Next to the top of the line, or as near as no curve passes.
        let size = (w as i32 + 8, h as i32 + 8);
        let bounds = (4, 4, width as i32 - 4, height as i32 - 4);
        curves.push(((column - 2, top, column + 2, height as i32), labels::SOFT));
        let (x, y) = labels::place(&[(column, top + size.1 / 2)], &[size], &curves, bounds)[0];
        plot::boxed_text(&screen, &label, &style, (x + 4, y + 3), (w as i32, h as i32))?;
    }
    if data.options.iter().all(|o| !o.cdf.iter().any(finite)) {
        let msg = "no request was served: no response times to show";
        theme::no_data(&plot.plotting_area().strip_coord_spec(), msg)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nines_scale() {
        assert_eq!(nines(0.0), Some(0.0));
        assert!((nines(0.99).unwrap() - 2.0).abs() < 1e-9);
        assert_eq!(nines(1.0), None);
        assert_eq!(nines(f64::NAN), None);
        assert_eq!(percent_label(1.0, 4.5), "90%");
        assert_eq!(percent_label(3.0, 4.5), "99.9%");
        assert_eq!(percent_label(4.5, 4.5), "max");
        assert_eq!(percent_label(nines(0.5).unwrap(), 4.5), "50%");
        assert_eq!(percent_label(5.0, 5.5), "99.999%");
    }

    #[test]
    fn points_along_a_curve_leave_no_gap_between_their_boxes() {
        let pts: Vec<_> = along(&[(0, 0), (10, 0), (10, 9)]).collect();
        assert_eq!(pts.first(), Some(&(0, 0)));
        assert_eq!(pts.last(), Some(&(10, 9)));
        assert!(pts.windows(2).all(|p| (p[1].0 - p[0].0).abs().max((p[1].1 - p[0].1).abs()) <= 7), "{pts:?}");
        let long: Vec<_> = along(&[(0, 0), (7, 100)]).collect();
        assert!(long.windows(2).all(|p| (p[1].1 - p[0].1).abs() <= 7), "{long:?}");
        assert_eq!(along(&[(3, 4)]).collect::<Vec<_>>(), [(3, 4)]);
    }
}
