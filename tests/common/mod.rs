//! Shared test support: scenario builders, queueing theory and the binary's
//! command line.

pub mod cli;
pub mod html;
pub mod logs;
pub mod theory;

use std::path::PathBuf;

use hostsim::model::*;
use hostsim::time::SimTime;

/// A bare-metal scenario: one option of `servers` × `cores`, Poisson arrivals
/// at `rps`, the given CPU demand, no I/O, users in the option's region.
pub fn bare_metal(servers: u32, cores: u32, rps: f64, cpu: Dist, horizon: SimTime, replications: u32) -> Scenario {
    Scenario {
        name: "test".into(),
        source: PathBuf::from("test.toml"),
        description: String::new(),
        horizon,
        warmup: SimTime(horizon.0 / 100),
        bucket: SimTime(horizon.0 / 10),
        seed: 11,
        replications,
        slo: None,
        traffic: Traffic { base_rps: rps, ..Traffic::default() },
        workload: Workload {
            cpu,
            io: None,
            io_ops: 0.0,
            response_kb: 0.0,
            timeout: SimTime::from_secs(3_600),
            db: None,
            db_queries: 1,
            db_holds_web_slot: true,
        },
        network: Network { regions: vec!["washington".into()], rtt_ms: vec![vec![0.0]] },
        catalog: Default::default(),
        options: vec![HostingOption {
            name: "metal".into(),
            region: "washington".into(),
            aws_region: Some("us-east-1".into()),
            routing: Routing::SharedQueue,
            max_queue: None,
            workers_per_vcpu: 1,
            cpu_speed: 1.0,
            egress: Egress::Flat { usd_per_gb: 0.0 },
            outages: None,
            load_balancer: None,
            grid: None,
            database: None,
            pool_size: None,
            kind: Kind::BareMetal(BareMetal {
                servers,
                cores,
                price_usd: 0.0,
                price_usd_per_core: 0.0,
                lifetime: SimTime(3 * 365 * SimTime::DAY.0),
                setup_usd: 0.0,
                colo_usd_per_month: 0.0,
                labour_usd_per_month: 0.0,
                power: None,
                failures: None,
            }),
            regions: None,
        }],
    }
}

/// The same scenario with its option turned into a VPS fleet of
/// `instances` × `vcpus`, priced like a Linode 4 GB.
pub fn vps(mut s: Scenario, instances: u32, vcpus: u32, neighbours: Option<Neighbours>) -> Scenario {
    s.options[0].kind =
        Kind::Vps(Vps { instances, vcpus, monthly_usd: 24.0, hourly_usd: 0.036, plan: None, neighbours });
    s
}

/// Decodes a PNG file: (width, height, number of distinct RGB colours).
pub fn decode_png(path: &std::path::Path) -> (u32, u32, usize) {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let mut colors: Vec<[u8; 3]> = buf[..info.buffer_size()].chunks(channels).map(|p| [p[0], p[1], p[2]]).collect();
    colors.sort_unstable();
    colors.dedup();
    (info.width, info.height, colors.len())
}

/// The same scenario with its option turned into `dynos` Heroku-like dynos of
/// one vCPU, random routing, a 50-request backlog and a 30 s router timeout.
pub fn paas(mut s: Scenario, dynos: u32, sleep: Option<Sleep>, autoscaling: Option<PaasAutoscaling>) -> Scenario {
    s.options[0].routing = Routing::Random;
    s.options[0].kind = Kind::Paas(Paas {
        dyno: None,
        vcpus: 1,
        cpu_share: 1.0,
        monthly_usd: 50.0,
        pool_hours: None,
        dynos,
        router_overhead: SimTime(1_000),
        router_timeout: SimTime::from_secs(30),
        backlog: 50,
        boot: Dist::Constant { value_s: 10.0 },
        sleep,
        autoscaling,
    });
    s
}
