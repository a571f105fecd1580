//! `report.html`: one self-contained page in every output folder, and
//! `hostsim report DIR` writing it again, byte for byte.

use std::fs;
use std::path::Path;

use crate::common::cli::{hostsim, ok, stderr};
use crate::common::html::{external_references, inline_pngs, ranking};

/// Two bare-metal boxes under 5 rps of 100 ms each, with an SLO of p99 ≤ 150 ms:
/// one core queues (M/D/1 at ρ = 0.5) and misses p99; four cores meet it. The
/// option and the comment hold the characters HTML gives meaning to.
const SCENARIO: &str = "# Which box? <b>bold</b> & \"quoted\" 'text'\n#\n#   an indented line\n\n\
    name = \"boxes\"\nhorizon = \"2h\"\nseed = 3\nreplications = 2\n[slo]\np99_ms = 150\nsuccess = 0.99\n\
    [traffic]\nbase_rps = 5\n[workload]\ncpu = { dist = \"constant\", value = \"100ms\" }\n\
    [[option]]\nname = \"a<b>&'c\\\"\"\nkind = \"bare_metal\"\nregion = \"london\"\nservers = 1\ncores = 1\n\
    colo_usd_per_month = 73\n\
    [[option]]\nname = \"roomy\"\nkind = \"bare_metal\"\nregion = \"london\"\nservers = 1\ncores = 4\n\
    colo_usd_per_month = 146\n";

const CHARTS: [&str; 7] =
    ["cost.png", "latency.png", "latency_cdf.png", "capacity.png", "tradeoff.png", "cost_breakdown.png", "carbon.png"];

/// `text` escaped as the page escapes it.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn run(dir: &Path, extra: &[&str]) -> String {
    fs::write(dir.join("boxes.toml"), SCENARIO).unwrap();
    ok(hostsim(&[&["run", "boxes.toml", "--out", "out", "--quiet", "--jobs", "2"], extra].concat(), dir));
    fs::read_to_string(dir.join("out/boxes/report.html")).unwrap()
}

