//! Region names in a scenario and the RTT matrix between them: built-in
//! regions and aliases (see `crate::network`) plus `[network.rtt_ms]`
//! overrides, which may also introduce new (custom) regions, and each
//! region's UTC offset (built-in, or from `[network.utc_offset]`).

use std::ops::Range;

use super::duration::parse_duration;
use super::error::Diag;
use super::model::Network;
use super::node::compact;
use super::reader::{Bounds, Field};
use super::spec::{Key, Type};
use super::suggest::did_you_mean;
use crate::network::{self, ALIASES, SAME_REGION_RTT_MS};
use crate::time::SimTime;

/// A region referred to by an option or by `traffic.users`, and where.
#[derive(Clone, Debug)]
pub struct UsedRegion {
    /// Canonical (or custom) name.
    pub name: String,
    /// Key path of the reference, for messages.
    pub path: String,
    pub span: Option<Range<usize>>,
}

/// The `[network.rtt_ms]` overrides.
#[derive(Debug, Default)]
pub struct Overrides {
    /// (region, region, ms), names resolved; symmetric.
    pairs: Vec<(String, String, f64)>,
    /// Region names that are neither built-in nor aliases.
    custom: Vec<String>,
    /// `[network.utc_offset]`: (region, seconds), names resolved.
    offsets: Vec<(String, i32)>,
}

/// `[network]`.
pub const NETWORK_KEYS: &[Key] = &[
    Key::new(
        "rtt_ms",
        Type::Map(&Type::Map(&Type::Number)),
        "round-trip times between regions, e.g. washington.tokyo = 150, over the built-in table",
    )
    .unit("ms"),
    Key::new(
        "utc_offset",
        Type::Map(&Type::Str),
        "a region's UTC offset (e.g. \"+5h 30m\"), whole minutes from -12h to +14h",
    ),
];

/// The widest UTC offsets in use (Baker Island, Line Islands).
const UTC_OFFSET_RANGE_S: (i32, i32) = (-12 * 3600, 14 * 3600);

impl Overrides {
    /// Reads the optional `[network]` table.
    pub fn read(network: Option<Field>) -> Result<Overrides, Diag> {
        let mut out = Overrides::default();
        let Some(network) = network else { return Ok(out) };
        let t = network.table(NETWORK_KEYS)?;
        if let Some(rtt) = t.get("rtt_ms") {
            out.read_rtts(&rtt)?;
        }
        if let Some(offsets) = t.get("utc_offset") {
            for (key, f) in offsets.map()?.entries() {
                let region = out.name_or_custom(&key.name, &f.path(), key.span.clone())?;
                if out.offsets.iter().any(|(r, _)| *r == region) {
                    return Err(Diag::new(f.path(), key.span.clone(), format!("region {region} is listed twice")));
                }
                out.offsets.push((region, utc_offset_s(&f)?));
            }
        }
        Ok(out)
    }

    /// Reads `[network.rtt_ms]`.
    fn read_rtts(&mut self, rtt: &Field) -> Result<(), Diag> {
        let rtt = rtt.map()?;
        for (from_key, from) in rtt.entries() {
            let from_table = from.map().map_err(|d| {
                d.hint(format!("write one entry per pair of regions: {}.tokyo = 150   # ms, round trip", from_key.name))
            })?;
            let a = self.name_or_custom(&from_key.name, &from.path(), from_key.span.clone())?;
            for (to_key, to) in from_table.entries() {
                let b = self.name_or_custom(&to_key.name, &to.path(), to_key.span.clone())?;
                let ms = to.number(Bounds::POSITIVE)?;
                match self.lookup(&a, &b) {
                    Some(old) if old != ms => {
                        return Err(to.error(format!(
                            "RTT between {a} and {b} given twice: {} ms and {} ms",
                            compact(old),
                            compact(ms)
                        )));
                    }
                    Some(_) => {}
                    None => self.pairs.push((a.clone(), b, ms)),
                }
            }
        }
        Ok(())
    }

    /// A region's UTC offset in seconds: `[network.utc_offset]`, else built-in.
    pub fn utc_offset_s(&self, region: &str) -> Option<i32> {
        let given = self.offsets.iter().find(|(r, _)| r == region).map(|(_, s)| *s);
        given.or_else(|| network::builtin_utc_offset_s(region))
    }

    /// The canonical name of a built-in region or alias, or a new custom name.
    fn name_or_custom(&mut self, name: &str, path: &str, span: Option<Range<usize>>) -> Result<String, Diag> {
        if let Some(r) = network::canonical_region(name) {
            return Ok(r.to_string());
        }
        let custom = network::normalize(name);
        if custom.is_empty() || custom.chars().any(char::is_control) {
            return Err(Diag::new(path, span, format!("\"{name}\" is not a usable region name")));
        }
        if !self.custom.contains(&custom) {
            self.custom.push(custom.clone());
        }
        Ok(custom)
    }

    /// The override for a pair, in either order.
    fn lookup(&self, a: &str, b: &str) -> Option<f64> {
        self.pairs.iter().find(|(x, y, _)| (x == a && y == b) || (x == b && y == a)).map(|(_, _, ms)| *ms)
    }

