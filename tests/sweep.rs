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
        ",meets_slo,mean_ms_ci95,p99_ms_ci95,total_cost_usd_ci95,cost_per_month_usd_ci95,interruptions,interruptions_ci95,cold_starts,co2e_kg,co2e_g_per_million,co2e_kg_ci95,db_utilization,db_wait_ms,db_wait_ms_ci95"
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

/// M/M/c on bare metal: Poisson arrivals at `lambda_rps`, exponential
/// service of mean 10 ms, servers of one core each sharing one queue, and
/// an SLO on p99; 10 minutes, 2 replications.
fn mmc(lambda_rps: f64, slo_ms: f64) -> String {
    format!(
        "name = \"mmc\"\nhorizon = \"10m\"\nwarmup = \"1m\"\nbucket = \"1m\"\nseed = 5\nreplications = 2\n\n\
         [slo]\np99_ms = {slo_ms}\n\n[traffic]\nbase_rps = {lambda_rps}\n\n\
         [workload]\ncpu = {{ dist = \"exponential\", mean = \"10ms\" }}\ntimeout = \"1h\"\n\n\
         [[option]]\nname = \"metal\"\nkind = \"bare_metal\"\nregion = \"washington\"\nservers = 1\ncores = 1\nprice_usd = 1000\n"
    )
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

    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("mmc.toml"), mmc(lambda, slo_ms)).unwrap();
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

/// The lines of `DIR/mmc-sweep/FILE` in `dir`, each split at commas.
fn mmc_rows(dir: &Path, out: &str, file: &str) -> Vec<Vec<String>> {
    let text = fs::read_to_string(dir.join(out).join("mmc-sweep").join(file)).unwrap();
    text.lines().map(|l| l.split(',').map(String::from).collect()).collect()
}

#[test]
fn bisect_finds_the_grids_optimum_in_log2_n_simulations() {
    // The M/M/c case above (λ = 470/s, μ = 100/s, p99 ≤ 80 ms): by Erlang C
    // c = 6 is the fewest servers meeting the SLO (p99 54 ms), c = 5 misses
    // it (160 ms) and c ≤ 4 cannot keep up (cμ ≤ λ). Bisecting 1..12 tries
    // the middle of what is left: 7 (meets), 4 (misses), 6 (meets), 5
    // (misses); 4 simulations, at most ⌊log₂ 12⌋ + 1 = 4, instead of 12.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(dir.join("mmc.toml"), mmc(470.0, 80.0)).unwrap();
    let grid =
        ["sweep", "mmc.toml", "--set", "option.metal.servers=1..12", "--optimize", "cost", "--subject-to", "slo"];
    ok(hostsim(&[&grid[..], &["--out", "grid", "--no-charts"]].concat(), dir, &[]));
    let search = ["--out", "bisect", "--jobs", "1", "--search", "bisect", "option.metal.servers"];
    let out = ok(hostsim(&[&grid[..], &search].concat(), dir, &[]));
    let printed = String::from_utf8_lossy(&out.stdout);

    let steps = mmc_rows(dir, "bisect", "search.csv");
    assert_eq!(steps[0].join(","), "step,option.metal.servers,meets_slo,total_cost_usd,p99_ms");
    let tried: Vec<(&str, &str)> = steps[1..].iter().map(|r| (r[1].as_str(), r[2].as_str())).collect();
    assert_eq!(tried, [("7", "true"), ("4", "false"), ("6", "true"), ("5", "false")], "{printed}");
    assert!(tried.len() <= 12f64.log2().floor() as usize + 1);
    assert!(printed.contains("step 3: option.metal.servers = 6 meets the SLO"), "{printed}");
    assert!(
        printed.contains("smallest option.metal.servers meeting the SLO: 6 (4 of 12 values simulated)"),
        "{printed}"
    );

    // The optimum row is the full grid's, but for points_meeting_slo: the
    // grid has 7 points meeting the SLO (c = 6..12), bisect tried 2 of them.
    let (g, b) = (mmc_rows(dir, "grid", "optimum.csv"), mmc_rows(dir, "bisect", "optimum.csv"));
    assert_eq!((g[1][1].as_str(), g[1][2].as_str(), g[1][3].as_str()), ("optimum", "7", "6"));
    assert_eq!(
        (g[0].clone(), g[1][..2].to_vec(), g[1][3..].to_vec()),
        (b[0].clone(), b[1][..2].to_vec(), b[1][3..].to_vec())
    );
    assert_eq!(b[1][2], "2");
    // sweep.csv holds the points tried, in the grid's order, each row the grid's own (whatever --jobs).
    let (g, b) = (mmc_rows(dir, "grid", "sweep.csv"), mmc_rows(dir, "bisect", "sweep.csv"));
    assert_eq!(b[0], g[0]);
    assert_eq!(b[1..], g[4..8], "rows of c = 4, 5, 6, 7");
    let manifest = fs::read_to_string(dir.join("bisect/mmc-sweep/sweep.toml")).unwrap();
    assert!(manifest.contains("search = \"bisect option.metal.servers\"\n"), "{manifest}");
    assert!(dir.join("bisect/mmc-sweep/sweep.png").is_file());
}

