//! Building a themed plot (axes, grid, labels) and drawing data lines and
//! reference lines on it, shared by the chart files.

use plotters::prelude::*;

use super::DrawError;
use super::axis::ValueAxis;
use super::downsample::{MAX_POINTS, segments};
use super::labels::Rect;
use super::theme::{self, Area, INK};

/// A plot whose both axes are [`ValueAxis`].
pub type Plot<'a, 'b> = ChartContext<'a, BitMapBackend<'b>, Cartesian2d<ValueAxis, ValueAxis>>;

/// One axis of a plot: its scale, its description (with unit) and how its
/// tick labels are written.
pub struct AxisSpec<'f> {
    /// Scale and range.
    pub axis: ValueAxis,
    /// Description with unit, e.g. `time (h)`; empty for none.
    pub desc: String,
    /// Tick label format.
    pub fmt: &'f dyn Fn(&f64) -> String,
}

/// Builds a plot on `area` and draws its grid, axes and labels.
pub fn build<'a, 'b>(area: &'a Area<'b>, x: &AxisSpec<'_>, y: &AxisSpec<'_>) -> Result<Plot<'a, 'b>, DrawError> {
    let y_area = if y.desc.is_empty() { 80 } else { 112 };
    build_sized(area, x, y, y_area, true)
}

/// [`build`] with a y label area `y_area` pixels wide (for long labels)
/// and, unless `y_grid`, no horizontal grid lines.
pub fn build_sized<'a, 'b>(
    area: &'a Area<'b>,
    x: &AxisSpec<'_>,
    y: &AxisSpec<'_>,
    y_area: u32,
    y_grid: bool,
) -> Result<Plot<'a, 'b>, DrawError> {
    let mut plot = ChartBuilder::on(area)
        .margin_left(16)
        .margin_right(36)
        .margin_top(10)
        .margin_bottom(6)
        .x_label_area_size(if x.desc.is_empty() { 36 } else { 64 })
        .y_label_area_size(y_area)
        .build_cartesian_2d(x.axis, y.axis)?;
    let (bold, light) = theme::grid_colors();
    let mut mesh = plot.configure_mesh();
    if !y_grid {
        mesh.disable_y_mesh();
    }
    mesh.x_labels(13)
        .y_labels(9)
        .max_light_lines(9)
        .bold_line_style(bold)
        .light_line_style(light)
        .x_desc(x.desc.clone())
        .y_desc(y.desc.clone())
        .x_label_formatter(x.fmt)
        .y_label_formatter(y.fmt)
        .label_style(theme::text(theme::TICK_SIZE, INK))
        .axis_desc_style(theme::text(theme::AXIS_DESC_SIZE, INK))
        .axis_style(INK.mix(0.6))
        .draw()?;
    Ok(plot)
}

/// Draws an error bar from `from` to `to` (plot coordinates, clamped into
/// the axes) with short caps across both ends.
pub fn error_bar(plot: &Plot<'_, '_>, from: (f64, f64), to: (f64, f64), color: RGBColor) -> Result<(), DrawError> {
    let spec = plot.as_coord_spec();
    let clamp = |(x, y): (f64, f64)| Some((spec.x_spec().clamp(x)?, spec.y_spec().clamp(y)?));
    let (Some(a), Some(b)) = (clamp(from), clamp(to)) else {
        return Ok(());
    };
    let area = plot.plotting_area();
    let base = area.get_base_pixel();
    let px = |p: (f64, f64)| {
        let (x, y) = area.map_coordinate(&p);
        (x - base.0, y - base.1)
    };
    let (pa, pb) = (px(a), px(b));
    let style = color.stroke_width(2);
    let screen = area.strip_coord_spec();
    screen.draw(&PathElement::new(vec![pa, pb], style))?;
    let vertical = (pa.0 - pb.0).abs() < (pa.1 - pb.1).abs();
    for p in [pa, pb] {
        let cap = if vertical { vec![(p.0 - 6, p.1), (p.0 + 6, p.1)] } else { vec![(p.0, p.1 - 6), (p.0, p.1 + 6)] };
        screen.draw(&PathElement::new(cap, style))?;
    }
    Ok(())
}

/// Draws a triangle pointing down at the pixel `tip` (14 px wide, 14 px
/// tall, outlined in ink so it shows on a line of its own colour).
pub fn triangle_down(screen: &Area<'_>, tip: (i32, i32), color: RGBColor) -> Result<(), DrawError> {
    let (x, y) = tip;
    let corners = vec![(x, y), (x - 7, y - 14), (x + 7, y - 14)];
    screen.draw(&Polygon::new(corners.clone(), color.filled()))?;
    screen.draw(&PathElement::new([corners.as_slice(), &corners[..1]].concat(), INK.stroke_width(1)))?;
    Ok(())
}

