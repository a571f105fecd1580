//! Keys written on the wrong kind of option, or in the wrong part of a hybrid
//! option: the error says whose key it is and what belongs there instead.

use super::error::Diag;
use super::reader::{Table, join};
use super::{bare_metal, hybrid, iaas, paas, vps};

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

/// Every kind and the keys only it has (a key may belong to several kinds);
/// the single-pool kinds first, hybrid last.
const KINDS: [(&str, &[&str]); 5] = [
    ("bare_metal", bare_metal::KEYS),
    ("vps", vps::KEYS),
    ("iaas", iaas::KEYS),
    ("paas", paas::KEYS),
    ("hybrid", hybrid::KEYS),
];

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
    ("autoscaling", "vps", "a vps fleet is fixed; kind = \"iaas\", \"paas\" or \"hybrid\" scales"),
    ("servers", "paas", "a paas option has \"dynos\""),
    ("cores", "paas", "a paas option has \"vcpus\" (or a \"dyno\" type)"),
    ("price_usd", "paas", "dynos are rented: a paas option has \"monthly_usd\" (or a \"dyno\" type)"),
    ("lifetime", "paas", "dynos are rented, not bought: a paas option has \"monthly_usd\""),
    ("setup_usd", "paas", "a paas option has no setup fee"),
    ("colo_usd_per_month", "paas", "a paas option's \"monthly_usd\" covers hosting"),
    ("labour_usd_per_month", "paas", "a paas option's \"monthly_usd\" is its whole compute cost here"),
    ("power", "paas", "a paas option's \"monthly_usd\" includes power"),
    ("failures", "paas", "a paas option may have \"outages\" (the whole option down)"),
    ("instances", "paas", "a paas option has \"dynos\""),
    ("plan", "paas", "a paas option has \"dyno\" (a Heroku dyno type such as \"standard-1x\")"),
    ("hourly_usd", "paas", "dynos are priced per month: a paas option has \"monthly_usd\", prorated to the second"),
    ("neighbours", "paas", "noisy neighbours are modelled for a vps only"),
    ("instance", "paas", "a paas option has \"dyno\" (a Heroku dyno type such as \"standard-1x\")"),
    ("initial", "paas", "a paas option has \"dynos\" (the count at t = 0)"),
    ("billing", "paas", "dynos are billed per second up to \"monthly_usd\" per 730 h"),
    ("storage", "paas", "dynos have no volumes here: the workload's io time applies as it is"),
    ("dyno", "bare_metal", "bare metal has no catalog: give \"cores\" and \"price_usd\""),
    ("dynos", "bare_metal", "bare metal has \"servers\""),
    ("router_overhead", "bare_metal", "only a paas option has a platform router"),
    ("router_timeout", "bare_metal", "the client's timeout ([workload] timeout) applies"),
    ("backlog", "bare_metal", "bare metal may have \"max_queue\""),
    ("sleep_after", "bare_metal", "a bare-metal server never sleeps"),
    ("wake", "bare_metal", "a bare-metal server never sleeps"),
    ("dyno", "vps", "a vps has \"plan\""),
    ("dynos", "vps", "a vps has \"instances\""),
    ("router_overhead", "vps", "only a paas option has a platform router"),
    ("router_timeout", "vps", "the client's timeout ([workload] timeout) applies"),
    ("backlog", "vps", "a vps may have \"max_queue\""),
    ("sleep_after", "vps", "a vps never sleeps"),
    ("wake", "vps", "a vps never sleeps"),
    ("dyno", "iaas", "an iaas option has \"instance\" (an EC2 type such as \"m5.large\")"),
    ("dynos", "iaas", "an iaas option has \"initial\" (and \"autoscaling\")"),
    ("router_overhead", "iaas", "only a paas option has a platform router"),
    ("router_timeout", "iaas", "the client's timeout ([workload] timeout) applies"),
    ("backlog", "iaas", "an iaas option may have \"max_queue\""),
    ("sleep_after", "iaas", "an iaas instance never sleeps"),
    ("wake", "iaas", "an iaas instance never sleeps"),
    ("cpu_share", "bare_metal", "a bare-metal core is not shared: use cpu_speed for a slower or faster CPU"),
    ("cpu_share", "vps", "a vps's CPU share varies with its \"neighbours\" (steal); use cpu_speed for its speed"),
    ("cpu_share", "iaas", "an iaas vCPU is not shared: use cpu_speed for a slower or faster CPU"),
    ("pool_hours", "bare_metal", "a bare-metal server runs all month: its price covers every hour"),
    ("pool_hours", "vps", "a vps is billed per started hour up to \"monthly_usd\", with no pool of hours"),
    ("pool_hours", "iaas", "an iaas option is billed per \"billing.granularity\", with no pool of hours"),
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
                .hint(format!("move it out of {} to the option level, next to name and kind", part(place))));
            }
        }
        if keys_of(own).contains(&name) {
            continue;
        }
        let owners: Vec<&str> = KINDS.iter().filter(|(_, keys)| keys.contains(&name)).map(|(k, _)| *k).collect();
        let Some(&first) = owners.first() else { continue };
        let whose = format!("\"{name}\" is {} {} key", article(first), or_list(&owners));
        let is_iaas = owners.contains(&"iaas");
        let is_fixed = owners.contains(&"bare_metal") || owners.contains(&"vps");
        let diag = match place {
            _ if first == "hybrid" => at(format!("{whose}; only a hybrid option has a baseline and a burst pool"))
                .hint("remove it, or use kind = \"hybrid\" at the option level"),
            Place::Option("hybrid") if is_fixed || is_iaas => {
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
            Place::Burst if is_fixed => {
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

/// "a", "a or b", "a, b or c".
fn or_list(items: &[&str]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => items.join(""),
    }
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    const BASE: &str = "horizon = \"1d\"\n[traffic]\nbase_rps = 10\n[workload]\n\
        cpu = { dist = \"constant\", value = \"10ms\" }\n[[option]]\nname = \"x\"\nregion = \"london\"\n";
    const METAL: &str = "kind = \"bare_metal\"\nservers = 1\ncores = 2\n";
    const VPS: &str = "kind = \"vps\"\ninstances = 1\nplan = \"linode-4gb\"\n";

    fn error(keys: &str) -> String {
        match crate::scenario::parse_str(&format!("{BASE}{keys}"), Path::new("m.toml")) {
            Ok(_) => "parsed".into(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn iaas_keys_on_fixed_fleets() {
        let cases = [
            (format!("{METAL}instance = \"m5.large\""), "\"instance\" is an iaas key; bare metal has no catalog"),
            (format!("{METAL}initial = 2"), "\"initial\" is an iaas key; bare metal has \"servers\""),
            (format!("{METAL}boot = \"90s\""), "\"boot\" is an iaas or paas key; bare-metal capacity is fixed"),
            (format!("{METAL}billing = {{}}"), "\"billing\" is an iaas key; bare metal is bought"),
            (format!("{METAL}storage = {{}}"), "\"storage\" is an iaas key; bare-metal disks are local"),
            (format!("{METAL}autoscaling = {{}}"), "\"autoscaling\" is an iaas or paas key; bare-metal capacity"),
            (format!("{METAL}vcpus = 2"), "\"vcpus\" is a vps, iaas or paas key; bare metal has \"cores\""),
            (format!("{METAL}hourly_usd = 1"), "\"hourly_usd\" is a vps or iaas key; bare metal is not billed"),
            (
                format!("{VPS}instance = \"m5.large\""),
                "option \"x\".instance: \"instance\" is an iaas key; a vps has \"plan\"",
            ),
            (format!("{VPS}initial = 2"), "\"initial\" is an iaas key; a vps has \"instances\""),
            (format!("{VPS}boot = \"1s\""), "\"boot\" is an iaas or paas key; a vps fleet is fixed during a run"),
            (format!("{VPS}billing = {{}}"), "\"billing\" is an iaas key; a vps is billed per started hour"),
            (format!("{VPS}storage = {{}}"), "\"storage\" is an iaas key; a vps's storage slows down"),
            (format!("{VPS}autoscaling = {{}}"), "hint: remove it, or use kind = \"iaas\""),
            (format!("{VPS}burst = {{}}"), "\"burst\" is a hybrid key; only a hybrid option has a baseline"),
            (format!("{METAL}baseline = {{}}"), "hint: remove it, or use kind = \"hybrid\" at the option level"),
        ];
        for (keys, fragment) in cases {
            let err = error(&keys);
            assert!(err.contains(fragment), "expected {fragment:?} in:\n{err}");
        }
    }

    #[test]
    fn paas_keys_elsewhere_and_other_keys_on_paas() {
        const PAAS: &str = "kind = \"paas\"\ndyno = \"basic\"\n";
        const IAAS: &str = "kind = \"iaas\"\ninstance = \"m5.large\"\ninitial = 1\n";
        const HYBRID: &str = "kind = \"hybrid\"\nbaseline = { kind = \"vps\", instances = 1, plan = \"linode-4gb\" }\n\
            burst = { instance = \"m5.large\", autoscaling = { policy = \"hpa\", target = 0.5, max = 2 } }\n";
        let cases = [
            (
                format!("{PAAS}servers = 2"),
                "option \"x\".servers: \"servers\" is a bare_metal key; a paas option has \"dynos\"",
            ),
            (format!("{PAAS}instances = 2"), "\"instances\" is a vps key; a paas option has \"dynos\""),
            (
                format!("{PAAS}initial = 2"),
                "\"initial\" is an iaas key; a paas option has \"dynos\" (the count at t = 0)",
            ),
            (format!("{PAAS}instance = \"m5.large\""), "a paas option has \"dyno\" (a Heroku dyno type"),
            (format!("{PAAS}plan = \"linode-4gb\""), "\"plan\" is a vps key; a paas option has \"dyno\""),
            (format!("{PAAS}hourly_usd = 0.1"), "\"hourly_usd\" is a vps or iaas key; dynos are priced per month"),
            (format!("{PAAS}billing = {{}}"), "\"billing\" is an iaas key; dynos are billed per second"),
            (format!("{PAAS}storage = {{}}"), "\"storage\" is an iaas key; dynos have no volumes here"),
            (format!("{PAAS}neighbours = {{}}"), "\"neighbours\" is a vps key; noisy neighbours are modelled"),
            (format!("{PAAS}failures = {{}}"), "\"failures\" is a bare_metal key; a paas option may have \"outages\""),
            (format!("{PAAS}cores = 2"), "hint: remove it, or use kind = \"bare_metal\""),
            (format!("{PAAS}baseline = {{}}"), "\"baseline\" is a hybrid key; only a hybrid option has a baseline"),
            (format!("{METAL}dyno = \"eco\""), "\"dyno\" is a paas key; bare metal has no catalog"),
            (format!("{METAL}dynos = 2"), "\"dynos\" is a paas key; bare metal has \"servers\""),
            (format!("{METAL}backlog = 5"), "\"backlog\" is a paas key; bare metal may have \"max_queue\""),
            (format!("{VPS}dynos = 2"), "\"dynos\" is a paas key; a vps has \"instances\""),
            (format!("{VPS}sleep_after = \"1h\""), "\"sleep_after\" is a paas key; a vps never sleeps"),
            (format!("{VPS}router_timeout = \"1s\""), "hint: remove it, or use kind = \"paas\""),
            (format!("{VPS}pool_hours = 1000"), "\"pool_hours\" is a paas key; a vps is billed per started hour"),
            (
                format!("{VPS}monthly_usd = 5\nautoscaling = {{}}"),
                "\"autoscaling\" is an iaas or paas key; a vps fleet",
            ),
            (format!("{IAAS}dyno = \"eco\""), "\"dyno\" is a paas key; an iaas option has \"instance\""),
            (format!("{IAAS}dynos = 2"), "\"dynos\" is a paas key; an iaas option has \"initial\""),
            (format!("{IAAS}router_overhead = \"1ms\""), "only a paas option has a platform router"),
            (format!("{IAAS}wake = \"1s\""), "\"wake\" is a paas key; an iaas instance never sleeps"),
            (
                format!("{IAAS}monthly_usd = 5"),
                "\"monthly_usd\" is a vps or paas key; an iaas option has \"hourly_usd\"",
            ),
            (format!("{HYBRID}dyno = \"eco\""), "\"dyno\" is a paas key; kind = \"hybrid\" has no such key"),
            (
                format!("{HYBRID}boot = \"5s\""),
                "\"boot\" is an iaas or paas key; a hybrid option takes it inside burst",
            ),
            (
                HYBRID.replace("m5.large\"", "m5.large\", dynos = 2"),
                "burst.dynos: \"dynos\" is a paas key; an iaas option has \"initial\"",
            ),
            (
                HYBRID.replace("linode-4gb\"", "linode-4gb\", sleep_after = \"1h\""),
                "baseline.sleep_after: \"sleep_after\" is a paas key; a vps never sleeps",
            ),
        ];
        for (keys, fragment) in cases {
            let err = error(&keys);
            assert!(err.contains(fragment), "expected {fragment:?} in:\n{err}");
        }
        assert_eq!(super::or_list(&["a"]), "a");
        assert_eq!(super::or_list(&["a", "b", "c"]), "a, b or c");
    }

    #[test]
    fn every_kind_key_has_an_owner_and_every_instead_a_key() {
        for (key, on, _) in super::INSTEAD {
            assert!(!super::keys_of(on).is_empty(), "{on}");
            assert!(!super::keys_of(on).contains(key), "{key} is {on}'s own key");
            assert!(super::KINDS.iter().any(|(_, keys)| keys.contains(key)), "{key} belongs to no kind");
        }
        // Every key of a single-pool kind, written on another of those kinds, has its own text.
        for (kind, keys) in &super::KINDS[..4] {
            for (other, _) in &super::KINDS[..4] {
                for key in keys.iter().filter(|k| !super::keys_of(other).contains(k)) {
                    let found = super::INSTEAD.iter().any(|(k, on, _)| k == key && on == other);
                    assert!(found, "no text for {kind} key {key} on {other}");
                }
            }
        }
    }
}
