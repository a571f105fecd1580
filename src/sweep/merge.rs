//! `hostsim merge`: reads shard directories, checks they are all the shards
//! of one sweep (same scenario text, seed, replications, `--set` values,
//! hostsim version; none missing, none twice; each `sweep.csv` as its shard
//! wrote it, by SHA-256 and row count), and puts their rows back in point
//! order, so `sweep.csv` is byte-identical to an unsharded run's.

use crate::scenario::file::{MAX_FILE_BYTES, read_capped, read_capped_text};
use std::fs;
use std::path::{Path, PathBuf};

use super::args::MergeArgs;
use super::grid::Grid;
use super::manifest::{self, Manifest, SetEntry};
use super::output;
use super::spec::{SetSpec, SetValue};
use super::table::SweepTable;
use crate::error::AppError;
use crate::scenario::node::{Node, Value};
use crate::stdout::Printer;

/// The largest shard `sweep.csv` read: 100,000 points of a few options
/// take a few hundred MB.
const MAX_CSV_BYTES: u64 = 1 << 30;

/// One shard as read from its directory.
struct Loaded {
    dir: PathBuf,
    manifest: Manifest,
    table: SweepTable,
}

fn read_manifest(dir: &Path) -> Result<Option<Manifest>, AppError> {
    let path = dir.join(manifest::FILE);
    let text = match read_capped_text(&path, MAX_FILE_BYTES, "a sweep manifest") {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(AppError::Invalid(format!("{}: cannot read: {e}", path.display()))),
    };
    Manifest::from_toml(&text).map(Some).map_err(|e| AppError::Invalid(format!("{}: {e}", path.display())))
}

/// Reads a shard's `sweep.csv`, checking it is the file the shard wrote:
/// same SHA-256 and row count as its `sweep.toml` records.
fn load(dir: PathBuf, manifest: Manifest) -> Result<Loaded, AppError> {
    let path = dir.join("sweep.csv");
    let bad = |e: String| AppError::Invalid(format!("{}: {e}", path.display()));
    let bytes =
        read_capped(&path, MAX_CSV_BYTES, "a shard's sweep.csv").map_err(|e| bad(format!("cannot read: {e}")))?;
    let shard = format!("shard {}/{}", manifest.shard.unwrap_or(0), manifest.shards.unwrap_or(0));
    let Some(recorded) = &manifest.csv else {
        return Err(bad(format!(
            "{} has no [csv] table with this file's rows and SHA-256 (written by an older hostsim?); run {shard} again",
            manifest::FILE
        )));
    };
    let table = SweepTable::from_csv(&bytes);
    let rows = table.as_ref().map_or(0, |t| t.rows.len());
    let what = if table.is_ok() && rows != recorded.rows {
        format!("has {rows} rows where {} records {}", manifest::FILE, recorded.rows)
    } else if manifest::sha256(&bytes) != recorded.sha256 {
        format!("its SHA-256 differs from the one in {}", manifest::FILE)
    } else {
        return Ok(Loaded { dir, manifest, table: table.map_err(bad)? });
    };
    Err(bad(format!("{what}: the file was changed after {shard} wrote it; run {shard} again")))
}

/// Each argument is a shard directory, or a directory whose subdirectories
/// (in name order, hidden ones skipped) include shard directories.
fn shards(args: &[PathBuf]) -> Result<Vec<Loaded>, AppError> {
    let mut out = Vec::new();
    for dir in args {
        if let Some(m) = read_manifest(dir)? {
            if m.shard.is_none() {
                return Err(AppError::Invalid(format!(
                    "{}: holds a whole sweep, not a shard (nothing to merge)",
                    dir.display()
                )));
            }
            out.push(load(dir.clone(), m)?);
            continue;
        }
        let entries =
            fs::read_dir(dir).map_err(|e| AppError::Invalid(format!("{}: cannot read: {e}", dir.display())))?;
        let mut subdirs: Vec<PathBuf> =
            entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_dir()).collect();
        subdirs.retain(|p| !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')));
        subdirs.sort();
        let before = out.len();
        for sub in subdirs {
            if let Some(m) = read_manifest(&sub)?.filter(|m| m.shard.is_some()) {
                out.push(load(sub, m)?);
            }
        }
        if out.len() == before {
            return Err(AppError::Invalid(format!(
                "{}: not a sweep shard directory (no {}) and holds none",
                dir.display(),
                manifest::FILE
            )));
        }
    }
    Ok(out)
}

/// The grid of a manifest's `--set` and `--link` values (labels only), to know each point's key cells.
fn grid_of(m: &Manifest) -> Result<Grid, String> {
    let spec = |s: &SetEntry| SetSpec {
        key: s.key.clone(),
        values: s
            .values
            .iter()
            .map(|v| SetValue { label: v.clone(), node: Node::new(Value::Str(v.clone())) })
            .collect(),
    };
    // The sweep writes its linked keys last; elsewhere the columns would not match the grid's.
    if m.sets.iter().skip_while(|s| !s.linked).any(|s| !s.linked) {
        return Err("lists a --set key after a --link key; a sweep writes its --link keys last".into());
    }
    let (linked, sets): (Vec<&SetEntry>, Vec<&SetEntry>) = m.sets.iter().partition(|s| s.linked);
    let grid = Grid::new(sets.into_iter().map(spec).collect(), linked.into_iter().map(spec).collect())?;
    if grid.len() != m.points {
        return Err(format!("says {} points but its --set values make {}", m.points, grid.len()));
    }
    Ok(grid)
}

