//! Reads an output directory's CSV files (and a few keys of
//! `resolved.toml`) back into plain structs, so charts can be drawn from
//! them without re-simulating (`hostsim chart DIR`).
//!
//! Missing numbers (empty cells, e.g. latency of a bucket that served
//! nothing) become `NaN` in time series and `None` in the summary; chart
//! code skips non-finite values.

use crate::scenario::file::{MAX_FILE_BYTES, read_capped_text};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::chart_series::{RawRow, SeriesBuilder};
use super::rows::{CdfRow, CostRow, EmissionRow, SummaryRow};

/// Why an output directory could not be read or its charts drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A CSV file is malformed (bad header, bad number, wrong field count).
    #[error("{}:{line}: {message}", path.display())]
    Csv {
        /// The CSV file.
        path: PathBuf,
        /// 1-based line of the offending row (0 when unknown).
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// `resolved.toml` is malformed or a key has the wrong type.
    #[error("{}:{line}: {message}", path.display())]
    Toml {
        /// The TOML file.
        path: PathBuf,
        /// 1-based line of the error (0 when unknown).
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// The embedded font could not be registered.
    #[error("embedded font: {0}")]
    Font(String),
    /// Plotting failed while drawing or encoding a chart.
    #[error("{}: {message}", path.display())]
    Draw {
        /// The PNG being drawn.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

/// The few scenario facts that charts show (from `resolved.toml`).
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioInfo {
    /// Scenario name, shown in every title.
    pub name: String,
    /// Simulated time in seconds.
    pub horizon_s: f64,
    /// Independent runs; confidence intervals exist when ≥ 2.
    pub replications: u32,
    /// `[slo] p99_ms`, when the scenario has one.
    pub slo_p99_ms: Option<f64>,
    /// `[traffic.trace] start` in seconds (its first row, t = 0), when given.
    pub trace_start_unix_s: Option<f64>,
    /// `[slo] success` (a fraction), when the scenario has one.
    pub slo_success: Option<f64>,
}

/// One option's `timeseries.csv` rows as columns, in ascending time, `NaN`
/// where the cell was empty: one entry per bucket, or for long series the
/// lowest and highest values of groups of buckets (see `chart_series`).
#[derive(Debug, Clone, Default, PartialEq)]
#[allow(missing_docs)]
pub struct TimeSeries {
    pub bucket_start_s: Vec<f64>,
    pub offered_rps: Vec<f64>,
    /// vCPUs in service (instances in outputs written before `capacity_vcpus`;
    /// see [`ChartData::capacity_in_vcpus`]).
    pub capacity: Vec<f64>,
    /// In service plus booting, where some were booting (next to it too);
    /// `NaN` elsewhere.
    pub launched: Vec<f64>,
    pub p50_ms: Vec<f64>,
    pub p95_ms: Vec<f64>,
    pub p99_ms: Vec<f64>,
    pub cumulative_cost_usd: Vec<f64>,
    /// Mean spot interruption notices in the bucket.
    pub interruptions: Vec<f64>,
    /// The database's utilisation (`NaN` without one).
    pub db_utilization: Vec<f64>,
    /// 95 % bands over the replications (`NaN` with one replication).
    pub capacity_band: Band,
    pub p50_band: Band,
    pub p95_band: Band,
    pub p99_band: Band,
    pub cost_band: Band,
}

/// The lower and upper ends of a band, one of each per time point.
#[derive(Debug, Clone, Default, PartialEq)]
#[allow(missing_docs)]
pub struct Band {
    pub lo: Vec<f64>,
    pub hi: Vec<f64>,
}

impl Band {
    /// True when some point has a band to draw.
    pub fn is_drawn(&self) -> bool {
        self.lo.iter().zip(&self.hi).any(|(lo, hi)| lo.is_finite() && hi.is_finite() && hi > lo)
    }
}

impl TimeSeries {
    /// Number of buckets.
    pub fn len(&self) -> usize {
        self.bucket_start_s.len()
    }

    /// True when there are no buckets.
    pub fn is_empty(&self) -> bool {
        self.bucket_start_s.is_empty()
    }
}

/// Everything known about one hosting option, from all the CSV files.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OptionData {
    /// Option name (also its legend label).
    pub name: String,
    /// Its `summary.csv` row, if present.
    pub summary: Option<SummaryRow>,
    /// Its `timeseries.csv` rows.
    pub series: TimeSeries,
    /// `(category, usd)` from `costs.csv`, in file order.
    pub costs: Vec<(String, f64)>,
    /// `(quantile, response_ms)` from `latency_cdf.csv`, in file order.
    pub cdf: Vec<(f64, f64)>,
    /// `(scope, co2e_kg)` from `emissions.csv`, in file order (empty when
    /// its grid is unknown, or in outputs written before the file existed).
    pub emissions: Vec<(String, f64)>,
}

/// The contents of an output directory, ready to plot. Options are in
/// scenario order (that of `summary.csv`); an option's index is its colour.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartData {
    /// Scenario facts from `resolved.toml`.
    pub scenario: ScenarioInfo,
    /// One entry per option, in scenario order.
    pub options: Vec<OptionData>,
    /// False for outputs written before `timeseries.csv` had `capacity_vcpus`:
    /// capacity is then in instances.
    pub capacity_in_vcpus: bool,
}

#[derive(Deserialize)]
struct TimeRow {
    option: String,
    bucket_start_s: f64,
    offered_rps: Option<f64>,
    instances: Option<f64>,
    /// Absent (`None`) in outputs written before the column existed, as
    /// are all the columns after it.
    pending: Option<f64>,
    p50_ms: Option<f64>,
    p95_ms: Option<f64>,
    p99_ms: Option<f64>,
    cumulative_cost_usd: Option<f64>,
    interruptions: Option<f64>,
    capacity_vcpus: Option<f64>,
    booting_vcpus: Option<f64>,
    capacity_vcpus_ci95: Option<f64>,
    p50_ms_ci95: Option<f64>,
    p95_ms_ci95: Option<f64>,
    p99_ms_ci95: Option<f64>,
    cumulative_cost_usd_ci95: Option<f64>,
    db_utilization: Option<f64>,
}

impl TimeRow {
    /// The row as the series builder takes it, capacity in vCPUs when the
    /// file has them, else in instances.
    fn raw(&self) -> RawRow {
        let nan = |v: Option<f64>| v.unwrap_or(f64::NAN);
        let capacity = nan(self.capacity_vcpus.or(self.instances));
        RawRow {
            start_s: self.bucket_start_s,
            offered_rps: nan(self.offered_rps),
            capacity,
            booting: nan(self.booting_vcpus.or(self.pending)),
            interruptions: nan(self.interruptions),
            db_utilization: nan(self.db_utilization),
            banded: [
                (capacity, nan(self.capacity_vcpus_ci95)),
                (nan(self.p50_ms), nan(self.p50_ms_ci95)),
                (nan(self.p95_ms), nan(self.p95_ms_ci95)),
                (nan(self.p99_ms), nan(self.p99_ms_ci95)),
                (nan(self.cumulative_cost_usd), nan(self.cumulative_cost_usd_ci95)),
            ],
        }
    }
}

impl ChartData {
    /// Reads `summary.csv`, `timeseries.csv`, `costs.csv`,
    /// `latency_cdf.csv`, `emissions.csv` (if there) and `resolved.toml` from `dir`.
    pub fn load(dir: &Path) -> Result<ChartData, ChartError> {
        let summary = read_summary(dir)?;
        // Streamed: a long run has millions of rows.
        let mut series: Vec<(String, SeriesBuilder)> = Vec::new();
        let mut capacity_in_vcpus = true;
        for_each_row(&dir.join("timeseries.csv"), |r: TimeRow| {
            let i = match series.iter().position(|(name, _)| *name == r.option) {
                Some(i) => i,
                None => {
                    series.push((r.option.clone(), SeriesBuilder::default()));
                    series.len() - 1
                }
            };
            capacity_in_vcpus &= r.capacity_vcpus.is_some();
            series[i].1.push(r.raw());
        })?;
        let costs: Vec<CostRow> = read_csv(&dir.join("costs.csv"))?;
        let cdf: Vec<CdfRow> = read_csv(&dir.join("latency_cdf.csv"))?;
        let emissions_csv = dir.join("emissions.csv");
        let emissions: Vec<EmissionRow> = if emissions_csv.exists() { read_csv(&emissions_csv)? } else { Vec::new() };
        let toml_path = dir.join("resolved.toml");
        let text = read_capped_text(&toml_path, MAX_FILE_BYTES, "a scenario file")
            .map_err(|source| ChartError::Io { path: toml_path.clone(), source })?;
        let mut scenario = parse_scenario(&text, &toml_path)?;
        if scenario.name.is_empty() {
            scenario.name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        }

        let mut data = ChartData { scenario, options: Vec::new(), capacity_in_vcpus };
        for row in summary {
            let name = row.option.clone();
            data.option_mut(&name).summary = Some(row);
        }
        for (name, builder) in series {
            data.option_mut(&name).series = builder.finish();
        }
        for r in costs {
            data.option_mut(&r.option).costs.push((r.category, r.usd));
        }
        for r in cdf {
            data.option_mut(&r.option).cdf.push((r.quantile, r.response_ms));
        }
        for r in emissions {
            data.option_mut(&r.option).emissions.push((r.scope, r.co2e_kg));
        }
        if data.scenario.horizon_s.is_nan() {
            data.scenario.horizon_s = data.last_bucket_end_s();
        }
        if data.scenario.replications == 0 {
            data.scenario.replications = data
                .options
                .iter()
                .filter_map(|o| o.summary.as_ref())
                .map(|s| s.replications.max(0.0) as u32)
                .max()
                .unwrap_or(1);
        }
        Ok(data)
    }

    /// The option named `name`, appended (in first-seen order) if new.
    fn option_mut(&mut self, name: &str) -> &mut OptionData {
        let i = match self.options.iter().position(|o| o.name == name) {
            Some(i) => i,
            None => {
                self.options.push(OptionData { name: name.to_string(), ..OptionData::default() });
                self.options.len() - 1
            }
        };
        &mut self.options[i]
    }

    /// End of the last bucket over all options (a stand-in horizon).
    fn last_bucket_end_s(&self) -> f64 {
        let mut end = 0.0_f64;
        for o in &self.options {
            let t = &o.series.bucket_start_s;
            if let Some(&last) = t.last() {
                let width = if t.len() >= 2 { last - t[t.len() - 2] } else { 0.0 };
                end = end.max(last + width);
            }
        }
        end
    }
}

/// The rows of `dir/summary.csv`.
pub fn read_summary(dir: &Path) -> Result<Vec<SummaryRow>, ChartError> {
    read_csv(&dir.join("summary.csv"))
}

/// Deserializes every row of a CSV file by header name.
pub(crate) fn read_csv<T: DeserializeOwned>(path: &Path) -> Result<Vec<T>, ChartError> {
    let mut rows = Vec::new();
    for_each_row(path, |row| rows.push(row))?;
    Ok(rows)
}

/// Deserializes the rows of a CSV file by header name, one at a time.
fn for_each_row<T: DeserializeOwned>(path: &Path, mut f: impl FnMut(T)) -> Result<(), ChartError> {
    let file = std::fs::File::open(path).map_err(|source| ChartError::Io { path: path.to_path_buf(), source })?;
    let mut reader = csv::Reader::from_reader(std::io::BufReader::new(file));
    for record in reader.deserialize() {
        f(record.map_err(|e| csv_error(path, e))?);
    }
    Ok(())
}

fn csv_error(path: &Path, e: csv::Error) -> ChartError {
    let line = e.position().map_or(0, |p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::Deserialize { err, .. } => match err.field() {
            Some(i) => format!("field {}: {}", i + 1, err.kind()),
            None => err.kind().to_string(),
        },
        csv::ErrorKind::Io(io) => io.to_string(),
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("{len} fields, but the header has {expected_len}")
        }
        _ => e.to_string(),
    };
    ChartError::Csv { path: path.to_path_buf(), line, message }
}

