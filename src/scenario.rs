//! Scenario files: parsing (with spans), validation, the resolved model.

pub mod model;
