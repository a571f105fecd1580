//! `kind = "serverless"`: AWS Lambda functions (`provider = "lambda"`, the
//! default) or Google Cloud Run services (`provider = "cloud_run"`), sized by
//! memory (and vCPUs for Cloud Run), with cold starts, keep-alive, limits,
//! warm capacity and prices from the catalog.

use super::iaas;
use super::syntax::{KindSyntax, Pairs, ReadContext};
use crate::catalog::{cloud_run, lambda, lambda_cold_start};
use crate::model::{BusyRate, Dist, Kind, Provider, Serverless, ServerlessRates};
use crate::scenario::error::Diag;
use crate::scenario::reader::{Bounds, Field, Table};
use crate::scenario::spec::{Key, Type};
use crate::scenario::suggest::did_you_mean;
use crate::scenario::toml_value::{self, duration, number, string};
use crate::scenario::workload::{DURATION_OR_DIST, duration_or_dist};
use crate::time::SimTime;

/// The keys only a serverless option has (`vcpus` is shared with other kinds).
/// Lambda's architectures.
const ARCHS: [&str; 2] = ["x86_64", "arm64"];
const KEYS: &[Key] = &[
    Key::new(
        "provider",
        Type::OneOf(&["lambda", "cloud_run"]),
        "AWS Lambda or Google Cloud Run; sets defaults, limits and prices",
    )
    .default("\"lambda\""),
    Key::new("runtime", Type::Str, "Lambda only: one of the measured runtimes (hostsim catalog --kind serverless)")
        .default("\"python3.13\""),
    Key::new("arch", Type::OneOf(&ARCHS), "Lambda only: price and cold start").default("\"x86_64\""),
    Key::new("memory_mb", Type::Integer, "memory of one instance: Lambda 128–10,240 MB, Cloud Run 128–32,768 MiB")
        .unit("MB")
        .default("128 (Lambda), 512 (Cloud Run)"),
    Key::new("vcpus", Type::Number, "Cloud Run only: vCPUs of one instance, up to 8").default("1"),
    Key::new("concurrency", Type::Integer, "requests one instance serves at once (Lambda: always 1)")
        .default("1 (Lambda), 80 (Cloud Run)"),
    Key::new("max_instances", Type::Integer, "most instances at once").default("1000 (Lambda), 100 (Cloud Run)"),
    Key::new("provisioned", Type::Integer, "Lambda only: instances kept warm (provisioned concurrency)").default("0"),
    Key::new("min_instances", Type::Integer, "Cloud Run only: instances kept warm").default("0"),
    Key::new("cold_start", DURATION_OR_DIST, "a new instance's start: a duration or a distribution")
        .default("the runtime's measured cold start (Lambda); required for Cloud Run"),
    Key::new("idle_timeout", DURATION_OR_DIST, "keep-alive of an idle instance: a duration or a distribution")
        .default("uniform 5–15 min (Lambda), 15 min (Cloud Run)"),
    Key::new("timeout", Type::Duration, "a request running longer is stopped").default("none"),
    Key::new("free_tier", Type::Bool, "deduct the monthly free tier (it is per account)").default("false"),
    Key::new("gcp_region", Type::Str, "Cloud Run only: the region whose price tier applies")
        .default("the Cloud Run region of the option's city"),
];

