//! Built-in regions and the round-trip times between them.
//!
//! The RTTs are IBM Cloud's published VM-to-VM measurements (30-day means,
//! `data/inter_region_rtt_ibmcloud_2026-08-16.csv`, see `data/PROVENANCE.md`),
//! embedded at build time. The matrix is slightly asymmetric, so the RTT
//! between two cities is the mean of both directions; within one region it
//! is 1 ms.
//!
//! Each region also has a UTC offset (its standard time; no daylight
//! saving), for `[traffic] local_time`.
//!
//! Region names are matched case-insensitively; `-` and spaces count as `_`.
//! Canonical names: washington, dallas, toronto, montreal, sao_paulo, london,
//! frankfurt, madrid, tokyo, osaka, sydney, mumbai, chennai. Cloud-style
//! aliases map to the nearest measured city:
//!
//! Every AWS region hostsim prices (`aws_regions()`) is an
//! alias of the measured city nearest to it (the city itself where one of the
//! 13 hosts the region; otherwise a proxy, marked below). A city that hosts
//! an AWS region prices cloud instances there (`aws_region`).
//!
//! | alias | region |
//! |---|---|
//! | `us-east-1`, `us-east-2` (proxy), `washington-dc` | washington |
//! | `us-west-1`, `us-west-2`, `mx-central-1` (all proxies) | dallas |
//! | `ca-central-1` | montreal |
//! | `ca-west-1` (proxy) | toronto |
//! | `sa-east-1`, `são paulo` | sao_paulo |
//! | `eu-west-2`; `eu-west-1`, `eu-west-3`, `af-south-1` (proxies) | london |
//! | `eu-central-1`; `eu-north-1`, `eu-central-2`, `eu-south-1`, `il-central-1` (proxies) | frankfurt |
//! | `eu-south-2` | madrid |
//! | `ap-northeast-1`; `ap-east-2` (proxy) | tokyo |
//! | `ap-northeast-3`; `ap-northeast-2`, `ap-east-1` (proxies) | osaka |
//! | `ap-southeast-2`; `ap-southeast-4`, `ap-southeast-6` (proxies) | sydney |
//! | `ap-south-1`; `me-central-1`, `me-south-1` (proxies) | mumbai |
//! | `ap-south-2`, `ap-southeast-1`, `-3`, `-5`, `-7` (all proxies) | chennai |

use std::sync::OnceLock;

/// Canonical names of the built-in regions, in a fixed order.
const REGIONS: [&str; 13] = [
    "washington",
    "dallas",
    "toronto",
    "montreal",
    "sao_paulo",
    "london",
    "frankfurt",
    "madrid",
    "tokyo",
    "osaka",
    "sydney",
    "mumbai",
    "chennai",
];

/// Each region's standard time minus UTC, in minutes, in `REGIONS` order:
/// the time its users keep in winter (daylight saving is not modelled:
/// washington, toronto, montreal, dallas, london, frankfurt, madrid and
/// sydney run an hour ahead of this for part of the year).
const UTC_OFFSET_MIN: [i32; 13] = [
    -5 * 60,     // washington: EST
    -6 * 60,     // dallas: CST
    -5 * 60,     // toronto: EST
    -5 * 60,     // montreal: EST
    -3 * 60,     // sao_paulo: BRT (no daylight saving since 2019)
    0,           // london: GMT
    60,          // frankfurt: CET
    60,          // madrid: CET
    9 * 60,      // tokyo: JST
    9 * 60,      // osaka: JST
    10 * 60,     // sydney: AEST
    5 * 60 + 30, // mumbai: IST
    5 * 60 + 30, // chennai: IST
];

/// Aliases (any case; `-` and spaces are read as `_`) and the region they stand for.
pub const ALIASES: &[(&str, &str)] = &[
    ("us-east-1", "washington"),
    ("us-east-2", "washington"),
    ("washington-dc", "washington"),
    ("us-west-1", "dallas"),
    ("us-west-2", "dallas"),
    ("mx-central-1", "dallas"),
    ("ca-central-1", "montreal"),
    ("ca-west-1", "toronto"),
    ("sa-east-1", "sao_paulo"),
    ("eu-west-1", "london"),
    ("eu-west-2", "london"),
    ("eu-west-3", "london"),
    ("af-south-1", "london"),
    ("eu-central-1", "frankfurt"),
    ("eu-central-2", "frankfurt"),
    ("eu-north-1", "frankfurt"),
    ("eu-south-1", "frankfurt"),
    ("il-central-1", "frankfurt"),
    ("eu-south-2", "madrid"),
    ("ap-northeast-1", "tokyo"),
    ("ap-east-2", "tokyo"),
    ("ap-northeast-2", "osaka"),
    ("ap-northeast-3", "osaka"),
    ("ap-east-1", "osaka"),
    ("ap-southeast-2", "sydney"),
    ("ap-southeast-4", "sydney"),
    ("ap-southeast-6", "sydney"),
    ("ap-south-1", "mumbai"),
    ("me-central-1", "mumbai"),
    ("me-south-1", "mumbai"),
    ("ap-south-2", "chennai"),
    ("ap-southeast-1", "chennai"),
    ("ap-southeast-3", "chennai"),
    ("ap-southeast-5", "chennai"),
    ("ap-southeast-7", "chennai"),
];

