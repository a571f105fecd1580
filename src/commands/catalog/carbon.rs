//! `hostsim catalog --kind carbon`: the grid carbon intensity of each AWS
//! region (CCF) and Google Cloud region (Google, 2024), the constants of
//! the method, and the Teads power of each EC2 type by load.

use super::{Row, provenance};
use crate::catalog::carbon::{
    self, AWS_PUE, CCF_PROVENANCE, EMBODIED_KG_PER_VCPU, EMBODIED_LIFE, GCP_PUE, GridFactor, MEMORY_WH_PER_GB_HOUR,
    VCPU_IDLE_W, VCPU_MAX_W,
};
use crate::catalog::{Provenance, instance_power};

/// The AWS regions' factors (in `region` only, when given), Google's, the
/// constants, then each EC2 type's watts.
pub fn rows(region: Option<&str>) -> Vec<Row> {
    let aws = carbon::aws_factors().iter().filter(|f| region.is_none_or(|r| r == f.region));
    let mut rows: Vec<Row> = aws.map(|f| grid_row("aws", f, &carbon::AWS_PROVENANCE)).collect();
    rows.extend(carbon::gcp_factors().iter().map(|f| grid_row("gcp", f, &carbon::GCP_PROVENANCE)));
    let constants = [
        ("pue aws", AWS_PUE, "", "EC2, and VPS, dynos and Lambda (no figure of their own)"),
        ("pue gcp", GCP_PUE, "", "Cloud Run"),
        (
            "vcpu idle",
            VCPU_IDLE_W,
            "W",
            "an average AWS vCPU at idle (types not in the Teads table, VPS, dynos, serverless)",
        ),
        ("vcpu max", VCPU_MAX_W, "W", "an average AWS vCPU at full load; linear in between"),
        ("memory", MEMORY_WH_PER_GB_HOUR, "Wh per GB-hour", "a serverless instance's memory while it is alive"),
        (
            "embodied per vcpu",
            EMBODIED_KG_PER_VCPU,
            "kgCO2e",
            "server manufacture per vCPU: (1,000 + 100 + 533 × 368 / 384) kg / 96 vCPUs (a 2-socket, 384 GB host)",
        ),
        ("embodied life", EMBODIED_LIFE.as_hours_f64() / 8_760.0, "years", "embodied emissions spread linearly"),
    ];
    rows.extend(constants.into_iter().map(|(name, value, unit, notes)| Row {
        kind: "carbon",
        name: name.into(),
        price: format!("{}", (value * 1e4).round() / 1e4),
        unit,
        notes: notes.into(),
        ..provenance(&CCF_PROVENANCE)
    }));
    rows.extend(instance_power::all().map(|(name, vcpus, curve)| {
        let [idle, ten, half, full] = curve.watts;
        Row {
            kind: "ec2 power",
            name: name.into(),
            vcpus: vcpus.to_string(),
            price: full.to_string(),
            unit: "W at 100 %",
            notes: format!("{idle} W idle, {ten} W at 10 %, {half} W at 50 % (model estimates)"),
            ..provenance(&instance_power::PROVENANCE)
        }
    }));
    rows
}

fn grid_row(kind: &'static str, f: &GridFactor, source: &Provenance) -> Row {
    Row {
        kind,
        name: f.region.into(),
        price: f.gco2e_per_kwh.to_string(),
        unit: "gCO2e/kWh",
        notes: format!("{}; by {}; location-based grid average", f.place, f.by),
        ..provenance(source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_factor_constant_and_type_is_listed() {
        let all = rows(None);
        let count = |kind: &str| all.iter().filter(|r| r.kind == kind).count();
        assert_eq!((count("aws"), count("gcp"), count("carbon"), count("ec2 power")), (27, 44, 7, 621));
        let east = rows(Some("us-east-1"));
        assert_eq!(east.iter().filter(|r| r.kind == "aws").map(|r| r.price.as_str()).collect::<Vec<_>>(), ["379.07"]);
        let embodied = all.iter().find(|r| r.name == "embodied per vcpu").unwrap();
        assert_eq!((embodied.price.as_str(), embodied.unit), ("16.7791", "kgCO2e"));
        let memory = all.iter().find(|r| r.name == "memory").unwrap();
        assert_eq!((memory.price.as_str(), memory.unit), ("0.392", "Wh per GB-hour"));
        assert!(all.iter().any(|r| r.name == "m5.large" && r.price == "20" && r.notes.starts_with("4.4 W idle")));
    }
}
