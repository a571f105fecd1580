//! The instances of an option and the FCFS queues in front of their slots.
//!
//! Between rare events (failures, outages, neighbour changes), FCFS needs no
//! event per request: a request starts at max(arrival, earliest free slot)
//! and holds that slot for its service time (the Kiefer-Wolfowitz recursion
//! over a min-heap of slot free times). A request whose start would come
//! after its patience runs out leaves the queue then and uses no slot.
//! Commitments made for the future can be undone (newest first) when a rare
//! event changes the capacity, and replayed on the new capacity.

use std::collections::{BinaryHeap, VecDeque};

use rand::Rng;

use crate::model::Routing;
use crate::sim::balancer::Balancer;

/// What the pool did with an arriving request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    /// The queue was full.
    Rejected,
    /// Found no slot before its patience ran out; leaves the queue at `leave_us`.
    /// `instance` is the queue it waited in (per-instance routing), if any.
    Abandoned { leave_us: u64, instance: Option<u32> },
    /// Holds `slot` over [start_us, finish_us).
    Started { slot: u32, start_us: u64, finish_us: u64 },
}

/// A slot and when it is next free; ordered by time only, earliest first in
/// a max-heap, so heap operations compare one u64 (ties resolve by heap
/// position, which is deterministic).
#[derive(Clone, Copy, Debug)]
struct SlotFree {
    at_us: u64,
    slot: u32,
}

impl PartialEq for SlotFree {
    fn eq(&self, other: &Self) -> bool {
        self.at_us == other.at_us
    }
}

impl Eq for SlotFree {}

impl PartialOrd for SlotFree {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SlotFree {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other.at_us.cmp(&self.at_us)
    }
}

/// One FCFS queue in front of some slots.
#[derive(Clone, Debug, Default)]
struct Queue {
    /// Free time and index of each of its slots, earliest first.
    free: BinaryHeap<SlotFree>,
    /// When each waiting request leaves the queue (starts or gives up), in
    /// arrival order; kept only when the queue length is limited or the
    /// routing looks at loads. Leave
    /// times are non-decreasing: FCFS starts are, and a request gives up
    /// only before any later one could start.
    leave_at: VecDeque<u64>,
}

impl Queue {
    /// Requests waiting at `now`.
    #[inline]
    fn waiting(&mut self, now_us: u64) -> usize {
        while self.leave_at.front().is_some_and(|&t| t <= now_us) {
            self.leave_at.pop_front();
        }
        self.leave_at.len()
    }

    /// Requests in service plus waiting at `now`, if fewer than `below`: a
    /// slot free only after `now` is busy then (FCFS keeps it busy from the
    /// start of its work), and nothing waits while a slot is free.
    #[inline]
    fn load_below(&mut self, now_us: u64, below: u32) -> Option<u32> {
        let busy = self.free.iter().filter(|f| f.at_us > now_us).count() as u32;
        let load =
            if busy >= below || busy < self.free.len() as u32 { busy } else { busy + self.waiting(now_us) as u32 };
        (load < below).then_some(load)
    }
}

/// An instance's slots: `count` consecutive slot ids from `first`.
#[derive(Clone, Copy, Debug)]
struct Instance {
    first: u32,
    count: u32,
    vcpus: u32,
    up: bool,
}

/// The slots of an option, grouped by instance, behind one shared queue or
/// one queue per instance. Instances may be added at any time (they start
/// down) and taken up or down.
#[derive(Clone, Debug)]
pub struct Pool {
    routing: Routing,
    workers_per_vcpu: u32,
    max_queue: Option<u32>,
    /// Keep each queue's leave times (for `max_queue`, or loads to route by).
    track_waiting: bool,
    /// When each slot is next free (mirrors the heaps, for undo and rebuilds).
    free_at: Vec<u64>,
    /// The instance owning each slot.
    owner: Vec<u32>,
    instances: Vec<Instance>,
    /// Up instances, in index order, for per-instance routing.
    up_list: Vec<u32>,
    /// Slots of up instances.
    up_slots: u64,
    /// One queue (shared) or one per instance.
    queues: Vec<Queue>,
    /// Which instance's queue an arrival joins, under per-instance routing.
    balancer: Balancer,
}

impl Pool {
    /// An empty pool; add instances with `add_instance`.
    pub fn new(routing: Routing, workers_per_vcpu: u32, max_queue: Option<u32>) -> Pool {
        let queues = if routing.per_instance() { Vec::new() } else { vec![Queue::default()] };
        Pool {
            routing,
            workers_per_vcpu,
            max_queue,
            track_waiting: max_queue.is_some() || matches!(routing, Routing::LeastConnections | Routing::PowerOfTwo),
            free_at: Vec::new(),
            owner: Vec::new(),
            instances: Vec::new(),
            up_list: Vec::new(),
            up_slots: 0,
            queues,
            balancer: Balancer::new(routing),
        }
    }

