//! A hosting option and its kind: how each kind is sized and priced.

use super::autoscaling::Autoscaling;
use super::commitment::{Reservation, SavingsPlan};
use super::database::Database;
use super::egress::Egress;
use super::workload::Dist;
use crate::time::SimTime;

/// How requests reach an option's instances.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Routing {
    /// One FCFS queue in front of all instances (an ideal load balancer).
    SharedQueue,
    /// Each request goes to a uniformly random instance with its own FCFS queue.
    Random,
    /// Each request goes to the next instance in service, in index order.
    RoundRobin,
    /// Each request goes to the instance with the fewest requests in service
    /// plus waiting (ties: the lowest index).
    LeastConnections,
    /// Each request samples two distinct instances at random and joins the
    /// one with fewer requests (ties: the first sampled).
    PowerOfTwo,
}

impl Routing {
    /// Every discipline, in the order the documentation lists them.
    pub const ALL: [Routing; 5] =
        [Routing::SharedQueue, Routing::RoundRobin, Routing::LeastConnections, Routing::PowerOfTwo, Routing::Random];

    pub fn as_str(self) -> &'static str {
        match self {
            Routing::SharedQueue => "shared_queue",
            Routing::Random => "random",
            Routing::RoundRobin => "round_robin",
            Routing::LeastConnections => "least_connections",
            Routing::PowerOfTwo => "power_of_two",
        }
    }

    /// True when each instance keeps its own queue (every discipline but the shared queue).
    pub fn per_instance(self) -> bool {
        self != Routing::SharedQueue
    }
}

/// One hosting option to compare.
#[derive(Clone, Debug, PartialEq)]
pub struct HostingOption {
    pub name: String,
    /// Canonical region name (a measured city, or a custom region).
    pub region: String,
    /// The AWS region cloud prices are looked up in: the region as written
    /// when it names one, else the AWS region of its city, if it has one.
    pub aws_region: Option<String>,
    pub routing: Routing,
    /// Arrivals finding this many requests waiting are rejected.
    pub max_queue: Option<u32>,
    /// Requests in service at once per vCPU (or core).
    pub workers_per_vcpu: u32,
    /// Speed relative to the reference core: CPU time is divided by it.
    pub cpu_speed: f64,
    /// How the responses served are billed as outbound traffic.
    pub egress: Egress,
    /// Whole-option outages (provider or region), if modelled.
    pub outages: Option<Outages>,
    /// An AWS Application Load Balancer in front of the option (iaas, hybrid), if any.
    pub load_balancer: Option<LoadBalancer>,
    /// The carbon intensity of the electricity it runs on, if known.
    pub grid: Option<Grid>,
    /// The database tier its requests query, if any (`database = "name"`).
    pub database: Option<Database>,
    /// Connections each web instance opens to its database (`None`: one per web slot).
    pub pool_size: Option<u32>,
    pub kind: Kind,
    /// Fleets in several regions (`regions = {…}`), if it spans them.
    pub regions: Option<Regions>,
}

/// An option that spans regions: one part per region, each an ordinary
/// one-region option (its own instances, prices, outages and grid), with
/// users sent between them by `geo_routing`. The option's own `region` is
/// the parts' names joined by `+`, its `kind` the first part's with every
/// part's instances, and its `outages` those of all the regions at once.
#[derive(Clone, Debug, PartialEq)]
pub struct Regions {
    pub parts: Vec<HostingOption>,
    pub geo_routing: GeoRouting,
    /// How long a region's users are still sent to it after it goes down
    /// (DNS TTL plus health checks); their requests there time out.
    pub failover_after: SimTime,
    /// The parts' outages are the whole option's (every region down at
    /// once), not each region's own.
    pub shared_outages: bool,
}

/// Which region a user's request goes to.
#[derive(Clone, Debug, PartialEq)]
pub enum GeoRouting {
    /// The region of lowest RTT from the user that is up (latency-based DNS).
    Nearest,
    /// At random by these weights, one per part (summing to 1), among the regions up.
    Weights(Vec<f64>),
}

