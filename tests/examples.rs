//! Every bundled example scenario runs, and its key numbers tell the story
//! its comments promise (orders and arithmetic, not magic values).

use std::path::Path;

use hostsim::report::aggregate::OptionReport;
use hostsim::report::chart::CHART_FILES;

use crate::common;

/// Runs a bundled scenario, writes its reports and charts to a temporary
/// directory and checks that every chart is a real picture, in the report too.
fn run(file: &str) -> Vec<OptionReport> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let s = hostsim::scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let reports = hostsim::pipeline::simulate(&s, true).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let command = format!("hostsim run {file}");
    let dir = hostsim::pipeline::write_outputs(&s, &reports, tmp.path(), true, &command).unwrap();
    // The report shows every option and every chart.
    let page = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert_eq!(page.matches("data:image/png;base64,").count(), CHART_FILES.len(), "{file}");
    for r in &reports {
        assert!(page.contains(&format!("<h3>{}</h3>", r.name)), "{file}: no costs of {}", r.name);
    }
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
    assert_eq!(lean.meets_slo(), Some(true));
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
    assert_eq!(tokyo.meets_slo(), Some(false));
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
fn right_size() {
    use hostsim::hosting::cost::CostCategory;
    let r = run("scenarios/right-size.toml");
    let (owned, vps, cloud) = (by_name(&r, "owned"), by_name(&r, "rented-vps"), by_name(&r, "cloud"));
    // The purchase price follows the cores: $1,500 + 16 × $100 = $3,100, over 3 years
    // (26,280 h), for 24 h: $3,100 × 24 / 26,280 = $2.831…
    let capex = owned.costs.get(CostCategory::Capex);
    assert!((capex - 3_100.0 * 24.0 / 26_280.0).abs() < 1e-9, "{capex}");
    // Power follows the cores too: SPECpower 2018-21, 1 socket, 16 cores lies 10/22 of the
    // way from the 6-core median server (15.9 W idle, 71.7 W full) to the 28-core one
    // (39.4 W, 217 W): 26.58 W idle, 137.75 W full. Each bucket draws idle + (full − idle)
    // × its utilisation, × PUE 1.5 × hours / 1,000 × $0.0895 per kWh.
    let (idle_w, max_w) = (15.9 + 23.5 * 10.0 / 22.0, 71.7 + 145.3 * 10.0 / 22.0);
    let expected: f64 = owned
        .series()
        .map(|p| p.unwrap())
        .map(|p| (idle_w + (max_w - idle_w) * p.utilization) * 1.5 * p.len_s / 3600.0 / 1000.0 * 0.0895)
        .sum();
    let power = owned.costs.get(CostCategory::Power);
    assert!((power / expected - 1.0).abs() < 1e-9, "{power} vs {expected}");
    // Load: 72 rps × 105 ms = 7.56 busy slots on average: 7.56 / 16 = 0.4725 of the owned server.
    assert!((owned.utilization / 0.4725 - 1.0).abs() < 0.02, "{}", owned.utilization);
    // 16 cores hold the SLO, as the rented 16 vCPUs do; renting the VPS fleet is cheapest
    // (4 × Linode 8 GB × 24 h × $0.072 = $6.912) and EC2 the dearest (egress dominates).
    assert!((vps.costs.get(CostCategory::Compute) - 6.912).abs() < 1e-9);
    for o in [owned, vps, cloud] {
        assert_eq!(o.meets_slo(), Some(true), "{}", o.name);
    }
    assert!(
        vps.total_cost_usd.mean < owned.total_cost_usd.mean && owned.total_cost_usd.mean < cloud.total_cost_usd.mean
    );
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
        assert_eq!(o.meets_slo(), Some(true), "{}", o.name);
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
    // Standard-2X runs at a 5/6 share: 2.8 busy vCPUs at the peak need 2.8 / (5/6) = 3.36
    // of the 4 dynos, so they miss the SLO; the dedicated vCPUs of the others meet it.
    assert!(std2x.utilization > perf.utilization && std2x.utilization > ec2.utilization);
    assert_eq!((std2x.meets_slo(), perf.meets_slo(), ec2.meets_slo()), (Some(false), Some(true), Some(true)));
}

/// The rows of a bundled per-minute trace, `(Unix seconds, requests)`, read
/// here independently of hostsim's reader.
fn trace_rows(file: &str) -> Vec<(f64, f64)> {
    use std::io::Read as _;
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&path).unwrap()).read_to_string(&mut text).unwrap();
    text.lines()
        .skip(1)
        .map(|line| {
            let (t, c) = line.split_once(',').unwrap();
            (t.parse().unwrap(), c.parse().unwrap())
        })
        .collect()
}

