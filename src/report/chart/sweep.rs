//! `sweep.png`: total cost (top panel) and p99 response time (bottom panel)
//! against the first swept key, one series per option (per option and value
//! of the other keys when several vary). A numeric key is a value axis and
//! each series a line through its points; a key with other values (instance
//! types, plans) gets one category per value, in the order given, and its
//! points are not joined (set side by side, one column per series). A marker
//! is hollow where the point misses the SLO, ringed at the option's optimum
//! (its cheapest point meeting the SLO) and crossed, with the share, where
//! requests timed out. An option no swept key touches is the same at every
//! point: one dashed reference line per panel, labelled with its value.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use plotters::prelude::*;

use super::axis::{ValueAxis, fmt_ms, fmt_number, fmt_usd};
use super::labels::{self, Rect};
use super::plot::{self, AxisSpec, Plot};
use super::theme::{self, Area, INK, LegendItem, MUTED, Mark};
use super::{ChartError, DrawError};

/// Most legend entries for series before the rest are summarised.
const MAX_LEGEND: usize = 24;

/// The share of a point's finished requests that timed out from which the
/// point is crossed: from 1 % on, the p99 over all requests is at least the
/// timeout, while the p99 drawn (of served requests only) stays below it.
pub const TIMED_OUT_SHARE: f64 = 0.01;

/// Most timed-out points given a text label (beyond, the crosses and the
/// legend say it: labels would cover the chart).
const MAX_TIMEOUT_LABELS: usize = 12;

/// What `sweep.png` shows, read from `sweep.csv` and the sweep manifest.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SweepChartData {
    /// Scenario name, in the title.
    pub scenario: String,
    /// Swept keys in order; the first is the x axis.
    pub keys: Vec<String>,
    /// One row per point and option.
    pub rows: Vec<SweepChartRow>,
    /// Replications per point.
    pub replications: u32,
    /// The SLO's p99 when it is the same at every point.
    pub slo_p99_ms: Option<f64>,
    /// The SLO's success ratio when it is the same at every point.
    pub slo_success: Option<f64>,
    /// Options no swept key touches (the same at every point).
    pub not_swept: Vec<String>,
    /// Keys after the first that go in step with it (`--link` keys when the
    /// x axis is one): they split no series, their value follows x.
    pub in_step_with_x: Vec<String>,
}

/// One row of `sweep.csv`, as far as the chart needs it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SweepChartRow {
    /// The point's value of each key.
    pub labels: Vec<String>,
    /// Option name.
    pub option: String,
    /// Total cost over the horizon.
    pub total_cost_usd: Option<f64>,
    /// p99 response time (ms), `None` when nothing was served.
    pub p99_ms: Option<f64>,
    /// Whether the point meets the SLO (`None` without an SLO).
    pub meets_slo: Option<bool>,
    /// Whether the row is its option's optimum (cheapest meeting the SLO).
    pub optimum: bool,
    /// `timed_out` ÷ finished requests (`offered − in_flight`), `None`
    /// when none finished.
    pub timed_out_share: Option<f64>,
}

/// One point of a series: x (with its side-by-side offset on a categorical
/// axis), total cost, p99, SLO verdict, optimum, share timed out.
struct Dot {
    x: f64,
    cost: Option<f64>,
    p99: Option<f64>,
    meets: Option<bool>,
    optimum: bool,
    timed_out_share: Option<f64>,
}

impl Dot {
    /// The share timed out when it reaches [`TIMED_OUT_SHARE`].
    fn timed_out(&self) -> Option<f64> {
        self.timed_out_share.filter(|s| *s >= TIMED_OUT_SHARE)
    }
}

/// One drawn series: its legend label, colour and points.
struct Series {
    label: String,
    color: RGBColor,
    points: Vec<Dot>,
}

/// An option no swept key touches: its values, the same at every point.
struct Reference {
    option: String,
    color: RGBColor,
    cost: Option<f64>,
    p99: Option<f64>,
}

