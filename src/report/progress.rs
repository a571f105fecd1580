//! The progress bar: simulated time over the horizon, across all jobs of a
//! scenario, on stderr; hidden when stderr is not a terminal or with --quiet.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar fed from a shared counter of simulated microseconds.
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// `total_us` = horizon × jobs.
    pub fn new(label: &str, total_us: u64, quiet: bool) -> Progress {
        let target = if quiet || !std::io::stderr().is_terminal() {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        let bar = ProgressBar::with_draw_target(Some(total_us), target);
        let style =
            ProgressStyle::with_template("{prefix} [{bar:40}] {percent:>3}% simulated, {elapsed} elapsed, ETA {eta}")
                .map(|s| s.progress_chars("=> "))
                .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_prefix(label.to_string());
        Progress { bar }
    }

    /// Runs `work` while a background thread copies `counter` into the bar.
    pub fn track<T: Send>(&self, counter: &AtomicU64, work: impl FnOnce() -> T + Send) -> T {
        if self.bar.is_hidden() {
            return work();
        }
        let done = AtomicU64::new(0);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                while done.load(Ordering::Relaxed) == 0 {
                    self.bar.set_position(counter.load(Ordering::Relaxed));
                    std::thread::sleep(Duration::from_millis(100));
                }
            });
            let result = work();
            done.store(1, Ordering::Relaxed);
            self.bar.finish_and_clear();
            result
        })
    }
}
