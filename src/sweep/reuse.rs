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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::scenario::parse_str;

    /// Two bare-metal options, `a` with `a` (its cores and price), at `rps`.
    fn point(a: &str, rps: u32) -> Keyed {
        let text = format!(
            "name = \"s\"\nhorizon = \"10m\"\nseed = 1\n[traffic]\nbase_rps = {rps}\n\
             [workload]\ncpu = {{ dist = \"exponential\", mean = \"50ms\" }}\n\
             [[option]]\nname = \"a\"\nkind = \"bare_metal\"\nregion = \"washington\"\nservers = 1\n{a}\n\
             [[option]]\nname = \"b\"\nkind = \"bare_metal\"\nregion = \"washington\"\nservers = 2\ncores = 4\nprice_usd = 5000\n"
        );
        Keyed::new(parse_str(&text, Path::new("s.toml")).unwrap())
    }

    const A2: &str = "cores = 2\nprice_usd = 3000";
    const A4: &str = "cores = 4\nprice_usd = 3000";

    fn points() -> Vec<Keyed> {
        vec![point(A2, 20), point(A4, 20), point("cores = 4\nprice_usd = 3e3", 20), point(A2, 30)]
    }

    fn plan(reuse: bool, points: Vec<Keyed>) -> Plan {
        let mut plan = Plan::new(reuse);
        points.into_iter().enumerate().for_each(|(p, k)| plan.add(p, k));
        plan
    }

    #[test]
    fn an_equal_option_and_scenario_reuse_one_run_and_a_scenario_wide_change_makes_every_option_new() {
        // Points 0 and 1 differ only in a's cores: b is one run. Point 2 has
        // point 1's options, written differently (a price of 3e3 reads as
        // 3000), so both are reused. Point 3 changes the traffic: both
        // options are new runs.
        let p = plan(true, points());
        let runs: Vec<&[usize]> = p.points.iter().map(|(_, r)| r.as_slice()).collect();
        assert_eq!(runs, [&[0, 1][..], &[2, 1], &[2, 1], &[3, 4]]);
        assert_eq!((p.runs.len(), p.reused(), p.wides.len()), (5, 3, 2));
        assert_eq!(p.runs[1].option.name, "b");
        // The run's scenario is the point's with only that option.
        let s = p.runs[2].scenario(&p);
        assert_eq!((s.options.len(), s.options[0].name.as_str(), s.traffic.base_rps), (1, "a", 20.0));
        // Without reuse every (point, option) is its own run.
        let p = plan(false, points());
        assert_eq!((p.runs.len(), p.reused()), (8, 0));
    }

    #[test]
    fn the_hash_only_picks_candidates_equality_decides() {
        // Equal content gives equal hashes; different content, different runs
        // even if the hash were equal (checked by forcing a shared bucket).
        let (x, y) = (point(A2, 20), point(A4, 20));
        assert_eq!(x.wide_hash, y.wide_hash);
        assert_ne!(x.options[0].0, y.options[0].0);
        let mut p = Plan::new(true);
        let mut y = y;
        y.options[0].0 = x.options[0].0;
        p.add(0, x);
        p.add(1, y);
        assert_eq!(p.runs.len(), 3, "a hash collision must not merge different options");
    }
}
