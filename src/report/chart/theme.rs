//! The look shared by every chart: size, embedded font, colours (one per
//! option, by scenario order), the time unit of time axes, and the header
//! (title, subtitle, legend) drawn above each plot.

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::DrawError;
use crate::report::chart_data::ChartData;

/// The bitmap drawing area every chart draws on.
pub type Area<'a> = DrawingArea<BitMapBackend<'a>, Shift>;

/// Chart width in pixels.
pub const WIDTH: u32 = 1600;
/// Chart height in pixels.
pub const HEIGHT: u32 = 900;
/// Font family name under which the embedded DejaVu Sans is registered.
pub const FONT: &str = "sans-serif";
/// Title size (px).
pub const TITLE_SIZE: f64 = 32.0;
/// Subtitle and legend size (px).
pub const TEXT_SIZE: f64 = 20.0;
/// Axis description size (px).
pub const AXIS_DESC_SIZE: f64 = 21.0;
/// Tick label size (px).
pub const TICK_SIZE: f64 = 18.0;
/// Width of data lines (px).
pub const LINE_WIDTH: u32 = 2;
/// Colour of text.
pub const INK: RGBColor = RGBColor(34, 34, 34);
/// Colour of secondary text.
pub const MUTED: RGBColor = RGBColor(100, 100, 100);
/// Colour of the SLO line and its label.
pub const SLO: RGBColor = RGBColor(200, 30, 30);

/// Okabe–Ito colours (safe for colour-blind readers), strongest first,
/// yellow (the weakest on white) last; then four Tableau colours for
/// scenarios with more than eight options.
const PALETTE: [RGBColor; 12] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(0, 0, 0),       // black
    RGBColor(190, 170, 0),   // yellow, darkened to read on white
    RGBColor(127, 127, 127), // grey
    RGBColor(140, 86, 75),   // brown
    RGBColor(148, 103, 189), // purple
    RGBColor(23, 190, 207),  // cyan
];

/// The colour of the option at `index` in scenario order (the same in
/// every chart); repeats after twelve options.
pub fn option_color(index: usize) -> RGBColor {
    PALETTE[index % PALETTE.len()]
}

/// Registers the embedded DejaVu Sans (regular and bold) once per process,
/// so text renders with no system fonts.
pub fn ensure_font() -> Result<(), String> {
    static RESULT: OnceLock<Result<(), String>> = OnceLock::new();
    RESULT
        .get_or_init(|| {
            let bad = |_| "DejaVu Sans could not be parsed".to_string();
            plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular()).map_err(bad)?;
            plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold()).map_err(bad)
        })
        .clone()
}

/// A text style of the embedded font.
pub fn text(size: f64, color: RGBColor) -> TextStyle<'static> {
    (FONT, size).into_font().color(&color)
}

/// The bold variant of [`text`].
pub fn bold(size: f64, color: RGBColor) -> TextStyle<'static> {
    (FONT, size, FontStyle::Bold).into_font().color(&color)
}

/// The unit of a time axis, chosen so the horizon reads as a small number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// Horizons up to 5 minutes.
    Seconds,
    /// Horizons up to 3 hours.
    Minutes,
    /// Horizons up to 3 days.
    Hours,
    /// Longer horizons.
    Days,
}

impl TimeUnit {
    /// The unit that fits a horizon of `horizon_s` seconds.
    pub fn for_horizon(horizon_s: f64) -> TimeUnit {
        match horizon_s {
            h if h <= 300.0 => TimeUnit::Seconds,
            h if h <= 3.0 * 3600.0 => TimeUnit::Minutes,
            h if h <= 3.0 * 86_400.0 => TimeUnit::Hours,
            _ => TimeUnit::Days,
        }
    }

    /// Seconds per unit.
    pub fn seconds(self) -> f64 {
        match self {
            TimeUnit::Seconds => 1.0,
            TimeUnit::Minutes => 60.0,
            TimeUnit::Hours => 3600.0,
            TimeUnit::Days => 86_400.0,
        }
    }

    /// Tick steps that read naturally in this unit, smallest first.
    pub fn steps(self) -> &'static [f64] {
        match self {
            TimeUnit::Seconds => &[1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0],
            TimeUnit::Minutes => &[1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 30.0, 60.0],
            TimeUnit::Hours => &[1.0, 2.0, 3.0, 4.0, 6.0, 12.0, 24.0],
            TimeUnit::Days => &[1.0, 2.0, 7.0, 14.0, 30.0, 60.0, 90.0, 180.0, 365.0],
        }
    }

    /// Axis description, e.g. `time (days)`.
    pub fn label(self) -> &'static str {
        match self {
            TimeUnit::Seconds => "time (s)",
            TimeUnit::Minutes => "time (min)",
            TimeUnit::Hours => "time (h)",
            TimeUnit::Days => "time (days)",
        }
    }
}