#[test]
fn worldcup98() {
    let r = run("scenarios/worldcup98.toml");
    let (metal, vps, ec2, heroku) = (
        by_name(&r, "bare-metal-for-peak"),
        by_name(&r, "vps-fleet"),
        by_name(&r, "ec2-target-tracking"),
        by_name(&r, "heroku-perf-m-auto"),
    );
    // Offered: the trace's rows from 1998-06-24 00:00 UTC (Unix 898,646,400) for 20 days,
    // × 0.05, no warm-up. One replication: Poisson, sd = √mean (≈ 5,600); allow 5 sd.
    let (start, horizon) = (898_646_400.0, 20.0 * 86_400.0);
    let rows = trace_rows("data/traces/worldcup98_per_minute.csv.gz");
    let in_window: Vec<f64> = rows.iter().filter(|(t, _)| (start..start + horizon).contains(t)).map(|r| r.1).collect();
    let expected = in_window.iter().sum::<f64>() * 0.05;
    let offered = metal.outcomes.offered;
    assert!((offered - expected).abs() < 5.0 * expected.sqrt(), "offered {offered}, expected {expected}");
    for o in [vps, ec2, heroku] {
        assert_eq!(o.outcomes.offered, offered, "{}: same requests for every option", o.name);
    }
    // Busy cores = rate × 80 ms of CPU. The busiest minute: peak × 0.05 / 60 s × 0.08 s
    // (229,426 → 15.3 cores); on average offered × 0.08 s / horizon (≈ 1.5 cores).
    let peak_cores = in_window.iter().cloned().fold(0.0, f64::max) * 0.05 / 60.0 * 0.08;
    let mean_cores = offered * 0.08 / horizon;
    assert!((14.0..17.0).contains(&peak_cores) && (1.3..1.7).contains(&mean_cores), "{peak_cores} {mean_cores}");
    // Both fixed fleets have 24 cores: busy mean / 24 of the time (≈ 6 %), and the peak fits.
    for o in [metal, vps] {
        assert!((o.utilization / (mean_cores / 24.0) - 1.0).abs() < 0.01, "{}: {}", o.name, o.utilization);
        assert!(peak_cores < 24.0 * 0.7);
    }
    // 24 slots behind one FCFS queue either way (2 × 12 cores, 6 × 4 vCPUs), in the same
    // region: exactly the same response times. Only the bill differs.
    assert_eq!(p99(metal), p99(vps));
    assert_eq!(metal.p50_ms, vps.p50_ms);
    // 20 days = 480 h. Bare metal: capex 2 × $5,000 × 480 / 26,280 h (3 years) = $182.65,
    // colocation 2 × $118 × 480 / 730 = $155.18, labour $300 × 480 / 730 = $197.26, plus power.
    let cost = |o: &OptionReport, c| o.costs.get(c);
    use hostsim::hosting::cost::CostCategory::{Capex, Colo, Compute, Labour, Power};
    assert!((cost(metal, Capex) - 2.0 * 5000.0 * 480.0 / (3.0 * 8760.0)).abs() < 1e-6);
    assert!((cost(metal, Colo) - 2.0 * 118.0 * 480.0 / 730.0).abs() < 1e-6);
    assert!((cost(metal, Labour) - 300.0 * 480.0 / 730.0).abs() < 1e-6);
    // Power: 2 servers × (59 W + 345 W × utilisation) × 1.5 PUE × 480 h × $0.0895/kWh.
    // Watts are linear in utilisation, so the buckets' sum is exact with the
    // horizon's utilisation (no warm-up): only rounding differs.
    let power = 2.0 * (59.0 + 345.0 * metal.utilization) * 1.5 * 480.0 / 1000.0 * 0.0895;
    assert!((cost(metal, Power) / power - 1.0).abs() < 1e-9, "{} vs {power}", cost(metal, Power));
    // VPS: 6 × 480 started hours × $0.072 = $207.36 (under the $48 monthly cap).
    assert!((cost(vps, Compute) - 6.0 * 480.0 * 0.072).abs() < 1e-6);
    // Owning the peak capacity costs more than renting it, and far more than tracking the load.
    assert!(metal.total_cost_usd.mean > vps.total_cost_usd.mean);
    assert!(vps.total_cost_usd.mean > ec2.total_cost_usd.mean);
    // EC2 follows the matches: at least ⌈15.3 / 2⌉ = 8 m5.large at the peak (13 at 60 % CPU),
    // the minimum of 2 most of the time, and it pays for what it runs: mean instances × 480 h
    // × $0.111, the eu-west-2 price (regional list, 2026-05-12; us-east-1's is $0.096)
    // (per-second billing; boots and draining add a little).
    assert!(ec2.peak_instances >= (peak_cores / 2.0).ceil(), "{}", ec2.peak_instances);
    assert!(ec2.mean_instances < 4.0, "{}", ec2.mean_instances);
    let tracked = ec2.mean_instances * 480.0 * 0.111;
    assert!((cost(ec2, Compute) / tracked - 1.0).abs() < 0.02, "{} vs {tracked}", cost(ec2, Compute));
    // And its egress, the only AWS bill the others do not pay: eu-west-2's first tier, after
    // 100 GB free (no warm-up, one replication: every served response counts). Served × 20 kB
    // ≈ 31.6 M × 20,000 bytes / 2^30 ≈ 589 GB; (589 − 100) × $0.09 ≈ $44.
    let gb = ec2.outcomes.served * 20_000.0 / 1_073_741_824.0;
    let egress = cost(ec2, hostsim::hosting::cost::CostCategory::Egress);
    assert!((egress - (gb - 100.0) * 0.09).abs() < 1e-6, "{egress} for {gb} GB");
    assert!((ec2.total_cost_usd.mean - cost(ec2, Compute) - egress).abs() < 1e-6);
    // It keeps up (the match ramps last an hour; a scale-out takes ~5 minutes): its tail
    // is within 5 % of the peak-sized fleets'.
    assert!(p99(ec2) < 1.05 * p99(vps), "{} vs {}", p99(ec2), p99(vps));
    // Heroku: never fewer than 2 Performance-M dynos ($250 per 730 h each), and at the
    // peak at least 8 (2 vCPUs each for 15.3 busy cores).
    assert!(heroku.total_cost_usd.mean >= 2.0 * 250.0 * 480.0 / 730.0 - 1e-6);
    assert!(heroku.total_cost_usd.mean > vps.total_cost_usd.mean);
    assert!(heroku.peak_instances >= (peak_cores / 2.0).ceil());
    // One dyno a minute on an hour's p95, and random routing to per-dyno queues: queues
    // build at every kick-off, so the tail is the worst and it alone misses the SLO.
    assert!(p99(heroku) > p99(ec2) && p99(heroku) > p99(vps));
    for o in [metal, vps, ec2] {
        assert_eq!(o.meets_slo(), Some(true), "{}", o.name);
    }
    assert_eq!(heroku.meets_slo(), Some(false));
}

