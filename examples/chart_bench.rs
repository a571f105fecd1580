//! Times reading and drawing the charts of a large output directory:
//! 14 days at 1-minute buckets, 5 options (100 800 time-series rows).
//! Target (issue 4): under 2 s for all six charts, release build.
//!
//! `cargo run --release --example chart_bench [DIR]` (DIR defaults to a
//! temporary directory; the charts are left in DIR/charts to look at).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use hostsim::report::chart::{ChartData, render_all};

const OPTIONS: [&str; 5] = ["colo", "linode", "ec2-target", "ec2-step", "heroku"];
const BUCKET_S: usize = 60;
const BUCKETS: usize = 14 * 24 * 60;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = match std::env::args().nth(1) {
        Some(d) => PathBuf::from(d),
        None => std::env::temp_dir().join("hostsim-chart-bench"),
    };
    std::fs::create_dir_all(&dir)?;
    write_output(&dir)?;

    let start = Instant::now();
    let data = ChartData::load(&dir)?;
    let loaded = start.elapsed();
    let written = render_all(&data, &dir.join("charts"))?;
    let total = start.elapsed();
    println!(
        "{} charts from {} rows: load {:.3} s, draw {:.3} s, total {:.3} s (target < 2 s) in {}",
        written.len(),
        OPTIONS.len() * BUCKETS,
        loaded.as_secs_f64(),
        (total - loaded).as_secs_f64(),
        total.as_secs_f64(),
        dir.join("charts").display()
    );
    Ok(())
}

/// Writes the five input files: a diurnal load, p99 rising with load, a
/// spike on day 3, option `k` with `k + 2` instances scaled with load.
fn write_output(dir: &std::path::Path) -> std::io::Result<()> {
    let mut summary = String::from(
        "option,kind,region,replications,offered,served,timed_out,rejected,failed,in_flight,success_ratio,mean_ms,p50_ms,p90_ms,p95_ms,p99_ms,p999_ms,max_ms,total_cost_usd,cost_per_million_usd,mean_instances,peak_instances,utilization,meets_slo,mean_ms_ci95,p99_ms_ci95,total_cost_usd_ci95\n",
    );
    let mut times = String::from(
        "option,bucket_start_s,offered_rps,served,timed_out,rejected,failed,instances,utilization,steal,mean_ms,p50_ms,p95_ms,p99_ms,cost_usd,cumulative_cost_usd,offered,in_flight\n",
    );
    let mut costs = String::from("option,category,usd\n");
    let mut cdf = String::from("option,quantile,response_ms\n");
    for (k, name) in OPTIONS.iter().enumerate() {
        let f = (k + 1) as f64;
        let mut cumulative = 0.0;
        for b in 0..BUCKETS {
            let t = (b * BUCKET_S) as f64;
            let hour = t / 3600.0 % 24.0;
            let spike = if (3.0 * 86_400.0..3.0 * 86_400.0 + 7200.0).contains(&t) { 4.0 } else { 1.0 };
            let rps = 120.0 * (1.0 + 0.6 * ((hour - 14.0) / 24.0 * std::f64::consts::TAU).cos()) * spike;
            let instances = (k as f64 + 2.0) * (0.5 + rps / 200.0);
            let p99 = 80.0 * f * (1.0 + rps / 150.0);
            let cost = 0.02 * f * instances;
            cumulative += cost;
            let served = rps * BUCKET_S as f64;
            writeln!(
                times,
                "{name},{t},{rps},{served},0,0,0,{instances},0.6,0,{},{},{},{p99},{cost},{cumulative},{served},0",
                p99 / 4.0,
                p99 / 5.0,
                p99 / 1.5
            )
            .expect("write to String");
        }
        writeln!(
            summary,
            "{name},iaas,washington,5,1e8,9.9e7,0,0,0,0,0.99,{m},{p50},{p90},{p95},{p99},{p999},{max},{cumulative},1,4,9,0.6,{meets},1,{ci},{cost_ci}",
            m = 50.0 * f,
            p50 = 40.0 * f,
            p90 = 90.0 * f,
            p95 = 120.0 * f,
            p99 = 200.0 * f,
            p999 = 400.0 * f,
            max = 900.0 * f,
            meets = 200.0 * f <= 500.0,
            ci = 10.0 * f,
            cost_ci = cumulative * 0.02,
        )
        .expect("write to String");
        for (cat, share) in [("compute", 0.8), ("storage", 0.1), ("egress", 0.1)] {
            writeln!(costs, "{name},{cat},{}", cumulative * share).expect("write to String");
        }
        for q in [0.001, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 0.9999, 1.0] {
            let ms = 30.0 * f / (1.0 - q * 0.9999_f64).powf(0.4);
            writeln!(cdf, "{name},{q},{ms}").expect("write to String");
        }
    }
    std::fs::write(dir.join("summary.csv"), summary)?;
    std::fs::write(dir.join("timeseries.csv"), times)?;
    std::fs::write(dir.join("costs.csv"), costs)?;
    std::fs::write(dir.join("latency_cdf.csv"), cdf)?;
    std::fs::write(
        dir.join("resolved.toml"),
        "name = \"bench-14d\"\nhorizon = \"14d\"\nreplications = 5\n\n[slo]\np99_ms = 500\n",
    )
}