/// What a serverless option has instead of other kinds' keys.
const INSTEAD: &[(&str, &str)] = &[
    ("servers", "a serverless option starts instances on demand, up to \"max_instances\""),
    ("cores", "a serverless option's CPU follows \"memory_mb\" (Lambda) or is \"vcpus\" (Cloud Run)"),
    ("price_usd", "a serverless option is billed per request and busy time, from the catalog"),
    ("price_usd_per_core", "a serverless option is billed per request and busy time, from the catalog"),
    ("lifetime", "a serverless option is rented per request, not bought"),
    ("setup_usd", "a serverless option has no setup fee"),
    ("colo_usd_per_month", "a serverless option's prices include hosting"),
    ("labour_usd_per_month", "a serverless option's cost here is its bill from the catalog"),
    ("power", "a serverless option's prices include power"),
    ("failures", "a serverless option's instances do not fail here"),
    ("bandwidth", "a serverless option's egress is per GB (AWS tiers for Lambda; egress_usd_per_gb)"),
    ("instances", "a serverless option starts instances on demand: \"max_instances\" limits them"),
    ("plan", "a serverless option is sized by \"memory_mb\" (and \"vcpus\" on Cloud Run)"),
    ("monthly_usd", "a serverless option is billed per request and busy time, from the catalog"),
    ("hourly_usd", "a serverless option is billed per request and busy time, from the catalog"),
    ("neighbours", "noisy neighbours are modelled for a vps only"),
    ("instance", "a serverless option is sized by \"memory_mb\" (and \"vcpus\" on Cloud Run)"),
    ("initial", "a serverless option keeps \"provisioned\" (Lambda) or \"min_instances\" (Cloud Run) warm"),
    ("boot", "a serverless option's instances start in \"cold_start\""),
    ("billing", "a serverless option's busy time is rounded up per busy period (Lambda 1 ms, Cloud Run 100 ms)"),
    ("storage", "a serverless option has no volumes here: the workload's io time applies as it is"),
    ("autoscaling", "a serverless option scales by itself, one instance per waiting request, up to \"max_instances\""),
    ("market", "serverless functions have no spot market"),
    ("spot_usd_per_hour", "serverless functions have no spot market"),
    ("interruptions_per_month", "serverless instances are not interrupted"),
    ("mixed", "serverless functions have no spot market"),
    ("purchase", "serverless functions have no reserved instances; \"provisioned\" keeps Lambda instances warm"),
    ("savings_plan", "savings plans are modelled for EC2 only (kind = \"iaas\")"),
    ("load_balancer", "a serverless option is reached through its provider's front end, not priced here"),
    ("dyno", "a serverless option is sized by \"memory_mb\" (and \"vcpus\" on Cloud Run)"),
    ("cpu_share", "a Lambda function's CPU share is memory_mb / 1,769 vCPUs"),
    ("pool_hours", "a serverless option is billed per request and busy time"),
    ("dynos", "a serverless option starts instances on demand, up to \"max_instances\""),
    ("router_overhead", "a serverless option's front end adds the network RTT only here"),
    ("router_timeout", "a serverless option stops a request after \"timeout\""),
    ("backlog", "Lambda throttles beyond \"max_instances\"; Cloud Run queues until the workload's timeout"),
    ("sleep_after", "a serverless option reclaims idle instances after \"idle_timeout\""),
    ("wake", "a serverless option's new instances wait \"cold_start\""),
];

/// AWS Lambda: 1,769 MB of memory is one vCPU.
pub const LAMBDA_MB_PER_VCPU: f64 = 1_769.0;
/// AWS Lambda's memory range, MB.
pub const LAMBDA_MEMORY_MB: (u32, u32) = (128, 10_240);
/// AWS Lambda's default memory, MB.
pub const LAMBDA_DEFAULT_MEMORY_MB: u32 = 128;
/// AWS Lambda's default account concurrency (instances at once), per region.
pub const LAMBDA_DEFAULT_MAX_INSTANCES: u32 = 1_000;
/// AWS Lambda's longest function timeout.
pub const LAMBDA_MAX_TIMEOUT: SimTime = SimTime::from_secs(900);
/// The runtime whose measured cold start is the default.
pub const LAMBDA_DEFAULT_RUNTIME: &str = "python3.13";
/// AWS publishes no keep-alive: an assumption between the 5 and 15 minutes
/// commonly observed (see the README).
pub const LAMBDA_DEFAULT_IDLE_TIMEOUT: Dist = Dist::Uniform { min_s: 300.0, max_s: 900.0 };
/// Each busy period of a Lambda instance is rounded up to 1 ms.
const LAMBDA_GRANULARITY: SimTime = SimTime(1_000);

