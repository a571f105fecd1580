//! `latency.png`: p50, p95 and p99 response time over time as three
//! stacked panels sharing one y axis (log when it spans more than a
//! decade), one colour per option, the SLO line on the p99 panel.

use plotters::prelude::*;

use super::DrawError;
use super::axis::{ValueAxis, fmt_ms, fmt_number};
use super::plot::{self, AxisSpec};
use super::theme::{self, Area, Mark};
use crate::report::chart_data::{ChartData, TimeSeries};

/// Which percentile a panel shows.
type Pick = fn(&TimeSeries) -> &[f64];

const PANELS: [(&str, Pick); 3] = [("p50", |s| &s.p50_ms), ("p95", |s| &s.p95_ms), ("p99", |s| &s.p99_ms)];

/// Draws the chart on `root`.
pub fn draw(root: &Area<'_>, data: &ChartData) -> Result<(), DrawError> {
    let legend = theme::option_legend(data, Mark::Line);
    let title = format!("{}: response time over time", data.scenario.name);
    let area = theme::header(root, &title, &theme::subtitle(data, false), &legend)?;

    let slo = data.scenario.slo_p99_ms.filter(|v| v.is_finite() && *v > 0.0);
    let values =
        data.options.iter().flat_map(|o| PANELS.iter().flat_map(move |(_, pick)| pick(&o.series).iter().copied()));
    let y_axis = ValueAxis::auto(values.chain(slo));
    let (unit, end) = theme::time_axis(data);

    let (_, height) = area.dim_in_pixel();
    let panel_h = height / 3;
    let (top, rest) = area.split_vertically(panel_h);
    let (middle, bottom) = rest.split_vertically(panel_h);
    let no_data = data.options.iter().all(|o| o.series.p99_ms.iter().all(|v| !v.is_finite()));

    for (k, (panel_area, (name, pick))) in [top, middle, bottom].iter().zip(PANELS).enumerate() {
        let last = k == PANELS.len() - 1;
        let x = AxisSpec {
            axis: theme::time_value_axis(unit, end),
            desc: if last { unit.label().into() } else { String::new() },
            fmt: &|v| fmt_number(*v),
        };
        let y = AxisSpec { axis: y_axis, desc: format!("{name} (ms)"), fmt: &|v| fmt_number(*v) };
        let plot = plot::build(panel_area, &x, &y)?;
        for (i, o) in data.options.iter().enumerate() {
            let style = theme::option_color(i).stroke_width(theme::LINE_WIDTH);
            plot::line(&plot, &o.series.bucket_start_s, pick(&o.series), unit.seconds(), style)?;
        }
        if let (Some(slo), "p99") = (slo, name) {
            plot::hline(&plot, slo, theme::SLO, &format!("SLO p99 ≤ {}", fmt_ms(slo)))?;
        }
        if no_data && k == 1 {
            let msg = "no request was served: no response times to show";
            theme::no_data(&plot.plotting_area().strip_coord_spec(), msg)?;
        }
    }
    Ok(())
}
