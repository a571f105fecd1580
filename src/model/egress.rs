//! How an option's responses are billed as outbound traffic. A GB here is
//! 2^30 bytes, as AWS bills data transfer; response sizes are in kB of
//! 1,000 bytes.

/// The egress rule of an option.
#[derive(Clone, Debug, PartialEq)]
pub enum Egress {
    /// A flat price per GB (`egress_usd_per_gb`; 0: free).
    Flat { usd_per_gb: f64 },
    /// Priced per GB by cumulative volume in each 730-hour month, after a
    /// free allowance (AWS internet tiers; a VPS plan's pooled allowance).
    Tiered(Tiered),
    /// The colocation norm: each month's `percentile` of 5-minute mean Mbps,
    /// at a price per Mbps per month (`bandwidth = { … }`).
    Percentile(Bandwidth),
}

/// Volume pricing, month by month (730 h from t = 0).
#[derive(Clone, Debug, PartialEq)]
pub struct Tiered {
    /// What the rule is, for `resolved.toml` and messages, e.g.
    /// "AWS us-east-1 internet egress tiers".
    pub what: String,
    pub free: Allowance,
    /// (upper bound in GB of the month's cumulative volume, USD per GB),
    /// bounds increasing, the last one infinite. The free GB count toward
    /// the first tiers' volume.
    pub tiers: Vec<(f64, f64)>,
}

/// GB free each month.
#[derive(Clone, Debug, PartialEq)]
pub enum Allowance {
    /// The same in every month, however short (AWS's 100 GB).
    PerMonth { gb: f64 },
    /// `gb` for a whole month, accruing with the hours of the month up to
    /// `full_after_hours` (a VPS plan's allowance, pooled over its instances):
    /// a month cut short by the horizon gets its share.
    Accrued { gb: f64, full_after_hours: f64 },
}

/// `bandwidth = { usd_per_mbps_month = 0.5, percentile = 95 }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Bandwidth {
    pub usd_per_mbps_month: f64,
    /// In (0, 100]: the sample at this percentile is billed (95: the top 5 % are free).
    pub percentile: f64,
}
