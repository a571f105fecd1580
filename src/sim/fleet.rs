//! A fleet of IaaS instances that come and go: launches with a boot delay,
//! retirements (newest first, booting ones before serving ones), each
//! instance's life for billing, and what its instances did since the
//! autoscaling policy last evaluated (the policy takes its metric from that).

use crate::autoscale::{self, Observation, Policy};
use crate::hosting::Life;
use crate::model::{Iaas, ScheduledMin};
use crate::rng::{Purpose, Stream, stream};
use crate::stats::histogram::SeriesHistogram;
use crate::time::SimTime;
use crate::workload::Sampler;

/// One instance of the fleet.
#[derive(Clone, Debug)]
struct Member {
    /// Its id in the pool.
    id: u32,
    life: Life,
    /// When it started serving; `None` while booting.
    ready_us: Option<u64>,
    /// Being (or been) retired.
    retired: bool,
}

/// One evaluation that changed the fleet: what the policy saw and did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScalingRecord {
    pub observation: Observation,
    /// Instances launched (> 0) or retired (< 0).
    pub change: i64,
}

/// What the fleet measured since the last evaluation.
#[derive(Debug)]
pub struct Window {
    pub start_us: u64,
    /// Busy slot-time per pool instance id in the window (settled requests).
    pub busy_us: Vec<u64>,
    pub arrivals: u64,
    /// Response times (µs) of requests served in the window.
    pub latency: SeriesHistogram,
}

/// The dynamic part of an option.
pub struct Fleet {
    pub vcpus: u32,
    boot: Sampler,
    boot_rng: Stream,
    policy: Option<Box<dyn Policy>>,
    min: u32,
    max: u32,
    schedule: Vec<ScheduledMin>,
    warmup_us: u64,
    members: Vec<Member>,
    pub window: Window,
    /// Every evaluation that changed the fleet, in time order.
    pub trace: Vec<ScalingRecord>,
    /// The spec its instances are launched from.
    pub spec: Iaas,
}

impl Fleet {
    /// `service_s`: mean service time of a request (for forecasts).
    pub fn new(spec: &Iaas, service_s: f64, seed: u64, replication: u32) -> Fleet {
        let scaling = spec.autoscaling.as_ref();
        Fleet {
            vcpus: spec.vcpus,
            boot: Sampler::new(&spec.boot),
            boot_rng: stream(seed, replication, Purpose::Boot, 0),
            policy: scaling.map(|a| autoscale::build(a, spec, service_s)),
            min: scaling.map_or(spec.initial, |a| a.min),
            max: scaling.map_or(spec.initial, |a| a.max),
            schedule: scaling.map(|a| a.schedule.clone()).unwrap_or_default(),
            warmup_us: scaling.map_or(0, |a| a.warmup.0),
            members: Vec::new(),
            window: Window { start_us: 0, busy_us: Vec::new(), arrivals: 0, latency: SeriesHistogram::new() },
            trace: Vec::new(),
            spec: spec.clone(),
        }
    }

    /// How often the policy evaluates, if there is one.
    pub fn period(&self) -> Option<SimTime> {
        self.policy.as_ref().map(|p| p.period())
    }

    /// The scheduled minimum changes: (time, index) of each first occurrence.
    pub fn schedule(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        self.schedule.iter().enumerate().map(|(k, s)| (s.at.0, k as u32))
    }

    /// Applies scheduled minimum `k` at `t`; returns when it recurs.
    pub fn apply_schedule(&mut self, k: u32, t_us: u64) -> Option<u64> {
        let s = &self.schedule[k as usize];
        self.min = s.min.min(self.max);
        s.every.map(|e| t_us + e.0)
    }

    pub fn min(&self) -> u32 {
        self.min
    }

    /// Records a new member with pool id `id`, launched at `t`; returns when
    /// it will be ready (`ready_now` for instances in service at t = 0).
    pub fn launch(&mut self, id: u32, t_us: u64, ready_now: bool) -> u64 {
        let ready_us = if ready_now { t_us } else { t_us + (self.boot.sample_s(&mut self.boot_rng) * 1e6) as u64 };
        self.members.push(Member {
            id,
            life: Life { launched_us: t_us, ended_us: None },
            ready_us: ready_now.then_some(t_us),
            retired: false,
        });
        ready_us
    }

    /// Marks instance `id` ready at `t`; false if it was retired while booting.
    pub fn ready(&mut self, id: u32, t_us: u64) -> bool {
        match self.members.iter_mut().find(|m| m.id == id && !m.retired) {
            Some(m) => {
                m.ready_us = Some(t_us);
                true
            }
            None => false,
        }
    }

