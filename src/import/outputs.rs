//! Writing an import's files all at once: into a staging directory beside
//! `--out`, put in place in one step (the same atomic folder as `run`'s
//! outputs, `report::output`), so a failed import leaves no half-written
//! directory and a previous import of the same directory is replaced whole.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::text::{DURATIONS_FILE, TRACE_FILE};
use crate::error::AppError;
use crate::report::output::Staging;

/// The files an import writes; a directory holding anything else is not replaced.
pub const FILES: [&str; 4] = [TRACE_FILE, DURATIONS_FILE, "workload.toml", "scenario.toml"];

/// What goes into the directory.
pub struct Files<'a> {
    /// (bucket start in Unix seconds, requests), sorted.
    pub rows: &'a [(i64, u64)],
    /// (request time in seconds, weight), ascending; `None` without request times.
    pub durations: Option<&'a [(f64, f64)]>,
    pub workload_toml: &'a str,
    pub scenario_toml: &'a str,
}

/// `--out DIR` split into where it goes and its name; refuses a directory
/// that holds other files than an earlier import's (replacing it would lose them).
pub fn destination(out: &Path) -> Result<(PathBuf, String), AppError> {
    let invalid = |why: &str| AppError::Invalid(format!("--out {}: {why}", out.display()));
    let name = out
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| !n.starts_with('.'))
        .ok_or_else(|| invalid("name a new directory for the import, e.g. --out my-site"))?;
    if let Ok(entries) = std::fs::read_dir(out) {
        for entry in entries.flatten() {
            let file = entry.file_name();
            if !FILES.iter().any(|f| file == *f) {
                return Err(invalid(&format!(
                    "exists and holds {}, which an import does not write; choose a new directory (an import replaces the whole directory)",
                    file.to_string_lossy()
                )));
            }
        }
    }
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Ok((parent.to_path_buf(), name.to_string()))
}

/// Writes the files into `root/name` in one step; returns its path.
pub fn write(root: &Path, name: &str, files: &Files) -> Result<PathBuf, AppError> {
    let staging = Staging::new(root, name)?;
    staging.write_with(TRACE_FILE, |w| {
        let mut gz = flate2::write::GzEncoder::new(w, flate2::Compression::best());
        gz.write_all(trace_csv(files.rows).as_bytes())?;
        gz.finish().map(drop)
    })?;
    if let Some(durations) = files.durations {
        staging.write(DURATIONS_FILE, durations_csv(durations).as_bytes())?;
    }
    staging.write("workload.toml", files.workload_toml.as_bytes())?;
    staging.write("scenario.toml", files.scenario_toml.as_bytes())?;
    Ok(staging.commit()?)
}

/// The trace as the bundled ones are: `timestamp_seconds,requests`, one row
/// per bucket with requests.
pub fn trace_csv(rows: &[(i64, u64)]) -> String {
    let mut text = String::with_capacity(20 * rows.len() + 32);
    text.push_str("timestamp_seconds,requests\n");
    for (t, n) in rows {
        text.push_str(&format!("{t},{n}\n"));
    }
    text
}

/// `duration_s,weight` rows, 6 significant digits (the bins are 0.6 % wide).
pub fn durations_csv(rows: &[(f64, f64)]) -> String {
    let mut text = String::from("duration_s,weight\n");
    for &(v, w) in rows {
        let decimals = (5 - v.log10().floor() as i32).max(0) as usize;
        text.push_str(&format!("{v:.decimals$},{w}\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_text() {
        assert_eq!(
            trace_csv(&[(804_571_200, 42), (804_571_320, 7)]),
            "timestamp_seconds,requests\n804571200,42\n804571320,7\n"
        );
        assert_eq!(
            durations_csv(&[(0.000_501_187_2, 3.0), (0.052_119_9, 10.0), (12.345_678, 1.0)]),
            "duration_s,weight\n0.000501187,3\n0.0521199,10\n12.3457,1\n"
        );
    }

    #[test]
    fn only_new_or_earlier_import_directories_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        assert_eq!(destination(&out).unwrap(), (dir.path().to_path_buf(), "site".to_string()));
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("scenario.toml"), "x").unwrap();
        assert!(destination(&out).is_ok());
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        let e = destination(&out).unwrap_err().to_string();
        assert!(e.contains("holds notes.txt"), "{e}");
        assert!(destination(Path::new(".")).unwrap_err().to_string().contains("name a new directory"));
        assert!(destination(Path::new("/")).is_err());
        assert_eq!(destination(Path::new("site")).unwrap(), (PathBuf::from("."), "site".to_string()));
    }
}
