//! `kind = "hybrid"`: a fixed baseline (`baseline = { kind = "vps" | "bare_metal", … }`)
//! plus an autoscaled IaaS burst pool (`burst = { … iaas keys … }`) behind one
//! queue. The option's own keys (name, region, routing, …) stay at the option level.

use super::error::Diag;
use super::iaas::{self, Role};
use super::misplaced::{self, Place};
use super::model::{Hybrid, Kind};
use super::option::MAX_SLOTS;
use super::reader::{Field, Table, join};
use super::suggest::did_you_mean;
use super::{bare_metal, vps};

/// The keys only a hybrid option has.
pub const KEYS: &[&str] = &["baseline", "burst"];

const BASELINE_KINDS: &[&str] = &["vps", "bare_metal"];
const BASELINE_EXAMPLE: &str = "baseline = { kind = \"vps\", instances = 2, plan = \"linode-4gb\" }";
const BURST_EXAMPLE: &str =
    "burst = { instance = \"m5.large\", autoscaling = { policy = \"target_tracking\", target = 0.6, max = 10 } }";

/// Reads the hybrid keys of an option; `common` are the option-level keys,
/// which may not appear inside `baseline` or `burst`.
pub fn read(t: &Table, workers_per_vcpu: u32, common: &[&str]) -> Result<Hybrid, Diag> {
    let baseline_field = t.require("baseline", BASELINE_EXAMPLE)?;
    let baseline = baseline(&baseline_field, workers_per_vcpu, common)?;
    let burst_field = t.require("burst", BURST_EXAMPLE)?;
    let probe = Table::any(burst_field.path(), burst_field.node)
        .map_err(|d| d.hint(format!("for example: {BURST_EXAMPLE}")))?;
    misplaced::check(&probe, Place::Burst, common)?;
    let burst = iaas::read(&burst_field.table(iaas::KEYS)?, workers_per_vcpu, Role::Burst)?;
    let fixed = match &baseline {
        Kind::BareMetal(b) => u64::from(b.servers) * u64::from(b.cores),
        Kind::Vps(v) => u64::from(v.instances) * u64::from(v.vcpus),
        Kind::Iaas(_) | Kind::Hybrid(_) => 0,
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
fn baseline(f: &Field, workers_per_vcpu: u32, common: &[&str]) -> Result<Kind, Diag> {
    let probe = Table::any(f.path(), f.node).map_err(|d| d.hint(format!("for example: {BASELINE_EXAMPLE}")))?;
    let kind_field = probe.require("kind", "kind = \"vps\" (or \"bare_metal\")")?;
    let kind = match kind_field.str()? {
        "vps" => "vps",
        "bare_metal" => "bare_metal",
        k @ ("iaas" | "hybrid" | "paas") => {
            return Err(kind_field
                .error(format!("a hybrid baseline is a fixed \"vps\" or \"bare_metal\" fleet, not \"{k}\""))
                .hint("the scaling part of a hybrid option is its burst = { … } pool of iaas instances"));
        }
        k => {
            return Err(kind_field
                .error(format!("unknown baseline kind \"{k}\"{}", did_you_mean(k, BASELINE_KINDS.iter().copied())))
                .hint("a hybrid baseline is kind = \"vps\" or \"bare_metal\""));
        }
    };
    misplaced::check(&probe, Place::Baseline(kind), common)?;
    let known: Vec<&str> = ["kind"].iter().chain(misplaced::keys_of(kind)).copied().collect();
    let t = f.table(&known)?;
    Ok(match kind {
        "vps" => Kind::Vps(vps::read(&t, workers_per_vcpu)?),
        _ => Kind::BareMetal(bare_metal::read(&t, workers_per_vcpu)?),
    })
}
