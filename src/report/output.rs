//! Writes a run's files all at once: into a staging directory beside the
//! destination, put in place in one step at the end (see `replace`). A
//! failed run leaves the previous output as it was and no staging directory
//! behind. Runs writing the same destination take turns (see `lock`); a run
//! removes the staging directories that runs killed before it left.

mod lock;
mod replace;

use std::ffi::OsStr;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::interrupt;
use lock::NameLock;

/// The most bytes a file name made from an output name `NAME` adds to it:
/// staging directories `.NAME.` + random characters (also where a previous
/// output goes before removal) and the lock file `.NAME.lock`. A scenario
/// name must leave this much room below the file system's 255 bytes.
pub const NAME_OVERHEAD_BYTES: usize = 32;

/// Random characters in a staging directory's name. Creating it fails
/// rather than reuse an existing one, so the random part only makes a
/// clash (another process, container or machine on a shared volume) rare.
const RANDOM_CHARS: usize = 12;

const _: () = assert!(".".len() + ".".len() + RANDOM_CHARS <= NAME_OVERHEAD_BYTES);
const _: () = assert!(".".len() + lock::SUFFIX.len() <= NAME_OVERHEAD_BYTES);

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

/// A staging directory that removes itself unless committed. It holds the
/// destination's lock for its whole life.
pub struct Staging {
    temp: PathBuf,
    root: PathBuf,
    name: String,
    committed: bool,
    // Dropped after `drop` has removed the staging directory.
    _lock: NameLock,
}

