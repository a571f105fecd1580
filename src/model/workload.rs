//! What one request asks of a server, and the distributions durations are drawn from.

use statrs::function::gamma::{gamma, gamma_lr};

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
    /// Database time per query, if requests query a database tier.
    pub db: Option<Dist>,
    /// Queries per request, each a separate visit to the database.
    pub db_queries: u32,
    /// The request keeps its web slot while it waits for the database (a synchronous framework).
    pub db_holds_web_slot: bool,
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
    /// Weibull with the given median and shape k: scale = median / (ln 2)^(1/k);
    /// draws are clipped to [min, max] (0 and infinity: not clipped).
    Weibull {
        median_s: f64,
        shape: f64,
        min_s: f64,
        max_s: f64,
    },
    /// Measured values from a file, sampled by the interpolated inverse CDF.
    Empirical(Empirical),
}

/// A Weibull distribution's scale from its median: F(median) = 1/2 gives
/// median = scale · (ln 2)^(1/k).
pub fn weibull_scale_s(median_s: f64, shape: f64) -> f64 {
    median_s / std::f64::consts::LN_2.powf(1.0 / shape)
}

impl Dist {
    /// A Weibull distribution that is not clipped.
    pub fn weibull(median_s: f64, shape: f64) -> Dist {
        Dist::Weibull { median_s, shape, min_s: 0.0, max_s: f64::INFINITY }
    }
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
            Dist::Weibull { median_s, shape, min_s, max_s } => weibull_clipped_mean_s(median_s, shape, min_s, max_s),
        }
    }
}

/// The mean of min(max(X, a), b) for X Weibull with scale λ and shape k:
/// a·F(a) + ∫_a^b x dF + b·(1 − F(b)), where F(x) = 1 − exp(−(x/λ)^k) and
/// ∫_0^c x dF = λ·Γ(1 + 1/k)·P(1 + 1/k, (c/λ)^k) (P: the regularised lower
/// incomplete gamma function). Unclipped, it is λ·Γ(1 + 1/k) exactly.
fn weibull_clipped_mean_s(median_s: f64, shape: f64, min_s: f64, max_s: f64) -> f64 {
    let scale_s = weibull_scale_s(median_s, shape);
    let full = scale_s * gamma(1.0 + 1.0 / shape);
    if min_s <= 0.0 && max_s.is_infinite() {
        return full;
    }
    let z = |x: f64| (x / scale_s).powf(shape);
    let below = |x: f64| if x <= 0.0 { 0.0 } else { full * gamma_lr(1.0 + 1.0 / shape, z(x)) };
    let (low, middle) = (min_s * -(-z(min_s)).exp_m1(), if max_s.is_infinite() { full } else { below(max_s) });
    let high = if max_s.is_infinite() { 0.0 } else { max_s * (-z(max_s)).exp() };
    low + middle - below(min_s) + high
}
