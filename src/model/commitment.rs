//! Commitments that lower an iaas fleet's bill: reserved instances and a
//! savings plan (billed by `hosting::commitment`).

use crate::catalog::reserved::{Payment, Term};

/// `purchase = { reserved = 4, term = "1y", payment = "all_upfront" }`:
/// `reserved` instances paid for every hour whether they run or not, each
/// covering one running instance of the fleet at a time.
#[derive(Clone, Debug, PartialEq)]
pub struct Reservation {
    /// Reserved instances, >= 1.
    pub reserved: u32,
    pub term: Term,
    pub payment: Payment,
    /// Effective price of one reserved instance per hour (an upfront fee
    /// spread over every hour of the term), from the catalog or by hand.
    pub usd_per_hour: f64,
}

/// `savings_plan = { usd_per_hour = 0.30, discount = 0.28 }`: a commitment
/// billed every clock hour that pays for on-demand usage at the discounted
/// rate up to the commitment; usage beyond it is billed on demand.
#[derive(Clone, Debug, PartialEq)]
pub struct SavingsPlan {
    /// The hourly commitment, > 0.
    pub usd_per_hour: f64,
    /// The plan's rate is the on-demand rate × (1 − discount); in (0, 1).
    pub discount: f64,
}
