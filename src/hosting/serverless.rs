//! Serverless: billed per request and per busy period of each instance
//! (rounded up to the provider's granularity), warm instances billed while
//! configured, and the monthly free tier deducted first. Emissions: each
//! instance alive holds its vCPUs of CCF's average AWS vCPU and its memory
//! at CCF's watt-hours per GB-hour, in its provider's PUE.

use super::cost::{CostBreakdown, CostCategory};
use super::emissions::Emissions;
use super::{Hosting, Life, Usage};
use crate::catalog::carbon::{AWS_PUE, GCP_PUE, MEMORY_WH_PER_GB_HOUR};
use crate::catalog::instance_power::average_vcpu;
use crate::model::{Provider, Serverless, ServerlessRates};
use crate::time::SimTime;

/// What a serverless option used in one bucket, as billed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BilledUse {
    /// Requests that reached an instance (throttled ones are not billed).
    pub requests: u64,
    /// Busy periods of on-demand instances, each rounded up (instance-µs).
    pub busy_us: u64,
    /// Busy periods of warm (provisioned, minimum) instances, each rounded up (instance-µs).
    pub warm_busy_us: u64,
}

/// The capacity and cost model of a `serverless` option.
pub struct ServerlessModel {
    pub spec: Serverless,
    pub grid_gco2e_per_kwh: Option<f64>,
}

impl Hosting for ServerlessModel {
    fn fixed_instances(&self) -> u32 {
        0
    }

    fn vcpus_per_instance(&self) -> u32 {
        self.spec.vcpus.ceil() as u32
    }

    fn serverless(&self) -> Option<&Serverless> {
        Some(&self.spec)
    }

    /// The warm instances, billed while configured (Lambda provisioned
    /// concurrency per GB-s; Cloud Run idle minimum instances).
    fn accrue(&self, _start: SimTime, len: SimTime, _usage: &Usage, _lives: &[Life]) -> CostBreakdown {
        let mut cost = CostBreakdown::default();
        let warm_s = f64::from(self.spec.warm) * len.as_secs_f64();
        cost.add(CostCategory::Provisioned, warm_s * self.spec.rates.warm_usd_per_s);
        cost
    }

    /// The instances alive (`usage.instances`, time-weighted): their vCPUs at
    /// the bucket's utilisation and their memory.
    fn emissions(&self, _start: SimTime, len: SimTime, usage: &Usage, _lives: &[Life]) -> Option<Emissions> {
        let grid = self.grid_gco2e_per_kwh?;
        let pue = match self.spec.provider {
            Provider::Lambda => AWS_PUE,
            Provider::CloudRun => GCP_PUE,
        };
        let instance_hours = usage.instances * len.as_hours_f64();
        let vcpu_hours = instance_hours * self.spec.vcpus;
        let memory_gb_hours = instance_hours * f64::from(self.spec.memory_mb) / 1_024.0;
        let watt_hours = vcpu_hours * average_vcpu().at(usage.utilization) + memory_gb_hours * MEMORY_WH_PER_GB_HOUR;
        Some(Emissions::new(watt_hours, pue, grid, vcpu_hours))
    }
}

/// Prices the buckets' use in time order, deducting each 730-hour month's
/// free tier from the first use of that month.
pub struct UseBill<'a> {
    rates: &'a ServerlessRates,
    month: u64,
    requests_used: f64,
    /// Instance-seconds used this month, per busy rate.
    busy_used_s: Vec<f64>,
}

impl<'a> UseBill<'a> {
    pub fn new(rates: &'a ServerlessRates) -> UseBill<'a> {
        UseBill { rates, month: 0, requests_used: 0.0, busy_used_s: vec![0.0; rates.busy.len()] }
    }

    /// The cost of `used` in the bucket starting at `start` (buckets come in order).
    pub fn bucket(&mut self, start: SimTime, used: &BilledUse) -> CostBreakdown {
        let month = start.0 / SimTime::MONTH.0;
        if month != self.month {
            self.month = month;
            self.requests_used = 0.0;
            self.busy_used_s.iter_mut().for_each(|u| *u = 0.0);
        }
        let r = self.rates;
        let mut cost = CostBreakdown::default();
        let requests = used.requests as f64;
        let billable = beyond_free(requests, self.requests_used, r.free_requests_per_month);
        self.requests_used += requests;
        cost.add(CostCategory::Requests, billable * r.usd_per_request);
        let busy_s = used.busy_us as f64 / 1e6;
        for (rate, used_s) in r.busy.iter().zip(&mut self.busy_used_s) {
            let billable = beyond_free(busy_s, *used_s, rate.free_instance_s_per_month);
            *used_s += busy_s;
            cost.add(CostCategory::Compute, billable * rate.usd_per_instance_s);
        }
        cost.add(CostCategory::Compute, used.warm_busy_us as f64 / 1e6 * r.warm_busy_usd_per_s);
        cost
    }
}

/// The part of `x` beyond what is left of a free allowance `free` of which `used` is gone.
fn beyond_free(x: f64, used: f64, free: f64) -> f64 {
    (x - (free - used).max(0.0)).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::BusyRate;

    fn lambda_1gb(free: bool) -> ServerlessRates {
        ServerlessRates {
            usd_per_request: 0.0000002,
            busy: vec![BusyRate {
                usd_per_instance_s: 0.0000166667,
                free_instance_s_per_month: if free { 400_000.0 } else { 0.0 },
            }],
            warm_usd_per_s: 0.0000041667,
            warm_busy_usd_per_s: 0.0000097222,
            free_requests_per_month: if free { 1_000_000.0 } else { 0.0 },
            granularity: SimTime(1_000),
        }
    }

    #[test]
    fn the_free_tier_is_deducted_once_a_month() {
        let rates = lambda_1gb(true);
        let mut bill = UseBill::new(&rates);
        // 600 k requests of 0.5 s at 1 GB (300 k GB-s) in each of two buckets of month 0: the
        // first is free; the second pays for 1.2 M − 1 M = 200 k requests and 600 k − 400 k =
        // 200 k GB-s: 200,000 × $0.0000002 = $0.04 and 200,000 × $0.0000166667 = $3.33334.
        let used = BilledUse { requests: 600_000, busy_us: 600_000 * 500_000, warm_busy_us: 0 };
        assert_eq!(bill.bucket(SimTime::ZERO, &used).total_usd(), 0.0);
        let second = bill.bucket(SimTime::HOUR, &used);
        assert!((second.get(CostCategory::Requests) - 0.04).abs() < 1e-12);
        assert!((second.get(CostCategory::Compute) - 3.33334).abs() < 1e-9);
        // The next month starts free again.
        assert_eq!(bill.bucket(SimTime::MONTH, &used).total_usd(), 0.0);
    }

    #[test]
    fn without_the_free_tier_every_request_pays() {
        let rates = lambda_1gb(false);
        // 10 requests of 120 ms and 2 busy seconds on provisioned instances:
        // 10 × $0.0000002 + 1.2 s × $0.0000166667 + 2 s × $0.0000097222.
        let used = BilledUse { requests: 10, busy_us: 1_200_000, warm_busy_us: 2_000_000 };
        let c = UseBill::new(&rates).bucket(SimTime::ZERO, &used);
        let expected = 10.0 * 0.0000002 + 1.2 * 0.0000166667 + 2.0 * 0.0000097222;
        assert!((c.total_usd() - expected).abs() < 1e-15);
    }
}
