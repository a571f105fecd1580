//! Robustness through the binary: resource limits, I/O failures, and
//! scenario names or `--set name=` values that try to leave `--out`.

use std::fs;
use std::io::Write as _;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use crate::common::cli::{HOSTSIM, hostsim, output_within, repo, stderr};

/// Every path under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<PathBuf> {
    let mut all = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p.clone());
            }
            all.push(p.strip_prefix(dir).unwrap().to_path_buf());
        }
    }
    all.sort();
    all
}

/// A small valid scenario named `name` (TOML-escaped by the caller).
fn scenario(name: &str) -> String {
    format!(
        "name = {name}\nhorizon = \"1h\"\nseed = 1\nreplications = 1\n[traffic]\nbase_rps = 5\n\
         [workload]\ncpu = {{ dist = \"exponential\", mean = \"20ms\" }}\n\
         [[option]]\nname = \"a\"\nkind = \"bare_metal\"\nregion = \"washington\"\nservers = 1\ncores = 2\n"
    )
}

#[test]
fn above_the_request_limit_is_exit_2_naming_the_flag() {
    let tmp = tempfile::tempdir().unwrap();
    let mm8 = repo("scenarios/bench/mm8.toml");
    let o = hostsim(&["run", &mm8, "--replications", "100", "--out", "out"], tmp.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.starts_with("error: ") && err.contains("mm8.toml") && err.contains("--max-requests"), "{err}");
    let q = repo("scenarios/quickstart.toml");
    let o = hostsim(&["run", &q, "--max-requests", "1000", "--out", "out"], tmp.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--max-requests"), "{}", stderr(&o));
    let o = hostsim(
        &["sweep", &q, "--set", "traffic.base_rps=10,20", "--max-requests", "1000", "--out", "out"],
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("2 sweep points") && stderr(&o).contains("--max-requests"), "{}", stderr(&o));
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn tiny_buckets_over_a_long_horizon_are_stopped_by_the_memory_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let text = scenario("\"tiny\"").replace("horizon = \"1h\"", "horizon = \"100d\"\nbucket = \"1s\"");
    fs::write(tmp.path().join("tiny.toml"), text).unwrap();
    let o = hostsim(&["run", "tiny.toml", "--replications", "10", "--out", "out"], tmp.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("GiB") && err.contains("--max-memory"), "{err}");
    assert!(!tmp.path().join("out").exists());
}

/// Runs hostsim in `dir` with at most 1 GiB of address space, killing it
/// (and failing the test) if it has not finished within 10 s: for inputs
/// that used to hang or fill memory.
fn hostsim_bounded(args: &[&str], dir: &Path) -> Output {
    let mut command = Command::new(HOSTSIM);
    command.args(args).current_dir(dir);
    // SAFETY: setrlimit is async-signal-safe, and nothing else runs between fork and exec.
    unsafe {
        command.pre_exec(|| {
            let gib = libc::rlimit { rlim_cur: 1 << 30, rlim_max: 1 << 30 };
            if libc::setrlimit(libc::RLIMIT_AS, &gib) == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
        });
    }
    output_within(command, Duration::from_secs(10))
}

/// A bare-metal scenario replaying `file` (as written in the scenario) per minute.
fn trace_scenario(file: &str) -> String {
    format!(
        "[traffic.trace]\nfile = \"{file}\"\nbucket = \"1m\"\n[workload]\ncpu = {{ dist = \"constant\", value = \"1ms\" }}\n\
         [[option]]\nname = \"a\"\nkind = \"bare_metal\"\nregion = \"london\"\nservers = 1\ncores = 1\n"
    )
}

#[test]
fn a_scaled_up_trace_counts_against_the_request_limit() {
    // nasa95 replays 3,461,612 requests; × scale 1e6 × 4 options × 2 replications = 2.8e13.
    let tmp = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(repo("scenarios/nasa95.toml")).unwrap();
    let trace = repo("data/traces/nasa_http_1995_per_minute.csv.gz");
    let text = text
        .replace("file = \"../data/traces/nasa_http_1995_per_minute.csv.gz\"", &format!("file = \"{trace}\""))
        .replace("bucket = \"1m\"", "bucket = \"1m\"\nscale = 1e6");
    fs::write(tmp.path().join("nasa95.toml"), text).unwrap();
    let o = hostsim_bounded(&["run", "nasa95.toml", "--max-requests", "1", "--out", "out"], tmp.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("nasa95.toml: would simulate about 2.769e13 requests"), "{err}");
    assert!(err.contains("--max-requests 28000000000000"), "{err}");
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn storms_of_rare_events_are_refused_before_running() {
    let tmp = tempfile::tempdir().unwrap();
    let vps = |period: &str| {
        scenario("\"storm\"").replace("horizon = \"1h\"", "horizon = \"365d\"\nbucket = \"1d\"").replace(
            "kind = \"bare_metal\"\nregion = \"washington\"\nservers = 1\ncores = 2\n",
            &format!(
                "kind = \"vps\"\nregion = \"london\"\ninstances = 4\nplan = \"linode-4gb\"\n\
                 neighbours = {{ host_cores = 64, count = 30, utilization = 0.5, period = \"{period}\" }}\n"
            ),
        )
    };
    // A 1-µs period over a year is refused by validation.
    fs::write(tmp.path().join("us.toml"), vps("1us")).unwrap();
    let o = hostsim_bounded(&["run", "us.toml", "--out", "out"], tmp.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("neighbours.period: 1us is shorter than the minimum of 1s"), "{}", stderr(&o));
    // 1 s is valid, but 4 instances × 30 neighbours × 31,536,000 redraws = 3.8e9 is over --max-events.
    fs::write(tmp.path().join("s.toml"), vps("1s")).unwrap();
    let o = hostsim_bounded(&["run", "s.toml", "--out", "out"], tmp.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("s.toml: would process about 3.784e9 rare events"), "{err}");
    assert!(err.contains("limit of 1e9") && err.contains("--max-events 3800000000"), "{err}");
    let o = hostsim_bounded(
        &["sweep", "s.toml", "--set", "traffic.base_rps=5,6", "--max-events", "1000", "--out", "out"],
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("2 sweep points") && stderr(&o).contains("--max-events"), "{}", stderr(&o));
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn scenario_and_catalog_files_are_read_up_to_16_mib() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("s.toml"), scenario("\"s\"")).unwrap();
    for args in [["validate", "/dev/urandom", "s.toml"], ["validate", "s.toml", "--catalog=/dev/zero"]] {
        let o = hostsim_bounded(&args, tmp.path());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        let file = args.iter().find(|a| a.contains("/dev/")).unwrap().trim_start_matches("--catalog=");
        assert!(err.starts_with(&format!("error: {file}: cannot read: larger than 16 MiB")), "{args:?}: {err}");
    }
}

#[test]
fn endless_or_special_trace_files_are_refused_in_bounded_time_and_memory() {
    let tmp = tempfile::tempdir().unwrap();
    // A gzip bomb: 200 members of 10 MiB of zeros each, 2 GiB unpacked and no line break.
    let mut member = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    member.write_all(&vec![0u8; 10 << 20]).unwrap();
    let member = member.finish().unwrap();
    fs::write(tmp.path().join("bomb.csv.gz"), member.repeat(200)).unwrap();
    // A regular file of 2 GiB of zeros (sparse: it takes no disk).
    fs::File::create(tmp.path().join("zeros.csv")).unwrap().set_len(2 << 30).unwrap();
    // A FIFO would block any reader until a writer comes; none ever does.
    let fifo = tmp.path().join("fifo.csv");
    let status = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(status.success());
    for (file, expected) in [
        ("bomb.csv.gz", "bomb.csv.gz:1: a row longer than 64 KiB"),
        ("zeros.csv", "zeros.csv:1: a row longer than 64 KiB"),
        ("fifo.csv", "fifo.csv: not a regular file"),
        ("/dev/zero", "/dev/zero: not a regular file"),
    ] {
        fs::write(tmp.path().join("s.toml"), trace_scenario(file)).unwrap();
        let o = hostsim_bounded(&["validate", "s.toml"], tmp.path());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{file}: {err}");
        assert!(err.starts_with("error: s.toml:2:8: traffic.trace.file: ") && err.contains(expected), "{file}: {err}");
    }
}

#[test]
fn unwritable_outputs_exit_1_with_path_and_reason_and_leave_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("s.toml"), scenario("\"s\"")).unwrap();
    fs::write(tmp.path().join("blocker"), b"").unwrap();
    // Root can write anywhere its permissions say it cannot, so the failures
    // used here hold for root too: a path under a regular file (ENOTDIR),
    // /sys (sysfs refuses new directories), and an output whose destination
    // is a regular file.
    let mut cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["run", "s.toml", "--out", "blocker/out"], "Not a directory"),
        (vec!["sweep", "s.toml", "--set", "traffic.base_rps=5,6", "--out", "blocker/out"], "Not a directory"),
    ];
    if Path::new("/sys/kernel").is_dir() {
        cases.push((vec!["run", "s.toml", "--out", "/sys/hostsim-test-out"], "/sys/hostsim-test-out"));
    }
    fs::create_dir(tmp.path().join("out")).unwrap();
    fs::write(tmp.path().join("out/s"), b"mine").unwrap();
    cases.push((vec!["run", "s.toml", "--out", "out"], "not a directory"));
    for (args, reason) in cases {
        let o = hostsim(&[&args[..], &["--quiet", "--no-charts"]].concat(), tmp.path());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.starts_with("error: ") && err.contains(reason), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    assert_eq!(fs::read(tmp.path().join("out/s")).unwrap(), b"mine");
    let left = tree(tmp.path());
    assert_eq!(left, ["blocker", "out", "out/s", "s.toml"].map(PathBuf::from), "{left:?}");
}

