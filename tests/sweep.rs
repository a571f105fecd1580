//! `hostsim sweep` and `hostsim merge` through the binary: sharded runs merge
//! to the unsharded bytes, rows equal `hostsim run`'s, right-sizing agrees
//! with Erlang C, and bad input exits 2 naming the problem.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use crate::common::cli::{HOSTSIM, command, ok, stderr};
use crate::common::theory::mmc_response_quantile_s;

/// `hostsim ARGS` in `dir` with the batch variables `env` (and no others).
fn hostsim(args: &[&str], dir: &Path, env: &[(&str, &str)]) -> Output {
    command(HOSTSIM, dir).args(args).envs(env.iter().copied()).output().expect("hostsim starts")
}

/// Two bare-metal options, 10 simulated minutes at 20 requests/s.
const TINY: &str = r#"name = "tiny"
horizon = "10m"
warmup = "1m"
bucket = "1m"
seed = 3
replications = 2

[slo]
p99_ms = 300

[traffic]
base_rps = 20

[workload]
cpu = { dist = "exponential", mean = "50ms" }
timeout = "10s"

[[option]]
name = "small"
kind = "bare_metal"
region = "washington"
servers = 1
cores = 2
price_usd = 3000

[[option]]
name = "big"
kind = "bare_metal"
region = "washington"
servers = 2
cores = 4
price_usd = 5000
"#;

const SETS: [&str; 4] = ["--set", "option.small.cores=1,2,4", "--set", "traffic.base_rps=10,30"];

fn sweep(dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Output {
    let mut args = vec!["sweep", "tiny.toml"];
    args.extend_from_slice(&SETS);
    args.extend_from_slice(extra);
    hostsim(&args, dir, env)
}

#[test]
fn three_shards_merge_to_the_unsharded_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(dir.join("tiny.toml"), TINY).unwrap();
    ok(sweep(dir, &["--out", "whole", "--quiet", "--jobs", "3"], &[]));
    // Shard 1 by number, shard 2 as a Kubernetes Indexed Job (0-based), shard 3 as a Slurm array task (--array=1-3).
    ok(sweep(dir, &["--out", "shards", "--quiet", "--shard", "1/3", "--jobs", "1"], &[]));
    ok(sweep(dir, &["--out", "shards", "--quiet", "--shard", "auto/3"], &[("JOB_COMPLETION_INDEX", "1")]));
    let slurm = [("SLURM_ARRAY_TASK_ID", "3"), ("SLURM_ARRAY_TASK_MIN", "1"), ("SLURM_ARRAY_TASK_COUNT", "3")];
    ok(sweep(dir, &["--out", "shards", "--quiet", "--shard", "auto"], &slurm));
    for i in 1..=3 {
        assert!(dir.join(format!("shards/tiny-sweep-shard-{i}-of-3/sweep.toml")).is_file());
    }
    let merged = ok(hostsim(&["merge", "shards", "--out", "merged"], dir, &[]));
    assert!(String::from_utf8_lossy(&merged.stdout).contains("merged 3 shards (6 points)"));

    let whole = fs::read(dir.join("whole/tiny-sweep/sweep.csv")).unwrap();
    let again = fs::read(dir.join("merged/tiny-sweep/sweep.csv")).unwrap();
    assert!(whole == again, "merged sweep.csv differs from the unsharded one");
    for f in ["sweep.toml", "sweep.png"] {
        assert!(
            fs::read(dir.join("whole/tiny-sweep").join(f)).unwrap()
                == fs::read(dir.join("merged/tiny-sweep").join(f)).unwrap(),
            "{f} differs"
        );
    }

    // Header: the keys, then the summary columns; 6 points × 2 options in cartesian order.
    let text = String::from_utf8(whole).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("option.small.cores,traffic.base_rps,option,kind,region,replications,offered,"));
    assert!(lines[0].ends_with(
        ",meets_slo,mean_ms_ci95,p99_ms_ci95,total_cost_usd_ci95,cost_per_month_usd_ci95,interruptions,interruptions_ci95,cold_starts"
    ));
    let firsts: Vec<String> = lines[1..].iter().map(|l| l.split(',').take(3).collect::<Vec<_>>().join(",")).collect();
    assert_eq!(firsts[..4], ["1,10,small", "1,10,big", "1,30,small", "1,30,big"]);
    assert_eq!(firsts.len(), 12);

    // Each point's rows are what `hostsim run` writes for that scenario.
    let variant = TINY.replace("cores = 2", "cores = 4").replace("base_rps = 20", "base_rps = 30");
    fs::write(dir.join("variant.toml"), variant).unwrap();
    ok(hostsim(&["run", "variant.toml", "--out", "run", "--no-charts", "--quiet"], dir, &[]));
    let summary = fs::read_to_string(dir.join("run/tiny/summary.csv")).unwrap();
    let expected: Vec<String> = summary.lines().skip(1).map(|l| format!("4,30,{l}")).collect();
    assert_eq!(lines[11..13], [expected[0].as_str(), expected[1].as_str()]);
}

