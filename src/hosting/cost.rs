//! Cost categories and per-category amounts.

use std::ops::AddAssign;

/// Where money goes; the order is the column order of reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CostCategory {
    /// On-demand instance time (and rented servers, dynos).
    Compute,
    /// Reserved instances, paid every hour whether they run or not.
    Reserved,
    /// A savings plan's hourly commitment.
    SavingsPlan,
    Capex,
    Colo,
    Power,
    Labour,
    Storage,
    Egress,
    Setup,
    /// A load balancer in front of the instances (ALB hours and LCU-hours).
    LoadBalancer,
    /// Per-request charges (serverless).
    Requests,
    /// Warm serverless capacity while configured (Lambda provisioned concurrency, Cloud Run idle minimum instances).
    Provisioned,
    /// The database tier (`[[database]]`): its instances, standby, replicas and storage.
    Database,
}

impl CostCategory {
    pub const ALL: [CostCategory; 14] = [
        CostCategory::Compute,
        CostCategory::Reserved,
        CostCategory::SavingsPlan,
        CostCategory::Capex,
        CostCategory::Colo,
        CostCategory::Power,
        CostCategory::Labour,
        CostCategory::Storage,
        CostCategory::Egress,
        CostCategory::Setup,
        CostCategory::LoadBalancer,
        CostCategory::Requests,
        CostCategory::Provisioned,
        CostCategory::Database,
    ];

    /// The name used in `costs.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            CostCategory::Compute => "compute",
            CostCategory::Reserved => "reserved",
            CostCategory::SavingsPlan => "savings_plan",
            CostCategory::Capex => "capex",
            CostCategory::Colo => "colo",
            CostCategory::Power => "power",
            CostCategory::Labour => "labour",
            CostCategory::Storage => "storage",
            CostCategory::Egress => "egress",
            CostCategory::Setup => "setup",
            CostCategory::LoadBalancer => "load_balancer",
            CostCategory::Requests => "requests",
            CostCategory::Provisioned => "provisioned",
            CostCategory::Database => "database",
        }
    }
}

/// US dollars by category.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CostBreakdown {
    usd: [f64; CostCategory::ALL.len()],
}

impl CostBreakdown {
    pub fn add(&mut self, category: CostCategory, usd: f64) {
        self.usd[category as usize] += usd;
    }

    pub fn get(&self, category: CostCategory) -> f64 {
        self.usd[category as usize]
    }

    pub fn total_usd(&self) -> f64 {
        self.usd.iter().sum()
    }
}

impl AddAssign for CostBreakdown {
    fn add_assign(&mut self, o: CostBreakdown) {
        for (a, b) in self.usd.iter_mut().zip(o.usd) {
            *a += b;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breakdown_sums_categories() {
        let mut c = CostBreakdown::default();
        c.add(CostCategory::Capex, 2.5);
        c.add(CostCategory::Colo, 1.0);
        c.add(CostCategory::Capex, 0.5);
        assert_eq!(c.get(CostCategory::Capex), 3.0);
        assert_eq!(c.total_usd(), 4.0);
    }
}
