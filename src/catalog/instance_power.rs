//! An EC2 instance's power draw by load: the Teads model's estimates at
//! idle, 10 %, 50 % and 100 % for 621 types, interpolated linearly between
//! them. A type the table lacks gets its family's average watts per vCPU
//! (`m5` for `m5.48xlarge`: the mean over its EC2 types), else CCF's average AWS vCPU (0.74 W idle,
//! 3.5 W at full load) per vCPU, as Cloud Carbon Footprint does.

use std::sync::OnceLock;

use super::Provenance;
use super::carbon::{VCPU_IDLE_W, VCPU_MAX_W};
use super::embedded::{gunzip, rows};

/// `instance_type,instance_vcpu,watts_idle,watts_10pct,watts_50pct,watts_100pct`.
const CSV_GZ: &[u8] = include_bytes!("../../data/aws_instance_power_teads_2022-03-01.csv.gz");

/// Where the watts come from.
pub const PROVENANCE: Provenance = Provenance::builtin(
    "Teads AWS EC2 carbon emissions dataset (model estimates), as cloud-carbon-footprint/cloud-carbon-coefficients \
     data/aws-instances.csv (commit 2ecb2f61)",
    "2022-03-01",
);

/// The loads the table gives watts at.
const LOADS: [f64; 4] = [0.0, 0.1, 0.5, 1.0];

/// An instance's watts at each of [`LOADS`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PowerCurve {
    pub watts: [f64; 4],
}

impl PowerCurve {
    /// Watts at `utilization` (0 to 1), linear between the table's loads.
    pub fn at(&self, utilization: f64) -> f64 {
        let u = utilization.clamp(0.0, 1.0);
        let i = LOADS.windows(2).position(|w| u <= w[1]).unwrap_or(LOADS.len() - 2);
        let (a, b) = (LOADS[i], LOADS[i + 1]);
        self.watts[i] + (self.watts[i + 1] - self.watts[i]) * (u - a) / (b - a)
    }

    fn scaled(&self, factor: f64) -> PowerCurve {
        PowerCurve { watts: self.watts.map(|w| w * factor) }
    }
}

/// How a type's curve was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PowerSource {
    /// The type's own row.
    Table,
    /// Its family's mean watts per vCPU.
    Family,
    /// CCF's average AWS vCPU.
    AverageVcpu,
}

impl PowerSource {
    pub fn as_str(self) -> &'static str {
        match self {
            PowerSource::Table => "teads",
            PowerSource::Family => "teads family average",
            PowerSource::AverageVcpu => "ccf average vcpu",
        }
    }
}

struct Row {
    name: &'static str,
    vcpus: f64,
    curve: PowerCurve,
}

/// Every row (read once; a test checks every row parses).
fn table() -> &'static [Row] {
    static TEXT: OnceLock<String> = OnceLock::new();
    static ROWS: OnceLock<Vec<Row>> = OnceLock::new();
    ROWS.get_or_init(|| {
        rows(TEXT.get_or_init(|| gunzip(CSV_GZ)))
            .filter_map(|r| {
                let n = |i: usize| r.get(i)?.parse::<f64>().ok();
                Some(Row {
                    name: r.first()?,
                    vcpus: n(1).filter(|v| *v > 0.0)?,
                    curve: PowerCurve { watts: [n(2)?, n(3)?, n(4)?, n(5)?] },
                })
            })
            .collect()
    })
}

/// Every type in the table: its name, vCPUs and curve (for `hostsim catalog`).
pub fn all() -> impl Iterator<Item = (&'static str, f64, PowerCurve)> {
    table().iter().map(|r| (r.name, r.vcpus, r.curve))
}

/// The watts of one vCPU of CCF's average AWS processor: linear from idle to full.
pub fn average_vcpu() -> PowerCurve {
    PowerCurve { watts: LOADS.map(|u| VCPU_IDLE_W + (VCPU_MAX_W - VCPU_IDLE_W) * u) }
}

/// The curve of an instance of type `instance` (if known) with `vcpus` vCPUs.
pub fn curve(instance: Option<&str>, vcpus: u32) -> (PowerCurve, PowerSource) {
    let v = f64::from(vcpus);
    let Some(name) = instance.map(str::to_ascii_lowercase) else {
        return (average_vcpu().scaled(v), PowerSource::AverageVcpu);
    };
    if let Some(row) = table().iter().find(|r| r.name == name) {
        return (row.curve, PowerSource::Table);
    }
    // EC2 types only (`m5.large`), not the RDS, ElastiCache or OpenSearch
    // rows (`db.m5.large`, `m5.large.elasticsearch`), which draw less.
    let family = name.split('.').next().unwrap_or_default();
    let ec2_family = |r: &&Row| r.name.matches('.').count() == 1 && r.name.split('.').next() == Some(family);
    let members: Vec<&Row> = table().iter().filter(ec2_family).collect();
    if members.is_empty() {
        return (average_vcpu().scaled(v), PowerSource::AverageVcpu);
    }
    let mut per_vcpu = [0.0; 4];
    for r in &members {
        for (sum, w) in per_vcpu.iter_mut().zip(r.curve.watts) {
            *sum += w / r.vcpus / members.len() as f64;
        }
    }
    (PowerCurve { watts: per_vcpu }.scaled(v), PowerSource::Family)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_parses() {
        assert_eq!(table().len(), 621);
        assert_eq!(table().len(), gunzip(CSV_GZ).lines().count() - 1);
    }

    #[test]
    fn m5_large_interpolated_between_the_teads_points() {
        // m5.large: 4.4 W idle, 7.0 at 10 %, 14.1 at 50 %, 20.0 at 100 %.
        let (c, source) = curve(Some("m5.large"), 2);
        assert_eq!(source, PowerSource::Table);
        assert_eq!((c.at(0.0), c.at(0.1), c.at(0.5), c.at(1.0)), (4.4, 7.0, 14.1, 20.0));
        // 60 %: 14.1 + (20.0 − 14.1) × 0.1 / 0.5 = 15.28 W; 5 %: halfway from 4.4 to 7.0 = 5.7 W.
        assert!((c.at(0.6) - 15.28).abs() < 1e-9);
        assert!((c.at(0.05) - 5.7).abs() < 1e-9);
        assert_eq!(c.at(1.5), 20.0);
    }

    #[test]
    fn unknown_types_by_family_then_the_average_vcpu() {
        // m5 types all draw the same per vCPU in the table (m5.large 20.0 W / 2 at 100 %).
        let (c, source) = curve(Some("m5.48xlarge"), 192);
        assert_eq!(source, PowerSource::Family);
        assert!((c.at(1.0) / 192.0 - curve(Some("m5.metal"), 96).0.at(1.0) / 96.0).abs() < 0.01, "{c:?}");
        // No family: 4 vCPUs × (0.74 + 2.76 × 0.5) W = 8.48 W at 50 %.
        let (c, source) = curve(Some("zz9.large"), 4);
        assert_eq!(source, PowerSource::AverageVcpu);
        assert!((c.at(0.5) - 8.48).abs() < 1e-9);
        assert_eq!(curve(None, 1).1, PowerSource::AverageVcpu);
    }
}
