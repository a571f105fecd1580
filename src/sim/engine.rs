//! One job = one (option, replication): feed the option's requests through
//! its pool, settle each request's outcome, and gather streaming statistics.
//!
//! Requests are committed on arrival (see `pool`). A commitment is final
//! once its outcome time has passed the next rare event; until then the
//! request stays *pending*, and a rare event that changes capacity re-plans
//! it (see `replan`), so FCFS stays exact without an event per request.

use std::io;
use std::sync::Arc;

use crate::hosting::cost::{CostBreakdown, CostCategory};
use crate::hosting::egress::{EgressBill, served_gb};
use crate::hosting::emissions::Emissions;
use crate::hosting::load_balancer::{self, HourlyTraffic};
use crate::hosting::{self, Hosting, Life, Usage};
use crate::model::{HostingOption, Iaas, Scenario};
use crate::rng::{Purpose, Stream, stream};
use crate::sim::bucket_file::{BucketFile, BucketWriter, Spill};
use crate::sim::disruption::{Disruptions, StreamIds};
use crate::sim::event::{Event, EventQueue};
use crate::sim::fleet::{Fleet, ScalingRecord};
use crate::sim::neighbours::Neighbours;
use crate::sim::pool::{Admission, Pool};
use crate::sim::progress::Counters;
use crate::sim::replan::{Change, Pending};
use crate::sim::request::{Request, RequestStream};
use crate::sim::router::Router;
use crate::sim::series::{BucketStats, DbLoad, Levels, Series};
use crate::sim::storage::Volumes;
use crate::stats::histogram::SummaryHistogram;
use crate::stats::outcomes::{Outcome, Outcomes};
use crate::time::SimTime;
use crate::traffic::trace::TraceError;

/// Everything one job measured. Summary fields cover requests arriving at or
/// after the warm-up; costs and buckets cover the whole horizon.
#[derive(Debug)]
pub struct JobResult {
    pub summary: Outcomes,
    /// Response times (µs) of served requests.
    pub latency: SummaryHistogram,
    /// Busy and available slot-time after the warm-up.
    pub busy_slot_us: u128,
    pub slot_us: u128,
    /// Instance-time after the warm-up, and the most instances at once.
    pub instance_us: u128,
    pub peak_instances: u32,
    /// Spot interruption notices after the warm-up.
    pub interruptions: u64,
    /// Served requests after the warm-up that waited for a cold start (serverless).
    pub cold_starts: u64,
    /// The database's busy time after the warm-up, and the queries of requests arriving after it.
    pub db: DbLoad,
    pub cost: CostBreakdown,
    /// Over the whole horizon; `None` when the option's grid is unknown.
    pub emissions: Option<Emissions>,
    /// Served requests, warm-up included (for the cost per request).
    pub served_whole_horizon: u64,
    /// Billed instance-time over the whole horizon, from launch (boot
    /// included) to termination or the horizon (for the cost per instance-hour).
    pub launched_instance_us: u128,
    pub buckets: BucketFile,
    /// Autoscaling evaluations that changed the fleet (empty without autoscaling).
    pub scaling: Vec<ScalingRecord>,
    /// Why the replayed trace ended early (it changed or became unreadable
    /// after validation): the results are then incomplete.
    pub trace_error: Option<TraceError>,
}

/// What the jobs of one run share: progress counters, and the temporary
/// file their priced buckets go to (one for all jobs: open files do not
/// grow with replications).
#[derive(Debug, Default)]
pub struct Shared {
    pub counters: Counters,
    pub spill: Arc<Spill>,
}

