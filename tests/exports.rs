//! The outputs for other tools and people: `ranking.csv`, `summary.json`
//! and `run --export-markdown`, checked against `summary.csv` and `costs.csv`.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::common::cli::{hostsim, ok, repo, stderr};

/// Three bare-metal options under 5 rps of 100 ms each (0.5 cores busy on
/// average) and an SLO of p99 ≤ 150 ms: one core queues (M/D/1 at ρ = 0.5:
/// its p99 is several service times) and misses p99 although cheapest; four
/// cores (Erlang C: P(wait) ≈ 0.2 %) and eight meet it. Costs are colocation
/// only, per server over 10 h of a 730-hour month:
/// `cheap` 1 × $73 × 10 / 730 = $1.00, `one-box` 1 × $146 × 10 / 730 = $2.00,
/// `two-boxes` 2 × $219 × 10 / 730 = $6.00.
fn three(name: &str) -> String {
    let option = |option: &str, servers: u32, cores: u32, colo: u32| {
        format!(
            "[[option]]\nname = \"{option}\"\nkind = \"bare_metal\"\nregion = \"london\"\n\
             servers = {servers}\ncores = {cores}\ncolo_usd_per_month = {colo}\n"
        )
    };
    format!(
        "name = \"{name}\"\nhorizon = \"10h\"\nseed = 3\n[slo]\np99_ms = 150\nsuccess = 0.99\n\
         [traffic]\nbase_rps = 5\n[workload]\ncpu = {{ dist = \"constant\", value = \"100ms\" }}\n{}{}{}",
        option("cheap", 1, 1, 73),
        option("two-boxes", 2, 4, 219),
        option("one-box", 1, 4, 146)
    )
}

/// A CSV file as its header and rows of cells.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines().map(|l| l.split(',').map(String::from).collect::<Vec<_>>());
    let header = lines.next().unwrap();
    (header, lines.collect())
}

/// The cell of `row` under `column` of `header`.
fn at<'a>(header: &[String], row: &'a [String], column: &str) -> &'a str {
    &row[header.iter().position(|h| h == column).unwrap_or_else(|| panic!("no column {column}"))]
}

/// Runs `three` in a temporary directory with `extra` flags; returns the directory and stdout.
fn run_three(extra: &[&str]) -> (tempfile::TempDir, String) {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("three.toml"), three("three")).unwrap();
    let mut args = vec!["run", "three.toml", "--out", "out", "--no-charts"];
    args.extend_from_slice(extra);
    let o = ok(hostsim(&args, tmp.path()));
    (tmp, String::from_utf8(o.stdout).unwrap())
}

#[test]
fn ranking_csv_puts_options_meeting_the_slo_first_then_by_cost() {
    let (tmp, printed) = run_three(&[]);
    let dir = tmp.path().join("out/three");
    let (header, rows) = read_csv(&dir.join("ranking.csv"));
    assert_eq!(
        header.join(","),
        "rank,option,kind,total_cost_usd,cost_per_month_usd,p50_ms,p99_ms,success_ratio,meets_slo,slo_missed"
    );
    let ranked: Vec<(&str, &str, &str, &str, &str)> = rows
        .iter()
        .map(|r| {
            let c = |col| at(&header, r, col);
            (c("rank"), c("option"), c("total_cost_usd"), c("meets_slo"), c("slo_missed"))
        })
        .collect();
    // The cheapest misses p99, so it ranks last; the others by cost (see `three`).
    assert_eq!(
        ranked,
        [("1", "one-box", "2", "true", ""), ("2", "two-boxes", "6", "true", ""), ("3", "cheap", "1", "false", "p99")]
    );
    // Every number is summary.csv's cell.
    let (sh, srows) = read_csv(&dir.join("summary.csv"));
    for r in &rows {
        let s = srows.iter().find(|s| at(&sh, s, "option") == at(&header, r, "option")).unwrap();
        for col in ["kind", "total_cost_usd", "cost_per_month_usd", "p50_ms", "p99_ms", "success_ratio", "meets_slo"] {
            assert_eq!(at(&header, r, col), at(&sh, s, col), "{col} of {}", at(&header, r, "option"));
        }
    }
    // The printed table: the same order, with why the last one misses.
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines[0], "three");
    assert!(lines[1].starts_with("rank  option"), "{printed}");
    for (line, name) in lines[2..5].iter().zip(["one-box", "two-boxes", "cheap"]) {
        assert!(line.split_whitespace().nth(1) == Some(name), "{printed}");
    }
    assert!(lines[4].ends_with("misses p99"), "{printed}");
}

