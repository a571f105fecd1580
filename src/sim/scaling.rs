//! The engine's side of autoscaling: starting the fleet, evaluating the
//! policy every period from what the instances did, launching (with a boot
//! delay) and retiring instances, and scheduled minimums.

use crate::autoscale::Observation;
use crate::model::Iaas;
use crate::sim::engine::Job;
use crate::sim::event::Event;
use crate::sim::pool::Admission;
use crate::time::SimTime;

impl Job<'_> {
    /// Puts the fleet's initial instances in service at t = 0 and schedules
    /// the first evaluation and the scheduled minimums.
    pub(crate) fn start_fleet(&mut self, spec: &Iaas) {
        for _ in 0..spec.initial {
            self.add_member(0, spec, true);
        }
        let Some(fleet) = &self.fleet else { return };
        if let Some(period) = fleet.period() {
            self.events.schedule(period.0, Event::ScaleTick);
        }
        let firsts: Vec<(u64, u32)> = fleet.schedule().collect();
        for (at, k) in firsts {
            self.events.schedule(at, Event::ScheduledMin(k));
        }
    }

    /// Adds one instance to the pool and the fleet, launched at `t`.
    fn add_member(&mut self, t_us: u64, spec: &Iaas, ready_now: bool) {
        let Some(fleet) = &mut self.fleet else { return };
        let id = self.pool.add_instance(fleet.vcpus);
        self.volumes.add(Some(&spec.storage));
        let launch = fleet.launch(id, t_us, ready_now);
        if let Some(notice_us) = launch.notice_us {
            self.events.schedule(notice_us, Event::SpotNotice(id));
        }
        if ready_now {
            self.pool.set_up(id, true, t_us);
            self.schedule_warmup_end(t_us);
        } else {
            self.events.schedule(launch.ready_us, Event::InstanceReady(id));
        }
    }

    /// Instance `id` finished booting at `t`: it serves, after its warm-up
    /// it counts in the metric.
    pub(crate) fn instance_ready(&mut self, t_us: u64, id: u32) {
        if self.fleet.as_mut().is_some_and(|f| f.ready(id, t_us)) {
            self.sync(t_us, &[]);
            self.schedule_warmup_end(t_us);
        }
        self.capacity_changed(t_us);
    }

    fn schedule_warmup_end(&mut self, ready_us: u64) {
        let warmup_us = self.fleet.as_ref().map_or(0, |f| f.warmup_us());
        if warmup_us > 0 {
            self.events.schedule(ready_us + warmup_us, Event::WarmupEnds);
        }
    }

    /// Launches `n` instances at `t`; they serve after their boot time.
    pub(crate) fn launch(&mut self, t_us: u64, n: u32) {
        let Some(spec) = self.fleet.as_ref().map(|f| f.spec.clone()) else { return };
        for _ in 0..n {
            self.add_member(t_us, &spec, false);
        }
    }

    /// Retires `n` instances at `t` (booting ones first, then the newest).
    fn retire(&mut self, t_us: u64, n: u32) {
        let Some(fleet) = &mut self.fleet else { return };
        let serving = fleet.retire(n, t_us);
        if !serving.is_empty() {
            self.sync(t_us, &serving);
        }
    }

    /// The policy's evaluation at `t`.
    pub(crate) fn scale_tick(&mut self, t_us: u64) {
        let measured = self.measured(t_us);
        let running_us = self.running_us(t_us, &measured);
        self.evaluate(t_us, &measured, running_us);
    }

    /// The policy's evaluation at `t`, given the instances it measures and
    /// their requests' busy time in the window still running at `t`.
    pub(crate) fn evaluate(&mut self, t_us: u64, measured: &[u32], running_us: u64) {
        let obs = self.observe(t_us, measured, running_us);
        let fixed = self.fixed;
        let Some(fleet) = &mut self.fleet else { return };
        let change = fleet.decide(obs, fixed);
        fleet.reset_window(t_us);
        if let Some(period) = fleet.period() {
            self.events.schedule(t_us + period.0, Event::ScaleTick);
        }
        match change {
            n if n > 0 => self.launch(t_us, n as u32),
            n if n < 0 => self.retire(t_us, n.unsigned_abs() as u32),
            _ => return,
        }
        self.capacity_changed(t_us);
    }

    /// A scheduled change of the minimum at `t`; launches up to it at once.
    pub(crate) fn scheduled_min(&mut self, t_us: u64, k: u32) {
        let Some(fleet) = &mut self.fleet else { return };
        if let Some(next) = fleet.apply_schedule(k, t_us) {
            self.events.schedule(next, Event::ScheduledMin(k));
        }
        let short = fleet.min().saturating_sub(fleet.active());
        if short > 0 {
            self.launch(t_us, short);
            self.capacity_changed(t_us);
        }
    }

    /// The instances the policy measures at `t`: in service and past their warm-up.
    pub(crate) fn measured(&self, t_us: u64) -> Vec<u32> {
        let fleet = self.fleet.as_ref().expect("only fleets are observed");
        (0..self.pool.instances()).filter(|&i| self.pool.is_up(i) && !fleet.warming(i, t_us)).collect()
    }

    /// The window's part of the pending requests still in service at `t` on `measured` instances.
    fn running_us(&self, t_us: u64, measured: &[u32]) -> u64 {
        let window_start = self.fleet.as_ref().map_or(0, |f| f.window.start_us);
        self.pending
            .iter()
            .filter_map(|p| match p.admission {
                Admission::Started { slot, start_us, finish_us }
                    if start_us < t_us && measured.contains(&self.pool.instance_of(slot)) =>
                {
                    Some(finish_us.min(t_us).saturating_sub(start_us.max(window_start)))
                }
                _ => None,
            })
            .sum()
    }

    /// What the policy sees at `t`: the metric over the `measured`
    /// instances since the last evaluation (settled busy time plus `running`).
    fn observe(&mut self, t_us: u64, measured: &[u32], running_us: u64) -> Observation {
        let fleet = self.fleet.as_ref().expect("only fleets are observed");
        let settled: u64 = measured.iter().map(|&i| fleet.window.busy_us.get(i as usize).copied().unwrap_or(0)).sum();
        let slots: u64 = measured.iter().map(|&i| u64::from(self.pool.slots(i))).sum();
        let (booting, warming) = fleet.starting(t_us);
        let current = self.fixed + fleet.active();
        let fleet = self.fleet.as_mut().expect("only fleets are observed");
        Observation {
            now: SimTime(t_us),
            metric: fleet.measure(t_us, settled + running_us, slots, measured.len() as u32),
            current,
            measured: measured.len() as u32,
            warming: booting + warming,
        }
    }
}