#[test]
fn bisect_reports_when_no_value_or_already_the_smallest_meets_the_slo() {
    // As above: c ≤ 5 misses p99 ≤ 80 ms, c ≥ 6 meets it.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(dir.join("mmc.toml"), mmc(470.0, 80.0)).unwrap();
    let search = |out: &str, values: &str, extra: &[&str]| {
        let set = format!("option.metal.servers={values}");
        let args = ["sweep", "mmc.toml", "--set", &set, "--optimize", "cost", "--subject-to", "slo", "--out", out];
        let o = ok(hostsim(
            &[&args[..], extra, &["--no-charts", "--search", "bisect", "option.metal.servers"]].concat(),
            dir,
            &[],
        ));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    // 1..4: 3 misses, then 4, the largest, misses too.
    let printed = search("none", "1..4", &[]);
    assert!(
        printed.contains(
            "no value of option.metal.servers meets the SLO, not even the largest, 4 (2 of 4 values simulated)"
        ),
        "{printed}"
    );
    let tried: Vec<String> = mmc_rows(dir, "none", "search.csv")[1..].iter().map(|r| r[1..3].join(",")).collect();
    assert_eq!(tried, ["3,false", "4,false"]);
    let optimum = mmc_rows(dir, "none", "optimum.csv");
    assert_eq!(optimum[1][..4], ["metal", "none_meets_slo", "0", ""]);
    assert!(printed.contains("metal: no point of the sweep meets the SLO (lowest p99:"), "{printed}");

    // 9,8,7,6, unsorted, with a key of one value (cores) beside: sorted 6..9,
    // it tries 8, 7, 6, all meeting, so the smallest value given is the answer.
    let printed = search("smallest", "9,8,7,6", &["--set", "option.metal.cores=1"]);
    assert!(
        printed.contains(
            "smallest option.metal.servers meeting the SLO: 6 (the smallest value given; 3 of 4 values simulated)"
        ),
        "{printed}"
    );
    let tried: Vec<String> = mmc_rows(dir, "smallest", "search.csv")[1..].iter().map(|r| r[1..3].join(",")).collect();
    assert_eq!(tried, ["8,true", "7,true", "6,true"]);
    // sweep.csv in the order given (9 was not tried), keys in --set order.
    let rows = mmc_rows(dir, "smallest", "sweep.csv");
    let keys: Vec<String> = rows.iter().map(|r| r[..3].join(",")).collect();
    assert_eq!(keys, ["option.metal.servers,option.metal.cores,option", "8,1,metal", "7,1,metal", "6,1,metal"]);
    assert_eq!(mmc_rows(dir, "smallest", "optimum.csv")[1][..5], ["metal", "optimum", "3", "6", "1"]);
}

#[test]
fn bisect_refuses_what_cannot_be_monotone() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(dir.join("tiny.toml"), TINY).unwrap();
    // Each case's arguments after `sweep tiny.toml`, split at spaces; OPT
    // stands for --optimize cost --subject-to slo.
    let servers = "--set option.small.servers=1..4";
    let small = "--search bisect option.small.servers";
    let cases: [(String, &str); 10] = [
        (format!("{servers} {small}"), "--search bisect option.small.servers needs --optimize cost --subject-to slo"),
        (format!("{servers} {small} OPT --shard 1/2"), "--search bisect option.small.servers cannot be sharded"),
        (
            format!("--set option.small.cores=1,2 {small} OPT"),
            "option.small.servers is not swept; give its values with --set",
        ),
        (
            format!("{servers} --set traffic.base_rps=10,20 {small} OPT"),
            "--set traffic.base_rps has 2 values; bisect varies one key only",
        ),
        (
            format!("{servers} --link option.big.cores=2,4 --link option.big.price_usd=1,2 {small} OPT"),
            "--link option.big.cores has 2 values; bisect varies one key only",
        ),
        (
            "--set option.small.cores=1..4 --search bisect option.small.cores OPT".into(),
            "option.small.cores is not a capacity key (more cores never slow an FCFS pool, but at a fixed price",
        ),
        (
            "--set traffic.base_rps=10,20 --search bisect traffic.base_rps OPT".into(),
            "traffic.base_rps is a scenario-wide key, not an option's capacity; bisect needs a key that adds \
             capacity and cost as it grows: option.NAME.servers (bare metal), option.NAME.instances (vps)",
        ),
        (
            format!("--set option.small.servers=1,2.5 {small} OPT"),
            "value 2.5 of --set option.small.servers is not a whole number",
        ),
        (format!("{servers} --search linear option.small.servers OPT"), "--search linear: the only search is bisect"),
        // A count of another kind is validated as the grid would validate it.
        (
            "--set option.small.instances=1..3 --search bisect option.small.instances OPT".into(),
            "--set option.small.instances=1: tiny.toml: option \"small\".instances: \"instances\" is a vps key; \
             bare metal has \"servers\"",
        ),
    ];
    for (extra, want) in cases {
        let extra = extra.replace("OPT", "--optimize cost --subject-to slo");
        let args: Vec<&str> = ["sweep", "tiny.toml"].into_iter().chain(extra.split(' ')).collect();
        let o = hostsim(&args, dir, &[]);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(want), "{args:?}: {}", stderr(&o));
    }
    assert!(!dir.join("output").exists(), "nothing is written for invalid input");
}

