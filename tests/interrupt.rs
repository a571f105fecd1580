//! Signals and other runs against one output folder. Ctrl-C (SIGINT)
//! during `hostsim run`: the previous output stays byte for byte, no
//! temporary directory is left, and the exit code is 130. kill -9: the
//! next run removes what it left. Runs writing the same folder at once
//! (also from other PID namespaces, where both are PID 1) take turns: each
//! succeeds, the folder is wholly one run's, nothing is left beside it.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::cli::{HOSTSIM, command, repo};

/// Starts a run of the M/M/8 benchmark (several seconds) writing to `dir/out`.
fn start(dir: &Path, replications: &str) -> Child {
    command(HOSTSIM, dir)
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

const PREVIOUS_SUMMARY: &[u8] = b"previous,run\n1,2\n";

/// A fake previous output of scenario `name`, and a check that it is unchanged and alone.
fn previous(out: &Path, name: &str) -> Vec<u8> {
    let dir = out.join(name);
    fs::create_dir_all(dir.join("charts")).unwrap();
    fs::write(dir.join("summary.csv"), PREVIOUS_SUMMARY).unwrap();
    fs::write(dir.join("charts/cost.png"), b"not really a png").unwrap();
    fs::read(dir.join("summary.csv")).unwrap()
}

fn assert_untouched(out: &Path, name: &str, summary: &[u8]) {
    let dir = out.join(name);
    assert_eq!(fs::read(dir.join("summary.csv")).unwrap(), summary);
    assert_eq!(fs::read(dir.join("charts/cost.png")).unwrap(), b"not really a png");
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 2, "files added to the previous output");
    let names: Vec<String> =
        fs::read_dir(out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names, [name], "left beside the output: {names:?}");
}

/// Waits until `pid` catches SIGINT (its handler is installed: a SIGINT
/// before that would kill it instead of exiting 130), read from the
/// `SigCgt` mask of /proc/PID/status.
fn wait_for_sigint_handler(pid: u32) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let caught = status.lines().find_map(|l| l.strip_prefix("SigCgt:")).map(str::trim);
        // SIGINT is signal 2: bit 1 of the mask.
        if caught.and_then(|m| u64::from_str_radix(m, 16).ok()).is_some_and(|m| m & (1 << (libc::SIGINT - 1)) != 0) {
            return;
        }
        assert!(Instant::now() < deadline, "hostsim never installed its SIGINT handler: {status}");
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn sigint_halfway_keeps_previous_output_and_leaves_no_temp() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let summary = previous(&out, "bench-mm8");
    let mut child = start(tmp.path(), "8");
    // Interrupted while it simulates: its handler is in place, and it has
    // not started writing (8 replications of M/M/8 take seconds).
    wait_for_sigint_handler(child.id());
    assert!(child.try_wait().unwrap().is_none() && staging_dirs(&out, "bench-mm8").is_empty());
    sigint(&child);
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_untouched(&out, "bench-mm8", &summary);
}

#[test]
fn sigint_while_writing_removes_the_temp_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    // Frozen while its staging folder exists, interrupted, then let go: the
    // interrupt lands while it writes. The handler's thread usually removes
    // the folder before the writer commits; a run that commits first is
    // tried again, and never counted as a pass.
    for _ in 0..5 {
        let (child, pid, staging) = stopped_while_writing(tmp.path(), 1, false, true);
        signal(pid, libc::SIGINT);
        signal(pid, libc::SIGCONT);
        let o = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        if o.status.code() == Some(0) {
            eprintln!("the run committed before the interrupt: again");
            continue;
        }
        assert_eq!(o.status.code(), Some(130), "{err}");
        assert!(err.contains("interrupted"), "{err}");
        assert!(!staging.exists(), "{} left behind", staging.display());
        assert_untouched(&out, "quickstart", PREVIOUS_SUMMARY);
        return;
    }
    panic!("no interrupt landed while the run was writing in 5 tries");
}

/// `hostsim run` of the quickstart (one replication, seed `seed`) writing to
/// `dir/OUT`, in a PID namespace of its own (where it is PID 1) if asked.
fn quickstart(dir: &Path, out: &str, seed: u32, namespaced: bool) -> Command {
    let mut cmd = if namespaced {
        let mut unshare = Command::new("unshare");
        unshare.args(["--pid", "--fork", "--mount-proc", HOSTSIM]);
        unshare
    } else {
        Command::new(HOSTSIM)
    };
    cmd.args(["run", &repo("scenarios/quickstart.toml"), "--out", out, "--quiet", "--jobs", "1"])
        .args(["--replications", "1", "--seed", &seed.to_string()])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

fn signal(pid: libc::pid_t, sig: libc::c_int) {
    // SAFETY: kill(2) on a process this test started and has not reaped.
    let rc = unsafe { libc::kill(pid, sig) };
    assert_eq!(rc, 0, "kill {pid} {sig} failed");
}

/// The hostsim process of `child`: itself, or the one `unshare --fork` started.
fn hostsim_pid(child: &Child, namespaced: bool) -> libc::pid_t {
    if !namespaced {
        return child.id() as libc::pid_t;
    }
    let children = format!("/proc/{0}/task/{0}/children", child.id());
    for _ in 0..10_000 {
        if let Some(pid) = fs::read_to_string(&children).unwrap_or_default().split_whitespace().next() {
            return pid.parse().unwrap();
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    panic!("unshare started no process");
}

/// Hidden directories beside `out/NAME`: staging folders, old copies.
fn staging_dirs(out: &Path, name: &str) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(out) else { return vec![] };
    let prefix = format!(".{name}.");
    entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && p.file_name().unwrap().to_string_lossy().starts_with(&prefix))
        .collect()
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// A quickstart run into `dir/out` (over a fake previous output if
/// `over_previous`) frozen (SIGSTOP) while it writes its staging folder: the
/// child, its hostsim pid and that folder.
fn stopped_while_writing(
    dir: &Path,
    seed: u32,
    namespaced: bool,
    over_previous: bool,
) -> (Child, libc::pid_t, PathBuf) {
    let out = dir.join("out");
    for _ in 0..5 {
        let _ = fs::remove_dir_all(&out);
        if over_previous {
            previous(&out, "quickstart");
        }
        let mut child = quickstart(dir, "out", seed, namespaced).spawn().expect("hostsim starts");
        let pid = hostsim_pid(&child, namespaced);
        let deadline = Instant::now() + Duration::from_secs(120);
        while staging_dirs(&out, "quickstart").is_empty()
            && child.try_wait().unwrap().is_none()
            && Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_micros(200));
        }
        signal(pid, libc::SIGSTOP);
        if let [staging] = &staging_dirs(&out, "quickstart")[..] {
            return (child, pid, staging.clone());
        }
        // Done before it could be stopped: try again.
        signal(pid, libc::SIGCONT);
        child.wait().unwrap();
    }
    panic!("could not stop a run while it was writing");
}

