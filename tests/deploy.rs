//! The `deploy/` examples: the GNU parallel script runs (when `parallel` is
//! installed), the Slurm scripts pass `bash -n` and run with a faked array
//! environment, and the Kubernetes YAML parses and its commands work when
//! replayed locally. Each merged `sweep.csv` must equal an unsharded run's.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_norway::Value;

use crate::common::cli::{HOSTSIM, command, ok, repo, skip_without};

/// A scenario small enough for tests, with the option name the Slurm example sweeps.
const TINY: &str = r#"name = "tiny"
horizon = "10m"
warmup = "1m"
bucket = "1m"
seed = 8

[slo]
p99_ms = 400

[traffic]
base_rps = 20

[workload]
cpu = { dist = "exponential", mean = "60ms" }
timeout = "10s"

[[option]]
name = "lean-washington"
kind = "bare_metal"
region = "washington"
servers = 1
cores = 2
price_usd = 4000
"#;

/// The folder of an unsharded sweep with these arguments.
fn unsharded_dir(dir: &Path, scenario: &str, sets: &[&str]) -> PathBuf {
    let mut args = vec!["sweep", scenario, "--out", "unsharded", "--quiet", "--no-charts"];
    args.extend_from_slice(sets);
    ok(command(HOSTSIM, dir).args(&args).output().unwrap());
    fs::read_dir(dir.join("unsharded")).unwrap().next().unwrap().unwrap().path()
}

/// The unsharded sweep.csv for these sweep arguments.
fn unsharded(dir: &Path, scenario: &str, sets: &[&str]) -> Vec<u8> {
    fs::read(unsharded_dir(dir, scenario, sets).join("sweep.csv")).unwrap()
}

#[test]
fn gnu_parallel_example_runs_shards_and_merges() {
    let found = Command::new("parallel").arg("--version").output().is_ok_and(|o| o.status.success());
    if skip_without(found, "GNU parallel", "apt-get install parallel") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("tiny.toml"), TINY).unwrap();
    let sets = ["--set", "option.lean-washington.cores=1,2,4", "--set", "workload.timeout=\"5s\",10s"];
    let mut args = vec!["tiny.toml", "3", "out"];
    args.extend_from_slice(&sets);
    let script = repo("deploy/parallel/sweep.sh");
    let o = ok(command("bash", tmp.path()).arg(&script).args(&args).output().unwrap());
    assert!(String::from_utf8_lossy(&o.stdout).contains("merged 3 shards (6 points)"));
    let merged = fs::read(tmp.path().join("out/tiny-sweep/sweep.csv")).unwrap();
    assert!(merged == unsharded(tmp.path(), "tiny.toml", &sets), "merged sweep.csv differs");
}

#[test]
fn slurm_scripts_pass_bash_n_and_run_as_an_array() {
    let scripts = ["deploy/slurm/sweep.sbatch", "deploy/slurm/merge.sbatch", "deploy/slurm/submit.sh"];
    for s in scripts {
        let o = Command::new("bash").arg("-n").arg(repo(s)).output().expect("bash runs");
        assert!(o.status.success(), "{s}: {}", String::from_utf8_lossy(&o.stderr));
    }
    // Run the array's four tasks (--array=1-4) and the merge step by hand, on a tiny scenario.
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("tiny.toml"), TINY).unwrap();
    for task in 1..=4 {
        let mut c = command("bash", tmp.path());
        c.arg(repo("deploy/slurm/sweep.sbatch")).env("SCENARIO", "tiny.toml").env("OUT", "out");
        c.envs([("SLURM_ARRAY_TASK_ID", task.to_string()), ("SLURM_ARRAY_TASK_MIN", "1".into())]);
        ok(c.env("SLURM_ARRAY_TASK_COUNT", "4").output().unwrap());
    }
    let mut c = command("bash", tmp.path());
    ok(c.arg(repo("deploy/slurm/merge.sbatch")).env("OUT", "out").output().unwrap());
    let merged = fs::read(tmp.path().join("out/tiny-sweep/sweep.csv")).unwrap();
    let sets = ["--set", "option.lean-washington.cores=4,6,8,12", "--set", "traffic.base_rps=30..120:30"];
    assert!(merged == unsharded(tmp.path(), "tiny.toml", &sets), "merged sweep.csv differs");
    assert!(tmp.path().join("out/tiny-sweep/optimum.csv").is_file());
}