/// The x values: numbers when every value of the first key is one, else
/// positions 0, 1, … of the values in the order given.
struct XAxis {
    labels: Vec<String>,
    /// Each label's position in `labels` (a sweep may have 10⁵ of them).
    index: HashMap<String, usize>,
    numbers: Option<Vec<f64>>,
}

impl XAxis {
    fn of(data: &SweepChartData) -> XAxis {
        let (mut labels, mut index) = (Vec::new(), HashMap::new());
        for l in data.rows.iter().filter_map(|row| row.labels.first()) {
            if !index.contains_key(l) {
                index.insert(l.clone(), labels.len());
                labels.push(l.clone());
            }
        }
        let numbers: Option<Vec<f64>> =
            labels.iter().map(|l| l.trim().parse::<f64>().ok().filter(|v| v.is_finite())).collect();
        XAxis { labels, index, numbers }
    }

    /// Whether the values are categories (not all numbers): points are
    /// then not joined.
    fn categorical(&self) -> bool {
        self.numbers.is_none()
    }

    fn x(&self, label: &str) -> f64 {
        let i = self.index.get(label).copied().unwrap_or(0);
        self.numbers.as_ref().map_or(i as f64, |n| n[i])
    }

    fn axis(&self) -> ValueAxis {
        match &self.numbers {
            Some(n) => {
                let lo = n.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = n.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let pad = if hi > lo { (hi - lo) * 0.04 } else { 0.5 };
                let axis = ValueAxis::linear(lo - pad, hi + pad);
                let integers = n.iter().all(|v| v.fract() == 0.0);
                if integers && n.len() <= 16 {
                    let mut ticks = n.clone();
                    ticks.sort_by(f64::total_cmp);
                    axis.with_ticks(&ticks)
                } else {
                    axis
                }
            }
            None => {
                let count = self.labels.len().max(1);
                let step = count.div_ceil(16);
                let ticks: Vec<f64> = (0..count).step_by(step).map(|i| i as f64).collect();
                ValueAxis::linear(-0.5, count as f64 - 0.5).with_ticks(&ticks)
            }
        }
    }

    fn tick(&self, v: f64) -> String {
        if self.numbers.is_some() {
            return fmt_number(v);
        }
        let i = v.round();
        match self.labels.get(i as usize).filter(|_| (v - i).abs() < 1e-6 && i >= 0.0) {
            Some(l) if l.chars().count() > 18 => format!("{}…", l.chars().take(17).collect::<String>()),
            Some(l) => l.clone(),
            None => String::new(),
        }
    }
}

/// The key with its unit, judged from its name (`traffic.base_rps (requests/s)`).
pub fn axis_label(key: &str) -> String {
    let last = key.rsplit('.').next().unwrap_or(key);
    let units: [(&str, &str); 9] = [
        ("_rps", "requests/s"),
        ("_ms", "ms"),
        ("usd_per_month", "USD/month"),
        ("usd_per_gb", "USD/GB"),
        ("usd_per_kwh", "USD/kWh"),
        ("_usd", "USD"),
        ("_kb", "kB"),
        ("_w", "W"),
        ("per_month", "per month"),
    ];
    let counts = ["servers", "cores", "instances", "vcpus", "dynos", "count", "host_cores", "min", "max"];
    let unit = units.iter().find(|(suffix, _)| last.ends_with(suffix)).map(|(_, u)| *u);
    match unit.or(counts.contains(&last).then_some("count")) {
        Some(u) => format!("{key} ({u})"),
        None => key.to_string(),
    }
}