impl Staging {
    /// Creates `root` if needed and an empty staging directory for
    /// `root/name`, once no other run is writing there; first removes the
    /// staging directories of `name` that dead runs left.
    pub fn new(root: &Path, name: &str) -> Result<Staging, OutputError> {
        fs::create_dir_all(root).map_err(at(root))?;
        let dest = root.join(name);
        if dest.symlink_metadata().is_ok_and(|m| !m.is_dir()) {
            let reason = io::Error::new(io::ErrorKind::AlreadyExists, "exists and is not a directory; move it away");
            return Err(at(&dest)(reason));
        }
        let lock = NameLock::acquire(root, name)?;
        remove_leftovers(root, name)?;
        let mut live = interrupt::registry();
        let temp = unique_dir(root, name).map_err(at(&dest))?;
        live.push(temp.clone());
        Ok(Staging { temp, root: root.to_path_buf(), name: name.to_string(), committed: false, _lock: lock })
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

    /// Puts the staging directory in place of any previous output, in one
    /// step where the file system can (see [`replace`]), then removes the
    /// previous output: failing to is only a warning (the next run removes it).
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        // Held to the end: an interrupt waits until the output is whole again.
        let mut live = interrupt::registry();
        let dest = self.root.join(&self.name);
        let previous = replace::replace(&self.temp, &self.root, &self.name).map_err(at(&dest))?;
        self.committed = true;
        interrupt::forget(&mut live, &self.temp);
        if let Some(previous) = previous
            && let Err(e) = fs::remove_dir_all(&previous)
        {
            eprintln!(
                "warning: {}: the previous output, moved there, could not be removed ({e}); the next run removes it",
                previous.display()
            );
        }
        Ok(dest)
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

/// Creates a new, empty directory `root/.NAME.XXXXXXXXXXXX` (random).
fn unique_dir(root: &Path, name: &str) -> io::Result<PathBuf> {
    let made = tempfile::Builder::new().prefix(&format!(".{name}.")).rand_bytes(RANDOM_CHARS).tempdir_in(root)?;
    // Relative if `root` is, as the paths in messages are.
    Ok(root.join(made.keep().file_name().unwrap_or_default()))
}

/// True for the name of a directory [`unique_dir`] made for `name`.
fn is_staging(file: &OsStr, name: &str) -> bool {
    let random = file.to_str().and_then(|f| f.strip_prefix('.')?.strip_prefix(name)?.strip_prefix('.'));
    random.is_some_and(|r| r.len() == RANDOM_CHARS && r.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Removes the staging directories of `name` under `root`. Called with the
/// name's lock held: every run with a live one holds that lock, so these
/// were left by runs that died (kill -9, OOM, power cut) or could not
/// remove a previous output.
fn remove_leftovers(root: &Path, name: &str) -> Result<(), OutputError> {
    for entry in fs::read_dir(root).map_err(at(root))? {
        let entry = entry.map_err(at(root))?;
        if is_staging(&entry.file_name(), name)
            && entry.file_type().is_ok_and(|t| t.is_dir())
            && let Err(e) = fs::remove_dir_all(entry.path())
        {
            eprintln!("warning: {}: left by an earlier run, could not be removed ({e})", entry.path().display());
        }
    }
    Ok(())
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

    /// The sorted names in `dir`.
    pub(super) fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> =
            fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    #[test]
    fn staging_names_are_random_and_fit_the_name_overhead() {
        let root = tempfile::tempdir().unwrap();
        let staging = Staging::new(root.path(), "run").unwrap();
        let made = names(root.path());
        assert_eq!(made.len(), 2, "{made:?}"); // the staging directory and the lock
        assert!(made.contains(&".run.lock".to_string()), "{made:?}");
        let temp = staging.path().file_name().unwrap();
        assert!(is_staging(temp, "run"), "{temp:?}");
        assert_ne!(temp, format!(".run.tmp-{}", std::process::id()).as_str());
        assert!(made.iter().all(|m| m.len() <= "run".len() + NAME_OVERHEAD_BYTES), "{made:?}");
        drop(staging);
        assert!(names(root.path()).is_empty(), "the lock file is removed with the staging directory");
    }

    #[test]
    fn staging_names_are_told_apart_from_other_names() {
        assert!(is_staging(OsStr::new(".run.Ab3dEf7hIj9K"), "run"));
        for other in [".run.lock", ".run.tmp-42", ".run.Ab3dEf7hIj9", ".runs.Ab3dEf7hIj9K", ".run.Ab3dEf7h.j9K", "run"]
        {
            assert!(!is_staging(OsStr::new(other), "run"), "{other}");
        }
        assert!(!is_staging(OsStr::new(".run.Ab3dEf7hIj9K"), "ru"));
    }

    #[test]
    fn leftovers_of_dead_runs_are_removed_and_nothing_else() {
        let root = tempfile::tempdir().unwrap();
        let dead = root.path().join(".run.Ab3dEf7hIj9K");
        fs::create_dir_all(dead.join("charts")).unwrap();
        fs::write(dead.join("summary.csv"), b"half").unwrap();
        let kept = [".run.lock0", ".run.tmp-42", ".other.Ab3dEf7hIj9K", "run2"];
        for k in kept {
            fs::create_dir(root.path().join(k)).unwrap();
        }
        fs::write(root.path().join(".run.Zz3dEf7hIj9K"), b"a file, not ours").unwrap();
        let staging = Staging::new(root.path(), "run").unwrap();
        let temp = staging.path().file_name().unwrap().to_string_lossy().into_owned();
        let mut expected: Vec<String> = kept.iter().map(|k| k.to_string()).collect();
        expected.extend([".run.Zz3dEf7hIj9K".into(), ".run.lock".into(), temp]);
        expected.sort();
        assert_eq!(names(root.path()), expected);
    }

    #[test]
    fn a_second_staging_of_the_same_name_waits_and_leaves_the_first_alone() {
        let root = tempfile::tempdir().unwrap();
        let first = Staging::new(root.path(), "run").unwrap();
        first.write("a.csv", b"1").unwrap();
        let second = std::thread::spawn({
            let root = root.path().to_path_buf();
            move || {
                let second = Staging::new(&root, "run").unwrap();
                second.write("a.csv", b"2").unwrap();
                second.commit().unwrap()
            }
        });
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert!(!second.is_finished(), "the second run did not wait");
        assert_eq!(fs::read(first.path().join("a.csv")).unwrap(), b"1", "the first run's staging was touched");
        let dest = first.commit().unwrap();
        assert_eq!(second.join().unwrap(), dest);
        assert_eq!(fs::read(dest.join("a.csv")).unwrap(), b"2");
        assert_eq!(names(root.path()), ["run"]);
    }

    #[test]
    fn a_previous_output_that_cannot_be_removed_is_only_a_warning() {
        let root = tempfile::tempdir().unwrap();
        let first = Staging::new(root.path(), "run").unwrap();
        first.write("a.csv", b"1").unwrap();
        let dest = first.commit().unwrap();
        // An immutable file: not even root may unlink it.
        let stuck = dest.join("a.csv");
        let chattr = |flag: &str| std::process::Command::new("chattr").arg(flag).arg(&stuck).output();
        if !chattr("+i").is_ok_and(|o| o.status.success()) {
            eprintln!("skipped: `chattr +i` is unavailable here");
            return;
        }
        let second = Staging::new(root.path(), "run").unwrap();
        second.write("b.csv", b"2").unwrap();
        let committed = second.commit();
        let left: Vec<String> = names(root.path()).into_iter().filter(|n| n != "run").collect();
        for dir in &left {
            let _ = std::process::Command::new("chattr").arg("-i").arg(root.path().join(dir).join("a.csv")).output();
        }
        assert_eq!(committed.unwrap(), dest);
        assert_eq!(names(&dest), ["b.csv"]);
        assert!(left.len() == 1 && is_staging(OsStr::new(&left[0]), "run"), "{left:?}");
    }
}