/// Reads `name`, `horizon`, `replications` and `[slo]`'s `p99_ms` and `success`; the others
/// are ignored. A missing horizon is `NaN` and missing replications 0, to
/// be filled in from the CSVs.
fn parse_scenario(text: &str, path: &Path) -> Result<ScenarioInfo, ChartError> {
    let err = |line: u64, message: String| ChartError::Toml { path: path.to_path_buf(), line, message };
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let line = e.span().map_or(0, |s| text[..s.start.min(text.len())].lines().count() as u64).max(1);
        err(line, e.message().to_string())
    })?;
    let line_of = |key: &str| text.lines().position(|l| l.trim_start().starts_with(key)).map_or(0, |i| i as u64 + 1);
    let name = match table.get("name") {
        None => String::new(),
        Some(toml::Value::String(s)) => s.clone(),
        Some(_) => return Err(err(line_of("name"), "`name` must be a string".into())),
    };
    let horizon_s = match table.get("horizon") {
        None => f64::NAN,
        Some(toml::Value::String(s)) => parse_duration_s(s)
            .ok_or_else(|| err(line_of("horizon"), format!("expected a duration like \"14d\", found {s:?}")))?,
        Some(toml::Value::Integer(i)) => *i as f64,
        Some(toml::Value::Float(f)) => *f,
        Some(_) => return Err(err(line_of("horizon"), "`horizon` must be a duration".into())),
    };
    let replications = match table.get("replications") {
        None => 0,
        Some(toml::Value::Integer(i)) => u32::try_from(*i).unwrap_or(0),
        Some(_) => {
            return Err(err(line_of("replications"), "`replications` must be an integer".into()));
        }
    };
    let slo_number = |key: &str| match table.get("slo").and_then(|s| s.get(key)) {
        None => Ok(None),
        Some(toml::Value::Integer(i)) => Ok(Some(*i as f64)),
        Some(toml::Value::Float(f)) => Ok(Some(*f)),
        Some(_) => Err(err(line_of(key), format!("`{key}` must be a number"))),
    };
    let slo_p99_ms = slo_number("p99_ms")?;
    let slo_success = slo_number("success")?;
    let trace = table.get("traffic").and_then(|t| t.get("trace"));
    let unit = trace.and_then(|t| t.get("time_unit")).and_then(toml::Value::as_str);
    let per_second =
        crate::time::TimeUnit::ALL.iter().find(|u| Some(u.as_str()) == unit).map_or(1.0, |u| u.per_second());
    let trace_start_unix_s = match trace.and_then(|t| t.get("start")) {
        None => None,
        Some(toml::Value::Integer(i)) => Some(*i as f64 / per_second),
        Some(toml::Value::Float(f)) => Some(*f / per_second),
        Some(_) => return Err(err(line_of("start"), "`start` must be a number".into())),
    };
    Ok(ScenarioInfo { name, horizon_s, replications, slo_p99_ms, slo_success, trace_start_unix_s })
}

