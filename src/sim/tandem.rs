//! One job of an option with a database: each request takes a web slot, does
//! its web work (CPU, I/O), then sends its queries one after another to the
//! database's servers, each over one of its instance's connections. With
//! `db_holds_web_slot` (a synchronous framework) the slot is held until the
//! last answer is back; without it the slot is free once the web work ends.
//!
//! A request's time on its slot now depends on queries from requests that
//! arrive after it, so the pool's commit-on-arrival does not hold: this job
//! moves event by event (web work done, query answered), in time order.
//! The database's FCFS servers are still a Kiefer-Wolfowitz recursion:
//! queries reach it in time order. Rare events (scaling, failures,
//! outages) go through the ordinary `Job`, whose change log tells this
//! driver which instances came up, drain or went down.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::io;

use rand::{Rng, SeedableRng};
use rand_xoshiro::SplitMix64;

use crate::hosting::Hosting;
use crate::model::{Database, DatabaseKind, HostingOption, Scenario};
use crate::rng::{Purpose, Stream, below, stream, unit_open0};
use crate::sim::balancer::Balancer;
use crate::sim::disruption::StreamIds;
use crate::sim::engine::{Job, JobResult, On, Shared};
use crate::sim::event::Event;
use crate::sim::pool::Admission;
use crate::sim::replan::{Change, Pending};
use crate::sim::request::{Request, RequestStream};
use crate::workload::Sampler;

/// Simulates `option`, whose requests query `db`, for one replication.
pub(crate) fn run(
    scenario: &Scenario,
    option: &HostingOption,
    db: &Database,
    model: Box<dyn Hosting>,
    replication: u32,
    shared: &Shared,
) -> io::Result<JobResult> {
    let mut job = Job::new(scenario, option, model, replication, StreamIds::default(), shared);
    job.changes = Some(Vec::new());
    let mut t = Tandem::new(scenario, option, db, replication);
    t.max_queue = job.pool.max_queue();
    t.apply_changes(&mut job, 0);
    let mut requests = RequestStream::new(scenario, option, replication);
    let mut next = requests.next();
    let mut seq = 0;
    let horizon_us = job.horizon_us();
    loop {
        let rare_us = job.events.peek_time().filter(|&at| at < horizon_us).unwrap_or(u64::MAX);
        // A request answered at the horizon is served in time.
        let step_us = t.steps.peek().map(|Reverse(s)| s.at_us).filter(|&at| at <= horizon_us).unwrap_or(u64::MAX);
        let arrival_us = next.map_or(u64::MAX, |r| r.arrival_us);
        if rare_us == u64::MAX && step_us == u64::MAX && arrival_us == u64::MAX {
            break;
        }
        if rare_us <= step_us && rare_us <= arrival_us {
            let (at, event) = job.events.pop().expect("peeked");
            if event == Event::ScaleTick {
                let measured = job.measured(at);
                let running_us = t.running_us(&job, at, &measured);
                job.evaluate(at, &measured, running_us);
            } else {
                job.handle(at, event);
            }
            t.apply_changes(&mut job, at);
        } else if step_us <= arrival_us {
            let Reverse(s) = t.steps.pop().expect("peeked");
            t.step(&mut job, s);
        } else {
            let request = next.expect("an arrival is next");
            t.arrive(&mut job, seq, request);
            seq += 1;
            next = requests.next();
        }
    }
    t.finish(&mut job);
    let mut result = job.finish(&shared.spill)?;
    result.trace_error = requests.trace_error().cloned();
    Ok(result)
}

/// A request waiting for a web slot.
#[derive(Clone, Copy, Debug)]
struct Waiter {
    seq: u64,
    request: Request,
    /// Seeds its queries' draws (drawn at its arrival, so every option sees the same ones).
    key: u64,
}

/// One FCFS queue for web slots: the shared one, or an instance's.
#[derive(Debug, Default)]
struct WebQueue {
    waiting: VecDeque<Waiter>,
    /// The instance of each free slot, least recently freed first.
    free: VecDeque<u32>,
}

