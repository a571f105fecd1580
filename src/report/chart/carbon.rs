//! `carbon.png`: one horizontal bar per option, stacked by scope
//! (operational, embodied), with its total kgCO2e at the end, as the
//! cost-breakdown chart draws cost. An option whose grid is unknown has no
//! bar and says so.

use plotters::prelude::*;

use super::DrawError;
use super::axis::fmt_number;
use super::cost_breakdown::Stacked;
use super::theme::Area;
use crate::report::chart_data::{ChartData, OptionData};

/// The scopes of `emissions.csv`, with their colours (a dark and a light green).
const SCOPES: [(&str, RGBColor); 2] = [("operational", RGBColor(89, 161, 79)), ("embodied", RGBColor(161, 206, 150))];

fn kg(v: f64) -> String {
    format!("{} kg", fmt_number(v))
}

/// Draws the chart on `root`.
pub fn draw(root: &Area<'_>, data: &ChartData) -> Result<(), DrawError> {
    let amount = |o: &OptionData, scope: &str| -> f64 {
        o.emissions.iter().filter(|(s, kg)| s == scope && kg.is_finite() && *kg > 0.0).map(|(_, kg)| *kg).sum()
    };
    let bars = Stacked {
        title: format!("{}: emissions by scope (location-based)", data.scenario.name),
        segments: SCOPES.iter().map(|(s, c)| (format!("{s} CO2e"), *c)).collect(),
        amount: &|o, segment| amount(o, segment.trim_end_matches(" CO2e")),
        x_desc: "CO2e over the horizon (kg)",
        fmt_tick: &fmt_number,
        fmt_label: &kg,
        nothing: &|o| {
            if o.emissions.is_empty() { "no grid factor (grid_gco2e_per_kwh)".into() } else { "0 kg".into() }
        },
    };
    bars.draw(root, data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hosting::emissions::SCOPES as WRITTEN;

    #[test]
    fn every_scope_written_is_drawn() {
        let drawn: Vec<&str> = SCOPES.iter().map(|(s, _)| *s).collect();
        let written: Vec<&str> = WRITTEN.iter().map(|(s, _)| *s).collect();
        assert_eq!(drawn, written);
    }
}
