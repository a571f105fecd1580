//! `kind = "hybrid"`: a fixed baseline (`baseline = { kind = "vps" | "bare_metal", … }`)
//! plus an autoscaled IaaS burst pool (`burst = { … iaas keys … }`) behind one
//! queue. The option's own keys (name, region, routing, …) stay at the option level.

use super::iaas::{self, Role};
use super::misplaced::{self, Place};
use super::syntax::{KindSyntax, MAX_SLOTS, Pairs, ReadContext};
use super::{bare_metal, load_balancer, vps};
use crate::model::{Hybrid, Kind};
use crate::scenario::error::Diag;
use crate::scenario::reader::{Field, Table, join};
use crate::scenario::spec::{Key, Tagged, Type};
use crate::scenario::suggest::did_you_mean;
use crate::scenario::toml_value::{inline, string};

/// The keys only a hybrid option has (an iaas option has a load balancer too).
const KEYS: &[Key] = &[
    Key::new("baseline", Type::Tagged(&BASELINE), "the fixed part: a vps or bare_metal option's keys with its kind")
        .default("required"),
    Key::new(
        "burst",
        Type::Table(iaas::KEYS),
        "the scaling part: an iaas option's keys (autoscaling required, its min defaults to 0; no load_balancer)",
    )
    .default("required"),
    Key::new("load_balancer", load_balancer::TYPE, "\"alb\" or { kind = \"alb\", … }: in front of both parts"),
];

/// `baseline = { kind = …, … }`: `kind` picks the keys.
const BASELINE: Tagged = Tagged {
    name: "baseline",
    tag: "kind",
    common: &[Key::new("kind", Type::Str, "vps or bare_metal").default("required")],
    variants: || BASELINE_KINDS.iter().map(|k| (k.name(), k.keys())).collect(),
};

/// The kinds a baseline may be: fixed fleets.
const BASELINE_KINDS: [&dyn KindSyntax; 2] = [&vps::Syntax, &bare_metal::Syntax];
const BASELINE_EXAMPLE: &str = "baseline = { kind = \"vps\", instances = 2, plan = \"linode-4gb\" }";
const BURST_EXAMPLE: &str =
    "burst = { instance = \"m5.large\", autoscaling = { policy = \"target_tracking\", target = 0.6, max = 10 } }";

/// Reads the hybrid keys of an option; the option-level keys (`cx.common`)
/// may not appear inside `baseline` or `burst`.
pub fn read(t: &Table, cx: &ReadContext) -> Result<Hybrid, Diag> {
    let workers_per_vcpu = cx.workers_per_vcpu;
    let baseline_field = t.require("baseline", BASELINE_EXAMPLE)?;
    let baseline = baseline(&baseline_field, cx)?;
    let burst_field = t.require("burst", BURST_EXAMPLE)?;
    let probe = Table::any(burst_field.path(), burst_field.node)
        .map_err(|d| d.hint(format!("for example: {BURST_EXAMPLE}")))?;
    misplaced::check(&probe, Place::Burst, cx.common, cx.kinds)?;
    let burst_table = burst_field.table(iaas::KEYS)?;
    if let Some(lb) = burst_table.get("load_balancer") {
        return Err(lb
            .error("\"load_balancer\" is set on the option itself (it is in front of the baseline and the burst)")
            .hint("move it out of burst to the option level, next to name and kind"));
    }
    let burst = iaas::read(&burst_table, Role::Burst, cx)?;
    // A baseline is one of BASELINE_KINDS: a fixed fleet.
    let fixed = match &baseline {
        Kind::BareMetal(b) => u64::from(b.servers) * u64::from(b.cores),
        Kind::Vps(v) => u64::from(v.instances) * u64::from(v.vcpus),
        _ => 0,
    };
    let most = burst.autoscaling.as_ref().map_or(burst.initial, |a| a.max);
    let slots = (fixed + u64::from(most) * u64::from(burst.vcpus)) * u64::from(workers_per_vcpu);
    if slots > MAX_SLOTS {
        return Err(Diag::new(
            join(&burst_field.path(), "autoscaling.max"),
            burst_field.span(),
            format!("baseline and burst at max = {slots} request slots; at most {MAX_SLOTS} are supported"),
        ));
    }
    Ok(Hybrid { baseline: Box::new(baseline), burst })
}

