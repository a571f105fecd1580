//! What a scenario asks of each option, worked out from the file alone
//! (nothing is simulated), for `hostsim validate`: the requests expected,
//! the mean and peak offered rate and when the peak is, the mean CPU demand,
//! and per option the load offered against its capacity. Capacity comes
//! from the hosting model (`Hosting`), never from the kind.

use crate::hosting;
use crate::model::{HostingOption, Network, Scenario, Workload};
use crate::time::SimTime;
use crate::traffic::profile::{RateProfile, expected_requests};
use crate::traffic::replay::TraceRates;
use crate::traffic::trace::TraceError;

/// The grid a profile's rate is sampled on for its peak: the 60 s of the
/// clock, cut at spike edges as the arrivals are (longer steps past a
/// million of them, so any horizon takes little time).
const STEP_S: f64 = 60.0;
const MAX_STEPS: f64 = 1_000_000.0;

/// The offered traffic of a scenario and each option's load.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub horizon: SimTime,
    /// Expected arrivals over the horizon.
    pub requests: f64,
    /// Requests per second: `requests` / horizon.
    pub mean_rps: f64,
    /// The highest rate of the profile (sampled) or of a trace's rows.
    pub peak_rps: f64,
    /// When the peak starts, from t = 0.
    pub peak_at_s: f64,
    /// With a recorded trace, its first row's timestamp in seconds (t = 0);
    /// `None` for a profile (t = 0 is Monday 00:00).
    pub trace_origin_s: Option<f64>,
    /// Mean CPU time per request on a reference core.
    pub cpu_mean_s: f64,
    /// Mean storage time per request (0 without I/O).
    pub io_mean_s: f64,
    pub options: Vec<Load>,
}

/// One option's capacity and the load offered to it at the mean and peak rate.
#[derive(Clone, Debug, PartialEq)]
pub struct Load {
    pub name: String,
    /// Cores (vCPUs) serving at the start: the fixed instances' and the fleet's initial instances'.
    pub cores: u64,
    /// Cores at the autoscaling maximum, if the option autoscales.
    pub max_cores: Option<u64>,
    /// Cores busy with CPU work at the mean and at the peak rate (after `cpu_speed` and a dyno's share).
    pub cpu_mean_cores: f64,
    pub cpu_peak_cores: f64,
    /// Request slots (cores × workers per vCPU) at the start, and at the autoscaling maximum.
    pub slots: u64,
    pub max_slots: Option<u64>,
    /// Slots busy (CPU and I/O time, and its queries' when it holds its
    /// slot across them) at the mean and peak rate.
    pub busy_mean: f64,
    pub busy_peak: f64,
    /// Its database's utilisation (the busier of primary and replicas) at the mean and peak rate.
    pub db: Option<(f64, f64)>,
    /// Requests hold their slots across their queries.
    pub queries_hold_slots: bool,
}

/// Whether an option can carry the offered load, judged by its busy slots
/// (a queue grows without bound once they reach the slots there are).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Within its capacity at the peak.
    Fits,
    /// Within its autoscaling maximum, beyond what it starts with.
    NeedsScaling,
    /// Beyond its capacity at the peak (but not at the mean).
    OverloadedAtPeak,
    /// Beyond its capacity at the mean rate already.
    OverloadedAtMean,
    /// Beyond even its autoscaling maximum at the peak.
    OverloadedAtMax,
}

impl Load {
    pub fn verdict(&self) -> Verdict {
        match self.max_slots {
            Some(max) if self.busy_peak >= max as f64 => Verdict::OverloadedAtMax,
            Some(_) if self.busy_peak >= self.slots as f64 => Verdict::NeedsScaling,
            Some(_) => Verdict::Fits,
            None if self.busy_mean >= self.slots as f64 => Verdict::OverloadedAtMean,
            None if self.busy_peak >= self.slots as f64 => Verdict::OverloadedAtPeak,
            None => Verdict::Fits,
        }
    }

    /// True when slots and busy slots say more than cores and CPU demand
    /// (several workers per vCPU, or I/O time holding slots).
    pub fn slots_differ(&self) -> bool {
        self.slots != self.cores || (self.busy_peak - self.cpu_peak_cores).abs() > 1e-9 * self.busy_peak.max(1.0)
    }
}

