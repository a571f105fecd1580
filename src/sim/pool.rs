//! A pool of identical service slots behind FCFS queues.
//!
//! With fixed capacity, FCFS needs no event per request: a request starts at
//! max(arrival, earliest free slot) and holds that slot for its service time
//! (the Kiefer-Wolfowitz recursion over a min-heap of slot free times). A
//! request whose start would come after its patience runs out leaves the
//! queue at that moment and uses no slot.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use rand::Rng;

use crate::scenario::model::Routing;
use crate::sim::rng::below;

/// What the pool did with an arriving request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    /// The queue was full.
    Rejected,
    /// Waited its whole patience and left the queue at `leave_us`.
    Abandoned { leave_us: u64 },
    /// Held a slot over [start_us, finish_us).
    Started { start_us: u64, finish_us: u64 },
}

/// One FCFS queue in front of some slots.
#[derive(Clone, Debug)]
struct FcfsQueue {
    /// When each slot is next free.
    free_at: BinaryHeap<Reverse<u64>>,
    /// When each waiting request leaves the queue (starts or gives up), in
    /// arrival order; kept only when the queue length is limited.
    leave_at: VecDeque<u64>,
}

impl FcfsQueue {
    fn new(slots: u32) -> FcfsQueue {
        FcfsQueue { free_at: (0..slots).map(|_| Reverse(0)).collect(), leave_at: VecDeque::new() }
    }

    #[inline]
    fn offer(&mut self, arrival_us: u64, service_us: u64, patience_us: u64, max_queue: Option<u32>) -> Admission {
        if let Some(limit) = max_queue {
            // Leave times are non-decreasing in arrival order (FCFS starts are, and
            // a request gives up only before any later one could start), so the
            // requests still waiting are a suffix of the deque.
            while self.leave_at.front().is_some_and(|&t| t <= arrival_us) {
                self.leave_at.pop_front();
            }
            if self.leave_at.len() >= limit as usize {
                return Admission::Rejected;
            }
        }
        let Some(mut earliest) = self.free_at.peek_mut() else {
            return Admission::Rejected;
        };
        let start_us = earliest.0.max(arrival_us);
        let deadline_us = arrival_us.saturating_add(patience_us);
        if start_us > deadline_us {
            drop(earliest);
            if max_queue.is_some() {
                self.leave_at.push_back(deadline_us);
            }
            return Admission::Abandoned { leave_us: deadline_us };
        }
        let finish_us = start_us + service_us;
        earliest.0 = finish_us;
        drop(earliest);
        if max_queue.is_some() && start_us > arrival_us {
            self.leave_at.push_back(start_us);
        }
        Admission::Started { start_us, finish_us }
    }
}

/// The slots of an option: one shared queue, or one queue per instance.
#[derive(Clone, Debug)]
pub struct Pool {
    queues: Vec<FcfsQueue>,
    max_queue: Option<u32>,
}

impl Pool {
    /// `instances` × `slots_per_instance` slots; with random routing, each
    /// instance has its own queue (and `max_queue` applies to each).
    pub fn new(routing: Routing, instances: u32, slots_per_instance: u32, max_queue: Option<u32>) -> Pool {
        let queues = match routing {
            Routing::SharedQueue => vec![FcfsQueue::new(instances * slots_per_instance)],
            Routing::Random => (0..instances).map(|_| FcfsQueue::new(slots_per_instance)).collect(),
        };
        Pool { queues, max_queue }
    }

    /// Admits one request; `route` picks the instance under random routing.
    #[inline]
    pub fn offer<R: Rng>(&mut self, arrival_us: u64, service_us: u64, patience_us: u64, route: &mut R) -> Admission {
        let q = match self.queues.len() {
            0 => return Admission::Rejected,
            1 => &mut self.queues[0],
            n => &mut self.queues[below(route, n as u64) as usize],
        };
        q.offer(arrival_us, service_us, patience_us, self.max_queue)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::{Purpose, stream};

    fn started(a: Admission) -> (u64, u64) {
        match a {
            Admission::Started { start_us, finish_us } => (start_us, finish_us),
            other => panic!("expected a start, got {other:?}"),
        }
    }

    #[test]
    fn two_slots_serve_in_fcfs_order() {
        let mut rng = stream(1, 0, Purpose::Routing);
        let mut pool = Pool::new(Routing::SharedQueue, 1, 2, None);
        // Three requests at t = 0 needing 10, 4, 3: the third waits for the 4.
        assert_eq!(started(pool.offer(0, 10, 100, &mut rng)), (0, 10));
        assert_eq!(started(pool.offer(0, 4, 100, &mut rng)), (0, 4));
        assert_eq!(started(pool.offer(0, 3, 100, &mut rng)), (4, 7));
        // At t = 8 the slot freed at 7 is idle: no wait.
        assert_eq!(started(pool.offer(8, 1, 100, &mut rng)), (8, 9));
    }

    #[test]
    fn impatient_requests_leave_without_using_a_slot() {
        let mut rng = stream(1, 0, Purpose::Routing);
        let mut pool = Pool::new(Routing::SharedQueue, 1, 1, None);
        started(pool.offer(0, 100, 50, &mut rng));
        // Would start at 100 but gives up at 10 + 50 = 60.
        assert_eq!(pool.offer(10, 5, 50, &mut rng), Admission::Abandoned { leave_us: 60 });
        // The slot is still free at 100 for the next one.
        assert_eq!(started(pool.offer(70, 5, 50, &mut rng)), (100, 105));
    }

    #[test]
    fn max_queue_rejects_when_the_queue_is_full() {
        let mut rng = stream(1, 0, Purpose::Routing);
        let mut pool = Pool::new(Routing::SharedQueue, 1, 1, Some(1));
        started(pool.offer(0, 100, 1_000, &mut rng)); // in service, queue empty
        started(pool.offer(1, 100, 1_000, &mut rng)); // waits (queue = 1)
        assert_eq!(pool.offer(2, 100, 1_000, &mut rng), Admission::Rejected);
        // At 100 the waiting one starts, so the queue has room again.
        assert_eq!(started(pool.offer(100, 1, 1_000, &mut rng)), (200, 201));
    }

    #[test]
    fn random_routing_uses_separate_queues() {
        let mut rng = stream(1, 0, Purpose::Routing);
        let mut pool = Pool::new(Routing::Random, 4, 1, None);
        // 4 instances × 1 slot; 400 simultaneous requests of 1 µs spread over the
        // four queues, so the last start is about 100, not 400 (one shared slot).
        let last = (0..400).map(|_| started(pool.offer(0, 1, 10_000, &mut rng)).0).max().unwrap();
        assert!((80..=140).contains(&last), "{last}");
    }
}