#[test]
fn names_that_would_leave_the_output_directory_are_rejected() {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    fs::create_dir(&work).unwrap();
    let names = [
        "\"../escape\"",
        "\"..\"",
        "\".\"",
        "\"/tmp/hostsim-abs\"",
        "\"a/b\"",
        "\"a\\\\..\\\\b\"",
        "\"bell\\u0007\"",
        "\"new\\nline\"",
        "\"\"",
    ];
    for name in names {
        fs::write(work.join("s.toml"), scenario(name)).unwrap();
        let o = hostsim(&["run", "s.toml", "--out", "out"], &work);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains("s.toml") && err.contains("name"), "{name}: {err}");
    }
    fs::write(work.join("s.toml"), scenario("\"ok\"")).unwrap();
    for set in ["name=../escape", "name=/tmp/hostsim-abs", "name=..", "name=a/b"] {
        let o = hostsim(&["sweep", "s.toml", "--set", set, "--out", "out"], &work);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{set}: {err}");
        assert!(err.contains("name"), "{set}: {err}");
    }
    assert!(!Path::new("/tmp/hostsim-abs").exists());
    assert_eq!(tree(tmp.path()), [PathBuf::from("work"), PathBuf::from("work/s.toml")]);
}

#[test]
fn out_with_dot_dot_is_used_as_given_and_nothing_is_written_beside_it() {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    fs::create_dir(&work).unwrap();
    fs::write(work.join("s.toml"), scenario("\"s\"")).unwrap();
    let o = hostsim(&["run", "s.toml", "--out", "../elsewhere", "--quiet", "--no-charts"], &work);
    assert!(o.status.success(), "{}", stderr(&o));
    let all = tree(tmp.path());
    assert!(all.iter().all(|p| p.starts_with("elsewhere/s") || p == Path::new("elsewhere") || p.starts_with("work")));
    assert!(all.contains(&PathBuf::from("elsewhere/s/summary.csv")), "{all:?}");
    assert_eq!(tree(&work), [PathBuf::from("s.toml")]);
}

