//! Ctrl-C (SIGINT, and SIGTERM): the run stops at once, every temporary
//! output directory still being written is removed, previous outputs stay
//! as they were, and the process exits with [`EXIT_CODE`] (130, the shell's
//! 128 + SIGINT).
//!
//! The handler runs on its own thread (the `ctrlc` crate), not in signal
//! context, so it may take locks and touch the file system. Staging
//! directories and output lock files register here while they exist; a
//! commit holds the registry lock while it renames, so an interrupt sees
//! either the old output or the new one in place, never a half-replaced one.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

/// The exit code after an interrupt.
pub const EXIT_CODE: i32 = 130;

static STAGING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Installs the handler (once per process; later calls do nothing).
pub fn install() {
    // Failing to install (another handler already set) only loses the cleanup.
    let _ = ctrlc::set_handler(on_interrupt);
}

/// True once an interrupt has been received.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

fn on_interrupt() {
    INTERRUPTED.store(true, Ordering::SeqCst);
    // Held until exit: no staging directory is created or committed meanwhile.
    let paths = registry();
    // Newest first: a staging directory before the lock that guards it.
    for path in paths.iter().rev() {
        if path.is_dir() {
            remove_while_written(path);
        } else {
            let _ = fs::remove_file(path);
        }
    }
    eprintln!("\ninterrupted: removed unfinished output; previous output left as it was");
    std::process::exit(EXIT_CODE);
}

/// Removes `dir` although a writer thread may still be adding files to it
/// (a pass fails if one appears meanwhile): retries until it is gone. Once
/// it is, nothing creates it again (writers never create its parent).
fn remove_while_written(dir: &Path) {
    for _ in 0..1000 {
        if fs::remove_dir_all(dir).is_ok() || !dir.exists() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

/// The registry of live staging directories and lock files, locked. Hold it
/// while creating, committing or removing one, so an interrupt cannot come
/// in between.
pub fn registry() -> MutexGuard<'static, Vec<PathBuf>> {
    STAGING.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Forgets `path` (committed or removed); call with the registry held.
pub fn forget(paths: &mut Vec<PathBuf>, path: &Path) {
    paths.retain(|p| p != path);
}
