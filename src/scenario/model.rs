//! The resolved scenario: every default filled in, every unit converted.
//! Produced by `scenario::load` (parse + validate); consumed by the engine,
//! the cost model and the reports. Nothing here can be invalid.

use std::path::PathBuf;

use crate::catalog::Catalog;
use crate::time::SimTime;

/// A whole, validated scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Output folder name (safe: no path separators, no "..").
    pub name: String,
    /// The file it was read from (for messages and for relative paths).
    pub source: PathBuf,
    pub horizon: SimTime,
    /// Requests arriving before this are left out of summary statistics (not of cost).
    pub warmup: SimTime,
    /// Width of one time-series row.
    pub bucket: SimTime,
    pub seed: u64,
    pub replications: u32,
    pub slo: Option<Slo>,
    pub traffic: Traffic,
    pub workload: Workload,
    /// Round-trip times for every (user region, option region) pair in use.
    pub network: Network,
    /// The price catalog the options were read with: the built-ins with the
    /// scenario's `[catalog]` (and `--catalog FILE`) entries over them.
    pub catalog: Catalog,
    pub options: Vec<HostingOption>,
}

/// What "good enough" means; either part may be absent.
#[derive(Clone, Debug, PartialEq)]
pub struct Slo {
    pub p99_ms: Option<f64>,
    /// Minimum served / completed requests, in [0, 1].
    pub success: Option<f64>,
}

/// The arrival-rate profile and where requests come from.
#[derive(Clone, Debug, PartialEq)]
pub struct Traffic {
    /// Mean arrival rate before modulation, requests per second.
    pub base_rps: f64,
    pub diurnal: Option<Diurnal>,
    pub weekly: Option<Weekly>,
    pub growth: Option<Growth>,
    pub spikes: Vec<Spike>,
    /// User regions (canonical names) and their shares, summing to 1.
    /// Empty means "every request comes from the option's own region".
    pub users: Vec<UserShare>,
    /// A recorded trace replayed instead of the profile above (then
    /// `base_rps` is 0 and there is no diurnal, weekly, growth or spike).
    pub trace: Option<Trace>,
}

/// `[traffic.trace]`: per-bucket request counts replayed from a CSV file
/// (plain or gzip), streamed while simulating. Arrivals are Poisson within
/// a row at `count × scale / bucket`; missing rows mean no requests; the
/// first row at or after `start` is t = 0.
#[derive(Clone, Debug, PartialEq)]
pub struct Trace {
    /// The file, canonical (absolute), so `resolved.toml` works from anywhere.
    pub path: PathBuf,
    /// Column holding each row's start time, in seconds (e.g. Unix time).
    pub time_column: String,
    /// Column holding each row's request count.
    pub count_column: String,
    /// Width of one row.
    pub bucket: SimTime,
    /// Multiplies every count.
    pub scale: f64,
    /// Rows with an earlier time are skipped (same unit as the time column).
    pub start: Option<f64>,
    /// Rows kept (at or after `start`), from the validation pass.
    pub rows: u64,
    /// Sum of the kept rows' counts, before `scale`.
    pub total_requests: f64,
    /// The largest kept row's count, before `scale` (bounds the requests of a horizon shorter than the trace).
    pub peak_count: f64,
    /// Last kept row's time − first kept row's time + bucket: the default horizon.
    pub length: SimTime,
}

/// rate × (1 + amplitude · cos(2π (h − peak_hour) / 24)).
#[derive(Clone, Debug, PartialEq)]
pub struct Diurnal {
    /// In [0, 1].
    pub amplitude: f64,
    /// Hour of day of the peak, in [0, 24).
    pub peak_hour: f64,
}

/// Saturday and Sunday rate factor; t = 0 is Monday 00:00.
#[derive(Clone, Debug, PartialEq)]
pub struct Weekly {
    pub weekend_factor: f64,
}

/// rate × (1 + per_month)^(t / 730 h).
#[derive(Clone, Debug, PartialEq)]
pub struct Growth {
    pub per_month: f64,
}

