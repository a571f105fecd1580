//! Every bundled example scenario runs, and its key numbers tell the story
//! its comments promise (orders and arithmetic, not magic values).

mod common;

use std::path::Path;

use hostsim::report::aggregate::OptionReport;
use hostsim::report::chart::CHART_FILES;

/// Runs a bundled scenario, writes its reports and charts to a temporary
/// directory and checks that every chart is a real picture.
fn run(file: &str) -> Vec<OptionReport> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let s = hostsim::scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let reports = hostsim::app::simulate(&s, true).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = hostsim::app::write_outputs(&s, &reports, tmp.path(), true).unwrap();
    for chart in CHART_FILES {
        let (w, h, colours) = common::decode_png(&dir.join("charts").join(chart));
        assert!(w >= 1280 && h >= 720, "{file} {chart}: {w}×{h}");
        assert!(colours > 8, "{file} {chart}: only {colours} colours");
    }
    reports
}

fn by_name<'a>(reports: &'a [OptionReport], name: &str) -> &'a OptionReport {
    reports.iter().find(|r| r.name == name).unwrap_or_else(|| panic!("no option {name}"))
}

fn p99(r: &OptionReport) -> f64 {
    r.p99_ms.unwrap().mean
}

#[test]
fn quickstart() {
    let r = run("scenarios/quickstart.toml");
    let (lean, roomy) = (by_name(&r, "lean-washington"), by_name(&r, "roomy-london"));
    // Same requests for both (common random numbers).
    assert_eq!(lean.outcomes.offered, roomy.outcomes.offered);
    // 70 % of users are in Washington: 76–78 ms further from London, so London's
    // median is higher even though its 16 cores are far less busy than lean's 6.
    assert!(roomy.p50_ms.unwrap() > lean.p50_ms.unwrap() + 20.0);
    assert!(roomy.utilization < lean.utilization);
    // Load: 60 rps × (45 ms CPU + 5 ms I/O) = 3 cores busy on average.
    // lean: 3 / 6 cores = 0.5; roomy: 3 / 16 = 0.1875.
    assert!((lean.utilization - 0.5).abs() < 0.01, "{}", lean.utilization);
    assert!((roomy.utilization - 0.1875).abs() < 0.005, "{}", roomy.utilization);
    // Two servers cost more than one: capex, colocation and labour all double or more.
    assert!(roomy.total_cost_usd.mean > lean.total_cost_usd.mean);
    assert_eq!(lean.meets_slo, Some(true));
}

#[test]
fn vps_vs_bare_metal() {
    let r = run("scenarios/vps-vs-bare-metal.toml");
    let (metal, quiet, noisy) =
        (by_name(&r, "dedicated-pair"), by_name(&r, "vps-quiet-host"), by_name(&r, "vps-noisy-host"));
    // 3 × Linode 4 GB for 72 h: 3 × 72 × $0.036 = $7.776 of compute (below the monthly cap).
    let compute = quiet.costs.get(hostsim::hosting::cost::CostCategory::Compute);
    assert!((compute - 7.776).abs() < 1e-9, "{compute}");
    // Owning the pair costs far more for a 3-day horizon (labour and colocation dominate)...
    assert!(metal.total_cost_usd.mean > 3.0 * quiet.total_cost_usd.mean);
    // ...and buys the lowest tail. Busy neighbours steal CPU and slow the disk,
    // so the noisy host is slowest; the same fleet on a quiet host sits between.
    assert!(p99(metal) <= p99(quiet) && p99(quiet) < p99(noisy));
    assert!(metal.p50_ms.unwrap() < noisy.p50_ms.unwrap());
    // Mean steal on the noisy host: 12 neighbours × 2 vCPUs busy 70 % of the time
    // on 16 cores is well above zero; the quiet host (20 %) almost never steals.
    let steal = |o: &OptionReport| o.series().map(|p| p.unwrap().steal).sum::<f64>() / o.series().count() as f64;
    assert!(steal(noisy) > 0.05 && steal(quiet) < 0.01, "{} {}", steal(noisy), steal(quiet));
    assert_eq!(metal.outcomes.offered, noisy.outcomes.offered);
}

#[test]
fn pick_a_region() {
    let r = run("scenarios/pick-a-region.toml");
    let (dc, london, tokyo) =
        (by_name(&r, "washington-big-cloud"), by_name(&r, "london-mid"), by_name(&r, "tokyo-budget"));
    // Half the users are in Washington: the Washington fleet has the lowest median,
    // Tokyo (140 ms from Washington, 230 from London) the highest.
    assert!(dc.p50_ms.unwrap() < london.p50_ms.unwrap() && london.p50_ms.unwrap() < tokyo.p50_ms.unwrap());
    // Outages: Tokyo's provider is down about 2 h every 7 d (≈ 1.2 % of the time),
    // which alone breaks a 99.9 % success SLO; the big cloud's rare, short outages do not.
    assert!(tokyo.success_ratio.unwrap() < 0.995);
    assert!(dc.success_ratio.unwrap() > tokyo.success_ratio.unwrap());
    assert_eq!(tokyo.meets_slo, Some(false));
    // Prices for 30 days (720 h), 2 instances each, hourly up to the monthly cap:
    // Washington 2 × 720 × $12/730 = $23.67; London 2 × min(720 × $0.018, $12) = $24;
    // Tokyo 2 × min(720 × $0.00893, $6) = $12.
    let compute = |o: &OptionReport| o.costs.get(hostsim::hosting::cost::CostCategory::Compute);
    assert!((compute(dc) - 2.0 * 720.0 * 12.0 / 730.0).abs() < 1e-9);
    assert!((compute(london) - 24.0).abs() < 1e-9);
    assert!((compute(tokyo) - 12.0).abs() < 1e-9);
}