/// Draws a [`triangle_down`] above each `(x / x_scale, y)` (clamped into the
/// axes), at most one per pixel column.
pub fn marks_above(plot: &Plot<'_, '_>, points: &[(f64, f64)], x_scale: f64, color: RGBColor) -> Result<(), DrawError> {
    let spec = plot.as_coord_spec();
    let area = plot.plotting_area();
    let base = area.get_base_pixel();
    let screen = area.strip_coord_spec();
    let mut last_x = None;
    for &(x, y) in points {
        let (Some(x), Some(y)) = (spec.x_spec().clamp(x / x_scale), spec.y_spec().clamp(y)) else { continue };
        let (px, py) = area.map_coordinate(&(x, y));
        let tip = (px - base.0, py - base.1 - 4);
        if last_x != Some(tip.0) {
            triangle_down(&screen, tip, color)?;
            last_x = Some(tip.0);
        }
    }
    Ok(())
}

/// Draws `ys` against `xs / x_scale` as a line, broken at NaN gaps,
/// thinned to at most [`MAX_POINTS`] points, clamped into the y axis.
/// A run of a single point is drawn as a dot so it stays visible.
pub fn line(plot: &Plot<'_, '_>, xs: &[f64], ys: &[f64], x_scale: f64, style: ShapeStyle) -> Result<(), DrawError> {
    let screen = plot.plotting_area().strip_coord_spec();
    for points in pixel_runs(plot, xs, ys, x_scale) {
        if points.len() == 1 {
            screen.draw(&Circle::new(points[0], style.stroke_width + 2, style.filled()))?;
        } else if points.len() > 1 {
            polyline(&screen, &points, style)?;
        }
    }
    Ok(())
}

/// How strongly a band shows its option's colour over white.
pub const BAND_OPACITY: f64 = 0.2;

/// Fills the band between `lo` and `hi` against `xs / x_scale` (clamped
/// into the y axis, broken where either end is NaN) in a light tint of
/// `color`: each pixel column spans the lowest `lo` to the highest `hi`
/// of the points in it, so a band of any length is a few thousand vertices.
pub fn band(
    plot: &Plot<'_, '_>,
    xs: &[f64],
    lo: &[f64],
    hi: &[f64],
    x_scale: f64,
    color: RGBColor,
) -> Result<(), DrawError> {
    let y_axis = *plot.as_coord_spec().y_spec();
    let scale = if x_scale > 0.0 { x_scale } else { 1.0 };
    let area = plot.plotting_area();
    let base = area.get_base_pixel();
    let screen = area.strip_coord_spec();
    let fill = color.mix(BAND_OPACITY).filled();
    let into_axis = |v: f64| v.clamp(y_axis.lo(), y_axis.hi());
    // Per pixel column of the current run: (x, top pixel of hi, bottom pixel of lo).
    let mut run: Vec<(i32, i32, i32)> = Vec::new();
    let flush = |run: &mut Vec<(i32, i32, i32)>| -> Result<(), DrawError> {
        if run.len() >= 2 {
            let upper = run.iter().map(|&(x, top, _)| (x, top));
            let polygon: Vec<(i32, i32)> = upper.chain(run.iter().rev().map(|&(x, _, bottom)| (x, bottom))).collect();
            screen.draw(&Polygon::new(polygon, fill))?;
        }
        run.clear();
        Ok(())
    };
    for ((&x, &l), &h) in xs.iter().zip(lo).zip(hi) {
        if !(x.is_finite() && l.is_finite() && h.is_finite()) {
            flush(&mut run)?;
            continue;
        }
        let (px, top) = area.map_coordinate(&(x / scale, into_axis(h)));
        let (_, bottom) = area.map_coordinate(&(x / scale, into_axis(l)));
        let (px, top, bottom) = (px - base.0, top - base.1, bottom - base.1);
        match run.last_mut() {
            Some(last) if last.0 == px => {
                last.1 = last.1.min(top);
                last.2 = last.2.max(bottom);
            }
            _ => run.push((px, top, bottom)),
        }
    }
    flush(&mut run)
}

/// Like [`line`], dashed and 2 px wide, for a secondary series of an option.
pub fn dashed_line(
    plot: &Plot<'_, '_>,
    xs: &[f64],
    ys: &[f64],
    x_scale: f64,
    color: RGBColor,
) -> Result<(), DrawError> {
    let screen = plot.plotting_area().strip_coord_spec();
    for points in pixel_runs(plot, xs, ys, x_scale) {
        dashed(&screen, &points, color)?;
    }
    Ok(())
}

