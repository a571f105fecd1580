//! Streaming statistics: histograms, confidence intervals, outcome counts.

pub mod ci;
pub mod histogram;
pub mod outcomes;
