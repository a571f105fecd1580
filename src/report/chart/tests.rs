//! Renders every chart from small synthetic output directories written by
//! hand, and checks the PNGs decode at the promised size, are not blank,
//! and are byte-identical when drawn twice.

use std::fmt::Write as _;
use std::path::Path;

use super::{CHART_FILES, ChartData, ChartError, render_all, render_dir};

/// What a synthetic output directory contains.
struct Spec {
    options: &'static [&'static str],
    replications: u32,
    slo: Option<f64>,
    buckets: usize,
    bucket_s: f64,
}

const SUMMARY_HEADER: &str = "option,kind,region,replications,offered,served,timed_out,rejected,failed,in_flight,success_ratio,mean_ms,p50_ms,p90_ms,p95_ms,p99_ms,p999_ms,max_ms,total_cost_usd,cost_per_million_usd,compute_usd_per_instance_hour,mean_instances,peak_instances,utilization,meets_slo,mean_ms_ci95,p99_ms_ci95,total_cost_usd_ci95";
const TIME_HEADER: &str = "option,bucket_start_s,offered_rps,served,timed_out,rejected,failed,instances,utilization,steal,mean_ms,p50_ms,p95_ms,p99_ms,cost_usd,cumulative_cost_usd,offered,in_flight,pending,warming,interruptions,capacity_vcpus,booting_vcpus,capacity_vcpus_ci95,p50_ms_ci95,p95_ms_ci95,p99_ms_ci95,cumulative_cost_usd_ci95";
/// The columns `timeseries.csv` had before capacity in vCPUs and the bands.
const OLD_TIME_COLUMNS: usize = 20;
const QUANTILES: [f64; 10] = [0.001, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 0.9999, 1.0];

/// Writes the five files of an output directory. Option `k` is `k + 1`
/// times slower and costs `(k + 1) × $40` per hour; bucket 3 serves nothing;
/// its instances have 2 vCPUs; with replications, every series has a
/// half-width of 5 % of its value.
fn write_dir(dir: &Path, spec: &Spec) {
    let hours = spec.buckets as f64 * spec.bucket_s / 3600.0;
    let reps = spec.replications;
    let (mut summary, mut times, mut costs, mut cdf) = (String::new(), String::new(), String::new(), String::new());
    writeln!(summary, "{SUMMARY_HEADER}").unwrap();
    writeln!(times, "{TIME_HEADER}").unwrap();
    writeln!(costs, "option,category,usd").unwrap();
    writeln!(cdf, "option,quantile,response_ms").unwrap();
    for (k, name) in spec.options.iter().enumerate() {
        let f = (k + 1) as f64;
        let p99 = 120.0 * f * f;
        let total = 40.0 * f * hours;
        let ci = |v: f64| if reps >= 2 { format!("{}", v * 0.08) } else { String::new() };
        let meets = match spec.slo {
            Some(slo) => (p99 <= slo).to_string(),
            None => String::new(),
        };
        writeln!(
            summary,
            "{name},iaas,washington,{reps},10000,9900,50,30,20,0,0.99,{m},{p50},{p90},{p95},{p99},{p999},{max},{total},{cpm},,{inst},{peak},0.55,{meets},{c1},{c2},{c3}",
            m = 30.0 * f,
            p50 = 20.0 * f,
            p90 = 60.0 * f,
            p95 = 80.0 * f,
            p999 = 300.0 * f * f,
            max = 900.0 * f * f,
            cpm = total / 0.0099,
            inst = 2.0 + f,
            peak = 4.0 + f,
            c1 = ci(30.0 * f),
            c2 = ci(p99),
            c3 = ci(total),
        )
        .unwrap();
        let mut cumulative = 0.0;
        for b in 0..spec.buckets {
            let t = b as f64 * spec.bucket_s;
            let load = 100.0 * (1.0 + 0.5 * (t / 86_400.0 * std::f64::consts::TAU).sin());
            let cost = 40.0 * f * spec.bucket_s / 3600.0;
            cumulative += cost;
            let served = load * spec.bucket_s;
            // mean, p50, p95, p99 of the bucket.
            let w = 1.0 + load / 150.0;
            let ms = [30.0 * f * w, 20.0 * f * w, 80.0 * f * w, p99 * w];
            let (served, lat) = if b == 3 {
                (0.0, ",,,".to_string())
            } else {
                (served, format!("{},{},{},{}", ms[0], ms[1], ms[2], ms[3]))
            };
            let inst = 2.0 + f + load / 100.0;
            // The last option has an instance booting in bucket 5.
            let pending = if b == 5 && k + 1 == spec.options.len() { 1.0 } else { 0.0 };
            let half = |v: f64| if reps >= 2 && b != 3 { format!("{}", v * 0.05) } else { String::new() };
            writeln!(
                times,
                "{name},{t},{load},{served},0,0,0,{inst},0.5,0,{lat},{cost},{cumulative},{offered},0,{pending},0,0,{vcpus},{booting},{ci_vcpus},{ci50},{ci95},{ci99},{ci_cost}",
                offered = load * spec.bucket_s,
                vcpus = 2.0 * inst,
                booting = 2.0 * pending,
                ci_vcpus = half(2.0 * inst),
                ci50 = half(ms[1]),
                ci95 = half(ms[2]),
                ci99 = half(ms[3]),
                ci_cost = if reps >= 2 { format!("{}", cumulative * 0.05) } else { String::new() },
            )
            .unwrap();
        }
        let split = [("compute", 0.7), ("storage", 0.1), ("egress", 0.15), ("setup", 0.05)];
        for (cat, share) in split {
            writeln!(costs, "{name},{cat},{}", total * share).unwrap();
        }
        for q in QUANTILES {
            let ms = 20.0 * f * (1.0 / (1.0 - q.min(0.99999))).powf(0.5 + 0.1 * f);
            writeln!(cdf, "{name},{q},{ms}").unwrap();
        }
    }
    let slo = spec.slo.map(|v| format!("\n[slo]\np99_ms = {v}\n")).unwrap_or_default();
    let horizon = format!("{}s", spec.buckets as f64 * spec.bucket_s);
    let toml = format!("name = \"synthetic\"\nhorizon = \"{horizon}\"\nreplications = {reps}\nseed = 1\n{slo}");
    for (file, text) in [
        ("summary.csv", summary),
        ("timeseries.csv", times),
        ("costs.csv", costs),
        ("latency_cdf.csv", cdf),
        ("resolved.toml", toml),
    ] {
        std::fs::write(dir.join(file), text).unwrap();
    }
}

