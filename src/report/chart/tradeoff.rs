//! `tradeoff.png`: total cost against p99 response time, one point per
//! option (cheaper is lower, faster is further left), with 95 % interval
//! bars in both directions when replications ≥ 2, the SLO as a vertical
//! line, and each point labelled with its name and numbers.

use plotters::prelude::*;

use super::DrawError;
use super::axis::{ValueAxis, fmt_ms, fmt_number, fmt_usd, fmt_usd_label};
use super::labels::{self, Rect};
use super::plot::{self, AxisSpec};
use super::theme::{self, Area, INK, MUTED, Mark};
use crate::report::chart_data::ChartData;

/// One plotted option: index (colour), name, p99 ± ci, cost ± ci, SLO met.
struct Point {
    index: usize,
    name: String,
    p99: f64,
    p99_ci: f64,
    cost: f64,
    cost_ci: f64,
    meets_slo: Option<bool>,
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
        let color = theme::option_color(p.index);
        if p.meets_slo == Some(false) {
            screen.draw(&Circle::new(*c, 9, WHITE.filled()))?;
            screen.draw(&Circle::new(*c, 9, color.stroke_width(4)))?;
        } else {
            screen.draw(&Circle::new(*c, 9, color.filled()))?;
        }
    }

    // Labels: name over "cost, p99", placed clear of everything above.
    let name_style = theme::bold(theme::TEXT_SIZE, INK);
    let mut sizes = Vec::new();
    let mut texts = Vec::new();
    for (p, _) in &centres {
        let values = format!("{}, p99 {}", fmt_usd_label(p.cost), fmt_ms(p.p99));
        let (nw, nh) = screen.estimate_text_size(&p.name, &name_style)?;
        let (vw, vh) = screen.estimate_text_size(&values, &value_style)?;
        sizes.push((nw.max(vw) as i32 + 4, (nh + vh) as i32 + 10));
        texts.push(values);
    }
    let centre_px: Vec<(i32, i32)> = centres.iter().map(|(_, c)| *c).collect();
    let bounds = (4, 4, w as i32 - 4, h as i32 - 4);
    let spots = labels::place(&centre_px, &sizes, &obstacles, bounds);
    for (((p, c), values), ((lx, ly), (lw, lh))) in centres.iter().zip(&texts).zip(spots.iter().zip(&sizes)) {
        let color = theme::option_color(p.index);
        // A leader line when the label had to move away from its point.
        let end = labels::nearest_point((*lx, *ly, lx + lw, ly + lh), *c);
        if (end.0 - c.0).pow(2) + (end.1 - c.1).pow(2) > 30 * 30 {
            screen.draw(&PathElement::new(vec![*c, end], color.mix(0.7).stroke_width(1)))?;
        }
        screen.draw_text(&p.name, &theme::bold(theme::TEXT_SIZE, color), (*lx, *ly))?;
        screen.draw_text(values, &value_style, (*lx, ly + lh / 2 + 2))?;
    }
    if pts.is_empty() {
        theme::no_data(&screen, "no option served any request: nothing to plot")?;
    }
    Ok(())
}