#[test]
fn right_sizing_finds_the_erlang_c_answer() {
    // M/M/c: Poisson arrivals at λ = 470/s, exponential service of mean 10 ms
    // (μ = 100/s), c servers of one core each sharing one queue. Theory
    // (Erlang C): p99 = 160 ms at c = 5 (ρ = 0.94), 54 ms at c = 6, 48 ms at c = 7.
    let (lambda, mu, slo_ms) = (470.0, 100.0, 80.0);
    let p99_ms = |c: u32| {
        if f64::from(c) * mu <= lambda { f64::INFINITY } else { mmc_response_quantile_s(c, lambda, mu, 0.99) * 1e3 }
    };
    let best = (1..20).find(|&c| p99_ms(c) <= slo_ms).unwrap();
    // Not borderline: the answer is well inside the SLO and the next smaller c well outside it.
    assert!(p99_ms(best) < 0.8 * slo_ms && p99_ms(best - 1) > 1.5 * slo_ms, "{} {}", p99_ms(best), p99_ms(best - 1));
    assert_eq!(best, 6);

    let scenario = format!(
        "name = \"mmc\"\nhorizon = \"10m\"\nwarmup = \"1m\"\nbucket = \"1m\"\nseed = 5\nreplications = 2\n\n\
         [slo]\np99_ms = {slo_ms}\n\n[traffic]\nbase_rps = {lambda}\n\n\
         [workload]\ncpu = {{ dist = \"exponential\", mean = \"10ms\" }}\ntimeout = \"1h\"\n\n\
         [[option]]\nname = \"metal\"\nkind = \"bare_metal\"\nregion = \"washington\"\nservers = 1\ncores = 1\nprice_usd = 1000\n"
    );
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("mmc.toml"), scenario).unwrap();
    let args = ["sweep", "mmc.toml", "--set", "option.metal.servers=4..9", "--optimize", "cost", "--subject-to", "slo"];
    let out = ok(hostsim(&args, tmp.path(), &[]));
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("cheapest point meeting the SLO (p99 ≤ 80 ms), per option:"), "{table}");
    let optimum = fs::read_to_string(tmp.path().join("output/mmc-sweep/optimum.csv")).unwrap();
    let row: Vec<&str> = optimum.lines().nth(1).unwrap().split(',').collect();
    assert_eq!(row[..2], ["metal", "optimum"], "{optimum}");
    assert_eq!(row[3], best.to_string(), "{optimum}");
    // Points c = 6..9 meet the SLO, c = 4, 5 do not.
    assert_eq!(row[2], "4", "{optimum}");
    assert!(tmp.path().join("output/mmc-sweep/sweep.png").is_file());
}

