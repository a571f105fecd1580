//! Ctrl-C (SIGINT) during `hostsim run`: the previous output stays byte for
//! byte, no temporary directory is left, and the exit code is 130.

use std::fs;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn repo(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path).to_string_lossy().into_owned()
}

/// Starts a run of the M/M/8 benchmark (several seconds) writing to `dir/out`.
fn start(dir: &Path, replications: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_hostsim"))
        .args(["run", &repo("scenarios/bench/mm8.toml"), "--out", "out", "--quiet", "--jobs", "1"])
        .args(["--replications", replications])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hostsim starts")
}

fn sigint(child: &Child) {
    // SAFETY: kill(2) with a pid we spawned and have not waited for.
    let rc = unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    assert_eq!(rc, 0, "kill failed");
}

/// A fake previous output, and a check that it is unchanged and alone.
fn previous(out: &Path) -> Vec<u8> {
    let dir = out.join("bench-mm8");
    fs::create_dir_all(dir.join("charts")).unwrap();
    fs::write(dir.join("summary.csv"), b"previous,run\n1,2\n").unwrap();
    fs::write(dir.join("charts/cost.png"), b"not really a png").unwrap();
    fs::read(dir.join("summary.csv")).unwrap()
}

fn assert_untouched(out: &Path, summary: &[u8]) {
    let dir = out.join("bench-mm8");
    assert_eq!(fs::read(dir.join("summary.csv")).unwrap(), summary);
    assert_eq!(fs::read(dir.join("charts/cost.png")).unwrap(), b"not really a png");
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 2, "files added to the previous output");
    let names: Vec<String> =
        fs::read_dir(out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["bench-mm8"], "left beside the output: {names:?}");
}

#[test]
fn sigint_halfway_keeps_previous_output_and_leaves_no_temp() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let summary = previous(&out);
    let child = start(tmp.path(), "8");
    std::thread::sleep(Duration::from_millis(1500));
    sigint(&child);
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_untouched(&out, &summary);
}

#[test]
fn sigint_while_writing_removes_the_temp_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let summary = previous(&out);
    let child = start(tmp.path(), "1");
    // Wait for the staging directory to appear, then interrupt.
    let deadline = Instant::now() + Duration::from_secs(60);
    let staged = loop {
        let temp = fs::read_dir(&out).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().contains(".tmp-"));
        if temp || Instant::now() > deadline {
            break temp;
        }
        std::thread::sleep(Duration::from_micros(200));
    };
    assert!(staged, "the run never started writing");
    sigint(&child);
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    if o.status.code() == Some(0) {
        // The run won the race and committed: the new output is whole.
        assert!(out.join("bench-mm8/latency_cdf.csv").is_file());
        return;
    }
    assert_eq!(o.status.code(), Some(130), "{err}");
    assert_untouched(&out, &summary);
}