impl Plan {
    /// The plan of a validated scenario; fails only if its trace became
    /// unreadable since it was validated.
    pub fn of(s: &Scenario) -> Result<Plan, TraceError> {
        let (requests, peak_rps, peak_at_s, trace_origin_s) = match &s.traffic.trace {
            Some(trace) => trace_rates(trace, s.horizon)?,
            None => {
                let (requests, peak_rps, peak_at_s) = profile_rates(&RateProfile::new(&s.traffic), s.horizon);
                (requests, peak_rps, peak_at_s, None)
            }
        };
        let mean_rps = requests / s.horizon.as_secs_f64();
        let cpu_mean_s = s.workload.cpu.mean_s();
        let io_mean_s = s.workload.io.as_ref().map_or(0.0, |d| d.mean_s());
        let options = s.options.iter().map(|o| load(o, &s.workload, &s.network, mean_rps, peak_rps)).collect();
        Ok(Plan {
            horizon: s.horizon,
            requests,
            mean_rps,
            peak_rps,
            peak_at_s,
            trace_origin_s,
            cpu_mean_s,
            io_mean_s,
            options,
        })
    }
}

/// Expected requests (the profile's integral, as `limits` estimates them),
/// the highest rate on the grid and where it starts.
fn profile_rates(profile: &RateProfile, horizon: SimTime) -> (f64, f64, f64) {
    let end = horizon.as_secs_f64();
    let step = (end / MAX_STEPS).max(STEP_S);
    let (mut t, mut peak, mut peak_at) = (0.0, profile.rate_at(0.0), 0.0);
    while t < end {
        let rate = profile.rate_at(t);
        if rate > peak {
            (peak, peak_at) = (rate, t);
        }
        t = profile.piece_end_s(t, step);
    }
    (expected_requests(profile, horizon), peak, peak_at)
}

/// Requests of a trace's rows within the horizon (× scale), the busiest
/// row's rate and start, and the first row's timestamp.
fn trace_rates(trace: &crate::model::Trace, horizon: SimTime) -> Result<(f64, f64, f64, Option<f64>), TraceError> {
    let mut rows = TraceRates::open(trace)?;
    let end = horizon.as_secs_f64();
    let (mut t, mut total, mut peak, mut peak_at) = (0.0, 0.0, 0.0, 0.0);
    while t < end {
        let (next, rate) = rows.segment(t, end);
        total += rate * (next - t);
        if rate > peak {
            (peak, peak_at) = (rate, t);
        }
        t = next;
    }
    match rows.error() {
        Some(e) => Err(e.clone()),
        None => Ok((total, peak, peak_at, rows.origin_s())),
    }
}