#[test]
fn an_option_no_swept_key_touches_gets_a_not_swept_row_also_after_a_merge() {
    // Only small's cores are swept: big is the same scenario at every point
    // (same seed, same streams), so it has no optimum, only its own results.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(dir.join("tiny.toml"), TINY).unwrap();
    let base = ["sweep", "tiny.toml", "--set", "option.small.cores=1,2,4", "--optimize", "cost", "--subject-to", "slo"];
    let run = |extra: &[&str]| ok(hostsim(&[&base[..], extra].concat(), dir, &[]));
    let out = run(&["--out", "whole"]);
    let printed = String::from_utf8_lossy(&out.stdout).to_string();
    let whole = dir.join("whole/tiny-sweep");
    let sweep_csv = fs::read_to_string(whole.join("sweep.csv")).unwrap();
    let big: Vec<Vec<&str>> =
        sweep_csv.lines().skip(1).map(|l| l.split(',').collect::<Vec<_>>()).filter(|r| r[1] == "big").collect();
    assert_eq!(big.len(), 3);
    assert!(big.iter().all(|r| r[1..] == big[0][1..]), "big differs between points:\n{sweep_csv}");
    // sweep.csv: the key, then option (1), …, p99_ms (16), total_cost_usd (19), success_ratio (11), mean_instances (23), meets_slo (26), p99_ms_ci95 (28), total_cost_usd_ci95 (29).
    let (cost, p99, meets) = (big[0][19], big[0][16], big[0][26]);
    let expected =
        ["big", "not_swept", "", "", cost, big[0][29], p99, big[0][28], big[0][11], big[0][23], meets].join(",");

    let optimum = fs::read_to_string(whole.join("optimum.csv")).unwrap();
    let lines: Vec<&str> = optimum.lines().collect();
    assert_eq!(
        lines[0],
        "option,result,points_meeting_slo,option.small.cores,total_cost_usd,total_cost_usd_ci95,p99_ms,p99_ms_ci95,success_ratio,mean_instances,meets_slo"
    );
    // small is swept: at 1 core it misses the SLO, at 2 and 4 it meets it, 2 being cheaper.
    assert!(lines[1].starts_with("small,optimum,2,2,"), "{optimum}");
    assert_eq!(lines[2], expected, "{optimum}");
    assert_eq!(lines.len(), 3, "one row per option:\n{optimum}");
    let verdict = if meets == "true" { "meets the SLO" } else { "misses the SLO" };
    let line = format!("big: not swept (no --set key changes it): total_cost_usd {cost}, p99 {p99} ms");
    assert!(printed.contains(&line) && printed.contains(verdict), "{printed}");

    // Two shards merge to the same optimum.csv, sweep.png and printed table.
    run(&["--out", "shards", "--quiet", "--shard", "1/2"]);
    run(&["--out", "shards", "--quiet", "--shard", "2/2"]);
    let merged = ok(hostsim(&["merge", "shards", "--out", "merged"], dir, &[]));
    let table = printed.split("wrote ").next().unwrap();
    assert!(
        table.contains("big: not swept") && String::from_utf8_lossy(&merged.stdout).starts_with(table),
        "{printed}"
    );
    for f in ["sweep.csv", "optimum.csv", "sweep.png"] {
        let again = fs::read(dir.join("merged/tiny-sweep").join(f)).unwrap();
        assert!(fs::read(whole.join(f)).unwrap() == again, "{f} differs after the merge");
    }
}

