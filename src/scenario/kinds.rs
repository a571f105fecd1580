//! The hosting kinds' part of the scenario file. Each kind's keys, reader,
//! write-back to `resolved.toml` and "use X instead" hints live in its own
//! file behind [`KindSyntax`]; [`ALL`] is the registry that `option`,
//! `resolved` and the misplaced-key check iterate.

mod autoscaling;
pub(super) mod bare_metal;
mod commitment;
mod hybrid;
mod iaas;
pub mod load_balancer;
mod misplaced;
mod paas;
mod serverless;
mod storage;
mod syntax;
mod vps;

pub use misplaced::{Place, all as all_misplaced};
pub use syntax::{KindSyntax, Pairs, ReadContext};

use super::model::Kind;

/// Every kind, the single-pool kinds first and hybrid last: the order in
/// which messages list them.
pub const ALL: [&dyn KindSyntax; 6] =
    [&bare_metal::Syntax, &vps::Syntax, &iaas::Syntax, &paas::Syntax, &serverless::Syntax, &hybrid::Syntax];

/// The kind named `name`, if there is one.
pub fn find(name: &str) -> Option<&'static dyn KindSyntax> {
    ALL.into_iter().find(|k| k.name() == name)
}

/// The kind-specific keys of an option, as written to `resolved.toml`.
pub fn write(kind: &Kind) -> Pairs {
    ALL.iter().find_map(|k| k.write(kind)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::ALL;
    use crate::scenario::spec::has;

    #[test]
    fn every_kind_key_has_an_owner_and_every_instead_a_key() {
        for on in ALL {
            for (key, _) in on.instead() {
                assert!(!on.keys().is_empty(), "{}", on.name());
                assert!(!has(on.keys(), key), "{key} is {}'s own key", on.name());
                assert!(ALL.iter().any(|k| has(k.keys(), key)), "{key} belongs to no kind");
            }
        }
        // Every key of a single-pool kind, written on another of those kinds, has its own text.
        for kind in &ALL[..5] {
            for other in &ALL[..5] {
                for key in kind.keys().iter().map(|k| k.name).filter(|k| !has(other.keys(), k)) {
                    let found = other.instead().iter().any(|(k, _)| *k == key);
                    assert!(found, "no text for {} key {key} on {}", kind.name(), other.name());
                }
            }
        }
    }
}