/// The state of one job.
pub(crate) struct Job<'a> {
    scenario: &'a Scenario,
    pub(crate) option: &'a HostingOption,
    model: Box<dyn Hosting>,
    pub(crate) pool: Pool,
    pub(crate) route_rng: Stream,
    pub(crate) events: EventQueue,
    pub(crate) disruptions: Disruptions,
    /// In front of the instances (PaaS), if any.
    pub(crate) router: Option<Router>,
    neighbours: Option<Neighbours>,
    /// The dynamic (IaaS) part of the option, if any.
    pub(crate) fleet: Option<Fleet>,
    /// Instances that exist for the whole run (bare metal, VPS, a hybrid's baseline).
    pub(crate) fixed: u32,
    pub(crate) volumes: Volumes,
    /// In arrival (sequence) order.
    pub(crate) pending: Vec<Pending>,
    /// What reached the load balancer each hour, if the option has one.
    lb_traffic: Option<HourlyTraffic>,
    series: Series<'a>,
    summary: Outcomes,
    latency: SummaryHistogram,
    busy_after_warmup: u128,
    instance_us_after_warmup: u128,
    slot_us_after_warmup: u128,
    capacity_since_us: u64,
    /// Instances and slots in service since `capacity_since_us`.
    level: Levels,
    peak_instances: u32,
    interruptions_after_warmup: u64,
    db_after_warmup: DbLoad,
    /// Every change `replan` applied, when a driver outside the pool keeps its own
    /// requests in service (the tandem with a database).
    pub(crate) changes: Option<Vec<Change>>,
    horizon_us: u64,
    warmup_us: u64,
    timeout_us: u64,
    cpu_factor: f64,
}

/// Simulates one option for one replication; `shared.counters` advance as
/// buckets close. Fails only if the bucket files cannot be written or read.
pub fn run_job(scenario: &Scenario, option_index: usize, replication: u32, shared: &Shared) -> io::Result<JobResult> {
    let option = &scenario.options[option_index];
    if let Some(regions) = &option.regions {
        return super::regions::run(scenario, regions, replication, shared);
    }
    let model = hosting::model(option);
    if model.serverless().is_some() {
        return super::serverless::run(scenario, option, model.as_ref(), replication, shared);
    }
    if let (Some(db), Some(_)) = (&option.database, &scenario.workload.db) {
        return super::tandem::run(scenario, option, db, model, replication, shared);
    }
    let mut job = Job::new(scenario, option, model, replication, StreamIds::default(), shared);
    let mut requests = RequestStream::new(scenario, option, replication);
    let mut next = requests.next();
    let mut seq = 0;
    // Only rare events schedule rare events, so the next one's time changes only after one.
    let mut next_event_us = job.events.peek_time().unwrap_or(u64::MAX);
    let mut settle_by_us = next_event_us.min(job.horizon_us);
    loop {
        match next {
            Some(request) if request.arrival_us < next_event_us => {
                job.arrive(seq, request, settle_by_us);
                seq += 1;
                next = requests.next();
            }
            _ if next_event_us < job.horizon_us => {
                let (t, event) = job.events.pop().expect("peeked");
                job.handle(t, event);
                next_event_us = job.events.peek_time().unwrap_or(u64::MAX);
                settle_by_us = next_event_us.min(job.horizon_us);
            }
            _ => break,
        }
    }
    let mut result = job.finish(&shared.spill)?;
    result.trace_error = requests.trace_error().cloned();
    Ok(result)
}