/// The series and reference lines of `data`. Colours follow the options
/// in scenario order with one key; with several, each series and then each
/// reference line takes the next colour.
fn series(data: &SweepChartData, x: &XAxis) -> (Vec<Series>, Vec<Reference>) {
    let mut options: Vec<&str> = Vec::new();
    let mut out: Vec<(String, Vec<String>, Series)> = Vec::new();
    let mut refs: Vec<Reference> = Vec::new();
    for row in &data.rows {
        if !options.contains(&row.option.as_str()) {
            options.push(&row.option);
        }
        if data.not_swept.contains(&row.option) {
            if !refs.iter().any(|r| r.option == row.option) {
                let (cost, p99) = (row.total_cost_usd, row.p99_ms);
                refs.push(Reference { option: row.option.clone(), color: BLACK, cost, p99 });
            }
            continue;
        }
        let splitting = data.keys.iter().zip(&row.labels).skip(1).filter(|(k, _)| !data.in_step_with_x.contains(k));
        let others: Vec<String> = splitting.map(|(_, v)| v.clone()).collect();
        let pos = match out.iter().position(|(o, rest, _)| *o == row.option && *rest == others) {
            Some(pos) => pos,
            None => {
                let splitting = data.keys.iter().skip(1).filter(|k| !data.in_step_with_x.contains(k));
                let pairs: Vec<String> = splitting.zip(&others).map(|(k, v)| format!("{k}={v}")).collect();
                let label = if pairs.is_empty() {
                    row.option.clone()
                } else {
                    format!("{} · {}", row.option, pairs.join(", "))
                };
                out.push((row.option.clone(), others, Series { label, color: BLACK, points: Vec::new() }));
                out.len() - 1
            }
        };
        out[pos].2.points.push(Dot {
            x: x.x(row.labels.first().map_or("", String::as_str)),
            cost: row.total_cost_usd,
            p99: row.p99_ms,
            meets: row.meets_slo,
            optimum: row.optimum,
            timed_out_share: row.timed_out_share,
        });
    }
    let single = data.keys.len() <= 1;
    let option_index = |name: &str| options.iter().position(|o| *o == name).unwrap_or(0);
    let count = out.len();
    let all: Vec<Series> = out
        .into_iter()
        .enumerate()
        .map(|(i, (option, _, mut s))| {
            s.color = theme::option_color(if single { option_index(&option) } else { i });
            s.points.sort_by(|a, b| a.x.total_cmp(&b.x));
            if x.categorical() {
                s.points.iter_mut().for_each(|p| p.x += side_by_side(i, count));
            }
            s
        })
        .collect();
    for (j, r) in refs.iter_mut().enumerate() {
        r.color = theme::option_color(if single { option_index(&r.option) } else { count + j });
    }
    (all, refs)
}

/// The offset from its category's centre of series `i` of `n`: the series
/// side by side over half a category's width, so no marker hides another.
fn side_by_side(i: usize, n: usize) -> f64 {
    if n < 2 { 0.0 } else { -0.25 + 0.5 * i as f64 / (n - 1) as f64 }
}

/// The legend: each series (a line through dots, or dots alone on a
/// categorical axis), each reference line, then what the marker shapes
/// used mean.
fn legend(all: &[Series], refs: &[Reference], categorical: bool) -> Vec<LegendItem> {
    let mark = if categorical { Mark::Point } else { Mark::Dot };
    let mut items: Vec<LegendItem> =
        all.iter().take(MAX_LEGEND).map(|s| LegendItem::new(s.label.clone(), s.color, mark)).collect();
    if all.len() > MAX_LEGEND {
        let more = format!("… {} more series (see sweep.csv)", all.len() - MAX_LEGEND);
        items.push(LegendItem::new(more, MUTED, Mark::Swatch));
    }
    items.extend(refs.iter().map(|r| LegendItem::new(format!("{} (not swept)", r.option), r.color, Mark::Dashed)));
    let dots = || all.iter().flat_map(|s| &s.points);
    let shapes = [
        (dots().any(|p| p.meets == Some(false)), Mark::Hollow, "misses the SLO".to_string()),
        (dots().any(|p| p.optimum), Mark::Ringed, "the option's cheapest point meeting the SLO".to_string()),
        (
            dots().any(|p| p.timed_out().is_some()),
            Mark::Cross,
            format!("≥ {:.0} % of requests timed out (p99 of the served)", TIMED_OUT_SHARE * 100.0),
        ),
    ];
    items.extend(shapes.into_iter().filter(|(used, _, _)| *used).map(|(_, m, label)| LegendItem::new(label, MUTED, m)));
    items
}

