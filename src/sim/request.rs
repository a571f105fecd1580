//! The stream of requests every option of a replication sees: arrival
//! times, user regions and demands, each from its own random stream, so all
//! options get the same requests (common random numbers) and none is stored.

use rand::Rng;

use crate::scenario::model::{HostingOption, Scenario};
use crate::sim::rng::{Purpose, Stream, stream, unit_open0};
use crate::traffic::arrivals::Arrivals;
use crate::traffic::profile::RateProfile;
use crate::workload::Sampler;

/// One request as an option sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Request {
    pub arrival_us: u64,
    /// Time holding a slot on this option's hardware.
    pub service_us: u64,
    /// Network round trip between the user and the option.
    pub rtt_us: u64,
}

/// Cumulative user-region shares and each region's RTT to one option.
struct UserRegions {
    cumulative: Vec<f64>,
    rtt_us: Vec<u64>,
}

impl UserRegions {
    fn new(scenario: &Scenario, option: &HostingOption) -> UserRegions {
        let rtt_us = |region: &str| {
            let ms = scenario.network.rtt_ms(region, &option.region).unwrap_or(1.0);
            (ms * 1_000.0).round() as u64
        };
        if scenario.traffic.users.is_empty() {
            return UserRegions { cumulative: vec![1.0], rtt_us: vec![rtt_us(&option.region)] };
        }
        let mut total = 0.0;
        let cumulative = scenario.traffic.users.iter().map(|u| {
            total += u.share;
            total
        });
        let cumulative = cumulative.collect();
        let rtts = scenario.traffic.users.iter().map(|u| rtt_us(&u.region)).collect();
        UserRegions { cumulative, rtt_us: rtts }
    }

    #[inline]
    fn draw<R: Rng>(&self, rng: &mut R) -> u64 {
        if self.rtt_us.len() == 1 {
            return self.rtt_us[0];
        }
        let u = unit_open0(rng) * self.cumulative[self.cumulative.len() - 1];
        let i = self.cumulative.iter().position(|&c| u <= c).unwrap_or(self.rtt_us.len() - 1);
        self.rtt_us[i]
    }
}

/// Generates an option's view of a replication's requests, in arrival order.
pub struct RequestStream {
    arrivals: Arrivals,
    cpu: Sampler,
    io: Option<Sampler>,
    users: UserRegions,
    cpu_rng: Stream,
    io_rng: Stream,
    user_rng: Stream,
    /// Seconds of service per second of reference CPU demand.
    cpu_factor: f64,
    /// Seconds of service per second of reference storage demand.
    io_factor: f64,
}

impl RequestStream {
    pub fn new(scenario: &Scenario, option: &HostingOption, replication: u32) -> RequestStream {
        let seed = scenario.seed;
        RequestStream {
            arrivals: Arrivals::new(
                RateProfile::new(&scenario.traffic),
                scenario.horizon,
                stream(seed, replication, Purpose::Arrivals),
            ),
            cpu: Sampler::new(&scenario.workload.cpu),
            io: scenario.workload.io.as_ref().map(Sampler::new),
            users: UserRegions::new(scenario, option),
            cpu_rng: stream(seed, replication, Purpose::Cpu),
            io_rng: stream(seed, replication, Purpose::Io),
            user_rng: stream(seed, replication, Purpose::UserRegion),
            cpu_factor: 1.0 / option.cpu_speed,
            io_factor: 1.0,
        }
    }
}

impl Iterator for RequestStream {
    type Item = Request;

    #[inline]
    fn next(&mut self) -> Option<Request> {
        let arrival_us = self.arrivals.next()?;
        let mut service_s = self.cpu.sample_s(&mut self.cpu_rng) * self.cpu_factor;
        if let Some(io) = &self.io {
            service_s += io.sample_s(&mut self.io_rng) * self.io_factor;
        }
        let rtt_us = self.users.draw(&mut self.user_rng);
        // Demands are never negative, so adding 0.5 and truncating rounds to the nearest µs.
        Some(Request { arrival_us, service_us: (service_s * 1e6 + 0.5) as u64, rtt_us })
    }
}