/// The finite runs of `(xs / x_scale, ys)`, thinned, clamped into the y
/// axis, in plot-area pixels without repeats (plotters turns a zero-length
/// step of a wide line into a spike to the image corner).
fn pixel_runs(plot: &Plot<'_, '_>, xs: &[f64], ys: &[f64], x_scale: f64) -> Vec<Vec<(i32, i32)>> {
    let y_axis = *plot.as_coord_spec().y_spec();
    let scale = if x_scale > 0.0 { x_scale } else { 1.0 };
    let area = plot.plotting_area();
    let base = area.get_base_pixel();
    let pixel = |&(x, y): &(f64, f64)| {
        let (px, py) = area.map_coordinate(&(x / scale, y_axis.clamp(y)?));
        Some((px - base.0, py - base.1))
    };
    let runs = segments(xs, ys, MAX_POINTS).into_iter();
    runs.map(|run| {
        let mut points: Vec<(i32, i32)> = run.iter().filter_map(pixel).collect();
        points.dedup();
        points
    })
    .collect()
}

/// Draws a polyline in pixels. A wide line is drawn as 1-pixel paths
/// shifted along a plus-shaped brush (full width for horizontal and
/// vertical runs): plotters' own wide paths put a join vertex far off the
/// plot at near-reversals (the up-down zigzag of a thinned spike), and
/// filled quads per segment leave gaps on gentle slopes.
fn polyline(screen: &Area<'_>, points: &[(i32, i32)], style: ShapeStyle) -> Result<(), DrawError> {
    let thin = ShapeStyle { stroke_width: 1, ..style };
    let r = (style.stroke_width.max(1) as i32 - 1) / 2;
    let extra = (style.stroke_width.max(1) as i32 - 1) % 2;
    let mut offsets = vec![(0, 0)];
    for d in 1..=r {
        offsets.extend([(d, 0), (-d, 0), (0, d), (0, -d)]);
    }
    if extra == 1 {
        offsets.extend([(r + 1, 0), (0, r + 1)]);
    }
    for (dx, dy) in offsets {
        let shifted: Vec<(i32, i32)> = points.iter().map(|&(x, y)| (x + dx, y + dy)).collect();
        screen.draw(&PathElement::new(shifted, thin))?;
    }
    Ok(())
}

/// Draws a dashed horizontal line at `y` across the plot, its dashes
/// starting `phase_px` in (lines on the same row with other phases show
/// each colour in turn); returns its pixel row and right end (plot-area
/// pixels), `None` when `y` is off the axis.
pub fn dashed_hline(
    plot: &Plot<'_, '_>,
    y: f64,
    color: RGBColor,
    phase_px: i32,
) -> Result<Option<(i32, i32)>, DrawError> {
    let area = plot.plotting_area();
    let Some(y) = plot.as_coord_spec().y_spec().clamp(y) else {
        return Ok(None);
    };
    let x = plot.as_coord_spec().x_spec();
    let base = area.get_base_pixel();
    let (px0, py) = area.map_coordinate(&(x.lo(), y));
    let (px1, _) = area.map_coordinate(&(x.hi(), y));
    let (row, right) = (py - base.1, px1 - base.0);
    dashed(&area.strip_coord_spec(), &[(px0 - base.0 + phase_px, row), (right, row)], color)?;
    Ok(Some((row, right)))
}

/// Draws a dashed horizontal line at `y` across the plot, labelled at the
/// right end, above the line, on a white box so crossing lines don't hide it.
/// Returns the box (plot-area pixels) covered by the label.
pub fn hline(plot: &Plot<'_, '_>, y: f64, color: RGBColor, label: &str) -> Result<Option<Rect>, DrawError> {
    let Some((row, right)) = dashed_hline(plot, y, color, 0)? else {
        return Ok(None);
    };
    let screen = plot.plotting_area().strip_coord_spec();
    let style = theme::bold(theme::TICK_SIZE, color);
    let (w, h) = screen.estimate_text_size(label, &style)?;
    let (w, h) = (w as i32, h as i32);
    // Above the line, or below it when too close to the top.
    let top = if row - h - 8 >= 0 { row - h - 6 } else { row + 6 };
    Ok(Some(boxed_text(&screen, label, &style, (right - w - 8, top), (w, h))?))
}

/// Draws a dashed vertical line at `x` across the plot; returns its pixel
/// column and top end (plot-area pixels), `None` when `x` is off the axis.
pub fn dashed_vline(plot: &Plot<'_, '_>, x: f64, color: RGBColor) -> Result<Option<(i32, i32)>, DrawError> {
    let area = plot.plotting_area();
    let Some(x) = plot.as_coord_spec().x_spec().clamp(x) else {
        return Ok(None);
    };
    let y = plot.as_coord_spec().y_spec();
    let base = area.get_base_pixel();
    let (px, py0) = area.map_coordinate(&(x, y.lo()));
    let (_, py1) = area.map_coordinate(&(x, y.hi()));
    let (column, top) = (px - base.0, py1 - base.1);
    dashed(&area.strip_coord_spec(), &[(column, py0 - base.1), (column, top)], color)?;
    Ok(Some((column, top)))
}

