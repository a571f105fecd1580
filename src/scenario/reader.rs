//! Typed reading of a `Node` tree with key paths and clear errors:
//! "expected X, got Y", missing required keys, unknown keys with a suggestion.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use super::duration::{UNIT_LIST, parse_duration};
use super::error::{Diag, Diags};
use super::node::{Key, Node, Value};
use super::spec::{self, Read, Type};
use super::suggest::{closest, did_you_mean};
use crate::time::{SimTime, TimeUnit};

/// Numbers beyond this magnitude are rejected as absurd (rates, money, counts).
pub const MAX_MAGNITUDE: f64 = 1e12;

/// Durations beyond this (1000 years) are rejected as absurd, so sums of a
/// few durations can never overflow simulated time.
pub const MAX_DURATION: SimTime = SimTime(1000 * 31_536_000 * SimTime::MICROS_PER_SEC);

/// The shortest mean time between rare events of one kind (a neighbour's
/// state draws, failures, outages): anything shorter adds events by the
/// billion, not realism.
pub const MIN_EVENT_INTERVAL: SimTime = SimTime::from_secs(1);

/// The allowed range of a number: each end is (value, inclusive), or open-ended.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    lo: Option<(f64, bool)>,
    hi: Option<(f64, bool)>,
}

impl Bounds {
    /// `x >= 0`.
    pub const NONNEG: Bounds = Bounds::at_least(0.0);
    /// `x > 0`.
    pub const POSITIVE: Bounds = Bounds::above(0.0);
    /// `0 <= x <= 1`.
    pub const FRACTION: Bounds = Bounds { lo: Some((0.0, true)), hi: Some((1.0, true)) };

    /// `x >= lo`.
    pub const fn at_least(lo: f64) -> Bounds {
        Bounds { lo: Some((lo, true)), hi: None }
    }

    /// `x > lo`.
    pub const fn above(lo: f64) -> Bounds {
        Bounds { lo: Some((lo, false)), hi: None }
    }

    /// `lo <= x < hi`.
    pub const fn half_open(lo: f64, hi: f64) -> Bounds {
        Bounds { lo: Some((lo, true)), hi: Some((hi, false)) }
    }

    /// `lo < x < hi`.
    pub const fn open(lo: f64, hi: f64) -> Bounds {
        Bounds { lo: Some((lo, false)), hi: Some((hi, false)) }
    }

    /// `lo < x <= hi`.
    pub const fn open_closed(lo: f64, hi: f64) -> Bounds {
        Bounds { lo: Some((lo, false)), hi: Some((hi, true)) }
    }

    fn contains(self, x: f64) -> bool {
        let lo_ok = self.lo.is_none_or(|(lo, inc)| if inc { x >= lo } else { x > lo });
        let hi_ok = self.hi.is_none_or(|(hi, inc)| if inc { x <= hi } else { x < hi });
        lo_ok && hi_ok
    }
}

impl fmt::Display for Bounds {
    /// "a number >= 0", "a number in [0, 1]", "a number in (0, 1]".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.lo, self.hi) {
            (None, None) => write!(f, "a number"),
            (Some((lo, true)), None) => write!(f, "a number >= {lo}"),
            (Some((lo, false)), None) => write!(f, "a number > {lo}"),
            (None, Some((hi, true))) => write!(f, "a number <= {hi}"),
            (None, Some((hi, false))) => write!(f, "a number < {hi}"),
            (Some((lo, li)), Some((hi, hi_inc))) => {
                write!(f, "a number in {}{lo}, {hi}{}", if li { '[' } else { '(' }, if hi_inc { ']' } else { ')' })
            }
        }
    }
}

/// Joins a table path and a key: `traffic` + `base_rps` → `traffic.base_rps`
/// (an array element's key is empty: its path already ends in `[i]`).
pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() || key.is_empty() { format!("{path}{key}") } else { format!("{path}.{key}") }
}

/// `unknown key "instnces", did you mean "instances"?` (or the valid keys).
pub fn unknown_key(path: &str, key: &Key, known: &[&str]) -> Diag {
    let diag = Diag::new(
        path,
        key.span.clone(),
        format!("unknown key \"{}\"{}", key.name, did_you_mean(&key.name, known.iter().copied())),
    );
    if diag.message.ends_with('?') { diag } else { diag.hint(format!("valid keys here: {}", known.join(", "))) }
}