#[test]
fn bench_mm8_agrees_with_erlang_c() {
    // M/M/8, λ = 7.2/s, mean service 1 s: Erlang C mean response 1.876916 s, p99 7.087347 s.
    // One replication of 20 M requests: within 3 % and 5 % (shared/peers reports ±2 %
    // seed-to-seed scatter at 2 M requests; 10× more requests narrows that by √10).
    let r = &run("scenarios/bench/mm8.toml")[0];
    assert!((r.mean_ms.unwrap().mean / 1_876.916 - 1.0).abs() < 0.03);
    assert!((p99(r) / 7_087.347 - 1.0).abs() < 0.05);
}

#[test]
fn autoscale_spike() {
    let r = run("scenarios/autoscale-spike.toml");
    let (fixed, tracking, step, predictive) =
        (by_name(&r, "fixed-for-peak"), by_name(&r, "target-tracking"), by_name(&r, "step"), by_name(&r, "predictive"));
    // 11 m5.large for 72 h: 11 × 72 × $0.096 = $76.032, the most expensive...
    let compute = |o: &OptionReport| o.costs.get(hostsim::hosting::cost::CostCategory::Compute);
    assert!((compute(fixed) - 76.032).abs() < 1e-6, "{}", compute(fixed));
    for o in [tracking, step, predictive] {
        assert!(fixed.total_cost_usd.mean > o.total_cost_usd.mean, "{}", o.name);
        // ...with the lowest tail: it never waits for a boot.
        assert!(p99(fixed) <= p99(o), "{}", o.name);
    }
    // Reactive policies see the spike only after it starts (3 datapoints + ~97 s boot),
    // so the queue grows for minutes; predictive launches a boot ahead from the day
    // before's pattern: a far lower p99 for about the same money.
    assert!(p99(predictive) < p99(tracking) / 2.0, "{} vs {}", p99(predictive), p99(tracking));
    let ratio = predictive.total_cost_usd.mean / tracking.total_cost_usd.mean;
    assert!((0.8..1.25).contains(&ratio), "cost ratio {ratio}");
    assert!(predictive.success_ratio.unwrap() > tracking.success_ratio.unwrap());
    assert_eq!(fixed.peak_instances, 11.0);
    assert!(tracking.peak_instances > 2.0 && tracking.mean_instances < fixed.mean_instances);
}

#[test]
fn hybrid_baseline_burst() {
    let r = run("scenarios/hybrid-baseline-burst.toml");
    let (vps, hybrid, ec2) = (by_name(&r, "vps-for-peak"), by_name(&r, "hybrid"), by_name(&r, "ec2-only"));
    // The VPS fleet sized for the peak: 4 × Linode 4 GB × 48 h × $0.036 = $6.912.
    assert!((vps.total_cost_usd.mean - 6.912).abs() < 1e-6);
    // The hybrid keeps one VPS for the nights and rents m5.large only for the afternoons:
    // cheaper than both the peak-sized VPS fleet and EC2 alone, which pays EC2 prices around the clock.
    assert!(hybrid.total_cost_usd.mean < vps.total_cost_usd.mean);
    assert!(hybrid.total_cost_usd.mean < ec2.total_cost_usd.mean);
    assert!(hybrid.peak_instances > 1.0 && hybrid.mean_instances < hybrid.peak_instances);
    for o in [vps, hybrid, ec2] {
        assert_eq!(o.meets_slo, Some(true), "{}", o.name);
    }
}

#[test]
fn paas_vs_iaas() {
    let r = run("scenarios/paas-vs-iaas.toml");
    let (std2x, perf, ec2) =
        (by_name(&r, "heroku-std-2x"), by_name(&r, "heroku-perf-m-auto"), by_name(&r, "ec2-target-tracking"));
    // 4 Standard-2X dynos for 48 h, prorated: 4 × $50 × 48 / 730 = $13.1507.
    assert!((std2x.total_cost_usd.mean - 4.0 * 50.0 * 48.0 / 730.0).abs() < 0.01, "{}", std2x.total_cost_usd.mean);
    // At least 2 Performance-M dynos all the time: ≥ 2 × $250 × 48 / 730 = $32.88.
    assert!(perf.total_cost_usd.mean >= 2.0 * 250.0 * 48.0 / 730.0 - 1e-6);
    // EC2 is the cheapest per unit of CPU, and its load balancer's shared queue beats
    // the router's random routing to single-vCPU dynos on the tail.
    assert!(ec2.total_cost_usd.mean < std2x.total_cost_usd.mean && ec2.total_cost_usd.mean < perf.total_cost_usd.mean);
    assert!(p99(ec2) < p99(std2x));
    // The router adds 1 ms and routes at random: the dynos' p50 sits above EC2's.
    assert!(std2x.p50_ms.unwrap() > ec2.p50_ms.unwrap());
}
