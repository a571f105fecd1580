//! Rare events (failures, outages, neighbour changes, ticks) in a queue ordered by
//! (time, sequence number), so equal times break ties the same way every run.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Something that changes an option's capacity or speed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Event {
    /// A server (instance) breaks down; requests in service on it fail.
    InstanceFails(u32),
    /// A broken server is back.
    InstanceRepaired(u32),
    /// The whole option goes down (provider or region outage).
    OutageStarts,
    OutageEnds,
    /// A noisy neighbour of an instance turns busy or idle.
    NeighbourToggles {
        instance: u32,
        neighbour: u32,
    },
    /// The autoscaling policy evaluates.
    ScaleTick,
    /// A launched instance finished booting.
    InstanceReady(u32),
    /// An instance's warm-up ends.
    WarmupEnds,
    /// A scheduled change of the fleet's minimum (index into the schedule).
    ScheduledMin(u32),
    /// A minute of dyno-time is charged to the pool of dyno-hours (Eco).
    PoolTick,
    /// A spot instance gets its two-minute interruption notice.
    SpotNotice(u32),
    /// An interrupted spot instance is terminated.
    SpotTerminated(u32),
}

/// Pending events, earliest first; ties in scheduling order.
#[derive(Debug, Default)]
pub struct EventQueue {
    heap: BinaryHeap<Reverse<(u64, u64, Event)>>,
    next_seq: u64,
}

impl EventQueue {
    pub fn schedule(&mut self, at_us: u64, event: Event) {
        self.heap.push(Reverse((at_us, self.next_seq, event)));
        self.next_seq += 1;
    }

    /// Time of the next event, if any.
    pub fn peek_time(&self) -> Option<u64> {
        self.heap.peek().map(|Reverse((t, _, _))| *t)
    }

    pub fn pop(&mut self) -> Option<(u64, Event)> {
        self.heap.pop().map(|Reverse((t, _, e))| (t, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_first_and_ties_in_scheduling_order() {
        let mut q = EventQueue::default();
        q.schedule(20, Event::OutageEnds);
        q.schedule(10, Event::InstanceRepaired(1));
        q.schedule(10, Event::InstanceFails(0));
        assert_eq!(q.peek_time(), Some(10));
        assert_eq!(q.pop(), Some((10, Event::InstanceRepaired(1))));
        assert_eq!(q.pop(), Some((10, Event::InstanceFails(0))));
        assert_eq!(q.pop(), Some((20, Event::OutageEnds)));
        assert_eq!(q.pop(), None);
    }
}
