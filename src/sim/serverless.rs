//! One job of a serverless option. A request takes a free slot of a live
//! instance (the one most recently freed first, as Lambda does), else
//! starts a new instance and waits for its cold start; beyond
//! `max_instances`, Lambda throttles (rejected) and Cloud Run queues the
//! request until a slot frees or the client gives up. Lambda also throttles
//! a request that needs a new instance when the function's scaling rate is
//! spent (see [`ScalingRate`]). An instance idle for
//! its keep-alive is reclaimed; warm instances never are. Each busy period
//! (from a cold start or a first request to the last request's end) is
//! billed rounded up. Requests are settled when they start: nothing later
//! changes them.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::io;

use super::engine::{JobResult, Priced, Shared, price_buckets, settle_timeout};
use crate::hosting::serverless::UseBill;
use crate::hosting::{Hosting, Life};
use crate::model::{HostingOption, Provider, Scenario, Serverless};
use crate::rng::{Purpose, Stream, stream};
use crate::sim::request::{Request, RequestStream};
use crate::sim::series::{Levels, Series};
use crate::stats::histogram::SummaryHistogram;
use crate::stats::outcomes::{Outcome, Outcomes};
use crate::workload::Sampler;

/// One instance (a Lambda execution environment, a Cloud Run container).
#[derive(Clone, Copy, Debug)]
struct Instance {
    /// Its cold start ends then.
    ready_us: u64,
    in_service: u32,
    /// Start of the current busy period (its cold start, or its first request).
    busy_since_us: u64,
    /// When it is reclaimed if still idle; `u64::MAX` while busy or warm.
    reclaim_us: u64,
    /// Whether a reclaim check is in the event heap (one at most).
    check_queued: bool,
    /// Bumped when it is reclaimed, so stale entries of the free stack are skipped.
    life: u32,
    alive: bool,
    /// Kept warm on purpose (provisioned, minimum): never reclaimed, billed apart.
    warm: bool,
    /// In the free stack.
    listed: bool,
}

/// What happens at a time, in this order at equal times.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Happening {
    /// A request on the instance ends.
    Done = 0,
    /// The instance's cold start ends.
    Ready = 1,
    /// The instance may have been idle for its keep-alive.
    ReclaimCheck = 2,
}

/// An event as one integer, ordered by (time, happening, instance): one
/// comparison per step of the heap, which is most of the loop's work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Key(u128);

impl Key {
    fn new(t_us: u64, what: Happening, i: u32) -> Reverse<Key> {
        Reverse(Key(u128::from(t_us) << 64 | (what as u128) << 32 | u128::from(i)))
    }

    fn time_us(self) -> u64 {
        (self.0 >> 64) as u64
    }

    fn what(self) -> Happening {
        match (self.0 >> 32) as u32 {
            0 => Happening::Done,
            1 => Happening::Ready,
            _ => Happening::ReclaimCheck,
        }
    }

    fn instance(self) -> u32 {
        self.0 as u32
    }
}

/// AWS Lambda's concurrency scaling rate: each function may add at most
/// 1,000 execution environments every 10 seconds, refilled continuously and
/// never accumulated beyond 1,000 ("Lambda scaling behavior", AWS Lambda
/// Developer Guide, since 2023-11): a token bucket of 1,000 new instances
/// refilled at 100 a second. Credit is kept in µs of refill (one instance =
/// 10 ms), so it is exact. Provisioned instances, started before the run,
/// take none.
#[derive(Clone, Copy, Debug)]
struct ScalingRate {
    credit_us: u64,
    at_us: u64,
}

impl ScalingRate {
    /// Refill time of one new instance: 10 s / 1,000.
    const PER_INSTANCE_US: u64 = 10_000;
    /// The bucket: 1,000 instances' worth.
    const FULL_US: u64 = 1_000 * Self::PER_INSTANCE_US;

    /// Takes one new instance's credit at `t`; false when it is spent (throttled).
    fn take(&mut self, t_us: u64) -> bool {
        self.credit_us = (self.credit_us + t_us.saturating_sub(self.at_us)).min(Self::FULL_US);
        self.at_us = self.at_us.max(t_us);
        let ok = self.credit_us >= Self::PER_INSTANCE_US;
        if ok {
            self.credit_us -= Self::PER_INSTANCE_US;
        }
        ok
    }
}

