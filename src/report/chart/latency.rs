//! `latency.png`: p50, p95 and p99 response time over time as three
//! stacked panels sharing one y axis (log when it spans more than a
//! decade), one colour per option, the SLO line on the p99 panel; with
//! replications ≥ 2, each line's 95 % confidence band.

use plotters::prelude::*;

use super::DrawError;
use super::axis::{ValueAxis, fmt_ms, fmt_number};
use super::plot::{self, AxisSpec};
use super::theme::{self, Area, Mark};
use super::time_axis::TimeAxis;
use crate::report::chart_data::{Band, ChartData, TimeSeries};

/// Which percentile a panel shows, and its band.
type Pick = fn(&TimeSeries) -> (&[f64], &Band);

const PANELS: [(&str, Pick); 3] = [
    ("p50", |s| (&s.p50_ms, &s.p50_band)),
    ("p95", |s| (&s.p95_ms, &s.p95_band)),
    ("p99", |s| (&s.p99_ms, &s.p99_band)),
];

/// Draws the chart on `root`.
pub fn draw(root: &Area<'_>, data: &ChartData) -> Result<(), DrawError> {
    let mut legend = theme::option_legend(data, Mark::Line);
    let banded = data.options.iter().any(|o| PANELS.iter().any(|(_, pick)| pick(&o.series).1.is_drawn()));
    legend.extend(theme::band_legend(banded));
    let title = format!("{}: response time over time", data.scenario.name);
    let area = theme::header(root, &title, &theme::subtitle(data, false), &legend)?;

    let slo = data.scenario.slo_p99_ms.filter(|v| v.is_finite() && *v > 0.0);
    // The axis fits the lines; bands beyond it are clipped.
    let values =
        data.options.iter().flat_map(|o| PANELS.iter().flat_map(move |(_, pick)| pick(&o.series).0.iter().copied()));
    let y_axis = ValueAxis::auto(values.chain(slo));
    let time = TimeAxis::of(data);

    let (_, height) = area.dim_in_pixel();
    let panel_h = height / 3;
    let (top, rest) = area.split_vertically(panel_h);
    let (middle, bottom) = rest.split_vertically(panel_h);
    let no_data = data.options.iter().all(|o| o.series.p99_ms.iter().all(|v| !v.is_finite()));

    for (k, (panel_area, (name, pick))) in [top, middle, bottom].iter().zip(PANELS).enumerate() {
        let last = k == PANELS.len() - 1;
        let x = AxisSpec {
            axis: time.value_axis(),
            desc: if last { time.caption() } else { String::new() },
            fmt: &|v| time.label(*v),
        };
        let y = AxisSpec { axis: y_axis, desc: format!("{name} (ms)"), fmt: &|v| fmt_number(*v) };
        let plot = plot::build(panel_area, &x, &y)?;
        let starts = |i: usize| &data.options[i].series.bucket_start_s;
        for (i, o) in data.options.iter().enumerate() {
            let band = pick(&o.series).1;
            plot::band(&plot, starts(i), &band.lo, &band.hi, time.scale_s(), theme::option_color(i))?;
        }
        for (i, o) in data.options.iter().enumerate() {
            let style = theme::option_color(i).stroke_width(theme::LINE_WIDTH);
            plot::line(&plot, starts(i), pick(&o.series).0, time.scale_s(), style)?;
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