/// Reports every key of the table `node` (at `path`) that is not in `known`
/// and gives back the table to read on, as if corrected (as rustc recovers
/// from a typo): a key with a close suggestion not already written is
/// renamed to it (so no "required key is missing" follows), any other
/// unknown key is left out. Borrowed when every key is known or `node` is
/// not a table (its reader says so).
pub fn recover_unknown<'n>(path: &str, node: &'n Node, known: &[spec::Key], errors: &mut Diags) -> Cow<'n, Node> {
    let Value::Table(entries) = &node.value else { return Cow::Borrowed(node) };
    let known = spec::names(known);
    if entries.iter().all(|(k, _)| known.contains(&k.name.as_str())) {
        return Cow::Borrowed(node);
    }
    let mut kept: Vec<(Key, Node)> = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        if known.contains(&key.name.as_str()) {
            kept.push((key.clone(), value.clone()));
            continue;
        }
        errors.push(unknown_key(path, key, &known));
        let taken = |name: &str| entries.iter().chain(&kept).any(|(k, _)| k.name == name);
        if let Some(meant) = closest(&key.name, known.iter().copied()).filter(|m| !taken(m)) {
            kept.push((Key { name: meant.to_string(), span: key.span.clone() }, value.clone()));
        }
    }
    Cow::Owned(Node { span: node.span.clone(), value: Value::Table(kept), written: None })
}

/// One value with its key path.
#[derive(Clone, Debug)]
pub struct Field<'a> {
    /// Path of the table holding it.
    path: String,
    key: &'a str,
    pub node: &'a Node,
    /// The type its key declares; `None` in a free-form table.
    ty: Option<Type>,
}

impl<'a> Field<'a> {
    /// The field's full key path.
    pub fn path(&self) -> String {
        join(&self.path, self.key)
    }