impl<'a> Job<'a> {
    /// The job of `option` (not serverless) at t = 0, its first rare events scheduled.
    pub(crate) fn new(
        scenario: &'a Scenario,
        option: &'a HostingOption,
        model: Box<dyn Hosting>,
        replication: u32,
        ids: StreamIds,
        shared: &'a Shared,
    ) -> Job<'a> {
        let fixed = model.fixed_instances();
        let seed = scenario.seed;
        let neighbours = model.neighbours().map(|n| Neighbours::new(n, fixed, ids.first_instance, seed, replication));
        let disruptions = Disruptions::new(model.failures(), option.outages.as_ref(), fixed, ids, seed, replication);
        let burst = model.fleet();
        let router = model.router().map(|r| Router::new(&r));
        // A shared dyno's vCPU runs at its share of a reference vCPU.
        let cpu_factor = 1.0 / (option.cpu_speed * model.cpu_share());
        let max_queue = option.max_queue.or(router.as_ref().map(Router::backlog));
        let mut pool = Pool::new(option.routing, option.workers_per_vcpu, max_queue);
        let mut volumes = Volumes::default();
        for _ in 0..fixed {
            let i = pool.add_instance(model.vcpus_per_instance());
            pool.set_up(i, true, 0);
            volumes.add(None);
        }
        let fleet =
            burst.as_ref().map(|spec| Fleet::new(spec, mean_service_s(scenario, spec, cpu_factor), seed, replication));
        let mut job = Job {
            scenario,
            option,
            disruptions,
            neighbours,
            fleet,
            fixed,
            volumes,
            pool,
            model,
            route_rng: stream(scenario.seed, replication, Purpose::Routing, 0),
            events: EventQueue::default(),
            pending: Vec::new(),
            lb_traffic: option.load_balancer.as_ref().map(|_| HourlyTraffic::default()),
            series: Series::new(scenario.bucket.0, scenario.horizon.0, &shared.counters),
            summary: Outcomes::default(),
            latency: SummaryHistogram::new(),
            busy_after_warmup: 0,
            instance_us_after_warmup: 0,
            slot_us_after_warmup: 0,
            capacity_since_us: 0,
            level: Levels::default(),
            peak_instances: 0,
            interruptions_after_warmup: 0,
            db_after_warmup: DbLoad::default(),
            changes: None,
            horizon_us: scenario.horizon.0,
            warmup_us: scenario.warmup.0,
            timeout_us: router
                .as_ref()
                .map_or(scenario.workload.timeout.0, |r| r.timeout_us(scenario.workload.timeout.0)),
            router,
            cpu_factor,
        };
        if let Some(spec) = &burst {
            job.start_fleet(spec);
        }
        job.pool.rebuild();
        job.capacity_changed(0);
        job.disruptions.schedule_first(&mut job.events);
        if let Some(r) = &job.router {
            r.schedule_first(&mut job.events);
        }
        if let Some(n) = &mut job.neighbours {
            n.schedule_first(&mut job.events);
        }
        job
    }

    pub(crate) fn horizon_us(&self) -> u64 {
        self.horizon_us
    }

    /// Commits a request to the pool (routed to `route`), computing its
    /// service time at its start on its instance; returns it with its steal.
    #[inline]
    pub(crate) fn commit(&mut self, seq: u64, request: Request, route: Option<u32>, check_limit: bool) -> Pending {
        let cpu_us = self.cpu_us(&request);
        let io_us = request.io_s * 1e6;
        let mut steal = 0.0;
        let mut volume_before_us = 0;
        if self.neighbours.is_none() && !self.router.as_ref().is_some_and(Router::sleeps) && io_us <= 0.0 {
            // The common case: CPU only (adding the zero I/O and wake terms would not change it).
            let service_us = (cpu_us + 0.5) as i64 as u64;
            let admission =
                self.pool.offer(request.arrival_us, self.timeout_us, route, check_limit, |_, _, _| service_us);
            return Pending { seq, request, admission, steal, volume_before_us };
        }
        let timeout_us = self.timeout_us;
        let (pool, mut work) = self.pool_and_work();
        let admission = pool.offer(request.arrival_us, timeout_us, route, check_limit, |pool, start, i| {
            // Its own vCPU counts as busy too (the slot it takes was free).
            let busy_vcpus = (pool.busy_slots(i, start) + 1).min(pool.vcpus(i));
            let on = On { instance: i, start_us: start, busy_vcpus, free_since_us: pool.last_free_at(i) };
            let service;
            (service, steal, volume_before_us) = work.service_us(&on, cpu_us, io_us);
            service
        });
        Pending { seq, request, admission, steal, volume_before_us }
    }

    /// The pool, and apart from it what sets a request's service time on an instance.
    pub(crate) fn pool_and_work(&mut self) -> (&mut Pool, Work<'_>) {
        let work = Work {
            neighbours: self.neighbours.as_ref(),
            volumes: &mut self.volumes,
            router: self.router.as_ref(),
            io_ops: self.scenario.workload.io_ops,
        };
        (&mut self.pool, work)
    }

    /// A request's CPU demand on this option's cores, µs.
    pub(crate) fn cpu_us(&self, request: &Request) -> f64 {
        request.cpu_s * self.cpu_factor * 1e6
    }

    /// Commits an arrival; settles it at once if nothing can change it before `settle_by`.
    #[inline]
    pub(crate) fn arrive(&mut self, seq: u64, request: Request, settle_by_us: u64) {
        let bucket = self.series.bucket_of(request.arrival_us);
        let oldest_pending = self.pending.first().map_or(bucket, |p| self.series.index_of(p.request.arrival_us));
        self.series.close_before(bucket.min(oldest_pending));
        if let Some(f) = &mut self.fleet {
            f.note_arrival();
        }
        let route = self.pool.route(request.arrival_us, &mut self.route_rng);
        let p = self.commit(seq, request, route, true);
        if p.settles_at() <= settle_by_us {
            self.settle(&p, None);
        } else {
            self.pending.push(p);
        }
    }

    /// Applies a rare event at `t`.
    pub(crate) fn handle(&mut self, t_us: u64, event: Event) {
        self.settle_until(t_us);
        match event {
            Event::NeighbourToggles { instance, neighbour } => {
                let n = self.neighbours.as_mut().expect("neighbour events come from neighbours");
                if n.redraw(t_us, instance, neighbour, &mut self.events) {
                    // Queued requests will start at another steal: plan them again.
                    self.replan(t_us, &Change::default());
                }
            }
            Event::ScaleTick => self.scale_tick(t_us),
            Event::InstanceReady(id) => self.instance_ready(t_us, id),
            Event::ScheduledMin(k) => self.scheduled_min(t_us, k),
            Event::PoolTick => self.pool_tick(t_us),
            Event::SpotNotice(id) => self.spot_notice(t_us, id),
            Event::SpotTerminated(id) => self.spot_terminated(t_us, id),
            // Only the levels of the series change.
            Event::WarmupEnds => self.capacity_changed(t_us),
            _ => {
                self.disruptions.apply(t_us, event, &mut self.events);
                self.sync(t_us, &[]);
            }
        }
    }

    /// Charges the past minute's awake dynos to their pool of dyno-hours;
    /// when it runs out (or refills), every dyno goes down (or comes back up).
    fn pool_tick(&mut self, t_us: u64) {
        let router = self.router.as_mut().expect("pool ticks come from a router");
        if router.pool_tick(t_us, &self.pool, &mut self.events) {
            self.sync(t_us, &[]);
        }
    }

    /// Settles pending requests whose outcome time is at or before `t`.
    fn settle_until(&mut self, t_us: u64) {
        let mut pending = std::mem::take(&mut self.pending);
        pending.retain(|p| {
            let done = p.settles_at() <= t_us;
            if done {
                self.settle(p, None);
            }
            !done
        });
        self.pending = pending;
    }

    /// Records the capacity in service from `t` on.
    pub(crate) fn capacity_changed(&mut self, t_us: u64) {
        let from = self.capacity_since_us.max(self.warmup_us);
        let to = t_us.min(self.horizon_us);
        if to > from {
            self.instance_us_after_warmup += u128::from(self.level.instances) * u128::from(to - from);
            self.slot_us_after_warmup += u128::from(self.level.slots) * u128::from(to - from);
        }
        self.capacity_since_us = self.capacity_since_us.max(to);
        let (pending, warming) = self.fleet.as_ref().map_or((0, 0), |f| f.starting(t_us));
        self.level = Levels { instances: self.pool.up_instances(), slots: self.pool.up_slots(), pending, warming };
        self.peak_instances = self.peak_instances.max(self.level.instances);
        self.series.set_capacity(t_us, self.level);
    }

    /// Counts a spot interruption notice at `t`, in its bucket and, after the warm-up, in the summary.
    pub(crate) fn count_interruption(&mut self, t_us: u64) {
        self.series.count_interruption(t_us);
        if t_us >= self.warmup_us {
            self.interruptions_after_warmup += 1;
        }
    }

    /// Settles one request: its outcome, latency and busy time. `failed_at`:
    /// its instance went down then, while it was in service.
    #[inline]
    pub(crate) fn settle(&mut self, p: &Pending, failed_at: Option<u64>) {
        match p.admission {
            Admission::Rejected => self.record(&p.request, Outcome::Rejected, None, None),
            Admission::Abandoned { leave_us, .. } => {
                self.record(&p.request, settle_timeout(leave_us, self.horizon_us), None, None);
            }
            Admission::Started { slot, start_us, finish_us } => {
                let end_us = failed_at.unwrap_or(finish_us);
                self.add_busy(self.pool.instance_of(slot), start_us, end_us, p.steal);
                self.complete(&p.request, finish_us, failed_at);
            }
        }
    }

    /// Adds instance `i`'s busy interval [start, end) (cut at the horizon),
    /// which suffered CPU `steal`, to the series, the summary and the scaling window.
    #[inline]
    pub(crate) fn add_busy(&mut self, instance: u32, start_us: u64, end_us: u64, steal: f64) {
        let end_us = end_us.min(self.horizon_us);
        self.series.add_busy(start_us, end_us, steal);
        if let Some(f) = &mut self.fleet {
            f.note_busy(instance, start_us, end_us);
        }
        self.busy_after_warmup += u128::from(end_us.saturating_sub(start_us.max(self.warmup_us)));
    }

    /// Adds a database server's busy interval [start, end) (a replica's or the primary's).
    pub(crate) fn add_db_busy(&mut self, start_us: u64, end_us: u64, replica: bool) {
        let end_us = end_us.min(self.horizon_us);
        self.series.add_db_busy(start_us, end_us, replica);
        let after = end_us.saturating_sub(start_us.max(self.warmup_us));
        let db = &mut self.db_after_warmup;
        if replica { db.replica_busy_us += after } else { db.primary_busy_us += after }
    }

    /// Counts a query of request `r`, which waited `wait_us` for a connection and a server.
    pub(crate) fn add_db_query(&mut self, r: &Request, wait_us: u64) {
        self.series.add_db_query(r.arrival_us, wait_us);
        if r.arrival_us >= self.warmup_us {
            self.db_after_warmup.queries += 1;
            self.db_after_warmup.wait_us += wait_us;
        }
    }

    /// Closes the buckets before the one holding `t` (every request arrived in them is settled).
    pub(crate) fn close_before(&mut self, t_us: u64) {
        let b = self.series.index_of(t_us);
        self.series.close_before(b);
    }

    pub(crate) fn timeout_us(&self) -> u64 {
        self.timeout_us
    }

    /// Settles a request whose work ended at `finish` (`u64::MAX`: not by
    /// the horizon), or failed at `failed_at` with its instance.
    #[inline]
    pub(crate) fn complete(&mut self, r: &Request, finish_us: u64, failed_at: Option<u64>) {
        let horizon = self.horizon_us;
        let network_us = r.rtt_us + self.router.as_ref().map_or(0, Router::overhead_us);
        let response_us = network_us.saturating_add(finish_us - r.arrival_us);
        // The client gives up when its response time reaches the timeout.
        let gives_up_us = r.arrival_us + self.timeout_us.saturating_sub(network_us);
        let timed_out = response_us > self.timeout_us;
        let (outcome, latency_us) = match failed_at {
            Some(f) if !(timed_out && gives_up_us <= f) => (Outcome::Failed, None),
            _ if timed_out => (settle_timeout(gives_up_us, horizon), None),
            _ if finish_us > horizon => (Outcome::InFlight, None),
            _ => {
                if let Some(f) = &mut self.fleet {
                    f.window.latency.record(response_us);
                }
                (Outcome::Served, Some(response_us))
            }
        };
        self.record(r, outcome, latency_us, failed_at);
    }

    /// Counts a request's outcome in its bucket, the summary and the load balancer's traffic.
    #[inline]
    fn record(&mut self, r: &Request, outcome: Outcome, latency_us: Option<u64>, failed_at: Option<u64>) {
        let horizon = self.horizon_us;
        if let Some(t) = &mut self.lb_traffic {
            // How long the client's connection was open for it.
            let held_us = match outcome {
                Outcome::Served => latency_us.unwrap_or(0),
                Outcome::TimedOut => self.timeout_us,
                Outcome::Failed => failed_at.map_or(0, |f| f.saturating_sub(r.arrival_us)),
                Outcome::InFlight => horizon.saturating_sub(r.arrival_us),
                Outcome::Rejected => 0,
            };
            t.record(r.arrival_us, outcome == Outcome::Served, held_us);
        }
        let bucket = self.series.bucket_of(r.arrival_us);
        self.series.record(bucket, outcome, latency_us);
        if r.arrival_us >= self.warmup_us {
            self.summary.add(outcome);
            if let Some(l) = latency_us {
                self.latency.record(l);
            }
        }
    }

    /// Settles everything at the horizon and prices each bucket (the
    /// instances' lives are known only now), from one bucket file to another.
    pub(crate) fn finish(mut self, spill: &Arc<Spill>) -> io::Result<JobResult> {
        self.settle_until(u64::MAX);
        self.capacity_changed(self.horizon_us);
        let (scenario, option, horizon_us) = (self.scenario, self.option, self.horizon_us);
        let raw = self.series.finish()?;
        let lives = self.fleet.as_ref().map(|f| f.lives()).unwrap_or_default();
        let response_kb = scenario.workload.response_kb;
        let lb_traffic = &self.lb_traffic;
        let Priced { cost, emissions, served, buckets } =
            price_buckets(scenario, option, self.model.as_ref(), &raw, &lives, spill, |start, len, _, c| {
                if let (Some(lb), Some(traffic)) = (&option.load_balancer, lb_traffic) {
                    let (from, to) = (SimTime(start.0), SimTime(start.0 + len.0));
                    c.add(CostCategory::LoadBalancer, load_balancer::usd(lb, traffic, from, to, response_kb));
                }
            })?;
        Ok(JobResult {
            summary: self.summary,
            latency: self.latency,
            busy_slot_us: self.busy_after_warmup,
            slot_us: self.slot_us_after_warmup,
            instance_us: self.instance_us_after_warmup,
            peak_instances: self.peak_instances,
            interruptions: self.interruptions_after_warmup,
            cold_starts: 0,
            db: self.db_after_warmup,
            cost,
            emissions,
            served_whole_horizon: served,
            launched_instance_us: launched_instance_us(self.model.fixed_instances(), &lives, horizon_us),
            buckets,
            scaling: self.fleet.map(|f| f.trace).unwrap_or_default(),
            trace_error: None,
        })
    }
}