    /// True for a member that is serving (not booting, not retired).
    pub fn serving(&self, id: u32) -> Option<bool> {
        self.members.iter().find(|m| m.id == id).map(|m| m.ready_us.is_some() && !m.retired)
    }

    /// Members launched and not retired.
    pub fn active(&self) -> u32 {
        self.members.iter().filter(|m| !m.retired).count() as u32
    }

    /// Picks `n` members to retire at `t`: booting ones first, then the
    /// newest serving ones. Booting ones end now; returns the serving ones,
    /// whose life ends once their work is done (`ended`).
    pub fn retire(&mut self, n: u32, t_us: u64) -> Vec<u32> {
        let mut serving = Vec::new();
        let mut left = n;
        for booting in [true, false] {
            for m in self.members.iter_mut().rev().filter(|m| !m.retired && m.ready_us.is_none() == booting) {
                if left == 0 {
                    break;
                }
                left -= 1;
                m.retired = true;
                if booting {
                    m.life.ended_us = Some(t_us);
                } else {
                    serving.push(m.id);
                }
            }
        }
        serving
    }

    /// Records when a retired serving member's last request finishes.
    pub fn ended(&mut self, id: u32, t_us: u64) {
        if let Some(m) = self.members.iter_mut().find(|m| m.id == id) {
            m.life.ended_us = Some(t_us);
        }
    }

    /// Every member's life, for billing.
    pub fn lives(&self) -> Vec<Life> {
        self.members.iter().map(|m| m.life).collect()
    }

    /// How long a new instance is left out of the metric once it serves.
    pub fn warmup_us(&self) -> u64 {
        self.warmup_us
    }

    /// Members (not retired) at `t` that are booting, and that serve but are in their warm-up.
    pub fn starting(&self, t_us: u64) -> (u32, u32) {
        let starting = self.members.iter().filter(|m| self.starting_at(m, t_us));
        starting.fold((0, 0), |(booting, warming), m| match m.ready_us {
            None => (booting + 1, warming),
            Some(_) => (booting, warming + 1),
        })
    }

    /// True while `id` is a member in its warm-up (or booting) at `t`.
    pub fn warming(&self, id: u32, t_us: u64) -> bool {
        self.members.iter().find(|m| m.id == id).is_some_and(|m| self.starting_at(m, t_us))
    }

    /// A member not retired, booting or in its warm-up at `t`.
    fn starting_at(&self, m: &Member, t_us: u64) -> bool {
        !m.retired && m.ready_us.is_none_or(|r| t_us < r + self.warmup_us)
    }

    /// Counts an arrival in the window.
    #[inline]
    pub fn note_arrival(&mut self) {
        self.window.arrivals += 1;
    }

    /// Adds busy time of instance `id` over [start, end) that falls in the window.
    #[inline]
    pub fn note_busy(&mut self, id: u32, start_us: u64, end_us: u64) {
        let busy = end_us.saturating_sub(start_us.max(self.window.start_us));
        if busy > 0 {
            let i = id as usize;
            if self.window.busy_us.len() <= i {
                self.window.busy_us.resize(i + 1, 0);
            }
            self.window.busy_us[i] += busy;
        }
    }

    /// The policy's metric of the window ending at `t`, given the measured
    /// instances' busy time (settled + in progress) and slots.
    pub fn measure(&mut self, t_us: u64, busy_us: u64, slots: u64, measured: u32) -> Option<f64> {
        let window = autoscale::Window {
            len_us: t_us.saturating_sub(self.window.start_us),
            measured,
            busy_us,
            slots,
            arrivals: self.window.arrivals,
            latency: &self.window.latency,
        };
        self.policy.as_mut()?.measure(&window)
    }

    /// Asks the policy; returns the change in members it wants, clamped to [min, max].
    pub fn decide(&mut self, obs: Observation, fixed: u32) -> i64 {
        let current = self.active();
        let wanted_total = self.policy.as_mut().and_then(|p| p.decide(&obs));
        let wanted = wanted_total.map_or(current, |w| w.saturating_sub(fixed)).clamp(self.min, self.max.max(self.min));
        let change = i64::from(wanted) - i64::from(current);
        if change != 0 {
            self.trace.push(ScalingRecord { observation: obs, change });
        }
        change
    }

    /// Starts a new measurement window at `t`.
    pub fn reset_window(&mut self, t_us: u64) {
        self.window.start_us = t_us;
        self.window.busy_us.fill(0);
        self.window.arrivals = 0;
        self.window.latency.clear();
    }
}
