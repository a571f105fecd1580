//! Failures of single servers and outages of a whole option, as rare events.
//!
//! Each server fails after an exponential time with mean `mtbf` (from its
//! own stream, so server k fails at the same times in every option with the
//! same failure model) and is back after `repair`. An outage takes every
//! instance down for `duration`; the next one comes an exponential time with
//! mean `mtbf` after the previous ended.

use rand_distr::{Distribution, Exp1};

use crate::model::{Failures, Outages};
use crate::rng::{Purpose, Stream, stream};
use crate::sim::event::{Event, EventQueue};
use crate::workload::Sampler;

struct FailureModel {
    mtbf_s: f64,
    repair: Sampler,
    /// One stream per server.
    streams: Vec<Stream>,
}

struct OutageModel {
    mtbf_s: f64,
    duration: Sampler,
    stream: Stream,
}

/// Which random streams a job's fixed servers and outages draw from: an
/// option across regions numbers its servers across the regions, and each
/// region's own outages have their own stream (the whole option's, 0, is
/// shared: every region goes down at once).
#[derive(Clone, Copy, Debug, Default)]
pub struct StreamIds {
    pub first_instance: u32,
    pub outages: u64,
}

/// Failure and outage state of one option in one replication.
pub struct Disruptions {
    failures: Option<FailureModel>,
    outages: Option<OutageModel>,
    failed: Vec<bool>,
    in_outage: bool,
}

/// An exponential draw with the given mean, in µs.
fn exp_us(rng: &mut Stream, mean_s: f64) -> u64 {
    let e: f64 = Exp1.sample(rng);
    (e * mean_s * 1e6) as u64
}

fn sample_us(dist: &Sampler, rng: &mut Stream) -> u64 {
    (dist.sample_s(rng) * 1e6) as u64
}

impl Disruptions {
    /// `failures` of the `instances` fixed servers, `outages` of the whole
    /// option; each from the streams of `ids` (the servers' numbers and the outage stream).
    pub fn new(
        failures: Option<&Failures>,
        outages: Option<&Outages>,
        instances: u32,
        ids: StreamIds,
        seed: u64,
        replication: u32,
    ) -> Disruptions {
        let failures = failures.map(|Failures { mtbf, repair }| FailureModel {
            mtbf_s: mtbf.as_secs_f64(),
            repair: Sampler::new(repair),
            streams: (0..instances)
                .map(|i| stream(seed, replication, Purpose::Failures, u64::from(ids.first_instance + i)))
                .collect(),
        });
        let outages = outages.map(|Outages { mtbf, duration }| OutageModel {
            mtbf_s: mtbf.as_secs_f64(),
            duration: Sampler::new(duration),
            stream: stream(seed, replication, Purpose::Outages, ids.outages),
        });
        Disruptions { failures, outages, failed: vec![false; instances as usize], in_outage: false }
    }

    /// Schedules the first failure of every server and the first outage.
    pub fn schedule_first(&mut self, events: &mut EventQueue) {
        if let Some(f) = &mut self.failures {
            for (i, rng) in f.streams.iter_mut().enumerate() {
                events.schedule(exp_us(rng, f.mtbf_s), Event::InstanceFails(i as u32));
            }
        }
        if let Some(o) = &mut self.outages {
            events.schedule(exp_us(&mut o.stream, o.mtbf_s), Event::OutageStarts);
        }
    }

    /// Applies a failure or outage event at `t` and schedules what follows.
    pub fn apply(&mut self, t_us: u64, event: Event, events: &mut EventQueue) {
        match event {
            Event::InstanceFails(i) => {
                if let Some(f) = &mut self.failures {
                    let rng = &mut f.streams[i as usize];
                    events.schedule(t_us + sample_us(&f.repair, rng), Event::InstanceRepaired(i));
                }
                self.failed[i as usize] = true;
            }
            Event::InstanceRepaired(i) => {
                if let Some(f) = &mut self.failures {
                    let rng = &mut f.streams[i as usize];
                    events.schedule(t_us + exp_us(rng, f.mtbf_s), Event::InstanceFails(i));
                }
                self.failed[i as usize] = false;
            }
            Event::OutageStarts => {
                if let Some(o) = &mut self.outages {
                    events.schedule(t_us + sample_us(&o.duration, &mut o.stream), Event::OutageEnds);
                }
                self.in_outage = true;
            }
            Event::OutageEnds => {
                if let Some(o) = &mut self.outages {
                    events.schedule(t_us + exp_us(&mut o.stream, o.mtbf_s), Event::OutageStarts);
                }
                self.in_outage = false;
            }
            _ => {}
        }
    }

    /// True if instance `i` is down for repair (only fixed servers fail).
    pub fn is_failed(&self, i: u32) -> bool {
        self.failed.get(i as usize).copied().unwrap_or(false)
    }

    pub fn in_outage(&self) -> bool {
        self.in_outage
    }
}
