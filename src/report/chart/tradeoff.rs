//! `tradeoff.png`: total cost against p99 response time, one point per
//! option (cheaper is lower, faster is further left), with 95 % interval
//! bars in both directions when replications ≥ 2, the SLO as a vertical
//! line, and each point labelled with its name and numbers, and with the
//! objectives it misses when it misses the SLO (hollow).

use super::DrawError;
use super::axis::{ValueAxis, fmt_ms, fmt_number, fmt_usd, fmt_usd_label};
use super::labels::{self, Rect};
use super::plot::{self, AxisSpec};
use super::theme::{self, Area, MUTED, Mark};

/// Pixels between the lines of a point's label.
const LINE_GAP: i32 = 4;
use crate::report::chart_data::{ChartData, ScenarioInfo};
use crate::report::rows::SummaryRow;

/// One plotted option: index (colour), name, p99 ± ci, cost ± ci, SLO met
/// and the objectives missed.
struct Point {
    index: usize,
    name: String,
    p99: f64,
    p99_ci: f64,
    cost: f64,
    cost_ci: f64,
    meets_slo: Option<bool>,
    missed: Vec<&'static str>,
}

/// The objectives (`p99`, `success`) an option that misses the SLO misses,
/// judged from its summary's numbers: p99 above the limit, success below the
/// minimum. The numbers are rounded in the CSV, so when none is beyond its
/// limit, the one sitting exactly on it is the one the verdict missed.
fn missed(s: &SummaryRow, scenario: &ScenarioInfo) -> Vec<&'static str> {
    if s.meets_slo != Some(false) {
        return Vec::new();
    }
    let beyond = |or_on_limit: bool| -> Vec<&'static str> {
        let past = |v: Option<f64>, limit: f64, worse: fn(f64, f64) -> bool| {
            v.is_none_or(|v| worse(v, limit) || (or_on_limit && v == limit))
        };
        let p99 = scenario.slo_p99_ms.is_some_and(|l| past(s.p99_ms, l, |v, l| v > l));
        let success = scenario.slo_success.is_some_and(|l| past(s.success_ratio, l, |v, l| v < l));
        [(p99, "p99"), (success, "success")].into_iter().filter_map(|(m, name)| m.then_some(name)).collect()
    };
    let strictly = beyond(false);
    if strictly.is_empty() { beyond(true) } else { strictly }
}

/// The label line saying why a point is hollow: `misses p99`,
/// `misses p99 and success`; `None` when it misses nothing.
fn why_label(missed: &[&str]) -> Option<String> {
    (!missed.is_empty()).then(|| format!("misses {}", missed.join(" and ")))
}

fn points(data: &ChartData) -> (Vec<Point>, Vec<String>) {
    let ci = |v: Option<f64>| v.filter(|c| c.is_finite() && *c > 0.0).unwrap_or(0.0);
    let with_ci = data.scenario.replications >= 2;
    let mut shown = Vec::new();
    let mut missing = Vec::new();
    for (index, o) in data.options.iter().enumerate() {
        let s = o.summary.as_ref();
        let p99 = s.and_then(|s| s.p99_ms).filter(|v| v.is_finite() && *v > 0.0);
        let cost = s.map(|s| s.total_cost_usd).filter(|v| v.is_finite());
        match (s, p99, cost) {
            (Some(s), Some(p99), Some(cost)) => shown.push(Point {
                index,
                name: o.name.clone(),
                p99,
                p99_ci: if with_ci { ci(s.p99_ms_ci95) } else { 0.0 },
                cost,
                cost_ci: if with_ci { ci(s.total_cost_usd_ci95) } else { 0.0 },
                meets_slo: s.meets_slo,
                missed: missed(s, &data.scenario),
            }),
            _ => missing.push(o.name.clone()),
        }
    }
    (shown, missing)
}

