//! The binary as a child process: running it, the repository's files, and
//! reading what it printed.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

pub const HOSTSIM: &str = env!("CARGO_BIN_EXE_hostsim");

/// `program` in `dir`, with `HOSTSIM` naming the binary (the deploy scripts
/// read it) and none of the batch engines' variables inherited (they would
/// shard a sweep).
pub fn command(program: impl AsRef<std::ffi::OsStr>, dir: &Path) -> Command {
    let mut c = Command::new(program);
    c.current_dir(dir).env("HOSTSIM", HOSTSIM);
    for var in ["JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_COUNT"] {
        c.env_remove(var);
    }
    c
}

/// `hostsim ARGS` run to the end in `dir`.
pub fn hostsim(args: &[&str], dir: &Path) -> Output {
    command(HOSTSIM, dir).args(args).output().expect("hostsim starts")
}

/// `command` run with stdin closed and stdout and stderr in files (a pipe
/// nobody reads while waiting fills up and stalls the child); killed, failing
/// the test, if it has not finished within `limit`.
pub fn output_within(mut command: Command, limit: Duration) -> Output {
    let out = tempfile::tempdir().unwrap();
    let (stdout, stderr) = (out.path().join("stdout"), out.path().join("stderr"));
    command.stdin(Stdio::null()).stdout(fs::File::create(&stdout).unwrap()).stderr(fs::File::create(&stderr).unwrap());
    let mut child = command.spawn().unwrap_or_else(|e| panic!("{:?}: {e}", command.get_program()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{command:?} still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output { status, stdout: fs::read(stdout).unwrap(), stderr: fs::read(stderr).unwrap() }
}

/// True if a test must be skipped because `tool` is not installed: it says
/// so on stderr. Under CI (`CI` set, as `.ci/run` is run), where `.ci/run`
/// installs the tool, a missing tool fails the test instead of letting it
/// pass unseen.
pub fn skip_without(found: bool, tool: &str, install: &str) -> bool {
    if found {
        return false;
    }
    assert!(std::env::var_os("CI").is_none(), "{tool} is required under CI ({install})");
    eprintln!("skipped: {tool} is not installed ({install})");
    true
}

/// A path in the repository, absolute.
pub fn repo(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path).to_string_lossy().into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `o` if it exited 0, else a failure showing what it printed.
pub fn ok(o: Output) -> Output {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    assert!(o.status.success(), "stdout: {}\nstderr: {}", text(&o.stdout), text(&o.stderr));
    o
}

/// The `.toml` files of a directory of the repository, sorted.
pub fn toml_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(repo(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

/// All CSV files of an output directory, by name.
pub fn csvs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), fs::read(&p).unwrap()))
        .collect();
    files.sort();
    files
}