    /// A pool of `instances` × `vcpus` instances, all up and free at t = 0.
    pub fn uniform(
        routing: Routing,
        instances: u32,
        vcpus: u32,
        workers_per_vcpu: u32,
        max_queue: Option<u32>,
    ) -> Pool {
        let mut pool = Pool::new(routing, workers_per_vcpu, max_queue);
        for _ in 0..instances {
            let i = pool.add_instance(vcpus);
            pool.set_up(i, true, 0);
        }
        pool.rebuild();
        pool
    }

    /// Adds an instance of `vcpus` (down until `set_up`); returns its id.
    pub fn add_instance(&mut self, vcpus: u32) -> u32 {
        let id = self.instances.len() as u32;
        let count = vcpus * self.workers_per_vcpu;
        self.instances.push(Instance { first: self.free_at.len() as u32, count, vcpus, up: false });
        self.free_at.extend(std::iter::repeat_n(0, count as usize));
        self.owner.extend(std::iter::repeat_n(id, count as usize));
        if self.routing.per_instance() {
            self.queues.push(Queue::default());
        }
        id
    }

    pub fn instances(&self) -> u32 {
        self.instances.len() as u32
    }

    pub fn up_instances(&self) -> u32 {
        self.up_list.len() as u32
    }

    /// Slots of the instances that are up.
    pub fn up_slots(&self) -> u64 {
        self.up_slots
    }

    /// Instances in service, in index order.
    pub fn up_list(&self) -> &[u32] {
        &self.up_list
    }

    /// Requests a queue holds at most, if limited.
    pub fn max_queue(&self) -> Option<u32> {
        self.max_queue
    }

    /// Records that work on `instance` ran until `t`, for a driver that
    /// keeps its own queues (`last_free_at` is then at least `t`).
    pub fn note_free_at(&mut self, instance: u32, t_us: u64) {
        let first = self.instances[instance as usize].first as usize;
        self.free_at[first] = self.free_at[first].max(t_us);
    }

    pub fn instance_of(&self, slot: u32) -> u32 {
        self.owner[slot as usize]
    }

    /// vCPUs of an instance.
    pub fn vcpus(&self, instance: u32) -> u32 {
        self.instances[instance as usize].vcpus
    }

    /// Slots of an instance.
    pub fn slots(&self, instance: u32) -> u32 {
        self.instances[instance as usize].count
    }

    pub fn is_up(&self, instance: u32) -> bool {
        self.instances.get(instance as usize).is_some_and(|i| i.up)
    }

    /// Slots of `instance` still busy at `t` (for CPU contention models).
    pub fn busy_slots(&self, instance: u32, t_us: u64) -> u32 {
        self.slot_range(instance).filter(|&s| self.free_at[s as usize] > t_us).count() as u32
    }

    /// When the last of `instance`'s committed work ends.
    pub fn last_free_at(&self, instance: u32) -> u64 {
        self.slot_range(instance).map(|s| self.free_at[s as usize]).max().unwrap_or(0)
    }

    fn slot_range(&self, instance: u32) -> std::ops::Range<u32> {
        let i = &self.instances[instance as usize];
        i.first..i.first + i.count
    }

    fn queue_of(&self, instance: u32) -> usize {
        if self.routing.per_instance() { instance as usize } else { 0 }
    }

    /// Picks the queue for an arrival at `now`: `None` for the shared queue,
    /// else an instance in service by the routing discipline (`None` if
    /// there is none).
    #[inline]
    pub fn route<R: Rng>(&mut self, now_us: u64, rng: &mut R) -> Option<u32> {
        let queues = &mut self.queues;
        self.balancer.pick(&self.up_list, rng, |i, below| queues[i as usize].load_below(now_us, below))
    }