/// `baseline = { kind = "vps" | "bare_metal", … that kind's keys … }`.
fn baseline(f: &Field, cx: &ReadContext) -> Result<Kind, Diag> {
    let probe = Table::any(f.path(), f.node).map_err(|d| d.hint(format!("for example: {BASELINE_EXAMPLE}")))?;
    let kind_field = probe.require("kind", "kind = \"vps\" (or \"bare_metal\")")?;
    let name = kind_field.str()?;
    let Some(kind) = BASELINE_KINDS.iter().find(|k| k.name() == name) else {
        if cx.kinds.iter().any(|k| k.name() == name) {
            return Err(kind_field
                .error(format!("a hybrid baseline is a fixed \"vps\" or \"bare_metal\" fleet, not \"{name}\""))
                .hint("the scaling part of a hybrid option is its burst = { … } pool of iaas instances"));
        }
        let names = BASELINE_KINDS.iter().map(|k| k.name());
        return Err(kind_field
            .error(format!("unknown baseline kind \"{name}\"{}", did_you_mean(name, names)))
            .hint("a hybrid baseline is kind = \"vps\" or \"bare_metal\""));
    };
    misplaced::check(&probe, Place::Baseline(kind.name()), cx.common, cx.kinds)?;
    if let Some(b) = probe.get("bandwidth") {
        return Err(b
            .error("a hybrid option's egress is billed as a whole: by its AWS region's tiers, or by egress_usd_per_gb")
            .hint("remove bandwidth, or set egress_usd_per_gb on the option itself"));
    }
    let known: Vec<Key> = BASELINE.common.iter().chain(kind.keys()).copied().collect();
    kind.read(&f.table(&known)?, cx)
}

/// `kind = "hybrid"` in the registry of kinds.
pub struct Syntax;