/// Byte offsets of `"key":` at `indent` spaces in `text`, in `keys`' order; each must exist.
fn key_offsets(text: &str, indent: usize, keys: &[String]) -> Vec<usize> {
    keys.iter()
        .map(|k| {
            let needle = format!("\n{}\"{k}\":", " ".repeat(indent));
            text.find(&needle).unwrap_or_else(|| panic!("no key {k} at indent {indent}"))
        })
        .collect()
}

#[test]
fn summary_json_holds_summary_csv_typed_costs_and_verdicts_in_a_stable_order() {
    let (tmp, _) = run_three(&["--replications", "2"]);
    let dir = tmp.path().join("out/three");
    let text = fs::read_to_string(dir.join("summary.json")).unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    let top = [
        "scenario",
        "hostsim_version",
        "seed",
        "replications",
        "horizon_s",
        "warmup_s",
        "slo",
        "ranking_rule",
        "options",
    ];
    assert_eq!(json.as_object().unwrap().len(), top.len());
    let offsets = key_offsets(&text, 2, &top.map(String::from));
    assert!(offsets.is_sorted(), "top-level keys out of order: {offsets:?}");
    assert_eq!(json["scenario"], "three");
    assert_eq!(json["hostsim_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!((json["seed"].as_u64(), json["replications"].as_u64()), (Some(3), Some(2)));
    assert_eq!((json["horizon_s"].as_u64(), json["warmup_s"].as_u64()), (Some(36_000), Some(0)));
    assert_eq!(json["slo"], serde_json::json!({ "p99_ms": 150, "success": 0.99 }));

    // Every summary column of every option, typed, in summary.csv's order, then rank, verdict, costs.
    let (sh, srows) = read_csv(&dir.join("summary.csv"));
    let options = json["options"].as_array().unwrap();
    assert_eq!(options.len(), srows.len());
    let mut keys = sh.clone();
    keys.extend(["rank", "slo_missed", "costs_usd"].map(String::from));
    let first_option = &text[text.find("\"options\"").unwrap()..];
    let first_option = &first_option[..first_option.find("\n    }").unwrap()];
    assert!(key_offsets(first_option, 6, &keys).is_sorted(), "option keys out of order");
    let (ch, crows) = read_csv(&dir.join("costs.csv"));
    for (o, row) in options.iter().zip(&srows) {
        let o = o.as_object().unwrap();
        assert_eq!(o.len(), keys.len());
        for (col, cell) in sh.iter().zip(row) {
            let v = &o[col];
            match cell.as_str() {
                "" => assert!(v.is_null(), "{col}: {v} for an empty cell"),
                "true" | "false" => assert_eq!(v.as_bool(), Some(cell == "true"), "{col}"),
                _ if ["option", "kind", "region"].contains(&col.as_str()) => assert_eq!(v, cell.as_str()),
                _ => assert_eq!(v.as_f64(), Some(cell.parse::<f64>().unwrap()), "{col}: {v} against {cell}"),
            }
        }
        let name = o["option"].as_str().unwrap();
        let costs: Vec<(String, f64)> =
            o["costs_usd"].as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.as_f64().unwrap())).collect();
        let expected: Vec<(String, f64)> = crows
            .iter()
            .filter(|r| at(&ch, r, "option") == name)
            .map(|r| (at(&ch, r, "category").to_string(), at(&ch, r, "usd").parse().unwrap()))
            .collect();
        assert_eq!(costs, expected, "{name}");
        // Colocation only (see `three`).
        let colo = match name {
            "cheap" => 1.0,
            "one-box" => 2.0,
            _ => 6.0,
        };
        assert_eq!(expected, [("colo".to_string(), colo)], "{name}");
        let (rank, missed) = match name {
            "one-box" => (1, vec![]),
            "two-boxes" => (2, vec![]),
            _ => (3, vec!["p99"]),
        };
        assert_eq!(o["rank"].as_u64(), Some(rank), "{name}");
        assert_eq!(o["slo_missed"], serde_json::json!(missed), "{name}");
    }
}