/// Cloud Run's defaults: 1 vCPU, 512 MiB, 80 requests per instance, 100 instances.
pub const CLOUD_RUN_DEFAULT_VCPUS: f64 = 1.0;
pub const CLOUD_RUN_DEFAULT_MEMORY_MB: u32 = 512;
pub const CLOUD_RUN_DEFAULT_CONCURRENCY: u32 = 80;
pub const CLOUD_RUN_MAX_CONCURRENCY: u32 = 1_000;
pub const CLOUD_RUN_DEFAULT_MAX_INSTANCES: u32 = 100;
/// Cloud Run's memory range, MiB (128 MiB to 32 GiB), and its most vCPUs.
pub const CLOUD_RUN_MEMORY_MB: (u32, u32) = (128, 32_768);
pub const CLOUD_RUN_MAX_VCPUS: f64 = 8.0;
/// Cloud Run keeps an idle instance up to 15 minutes.
pub const CLOUD_RUN_IDLE_TIMEOUT: Dist = Dist::Constant { value_s: 900.0 };
/// Cloud Run's longest request timeout.
pub const CLOUD_RUN_MAX_TIMEOUT: SimTime = SimTime::from_secs(3_600);
/// Each busy period of a Cloud Run instance is rounded up to 100 ms.
const CLOUD_RUN_GRANULARITY: SimTime = SimTime(100_000);

/// Reads the serverless keys of an option (the common ones are read by `option`).
pub fn read(t: &Table, cx: &ReadContext) -> Result<Serverless, Diag> {
    let provider = match t.get("provider") {
        None => Provider::Lambda,
        Some(f) => {
            let written = f.str()?;
            let names = Provider::ALL.map(Provider::as_str);
            Provider::ALL.into_iter().find(|p| p.as_str() == written).ok_or_else(|| {
                f.error(format!("unknown provider \"{written}\"{}", did_you_mean(written, names)))
                    .hint("provider is \"lambda\" (AWS Lambda, the default) or \"cloud_run\" (Google Cloud Run)")
            })?
        }
    };
    for (key, owner) in [("provisioned", Provider::Lambda), ("min_instances", Provider::CloudRun)]
        .into_iter()
        .chain(["runtime", "arch"].map(|k| (k, Provider::Lambda)))
        .chain(["gcp_region", "vcpus"].map(|k| (k, Provider::CloudRun)))
    {
        if let Some(f) = t.get(key).filter(|_| provider != owner) {
            return Err(f.error(format!("\"{key}\" is for provider = \"{}\" only", owner.as_str())).hint(
                match provider {
                    Provider::Lambda => "Lambda keeps instances warm with provisioned = N; its CPU follows memory_mb",
                    Provider::CloudRun => {
                        "Cloud Run keeps instances warm with min_instances = N; it has no runtime table"
                    }
                },
            ));
        }
    }
    if let Some(f) = t.get("outages") {
        return Err(f.error("outages are not modelled for a serverless option yet").hint(
            "remove outages; compare with an outage-free option, or model the provider's outage on another kind",
        ));
    }
    match provider {
        Provider::Lambda => lambda_fn(t, cx),
        Provider::CloudRun => cloud_run_service(t, cx),
    }
}