/// Draws `sweep.png` at `path` (same data, same bytes).
pub fn render_sweep(data: &SweepChartData, path: &Path) -> Result<(), ChartError> {
    theme::ensure_font().map_err(ChartError::Font)?;
    let draw_err = |DrawError(message)| ChartError::Draw { path: path.to_path_buf(), message };
    let root = BitMapBackend::new(path, (theme::WIDTH, theme::HEIGHT)).into_drawing_area();
    draw(&root, data).map_err(draw_err)?;
    root.present().map_err(|e| draw_err(e.into()))
}

fn draw(root: &Area<'_>, data: &SweepChartData) -> Result<(), DrawError> {
    let x = XAxis::of(data);
    let (all, refs) = series(data, &x);
    let first = data.keys.first().map_or("", String::as_str);
    let title = format!("{}: cost and p99 against {first}", data.scenario);
    let legend = legend(&all, &refs, x.categorical());
    let area = theme::header(root, &title, &subtitle(data, x.labels.len()), &legend)?;

    let (_, height) = area.dim_in_pixel();
    let (top, bottom) = area.split_vertically(height / 2);
    let x_fmt = |v: &f64| x.tick(*v);
    let costs =
        all.iter().flat_map(|s| s.points.iter().filter_map(|p| p.cost)).chain(refs.iter().filter_map(|r| r.cost));
    let cost_x = AxisSpec { axis: x.axis(), desc: String::new(), fmt: &x_fmt };
    let cost_y = AxisSpec { axis: ValueAxis::auto(costs), desc: "total cost (USD)".into(), fmt: &|v| fmt_usd(*v) };
    let cost_plot = plot::build(&top, &cost_x, &cost_y)?;
    let cost = Panel { pick: |p| p.cost, pick_ref: |r| r.cost, fmt: fmt_usd, timeouts: false };
    cost.draw(&cost_plot, &all, &refs, x.categorical(), Vec::new())?;

    let slo = data.slo_p99_ms.filter(|v| v.is_finite() && *v > 0.0);
    let p99s = all.iter().flat_map(|s| s.points.iter().filter_map(|p| p.p99)).chain(refs.iter().filter_map(|r| r.p99));
    let p99_x = AxisSpec { axis: x.axis(), desc: axis_label(first), fmt: &x_fmt };
    let p99_y = AxisSpec {
        axis: ValueAxis::auto(p99s.chain(slo)),
        desc: "p99 response time (ms)".into(),
        fmt: &|v| fmt_number(*v),
    };
    let p99_plot = plot::build(&bottom, &p99_x, &p99_y)?;
    let mut obstacles = Vec::new();
    if let Some(slo) = slo {
        let label = plot::hline(&p99_plot, slo, theme::SLO, &format!("SLO p99 ≤ {}", fmt_ms(slo)))?;
        obstacles.extend(label.map(|b| (b, labels::HARD)));
    }
    let p99 = Panel { pick: |p| p.p99, pick_ref: |r| r.p99, fmt: |v| format!("p99 {}", fmt_ms(v)), timeouts: true };
    p99.draw(&p99_plot, &all, &refs, x.categorical(), obstacles)?;
    let nothing = all.iter().flat_map(|s| &s.points).all(|p| p.cost.is_none() && p.p99.is_none());
    if nothing && refs.iter().all(|r| r.cost.is_none() && r.p99.is_none()) {
        theme::no_data(&cost_plot.plotting_area().strip_coord_spec(), "no point has results to show")?;
    }
    Ok(())
}

fn subtitle(data: &SweepChartData, xs: usize) -> String {
    // A set, not a list searched for each row: 10⁵ rows must not take n² steps.
    let points: HashSet<&Vec<String>> = data.rows.iter().map(|r| &r.labels).collect();
    let r = data.replications.max(1);
    let mut parts = vec![
        format!("{} point{} ({xs} along x)", points.len(), if points.len() == 1 { "" } else { "s" }),
        format!("{r} replication{} each", if r == 1 { "" } else { "s" }),
    ];
    parts.extend(theme::slo_text(data.slo_p99_ms, data.slo_success));
    parts.join("  ·  ")
}