impl Default for ScalingRate {
    fn default() -> ScalingRate {
        ScalingRate { credit_us: Self::FULL_US, at_us: 0 }
    }
}

/// The state of one serverless job.
struct Job<'a> {
    scenario: &'a Scenario,
    spec: &'a Serverless,
    instances: Vec<Instance>,
    /// Reclaimed instances' indices, for reuse.
    dead: Vec<u32>,
    /// Instances with a free slot, the most recently freed on top: (index, life).
    free: Vec<(u32, u32)>,
    /// Entries of `free` whose instance was reclaimed since.
    stale: usize,
    events: BinaryHeap<Reverse<Key>>,
    /// Requests waiting for a slot (Cloud Run beyond max_instances).
    queue: VecDeque<Request>,
    alive: u32,
    ready: u32,
    /// Lambda's limit on new instances; none for Cloud Run.
    scaling: Option<ScalingRate>,
    cold_rng: Stream,
    keep_rng: Stream,
    cold: Sampler,
    keep_alive: Sampler,
    series: Series<'a>,
    summary: Outcomes,
    latency: SummaryHistogram,
    cold_starts: u64,
    busy_after_warmup: u128,
    instance_us_after_warmup: u128,
    slot_us_after_warmup: u128,
    launched_us: u128,
    capacity_since_us: u64,
    peak_instances: u32,
    horizon_us: u64,
    warmup_us: u64,
    timeout_us: u64,
    cpu_factor: f64,
    /// 1 / vCPUs of an instance.
    per_vcpu: f64,
}

/// Simulates a serverless option for one replication.
pub fn run(
    scenario: &Scenario,
    option: &HostingOption,
    model: &dyn Hosting,
    replication: u32,
    shared: &Shared,
) -> io::Result<JobResult> {
    let spec = model.serverless().expect("a serverless model");
    let seed = scenario.seed;
    let mut job = Job {
        scenario,
        spec,
        instances: Vec::new(),
        dead: Vec::new(),
        free: Vec::new(),
        stale: 0,
        events: BinaryHeap::new(),
        queue: VecDeque::new(),
        alive: 0,
        ready: 0,
        scaling: (spec.provider == Provider::Lambda).then(ScalingRate::default),
        cold_rng: stream(seed, replication, Purpose::ColdStart, 0),
        keep_rng: stream(seed, replication, Purpose::KeepAlive, 0),
        cold: Sampler::new(&spec.cold_start),
        keep_alive: Sampler::new(&spec.idle_timeout),
        series: Series::new(scenario.bucket.0, scenario.horizon.0, &shared.counters),
        summary: Outcomes::default(),
        latency: SummaryHistogram::new(),
        cold_starts: 0,
        busy_after_warmup: 0,
        instance_us_after_warmup: 0,
        slot_us_after_warmup: 0,
        launched_us: 0,
        capacity_since_us: 0,
        peak_instances: 0,
        horizon_us: scenario.horizon.0,
        warmup_us: scenario.warmup.0,
        timeout_us: scenario.workload.timeout.0,
        cpu_factor: 1.0 / option.cpu_speed,
        per_vcpu: 1.0 / spec.vcpus,
    };
    for _ in 0..spec.warm {
        let i = job.launch(0, true);
        job.list(i);
    }
    for request in RequestStream::new(scenario, option, replication) {
        job.advance_to(request.arrival_us);
        job.arrive(request);
    }
    job.advance_to(job.horizon_us);
    job.finish(option, model, shared)
}

impl<'a> Job<'a> {
    /// Handles every event before `t` (at `t` itself too: an instance freed at a request's arrival takes it).
    fn advance_to(&mut self, t_us: u64) {
        while let Some(&Reverse(key)) = self.events.peek() {
            let (at, i) = (key.time_us(), key.instance());
            if at > t_us || at >= self.horizon_us {
                break;
            }
            self.events.pop();
            match key.what() {
                Happening::Done => self.done(at, i),
                Happening::Ready => self.change(at, 0, 1),
                Happening::ReclaimCheck => self.reclaim_check(at, i),
            }
        }
        self.expire_queue(t_us);
    }

