//! An owned TOML tree with byte spans, converted at once from toml's `DeTable`,
//! so values can be replaced (e.g. by `sweep --set`) before validation.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::error::Diag;

/// A table key and where it is written.
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub name: String,
    pub span: Option<Range<usize>>,
}

/// A value and where it is written (`None` if it did not come from the file).
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub span: Option<Range<usize>>,
    pub value: Value,
    /// A number as written in the file (`1e300`, `0x10`), for messages.
    pub written: Option<Box<str>>,
}

/// A TOML value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// Kept as written; no scenario key takes a datetime yet.
    Datetime(String),
    Array(Vec<Node>),
    /// Entries in file order.
    Table(Vec<(Key, Node)>),
}

impl Node {
    /// A node without a span (a value that does not come from the file).
    pub fn new(value: Value) -> Node {
        Node { span: None, value, written: None }
    }

    /// Parses a TOML document; syntax errors come back with their span.
    pub fn parse(text: &str) -> Result<Node, Diag> {
        let root = DeTable::parse(text).map_err(|e| {
            let diag = Diag::new("", e.span(), format!("invalid TOML: {}", e.message()));
            if e.message().contains("quoted") {
                diag.hint("strings need quotes; durations are strings too, e.g. horizon = \"1d\"")
            } else {
                diag
            }
        })?;
        let table = convert_table(root.get_ref(), "", text)?;
        Ok(Node::new(table))
    }

    /// The value of `key` if this is a table that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Table(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value of `key`, to change, if this is a table that has it.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        match &mut self.value {
            Value::Table(entries) => entries.iter_mut().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Replaces (or adds) the value at a dotted path such as `traffic.base_rps`
    /// or `option.web.servers`: inside an array of tables, a segment picks the
    /// element whose `name` is that segment, or the element at that index.
    pub fn set_path(&mut self, dotted: &str, value: Node) -> Result<(), String> {
        let segments: Vec<&str> = dotted.split('.').collect();
        if segments.iter().any(|s| s.is_empty()) {
            return Err(format!("bad key path \"{dotted}\""));
        }
        set_in(self, &segments, value).map_err(|e| format!("\"{dotted}\": {e}"))
    }

    /// How the value is described in "expected X, got Y" messages: numbers
    /// as written in the file, everything short.
    pub fn describe(&self) -> String {
        if let Some(written) = &self.written {
            return short(written);
        }
        match &self.value {
            Value::Str(s) => format!("string \"{}\"", short(s)),
            Value::Int(i) => i.to_string(),
            Value::Float(x) => compact(*x),
            Value::Bool(b) => format!("boolean {b}"),
            Value::Datetime(d) => format!("datetime {d}"),
            Value::Array(_) => "an array".into(),
            Value::Table(_) => "a table".into(),
        }
    }
}

/// The first 40 characters of `s`, with "…" if there are more.
fn short(s: &str) -> String {
    let mut short: String = s.chars().take(40).collect();
    if short.len() < s.len() {
        short.push('…');
    }
    short
}

/// `x` for a message: in exponent notation when plain notation is long
/// (`1e300`, not 301 digits; `1e-300`, not 300 zeros).
pub fn compact(x: f64) -> String {
    let plain = x.to_string();
    if plain.len() > 16 { format!("{x:e}") } else { plain }
}

fn set_in(node: &mut Node, path: &[&str], value: Node) -> Result<(), String> {
    let Some((&seg, rest)) = path.split_first() else {
        *node = value;
        return Ok(());
    };
    let child = match &mut node.value {
        Value::Array(items) => {
            let named = |n: &Node| matches!(n.get("name"), Some(Node { value: Value::Str(s), .. }) if s == seg);
            let pos = items
                .iter()
                .position(named)
                .or_else(|| seg.parse::<usize>().ok().filter(|&k| k < items.len()))
                .ok_or_else(|| format!("no element named \"{seg}\""))?;
            &mut items[pos]
        }
        Value::Table(entries) => {
            let pos = match entries.iter().position(|(k, _)| k.name == seg) {
                Some(pos) => pos,
                None => {
                    let key = Key { name: seg.to_string(), span: None };
                    entries.push((key, Node::new(Value::Table(Vec::new()))));
                    entries.len() - 1
                }
            };
            &mut entries[pos].1
        }
        _ => return Err(format!("\"{seg}\" is inside a value that is not a table")),
    };
    set_in(child, rest, value)
}

fn convert_table(table: &DeTable<'_>, path: &str, text: &str) -> Result<Value, Diag> {
    let mut entries = Vec::with_capacity(table.len());
    for (key, value) in table.iter() {
        let name = key.get_ref().to_string();
        let child_path = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
        let node = convert(value, &child_path, text)?;
        entries.push((Key { name, span: Some(key.span()) }, node));
    }
    Ok(Value::Table(entries))
}