    /// The field's own key (last path segment).
    pub fn key(&self) -> &'a str {
        self.key
    }

    /// The value's byte span.
    pub fn span(&self) -> Option<Range<usize>> {
        self.node.span.clone()
    }

    /// An error about this value.
    pub fn error(&self, message: impl Into<String>) -> Diag {
        Diag::new(self.path(), self.span(), message)
    }

    /// An error if the key's declared type is not read as `read`: the
    /// schema would then disagree with the reader (a bug, caught by the tests).
    fn declared(&self, read: Read) -> Result<(), Diag> {
        match self.ty {
            Some(ty) if !ty.reads(read) => {
                Err(self.error(format!("hostsim bug: {} is declared as {ty:?} but read as {read:?}", self.path())))
            }
            _ => Ok(()),
        }
    }

    fn expected(&self, what: &str) -> Diag {
        self.error(format!("expected {what}, got {}", self.node.describe()))
    }

    /// A string.
    pub fn str(&self) -> Result<&'a str, Diag> {
        self.declared(Read::Str)?;
        match &self.node.value {
            Value::Str(s) => Ok(s),
            _ => Err(self.expected("a string")),
        }
    }

    /// The value among `all` (named by `name`), or an error naming `what` and the choices.
    pub fn one_of<T: Copy, const N: usize>(
        &self,
        what: &str,
        all: [T; N],
        name: fn(T) -> &'static str,
    ) -> Result<T, Diag> {
        let written = self.str()?;
        let names = all.map(name);
        all.into_iter().find(|&v| name(v) == written).ok_or_else(|| {
            self.error(format!("unknown {what} \"{written}\"{}", did_you_mean(written, names)))
                .hint(format!("{what} is one of: {}", names.join(", ")))
        })
    }

    /// A finite number (integer or float) of sane magnitude within `bounds`.
    pub fn number(&self, bounds: Bounds) -> Result<f64, Diag> {
        self.declared(Read::Number)?;
        let x = match self.node.value {
            Value::Int(i) => i as f64,
            Value::Float(x) => x,
            _ => return Err(self.expected(&bounds.to_string())),
        };
        if !x.is_finite() {
            return Err(self.expected("a finite number").label("NaN and infinity are not allowed"));
        }
        if x.abs() > MAX_MAGNITUDE {
            return Err(self.expected("a number no larger than 1e12 in magnitude").label("absurdly large"));
        }
        if !bounds.contains(x) {
            return Err(self.expected(&bounds.to_string()));
        }
        Ok(x)
    }

    /// `"s"`, `"ms"` or `"us"`: the unit of plain numbers in a data file;
    /// `meaning` says what it applies to, for the hint.
    pub fn time_unit(&self, meaning: &str) -> Result<TimeUnit, Diag> {
        let written = self.str()?;
        TimeUnit::ALL.into_iter().find(|u| u.as_str() == written).ok_or_else(|| {
            let names: Vec<String> = TimeUnit::ALL.iter().map(|u| format!("\"{}\"", u.as_str())).collect();
            self.error(format!("unknown unit \"{written}\"; expected {}", names.join(", ")))
                .hint(format!("{} is the unit of {meaning}; \"s\" (seconds) is the default", self.key))
        })
    }

    /// `true` or `false`.
    pub fn boolean(&self) -> Result<bool, Diag> {
        self.declared(Read::Bool)?;
        match self.node.value {
            Value::Bool(b) => Ok(b),
            _ => Err(self.error(format!("expected true or false, got {}", self.node.describe()))),
        }
    }

    /// The elements of an array, each with its path (`key[i]`).
    pub fn elements(&self) -> Result<Vec<Field<'a>>, Diag> {
        self.declared(Read::Array)?;
        let ty = self.ty.and_then(Type::element);
        match &self.node.value {
            Value::Array(items) => Ok(items
                .iter()
                .enumerate()
                .map(|(i, node)| Field { path: format!("{}[{i}]", self.path()), key: "", node, ty })
                .collect()),
            _ => Err(self.expected("an array")),
        }
    }

    /// An integer in `min..=max`.
    pub fn integer(&self, min: i64, max: i64) -> Result<i64, Diag> {
        self.declared(Read::Integer)?;
        let what = match (min, max) {
            (0, i64::MAX) => "a non-negative integer".to_string(),
            (1, _) if max >= i64::from(u32::MAX) => "a positive integer".to_string(),
            (_, _) if max >= i64::from(u32::MAX) => format!("an integer >= {min}"),
            _ => format!("an integer from {min} to {max}"),
        };
        match self.node.value {
            Value::Int(i) if (min..=max).contains(&i) => Ok(i),
            Value::Int(i) if i < min && min == 1 => {
                Err(self.expected(&what).label(format!("{} must be at least 1", self.key)))
            }
            _ => Err(self.expected(&what)),
        }
    }

    /// An integer in `min..=u32::MAX`.
    pub fn u32(&self, min: u32) -> Result<u32, Diag> {
        let i = self.integer(i64::from(min), i64::from(u32::MAX))?;
        u32::try_from(i).map_err(|_| self.expected("a 32-bit integer"))
    }

    /// A duration string such as "90s".
    pub fn duration(&self) -> Result<SimTime, Diag> {
        self.declared(Read::Duration)?;
        match &self.node.value {
            Value::Str(s) => match parse_duration(s) {
                Ok(d) if d > MAX_DURATION => Err(self.error(format!("\"{s}\" is longer than 1000 years"))),
                Ok(d) => Ok(d),
                Err(e) => Err(self.error(e)),
            },
            Value::Int(_) | Value::Float(_) => Err(self.expected("a duration like \"90s\"").hint(format!(
                "durations are strings with a unit ({UNIT_LIST}): {} = \"{}s\"",
                self.key,
                self.node.describe()
            ))),
            _ => Err(self.expected("a duration like \"90s\"")),
        }
    }

    /// A duration greater than zero.
    pub fn positive_duration(&self) -> Result<SimTime, Diag> {
        let d = self.duration()?;
        if d == SimTime::ZERO {
            return Err(self.error("must be longer than 0s"));
        }
        Ok(d)
    }

    /// A duration of at least `min` (> 0): the time between repeated events,
    /// so a typo such as "1us" cannot schedule billions of them.
    pub fn duration_at_least(&self, min: SimTime) -> Result<SimTime, Diag> {
        let d = self.positive_duration()?;
        if d < min {
            return Err(self
                .error(format!("{d} is shorter than the minimum of {min}"))
                .label(format!("at least {min}")));
        }
        Ok(d)
    }

    /// A table of free-form keys (region names, catalog ids).
    pub fn map(&self) -> Result<Table<'a>, Diag> {
        self.declared(Read::Map)?;
        let table = Table::any(self.path(), self.node)?;
        Ok(Table { values: self.ty.and_then(Type::values), ..table })
    }

    /// A table whose keys must all be in `known`.
    pub fn table(&self, known: &[spec::Key]) -> Result<Table<'a>, Diag> {
        self.declared(Read::Table)?;
        Table::new(self.path(), self.node, known)
    }
}

