//! Carbon coefficients, each with its source: the grid's carbon intensity
//! per region (location-based averages, not a provider's renewable
//! purchases), the cloud providers' PUE, an average vCPU's power and the
//! embodied emissions of a vCPU of server hardware.

use std::sync::OnceLock;

use super::Provenance;
use super::cloud_run::CITY_REGION;
use super::embedded::rows;
use crate::time::SimTime;

/// `region,country,nerc_region,grid_gco2e_per_kwh,factor_source`.
const AWS_CSV: &str = include_str!("../../data/carbon_aws_regions_ccf_2022-11-02.csv");
/// `year,gcp_region,location,google_cfe_fraction,grid_gco2e_per_kwh` (the 2024 rows).
const GCP_CSV: &str = include_str!("../../data/carbon_gcp_regions_2024.csv");

/// Cloud Carbon Footprint's factors per AWS region (old: EPA eGRID2020 for
/// the US, carbonfootprint.com's 2021 report and the EEA elsewhere).
pub const AWS_PROVENANCE: Provenance = Provenance::builtin(
    "Cloud Carbon Footprint, packages/aws/src/domain/AwsFootprintEstimationConstants.ts (commit 378d283c): \
     EPA eGRID2020 (US), carbonfootprint.com 2021 report, EEA; location-based grid averages",
    "2022-11-02",
);
/// Google's own yearly grid averages per Google Cloud region.
pub const GCP_PROVENANCE: Provenance = Provenance::builtin(
    "GoogleCloudPlatform/region-carbon-info data/yearly/2024.csv (HEAD 49f3f26b): the grid's average gross \
     gCO2e/kWh per region (location-based)",
    "2024",
);
/// The PUEs, the average vCPU's watts and the embodied-emission constants.
pub const CCF_PROVENANCE: Provenance = Provenance::builtin(
    "Cloud Carbon Footprint methodology (microsite/docs/HowItWorks/Methodology.md, commit 00504264; memory \
     0.000392 kWh/GB-h as MEMORY_COEFFICIENT in AwsFootprintEstimationConstants.ts) and cloud-carbon-coefficients ccfcoef/constants.py (embodied: 1,000 kgCO2e base server, +100 per CPU, \
     533 kg per 384 GB DRAM, 4-year life)",
    "2023-09-12",
);

/// AWS's power usage effectiveness (CCF), for EC2 and the kinds priced as if on it.
pub const AWS_PUE: f64 = 1.135;
/// Google Cloud's (CCF), for Cloud Run.
pub const GCP_PUE: f64 = 1.1;

/// An average AWS vCPU's draw at idle and at full load (CCF's per-vCPU
/// averages over AWS's processors), for instances the Teads table lacks.
pub const VCPU_IDLE_W: f64 = 0.74;
pub const VCPU_MAX_W: f64 = 3.5;

/// Memory's energy per GB-hour held (CCF's coefficient, 0.000392 kWh/GB-h),
/// for serverless instances, whose price and power follow their memory.
pub const MEMORY_WH_PER_GB_HOUR: f64 = 0.392;

/// Embodied emissions of one vCPU of server hardware, kgCO2e over its life:
/// CCF's reference server built up as the Teads table's common host (the
/// m5 host: 2 sockets, 96 vCPUs, 384 GB): 1,000 kg for a one-socket
/// server with 16 GB, + 100 kg for the second CPU, + 533 kg / 384 GB for
/// the 368 GB beyond 16 GB; shared among its 96 vCPUs (16.78 kg each).
pub const EMBODIED_KG_PER_VCPU: f64 = (1_000.0 + 100.0 + 533.0 / 384.0 * (384.0 - 16.0)) / 96.0;

/// Hardware life the embodied emissions are spread over, linearly (CCF and
/// the Green Software Foundation's SCI): 4 years of 365 days.
pub const EMBODIED_LIFE: SimTime = SimTime(4 * SimTime::YEAR.0);

/// Embodied grams of CO2e per vCPU-hour.
pub fn embodied_g_per_vcpu_hour() -> f64 {
    EMBODIED_KG_PER_VCPU * 1_000.0 / EMBODIED_LIFE.as_hours_f64()
}

/// One region's grid carbon intensity.
#[derive(Clone, Debug, PartialEq)]
pub struct GridFactor {
    /// The provider's region name.
    pub region: &'static str,
    /// Where it is (a country or a city).
    pub place: &'static str,
    pub gco2e_per_kwh: f64,
    /// Who measured it, as the source says (EPA, EEA, Google …).
    pub by: &'static str,
}

