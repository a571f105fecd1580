//! The `deploy/` examples. Everywhere: the GNU parallel script runs (when
//! `parallel` is installed), the Slurm scripts run with a faked array
//! environment, the Kubernetes Jobs' commands are replayed locally, and each
//! example's commented optimum table is what it prints. On the real engines
//! (ignored by default; `.ci/run` runs them): a one-node Slurm cluster
//! (`slurm_cluster`) and the Kubernetes OpenAPI schema (`kubernetes_schema`).

mod kubernetes_schema;
mod slurm_cluster;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

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

/// The first line of the optimum table `sweep` and `merge` print.
const TABLE_HEAD: &str = "cheapest point meeting the SLO";

/// The optimum table an example's comment shows: the lines after `#   ` from
/// the table's first line to the first line without that indent.
fn commented_table(file: &str) -> String {
    let text = fs::read_to_string(repo(file)).unwrap();
    let lines = text.lines().skip_while(|l| !l.starts_with(&format!("#   {TABLE_HEAD}")));
    let table: Vec<&str> = lines.map_while(|l| l.strip_prefix("#   ")).collect();
    assert!(!table.is_empty(), "{file}: no commented optimum table");
    table.join("\n")
}

/// The optimum table in what `merge` printed (its last line, `merged …
/// into DIR`, names a path that differs between the example and a test).
fn printed_table(merge_stdout: &[u8]) -> String {
    let text = String::from_utf8_lossy(merge_stdout);
    let table: Vec<&str> = text.lines().take_while(|l| !l.starts_with("merged ")).collect();
    assert!(table.first().is_some_and(|l| l.starts_with(TABLE_HEAD)), "no optimum table in:\n{text}");
    table.join("\n")
}

/// The flags every task of `deploy/slurm/sweep.sbatch` gives `hostsim sweep`
/// (its `sweep=( … )` array).
fn slurm_sweep_flags() -> Vec<String> {
    let text = fs::read_to_string(repo("deploy/slurm/sweep.sbatch")).unwrap();
    let body = text.split_once("sweep=(\n").and_then(|(_, rest)| rest.split_once("\n)")).expect("a sweep=( ) array");
    body.0.split_whitespace().map(String::from).collect()
}

/// `hostsim sweep SCENARIO FLAGS` unsharded, in `dir/unsharded/`; its sweep directory.
fn unsharded(dir: &Path, scenario: &str, flags: &[impl AsRef<std::ffi::OsStr>]) -> std::path::PathBuf {
    ok(command(HOSTSIM, dir).args(["sweep", scenario, "--out", "unsharded", "--quiet"]).args(flags).output().unwrap());
    fs::read_dir(dir.join("unsharded")).unwrap().next().unwrap().unwrap().path()
}

/// Every file of a directory, by name, with its bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), fs::read(&p).unwrap()))
        .collect();
    files.sort();
    files
}

/// A merged sweep directory holds the same files, byte for byte, as the unsharded one.
fn assert_same_files(merged: &Path, unsharded: &Path) {
    let (m, u) = (files(merged), files(unsharded));
    let names = |f: &[(String, Vec<u8>)]| f.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&m), names(&u), "{} and {} hold different files", merged.display(), unsharded.display());
    for ((name, a), (_, b)) in m.iter().zip(&u) {
        assert!(a == b, "{name} differs between {} and {}", merged.display(), unsharded.display());
    }
}

/// Whether GNU parallel is here (under CI it must be: see `skip_without`).
fn parallel_installed() -> bool {
    let found = Command::new("parallel").arg("--version").output().is_ok_and(|o| o.status.success());
    !skip_without(found, "GNU parallel", "apt-get install parallel")
}

