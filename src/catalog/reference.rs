//! Reference figures for owned hardware: server power draw, electricity
//! and colocation prices, each with its source and date (what
//! `power = { … }` and `colo_usd_per_month` can be set from).

use super::Provenance;

/// What a reference figure is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Topic {
    /// Power draw and electricity.
    Power,
    /// Colocation space and power.
    Colo,
}

/// One figure.
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    pub topic: Topic,
    pub id: &'static str,
    pub value: f64,
    pub unit: &'static str,
    pub what: &'static str,
    pub provenance: Provenance,
}

const SPECPOWER: Provenance = Provenance::builtin(
    "SPECpower_ssj2008 results (2-socket, 1-node servers submitted 2018-2020, n = 67), median; from \
     cloud-carbon-footprint/cloud-carbon-coefficients data/SPECpower-full-results.csv (commit 2ecb2f61)",
    "2018-2020",
);
const EIA: Provenance = Provenance::builtin(
    "U.S. EIA Electric Power Annual, average revenue per kWh (eia.gov/electricity/annual), released 2024-10-17",
    "2023",
);
const CCF: Provenance = Provenance::builtin(
    "Cloud Carbon Footprint methodology (cloud-carbon-footprint microsite/docs/HowItWorks/Methodology.md, commit 00504264)",
    "2023-09-12",
);
const ENCOR: Provenance = Provenance::builtin(
    "encoradvisors.com/data-center-colocation-pricing (250-500 kW deployments, primary North American markets; \
     cites industry reports; secondary source)",
    "2025 H2",
);

/// Every built-in figure.
pub const REFERENCES: &[Reference] = &[
    Reference {
        topic: Topic::Power,
        id: "server-idle-w",
        value: 59.0,
        unit: "W",
        what: "2-socket server at active idle (power.idle_w)",
        provenance: SPECPOWER,
    },
    Reference {
        topic: Topic::Power,
        id: "server-max-w",
        value: 404.0,
        unit: "W",
        what: "2-socket server at 100 % load (power.max_w)",
        provenance: SPECPOWER,
    },
    Reference {
        topic: Topic::Power,
        id: "electricity-virginia-commercial",
        value: 0.0895,
        unit: "USD/kWh",
        what: "Virginia commercial electricity (power.usd_per_kwh)",
        provenance: EIA,
    },
    Reference {
        topic: Topic::Power,
        id: "electricity-virginia-industrial",
        value: 0.0892,
        unit: "USD/kWh",
        what: "Virginia industrial electricity (power.usd_per_kwh)",
        provenance: EIA,
    },
    Reference {
        topic: Topic::Power,
        id: "pue-aws",
        value: 1.135,
        unit: "ratio",
        what: "AWS data-centre power usage effectiveness (power.pue)",
        provenance: CCF,
    },
    Reference {
        topic: Topic::Colo,
        id: "colo-per-kw-month",
        value: 196.0,
        unit: "USD/kW-month",
        what: "colocation price per kW of power: × server kW gives colo_usd_per_month",
        provenance: ENCOR,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_figure_has_a_source_a_date_and_a_unique_id() {
        for (i, r) in REFERENCES.iter().enumerate() {
            assert!(!r.provenance.source.is_empty() && !r.provenance.date.is_empty(), "{}", r.id);
            assert!(REFERENCES[..i].iter().all(|q| q.id != r.id), "duplicate {}", r.id);
        }
    }
}
