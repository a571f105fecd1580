//! The router in front of the instances (Heroku's): it adds its overhead to
//! every response, cuts off slow ones, bounds each instance's backlog, makes
//! a request wait for a sleeping dyno to wake, and keeps every dyno down
//! while their pool of dyno-hours is used up.

use crate::hosting::RouterSpec;
use crate::sim::dyno_hours::{self, DynoHours};
use crate::sim::event::{Event, EventQueue};
use crate::sim::pool::Pool;

/// The router of one job.
pub struct Router {
    overhead_us: u64,
    timeout_us: u64,
    backlog: u32,
    /// Sleeping dynos: (idle time before sleeping, time to wake), µs.
    sleep: Option<(u64, u64)>,
    /// The pool of dyno-hours the dynos draw on (Eco), if any.
    dyno_hours: Option<DynoHours>,
}

impl Router {
    pub fn new(spec: &RouterSpec) -> Router {
        Router {
            overhead_us: spec.overhead.0,
            timeout_us: spec.timeout.0,
            backlog: spec.backlog,
            sleep: spec.sleep.as_ref().map(|s| (s.after.0, s.wake.0)),
            dyno_hours: spec.pool_hours.map(DynoHours::new),
        }
    }

    /// Added to every response (µs).
    #[inline]
    pub fn overhead_us(&self) -> u64 {
        self.overhead_us
    }

    /// The client's timeout, capped at the router's: it cuts off slower
    /// responses (H12) like a client giving up.
    pub fn timeout_us(&self, client_us: u64) -> u64 {
        self.timeout_us.min(client_us)
    }

    /// Requests it queues per instance at most (H11 beyond).
    pub fn backlog(&self) -> u32 {
        self.backlog
    }

    pub fn sleeps(&self) -> bool {
        self.sleep.is_some()
    }

    /// How long a request starting at `start` waits for its instance, free
    /// since `free_since`, to wake (0 if it is awake).
    #[inline]
    pub fn wake_us(&self, start_us: u64, free_since_us: u64) -> f64 {
        match self.sleep {
            Some((after, wake)) if start_us.saturating_sub(free_since_us) >= after => wake as f64,
            _ => 0.0,
        }
    }

    /// True while the pool of dyno-hours is used up (every dyno down).
    pub fn exhausted(&self) -> bool {
        self.dyno_hours.as_ref().is_some_and(DynoHours::exhausted)
    }

    /// Schedules the first minute's count of a pool of dyno-hours.
    pub fn schedule_first(&self, events: &mut EventQueue) {
        if self.dyno_hours.is_some() {
            events.schedule(dyno_hours::TICK_US, Event::PoolTick);
        }
    }

    /// Charges the minute ending at `t`'s awake dynos to the pool and
    /// schedules the next count; true if every dyno must go down (the pool
    /// ran out) or come back up (it refilled), as in an outage.
    pub fn pool_tick(&mut self, t_us: u64, pool: &Pool, events: &mut EventQueue) -> bool {
        let minute_start_us = t_us - dyno_hours::TICK_US;
        // Awake some time in the past minute: busy or waking since then, or idle for less than `sleep_after`.
        let sleep_after_us = self.sleep.map_or(u64::MAX, |(after, _)| after);
        let awake = (0..pool.instances())
            .filter(|&i| pool.is_up(i) && pool.last_free_at(i).saturating_add(sleep_after_us) > minute_start_us)
            .count() as u32;
        let hours = self.dyno_hours.as_mut().expect("pool ticks come from a pool of dyno-hours");
        let changed = hours.tick(t_us, awake);
        events.schedule(t_us + dyno_hours::TICK_US, Event::PoolTick);
        changed
    }
}
