//! Re-planning the queue after a rare event: requests are committed on
//! arrival and stay *pending* until their outcome time has passed the next
//! rare event. An event that changes which instances serve undoes the
//! pending requests that have not started, fails those in service on
//! instances going down, applies the change, and replays the rest on the new
//! capacity in arrival order.

use crate::sim::engine::Job;
use crate::sim::pool::Admission;
use crate::sim::request::Request;
use crate::sim::router::Router;

/// A committed request whose outcome may still change.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pending {
    pub(crate) seq: u64,
    pub(crate) request: Request,
    pub(crate) admission: Admission,
    /// CPU steal during its service.
    pub(crate) steal: f64,
    /// Its volume's free time before it was committed (IOPS-limited storage).
    pub(crate) volume_before_us: u64,
}

/// Instances whose state a rare event changed.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Change {
    /// Going down: requests in service on them fail.
    pub down: Vec<u32>,
    /// Being retired: requests in service on them finish, nothing new starts.
    pub drain: Vec<u32>,
    pub up: Vec<u32>,
}

impl Pending {
    /// When its outcome is known, barring a rare event before then.
    pub(crate) fn settles_at(&self) -> u64 {
        match self.admission {
            Admission::Rejected => self.request.arrival_us,
            Admission::Abandoned { leave_us, .. } => leave_us,
            Admission::Started { finish_us, .. } => finish_us,
        }
    }

    /// True if it has not taken a slot by `t` (still waiting, or never will).
    fn waiting_at(&self, t_us: u64) -> bool {
        match self.admission {
            Admission::Rejected => false,
            Admission::Abandoned { leave_us, .. } => leave_us > t_us,
            Admission::Started { start_us, .. } => start_us > t_us,
        }
    }
}

impl Job<'_> {
    /// True if instance `i` should be serving now.
    fn should_be_up(&self, i: u32) -> bool {
        let ready = self.fleet.as_ref().and_then(|f| f.serving(i)).unwrap_or(true);
        let pool_left = !self.router.as_ref().is_some_and(Router::exhausted);
        ready && pool_left && !self.disruptions.is_failed(i) && !self.disruptions.in_outage()
    }

    /// Brings the pool in line with the instances' states at `t`; `drain`
    /// are instances being retired (their requests in service finish).
    pub(crate) fn sync(&mut self, t_us: u64, drain: &[u32]) {
        let mut change = Change { drain: drain.to_vec(), ..Change::default() };
        for i in 0..self.pool.instances() {
            let (want, is) = (self.should_be_up(i), self.pool.is_up(i));
            if drain.contains(&i) || want == is {
                continue;
            }
            if want { change.up.push(i) } else { change.down.push(i) }
        }
        if change != Change::default() {
            self.replan(t_us, &change);
        }
        for &i in drain {
            let done = self.pool.last_free_at(i).max(t_us);
            if let Some(f) = &mut self.fleet {
                f.ended(i, done);
            }
        }
    }

    /// Re-plans the queue at `t` after a change: undoes requests not yet
    /// started, fails those in service on instances going down, applies the
    /// change, and replays the undone requests in arrival order.
    pub(crate) fn replan(&mut self, t_us: u64, change: &Change) {
        if let Some(log) = &mut self.changes {
            log.push(change.clone());
        }
        let pending = std::mem::take(&mut self.pending);
        for p in pending.iter().rev().filter(|p| p.waiting_at(t_us)) {
            self.pool.undo(&p.admission);
            if let Admission::Started { slot, .. } = p.admission {
                self.volumes.undo(self.pool.instance_of(slot), p.volume_before_us);
            }
        }
        self.pool.forget_waiting_after(t_us);
        let (replay, in_service): (Vec<Pending>, Vec<Pending>) = pending.into_iter().partition(|p| p.waiting_at(t_us));
        let mut kept = Vec::with_capacity(in_service.len() + replay.len());
        for p in in_service {
            match p.admission {
                Admission::Started { slot, .. } if change.down.contains(&self.pool.instance_of(slot)) => {
                    self.settle(&p, Some(t_us));
                }
                _ => kept.push(p),
            }
        }
        for &i in change.down.iter().chain(&change.drain) {
            self.pool.set_up(i, false, t_us);
        }
        for &i in &change.up {
            self.pool.set_up(i, true, t_us);
        }
        self.pool.rebuild();
        self.capacity_changed(t_us);
        for p in replay {
            // Stay in the same instance's queue if it is still up (per-instance
            // routing); else the balancer routes it again, as of now.
            let queue = match p.admission {
                Admission::Started { slot, .. } => Some(self.pool.instance_of(slot)),
                Admission::Abandoned { instance, .. } => instance,
                Admission::Rejected => None,
            };
            let route = match queue {
                Some(i) if self.pool.is_up(i) && self.option.routing.per_instance() => Some(i),
                _ => self.pool.route(t_us, &mut self.route_rng),
            };
            kept.push(self.commit(p.seq, p.request, route, false));
        }
        kept.sort_by_key(|p| p.seq);
        self.pending = kept;
    }
}
