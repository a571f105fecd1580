//! Cost categories and per-category amounts.

use std::ops::AddAssign;

/// Where money goes; the order is the column order of reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CostCategory {
    Compute,
    Capex,
    Colo,
    Power,
    Labour,
    Storage,
    Egress,
    Setup,
    /// A load balancer in front of the instances (ALB hours and LCU-hours).
    LoadBalancer,
}

impl CostCategory {
    pub const ALL: [CostCategory; 9] = [
        CostCategory::Compute,
        CostCategory::Capex,
        CostCategory::Colo,
        CostCategory::Power,
        CostCategory::Labour,
        CostCategory::Storage,
        CostCategory::Egress,
        CostCategory::Setup,
        CostCategory::LoadBalancer,
    ];

    /// The name used in `costs.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            CostCategory::Compute => "compute",
            CostCategory::Capex => "capex",
            CostCategory::Colo => "colo",
            CostCategory::Power => "power",
            CostCategory::Labour => "labour",
            CostCategory::Storage => "storage",
            CostCategory::Egress => "egress",
            CostCategory::Setup => "setup",
            CostCategory::LoadBalancer => "load_balancer",
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

/// Egress cost of `served` responses of `response_kb` (kB = 10³ bytes, GB = 10⁹ bytes).
pub fn egress_usd(served: u64, response_kb: f64, usd_per_gb: f64) -> f64 {
    served as f64 * response_kb / 1e6 * usd_per_gb
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn egress_worked_example() {
        // 10 M responses × 60 kB = 600 GB; × $0.09/GB = $54.
        assert!((egress_usd(10_000_000, 60.0, 0.09) - 54.0).abs() < 1e-9);
    }

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