/// A Lambda function: prices of its region and architecture, cold starts of its runtime.
fn lambda_fn(t: &Table, cx: &ReadContext) -> Result<Serverless, Diag> {
    let prices = lambda_prices(t, cx)?;
    let arch = match t.get("arch") {
        None => "x86_64",
        Some(f) => match f.str()? {
            a if ARCHS.contains(&a) => a,
            other => {
                return Err(f
                    .error(format!("unknown arch \"{other}\"{}", did_you_mean(other, ARCHS)))
                    .hint("arch is \"x86_64\" (the default) or \"arm64\" (Graviton, about 20 % cheaper per GB-s)"));
            }
        },
    };
    let memory_mb = memory_mb(t, LAMBDA_DEFAULT_MEMORY_MB, LAMBDA_MEMORY_MB, "AWS Lambda")?;
    if let Some(f) = t.get("concurrency") {
        let c = f.u32(1)?;
        if c != 1 {
            return Err(f.error(format!("an AWS Lambda instance serves one request at a time, not {c}")).hint(
                "remove concurrency (Lambda's is 1), or use provider = \"cloud_run\" for many requests per instance",
            ));
        }
    }
    let max_instances = t.u32_or("max_instances", LAMBDA_DEFAULT_MAX_INSTANCES, 1)?;
    let warm = warm(t, "provisioned", max_instances)?;
    let runtime = match (t.get("runtime"), t.get("cold_start")) {
        (Some(f), _) => Some(find_runtime(&f)?),
        (None, Some(_)) => None,
        (None, None) => Some(LAMBDA_DEFAULT_RUNTIME),
    };
    let cold_start = match t.get("cold_start") {
        Some(f) => iaas::boot(&f, cx.source)?,
        None => {
            let rt = runtime.unwrap_or(LAMBDA_DEFAULT_RUNTIME);
            let at = t.get("runtime").map_or_else(|| t.span.clone(), |f| f.span());
            let row = lambda_cold_start::find(rt, arch, "zip", memory_mb).ok_or_else(|| {
                Diag::new(
                    crate::scenario::reader::join(&t.path, "runtime"),
                    at,
                    format!("no measured cold start of {rt} on {arch}"),
                )
                .hint("give cold_start = { dist = \"lognormal\", mean = \"400ms\", cv = 0.5 }")
            })?;
            row.lognormal()
        }
    };
    let timeout = timeout(t, LAMBDA_MAX_TIMEOUT, "AWS Lambda")?;
    let free_tier = t.get("free_tier").map_or(Ok(false), |f| f.boolean())?;
    let gb = f64::from(memory_mb) / 1_024.0;
    let a = lambda::LambdaPrices::arch_index(arch);
    let rates = ServerlessRates {
        usd_per_request: prices.usd_per_request[a],
        busy: vec![BusyRate {
            usd_per_instance_s: gb * prices.usd_per_gb_s[a],
            free_instance_s_per_month: if free_tier { lambda::FREE_GB_S_PER_MONTH / gb } else { 0.0 },
        }],
        // The table prices provisioned concurrency for x86 only; arm64 pays the same here.
        warm_usd_per_s: gb * prices.provisioned_usd_per_gb_s,
        warm_busy_usd_per_s: gb * prices.provisioned_duration_usd_per_gb_s,
        free_requests_per_month: if free_tier { lambda::FREE_REQUESTS_PER_MONTH } else { 0.0 },
        granularity: LAMBDA_GRANULARITY,
    };
    Ok(Serverless {
        provider: Provider::Lambda,
        runtime: runtime.map(str::to_string),
        arch: arch.to_string(),
        memory_mb,
        // AWS lists 6 vCPUs at 10,240 MB; one request uses at most one vCPU anyway.
        vcpus: f64::from(memory_mb) / LAMBDA_MB_PER_VCPU,
        concurrency: 1,
        max_instances,
        warm,
        cold_start,
        idle_timeout: t
            .get("idle_timeout")
            .map_or(Ok(LAMBDA_DEFAULT_IDLE_TIMEOUT), |f| duration_or_dist(&f, cx.source))?,
        timeout,
        free_tier,
        gcp_region: None,
        rates,
    })
}

/// The Lambda prices of the option's AWS region, or an error naming the nearest priced region.
fn lambda_prices(t: &Table, cx: &ReadContext) -> Result<&'static lambda::LambdaPrices, Diag> {
    let at = || t.get("provider").unwrap_or_else(|| t.get("kind").expect("every option has a kind"));
    let Some(aws) = cx.aws_region else {
        return Err(at()
            .error(format!("no AWS Lambda prices for region \"{}\" (it is not an AWS region)", cx.region))
            .hint(format!(
                "Lambda is priced in: {}",
                lambda::all().iter().map(|p| p.region).collect::<Vec<_>>().join(", ")
            )));
    };
    lambda::region(aws).ok_or_else(|| {
        let nearest = lambda::all()
            .iter()
            .filter_map(|p| Some((crate::network::builtin_rtt_ms(aws, p.region)?, p.region)))
            .min_by(|a, b| a.0.total_cmp(&b.0));
        let listed: Vec<&str> = lambda::all().iter().map(|p| p.region).collect();
        let suggestion = nearest.map_or_else(String::new, |(_, r)| format!("the nearest priced region is {r}; "));
        at().error(format!("no AWS Lambda prices for {aws} in the catalog"))
            .hint(format!("{suggestion}Lambda is priced in: {}", listed.join(", ")))
    })
}

