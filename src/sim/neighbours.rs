//! Noisy neighbours of VPS instances: the other VMs on each instance's
//! physical host. Every `period` on average each neighbour draws whether it
//! is busy (probability `utilization`), so the number busy is always
//! Binomial(count, utilization); comparing one uniform draw with
//! `utilization` makes busier neighbours a superset of less busy ones under
//! common random numbers, so more load never means less contention.
//!
//! When the demand D = this VPS's busy vCPUs + busy neighbour vCPUs exceeds
//! the host's cores P, CPU steal is 1 − P/D; storage time is multiplied by
//! 1 + (io_slowdown − 1) × busy neighbours / count.

use rand_distr::{Distribution, Exp1};

use crate::model::Neighbours as Spec;
use crate::rng::{Purpose, Stream, stream, unit_open0};
use crate::sim::event::{Event, EventQueue};

/// Neighbour state of every instance of one option in one replication.
pub struct Neighbours {
    spec: Spec,
    /// Per (instance, neighbour), flattened: is it busy, and its stream.
    busy: Vec<bool>,
    streams: Vec<Stream>,
    /// Busy neighbours per instance.
    busy_count: Vec<u32>,
}

impl Neighbours {
    /// Neighbours of `instances` VPSs numbered from `first_instance` (their streams).
    pub fn new(spec: &Spec, instances: u32, first_instance: u32, seed: u64, replication: u32) -> Neighbours {
        let count = spec.count as usize;
        let first = u64::from(first_instance);
        let mut streams: Vec<Stream> = (first..first + u64::from(instances))
            .flat_map(|i| (0..count as u64).map(move |j| (i << 32) | j))
            .map(|sub| stream(seed, replication, Purpose::Neighbours, sub))
            .collect();
        let busy: Vec<bool> = streams.iter_mut().map(|rng| unit_open0(rng) <= spec.utilization).collect();
        let busy_count = busy.chunks(count.max(1)).map(|c| c.iter().filter(|&&b| b).count() as u32).collect();
        let busy_count = if count == 0 { vec![0; instances as usize] } else { busy_count };
        Neighbours { spec: spec.clone(), busy, streams, busy_count }
    }

    fn next_draw_us(&mut self, k: usize) -> u64 {
        let e: f64 = Exp1.sample(&mut self.streams[k]);
        (e * self.spec.period.as_secs_f64() * 1e6) as u64
    }

    /// Schedules every neighbour's first state draw.
    pub fn schedule_first(&mut self, events: &mut EventQueue) {
        if self.spec.utilization == 0.0 || self.spec.utilization == 1.0 {
            return; // the state can never change
        }
        let count = self.spec.count;
        for k in 0..self.busy.len() {
            let at = self.next_draw_us(k);
            let (instance, neighbour) = (k as u32 / count, k as u32 % count);
            events.schedule(at, Event::NeighbourToggles { instance, neighbour });
        }
    }

    /// A neighbour draws its state anew at `t`; true if it changed.
    pub fn redraw(&mut self, t_us: u64, instance: u32, neighbour: u32, events: &mut EventQueue) -> bool {
        let k = (instance * self.spec.count + neighbour) as usize;
        let busy = unit_open0(&mut self.streams[k]) <= self.spec.utilization;
        let at = t_us + self.next_draw_us(k);
        events.schedule(at, Event::NeighbourToggles { instance, neighbour });
        if busy == self.busy[k] {
            return false;
        }
        self.busy[k] = busy;
        let c = &mut self.busy_count[instance as usize];
        if busy {
            *c += 1
        } else {
            *c -= 1
        }
        true
    }

    /// CPU steal on `instance` when `busy_vcpus` of its own vCPUs are busy.
    /// Instances without neighbours (a hybrid's burst pool) never suffer steal.
    pub fn steal(&self, instance: u32, busy_vcpus: u32) -> f64 {
        let Some(&busy) = self.busy_count.get(instance as usize) else {
            return 0.0;
        };
        let demand = f64::from(busy_vcpus + busy * self.spec.vcpus);
        let cores = f64::from(self.spec.host_cores);
        if demand > cores { 1.0 - cores / demand } else { 0.0 }
    }

    /// Storage time multiplier on `instance`.
    pub fn io_factor(&self, instance: u32) -> f64 {
        let Some(&busy) = self.busy_count.get(instance as usize).filter(|_| self.spec.count > 0) else {
            return 1.0;
        };
        let busy_fraction = f64::from(busy) / f64::from(self.spec.count);
        1.0 + (self.spec.io_slowdown - 1.0) * busy_fraction
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::SimTime;

    fn spec(count: u32, utilization: f64) -> Spec {
        Spec { host_cores: 8, count, vcpus: 2, utilization, period: SimTime::from_secs(600), io_slowdown: 3.0 }
    }

    #[test]
    fn steal_worked_example() {
        // Host of 8 cores; this VPS has 2 busy vCPUs; 3 of its neighbours busy with 2 vCPUs each:
        // D = 2 + 6 = 8 = P, no steal. With 4 busy neighbours D = 10: steal = 1 − 8/10 = 0.2.
        let mut n = Neighbours::new(&spec(5, 0.5), 1, 0, 1, 0);
        n.busy_count[0] = 3;
        assert_eq!(n.steal(0, 2), 0.0);
        n.busy_count[0] = 4;
        assert!((n.steal(0, 2) - 0.2).abs() < 1e-12);
        // I/O: 4 of 5 busy → 1 + (3 − 1) × 0.8 = 2.6.
        assert!((n.io_factor(0) - 2.6).abs() < 1e-12);
    }

    #[test]
    fn busy_sets_grow_with_utilization_under_common_random_numbers() {
        let low = Neighbours::new(&spec(50, 0.2), 2, 0, 9, 0);
        let high = Neighbours::new(&spec(50, 0.6), 2, 0, 9, 0);
        assert!(low.busy.iter().zip(&high.busy).all(|(l, h)| !l || *h));
        assert!(low.busy_count.iter().zip(&high.busy_count).all(|(l, h)| l <= h));
        // and idle neighbours mean nothing changes
        let idle = Neighbours::new(&spec(50, 0.0), 2, 0, 9, 0);
        assert_eq!(idle.busy_count, vec![0, 0]);
        assert_eq!(idle.steal(0, 2), 0.0);
        assert_eq!(idle.io_factor(0), 1.0);
    }
}