/// A table being read, with its key path and the keys it may hold.
#[derive(Debug)]
pub struct Table<'a> {
    pub path: String,
    pub span: Option<Range<usize>>,
    entries: &'a [(Key, Node)],
    /// The keys it may hold; empty for a free-form table.
    keys: Vec<spec::Key>,
    /// The type of every value of a free-form table opened by [`Field::map`].
    values: Option<Type>,
}

impl<'a> Table<'a> {
    /// Opens `node` as a table and rejects keys not in `known` (with a suggestion).
    pub fn new(path: String, node: &'a Node, known: &[spec::Key]) -> Result<Table<'a>, Diag> {
        let table = Table::any(path, node)?;
        if let Some((key, _)) = table.entries.iter().find(|(k, _)| !spec::has(known, &k.name)) {
            return Err(unknown_key(&table.path, key, &spec::names(known)));
        }
        Ok(Table { keys: known.to_vec(), ..table })
    }

    /// Opens `node` as a table whose keys are free-form (region names).
    pub fn any(path: String, node: &'a Node) -> Result<Table<'a>, Diag> {
        match &node.value {
            Value::Table(entries) => {
                Ok(Table { path, span: node.span.clone(), entries, keys: Vec::new(), values: None })
            }
            _ => Err(Diag::new(path, node.span.clone(), format!("expected a table, got {}", node.describe()))),
        }
    }

    /// The field at `key`, if present.
    pub fn get(&self, key: &str) -> Option<Field<'a>> {
        self.entries.iter().find(|(k, _)| k.name == key).map(|(k, node)| self.field(k, node))
    }

    /// The field at `key`; an error with `example` as a hint if it is missing.
    pub fn require(&self, key: &str, example: &str) -> Result<Field<'a>, Diag> {
        self.get(key).ok_or_else(|| {
            Diag::new(join(&self.path, key), self.span.clone(), "required key is missing")
                .label(format!("this table needs \"{key}\""))
                .hint(format!("add a line like: {example}"))
        })
    }