/// One panel: the value it shows of a point and of a reference line, how
/// a reference line's label writes it, and whether timed-out points get a
/// text label (on the p99 panel, where the timeout shows).
struct Panel {
    pick: fn(&Dot) -> Option<f64>,
    pick_ref: fn(&Reference) -> Option<f64>,
    fmt: fn(f64) -> String,
    timeouts: bool,
}

impl Panel {
    /// Reference lines, then series (lines through the dots unless
    /// `categorical`, then markers), then labels placed clear of the
    /// markers, of each other and of `obstacles` (plot-area pixels).
    fn draw(
        &self,
        plot: &Plot<'_, '_>,
        all: &[Series],
        refs: &[Reference],
        categorical: bool,
        mut obstacles: Vec<(Rect, i64)>,
    ) -> Result<(), DrawError> {
        let area = plot.plotting_area();
        let base = area.get_base_pixel();
        let screen = area.strip_coord_spec();
        let spec = plot.as_coord_spec();
        // Labels to place: anchor, text, style.
        let mut pending: Vec<((i32, i32), String, TextStyle<'static>)> = Vec::new();
        for (j, r) in refs.iter().enumerate() {
            let Some(v) = (self.pick_ref)(r) else { continue };
            // Half a dash period apart, two options with the same value both show.
            if let Some((row, right)) = plot::dashed_hline(plot, v, r.color, 8 * (j as i32 % 2))? {
                obstacles.push(((0, row - 2, right, row + 2), labels::SOFT));
                let text = format!("{} (not swept): {}", r.option, (self.fmt)(v));
                pending.push(((right - 4, row), text, theme::bold(theme::TICK_SIZE, r.color)));
            }
        }
        if !categorical {
            for s in all {
                let xs: Vec<f64> = s.points.iter().map(|p| p.x).collect();
                let ys: Vec<f64> = s.points.iter().map(|p| (self.pick)(p).unwrap_or(f64::NAN)).collect();
                plot::line(plot, &xs, &ys, 1.0, s.color.stroke_width(theme::LINE_WIDTH + 1))?;
            }
        }
        let mut timed_out = Vec::new();
        for s in all {
            for p in &s.points {
                let Some(y) = (self.pick)(p).and_then(|y| spec.y_spec().clamp(y)) else { continue };
                let Some(x) = spec.x_spec().clamp(p.x) else { continue };
                let (px, py) = area.map_coordinate(&(x, y));
                let c = (px - base.0, py - base.1);
                plot::dot(&screen, c, 6, s.color, p.meets == Some(false))?;
                if p.optimum {
                    screen.draw(&Circle::new(c, 12, s.color.stroke_width(3)))?;
                }
                if let Some(share) = p.timed_out() {
                    plot::cross(&screen, c, 8)?;
                    timed_out.push((c, share));
                }
                obstacles.push(((c.0 - 13, c.1 - 13, c.0 + 13, c.1 + 13), labels::HARD));
            }
        }
        if self.timeouts && timed_out.len() <= MAX_TIMEOUT_LABELS {
            for (c, share) in timed_out {
                pending.push((c, format!("timed out: {:.0} %", share * 100.0), theme::text(theme::TICK_SIZE, INK)));
            }
        }
        let mut sizes = Vec::new();
        for (_, text, style) in &pending {
            let (w, h) = screen.estimate_text_size(text, style)?;
            sizes.push((w as i32 + 8, h as i32 + 8));
        }
        let anchors: Vec<(i32, i32)> = pending.iter().map(|(a, _, _)| *a).collect();
        let (w, h) = screen.dim_in_pixel();
        let spots = labels::place(&anchors, &sizes, &obstacles, (4, 4, w as i32 - 4, h as i32 - 4));
        // Leaders first, so a label's white box covers any that cross it.
        for ((anchor, _, _), (&(x, y), &(lw, lh))) in pending.iter().zip(spots.iter().zip(&sizes)) {
            plot::leader(&screen, *anchor, (x, y, x + lw, y + lh), MUTED)?;
        }
        for (((_, text, style), (x, y)), (lw, lh)) in pending.iter().zip(spots).zip(sizes) {
            plot::boxed_text(&screen, text, style, (x + 4, y + 3), (lw - 8, lh - 8))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(labels: &[&str], option: &str, cost: f64, p99: Option<f64>, meets: bool) -> SweepChartRow {
        SweepChartRow {
            labels: labels.iter().map(|l| l.to_string()).collect(),
            option: option.into(),
            total_cost_usd: Some(cost),
            p99_ms: p99,
            meets_slo: Some(meets),
            optimum: false,
            timed_out_share: Some(0.0),
        }
    }

    /// A sweep of scenario "s" over `key` alone, one replication.
    fn one_key(key: &str, rows: Vec<SweepChartRow>) -> SweepChartData {
        SweepChartData {
            scenario: "s".into(),
            keys: vec![key.into()],
            rows,
            replications: 1,
            ..SweepChartData::default()
        }
    }

    /// Pixels of exactly `color` in the PNG at `path`.
    fn count(path: &Path, color: RGBColor) -> usize {
        let (_, _, pixels) = decode(path);
        pixels.chunks(3).filter(|p| (p[0], p[1], p[2]) == (color.0, color.1, color.2)).count()
    }

    fn decode(path: &Path) -> (u32, u32, Vec<u8>) {
        let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        (info.width, info.height, buf)
    }

    #[test]
    fn draws_numeric_and_categorical_sweeps_deterministically() {
        let dir = tempfile::tempdir().unwrap();
        let mut rows = Vec::new();
        for (i, n) in ["1", "2", "4", "8"].iter().enumerate() {
            for rps in ["50", "100"] {
                let load = rps.parse::<f64>().unwrap() / (i as f64 + 1.0);
                rows.push(row(&[n, rps], "metal", 10.0 * (i as f64 + 1.0), Some(20.0 * load), load < 60.0));
                rows.push(row(&[n, rps], "vps", 7.0 * (i as f64 + 1.0), (i > 0).then_some(30.0 * load), load < 40.0));
            }
        }
        let keys = vec!["option.metal.servers".to_string(), "traffic.base_rps".to_string()];
        let data = SweepChartData {
            scenario: "shop".into(),
            keys,
            rows,
            replications: 2,
            slo_p99_ms: Some(1500.0),
            slo_success: Some(0.99),
            not_swept: Vec::new(),
            in_step_with_x: Vec::new(),
        };
        assert!(subtitle(&data, 4).ends_with("SLO: p99 ≤ 1.5 s, success ≥ 99 %"), "{}", subtitle(&data, 4));
        let (a, b) = (dir.path().join("a.png"), dir.path().join("b.png"));
        render_sweep(&data, &a).unwrap();
        render_sweep(&data, &b).unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap(), "same data, same bytes");
        let (w, h, pixels) = decode(&a);
        assert_eq!((w, h), (theme::WIDTH, theme::HEIGHT));
        assert!(pixels.iter().any(|&p| p < 200), "not blank");

        let cats: Vec<SweepChartRow> = ["30s", "1m", "a-very-long-value-that-gets-cut"]
            .iter()
            .map(|t| row(&[t], "web", 5.0, None, false))
            .collect();
        let data = SweepChartData { scenario: "t".into(), keys: vec!["workload.timeout".into()], rows: cats, ..data };
        render_sweep(&data, &a).unwrap();
        assert_eq!(decode(&a).0, theme::WIDTH);
    }

    #[test]
    fn an_untouched_option_is_one_reference_line_and_optima_are_ringed() {
        // Two keys, 2 × 2 points: web varies, db (not swept) is the same at each.
        let mut rows = Vec::new();
        for n in ["1", "2"] {
            for rps in ["50", "100"] {
                rows.push(row(&[n, rps], "web", n.parse::<f64>().unwrap(), Some(100.0), true));
                rows.push(row(&[n, rps], "db", 3.0, Some(50.0), true));
            }
        }
        rows[0].optimum = true;
        let keys = vec!["option.web.servers".to_string(), "traffic.base_rps".to_string()];
        let data = SweepChartData {
            scenario: "s".into(),
            keys,
            rows,
            replications: 1,
            slo_p99_ms: Some(200.0),
            not_swept: vec!["db".into()],
            ..SweepChartData::default()
        };
        let (lines, refs) = series(&data, &XAxis::of(&data));
        let labels: Vec<&str> = lines.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["web · traffic.base_rps=50", "web · traffic.base_rps=100"], "no series for db");
        assert_eq!(refs.len(), 1, "one reference line");
        assert_eq!((refs[0].option.as_str(), refs[0].cost, refs[0].p99), ("db", Some(3.0), Some(50.0)));
        // Each series and the reference line have their own colour.
        assert_eq!([lines[0].color, lines[1].color, refs[0].color], [0, 1, 2].map(theme::option_color));
        let legend = legend(&lines, &refs, false);
        let entries: Vec<(&str, Mark)> = legend.iter().map(|l| (l.label.as_str(), l.mark)).collect();
        assert!(entries.contains(&("db (not swept)", Mark::Dashed)), "{entries:?}");
        assert!(entries.contains(&("the option's cheapest point meeting the SLO", Mark::Ringed)), "{entries:?}");
        assert!(!entries.iter().any(|(_, m)| *m == Mark::Hollow), "no point misses: {entries:?}");

        let dir = tempfile::tempdir().unwrap();
        let (ringed, plain) = (dir.path().join("a.png"), dir.path().join("b.png"));
        render_sweep(&data, &ringed).unwrap();
        let mut no_ring = data.clone();
        no_ring.rows[0].optimum = false;
        render_sweep(&no_ring, &plain).unwrap();
        assert_ne!(decode(&ringed).2, decode(&plain).2, "the ring is drawn");
        // The reference line is dashed across each panel: far fewer of its
        // pixels than a line through dots, but drawn.
        assert!(count(&ringed, refs[0].color) > 0);
    }

    #[test]
    fn categorical_values_keep_their_order_and_are_not_joined() {
        // Instance types given in an order that is not alphabetical.
        let types = ["m5.large", "c5.xlarge", "t3.micro", "2"];
        let rows: Vec<SweepChartRow> = types
            .iter()
            .enumerate()
            .flat_map(|(i, t)| {
                let cost = 10.0 + i as f64;
                [row(&[t], "web", cost, Some(100.0), true), row(&[t], "api", cost * 2.0, Some(150.0), true)]
            })
            .collect();
        let data = one_key("option.web.instance", rows);
        let x = XAxis::of(&data);
        assert!(x.categorical(), "one value that is a number does not make the key numeric");
        assert_eq!(x.labels, types);
        assert_eq!((0..4).map(|i| x.tick(i as f64)).collect::<Vec<_>>(), types);
        let (lines, _) = series(&data, &x);
        // web sits left of each category's centre, api right: both visible.
        let xs = |s: &Series| s.points.iter().map(|p| p.x).collect::<Vec<_>>();
        assert_eq!(xs(&lines[0]), [-0.25, 0.75, 1.75, 2.75]);
        assert_eq!(xs(&lines[1]), [0.25, 1.25, 2.25, 3.25]);
        assert_eq!(legend(&lines, &[], true)[0].mark, Mark::Point, "dots, no line, in the legend too");

        // Drawn as numbers (same rows, numeric values) the points are joined:
        // far more pixels of the series' colour than dots alone.
        let numbers = ["1", "2", "3", "4"];
        let mut joined = data.clone();
        joined
            .rows
            .iter_mut()
            .for_each(|r| r.labels[0] = numbers[types.iter().position(|t| *t == r.labels[0]).unwrap()].into());
        let dir = tempfile::tempdir().unwrap();
        let (cat, num) = (dir.path().join("c.png"), dir.path().join("n.png"));
        render_sweep(&data, &cat).unwrap();
        render_sweep(&joined, &num).unwrap();
        let (dots, line) = (count(&cat, lines[0].color), count(&num, lines[0].color));
        assert!(dots > 0 && line > 3 * dots, "dots {dots}, joined {line}");
    }

    #[test]
    fn timed_out_points_are_crossed_and_labelled() {
        let mut rows: Vec<SweepChartRow> =
            ["4", "8", "12"].iter().map(|c| row(&[c], "owned", 10.0, Some(500.0), true)).collect();
        rows[0].p99_ms = Some(9_990.0);
        rows[0].timed_out_share = Some(0.86);
        rows[1].timed_out_share = Some(0.009);
        let data = one_key("option.owned.cores", rows);
        let (lines, _) = series(&data, &XAxis::of(&data));
        let shares: Vec<Option<f64>> = lines[0].points.iter().map(Dot::timed_out).collect();
        assert_eq!(shares, [Some(0.86), None, None], "below 1 % is not marked");
        let legend = legend(&lines, &[], false);
        assert!(legend.iter().any(|l| l.mark == Mark::Cross && l.label.contains("timed out")));

        let dir = tempfile::tempdir().unwrap();
        let (marked, plain) = (dir.path().join("a.png"), dir.path().join("b.png"));
        render_sweep(&data, &marked).unwrap();
        let mut none = data.clone();
        none.rows[0].timed_out_share = Some(0.0);
        render_sweep(&none, &plain).unwrap();
        // The cross and its label are drawn in ink.
        assert!(count(&marked, INK) > count(&plain, INK));
    }

    #[test]
    fn series_sit_side_by_side_within_their_category() {
        assert_eq!(side_by_side(0, 1), 0.0);
        let offsets: Vec<f64> = (0..5).map(|i| side_by_side(i, 5)).collect();
        assert_eq!(offsets, [-0.25, -0.125, 0.0, 0.125, 0.25]);
    }

    #[test]
    fn keys_in_step_with_x_split_no_series() {
        // --link cores=4,8,16 --link price=3000,4500,7000: one line per option
        // through the three points, not one single-point line per price.
        let rows: Vec<SweepChartRow> = [("4", "3000"), ("8", "4500"), ("16", "7000")]
            .iter()
            .map(|(c, p)| row(&[c, p], "colo", p.parse::<f64>().unwrap() / 100.0, Some(100.0), true))
            .collect();
        let keys = vec!["option.colo.cores".to_string(), "option.colo.price_usd".to_string()];
        let data = SweepChartData {
            scenario: "s".into(),
            keys,
            rows,
            replications: 1,
            in_step_with_x: vec!["option.colo.price_usd".into()],
            ..SweepChartData::default()
        };
        let (lines, _) = series(&data, &XAxis::of(&data));
        assert_eq!(lines.iter().map(|s| s.label.as_str()).collect::<Vec<_>>(), ["colo"]);
        assert_eq!(lines[0].points.len(), 3);
        // Multiplied instead of linked, each price is its own line.
        let multiplied = SweepChartData { in_step_with_x: Vec::new(), ..data };
        assert_eq!(series(&multiplied, &XAxis::of(&multiplied)).0.len(), 3);
    }

    #[test]
    fn axis_labels_carry_units() {
        assert_eq!(axis_label("traffic.base_rps"), "traffic.base_rps (requests/s)");
        assert_eq!(axis_label("option.web.servers"), "option.web.servers (count)");
        assert_eq!(axis_label("slo.p99_ms"), "slo.p99_ms (ms)");
        assert_eq!(axis_label("option.web.colo_usd_per_month"), "option.web.colo_usd_per_month (USD/month)");
        assert_eq!(axis_label("workload.timeout"), "workload.timeout");
    }
}
