//! `report.html` in a real browser: headless Chromium loads quickstart's
//! report from the file, with no request leaving it (its network log names
//! no http(s) URL), shows the ranking in its rendered DOM, and paints a page
//! that is not blank. Skipped, saying so, where no headless Chromium is
//! installed (`.ci/run` installs Debian's `chromium-headless-shell`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::common::cli::{hostsim, ok, output_within, repo, skip_without};
use crate::common::html::{external_references, ranking};

/// Names a headless Chromium goes by on PATH, tried in order.
const NAMES: [&str; 5] = ["chromium-headless-shell", "chromium", "chromium-browser", "google-chrome", "headless_shell"];

/// The longest one browser run may take.
const TIMEOUT: Duration = Duration::from_secs(20);

/// `HOSTSIM_CHROMIUM` if set, else the first of [`NAMES`] on PATH.
fn find_chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("HOSTSIM_CHROMIUM").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    NAMES.iter().flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name))).find(|p| p.is_file())
}

/// Chromium run headless on `page` with `args`, its own profile in `scratch`, and
/// nothing started that would reach the network by itself; killed after [`TIMEOUT`].
/// Returns what it printed on stdout.
fn chromium(browser: &Path, scratch: &Path, args: &[String], page: &Path) -> Vec<u8> {
    let profile = tempfile::tempdir_in(scratch).unwrap();
    let mut command = Command::new(browser);
    command
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"])
        .args(["--disable-background-networking", "--disable-component-update", "--disable-sync"])
        .arg("--hide-scrollbars")
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()));
    let out = output_within(command, TIMEOUT);
    assert!(out.status.success(), "{}: {}", browser.display(), String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// Every http(s) or ws(s) URL in the `params` of a Chromium network log's events.
fn requested_urls(net_log: &Path) -> Vec<String> {
    fn walk(v: &serde_json::Value, found: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s)
                if ["http://", "https://", "ws://", "wss://"].iter().any(|x| s.contains(x)) =>
            {
                found.push(s.clone())
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, found)),
            serde_json::Value::Object(o) => o.values().for_each(|x| walk(x, found)),
            _ => {}
        }
    }
    let text = std::fs::read_to_string(net_log).unwrap_or_else(|e| panic!("{}: {e}", net_log.display()));
    let log: serde_json::Value = serde_json::from_str(&text).expect("the network log is JSON");
    let events = log["events"].as_array().expect("the network log has events");
    let mut found = Vec::new();
    events.iter().for_each(|e| walk(&e["params"], &mut found));
    found
}

/// The page's DOM as rendered, and the URLs its loading requested.
fn load(browser: &Path, scratch: &Path, page: &Path) -> (String, Vec<String>) {
    let net_log = scratch.join(format!("{}.netlog.json", page.file_stem().unwrap().to_string_lossy()));
    let args = [format!("--log-net-log={}", net_log.display()), "--dump-dom".to_string()];
    let dom = chromium(browser, scratch, &args, page);
    (String::from_utf8(dom).unwrap(), requested_urls(&net_log))
}

#[test]
fn the_report_renders_in_headless_chromium_with_nothing_fetched() {
    let found = find_chromium();
    let install =
        format!("none of {NAMES:?} on PATH and HOSTSIM_CHROMIUM unset; `apt-get install chromium-headless-shell`");
    if skip_without(found.is_some(), "a headless Chromium", &install) {
        return;
    }
    let browser = found.expect("found above");
    let tmp = tempfile::tempdir().unwrap();
    let scratch = tmp.path();
    ok(hostsim(&["run", &repo("scenarios/quickstart.toml"), "--out", "out", "--quiet", "-r", "2"], scratch));
    let out = scratch.join("out/quickstart");
    let report = out.join("report.html");

    // The check below sees a request when there is one: a page fetching an image does.
    let fetching = scratch.join("fetching.html");
    std::fs::write(&fetching, "<!DOCTYPE html><p>x</p><img src=\"http://hostsim-test.invalid/x.png\">").unwrap();
    let (_, urls) = load(&browser, scratch, &fetching);
    assert!(urls.iter().any(|u| u.contains("hostsim-test.invalid")), "the network log missed a request: {urls:?}");

    // (1) The report loads with no request leaving the file, and its DOM holds the ranking.
    let (dom, urls) = load(&browser, scratch, &report);
    assert_eq!(urls, Vec::<String>::new(), "the report made requests");
    assert_eq!(external_references(&dom), Vec::<String>::new(), "the rendered DOM refers outside the page");
    let rows = ranking(&out);
    assert_eq!(rows.len(), 2);
    for (option, total, month) in rows {
        let row = &dom[dom.find(&format!("<td class=\"text\">{option}</td>")).expect("the option's row")..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(row.contains(&total) && row.contains(&month), "{option}: {total} and {month} not in {row}");
    }
    assert_eq!(dom.matches("<img src=\"data:image/png;base64,").count(), 7);

    // (2) At a laptop's width the page is painted, not blank: many colours, none covering it all.
    let shot = scratch.join("shot.png");
    chromium(
        &browser,
        scratch,
        &[format!("--screenshot={}", shot.display()), "--window-size=1280,2000".into()],
        &report,
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((frame.width, frame.height), (1280, 2000));
    let step = frame.color_type.samples();
    let mut counts = std::collections::HashMap::new();
    for px in pixels[..frame.buffer_size()].chunks(step) {
        *counts.entry((px[0], px[1], px[2])).or_insert(0usize) += 1;
    }
    let commonest = counts.values().max().copied().unwrap_or(0);
    let all = (frame.width * frame.height) as usize;
    assert!(counts.len() > 200, "only {} colours: a blank page?", counts.len());
    assert!(commonest < all * 95 / 100, "one colour covers {commonest} of {all} pixels");
}