/// What a job's buckets added up to once priced.
pub(crate) struct Priced {
    pub cost: CostBreakdown,
    /// `None` when the model cannot tell (its grid is unknown).
    pub emissions: Option<Emissions>,
    /// Requests served over the whole horizon.
    pub served: u64,
    pub buckets: BucketFile,
}

/// Prices each bucket of `raw` (the instances' `lives` known at last): the
/// model's accrual and emissions, the database's hours, egress, and what `extra` adds (a load
/// balancer, a serverless option's use).
pub(crate) fn price_buckets(
    scenario: &Scenario,
    option: &HostingOption,
    model: &dyn Hosting,
    raw: &BucketFile,
    lives: &[Life],
    spill: &Arc<Spill>,
    mut extra: impl FnMut(SimTime, SimTime, &BucketStats, &mut CostBreakdown),
) -> io::Result<Priced> {
    let (bucket_us, horizon_us) = (scenario.bucket.0, scenario.horizon.0);
    let mut cost = CostBreakdown::default();
    let mut emissions = Some(Emissions::default());
    let mut priced = BucketWriter::new(spill.clone());
    let mut served = 0;
    let span = |i: usize| {
        let start = i as u64 * bucket_us;
        (SimTime(start), SimTime(bucket_us.min(horizon_us - start)))
    };
    let response_kb = scenario.workload.response_kb;
    let mut egress = EgressBill::new(&option.egress, scenario.horizon);
    if egress.needs_first_pass() {
        for (i, b) in raw.iter().enumerate() {
            let (start, len) = span(i);
            egress.observe(start, len, served_gb(b?.outcomes.served, response_kb));
        }
    }
    for (i, b) in raw.iter().enumerate() {
        let mut b = b?;
        let (start, len) = span(i);
        let usage = Usage {
            instances: b.instance_us as f64 / len.0 as f64,
            utilization: if b.slot_us > 0 { b.busy_slot_us as f64 / b.slot_us as f64 } else { 0.0 },
            served: b.outcomes.served,
        };
        let mut c = model.accrue(start, len, &usage, lives);
        let mut e = model.emissions(start, len, &usage, lives);
        if let Some(db) = &option.database {
            let grid = option.grid.as_ref().map(|g| g.gco2e_per_kwh);
            let busy = hosting::database::Busy { primary_us: b.db.primary_busy_us, replicas_us: b.db.replica_busy_us };
            let (usd, db_e) = hosting::database::bucket(db, grid, start, len, busy);
            c.add(CostCategory::Database, usd);
            e = e.zip(db_e).map(|(mut sum, db_e)| {
                sum += db_e;
                sum
            });
        }
        emissions = emissions.zip(e).map(|(mut sum, e)| {
            sum += e;
            sum
        });
        let gb = served_gb(b.outcomes.served, response_kb);
        c.add(CostCategory::Egress, egress.bucket_usd(start, len, gb));
        extra(start, len, &b, &mut c);
        b.cost_usd = c.total_usd();
        cost += c;
        served += b.outcomes.served;
        priced.push(&b);
    }
    Ok(Priced { cost, emissions, served, buckets: priced.finish()? })
}