/// A temporary multiplication of the rate: ramps linearly from 1 to
/// `multiplier` over `ramp` after `at`, holds, and ramps back down over the
/// last `ramp` of `duration`.
#[derive(Clone, Debug, PartialEq)]
pub struct Spike {
    pub at: SimTime,
    pub duration: SimTime,
    pub ramp: SimTime,
    pub multiplier: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct UserShare {
    /// Canonical region name (see `network`).
    pub region: String,
    /// In (0, 1].
    pub share: f64,
}

/// What one request asks of the server.
#[derive(Clone, Debug, PartialEq)]
pub struct Workload {
    /// CPU time on a reference core.
    pub cpu: Dist,
    /// Storage time per request; `None` means no I/O.
    pub io: Option<Dist>,
    /// Storage operations per request (for IOPS limits).
    pub io_ops: f64,
    /// Response size, for egress cost.
    pub response_kb: f64,
    /// The client gives up after this long (default 30 s).
    pub timeout: SimTime,
}

/// A distribution of a duration; all parameters in seconds.
#[derive(Clone, Debug, PartialEq)]
pub enum Dist {
    Constant {
        value_s: f64,
    },
    Exponential {
        mean_s: f64,
    },
    /// Log-normal with the given mean and coefficient of variation.
    Lognormal {
        mean_s: f64,
        cv: f64,
    },
    /// Gamma with the given mean and coefficient of variation.
    Gamma {
        mean_s: f64,
        cv: f64,
    },
    Uniform {
        min_s: f64,
        max_s: f64,
    },
    /// Pareto (type I) with the given mean; `shape` > 1.
    Pareto {
        mean_s: f64,
        shape: f64,
    },
}

impl Dist {
    /// The distribution's mean, in seconds.
    pub fn mean_s(&self) -> f64 {
        match *self {
            Dist::Constant { value_s } => value_s,
            Dist::Exponential { mean_s }
            | Dist::Lognormal { mean_s, .. }
            | Dist::Gamma { mean_s, .. }
            | Dist::Pareto { mean_s, .. } => mean_s,
            Dist::Uniform { min_s, max_s } => (min_s + max_s) / 2.0,
        }
    }
}

/// Round-trip times between regions, in milliseconds.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Network {
    /// Canonical region names; index = region id.
    pub regions: Vec<String>,
    /// `rtt_ms[a][b]`, symmetric, 1 ms on the diagonal.
    pub rtt_ms: Vec<Vec<f64>>,
}

impl Network {
    /// Index of a canonical region name.
    pub fn region_id(&self, name: &str) -> Option<usize> {
        self.regions.iter().position(|r| r == name)
    }

    /// RTT between two canonical regions, if known.
    pub fn rtt_ms(&self, a: &str, b: &str) -> Option<f64> {
        Some(self.rtt_ms[self.region_id(a)?][self.region_id(b)?])
    }
}

/// How requests reach an option's instances.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Routing {
    /// One FCFS queue in front of all instances (a load balancer).
    SharedQueue,
    /// Each request goes to a uniformly random instance with its own FCFS queue.
    Random,
}

impl Routing {
    pub fn as_str(self) -> &'static str {
        match self {
            Routing::SharedQueue => "shared_queue",
            Routing::Random => "random",
        }
    }
}

/// One hosting option to compare.
#[derive(Clone, Debug, PartialEq)]
pub struct HostingOption {
    pub name: String,
    /// Canonical region name.
    pub region: String,
    pub routing: Routing,
    /// Arrivals finding this many requests waiting are rejected.
    pub max_queue: Option<u32>,
    /// Requests in service at once per vCPU (or core).
    pub workers_per_vcpu: u32,
    /// Speed relative to the reference core: CPU time is divided by it.
    pub cpu_speed: f64,
    /// Egress price, per GB (10^9 bytes) of responses served.
    pub egress_usd_per_gb: f64,
    /// Whole-option outages (provider or region), if modelled.
    pub outages: Option<Outages>,
    pub kind: Kind,
}

/// The whole option goes down after an exponential time with mean `mtbf`
/// (counted from the end of the previous outage) and stays down for `duration`.
#[derive(Clone, Debug, PartialEq)]
pub struct Outages {
    pub mtbf: SimTime,
    /// Length of one outage (a constant for a plain duration string).
    pub duration: Dist,
}

/// Each server fails after an exponential time with mean `mtbf` (counted
/// from its last repair) and is back after `repair`.
#[derive(Clone, Debug, PartialEq)]
pub struct Failures {
    pub mtbf: SimTime,
    /// Time to repair (a constant for a plain duration string).
    pub repair: Dist,
}

/// The hosting model and its parameters.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    BareMetal(BareMetal),
    Vps(Vps),
    Iaas(Iaas),
    /// A fixed baseline (bare metal or VPS) plus an IaaS burst pool behind one queue.
    Hybrid(Hybrid),
    Paas(Paas),
}