/// Decodes a PNG: (width, height, number of distinct RGB colours).
fn decode(path: &Path) -> (u32, u32, usize) {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let mut colors: Vec<[u8; 3]> = buf[..info.buffer_size()].chunks(channels).map(|p| [p[0], p[1], p[2]]).collect();
    colors.sort_unstable();
    colors.dedup();
    (info.width, info.height, colors.len())
}

fn check_all(spec: &Spec) -> Vec<Vec<u8>> {
    let tmp = tempfile::tempdir().unwrap();
    write_dir(tmp.path(), spec);
    let written = render_dir(tmp.path()).unwrap();
    assert_eq!(written.len(), CHART_FILES.len());
    written
        .iter()
        .map(|path| {
            let (w, h, colors) = decode(path);
            assert!(w >= 1280 && h >= 720, "{}: {w}×{h}", path.display());
            assert!(colors > 8, "{}: only {colors} colours", path.display());
            std::fs::read(path).unwrap()
        })
        .collect()
}

const THREE: &[&str] = &["colo", "linode-vps", "ec2-autoscaled"];

#[test]
fn one_replication_no_slo() {
    check_all(&Spec { options: THREE, replications: 1, slo: None, buckets: 48, bucket_s: 3600.0 });
}

#[test]
fn three_replications_with_slo() {
    check_all(&Spec { options: THREE, replications: 3, slo: Some(500.0), buckets: 120, bucket_s: 60.0 });
}

#[test]
fn two_options_long_horizon() {
    // 14 days of 1-minute buckets: lines are thinned before drawing.
    check_all(&Spec { options: &["a", "b"], replications: 2, slo: Some(300.0), buckets: 20_160, bucket_s: 60.0 });
}

#[test]
fn same_input_same_bytes() {
    let spec = Spec { options: THREE, replications: 3, slo: Some(500.0), buckets: 96, bucket_s: 900.0 };
    assert_eq!(check_all(&spec), check_all(&spec));
}