/// A measured runtime by name (case-insensitive), or an error listing them.
fn find_runtime(f: &Field) -> Result<&'static str, Diag> {
    let written = f.str()?;
    let all = lambda_cold_start::runtimes();
    all.iter().find(|r| r.eq_ignore_ascii_case(written)).copied().ok_or_else(|| {
        f.error(format!("unknown runtime \"{written}\"{}", did_you_mean(written, all.iter().copied())))
            .hint(format!("runtimes with measured cold starts: {}; or give cold_start instead", all.join(", ")))
    })
}

/// A Cloud Run service (request-based billing) in its region's price tier.
fn cloud_run_service(t: &Table, cx: &ReadContext) -> Result<Serverless, Diag> {
    let gcp_region = gcp_region(t, cx)?;
    let tier = cloud_run::tier(&gcp_region).expect("checked by gcp_region");
    let vcpus = t.number_or("vcpus", CLOUD_RUN_DEFAULT_VCPUS, Bounds::open_closed(0.0, CLOUD_RUN_MAX_VCPUS))?;
    let memory_mb = memory_mb(t, CLOUD_RUN_DEFAULT_MEMORY_MB, CLOUD_RUN_MEMORY_MB, "Cloud Run")?;
    let concurrency = match t.get("concurrency") {
        None => CLOUD_RUN_DEFAULT_CONCURRENCY,
        Some(f) => f.integer(1, i64::from(CLOUD_RUN_MAX_CONCURRENCY)).map_err(|d| {
            d.hint(format!(
                "Cloud Run serves 1 to {CLOUD_RUN_MAX_CONCURRENCY} requests at once per instance (default 80)"
            ))
        })? as u32,
    };
    let max_instances = t.u32_or("max_instances", CLOUD_RUN_DEFAULT_MAX_INSTANCES, 1)?;
    let warm = warm(t, "min_instances", max_instances)?;
    let cold_start = t
        .get("cold_start")
        .ok_or_else(|| {
            Diag::new(crate::scenario::reader::join(&t.path, "cold_start"), t.span.clone(), "required key is missing for provider = \"cloud_run\"")
                .hint("no Cloud Run cold-start measurement is published: give your own, e.g. cold_start = { dist = \"lognormal\", mean = \"1s\", cv = 0.5 }")
        })
        .and_then(|f| iaas::boot(&f, cx.source))?;
    let timeout = timeout(t, CLOUD_RUN_MAX_TIMEOUT, "Cloud Run")?;
    let free_tier = t.get("free_tier").map_or(Ok(false), |f| f.boolean())?;
    let r = cloud_run::rates(tier);
    let free = cloud_run::free_tier();
    let gib = f64::from(memory_mb) / 1_024.0;
    let free_if = |x: f64| if free_tier { x } else { 0.0 };
    let busy_usd_per_s = vcpus * r.usd_per_vcpu_s + gib * r.usd_per_gib_s;
    // An idle minimum instance pays the idle vCPU rate and the memory rate.
    let warm_usd_per_s = vcpus * r.idle_usd_per_vcpu_s + gib * r.usd_per_gib_s;
    Ok(Serverless {
        provider: Provider::CloudRun,
        runtime: None,
        arch: "x86_64".into(),
        memory_mb,
        vcpus,
        concurrency,
        max_instances,
        warm,
        cold_start,
        idle_timeout: t.get("idle_timeout").map_or(Ok(CLOUD_RUN_IDLE_TIMEOUT), |f| duration_or_dist(&f, cx.source))?,
        timeout,
        free_tier,
        gcp_region: Some(gcp_region),
        rates: ServerlessRates {
            usd_per_request: r.usd_per_request,
            busy: vec![
                BusyRate {
                    usd_per_instance_s: vcpus * r.usd_per_vcpu_s,
                    free_instance_s_per_month: free_if(free.vcpu_s / vcpus),
                },
                BusyRate {
                    usd_per_instance_s: gib * r.usd_per_gib_s,
                    free_instance_s_per_month: free_if(free.gib_s / gib),
                },
            ],
            warm_usd_per_s,
            warm_busy_usd_per_s: busy_usd_per_s - warm_usd_per_s,
            free_requests_per_month: free_if(free.requests),
            granularity: CLOUD_RUN_GRANULARITY,
        },
    })
}

