//! Parameter sweeps (DESIGN §1, §4, §6): `hostsim sweep` runs a scenario at
//! every combination of `--set` values and writes one `sweep.csv` row per
//! point and option; `--optimize cost --subject-to slo` picks, per option,
//! the cheapest point meeting the SLO, and `--search bisect KEY` finds the
//! smallest value of one capacity key meeting it in O(log n) points;
//! `--shard I/N` runs a deterministic
//! slice of the points and `hostsim merge` puts the slices back together
//! byte for byte, so a sweep can run on a batch engine (Kubernetes Indexed
//! Jobs, Slurm job arrays, GNU parallel).
//!
//! Each point's rows are those `hostsim run` would write for the scenario
//! with those values (same seed, same streams), so rows do not depend on
//! `--jobs` or on sharding; an option a point leaves as an earlier point
//! had it is not simulated again (`reuse.rs`).

mod args;
mod bisect;
pub mod grid;
pub mod manifest;
mod merge;
pub mod optimum;
mod output;
mod progress;
mod reuse;
mod run;
pub mod shard;
pub mod spec;
pub mod table;

pub use args::{Constraint, MERGE_EXAMPLES, MergeArgs, Objective, SWEEP_EXAMPLES, SweepArgs};
pub use merge::merge;
pub use run::sweep;
