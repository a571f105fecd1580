//! The discrete-event engine: random streams, events, the request loop.

pub mod balancer;
pub mod bucket_file;
pub mod disruption;
pub mod dyno_hours;
pub mod engine;
pub mod event;
pub mod fleet;
pub mod interruption;
pub mod neighbours;
pub mod pool;
pub mod progress;
pub mod regions;
pub mod replan;
pub mod request;
pub mod router;
pub mod scaling;
pub mod series;
pub mod serverless;
pub mod storage;
pub mod tandem;
