//! A fleet of IaaS instances that come and go: launches with a boot delay,
//! retirements (interrupted ones first, then booting ones, then the newest
//! serving ones), each instance's life and market for billing, spot
//! interruptions, and what its instances did since the autoscaling policy
//! last evaluated (the policy takes its metric from that).

use rand_distr::{Distribution, Exp1};

use crate::autoscale::{self, Observation, Policy};
use crate::hosting::Life;
use crate::model::{Iaas, Market, Mixed, ScheduledMin};
use crate::rng::{Purpose, Stream, stream};
use crate::stats::histogram::SeriesHistogram;
use crate::time::SimTime;
use crate::workload::Sampler;

/// AWS's spot interruption notice: the instance is terminated this long after it.
pub const SPOT_NOTICE: SimTime = SimTime::from_secs(120);

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
    /// A spot instance that has had its interruption notice.
    interrupted: bool,
}

/// Spot instances: when each is interrupted, and which launches are spot.
struct SpotMarket {
    /// Mean time from launch to interruption (the hazard's inverse), in µs;
    /// `None` when never interrupted.
    mean_us: Option<f64>,
    mixed: Option<Mixed>,
    /// Its own stream, so other draws do not move when interruptions are added.
    rng: Stream,
}

/// A launched instance: when it is ready, and when its interruption
/// notice comes if it is a spot instance that will be interrupted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Launch {
    pub ready_us: u64,
    pub notice_us: Option<u64>,
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
    spot: Option<SpotMarket>,
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
            spot: spec.spot.as_ref().map(|s| SpotMarket {
                // Interruptions per instance per 730-hour month, as a mean time between them.
                mean_us: (s.interruptions_per_month > 0.0).then(|| SimTime::MONTH.0 as f64 / s.interruptions_per_month),
                mixed: s.mixed,
                rng: stream(seed, replication, Purpose::Interruptions, 0),
            }),
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

    /// Records a new member with pool id `id`, launched at `t` (`ready_now`
    /// for instances in service at t = 0), in the market its fleet's split asks for.
    pub fn launch(&mut self, id: u32, t_us: u64, ready_now: bool) -> Launch {
        let ready_us = if ready_now { t_us } else { t_us + (self.boot.sample_s(&mut self.boot_rng) * 1e6) as u64 };
        let market = self.next_market();
        let notice_us = match &mut self.spot {
            Some(SpotMarket { mean_us: Some(mean_us), rng, .. }) if market == Market::Spot => {
                let e: f64 = Exp1.sample(rng);
                Some(t_us.saturating_add((e * *mean_us) as u64))
            }
            _ => None,
        };
        self.members.push(Member {
            id,
            life: Life { launched_us: t_us, ended_us: None, market },
            ready_us: ready_now.then_some(t_us),
            retired: false,
            interrupted: false,
        });
        Launch { ready_us, notice_us }
    }

    /// The market of the next launch: spot unless the fleet is mixed and
    /// short of its on-demand share at its new size.
    fn next_market(&self) -> Market {
        match &self.spot {
            None => Market::OnDemand,
            Some(SpotMarket { mixed: None, .. }) => Market::Spot,
            Some(SpotMarket { mixed: Some(m), .. }) => {
                if self.active_in(Market::OnDemand) < m.on_demand(self.active() + 1) {
                    Market::OnDemand
                } else {
                    Market::Spot
                }
            }
        }
    }

    /// Members launched and not retired in `market`.
    fn active_in(&self, market: Market) -> u32 {
        self.members.iter().filter(|m| !m.retired && m.life.market == market).count() as u32
    }

    /// Instance `id` has its interruption notice at `t`: it takes no new
    /// requests and its life ends at the termination, `SPOT_NOTICE` later.
    /// Returns whether it was serving; `None` if it was retired already.
    pub fn interrupt(&mut self, id: u32, t_us: u64) -> Option<bool> {
        let m = self.members.iter_mut().find(|m| m.id == id && !m.retired && !m.interrupted)?;
        m.interrupted = true;
        m.life.ended_us = Some(t_us + SPOT_NOTICE.0);
        Some(m.ready_us.is_some())
    }

    /// Interrupted instance `id` is terminated: it leaves the fleet. Returns
    /// whether to replace it (not if it was retired meanwhile).
    pub fn terminate(&mut self, id: u32) -> bool {
        match self.members.iter_mut().find(|m| m.id == id && !m.retired) {
            Some(m) => {
                m.retired = true;
                true
            }
            None => false,
        }
    }

    /// Marks instance `id` ready at `t`; false if it was retired or interrupted while booting.
    pub fn ready(&mut self, id: u32, t_us: u64) -> bool {
        match self.members.iter_mut().find(|m| m.id == id && !m.retired && !m.interrupted) {
            Some(m) => {
                m.ready_us = Some(t_us);
                true
            }
            None => false,
        }
    }

    /// True for a member that is serving (not booting, retired or interrupted).
    pub fn serving(&self, id: u32) -> Option<bool> {
        self.members.iter().find(|m| m.id == id).map(|m| m.ready_us.is_some() && !m.retired && !m.interrupted)
    }

    /// Members launched and not retired.
    pub fn active(&self) -> u32 {
        self.members.iter().filter(|m| !m.retired).count() as u32
    }

    /// Picks `n` members to retire at `t`, one at a time: in a mixed fleet
    /// from the market above its share at the smaller size (as EC2 Auto
    /// Scaling keeps the split), then interrupted ones first (they are going
    /// anyway), booting ones next, then the newest serving ones. Booting ones
    /// end now; returns the serving ones, whose life ends once their work is
    /// done (`ended`).
    pub fn retire(&mut self, n: u32, t_us: u64) -> Vec<u32> {
        let mut serving = Vec::new();
        for _ in 0..n {
            let market = match self.spot.as_ref().and_then(|s| s.mixed) {
                Some(m) if self.active_in(Market::OnDemand) > m.on_demand(self.active().saturating_sub(1)) => {
                    Some(Market::OnDemand)
                }
                Some(_) => Some(Market::Spot),
                None => None,
            };
            let rank = |m: &Member| match (m.interrupted, m.ready_us) {
                (true, _) => 0,
                (false, None) => 1,
                (false, Some(_)) => 2,
            };
            let candidates = || self.members.iter().enumerate().rev().filter(|(_, m)| !m.retired);
            // The newest of the best rank, in the market wanted if it has one.
            let pick = |market: Option<Market>| {
                let c = candidates().filter(|(_, m)| market.is_none_or(|k| m.life.market == k));
                c.min_by_key(|(_, m)| rank(m)).map(|(i, _)| i)
            };
            let Some(i) = pick(market).or_else(|| pick(None)) else { break };
            let m = &mut self.members[i];
            m.retired = true;
            match m.ready_us {
                None => m.life.ended_us = Some(t_us),
                Some(_) if !m.interrupted => serving.push(m.id),
                // Drained since its notice; its life ends at its termination.
                Some(_) => {}
            }
        }
        serving
    }

    /// Records when a retired serving member's last request finishes (an
    /// interrupted one's life ends at its termination instead).
    pub fn ended(&mut self, id: u32, t_us: u64) {
        if let Some(m) = self.members.iter_mut().find(|m| m.id == id && !m.interrupted) {
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

    /// A member not retired or interrupted, booting or in its warm-up at `t`.
    fn starting_at(&self, m: &Member, t_us: u64) -> bool {
        !m.retired && !m.interrupted && m.ready_us.is_none_or(|r| t_us < r + self.warmup_us)
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
