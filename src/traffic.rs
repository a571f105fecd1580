//! Traffic: the arrival-rate profile, trace replay and the arrival process.

pub mod arrivals;
pub mod profile;
pub mod record_cap;
pub mod replay;
pub mod shape;
pub mod spike;
pub mod trace;
