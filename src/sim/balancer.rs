//! How a balancer picks an instance's queue under per-instance routing:
//! round robin's position in the rotation, and the choice by load (least
//! connections, power of two choices) given each instance's requests in
//! service plus waiting, which the pool counts from its queues.

use rand::Rng;

use crate::model::Routing;
use crate::rng::{below, split_below};

/// One balancer's memory (round robin's last choice).
#[derive(Clone, Debug)]
pub struct Balancer {
    routing: Routing,
    /// Round robin: the instance chosen last.
    last: Option<u32>,
}

impl Balancer {
    pub fn new(routing: Routing) -> Balancer {
        Balancer { routing, last: None }
    }

    /// Picks the instance for an arrival among `up` (the instances in
    /// service, in index order), given `load(i, below)`: instance i's
    /// requests in service plus waiting now if fewer than `below`, else
    /// `None` (so the pool may stop counting early); `None` if no instance
    /// is up or the queue is shared.
    /// The random disciplines take one draw per request whatever the state,
    /// so the stream stays aligned across options (common random numbers).
    #[inline]
    pub fn pick<R: Rng>(
        &mut self,
        up: &[u32],
        rng: &mut R,
        mut load: impl FnMut(u32, u32) -> Option<u32>,
    ) -> Option<u32> {
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
                // The lowest index among the least loaded: scan in order, stop at an idle one.
                let (mut best, mut least) = (None, u32::MAX);
                for &i in up {
                    if let Some(l) = load(i, least) {
                        (best, least) = (Some(i), l);
                        if l == 0 {
                            break;
                        }
                    }
                }
                best
            }
            Routing::PowerOfTwo => {
                let (a, b) = two_distinct(rng.next_u64(), up.len() as u64)?;
                let (a, b) = (up[a as usize], up[b as usize]);
                let at_a = load(a, u32::MAX).unwrap_or(u32::MAX);
                Some(if load(b, at_a).is_some() { b } else { a })
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Purpose, stream};

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
        let mut pick = |b: &mut Balancer, up: &[u32]| b.pick(up, &mut rng, |_, _| Some(0));
        let picks: Vec<_> = (0..4).map(|_| pick(&mut b, &[0, 1, 2]).unwrap()).collect();
        assert_eq!(picks, [0, 1, 2, 0]);
        // Instance 1 leaves and 3 joins: the rotation goes on from 0.
        let picks: Vec<_> = (0..3).map(|_| pick(&mut b, &[0, 2, 3]).unwrap()).collect();
        assert_eq!(picks, [2, 3, 0]);
        assert_eq!(pick(&mut b, &[]), None);
        assert_eq!(pick(&mut b, &[3]), Some(3));
    }

    #[test]
    fn least_connections_takes_the_lowest_index_among_the_least_loaded() {
        let mut b = Balancer::new(Routing::LeastConnections);
        let mut rng = stream(1, 0, Purpose::Routing, 0);
        let counted = |loads: [u32; 4]| move |i: u32, below: u32| Some(loads[i as usize]).filter(|&l| l < below);
        assert_eq!(b.pick(&[0, 1, 2, 3], &mut rng, counted([3, 1, 2, 1])), Some(1));
        assert_eq!(b.pick(&[0, 2, 3], &mut rng, counted([3, 1, 2, 1])), Some(3));
        // Each instance is asked for a load below the least so far; an idle one ends the scan.
        let mut asked = Vec::new();
        let idle = b.pick(&[0, 1, 2, 3], &mut rng, |i, below| {
            asked.push((i, below));
            counted([2, 0, 0, 5])(i, below)
        });
        assert_eq!((idle, asked), (Some(1), vec![(0, u32::MAX), (1, 2)]));
        assert_eq!(b.pick(&[], &mut rng, |_, _| Some(0)), None);
    }

    #[test]
    fn power_of_two_joins_the_shorter_of_the_two_sampled() {
        let mut b = Balancer::new(Routing::PowerOfTwo);
        let mut rng = stream(1, 0, Purpose::Routing, 0);
        // With two instances both are sampled: the shorter always wins.
        let counted = |loads: Vec<u32>| move |i: u32, below: u32| Some(loads[i as usize]).filter(|&l| l < below);
        assert!((0..20).all(|_| b.pick(&[0, 1], &mut rng, counted(vec![5, 0])) == Some(1)));
        // Equal loads: the first drawn.
        assert!((0..20).all(|_| b.pick(&[0, 1], &mut rng, counted(vec![0, 0])).is_some()));
        // Among 10 with one short, it is chosen when sampled: 2 × 1/10 of the time
        // (sd √(0.2 × 0.8 / 10,000) = 0.004; allow 5 sd).
        let up: Vec<u32> = (0..10).collect();
        let loads: Vec<u32> = up.iter().map(|&i| u32::from(i != 7)).collect();
        let short = (0..10_000).filter(|_| b.pick(&up, &mut rng, counted(loads.clone())) == Some(7)).count();
        assert!((short as f64 / 1e4 - 0.2).abs() < 0.02, "{short}");
    }
}