    /// Every entry, in file order.
    pub fn entries(&self) -> impl Iterator<Item = (&'a Key, Field<'a>)> + '_ {
        self.entries.iter().map(|(k, node)| (k, self.field(k, node)))
    }

    fn field(&self, key: &'a Key, node: &'a Node) -> Field<'a> {
        let ty = self.keys.iter().find(|k| k.name == key.name).map(|k| k.ty).or(self.values);
        Field { path: self.path.clone(), key: &key.name, node, ty }
    }

    /// True if the table has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// A number at `key`, or `default` when absent.
    pub fn number_or(&self, key: &str, default: f64, bounds: Bounds) -> Result<f64, Diag> {
        self.get(key).map_or(Ok(default), |f| f.number(bounds))
    }

    /// A duration at `key`, or `default` when absent.
    pub fn duration_or(&self, key: &str, default: SimTime) -> Result<SimTime, Diag> {
        self.get(key).map_or(Ok(default), |f| f.duration())
    }

    /// An integer >= `min` at `key`, or `default` when absent.
    pub fn u32_or(&self, key: &str, default: u32, min: u32) -> Result<u32, Diag> {
        self.get(key).map_or(Ok(default), |f| f.u32(min))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(text: &str) -> Node {
        Node::parse(text).unwrap()
    }

    /// Number keys named `names`.
    fn keys(names: &[&'static str]) -> Vec<spec::Key> {
        names.iter().map(|&n| spec::Key::new(n, Type::Number, "")).collect()
    }

    #[test]
    fn the_spec_lists_every_time_unit() {
        let names: Vec<&str> = TimeUnit::ALL.iter().map(|u| u.as_str()).collect();
        assert_eq!(spec::TIME_UNITS, names);
    }

    #[test]
    fn a_key_read_as_another_type_than_it_declares_is_a_bug_report() {
        let r = root(
            "n = 3
",
        );
        let declared = [spec::Key::new("n", Type::Duration, "")];
        let t = Table::new(String::new(), &r, &declared).unwrap();
        let e = t.get("n").unwrap().number(Bounds::NONNEG).unwrap_err();
        assert_eq!(e.message, "hostsim bug: n is declared as Duration but read as Number");
        // Read as declared, the value's own error.
        assert!(t.get("n").unwrap().duration().unwrap_err().message.starts_with("expected a duration"));
    }

    #[test]
    fn bounds_describe_themselves() {
        assert_eq!(Bounds::NONNEG.to_string(), "a number >= 0");
        assert_eq!(Bounds::FRACTION.to_string(), "a number in [0, 1]");
        assert_eq!(Bounds::half_open(0.0, 24.0).to_string(), "a number in [0, 24)");
        assert!(!Bounds::open_closed(0.0, 1.0).contains(0.0));
    }

    #[test]
    fn typed_reads_and_errors() {
        let r = root("a = 3\nb = -2\nc = \"x\"\nd = nan\ne = 1e13\nf = \"90s\"\ng = 90\nh = 2.5\n");
        let t = Table::any(String::new(), &r).unwrap();
        assert_eq!(t.get("a").unwrap().number(Bounds::NONNEG).unwrap(), 3.0);
        let e = t.get("b").unwrap().u32(1).unwrap_err();
        assert_eq!(e.message, "expected a positive integer, got -2");
        assert_eq!(e.label.as_deref(), Some("b must be at least 1"));
        assert_eq!(
            t.get("c").unwrap().number(Bounds::NONNEG).unwrap_err().message,
            "expected a number >= 0, got string \"x\""
        );
        assert!(t.get("d").unwrap().number(Bounds::above(-1.0)).unwrap_err().message.contains("finite"));
        assert!(t.get("e").unwrap().number(Bounds::above(-1.0)).unwrap_err().message.contains("1e12"));
        assert_eq!(t.get("f").unwrap().duration().unwrap(), SimTime::from_secs(90));
        assert!(t.get("g").unwrap().duration().unwrap_err().hint.unwrap().contains("g = \"90s\""));
        assert!(t.get("h").unwrap().u32(0).unwrap_err().message.contains("got 2.5"));
        let r = root("long = \"1001y\"\n");
        let t = Table::any(String::new(), &r).unwrap();
        assert!(t.get("long").unwrap().duration().unwrap_err().message.contains("longer than 1000 years"));
    }

    #[test]
    fn unknown_keys_get_a_suggestion_and_point_at_the_key() {
        let text = "[option]\ninstnces = 3\n";
        let r = root(text);
        let e = Table::new("x".into(), r.get("option").unwrap(), &keys(&["instances", "name"])).unwrap_err();
        assert_eq!(e.message, "unknown key \"instnces\", did you mean \"instances\"?");
        assert_eq!(&text[e.span.unwrap()], "instnces");
        let e = Table::new("x".into(), r.get("option").unwrap(), &keys(&["zzz"])).unwrap_err();
        assert_eq!(e.hint.as_deref(), Some("valid keys here: zzz"));
    }

    #[test]
    fn missing_keys_name_the_path() {
        let r = root("[traffic]\n");
        let t = Table::new("traffic".into(), r.get("traffic").unwrap(), &keys(&["base_rps"])).unwrap();
        let e = t.require("base_rps", "base_rps = 50").unwrap_err();
        assert_eq!(e.key, "traffic.base_rps");
        assert_eq!(e.span, Some(0..9));
    }
}