#[test]
fn nasa95() {
    let r = run("scenarios/nasa95.toml");
    let (vps, basic, ec2, metal) = (
        by_name(&r, "vps-5-dollar"),
        by_name(&r, "heroku-basic"),
        by_name(&r, "ec2-t2micro-auto"),
        by_name(&r, "bare-metal-box"),
    );
    // The whole file at scale 1, no warm-up: offered = its 3,461,612 requests. The mean of
    // 2 replications is Poisson / 2: sd = √(total / 2) ≈ 1,316; allow 5 sd.
    let rows = trace_rows("data/traces/nasa_http_1995_per_minute.csv.gz");
    let total: f64 = rows.iter().map(|r| r.1).sum();
    assert_eq!(total, 3_461_612.0);
    let offered = vps.outcomes.offered;
    assert!((offered - total).abs() < 5.0 * (total / 2.0).sqrt(), "offered {offered}, trace {total}");
    for o in [basic, ec2, metal] {
        assert_eq!(o.outcomes.offered, offered, "{}", o.name);
    }
    // The outage: no row from 1995-08-01 18:53 to 1995-08-03 08:36 UTC (14:53 to 04:36
    // local), the longest run of missing minutes after the July log's end. t = 0 is the
    // first row, 1995-07-01 04:00 UTC (Unix 804,571,200).
    let t0 = rows[0].0;
    assert_eq!(t0, 804_571_200.0);
    let holes = |after: f64| {
        let mut holes: Vec<(f64, f64)> = rows
            .windows(2)
            .filter(|w| w[0].0 >= after && w[1].0 - w[0].0 > 60.0)
            .map(|w| (w[0].0 + 60.0 - t0, w[1].0 - t0))
            .collect();
        holes.sort_by(|a, b| (b.1 - b.0).total_cmp(&(a.1 - a.0)));
        holes[0]
    };
    // Seconds from t0: 1995-08-01 18:53 is 31 d 14 h 53 m = 2,731,980; 1995-08-03 08:36 is 2,867,760.
    let outage = holes(807_249_600.0); // from 1995-08-01 04:00 UTC, the August log's first minute
    assert_eq!(outage, (2_731_980.0, 2_867_760.0), "2,263 missing minutes");
    // The July log ends 1995-07-28 17:32 UTC; August starts 1995-08-01 04:00 (4,947 minutes).
    let july_end = holes(t0);
    assert_eq!(july_end, (2_381_580.0, 2_678_400.0));
    // Every hour bucket inside either hole offers nothing, to every option; the hour
    // before each hole does offer requests.
    for o in [vps, basic, ec2, metal] {
        for (from, to) in [outage, july_end] {
            let inside: Vec<_> =
                o.series().map(Result::unwrap).filter(|p| p.start_s >= from && p.start_s + p.len_s <= to).collect();
            assert!(inside.len() as f64 >= ((to - from) / 3600.0).floor() - 1.0);
            for p in inside {
                assert_eq!(p.outcomes.offered, 0.0, "{} bucket at {} s", o.name, p.start_s);
            }
            let before = o
                .series()
                .map(Result::unwrap)
                .find(|p| p.start_s + p.len_s == (from / 3600.0).floor() * 3600.0)
                .unwrap();
            assert!(before.outcomes.offered > 0.0, "{}: the hour before the hole", o.name);
        }
    }
    // 62 days = 1,488 h. VPS: 1,488 = 2 × 730 + 28 hours: two capped months of $5 and
    // 28 hours × $0.0075 = $10.21.
    use hostsim::hosting::cost::CostCategory::{Capex, Colo, Compute, Labour};
    let cost = |o: &OptionReport, c| o.costs.get(c);
    assert!((cost(vps, Compute) - (2.0 * 5.0 + 28.0 * 0.0075)).abs() < 1e-9, "{}", cost(vps, Compute));
    // Heroku Basic, prorated: $7 × 1,488 / 730 = $14.27.
    assert!((cost(basic, Compute) - 7.0 * 1488.0 / 730.0).abs() < 1e-6);
    // EC2: one t2.micro all the time, 1,488 h × $0.0116 = $17.26, plus a second one for
    // a few launch-day minutes.
    let one = 1488.0 * 0.0116;
    assert!(cost(ec2, Compute) >= one - 1e-6 && cost(ec2, Compute) < one + 0.5, "{}", cost(ec2, Compute));
    // Bare metal: capex $2,000 × 1,488 / 26,280 h = $113.24, colo $118 × 1,488 / 730 = $240.53,
    // labour $150 × 1,488 / 730 = $305.75: for a site that keeps 0.065 cores busy,
    // owning the box costs over 50 times the VPS.
    assert!((cost(metal, Capex) - 2000.0 * 1488.0 / (3.0 * 8760.0)).abs() < 1e-6);
    assert!((cost(metal, Colo) - 118.0 * 1488.0 / 730.0).abs() < 1e-6);
    assert!((cost(metal, Labour) - 150.0 * 1488.0 / 730.0).abs() < 1e-6);
    assert!(metal.total_cost_usd.mean > 50.0 * vps.total_cost_usd.mean);
    // Busy cores: offered × 100 ms over 1,488 h ≈ 0.065; utilisation = that / cores, and the
    // Basic dyno at 0.42 of a vCPU is busy 1 / 0.42 times as long as the 1-vCPU VPS.
    let busy = offered * 0.1 / (1488.0 * 3600.0);
    assert!((vps.utilization / busy - 1.0).abs() < 0.02, "{} vs {busy}", vps.utilization);
    assert!((metal.utilization / (busy / 4.0) - 1.0).abs() < 0.02);
    assert!((basic.utilization * 0.42 / vps.utilization - 1.0).abs() < 0.01);
    // Four cores queue less than one: the box has the lowest tail, the VPS and one t2.micro
    // (both 1 vCPU) meet the SLO for a fraction of its price.
    assert!(p99(metal) < p99(vps));
    for o in [vps, ec2, metal] {
        assert_eq!(o.meets_slo(), Some(true), "{}", o.name);
    }
    // Heroku Basic: every request 2.4 times slower, so a higher median and a p99 above the
    // SLO; on launch day (13 July, t = 1,022,400 to 1,108,800 s) its queue reaches the
    // backlog and most of its rejections happen then.
    assert!(basic.p50_ms.unwrap() > 1.5 * vps.p50_ms.unwrap());
    assert_eq!(basic.meets_slo(), Some(false));
    let launch_day = 1_022_400.0..1_108_800.0;
    let rejected_on_launch_day: f64 = basic
        .series()
        .map(Result::unwrap)
        .filter(|p| launch_day.contains(&p.start_s))
        .map(|p| p.outcomes.rejected)
        .sum();
    assert!(basic.outcomes.rejected > 0.0 && rejected_on_launch_day >= 0.9 * basic.outcomes.rejected);
    // Target tracking starts a second t2.micro on launch day, and is at 1 nearly all the time.
    assert_eq!(ec2.peak_instances, 2.0);
    assert!(ec2.series().map(Result::unwrap).any(|p| launch_day.contains(&p.start_s) && p.instances > 1.0));
    assert!(ec2.mean_instances < 1.01);
}

