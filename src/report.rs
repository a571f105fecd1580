//! Reports: aggregation over replications, CSV and JSON bytes, atomic output,
//! the ranking (printed, CSV, Markdown) and the progress bar.

pub mod aggregate;
pub mod chart;
pub mod chart_data;
pub mod chart_series;
pub mod command_line;
pub mod compare;
pub mod csv;
pub mod format;
pub mod html;
pub mod json;
pub mod output;
pub mod progress;
pub mod ranking;
pub mod rows;
pub mod table;
