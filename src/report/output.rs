//! Writes a run's files all at once: into a temporary directory beside the
//! destination, renamed into place at the end. A failed run leaves the
//! previous output as it was and no temporary directory behind.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::interrupt;

/// An I/O failure with the path it concerns.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct OutputError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

fn at(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError { path: path.to_path_buf(), source }
}

/// A temporary directory that removes itself unless committed.
pub struct Staging {
    temp: PathBuf,
    dest: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates `root` if needed and an empty staging directory for `root/name`.
    pub fn new(root: &Path, name: &str) -> Result<Staging, OutputError> {
        fs::create_dir_all(root).map_err(at(root))?;
        let dest = root.join(name);
        if dest.symlink_metadata().is_ok_and(|m| !m.is_dir()) {
            let reason = io::Error::new(io::ErrorKind::AlreadyExists, "exists and is not a directory; move it away");
            return Err(at(&dest)(reason));
        }
        let temp = root.join(format!(".{name}.tmp-{}", std::process::id()));
        let mut live = interrupt::registry();
        if temp.exists() {
            fs::remove_dir_all(&temp).map_err(at(&temp))?;
        }
        fs::create_dir(&temp).map_err(at(&temp))?;
        live.push(temp.clone());
        Ok(Staging { temp, dest, committed: false })
    }

    /// Where files are being written.
    pub fn path(&self) -> &Path {
        &self.temp
    }

    /// Writes one file into the staging directory. Nothing here creates the
    /// staging directory again once an interrupt has removed it.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.temp.join(name);
        fs::write(&path, bytes).map_err(at(&path))
    }

    /// Writes one file into the staging directory through `fill`, buffered,
    /// without holding its contents in memory.
    pub fn write_with<E: std::fmt::Display>(
        &self,
        name: &str,
        fill: impl FnOnce(&mut std::io::BufWriter<fs::File>) -> Result<(), E>,
    ) -> Result<(), OutputError> {
        use std::io::Write;
        let path = self.temp.join(name);
        let mut file = std::io::BufWriter::with_capacity(1 << 16, fs::File::create(&path).map_err(at(&path))?);
        fill(&mut file).map_err(|e| std::io::Error::other(e.to_string())).map_err(at(&path))?;
        file.flush().map_err(at(&path))
    }

    /// Moves the staging directory to its destination, replacing any previous output.
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        // Held to the end: an interrupt waits until the output is whole again.
        let mut live = interrupt::registry();
        let old = self.dest.with_file_name(format!(
            ".{}.old-{}",
            self.dest.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
            std::process::id()
        ));
        let had_previous = self.dest.exists();
        if had_previous {
            fs::rename(&self.dest, &old).map_err(at(&self.dest))?;
        }
        if let Err(e) = fs::rename(&self.temp, &self.dest) {
            if had_previous {
                // Put the previous output back; the rename error is what we report.
                let _ = fs::rename(&old, &self.dest);
            }
            return Err(at(&self.dest)(e));
        }
        self.committed = true;
        interrupt::forget(&mut live, &self.temp);
        if had_previous {
            fs::remove_dir_all(&old).map_err(at(&old))?;
        }
        Ok(self.dest.clone())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let mut live = interrupt::registry();
            let _ = fs::remove_dir_all(&self.temp);
            interrupt::forget(&mut live, &self.temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_previous_output_and_drop_cleans_up() {
        let root = tempfile::tempdir().unwrap();
        let first = Staging::new(root.path(), "run").unwrap();
        first.write("a.csv", b"1").unwrap();
        let dest = first.commit().unwrap();
        assert_eq!(fs::read(dest.join("a.csv")).unwrap(), b"1");

        let second = Staging::new(root.path(), "run").unwrap();
        second.write("a.csv", b"2").unwrap();
        drop(second); // abandoned: previous output untouched, no temp left
        assert_eq!(fs::read(dest.join("a.csv")).unwrap(), b"1");
        assert_eq!(fs::read_dir(root.path()).unwrap().count(), 1);

        let third = Staging::new(root.path(), "run").unwrap();
        third.write("b.csv", b"3").unwrap();
        third.commit().unwrap();
        assert_eq!(fs::read(dest.join("b.csv")).unwrap(), b"3");
        assert!(!dest.join("a.csv").exists());
        assert_eq!(fs::read_dir(root.path()).unwrap().count(), 1);
    }
}