#[test]
fn serverless_or_not() {
    use hostsim::hosting::cost::CostCategory;
    let r = run("scenarios/serverless-or-not.toml");
    let (lambda, run, vps, ec2) =
        (by_name(&r, "lambda"), by_name(&r, "cloud-run"), by_name(&r, "vps"), by_name(&r, "ec2-auto"));
    assert_eq!(lambda.outcomes.offered, vps.outcomes.offered);
    // One Linode 2 GB for 168 h: 168 × $0.018 = $3.024 (below the $12 monthly cap).
    assert!((vps.total_cost_usd.mean - 168.0 * 0.018).abs() < 1e-9, "{}", vps.total_cost_usd.mean);
    // Lambda's requests cost $0.20 per million of every request that ran (warm-up
    // included): about 0.69 M a week, $0.138; its GB-s at least 40 ms × 1.7275 GB ×
    // $0.0000166667 each (the mean CPU time at one vCPU; rounding and cold starts add more).
    let requests = lambda.costs.get(CostCategory::Requests);
    assert!((requests / 0.0000002 / lambda.outcomes.offered - 1.0).abs() < 0.01, "{requests}");
    let floor = lambda.outcomes.offered * 0.040 * 1_769.0 / 1_024.0 * 0.0000166667;
    assert!(lambda.costs.get(CostCategory::Compute) > 0.97 * floor, "{floor}");
    // At 1 request/s Lambda is the cheapest and meets the objective; the single VPS's
    // one vCPU is overwhelmed by the 20× bursts; Cloud Run's 80 requests share one vCPU.
    for other in [run, vps, ec2] {
        assert!(lambda.total_cost_usd.mean < other.total_cost_usd.mean, "{}", other.name);
    }
    assert_eq!((lambda.meets_slo(), vps.meets_slo(), run.meets_slo()), (Some(true), Some(false), Some(false)));
    // Bursts start instances: Lambda's peak is several, and a few requests waited for a cold start.
    assert!(lambda.peak_instances >= 5.0 && lambda.cold_starts > 0.0 && lambda.cold_starts < 0.01);
    assert_eq!((vps.cold_starts, ec2.cold_starts), (0.0, 0.0));
}