impl KindSyntax for Syntax {
    fn name(&self) -> &'static str {
        "hybrid"
    }

    fn keys(&self) -> &'static [Key] {
        KEYS
    }

    fn instead(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }

    fn read(&self, t: &Table, cx: &ReadContext) -> Result<Kind, Diag> {
        Ok(Kind::Hybrid(read(t, cx)?))
    }

    fn write(&self, kind: &Kind) -> Option<Pairs> {
        let Kind::Hybrid(h) = kind else { return None };
        let mut baseline = vec![("kind", string(h.baseline.as_str()))];
        baseline.extend(BASELINE_KINDS.iter().find_map(|k| k.write(&h.baseline)).unwrap_or_default());
        Some(vec![("baseline", inline(&baseline)), ("burst", inline(&iaas::pairs(&h.burst)))])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Vps;
    use crate::scenario::test_option::parse_option;

    const OPTION: &str = "name = \"web\"\nkind = \"hybrid\"\nregion = \"washington\"\n";
    const VPS: &str = "baseline = { kind = \"vps\", instances = 2, plan = \"linode-4gb\" }\n";
    const BURST: &str =
        "burst = { instance = \"m5.large\", autoscaling = { policy = \"target_tracking\", target = 0.6, max = 8 } }\n";

    fn parse(keys: &str) -> Result<Hybrid, String> {
        match parse_option(&format!("{OPTION}{keys}"))?.kind {
            Kind::Hybrid(h) => Ok(h),
            other => Err(format!("not hybrid: {other:?}")),
        }
    }

    #[test]
    fn a_vps_baseline_and_a_burst_from_zero() {
        let h = parse(&format!("{VPS}{BURST}")).unwrap();
        let Kind::Vps(v) = *h.baseline else { panic!("{:?}", h.baseline) };
        assert_eq!(
            v,
            Vps {
                instances: 2,
                vcpus: 2,
                monthly_usd: 24.0,
                hourly_usd: 0.036,
                plan: Some("linode-4gb".into()),
                neighbours: None
            }
        );
        assert_eq!((h.burst.instance.as_deref(), h.burst.vcpus, h.burst.initial), (Some("m5.large"), 2, 0));
        let a = h.burst.autoscaling.unwrap();
        assert_eq!((a.min, a.max), (0, 8));
    }

    #[test]
    fn a_bare_metal_baseline_with_failures_and_a_burst_with_a_minimum() {
        let baseline = "baseline = { kind = \"bare_metal\", servers = 1, cores = 8, price_usd = 5000, \
                        failures = { mtbf = \"1y\", repair = \"1d\" } }\n";
        let burst = "burst = { vcpus = 4, hourly_usd = 0.2, initial = 2, autoscaling = { policy = \"hpa\", \
                     target = 0.7, min = 1, max = 4 } }\n";
        let h = parse(&format!("{baseline}{burst}")).unwrap();
        let Kind::BareMetal(b) = *h.baseline else { panic!("{:?}", h.baseline) };
        assert_eq!((b.servers, b.cores, b.price_usd, b.failures.is_some()), (1, 8, 5000.0, true));
        assert_eq!((b.lifetime, b.power), (bare_metal::DEFAULT_LIFETIME, None));
        assert_eq!((h.burst.vcpus, h.burst.hourly_usd, h.burst.initial), (4, 0.2, 2));
        assert_eq!(h.burst.autoscaling.map(|a| (a.min, a.warmup)), Some((1, crate::time::SimTime::ZERO)));
    }

    #[test]
    fn a_spot_burst_priced_for_the_option_region() {
        // washington's AWS region is us-east-1: m5.large spot $0.04366/h in the 15-20 % band (0.175 a month).
        let burst = BURST.replace("burst = { ", "burst = { market = \"spot\", ");
        let h = parse(&format!("{VPS}{burst}")).unwrap();
        let spot = h.burst.spot.unwrap();
        assert_eq!((spot.usd_per_hour, spot.interruptions_per_month, spot.mixed), (0.04366, 0.175, None));
        let err = parse(&format!("{VPS}{BURST}market = \"spot\"")).unwrap_err();
        assert!(err.contains("\"market\" is an iaas key; a hybrid option takes it inside burst"), "{err}");
    }

    #[test]
    fn mistakes() {
        let cases = [
            (BURST.to_string(), "option \"web\".baseline: required key is missing"),
            (VPS.to_string(), "option \"web\".burst: required key is missing"),
            (format!("baseline = \"vps\"\n{BURST}"), "option \"web\".baseline: expected a table, got string"),
            (
                format!("baseline = {{ instances = 2 }}\n{BURST}"),
                "option \"web\".baseline.kind: required key is missing",
            ),
            (
                format!("baseline = {{ kind = \"iaas\", instance = \"m5.large\" }}\n{BURST}"),
                "baseline.kind: a hybrid baseline is a fixed \"vps\" or \"bare_metal\" fleet, not \"iaas\"",
            ),
            (format!("baseline = {{ kind = \"hybrid\" }}\n{BURST}"), "fleet, not \"hybrid\""),
            (
                format!("baseline = {{ kind = \"vsp\" }}\n{BURST}"),
                "unknown baseline kind \"vsp\", did you mean \"vps\"?",
            ),
            (
                format!("baseline = {{ kind = \"vps\", plan = \"linode-4gb\" }}\n{BURST}"),
                "option \"web\".baseline.instances: required key is missing",
            ),
            (
                format!("baseline = {{ kind = \"vps\", instances = 1, plan = \"linode-4gb\", servers = 2 }}\n{BURST}"),
                "option \"web\".baseline.servers: \"servers\" is a bare_metal key; a vps has \"instances\"",
            ),
            (
                format!("baseline = {{ kind = \"vps\", instances = 1, plan = \"linode-4gb\", initial = 2 }}\n{BURST}"),
                "baseline.initial: \"initial\" is an iaas key; in a hybrid option it belongs in burst",
            ),
            (
                format!(
                    "baseline = {{ kind = \"vps\", instances = 1, plan = \"linode-4gb\", region = \"london\" }}\n{BURST}"
                ),
                "baseline.region: \"region\" is set on the option itself",
            ),
            (
                format!("baseline = {{ kind = \"vps\", instances = 1, plan = \"linode-4gb\", instnces = 1 }}\n{BURST}"),
                "baseline: unknown key \"instnces\", did you mean \"instances\"?",
            ),
            (
                format!("{VPS}burst = {{ instance = \"m5.large\" }}"),
                "option \"web\".burst.autoscaling: required key is missing",
            ),
            (
                format!("{VPS}burst = {{ kind = \"iaas\", instance = \"m5.large\" }}"),
                "burst.kind: the burst pool is always iaas",
            ),
            (
                format!("{VPS}burst = {{ instance = \"m5.large\", instances = 2 }}"),
                "burst.instances: \"instances\" is a vps key; in a hybrid option it belongs in baseline",
            ),
            (
                format!("{VPS}burst = {{ instance = \"m5.large\", routing = \"random\" }}"),
                "burst.routing: \"routing\" is set on the option itself",
            ),
            (
                format!(
                    "{VPS}burst = {{ instance = \"m5.large\", autoscaling = {{ policy = \"hpa\", target = 0.5, max = 0 }} }}"
                ),
                "option \"web\".burst.autoscaling.max: expected a positive integer, got 0",
            ),
            (
                format!(
                    "{VPS}burst = {{ instance = \"m5.large\", initial = 9, autoscaling = {{ policy = \"hpa\", target = 0.5, max = 8 }} }}"
                ),
                "option \"web\".burst.initial: initial (9) must lie in [min, max] = [0, 8]",
            ),
            (
                format!("{VPS}{BURST}servers = 2"),
                "option \"web\".servers: \"servers\" is a bare_metal key; a hybrid option takes it inside baseline",
            ),
            (
                format!("{VPS}{BURST}instance = \"m5.large\""),
                "\"instance\" is an iaas key; a hybrid option takes it inside burst",
            ),
            (
                format!("{VPS}{BURST}vcpus = 2"),
                "\"vcpus\" is a vps, iaas, paas or serverless key; a hybrid option takes it inside baseline or burst",
            ),
            (
                format!("baseline = {{ kind = \"vps\", instances = 5000000, vcpus = 1, monthly_usd = 1 }}\n{VPS_FREE}"),
                "option \"web\".burst.autoscaling.max: baseline and burst at max = 13000000 request slots",
            ),
        ];
        for (keys, fragment) in cases {
            let err = parse(&keys).unwrap_err();
            assert!(err.contains(fragment), "expected {fragment:?} in:\n{err}");
        }
    }

    const VPS_FREE: &str =
        "burst = { vcpus = 1, hourly_usd = 0, autoscaling = { policy = \"hpa\", target = 0.5, max = 8000000 } }";

    #[test]
    fn a_burst_may_reserve_instances_priced_in_the_options_aws_region() {
        // washington → us-east-1: m5.large 1y all upfront $0.056393 an hour.
        let burst = "burst = { instance = \"m5.large\", purchase = { reserved = 1, term = \"1y\", payment = \"all_upfront\" }, \
                     autoscaling = { policy = \"target_tracking\", target = 0.6, max = 8 } }\n";
        let h = parse(&format!("{VPS}{burst}")).unwrap();
        assert_eq!(h.burst.purchase.map(|r| r.usd_per_hour), Some(0.056393));
        let err = parse(&format!("{VPS}{BURST}purchase = {{ reserved = 1 }}\n")).unwrap_err();
        assert!(err.contains("\"purchase\""), "{err}");
    }
}
