//! Scenario and option names: they become folder and file names, so they
//! must be short enough and safe.

/// Longest scenario or option name, in bytes as file systems count them
/// (NAME_MAX is 255 bytes). The longest folder name made from a scenario
/// name is a sweep shard's staging folder: NAME, then
/// `-sweep-shard-100000-of-100000` (29 bytes, `MAX_SHARDS` = 100,000), then
/// at most 32 bytes of staging or lock suffix: 192 + 29 + 32 = 253 <= 255
/// (asserted where the shard names are made, in `sweep::shard`).
pub const MAX_NAME_BYTES: usize = 192;

/// Why `name` cannot be a folder name, if it cannot.
pub fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("must not be empty".into());
    }
    check_name_length(name)?;
    if name.contains(['/', '\\']) {
        return Err(format!("\"{name}\" contains a path separator; the name becomes a folder name"));
    }
    if name == "." || name == ".." {
        return Err(format!("\"{name}\" is not a usable folder name"));
    }
    if name.starts_with('.') {
        // A hidden folder: listings skip it, and so does `merge DIR`.
        return Err(format!("\"{name}\" starts with a dot, which would hide the output folder"));
    }
    if name.chars().any(char::is_control) {
        return Err("must not contain control characters".into());
    }
    Ok(())
}

/// Why `name` (a scenario's or an option's) is too long, if it is.
pub fn check_name_length(name: &str) -> Result<(), String> {
    if name.len() > MAX_NAME_BYTES {
        return Err(format!("is {} bytes long; names are at most {MAX_NAME_BYTES} bytes in UTF-8", name.len()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_must_be_safe_folder_names() {
        assert!(check_name("launch-day 2").is_ok());
        for bad in ["", ".", "..", "../x", "a/b", "a\\b", "a\nb"] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        assert!(check_name(&"x".repeat(MAX_NAME_BYTES)).is_ok());
        assert!(check_name(&"x".repeat(MAX_NAME_BYTES + 1)).is_err());
        // Bytes, not characters: 100 four-byte characters do not fit.
        let wide = "😀".repeat(100);
        assert_eq!(wide.chars().count(), 100);
        assert!(check_name(&wide).unwrap_err().contains("400 bytes"));
        for hidden in [".x", ".quickstart"] {
            assert!(check_name(hidden).unwrap_err().contains("starts with a dot"), "{hidden}");
        }
        assert!(check_name("a.b").is_ok());
    }
}
