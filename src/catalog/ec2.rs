//! EC2 on-demand Linux prices: in us-east-1 from the AWS Pricing API as
//! Karpenter generated it (2026-07-20, every type AWS lists there), in the
//! other 33 regions from the regional price list (`ec2_regions`,
//! 2026-05-12). vCPUs come from the Teads instance table, else the regional
//! list, else the size in the name. The files are embedded at build time.

use std::borrow::Cow;
use std::sync::OnceLock;

use super::{Provenance, Text, ec2_regions};

/// `region,instance_type,usd_per_hour_linux_ondemand,generated_at`, from the AWS Pricing API.
const PRICES_CSV: &str = include_str!("../../data/ec2_ondemand_us-east-1_2026-07-20.csv");
/// `instance_type,instance_vcpu`, from the Teads AWS instance dataset.
const VCPUS_CSV: &str = include_str!("../../data/aws_instance_vcpus_teads_2022-03-01.csv");

/// The region whose prices come from the Karpenter table (newer than the
/// regional list, which agrees with it on all but `*.metal*` types); also
/// the region `hostsim catalog --kind ec2` lists without `--region`.
pub const US_EAST_1: &str = "us-east-1";

/// Where the price list comes from; the date is each row's `generated_at` day.
pub const PRICE_SOURCE: &str = "AWS Pricing API (us-east-1, Linux on-demand) as generated into \
     aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go (commit 6fc13b52)";

/// How an entry's vCPU count is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VcpuSource {
    /// The Teads AWS instance dataset (cloud-carbon-coefficients, 2022-03-01).
    Table,
    /// The regional price list (AWS's figure, via Vantage, 2026-05-12).
    PriceList,
    /// Derived from the size in the name (large = 2, xlarge = 4, Nxlarge = 4N, …).
    SizeName,
    /// Given by the user.
    User,
    /// Not known (metal sizes and unusual names): give `vcpus` explicitly.
    Unknown,
}

impl VcpuSource {
    /// A short note for the catalog listing.
    pub fn note(self) -> &'static str {
        match self {
            VcpuSource::Table => "vcpus: Teads AWS instance dataset (2022-03-01)",
            VcpuSource::PriceList => "vcpus: AWS price list via Vantage (2026-05-12)",
            VcpuSource::SizeName => "vcpus: from the size name",
            VcpuSource::User => "vcpus: user",
            VcpuSource::Unknown => "vcpus unknown: give vcpus explicitly",
        }
    }
}

/// One EC2 instance type.
#[derive(Clone, Debug, PartialEq)]
pub struct Ec2Type {
    /// Lower case, e.g. "m5.large".
    pub name: Text,
    /// `None` when unknown: usable only with an explicit `vcpus`.
    pub vcpus: Option<u32>,
    pub vcpu_source: VcpuSource,
    /// On-demand Linux price per hour.
    pub hourly_usd: f64,
    pub provenance: Provenance,
}

/// Every built-in type, in the price list's order (read once).
pub fn all() -> &'static [Ec2Type] {
    static TYPES: OnceLock<Vec<Ec2Type>> = OnceLock::new();
    TYPES.get_or_init(parse)
}

/// The built-in type with this name (case-insensitive), us-east-1 prices.
pub fn instance(name: &str) -> Option<Ec2Type> {
    all().iter().find(|t| t.name.eq_ignore_ascii_case(name)).cloned()
}

/// The built-in type with this name (case-insensitive) priced in the AWS
/// region `region`, if that region's list has it.
pub fn instance_in(region: &str, name: &str) -> Option<Ec2Type> {
    if region == US_EAST_1 {
        return instance(name);
    }
    ec2_regions::price(region, &name.to_ascii_lowercase()).map(regional)
}

/// Every built-in type priced in the AWS region `region`, by name.
pub fn types_in(region: &str) -> Vec<Ec2Type> {
    if region == US_EAST_1 {
        return all().to_vec();
    }
    ec2_regions::in_region(region).iter().map(regional).collect()
}

/// The AWS regions whose built-in list prices the type (case-insensitive), in order.
pub fn regions_with(name: &str) -> Vec<&'static str> {
    ec2_regions::regions().filter(|r| instance_in(r, name).is_some()).collect()
}

/// Whether some region's built-in list has the type (case-insensitive).
pub fn known(name: &str) -> bool {
    instance(name).is_some() || ec2_regions::vcpus(&name.to_ascii_lowercase()).is_some()
}

/// A regional price as a catalog entry.
fn regional(p: &ec2_regions::RegionalPrice) -> Ec2Type {
    let (vcpus, vcpu_source) = vcpus(p.name);
    Ec2Type {
        name: Cow::Borrowed(p.name),
        vcpus,
        vcpu_source,
        hourly_usd: p.hourly_usd,
        provenance: Provenance::builtin(ec2_regions::SOURCE, ec2_regions::DATE),
    }
}

