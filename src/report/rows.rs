//! The rows of `summary.csv`, `costs.csv` and `latency_cdf.csv`, one type
//! each for writing and reading back: field names are the columns, in order,
//! and each number is written with its column's decimals (see [`cell`]).

use serde::{Deserialize, Serialize, Serializer};

use super::format::{CO2E, COUNT, MS, RATIO, USD, USD_PER_HOUR, opt};

/// Writes a number (or an absent one, as an empty cell) with `DECIMALS` decimals.
fn cell<const DECIMALS: usize, T: Into<Option<f64>> + Copy, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&opt((*v).into(), DECIMALS))
}

/// One option's row of `summary.csv`: counts are means over replications,
/// `*_ci95` are 95 % half-widths, empty when replications = 1.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct SummaryRow {
    pub option: String,
    pub kind: String,
    pub region: String,
    #[serde(serialize_with = "cell::<COUNT, _, _>")]
    pub replications: f64,
    #[serde(serialize_with = "cell::<COUNT, _, _>")]
    pub offered: f64,
    #[serde(serialize_with = "cell::<COUNT, _, _>")]
    pub served: f64,
    #[serde(serialize_with = "cell::<COUNT, _, _>")]
    pub timed_out: f64,
    #[serde(serialize_with = "cell::<COUNT, _, _>")]
    pub rejected: f64,
    #[serde(serialize_with = "cell::<COUNT, _, _>")]
    pub failed: f64,
    #[serde(serialize_with = "cell::<COUNT, _, _>")]
    pub in_flight: f64,
    #[serde(serialize_with = "cell::<RATIO, _, _>")]
    pub success_ratio: Option<f64>,
    #[serde(serialize_with = "cell::<MS, _, _>")]
    pub mean_ms: Option<f64>,
    #[serde(serialize_with = "cell::<MS, _, _>")]
    pub p50_ms: Option<f64>,
    #[serde(serialize_with = "cell::<MS, _, _>")]
    pub p90_ms: Option<f64>,
    #[serde(serialize_with = "cell::<MS, _, _>")]
    pub p95_ms: Option<f64>,
    #[serde(serialize_with = "cell::<MS, _, _>")]
    pub p99_ms: Option<f64>,
    #[serde(serialize_with = "cell::<MS, _, _>")]
    pub p999_ms: Option<f64>,
    #[serde(serialize_with = "cell::<MS, _, _>")]
    pub max_ms: Option<f64>,
    #[serde(serialize_with = "cell::<USD, _, _>")]
    pub total_cost_usd: f64,
    #[serde(serialize_with = "cell::<USD, _, _>")]
    pub cost_per_million_usd: Option<f64>,
    /// Total cost × 730 h / horizon (absent in summaries written before it).
    #[serde(serialize_with = "cell::<USD, _, _>")]
    pub cost_per_month_usd: Option<f64>,
    #[serde(serialize_with = "cell::<USD_PER_HOUR, _, _>")]
    pub compute_usd_per_instance_hour: Option<f64>,
    #[serde(serialize_with = "cell::<COUNT, _, _>")]
    pub mean_instances: Option<f64>,
    #[serde(serialize_with = "cell::<COUNT, _, _>")]
    pub peak_instances: Option<f64>,
    #[serde(serialize_with = "cell::<RATIO, _, _>")]
    pub utilization: Option<f64>,
    pub meets_slo: Option<bool>,
    #[serde(serialize_with = "cell::<MS, _, _>")]
    pub mean_ms_ci95: Option<f64>,
    #[serde(serialize_with = "cell::<MS, _, _>")]
    pub p99_ms_ci95: Option<f64>,
    #[serde(serialize_with = "cell::<USD, _, _>")]
    pub total_cost_usd_ci95: Option<f64>,
    /// `total_cost_usd_ci95` × 730 h / horizon.
    #[serde(serialize_with = "cell::<USD, _, _>")]
    pub cost_per_month_usd_ci95: Option<f64>,
    /// Spot interruption notices after the warm-up (absent in outputs written before the column existed).
    #[serde(serialize_with = "cell::<COUNT, _, _>", default)]
    pub interruptions: f64,
    #[serde(serialize_with = "cell::<COUNT, _, _>", default)]
    pub interruptions_ci95: Option<f64>,
    /// Fraction of the served requests after the warm-up that waited for a
    /// cold start (serverless; 0 for other kinds; absent in older outputs).
    #[serde(serialize_with = "cell::<RATIO, _, _>", default)]
    pub cold_starts: f64,
    /// Whole horizon, operational and embodied; empty when the option's
    /// grid is unknown (and absent in older outputs).
    #[serde(serialize_with = "cell::<CO2E, _, _>", default)]
    pub co2e_kg: Option<f64>,
    /// Grams per million requests served, whole horizon.
    #[serde(serialize_with = "cell::<CO2E, _, _>", default)]
    pub co2e_g_per_million: Option<f64>,
    #[serde(serialize_with = "cell::<CO2E, _, _>", default)]
    pub co2e_kg_ci95: Option<f64>,
    /// The database's utilisation after the warm-up (its busier part:
    /// primary or replicas); empty without a database (absent in older outputs).
    #[serde(serialize_with = "cell::<RATIO, _, _>", default)]
    pub db_utilization: Option<f64>,
    /// Mean wait of a query for a connection and a database server.
    #[serde(serialize_with = "cell::<MS, _, _>", default)]
    pub db_wait_ms: Option<f64>,
    #[serde(serialize_with = "cell::<MS, _, _>", default)]
    pub db_wait_ms_ci95: Option<f64>,
}

/// One option's emissions in one scope (`emissions.csv`), on its grid.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct EmissionRow {
    pub option: String,
    pub region: String,
    #[serde(serialize_with = "cell::<CO2E, _, _>")]
    pub grid_gco2e_per_kwh: f64,
    pub grid_source: String,
    /// "operational" or "embodied".
    pub scope: String,
    #[serde(serialize_with = "cell::<CO2E, _, _>")]
    pub co2e_kg: f64,
}

/// One option's cost in one category (`costs.csv`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct CostRow {
    pub option: String,
    pub category: String,
    #[serde(serialize_with = "cell::<USD, _, _>")]
    pub usd: f64,
}

/// One quantile of an option's pooled response times (`latency_cdf.csv`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct CdfRow {
    pub option: String,
    #[serde(serialize_with = "cell::<RATIO, _, _>")]
    pub quantile: f64,
    #[serde(serialize_with = "cell::<MS, _, _>")]
    pub response_ms: f64,
}

/// One option's line of `ranking.csv`, in rank order (see [`super::ranking`]);
/// numbers as in `summary.csv`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct RankingRow {
    pub rank: usize,
    pub option: String,
    pub kind: String,
    #[serde(serialize_with = "cell::<USD, _, _>")]
    pub total_cost_usd: f64,
    #[serde(serialize_with = "cell::<USD, _, _>")]
    pub cost_per_month_usd: f64,
    #[serde(serialize_with = "cell::<MS, _, _>")]
    pub p50_ms: Option<f64>,
    #[serde(serialize_with = "cell::<MS, _, _>")]
    pub p99_ms: Option<f64>,
    #[serde(serialize_with = "cell::<RATIO, _, _>")]
    pub success_ratio: Option<f64>,
    pub meets_slo: Option<bool>,
    /// The objectives missed, "p99", "success" or "p99+success"; empty when met or without an SLO.
    pub slo_missed: String,
}