/// Instance-time from launch to termination (or the horizon) of the fixed
/// instances and the fleet's lives.
fn launched_instance_us(fixed: u32, lives: &[Life], horizon_us: u64) -> u128 {
    let fleet: u128 = lives
        .iter()
        .map(|l| u128::from(l.ended_us.unwrap_or(horizon_us).min(horizon_us).saturating_sub(l.launched_us)))
        .sum();
    u128::from(fixed) * u128::from(horizon_us) + fleet
}

/// Mean service time of a request on a fleet's instances (for forecasts).
fn mean_service_s(scenario: &Scenario, spec: &Iaas, cpu_factor: f64) -> f64 {
    let io_s = scenario.workload.io.as_ref().map_or(0.0, |d| d.mean_s());
    scenario.workload.cpu.mean_s() * cpu_factor + io_s * spec.storage.latency_factor
}

/// A timed-out request is settled when the client gives up, unless that is after the horizon.
pub(crate) fn settle_timeout(gives_up_us: u64, horizon_us: u64) -> Outcome {
    if gives_up_us > horizon_us { Outcome::InFlight } else { Outcome::TimedOut }
}

/// Where and when a request starts its work.
pub(crate) struct On {
    pub instance: u32,
    pub start_us: u64,
    /// vCPUs of its instance busy, its own included.
    pub busy_vcpus: u32,
    /// When its instance's last work before it ended (a sleeping dyno wakes).
    pub free_since_us: u64,
}