/// The carbon intensity of a region's electricity (location-based: the
/// grid's average, not a provider's renewable purchases).
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    pub gco2e_per_kwh: f64,
    /// Where the figure comes from ("grid_gco2e_per_kwh" when given).
    pub source: String,
}

impl Grid {
    /// The `source` of a factor the scenario gives.
    pub const GIVEN: &'static str = "grid_gco2e_per_kwh";
}

/// An AWS Application Load Balancer: billed per started hour plus LCU-hours
/// (the largest of its four usage dimensions in each clock hour).
#[derive(Clone, Debug, PartialEq)]
pub struct LoadBalancer {
    pub usd_per_hour: f64,
    pub usd_per_lcu_hour: f64,
    /// Requests each client connection carries (keep-alive), >= 1.
    pub requests_per_connection: f64,
    /// Listener rules evaluated per request (the first 10 are free).
    pub rules: u32,
}

/// The whole option goes down after an exponential time with mean `mtbf`
/// (counted from the end of the previous outage) and stays down for `duration`.
#[derive(Clone, Debug, PartialEq)]
pub struct Outages {
    pub mtbf: SimTime,
    /// Length of one outage (a constant for a plain duration string).
    pub duration: Dist,
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
    /// Instances started on demand per request, billed per request and busy time.
    Serverless(Serverless),
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
            Kind::Serverless(_) => "serverless",
        }
    }

    /// The servers, VPSs or initial instances (IaaS) of a fleet, which an
    /// option across regions gives per region.
    pub fn fleet(&self) -> Option<u32> {
        match self {
            Kind::BareMetal(b) => Some(b.servers),
            Kind::Vps(v) => Some(v.instances),
            Kind::Iaas(i) => Some(i.initial),
            _ => None,
        }
    }

    /// The same count, to set it.
    pub fn fleet_mut(&mut self) -> Option<&mut u32> {
        match self {
            Kind::BareMetal(b) => Some(&mut b.servers),
            Kind::Vps(v) => Some(&mut v.instances),
            Kind::Iaas(i) => Some(&mut i.initial),
            _ => None,
        }
    }
}

/// Each server fails after an exponential time with mean `mtbf` (counted
/// from its last repair) and is back after `repair`.
#[derive(Clone, Debug, PartialEq)]
pub struct Failures {
    pub mtbf: SimTime,
    /// Time to repair (a constant for a plain duration string).
    pub repair: Dist,
}

/// Owned servers: fixed capacity, capex amortised over a lifetime.
#[derive(Clone, Debug, PartialEq)]
pub struct BareMetal {
    pub servers: u32,
    pub cores: u32,
    /// Purchase price per server: the base (chassis, memory, disks) when
    /// `price_usd_per_core` is given.
    pub price_usd: f64,
    /// Purchase price of each core, added to `price_usd` (0: a flat price).
    pub price_usd_per_core: f64,
    /// Amortisation period of the purchase price.
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

impl BareMetal {
    /// One server's purchase price: the base plus every core's price.
    pub fn purchase_usd(&self) -> f64 {
        self.price_usd + self.price_usd_per_core * f64::from(self.cores)
    }
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
    /// One server's draw at active idle and at full load, for its cores.
    pub idle_w: f64,
    pub max_w: f64,
    pub usd_per_kwh: f64,
    /// Power usage effectiveness, >= 1.
    pub pue: f64,
    /// How the scenario gave the draw: written back as given, so that a
    /// re-run with other `cores` works the watts out again.
    pub draw: Draw,
}

/// Where a server's watts come from.
#[derive(Clone, Debug, PartialEq)]
pub enum Draw {
    /// `idle_w` and `max_w` (a base when per-core watts are given) plus
    /// `idle_w_per_core` and `max_w_per_core` × cores.
    Watts { idle_w: f64, max_w: f64, idle_w_per_core: f64, max_w_per_core: f64 },
    /// `draw = "specpower"`: the SPECpower table's watts for the sockets
    /// (given, or by cores when `None`) and cores (`catalog::specpower`).
    SpecPower { sockets: Option<u32> },
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
    /// Spot instances (all, or those above an on-demand base); `None`: all on demand.
    pub spot: Option<Spot>,
    /// Reserved instances covering part of the fleet, if bought.
    pub purchase: Option<Reservation>,
    /// A savings plan covering on-demand usage (after reservations), if bought.
    pub savings_plan: Option<SavingsPlan>,
}

/// The EC2 market an instance is bought in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Market {
    #[default]
    OnDemand,
    /// Billed at the spot price, interrupted when AWS needs the capacity back.
    Spot,
}