#[test]
fn sweeping_cores_priced_per_core_picks_the_smallest_size_that_meets_the_slo() {
    // One server of c cores behind one queue is M/M/c: at λ = 470/s and 10 ms per request,
    // Erlang C gives p99 = 160 ms at c = 5 and 54 ms at c = 6 (see right_sizing_finds_the_erlang_c_answer),
    // so with an 80 ms SLO c = 4 and 5 miss and c = 6 is the smallest size that meets it.
    let (lambda, mu, slo_ms) = (470.0, 100.0, 80.0);
    let stable_and_meets =
        |c: u32| f64::from(c) * mu > lambda && mmc_response_quantile_s(c, lambda, mu, 0.99) * 1e3 <= slo_ms;
    let best = (1..20).find(|&c| stable_and_meets(c));
    assert_eq!(best, Some(6));
    // Each core costs $1,000 and more cores draw more power, so every size above 6 costs more:
    // over 10 minutes, capex grows by $1,000 × 600 s / (3 × 365 × 86,400 s) = $0.0063 a core.
    let scenario = format!(
        "name = \"sized\"\nhorizon = \"10m\"\nwarmup = \"1m\"\nbucket = \"1m\"\nseed = 5\nreplications = 2\n\n\
         [slo]\np99_ms = {slo_ms}\n\n[traffic]\nbase_rps = {lambda}\n\n\
         [workload]\ncpu = {{ dist = \"exponential\", mean = \"10ms\" }}\ntimeout = \"1h\"\n\n\
         [[option]]\nname = \"metal\"\nkind = \"bare_metal\"\nregion = \"washington\"\nservers = 1\ncores = 8\n\
         price_usd = 2000\nprice_usd_per_core = 1000\npower = {{ draw = \"specpower\", usd_per_kwh = 0.1 }}\n"
    );
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("sized.toml"), scenario).unwrap();
    let args = [
        "sweep",
        "sized.toml",
        "--set",
        "option.metal.cores=4..12",
        "--optimize",
        "cost",
        "--subject-to",
        "slo",
        "--quiet",
    ];
    ok(hostsim(&args, tmp.path(), &[]));
    let optimum = fs::read_to_string(tmp.path().join("output/sized-sweep/optimum.csv")).unwrap();
    let row: Vec<&str> = optimum.lines().nth(1).unwrap().split(',').collect();
    // option, result, points meeting the SLO (6..12: 7 of 9), cores.
    assert_eq!(row[..4], ["metal", "optimum", "7", "6"], "{optimum}");
    // The largest size meets the SLO too, but costs more; so does every size above the optimum.
    let sweep = fs::read_to_string(tmp.path().join("output/sized-sweep/sweep.csv")).unwrap();
    let header: Vec<&str> = sweep.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (cost, meets) = (col("total_cost_usd"), col("meets_slo"));
    let rows: Vec<Vec<&str>> = sweep.lines().skip(1).map(|l| l.split(',').collect()).collect();
    let costs: Vec<f64> = rows.iter().map(|r| r[cost].parse().unwrap()).collect();
    assert_eq!(rows.iter().map(|r| r[meets]).collect::<Vec<_>>(), [["false"; 2].as_slice(), &["true"; 7]].concat());
    assert!(costs.windows(2).all(|w| w[1] > w[0]), "cost grows with cores: {costs:?}");
    assert!(costs[8] > costs[2] + 6.0 * 0.0063, "{costs:?}");
    assert_eq!(row[4], costs[2].to_string(), "{optimum}");
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
    let cases: [(&[&str], &str); 13] = [
        (&[], "<--set <KEY=VALUES>|--link <KEY=VALUES>>"),
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

/// (option runs, requests, reused) from the sweep's end line on stderr
/// ("simulated 6 points: 7 option runs (8400 requests), 5 reused, in 0.12 s").
fn simulated_counts(o: &Output) -> (u64, u64, u64) {
    let err = stderr(o);
    let line = err.lines().find(|l| l.starts_with("simulated ")).unwrap_or_else(|| panic!("no end line: {err}"));
    let words: Vec<&str> = line.split([' ', '(', ')', ',']).filter(|w| !w.is_empty()).collect();
    let after = |w: &str| words[words.iter().position(|x| *x == w).unwrap() - 1].parse::<u64>().unwrap();
    (after("option"), after("requests"), after("reused"))
}

#[test]
fn unchanged_options_are_reused_with_the_same_bytes_and_fewer_simulated_requests() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(dir.join("tiny.toml"), TINY).unwrap();
    let run = |extra: &[&str]| {
        let args = ["sweep", "tiny.toml", "--set", "option.small.cores=1..6", "--no-charts"];
        ok(hostsim(&[&args[..], extra].concat(), dir, &[]))
    };
    // 6 points × 2 options: small changes at every point (6 runs), big at
    // none (1 run, reused by the 5 other points): 7 option runs, not 12.
    let reused = simulated_counts(&run(&["--out", "reuse"]));
    let every = simulated_counts(&run(&["--out", "every", "--no-reuse"]));
    assert_eq!((reused.0, reused.2), (7, 5));
    assert_eq!((every.0, every.2), (12, 0));
    // Every run sees the same arrivals (common random numbers), so the
    // requests simulated are in the ratio of the runs: 7 / 12.
    assert!(reused.1 > 0 && reused.1 * 12 == every.1 * 7, "{reused:?} {every:?}");
    let whole = fs::read(dir.join("reuse/tiny-sweep/sweep.csv")).unwrap();
    assert!(whole == fs::read(dir.join("every/tiny-sweep/sweep.csv")).unwrap(), "reuse changed sweep.csv");

    // A reused row is what `hostsim run` writes for that point's scenario (5 cores: point 5).
    fs::write(dir.join("variant.toml"), TINY.replace("cores = 2", "cores = 5")).unwrap();
    ok(hostsim(&["run", "variant.toml", "--out", "run", "--no-charts", "--quiet"], dir, &[]));
    let summary = fs::read_to_string(dir.join("run/tiny/summary.csv")).unwrap();
    let text = String::from_utf8(whole.clone()).unwrap();
    let rows: Vec<&str> = text.lines().skip(1).filter(|l| l.starts_with("5,")).collect();
    let expected: Vec<String> = summary.lines().skip(1).map(|l| format!("5,{l}")).collect();
    assert_eq!(rows, expected);

    // Each shard reuses within its own points (shard 1 of 2: points 1, 3, 5
    // → 3 runs of small, 1 of big, 2 reused), and the merge has the same bytes.
    let shard = simulated_counts(&run(&["--out", "shards", "--shard", "1/2"]));
    assert_eq!((shard.0, shard.2), (4, 2));
    run(&["--out", "shards", "--shard", "2/2"]);
    ok(hostsim(&["merge", "shards", "--out", "merged", "--no-charts", "--quiet"], dir, &[]));
    assert!(whole == fs::read(dir.join("merged/tiny-sweep/sweep.csv")).unwrap(), "merge changed sweep.csv");
    // --quiet prints no end line.
    assert!(stderr(&run(&["--out", "quiet", "--quiet"])).is_empty());
}
