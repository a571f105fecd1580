//! The advisory lock that serialises runs writing the same `ROOT/NAME`:
//! `flock` on `ROOT/.NAME.lock`, held from creating the staging directory
//! until it is committed or removed. Whoever holds it unlinks the file
//! before letting go, so no lock file stays beside the outputs; a waiter
//! that then finds it locked an unlinked file tries again on the new one.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{OutputError, at};
use crate::interrupt;

/// What the lock file's name adds after `.NAME`.
pub const SUFFIX: &str = ".lock";

/// How often a waiting run tries the lock again.
const RETRY: Duration = Duration::from_millis(50);

/// The lock on one output name, released (and its file removed) on drop.
pub struct NameLock {
    path: PathBuf,
    // Closed after the file is unlinked: that order is what keeps a waiter
    // from locking a file nobody else will ever see.
    _file: File,
}

impl NameLock {
    /// Takes the lock for `root/name`, waiting while another run holds it
    /// (saying so once on stderr). Taking it and registering its file for
    /// an interrupt to remove happen together, so Ctrl-C never leaves it.
    pub fn acquire(root: &Path, name: &str) -> Result<NameLock, OutputError> {
        let path = root.join(format!(".{name}{SUFFIX}"));
        Self::acquire_at(root, name, path.clone()).map_err(at(&path))
    }

    fn acquire_at(root: &Path, name: &str, path: PathBuf) -> io::Result<NameLock> {
        let mut said = false;
        loop {
            let file = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path)?;
            let mut live = interrupt::registry();
            match file.try_lock() {
                Ok(()) if is_linked(&file, &path)? => {
                    live.push(path.clone());
                    return Ok(NameLock { path, _file: file });
                }
                // Its holder removed it meanwhile: lock the file there now.
                Ok(()) => continue,
                Err(TryLockError::WouldBlock) if !said => {
                    let dest = root.join(name);
                    eprintln!(
                        "waiting for another run writing {} to finish (it holds {})",
                        dest.display(),
                        path.display()
                    );
                    said = true;
                }
                Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Error(e)) => return Err(e),
            }
            drop(live);
            std::thread::sleep(RETRY);
        }
    }
}

impl Drop for NameLock {
    fn drop(&mut self) {
        let mut live = interrupt::registry();
        let _ = fs::remove_file(&self.path);
        interrupt::forget(&mut live, &self.path);
    }
}

/// True if `path` still names the open `file` (not a newer file put there).
#[cfg(unix)]
fn is_linked(file: &File, path: &Path) -> io::Result<bool> {
    use std::os::unix::fs::MetadataExt;
    let open = file.metadata()?;
    Ok(fs::metadata(path).is_ok_and(|named| (named.dev(), named.ino()) == (open.dev(), open.ino())))
}

/// Without file identities to compare, trust the name (hostsim is tested on Unix).
#[cfg(not(unix))]
fn is_linked(_file: &File, _path: &Path) -> io::Result<bool> {
    Ok(true)
}