/// Spot instances: billed at a spot price and interrupted at random, each
/// running instance independently at a constant hazard.
#[derive(Clone, Debug, PartialEq)]
pub struct Spot {
    /// Price per spot instance-hour.
    pub usd_per_hour: f64,
    /// Interruptions per running spot instance per 730-hour month.
    pub interruptions_per_month: f64,
    /// An on-demand base with a share of the rest on spot; `None`: every instance is spot.
    pub mixed: Option<Mixed>,
}

/// EC2 Auto Scaling's mixed-instances split: `on_demand_base` instances on
/// demand, then `spot_percent` % of the instances above the base on spot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mixed {
    pub on_demand_base: u32,
    /// Whole percent, 0 to 100 (AWS's OnDemandPercentageAboveBaseCapacity is 100 minus it).
    pub spot_percent: u32,
}

impl Mixed {
    /// On-demand instances in a fleet of `total`: the base, then the
    /// on-demand percentage of the rest, rounded up (AWS rounds a fraction
    /// in favour of on-demand).
    pub fn on_demand(&self, total: u32) -> u32 {
        let base = self.on_demand_base.min(total);
        let above = u64::from(total - base) * u64::from(100 - self.spot_percent.min(100));
        base + above.div_ceil(100) as u32
    }
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
    /// queue at the volume. `None`: unlimited. For an EBS volume, its
    /// provisioned (gp3, io1, io2) or baseline (gp2) IOPS.
    pub iops: Option<f64>,
    /// Per instance per month (730 h), prorated over its life; for an EBS
    /// volume, its price (from the EBS table unless given).
    pub usd_per_month: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageKind {
    Local,
    /// EBS-like network volumes, priced by the user.
    Network,
    /// An EBS volume of a given type and size: a network volume priced from the EBS table.
    Ebs(EbsVolume),
}

/// One EBS volume per instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EbsVolume {
    pub volume_type: EbsType,
    /// Provisioned size (AWS's GB-month is per GiB provisioned).
    pub gb: u32,
    /// Provisioned throughput in MB/s (gp3 only; 125 free).
    pub throughput_mbps: Option<u32>,
}

/// The EBS volume types hostsim prices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EbsType {
    Gp3,
    Gp2,
    Io2,
    Io1,
}

impl EbsType {
    pub const ALL: [EbsType; 4] = [EbsType::Gp3, EbsType::Gp2, EbsType::Io2, EbsType::Io1];

    /// The `storage.kind` value, as AWS names the type.
    pub fn as_str(self) -> &'static str {
        match self {
            EbsType::Gp3 => "gp3",
            EbsType::Gp2 => "gp2",
            EbsType::Io2 => "io2",
            EbsType::Io1 => "io1",
        }
    }
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

/// Who runs the functions: sets the defaults, the limits and the prices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provider {
    /// AWS Lambda: one request per instance, CPU from memory, throttled beyond `max_instances`.
    Lambda,
    /// Google Cloud Run (request-based billing): many requests per instance, queued beyond `max_instances`.
    CloudRun,
}

impl Provider {
    pub const ALL: [Provider; 2] = [Provider::Lambda, Provider::CloudRun];

    /// The `provider` key's value.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Lambda => "lambda",
            Provider::CloudRun => "cloud_run",
        }
    }
}