/// A type's vCPUs (lower-case name) and how they are known: the Teads
/// table, else the regional price list, else the size in the name.
pub fn vcpus(name: &str) -> (Option<u32>, VcpuSource) {
    if let Some(v) = table_vcpus(name) {
        return (Some(v), VcpuSource::Table);
    }
    if let Some(v) = ec2_regions::vcpus(name) {
        return (Some(v), VcpuSource::PriceList);
    }
    match vcpus_from_name(name) {
        Some(v) => (Some(v), VcpuSource::SizeName),
        None => (None, VcpuSource::Unknown),
    }
}

/// Parses the embedded price list; rows that do not parse are skipped (a
/// test checks that none is).
fn parse() -> Vec<Ec2Type> {
    PRICES_CSV
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut fields = line.split(',');
            let (_region, name, price, generated) = (fields.next()?, fields.next()?, fields.next()?, fields.next()?);
            let hourly_usd: f64 = price.trim().parse().ok().filter(|p: &f64| p.is_finite() && *p >= 0.0)?;
            let (vcpus, vcpu_source) = vcpus(name);
            Some(Ec2Type {
                name: Cow::Borrowed(name),
                vcpus,
                vcpu_source,
                hourly_usd,
                provenance: Provenance::builtin(PRICE_SOURCE, generated.get(..10).unwrap_or(generated)),
            })
        })
        .collect()
}

/// vCPUs from the Teads table, if it has the type.
fn table_vcpus(name: &str) -> Option<u32> {
    VCPUS_CSV.lines().skip(1).find_map(|line| {
        let (n, v) = line.split_once(',')?;
        if n == name { v.trim().parse().ok() } else { None }
    })
}

/// vCPUs from the size in the name: nano, micro, small and medium have 1
/// (2 on the burstable t3, t3a and t4g, and t2.medium), large 2, xlarge 4,
/// Nxlarge 4N; metal and anything else are unknown.
pub fn vcpus_from_name(name: &str) -> Option<u32> {
    let (family, size) = name.split_once('.')?;
    let burstable = matches!(family, "t3" | "t3a" | "t4g");
    match size {
        "nano" | "micro" | "small" => Some(if burstable { 2 } else { 1 }),
        "medium" => Some(if burstable || family == "t2" { 2 } else { 1 }),
        "large" => Some(2),
        "xlarge" => Some(4),
        _ => {
            let n: u32 = size.strip_suffix("xlarge")?.parse().ok()?;
            n.checked_mul(4).filter(|&v| v > 0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_parses_with_a_source_and_a_date() {
        let rows = PRICES_CSV.lines().skip(1).filter(|l| !l.is_empty()).count();
        assert_eq!(all().len(), rows);
        assert!(rows > 1000);
        for t in all() {
            assert!(!t.provenance.source.is_empty() && t.provenance.date.len() == 10, "{}", t.name);
            assert_eq!(t.vcpus.is_none(), t.vcpu_source == VcpuSource::Unknown, "{}", t.name);
        }
    }

    #[test]
    fn m5_large_in_us_east_1() {
        let m5 = instance("M5.LARGE").unwrap();
        assert_eq!((m5.hourly_usd, m5.vcpus, m5.vcpu_source), (0.096, Some(2), VcpuSource::Table));
        assert_eq!(m5.provenance.date, "2026-07-20");
        assert_eq!(instance("t3.micro").map(|t| (t.hourly_usd, t.vcpus)), Some((0.0104, Some(2))));
        assert_eq!(instance("no.such"), None);
    }

    #[test]
    fn size_names_give_vcpus_where_the_table_has_none() {
        assert_eq!(vcpus_from_name("m7i.large"), Some(2));
        assert_eq!(vcpus_from_name("c7g.medium"), Some(1));
        assert_eq!(vcpus_from_name("t4g.nano"), Some(2));
        assert_eq!(vcpus_from_name("m8g.48xlarge"), Some(192));
        assert_eq!(vcpus_from_name("m7i.metal-48xl"), None);
        assert_eq!(vcpus_from_name("mac2.metal"), None);
        assert_eq!(vcpus_from_name("x.0xlarge"), None);
        // Where both exist they agree, except on a few old types the table corrects.
        let exceptions =
            ["c1.medium", "c1.xlarge", "c4.8xlarge", "d2.8xlarge", "m2.xlarge", "m2.2xlarge", "m2.4xlarge"];
        for t in all().iter().filter(|t| t.vcpu_source == VcpuSource::Table) {
            if !exceptions.contains(&t.name.as_ref()) && !t.name.contains("metal") {
                assert_eq!(t.vcpus, vcpus_from_name(&t.name), "{}", t.name);
            }
        }
    }
}
