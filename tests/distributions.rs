//! Distributions from files and by scale, end to end: an empirical file of
//! one value runs exactly as that constant, wherever a duration distribution
//! is read, and `resolved.toml` re-runs empirical and Weibull-by-scale
//! scenarios to the same bytes.

use std::fs;
use std::path::Path;

use crate::common::cli::{csvs, hostsim, stderr};

/// Runs `file` (in `dir`) into `dir/out`, returning its CSVs.
fn run(dir: &Path, file: &str, out: &str) -> Vec<(String, Vec<u8>)> {
    let o = hostsim(&["run", file, "--out", out, "--quiet", "--no-charts"], dir);
    assert!(o.status.success(), "{file}: {}", stderr(&o));
    csvs(&dir.join(out).join("s"))
}

/// A scenario with a distribution at every place one is read: the request's
/// CPU and I/O, the outages' duration, the servers' repair time and the
/// cloud instances' boot time.
fn scenario(cpu: &str, io: &str, outage: &str, repair: &str, boot: &str) -> String {
    format!(
        "name = \"s\"\nhorizon = \"6h\"\nreplications = 2\n\
         [traffic]\nbase_rps = 20\nspike = [{{ at = \"2h\", duration = \"30m\", multiplier = 4 }}]\n\
         [workload]\ncpu = {cpu}\nio = {io}\n\
         [[option]]\nname = \"colo\"\nkind = \"bare_metal\"\nregion = \"washington\"\nservers = 2\ncores = 2\n\
         price_usd = 4000\noutages = {{ mtbf = \"2h\", duration = {outage} }}\n\
         failures = {{ mtbf = \"3h\", repair = {repair} }}\n\
         [[option]]\nname = \"cloud\"\nkind = \"iaas\"\nregion = \"us-east-1\"\ninstance = \"m5.large\"\nboot = {boot}\n\
         autoscaling = {{ policy = \"target_tracking\", metric = \"cpu\", target = 0.5, min = 1, max = 8, warmup = \"60s\" }}\n"
    )
}

#[test]
fn an_empirical_file_of_one_value_runs_as_that_constant() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // Every row the same value (a header, plain values, weighted rows): the
    // inverse CDF is that value at every u, and such a table draws no random
    // number, so the streams a repair shares with failure times (and an
    // outage's duration with outage times) run as with the constant.
    fs::write(dir.join("cpu.csv"), "cpu_ms\n40\n40\n40\n").unwrap();
    fs::write(dir.join("io.csv"), "5000,3\n5000,1\n").unwrap();
    fs::write(dir.join("outage.csv"), "0.25\n").unwrap();
    fs::write(dir.join("repair.csv"), "duration_s,weight\n1800,2\n1800,0\n").unwrap();
    fs::write(dir.join("boot.csv"), "95\n").unwrap();
    let empirical =
        |file: &str, unit: &str| format!("{{ dist = \"empirical\", file = \"{file}\", unit = \"{unit}\" }}");
    let constant = |v: &str| format!("{{ dist = \"constant\", value = \"{v}\" }}");
    let from_files = scenario(
        &empirical("cpu.csv", "ms"),
        &empirical("io.csv", "us"),
        &empirical("outage.csv", "s"),
        &empirical("repair.csv", "s"),
        &empirical("boot.csv", "s"),
    );
    let constants =
        scenario(&constant("40ms"), &constant("5ms"), &constant("250ms"), &constant("30m"), &constant("95s"));
    fs::write(dir.join("files.toml"), from_files).unwrap();
    fs::write(dir.join("constants.toml"), constants).unwrap();
    let a = run(dir, "files.toml", "a");
    let b = run(dir, "constants.toml", "b");
    assert_eq!(a.len(), 6, "{:?}", a.iter().map(|(n, _)| n).collect::<Vec<_>>());
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{name} differs:\n{}\n---\n{}", String::from_utf8_lossy(x), String::from_utf8_lossy(y));
    }
    // Not a vacuous comparison: outages and failures happened (requests
    // failed, fewer than 2 servers on average) and instances booted.
    let summary = String::from_utf8_lossy(&a.iter().find(|(n, _)| n == "summary.csv").unwrap().1).into_owned();
    let header: Vec<&str> = summary.lines().next().unwrap().split(',').collect();
    let value = |option: &str, column: &str| -> f64 {
        let row = summary.lines().find(|l| l.starts_with(&format!("{option},"))).unwrap();
        let i = header.iter().position(|h| *h == column).unwrap();
        row.split(',').nth(i).unwrap().parse().unwrap()
    };
    assert!(value("colo", "failed") > 0.0 && value("colo", "mean_instances") < 2.0, "{summary}");
    assert!(value("cloud", "peak_instances") > 1.0, "{summary}");
}

#[test]
fn resolved_toml_reruns_empirical_and_weibull_scale_to_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::create_dir(dir.join("data")).unwrap();
    // A gzip file of value,weight rows in seconds, as `hostsim import` writes it.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, b"duration_s,weight\n0.004,10\n0.011,25\n0.030,8\n0.2,1\n").unwrap();
    fs::write(dir.join("data/cpu.csv.gz"), gz.finish().unwrap()).unwrap();
    fs::write(dir.join("data/boot.csv"), "70\n85\n90\n140\n").unwrap();
    let text = scenario(
        "{ dist = \"empirical\", file = \"data/cpu.csv.gz\" }",
        "{ dist = \"weibull\", scale = \"3ms\", shape = 0.7 }",
        "{ dist = \"weibull\", scale = \"90s\", shape = 1.3 }",
        "{ dist = \"exponential\", mean = \"40m\" }",
        "{ dist = \"empirical\", file = \"data/boot.csv\" }",
    );
    fs::write(dir.join("s.toml"), text).unwrap();
    let first = run(dir, "s.toml", "a");
    let resolved = fs::read_to_string(dir.join("a/s/resolved.toml")).unwrap();
    for fragment in ["cpu.csv.gz\", unit = \"s\" }", "scale = \"3ms\", shape = 0.7 }", "scale = \"90s\", shape = 1.3 }"]
    {
        assert!(resolved.contains(fragment), "{fragment} not in\n{resolved}");
    }
    // Run from elsewhere: the data files are named by their full paths.
    fs::create_dir(dir.join("elsewhere")).unwrap();
    fs::write(dir.join("elsewhere/r.toml"), &resolved).unwrap();
    let again = run(&dir.join("elsewhere"), "r.toml", "b");
    assert_eq!(first, again);
}
