//! The discrete-event engine: time, random streams, the request loop.

pub mod time;
