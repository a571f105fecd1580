//! Reserved instances and savings plans over a fleet's on-demand lives.
//!
//! Reservations cover the `reserved` oldest running instances at each
//! instant (launch order; when a covered instance ends, the oldest uncovered
//! one takes its reservation over), so at every instant min(running,
//! reserved) instances are covered and an instance, once covered, stays
//! covered: each life is on demand from its launch until it is first
//! covered, then reserved until it ends. A savings plan then covers, in each
//! clock hour (counted from t = 0), the on-demand charges of that hour in
//! time order, up to commitment / (1 − discount); charges beyond are on
//! demand. The hour costs commitment + max(0, U·(1 − d) − C) / (1 − d) for
//! on-demand-equivalent charges U, as AWS bills a savings plan.

use std::collections::BTreeSet;

use super::Life;
use crate::model::SavingsPlan;

/// When each life is first covered by one of `reserved` reservations (`None`
/// if never), for lives in launch order. Pass only the lives a reservation
/// may cover (on-demand instances of the reserved type).
pub fn covered_from(lives: &[Life], reserved: u32) -> Vec<Option<u64>> {
    let mut covered_from = vec![None; lives.len()];
    // Launches and ends in time order; a life of no length never runs.
    let mut events: Vec<(u64, usize)> = Vec::with_capacity(2 * lives.len());
    for (i, l) in lives.iter().enumerate().filter(|(_, l)| l.ended_us.is_none_or(|e| e > l.launched_us)) {
        events.push((l.launched_us, i));
        if let Some(e) = l.ended_us {
            events.push((e, i));
        }
    }
    events.sort_unstable();
    let mut covered = 0u32;
    // Running and not covered, oldest (lowest index) first.
    let mut waiting: BTreeSet<usize> = BTreeSet::new();
    let mut k = 0;
    while k < events.len() {
        let t = events[k].0;
        let same_time = events[k..].iter().take_while(|(at, _)| *at == t).count();
        let (ends, launches): (Vec<usize>, Vec<usize>) =
            events[k..k + same_time].iter().map(|&(_, i)| i).partition(|&i| lives[i].ended_us == Some(t));
        k += same_time;
        // Ends first: an instance ending at t frees its reservation for one running or launched at t.
        for i in ends {
            if covered_from[i].is_some() {
                covered -= 1;
            } else {
                waiting.remove(&i);
            }
        }
        waiting.extend(launches);
        while covered < reserved {
            let Some(i) = waiting.pop_first() else { break };
            covered_from[i] = Some(t);
            covered += 1;
        }
    }
    covered_from
}

/// The on-demand charges of `[from, to)` left after the savings plan, given
/// `on_demand(a, b)`, the on-demand charges of `[a, b)` (without any plan).
/// The hours `[from, to)` touches are taken one at a time: the plan covers
/// the hour's charges in time order up to commitment / (1 − discount).
pub fn beyond_savings_plan(plan: &SavingsPlan, from: u64, to: u64, on_demand: impl Fn(u64, u64) -> f64) -> f64 {
    const HOUR_US: u64 = crate::time::SimTime::HOUR.0;
    let covers_usd = plan.usd_per_hour / (1.0 - plan.discount);
    let mut beyond = 0.0;
    for (t, end) in crate::time::pieces(from, to, HOUR_US) {
        let hour_start = t - t % HOUR_US;
        let before = if t > hour_start { on_demand(hour_start, t) } else { 0.0 };
        let here = on_demand(t, end);
        beyond += here - ((before + here).min(covers_usd) - before.min(covers_usd));
    }
    beyond
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Market;

    fn life(launched_s: u64, ended_s: Option<u64>) -> Life {
        Life { launched_us: launched_s * 1_000_000, ended_us: ended_s.map(|e| e * 1_000_000), market: Market::OnDemand }
    }

    fn s(t: u64) -> Option<u64> {
        Some(t * 1_000_000)
    }

    #[test]
    fn the_oldest_running_instances_are_covered() {
        // Two reservations; four instances launched at 0, 10, 20, 30 s.
        // 0 and 10 are covered at launch; 20 waits until 0 ends at 50 s;
        // 30 waits until 10 ends at 60 s; 40 (launched after) is never covered
        // because 20 and 30 hold the reservations until the horizon.
        let lives = [life(0, Some(50)), life(10, Some(60)), life(20, None), life(30, None), life(40, Some(100))];
        assert_eq!(covered_from(&lives, 2), vec![s(0), s(10), s(50), s(60), None]);
        // No reservation covers nothing; more reservations than instances cover all at launch.
        assert_eq!(covered_from(&lives, 0), vec![None; 5]);
        assert_eq!(covered_from(&lives, 9), vec![s(0), s(10), s(20), s(30), s(40)]);
    }

    #[test]
    fn an_end_frees_its_reservation_for_a_launch_at_the_same_instant() {
        // One reservation: the first ends at 60 s when the second launches.
        let lives = [life(0, Some(60)), life(60, None), life(60, Some(60))];
        assert_eq!(covered_from(&lives, 1), vec![s(0), s(60), None]);
    }

    #[test]
    fn savings_plan_hours_under_and_over_the_commitment() {
        // $0.30/h committed at 28 % off covers $0.30 / 0.72 = $0.416667 of
        // on-demand charges per hour. Hour 0 charges $0.20 (under: $0 beyond);
        // hour 1 charges $1.00 (over: $1.00 − $0.416667 = $0.583333 beyond).
        let plan = SavingsPlan { usd_per_hour: 0.30, discount: 0.28 };
        const H: u64 = 3_600_000_000;
        // Charges spread evenly over each hour.
        let rate = |t: u64| if t < H { 0.20 } else { 1.00 };
        let on_demand = |a: u64, b: u64| {
            let (a, b) = (a as f64 / H as f64, b as f64 / H as f64);
            let split = 1.0_f64.clamp(a, b);
            (split - a) * rate(0) + (b - split) * rate(H)
        };
        let whole = beyond_savings_plan(&plan, 0, 2 * H, on_demand);
        assert!((whole - (1.0 - 0.3 / 0.72)).abs() < 1e-12, "{whole}");
        // Bucket by bucket (7-minute buckets cross hour boundaries), the same total;
        // in hour 1 the first $0.416667 (25 minutes) is covered, the rest is not.
        let bucket = 7 * 60_000_000;
        let parts: f64 = (0..2 * H)
            .step_by(bucket as usize)
            .map(|t| beyond_savings_plan(&plan, t, (t + bucket).min(2 * H), on_demand))
            .sum();
        assert!((parts - whole).abs() < 1e-12, "{parts}");
        let first_20_min = beyond_savings_plan(&plan, H, H + H / 3, on_demand);
        assert_eq!(first_20_min, 0.0);
        // The hour's bill is C + max(0, U(1 − d) − C) / (1 − d): $0.30 + (0.72 − 0.30) / 0.72.
        assert!((0.30 + whole - (0.30 + (1.0 * 0.72 - 0.30) / 0.72)).abs() < 1e-12);
    }
}