/// Functions or containers started on demand: a request takes a free slot
/// of a warm instance (the most recently freed first), else starts a new
/// instance and waits for its cold start; idle instances are reclaimed
/// after `idle_timeout`.
#[derive(Clone, Debug, PartialEq)]
pub struct Serverless {
    pub provider: Provider,
    /// Lambda's runtime, whose measured cold starts are the default `cold_start`.
    pub runtime: Option<String>,
    /// `x86_64` or `arm64` (Lambda's price and cold start).
    pub arch: String,
    /// Memory of one instance (Cloud Run: `memory_gib` × 1,024).
    pub memory_mb: u32,
    /// vCPUs of one instance (Lambda: memory_mb / 1,769).
    pub vcpus: f64,
    /// Requests one instance serves at once.
    pub concurrency: u32,
    /// Most instances at once (warm, busy or starting).
    pub max_instances: u32,
    /// Instances kept warm from t = 0 and never reclaimed (Lambda `provisioned`, Cloud Run `min_instances`).
    pub warm: u32,
    /// Time from a new instance's start to its first request.
    pub cold_start: Dist,
    /// Idle time after which an instance is reclaimed (drawn each time it falls idle).
    pub idle_timeout: Dist,
    /// A request still running after this is stopped (and timed out); `None`: only the workload's timeout.
    pub timeout: Option<SimTime>,
    pub free_tier: bool,
    /// The Cloud Run region the price tier comes from.
    pub gcp_region: Option<String>,
    pub rates: ServerlessRates,
}

/// The prices of a serverless option, per instance-second for its size.
#[derive(Clone, Debug, PartialEq)]
pub struct ServerlessRates {
    pub usd_per_request: f64,
    /// Busy time of on-demand instances: one rate per billed resource
    /// (Lambda: GB-s; Cloud Run: vCPU-s and GiB-s), each with its monthly free allowance.
    pub busy: Vec<BusyRate>,
    /// Each warm instance while configured (Lambda provisioned concurrency, Cloud Run idle min instances).
    pub warm_usd_per_s: f64,
    /// Busy time of a warm instance, on top of `warm_usd_per_s`.
    pub warm_busy_usd_per_s: f64,
    /// Requests a month (730 h) that are free (0 without the free tier).
    pub free_requests_per_month: f64,
    /// Each busy period is rounded up to this (Lambda 1 ms, Cloud Run 100 ms).
    pub granularity: SimTime,
}

/// One billed resource of an instance's busy time.
#[derive(Clone, Debug, PartialEq)]
pub struct BusyRate {
    pub usd_per_instance_s: f64,
    /// Instance-seconds a month (730 h) that are free (0 without the free tier).
    pub free_instance_s_per_month: f64,
}

#[cfg(test)]
mod tests {
    use super::Mixed;

    #[test]
    fn mixed_splits_as_ec2_auto_scaling_rounds() {
        // Base 2, 70 % spot above it: 10 instances are 2 + ⌈30 % × 8 = 2.4⌉ = 5 on demand, 5 spot.
        let m = Mixed { on_demand_base: 2, spot_percent: 70 };
        let on_demand: Vec<u32> = (0..=10).map(|n| m.on_demand(n)).collect();
        assert_eq!(on_demand, [0, 1, 2, 3, 3, 3, 4, 4, 4, 5, 5]);
        // AWS's example: a base of 10 and 50/50 above it at 10, 20, 30, 40 instances: 10, 15, 20, 25 on demand.
        let aws = Mixed { on_demand_base: 10, spot_percent: 50 };
        assert_eq!([10, 20, 30, 40].map(|n| aws.on_demand(n)), [10, 15, 20, 25]);
        // All spot, and all on demand above the base.
        assert_eq!(Mixed { on_demand_base: 0, spot_percent: 100 }.on_demand(7), 0);
        assert_eq!(Mixed { on_demand_base: 1, spot_percent: 0 }.on_demand(7), 7);
    }
}