/// Parses durations such as `"90s"`, `"1h30m"`, `"3d 10h"`, `"250ms"`,
/// `"1w"`, `"1y"` (365 d) into seconds; `None` if malformed.
pub fn parse_duration_s(text: &str) -> Option<f64> {
    let mut rest = text.trim();
    if rest.is_empty() {
        return None;
    }
    let mut total = 0.0;
    while !rest.is_empty() {
        let num_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let number: f64 = rest[..num_len].parse().ok()?;
        rest = &rest[num_len..];
        let unit_len = rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(rest.len());
        let unit = match &rest[..unit_len] {
            "us" | "µs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" | "min" => 60.0,
            "h" => 3600.0,
            "d" => 86_400.0,
            "w" => 7.0 * 86_400.0,
            "y" => crate::time::SimTime::YEAR.as_secs_f64(),
            _ => return None,
        };
        total += number * unit;
        rest = rest[unit_len..].trim_start();
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration_s("90s"), Some(90.0));
        assert_eq!(parse_duration_s("1h30m"), Some(5400.0));
        assert_eq!(parse_duration_s("3d 10h"), Some(3.0 * 86_400.0 + 36_000.0));
        assert_eq!(parse_duration_s("250ms"), Some(0.25));
        assert_eq!(parse_duration_s("14d"), Some(1_209_600.0));
        assert_eq!(parse_duration_s(""), None);
        assert_eq!(parse_duration_s("5 parsecs"), None);
        assert_eq!(parse_duration_s("h"), None);
    }

    #[test]
    fn scenario_keys() {
        let text = "name = \"x\"\nhorizon = \"2h\"\nreplications = 3\n[slo]\np99_ms = 500\nsuccess = 0.999\n";
        let s = parse_scenario(text, Path::new("r.toml")).unwrap();
        assert_eq!(s.name, "x");
        assert_eq!(s.horizon_s, 7200.0);
        assert_eq!(s.replications, 3);
        assert_eq!(s.slo_p99_ms, Some(500.0));
        assert_eq!(s.slo_success, Some(0.999));
        assert_eq!(s.trace_start_unix_s, None);
        // resolved.toml writes start in the time column's unit.
        let traced = "[traffic.trace]\ntime_unit = \"ms\"\nstart = 897436800000\n";
        assert_eq!(parse_scenario(traced, Path::new("r.toml")).unwrap().trace_start_unix_s, Some(897_436_800.0));
        let bad = parse_scenario("name = \"x\"\nhorizon = \"soon\"\n", Path::new("r.toml"));
        assert!(matches!(bad, Err(ChartError::Toml { line: 2, .. })), "{bad:?}");
    }
}