#[test]
fn every_run_writes_a_self_contained_report() {
    let tmp = tempfile::tempdir().unwrap();
    let page = run(tmp.path(), &[]);
    let out = tmp.path().join("out/boxes");
    // The ranking's rows, in rank order, each with its costs; the one-core box misses p99, and why.
    let rows = ranking(&out);
    assert_eq!(rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(), ["roomy", "a<b>&'c\""]);
    let mut from = page.find("<section id=\"ranking\">").expect("a ranking section");
    for (rank, (option, total, month)) in rows.iter().enumerate() {
        let row = format!("<td>{}</td><td class=\"text\">{}</td>", rank + 1, escaped(option));
        let at = from + page[from..].find(&row).unwrap_or_else(|| panic!("no row {row} in rank order"));
        let line = &page[at..at + page[at..].find("</tr>").unwrap()];
        assert!(line.contains(&format!("<td>{total} <span class=\"ci\">± ")), "{line}");
        assert!(line.contains(&format!("<td>{month} <span class=\"ci\">± ")), "{line}");
        from = at;
    }
    assert!(page.contains("<td class=\"text verdict\"><strong>misses</strong> p99 "), "the reason is shown");
    assert!(page.contains("ms &gt; 150 ms</td>") && page.contains("<td class=\"text verdict\">meets</td>"));
    // Each option's cost card, with its colocation row.
    for option in ["roomy", "a<b>&'c\""] {
        assert!(page.contains(&format!("<article class=\"card\">\n<h3>{}</h3>", escaped(option))), "{option}");
    }
    assert_eq!(page.matches("<td class=\"text\">colo</td>").count(), 2);
    // The question, escaped, and the facts of the run.
    assert!(
        page.contains("Which box? &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; &#39;text&#39;\n\n  an indented")
    );
    for fact in ["<dt>Horizon</dt><dd>2h</dd>", "<dt>Replications</dt><dd>2</dd>", "<dt>Seed</dt><dd>3</dd>"] {
        assert!(page.contains(fact), "{fact}");
    }
    assert!(page.contains("<dd>p99 ≤ 150 ms, success ≥ 99 %</dd>"));
    assert!(!page.contains("<b>bold") && !page.contains("a<b>"), "nothing from the files unescaped");
    // The seven charts inline, each the PNG in charts/; nothing fetched from anywhere.
    let images = inline_pngs(&page);
    assert_eq!(images.len(), 7);
    for (image, name) in images.iter().zip(CHARTS) {
        assert!(*image == fs::read(out.join("charts").join(name)).unwrap(), "{name} is not the chart");
    }
    assert_eq!(external_references(&page), Vec::<String>::new());
    for fetching in ["<script", "<link", "@import", "url(", "<iframe"] {
        assert!(!page.contains(fetching), "{fetching}");
    }
    // resolved.toml folded, the version and the command line recorded at run time.
    let resolved = fs::read_to_string(out.join("resolved.toml")).unwrap();
    assert!(resolved.starts_with("# Which box?"), "the comment is kept: {resolved}");
    assert!(page.contains("<details>\n<summary>resolved.toml"));
    assert!(page.contains(&format!("<pre><code>{}</code></pre>", escaped(&resolved))));
    assert!(page.contains(&format!("<dt>hostsim</dt><dd>{}</dd>", env!("CARGO_PKG_VERSION"))));
    let command = fs::read_to_string(out.join("command_line.txt")).unwrap();
    assert_eq!(command, "hostsim run boxes.toml --out out --quiet --jobs 2\n");
    assert!(page.contains("<code>hostsim run boxes.toml --out out --quiet --jobs 2</code>"));

    // `hostsim report DIR` writes the same bytes again, replacing the file.
    fs::write(out.join("report.html"), "stale").unwrap();
    let o = ok(hostsim(&["report", "out/boxes"], tmp.path()));
    assert_eq!(String::from_utf8_lossy(&o.stdout), "wrote out/boxes/report.html\n");
    assert!(fs::read_to_string(out.join("report.html")).unwrap() == page, "report DIR changed the bytes");
    let mut entries: Vec<String> =
        fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    entries.sort();
    assert_eq!(entries.iter().filter(|e| e.starts_with('.')).count(), 0, "no temporary file left: {entries:?}");
}

#[test]
fn a_run_without_charts_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let page = run(tmp.path(), &["--no-charts", "--replications", "1"]);
    assert!(page.contains("Charts were not drawn: the run was made with --no-charts."));
    assert!(inline_pngs(&page).is_empty());
    assert!(page.contains("One replication: no confidence intervals"));
    assert!(!page.contains("class=\"ci\""), "no ± without replications");
    // Charts drawn afterwards go into the report it writes again.
    ok(hostsim(&["chart", "out/boxes"], tmp.path()));
    ok(hostsim(&["report", "out/boxes"], tmp.path()));
    assert_eq!(inline_pngs(&fs::read_to_string(tmp.path().join("out/boxes/report.html")).unwrap()).len(), 7);
}

#[test]
fn report_of_a_folder_that_is_not_a_run_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("empty")).unwrap();
    for dir in ["empty", "missing"] {
        let o = hostsim(&["report", dir], tmp.path());
        assert_eq!(o.status.code(), Some(2), "{dir}: {}", stderr(&o));
        assert!(stderr(&o).contains("not a run's output folder (it has no summary.csv)"), "{}", stderr(&o));
    }
    assert!(!tmp.path().join("empty/report.html").exists() && !tmp.path().join("missing").exists());
    // A run's folder missing one file, or with a broken one.
    run(tmp.path(), &["--no-charts"]);
    fs::remove_file(tmp.path().join("out/boxes/ranking.csv")).unwrap();
    let o = hostsim(&["report", "out/boxes"], tmp.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("it has no ranking.csv"), "{}", stderr(&o));
    run(tmp.path(), &["--no-charts"]);
    fs::write(tmp.path().join("out/boxes/resolved.toml"), "name = \"boxes\"\nhorizon = [\n").unwrap();
    let o = hostsim(&["report", "out/boxes"], tmp.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("resolved.toml:"), "{}", stderr(&o));
}