#[test]
fn summary_json_has_null_verdicts_without_an_slo() {
    let tmp = tempfile::tempdir().unwrap();
    let text = three("open").replace("[slo]\np99_ms = 150\nsuccess = 0.99\n", "");
    fs::write(tmp.path().join("open.toml"), text).unwrap();
    ok(hostsim(&["run", "open.toml", "--out", "out", "--no-charts", "--quiet"], tmp.path()));
    let json: Value =
        serde_json::from_str(&fs::read_to_string(tmp.path().join("out/open/summary.json")).unwrap()).unwrap();
    assert!(json["slo"].is_null());
    for o in json["options"].as_array().unwrap() {
        assert!(o["meets_slo"].is_null() && o["slo_missed"].is_null(), "{o}");
    }
    // Without an SLO, cost alone ranks: cheap ($1), one-box ($2), two-boxes ($6).
    let (header, rows) = read_csv(&tmp.path().join("out/open/ranking.csv"));
    let order: Vec<&str> = rows.iter().map(|r| at(&header, r, "option")).collect();
    assert_eq!(order, ["cheap", "one-box", "two-boxes"]);
}

#[test]
fn export_markdown_writes_one_aligned_table_per_scenario() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("a.toml"), three("first")).unwrap();
    fs::write(tmp.path().join("b.toml"), three("second").replace("seed = 3", "seed = 4")).unwrap();
    let o = ok(hostsim(
        &["run", "a.toml", "b.toml", "--out", "out", "--no-charts", "--export-markdown", "ranking.md"],
        tmp.path(),
    ));
    let printed = String::from_utf8(o.stdout).unwrap();
    let md = fs::read_to_string(tmp.path().join("ranking.md")).unwrap();
    let sections: Vec<&str> = md.split("\n\n**").collect();
    assert_eq!(sections.len(), 2, "{md}");
    for (section, (name, seed)) in sections.iter().zip([("first", 3), ("second", 4)]) {
        let mut lines = section.trim_start_matches("**").lines();
        assert_eq!(
            lines.next().unwrap(),
            format!(
                "{name}**: horizon 10h, 1 replication, seed {seed}; SLO p99 ≤ 150 ms, success ≥ 99 %; ranked by: \
                 options meeting the SLO first (all options without an [slo]), then by total cost, cheapest first."
            )
        );
        assert_eq!(lines.next(), Some(""));
        let table: Vec<&str> = lines.collect();
        assert_eq!(table.len(), 2 + 3, "header, alignment row, one row per option:\n{section}");
        // Aligned pipes: every line as wide, with its pipes at the same places.
        let pipes = |l: &str| {
            l.char_indices().filter(|&(_, c)| c == '|').map(|(i, _)| l[..i].chars().count()).collect::<Vec<_>>()
        };
        for line in &table {
            assert!(line.starts_with("| ") && line.ends_with(" |"), "{line}");
            assert_eq!(pipes(line), pipes(table[0]), "{line}");
        }
        assert!(table[1].split('|').skip(1).take(9).all(|c| {
            let c = c.trim();
            c.len() >= 3 && c.trim_matches(':').chars().all(|x| x == '-') && c.contains(':')
        }));
        // The cells are the printed table's, row for row.
        let printed_rows: Vec<Vec<&str>> = printed
            .split(&format!("{name}\n"))
            .nth(1)
            .unwrap()
            .lines()
            .take(4)
            .map(|l| l.split_whitespace().collect())
            .collect();
        for (md_row, printed_row) in [table[0]].iter().chain(&table[2..]).zip(&printed_rows) {
            let cells: Vec<&str> = md_row.trim_matches('|').split(" | ").map(str::trim).collect();
            // The printed slo cell "misses p99" is two words.
            assert_eq!(cells.join(" "), printed_row.join(" "), "{md_row}");
        }
        assert!(table[4].contains("| cheap ") && table[4].ends_with("| misses p99 |"), "{section}");
    }
}

#[test]
fn export_markdown_into_a_missing_directory_fails_before_running() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("a.toml"), three("first")).unwrap();
    let o = hostsim(&["run", "a.toml", "--out", "out", "--export-markdown", "nowhere/ranking.md"], tmp.path());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("nowhere/ranking.md") && stderr(&o).contains("not a directory"), "{}", stderr(&o));
    assert!(!tmp.path().join("out").exists(), "nothing may run or be written");
}

#[test]
fn exports_are_the_same_bytes_whatever_the_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = repo("scenarios/quickstart.toml");
    let run = |jobs: &str| {
        let (out, md) = (format!("j{jobs}"), format!("j{jobs}.md"));
        let args = ["run", &scenario, "--out", &out, "--no-charts", "--quiet", "--replications", "2", "--jobs", jobs];
        ok(hostsim(&[&args[..], &["--export-markdown", &md]].concat(), tmp.path()));
        let dir = tmp.path().join(&out).join("quickstart");
        ["ranking.csv", "summary.json"]
            .map(|f| fs::read(dir.join(f)).unwrap())
            .to_vec()
            .into_iter()
            .chain([fs::read(tmp.path().join(&md)).unwrap()])
            .collect::<Vec<_>>()
    };
    assert!(run("1") == run("2"), "ranking.csv, summary.json or the Markdown differ between --jobs 1 and 2");
}