#[test]
fn random_routing_2013() {
    let r = run("scenarios/random-routing-2013.toml");
    let (random, least, shared) =
        (by_name(&r, "random"), by_name(&r, "least-connections"), by_name(&r, "next-available"));
    // 80 dynos at 150 rps of the Weibull (median 50 ms, shape 0.46) clipped to [10 ms, 30 s]:
    // E[S] = a + ∫_a^b P(S > x) dx and E[S²] = a² + ∫_a^b 2x P(S > x) dx, by the midpoint
    // rule on a log grid (0.2640 s and 0.5044 s²).
    let (k, a, b) = (0.46, 0.01f64, 30.0f64);
    let scale = 0.05 / std::f64::consts::LN_2.powf(1.0 / k);
    let steps = 100_000;
    let h = (b / a).ln() / f64::from(steps);
    let (mut m1, mut m2) = (a, a * a);
    for i in 0..steps {
        let x = a * ((f64::from(i) + 0.5) * h).exp();
        let tail = (-(x / scale).powf(k)).exp();
        m1 += tail * x * h;
        m2 += 2.0 * x * tail * x * h;
    }
    assert!((m1 - 0.2640).abs() < 1e-4 && (m2 - 0.5044).abs() < 1e-3, "{m1} {m2}");
    // With a smart router nothing waits at 80 dynos (39.6 busy on average): the mean
    // response is the service time and the round trip, the same requests in both.
    let no_wait_ms = shared.mean_ms.unwrap().mean;
    assert_eq!(least.mean_ms.unwrap().mean, no_wait_ms);
    assert!((no_wait_ms - m1 * 1e3).abs() < 3.0, "{no_wait_ms}");
    // Random routing: each dyno an M/G/1 queue at λ = 150/80 rps, whose mean wait is
    // Pollaczek-Khinchine's λE[S²] / (2(1 − λE[S])) = 936 ms. Heavy tails make it noisy:
    // the tolerance is 8 % and the CI must lie within half of it.
    let lambda = 150.0 / 80.0;
    let theory_ms = lambda * m2 / (2.0 * (1.0 - lambda * m1)) * 1e3;
    let mean = random.mean_ms.unwrap();
    let wait_ms = mean.mean - no_wait_ms;
    eprintln!("random routing wait {wait_ms:.1} ± {:.1} ms, M/G/1 {theory_ms:.1} ms", mean.ci95.unwrap());
    assert!((wait_ms - theory_ms).abs() < 0.08 * theory_ms, "{wait_ms} vs {theory_ms}");
    assert!(mean.ci95.unwrap() < 0.04 * theory_ms);
}

