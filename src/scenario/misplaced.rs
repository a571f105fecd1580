//! Keys written on the wrong kind of option, or in the wrong part of a hybrid
//! option: the error says whose key it is and what belongs there instead.

use super::error::Diag;
use super::reader::{Table, join};
use super::{bare_metal, hybrid, iaas, vps};

/// Where a table of kind-specific keys sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place<'k> {
    /// An `[[option]]` of this kind.
    Option(&'k str),
    /// The `baseline` table of a hybrid option, of this kind.
    Baseline(&'k str),
    /// The `burst` table of a hybrid option (always iaas).
    Burst,
}

/// Every kind and the keys only it has (a key may belong to several kinds).
const KINDS: [(&str, &[&str]); 4] =
    [("bare_metal", bare_metal::KEYS), ("vps", vps::KEYS), ("iaas", iaas::KEYS), ("hybrid", hybrid::KEYS)];

/// What a kind has instead of another kind's key: (key, the kind it is written on, text).
const INSTEAD: &[(&str, &str, &str)] = &[
    ("servers", "vps", "a vps has \"instances\""),
    ("cores", "vps", "a vps has \"vcpus\""),
    ("price_usd", "vps", "a vps has \"monthly_usd\" (or a \"plan\")"),
    ("lifetime", "vps", "a vps is rented, not bought: it has \"monthly_usd\""),
    ("setup_usd", "vps", "a vps has no setup fee"),
    ("colo_usd_per_month", "vps", "a vps's \"monthly_usd\" covers hosting"),
    ("labour_usd_per_month", "vps", "a vps's \"monthly_usd\" is its whole cost here"),
    ("power", "vps", "a vps's \"monthly_usd\" includes power"),
    ("failures", "vps", "a vps may have \"outages\" (the whole option down)"),
    ("servers", "iaas", "an iaas option has \"initial\" (and \"autoscaling\")"),
    ("cores", "iaas", "an iaas option has \"vcpus\" (or an \"instance\" type)"),
    ("price_usd", "iaas", "an iaas option is rented: it has \"hourly_usd\" (or an \"instance\" type)"),
    ("lifetime", "iaas", "an iaas option is rented, not bought: it has \"hourly_usd\""),
    ("setup_usd", "iaas", "an iaas option has no setup fee"),
    ("colo_usd_per_month", "iaas", "an iaas option's \"hourly_usd\" covers hosting"),
    ("labour_usd_per_month", "iaas", "an iaas option's \"hourly_usd\" is its whole compute cost here"),
    ("power", "iaas", "an iaas option's \"hourly_usd\" includes power"),
    ("failures", "iaas", "an iaas option may have \"outages\" (the whole option down)"),
    ("instances", "bare_metal", "bare metal has \"servers\""),
    ("vcpus", "bare_metal", "bare metal has \"cores\""),
    ("plan", "bare_metal", "bare metal has no catalog: give \"cores\" and \"price_usd\""),
    ("monthly_usd", "bare_metal", "bare metal has \"price_usd\" and \"colo_usd_per_month\""),
    ("hourly_usd", "bare_metal", "bare metal is not billed by the hour"),
    ("neighbours", "bare_metal", "a bare-metal server has no neighbours"),
    ("instances", "iaas", "an iaas option has \"initial\" (and \"autoscaling\")"),
    ("plan", "iaas", "an iaas option has \"instance\" (an EC2 type such as \"m5.large\")"),
    ("monthly_usd", "iaas", "an iaas option has \"hourly_usd\", billed per \"billing.granularity\""),
    ("neighbours", "iaas", "noisy neighbours are modelled for a vps only"),
    ("instance", "bare_metal", "bare metal has no catalog: give \"cores\" and \"price_usd\""),
    ("initial", "bare_metal", "bare metal has \"servers\" (a fixed fleet)"),
    ("boot", "bare_metal", "bare-metal capacity is fixed during a run: nothing boots"),
    ("billing", "bare_metal", "bare metal is bought: it has \"price_usd\" and \"lifetime\""),
    ("storage", "bare_metal", "bare-metal disks are local: the workload's io time applies as it is"),
    ("autoscaling", "bare_metal", "bare-metal capacity is fixed (ordering hardware takes weeks)"),
    ("instance", "vps", "a vps has \"plan\""),
    ("initial", "vps", "a vps has \"instances\" (a fixed fleet)"),
    ("boot", "vps", "a vps fleet is fixed during a run: nothing boots"),
    ("billing", "vps", "a vps is billed per started hour up to \"monthly_usd\""),
    ("storage", "vps", "a vps's storage slows down with \"neighbours\" (io_slowdown)"),
    ("autoscaling", "vps", "a vps fleet is fixed; kind = \"iaas\" or \"hybrid\" scales"),
];

/// The keys only `kind` has (none for an unknown kind).
pub fn keys_of(kind: &str) -> &'static [&'static str] {
    KINDS.iter().find(|(k, _)| *k == kind).map_or(&[], |(_, keys)| keys)
}

