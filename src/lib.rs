//! hostsim: what will each way of hosting a web application cost, and what
//! latency will its users see, under a given traffic? A discrete-event
//! simulation of every request, with CSV reports and PNG charts.

pub mod app;
pub mod autoscale;
pub mod billing;
pub mod catalog;
pub mod cli;
pub mod color;
pub mod commands;
pub mod error;
pub mod flags;
pub mod hosting;
pub mod import;
pub mod interrupt;
pub mod limits;
pub mod model;
pub mod network;
pub mod pipeline;
pub mod plan;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod sim;
pub mod stats;
pub mod stdout;
pub mod sweep;
pub mod time;
pub mod traffic;
pub mod workload;
