//! Streaming statistics: histograms, confidence intervals, outcome counts;
//! maximum-likelihood fits of duration distributions.

pub mod ci;
pub mod fit;
pub mod histogram;
pub mod outcomes;
