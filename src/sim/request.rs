//! The stream of requests every option of a replication sees: arrival
//! times, user regions and demands, each from its own random stream, so all
//! options get the same requests (common random numbers) and none is stored.

use rand::Rng;

use crate::model::{HostingOption, Scenario};
use crate::rng::{Purpose, Stream, stream, unit_open0};
use crate::traffic::arrivals::Arrivals;
use crate::traffic::profile::RateProfile;
use crate::traffic::trace::TraceError;
use crate::workload::Sampler;

/// One request as an option sees it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Request {
    pub arrival_us: u64,
    /// CPU demand on a reference core, seconds.
    pub cpu_s: f64,
    /// Storage demand, seconds (0 without I/O).
    pub io_s: f64,
    /// Network round trip between the user and the option.
    pub rtt_us: u64,
}

/// Cumulative user-region shares and what each region maps to: its RTT to
/// one option, or (for an option across regions) its index.
struct UserRegions {
    cumulative: Vec<f64>,
    rtt_us: Vec<u64>,
    /// With local time: the profile giving the regions' weights over time,
    /// and the segment midpoint `cumulative` was computed for.
    local: Option<(Box<RateProfile>, f64)>,
}

impl UserRegions {
    /// Each user region as `value` maps it; `alone` without user regions.
    fn new(scenario: &Scenario, value: impl Fn(&str) -> u64, alone: u64) -> UserRegions {
        if scenario.traffic.users.is_empty() {
            return UserRegions { cumulative: vec![1.0], rtt_us: vec![alone], local: None };
        }
        let mut cumulative = vec![0.0; scenario.traffic.users.len()];
        running_sum(&mut cumulative, scenario.traffic.users.iter().map(|u| u.share));
        let rtts = scenario.traffic.users.iter().map(|u| value(&u.region)).collect();
        let profile = RateProfile::new(&scenario.traffic);
        let local = profile.is_local().then(|| (Box::new(profile), f64::NAN));
        UserRegions { cumulative, rtt_us: rtts, local }
    }

    /// The RTT of a region drawn for a request in the arrival segment whose
    /// middle is `mid_s`: by share, or with local time by each region's
    /// weight at that time (the weights the segment's rate sums).
    #[inline]
    fn draw<R: Rng>(&mut self, rng: &mut R, mid_s: impl FnOnce() -> f64) -> u64 {
        if self.rtt_us.len() == 1 {
            return self.rtt_us[0];
        }
        if let Some((profile, at_s)) = &mut self.local {
            let mid_s = mid_s();
            if *at_s != mid_s {
                *at_s = mid_s;
                running_sum(&mut self.cumulative, profile.user_weights(mid_s));
            }
        }
        let u = unit_open0(rng) * self.cumulative[self.cumulative.len() - 1];
        let i = self.cumulative.iter().position(|&c| u <= c).unwrap_or(self.rtt_us.len() - 1);
        self.rtt_us[i]
    }
}

/// Fills `out` with the running sums of `xs`: x0, x0 + x1, …
fn running_sum(out: &mut [f64], xs: impl Iterator<Item = f64>) {
    let mut total = 0.0;
    for (o, x) in out.iter_mut().zip(xs) {
        total += x;
        *o = total;
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
}

impl RequestStream {
    pub fn new(scenario: &Scenario, option: &HostingOption, replication: u32) -> RequestStream {
        let rtt_us = |region: &str| {
            let ms = scenario.network.rtt_ms(region, &option.region).unwrap_or(1.0);
            (ms * 1_000.0).round() as u64
        };
        RequestStream::with_users(scenario, UserRegions::new(scenario, rtt_us, rtt_us(&option.region)), replication)
    }

    /// The requests of an option across regions, before it picks a region:
    /// each one's `rtt_us` holds its user region's index in `[traffic] users`
    /// (the caller replaces it by the RTT to the region it picks).
    pub fn by_user_region(scenario: &Scenario, replication: u32) -> RequestStream {
        let users = &scenario.traffic.users;
        let index = |region: &str| users.iter().position(|u| u.region == region).unwrap_or(0) as u64;
        RequestStream::with_users(scenario, UserRegions::new(scenario, index, 0), replication)
    }

    fn with_users(scenario: &Scenario, users: UserRegions, replication: u32) -> RequestStream {
        let seed = scenario.seed;
        RequestStream {
            arrivals: Arrivals::new(
                &scenario.traffic,
                scenario.horizon,
                stream(seed, replication, Purpose::Arrivals, 0),
            ),
            cpu: Sampler::new(&scenario.workload.cpu),
            io: scenario.workload.io.as_ref().map(Sampler::new),
            users,
            cpu_rng: stream(seed, replication, Purpose::Cpu, 0),
            io_rng: stream(seed, replication, Purpose::Io, 0),
            user_rng: stream(seed, replication, Purpose::UserRegion, 0),
        }
    }
}

impl RequestStream {
    /// Why the trace being replayed ended early (it became unreadable or
    /// changed after validation), if it did: the run is then incomplete.
    pub fn trace_error(&self) -> Option<&TraceError> {
        self.arrivals.error()
    }
}

impl Iterator for RequestStream {
    type Item = Request;

    #[inline]
    fn next(&mut self) -> Option<Request> {
        let arrival_us = self.arrivals.next()?;
        let cpu_s = self.cpu.sample_s(&mut self.cpu_rng);
        let io_s = self.io.as_ref().map_or(0.0, |io| io.sample_s(&mut self.io_rng));
        let arrivals = &self.arrivals;
        let rtt_us = self.users.draw(&mut self.user_rng, || arrivals.segment_mid_s());
        Some(Request { arrival_us, cpu_s, io_s, rtt_us })
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn with_local_time_each_region_gets_its_own_lunch_peak() {
        // 20 rps, half from London (UTC+0) and half from Washington (UTC−5), hourly
        // weights 4 at 12:00–13:00 local and 1 elsewhere (mean 1.125). An hour whose
        // line between hour centres averages (1 + 6·4 + 1)/8 = 3.25 offers
        // 0.5 × 20 × 3,600 × 3.25 / 1.125 = 104,000 requests from that region; a night
        // hour 36,000 / 1.125 = 32,000. 12:00 UTC is London's lunch and 07:00 in
        // Washington; 17:00 UTC is Washington's lunch. Over the day, 864,000 each.
        // Tolerance: 4 Poisson standard deviations.
        let text = r#"
horizon = "1d"
[traffic]
base_rps = 20
profile = { hourly = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] }
users = { london = 0.5, washington = 0.5 }
local_time = true
[workload]
cpu = { dist = "constant", value = "1ms" }
[[option]]
name = "a"
kind = "bare_metal"
region = "london"
servers = 1
cores = 1
"#;
        let s = crate::scenario::parse_str(text, Path::new("local.toml")).unwrap();
        // [all day, 12:00–13:00, 17:00–18:00] × [London (1 ms away), Washington].
        let mut counts = [[0.0f64; 2]; 3];
        for r in RequestStream::new(&s, &s.options[0], 0) {
            let region = usize::from(r.rtt_us != 1_000);
            let hour = r.arrival_us / 3_600_000_000;
            counts[0][region] += 1.0;
            match hour {
                12 => counts[1][region] += 1.0,
                17 => counts[2][region] += 1.0,
                _ => {}
            }
        }
        let expected = [[864_000.0, 864_000.0], [104_000.0, 32_000.0], [32_000.0, 104_000.0]];
        for (got, want) in counts.iter().flatten().zip(expected.iter().flatten()) {
            assert!((got - want).abs() < 4.0 * want.sqrt(), "{counts:?}");
        }
    }
}