/// `gcp_region`, or the Cloud Run region of the option's city.
fn gcp_region(t: &Table, cx: &ReadContext) -> Result<String, Diag> {
    let listed = || cloud_run::regions().iter().map(|(r, t)| format!("{r} (tier {t})")).collect::<Vec<_>>().join(", ");
    if let Some(f) = t.get("gcp_region") {
        let written = f.str()?;
        return match cloud_run::tier(written) {
            Some(_) => Ok(written.to_ascii_lowercase()),
            None => Err(f
                .error(format!(
                    "no Cloud Run prices for \"{written}\"{}",
                    did_you_mean(written, cloud_run::regions().iter().map(|(r, _)| *r))
                ))
                .hint(format!("Cloud Run regions and their price tiers: {}", listed()))),
        };
    }
    let city = crate::network::canonical_region(cx.region);
    match cloud_run::CITY_REGION.iter().find(|(c, _)| Some(*c) == city) {
        Some((_, r)) => Ok(r.to_string()),
        None => Err(Diag::new(
            crate::scenario::reader::join(&t.path, "gcp_region"),
            t.span.clone(),
            format!("no Cloud Run region is known for region \"{}\"; give gcp_region", cx.region),
        )
        .hint(format!("for example gcp_region = \"us-central1\"; regions and their price tiers: {}", listed()))),
    }
}

/// `memory_mb` within the provider's range.
fn memory_mb(t: &Table, default: u32, (lo, hi): (u32, u32), who: &str) -> Result<u32, Diag> {
    let Some(f) = t.get("memory_mb") else { return Ok(default) };
    f.integer(i64::from(lo), i64::from(hi))
        .map(|m| m as u32)
        .map_err(|d| d.hint(format!("{who} instances have {lo} to {hi} MB of memory")))
}

/// Warm instances (`provisioned` or `min_instances`), at most `max_instances`.
fn warm(t: &Table, key: &str, max_instances: u32) -> Result<u32, Diag> {
    let Some(f) = t.get(key) else { return Ok(0) };
    let n = f.u32(0)?;
    if n > max_instances {
        return Err(f
            .error(format!("{key} ({n}) is more than max_instances ({max_instances})"))
            .hint("warm instances count towards max_instances; raise max_instances or lower this"));
    }
    Ok(n)
}

/// `timeout`, at most the provider's longest.
fn timeout(t: &Table, max: SimTime, who: &str) -> Result<Option<SimTime>, Diag> {
    let Some(f) = t.get("timeout") else { return Ok(None) };
    let d = f.positive_duration()?;
    if d > max {
        return Err(f
            .error(format!("{who} stops a request after at most {}", duration(max)))
            .hint(format!("timeout = {} is the longest {who} allows", duration(max))));
    }
    Ok(Some(d))
}

/// `kind = "serverless"` in the registry of kinds.
pub struct Syntax;

