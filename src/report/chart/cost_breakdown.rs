//! `cost_breakdown.png`: one horizontal bar per option (top to bottom in
//! scenario order), stacked by cost category, with the total at the end of
//! the bar in the option's colour. Categories keep fixed colours.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::DrawError;
use super::axis::{ValueAxis, fmt_usd, fmt_usd_label};
use super::plot::{self, AxisSpec};
use super::theme::{self, Area, INK, LegendItem, Mark};
use crate::report::chart_data::{ChartData, OptionData};

/// Every category `costs.csv` can hold (DESIGN §3.5 and those added since)
/// in drawing order, each with a fixed colour (Tableau 10; reserved and
/// savings_plan a pale and a sky blue beside compute's, light enough for the
/// dark value labels); a test checks every cost category is here.
const CATEGORIES: [(&str, RGBColor); 14] = [
    ("compute", RGBColor(78, 121, 167)),
    ("reserved", RGBColor(160, 203, 232)),
    ("savings_plan", RGBColor(86, 180, 233)),
    ("capex", RGBColor(242, 142, 43)),
    ("colo", RGBColor(118, 183, 178)),
    ("power", RGBColor(237, 201, 72)),
    ("labour", RGBColor(225, 87, 89)),
    ("storage", RGBColor(89, 161, 79)),
    ("egress", RGBColor(176, 122, 161)),
    ("setup", RGBColor(255, 157, 167)),
    ("load_balancer", RGBColor(156, 117, 95)),
    ("requests", RGBColor(255, 190, 125)),
    ("provisioned", RGBColor(140, 209, 125)),
    ("database", RGBColor(121, 112, 110)),
];

/// Colours for categories not in [`CATEGORIES`] (a newer file read by an older binary).
const EXTRA: [RGBColor; 2] = [RGBColor(186, 176, 172), RGBColor(188, 189, 34)];

/// Categories present in the data (any positive cost): known ones in
/// canonical order, then unknown ones in order of appearance.
fn categories(data: &ChartData) -> Vec<(String, RGBColor)> {
    let present = |name: &str| {
        data.options.iter().any(|o| o.costs.iter().any(|(c, usd)| c == name && usd.is_finite() && *usd > 0.0))
    };
    let mut out: Vec<(String, RGBColor)> =
        CATEGORIES.iter().filter(|(c, _)| present(c)).map(|(c, col)| (c.to_string(), *col)).collect();
    let mut extra = 0;
    for o in &data.options {
        for (c, _) in &o.costs {
            let known = CATEGORIES.iter().any(|(k, _)| k == c) || out.iter().any(|(k, _)| k == c);
            if !known && present(c) {
                out.push((c.clone(), EXTRA[extra % EXTRA.len()]));
                extra += 1;
            }
        }
    }
    out
}

/// Draws the chart on `root`.
pub fn draw(root: &Area<'_>, data: &ChartData) -> Result<(), DrawError> {
    let amount = |o: &OptionData, cat: &str| -> f64 {
        let usd = o.costs.iter().filter(|(c, _)| c == cat).map(|(_, u)| *u);
        usd.filter(|u| u.is_finite() && *u > 0.0).sum()
    };
    let bars = Stacked {
        title: format!("{}: cost by category", data.scenario.name),
        segments: categories(data),
        amount: &amount,
        x_desc: "cost over the horizon (USD)",
        fmt_tick: &fmt_usd,
        fmt_label: &fmt_usd_label,
        nothing: &|_| "$0 (no cost)".into(),
    };
    bars.draw(root, data)
}

/// One horizontal bar per option, stacked by segment.
pub(super) struct Stacked<'a> {
    pub title: String,
    /// The segments present, in drawing order, each with its colour.
    pub segments: Vec<(String, RGBColor)>,
    /// An option's amount in a segment (0 or more).
    pub amount: &'a dyn Fn(&OptionData, &str) -> f64,
    pub x_desc: &'a str,
    pub fmt_tick: &'a dyn Fn(f64) -> String,
    /// A segment's or a total's label.
    pub fmt_label: &'a dyn Fn(f64) -> String,
    /// What the end of an empty bar says.
    pub nothing: &'a dyn Fn(&OptionData) -> String,
}