/// What sets a request's service time on an instance: neighbours' steal,
/// its volume's queue, a sleeping dyno's wake-up.
pub(crate) struct Work<'j> {
    neighbours: Option<&'j Neighbours>,
    volumes: &'j mut Volumes,
    router: Option<&'j Router>,
    io_ops: f64,
}

impl Work<'_> {
    /// The service time (µs) of `cpu_us` and `io_us` of demand started `on`
    /// an instance, the CPU steal it suffers, and its volume's free time before it.
    #[inline]
    pub(crate) fn service_us(&mut self, on: &On, cpu_us: f64, io_us: f64) -> (u64, f64, u64) {
        let (mut steal, mut volume_before_us) = (0.0, 0);
        let (cpu_us, mut io_us) = match self.neighbours {
            None => (cpu_us, io_us),
            Some(n) => {
                steal = n.steal(on.instance, on.busy_vcpus);
                (cpu_us / (1.0 - steal), io_us * n.io_factor(on.instance))
            }
        };
        if io_us > 0.0 {
            (io_us, volume_before_us) = self.volumes.io_us(on.instance, on.start_us, io_us, self.io_ops);
        }
        let wake_us = self.router.map_or(0.0, |r| r.wake_us(on.start_us, on.free_since_us));
        // Demands are never negative, so adding 0.5 and truncating rounds to the nearest µs
        // (through i64: one instruction, where f64 → u64 takes several).
        ((cpu_us + io_us + wake_us + 0.5) as i64 as u64, steal, volume_before_us)
    }
}