/// What this driver knows of an instance.
#[derive(Debug, Default)]
struct Instance {
    up: bool,
    /// Retired, finishing its requests.
    draining: bool,
    /// Requests holding one of its slots.
    occupied: u32,
    /// Requests started on it and not yet settled.
    in_flight: u32,
    /// Connections it opened (0 while down or refused).
    connections: u32,
    /// Its connections were refused (`max_connections`): its requests fail.
    refused: bool,
    free_connections: u32,
    /// Requests waiting for one of its connections.
    connection_queue: VecDeque<u32>,
}

/// A request on its instance: doing its web work, or its queries.
#[derive(Clone, Debug)]
struct Flight {
    seq: u64,
    request: Request,
    instance: u32,
    start_us: u64,
    web_done_us: u64,
    steal: f64,
    /// Still doing its web work (it counts as busy).
    in_web: bool,
    holds_slot: bool,
    queries_left: u32,
    /// When its current query was ready to be sent.
    ready_us: u64,
    draws: SplitMix64,
    /// Bumped each time its place is reused, so stale steps are ignored.
    generation: u32,
    alive: bool,
}

/// A request's next step, ordered by time, then by its flight (any fixed
/// order keeps runs deterministic). 16 bytes, so the heap moves it in two
/// words: the flight's place, its generation and the kind are packed in `tag`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Step {
    at_us: u64,
    tag: u64,
}

impl Step {
    fn new(at_us: u64, flight: u32, generation: u32, kind: StepKind) -> Step {
        let generation = u64::from(generation & 0x7fff_ffff);
        Step { at_us, tag: u64::from(flight) << 32 | generation << 1 | kind as u64 }
    }

    fn flight(self) -> u32 {
        (self.tag >> 32) as u32
    }

    fn generation(self) -> u32 {
        (self.tag >> 1) as u32 & 0x7fff_ffff
    }