/// The AWS region in each measured city that hosts one (dallas, toronto and
/// chennai host none: write the AWS region's own name there).
const CITY_AWS_REGION: &[(&str, &str)] = &[
    ("washington", "us-east-1"),
    ("montreal", "ca-central-1"),
    ("sao_paulo", "sa-east-1"),
    ("london", "eu-west-2"),
    ("frankfurt", "eu-central-1"),
    ("madrid", "eu-south-2"),
    ("tokyo", "ap-northeast-1"),
    ("osaka", "ap-northeast-3"),
    ("sydney", "ap-southeast-2"),
    ("mumbai", "ap-south-1"),
];

/// The 34 AWS regions (the aliases named like `xx-name-N`), in the aliases' order.
pub fn aws_regions() -> impl Iterator<Item = &'static str> + Clone {
    ALIASES.iter().map(|(a, _)| *a).filter(|a| a.contains('-') && a.ends_with(|c: char| c.is_ascii_digit()))
}

/// The AWS region a written region name prices cloud instances in: an AWS
/// region's own name, or a measured city that hosts one.
pub fn aws_region(name: &str) -> Option<&'static str> {
    let n = normalize(name);
    if let Some(a) = aws_regions().find(|a| normalize(a) == n) {
        return Some(a);
    }
    let city = canonical_region(name)?;
    CITY_AWS_REGION.iter().find(|(c, _)| *c == city).map(|(_, a)| *a)
}

/// RTT within one region, in milliseconds.
pub const SAME_REGION_RTT_MS: f64 = 1.0;

const RTT_CSV: &str = include_str!("../data/inter_region_rtt_ibmcloud_2026-08-16.csv");

/// The canonical names of the built-in regions.
pub fn known_regions() -> &'static [&'static str] {
    &REGIONS
}

/// Lowercases and reads `-`, spaces and `ã` as `_` / `a`, so "Sao Paulo",
/// "são-paulo" and "SAO_PAULO" all look alike.
pub fn normalize(name: &str) -> String {
    name.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            '-' | ' ' => '_',
            'ã' => 'a',
            c => c,
        })
        .collect()
}

/// The canonical name of a built-in region or alias, if `name` is one.
pub fn canonical_region(name: &str) -> Option<&'static str> {
    let n = normalize(name);
    if let Some(r) = REGIONS.iter().find(|r| **r == n) {
        return Some(r);
    }
    ALIASES.iter().find(|(alias, _)| normalize(alias) == n).map(|(_, r)| *r)
}

/// The built-in RTT between two regions (names or aliases), in milliseconds:
/// the mean of both measured directions, or 1 ms within one region.
pub fn builtin_rtt_ms(a: &str, b: &str) -> Option<f64> {
    let i = index(canonical_region(a)?)?;
    let j = index(canonical_region(b)?)?;
    if i == j {
        return Some(SAME_REGION_RTT_MS);
    }
    let m = matrix();
    Some((m[i][j]? + m[j][i]?) / 2.0)
}

/// The built-in UTC offset of a region (name or alias) in seconds: its
/// standard time, without daylight saving.
pub fn builtin_utc_offset_s(region: &str) -> Option<i32> {
    Some(UTC_OFFSET_MIN[index(canonical_region(region)?)?] * 60)
}

fn index(canonical: &str) -> Option<usize> {
    REGIONS.iter().position(|r| *r == canonical)
}

/// The measured one-direction RTTs, `m[from][to]`, parsed once.
fn matrix() -> &'static [[Option<f64>; 13]; 13] {
    static MATRIX: OnceLock<[[Option<f64>; 13]; 13]> = OnceLock::new();
    MATRIX.get_or_init(|| parse_csv(RTT_CSV))
}