    /// Starts a new instance at `t`, ready after a cold start (a warm one at once).
    fn launch(&mut self, t_us: u64, warm: bool) -> u32 {
        let cold_us = if warm { 0 } else { to_us(self.cold.sample_s(&mut self.cold_rng)) };
        let fresh = Instance {
            ready_us: t_us + cold_us,
            in_service: 0,
            busy_since_us: t_us,
            reclaim_us: u64::MAX,
            check_queued: false,
            life: 0,
            alive: true,
            warm,
            listed: false,
        };
        let i = match self.dead.pop() {
            Some(i) => {
                let life = self.instances[i as usize].life;
                self.instances[i as usize] = Instance { life, ..fresh };
                i
            }
            None => {
                self.instances.push(fresh);
                self.instances.len() as u32 - 1
            }
        };
        if cold_us > 0 {
            self.events.push(Key::new(t_us + cold_us, Happening::Ready, i));
        }
        self.change(t_us, 1, i32::from(cold_us == 0));
        i
    }

    /// Puts instance `i` on top of the free stack (if it is not there yet).
    #[inline]
    fn list(&mut self, i: u32) {
        let inst = &mut self.instances[i as usize];
        if !inst.listed {
            inst.listed = true;
            self.free.push((i, inst.life));
        }
    }

    /// The instance on top of the free stack, skipping reclaimed ones.
    #[inline]
    fn top_free(&mut self) -> Option<u32> {
        while let Some(&(i, life)) = self.free.last() {
            let inst = &self.instances[i as usize];
            if inst.alive && inst.life == life {
                return Some(i);
            }
            self.free.pop();
            self.stale -= 1;
        }
        None
    }

    #[inline]
    fn arrive(&mut self, r: Request) {
        let bucket = self.series.bucket_of(r.arrival_us);
        let oldest = self.queue.front().map_or(bucket, |q| self.series.index_of(q.arrival_us));
        self.series.close_before(bucket.min(oldest));
        if !self.queue.is_empty() {
            self.queue.push_back(r);
            return;
        }
        let i = match self.top_free() {
            Some(i) => i,
            None if self.alive < self.spec.max_instances
                && self.scaling.as_mut().is_none_or(|s| s.take(r.arrival_us)) =>
            {
                let i = self.launch(r.arrival_us, false);
                self.list(i);
                return self.start(r, i, r.arrival_us, true);
            }
            None if self.spec.provider == Provider::Lambda => return self.settle(&r, Outcome::Rejected, None),
            None => return self.queue.push_back(r),
        };
        self.start(r, i, r.arrival_us, false);
    }

    /// Starts request `r` on instance `i` at `t` (or when its cold start ends) and settles it;
    /// `launched`: the instance was started for it.
    #[inline]
    fn start(&mut self, r: Request, i: u32, t_us: u64, launched: bool) {
        let spec = self.spec;
        let inst = &mut self.instances[i as usize];
        let start_us = t_us.max(inst.ready_us);
        let cold = launched || inst.ready_us > r.arrival_us;
        if inst.in_service == 0 && inst.ready_us <= t_us {
            inst.busy_since_us = start_us;
        }
        inst.in_service += 1;
        inst.reclaim_us = u64::MAX;
        if inst.in_service == spec.concurrency && inst.listed {
            // Only the top of the free stack is given requests while listed.
            inst.listed = false;
            self.free.pop();
        }
        // Requests share the instance's vCPUs; a single-threaded one uses at most one:
        // CPU time × max(1, in service / vCPUs) (multiplications only: this runs per request).
        let slowdown = (f64::from(inst.in_service) * self.per_vcpu).max(1.0);
        let mut service_us = to_us(r.cpu_s * self.cpu_factor * slowdown + r.io_s);
        let killed = spec.timeout.is_some_and(|t| service_us > t.0);
        if let Some(t) = spec.timeout.filter(|_| killed) {
            service_us = t.0;
        }
        let finish_us = start_us + service_us;
        self.events.push(Key::new(finish_us, Happening::Done, i));
        self.series.add_billed(r.arrival_us, |b| b.requests += 1);
        let end_us = finish_us.min(self.horizon_us);
        self.series.add_busy(start_us, end_us, 0.0);
        self.busy_after_warmup += u128::from(end_us.saturating_sub(start_us.max(self.warmup_us)));
        let response_us = r.rtt_us + (finish_us - r.arrival_us);
        let gives_up_us = r.arrival_us + self.timeout_us.saturating_sub(r.rtt_us);
        let outcome = if killed || response_us > self.timeout_us {
            settle_timeout(if killed { finish_us.min(gives_up_us) } else { gives_up_us }, self.horizon_us)
        } else if finish_us > self.horizon_us {
            Outcome::InFlight
        } else {
            Outcome::Served
        };
        if outcome == Outcome::Served && cold && r.arrival_us >= self.warmup_us {
            self.cold_starts += 1;
        }
        self.settle(&r, outcome, (outcome == Outcome::Served).then_some(response_us));
    }