    /// Resolves a region name written by the user (built-in, alias, or a
    /// custom region defined in `[network.rtt_ms]`).
    pub fn resolve(&self, name: &str, path: &str, span: Option<Range<usize>>) -> Result<UsedRegion, Diag> {
        let resolved = network::canonical_region(name).map(str::to_string).or_else(|| {
            let n = network::normalize(name);
            self.custom.contains(&n).then_some(n)
        });
        match resolved {
            Some(name) => Ok(UsedRegion { name, path: path.to_string(), span }),
            None => {
                let known = network::known_regions();
                let candidates = known
                    .iter()
                    .copied()
                    .chain(ALIASES.iter().map(|(a, _)| *a))
                    .chain(self.custom.iter().map(String::as_str));
                Err(Diag::new(path, span, format!("unknown region \"{name}\"{}", did_you_mean(name, candidates))).hint(
                    format!(
                        "known regions: {}\n(aliases such as us-east-1 work too; a new region needs its round-trip \
                         times in [network.rtt_ms], e.g. {}.washington = 80)",
                        known.join(", "),
                        network::normalize(name)
                    ),
                ))
            }
        }
    }

    /// The RTT matrix between every used region, in order of first use.
    pub fn network(&self, used: &[UsedRegion]) -> Result<Network, Diag> {
        let mut firsts: Vec<&UsedRegion> = Vec::new();
        for u in used {
            if !firsts.iter().any(|f| f.name == u.name) {
                firsts.push(u);
            }
        }
        let n = firsts.len();
        let mut rtt_ms = vec![vec![0.0; n]; n];
        for j in 0..n {
            for i in 0..=j {
                let (a, b) = (&firsts[i].name, &firsts[j].name);
                let ms = self
                    .lookup(a, b)
                    .or_else(|| if a == b { Some(SAME_REGION_RTT_MS) } else { network::builtin_rtt_ms(a, b) })
                    .ok_or_else(|| {
                        Diag::new(
                            firsts[j].path.clone(),
                            firsts[j].span.clone(),
                            format!("no round-trip time between {a} and {b}"),
                        )
                        .hint(format!("add it to the scenario:\n[network.rtt_ms]\n{b}.{a} = 80   # ms, round trip"))
                    })?;
                rtt_ms[i][j] = ms;
                rtt_ms[j][i] = ms;
            }
        }
        Ok(Network { regions: firsts.iter().map(|f| f.name.clone()).collect(), rtt_ms })
    }
}

/// `"-5h"`, `"+5h 30m"`, `"0h"`: whole minutes within [−12 h, +14 h].
fn utc_offset_s(f: &Field) -> Result<i32, Diag> {
    let text = f.str().map_err(|d| d.hint("write the offset as a signed duration: \"-5h\", \"+5h 30m\""))?;
    let trimmed = text.trim_start();
    let (sign, magnitude) = match trimmed.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, trimmed.strip_prefix('+').unwrap_or(trimmed)),
    };
    let d = parse_duration(magnitude).map_err(|e| f.error(e))?;
    let (lo, hi) = UTC_OFFSET_RANGE_S;
    let range_s = if sign < 0 { -lo } else { hi };
    if d > SimTime::from_secs(range_s as u64) || !d.0.is_multiple_of(60_000_000) {
        return Err(f
            .error(format!("UTC offset \"{text}\" is not whole minutes from -12h to +14h"))
            .label("a time zone's offset from UTC"));
    }
    Ok(sign * (d.0 / 1_000_000) as i32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::node::Node;
    use crate::scenario::reader::Table;

    fn overrides(text: &str) -> Overrides {
        let root = Node::parse(text).unwrap();
        let t = Table::any(String::new(), &root).unwrap();
        Overrides::read(t.get("network")).unwrap()
    }

    fn used(o: &Overrides, names: &[&str]) -> Result<Network, Diag> {
        let used: Vec<UsedRegion> = names.iter().map(|n| o.resolve(n, "x", None)).collect::<Result<_, _>>()?;
        o.network(&used)
    }

    #[test]
    fn builtin_matrix_with_aliases() {
        let net = used(&Overrides::default(), &["us-east-1", "tokyo", "washington"]).unwrap();
        assert_eq!(net.regions, ["washington", "tokyo"]);
        assert_eq!(net.rtt_ms, vec![vec![1.0, 140.5], vec![140.5, 1.0]]);
    }

    #[test]
    fn overrides_win_and_add_custom_regions() {
        let o = overrides("[network.rtt_ms]\nwashington.tokyo = 150\nLagos = { london = 90, lagos = 2 }\n");
        let net = used(&o, &["washington", "tokyo", "lagos", "london"]).unwrap_err();
        assert!(net.message.contains("no round-trip time between washington and lagos"), "{}", net.message);
        let net = used(&o, &["tokyo", "washington"]).unwrap();
        assert_eq!(net.rtt_ms[0][1], 150.0);
        let net = used(&o, &["lagos", "london"]).unwrap();
        assert_eq!(net.rtt_ms, vec![vec![2.0, 90.0], vec![90.0, 1.0]]);
    }

    #[test]
    fn unknown_region_suggests() {
        let e = Overrides::default().resolve("tokio", "option \"a\".region", None).unwrap_err();
        assert_eq!(e.message, "unknown region \"tokio\", did you mean \"tokyo\"?");
        assert!(e.hint.unwrap().contains("known regions: washington, dallas"));
    }

    #[test]
    fn conflicting_overrides_are_errors() {
        let root = Node::parse("[network.rtt_ms]\na.b = 1\nb.a = 2\n").unwrap();
        let t = Table::any(String::new(), &root).unwrap();
        assert!(Overrides::read(t.get("network")).unwrap_err().message.contains("given twice"));
    }
}
