//! Why a command failed, and the exit code that gives: 2 for invalid input
//! (scenario, flags, catalog, trace, an output directory's CSVs), 1 for a
//! runtime failure (I/O).

use crate::report::chart::ChartError;
use crate::report::output::OutputError;
use crate::scenario::ScenarioError;

/// Why a command failed; decides the exit code.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Scenario(#[from] ScenarioError),
    #[error("error: {0}")]
    Invalid(String),
    #[error("error: {0}")]
    Output(#[from] OutputError),
    #[error("error: {0}")]
    Runtime(String),
    #[error("error: {0}")]
    Chart(#[from] ChartError),
}

impl AppError {
    pub fn exit_code(&self) -> u8 {
        match self {
            AppError::Scenario(_) | AppError::Invalid(_) => 2,
            AppError::Chart(ChartError::Csv { .. } | ChartError::Toml { .. }) => 2,
            AppError::Output(_) | AppError::Runtime(_) | AppError::Chart(_) => 1,
        }
    }
}