/// Reads `from,to,avg_rtt_ms,...` rows; rows it cannot read are skipped
/// (a unit test checks that every pair is present).
fn parse_csv(text: &str) -> [[Option<f64>; 13]; 13] {
    let mut m = [[None; 13]; 13];
    for line in text.lines().skip(1) {
        let mut cols = line.split(',');
        let (Some(from), Some(to), Some(rtt)) = (cols.next(), cols.next(), cols.next()) else { continue };
        let (Some(i), Some(j)) = (city_index(from), city_index(to)) else { continue };
        if let Ok(ms) = rtt.trim().parse::<f64>() {
            m[i][j] = Some(ms);
        }
    }
    m
}

/// The region index of a city as the CSV spells it ("Washington DC", "Sao Paulo").
fn city_index(city: &str) -> Option<usize> {
    let n = normalize(city);
    let n = if n == "washington_dc" { "washington".to_string() } else { n };
    index(&n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_measured_pair_is_present() {
        let m = matrix();
        for i in 0..13 {
            for j in 0..13 {
                assert_eq!(m[i][j].is_some(), i != j, "{} -> {}", REGIONS[i], REGIONS[j]);
            }
        }
    }

    #[test]
    fn washington_tokyo_is_the_mean_of_both_directions() {
        // CSV: Washington DC -> Tokyo 142 ms, Tokyo -> Washington DC 139 ms.
        assert_eq!(builtin_rtt_ms("washington", "tokyo"), Some(140.5));
        assert_eq!(builtin_rtt_ms("tokyo", "washington"), Some(140.5));
    }

    #[test]
    fn dallas_washington_from_the_csv() {
        // CSV: Dallas -> Washington DC 32 ms; the reverse row decides the mean.
        let rtt = builtin_rtt_ms("dallas", "washington").unwrap();
        assert!((20.0..45.0).contains(&rtt), "{rtt}");
    }

    #[test]
    fn same_region_is_one_millisecond() {
        assert_eq!(builtin_rtt_ms("london", "eu-west-2"), Some(1.0));
    }

    #[test]
    fn aliases_and_spellings_map_to_canonical_names() {
        assert_eq!(canonical_region("us-east-1"), Some("washington"));
        assert_eq!(canonical_region("US-WEST-2"), Some("dallas"));
        assert_eq!(canonical_region("ap-southeast-1"), Some("chennai"));
        assert_eq!(canonical_region("Washington DC"), Some("washington"));
        assert_eq!(canonical_region("Sao Paulo"), Some("sao_paulo"));
        assert_eq!(canonical_region("são paulo"), Some("sao_paulo"));
        assert_eq!(canonical_region("sao-paulo"), Some("sao_paulo"));
        assert_eq!(canonical_region("Tokyo"), Some("tokyo"));
        assert_eq!(canonical_region("atlantis"), None);
        assert_eq!(builtin_rtt_ms("us-east-1", "ap-northeast-1"), Some(140.5));
    }

    #[test]
    fn aws_regions_from_their_names_or_their_cities() {
        assert_eq!(aws_region("EU-WEST-1"), Some("eu-west-1"));
        assert_eq!(aws_region("london"), Some("eu-west-2"));
        assert_eq!(aws_region("washington-dc"), Some("us-east-1"));
        assert_eq!(aws_region("dallas"), None);
        assert_eq!(aws_region("atlantis"), None);
        // 34 AWS regions, each a city's or a proxy's alias; each city's region is one of them.
        assert_eq!(aws_regions().count(), 34);
        assert!(aws_regions().all(|a| aws_region(a) == Some(a)));
        for (city, aws) in CITY_AWS_REGION {
            assert_eq!(canonical_region(aws), Some(*city));
        }
    }

    #[test]
    fn utc_offsets_are_standard_time() {
        assert_eq!(builtin_utc_offset_s("washington"), Some(-5 * 3600));
        assert_eq!(builtin_utc_offset_s("eu-west-2"), Some(0));
        assert_eq!(builtin_utc_offset_s("Tokyo"), Some(9 * 3600));
        assert_eq!(builtin_utc_offset_s("ap-south-1"), Some(5 * 3600 + 1800));
        assert_eq!(builtin_utc_offset_s("lagos"), None);
    }

    #[test]
    fn every_alias_points_at_a_known_region() {
        for (alias, region) in ALIASES {
            assert!(REGIONS.contains(region), "{alias} -> {region}");
            assert_eq!(canonical_region(alias), Some(*region));
        }
    }
}