#[test]
fn degenerate_data_never_panics() {
    // Headers only; one bucket; NaN everywhere; zero cost.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write_dir(dir, &Spec { options: &["only"], replications: 1, slo: Some(100.0), buckets: 1, bucket_s: 60.0 });
    render_dir(dir).unwrap();
    let nan_row = format!(
        "{TIME_HEADER}\nonly,0,NaN,NaN,0,0,0,NaN,NaN,NaN,NaN,NaN,NaN,NaN,0,0,0,0,NaN,NaN,0,NaN,NaN,NaN,NaN,NaN,NaN,NaN\n"
    );
    std::fs::write(dir.join("timeseries.csv"), nan_row).unwrap();
    std::fs::write(dir.join("costs.csv"), "option,category,usd\nonly,compute,0\n").unwrap();
    std::fs::write(dir.join("latency_cdf.csv"), "option,quantile,response_ms\nonly,0.5,NaN\n").unwrap();
    render_dir(dir).unwrap();
    for file in ["summary.csv", "timeseries.csv", "costs.csv", "latency_cdf.csv"] {
        let header = std::fs::read_to_string(dir.join(file)).unwrap();
        std::fs::write(dir.join(file), header.lines().next().unwrap()).unwrap();
    }
    std::fs::write(dir.join("resolved.toml"), "").unwrap();
    let data = ChartData::load(dir).unwrap();
    assert!(data.options.is_empty());
    render_all(&data, &dir.join("charts")).unwrap();
}

#[test]
fn load_errors_name_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    match ChartData::load(dir) {
        Err(ChartError::Io { path, .. }) => assert!(path.ends_with("summary.csv")),
        other => panic!("{other:?}"),
    }
    write_dir(dir, &Spec { options: THREE, replications: 1, slo: None, buckets: 4, bucket_s: 60.0 });
    std::fs::write(dir.join("costs.csv"), "option,category,usd\ncolo,compute,12\ncolo,capex,twelve\n").unwrap();
    match ChartData::load(dir) {
        Err(ChartError::Csv { path, line, message }) => {
            assert!(path.ends_with("costs.csv"));
            assert_eq!(line, 3, "{message}");
        }
        other => panic!("{other:?}"),
    }
    std::fs::write(dir.join("costs.csv"), "option,category,usd\ncolo,compute,12,13\n").unwrap();
    let err = ChartData::load(dir).unwrap_err().to_string();
    assert!(err.ends_with("costs.csv:2: 4 fields, but the header has 3"), "{err}");
}

#[test]
fn load_reads_options_in_scenario_order() {
    let tmp = tempfile::tempdir().unwrap();
    write_dir(tmp.path(), &Spec { options: THREE, replications: 3, slo: Some(500.0), buckets: 10, bucket_s: 60.0 });
    let data = ChartData::load(tmp.path()).unwrap();
    let names: Vec<&str> = data.options.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, THREE);
    assert_eq!(data.scenario.replications, 3);
    assert_eq!(data.scenario.horizon_s, 600.0);
    assert_eq!(data.scenario.slo_p99_ms, Some(500.0));
    let s = &data.options[0].series;
    assert_eq!(s.len(), 10);
    // Bucket 3 served nothing: its latency cells are empty, read as NaN.
    assert!(s.p99_ms[3].is_nan() && s.p99_ms[2].is_finite());
    assert_eq!(data.options[1].costs.len(), 4);
    assert_eq!(data.options[2].cdf.len(), QUANTILES.len());
    assert!(data.options[0].summary.as_ref().unwrap().p99_ms_ci95.is_some());
}

/// Rewrites `dir/timeseries.csv` with only its first `columns` columns.
fn keep_time_columns(dir: &Path, columns: usize) {
    let path = dir.join("timeseries.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let cut: Vec<String> = text.lines().map(|l| l.split(',').take(columns).collect::<Vec<_>>().join(",")).collect();
    std::fs::write(&path, cut.join("\n") + "\n").unwrap();
}

#[test]
fn capacity_is_in_vcpus_or_in_instances_for_older_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = Spec { options: THREE, replications: 1, slo: None, buckets: 10, bucket_s: 60.0 };
    write_dir(tmp.path(), &spec);
    let data = ChartData::load(tmp.path()).unwrap();
    // Option 0 in bucket 0: 4 instances (2 + 1 + load 100 / 100) × 2 vCPUs.
    assert!(data.capacity_in_vcpus);
    assert_eq!(data.options[0].series.capacity[0], 8.0);
    // The last option's instance booting in bucket 5 adds its 2 vCPUs.
    let last = &data.options[2].series;
    assert_eq!(last.launched[5], last.capacity[5] + 2.0);
    keep_time_columns(tmp.path(), OLD_TIME_COLUMNS);
    let old = ChartData::load(tmp.path()).unwrap();
    assert!(!old.capacity_in_vcpus);
    assert_eq!(old.options[0].series.capacity[0], 4.0);
    assert_eq!(old.options[2].series.launched[5], old.options[2].series.capacity[5] + 1.0);
    render_all(&old, &tmp.path().join("charts")).unwrap();
}