/// `hostsim ARGS` in `dir` with at most `max_files` open file descriptors.
fn hostsim_with_file_limit(args: &[&str], dir: &Path, max_files: u64) -> Output {
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(HOSTSIM);
    cmd.args(args).current_dir(dir);
    // SAFETY: setrlimit(2) is async-signal-safe; the closure allocates nothing.
    unsafe {
        cmd.pre_exec(move || {
            let limit = libc::rlimit { rlim_cur: max_files, rlim_max: max_files };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    cmd.output().expect("hostsim starts")
}

#[test]
fn open_files_do_not_grow_with_replications() {
    // 600 one-second buckets (82 KB per series, past what stays in memory)
    // in each of 300 replications, under a limit of 64 open files.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let text = scenario("\"fd\"").replace("horizon = \"1h\"", "horizon = \"10m\"\nbucket = \"1s\"");
    fs::write(dir.join("fd.toml"), text.replace("replications = 1", "replications = 300")).unwrap();
    fn run(out: &str) -> [&str; 8] {
        ["run", "fd.toml", "--out", out, "--quiet", "--no-charts", "--jobs", "2"]
    }
    let o = hostsim_with_file_limit(&run("limited"), dir, 64);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(hostsim(&run("free"), dir).status.success());
    for f in ["summary.csv", "timeseries.csv", "costs.csv", "latency_cdf.csv", "resolved.toml"] {
        let (a, b) =
            (fs::read(dir.join("limited/fd").join(f)).unwrap(), fs::read(dir.join("free/fd").join(f)).unwrap());
        assert!(a == b, "{f} differs under the limit");
    }
    // A sweep's points run at once, each sharing one file among its jobs.
    let sweep = ["sweep", "fd.toml", "--set", "seed=1,2", "--replications", "100", "--out", "s", "--quiet"];
    let o = hostsim_with_file_limit(&sweep, dir, 64);
    assert!(o.status.success(), "{}", stderr(&o));
}
