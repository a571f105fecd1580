//! The state a balancer keeps to pick an instance's queue under per-instance
//! routing: round robin's position, and each instance's requests in service
//! plus waiting (least connections, power of two choices) with a tree that
//! finds the least loaded instance in O(log n).
//!
//! Requests are committed on arrival with known leave times (see `pool`), so
//! an instance's load at `now` is the number of its committed requests that
//! leave after `now`: each join pushes its leave time, and `settle(now)`
//! counts out those that have left.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rand::Rng;

use crate::model::Routing;
use crate::rng::{below, split_below};

/// One balancer's memory; the pool tells it what joins and what serves.
#[derive(Clone, Debug)]
pub struct Balancer {
    routing: Routing,
    /// Round robin: the instance chosen last.
    last: Option<u32>,
    /// Requests in service plus waiting, per instance (when loads are tracked).
    load: Vec<u32>,
    /// When each counted request leaves, with its instance; earliest first.
    leaves: BinaryHeap<Reverse<(u64, u32)>>,
    /// Least connections: the load of each instance in service, `u32::MAX` otherwise.
    tree: MinTree,
}

impl Balancer {
    pub fn new(routing: Routing) -> Balancer {
        Balancer { routing, last: None, load: Vec::new(), leaves: BinaryHeap::new(), tree: MinTree::default() }
    }

    /// True if the discipline looks at loads.
    #[inline]
    fn tracks_load(&self) -> bool {
        matches!(self.routing, Routing::LeastConnections | Routing::PowerOfTwo)
    }

    /// Picks the instance for an arrival at `now` among `up` (the instances
    /// in service, in index order); `None` if none is up or the queue is
    /// shared. The random disciplines take one draw per request whatever the
    /// state, so the stream stays aligned across options (common random numbers).
    #[inline]
    pub fn pick<R: Rng>(&mut self, now_us: u64, up: &[u32], rng: &mut R) -> Option<u32> {
        match self.routing {
            Routing::SharedQueue => None,
            Routing::Random => {
                let i = below(rng, up.len() as u64) as usize;
                up.get(i).copied()
            }
            Routing::RoundRobin => {
                // The next instance in service after the last one chosen, wrapping:
                // instances that join or leave simply enter or drop out of the rotation.
                let next = self.last.map_or(0, |last| up.partition_point(|&i| i <= last));
                let pick = up.get(next).or(up.first()).copied();
                self.last = pick.or(self.last);
                pick
            }
            Routing::LeastConnections => {
                self.settle(now_us);
                self.tree.least()
            }
            Routing::PowerOfTwo => {
                let x = rng.next_u64();
                self.settle(now_us);
                let (a, b) = two_distinct(x, up.len() as u64)?;
                let (a, b) = (up[a as usize], up[b as usize]);
                Some(if self.load[b as usize] < self.load[a as usize] { b } else { a })
            }
        }
    }

    /// A request joined `instance` and leaves it (finishes or gives up) at `leave`.
    #[inline]
    pub fn joined(&mut self, instance: u32, leave_us: u64) {
        if self.tracks_load() {
            self.leaves.push(Reverse((leave_us, instance)));
            self.add_load(instance, 1);
        }
    }

    /// Counts out the requests that left by `now`.
    #[inline]
    fn settle(&mut self, now_us: u64) {
        while let Some(&Reverse((t, i))) = self.leaves.peek() {
            if t > now_us {
                break;
            }
            self.leaves.pop();
            self.add_load(i, -1);
        }
    }

    #[inline]
    fn add_load(&mut self, instance: u32, delta: i32) {
        let i = instance as usize;
        self.load[i] = self.load[i].wrapping_add_signed(delta);
        if self.routing == Routing::LeastConnections {
            self.tree.set(i, self.load[i]);
        }
    }

    /// Forgets every load, for `instances` instances none in service; then
    /// the pool calls `joined` for each slot of the instances in service with
    /// its free time. Call it with no request waiting (the pool undoes them
    /// first): every request left then holds a slot until its free time.
    pub fn reset(&mut self, instances: usize) {
        if self.tracks_load() {
            self.leaves.clear();
            self.load.clear();
            self.load.resize(instances, 0);
            self.tree.clear(instances);
        }
    }
}

/// Two distinct uniform indices in [0, n) from one draw `x`: the first by
/// multiply-shift, the second from the remainder over the n − 1 others.
/// `None` for n = 0; the same index twice for n = 1.
#[inline]
fn two_distinct(x: u64, n: u64) -> Option<(u64, u64)> {
    if n < 2 {
        return (n == 1).then_some((0, 0));
    }
    let (a, rest) = split_below(x, n);
    let (b, _) = split_below(rest, n - 1);
    Some((a, if b >= a { b + 1 } else { b }))
}

/// A binary tree of minimums over instance loads: the least loaded
/// instance (the lowest index among equals) in O(log n).
#[derive(Clone, Debug, Default)]
struct MinTree {
    /// Leaves from `width`; node k holds the minimum of nodes 2k and 2k + 1.
    nodes: Vec<u32>,
    width: usize,
}