/// Draws the chart on `root`.
pub fn draw(root: &Area<'_>, data: &ChartData) -> Result<(), DrawError> {
    let legend = theme::option_legend(data, Mark::Dot);
    let title = format!("{}: cost against p99 response time", data.scenario.name);
    let area = theme::header(root, &title, &theme::subtitle(data, true), &legend)?;
    let (pts, missing) = points(data);
    let slo = data.scenario.slo_p99_ms.filter(|v| v.is_finite() && *v > 0.0);

    let xs = pts.iter().flat_map(|p| [p.p99 - p.p99_ci, p.p99 + p.p99_ci, p.p99]);
    let mut x_axis = ValueAxis::auto(xs.chain(slo).filter(|v| *v > 0.0));
    if !x_axis.is_log() {
        // Leave room right of the rightmost point for its label.
        x_axis = ValueAxis::linear(0.0, x_axis.hi() * 1.1);
    }
    let top_cost = pts.iter().map(|p| p.cost + p.cost_ci).fold(0.0_f64, f64::max);
    let y_axis = ValueAxis::linear(0.0, if top_cost > 0.0 { top_cost * 1.15 } else { 1.0 });
    let x = AxisSpec { axis: x_axis, desc: "p99 response time (ms)".into(), fmt: &|v| fmt_number(*v) };
    let y = AxisSpec { axis: y_axis, desc: "total cost over the horizon (USD)".into(), fmt: &|v| fmt_usd(*v) };
    let plot = plot::build(&area, &x, &y)?;
    let area_px = plot.plotting_area();
    let base = area_px.get_base_pixel();
    let screen = area_px.strip_coord_spec();
    let (w, h) = screen.dim_in_pixel();
    let spec = plot.as_coord_spec();
    // Plot coordinates to plot-area pixels, clamped into the axes.
    let to_px = |x: f64, y: f64| -> Option<(i32, i32)> {
        let p = area_px.map_coordinate(&(spec.x_spec().clamp(x)?, spec.y_spec().clamp(y)?));
        Some((p.0 - base.0, p.1 - base.1))
    };

    // Everything labels must not cover: the SLO line and its label, the
    // notes, interval bars and markers.
    let mut obstacles: Vec<(Rect, i64)> = Vec::new();
    if let Some(slo) = slo {
        let label_box = plot::vline(&plot, slo, theme::SLO, &format!("SLO p99 ≤ {}", fmt_ms(slo)))?;
        obstacles.extend(label_box.map(|b| (b, labels::HARD)));
        if let Some((px, _)) = to_px(slo, spec.y_spec().lo()) {
            obstacles.push(((px - 3, 0, px + 3, h as i32), labels::SOFT));
        }
    }
    let value_style = theme::text(theme::TICK_SIZE, MUTED);
    let mut notes = Vec::new();
    if slo.is_some() {
        notes.push("hollow marker: misses the SLO".to_string());
    }
    if !missing.is_empty() {
        notes.push(format!("not shown (nothing served): {}", missing.join(", ")));
    }
    for (k, note) in notes.iter().rev().enumerate() {
        let (right, bottom) = (w as i32 - 10, h as i32 - 8 - 24 * k as i32);
        let (nw, nh) = screen.estimate_text_size(note, &value_style)?;
        let (nw, nh) = (nw as i32, nh as i32);
        plot::boxed_text(&screen, note, &value_style, (right - nw, bottom - nh), (nw, nh))?;
        obstacles.push(((right - nw - 4, bottom - nh - 4, right + 4, bottom + 4), labels::HARD));
    }

    let mut centres = Vec::new();
    for p in &pts {
        let color = theme::option_color(p.index);
        if p.p99_ci > 0.0 {
            plot::error_bar(&plot, (p.p99 - p.p99_ci, p.cost), (p.p99 + p.p99_ci, p.cost), color)?;
            if let (Some(a), Some(b)) = (to_px(p.p99 - p.p99_ci, p.cost), to_px(p.p99 + p.p99_ci, p.cost)) {
                obstacles.push(((a.0 - 2, a.1 - 8, b.0 + 2, b.1 + 8), labels::SOFT));
            }
        }
        if p.cost_ci > 0.0 {
            plot::error_bar(&plot, (p.p99, p.cost - p.cost_ci), (p.p99, p.cost + p.cost_ci), color)?;
            if let (Some(a), Some(b)) = (to_px(p.p99, p.cost + p.cost_ci), to_px(p.p99, p.cost - p.cost_ci)) {
                obstacles.push(((a.0 - 8, a.1 - 2, b.0 + 8, b.1 + 2), labels::SOFT));
            }
        }
        if let Some(c) = to_px(p.p99, p.cost) {
            obstacles.push(((c.0 - 11, c.1 - 11, c.0 + 11, c.1 + 11), labels::HARD));
            centres.push((p, c));
        }
    }
    for (p, c) in &centres {
        plot::dot(&screen, *c, 9, theme::option_color(p.index), p.meets_slo == Some(false))?;
    }

    // Labels: name over "cost, p99" (over "misses …" for a hollow point),
    // placed clear of everything above.
    let why_style = theme::bold(theme::TICK_SIZE, theme::SLO);
    let mut sizes = Vec::new();
    let mut blocks = Vec::new();
    for (p, _) in &centres {
        let mut lines = vec![
            (p.name.clone(), theme::bold(theme::TEXT_SIZE, theme::option_color(p.index))),
            (format!("{}, p99 {}", fmt_usd_label(p.cost), fmt_ms(p.p99)), value_style.clone()),
        ];
        lines.extend(why_label(&p.missed).map(|why| (why, why_style.clone())));
        let mut block = Vec::new();
        let (mut width, mut height) = (0, 0);
        for (text, style) in lines {
            let (tw, th) = screen.estimate_text_size(&text, &style)?;
            width = width.max(tw as i32);
            height += th as i32 + LINE_GAP;
            block.push((text, style, th as i32));
        }
        sizes.push((width + 4, height + 6));
        blocks.push(block);
    }
    let centre_px: Vec<(i32, i32)> = centres.iter().map(|(_, c)| *c).collect();
    let bounds = (4, 4, w as i32 - 4, h as i32 - 4);
    let spots = labels::place(&centre_px, &sizes, &obstacles, bounds);
    for (((p, c), lines), ((lx, ly), (lw, lh))) in centres.iter().zip(&blocks).zip(spots.iter().zip(&sizes)) {
        plot::leader(&screen, *c, (*lx, *ly, lx + lw, ly + lh), theme::option_color(p.index))?;
        let mut y = *ly;
        for (text, style, height) in lines {
            screen.draw_text(text, style, (*lx, y))?;
            y += height + LINE_GAP;
        }
    }
    if pts.is_empty() {
        theme::no_data(&screen, "no option served any request: nothing to plot")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(p99: Option<f64>, success: Option<f64>) -> ScenarioInfo {
        ScenarioInfo {
            name: "s".into(),
            horizon_s: 3600.0,
            replications: 1,
            slo_p99_ms: p99,
            slo_success: success,
            trace_start_unix_s: None,
        }
    }

    fn row(p99: f64, success: f64, meets: bool) -> SummaryRow {
        SummaryRow { p99_ms: Some(p99), success_ratio: Some(success), meets_slo: Some(meets), ..SummaryRow::default() }
    }

    #[test]
    fn a_hollow_point_says_which_objective_it_misses() {
        let slo = info(Some(400.0), Some(0.999));
        assert_eq!(missed(&row(300.0, 0.99, false), &slo), ["success"]);
        assert_eq!(missed(&row(500.0, 1.0, false), &slo), ["p99"]);
        assert_eq!(missed(&row(500.0, 0.5, false), &slo), ["p99", "success"]);
        assert!(missed(&row(300.0, 1.0, true), &slo).is_empty());
        // Nothing served: no p99 and no success ratio miss both.
        let none = SummaryRow { meets_slo: Some(false), ..SummaryRow::default() };
        assert_eq!(missed(&none, &slo), ["p99", "success"]);
        // Only the objectives the SLO has can be missed.
        assert_eq!(missed(&row(500.0, 0.5, false), &info(Some(400.0), None)), ["p99"]);
        // p99 rounded onto the limit while the verdict (unrounded) missed it.
        assert_eq!(missed(&row(400.0, 1.0, false), &slo), ["p99"]);
        assert_eq!(why_label(&["success"]).as_deref(), Some("misses success"));
        assert_eq!(why_label(&["p99", "success"]).as_deref(), Some("misses p99 and success"));
        assert_eq!(why_label(&[]), None);
    }
}
