//! The built-in price catalog: every price with its source and date.

pub mod vps;

/// Where a price comes from and when it was true.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Provenance {
    pub source: &'static str,
    /// Date of the data as stated by the source (YYYY-MM-DD or a period).
    pub date: &'static str,
}
