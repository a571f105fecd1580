//! Scenario files: parsing (with spans), validation, the resolved model.
//!
//! A file is parsed into an owned tree with byte spans (`node`), which can be
//! edited (e.g. `sweep --set`) before it is validated (`validate` and the
//! section modules) into a `model::Scenario`. Every error carries the file,
//! line and column (or key path) and, where it helps, a hint.

pub mod aws_region;
mod catalog;
mod database;
pub mod description;
pub mod duration;
mod egress;
mod empirical;
pub mod error;
pub mod file;
mod kinds;
use crate::model;
mod name;
pub mod node;
mod option;
mod reader;
mod regions;
mod resolved;
pub mod schema;
mod spanning;
mod spec;
mod suggest;
pub(crate) mod toml_value;
mod trace;
mod traffic;
mod validate;
mod workload;

use std::path::Path;
use std::sync::Arc;

pub use duration::parse_duration;
pub use error::ScenarioError;
pub use file::{path_or_stdin, read_text};
pub use name::{MAX_NAME_BYTES, check_name};
pub use node::Node;
/// Calendar arithmetic, shared with `import` (which reads log time stamps).
pub(crate) use trace::{days_from_civil, days_in_month, unix_seconds};

use crate::catalog::UserCatalog;

/// The commented starter scenario written by `hostsim init`.
pub const INIT_TEMPLATE: &str = include_str!("scenario/template.toml");

/// The template's `name` line up to its comment, replaced by [`init_text`].
const TEMPLATE_NAME_LINE: &str = "name = \"my-app\"            #";

/// The name `hostsim init PATH` gives: PATH's stem, as for a scenario
/// without `name` (so `init my-site.toml` writes `output/my-site`), or the
/// template's `my-app` if the stem is not a usable name.
pub fn init_name(path: &Path) -> String {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    if check_name(&stem).is_ok() { stem } else { "my-app".to_string() }
}

/// The starter scenario named `name`.
pub fn init_text(name: &str) -> String {
    let assignment = format!("name = {} ", toml_value::string(name));
    // The comment stays in its column when the name is short enough.
    let width = TEMPLATE_NAME_LINE.len() - 1;
    INIT_TEMPLATE.replacen(TEMPLATE_NAME_LINE, &format!("{assignment:<width$}#"), 1)
}

/// Reads and validates a scenario file.
pub fn load(path: &Path) -> Result<model::Scenario, ScenarioError> {
    load_with(path, &Arc::default())
}

/// Reads and validates a scenario file; `user` (from `--catalog FILE`) goes
/// over the built-in catalog and the scenario's own `[catalog]`.
pub fn load_with(path: &Path, user: &Arc<UserCatalog>) -> Result<model::Scenario, ScenarioError> {
    let text = read_text(path)?;
    let tree = parse_tree(&text, path)?;
    validate_tree_with(&tree, &text, path, user)
}

/// Reads a `--catalog FILE`: a TOML file holding a `[catalog]` table.
pub fn load_catalog(path: &Path) -> Result<UserCatalog, ScenarioError> {
    catalog::load_file(path)
}

/// Parses and validates scenario text already read from `path` (used for
/// messages and for the default name, the file stem).
pub fn parse_str(text: &str, path: &Path) -> Result<model::Scenario, ScenarioError> {
    let tree = parse_tree(text, path)?;
    validate_tree(&tree, text, path)
}

/// Parses scenario text into an editable tree, without validating it.
pub fn parse_tree(text: &str, path: &Path) -> Result<Node, ScenarioError> {
    Node::parse(text).map_err(|d| ScenarioError::from_diag(path, text, d))
}

/// Validates a tree from `parse_tree` (possibly edited); `text` is the file's
/// text, for the line shown in error messages.
pub fn validate_tree(tree: &Node, text: &str, path: &Path) -> Result<model::Scenario, ScenarioError> {
    validate_tree_with(tree, text, path, &Arc::default())
}

/// `validate_tree` with `user` catalog entries (from `--catalog FILE`) over
/// the built-ins and the scenario's own `[catalog]`; the scenario shares
/// `user` rather than copying it.
pub fn validate_tree_with(
    tree: &Node,
    text: &str,
    path: &Path,
    user: &Arc<UserCatalog>,
) -> Result<model::Scenario, ScenarioError> {
    let mut s = validate::scenario(tree, path, user).map_err(|d| ScenarioError::from_diags(path, text, d))?;
    s.description = description::leading_comment(text);
    Ok(s)
}

/// The scenario written back as TOML with every default filled in (for
/// `resolved.toml`), with `hostsim_version` at the top; `parse_str` of it
/// gives back an equal scenario (apart from `source`).
pub fn to_resolved_toml(s: &model::Scenario) -> String {
    resolved::to_toml(s)
}

#[cfg(test)]
mod test_option;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_database;
#[cfg(test)]
mod tests_errors;
#[cfg(test)]
mod tests_iaas;
#[cfg(test)]
mod tests_paas;
#[cfg(test)]
mod tests_traffic;