/// How a legend entry is marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// A solid line.
    Line,
    /// A filled square (bars, areas).
    Swatch,
    /// A filled dot with a line through it (points with error bars).
    Dot,
    /// A dashed line (a secondary series of each option).
    Dashed,
    /// A triangle pointing down (events marked on a line).
    Triangle,
    /// A filled dot alone (points not joined by a line).
    Point,
    /// A hollow dot (a point that misses the SLO).
    Hollow,
    /// A dot in a ring (an option's optimum).
    Ringed,
    /// An × over a dot (a point whose requests timed out).
    Cross,
}

/// One legend entry.
#[derive(Debug, Clone)]
pub struct LegendItem {
    /// Label text.
    pub label: String,
    /// Colour of the mark.
    pub color: RGBColor,
    /// Shape of the mark.
    pub mark: Mark,
}

impl LegendItem {
    /// A legend entry.
    pub fn new(label: impl Into<String>, color: RGBColor, mark: Mark) -> LegendItem {
        LegendItem { label: label.into(), color, mark }
    }
}

/// One legend entry per option, in option colours.
pub fn option_legend(data: &ChartData, mark: Mark) -> Vec<LegendItem> {
    let items = data.options.iter().enumerate();
    items.map(|(i, o)| LegendItem::new(o.name.clone(), option_color(i), mark)).collect()
}

/// The legend entry of the 95 % bands, when some band is drawn (marked with
/// the first option's band, each option's band being a tint of its colour).
pub fn band_legend(drawn: bool) -> Option<LegendItem> {
    let opacity = super::plot::BAND_OPACITY;
    let over_white = |c: u8| (f64::from(c) * opacity + 255.0 * (1.0 - opacity)).round() as u8;
    let RGBColor(r, g, b) = option_color(0);
    let color = RGBColor(over_white(r), over_white(g), over_white(b));
    drawn.then(|| LegendItem::new("band: 95% confidence interval of each mean", color, Mark::Swatch))
}

/// The scenario facts shown under every title; `ci_bars` when the chart
/// draws confidence-interval bars (said only if there are replications).
pub fn subtitle(data: &ChartData, ci_bars: bool) -> String {
    let s = &data.scenario;
    let mut parts = Vec::new();
    if s.horizon_s.is_finite() && s.horizon_s > 0.0 {
        parts.push(format!("horizon {}", fmt_duration(s.horizon_s)));
    }
    let r = s.replications.max(1);
    parts.push(format!("{r} replication{}", if r == 1 { "" } else { "s" }));
    if r >= 2 && ci_bars {
        parts.push("bars: 95% confidence intervals".into());
    }
    parts.extend(slo_text(s.slo_p99_ms, s.slo_success));
    parts.join("  ·  ")
}

/// Every objective of an SLO, as subtitles show it (`SLO: p99 ≤ 400 ms,
/// success ≥ 99.9 %`); `None` when there is no objective.
pub fn slo_text(p99_ms: Option<f64>, success: Option<f64>) -> Option<String> {
    let p99 = p99_ms.map(|v| format!("p99 ≤ {}", super::axis::fmt_ms(v)));
    let success = success.map(|v| format!("success ≥ {}", super::axis::fmt_percent(v)));
    let objectives: Vec<String> = p99.into_iter().chain(success).collect();
    (!objectives.is_empty()).then(|| format!("SLO: {}", objectives.join(", ")))
}

/// A duration in the largest unit that gives a whole number below 1000 (`2 h`,
/// `14 days`, `90 min`), else in the unit of its time axis (`1.5 days`).
pub fn fmt_duration(seconds: f64) -> String {
    let units = [(86_400.0, "days"), (3600.0, "h"), (60.0, "min"), (1.0, "s")];
    let whole = units.iter().find(|(u, _)| {
        let n = seconds / u;
        (1.0..1000.0).contains(&n) && (n - n.round()).abs() < 1e-9
    });
    let (size, name) = match whole {
        Some(&(size, name)) => (size, name),
        None => {
            let unit = TimeUnit::for_horizon(seconds);
            let name = unit.label().trim_start_matches("time (").trim_end_matches(')');
            (unit.seconds(), name)
        }
    };
    let name = if name == "days" && (seconds - size).abs() < 1e-9 { "day" } else { name };
    format!("{} {name}", super::axis::fmt_number(seconds / size))
}