    #[inline]
    fn settle(&mut self, r: &Request, outcome: Outcome, latency_us: Option<u64>) {
        let bucket = self.series.bucket_of(r.arrival_us);
        self.series.record(bucket, outcome, latency_us);
        if r.arrival_us >= self.warmup_us {
            self.summary.add(outcome);
            if let Some(l) = latency_us {
                self.latency.record(l);
            }
        }
    }

    /// A request on instance `i` ended at `t`: the next queued request takes its slot, or it frees.
    #[inline]
    fn done(&mut self, t_us: u64, i: u32) {
        self.expire_queue(t_us);
        let inst = &mut self.instances[i as usize];
        inst.in_service -= 1;
        if let Some(r) = self.queue.pop_front() {
            // The slot goes to the next queued request: the busy period goes on.
            let since_us = inst.busy_since_us;
            self.start(r, i, t_us, false);
            self.instances[i as usize].busy_since_us = since_us;
            return;
        }
        self.list(i);
        let inst = &mut self.instances[i as usize];
        if inst.in_service > 0 {
            return;
        }
        // The busy period ends: bill it rounded up.
        let g = self.spec.rates.granularity.0;
        let billed_us = (t_us - inst.busy_since_us).div_ceil(g) * g;
        let warm = inst.warm;
        self.series.add_billed(t_us, |b| if warm { b.warm_busy_us += billed_us } else { b.busy_us += billed_us });
        if warm {
            return;
        }
        let keep_us = to_us(self.keep_alive.sample_s(&mut self.keep_rng));
        let inst = &mut self.instances[i as usize];
        inst.reclaim_us = t_us + keep_us;
        if !inst.check_queued {
            inst.check_queued = true;
            self.events.push(Key::new(t_us + keep_us, Happening::ReclaimCheck, i));
        }
    }

    /// Reclaims instance `i` if it has been idle for its keep-alive, else checks again when it may have.
    fn reclaim_check(&mut self, t_us: u64, i: u32) {
        let inst = &mut self.instances[i as usize];
        inst.check_queued = false;
        if inst.in_service > 0 || inst.reclaim_us == u64::MAX {
            return;
        }
        if inst.reclaim_us > t_us {
            inst.check_queued = true;
            let at = inst.reclaim_us;
            self.events.push(Key::new(at, Happening::ReclaimCheck, i));
            return;
        }
        inst.alive = false;
        inst.life = inst.life.wrapping_add(1);
        if inst.listed {
            inst.listed = false;
            self.stale += 1;
        }
        self.dead.push(i);
        self.change(t_us, -1, -1);
        // Dropping reclaimed entries once they are half the stack keeps it as small as the live instances.
        if 2 * self.stale > self.free.len() {
            let instances = &self.instances;
            self.free.retain(|&(j, life)| instances[j as usize].alive && instances[j as usize].life == life);
            self.stale = 0;
        }
    }

    /// Queued requests whose client has given up by `t` leave the queue, timed out.
    #[inline]
    fn expire_queue(&mut self, t_us: u64) {
        while let Some(r) = self.queue.front() {
            let gives_up_us = r.arrival_us + self.timeout_us.saturating_sub(r.rtt_us);
            if gives_up_us > t_us {
                break;
            }
            let r = self.queue.pop_front().expect("peeked");
            self.settle(&r, settle_timeout(gives_up_us, self.horizon_us), None);
        }
    }

