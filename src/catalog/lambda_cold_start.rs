//! Measured AWS Lambda cold starts (Init Duration) of hello-world functions
//! per runtime, architecture, memory and package type: a floor for real
//! functions, whose code and dependencies take longer to load.

use std::sync::OnceLock;

use super::Provenance;
use super::embedded::{gunzip, rows};
use crate::model::Dist;

/// `runtime,arch,memory_mb,package,n_cold_starts,init_ms_median,init_ms_p90,init_ms_p99,init_ms_max,window,days`.
const GZ: &[u8] = include_bytes!("../../data/aws_lambda_cold_start_2026-08-22.csv.gz");

pub const PROVENANCE: Provenance = Provenance::builtin(
    "maxday/lambda-perf data/2026-07-24.json … data/2026-08-22.json (HEAD 6070b794): \
     Init Duration of 10 forced cold starts per function per day, pooled",
    "2026-07-24..2026-08-22",
);

/// The z-score of the 99th percentile of a standard normal.
const Z_P99: f64 = 2.326_347_874;

/// One measured function.
#[derive(Clone, Debug, PartialEq)]
pub struct ColdStart {
    pub runtime: &'static str,
    /// `x86_64` or `arm64`.
    pub arch: &'static str,
    pub memory_mb: u32,
    /// `zip` or `image`.
    pub package: &'static str,
    pub n: u32,
    pub median_ms: f64,
    pub p99_ms: f64,
}

impl ColdStart {
    /// The lognormal with this median and 99th percentile: σ = ln(p99 / median) / z₀.₉₉,
    /// mean = median · e^(σ²/2), cv = √(e^(σ²) − 1). The mean is rounded to
    /// the microsecond, as `resolved.toml` writes durations.
    pub fn lognormal(&self) -> Dist {
        let sigma = (self.p99_ms / self.median_ms).ln().max(0.0) / Z_P99;
        let mean_us = (self.median_ms * 1_000.0 * (sigma * sigma / 2.0).exp()).round();
        Dist::Lognormal { mean_s: mean_us / 1e6, cv: ((sigma * sigma).exp() - 1.0).sqrt() }
    }
}

/// Every row, in the file's order (read once).
pub fn all() -> &'static [ColdStart] {
    static TEXT: OnceLock<String> = OnceLock::new();
    static ALL: OnceLock<Vec<ColdStart>> = OnceLock::new();
    ALL.get_or_init(|| {
        rows(TEXT.get_or_init(|| gunzip(GZ)))
            .filter_map(|f| {
                Some(ColdStart {
                    runtime: f.first()?,
                    arch: f.get(1)?,
                    memory_mb: f.get(2)?.parse().ok()?,
                    package: f.get(3)?,
                    n: f.get(4)?.parse().ok()?,
                    median_ms: f.get(5)?.parse().ok()?,
                    p99_ms: f.get(7)?.parse().ok()?,
                })
            })
            .collect()
    })
}

/// The measured runtimes, in order, each once.
pub fn runtimes() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for c in all() {
        if !out.contains(&c.runtime) {
            out.push(c.runtime);
        }
    }
    out
}

/// The row of `runtime` (case-insensitive) on `arch` and `package` measured at
/// the memory nearest `memory_mb` (the table has 128 to 1,024 MB).
pub fn find(runtime: &str, arch: &str, package: &str, memory_mb: u32) -> Option<&'static ColdStart> {
    all()
        .iter()
        .filter(|c| c.runtime.eq_ignore_ascii_case(runtime) && c.arch == arch && c.package == package)
        .min_by_key(|c| c.memory_mb.abs_diff(memory_mb))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_parses_and_fits_a_lognormal() {
        assert_eq!(all().len(), 620);
        assert_eq!(runtimes().len(), 40);
        // python3.13, x86_64, 1,024 MB, zip: the nearest measured memory to 1,769 MB is 1,024.
        let c = find("Python3.13", "x86_64", "zip", 1_769).unwrap();
        assert_eq!((c.memory_mb, c.package), (1_024, "zip"));
        // A lognormal with median m and p99 q: σ = ln(q/m)/2.3263; its median e^μ = mean / e^(σ²/2) = m.
        let Dist::Lognormal { mean_s, cv } = c.lognormal() else { panic!() };
        // (To within the mean's rounding to 1 µs.)
        let sigma2 = (1.0 + cv * cv).ln();
        assert!((mean_s / (sigma2 / 2.0).exp() - c.median_ms / 1e3).abs() < 1e-6);
        let p99_s = mean_s / (sigma2 / 2.0).exp() * (Z_P99 * sigma2.sqrt()).exp();
        assert!((p99_s - c.p99_ms / 1e3).abs() < 2e-6, "{p99_s} {c:?}");
        assert!(find("cobol", "x86_64", "zip", 128).is_none());
    }
}
