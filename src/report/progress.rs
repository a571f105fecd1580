//! Progress of a scenario's jobs: a bar on stderr fed from the engine's
//! counters (simulated time over the horizon, requests per second,
//! ETA), hidden when stderr is not a terminal or with --quiet.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::sim::progress::Counters;

/// A bar fed from `Counters`.
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
        let style = ProgressStyle::with_template("{prefix} [{bar:40}] {percent:>3}% simulated · {msg} · ETA {eta}")
            .map(|s| s.progress_chars("=> "))
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_prefix(label.to_string());
        Progress { bar }
    }

    /// Runs `work` while a background thread copies `counters` into the bar.
    pub fn track<T: Send>(&self, counters: &Counters, work: impl FnOnce() -> T + Send) -> T {
        if self.bar.is_hidden() {
            return work();
        }
        let done = AtomicBool::new(false);
        let started = Instant::now();
        std::thread::scope(|scope| {
            scope.spawn(|| {
                while !done.load(Ordering::Relaxed) {
                    self.bar.set_position(counters.simulated_us.load(Ordering::Relaxed));
                    let rate = counters.requests.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64();
                    self.bar.set_message(format!("{:.1} M requests/s", rate / 1e6));
                    std::thread::sleep(Duration::from_millis(100));
                }
            });
            let result = work();
            done.store(true, Ordering::Relaxed);
            self.bar.finish_and_clear();
            result
        })
    }
}
