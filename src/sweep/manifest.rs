//! `sweep.toml`: what a sweep directory holds (scenario, a hash of its text,
//! the `--set` values, seed, hostsim version, for a shard which slice, and
//! the rows and SHA-256 of its `sweep.csv`), so `merge` can refuse shards
//! that do not belong together or were changed after they were written.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::args::Objective;
use super::grid::{Grid, MAX_POINTS};
use super::optimum::Goal;
use super::shard::{MAX_SHARDS, Shard};
use crate::model::Scenario;

/// The manifest's file name in every sweep directory.
pub const FILE: &str = "sweep.toml";

/// One swept key and its values (the `sweep.csv` labels).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetEntry {
    /// Dotted key path.
    pub key: String,
    /// Values in the order given.
    pub values: Vec<String>,
    /// True for a `--link` key (its values go in step with the other linked keys').
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub linked: bool,
}

/// The contents of `sweep.toml`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// `CARGO_PKG_VERSION` of the hostsim that wrote it.
    pub hostsim_version: String,
    /// Scenario name (of the first point).
    pub scenario: String,
    /// FNV-1a 64 of the scenario file's bytes, `fnv1a64:<16 hex digits>`.
    pub scenario_hash: String,
    /// Seed of the first point (a string: seeds may exceed TOML's integers).
    pub seed: String,
    /// Replications of the first point.
    pub replications: u32,
    /// FNV-1a 64 of the `--set` keys and values.
    pub sets_hash: String,
    /// Points in the whole sweep (all shards).
    pub points: usize,
    /// `cost` or `carbon` when the sweep was asked to optimise (merge then does it too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optimize: Option<String>,
    /// `--max-cost`: points above it are left out of the optimum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_cost_usd: Option<f64>,
    /// `bisect KEY` for `--search bisect KEY`: `sweep.csv` then holds only
    /// the points tried (`search.csv` lists them in the order tried).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
    /// The scenario's `[slo] p99_ms`, for the chart and the optimum's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slo_p99_ms: Option<f64>,
    /// The scenario's `[slo] success`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slo_success: Option<f64>,
    /// 1-based shard index; absent for a whole sweep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<u32>,
    /// Number of shards; absent for a whole sweep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shards: Option<u32>,
    /// What the directory's `sweep.csv` holds; set by the writer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csv: Option<CsvDigest>,
    /// The swept keys in order (last: TOML writes arrays of tables after plain keys).
    #[serde(rename = "set")]
    pub sets: Vec<SetEntry>,
}

/// The data rows and the SHA-256 of a `sweep.csv`: `merge` refuses a shard
/// whose file was edited, cut short, or lost or gained a row since.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CsvDigest {
    /// Rows after the header.
    pub rows: usize,
    /// `sha256:<64 hex digits>` of the file's bytes.
    pub sha256: String,
}

