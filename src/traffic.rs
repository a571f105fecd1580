//! Traffic: the arrival-rate profile and the arrival process.

pub mod arrivals;
pub mod profile;
