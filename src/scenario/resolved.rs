//! The resolved scenario written back as TOML (`resolved.toml`): every
//! default filled in and the RTT of every region pair spelled out, so a run
//! can be repeated exactly. Reading it back gives an equal `Scenario`.

use std::fmt::Write;

use super::duration::format_duration;
use super::model::{Egress, GeoRouting, Grid, HostingOption, Regions, Scenario, Weekly};
use super::toml_value::{dist, duration, duration_or_dist, key, number, numbers, string, utc_offset};
use super::{database, kinds};
use crate::catalog::{Provenance, UserCatalog};

/// Writes `s` as a scenario file: its description, then `hostsim_version`.
pub fn to_toml(s: &Scenario) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_all(&mut out, s);
    out
}

fn write_all(o: &mut String, s: &Scenario) -> std::fmt::Result {
    // The scenario's own comment first, so it stays its description.
    o.push_str(&super::description::as_comment(&s.description));
    writeln!(
        o,
        "hostsim_version = {}  # written by hostsim: the scenario as it ran, every default filled in",
        string(env!("CARGO_PKG_VERSION"))
    )?;
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
    if let Some(h) = &t.hourly {
        writeln!(o, "profile = {{ hourly = {} }}", numbers(&h.weights))?;
    }
    match &t.weekly {
        Some(Weekly::WeekendFactor(f)) => writeln!(o, "weekly = {{ weekend_factor = {} }}", number(*f))?,
        Some(Weekly::Days(d)) => writeln!(o, "weekly = {{ days = {} }}", numbers(d))?,
        None => {}
    }
    if let Some(g) = &t.growth {
        writeln!(o, "growth = {{ per_month = {} }}", number(g.per_month))?;
    }
    if !t.users.is_empty() {
        let users: Vec<String> = t.users.iter().map(|u| format!("{} = {}", key(&u.region), number(u.share))).collect();
        writeln!(o, "users = {{ {} }}", users.join(", "))?;
    }
    if t.local_time {
        writeln!(o, "local_time = true")?;
    }
    if let Some(trace) = &t.trace {
        writeln!(o, "\n[traffic.trace]")?;
        writeln!(o, "file = {}", string(&trace.path.to_string_lossy()))?;
        writeln!(o, "time_column = {}", string(&trace.time_column))?;
        writeln!(o, "time_unit = {}", string(trace.time_unit.as_str()))?;
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
        if let Some(every) = spike.every {
            writeln!(o, "every = {}", duration(every))?;
        }
        if let Some(until) = spike.until {
            writeln!(o, "until = {}", duration(until))?;
        }
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
    if let Some(db) = &w.db {
        writeln!(o, "db = {}", dist(db))?;
        writeln!(o, "db_queries = {}", w.db_queries)?;
        writeln!(o, "db_holds_web_slot = {}", w.db_holds_web_slot)?;
    }
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
    if t.local_time {
        writeln!(o, "\n[network.utc_offset]   # each user region's standard time minus UTC")?;
        for u in &t.users {
            writeln!(o, "{} = {}", key(&u.region), utc_offset(u.utc_offset_s))?;
        }
    }
    write_catalog(o, &s.catalog.user())?;
    // Each database once, as the first option naming it has it.
    let mut written: Vec<&str> = Vec::new();
    for db in s.options.iter().filter_map(|opt| opt.database.as_ref()) {
        if !written.contains(&db.name.as_str()) {
            written.push(&db.name);
            writeln!(o, "\n[[database]]")?;
            for (k, v) in database::write(db) {
                writeln!(o, "{k} = {v}")?;
            }
        }
    }
    for opt in &s.options {
        writeln!(o, "\n[[option]]")?;
        writeln!(o, "name = {}", string(&opt.name))?;
        writeln!(o, "kind = {}", string(opt.kind.as_str()))?;
        match &opt.regions {
            None => writeln!(o, "region = {}", string(opt.aws_region.as_ref().unwrap_or(&opt.region)))?,
            Some(r) => write_regions(o, r)?,
        }
        writeln!(o, "routing = {}", string(opt.routing.as_str()))?;
        if let Some(q) = opt.max_queue {
            writeln!(o, "max_queue = {q}")?;
        }
        writeln!(o, "workers_per_vcpu = {}", opt.workers_per_vcpu)?;
        writeln!(o, "cpu_speed = {}", number(opt.cpu_speed))?;
        if let Some(db) = &opt.database {
            writeln!(o, "database = {}", string(&db.name))?;
        }
        if let Some(n) = opt.pool_size {
            writeln!(o, "pool_size = {n}")?;
        }
        if let Egress::Flat { usd_per_gb } = opt.egress {
            writeln!(o, "egress_usd_per_gb = {}", number(usd_per_gb))?;
        }
        // An option across regions has its counts in `regions`.
        let in_regions = |k: &str| opt.regions.is_some() && matches!(k, "servers" | "instances" | "initial");
        for (k, v) in kinds::write(&opt.kind).into_iter().filter(|(k, _)| !in_regions(k)) {
            writeln!(o, "{k} = {v}")?;
        }
        match &opt.egress {
            Egress::Flat { .. } => {}
            // Derived again from the region or the plan written above.
            Egress::Tiered(t) => writeln!(o, "# egress: {}", t.what)?,
            Egress::Percentile(b) => writeln!(
                o,
                "bandwidth = {{ usd_per_mbps_month = {}, percentile = {} }}",
                number(b.usd_per_mbps_month),
                number(b.percentile)
            )?,
        }
        if let Some(lb) = &opt.load_balancer {
            writeln!(o, "load_balancer = {}", kinds::load_balancer::write(lb))?;
        }
        // A region's own factor is found again from the region written above.
        if let Some(g) = opt.grid.as_ref().filter(|g| g.source == Grid::GIVEN) {
            writeln!(o, "grid_gco2e_per_kwh = {}", number(g.gco2e_per_kwh))?;
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

/// `regions`, `geo_routing` and `failover_after` of an option across regions.
fn write_regions(o: &mut String, r: &Regions) -> std::fmt::Result {
    let written = |p: &HostingOption| key(p.aws_region.as_ref().unwrap_or(&p.region));
    let entries: Vec<String> = r
        .parts
        .iter()
        .map(|p| {
            let instances = p.kind.fleet().unwrap_or(0);
            match p.outages.as_ref().filter(|_| !r.shared_outages) {
                None => format!("{} = {instances}", written(p)),
                Some(out) => format!(
                    "{} = {{ instances = {instances}, outages = {{ mtbf = {}, duration = {} }} }}",
                    written(p),
                    duration(out.mtbf),
                    duration_or_dist(&out.duration)
                ),
            }
        })
        .collect();
    writeln!(o, "regions = {{ {} }}", entries.join(", "))?;
    match &r.geo_routing {
        GeoRouting::Nearest => writeln!(o, "geo_routing = \"nearest\"")?,
        GeoRouting::Weights(w) => {
            let weights: Vec<String> =
                r.parts.iter().zip(w).map(|(p, w)| format!("{} = {}", written(p), number(*w))).collect();
            writeln!(o, "geo_routing = {{ {} }}", weights.join(", "))?;
        }
    }
    writeln!(o, "failover_after = {}", duration(r.failover_after))
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
        optional(o, "region", e.region.as_deref().map(string))?;
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