/// Every AWS region CCF has a factor for (read once; a test checks every row parses).
pub fn aws_factors() -> &'static [GridFactor] {
    static ALL: OnceLock<Vec<GridFactor>> = OnceLock::new();
    ALL.get_or_init(|| {
        rows(AWS_CSV)
            .filter_map(|r| {
                // CCF names neither the country nor the source of two factors.
                let (place, by) = match (r.get(1)?, r.get(4)?) {
                    (&"", _) => ("country not stated", "CCF, source not stated"),
                    (place, by) => (*place, *by),
                };
                Some(GridFactor { region: r.first()?, place, gco2e_per_kwh: r.get(3)?.parse().ok()?, by })
            })
            .collect()
    })
}

/// Every Google Cloud region's 2024 factor.
pub fn gcp_factors() -> &'static [GridFactor] {
    static ALL: OnceLock<Vec<GridFactor>> = OnceLock::new();
    ALL.get_or_init(|| {
        rows(GCP_CSV)
            .filter_map(|r| {
                Some(GridFactor {
                    region: r.get(1)?,
                    place: r.get(2)?,
                    gco2e_per_kwh: r.get(4)?.parse().ok()?,
                    by: "Google",
                })
            })
            .collect()
    })
}

/// The grid factor of an option in `aws_region` (if it names one) at the
/// measured city `city`, and where it comes from: the AWS region's CCF
/// factor, else Google's 2024 factor for the Google Cloud region hostsim
/// places at that city (Cloud Run's; chennai: Mumbai's, India's grid);
/// `None` for a region of neither (`grid_gco2e_per_kwh` gives it).
pub fn grid(aws_region: Option<&str>, city: &str) -> Option<(f64, String)> {
    if let Some(f) = aws_region.and_then(|a| aws_factors().iter().find(|f| f.region == a)) {
        return Some((f.gco2e_per_kwh, format!("ccf {} ({})", f.region, f.by)));
    }
    google(CITY_REGION.iter().find(|(c, _)| *c == city)?.1)
}

/// Google's 2024 factor for the Google Cloud region `gcp_region` (Cloud Run's own).
pub fn google(gcp_region: &str) -> Option<(f64, String)> {
    let f = gcp_factors().iter().find(|f| f.region == gcp_region)?;
    Some((f.gco2e_per_kwh, format!("google {} 2024", f.region)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_parses() {
        assert_eq!(aws_factors().len(), AWS_CSV.lines().count() - 1);
        assert_eq!(gcp_factors().len(), GCP_CSV.lines().count() - 1);
        assert!(aws_factors().len() == 27 && gcp_factors().len() == 44);
    }

    #[test]
    fn an_aws_region_first_then_google_in_the_same_city() {
        assert_eq!(grid(Some("us-east-1"), "washington"), Some((379.07, "ccf us-east-1 (EPA)".to_string())));
        assert_eq!(grid(Some("eu-north-1"), "frankfurt").map(|g| g.0), Some(8.8));
        // eu-south-2 (Madrid) is newer than CCF's table: Google's Madrid region.
        assert_eq!(grid(Some("eu-south-2"), "madrid"), Some((89.04, "google europe-southwest1 2024".to_string())));
        assert_eq!(grid(None, "dallas").map(|g| g.0), Some(302.95));
        assert_eq!(grid(None, "chennai"), Some((678.76, "google asia-south1 2024".to_string())));
        assert_eq!(grid(None, "my-dc"), None);
        assert_eq!(google("asia-south1"), grid(None, "chennai"));
        assert_eq!(google("us-east-1"), None);
        // Every city has its Google region in the table.
        assert!(CITY_REGION.iter().all(|(c, _)| grid(None, c).is_some()));
    }

    #[test]
    fn embodied_per_vcpu_hour() {
        // (1,000 + 100 + 533 × 368 / 384) / 96 = 16.7791 kg per vCPU; / 35,040 h = 0.47886 g per vCPU-hour.
        assert!((EMBODIED_KG_PER_VCPU - 16.779_08).abs() < 1e-4);
        assert!((embodied_g_per_vcpu_hour() - 16_779.08 / 35_040.0).abs() < 1e-4);
    }
}