impl Stacked<'_> {
    /// Draws the bars on `root`, the legend naming the segments.
    pub fn draw(&self, root: &Area<'_>, data: &ChartData) -> Result<(), DrawError> {
        let cats = &self.segments;
        let legend: Vec<LegendItem> =
            cats.iter().map(|(c, col)| LegendItem::new(c.clone(), *col, Mark::Swatch)).collect();
        let area = theme::header(root, &self.title, &theme::subtitle(data, false), &legend)?;

        let n = data.options.len();
        let amount = self.amount;
        let totals: Vec<f64> = data.options.iter().map(|o| cats.iter().map(|(c, _)| amount(o, c)).sum()).collect();
        let max_total = totals.iter().copied().fold(0.0_f64, f64::max);

        // Option i sits at y = n - 1 - i, so the first option is on top.
        let names: Vec<String> = data.options.iter().map(|o| o.name.clone()).collect();
        let positions: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let label_of = |v: &f64| {
            let i = n as f64 - 1.0 - v.round();
            if i >= 0.0 { names.get(i as usize).cloned().unwrap_or_default() } else { String::new() }
        };
        let tick_style = theme::text(theme::TICK_SIZE, INK);
        let mut name_width = 0;
        for name in &names {
            name_width = name_width.max(root.estimate_text_size(name, &tick_style)?.0);
        }
        let x = AxisSpec {
            axis: ValueAxis::linear(0.0, if max_total > 0.0 { max_total * 1.15 } else { 1.0 }),
            desc: self.x_desc.into(),
            fmt: &|v| (self.fmt_tick)(*v),
        };
        let y = AxisSpec {
            axis: ValueAxis::linear(-0.5, n.max(1) as f64 - 0.5).with_ticks(&positions),
            desc: String::new(),
            fmt: &label_of,
        };
        let plot = plot::build_sized(&area, &x, &y, (name_width + 30).clamp(80, 400), false)?;

        let area_px = plot.plotting_area();
        let base = area_px.get_base_pixel();
        let screen = area_px.strip_coord_spec();
        let to_px = |p: (f64, f64)| {
            let (x, y) = area_px.map_coordinate(&p);
            (x - base.0, y - base.1)
        };
        let value_style = theme::text(theme::TICK_SIZE, INK).pos(Pos::new(HPos::Center, VPos::Center));
        // Bars are 64 % of their row, but at most 110 px thick (few options).
        let row_px = (to_px((0.0, 0.0)).1 - to_px((0.0, 1.0)).1).max(1) as f64;
        let half = 0.32_f64.min(55.0 / row_px);
        for (i, o) in data.options.iter().enumerate() {
            let yc = (n - 1 - i) as f64;
            let mut start = 0.0;
            for (cat, color) in cats {
                let value = amount(o, cat);
                if value <= 0.0 {
                    continue;
                }
                let (a, b) = (to_px((start, yc + half)), to_px((start + value, yc - half)));
                screen.draw(&Rectangle::new([a, b], color.filled()))?;
                screen.draw(&Rectangle::new([a, b], WHITE.stroke_width(1)))?;
                let label = (self.fmt_label)(value);
                let (tw, _) = screen.estimate_text_size(&label, &value_style)?;
                if (b.0 - a.0) as u32 > tw + 12 {
                    screen.draw_text(&label, &value_style, ((a.0 + b.0) / 2, (a.1 + b.1) / 2))?;
                }
                start += value;
            }
            let end = to_px((start, yc));
            let total_style =
                theme::bold(theme::TEXT_SIZE, theme::option_color(i)).pos(Pos::new(HPos::Left, VPos::Center));
            let text = if totals[i] > 0.0 { (self.fmt_label)(totals[i]) } else { (self.nothing)(o) };
            screen.draw_text(&text, &total_style, (end.0 + 8, end.1))?;
        }
        if n == 0 {
            theme::no_data(&screen, "no options in the output")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hosting::cost::CostCategory;

    #[test]
    fn every_cost_category_has_its_own_colour() {
        for c in CostCategory::ALL {
            assert!(CATEGORIES.iter().any(|(name, _)| *name == c.as_str()), "no colour for {}", c.as_str());
        }
        let colours: Vec<RGBColor> = CATEGORIES.iter().map(|(_, c)| *c).chain(EXTRA).collect();
        for (i, c) in colours.iter().enumerate() {
            assert!(!colours[..i].contains(c), "colour {c:?} used twice");
        }
    }
}
