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
    /// Several scenario files were checked and these failed (at least one).
    #[error("{}", files_failed(.failed, *.checked))]
    Scenarios { failed: Vec<ScenarioError>, checked: usize },
    #[error("error: {0}")]
    Invalid(String),
    #[error("error: {0}")]
    Output(#[from] OutputError),
    #[error("error: {0}")]
    Runtime(String),
    #[error("error: {0}")]
    Chart(#[from] ChartError),
}

/// Each failed file's errors, a blank line apart, then how many files failed.
fn files_failed(failed: &[ScenarioError], checked: usize) -> String {
    let mut shown: Vec<String> = failed.iter().map(ToString::to_string).collect();
    shown.push(format!("error: {} of {checked} scenario files are invalid", failed.len()));
    shown.join("\n\n")
}

impl AppError {
    /// The errors of the files that failed among `checked`: one file's
    /// error as it is when it was the only file.
    pub fn files(mut failed: Vec<ScenarioError>, checked: usize) -> AppError {
        if checked == 1 && failed.len() == 1 {
            return AppError::Scenario(failed.remove(0));
        }
        AppError::Scenarios { failed, checked }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            AppError::Scenario(_) | AppError::Scenarios { .. } | AppError::Invalid(_) => 2,
            AppError::Chart(ChartError::Csv { .. } | ChartError::Toml { .. }) => 2,
            AppError::Output(_) | AppError::Runtime(_) | AppError::Chart(_) => 1,
        }
    }
}