#[test]
fn compare_shows_the_direction_of_every_change_when_cores_double() {
    // quickstart, then its lean server with 12 cores instead of 6: the same requests wait
    // less (p50 and p99 fall), none were lost before or after (success stays 1), the
    // server count stays 1, and half the utilisation cuts its power bill:
    // (404 − 59) W × (0.504 − 0.252) × PUE 1.5 × 24 h × $0.09/kWh ≈ $0.28.
    // The roomy option is untouched: common random numbers give it the same numbers.
    let tmp = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(repo("scenarios/quickstart.toml")).unwrap();
    assert!(text.contains("cores = 6\n"));
    fs::write(tmp.path().join("more.toml"), text.replace("cores = 6\n", "cores = 12\n")).unwrap();
    ok(hostsim(&["run", &repo("scenarios/quickstart.toml"), "--out", "a", "--no-charts", "--quiet"], tmp.path()));
    ok(hostsim(&["run", "more.toml", "--out", "b", "--no-charts", "--quiet"], tmp.path()));
    let compare = |format: &str| {
        let o = ok(hostsim(&["compare", "a/quickstart", "b/quickstart", "--format", format], tmp.path()));
        String::from_utf8(o.stdout).unwrap()
    };
    let json: Value = serde_json::from_str(&compare("json")).unwrap();
    let change = |option: &str, metric: &str| {
        let c = json["changes"].as_array().unwrap().iter().find(|c| c["option"] == option && c["metric"] == metric);
        let c = c.unwrap_or_else(|| panic!("no {metric} of {option}"));
        (c["change"].as_f64().unwrap(), c["beyond_ci95"].as_bool())
    };
    let (cost, cost_marked) = change("lean-washington", "total_cost_usd");
    assert!((cost + 0.28).abs() < 0.02 && cost_marked == Some(true), "{cost}");
    let (p99, p99_marked) = change("lean-washington", "p99_ms");
    assert!(p99 < 0.0 && p99_marked == Some(true), "{p99}");
    assert!(change("lean-washington", "p50_ms").0 < 0.0);
    assert_eq!(change("lean-washington", "success_ratio"), (0.0, None));
    assert_eq!(change("lean-washington", "mean_instances"), (0.0, None));
    for metric in ["total_cost_usd", "p50_ms", "p99_ms", "success_ratio", "mean_instances"] {
        let (d, marked) = change("roomy-london", metric);
        assert!(d == 0.0 && marked != Some(true), "{metric}: {d}");
    }
    // The table and the Markdown show the same, marked alike.
    let table = compare("table");
    let line = table.lines().find(|l| l.contains("lean-washington  p99_ms")).unwrap();
    assert!(line.ends_with('*') && line.contains(&format!(" {p99} ")), "{table}");
    let md = compare("markdown");
    assert!(
        md.contains("| lean-washington | p99_ms ") && md.lines().filter(|l| l.ends_with("| *    |")).count() == 2,
        "{md}"
    );
    // A folder that is not a run's output is refused.
    let o = hostsim(&["compare", "a", "b/quickstart"], tmp.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).starts_with("error: a: not a run's output folder (it has no summary.csv)"), "{}", stderr(&o));
}

#[test]
fn run_help_states_the_ranking_rule() {
    let o = ok(hostsim(&["run", "--help"], Path::new(".")));
    let help = String::from_utf8(o.stdout).unwrap();
    assert!(
        help.contains(
            "options meeting the SLO first (all options without an [slo]), then by total cost, cheapest first"
        ),
        "{help}"
    );
    assert!(help.contains("--export-markdown <FILE>"), "{help}");
}