#[test]
fn gnu_parallel_example_runs_shards_and_merges() {
    if !parallel_installed() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("tiny.toml"), TINY).unwrap();
    // ":" is this machine: the login file's path through the script, without SSH.
    fs::write(tmp.path().join("logins"), ":\n").unwrap();
    let sets = ["--set", "option.lean-washington.cores=1,2,4", "--set", "workload.timeout=\"5s\",10s"];
    let script = repo("deploy/parallel/sweep.sh");
    let mut c = command("bash", tmp.path());
    c.arg(&script).args(["tiny.toml", "3", "out"]).args(sets).env("PARALLEL_SSHLOGINFILE", "logins");
    let o = ok(c.output().unwrap());
    assert!(String::from_utf8_lossy(&o.stdout).contains("merged 3 shards (6 points)"));
    assert_same_files(&tmp.path().join("out/tiny-sweep"), &unsharded(tmp.path(), "tiny.toml", &sets));
}

#[test]
fn gnu_parallel_example_prints_its_commented_optimum() {
    if !parallel_installed() {
        return;
    }
    // The example command of the comment, `\` continuations joined, run as written.
    let file = "deploy/parallel/sweep.sh";
    let text = fs::read_to_string(repo(file)).unwrap();
    let start = text.find(&format!("#   {file} scenarios/")).expect("an example command");
    let mut words: Vec<String> = Vec::new();
    for line in text[start..].lines() {
        let line = line.trim_start_matches('#');
        words.extend(line.split_whitespace().filter(|w| *w != "\\").map(String::from));
        if !line.ends_with('\\') {
            break;
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let scenario = repo(&words[1]);
    let o = ok(command("bash", tmp.path()).arg(repo(file)).arg(scenario).args(&words[2..]).output().unwrap());
    assert_eq!(printed_table(&o.stdout), commented_table(file));
}

/// The sweep array's tasks, run by hand as Slurm would (`--array=1-4`), then the merge step.
fn run_slurm_array_by_hand(dir: &Path, scenario: &str) -> Output {
    let array = fs::read_to_string(repo("deploy/slurm/sweep.sbatch")).unwrap();
    assert!(array.contains("#SBATCH --array=1-4\n"), "the test runs tasks 1 to 4");
    for task in 1..=4 {
        let mut c = command("bash", dir);
        c.arg(repo("deploy/slurm/sweep.sbatch")).env("SCENARIO", scenario).env("OUT", "out");
        c.envs([("SLURM_ARRAY_TASK_ID", task.to_string()), ("SLURM_ARRAY_TASK_MIN", "1".into())]);
        ok(c.env("SLURM_ARRAY_TASK_COUNT", "4").output().unwrap());
    }
    ok(command("bash", dir).arg(repo("deploy/slurm/merge.sbatch")).env("OUT", "out").output().unwrap())
}

#[test]
fn slurm_scripts_pass_bash_n_and_run_as_an_array() {
    let scripts = ["deploy/slurm/sweep.sbatch", "deploy/slurm/merge.sbatch", "deploy/slurm/submit.sh"];
    for s in scripts {
        let o = Command::new("bash").arg("-n").arg(repo(s)).output().expect("bash runs");
        assert!(o.status.success(), "{s}: {}", String::from_utf8_lossy(&o.stderr));
    }
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("tiny.toml"), TINY).unwrap();
    run_slurm_array_by_hand(tmp.path(), "tiny.toml");
    let unsharded = unsharded(tmp.path(), "tiny.toml", &slurm_sweep_flags());
    assert_same_files(&tmp.path().join("out/tiny-sweep"), &unsharded);
}

#[test]
fn slurm_example_prints_its_commented_optimum() {
    let tmp = tempfile::tempdir().unwrap();
    let merge = run_slurm_array_by_hand(tmp.path(), &repo("scenarios/quickstart.toml"));
    assert_eq!(printed_table(&merge.stdout), commented_table("deploy/slurm/sweep.sbatch"));
}

/// The `sbatch` command lines `deploy/slurm/submit.sh` runs with these
/// variables set, recorded by a stand-in `sbatch` first on the PATH.
fn submit_sh_sbatch_lines(vars: &[(&str, &str)]) -> Vec<String> {
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("sbatch.log");
    let stand_in = format!("#!/bin/sh\necho \"$*\" >> '{}'\necho 7\n", log.display());
    fs::write(tmp.path().join("sbatch"), stand_in).unwrap();
    fs::set_permissions(tmp.path().join("sbatch"), fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", tmp.path().display(), std::env::var("PATH").unwrap_or_default());
    let mut c = command("bash", tmp.path());
    c.arg(repo("deploy/slurm/submit.sh")).env("PATH", path).env_remove("CPUS_PER_TASK").env_remove("MEM");
    ok(c.envs(vars.iter().copied()).output().unwrap());
    fs::read_to_string(log).unwrap().lines().map(String::from).collect()
}

#[test]
fn slurm_tasks_fit_small_nodes_unless_told_otherwise() {
    let sbatch = fs::read_to_string(repo("deploy/slurm/sweep.sbatch")).unwrap();
    assert!(sbatch.contains("#SBATCH --cpus-per-task=1\n") && sbatch.contains("#SBATCH --mem=1G\n"));
    let here = repo("deploy/slurm");
    let plain = submit_sh_sbatch_lines(&[]);
    assert_eq!(plain[0], format!("--parsable --export=ALL {here}/sweep.sbatch"));
    assert_eq!(plain[1], format!("--export=ALL --dependency=afterok:7 {here}/merge.sbatch"));
    let sized = submit_sh_sbatch_lines(&[("CPUS_PER_TASK", "8"), ("MEM", "4G")]);
    assert_eq!(sized[0], format!("--parsable --export=ALL --cpus-per-task=8 --mem=4G {here}/sweep.sbatch"));
    assert_eq!(sized[1], plain[1], "the merge step keeps its own size");
}

fn strings(v: &Value) -> Vec<String> {
    v.as_sequence().map(|s| s.iter().filter_map(|x| x.as_str().map(String::from)).collect()).unwrap_or_default()
}

#[test]
fn kubernetes_example_runs_and_prints_its_commented_optimum() {
    let file = "deploy/kubernetes/sweep-job.yaml";
    let text = fs::read_to_string(repo(file)).unwrap();
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

    // Replay it locally: the ConfigMap's scenario, each index's command, the
    // init container's wait condition, the merge.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let scenario = docs[0]["data"]["scenario.toml"].as_str().unwrap();
    fs::write(dir.join("scenario.toml"), scenario).unwrap();
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
    let o = ok(command(HOSTSIM, dir).args(&merge_cmd[1..]).output().unwrap());
    assert_eq!(printed_table(&o.stdout), commented_table(file));
    // The merged sweep equals the same sweep unsharded (the Job's arguments
    // less its shard, folder and quiet), byte for byte.
    let name = scenario.lines().find_map(|l| l.strip_prefix("name = ")).unwrap().trim_matches('"');
    let mut flags = vec![];
    let mut args = sweep_cmd[3..].iter();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--shard" | "--out" => drop(args.next()),
            "--quiet" => {}
            _ => flags.push(a.as_str()),
        }
    }
    let whole = unsharded(dir, "scenario.toml", &flags);
    for file in ["sweep.csv", "optimum.csv"] {
        let merged = fs::read(dir.join(format!("data/{name}-sweep/{file}"))).unwrap();
        assert!(merged == fs::read(whole.join(file)).unwrap(), "merged {file} differs from an unsharded run's");
    }
}

#[test]
fn dockerfile_builds_hostsim_as_the_readme_installs_it() {
    // A container build needs a Docker daemon, which the tests do not have:
    // this checks the build step is the README's own install command.
    let install = "cargo install --path . --locked";
    let readme = fs::read_to_string(repo("README.md")).unwrap();
    assert!(readme.contains(&format!("\n{install}\n")), "the README installs with `{install}`");
    let dockerfile = fs::read_to_string(repo("deploy/Dockerfile")).unwrap();
    let run = dockerfile.lines().find(|l| l.starts_with("RUN cargo ")).expect("a RUN cargo line");
    assert_eq!(run, format!("RUN {install} --root /usr/local"));
    let ignored = fs::read_to_string(repo(".dockerignore")).unwrap();
    assert!(ignored.lines().any(|l| l == "target/"), "the build context leaves out target/");
}
