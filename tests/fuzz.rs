//! Property test of the scenario parser and validator: arbitrary bytes and
//! random mutations of every valid scenario (`scenarios/**/*.toml`, the
//! `init` template) and of the bad-input corpus never panic, and always give
//! a scenario or a located `ScenarioError` (exit 2). A valid result also
//! survives the resource estimate and reads back from its resolved TOML.
//!
//! 10,000 cases by default; more with `HOSTSIM_FUZZ_CASES=1000000`, and
//! another stream with `HOSTSIM_FUZZ_SEED=N`. A failure prints the case's
//! seed and text.

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use hostsim::scenario;
use rand::{Rng, RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::common::cli::toml_files;

/// The `.toml` files of a directory of the repository.
fn texts(dir: &str) -> Vec<String> {
    toml_files(dir).iter().map(|f| fs::read_to_string(f).unwrap()).collect()
}

/// Starting points of mutations: valid scenarios (with the init template)
/// and the bad-input corpus.
fn seeds() -> (Vec<String>, Vec<String>) {
    let mut valid = texts("scenarios");
    valid.extend(texts("scenarios/bench"));
    valid.push(scenario::INIT_TEMPLATE.to_string());
    (valid, texts("tests/bad_inputs"))
}

/// Fragments worth inserting: TOML syntax, awkward numbers and durations,
/// and every key that appears in the seeds.
fn dictionary(seeds: &[String]) -> Vec<String> {
    let mut words: Vec<String> = [
        "=",
        "\"",
        "'",
        "[",
        "]",
        "{",
        "}",
        ",",
        ".",
        "\n",
        "#",
        "[[option]]\n",
        "[traffic]\n",
        "[workload]\n",
        "0",
        "-1",
        "1e308",
        "-1e308",
        "1e-320",
        "nan",
        "inf",
        "-inf",
        "18446744073709551616",
        "0.0",
        "1e12",
        "\"0s\"",
        "\"1d\"",
        "\"-5m\"",
        "\"1e9d\"",
        "\"99999999999999d\"",
        "\"ms\"",
        "\"\"",
        "true",
        "[]",
        "{}",
        "\"..\"",
        "\"/x\"",
        "\"\\u0000\"",
        "\u{feff}",
        "é",
        "\"nan\"",
        "1979-05-27T07:32:00Z",
        "0x10",
        "1_000",
    ]
    .map(String::from)
    .to_vec();
    for text in seeds {
        for line in text.lines() {
            if let Some((key, _)) = line.split_once('=') {
                let key = key.trim();
                if !key.is_empty() && !key.starts_with('#') && key.len() < 40 {
                    words.push(key.to_string());
                }
            }
        }
    }
    words.sort();
    words.dedup();
    words
}

/// One to four random edits of `text`, on a char boundary.
fn mutate(text: &str, words: &[String], rng: &mut impl Rng) -> String {
    let mut s = text.to_string();
    let edits = if rng.random_bool(0.5) { 1 } else { rng.random_range(2..=4) };
    for _ in 0..edits {
        let at = |s: &str, rng: &mut dyn FnMut(usize) -> usize| {
            let mut i = rng(s.len() + 1);
            while !s.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let mut pick = |n: usize| rng.random_range(0..n.max(1));
        let i = at(&s, &mut pick);
        let j = at(&s, &mut pick);
        let (a, b) = (i.min(j), i.max(j).min(i.min(j) + 64));
        let b = (b..=s.len()).find(|&k| s.is_char_boundary(k)).unwrap_or(s.len());
        match rng.random_range(0..7) {
            0 => s.replace_range(a..b, ""),
            1 => s.insert_str(a, &words[rng.random_range(0..words.len())]),
            2 => s.replace_range(a..b, &words[rng.random_range(0..words.len())]),
            3 => {
                let copy = s[a..b].to_string();
                s.insert_str(b, &copy);
            }
            4 => s.truncate(a),
            5 => {
                // Replace one digit run with an extreme number.
                let n = ["0", "-0", "4294967296", "1e400", "-7", "0.5", "9007199254740993"][rng.random_range(0..7)];
                if let Some(k) = s[a..].find(|c: char| c.is_ascii_digit()) {
                    let start = a + k;
                    let end = s[start..].find(|c: char| !c.is_ascii_digit()).map_or(s.len(), |e| start + e);
                    s.replace_range(start..end, n);
                }
            }
            _ => {
                let c = char::from_u32(rng.random_range(0..0x250)).unwrap_or('?');
                s.insert(a, c);
            }
        }
    }
    s
}

/// Arbitrary bytes (lossily decoded, as the loader would refuse invalid UTF-8 as an I/O error).
fn noise(rng: &mut impl Rng) -> String {
    let len = rng.random_range(0..200);
    let bytes: Vec<u8> = (0..len).map(|_| rng.random()).collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Parses and validates one text: `Ok(true)` for a valid scenario,
/// `Ok(false)` for a proper error, `Err` for a property violation.
fn check(text: &str) -> Result<bool, String> {
    let path = Path::new("fuzz.toml");
    let outcome = catch_unwind(AssertUnwindSafe(|| match scenario::parse_str(text, path) {
        Ok(s) => {
            let e = hostsim::limits::estimate(&s);
            if e.requests.is_nan() || e.memory_bytes.is_nan() {
                return Err(format!("estimate is NaN: {e:?}"));
            }
            let resolved = scenario::to_resolved_toml(&s);
            scenario::parse_str(&resolved, path)
                .map(|_| true)
                .map_err(|e| format!("resolved.toml does not read back: {e}\n{resolved}"))
        }
        Err(e) => {
            let shown = e.to_string();
            if e.is_io() || !shown.starts_with("error: fuzz.toml") {
                return Err(format!("badly formed error: {shown}"));
            }
            Ok(false)
        }
    }));
    outcome.unwrap_or_else(|_| Err("panicked".to_string()))
}

#[test]
fn parser_and_validator_never_panic() {
    let cases: u64 = std::env::var("HOSTSIM_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let base: u64 = std::env::var("HOSTSIM_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0);
    let (valid_seeds, bad_seeds) = seeds();
    let words = dictionary(&[&valid_seeds[..], &bad_seeds[..]].concat());
    let mut failures = Vec::new();
    let mut valid = 0;
    for case in 0..cases {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(base.wrapping_mul(1 << 40) ^ case);
        let text = if case % 10 == 0 {
            noise(&mut rng)
        } else {
            let pool = if case % 10 < 8 { &valid_seeds } else { &bad_seeds };
            let seed = &pool[rng.random_range(0..pool.len())];
            mutate(seed, &words, &mut rng)
        };
        match check(&text) {
            Ok(ok) => valid += u64::from(ok),
            Err(why) => {
                failures.push(format!("case {case}: {why}\n--- text ---\n{text}\n------------"));
                if failures.len() >= 5 {
                    break;
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    // Mutations must also reach past the parser into valid scenarios.
    assert!(valid * 20 >= cases, "only {valid} of {cases} cases were valid scenarios");
    eprintln!("{cases} cases, {valid} valid scenarios");
}