impl Kind {
    /// The `kind` key's value.
    pub fn as_str(&self) -> &'static str {
        match self {
            Kind::BareMetal(_) => "bare_metal",
            Kind::Vps(_) => "vps",
            Kind::Iaas(_) => "iaas",
            Kind::Hybrid(_) => "hybrid",
            Kind::Paas(_) => "paas",
        }
    }
}

/// Owned servers: fixed capacity, capex amortised over a lifetime.
#[derive(Clone, Debug, PartialEq)]
pub struct BareMetal {
    pub servers: u32,
    pub cores: u32,
    /// Purchase price per server.
    pub price_usd: f64,
    /// Amortisation period of `price_usd`.
    pub lifetime: SimTime,
    /// One-off cost per server, paid at t = 0.
    pub setup_usd: f64,
    /// Per server per month (730 h).
    pub colo_usd_per_month: f64,
    /// Whole option, per month (730 h).
    pub labour_usd_per_month: f64,
    pub power: Option<Power>,
    pub failures: Option<Failures>,
}

/// Rented virtual servers: fixed count, billed per started hour up to a
/// monthly cap, sharing their physical hosts with noisy neighbours.
#[derive(Clone, Debug, PartialEq)]
pub struct Vps {
    pub instances: u32,
    pub vcpus: u32,
    /// Monthly cap per instance (per 730 h).
    pub monthly_usd: f64,
    /// Price per started hour (default: the plan's, or monthly_usd / 730).
    pub hourly_usd: f64,
    /// The catalog plan it came from, if any.
    pub plan: Option<String>,
    pub neighbours: Option<Neighbours>,
}

/// The other VMs on each VPS's physical host. Every `period` on average
/// (exponential), each neighbour draws anew whether it is busy (all its
/// vCPUs) with probability `utilization`, so the number busy at any time is
/// Binomial(count, utilization).
#[derive(Clone, Debug, PartialEq)]
pub struct Neighbours {
    /// Cores of the physical host.
    pub host_cores: u32,
    /// Neighbour VMs on the host.
    pub count: u32,
    /// vCPUs of each neighbour.
    pub vcpus: u32,
    /// Fraction of time each neighbour is busy, in [0, 1].
    pub utilization: f64,
    /// Mean time between a neighbour's state draws.
    pub period: SimTime,
    /// Storage time factor when every neighbour is busy (>= 1); scales
    /// linearly with the busy fraction.
    pub io_slowdown: f64,
}

/// Electricity drawn by a server, linear in utilisation.
#[derive(Clone, Debug, PartialEq)]
pub struct Power {
    pub idle_w: f64,
    pub max_w: f64,
    pub usd_per_kwh: f64,
    /// Power usage effectiveness, >= 1.
    pub pue: f64,
}

/// Cloud instances billed from launch to termination, optionally autoscaled.
#[derive(Clone, Debug, PartialEq)]
pub struct Iaas {
    /// The catalog instance type it came from, if any.
    pub instance: Option<String>,
    pub vcpus: u32,
    pub hourly_usd: f64,
    /// Instances in service at t = 0 (the fleet size without autoscaling).
    pub initial: u32,
    /// Time from launch to serving.
    pub boot: Dist,
    pub billing: Billing,
    pub storage: Storage,
    pub autoscaling: Option<Autoscaling>,
}

/// How instance time is billed: rounded up to `granularity`, at least `minimum`.
#[derive(Clone, Debug, PartialEq)]
pub struct Billing {
    /// "1s" (EC2 Linux) or "1h" (per started hour).
    pub granularity: SimTime,
    /// Shortest billed time per instance (EC2 Linux: 60 s).
    pub minimum: SimTime,
}