impl KindSyntax for Syntax {
    fn name(&self) -> &'static str {
        "serverless"
    }

    fn keys(&self) -> &'static [Key] {
        KEYS
    }

    fn instead(&self) -> &'static [(&'static str, &'static str)] {
        INSTEAD
    }

    fn read(&self, t: &Table, cx: &ReadContext) -> Result<Kind, Diag> {
        Ok(Kind::Serverless(read(t, cx)?))
    }

    fn write(&self, kind: &Kind) -> Option<Pairs> {
        let Kind::Serverless(s) = kind else { return None };
        Some(pairs(s))
    }

    fn max_queue(&self, f: &Field) -> Result<u32, Diag> {
        Err(f.error("a serverless option has no queue of its own: Lambda throttles beyond max_instances, Cloud Run waits up to the workload's timeout").hint("remove max_queue; limit instances with max_instances"))
    }
}

/// The keys of a serverless option as read back by `read`.
fn pairs(s: &Serverless) -> Pairs {
    let mut p = Pairs::new();
    p.push(("provider", string(s.provider.as_str())));
    if let Some(r) = &s.runtime {
        p.push(("runtime", string(r)));
    }
    match s.provider {
        Provider::Lambda => p.push(("arch", string(&s.arch))),
        Provider::CloudRun => {
            p.push(("gcp_region", string(s.gcp_region.as_deref().unwrap_or_default())));
            p.push(("vcpus", number(s.vcpus)));
            p.push(("concurrency", s.concurrency.to_string()));
        }
    }
    p.push(("memory_mb", s.memory_mb.to_string()));
    p.push(("max_instances", s.max_instances.to_string()));
    let warm_key = if s.provider == Provider::Lambda { "provisioned" } else { "min_instances" };
    p.push((warm_key, s.warm.to_string()));
    p.push(("cold_start", toml_value::duration_or_dist(&s.cold_start)));
    p.push(("idle_timeout", toml_value::duration_or_dist(&s.idle_timeout)));
    if let Some(t) = s.timeout {
        p.push(("timeout", duration(t)));
    }
    p.push(("free_tier", s.free_tier.to_string()));
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::spec::one_of;
    use crate::scenario::test_option::parse_option;

    #[test]
    fn the_spec_lists_every_provider_the_reader_takes() {
        assert_eq!(one_of(KEYS, "provider"), Provider::ALL.map(Provider::as_str));
    }

    fn parse(keys: &str) -> Result<Serverless, String> {
        let o = parse_option(&format!("name = \"fn\"\nkind = \"serverless\"\n{keys}"))?;
        match o.kind {
            Kind::Serverless(s) => Ok(s),
            other => Err(format!("not serverless: {other:?}")),
        }
    }

    #[test]
    fn a_lambda_function_with_every_default() {
        let s = parse("region = \"us-east-1\"").unwrap();
        assert_eq!(
            (s.provider, s.runtime.as_deref(), s.arch.as_str()),
            (Provider::Lambda, Some("python3.13"), "x86_64")
        );
        assert_eq!((s.memory_mb, s.concurrency, s.max_instances, s.warm), (128, 1, 1_000, 0));
        assert_eq!((s.idle_timeout, s.timeout, s.free_tier), (LAMBDA_DEFAULT_IDLE_TIMEOUT, None, false));
        // 128 MB is 128 / 1,769 of a vCPU.
        assert_eq!(s.vcpus, 128.0 / 1_769.0);
        // python3.13 x86_64 zip at 128 MB: the measured median and p99 as a lognormal.
        let row = lambda_cold_start::find("python3.13", "x86_64", "zip", 128).unwrap();
        assert_eq!(s.cold_start, row.lognormal());
        // $0.20 per million requests; 0.125 GB × $0.0000166667 per GB-s; 1 ms rounding.
        let r = &s.rates;
        assert_eq!((r.usd_per_request, r.granularity), (0.0000002, SimTime(1_000)));
        assert_eq!(r.busy, vec![BusyRate { usd_per_instance_s: 0.125 * 0.0000166667, free_instance_s_per_month: 0.0 }]);
        assert_eq!((r.warm_usd_per_s, r.warm_busy_usd_per_s), (0.125 * 0.0000041667, 0.125 * 0.0000097222));
    }

    #[test]
    fn lambda_sizes_arm_and_the_free_tier() {
        // 10,240 MB is 5.79 vCPUs by the 1,769 MB rule; arm64 at $0.0000133334 per GB-s.
        let s =
            parse("region = \"washington\"\nmemory_mb = 10240\narch = \"arm64\"\nfree_tier = true\nprovisioned = 3")
                .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((s.vcpus, s.warm), (10_240.0 / 1_769.0, 3));
        assert_eq!(s.rates.busy[0].usd_per_instance_s, 10.0 * 0.0000133334);
        // 400,000 GB-s free a month is 40,000 s of a 10-GB instance; 1 M requests.
        assert_eq!((s.rates.busy[0].free_instance_s_per_month, s.rates.free_requests_per_month), (40_000.0, 1e6));
        let s = parse("region = \"london\"\nruntime = \"NodeJS22.x\"\ncold_start = \"250ms\"").unwrap();
        assert_eq!((s.runtime.as_deref(), s.cold_start.mean_s()), (Some("nodejs22.x"), 0.25));
    }

    #[test]
    fn a_cloud_run_service_in_its_tier() {
        let s = parse("region = \"washington\"\nprovider = \"cloud_run\"\ncold_start = \"1s\"").unwrap();
        // Washington's Cloud Run region is us-east4, tier 1: 1 vCPU, 512 MiB, 80 at once, 100 instances.
        assert_eq!(s.gcp_region.as_deref(), Some("us-east4"));
        assert_eq!((s.vcpus, s.memory_mb, s.concurrency, s.max_instances), (1.0, 512, 80, 100));
        assert_eq!((s.idle_timeout.clone(), s.rates.granularity), (CLOUD_RUN_IDLE_TIMEOUT, SimTime(100_000)));
        // Busy: 1 × $0.000024 per vCPU-s + 0.5 GiB × $0.0000025 per GiB-s; idle minimum
        // instance: 1 × $0.0000025 + 0.5 × $0.0000025; on top of it while busy, the difference.
        let r = &s.rates;
        assert_eq!((r.busy[0].usd_per_instance_s, r.busy[1].usd_per_instance_s), (0.000024, 0.5 * 0.0000025));
        assert_eq!(r.warm_usd_per_s, 0.0000025 + 0.5 * 0.0000025);
        assert!((r.warm_usd_per_s + r.warm_busy_usd_per_s - (0.000024 + 0.5 * 0.0000025)).abs() < 1e-18);
        // London's is europe-west2, tier 2: $0.0000336 per vCPU-s; free tier 180,000 vCPU-s
        // (90,000 s of 2 vCPUs) and 360,000 GiB-s (90,000 s of 4 GiB).
        let keys = "region = \"london\"\nprovider = \"cloud_run\"\ncold_start = \"1s\"\nvcpus = 2\nmemory_mb = 4096\nfree_tier = true\nmin_instances = 1";
        let s = parse(keys).unwrap();
        assert_eq!((s.gcp_region.as_deref(), s.warm), (Some("europe-west2"), 1));
        assert_eq!(s.rates.busy[0].usd_per_instance_s, 2.0 * 0.0000336);
        let free: Vec<f64> = s.rates.busy.iter().map(|b| b.free_instance_s_per_month).collect();
        assert_eq!(free, [90_000.0, 90_000.0]);
        let s =
            parse("region = \"london\"\nprovider = \"cloud_run\"\ncold_start = \"1s\"\ngcp_region = \"US-Central1\"")
                .unwrap();
        assert_eq!(s.gcp_region.as_deref(), Some("us-central1"));
    }

    #[test]
    fn refusals_name_what_is_allowed() {
        let e = parse("region = \"eu-south-2\"").unwrap_err();
        assert!(e.contains("no AWS Lambda prices for eu-south-2") && e.contains("nearest priced region is"), "{e}");
        let e = parse("region = \"us-east-1\"\nruntime = \"pyhton3.13\"").unwrap_err();
        assert!(e.contains("did you mean \"python3.13\"") && e.contains("nodejs22.x"), "{e}");
        let e = parse("region = \"us-east-1\"\nconcurrency = 2").unwrap_err();
        assert!(e.contains("one request at a time"), "{e}");
    }
}
