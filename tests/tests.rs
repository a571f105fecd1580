//! The integration tests: one binary with one module per area (as ripgrep's
//! tests/tests.rs), so the crate is linked once instead of once per file.
//! Every test runs in this one process: no test may change process-wide
//! state (environment, current directory, signal handlers); children get
//! theirs through `Command`.

mod common;

mod bad_inputs;
mod browser;
mod capacity;
mod carbon;
mod catalog;
mod cli;
mod conservation;
mod database;
mod deploy;
mod disruptions;
mod distributions;
mod egress;
mod examples;
mod exports;
mod fuzz;
mod geography;
mod iaas;
mod import;
mod interrupt;
mod paas;
mod regions;
mod report;
mod robust;
mod routing;
mod schema;
mod serverless;
mod spot;
mod sweep;
mod theory;
mod trace;
