//! The resolved scenario written back as TOML (`resolved.toml`): every
//! default filled in and the RTT of every region pair spelled out, so a run
//! can be repeated exactly. Reading it back gives an equal `Scenario`.

use std::fmt::Write;

use super::autoscaling::{metric_name, policy_name};
use super::duration::format_duration;
use super::model::{Autoscaling, Dist, Iaas, Kind, Paas, Policy, Scenario, StorageKind};
use crate::catalog::{Provenance, UserCatalog};
use crate::time::SimTime;

/// Writes `s` as a scenario file, with `hostsim_version` at the top.
pub fn to_toml(s: &Scenario) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_all(&mut out, s);
    out
}

fn write_all(o: &mut String, s: &Scenario) -> std::fmt::Result {
    writeln!(o, "# Written by hostsim: the scenario as it ran, every default filled in.")?;
    writeln!(o, "hostsim_version = {}", string(env!("CARGO_PKG_VERSION")))?;
    writeln!(o, "name = {}", string(&s.name))?;
    writeln!(o, "horizon = {}", duration(s.horizon))?;
    writeln!(o, "warmup = {}", duration(s.warmup))?;
    writeln!(o, "bucket = {}", duration(s.bucket))?;
    match i64::try_from(s.seed) {
        Ok(seed) => writeln!(o, "seed = {seed}")?,
        Err(_) => writeln!(o, "seed = \"{}\"", s.seed)?,
    }
    writeln!(o, "replications = {}", s.replications)?;
    if let Some(slo) = &s.slo {
        writeln!(o, "\n[slo]")?;
        if let Some(p99) = slo.p99_ms {
            writeln!(o, "p99_ms = {}", number(p99))?;
        }
        if let Some(success) = slo.success {
            writeln!(o, "success = {}", number(success))?;
        }
    }
    let t = &s.traffic;
    writeln!(o, "\n[traffic]")?;
    if t.trace.is_none() {
        writeln!(o, "base_rps = {}", number(t.base_rps))?;
    }
    if let Some(d) = &t.diurnal {
        writeln!(o, "diurnal = {{ amplitude = {}, peak_hour = {} }}", number(d.amplitude), number(d.peak_hour))?;
    }
    if let Some(w) = &t.weekly {
        writeln!(o, "weekly = {{ weekend_factor = {} }}", number(w.weekend_factor))?;
    }
    if let Some(g) = &t.growth {
        writeln!(o, "growth = {{ per_month = {} }}", number(g.per_month))?;
    }
    if !t.users.is_empty() {
        let users: Vec<String> = t.users.iter().map(|u| format!("{} = {}", key(&u.region), number(u.share))).collect();
        writeln!(o, "users = {{ {} }}", users.join(", "))?;
    }
    if let Some(trace) = &t.trace {
        writeln!(o, "\n[traffic.trace]")?;
        writeln!(o, "file = {}", string(&trace.path.to_string_lossy()))?;
        writeln!(o, "time_column = {}", string(&trace.time_column))?;
        writeln!(o, "count_column = {}", string(&trace.count_column))?;
        writeln!(o, "bucket = {}", duration(trace.bucket))?;
        writeln!(o, "scale = {}", number(trace.scale))?;
        if let Some(start) = trace.start {
            writeln!(o, "start = {}", number(start))?;
        }
        writeln!(
            o,
            "# {} rows, {} requests before scale, {} long",
            trace.rows,
            number(trace.total_requests),
            format_duration(trace.length)
        )?;
    }
    for spike in &t.spikes {
        writeln!(o, "\n[[traffic.spike]]")?;
        writeln!(o, "at = {}", duration(spike.at))?;
        writeln!(o, "duration = {}", duration(spike.duration))?;
        writeln!(o, "ramp = {}", duration(spike.ramp))?;
        writeln!(o, "multiplier = {}", number(spike.multiplier))?;
    }
    let w = &s.workload;
    writeln!(o, "\n[workload]")?;
    writeln!(o, "cpu = {}", dist(&w.cpu))?;
    if let Some(io) = &w.io {
        writeln!(o, "io = {}", dist(io))?;
    }
    writeln!(o, "io_ops = {}", number(w.io_ops))?;
    writeln!(o, "response_kb = {}", number(w.response_kb))?;
    writeln!(o, "timeout = {}", duration(w.timeout))?;
    let net = &s.network;
    if !net.regions.is_empty() {
        writeln!(o, "\n[network.rtt_ms]   # round trips in ms between every region in use")?;
        for (i, a) in net.regions.iter().enumerate() {
            let row: Vec<String> = net.regions[i..]
                .iter()
                .enumerate()
                .filter_map(|(k, b)| Some(format!("{} = {}", key(b), number(*net.rtt_ms.get(i)?.get(i + k)?))))
                .collect();
            writeln!(o, "{} = {{ {} }}", key(a), row.join(", "))?;
        }
    }
    write_catalog(o, &s.catalog.user())?;
    for opt in &s.options {
        writeln!(o, "\n[[option]]")?;
        writeln!(o, "name = {}", string(&opt.name))?;
        writeln!(o, "kind = {}", string(opt.kind.as_str()))?;
        writeln!(o, "region = {}", string(&opt.region))?;
        writeln!(o, "routing = {}", string(opt.routing.as_str()))?;
        if let Some(q) = opt.max_queue {
            writeln!(o, "max_queue = {q}")?;
        }
        writeln!(o, "workers_per_vcpu = {}", opt.workers_per_vcpu)?;
        writeln!(o, "cpu_speed = {}", number(opt.cpu_speed))?;
        writeln!(o, "egress_usd_per_gb = {}", number(opt.egress_usd_per_gb))?;
        for (k, v) in kind_pairs(&opt.kind) {
            writeln!(o, "{k} = {v}")?;
        }
        if let Some(out) = &opt.outages {
            writeln!(
                o,
                "outages = {{ mtbf = {}, duration = {} }}",
                duration(out.mtbf),
                duration_or_dist(&out.duration)
            )?;
        }
    }
    Ok(())
}

