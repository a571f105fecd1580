//! Counts of requests by outcome; every offered request ends in exactly one.

use std::ops::AddAssign;

/// What became of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Completed within the timeout.
    Served,
    /// Its response would exceed the timeout (left the queue, or served too late).
    TimedOut,
    /// Queue full, or no instance to take it.
    Rejected,
    /// Its instance failed while serving it.
    Failed,
    /// Still in the system at the horizon.
    InFlight,
}

/// Counts by outcome. `offered` is counted on arrival, the rest on settlement,
/// so `offered == served + timed_out + rejected + failed + in_flight` always.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcomes {
    pub offered: u64,
    pub served: u64,
    pub timed_out: u64,
    pub rejected: u64,
    pub failed: u64,
    pub in_flight: u64,
}

impl Outcomes {
    /// Counts one arrival and its outcome.
    #[inline]
    pub fn add(&mut self, outcome: Outcome) {
        self.offered += 1;
        match outcome {
            Outcome::Served => self.served += 1,
            Outcome::TimedOut => self.timed_out += 1,
            Outcome::Rejected => self.rejected += 1,
            Outcome::Failed => self.failed += 1,
            Outcome::InFlight => self.in_flight += 1,
        }
    }

    /// The sum of the settled and unsettled outcomes (equals `offered`).
    pub fn accounted(&self) -> u64 {
        self.served + self.timed_out + self.rejected + self.failed + self.in_flight
    }
}

impl AddAssign for Outcomes {
    fn add_assign(&mut self, o: Outcomes) {
        self.offered += o.offered;
        self.served += o.served;
        self.timed_out += o.timed_out;
        self.rejected += o.rejected;
        self.failed += o.failed;
        self.in_flight += o.in_flight;
    }
}
