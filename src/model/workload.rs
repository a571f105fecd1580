//! What one request asks of a server, and the distributions durations are drawn from.

use statrs::function::gamma::gamma;

use super::empirical::Empirical;
use crate::time::SimTime;

/// What one request asks of the server.
#[derive(Clone, Debug, PartialEq)]
pub struct Workload {
    /// CPU time on a reference core.
    pub cpu: Dist,
    /// Storage time per request; `None` means no I/O.
    pub io: Option<Dist>,
    /// Storage operations per request (for IOPS limits).
    pub io_ops: f64,
    /// Response size, for egress cost.
    pub response_kb: f64,
    /// The client gives up after this long (default 30 s).
    pub timeout: SimTime,
}

/// A distribution of a duration; all parameters in seconds.
#[derive(Clone, Debug, PartialEq)]
pub enum Dist {
    Constant {
        value_s: f64,
    },
    Exponential {
        mean_s: f64,
    },
    /// Log-normal with the given mean and coefficient of variation.
    Lognormal {
        mean_s: f64,
        cv: f64,
    },
    /// Gamma with the given mean and coefficient of variation.
    Gamma {
        mean_s: f64,
        cv: f64,
    },
    Uniform {
        min_s: f64,
        max_s: f64,
    },
    /// Pareto (type I) with the given mean; `shape` > 1.
    Pareto {
        mean_s: f64,
        shape: f64,
    },
    /// Weibull with the given median and shape k: scale = median / (ln 2)^(1/k).
    Weibull {
        median_s: f64,
        shape: f64,
    },
    /// Measured values from a file, sampled by the interpolated inverse CDF.
    Empirical(Empirical),
}

/// A Weibull distribution's scale from its median: F(median) = 1/2 gives
/// median = scale · (ln 2)^(1/k).
pub fn weibull_scale_s(median_s: f64, shape: f64) -> f64 {
    median_s / std::f64::consts::LN_2.powf(1.0 / shape)
}

/// A Weibull distribution's median from its scale (the inverse of [`weibull_scale_s`]).
pub fn weibull_median_s(scale_s: f64, shape: f64) -> f64 {
    scale_s * std::f64::consts::LN_2.powf(1.0 / shape)
}

impl Dist {
    /// The distribution's mean, in seconds.
    pub fn mean_s(&self) -> f64 {
        match *self {
            Dist::Empirical(ref e) => e.mean_s(),
            Dist::Constant { value_s } => value_s,
            Dist::Exponential { mean_s }
            | Dist::Lognormal { mean_s, .. }
            | Dist::Gamma { mean_s, .. }
            | Dist::Pareto { mean_s, .. } => mean_s,
            Dist::Uniform { min_s, max_s } => (min_s + max_s) / 2.0,
            Dist::Weibull { median_s, shape } => weibull_scale_s(median_s, shape) * gamma(1.0 + 1.0 / shape),
        }
    }
}
