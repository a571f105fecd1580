//! What a table of the scenario file may hold: each key's name, type, unit,
//! default and meaning. The readers open tables with these lists (an
//! undeclared key is an unknown-key error), the typed accessors check that a
//! key is read as the type it declares, and `hostsim schema` writes the same
//! lists out as a JSON Schema.

/// The type of a key's value.
#[derive(Clone, Copy, Debug)]
pub enum Type {
    /// An integer or a float.
    Number,
    Integer,
    /// A free-form string.
    Str,
    Bool,
    /// A string with a unit, such as "90s".
    Duration,
    /// One of these strings.
    OneOf(&'static [&'static str]),
    /// A table with these keys.
    Table(&'static [Key]),
    /// An array whose elements have this type.
    Array(&'static Type),
    /// A table whose keys are free-form (region names, catalog ids), each value of this type.
    Map(&'static Type),
    /// A table whose keys depend on the value of one key (`kind`, `dist`, `policy`).
    Tagged(&'static Tagged),
    /// Any of these types.
    Either(&'static [Type]),
}

/// A table whose tag key picks the keys it may hold besides `common`.
#[derive(Debug)]
pub struct Tagged {
    /// Its name in the schema's definitions.
    pub name: &'static str,
    /// The key whose string value picks the variant; it is among `common`.
    pub tag: &'static str,
    /// The keys of every variant.
    pub common: &'static [Key],
    /// Each variant: the tag's value and its own keys.
    pub variants: fn() -> Vec<(&'static str, &'static [Key])>,
}

/// The units of plain numbers in a data file, as `Field::time_unit` reads them.
pub const TIME_UNITS: &[&str] = &["s", "ms", "us"];

/// One key of a table.
#[derive(Clone, Copy, Debug)]
pub struct Key {
    pub name: &'static str,
    pub ty: Type,
    /// The unit of a number ("USD", "rps", "ms"); empty if none.
    pub unit: &'static str,
    /// The default as a TOML value (`1`, `"30s"`, `false`) or in words
    /// ("required", "from dyno"); empty if there is none.
    pub default: &'static str,
    /// One line for editors, from the README's Scenario reference.
    pub doc: &'static str,
}

impl Key {
    pub const fn new(name: &'static str, ty: Type, doc: &'static str) -> Key {
        Key { name, ty, unit: "", default: "", doc }
    }

    pub const fn unit(self, unit: &'static str) -> Key {
        Key { unit, ..self }
    }

    pub const fn default(self, default: &'static str) -> Key {
        Key { default, ..self }
    }
}

/// The names of `keys`, in order (for unknown-key messages).
pub fn names(keys: &[Key]) -> Vec<&'static str> {
    keys.iter().map(|k| k.name).collect()
}

/// True if `keys` declares `name`.
pub fn has(keys: &[Key], name: &str) -> bool {
    keys.iter().any(|k| k.name == name)
}

/// How a reader reads a value, checked against its key's declared [`Type`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Read {
    Number,
    Integer,
    Str,
    Bool,
    Duration,
    Array,
    Table,
    /// A table of free-form keys.
    Map,
}

impl Type {
    /// True if a value of this type is read as `read`.
    pub fn reads(self, read: Read) -> bool {
        match self {
            Type::Number => read == Read::Number,
            Type::Integer => read == Read::Integer,
            Type::Str | Type::OneOf(_) => read == Read::Str,
            Type::Bool => read == Read::Bool,
            Type::Duration => read == Read::Duration,
            Type::Array(_) => read == Read::Array,
            Type::Table(_) | Type::Tagged(_) => read == Read::Table,
            Type::Map(_) => read == Read::Map,
            Type::Either(types) => types.iter().any(|t| t.reads(read)),
        }
    }

    /// The element type of an array (or of any array in an `Either`).
    pub fn element(self) -> Option<Type> {
        match self {
            Type::Array(element) => Some(*element),
            Type::Either(types) => types.iter().find_map(|t| t.element()),
            _ => None,
        }
    }

    /// The type of a map's values.
    pub fn values(self) -> Option<Type> {
        match self {
            Type::Map(value) => Some(*value),
            _ => None,
        }
    }
}

/// The strings key `name` of `keys` allows (a test's check against the
/// reader's own list).
#[cfg(test)]
pub fn one_of(keys: &[Key], name: &str) -> Vec<&'static str> {
    match keys.iter().find(|k| k.name == name).map(|k| k.ty) {
        Some(Type::OneOf(names)) => names.to_vec(),
        other => panic!("{name} is {other:?}, not one of a list"),
    }
}