impl MinTree {
    /// `n` leaves, none in service.
    fn clear(&mut self, n: usize) {
        self.width = n.next_power_of_two().max(1);
        self.nodes.clear();
        self.nodes.resize(2 * self.width, u32::MAX);
    }

    fn set(&mut self, leaf: usize, value: u32) {
        let mut k = self.width + leaf;
        self.nodes[k] = value;
        while k > 1 {
            k /= 2;
            self.nodes[k] = self.nodes[2 * k].min(self.nodes[2 * k + 1]);
        }
    }

    /// The leaf with the smallest value, the leftmost among equals; `None` if every leaf is `u32::MAX`.
    fn least(&self) -> Option<u32> {
        if self.nodes.get(1).is_none_or(|&m| m == u32::MAX) {
            return None;
        }
        let mut k = 1;
        while k < self.width {
            k = if self.nodes[2 * k] <= self.nodes[2 * k + 1] { 2 * k } else { 2 * k + 1 };
        }
        Some((k - self.width) as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Purpose, stream};

    #[test]
    fn min_tree_finds_the_lowest_index_among_the_least_loaded() {
        let mut t = MinTree::default();
        t.clear(3);
        assert_eq!(t.least(), None);
        t.set(2, 1);
        t.set(1, 1);
        assert_eq!(t.least(), Some(1));
        t.set(0, 0);
        assert_eq!(t.least(), Some(0));
        t.set(0, 2);
        assert_eq!(t.least(), Some(1));
        t.set(1, u32::MAX);
        t.set(2, u32::MAX);
        assert_eq!(t.least(), Some(0));
    }

    #[test]
    fn two_distinct_is_uniform_over_ordered_pairs() {
        // 5 × 4 = 20 ordered pairs, 200,000 draws: 10,000 each, sd ≈ 98; allow 5 sd.
        let mut rng = stream(3, 0, Purpose::Routing, 0);
        let mut counts = [[0u32; 5]; 5];
        for _ in 0..200_000 {
            let (a, b) = two_distinct(rng.next_u64(), 5).unwrap();
            counts[a as usize][b as usize] += 1;
        }
        for (a, row) in counts.iter().enumerate() {
            for (b, &c) in row.iter().enumerate() {
                if a == b {
                    assert_eq!(c, 0);
                } else {
                    assert!(c.abs_diff(10_000) < 490, "{counts:?}");
                }
            }
        }
        assert_eq!(two_distinct(7, 1), Some((0, 0)));
        assert_eq!(two_distinct(7, 0), None);
    }

    #[test]
    fn round_robin_cycles_over_the_instances_in_service() {
        let mut b = Balancer::new(Routing::RoundRobin);
        let mut rng = stream(1, 0, Purpose::Routing, 0);
        let picks: Vec<_> = (0..4).map(|_| b.pick(0, &[0, 1, 2], &mut rng).unwrap()).collect();
        assert_eq!(picks, [0, 1, 2, 0]);
        // Instance 1 leaves and 3 joins: the rotation goes on from 0.
        let picks: Vec<_> = (0..3).map(|_| b.pick(0, &[0, 2, 3], &mut rng).unwrap()).collect();
        assert_eq!(picks, [2, 3, 0]);
        assert_eq!(b.pick(0, &[], &mut rng), None);
        assert_eq!(b.pick(0, &[3], &mut rng), Some(3));
    }

    #[test]
    fn least_connections_counts_requests_until_they_leave() {
        let mut b = Balancer::new(Routing::LeastConnections);
        let mut rng = stream(1, 0, Purpose::Routing, 0);
        // Three instances in service, idle (slots free at 0).
        b.reset(3);
        (0..3).for_each(|i| b.joined(i, 0));
        assert_eq!(b.pick(0, &[0, 1, 2], &mut rng), Some(0));
        b.joined(0, 100);
        assert_eq!(b.pick(0, &[0, 1, 2], &mut rng), Some(1));
        b.joined(1, 50);
        b.joined(1, 80);
        assert_eq!(b.pick(10, &[0, 1, 2], &mut rng), Some(2));
        b.joined(2, 60);
        // Loads 1, 2, 1: the lowest index wins the tie.
        assert_eq!(b.pick(20, &[0, 1, 2], &mut rng), Some(0));
        // At 60 instance 1 has one left (leaves at 80) and 2 none.
        assert_eq!(b.pick(60, &[0, 1, 2], &mut rng), Some(2));
        // Only instance 1 in service, one request in it until 80.
        b.reset(3);
        b.joined(1, 80);
        assert_eq!(b.pick(60, &[1], &mut rng), Some(1));
        assert_eq!(b.load, [0, 1, 0]);
    }

    #[test]
    fn power_of_two_joins_the_shorter_of_the_two_sampled() {
        let mut b = Balancer::new(Routing::PowerOfTwo);
        let mut rng = stream(1, 0, Purpose::Routing, 0);
        b.reset(2);
        (0..2).for_each(|i| b.joined(i, 0));
        // With two instances both are sampled: the shorter always wins.
        for _ in 0..5 {
            b.joined(0, 1_000);
        }
        assert!((0..20).all(|_| b.pick(1, &[0, 1], &mut rng) == Some(1)));
    }
}