/// Fills the background and draws the title, subtitle and legend rows at
/// the top; returns the area left below them for the plot.
pub fn header<'a>(root: &Area<'a>, title: &str, subtitle: &str, legend: &[LegendItem]) -> Result<Area<'a>, DrawError> {
    root.fill(&WHITE)?;
    let (width, _) = root.dim_in_pixel();
    let left = 24;
    root.draw_text(title, &bold(TITLE_SIZE, INK), (left, 14))?;
    root.draw_text(subtitle, &text(TEXT_SIZE, MUTED), (left, 56))?;

    // Legend entries flow left to right and wrap.
    let style = text(TEXT_SIZE, INK);
    let row_height = 28;
    let (mut x, mut y) = (left, 90);
    for item in legend {
        let (tw, _) = root.estimate_text_size(&item.label, &style)?;
        let entry = 36 + tw as i32 + 28;
        if x > left && x + entry > width as i32 - left {
            x = left;
            y += row_height;
        }
        draw_mark(root, item, (x, y + 7))?;
        root.draw_text(&item.label, &style, (x + 36, y))?;
        x += entry;
    }
    let used = if legend.is_empty() { 90 } else { y + row_height + 8 };
    Ok(root.split_vertically(used).1)
}

/// Draws a legend mark 28 px wide whose vertical centre is at `(x, y)`.
fn draw_mark(root: &Area<'_>, item: &LegendItem, (x, y): (i32, i32)) -> Result<(), DrawError> {
    let c = item.color;
    match item.mark {
        Mark::Line => root.draw(&PathElement::new(vec![(x, y), (x + 28, y)], c.stroke_width(3)))?,
        Mark::Swatch => root.draw(&Rectangle::new([(x + 4, y - 9), (x + 24, y + 9)], c.filled()))?,
        Mark::Dot => {
            root.draw(&PathElement::new(vec![(x, y), (x + 28, y)], c.stroke_width(2)))?;
            root.draw(&Circle::new((x + 14, y), 6, c.filled()))?;
        }
        Mark::Dashed => super::plot::dashed(root, &[(x, y), (x + 28, y)], c)?,
        Mark::Triangle => super::plot::triangle_down(root, (x + 14, y + 7), c)?,
        Mark::Point => super::plot::dot(root, (x + 14, y), 6, c, false)?,
        Mark::Hollow => super::plot::dot(root, (x + 14, y), 6, c, true)?,
        Mark::Ringed => {
            super::plot::dot(root, (x + 14, y), 6, c, false)?;
            root.draw(&Circle::new((x + 14, y), 11, c.stroke_width(2)))?;
        }
        Mark::Cross => {
            super::plot::dot(root, (x + 14, y), 6, c, true)?;
            super::plot::cross(root, (x + 14, y), 8)?;
        }
    }
    Ok(())
}

/// Draws `message` centred in `area` (for charts with nothing to show).
pub fn no_data(area: &Area<'_>, message: &str) -> Result<(), DrawError> {
    let (w, h) = area.dim_in_pixel();
    let style = text(26.0, MUTED).pos(Pos::new(HPos::Center, VPos::Center));
    area.draw_text(message, &style, (w as i32 / 2, h as i32 / 2))?;
    Ok(())
}

/// Colour of grid lines: bold and light.
pub fn grid_colors() -> (RGBAColor, RGBAColor) {
    (BLACK.mix(0.15), BLACK.mix(0.05))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(fmt_duration(7200.0), "2 h");
        assert_eq!(fmt_duration(14.0 * 86_400.0), "14 days");
        assert_eq!(fmt_duration(86_400.0), "1 day");
        assert_eq!(fmt_duration(5400.0), "90 min");
        assert_eq!(fmt_duration(90.0), "90 s");
        // 36 h + 1 s: no whole unit, so in the axis unit (hours).
        assert_eq!(fmt_duration(129_601.0), "36 h");
    }

    #[test]
    fn the_slo_text_names_every_objective() {
        assert_eq!(slo_text(Some(400.0), Some(0.999)).as_deref(), Some("SLO: p99 ≤ 400 ms, success ≥ 99.9 %"));
        assert_eq!(slo_text(None, Some(0.99)).as_deref(), Some("SLO: success ≥ 99 %"));
        assert_eq!(slo_text(Some(1500.0), None).as_deref(), Some("SLO: p99 ≤ 1.5 s"));
        assert_eq!(slo_text(None, None), None);
    }

    #[test]
    fn the_subtitle_states_the_whole_slo() {
        use crate::report::chart_data::ScenarioInfo;
        let scenario = ScenarioInfo {
            name: "quickstart".into(),
            horizon_s: 86_400.0,
            replications: 4,
            slo_p99_ms: Some(400.0),
            slo_success: Some(0.999),
            trace_start_unix_s: None,
        };
        let data = ChartData { scenario, options: Vec::new(), capacity_in_vcpus: true };
        assert_eq!(
            subtitle(&data, true),
            "horizon 1 day  ·  4 replications  ·  bars: 95% confidence intervals  ·  SLO: p99 ≤ 400 ms, success ≥ 99.9 %"
        );
    }

    #[test]
    fn units_fit_the_horizon() {
        assert_eq!(TimeUnit::for_horizon(90.0), TimeUnit::Seconds);
        assert_eq!(TimeUnit::for_horizon(14.0 * 86_400.0), TimeUnit::Days);
    }
}