/// Where an instance's storage lives.
#[derive(Clone, Debug, PartialEq)]
pub struct Storage {
    pub kind: StorageKind,
    /// Multiplies storage time (1 for local disks).
    pub latency_factor: f64,
    /// Most storage operations per second per instance; beyond that they
    /// queue at the volume. `None`: unlimited.
    pub iops: Option<f64>,
    /// Per instance per month (730 h), prorated over its life.
    pub usd_per_month: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageKind {
    Local,
    /// EBS-like network volumes.
    Network,
}

/// When and how the fleet grows and shrinks.
#[derive(Clone, Debug, PartialEq)]
pub struct Autoscaling {
    pub policy: Policy,
    pub min: u32,
    pub max: u32,
    /// After boot, an instance is left out of the metric (and blocks
    /// scale-in) for this long.
    pub warmup: SimTime,
    /// Changes of `min` at given times, combined with the policy.
    pub schedule: Vec<ScheduledMin>,
}

/// From `at` (and every `every` after it, if given), the fleet's minimum is `min`.
#[derive(Clone, Debug, PartialEq)]
pub struct ScheduledMin {
    pub at: SimTime,
    pub every: Option<SimTime>,
    pub min: u32,
}

/// The scaling policy.
#[derive(Clone, Debug, PartialEq)]
pub enum Policy {
    /// AWS target tracking: 60 s datapoints; 3 above the target scale out to
    /// ceil(current × metric / target); 15 below 0.9 × target scale in.
    TargetTracking { metric: Metric, target: f64 },
    /// AWS step scaling on CPU: add the largest matching step's instances,
    /// remove `remove` below `below`, then wait `cooldown`.
    Step { steps: Vec<ScalingStep>, below: f64, remove: u32, cooldown: SimTime },
    /// Kubernetes HPA: every 15 s, ceil(current × metric / target) outside a
    /// 10 % tolerance; scale-down to the highest recommendation of the last 300 s.
    Hpa { metric: Metric, target: f64 },
    /// Target tracking plus a forecast from the same time one day and one week
    /// earlier, launching a boot time ahead.
    Predictive { metric: Metric, target: f64 },
    /// Heroku (PaaS only): each minute, p95 response time over the past hour
    /// against `p95_ms`; one dyno up or down per event, at least a minute
    /// apart, down only after 5 minutes below the target.
    Heroku { p95_ms: f64 },
}

/// One step of a step policy: above this CPU utilisation, add this many.
#[derive(Clone, Debug, PartialEq)]
pub struct ScalingStep {
    pub above: f64,
    pub add: u32,
}

/// What a policy tracks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// Mean CPU utilisation of in-service instances, in [0, 1].
    Cpu,
    /// Requests arriving per in-service instance per minute.
    RequestsPerInstance,
    /// 95th percentile response time over the period, ms.
    P95Ms,
}

/// A fixed baseline plus an IaaS burst pool (its `autoscaling.min` may be 0);
/// both serve one shared queue and only the burst part scales.
#[derive(Clone, Debug, PartialEq)]
pub struct Hybrid {
    /// A `BareMetal` or `Vps` kind.
    pub baseline: Box<Kind>,
    pub burst: Iaas,
}

/// Dynos behind a router: per-dyno queues, prorated monthly billing.
#[derive(Clone, Debug, PartialEq)]
pub struct Paas {
    /// The catalog dyno type it came from, if any.
    pub dyno: Option<String>,
    /// Request slots of one dyno (per worker), in vCPUs.
    pub vcpus: u32,
    /// Speed of each of those vCPUs relative to a reference vCPU, in (0, 1]:
    /// shared dynos get a share of one (multiplies the option's `cpu_speed`).
    pub cpu_share: f64,
    /// Per dyno per 730 h, prorated to the second; with `pool_hours`, for
    /// the pool, whatever the number of dynos.
    pub monthly_usd: f64,
    /// Dyno-hours per 730-hour month shared by all the dynos (Eco); when used
    /// up, every dyno is down until the month ends.
    pub pool_hours: Option<f64>,
    /// Dynos at t = 0 (the fixed count without autoscaling).
    pub dynos: u32,
    /// Added to every response by the router.
    pub router_overhead: SimTime,
    /// Responses slower than this are cut off by the router (Heroku H12).
    pub router_timeout: SimTime,
    /// Requests queued per dyno beyond which the router rejects (H11).
    pub backlog: u32,
    /// Time for a new dyno to start serving.
    pub boot: Dist,
    /// Eco dynos: sleep after this long idle and wake on the next request.
    pub sleep: Option<Sleep>,
    pub autoscaling: Option<PaasAutoscaling>,
}

/// Sleeping dynos: idle for `after`, then the next request waits `wake`.
#[derive(Clone, Debug, PartialEq)]
pub struct Sleep {
    pub after: SimTime,
    pub wake: SimTime,
}

/// Heroku autoscaling bounds and target (only dyno types that allow it).
#[derive(Clone, Debug, PartialEq)]
pub struct PaasAutoscaling {
    pub min: u32,
    pub max: u32,
    pub p95_ms: f64,
}