/// Draws a dashed vertical line at `x` across the plot, labelled at the
/// top, right of the line, on a white box. Returns the box (plot-area
/// pixels) covered by the label, for keeping other labels off it.
pub fn vline(plot: &Plot<'_, '_>, x: f64, color: RGBColor, label: &str) -> Result<Option<Rect>, DrawError> {
    let Some((column, top)) = dashed_vline(plot, x, color)? else {
        return Ok(None);
    };
    let screen = plot.plotting_area().strip_coord_spec();
    let style = theme::bold(theme::TICK_SIZE, color);
    let (w, h) = screen.estimate_text_size(label, &style)?;
    let (w, h) = (w as i32, h as i32);
    let (width, _) = screen.dim_in_pixel();
    // Right of the line, or left of it when too close to the right edge.
    let left = if column + 8 + w < width as i32 { column + 8 } else { column - 8 - w };
    Ok(Some(boxed_text(&screen, label, &style, (left, top + 6), (w, h))?))
}

/// Draws `text` with its top-left at `pos` on a white box of `size` plus a
/// small margin; returns the box.
pub fn boxed_text(
    screen: &Area<'_>,
    text: &str,
    style: &TextStyle<'_>,
    pos: (i32, i32),
    size: (i32, i32),
) -> Result<Rect, DrawError> {
    let bg = (pos.0 - 4, pos.1 - 3, pos.0 + size.0 + 4, pos.1 + size.1 + 5);
    screen.draw(&Rectangle::new([(bg.0, bg.1), (bg.2, bg.3)], WHITE.filled()))?;
    screen.draw_text(text, style, pos)?;
    Ok(bg)
}

/// Draws a point marker of `radius` px at the pixel `centre`: filled, or
/// hollow (white inside a thick ring) for a point that misses the SLO.
pub fn dot(screen: &Area<'_>, centre: (i32, i32), radius: u32, color: RGBColor, hollow: bool) -> Result<(), DrawError> {
    if hollow {
        screen.draw(&Circle::new(centre, radius, WHITE.filled()))?;
        screen.draw(&Circle::new(centre, radius, color.stroke_width(radius.div_ceil(2).min(4))))?;
    } else {
        screen.draw(&Circle::new(centre, radius, color.filled()))?;
    }
    Ok(())
}

/// Draws a thin line from `point` to the nearest edge of the label box
/// `rect` when the label had to move more than 30 px away from its point.
pub fn leader(screen: &Area<'_>, point: (i32, i32), rect: Rect, color: RGBColor) -> Result<(), DrawError> {
    let end = super::labels::nearest_point(rect, point);
    if (end.0 - point.0).pow(2) + (end.1 - point.1).pow(2) > 30 * 30 {
        screen.draw(&PathElement::new(vec![point, end], color.mix(0.7).stroke_width(1)))?;
    }
    Ok(())
}

/// Draws an × in ink, `reach` px from the pixel `centre` each way.
pub fn cross(screen: &Area<'_>, centre: (i32, i32), reach: i32) -> Result<(), DrawError> {
    let (x, y) = centre;
    let style = INK.stroke_width(2);
    screen.draw(&PathElement::new(vec![(x - reach, y - reach), (x + reach, y + reach)], style))?;
    screen.draw(&PathElement::new(vec![(x - reach, y + reach), (x + reach, y - reach)], style))?;
    Ok(())
}

/// A dashed 2 px path through `points` (pixels of `screen`): 10 px dashes,
/// 6 px gaps, the pattern running on across the vertices.
pub fn dashed(screen: &Area<'_>, points: &[(i32, i32)], color: RGBColor) -> Result<(), DrawError> {
    const DASH: f64 = 10.0;
    const PERIOD: f64 = 16.0;
    let style = color.stroke_width(2);
    // Distance along the path at the start of the current segment.
    let mut walked = 0.0;
    for pair in points.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        let (dx, dy) = (f64::from(to.0 - from.0), f64::from(to.1 - from.1));
        let len = dx.hypot(dy);
        let at = |s: f64| (from.0 + (dx * s / len).round() as i32, from.1 + (dy * s / len).round() as i32);
        // The first dash touching this segment may have started on the previous one.
        let mut start = -(walked % PERIOD);
        while start < len {
            let (s0, s1) = (start.max(0.0), (start + DASH).min(len));
            if s1 > s0 {
                screen.draw(&PathElement::new(vec![at(s0), at(s1)], style))?;
            }
            start += PERIOD;
        }
        walked += len;
    }
    Ok(())
}