/// SHA-256 of `bytes`, as `sha256:<64 hex digits>`.
pub fn sha256(bytes: &[u8]) -> String {
    let hex: String = Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// 64-bit FNV-1a, as `fnv1a64:<hex>`: stable across platforms and Rust
/// versions (std's hasher is not), enough to tell files apart.
pub fn fnv1a64(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("fnv1a64:{h:016x}")
}

/// The swept keys and values as manifest entries.
pub fn set_entries(grid: &Grid) -> Vec<SetEntry> {
    let entries = grid.specs().iter().enumerate();
    entries
        .map(|(k, s)| SetEntry {
            key: s.key.clone(),
            values: s.values.iter().map(|v| v.label.clone()).collect(),
            linked: grid.is_linked(k),
        })
        .collect()
}

/// The hash of the swept keys and values (length-prefixed, so no two lists
/// collide by concatenation; a linked key's line ends in `linked`, which no
/// length-prefixed text can).
pub fn sets_hash(sets: &[SetEntry]) -> String {
    let mut bytes = Vec::new();
    for s in sets {
        for text in std::iter::once(&s.key).chain(&s.values) {
            bytes.extend_from_slice(format!("{}:", text.len()).as_bytes());
            bytes.extend_from_slice(text.as_bytes());
        }
        if s.linked {
            bytes.extend_from_slice(b"linked");
        }
        bytes.push(b'\n');
    }
    fnv1a64(&bytes)
}

impl Manifest {
    /// The manifest of a sweep over `grid` whose first point is `first`
    /// (scenario file text `text`), of one shard or (`None`) whole.
    pub fn of_sweep(
        first: &Scenario,
        text: &str,
        grid: &Grid,
        optimize: Option<(Objective, Option<f64>)>,
        shard: Option<Shard>,
    ) -> Manifest {
        let sets = set_entries(grid);
        Manifest {
            hostsim_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario: first.name.clone(),
            scenario_hash: fnv1a64(text.as_bytes()),
            seed: first.seed.to_string(),
            replications: first.replications,
            sets_hash: sets_hash(&sets),
            points: grid.len(),
            optimize: optimize.map(|(o, _)| o.as_str().to_string()),
            max_cost_usd: optimize.and_then(|(_, max)| max),
            search: None,
            slo_p99_ms: first.slo.as_ref().and_then(|s| s.p99_ms),
            slo_success: first.slo.as_ref().and_then(|s| s.success),
            shard: shard.map(|s| s.index),
            shards: shard.map(|s| s.count),
            csv: None,
            sets,
        }
    }

    /// As TOML, with a comment saying what it is.
    pub fn to_toml(&self) -> Result<String, String> {
        let body = toml::to_string(self).map_err(|e| format!("cannot write {FILE}: {e}"))?;
        Ok(format!("# hostsim sweep manifest: lets `hostsim merge` check that shards belong together.\n{body}"))
    }

    /// Reads a manifest; the error says what is wrong. The counts are
    /// checked here, so a forged `shards` cannot size an allocation.
    pub fn from_toml(text: &str) -> Result<Manifest, String> {
        let m: Manifest = toml::from_str(text).map_err(|e| e.message().to_string())?;
        if !(1..=MAX_POINTS).contains(&m.points) {
            return Err(format!("points = {} is outside 1 to {MAX_POINTS}", m.points));
        }
        match (m.shard, m.shards) {
            (None, None) => {}
            (Some(i), Some(n)) => {
                let most = MAX_SHARDS.min(u32::try_from(m.points).unwrap_or(u32::MAX));
                if !(1..=most).contains(&n) {
                    return Err(format!("shards = {n} is outside 1 to {most} (the sweep has {} points)", m.points));
                }
                if !(1..=n).contains(&i) {
                    return Err(format!("shard = {i} is outside 1 to {n}"));
                }
            }
            _ => return Err("shard and shards go together: give both or neither".into()),
        }
        Ok(m)
    }

    /// The same manifest for the whole sweep (no shard fields).
    /// What the optimum minimises, if the sweep optimises.
    pub fn goal(&self) -> Option<Goal> {
        self.optimize.as_deref().map(|o| Goal::recorded(o, self.max_cost_usd))
    }

    pub fn whole(&self) -> Manifest {
        Manifest { shard: None, shards: None, ..self.clone() }
    }

    /// The first way `other` belongs to a different sweep, as
    /// `what (this vs other)`; `None` when they can be merged.
    pub fn difference(&self, other: &Manifest) -> Option<String> {
        let (mut sets_a, mut sets_b) = (describe_sets(&self.sets), describe_sets(&other.sets));
        if sets_a == sets_b && (self.sets_hash != other.sets_hash || self.points != other.points) {
            (sets_a, sets_b) = (self.sets_hash.clone(), other.sets_hash.clone());
        }
        let checks = [
            ("hostsim version", self.hostsim_version.clone(), other.hostsim_version.clone()),
            ("scenario", self.scenario.clone(), other.scenario.clone()),
            ("scenario file contents", self.scenario_hash.clone(), other.scenario_hash.clone()),
            ("seed", self.seed.clone(), other.seed.clone()),
            ("replications", self.replications.to_string(), other.replications.to_string()),
            ("--set keys or values", sets_a, sets_b),
            ("number of shards", opt(self.shards), opt(other.shards)),
        ];
        checks.into_iter().find(|(_, a, b)| a != b).map(|(what, a, b)| format!("{what} ({a} vs {b})"))
    }
}

fn opt(n: Option<u32>) -> String {
    n.map_or_else(|| "none".into(), |n| n.to_string())
}

fn describe_sets(sets: &[SetEntry]) -> String {
    let flag = |s: &SetEntry| if s.linked { "--link " } else { "" };
    let parts = sets.iter().map(|s| format!("{}{}={}", flag(s), s.key, s.values.join(",")));
    let text = parts.collect::<Vec<_>>().join(" ");
    if text.chars().count() > 80 { format!("{}…", text.chars().take(80).collect::<String>()) } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Manifest {
        let sets =
            vec![SetEntry { key: "option.web.servers".into(), values: vec!["1".into(), "2".into()], linked: false }];
        Manifest {
            hostsim_version: "0.1.0".into(),
            scenario: "shop".into(),
            scenario_hash: fnv1a64(b"name = \"shop\""),
            seed: "42".into(),
            replications: 2,
            sets_hash: sets_hash(&sets),
            points: 2,
            optimize: Some("cost".into()),
            max_cost_usd: None,
            search: None,
            slo_p99_ms: Some(300.0),
            slo_success: None,
            shard: Some(1),
            shards: Some(2),
            csv: Some(CsvDigest { rows: 0, sha256: sha256(b"abc") }),
            sets,
        }
    }

    #[test]
    fn round_trips_through_toml() {
        let m = sample();
        let text = m.to_toml().unwrap();
        assert!(text.contains("[[set]]") && text.contains("shard = 1"), "{text}");
        assert_eq!(Manifest::from_toml(&text).unwrap(), m);
        assert!(!m.whole().to_toml().unwrap().contains("\nshard"));
    }

    #[test]
    fn sha256_matches_the_reference_value() {
        // FIPS 180-2 test vector: SHA-256("abc").
        let want = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(sha256(b"abc"), want);
    }

    #[test]
    fn counts_are_bounded_by_the_points() {
        let text = |m: &Manifest| m.to_toml().unwrap();
        let a = sample();
        let huge = Manifest { shards: Some(u32::MAX), ..a.clone() };
        let e = Manifest::from_toml(&text(&huge)).unwrap_err();
        assert!(e.contains("shards = 4294967295 is outside 1 to 2 (the sweep has 2 points)"), "{e}");
        let e = Manifest::from_toml(&text(&Manifest { shard: Some(3), ..a.clone() })).unwrap_err();
        assert!(e.contains("shard = 3 is outside 1 to 2"), "{e}");
        let e = Manifest::from_toml(&text(&Manifest { shard: None, ..a.clone() })).unwrap_err();
        assert!(e.contains("give both or neither"), "{e}");
        let e = Manifest::from_toml(&text(&Manifest { points: usize::MAX >> 1, ..a.clone() })).unwrap_err();
        assert!(e.contains("outside 1 to 100000"), "{e}");
    }

    #[test]
    fn fnv_matches_the_reference_values() {
        // FNV-1a 64 test vectors: "" → cbf29ce484222325, "a" → af63dc4c8601ec8c.
        assert_eq!(fnv1a64(b""), "fnv1a64:cbf29ce484222325");
        assert_eq!(fnv1a64(b"a"), "fnv1a64:af63dc4c8601ec8c");
    }

    #[test]
    fn differences_are_named() {
        let a = sample();
        assert_eq!(a.difference(&Manifest { shard: Some(2), ..a.clone() }), None);
        let b = Manifest { seed: "7".into(), ..a.clone() };
        assert_eq!(a.difference(&b).unwrap(), "seed (42 vs 7)");
        let c = Manifest { scenario_hash: fnv1a64(b"other"), ..a.clone() };
        assert!(a.difference(&c).unwrap().starts_with("scenario file contents"));
        let sets =
            vec![SetEntry { key: "option.web.servers".into(), values: vec!["1".into(), "3".into()], linked: false }];
        let d = Manifest { sets_hash: sets_hash(&sets), sets, ..a.clone() };
        assert_eq!(
            a.difference(&d).unwrap(),
            "--set keys or values (option.web.servers=1,2 vs option.web.servers=1,3)"
        );
        // The same keys and values linked instead of multiplied are another sweep.
        let linked: Vec<SetEntry> = a.sets.iter().map(|s| SetEntry { linked: true, ..s.clone() }).collect();
        assert_ne!(sets_hash(&linked), a.sets_hash);
        let e = Manifest { sets_hash: sets_hash(&linked), sets: linked, ..a.clone() };
        assert_eq!(
            a.difference(&e).unwrap(),
            "--set keys or values (option.web.servers=1,2 vs --link option.web.servers=1,2)"
        );
    }
}