/// One run's CSVs against the README's claims, by hand: storage
/// (`usd_per_month` per instance, prorated) and egress are billed over the
/// whole horizon, warm-up included, while the summary counts only requests
/// arriving after the warm-up. 2 m5.large ($0.096/h) for 2 h with a 30 min
/// warm-up, 10-minute buckets: compute 2 × 2 × $0.096 = $0.384; storage
/// 2 × $73 × 2 / 730 = $0.40; egress every served response of the 2 h
/// (timeseries.csv's `served`) × 500,000 bytes / 2^30 × $0.5/GB.
#[test]
fn storage_and_egress_are_billed_over_the_horizon_and_the_summary_starts_after_the_warm_up() {
    let tmp = tempfile::tempdir().unwrap();
    let text = "name = \"e\"\nhorizon = \"2h\"\nwarmup = \"30m\"\nbucket = \"10m\"\nseed = 4\n\
                [traffic]\nbase_rps = 2\n[workload]\ncpu = { dist = \"constant\", value = \"10ms\" }\nresponse_kb = 500\n\
                [[option]]\nname = \"web\"\nkind = \"iaas\"\nregion = \"us-east-1\"\ninstance = \"m5.large\"\ninitial = 2\n\
                egress_usd_per_gb = 0.5\nstorage = { kind = \"network\", usd_per_month = 73 }\n";
    fs::write(tmp.path().join("e.toml"), text).unwrap();
    ok(hostsim(&["run", "e.toml", "--out", "out", "--no-charts", "--quiet"], tmp.path()));
    let dir = tmp.path().join("out/e");
    let (header, rows) = read_csv(&dir.join("timeseries.csv"));
    let sum = |column: &str, from_s: f64| -> f64 {
        let after = rows.iter().filter(|r| at(&header, r, "bucket_start_s").parse::<f64>().unwrap() >= from_s);
        after.map(|r| at(&header, r, column).parse::<f64>().unwrap()).sum()
    };
    let (served_all, offered_all, offered_after) = (sum("served", 0.0), sum("offered", 0.0), sum("offered", 1_800.0));
    let (ch, costs) = read_csv(&dir.join("costs.csv"));
    let usd = |category: &str| -> f64 {
        let row = costs.iter().find(|r| at(&ch, r, "category") == category);
        row.map_or(0.0, |r| at(&ch, r, "usd").parse().unwrap())
    };
    let egress = served_all * 500_000.0 / 1_073_741_824.0 * 0.5;
    // costs.csv holds 4 decimals.
    for (category, expected) in [("compute", 0.384), ("storage", 0.4), ("egress", egress)] {
        assert!((usd(category) - expected).abs() < 6e-5, "{category}: {} vs {expected}", usd(category));
    }
    let (sh, summary) = read_csv(&dir.join("summary.csv"));
    let total: f64 = at(&sh, &summary[0], "total_cost_usd").parse().unwrap();
    assert!((total - (0.784 + egress)).abs() < 1e-4, "{total}");
    let offered: f64 = at(&sh, &summary[0], "offered").parse().unwrap();
    assert_eq!(offered, offered_after, "the summary counts arrivals after the warm-up");
    // A quarter of 2 rps × 2 h arrived in the warm-up: not a vacuous difference.
    assert!(offered_all - offered_after > 3_000.0, "{offered_all} {offered_after}");
}

/// `timeseries.csv` is formatted in batches of 16,384 rows split between
/// threads: 2 options × 21,600 one-second buckets cross the batch twice per
/// option, and the bytes stay the same with 1 or 2 threads, with one header
/// and every bucket once, in order.
#[test]
fn timeseries_beyond_one_batch_is_the_same_bytes_whatever_the_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let option = |name: &str| {
        format!("[[option]]\nname = \"{name}\"\nkind = \"bare_metal\"\nregion = \"london\"\nservers = 1\ncores = 2\n")
    };
    let text = format!(
        "name = \"t\"\nhorizon = \"6h\"\nbucket = \"1s\"\nseed = 2\n[traffic]\nbase_rps = 1\n\
         [workload]\ncpu = {{ dist = \"exponential\", mean = \"100ms\" }}\n{}{}",
        option("a"),
        option("b")
    );
    fs::write(tmp.path().join("t.toml"), text).unwrap();
    let run = |jobs: &str| {
        ok(hostsim(&["run", "t.toml", "--out", jobs, "--no-charts", "--quiet", "--jobs", jobs], tmp.path()));
        fs::read(tmp.path().join(jobs).join("t/timeseries.csv")).unwrap()
    };
    let one = run("1");
    assert!(one == run("2"), "timeseries.csv differs between --jobs 1 and 2");
    let text = String::from_utf8(one).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1 + 2 * 21_600);
    assert_eq!(lines.iter().filter(|l| l.starts_with("option,")).count(), 1);
    for (i, line) in lines[1..].iter().enumerate() {
        let expected = format!("{},{},", if i < 21_600 { "a" } else { "b" }, i % 21_600);
        assert!(line.starts_with(&expected), "row {i}: {line}");
    }
}
