//! For the unit tests of the option keys: the smallest scenario around one
//! `[[option]]`, parsed.

use std::path::Path;

use super::model::HostingOption;

/// Everything a scenario needs but its option; the option's lines follow.
const HEAD: &str = "horizon = \"1d\"\n[traffic]\nbase_rps = 10\n[workload]\n\
    cpu = { dist = \"constant\", value = \"10ms\" }\n[[option]]\n";

/// The option given by its lines (`name = …`, `kind = …`, …), or the
/// scenario's error message.
pub fn parse_option(lines: &str) -> Result<HostingOption, String> {
    let s = super::parse_str(&format!("{HEAD}{lines}"), Path::new("option.toml")).map_err(|e| e.to_string())?;
    s.options.into_iter().next().ok_or_else(|| "no option".into())
}

/// The scenario's error message for the option given by its lines, or
/// "parsed" and the option's kind if it is valid.
pub fn option_error(lines: &str) -> String {
    parse_option(lines).map_or_else(|e| e, |o| format!("parsed: {:?}", o.kind))
}
