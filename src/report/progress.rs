//! Progress of a scenario's jobs: shared counters the engine advances, and
//! a bar on stderr (simulated time over the horizon, requests per second,
//! ETA), hidden when stderr is not a terminal or with --quiet.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// What the jobs of a run have done so far.
#[derive(Debug, Default)]
pub struct Counters {
    /// Simulated microseconds, summed over jobs.
    pub simulated_us: AtomicU64,
    /// Requests settled, summed over jobs.
    pub requests: AtomicU64,
}

impl Counters {
    pub fn add(&self, simulated_us: u64, requests: u64) {
        self.simulated_us.fetch_add(simulated_us, Ordering::Relaxed);
        self.requests.fetch_add(requests, Ordering::Relaxed);
    }
}

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
