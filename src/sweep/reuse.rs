//! Which option runs a sweep simulates. Random streams depend on the seed,
//! the replication and their purpose only, never on an option's index or on
//! the other options (common random numbers, `rng.rs`), and every summary
//! column of an option comes from its own jobs (`report::aggregate`). So an
//! option's row depends only on its validated `HostingOption` and on the
//! scenario without its options ("scenario-wide": traffic, workload, seed,
//! replications, horizon, warm-up, bucket, network, slo, catalog). Points
//! whose (option, scenario-wide) pair is equal to one already planned reuse
//! its row instead of simulating it again.
//!
//! Equality is exact: the derived `PartialEq` of the validated model (so two
//! `--set` texts that resolve to the same option are one run, and a
//! scenario-wide change makes every option a new run). A hash of each part's
//! `Debug` text (f64 `Debug` round-trips exactly) only picks the candidates
//! to compare, so lookups stay O(1) over 10⁵ points.

use std::collections::HashMap;
use std::fmt::{self, Write};
use std::hash::{DefaultHasher, Hasher};
use std::sync::Arc;

use crate::model::{HostingOption, Scenario};

/// A validated point split into its reuse keys (built in parallel).
#[derive(Debug)]
pub struct Keyed {
    /// The scenario with its options taken out.
    wide: Scenario,
    wide_hash: u64,
    /// Each option, in scenario order, with the hash of its `Debug` text.
    options: Vec<(u64, HostingOption)>,
}

impl Keyed {
    pub fn new(mut s: Scenario) -> Keyed {
        let options = std::mem::take(&mut s.options).into_iter().map(|o| (debug_hash(&o), o)).collect();
        Keyed { wide_hash: debug_hash(&s), wide: s, options }
    }
}

/// One option simulated once: the scenario-wide part (by index into
/// [`Plan::wides`]) and the option.
#[derive(Debug)]
pub struct Run {
    pub wide: usize,
    pub option: HostingOption,
}

impl Run {
    /// The one-option scenario this run simulates.
    pub fn scenario(&self, plan: &Plan) -> Scenario {
        Scenario { options: vec![self.option.clone()], ..Scenario::clone(&plan.wides[self.wide]) }
    }
}

/// The distinct runs of a sweep's points (in the order first met) and, per
/// point, which run gives each option's row.
#[derive(Debug, Default)]
pub struct Plan {
    /// False (`--no-reuse`, for tests): every (point, option) is its own run.
    reuse: bool,
    pub wides: Vec<Arc<Scenario>>,
    wide_index: HashMap<u64, Vec<usize>>,
    pub runs: Vec<Run>,
    run_index: HashMap<(usize, u64), Vec<usize>>,
    /// Each planned point: its index in the grid and its options' runs, in option order.
    pub points: Vec<(usize, Vec<usize>)>,
}

impl Plan {
    pub fn new(reuse: bool) -> Plan {
        Plan { reuse, ..Plan::default() }
    }

    /// Adds point `p` (points are added in grid order, so run numbers do not
    /// depend on threads).
    pub fn add(&mut self, p: usize, keyed: Keyed) {
        let candidates = self.wide_index.entry(keyed.wide_hash).or_default();
        let wide = match candidates.iter().find(|&&w| *self.wides[w] == keyed.wide) {
            Some(&w) => w,
            None => {
                candidates.push(self.wides.len());
                self.wides.push(Arc::new(keyed.wide));
                self.wides.len() - 1
            }
        };
        let runs = keyed.options.into_iter().map(|(hash, option)| self.run_of(wide, hash, option)).collect();
        self.points.push((p, runs));
    }

    /// The run of `option` with scenario-wide part `wide`: an equal one already planned, or a new one.
    fn run_of(&mut self, wide: usize, hash: u64, option: HostingOption) -> usize {
        let candidates = self.run_index.entry((wide, hash)).or_default();
        if self.reuse
            && let Some(&r) = candidates.iter().find(|&&r| self.runs[r].option == option)
        {
            return r;
        }
        candidates.push(self.runs.len());
        self.runs.push(Run { wide, option });
        self.runs.len() - 1
    }

    /// Option rows taken from a run simulated for an earlier point.
    pub fn reused(&self) -> usize {
        self.points.iter().map(|(_, runs)| runs.len()).sum::<usize>() - self.runs.len()
    }
}

/// A hash of `value`'s `Debug` text, streamed (the text is never held).
fn debug_hash(value: &impl fmt::Debug) -> u64 {
    struct Sink(DefaultHasher);
    impl Write for Sink {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            self.0.write(s.as_bytes());
            Ok(())
        }
    }
    let mut sink = Sink(DefaultHasher::new());
    // Writing into a hasher cannot fail.
    let _ = write!(sink, "{value:?}");
    sink.0.finish()
}