#[test]
fn merge_refuses_missing_and_foreign_shards() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(dir.join("tiny.toml"), TINY).unwrap();
    for i in [1, 3] {
        ok(sweep(dir, &["--out", "a", "--quiet", "--shard", &format!("{i}/3")], &[]));
    }
    let o = hostsim(&["merge", "a", "--out", "m"], dir, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing shard 2/3"), "{}", stderr(&o));
    assert!(!dir.join("m").exists(), "nothing is written");

    // Shard 2 of the same sweep but from a different scenario text (same name).
    fs::write(dir.join("tiny.toml"), TINY.replace("price_usd = 5000", "price_usd = 5001")).unwrap();
    ok(sweep(dir, &["--out", "b", "--quiet", "--shard", "2/3"], &[]));
    let shard = |d: &str, i: u32| format!("{d}/tiny-sweep-shard-{i}-of-3");
    let o = hostsim(&["merge", &shard("a", 1), &shard("b", 2), &shard("a", 3), "--out", "m"], dir, &[]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("a/tiny-sweep-shard-1-of-3 and b/tiny-sweep-shard-2-of-3 are shards of different sweeps"),
        "{e}"
    );
    assert!(e.contains("scenario file contents"), "{e}");

    // A different seed, and the same shard twice.
    ok(sweep(dir, &["--out", "c", "--quiet", "--shard", "2/3", "--seed", "9"], &[]));
    let o = hostsim(&["merge", &shard("b", 2), &shard("c", 2), "--out", "m"], dir, &[]);
    assert!(stderr(&o).contains("seed (3 vs 9)"), "{}", stderr(&o));
    let o = hostsim(&["merge", &shard("a", 1), &shard("a", 1), "--out", "m"], dir, &[]);
    assert!(stderr(&o).contains("shard 1/3 is given twice"), "{}", stderr(&o));
    assert_eq!(o.status.code(), Some(2));
    let o = hostsim(&["merge", "tiny.toml", "--out", "m"], dir, &[]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn bad_sweeps_exit_2_before_any_work() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(dir.join("tiny.toml"), TINY).unwrap();
    let link = |extra: &'static str| ["--link", "option.small.cores=1,2,4", "--link", extra];
    let unequal = link("option.small.price_usd=2000,3000");
    let twice =
        ["--set", "option.small.cores=1,2", "--link", "option.small.cores=1,2", "--link", "traffic.base_rps=1,2"];
    let cases: [(&[&str], &str); 12] = [
        (&["--set", "option.small.cores=2,0"], "--set option.small.cores=0: tiny.toml: option \"small\".cores"),
        (
            &["--set", "option.small.coers=2"],
            "--set option.small.coers=2: tiny.toml: option \"small\": unknown key \"coers\"",
        ),
        (&["--set", "option.nope.cores=2"], "no element named \"nope\" (names in the scenario: small, big)"),
        (&["--set", "workload.timeout=10s,ten"], "--set workload.timeout=ten"),
        (&["--set", "traffic.base_rps=50..10"], "--set traffic.base_rps=50..10: empty range"),
        (&["--set", "traffic.base_rps=1", "--shard", "4/3"], "1-based"),
        (&["--set", "traffic.base_rps=1", "--shard", "auto/3"], "neither JOB_COMPLETION_INDEX"),
        (
            &unequal,
            "--link keys take their values in step, so each needs as many values: \
             option.small.cores has 3, option.small.price_usd has 2",
        ),
        (&twice, "option.small.cores is given with both --set and --link; give it once"),
        (&["--link", "option.small.cores=1,2"], "--link option.small.cores alone links nothing"),
        (&link("option.small.price_usd="), "--link option.small.price_usd=: no values after '='"),
        (
            &["--link", "option.small.cores=2,0", "--link", "option.small.price_usd=1,2"],
            "--link option.small.cores=0: tiny.toml: option \"small\".cores",
        ),
    ];
    for (extra, want) in cases {
        let mut args = vec!["sweep", "tiny.toml"];
        args.extend_from_slice(extra);
        let o = hostsim(&args, dir, &[]);
        assert_eq!(o.status.code(), Some(2), "{extra:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(want), "{extra:?}: {}", stderr(&o));
    }
    // Optimising needs an [slo].
    fs::write(dir.join("noslo.toml"), TINY.replace("[slo]\np99_ms = 300\n", "")).unwrap();
    let o = hostsim(
        &["sweep", "noslo.toml", "--set", "traffic.base_rps=5", "--optimize", "cost", "--subject-to", "slo"],
        dir,
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("needs an [slo] section"), "{}", stderr(&o));
    assert!(!dir.join("output").exists(), "nothing is written for invalid input");
}

#[test]
fn linked_values_go_in_step_and_merge_to_the_unsharded_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(dir.join("tiny.toml"), TINY).unwrap();
    let args = [
        "sweep",
        "tiny.toml",
        "--set",
        "traffic.base_rps=10,30",
        "--link",
        "option.small.cores=1,2,4",
        "--link",
        "option.small.price_usd=2000,3000,5000",
        "--quiet",
        "--no-charts",
    ];
    let run = |extra: &[&str]| ok(hostsim(&[&args[..], extra].concat(), dir, &[]));
    run(&["--out", "whole"]);
    // 2 rates × 3 (cores, price) pairs = 6 points (not 18), 2 options each,
    // the rate slowest, each core count with its own price.
    let text = fs::read_to_string(dir.join("whole/tiny-sweep/sweep.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("traffic.base_rps,option.small.cores,option.small.price_usd,option,"));
    let firsts: Vec<String> = lines[1..].iter().map(|l| l.split(',').take(4).collect::<Vec<_>>().join(",")).collect();
    let want = ["10,1,2000", "10,2,3000", "10,4,5000", "30,1,2000", "30,2,3000", "30,4,5000"];
    let want: Vec<String> = want.iter().flat_map(|p| [format!("{p},small"), format!("{p},big")]).collect();
    assert_eq!(firsts, want);
    let manifest = fs::read_to_string(dir.join("whole/tiny-sweep/sweep.toml")).unwrap();
    assert!(manifest.contains("points = 6") && manifest.matches("linked = true").count() == 2, "{manifest}");

    // Point 6 (rate 30, 4 cores at $5000) is what `hostsim run` writes for that scenario.
    let variant = TINY.replace("cores = 2\nprice_usd = 3000", "cores = 4\nprice_usd = 5000");
    fs::write(dir.join("variant.toml"), variant.replace("base_rps = 20", "base_rps = 30")).unwrap();
    ok(hostsim(&["run", "variant.toml", "--out", "run", "--no-charts", "--quiet"], dir, &[]));
    let summary = fs::read_to_string(dir.join("run/tiny/summary.csv")).unwrap();
    let expected: Vec<String> = summary.lines().skip(1).map(|l| format!("30,4,5000,{l}")).collect();
    assert_eq!(lines[11..13], [expected[0].as_str(), expected[1].as_str()]);

    // Four shards (points 1 and 5, 2 and 6, 3, 4) merge to the same bytes.
    for i in 1..=4 {
        run(&["--out", "shards", "--shard", &format!("{i}/4")]);
    }
    ok(hostsim(&["merge", "shards", "--out", "merged", "--no-charts", "--quiet"], dir, &[]));
    for f in ["sweep.csv", "sweep.toml"] {
        let (a, b) = (dir.join("whole/tiny-sweep").join(f), dir.join("merged/tiny-sweep").join(f));
        assert!(fs::read(a).unwrap() == fs::read(b).unwrap(), "{f} differs after merge");
    }
}

/// Runs the three shards of the tiny sweep into `out`; returns shard 2's directory.
fn run_three_shards(dir: &Path, out: &str) -> std::path::PathBuf {
    for i in 1..=3 {
        ok(sweep(dir, &["--out", out, "--quiet", "--shard", &format!("{i}/3")], &[]));
    }
    dir.join(out).join("tiny-sweep-shard-2-of-3")
}

#[test]
fn merge_refuses_a_shard_whose_csv_was_edited_truncated_or_lost_or_gained_a_row() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(dir.join("tiny.toml"), TINY).unwrap();
    let shard = run_three_shards(dir, "a");
    let csv = fs::read_to_string(shard.join("sweep.csv")).unwrap();
    let toml = fs::read_to_string(shard.join("sweep.toml")).unwrap();
    assert!(toml.contains("[csv]\nrows = 4\nsha256 = \"sha256:"), "{toml}");
    let lines: Vec<&str> = csv.lines().collect();
    let with = |rows: &[&str]| rows.iter().map(|l| format!("{l}\n")).collect::<String>();
    // One digit of a cost changed (same length), the file cut in the middle
    // of a row, the last row removed, and a row duplicated.
    let at = csv.rfind(|c: char| c.is_ascii_digit() && c != '9').unwrap();
    let digit = (csv.as_bytes()[at] + 1) as char;
    let edited = format!("{}{digit}{}", &csv[..at], &csv[at + 1..]);
    let truncated = csv[..csv.len() - 40].to_string();
    let removed = with(&lines[..lines.len() - 1]);
    let duplicated = with(&[&lines[..], &lines[2..3]].concat());
    for (what, text, want) in [
        ("edited", edited, "its SHA-256 differs from the one in sweep.toml"),
        ("truncated", truncated, "its SHA-256 differs"),
        ("row removed", removed, "has 3 rows where sweep.toml records 4"),
        ("row duplicated", duplicated, "has 5 rows where sweep.toml records 4"),
    ] {
        fs::write(shard.join("sweep.csv"), &text).unwrap();
        let o = hostsim(&["merge", "a", "--out", "m"], dir, &[]);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{what}: {e}");
        assert!(e.contains("tiny-sweep-shard-2-of-3/sweep.csv: ") && e.contains(want), "{what}: {e}");
        assert!(e.contains("was changed after shard 2/3 wrote it"), "{what}: {e}");
        assert!(!dir.join("m").exists(), "{what}: nothing is written");
    }
    // Back as written, it merges.
    fs::write(shard.join("sweep.csv"), &csv).unwrap();
    ok(hostsim(&["merge", "a", "--out", "m", "--no-charts"], dir, &[]));
}

#[test]
fn merge_refuses_shard_counts_beyond_the_points_before_allocating() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(dir.join("tiny.toml"), TINY).unwrap();
    run_three_shards(dir, "a");
    // Every shard says so (they agree): 2³² − 1 slots of shards were allocated.
    for i in 1..=3 {
        let manifest = dir.join(format!("a/tiny-sweep-shard-{i}-of-3/sweep.toml"));
        let toml = fs::read_to_string(&manifest).unwrap();
        fs::write(&manifest, toml.replace("shards = 3", "shards = 4294967295")).unwrap();
    }
    let o = exits(hostsim(&["merge", "a", "--out", "m"], dir, &[]), 2);
    let e = stderr(&o);
    assert!(e.contains("tiny-sweep-shard-1-of-3/sweep.toml: shards = 4294967295 is outside 1 to 6"), "{e}");
    // A sweep does not write a shard of more shards than points either.
    let o = exits(sweep(dir, &["--out", "b", "--shard", "7/7"], &[]), 2);
    assert!(stderr(&o).contains("--shard 7/7: the sweep has only 6 points"), "{}", stderr(&o));
    assert!(!dir.join("m").exists() && !dir.join("b").exists());
}

fn exits(o: Output, code: i32) -> Output {
    assert_eq!(o.status.code(), Some(code), "stderr: {}", stderr(&o));
    o
}

/// `hostsim ARGS` in `dir`: its exit code and peak resident memory in KiB.
///
/// A child started from a process counts that process's peak memory as its
/// own (exec keeps the larger, see `exec_mmap` in Linux), and this process
/// runs every integration test, so a fresh copy of this test binary, a few
/// MB, starts hostsim: `peak_rss_probe`, which prints `peak-rss CODE KIB`.
fn exit_code_and_peak_rss_kib(args: &[&str], dir: &Path) -> (i32, i64) {
    let (_, module) = module_path!().split_once("::").unwrap();
    let probe = format!("{module}::peak_rss_probe");
    let o = Command::new(std::env::current_exe().unwrap())
        .args([&probe, "--exact", "--ignored", "--nocapture"])
        .env(PROBE_ARGS, args.join("\n"))
        .current_dir(dir)
        .output()
        .expect("the test binary starts");
    let stdout = String::from_utf8_lossy(&ok(o).stdout).into_owned();
    let line = stdout.lines().find_map(|l| l.strip_prefix("peak-rss ")).unwrap_or_else(|| panic!("{stdout}"));
    let (code, kib) = line.split_once(' ').unwrap();
    (code.parse().unwrap(), kib.parse().unwrap())
}

/// The arguments of the run `peak_rss_probe` measures, one per line.
const PROBE_ARGS: &str = "HOSTSIM_PEAK_RSS_PROBE_ARGS";

#[test]
#[ignore = "run by exit_code_and_peak_rss_kib in a process of its own"]
fn peak_rss_probe() {
    let Ok(args) = std::env::var(PROBE_ARGS) else { return };
    let args: Vec<&str> = args.lines().collect();
    let (code, kib) = run_measured(&args, &std::env::current_dir().unwrap());
    println!("peak-rss {code} {kib}");
}

/// `hostsim ARGS` in `dir` started from this process: its exit code and peak
/// resident memory in KiB.
#[expect(clippy::zombie_processes, reason = "wait4 reaps the child, and gives its peak memory")]
fn run_measured(args: &[&str], dir: &Path) -> (i32, i64) {
    use std::process::Stdio;
    let child = Command::new(HOSTSIM)
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("hostsim starts");
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4(2) reaps our own child, which nothing else waits for.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t, "wait4 failed");
    assert!(libc::WIFEXITED(status), "hostsim did not exit normally");
    (libc::WEXITSTATUS(status), usage.ru_maxrss)
}

