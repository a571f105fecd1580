//! A bar over a sweep's option runs on stderr: points done, option runs
//! simulated and reused, and an ETA, hidden with --quiet or when stderr is
//! not a terminal.
//!
//! The bar fills with simulated work (each run's estimated requests), not
//! with points: with reuse the first points simulate every option and later
//! ones often nothing, so an ETA from points done would be far too long
//! early on and jump late.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::reuse::Plan;

/// The bar and what it counts.
pub struct SweepProgress {
    bar: ProgressBar,
    /// Each run's estimated requests (at least 1), its share of the bar.
    work: Vec<u64>,
    /// For each planned point, how many of its options' runs are not done.
    remaining: Vec<AtomicUsize>,
    /// The planned points taking a row from run `r`: `users[first[r]..first[r + 1]]`.
    first: Vec<usize>,
    users: Vec<usize>,
    points_done: AtomicUsize,
    runs_done: AtomicUsize,
    reused: usize,
}

impl SweepProgress {
    /// A bar labelled `label` over `plan`'s runs, each weighing its estimated requests.
    pub fn new(label: &str, plan: &Plan, estimated_requests: &[f64], quiet: bool) -> SweepProgress {
        let target = if quiet || !std::io::stderr().is_terminal() {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        let work: Vec<u64> = estimated_requests.iter().map(|&r| (r as u64).max(1)).collect();
        let bar = ProgressBar::with_draw_target(Some(work.iter().sum()), target);
        let style = ProgressStyle::with_template("{prefix} [{wide_bar}] {msg} · {elapsed} · ETA {eta}")
            .map(|s| s.progress_chars("=> "))
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_prefix(label.to_string());
        let mut count = vec![0; plan.runs.len() + 1];
        for (_, runs) in &plan.points {
            runs.iter().for_each(|&r| count[r + 1] += 1);
        }
        let first: Vec<usize> = count
            .iter()
            .scan(0, |sum, c| {
                *sum += c;
                Some(*sum)
            })
            .collect();
        let mut next = first.clone();
        let mut users = vec![0; first[plan.runs.len()]];
        for (i, (_, runs)) in plan.points.iter().enumerate() {
            for &r in runs {
                users[next[r]] = i;
                next[r] += 1;
            }
        }
        let p = SweepProgress {
            bar,
            work,
            remaining: plan.points.iter().map(|(_, runs)| AtomicUsize::new(runs.len())).collect(),
            first,
            users,
            points_done: AtomicUsize::new(0),
            runs_done: AtomicUsize::new(0),
            reused: plan.reused(),
        };
        p.show();
        p
    }

    /// Run `r` is simulated: the points it completes are done.
    pub fn run_done(&self, r: usize) {
        for &p in &self.users[self.first[r]..self.first[r + 1]] {
            if self.remaining[p].fetch_sub(1, Ordering::Relaxed) == 1 {
                self.points_done.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.runs_done.fetch_add(1, Ordering::Relaxed);
        self.bar.inc(self.work[r]);
        self.show();
    }

    fn show(&self) {
        self.bar.set_message(format!(
            "{}/{} points · {}/{} runs simulated, {} reused",
            self.points_done.load(Ordering::Relaxed),
            self.remaining.len(),
            self.runs_done.load(Ordering::Relaxed),
            self.work.len(),
            self.reused
        ));
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
