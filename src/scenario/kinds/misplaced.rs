//! Keys written on the wrong kind of option, or in the wrong part of a hybrid
//! option: the error says whose key it is and what belongs there instead.

use super::syntax::KindSyntax;
use crate::scenario::error::Diag;
use crate::scenario::node::Key;
use crate::scenario::reader::{Table, join};
use crate::scenario::spec;

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

/// The keys only the kind named `kind` has (none for an unknown kind).
fn keys_of(kinds: &[&dyn KindSyntax], kind: &str) -> &'static [spec::Key] {
    kinds.iter().find(|k| k.name() == kind).map_or(&[], |k| k.keys())
}

/// Rejects a key of another kind in `t`, naming its kind and what goes there
/// instead; `common` are the option-level keys (only an error inside a hybrid's
/// baseline or burst); `kinds` are every kind. Keys of no kind are left to
/// the unknown-key check.
pub fn check(t: &Table, place: Place, common: &[spec::Key], kinds: &[&dyn KindSyntax]) -> Result<(), Diag> {
    all(t, place, common, kinds).into_iter().next().map_or(Ok(()), Err)
}

/// Every misplaced key of `t`, as [`check`] reports the first.
pub fn all(t: &Table, place: Place, common: &[spec::Key], kinds: &[&dyn KindSyntax]) -> Vec<Diag> {
    t.entries().filter_map(|(key, _)| misplaced(&t.path, key, place, common, kinds)).collect()
}

/// Why `key` of the table at `path` is in the wrong place, if it is.
fn misplaced(path: &str, key: &Key, place: Place, common: &[spec::Key], kinds: &[&dyn KindSyntax]) -> Option<Diag> {
    let own = match place {
        Place::Option(kind) | Place::Baseline(kind) => kind,
        Place::Burst => "iaas",
    };
    let name = key.name.as_str();
    let at = |message: String| Diag::new(join(path, name), key.span.clone(), message);
    if !matches!(place, Place::Option(_)) {
        if name == "kind" && place == Place::Burst {
            return Some(at("the burst pool is always iaas: it has no \"kind\"".into()).hint("remove it"));
        }
        if spec::has(common, name) && name != "kind" {
            return Some(
                at(format!("\"{name}\" is set on the option itself (it applies to the baseline and the burst)"))
                    .hint(format!("move it out of {} to the option level, next to name and kind", part(place))),
            );
        }
    }
    if spec::has(keys_of(kinds, own), name) {
        return None;
    }
    let owners: Vec<&str> = kinds.iter().filter(|k| spec::has(k.keys(), name)).map(|k| k.name()).collect();
    let &first = owners.first()?;
    let whose = format!("\"{name}\" is {} {} key", article(first), or_list(&owners));
    let is_iaas = owners.contains(&"iaas");
    let is_fixed = owners.contains(&"bare_metal") || owners.contains(&"vps");
    Some(match place {
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
        // A hybrid option's own keys (its load balancer) sit at the option level.
        Place::Baseline(_) if owners.contains(&"hybrid") => {
            at(format!("{whose}; a hybrid option has it on the option itself (in front of the baseline and the burst)"))
                .hint("move it out of baseline to the option level, next to name and kind")
        }
        Place::Baseline(_) if is_iaas && !is_fixed => {
            at(format!("{whose}; in a hybrid option it belongs in burst")).hint("move it into burst = { … }")
        }
        Place::Burst if is_fixed => {
            at(format!("{whose}; in a hybrid option it belongs in baseline")).hint("move it into baseline = { … }")
        }
        _ => {
            let instead = kinds
                .iter()
                .filter(|k| k.name() == own)
                .flat_map(|k| k.instead())
                .find(|(k, _)| *k == name)
                .map_or_else(|| format!("kind = \"{own}\" has no such key"), |(_, text)| text.to_string());
            at(format!("{whose}; {instead}")).hint(format!("remove it, or use kind = \"{first}\""))
        }
    })
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
    use crate::scenario::test_option::option_error;

    const METAL: &str = "kind = \"bare_metal\"\nservers = 1\ncores = 2\n";
    const VPS: &str = "kind = \"vps\"\ninstances = 1\nplan = \"linode-4gb\"\n";

    /// The error for option "x" in london with `keys`.
    fn error(keys: &str) -> String {
        option_error(&format!("name = \"x\"\nregion = \"london\"\n{keys}"))
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
            (format!("{METAL}vcpus = 2"), "\"vcpus\" is a vps, iaas, paas or serverless key; bare metal has \"cores\""),
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
}