    /// Admits a request routed to `instance` (None: shared queue). `service`
    /// gives the service time for a start time and instance. With `check_limit`,
    /// a full queue rejects it.
    #[inline]
    pub fn offer(
        &mut self,
        arrival_us: u64,
        patience_us: u64,
        instance: Option<u32>,
        check_limit: bool,
        service: impl FnOnce(&Pool, u64, u32) -> u64,
    ) -> Admission {
        let deadline_us = arrival_us.saturating_add(patience_us);
        let q = match instance {
            Some(i) => self.queue_of(i),
            None if !self.routing.per_instance() => 0,
            // No instance up to route to: it waits for capacity, or gives up.
            None => return self.wait_out(None, deadline_us),
        };
        let earliest = self.queues[q].free.peek().copied();
        // Only an arrival that would wait can find the queue full: with a
        // limit of 0 a free slot still serves it (a loss system, Erlang B).
        let must_wait = earliest.is_none_or(|f| f.at_us > arrival_us);
        if let (Some(limit), true) = (self.max_queue, check_limit)
            && must_wait
            && self.queues[q].waiting(arrival_us) >= limit as usize
        {
            return Admission::Rejected;
        }
        let Some(SlotFree { at_us: free_us, slot }) = earliest else {
            return self.wait_out(instance, deadline_us);
        };
        let start_us = free_us.max(arrival_us);
        if start_us > deadline_us {
            return self.wait_out(instance, deadline_us);
        }
        let finish_us = start_us + service(self, start_us, self.owner[slot as usize]);
        if let Some(mut top) = self.queues[q].free.peek_mut() {
            top.at_us = finish_us;
        }
        self.free_at[slot as usize] = finish_us;
        if self.track_waiting && start_us > arrival_us {
            self.queues[q].leave_at.push_back(start_us);
        }
        Admission::Started { slot, start_us, finish_us }
    }

    fn wait_out(&mut self, instance: Option<u32>, deadline_us: u64) -> Admission {
        if self.track_waiting {
            let q = instance.map_or(0, |i| self.queue_of(i));
            if let Some(queue) = self.queues.get_mut(q) {
                queue.leave_at.push_back(deadline_us);
            }
        }
        Admission::Abandoned { leave_us: deadline_us, instance }
    }

    /// Undoes a commitment made after time `now` (call newest first): the
    /// slot becomes free again when the request would have started.
    pub fn undo(&mut self, admission: &Admission) {
        if let Admission::Started { slot, start_us, .. } = *admission {
            self.free_at[slot as usize] = start_us;
        }
    }

    /// Forgets queue leave times after `now` (their requests are being replayed).
    pub fn forget_waiting_after(&mut self, now_us: u64) {
        for q in &mut self.queues {
            while q.leave_at.back().is_some_and(|&t| t > now_us) {
                q.leave_at.pop_back();
            }
        }
    }

    /// Takes an instance out of service (its slots vanish from the queue) or
    /// puts it back (its slots free at `now`). Call `rebuild` afterwards.
    pub fn set_up(&mut self, instance: u32, up: bool, now_us: u64) {
        let i = instance as usize;
        if self.instances[i].up == up {
            return;
        }
        self.instances[i].up = up;
        if up {
            for s in self.slot_range(instance) {
                self.free_at[s as usize] = now_us;
            }
            self.up_slots += u64::from(self.instances[i].count);
        } else {
            self.up_slots -= u64::from(self.instances[i].count);
        }
        self.up_list = (0..self.instances()).filter(|&i| self.instances[i as usize].up).collect();
    }