/// Converts one value of `text`; `path` names it in errors (integers beyond 64 bits).
fn convert(value: &Spanned<DeValue<'_>>, path: &str, text: &str) -> Result<Node, Diag> {
    let span = value.span();
    let written = match value.get_ref() {
        DeValue::Integer(_) | DeValue::Float(_) => text.get(span.clone()).map(Box::from),
        _ => None,
    };
    let v = match value.get_ref() {
        DeValue::String(s) => Value::Str(s.to_string()),
        DeValue::Integer(i) => Value::Int(
            i64::from_str_radix(i.as_str(), i.radix())
                .map_err(|_| Diag::new(path, Some(span.clone()), format!("integer {i} does not fit in 64 bits")))?,
        ),
        DeValue::Float(x) => Value::Float(
            x.as_str()
                .parse::<f64>()
                .map_err(|_| Diag::new(path, Some(span.clone()), format!("cannot read the number {x}")))?,
        ),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::Datetime(d.to_string()),
        DeValue::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| convert(item, &format!("{path}[{i}]"), text))
                .collect::<Result<_, _>>()?,
        ),
        DeValue::Table(t) => convert_table(t, path, text)?,
    };
    Ok(Node { span: Some(span), value: v, written })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_values_and_spans() {
        let text = "b = 1\na = \"x\"\n[t]\nf = 0x10\ng = -1.5e3\nh = nan\n";
        let root = Node::parse(text).unwrap();
        let Value::Table(entries) = &root.value else { panic!("not a table") };
        let names: Vec<&str> = entries.iter().map(|(k, _)| k.name.as_str()).collect();
        assert_eq!(names, ["b", "a", "t"]);
        let t = root.get("t").unwrap();
        assert_eq!(t.get("f").unwrap().value, Value::Int(16));
        assert_eq!(t.get("g").unwrap().value, Value::Float(-1500.0));
        assert!(matches!(t.get("h").unwrap().value, Value::Float(x) if x.is_nan()));
        let a = root.get("a").unwrap();
        assert_eq!(&text[a.span.clone().unwrap()], "\"x\"");
    }

    #[test]
    fn numbers_are_described_as_written() {
        let root = Node::parse("a = 1e300\nb = 0x10\nc = 1_000.5\nd = -inf\n").unwrap();
        let described: Vec<String> = ["a", "b", "c", "d"].iter().map(|k| root.get(k).unwrap().describe()).collect();
        assert_eq!(described, ["1e300", "0x10", "1_000.5", "-inf"]);
        // Without the file's text (e.g. a --set value): short either way.
        assert_eq!(Node::new(Value::Float(1e300)).describe(), "1e300");
        assert_eq!(Node::new(Value::Float(1e-300)).describe(), "1e-300");
        assert_eq!(Node::new(Value::Float(2.5)).describe(), "2.5");
        assert_eq!(Node::new(Value::Str("s".repeat(50))).describe(), format!("string \"{}…\"", "s".repeat(40)));
    }

    #[test]
    fn syntax_and_range_errors_have_spans() {
        let e = Node::parse("a = \nb = 1\n").unwrap_err();
        assert!(e.message.starts_with("invalid TOML"), "{}", e.message);
        assert!(e.span.is_some());
        let e = Node::parse("a = 99999999999999999999\n").unwrap_err();
        assert!(e.message.contains("64 bits"));
        assert_eq!(e.span, Some(4..24));
    }

    #[test]
    fn set_path_replaces_and_adds() {
        let mut root = Node::parse("[traffic]\nbase_rps = 1\n[[option]]\nname = \"web\"\nservers = 1\n").unwrap();
        root.set_path("traffic.base_rps", Node::new(Value::Int(50))).unwrap();
        root.set_path("option.web.servers", Node::new(Value::Int(4))).unwrap();
        root.set_path("option.0.cores", Node::new(Value::Int(8))).unwrap();
        root.set_path("slo.p99_ms", Node::new(Value::Int(300))).unwrap();
        assert_eq!(root.get("traffic").unwrap().get("base_rps").unwrap().value, Value::Int(50));
        let Value::Array(options) = &root.get("option").unwrap().value else { panic!("not an array") };
        assert_eq!(options[0].get("servers").unwrap().value, Value::Int(4));
        assert_eq!(options[0].get("cores").unwrap().value, Value::Int(8));
        assert_eq!(root.get("slo").unwrap().get("p99_ms").unwrap().value, Value::Int(300));
        assert!(root.set_path("option.db.servers", Node::new(Value::Int(1))).is_err());
        assert!(root.set_path("traffic.base_rps.x", Node::new(Value::Int(1))).is_err());
    }
}