#[test]
fn two_regions() {
    let r = run("scenarios/two-regions.toml");
    let (one, half, roomy) =
        (by_name(&r, "one-region"), by_name(&r, "two-half-regions"), by_name(&r, "two-roomy-regions"));
    // 4 VPSs either way: the same bill (4 × 336 h × $0.036 = $48.384); 6 cost 1.5 times as much.
    assert!((one.total_cost_usd.mean - 48.384).abs() < 1e-9 && (half.total_cost_usd.mean - 48.384).abs() < 1e-9);
    assert!((roomy.total_cost_usd.mean - 72.576).abs() < 1e-9);
    // Served near home, half the users skip the Atlantic: the median falls by about half.
    assert!(half.p50_ms.unwrap() < 0.6 * one.p50_ms.unwrap(), "{:?} {:?}", half.p50_ms, one.p50_ms);
    // Failing over loses fewer requests than a dark region, but only the roomy pair meets the SLO.
    assert!(half.success_ratio.unwrap() > one.success_ratio.unwrap());
    assert_eq!((one.meets_slo(), half.meets_slo(), roomy.meets_slo()), (Some(false), Some(false), Some(true)));
    assert_eq!(half.region, "washington+frankfurt");
}

#[test]
fn database_bottleneck() {
    let r = run("scenarios/database-bottleneck.toml");
    let (small, larger, replicas) = (by_name(&r, "small-db"), by_name(&r, "larger-db"), by_name(&r, "read-replicas"));
    // 48 h of each database with 100 GB of gp3 ($0.115 a GB-month of 730 h):
    // db.m5.large 48 × ($0.178 + 100 × $0.115 / 730) = $9.3002; db.m5.xlarge
    // 48 × ($0.356 + $0.01575) = $17.8442; the small one and two replicas 3 × $9.3002.
    let db = |o: &OptionReport| o.costs.get(hostsim::hosting::cost::CostCategory::Database);
    let per_hour = |instance: f64| 48.0 * (instance + 100.0 * 0.115 / 730.0);
    assert!((db(small) - per_hour(0.178)).abs() < 1e-6, "{}", db(small));
    assert!((db(larger) - per_hour(0.356)).abs() < 1e-6, "{}", db(larger));
    assert!((db(replicas) - 3.0 * per_hour(0.178)).abs() < 1e-6, "{}", db(replicas));
    // The small database makes workers wait: its queries wait far longer,
    // the CPU metric stays low and the fleet stops short; it alone misses the SLO.
    let wait = |o: &OptionReport| o.db_wait_ms.unwrap().mean;
    assert!(wait(small) > 10.0 * wait(larger) && wait(small) > 5.0 * wait(replicas));
    assert!(small.db_utilization.unwrap() > 1.5 * larger.db_utilization.unwrap());
    assert!(small.peak_instances < larger.peak_instances, "{} {}", small.peak_instances, larger.peak_instances);
    assert_eq!((small.meets_slo(), larger.meets_slo(), replicas.meets_slo()), (Some(false), Some(true), Some(true)));
}