    /// Rebuilds the heaps from `free_at` (after undos or capacity changes).
    pub fn rebuild(&mut self) {
        for q in &mut self.queues {
            q.free.clear();
        }
        for &i in &self.up_list {
            let q = self.queue_of(i);
            for s in self.slot_range(i) {
                self.queues[q].free.push(SlotFree { at_us: self.free_at[s as usize], slot: s });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Purpose, stream};

    fn constant(service_us: u64) -> impl FnOnce(&Pool, u64, u32) -> u64 {
        move |_, _, _| service_us
    }

    fn started(a: Admission) -> (u64, u64) {
        match a {
            Admission::Started { start_us, finish_us, .. } => (start_us, finish_us),
            other => panic!("expected a start, got {other:?}"),
        }
    }

    #[test]
    fn two_slots_serve_in_fcfs_order() {
        let mut pool = Pool::uniform(Routing::SharedQueue, 1, 2, 1, None);
        // Three requests at t = 0 needing 10, 4, 3: the third waits for the 4.
        assert_eq!(started(pool.offer(0, 100, None, true, constant(10))), (0, 10));
        assert_eq!(started(pool.offer(0, 100, None, true, constant(4))), (0, 4));
        assert_eq!(started(pool.offer(0, 100, None, true, constant(3))), (4, 7));
        // At t = 8 the slot freed at 7 is idle: no wait.
        assert_eq!(started(pool.offer(8, 100, None, true, constant(1))), (8, 9));
    }

    #[test]
    fn impatient_requests_leave_without_using_a_slot() {
        let mut pool = Pool::uniform(Routing::SharedQueue, 1, 1, 1, None);
        started(pool.offer(0, 50, None, true, constant(100)));
        // Would start at 100 but gives up at 10 + 50 = 60.
        assert_eq!(pool.offer(10, 50, None, true, constant(5)), Admission::Abandoned { leave_us: 60, instance: None });
        // The slot is still free at 100 for the next one.
        assert_eq!(started(pool.offer(70, 50, None, true, constant(5))), (100, 105));
    }

    #[test]
    fn max_queue_rejects_when_the_queue_is_full() {
        let mut pool = Pool::uniform(Routing::SharedQueue, 1, 1, 1, Some(1));
        started(pool.offer(0, 1_000, None, true, constant(100))); // in service, queue empty
        started(pool.offer(1, 1_000, None, true, constant(100))); // waits (queue = 1)
        assert_eq!(pool.offer(2, 1_000, None, true, constant(100)), Admission::Rejected);
        // At 100 the waiting one starts, so the queue has room again.
        assert_eq!(started(pool.offer(100, 1_000, None, true, constant(1))), (200, 201));
    }

    #[test]
    fn max_queue_zero_rejects_only_when_every_slot_is_busy() {
        let mut pool = Pool::uniform(Routing::SharedQueue, 1, 2, 1, Some(0));
        assert_eq!(started(pool.offer(0, 1_000, None, true, constant(100))), (0, 100));
        assert_eq!(started(pool.offer(1, 1_000, None, true, constant(100))), (1, 101));
        // Both slots busy: nowhere to wait.
        assert_eq!(pool.offer(2, 1_000, None, true, constant(100)), Admission::Rejected);
        // At 100 a slot is free again.
        assert_eq!(started(pool.offer(100, 1_000, None, true, constant(1))), (100, 101));
    }

    #[test]
    fn random_routing_uses_separate_queues() {
        let mut rng = stream(1, 0, Purpose::Routing, 0);
        let mut pool = Pool::uniform(Routing::Random, 4, 1, 1, None);
        // 4 instances × 1 slot; 400 simultaneous requests of 1 µs spread over the
        // four queues, so the last start is about 100, not 400 (one shared slot).
        let last = (0..400)
            .map(|_| {
                let route = pool.route(0, &mut rng);
                started(pool.offer(0, 10_000, route, true, constant(1))).0
            })
            .max()
            .unwrap();
        assert!((80..=140).contains(&last), "{last}");
    }

    #[test]
    fn only_instances_in_service_are_routed_to() {
        let mut rng = stream(1, 0, Purpose::Routing, 0);
        for routing in Routing::ALL.into_iter().filter(|r| r.per_instance()) {
            let mut pool = Pool::uniform(routing, 3, 1, 1, None);
            pool.set_up(1, false, 0);
            let booting = pool.add_instance(1);
            pool.rebuild();
            let mut seen = [0; 4];
            for t in 0..200 {
                let i = pool.route(t, &mut rng).unwrap();
                // Three arrivals per service time: both instances in service get some.
                started(pool.offer(t, 1_000, Some(i), true, constant(3)));
                seen[i as usize] += 1;
            }
            assert!(seen[0] > 0 && seen[2] > 0 && seen[1] + seen[3] == 0, "{routing:?}: {seen:?}");
            // The new instance is ready at 200: it joins the rotation.
            pool.set_up(booting, true, 200);
            pool.rebuild();
            let picks: Vec<u32> = (200..300).map(|t| pool.route(t, &mut rng).unwrap()).collect();
            assert!(picks.contains(&booting) && !picks.contains(&1), "{routing:?}: {picks:?}");
            // None in service: nowhere to go.
            (0..4).for_each(|i| pool.set_up(i, false, 300));
            pool.rebuild();
            assert_eq!(pool.route(300, &mut rng), None);
        }
    }

    #[test]
    fn undo_and_capacity_change_replan_the_queue() {
        let mut pool = Pool::uniform(Routing::SharedQueue, 2, 1, 1, None);
        started(pool.offer(0, 1_000, None, true, constant(100))); // instance 0 or 1
        started(pool.offer(0, 1_000, None, true, constant(100)));
        let queued = pool.offer(10, 1_000, None, true, constant(50));
        assert_eq!(started(queued), (100, 150));
        // At t = 20 a third instance would come up: undo the queued one and replay it.
        pool.undo(&queued);
        pool.rebuild();
        assert_eq!(started(pool.offer(10, 1_000, None, false, constant(50))), (100, 150));
        // Taking an instance down removes its slot from the queue.
        let mut pool = Pool::uniform(Routing::SharedQueue, 2, 1, 1, None);
        pool.set_up(0, false, 0);
        pool.rebuild();
        let a = pool.offer(0, 1_000, None, true, constant(100));
        assert!(matches!(a, Admission::Started { slot: 1, .. }));
        assert_eq!(pool.offer(0, 50, None, true, constant(1)), Admission::Abandoned { leave_us: 50, instance: None });
        // Back up at t = 30: its slot is free from then on.
        pool.set_up(0, true, 30);
        pool.rebuild();
        assert_eq!(started(pool.offer(5, 1_000, None, true, constant(1))), (30, 31));
        assert_eq!(pool.busy_slots(0, 30), 1);
        assert_eq!(pool.busy_slots(1, 30), 1);
    }
}
