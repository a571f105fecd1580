//! Putting a finished directory in place of the previous output in one
//! step. On Linux `renameat2`: `RENAME_NOREPLACE` when there is no previous
//! output, else `RENAME_EXCHANGE`, which swaps the two names at once, so
//! the destination always names a whole output, the old one or the new.
//! Where the file system or the OS cannot (EINVAL, ENOSYS), two plain
//! renames: the previous output aside, then the new one in; a crash between
//! them leaves no output, and the previous one under a staging name.

use std::fs;
use std::io::{self, ErrorKind};
use std::path::{Path, PathBuf};

/// Moves the directory `new` to `root/name`. Returns where the previous
/// output went (for the caller to remove), if there was one.
pub fn replace(new: &Path, root: &Path, name: &str) -> io::Result<Option<PathBuf>> {
    let dest = root.join(name);
    match rename2(new, &dest, Mode::NoReplace) {
        Ok(()) => return Ok(None),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
        Err(e) if unsupported(&e) => return in_two_steps(new, root, name),
        Err(e) => return Err(e),
    }
    match rename2(new, &dest, Mode::Exchange) {
        // The previous output now sits where the new one was staged.
        Ok(()) => Ok(Some(new.to_path_buf())),
        Err(e) if unsupported(&e) => in_two_steps(new, root, name),
        Err(e) => Err(e),
    }
}

/// The fallback: the previous output (if any) renamed to a fresh staging
/// name, then `new` in; the previous output goes back if that fails.
fn in_two_steps(new: &Path, root: &Path, name: &str) -> io::Result<Option<PathBuf>> {
    let dest = root.join(name);
    if fs::symlink_metadata(&dest).is_err() {
        return fs::rename(new, &dest).map(|()| None);
    }
    let aside = super::unique_dir(root, name)?;
    // Onto the empty directory just made: renaming over one is allowed.
    if let Err(e) = fs::rename(&dest, &aside) {
        let _ = fs::remove_dir(&aside);
        return Err(e);
    }
    if let Err(e) = fs::rename(new, &dest) {
        let _ = fs::rename(&aside, &dest);
        return Err(e);
    }
    Ok(Some(aside))
}

#[derive(Clone, Copy)]
enum Mode {
    NoReplace,
    Exchange,
}

#[cfg(target_os = "linux")]
fn rename2(from: &Path, to: &Path, mode: Mode) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let (from, to) = (CString::new(from.as_os_str().as_bytes())?, CString::new(to.as_os_str().as_bytes())?);
    let flags = match mode {
        Mode::NoReplace => libc::RENAME_NOREPLACE,
        Mode::Exchange => libc::RENAME_EXCHANGE,
    };
    // SAFETY: two NUL-terminated paths that outlive the call.
    let rc = unsafe { libc::renameat2(libc::AT_FDCWD, from.as_ptr(), libc::AT_FDCWD, to.as_ptr(), flags) };
    if rc == 0 { Ok(()) } else { Err(io::Error::last_os_error()) }
}

#[cfg(not(target_os = "linux"))]
fn rename2(_from: &Path, _to: &Path, _mode: Mode) -> io::Result<()> {
    Err(ErrorKind::Unsupported.into())
}

/// The call or its flags are not supported here: EINVAL (the file system),
/// ENOSYS or EOPNOTSUPP (the kernel, a seccomp filter, another OS).
fn unsupported(e: &io::Error) -> bool {
    matches!(e.kind(), ErrorKind::InvalidInput | ErrorKind::Unsupported)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::output::tests::names;

    /// `root/name` holding `old.txt` and a staged `root/new` holding `new.txt`.
    fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let root = tempfile::tempdir().unwrap();
        let (dest, new) = (root.path().join("run"), root.path().join("new"));
        fs::create_dir(&dest).unwrap();
        fs::write(dest.join("old.txt"), b"old").unwrap();
        fs::create_dir(&new).unwrap();
        fs::write(new.join("new.txt"), b"new").unwrap();
        (root, dest, new)
    }

    #[test]
    fn a_previous_output_is_swapped_in_one_step() {
        let (root, dest, new) = setup();
        match rename2(&new, &dest, Mode::Exchange) {
            Err(e) if unsupported(&e) => {
                eprintln!("skipped: RENAME_EXCHANGE unsupported under {}: {e}", root.path().display());
                return;
            }
            swapped => swapped.unwrap(),
        }
        rename2(&new, &dest, Mode::Exchange).unwrap(); // and back

        // Exchanged, not moved aside: only an exchange leaves the previous
        // output at the staged path (the two steps make a third name).
        let old = replace(&new, root.path(), "run").unwrap();
        assert_eq!(old.as_deref(), Some(new.as_path()));
        assert_eq!(names(&dest), ["new.txt"]);
        assert_eq!(names(&new), ["old.txt"]);
        assert_eq!(names(root.path()), ["new", "run"]);
    }

    #[test]
    fn without_a_previous_output_the_new_one_is_renamed_in() {
        let (root, dest, new) = setup();
        fs::remove_dir_all(&dest).unwrap();
        assert_eq!(replace(&new, root.path(), "run").unwrap(), None);
        assert_eq!(names(&dest), ["new.txt"]);
        assert_eq!(names(root.path()), ["run"]);
    }

    #[test]
    fn the_two_step_fallback_moves_the_previous_output_to_a_staging_name() {
        let (root, dest, new) = setup();
        let aside = in_two_steps(&new, root.path(), "run").unwrap().unwrap();
        assert_eq!(names(&dest), ["new.txt"]);
        assert_eq!(names(&aside), ["old.txt"]);
        // A name the next run removes if this one dies before removing it.
        assert!(crate::report::output::is_staging(aside.file_name().unwrap(), "run"), "{}", aside.display());
        assert_eq!(names(root.path()).len(), 2);
    }

    #[test]
    fn the_two_step_fallback_puts_the_previous_output_back_on_failure() {
        let (root, dest, new) = setup();
        fs::remove_dir_all(&new).unwrap(); // the second rename fails
        let e = in_two_steps(&new, root.path(), "run").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert_eq!(names(&dest), ["old.txt"]);
        assert_eq!(names(root.path()), ["run"]);
    }
}
