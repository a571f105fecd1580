//! The binary as users see it: exit codes, files, determinism, bad input.

use clap::ValueEnum;
use std::fs;
use std::process::{Command, Output, Stdio};

use crate::common::cli::{HOSTSIM, csvs, hostsim, ok, repo, stderr, toml_files};

/// A scenario small enough to simulate in milliseconds: one free bare-metal
/// option, so every cost is zero.
fn tiny(name: &str) -> String {
    format!(
        "name = \"{name}\"\nhorizon = \"10m\"\n[traffic]\nbase_rps = 1\n[workload]\n\
         cpu = {{ dist = \"constant\", value = \"10ms\" }}\n[[option]]\nname = \"free\"\n\
         kind = \"bare_metal\"\nregion = \"london\"\nservers = 1\ncores = 1\n"
    )
}

#[test]
fn costs_csv_has_its_header_when_every_cost_is_zero() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("free.toml"), tiny("free")).unwrap();
    let o = hostsim(&["run", "free.toml", "--out", "out", "--quiet", "--no-charts"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(tmp.path().join("out/free/costs.csv")).unwrap(), "option,category,usd\n");
    // The charts still read it back.
    let o = hostsim(&["chart", "out/free"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn cost_per_month_is_the_total_times_730_hours_over_the_horizon() {
    // One server at $150 a month of colocation for 24 h: 150 × 24 / 730 = $4.9315 in all,
    // and the monthly view gives back the $150: 4.9315 × 730 / 24 = $150. Colocation is the
    // same in every replication; power follows the random load and gives the CI column a width.
    let tmp = tempfile::tempdir().unwrap();
    let text = "name = \"month\"\nhorizon = \"24h\"\n[traffic]\nbase_rps = 20\n[workload]\n\
        cpu = { dist = \"exponential\", mean = \"50ms\" }\n[[option]]\nname = \"colo\"\nkind = \"bare_metal\"\n\
        region = \"london\"\nservers = 1\ncores = 2\ncolo_usd_per_month = 150\n\
        power = { idle_w = 100, max_w = 400, usd_per_kwh = 0.5 }\n";
    fs::write(tmp.path().join("month.toml"), text).unwrap();
    let o = hostsim(&["run", "month.toml", "--out", "out", "--no-charts", "--replications", "3"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let summary = fs::read_to_string(tmp.path().join("out/month/summary.csv")).unwrap();
    let mut lines = summary.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| -> f64 { row[header.iter().position(|h| *h == name).unwrap()].parse().unwrap() };
    let (total, month) = (col("total_cost_usd"), col("cost_per_month_usd"));
    // Cells have 4 decimals: the scaled total may differ by 0.00005 × 730 / 24 + 0.00005.
    let tolerance = 0.00005 * 730.0 / 24.0 + 0.00005;
    assert!((month - total * 730.0 / 24.0).abs() <= tolerance, "{total} {month}");
    // Colocation alone is $150 a month; power adds (100 W + 300 W × ~50 %) × 730 h × $0.5/kWh ≈ $91.
    assert!(month > 150.0 + 60.0 && month < 150.0 + 120.0, "{month}");
    let (ci, month_ci) = (col("total_cost_usd_ci95"), col("cost_per_month_usd_ci95"));
    assert!(ci > 0.0 && (month_ci - ci * 730.0 / 24.0).abs() <= tolerance, "{ci} {month_ci}");
    // The ranking table shows it.
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(table.contains("per_month_usd") && table.contains(&format!("{month:.2}")), "{table}");
}

#[test]
fn two_scenarios_with_one_name_are_refused_before_running() {
    let tmp = tempfile::tempdir().unwrap();
    for dir in ["a", "b"] {
        fs::create_dir(tmp.path().join(dir)).unwrap();
        fs::write(tmp.path().join(dir).join("scenario.toml"), tiny("site")).unwrap();
    }
    let o = hostsim(&["run", "a/scenario.toml", "b/scenario.toml", "--out", "out", "--quiet"], tmp.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.starts_with("error: a/scenario.toml and b/scenario.toml are both named \"site\""), "{err}");
    assert!(err.contains("name = \"site-2\""), "{err}");
    assert!(!tmp.path().join("out").exists(), "nothing may be written");
    // The same file twice is the same clash.
    let o = hostsim(&["run", "a/scenario.toml", "a/scenario.toml", "--out", "out", "--quiet"], tmp.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// The longest name `validate` accepts is one `run` can write: 192 bytes
/// of four-byte characters (48 of them).
#[test]
fn the_longest_valid_name_can_be_written() {
    let tmp = tempfile::tempdir().unwrap();
    let name = "😀".repeat(48);
    fs::write(tmp.path().join("long.toml"), tiny(&name)).unwrap();
    let o = hostsim(&["run", "long.toml", "--out", "out", "--quiet"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(tmp.path().join("out").join(&name).join("summary.csv").is_file());
    fs::write(tmp.path().join("longer.toml"), tiny(&format!("{name}x"))).unwrap();
    let o = hostsim(&["validate", "longer.toml"], tmp.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("193 bytes"), "{}", stderr(&o));
}

/// `hostsim run` of three scenarios with its stdout connected to `stdout`
/// (the ranking table is printed after the first one is written).
fn run_three_printing_to(stdout: impl Into<Stdio>) -> (tempfile::TempDir, Output) {
    let tmp = tempfile::tempdir().unwrap();
    for name in ["one", "two", "three"] {
        fs::write(tmp.path().join(format!("{name}.toml")), tiny(name)).unwrap();
    }
    let o = Command::new(HOSTSIM)
        .args(["run", "one.toml", "two.toml", "three.toml", "--out", "out", "--no-charts"])
        .current_dir(tmp.path())
        .stdout(stdout)
        .output()
        .expect("hostsim starts");
    for name in ["one", "two", "three"] {
        assert!(tmp.path().join("out").join(name).join("summary.csv").is_file(), "{name} not written: {}", stderr(&o));
    }
    (tmp, o)
}

#[test]
fn a_closed_stdout_ends_the_table_quietly_and_every_scenario_is_written() {
    // A pipe whose reader is gone, as after `| head -1`: every write fails with EPIPE.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let (_tmp, o) = run_three_printing_to(writer);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("error"), "{}", stderr(&o));
}

#[test]
fn a_full_stdout_is_a_runtime_failure_after_every_scenario_is_written() {
    let full = fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let (_tmp, o) = run_three_printing_to(full);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("error: cannot write to stdout: No space left on device"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn quickstart_runs_and_writes_every_report() {
    let tmp = tempfile::tempdir().unwrap();
    let out = hostsim(&["run", &repo("scenarios/quickstart.toml"), "--out", "out", "--no-charts"], tmp.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let dir = tmp.path().join("out/quickstart");
    for f in ["summary.csv", "timeseries.csv", "costs.csv", "emissions.csv", "latency_cdf.csv", "resolved.toml"] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    let summary = fs::read_to_string(dir.join("summary.csv")).unwrap();
    assert_eq!(
        summary.lines().next().unwrap(),
        "option,kind,region,replications,offered,served,timed_out,rejected,failed,in_flight,success_ratio,\
         mean_ms,p50_ms,p90_ms,p95_ms,p99_ms,p999_ms,max_ms,total_cost_usd,cost_per_million_usd,cost_per_month_usd,\
         compute_usd_per_instance_hour,mean_instances,peak_instances,utilization,meets_slo,mean_ms_ci95,p99_ms_ci95,\
         total_cost_usd_ci95,cost_per_month_usd_ci95,interruptions,interruptions_ci95,cold_starts,co2e_kg,co2e_g_per_million,\
         co2e_kg_ci95,db_utilization,db_wait_ms,db_wait_ms_ci95"
    );
    assert_eq!(summary.lines().count(), 3, "one row per option");
    // The ranking table names both options.
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("lean-washington") && table.contains("roomy-london"), "{table}");
    // Nothing but the output directory itself is left behind (no temp dirs).
    assert_eq!(fs::read_dir(tmp.path().join("out")).unwrap().count(), 1);
    // resolved.toml is itself a valid scenario.
    let again = hostsim(&["validate", "out/quickstart/resolved.toml"], tmp.path());
    assert!(again.status.success(), "{}", stderr(&again));
}

#[test]
fn same_seed_gives_identical_bytes_whatever_the_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = repo("scenarios/quickstart.toml");
    let run = |out: &str, extra: &[&str]| {
        let mut args = vec!["run", scenario.as_str(), "--out", out, "--no-charts", "--quiet", "--replications", "3"];
        args.extend_from_slice(extra);
        let o = hostsim(&args, tmp.path());
        assert!(o.status.success(), "{}", stderr(&o));
        csvs(&tmp.path().join(out).join("quickstart"))
    };
    let one = run("j1", &["--jobs", "1"]);
    let four = run("j4", &["--jobs", "4"]);
    assert_eq!(one.len(), 6);
    for ((name, a), (_, b)) in one.iter().zip(&four) {
        assert!(a == b, "{name} differs between --jobs 1 and --jobs 4");
    }
    let other_seed = run("s2", &["--jobs", "4", "--seed", "7"]);
    assert_ne!(one[1].1, other_seed[1].1, "a different seed must change summary.csv");
}

#[test]
fn validate_and_init() {
    let tmp = tempfile::tempdir().unwrap();
    let o = hostsim(&["init", "starter.toml"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let o = hostsim(&["validate", "starter.toml", &repo("scenarios/quickstart.toml")], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().filter(|l| l.starts_with("ok: ")).count(), 2);
    // init never overwrites.
    let before = fs::read(tmp.path().join("starter.toml")).unwrap();
    let o = hostsim(&["init", "starter.toml"], tmp.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("already exists"));
    assert_eq!(fs::read(tmp.path().join("starter.toml")).unwrap(), before);
    // Nor over a directory, and it leaves no temporary file behind.
    fs::create_dir(tmp.path().join("taken.toml")).unwrap();
    let o = hostsim(&["init", "taken.toml"], tmp.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 2);
}

#[test]
fn validate_checks_every_file_shows_every_error_and_prints_each_plan() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("good.toml"), tiny("good")).unwrap();
    // Two mistakes in one file, one in another.
    let two = tiny("two").replace("horizon = \"10m\"", "horizon = 10").replace("cores = 1", "cores = 0");
    fs::write(tmp.path().join("two.toml"), two).unwrap();
    fs::write(tmp.path().join("one.toml"), tiny("one").replace("base_rps = 1", "base_rps = -1")).unwrap();
    let o = hostsim(&["validate", "two.toml", "good.toml", "one.toml"], tmp.path());
    let (out, err) = (String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(out.starts_with("ok: good.toml\n  horizon 10m: about 600 requests\n"), "{out}");
    // 1 rps × 10 ms = 0.010 of the 1 core.
    assert!(out.contains("  free: 0.010 of 1 core at the mean, 0.010 at the peak\n"), "{out}");
    assert!(err.starts_with("error: two.toml:2:11: horizon: expected a duration"), "{err}");
    assert!(err.contains("error: two.toml: 2 errors\n\nerror: one.toml:4:12: traffic.base_rps"), "{err}");
    assert!(err.ends_with("error: 2 of 3 scenario files are invalid\n"), "{err}");
    // --quiet keeps it to "ok"; run shows every file's errors too.
    let o = hostsim(&["validate", "--quiet", "good.toml"], tmp.path());
    assert_eq!(String::from_utf8_lossy(&o.stdout), "ok: good.toml\n");
    let o = hostsim(&["run", "one.toml", "two.toml", "--out", "out"], tmp.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("one.toml:4:12") && stderr(&o).contains("two.toml: 2 errors"), "{}", stderr(&o));
    assert!(!tmp.path().join("out").exists());
}

/// The README's example, in order: the starter file's name is the output folder's.
#[test]
fn init_names_the_scenario_after_its_file_so_the_readme_example_works() {
    let tmp = tempfile::tempdir().unwrap();
    let o = hostsim(&["init", "my-site.toml"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("output/my-site"), "{}", String::from_utf8_lossy(&o.stdout));
    let o = hostsim(&["validate", "my-site.toml"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let args =
        ["run", "my-site.toml", "--replications", "1", "--seed", "7", "--out", "results", "--quiet", "--no-charts"];
    let o = hostsim(&args, tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let o = hostsim(&["chart", "results/my-site"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
}

/// `hostsim ARGS` in `dir` under a file-size limit of `bytes`, as on a disk
/// that fills up mid-write: a write past it fails with EFBIG.
fn hostsim_with_file_size_limit(args: &[&str], dir: &std::path::Path, bytes: u64) -> Output {
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(HOSTSIM);
    cmd.args(args).current_dir(dir);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            // Writes past the limit fail with EFBIG instead of killing the process (SIGXFSZ).
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit { rlim_cur: bytes, rlim_max: bytes };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.output().expect("hostsim starts")
}

/// `init` under a file-size limit: an error, and no file at all (before, a
/// truncated file that still parsed).
#[test]
fn init_on_a_full_disk_leaves_no_truncated_file() {
    let tmp = tempfile::tempdir().unwrap();
    let o = hostsim_with_file_size_limit(&["init", "starter.toml"], tmp.path(), 100);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("starter.toml"), "{}", stderr(&o));
    let left: Vec<_> = fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// A run that fails while writing (exit 1: a file-size limit stops its
/// CSVs) over the output of an earlier run leaves that output as it was,
/// byte for byte, and no staging folder beside it.
#[test]
fn a_run_failing_mid_write_leaves_the_earlier_output_whole() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("tiny.toml"), tiny("tiny")).unwrap();
    let first = hostsim(&["run", "tiny.toml", "--out", "out", "--quiet", "--no-charts"], tmp.path());
    assert!(first.status.success(), "{}", stderr(&first));
    let before = csvs(&tmp.path().join("out/tiny"));
    // A different seed: had anything been replaced, the bytes would differ.
    let args = ["run", "tiny.toml", "--out", "out", "--quiet", "--no-charts", "--seed", "99"];
    let o = hostsim_with_file_size_limit(&args, tmp.path(), 2_000);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    assert!(csvs(&tmp.path().join("out/tiny")) == before, "the earlier output changed");
    let left: Vec<_> = fs::read_dir(tmp.path().join("out")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, ["tiny"], "left behind: {left:?}");
}

/// Every file of the bad-input corpus: exit 2, the file named, no panic, no output directory.
#[test]
fn bad_inputs_exit_2_and_write_nothing() {
    let files = toml_files("tests/bad_inputs");
    assert!(files.len() >= 30, "corpus has only {} files", files.len());
    for file in files {
        let tmp = tempfile::tempdir().unwrap();
        let o = hostsim(&["run", &file.to_string_lossy(), "--out", "out"], tmp.path());
        let err = stderr(&o);
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(&name), "{name}: message does not name the file: {err}");
        assert!(err.starts_with("error: "), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert!(!tmp.path().join("out").exists(), "{name}: created an output directory");
        let created: Vec<_> = fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert!(created.is_empty(), "{name}: created {created:?}");
        let o = hostsim(&["validate", &file.to_string_lossy()], tmp.path());
        assert_eq!(o.status.code(), Some(2), "{name}: validate: {}", stderr(&o));
        assert_eq!(stderr(&o), err, "{name}: validate and run disagree");
    }
}

#[test]
fn missing_file_is_invalid_input_and_unwritable_output_is_a_runtime_failure() {
    let tmp = tempfile::tempdir().unwrap();
    let o = hostsim(&["run", "no-such.toml"], tmp.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("no-such.toml"));
    // --out below a regular file cannot be created: exit 1 with the path.
    fs::write(tmp.path().join("blocker"), b"").unwrap();
    let o = hostsim(&["run", &repo("scenarios/quickstart.toml"), "--out", "blocker/out", "--quiet"], tmp.path());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("blocker"));
}

#[test]
fn chart_command_redraws_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let o = hostsim(&["run", &repo("scenarios/quickstart.toml"), "--out", "out", "--quiet"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let charts = tmp.path().join("out/quickstart/charts");
    let before: Vec<Vec<u8>> = CHART_NAMES.iter().map(|c| fs::read(charts.join(c)).unwrap()).collect();
    fs::remove_dir_all(&charts).unwrap();
    let o = hostsim(&["chart", "out/quickstart"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    for (name, old) in CHART_NAMES.iter().zip(before) {
        assert!(fs::read(charts.join(name)).unwrap() == old, "{name} differs");
    }
    // Nothing left over from the redraw: six CSVs, summary.json, resolved.toml, command_line.txt,
    // report.html and charts/.
    assert_eq!(fs::read_dir(tmp.path().join("out/quickstart")).unwrap().count(), 11);
}

const CHART_NAMES: [&str; 6] =
    ["cost.png", "latency.png", "latency_cdf.png", "capacity.png", "tradeoff.png", "cost_breakdown.png"];

#[test]
fn short_flags_mean_their_long_flags() {
    // -o/--out, -q/--quiet, -s/--seed, -r/--replications, -j/--jobs on run, and -o, -q on sweep:
    // the same bytes either way, and a seed other than the scenario's changes them.
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("free.toml"), tiny("free")).unwrap();
    let run = |args: &[&str], out: &str| {
        let o = hostsim(args, tmp.path());
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "{args:?} is quiet");
        csvs(&tmp.path().join(out).join("free"))
    };
    let long = ["run", "free.toml", "--no-charts", "--out", "long", "--quiet", "--seed", "5", "--replications", "2"];
    let short = ["run", "free.toml", "--no-charts", "-o", "short", "-q", "-s", "5", "-r", "2", "-j", "1"];
    assert_eq!(run(&long, "long"), run(&short, "short"));
    let other = ["run", "free.toml", "--no-charts", "-o", "other", "-q", "-s", "6", "-r", "2"];
    // latency_cdf.csv (after costs.csv and emissions.csv).
    assert_ne!(run(&long, "long")[2], run(&other, "other")[2], "-s 6 is another seed");
    let sweep = ["sweep", "free.toml", "--set", "traffic.base_rps=1,2", "--no-charts", "-o", "sw", "-q", "-r", "2"];
    let o = hostsim(&sweep, tmp.path());
    assert!(o.status.success() && o.stdout.is_empty(), "{}", stderr(&o));
    assert!(tmp.path().join("sw/free-sweep/sweep.csv").exists());
}

#[test]
fn completions_and_man_page_come_from_the_command_line_definitions() {
    let tmp = tempfile::tempdir().unwrap();
    // Every subcommand appears in each script, so a new one cannot be left out.
    let subcommands =
        ["run", "validate", "init", "chart", "report", "compare", "catalog", "sweep", "merge", "import", "schema"];
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = hostsim(&["completions", shell], tmp.path());
        assert!(o.status.success(), "{shell}: {}", stderr(&o));
        let script = String::from_utf8(o.stdout).unwrap();
        for sub in subcommands {
            assert!(script.contains(sub), "{shell} completion lacks {sub}");
        }
        assert!(script.contains("replications"), "{shell} completion lacks run's flags");
    }
    let o = hostsim(&["man"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let page = String::from_utf8(o.stdout).unwrap();
    assert!(page.contains(".TH hostsim 1"), "a roff page of section 1:\n{page}");
    for sub in subcommands {
        assert!(page.contains(&format!("hostsim\\-{sub}")), "the page lists {sub}");
    }
    let o = hostsim(&["completions", "tcsh"], tmp.path());
    assert_eq!(o.status.code(), Some(2), "an unknown shell is a usage error");
    assert!(stderr(&o).contains("bash"), "and the error lists the shells");
}

#[test]
fn long_version_lists_each_price_table_with_the_dates_catalog_gives_its_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let o = hostsim(&["--version"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.starts_with(&format!("hostsim {}\n", env!("CARGO_PKG_VERSION"))), "{text}");
    // Every `catalog --kind` value, as clap lists them.
    let sections = hostsim::cli::Section::value_variants().iter().map(|s| s.to_possible_value().unwrap());
    for section in sections.map(|v| v.get_name().to_string()) {
        let section = section.as_str();
        let o = hostsim(&["catalog", "--kind", section, "--format", "csv"], tmp.path());
        assert!(o.status.success(), "{}", stderr(&o));
        let mut dates: Vec<String> = csv::Reader::from_reader(o.stdout.as_slice())
            .records()
            .map(|r| r.unwrap().iter().next_back().unwrap().to_string())
            .collect();
        dates.sort();
        dates.dedup();
        let line = text.lines().find(|l| l.split_whitespace().next() == Some(section));
        let listed = line.unwrap_or_else(|| panic!("--version lacks {section}:\n{text}"))[2..].trim_start();
        assert_eq!(listed, format!("{section:<11} {}", dates.join(", ")).as_str());
    }
    // -V stays one line.
    let o = hostsim(&["-V"], tmp.path());
    assert_eq!(String::from_utf8(o.stdout).unwrap(), format!("hostsim {}\n", env!("CARGO_PKG_VERSION")));
}

/// `hostsim ARGS` in `dir` with `input` on its standard input.
fn hostsim_with_stdin(args: &[&str], dir: &std::path::Path, input: &str) -> Output {
    use std::io::Write;
    let mut child = crate::common::cli::command(HOSTSIM, dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn dash_reads_the_scenario_from_standard_input_once() {
    let tmp = tempfile::tempdir().unwrap();
    // Piped, the scenario runs as a file would, into OUT/<its name>/.
    let o = hostsim_with_stdin(&["run", "-", "--out", "out", "--quiet", "--no-charts"], tmp.path(), &tiny("piped"));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(tmp.path().join("out/piped/summary.csv").is_file());
    // The same text from a file gives the same summary.
    fs::write(tmp.path().join("piped.toml"), tiny("piped")).unwrap();
    ok(hostsim(&["run", "piped.toml", "--out", "file", "--quiet", "--no-charts"], tmp.path()));
    let summary = |dir: &str| fs::read(tmp.path().join(dir).join("piped/summary.csv")).unwrap();
    assert_eq!(summary("out"), summary("file"));
    // Errors name <stdin> with the line, and a nameless scenario is told to name itself.
    let nameless = tiny("x").replacen("name = \"x\"\n", "", 1);
    let o = hostsim_with_stdin(&["validate", "-"], tmp.path(), &nameless);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("<stdin>: name: a scenario read from standard input has no file name"),
        "{}",
        stderr(&o)
    );
    let o = hostsim_with_stdin(&["validate", "-"], tmp.path(), &format!("{}bogus = 1\n", tiny("x")));
    assert!(stderr(&o).contains("<stdin>:13:1: option \"free\": unknown key \"bogus\""), "{}", stderr(&o));
    // Standard input holds one file: a second - is an error, not an empty scenario.
    let o = hostsim_with_stdin(&["validate", "-", "-"], tmp.path(), &tiny("x"));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("was read already: give - once"), "{}", stderr(&o));
    // sweep takes - too.
    let o = hostsim_with_stdin(
        &["sweep", "-", "--set", "option.free.cores=1,2", "--out", "sweep", "--quiet", "--no-charts"],
        tmp.path(),
        &tiny("piped"),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(tmp.path().join("sweep/piped-sweep/sweep.csv").is_file());
}

#[test]
fn quiet_commands_do_their_work_and_print_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let silent = |args: &[&str]| {
        let o = ok(hostsim(args, tmp.path()));
        assert!(o.stdout.is_empty(), "{args:?} printed {}", String::from_utf8_lossy(&o.stdout));
    };
    silent(&["init", "site.toml", "-q"]);
    assert!(fs::read_to_string(tmp.path().join("site.toml")).unwrap().contains("name = \"site\""));
    fs::write(tmp.path().join("free.toml"), tiny("free")).unwrap();
    silent(&["run", "free.toml", "-o", "out", "-q", "--no-charts"]);
    silent(&["chart", "out/free", "-q"]);
    assert!(tmp.path().join("out/free/charts/cost.png").is_file());
    fs::remove_file(tmp.path().join("out/free/report.html")).unwrap();
    silent(&["report", "out/free", "--quiet"]);
    assert!(tmp.path().join("out/free/report.html").is_file());
    // Without -q each says what it wrote.
    let o = ok(hostsim(&["report", "out/free"], tmp.path()));
    assert!(String::from_utf8(o.stdout).unwrap().starts_with("wrote "));
}

#[test]
fn color_flag_paints_errors_and_the_slo_column_and_never_means_plain_text() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("bad.toml"), "name = \"x\"\nhorizon = \"1h\"\n[traffic]\nbase_rps = -1\n").unwrap();
    let o = hostsim(&["validate", "bad.toml", "--color", "always"], tmp.path());
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("\x1b[1;31merror:\x1b[0m \x1b[1mbad.toml:4:12:\x1b[0m traffic.base_rps"), "{e}");
    assert!(e.contains("\x1b[31m^^\x1b[0m"), "the caret in red: {e}");
    // Auto into a pipe, and never, are plain text: the same words without the codes.
    for flags in [&["--color", "never"][..], &[]] {
        let args: Vec<&str> = ["validate", "bad.toml"].iter().chain(flags).copied().collect();
        let plain = stderr(&hostsim(&args, tmp.path()));
        assert!(!plain.contains('\x1b'), "{flags:?}: {plain}");
        assert_eq!(
            plain,
            e.replace("\x1b[1;31m", "")
                .replace("\x1b[1;36m", "")
                .replace("\x1b[31m", "")
                .replace("\x1b[1m", "")
                .replace("\x1b[0m", "")
        );
    }
    // The ranking's SLO column: green where an option meets the SLO.
    let text = format!("{}[slo]\np99_ms = 1000\n", tiny("free"));
    fs::write(tmp.path().join("free.toml"), text).unwrap();
    let o = hostsim(&["run", "free.toml", "--no-charts", "--out", "out", "--color", "always"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let table = String::from_utf8(o.stdout).unwrap();
    assert!(table.contains("\x1b[32mmeets\x1b[0m"), "{table}");
}
