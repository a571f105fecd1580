//! `purchase = { … }` (reserved instances) and `savings_plan = { … }` of an
//! iaas option or a hybrid's burst pool: reading, with the reserved rate
//! looked up for the instance type and the option's AWS region, and writing
//! back.

use crate::catalog::reserved::{self, Payment, Term};
use crate::model::{Reservation, SavingsPlan};
use crate::scenario::error::Diag;
use crate::scenario::reader::{Bounds, Field};
use crate::scenario::spec::{Key, Type};
use crate::scenario::toml_value::{inline, number, string};

/// `purchase = { … }`: standard reserved instances.
pub const PURCHASE_KEYS: &[Key] = &[
    Key::new("reserved", Type::Integer, "reserved instances of the option's type (>= 1)").default("required"),
    Key::new("term", Type::OneOf(&["1y", "3y"]), "the reservation's term").default("required"),
    Key::new("payment", Type::OneOf(&["no_upfront", "partial_upfront", "all_upfront"]), "how it is paid")
        .default("required"),
    Key::new("usd_per_hour", Type::Number, "effective price of one reserved instance per hour")
        .unit("USD")
        .default("the catalog's rate"),
];
/// `savings_plan = { … }`.
pub const SAVINGS_PLAN_KEYS: &[Key] = &[
    Key::new("usd_per_hour", Type::Number, "commitment billed every hour (> 0)").unit("USD").default("required"),
    Key::new("discount", Type::Number, "in (0, 1): the fraction off the on-demand price").default("required"),
];

/// What a reservation's rate is looked up for.
pub struct Lookup<'a> {
    /// The option's catalog instance type, if it has one.
    pub instance: Option<&'a str>,
    /// The AWS region its prices come from, if it has one.
    pub aws_region: Option<&'a str>,
}

/// `purchase = { reserved = 4, term = "1y", payment = "all_upfront", usd_per_hour = … }`.
pub fn purchase(f: &Field, lookup: &Lookup) -> Result<Reservation, Diag> {
    let t = f.table(PURCHASE_KEYS)?;
    let reserved = t
        .require("reserved", "reserved = 4")?
        .u32(1)
        .map_err(|d| d.hint("reserved is the number of reserved instances bought; leave purchase out for none"))?;
    let term = t.require("term", "term = \"1y\"")?.one_of("term", Term::ALL, Term::as_str)?;
    let payment =
        t.require("payment", "payment = \"all_upfront\"")?.one_of("payment", Payment::ALL, Payment::as_str)?;
    let usd_per_hour = match t.get("usd_per_hour") {
        Some(u) => u.number(Bounds::POSITIVE).map_err(|d| d.hint(RATE_HINT))?,
        None => catalog_rate(f, lookup, term, payment)?,
    };
    Ok(Reservation { reserved, term, payment, usd_per_hour })
}

const RATE_HINT: &str = "usd_per_hour is the effective price of one reserved instance per hour: the hourly fee plus \
     any upfront fee divided by the hours of the term (8760 for 1y, 26280 for 3y)";

/// The built-in rate for the option's type and AWS region, or why there is none.
fn catalog_rate(f: &Field, lookup: &Lookup, term: Term, payment: Payment) -> Result<f64, Diag> {
    let (term_s, payment_s) = (term.as_str(), payment.as_str());
    let Some(instance) = lookup.instance else {
        return Err(f.error("without an instance type there is no reserved price to look up").hint(format!(
            "give the effective hourly rate by hand: purchase = {{ …, usd_per_hour = 0.06 }}; {RATE_HINT}"
        )));
    };
    let Some(region) = lookup.aws_region else {
        return Err(f
            .error(format!(
                "the option's region is neither an AWS region nor a city with one, so there is no reserved price \
                 for \"{instance}\" there"
            ))
            .hint(format!("write an AWS region (e.g. region = \"us-east-1\") or give usd_per_hour; {RATE_HINT}")));
    };
    if let Some(r) = reserved::rate(instance, region, term, payment) {
        return Ok(r.usd_per_hour);
    }
    let offered = reserved::offered(instance);
    let mut hint = if payment == Payment::PartialUpfront {
        "the catalog has no partial-upfront rate (its upfront fee is not in the bundled data); ".to_string()
    } else {
        String::new()
    };
    let here: Vec<String> = offered
        .iter()
        .filter(|(r, _, _)| *r == region)
        .map(|(_, t, p)| format!("{} {}", t.as_str(), p.as_str()))
        .collect();
    let mut regions: Vec<&str> =
        offered.iter().filter(|(_, t, p)| *t == term && *p == payment).map(|(r, _, _)| *r).collect();
    regions.dedup();
    if !here.is_empty() {
        hint.push_str(&format!("in {region} the catalog has {}; ", here.join(", ")));
    }
    if !regions.is_empty() {
        hint.push_str(&format!("{term_s} {payment_s} for {instance} is listed in {}; ", regions.join(", ")));
    } else if offered.is_empty() {
        hint.push_str(&format!("the catalog has no reserved price for {instance} in any region; "));
    }
    hint.push_str("or give usd_per_hour by hand (see: hostsim catalog --kind reserved)");
    Err(f
        .error(format!("no {term_s} {payment_s} reserved price for \"{instance}\" in {region} in the catalog"))
        .hint(hint))
}

/// `savings_plan = { usd_per_hour = 0.30, discount = 0.28 }`.
pub fn savings_plan(f: &Field) -> Result<SavingsPlan, Diag> {
    let t = f.table(SAVINGS_PLAN_KEYS)?;
    let usd_per_hour = t
        .require("usd_per_hour", "usd_per_hour = 0.30")?
        .number(Bounds::POSITIVE)
        .map_err(|d| d.hint("usd_per_hour is the hourly commitment, billed every hour whether used or not"))?;
    let discount = t
        .require("discount", "discount = 0.28")
        .map_err(|d| {
            d.hint(
                "hostsim has no EC2 savings-plan rates (they are not in the bundled price data), so give the plan's \
                 discount off the on-demand price, e.g. discount = 0.28 (AWS's calculator shows it per type and term)",
            )
        })?
        .number(Bounds::open(0.0, 1.0))
        .map_err(|d| d.hint("discount is the fraction off the on-demand price, e.g. 0.28 for 28 %"))?;
    Ok(SavingsPlan { usd_per_hour, discount })
}

/// `purchase` as written back: the rate always (so a run re-runs the same).
pub fn write_purchase(r: &Reservation) -> String {
    inline(&[
        ("reserved", r.reserved.to_string()),
        ("term", string(r.term.as_str())),
        ("payment", string(r.payment.as_str())),
        ("usd_per_hour", number(r.usd_per_hour)),
    ])
}

pub fn write_savings_plan(s: &SavingsPlan) -> String {
    inline(&[("usd_per_hour", number(s.usd_per_hour)), ("discount", number(s.discount))])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::spec::one_of;

    #[test]
    fn the_spec_lists_every_term_and_payment_the_reader_takes() {
        assert_eq!(one_of(PURCHASE_KEYS, "term"), Term::ALL.map(Term::as_str));
        assert_eq!(one_of(PURCHASE_KEYS, "payment"), Payment::ALL.map(Payment::as_str));
    }
}