/// Checks the shards belong together and are all there; returns the number of shards.
fn check(all: &[Loaded]) -> Result<u32, AppError> {
    let first = &all[0];
    for s in &all[1..] {
        if let Some(what) = first.manifest.difference(&s.manifest) {
            return Err(AppError::Invalid(format!(
                "{} and {} are shards of different sweeps: {what}",
                first.dir.display(),
                s.dir.display()
            )));
        }
    }
    let count = first.manifest.shards.unwrap_or(1);
    let mut seen: Vec<Option<&Path>> = vec![None; count as usize];
    for s in all {
        let index = s.manifest.shard.unwrap_or(0);
        let Some(slot) = index.checked_sub(1).and_then(|i| seen.get_mut(i as usize)) else {
            return Err(AppError::Invalid(format!("{}: shard {index} of {count} is out of range", s.dir.display())));
        };
        if let Some(other) = slot {
            return Err(AppError::Invalid(format!(
                "shard {index}/{count} is given twice: {} and {}",
                other.display(),
                s.dir.display()
            )));
        }
        *slot = Some(&s.dir);
    }
    let missing: Vec<String> =
        seen.iter().enumerate().filter(|(_, d)| d.is_none()).map(|(i, _)| format!("{}/{count}", i + 1)).collect();
    if !missing.is_empty() {
        let plural = if missing.len() == 1 { "" } else { "s" };
        return Err(AppError::Invalid(format!(
            "missing shard{plural} {} of the sweep of {} (found {} of {count})",
            missing.join(", "),
            first.manifest.scenario,
            all.len()
        )));
    }
    Ok(count)
}

/// The rows of all shards in point order.
fn assemble(all: &[Loaded], count: u32) -> Result<SweepTable, AppError> {
    let m = &all[0].manifest;
    let bad = |dir: &Path, e: String| AppError::Invalid(format!("{}: {e}", dir.display()));
    let grid = grid_of(m).map_err(|e| bad(&all[0].dir.join(manifest::FILE), e))?;
    let keys: Vec<String> = m.sets.iter().map(|s| s.key.clone()).collect();
    let mut by_index: Vec<&Loaded> = all.iter().collect();
    by_index.sort_by_key(|s| s.manifest.shard);
    for s in &by_index {
        if s.table.keys != keys {
            return Err(bad(&s.dir.join("sweep.csv"), format!("key columns differ from {}", manifest::FILE)));
        }
    }
    let mut cursor = vec![0usize; by_index.len()];
    let mut table = SweepTable::new(keys.clone());
    for p in 0..grid.len() {
        let k = p % count as usize;
        let s = by_index[k];
        let labels = grid.labels(p);
        let start = cursor[k];
        while s.table.rows.get(cursor[k]).is_some_and(|row| row[..keys.len()] == labels[..]) {
            table.rows.push(s.table.rows[cursor[k]].clone());
            cursor[k] += 1;
        }
        if cursor[k] == start {
            let e = format!("no rows for point {} ({}) where expected", p + 1, grid.describe(p));
            return Err(bad(&s.dir.join("sweep.csv"), e));
        }
    }
    for (s, &c) in by_index.iter().zip(&cursor) {
        if c != s.table.rows.len() {
            return Err(bad(&s.dir.join("sweep.csv"), format!("row {} does not belong to this shard's points", c + 2)));
        }
    }
    Ok(table)
}

/// `hostsim merge DIR... --out DIR`.
pub fn merge(args: &MergeArgs, out: &mut Printer) -> Result<(), AppError> {
    let all = shards(&args.dirs)?;
    let count = check(&all)?;
    let table = assemble(&all, count)?;
    let m = &all[0].manifest;
    let (dir, optimum) = output::write_whole(&args.out, &table, m, !args.no_charts)?;
    if !args.quiet {
        let merged = format!("merged {count} shards ({} points) into {}\n", m.points, dir.display());
        out.print(&(optimum.unwrap_or_default() + &merged));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifests_linked_keys_give_the_sweeps_points_and_come_last() {
        let text = |sets: &str| {
            format!(
                "hostsim_version = \"0.1.0\"\nscenario = \"s\"\nscenario_hash = \"h\"\nseed = \"1\"\n\
                 replications = 1\nsets_hash = \"h\"\npoints = 6\n{sets}"
            )
        };
        let set = "[[set]]\nkey = \"a\"\nvalues = [\"1\", \"2\"]\n";
        let links = "[[set]]\nkey = \"b\"\nvalues = [\"4\", \"8\", \"16\"]\nlinked = true\n\
                     [[set]]\nkey = \"c\"\nvalues = [\"3000\", \"4500\", \"7000\"]\nlinked = true\n";
        // 2 × 3 linked pairs = 6 points, the pairs kept together.
        let grid = grid_of(&Manifest::from_toml(&text(&format!("{set}{links}"))).unwrap()).unwrap();
        assert_eq!(grid.labels(4), ["2", "8", "4500"]);
        let e = grid_of(&Manifest::from_toml(&text(&format!("{links}{set}"))).unwrap()).unwrap_err();
        assert!(e.contains("lists a --set key after a --link key"), "{e}");
    }

    #[test]
    fn manifests_are_read_up_to_a_cap() {
        // A sparse file of 17 MiB of zeros as a manifest.
        let dir = tempfile::tempdir().unwrap();
        fs::File::create(dir.path().join(manifest::FILE)).unwrap().set_len(17 << 20).unwrap();
        let e = read_manifest(dir.path()).err().unwrap().to_string();
        assert!(e.contains("sweep.toml: cannot read: larger than 16 MiB, the limit of a sweep manifest"), "{e}");
    }
}