fn strings(v: &Value) -> Vec<String> {
    v.as_sequence().map(|s| s.iter().filter_map(|x| x.as_str().map(String::from)).collect()).unwrap_or_default()
}

#[test]
fn kubernetes_example_parses_and_its_commands_work() {
    let text = fs::read_to_string(repo("deploy/kubernetes/sweep-job.yaml")).unwrap();
    let docs: Vec<Value> = serde_norway::Deserializer::from_str(&text)
        .map(|d| serde::Deserialize::deserialize(d).expect("valid YAML"))
        .collect();
    let kinds: Vec<&str> = docs.iter().filter_map(|d| d["kind"].as_str()).collect();
    assert_eq!(kinds, ["ConfigMap", "PersistentVolumeClaim", "Job", "Job"]);
    let (sweep, merge) = (&docs[2]["spec"], &docs[3]["spec"]);
    assert_eq!(sweep["completionMode"].as_str(), Some("Indexed"));
    let n = sweep["completions"].as_u64().unwrap();
    let sweep_cmd = strings(&sweep["template"]["spec"]["containers"][0]["command"]);
    assert!(sweep_cmd.windows(2).any(|w| w[0] == "--shard" && w[1] == format!("auto/{n}")), "{sweep_cmd:?}");

    // Replay it locally: the ConfigMap's scenario (shortened to 10 minutes),
    // each index's command, the init container's wait condition, the merge.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let scenario = docs[0]["data"]["scenario.toml"].as_str().unwrap();
    let short =
        scenario.replace("horizon = \"1d\"", "horizon = \"10m\"").replace("warmup = \"30m\"", "warmup = \"1m\"");
    fs::write(dir.join("scenario.toml"), short.replace("bucket = \"5m\"", "bucket = \"1m\"")).unwrap();
    ok(command(HOSTSIM, dir).args(["validate", "scenario.toml"]).output().unwrap());
    let local = |args: &[String]| -> Vec<String> {
        let mapped =
            args.iter().map(|a| a.replace("/scenario/scenario.toml", "scenario.toml").replace("/data", "data"));
        mapped.collect()
    };
    let wait = strings(&merge["template"]["spec"]["initContainers"][0]["command"]);
    let wait = local(&wait);
    let (sh, wait_args) = wait.split_first().unwrap();
    // `until COND; do sleep 10; done` → `COND`: true once every shard is there.
    let probe = wait_args.iter().map(|a| a.replace("until ", "").replace("; do sleep 10; done", ""));
    let probe: Vec<String> = probe.collect();
    for index in 0..n {
        let ready = command(sh, dir).args(&probe).status().unwrap().success();
        assert!(!ready, "the merge must wait: only {index} of {n} shards exist");
        let args = local(&sweep_cmd);
        let mut c = command(args[0].replace("hostsim", HOSTSIM), dir);
        ok(c.args(&args[1..]).env("JOB_COMPLETION_INDEX", index.to_string()).output().unwrap());
    }
    assert!(command(sh, dir).args(&probe).status().unwrap().success(), "all shards are there");
    let merge_cmd = local(&strings(&merge["template"]["spec"]["containers"][0]["command"]));
    ok(command(HOSTSIM, dir).args(&merge_cmd[1..]).output().unwrap());
    let name = scenario.lines().next().and_then(|l| l.split('"').nth(1)).unwrap();
    // The same sweep unsharded: the Job's arguments less its shard, folder and quiet.
    let mut sets = vec![];
    let mut args = sweep_cmd[3..].iter();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--shard" | "--out" => drop(args.next()),
            "--quiet" => {}
            _ => sets.push(a.as_str()),
        }
    }
    let whole = unsharded_dir(dir, "scenario.toml", &sets);
    for file in ["sweep.csv", "optimum.csv"] {
        let merged = fs::read(dir.join(format!("data/{name}-sweep/{file}"))).unwrap();
        assert!(merged == fs::read(whole.join(file)).unwrap(), "merged {file} differs from an unsharded run's");
    }
}