/// Pixels of `path` within 2 levels per channel of `color`.
fn pixels_near(path: &Path, color: [u8; 3]) -> usize {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let near = |p: &[u8]| p.iter().zip(color).all(|(a, b)| a.abs_diff(b) <= 2);
    buf[..info.buffer_size()].chunks(channels).filter(|p| near(&p[..3])).count()
}

#[test]
fn bands_are_drawn_only_with_replications() {
    // The first option's band: its blue (0, 114, 178) at 20 % over white.
    let tint = [204, 227, 240];
    for (replications, banded) in [(1, false), (3, true)] {
        let tmp = tempfile::tempdir().unwrap();
        let spec = Spec { options: THREE, replications, slo: Some(500.0), buckets: 48, bucket_s: 1800.0 };
        write_dir(tmp.path(), &spec);
        render_dir(tmp.path()).unwrap();
        for chart in ["cost.png", "latency.png", "capacity.png"] {
            let n = pixels_near(&tmp.path().join("charts").join(chart), tint);
            // With bands, far more than the legend swatch (20 × 18 px).
            assert_eq!(n > 1000, banded, "{chart} with {replications} replications: {n} band pixels");
        }
    }
}

#[test]
fn a_trace_start_at_a_date_dates_the_time_axes() {
    let tmp = tempfile::tempdir().unwrap();
    write_dir(tmp.path(), &Spec { options: THREE, replications: 1, slo: None, buckets: 48, bucket_s: 3600.0 });
    let resolved = tmp.path().join("resolved.toml");
    let plain = std::fs::read_to_string(&resolved).unwrap();
    let axis = |dir: &Path| super::time_axis::TimeAxis::of(&ChartData::load(dir).unwrap());
    assert_eq!((axis(tmp.path()).caption().as_str(), axis(tmp.path()).label(6.0).as_str()), ("time (h)", "6"));
    // start = "1998-06-10T00:00:00Z", written back in seconds.
    std::fs::write(&resolved, format!("{plain}\n[traffic.trace]\nstart = 897436800\n")).unwrap();
    let dated = axis(tmp.path());
    assert_eq!(dated.caption(), "time (UTC), from 1998-06-10 00:00");
    let labels: Vec<String> = dated.value_axis().ticks(13, true).iter().map(|&v| dated.label(v)).collect();
    assert_eq!(labels[..3], ["Jun 10", "04:00", "08:00"]);
    assert!(labels.contains(&"Jun 11".to_string()), "{labels:?}");
    let before = check_all(&Spec { options: THREE, replications: 1, slo: None, buckets: 48, bucket_s: 3600.0 });
    render_dir(tmp.path()).unwrap();
    let after = std::fs::read(tmp.path().join("charts").join("cost.png")).unwrap();
    assert_ne!(before[0], after, "dated labels change the cost chart");
}

/// Writes sample charts for a person to look at:
/// `HOSTSIM_CHART_SAMPLES=/tmp/samples cargo test --lib render_samples -- --ignored`.
#[test]
#[ignore = "writes sample charts to $HOSTSIM_CHART_SAMPLES for viewing"]
fn render_samples() {
    let Ok(root) = std::env::var("HOSTSIM_CHART_SAMPLES") else { return };
    let specs = [
        ("three-reps-slo", Spec { options: THREE, replications: 3, slo: Some(500.0), buckets: 96, bucket_s: 900.0 }),
        ("one-rep", Spec { options: THREE, replications: 1, slo: None, buckets: 120, bucket_s: 60.0 }),
        ("long", Spec { options: &["a", "b"], replications: 2, slo: Some(300.0), buckets: 20_160, bucket_s: 60.0 }),
    ];
    for (name, spec) in specs {
        let dir = Path::new(&root).join(name);
        std::fs::create_dir_all(&dir).unwrap();
        write_dir(&dir, &spec);
        render_dir(&dir).unwrap();
    }
    // Nothing at all: every chart says so instead of drawing empty axes.
    let dir = Path::new(&root).join("empty");
    std::fs::create_dir_all(&dir).unwrap();
    write_dir(&dir, &Spec { options: &["only"], replications: 1, slo: Some(100.0), buckets: 1, bucket_s: 60.0 });
    for file in ["summary.csv", "timeseries.csv", "costs.csv", "latency_cdf.csv"] {
        let header = std::fs::read_to_string(dir.join(file)).unwrap();
        std::fs::write(dir.join(file), header.lines().next().unwrap()).unwrap();
    }
    render_dir(&dir).unwrap();
}