    fn kind(self) -> StepKind {
        if self.tag & 1 == 0 { StepKind::WebDone } else { StepKind::Answered }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum StepKind {
    /// Its web work is done: it sends its first query.
    WebDone,
    /// A query's answer is back.
    Answered,
}

/// The database: FCFS servers as min-heaps of free times (the primary first, then each replica).
struct DbTier {
    stations: Vec<BinaryHeap<Reverse<u64>>>,
    service: Sampler,
    /// One way to the database, and back (µs): the RTT split in two.
    there_us: u64,
    back_us: u64,
    read_share: f64,
    max_connections: Option<u32>,
    opened: u32,
}

impl DbTier {
    fn new(scenario: &Scenario, option: &HostingOption, db: &Database) -> DbTier {
        let replicas = db.read_replicas();
        let read_share = match &db.kind {
            DatabaseKind::Managed(m) if m.read_replicas > 0 => m.read_share,
            _ => 0.0,
        };
        let station = || (0..db.servers).map(|_| Reverse(0)).collect::<BinaryHeap<_>>();
        let dist = scenario.workload.db.as_ref().expect("an option with a database runs only with [workload] db");
        let rtt_us = db.rtt_from(&option.region, &scenario.network).0;
        DbTier {
            stations: (0..=replicas).map(|_| station()).collect(),
            service: Sampler::new(dist),
            there_us: rtt_us / 2,
            back_us: rtt_us - rtt_us / 2,
            read_share,
            max_connections: db.max_connections,
            opened: 0,
        }
    }

    /// Serves a query sent at `t` on the station its draws pick (a read
    /// goes to a replica when there are any); returns the station, when a
    /// server took it and when it finished.
    fn serve(&mut self, t_us: u64, draws: &mut SplitMix64) -> (usize, u64, u64) {
        let service_us = (self.service.sample_s(draws) * 1e6 + 0.5) as u64;
        let replicas = self.stations.len() as u64 - 1;
        let read = replicas > 0 && unit_open0(draws) <= self.read_share;
        let station = if read { 1 + below(draws, replicas) as usize } else { 0 };
        let arrive_us = t_us + self.there_us;
        let mut free = self.stations[station].peek_mut().expect("a database has servers");
        let start_us = free.0.max(arrive_us);
        let finish_us = start_us + service_us;
        free.0 = finish_us;
        (station, start_us, finish_us)
    }
}

struct Tandem {
    db: DbTier,
    holds_slot: bool,
    queries: u32,
    pool_size: Option<u32>,
    per_instance: bool,
    max_queue: Option<u32>,
    /// One shared queue, or one per instance.
    queues: Vec<WebQueue>,
    /// Per-instance routing while no instance is up: waiting to be routed.
    unrouted: VecDeque<Waiter>,
    instances: Vec<Instance>,
    balancer: Balancer,
    flights: Vec<Flight>,
    free_flights: Vec<u32>,
    steps: BinaryHeap<Reverse<Step>>,
    /// Arrival time of each request from `open_base` on, and whether it is settled.
    open: VecDeque<(u64, bool)>,
    open_base: u64,
    /// Draws each request's query key.
    keys: Stream,
}

impl Tandem {
    fn new(scenario: &Scenario, option: &HostingOption, db: &Database, replication: u32) -> Tandem {
        let per_instance = option.routing.per_instance();
        Tandem {
            db: DbTier::new(scenario, option, db),
            holds_slot: scenario.workload.db_holds_web_slot,
            queries: scenario.workload.db_queries,
            pool_size: option.pool_size,
            per_instance,
            max_queue: None,
            queues: if per_instance { Vec::new() } else { vec![WebQueue::default()] },
            unrouted: VecDeque::new(),
            instances: Vec::new(),
            balancer: Balancer::new(option.routing),
            flights: Vec::new(),
            free_flights: Vec::new(),
            steps: BinaryHeap::new(),
            open: VecDeque::new(),
            open_base: 0,
            keys: stream(scenario.seed, replication, Purpose::Database, 0),
        }
    }

    fn queue_of(&self, instance: u32) -> usize {
        if self.per_instance { instance as usize } else { 0 }
    }

    fn schedule(&mut self, at_us: u64, flight: u32, kind: StepKind) {
        let generation = self.flights[flight as usize].generation;
        self.steps.push(Reverse(Step::new(at_us, flight, generation, kind)));
    }

    /// Marks request `seq` settled, so its bucket may close once the ones before it are.
    fn settled(&mut self, seq: u64) {
        self.open[(seq - self.open_base) as usize].1 = true;
        while self.open.front().is_some_and(|&(_, done)| done) {
            self.open.pop_front();
            self.open_base += 1;
        }
    }

    fn arrive(&mut self, job: &mut Job, seq: u64, request: Request) {
        let oldest_us = self.open.front().map_or(request.arrival_us, |&(at, _)| at);
        job.close_before(oldest_us.min(request.arrival_us));
        self.open.push_back((request.arrival_us, false));
        if let Some(f) = &mut job.fleet {
            f.note_arrival();
        }
        let w = Waiter { seq, request, key: self.keys.next_u64() };
        let Some(q) = self.route(job, request.arrival_us) else {
            self.unrouted.push_back(w);
            return;
        };
        if let Some(i) = self.queues[q].free.pop_front() {
            self.start(job, w, i, request.arrival_us);
            return;
        }
        self.drop_given_up(job, q, request.arrival_us);
        if self.max_queue.is_some_and(|limit| self.queues[q].waiting.len() >= limit as usize) {
            let p = Pending { seq, request, admission: Admission::Rejected, steal: 0.0, volume_before_us: 0 };
            job.settle(&p, None);
            self.settled(seq);
            return;
        }
        self.queues[q].waiting.push_back(w);
    }

    /// The queue an arrival at `t` joins: the shared one, or the instance
    /// the balancer picks (`None`: no instance is up).
    fn route(&mut self, job: &mut Job, t_us: u64) -> Option<usize> {
        if !self.per_instance {
            return Some(0);
        }
        let (instances, queues, timeout_us) = (&self.instances, &self.queues, job.timeout_us());
        let load = |i: u32, below: u32| {
            // Waiting requests whose patience ran out before `t` have left (the oldest first).
            let waiting = &queues[i as usize].waiting;
            let left = waiting.partition_point(|w| w.request.arrival_us + timeout_us < t_us);
            let load = instances[i as usize].occupied + (waiting.len() - left) as u32;
            (load < below).then_some(load)
        };
        let i = self.balancer.pick(job.pool.up_list(), &mut job.route_rng, load)?;
        Some(i as usize)
    }

    /// Settles the requests at the head of queue `q` whose patience ran out before `t`.
    fn drop_given_up(&mut self, job: &mut Job, q: usize, t_us: u64) {
        let timeout_us = job.timeout_us();
        while let Some(w) = self.queues[q].waiting.front().copied() {
            let leave_us = w.request.arrival_us + timeout_us;
            if leave_us >= t_us {
                break;
            }
            self.queues[q].waiting.pop_front();
            self.abandon(job, w, leave_us);
        }
    }

    fn abandon(&mut self, job: &mut Job, w: Waiter, leave_us: u64) {
        let admission = Admission::Abandoned { leave_us, instance: None };
        job.settle(&Pending { seq: w.seq, request: w.request, admission, steal: 0.0, volume_before_us: 0 }, None);
        self.settled(w.seq);
    }

    /// Starts `w`'s web work on a free slot of instance `i` at `t`.
    fn start(&mut self, job: &mut Job, w: Waiter, i: u32, t_us: u64) {
        let inst = &mut self.instances[i as usize];
        let idle = inst.occupied == 0;
        inst.occupied += 1;
        inst.in_flight += 1;
        let cpu_us = job.cpu_us(&w.request);
        let io_us = w.request.io_s * 1e6;
        let (pool, mut work) = job.pool_and_work();
        let free_since_us = if idle { pool.last_free_at(i) } else { t_us };
        let busy_vcpus = inst.occupied.min(pool.vcpus(i));
        let on = On { instance: i, start_us: t_us, busy_vcpus, free_since_us };
        let (service_us, steal, _) = work.service_us(&on, cpu_us, io_us);
        let flight = Flight {
            seq: w.seq,
            request: w.request,
            instance: i,
            start_us: t_us,
            web_done_us: t_us + service_us,
            steal,
            in_web: true,
            holds_slot: true,
            queries_left: self.queries,
            ready_us: t_us,
            draws: SplitMix64::seed_from_u64(w.key),
            generation: 0,
            alive: true,
        };
        let id = match self.free_flights.pop() {
            Some(id) => {
                let generation = self.flights[id as usize].generation;
                self.flights[id as usize] = Flight { generation, ..flight };
                id
            }
            None => {
                self.flights.push(flight);
                self.flights.len() as u32 - 1
            }
        };
        self.schedule(t_us + service_us, id, StepKind::WebDone);
    }

    fn step(&mut self, job: &mut Job, s: Step) {
        let (id, t_us) = (s.flight(), s.at_us);
        let f = &self.flights[id as usize];
        if !f.alive || f.generation & 0x7fff_ffff != s.generation() {
            return;
        }
        match s.kind() {
            StepKind::WebDone => self.web_done(job, id, t_us),
            StepKind::Answered => {
                let i = f.instance;
                self.release_connection(job, i, t_us);
                let f = &mut self.flights[id as usize];
                f.queries_left -= 1;
                if f.queries_left > 0 {
                    self.send_query(job, id, t_us);
                } else {
                    self.end(job, id, t_us, None);
                }
            }
        }
    }

    fn web_done(&mut self, job: &mut Job, id: u32, t_us: u64) {
        let f = &mut self.flights[id as usize];
        f.in_web = false;
        let (i, start_us, steal) = (f.instance, f.start_us, f.steal);
        job.add_busy(i, start_us, t_us, steal);
        if self.instances[i as usize].refused {
            // It cannot reach the database: the request fails.
            self.end(job, id, t_us, Some(t_us));
            return;
        }
        if !self.holds_slot {
            self.flights[id as usize].holds_slot = false;
            self.release_slot(job, i, t_us);
        }
        self.send_query(job, id, t_us);
    }

    /// Request `id` has a query ready at `t`: it takes one of its instance's connections, or waits for one.
    fn send_query(&mut self, job: &mut Job, id: u32, t_us: u64) {
        let f = &mut self.flights[id as usize];
        f.ready_us = t_us;
        let inst = &mut self.instances[f.instance as usize];
        if inst.free_connections > 0 {
            inst.free_connections -= 1;
            self.query(job, id, t_us);
        } else {
            inst.connection_queue.push_back(id);
        }
    }

    /// Request `id` sends its query over a connection at `t`.
    fn query(&mut self, job: &mut Job, id: u32, t_us: u64) {
        let f = &mut self.flights[id as usize];
        let (station, start_us, finish_us) = self.db.serve(t_us, &mut f.draws);
        let wait_us = start_us - self.db.there_us - f.ready_us;
        let request = f.request;
        job.add_db_busy(start_us, finish_us, station > 0);
        job.add_db_query(&request, wait_us);
        self.schedule(finish_us + self.db.back_us, id, StepKind::Answered);
    }

    /// A connection of instance `i` comes back at `t`: the next query waiting for one takes it.
    fn release_connection(&mut self, job: &mut Job, i: u32, t_us: u64) {
        let inst = &mut self.instances[i as usize];
        match inst.connection_queue.pop_front() {
            Some(next) => self.query(job, next, t_us),
            None => inst.free_connections += 1,
        }
    }

    /// Request `id` ends at `t`: answered, or failed with its instance.
    fn end(&mut self, job: &mut Job, id: u32, t_us: u64, failed_at: Option<u64>) {
        let f = &mut self.flights[id as usize];
        f.alive = false;
        f.generation = f.generation.wrapping_add(1);
        let (seq, request, i, holds) = (f.seq, f.request, f.instance, f.holds_slot);
        self.free_flights.push(id);
        // A failed request's end is unknown: only whether the client had given up by then.
        let finish_us = if failed_at.is_some() { u64::MAX } else { t_us };
        job.complete(&request, finish_us, failed_at);
        self.settled(seq);
        self.instances[i as usize].in_flight -= 1;
        job.pool.note_free_at(i, t_us);
        if holds {
            self.release_slot(job, i, t_us);
        }
        self.drained(job, i, t_us);
    }

    /// A slot of instance `i` is free at `t`: the next request waiting for it starts.
    fn release_slot(&mut self, job: &mut Job, i: u32, t_us: u64) {
        let inst = &mut self.instances[i as usize];
        inst.occupied -= 1;
        if !inst.up {
            return;
        }
        let q = self.queue_of(i);
        self.drop_given_up(job, q, t_us);
        match self.queues[q].waiting.pop_front() {
            Some(w) => self.start(job, w, i, t_us),
            None => self.queues[q].free.push_back(i),
        }
    }

    /// A retired instance whose last request ended at `t` ends its life then and closes its connections.
    fn drained(&mut self, job: &mut Job, i: u32, t_us: u64) {
        let inst = &mut self.instances[i as usize];
        if inst.draining && inst.in_flight == 0 {
            inst.draining = false;
            self.db.opened -= std::mem::take(&mut inst.connections);
            if let Some(f) = &mut job.fleet {
                f.ended(i, t_us);
            }
        }
    }

    /// Applies the changes the job's rare events made at `t`.
    fn apply_changes(&mut self, job: &mut Job, t_us: u64) {
        while self.instances.len() < job.pool.instances() as usize {
            self.instances.push(Instance::default());
            if self.per_instance {
                self.queues.push(WebQueue::default());
            }
        }
        let changes = job.changes.as_mut().map(std::mem::take).unwrap_or_default();
        for change in changes {
            self.apply(job, &change, t_us);
        }
        // Instances up from the start (no change is logged for them).
        for i in 0..job.pool.instances() {
            if job.pool.is_up(i) && !self.instances[i as usize].up {
                self.bring_up(job, i, t_us);
            }
        }
    }

    fn apply(&mut self, job: &mut Job, change: &Change, t_us: u64) {
        for &i in &change.down {
            self.take_down(job, i, t_us, true);
        }
        for &i in &change.drain {
            self.take_down(job, i, t_us, false);
        }
        for &i in &change.up {
            self.bring_up(job, i, t_us);
        }
    }

    /// Instance `i` leaves service at `t`: its requests fail (`fail`), or finish (it drains).
    fn take_down(&mut self, job: &mut Job, i: u32, t_us: u64, fail: bool) {
        let inst = &mut self.instances[i as usize];
        // A draining instance (retired, or a spot instance after its notice)
        // still fails what it serves when it goes down.
        let serving = inst.up || (fail && inst.draining);
        if !serving {
            return;
        }
        inst.up = false;
        inst.draining = false;
        let q = self.queue_of(i);
        self.queues[q].free.retain(|&x| x != i);
        if fail {
            let on_it: Vec<u32> = (0..self.flights.len() as u32)
                .filter(|&id| self.flights[id as usize].alive && self.flights[id as usize].instance == i)
                .collect();
            for id in on_it {
                let f = &self.flights[id as usize];
                if f.in_web {
                    let (start_us, steal) = (f.start_us, f.steal);
                    job.add_busy(i, start_us, t_us, steal);
                }
                self.flights[id as usize].holds_slot = false;
                self.end(job, id, t_us, Some(t_us));
            }
            let inst = &mut self.instances[i as usize];
            inst.occupied = 0;
            inst.connection_queue.clear();
            inst.free_connections = 0;
            self.db.opened -= std::mem::take(&mut inst.connections);
        } else {
            self.instances[i as usize].draining = true;
            self.drained(job, i, t_us);
        }
        if self.per_instance {
            let waiting: Vec<Waiter> = self.queues[q].waiting.drain(..).collect();
            for w in waiting {
                self.requeue(job, w, t_us);
            }
        }
    }

    /// Routes a waiting request again at `t` (its instance left service, or one came up).
    fn requeue(&mut self, job: &mut Job, w: Waiter, t_us: u64) {
        match self.route(job, t_us) {
            None => {
                let at = self.unrouted.partition_point(|x| x.seq < w.seq);
                self.unrouted.insert(at, w);
            }
            Some(q) => match self.queues[q].free.pop_front() {
                Some(i) => self.start(job, w, i, t_us),
                None => {
                    let waiting = &mut self.queues[q].waiting;
                    let at = waiting.partition_point(|x| x.seq < w.seq);
                    waiting.insert(at, w);
                }
            },
        }
    }

    /// Instance `i` comes into service at `t`: it opens its connections
    /// (refused beyond `max_connections`), and its slots take waiting requests.
    fn bring_up(&mut self, job: &mut Job, i: u32, t_us: u64) {
        let slots = job.pool.slots(i);
        let want = self.pool_size.unwrap_or(slots);
        let refused = self.db.max_connections.is_some_and(|limit| self.db.opened + want > limit);
        let inst = &mut self.instances[i as usize];
        inst.up = true;
        inst.draining = false;
        inst.refused = refused;
        if !refused {
            inst.connections = want;
            inst.free_connections = want;
            self.db.opened += want;
        }
        let free = slots - inst.occupied.min(slots);
        let q = self.queue_of(i);
        for _ in 0..free {
            self.queues[q].free.push_back(i);
        }
        self.drop_given_up(job, q, t_us);
        while !self.queues[q].free.is_empty() && !self.queues[q].waiting.is_empty() {
            let w = self.queues[q].waiting.pop_front().expect("not empty");
            let i = self.queues[q].free.pop_front().expect("not empty");
            self.start(job, w, i, t_us);
        }
        let timeout_us = job.timeout_us();
        for w in std::mem::take(&mut self.unrouted) {
            let leave_us = w.request.arrival_us + timeout_us;
            if leave_us < t_us {
                self.abandon(job, w, leave_us);
            } else {
                self.requeue(job, w, t_us);
            }
        }
    }

    /// The busy time in the current scaling window, up to `t`, of requests
    /// still doing their web work on `measured` instances.
    fn running_us(&self, job: &Job, t_us: u64, measured: &[u32]) -> u64 {
        let window_start = job.fleet.as_ref().map_or(0, |f| f.window.start_us);
        self.flights
            .iter()
            .filter(|f| f.alive && f.in_web && f.start_us < t_us && measured.contains(&f.instance))
            .map(|f| f.web_done_us.min(t_us).saturating_sub(f.start_us.max(window_start)))
            .sum()
    }

    /// Settles what is left at the horizon: requests still in flight or waiting.
    fn finish(&mut self, job: &mut Job) {
        for id in 0..self.flights.len() {
            let f = &self.flights[id];
            if !f.alive {
                continue;
            }
            if f.in_web {
                job.add_busy(f.instance, f.start_us, f.web_done_us, f.steal);
            }
            job.complete(&f.request, u64::MAX, None);
        }
        let timeout_us = job.timeout_us();
        let waiting: Vec<Waiter> = self.queues.iter_mut().flat_map(|q| q.waiting.drain(..)).collect();
        for w in waiting.into_iter().chain(std::mem::take(&mut self.unrouted)) {
            self.abandon(job, w, w.request.arrival_us + timeout_us);
        }
    }
}