/// An option's capacity, asked of its hosting model, and its load: CPU
/// demand is rate × mean CPU time / (cpu_speed × the share of a vCPU), as
/// the engine divides it; a request holds its slot for its CPU time and
/// its I/O time (× the fleet's storage latency factor when the fleet is
/// all the option has; fixed instances' storage is local), and with a
/// database that holds the slot, its queries' service and round trips.
fn load(o: &HostingOption, w: &Workload, network: &Network, mean_rps: f64, peak_rps: f64) -> Load {
    let (cpu_mean_s, io_mean_s) = (w.cpu.mean_s(), w.io.as_ref().map_or(0.0, |d| d.mean_s()));
    let db = o.database.as_ref().zip(w.db.as_ref());
    // Server-seconds of queries per request, and what a query holds its slot for.
    let query_s = db.map_or(0.0, |(_, d)| f64::from(w.db_queries) * d.mean_s());
    let held_s = db
        .filter(|_| w.db_holds_web_slot)
        .map_or(0.0, |(db, _)| query_s + f64::from(w.db_queries) * db.rtt_from(&o.region, network).as_secs_f64());
    let model = hosting::model(o);
    let fixed_cores = u64::from(model.fixed_instances()) * u64::from(model.vcpus_per_instance());
    let fleet = model.fleet();
    let fleet_cores = |n: u32| fleet.as_ref().map_or(0, |f| u64::from(n) * u64::from(f.vcpus));
    let mut cores = fixed_cores + fleet_cores(fleet.as_ref().map_or(0, |f| f.initial));
    let mut max_cores = fleet.as_ref().and_then(|f| f.autoscaling.as_ref()).map(|a| fixed_cores + fleet_cores(a.max));
    if let Some(s) = model.serverless() {
        // Instances start on demand: its warm ones at least, max_instances at most (vCPUs rounded up).
        let vcpus = |n: u32| (f64::from(n) * s.vcpus).ceil() as u64;
        (cores, max_cores) = (vcpus(s.warm), Some(vcpus(s.max_instances)));
    }
    let cpu_factor = 1.0 / (o.cpu_speed * model.cpu_share());
    let io_factor = match &fleet {
        Some(f) if fixed_cores == 0 => f.storage.latency_factor,
        _ => 1.0,
    };
    let cpu_s = cpu_mean_s * cpu_factor;
    let busy_s = cpu_s + io_mean_s * io_factor + held_s;
    let workers = u64::from(o.workers_per_vcpu);
    Load {
        name: o.name.clone(),
        cores,
        max_cores,
        cpu_mean_cores: mean_rps * cpu_s,
        cpu_peak_cores: peak_rps * cpu_s,
        slots: cores * workers,
        max_slots: max_cores.map(|c| c * workers),
        busy_mean: mean_rps * busy_s,
        busy_peak: peak_rps * busy_s,
        db: db.map(|(db, _)| (db.busiest(mean_rps * query_s), db.busiest(peak_rps * query_s))),
        queries_hold_slots: held_s > 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Diurnal, Spike};

    fn scenario(text: &str) -> Scenario {
        crate::scenario::parse_str(text, std::path::Path::new("plan.toml")).unwrap()
    }

    const COLO: &str = r#"
horizon = "1d"
[traffic]
base_rps = 50
[workload]
cpu = { dist = "exponential", mean = "60ms" }
[[option]]
name = "colo"
kind = "bare_metal"
region = "london"
servers = 2
cores = 8
"#;

    #[test]
    fn a_flat_rate_on_bare_metal() {
        let p = Plan::of(&scenario(COLO)).unwrap();
        // 50 rps × 86,400 s = 4,320,000 requests; the mean and the peak are 50 rps.
        assert_eq!(p.requests, 4_320_000.0);
        assert_eq!((p.mean_rps, p.peak_rps, p.peak_at_s), (50.0, 50.0, 0.0));
        let colo = &p.options[0];
        // 50 rps × 60 ms = 3.0 cores of 2 × 8 = 16.
        assert_eq!(colo.cores, 16);
        assert!((colo.cpu_mean_cores - 3.0).abs() < 1e-12);
        assert!((colo.busy_peak - 3.0).abs() < 1e-12);
        assert_eq!((colo.max_cores, colo.verdict(), colo.slots_differ()), (None, Verdict::Fits, false));
    }

    #[test]
    fn a_diurnal_peak_and_its_time() {
        let text = COLO.replace("base_rps = 50", "base_rps = 50\ndiurnal = { amplitude = 0.6, peak_hour = 14 }");
        let p = Plan::of(&scenario(&text)).unwrap();
        // A whole cycle averages base_rps; the peak is 50 × 1.6 = 80 rps at 14:00.
        assert!((p.mean_rps / 50.0 - 1.0).abs() < 1e-6, "{}", p.mean_rps);
        assert!((p.peak_rps - 80.0).abs() < 1e-9);
        assert_eq!(p.peak_at_s, 14.0 * 3600.0);
        // 80 rps × 60 ms = 4.8 cores at the peak.
        assert!((p.options[0].cpu_peak_cores - 4.8).abs() < 1e-9);
    }

    #[test]
    fn a_spike_shorter_than_a_step_is_seen() {
        // A 2 s × 100 spike at 1000 s: the grid is cut at its edges, so its 10 × 100 = 1,000 rps are found.
        let mut t = scenario(COLO).traffic;
        t.spikes.push(Spike {
            at: SimTime::from_secs(1000),
            duration: SimTime::from_secs(2),
            ramp: SimTime::ZERO,
            multiplier: 100.0,
            every: None,
            until: None,
        });
        t.base_rps = 10.0;
        let (requests, peak, at) = profile_rates(&RateProfile::new(&t), SimTime::HOUR);
        // 3,600 × 10 + 2 × 10 × 99 = 37,980 requests.
        assert_eq!((requests, peak, at), (37_980.0, 1_000.0, 1000.0));
        t.spikes.clear();
        t.diurnal = Some(Diurnal { amplitude: 0.5, peak_hour: 6.5 });
        let (_, peak, at) = profile_rates(&RateProfile::new(&t), SimTime::DAY);
        assert_eq!((peak, at), (15.0, 6.5 * 3600.0));
    }

    #[test]
    fn overloads_are_flagged_at_the_mean_and_at_the_peak() {
        // 2 cores: 50 rps × 60 ms = 3.0 busy cores at the mean already.
        let small = COLO.replace("servers = 2\ncores = 8", "servers = 1\ncores = 2");
        assert_eq!(Plan::of(&scenario(&small)).unwrap().options[0].verdict(), Verdict::OverloadedAtMean);
        // 4 cores: 3.0 at the mean, 1.6 × 3.0 = 4.8 at the peak.
        let four = small
            .replace("cores = 2", "cores = 4")
            .replace("base_rps = 50", "base_rps = 50\ndiurnal = { amplitude = 0.6 }");
        assert_eq!(Plan::of(&scenario(&four)).unwrap().options[0].verdict(), Verdict::OverloadedAtPeak);
        // Two workers per core: 8 slots carry the 4.8 busy at the peak.
        let workers = four.replace("cores = 4", "cores = 4\nworkers_per_vcpu = 2");
        let load = &Plan::of(&scenario(&workers)).unwrap().options[0];
        assert_eq!((load.slots, load.verdict(), load.slots_differ()), (8, Verdict::Fits, true));
    }

    #[test]
    fn io_holds_slots_and_cpu_speed_divides_cpu_time() {
        // 50 rps × (60 ms / 1.5 + 20 ms) = 50 × 60 ms = 3.0 busy slots; CPU alone 50 × 40 ms = 2.0 cores.
        let text = COLO
            .replace("mean = \"60ms\" }", "mean = \"60ms\" }\nio = { dist = \"constant\", value = \"20ms\" }")
            .replace("cores = 8", "cores = 8\ncpu_speed = 1.5");
        let p = Plan::of(&scenario(&text)).unwrap();
        let colo = &p.options[0];
        assert!((colo.cpu_mean_cores - 2.0).abs() < 1e-12 && (colo.busy_mean - 3.0).abs() < 1e-12, "{colo:?}");
        assert!(colo.slots_differ());
        assert!((p.io_mean_s - 0.02).abs() < 1e-15);
    }

    #[test]
    fn serverless_options_are_judged_against_their_maximum_instances() {
        // 50 rps × 60 ms = 3 cores at the mean; a Lambda function of 1,769 MB (one vCPU)
        // has none until it starts some, and up to max_instances = 10 of them: 10 cores.
        let text = COLO.replace(
            "kind = \"bare_metal\"\nregion = \"london\"\nservers = 2\ncores = 8",
            "kind = \"serverless\"\nregion = \"london\"\nmemory_mb = 1769\nmax_instances = 10",
        );
        let s = scenario(&text);
        let l = load(&s.options[0], &s.workload, &s.network, 50.0, 50.0);
        assert_eq!((l.cores, l.max_cores), (0, Some(10)));
        assert!((l.cpu_mean_cores - 3.0).abs() < 1e-12);
    }

    #[test]
    fn autoscaling_options_are_judged_against_their_maximum_fleet() {
        // 2 × c5.large (2 vCPUs) to start, at most 3: 4 cores, 6 at most.
        let iaas = |max: u32| {
            COLO.replace(
                "kind = \"bare_metal\"\nregion = \"london\"\nservers = 2\ncores = 8",
                &format!(
                    "kind = \"iaas\"\nregion = \"washington\"\nvcpus = 2\nhourly_usd = 0.1\n\
                     autoscaling = {{ policy = \"target_tracking\", metric = \"cpu\", target = 0.6, min = 1, max = {max} }}\ninitial = 2"
                ),
            )
        };
        let load = Plan::of(&scenario(&iaas(3))).unwrap().options.remove(0);
        // 3.0 busy of 4 to start: fits.
        assert_eq!((load.cores, load.max_cores, load.verdict()), (4, Some(6), Verdict::Fits));
        // 100 rps × 60 ms = 6.0 busy: beyond the 4 it starts with, at its maximum of 6 ⇒ overloaded;
        // with max = 4 (8 cores) it needs scaling but fits.
        let heavy = |max| iaas(max).replace("base_rps = 50", "base_rps = 100");
        assert_eq!(Plan::of(&scenario(&heavy(3))).unwrap().options[0].verdict(), Verdict::OverloadedAtMax);
        assert_eq!(Plan::of(&scenario(&heavy(4))).unwrap().options[0].verdict(), Verdict::NeedsScaling);
    }
}