/// Lines of `child`'s stderr as they come.
fn stderr_lines(child: &mut Child) -> mpsc::Receiver<String> {
    let (send, receive) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let _ = send.send(line.unwrap_or_default());
        }
    });
    receive
}

/// The files a run writes (charts aside) of `dir`, by name.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    ["summary.csv", "timeseries.csv", "costs.csv", "latency_cdf.csv", "resolved.toml"]
        .into_iter()
        .map(|f| (f.to_string(), fs::read(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"))))
        .collect()
}

/// What a run with `seed` writes alone.
fn solo(dir: &Path, seed: u32) -> Vec<(String, Vec<u8>)> {
    let out = format!("solo-{seed}");
    let o = quickstart(dir, &out, seed, false).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    files(&dir.join(out).join("quickstart"))
}

fn assert_ok(o: &Output, who: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{who}: {err}");
    assert!(!err.contains("No such file") && !err.contains("panicked"), "{who}: {err}");
}

/// Run A is frozen while writing; run B, same OUT/NAME, finishes simulating
/// meanwhile and must wait for A instead of touching A's staging folder.
/// Both succeed and the folder is then wholly B's.
fn overlapping_runs_take_turns(namespaced: bool) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let (a, a_pid, a_staging) = stopped_while_writing(tmp.path(), 1, namespaced, false);
    let mut b = quickstart(tmp.path(), "out", 2, namespaced).spawn().expect("hostsim starts");
    let lines = stderr_lines(&mut b);
    let mut b_err = String::new();
    while let Ok(line) = lines.recv_timeout(Duration::from_secs(120)) {
        b_err += &line;
        if line.contains("waiting for another run writing") {
            break;
        }
    }
    let a_alive = a_staging.is_dir();
    signal(a_pid, libc::SIGCONT);
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert!(a_alive, "run B removed the staging folder of live run A ({}); B: {b_err}", a_staging.display());
    assert!(b_err.contains("waiting for another run writing out/quickstart"), "B did not wait for A: {b_err}");
    assert_ok(&a, "A");
    assert_ok(&b, "B");
    assert!(files(&out.join("quickstart")) == solo(tmp.path(), 2), "the output is not wholly the last run's");
    assert_eq!(names(&out), ["quickstart"], "left beside the output");
}

#[test]
fn a_run_waits_for_a_live_run_writing_the_same_folder_and_keeps_its_staging() {
    overlapping_runs_take_turns(false);
}

/// Two containers sharing one --out, both runs PID 1: a staging name made
/// of the PID was the same for both, and B deleted A's folder.
#[test]
fn runs_in_two_pid_namespaces_both_pid_1_do_not_mix() {
    let probe = Command::new("unshare").args(["--pid", "--fork", "--mount-proc", "true"]).output();
    if !probe.as_ref().is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: `unshare --pid --fork --mount-proc` is unavailable here (needs root): {probe:?}");
        return;
    }
    overlapping_runs_take_turns(true);
}

#[test]
fn a_run_killed_while_writing_leaves_a_folder_the_next_run_removes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let (a, a_pid, a_staging) = stopped_while_writing(tmp.path(), 1, false, false);
    signal(a_pid, libc::SIGKILL);
    a.wait_with_output().unwrap();
    assert!(a_staging.is_dir(), "kill -9 left nothing to clean up");
    let b = quickstart(tmp.path(), "out", 2, false).output().unwrap();
    assert_ok(&b, "the next run");
    assert_eq!(names(&out), ["quickstart"], "left beside the output");
}

#[test]
fn many_concurrent_runs_into_one_folder_all_succeed_and_one_wins_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    for round in 0..3 {
        let runs: Vec<Child> = (1..=8)
            .map(|seed| quickstart(tmp.path(), "out", round * 8 + seed, false).spawn().expect("hostsim starts"))
            .collect();
        for (i, run) in runs.into_iter().enumerate() {
            assert_ok(&run.wait_with_output().unwrap(), &format!("run {i} of round {round}"));
        }
        assert_eq!(names(&out), ["quickstart"], "left beside the output");
        // The folder is wholly the run whose seed resolved.toml names.
        let result = files(&out.join("quickstart"));
        let resolved = String::from_utf8_lossy(&result[4].1).into_owned();
        let seed = resolved.lines().find_map(|l| l.strip_prefix("seed = ")).expect("a seed").parse().unwrap();
        assert!(result == solo(tmp.path(), seed), "round {round}: not wholly the run with seed {seed}");
    }
}