    /// At `t`, `alive` instances more (or fewer) exist and `ready` more serve:
    /// accrues the levels held until then and sets the new ones.
    fn change(&mut self, t_us: u64, alive: i32, ready: i32) {
        let to = t_us.min(self.horizon_us);
        let from = self.capacity_since_us;
        if to > from {
            let after = u128::from(to.saturating_sub(from.max(self.warmup_us)));
            self.instance_us_after_warmup += u128::from(self.ready) * after;
            self.slot_us_after_warmup += u128::from(self.ready) * u128::from(self.spec.concurrency) * after;
            self.launched_us += u128::from(self.alive) * u128::from(to - from);
        }
        self.capacity_since_us = self.capacity_since_us.max(to);
        self.alive = self.alive.wrapping_add_signed(alive);
        self.ready = self.ready.wrapping_add_signed(ready);
        self.peak_instances = self.peak_instances.max(self.ready);
        self.series.set_capacity(to, self.levels());
    }

    fn levels(&self) -> Levels {
        Levels {
            instances: self.ready,
            slots: u64::from(self.ready) * u64::from(self.spec.concurrency),
            pending: self.alive - self.ready,
            warming: 0,
        }
    }

    /// Bills the busy periods still open at the horizon, settles the queue and prices the buckets.
    fn finish(mut self, option: &HostingOption, model: &dyn Hosting, shared: &Shared) -> io::Result<JobResult> {
        self.expire_queue(u64::MAX);
        let horizon_us = self.horizon_us;
        let g = self.spec.rates.granularity.0;
        let last = horizon_us.saturating_sub(1);
        let open: Vec<(u64, bool)> = self
            .instances
            .iter()
            .filter(|i| i.alive && i.in_service > 0)
            .map(|i| (horizon_us.saturating_sub(i.busy_since_us).div_ceil(g) * g, i.warm))
            .collect();
        for (billed_us, warm) in open {
            self.series.add_billed(last, |b| if warm { b.warm_busy_us += billed_us } else { b.busy_us += billed_us });
        }
        self.change(horizon_us, 0, 0);
        let raw = self.series.finish()?;
        let mut bill = UseBill::new(&self.spec.rates);
        let lives: [Life; 0] = [];
        let Priced { cost, emissions, served, buckets } =
            price_buckets(self.scenario, option, model, &raw, &lives, &shared.spill, |start, _, b, c| {
                *c += bill.bucket(start, &b.billed);
            })?;
        Ok(JobResult {
            summary: self.summary,
            latency: self.latency,
            busy_slot_us: self.busy_after_warmup,
            slot_us: self.slot_us_after_warmup,
            instance_us: self.instance_us_after_warmup,
            peak_instances: self.peak_instances,
            interruptions: 0,
            cold_starts: self.cold_starts,
            db: Default::default(),
            cost,
            emissions,
            served_whole_horizon: served,
            launched_instance_us: self.launched_us,
            buckets,
            scaling: Vec::new(),
            trace_error: None,
        })
    }
}

/// Seconds (never negative) to the nearest microsecond: adding 0.5 and
/// truncating through i64 is one instruction, where `round` is a call.
fn to_us(s: f64) -> u64 {
    (s * 1e6 + 0.5) as i64 as u64
}

#[cfg(test)]
mod tests {
    use super::ScalingRate;

    #[test]
    fn the_scaling_rate_allows_1000_at_once_then_100_a_second_and_never_stores_more() {
        let mut rate = ScalingRate::default();
        // A burst at t = 0: the full bucket, 1,000 new instances, then none.
        assert_eq!((0..1_500).filter(|_| rate.take(0)).count(), 1_000);
        // 2.5 s later: 2.5 s × 100/s = 250 more.
        assert_eq!((0..1_000).filter(|_| rate.take(2_500_000)).count(), 250);
        // An hour idle refills to 1,000, not 360,000.
        assert_eq!((0..5_000).filter(|_| rate.take(3_602_500_000)).count(), 1_000);
        // Exactly one instance's refill (10 ms) later: exactly one.
        assert!(rate.take(3_602_510_000));
        assert!(!rate.take(3_602_510_000));
    }
}