#[test]
fn a_sweep_holds_one_catalog_not_one_per_point() {
    // 1,000 points read with a 1,367-entry --catalog: one copy of the
    // catalog was kept per point (585 MB); now they share one (about 11 MB).
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let entry = |i: usize| {
        format!(
            "[catalog.vps.\"plan-{i}\"]\nvcpus = 2\nmonthly_usd = {}\nsource = \"a provider's price list, page {i}\"\n",
            10 + i % 50
        )
    };
    let catalog: String = (0..1367).map(entry).collect();
    fs::write(dir.join("plans.toml"), format!("[catalog]\n{catalog}")).unwrap();
    let one_minute = TINY
        .replace("horizon = \"10m\"\nwarmup = \"1m\"", "horizon = \"1m\"")
        .replace("replications = 2", "replications = 1");
    fs::write(dir.join("tiny.toml"), one_minute.replace("base_rps = 20", "base_rps = 1")).unwrap();
    let args = ["sweep", "tiny.toml", "--catalog", "plans.toml", "--set", "seed=1..1000", "--quiet", "--no-charts"];
    let (code, peak_kib) = exit_code_and_peak_rss_kib(&args, dir);
    assert_eq!(code, 0);
    assert_eq!(fs::read_to_string(dir.join("output/tiny-sweep/sweep.csv")).unwrap().lines().count(), 1 + 2 * 1000);
    assert!(peak_kib < 64 * 1024, "peak RSS {peak_kib} KiB");
}

#[test]
fn an_option_name_as_the_first_part_of_a_key_suggests_the_option_key() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/quickstart.toml");
    let path = scenario.to_string_lossy().into_owned();
    let o = hostsim(&["sweep", &path, "--set", "lean-washington.instances=2,3", "--out", "out"], dir.path(), &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "error: --set lean-washington.instances=2,3: \"lean-washington\" is an option's name, not a top-level key; \
         write --set option.lean-washington.instances=2,3\n"
    );
    assert!(!dir.path().join("out").exists());
}