/// Rejects a key of another kind in `t`, naming its kind and what goes there
/// instead; `common` are the option-level keys (only an error inside a hybrid's
/// baseline or burst). Keys of no kind are left to the unknown-key check.
pub fn check(t: &Table, place: Place, common: &[&str]) -> Result<(), Diag> {
    let own = match place {
        Place::Option(kind) | Place::Baseline(kind) => kind,
        Place::Burst => "iaas",
    };
    for (key, _) in t.entries() {
        let name = key.name.as_str();
        let at = |message: String| Diag::new(join(&t.path, name), key.span.clone(), message);
        if !matches!(place, Place::Option(_)) {
            if name == "kind" && place == Place::Burst {
                return Err(at("the burst pool is always iaas: it has no \"kind\"".into()).hint("remove it"));
            }
            if common.contains(&name) && name != "kind" {
                return Err(at(format!(
                    "\"{name}\" is set on the option itself (it applies to the baseline and the burst)"
                ))
                .hint(format!("move it out of {}, next to the option's name and region", part(place))));
            }
        }
        if keys_of(own).contains(&name) {
            continue;
        }
        let owners: Vec<&str> = KINDS.iter().filter(|(_, keys)| keys.contains(&name)).map(|(k, _)| *k).collect();
        let Some(&first) = owners.first() else { continue };
        let whose = format!("\"{name}\" is {} {} key", article(first), owners.join(" or "));
        let is_iaas = owners.contains(&"iaas");
        let is_fixed = owners.contains(&"bare_metal") || owners.contains(&"vps");
        let diag = match place {
            _ if first == "hybrid" => at(format!("{whose}; only a hybrid option has a baseline and a burst pool"))
                .hint("remove it, or use kind = \"hybrid\" at the option level"),
            Place::Option("hybrid") => {
                let inside = match (is_fixed, is_iaas) {
                    (true, true) => "baseline or burst",
                    (true, false) => "baseline",
                    _ => "burst",
                };
                at(format!("{whose}; a hybrid option takes it inside {inside} = {{ … }}"))
                    .hint(format!("move it into {inside}"))
            }
            Place::Baseline(_) if is_iaas && !is_fixed => {
                at(format!("{whose}; in a hybrid option it belongs in burst")).hint("move it into burst = { … }")
            }
            Place::Burst => {
                at(format!("{whose}; in a hybrid option it belongs in baseline")).hint("move it into baseline = { … }")
            }
            _ => {
                let instead = INSTEAD
                    .iter()
                    .find(|(k, on, _)| *k == name && *on == own)
                    .map_or_else(|| format!("kind = \"{own}\" has no such key"), |(_, _, text)| text.to_string());
                at(format!("{whose}; {instead}")).hint(format!("remove it, or use kind = \"{first}\""))
            }
        };
        return Err(diag);
    }
    Ok(())
}

fn article(kind: &str) -> &'static str {
    if kind == "iaas" { "an" } else { "a" }
}

fn part(place: Place) -> &'static str {
    match place {
        Place::Burst => "burst",
        _ => "baseline",
    }
}