/// The kind-specific keys of an option (or of a hybrid's baseline), as `key = value` pairs.
fn kind_pairs(kind: &Kind) -> Vec<(&'static str, String)> {
    let mut p: Vec<(&'static str, String)> = Vec::new();
    match kind {
        Kind::BareMetal(b) => {
            p.push(("servers", b.servers.to_string()));
            p.push(("cores", b.cores.to_string()));
            p.push(("price_usd", number(b.price_usd)));
            p.push(("lifetime", duration(b.lifetime)));
            p.push(("setup_usd", number(b.setup_usd)));
            p.push(("colo_usd_per_month", number(b.colo_usd_per_month)));
            p.push(("labour_usd_per_month", number(b.labour_usd_per_month)));
            if let Some(w) = &b.power {
                let pue = number(w.pue);
                let (idle, max, kwh) = (number(w.idle_w), number(w.max_w), number(w.usd_per_kwh));
                p.push(("power", format!("{{ idle_w = {idle}, max_w = {max}, usd_per_kwh = {kwh}, pue = {pue} }}")));
            }
            if let Some(f) = &b.failures {
                let (mtbf, repair) = (duration(f.mtbf), duration_or_dist(&f.repair));
                p.push(("failures", format!("{{ mtbf = {mtbf}, repair = {repair} }}")));
            }
        }
        Kind::Vps(v) => {
            p.push(("instances", v.instances.to_string()));
            if let Some(plan) = &v.plan {
                p.push(("plan", string(plan)));
            }
            p.push(("vcpus", v.vcpus.to_string()));
            p.push(("monthly_usd", number(v.monthly_usd)));
            p.push(("hourly_usd", number(v.hourly_usd)));
            if let Some(n) = &v.neighbours {
                p.push((
                    "neighbours",
                    format!(
                        "{{ host_cores = {}, count = {}, vcpus = {}, utilization = {}, period = {}, io_slowdown = {} }}",
                        n.host_cores,
                        n.count,
                        n.vcpus,
                        number(n.utilization),
                        duration(n.period),
                        number(n.io_slowdown)
                    ),
                ));
            }
        }
        Kind::Iaas(i) => p.extend(iaas_pairs(i)),
        Kind::Hybrid(h) => {
            let mut baseline = vec![("kind", string(h.baseline.as_str()))];
            baseline.extend(kind_pairs(&h.baseline));
            p.push(("baseline", inline(&baseline)));
            p.push(("burst", inline(&iaas_pairs(&h.burst))));
        }
        Kind::Paas(d) => p.extend(paas_pairs(d)),
    }
    p
}

/// The keys of an iaas option or burst pool.
fn iaas_pairs(i: &Iaas) -> Vec<(&'static str, String)> {
    let mut p: Vec<(&'static str, String)> = Vec::new();
    if let Some(instance) = &i.instance {
        p.push(("instance", string(instance)));
    }
    p.push(("vcpus", i.vcpus.to_string()));
    p.push(("hourly_usd", number(i.hourly_usd)));
    p.push(("initial", i.initial.to_string()));
    p.push(("boot", duration_or_dist(&i.boot)));
    let b = &i.billing;
    p.push(("billing", format!("{{ granularity = {}, minimum = {} }}", duration(b.granularity), duration(b.minimum))));
    let s = &i.storage;
    let kind = match s.kind {
        StorageKind::Local => "local",
        StorageKind::Network => "network",
    };
    let mut storage = vec![("kind", string(kind)), ("latency_factor", number(s.latency_factor))];
    if let Some(iops) = s.iops {
        storage.push(("iops", number(iops)));
    }
    storage.push(("usd_per_month", number(s.usd_per_month)));
    p.push(("storage", inline(&storage)));
    if let Some(a) = &i.autoscaling {
        p.push(("autoscaling", autoscaling(a)));
    }
    p
}

/// The keys of a paas option, named as in DESIGN §2 and §3.4 and read back
/// by `paas::read` (`sleep_after` and `wake` only when the dynos sleep).
fn paas_pairs(d: &Paas) -> Vec<(&'static str, String)> {
    let mut p: Vec<(&'static str, String)> = Vec::new();
    if let Some(dyno) = &d.dyno {
        p.push(("dyno", string(dyno)));
    }
    p.push(("vcpus", d.vcpus.to_string()));
    p.push(("cpu_share", number(d.cpu_share)));
    p.push(("monthly_usd", number(d.monthly_usd)));
    if let Some(hours) = d.pool_hours {
        p.push(("pool_hours", number(hours)));
    }
    p.push(("dynos", d.dynos.to_string()));
    p.push(("router_overhead", duration(d.router_overhead)));
    p.push(("router_timeout", duration(d.router_timeout)));
    p.push(("backlog", d.backlog.to_string()));
    p.push(("boot", duration_or_dist(&d.boot)));
    if let Some(sleep) = &d.sleep {
        p.push(("sleep_after", duration(sleep.after)));
        p.push(("wake", duration(sleep.wake)));
    }
    if let Some(a) = &d.autoscaling {
        let p95 = number(a.p95_ms);
        p.push(("autoscaling", format!("{{ min = {}, max = {}, p95_ms = {p95} }}", a.min, a.max)));
    }
    p
}

/// An autoscaling table with every key of its policy.
fn autoscaling(a: &Autoscaling) -> String {
    let mut p = vec![
        ("policy", string(policy_name(&a.policy))),
        ("min", a.min.to_string()),
        ("max", a.max.to_string()),
        ("warmup", duration(a.warmup)),
    ];
    match &a.policy {
        Policy::TargetTracking { metric, target }
        | Policy::Hpa { metric, target }
        | Policy::Predictive { metric, target } => {
            p.push(("metric", string(metric_name(*metric))));
            p.push(("target", number(*target)));
        }
        Policy::Step { steps, below, remove, cooldown } => {
            p.push(("metric", string("cpu")));
            let steps: Vec<String> =
                steps.iter().map(|s| format!("{{ above = {}, add = {} }}", number(s.above), s.add)).collect();
            p.push(("steps", format!("[{}]", steps.join(", "))));
            p.push(("below", number(*below)));
            p.push(("remove", remove.to_string()));
            p.push(("cooldown", duration(*cooldown)));
        }
        Policy::Heroku { p95_ms } => p.push(("p95_ms", number(*p95_ms))),
    }
    if !a.schedule.is_empty() {
        let entries: Vec<String> = a
            .schedule
            .iter()
            .map(|s| {
                let mut e = vec![("at", duration(s.at))];
                if let Some(every) = s.every {
                    e.push(("every", duration(every)));
                }
                e.push(("min", s.min.to_string()));
                inline(&e)
            })
            .collect();
        p.push(("schedule", format!("[{}]", entries.join(", "))));
    }
    inline(&p)
}

/// `{ k = v, … }`.
fn inline(pairs: &[(&str, String)]) -> String {
    let parts: Vec<String> = pairs.iter().map(|(k, v)| format!("{k} = {v}")).collect();
    format!("{{ {} }}", parts.join(", "))
}

/// The user's catalog entries, each with its source and date spelled out.
fn write_catalog(o: &mut String, c: &UserCatalog) -> std::fmt::Result {
    let optional = |o: &mut String, key: &str, value: Option<String>| match value {
        Some(v) => writeln!(o, "{key} = {v}"),
        None => Ok(()),
    };
    let provenance = |o: &mut String, p: &Provenance| {
        writeln!(o, "source = {}", string(&p.source))?;
        writeln!(o, "date = {}", string(&p.date))
    };
    for (id, e) in &c.vps {
        writeln!(o, "\n[catalog.vps.{}]", key(id))?;
        optional(o, "provider", e.provider.as_deref().map(string))?;
        optional(o, "vcpus", e.vcpus.map(|v| v.to_string()))?;
        optional(o, "memory_gb", e.memory_gb.map(number))?;
        optional(o, "monthly_usd", e.monthly_usd.map(number))?;
        optional(o, "hourly_usd", e.hourly_usd.map(number))?;
        provenance(o, &e.provenance)?;
    }
    for (name, e) in &c.ec2 {
        writeln!(o, "\n[catalog.ec2.{}]", key(name))?;
        optional(o, "vcpus", e.vcpus.map(|v| v.to_string()))?;
        optional(o, "hourly_usd", e.hourly_usd.map(number))?;
        provenance(o, &e.provenance)?;
    }
    for (id, e) in &c.dyno {
        writeln!(o, "\n[catalog.dyno.{}]", key(id))?;
        optional(o, "vcpus", e.vcpus.map(|v| v.to_string()))?;
        optional(o, "cpu_share", e.cpu_share.map(number))?;
        optional(o, "memory_gb", e.memory_gb.map(number))?;
        optional(o, "monthly_usd", e.monthly_usd.map(number))?;
        optional(o, "pool_hours", e.pool_hours.map(number))?;
        optional(o, "autoscaling", e.autoscaling.map(|b| b.to_string()))?;
        optional(o, "sleeps", e.sleeps.map(|b| b.to_string()))?;
        provenance(o, &e.provenance)?;
    }
    Ok(())
}

/// A distribution as an inline table; durations to the microsecond.
fn dist(d: &Dist) -> String {
    let t = |s: f64| duration(SimTime::from_secs_f64(s));
    match *d {
        Dist::Constant { value_s } => format!("{{ dist = \"constant\", value = {} }}", t(value_s)),
        Dist::Exponential { mean_s } => format!("{{ dist = \"exponential\", mean = {} }}", t(mean_s)),
        Dist::Lognormal { mean_s, cv } => {
            format!("{{ dist = \"lognormal\", mean = {}, cv = {} }}", t(mean_s), number(cv))
        }
        Dist::Gamma { mean_s, cv } => format!("{{ dist = \"gamma\", mean = {}, cv = {} }}", t(mean_s), number(cv)),
        Dist::Uniform { min_s, max_s } => {
            format!("{{ dist = \"uniform\", min = {}, max = {} }}", t(min_s), t(max_s))
        }
        Dist::Pareto { mean_s, shape } => {
            format!("{{ dist = \"pareto\", mean = {}, shape = {} }}", t(mean_s), number(shape))
        }
    }
}

/// A constant as a plain duration string, any other distribution as a table.
fn duration_or_dist(d: &Dist) -> String {
    match *d {
        Dist::Constant { value_s } => duration(SimTime::from_secs_f64(value_s)),
        _ => dist(d),
    }
}

fn duration(t: SimTime) -> String {
    format!("\"{}\"", format_duration(t))
}

/// A number as TOML reads it back exactly: Rust prints the shortest string
/// that round-trips, without an exponent (integers come out as TOML integers).
fn number(x: f64) -> String {
    if x.is_finite() { format!("{x}") } else { "nan".into() }
}

/// A TOML basic string.
pub(super) fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A table key: bare when it can be, quoted otherwise.
fn key(k: &str) -> String {
    let bare = !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare { k.to_string() } else { string(k) }
}
