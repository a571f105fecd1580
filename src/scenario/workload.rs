//! `[workload]`: what one request asks of a server, as duration distributions.

use std::path::Path;

use super::duration::UNIT_LIST;
use super::empirical;
use super::error::Diag;
use super::model::{Dist, Workload, weibull_median_s};
use super::node::{Node, Value};
use super::reader::{Bounds, Field, Table};
use super::spec::{Key, Tagged, Type};
use super::suggest::did_you_mean;
use crate::time::SimTime;

/// The keys of `[workload]`.
pub const KEYS: &[Key] = &[
    Key::new("cpu", Type::Tagged(&DIST), "CPU time per request on a reference core, a distribution")
        .default("required"),
    Key::new("io", Type::Tagged(&DIST), "storage time per request, a distribution").default("none"),
    Key::new("io_ops", Type::Number, "storage operations per request").default("1"),
    Key::new("response_kb", Type::Number, "response size, for egress cost").unit("kB (1,000 bytes)").default("0"),
    Key::new("timeout", Type::Duration, "the client gives up after this long").default("\"30s\""),
    Key::new("db", Type::Tagged(&DIST), "database time per query, a distribution (options with a database)")
        .default("none"),
    Key::new("db_queries", Type::Integer, "queries per request, each a separate visit to the database").default("1"),
    Key::new(
        "db_holds_web_slot",
        Type::Bool,
        "the request keeps its web slot while it waits for the database (a synchronous framework)",
    )
    .default("true"),
];

/// A distribution table: `dist` names it, its parameters follow.
pub const DIST: Tagged = Tagged {
    name: "distribution",
    tag: "dist",
    common: &[Key::new(
        "dist",
        Type::Str,
        "constant, exponential, lognormal, gamma, uniform, pareto, weibull or empirical",
    )
    .default("required")],
    variants: || DISTS.iter().map(|&(name, keys, ..)| (name, keys)).collect(),
};

/// A duration, or a distribution table of durations.
pub const DURATION_OR_DIST: Type = Type::Either(&[Type::Duration, Type::Tagged(&DIST)]);

const MEAN: Key = Key::new("mean", Type::Duration, "the mean").default("required");
const CV: Key = Key::new("cv", Type::Number, "coefficient of variation (> 0)").default("required");
const SHAPE: Key = Key::new("shape", Type::Number, "shape parameter (pareto: > 1; weibull: > 0)").default("required");

/// Distribution names, their keys besides `dist`, what they need, and an example of each.
const DISTS: &[(&str, &[Key], &str, &str)] = &[
    (
        "constant",
        &[Key::new("value", Type::Duration, "always this").default("required")],
        "value",
        "{ dist = \"constant\", value = \"30ms\" }",
    ),
    ("exponential", &[MEAN], "mean", "{ dist = \"exponential\", mean = \"30ms\" }"),
    ("lognormal", &[MEAN, CV], "mean and cv", "{ dist = \"lognormal\", mean = \"30ms\", cv = 1.0 }"),
    ("gamma", &[MEAN, CV], "mean and cv", "{ dist = \"gamma\", mean = \"30ms\", cv = 0.5 }"),
    (
        "uniform",
        &[
            Key::new("min", Type::Duration, "the smallest value").default("required"),
            Key::new("max", Type::Duration, "the largest value").default("required"),
        ],
        "min and max",
        "{ dist = \"uniform\", min = \"10ms\", max = \"50ms\" }",
    ),
    ("pareto", &[MEAN, SHAPE], "mean and shape", "{ dist = \"pareto\", mean = \"30ms\", shape = 2.5 }"),
    (
        "weibull",
        &[
            Key::new("median", Type::Duration, "the median (or give scale)"),
            Key::new("scale", Type::Duration, "the scale: median / (ln 2)^(1/shape) (or give median)"),
            SHAPE,
            Key::new("min", Type::Duration, "draws below are raised to this (clipping)").default("\"0s\""),
            Key::new("max", Type::Duration, "draws above are lowered to this (clipping)").default("unlimited"),
        ],
        "median (or scale) and shape (and optionally min and max)",
        "{ dist = \"weibull\", median = \"50ms\", shape = 0.46 }",
    ),
    ("empirical", empirical::KEYS, "file (and optionally unit)", "{ dist = \"empirical\", file = \"durations.csv\" }"),
];

/// The client's default patience.
pub const DEFAULT_TIMEOUT: SimTime = SimTime::from_secs(30);

/// Reads `[workload]`; `source` is the scenario file (data files are relative to it).
pub fn read(f: &Field, source: &Path) -> Result<Workload, Diag> {
    let t = f.table(KEYS)?;
    let cpu = request_time(&t.require("cpu", "cpu = { dist = \"exponential\", mean = \"30ms\" }")?, source)?;
    let io = t.get("io").map(|f| request_time(&f, source)).transpose()?;
    let io_ops = t.number_or("io_ops", 1.0, Bounds::NONNEG)?;
    let response_kb = t.number_or("response_kb", 0.0, Bounds::NONNEG)?;
    let timeout = match t.get("timeout") {
        Some(f) => f.positive_duration()?,
        None => DEFAULT_TIMEOUT,
    };
    let db = t.get("db").map(|f| request_time(&f, source)).transpose()?;
    let db_queries = t.u32_or("db_queries", 1, 1)?;
    let db_holds_web_slot = t.get("db_holds_web_slot").map_or(Ok(true), |f| f.boolean())?;
    Ok(Workload { cpu, io, io_ops, response_kb, timeout, db, db_queries, db_holds_web_slot })
}

/// Bare numbers from this up, read as seconds, are implausible as one
/// request's CPU or I/O time (a web request takes milliseconds), so the
/// hint suggests milliseconds; below it, seconds ("0.06" → "0.06s").
const PLAUSIBLE_REQUEST_S: f64 = 1.0;

/// A request's CPU or I/O time: `dist`, with a bare number's hint in
/// milliseconds when it is implausible as seconds (`mean = 60` → "60ms").
fn request_time(f: &Field, source: &Path) -> Result<Dist, Diag> {
    dist(f, source).map_err(|d| {
        if !d.message.starts_with("expected a duration") {
            return d;
        }
        let param = d.key.rsplit('.').next().and_then(|k| f.node.get(k));
        let x = match param.map(|n| &n.value) {
            Some(Value::Int(i)) => *i as f64,
            Some(Value::Float(x)) => *x,
            _ => return d,
        };
        let written = param.map_or_else(String::new, Node::describe);
        let key = d.key.rsplit('.').next().unwrap_or("").to_string();
        if x >= PLAUSIBLE_REQUEST_S {
            d.hint(format!(
                "durations are strings with a unit: {key} = \"{written}ms\" (a bare {written} read as seconds \
                 would be {written} s of {} per request)",
                f.key().to_uppercase()
            ))
        } else {
            d
        }
    })
}

/// Reads `{ dist = "...", ... }`; durations are strings, `cv` and `shape`
/// plain numbers; an empirical `file` is relative to the scenario file `source`.
pub fn dist(f: &Field, source: &Path) -> Result<Dist, Diag> {
    let names: Vec<&str> = DISTS.iter().map(|(n, ..)| *n).collect();
    let probe = Table::any(f.path(), f.node)
        .map_err(|d| d.hint("write a distribution like cpu = { dist = \"exponential\", mean = \"30ms\" }"))?;
    let dist_field = probe.require("dist", "dist = \"exponential\"")?;
    let name = dist_field.str()?;
    let Some(&(name, params, needs, example)) = DISTS.iter().find(|(n, ..)| *n == name) else {
        return Err(dist_field
            .error(format!("unknown distribution \"{name}\"{}", did_you_mean(name, names.iter().copied())))
            .hint(format!("valid distributions: {}", names.join(", "))));
    };
    let mut known = DIST.common.to_vec();
    known.extend_from_slice(params);
    let t = f.table(&known).map_err(|d| d.hint(format!("{name} takes {needs}; e.g. {example}")))?;
    let need = |key: &str| {
        t.require(key, example).map_err(|d| Diag {
            message: format!("{}; {name} needs {needs}", d.message),
            hint: Some(format!("for example: {} = {example}", f.key())),
            ..d
        })
    };
    let mean = || -> Result<f64, Diag> { Ok(need("mean")?.positive_duration()?.as_secs_f64()) };
    let positive = |key: &str, bounds: Bounds| need(key)?.number(bounds);
    Ok(match name {
        "constant" => Dist::Constant { value_s: need("value")?.duration()?.as_secs_f64() },
        "exponential" => Dist::Exponential { mean_s: mean()? },
        "lognormal" => Dist::Lognormal { mean_s: mean()?, cv: positive("cv", Bounds::POSITIVE)? },
        "gamma" => Dist::Gamma { mean_s: mean()?, cv: positive("cv", Bounds::POSITIVE)? },
        "uniform" => {
            let min = need("min")?.duration()?;
            let max_field = need("max")?;
            let max = max_field.duration()?;
            if max < min {
                return Err(max_field.error(format!("must not be below min ({min})")));
            }
            Dist::Uniform { min_s: min.as_secs_f64(), max_s: max.as_secs_f64() }
        }
        "weibull" => {
            // The median, or the scale it follows from: exactly one of them.
            let scale = t.get("scale");
            if let (Some(_), Some(scale)) = (t.get("median"), &scale) {
                return Err(scale
                    .error("give median or scale, not both")
                    .hint("scale = median / (ln 2)^(1/shape): one fixes the other"));
            }
            let size_s = match &scale {
                Some(f) => f.positive_duration()?,
                None => need("median")?.positive_duration()?,
            }
            .as_secs_f64();
            let shape = positive("shape", Bounds::POSITIVE)?;
            let median_s = if scale.is_some() { weibull_median_s(size_s, shape) } else { size_s };
            let min_s = t.get("min").map(|f| f.duration()).transpose()?.map_or(0.0, |d| d.as_secs_f64());
            let max_s = match t.get("max") {
                None => f64::INFINITY,
                Some(f) => {
                    let max = f.positive_duration()?.as_secs_f64();
                    if max <= min_s {
                        return Err(f.error(format!("must be above min ({})", SimTime::from_secs_f64(min_s))));
                    }
                    max
                }
            };
            Dist::Weibull { median_s, shape, min_s, max_s }
        }
        "empirical" => empirical::read(&need("file")?, t.get("unit"), source)?,
        _ => Dist::Pareto {
            mean_s: mean()?,
            shape: need("shape")?
                .number(Bounds::above(1.0))
                .map_err(|d| d.hint("a Pareto distribution has a finite mean only when shape > 1"))?,
        },
    })
}

/// A plain duration string (read as a constant) or a distribution table, as
/// for an outage's `duration` or a repair time; its mean must be above zero.
pub fn duration_or_dist(f: &Field, source: &Path) -> Result<Dist, Diag> {
    let d = match &f.node.value {
        Value::Str(_) => Dist::Constant { value_s: f.positive_duration()?.as_secs_f64() },
        Value::Table(_) => dist(f, source)?,
        _ => {
            return Err(f
                .error(format!(
                    "expected a duration like \"30m\" or a distribution like {{ dist = \"exponential\", mean = \"30m\" }}, got {}",
                    f.node.describe()
                ))
                .hint(format!("durations are strings with a unit ({UNIT_LIST}), e.g. {} = \"30m\"", f.key())));
        }
    };
    if d.mean_s() <= 0.0 {
        return Err(f.error("must last longer than 0s on average"));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::node::Node;

    fn parse(text: &str) -> Result<Dist, Diag> {
        let root = Node::parse(text).unwrap();
        let t = Table::any(String::new(), &root).unwrap();
        dist(&t.get("cpu").unwrap(), Path::new("s.toml"))
    }

    #[test]
    fn every_distribution() {
        assert_eq!(parse("cpu = { dist = \"constant\", value = \"5ms\" }"), Ok(Dist::Constant { value_s: 0.005 }));
        assert_eq!(parse("cpu = { dist = \"exponential\", mean = \"40ms\" }"), Ok(Dist::Exponential { mean_s: 0.04 }));
        assert_eq!(
            parse("cpu = { dist = \"lognormal\", mean = \"1s\", cv = 2 }"),
            Ok(Dist::Lognormal { mean_s: 1.0, cv: 2.0 })
        );
        assert_eq!(
            parse("cpu = { dist = \"gamma\", mean = \"2s\", cv = 0.5 }"),
            Ok(Dist::Gamma { mean_s: 2.0, cv: 0.5 })
        );
        assert_eq!(
            parse("cpu = { dist = \"uniform\", min = \"0s\", max = \"10ms\" }"),
            Ok(Dist::Uniform { min_s: 0.0, max_s: 0.01 })
        );
        assert_eq!(
            parse("cpu = { dist = \"pareto\", mean = \"1s\", shape = 1.5 }"),
            Ok(Dist::Pareto { mean_s: 1.0, shape: 1.5 })
        );
        assert_eq!(
            parse("cpu = { dist = \"weibull\", median = \"50ms\", shape = 0.46 }"),
            Ok(Dist::weibull(0.05, 0.46))
        );
        assert_eq!(
            parse("cpu = { dist = \"weibull\", median = \"50ms\", shape = 0.46, min = \"10ms\", max = \"30s\" }"),
            Ok(Dist::Weibull { median_s: 0.05, shape: 0.46, min_s: 0.01, max_s: 30.0 })
        );
        assert!(parse("cpu = { dist = \"weibull\", median = \"50ms\", shape = 0 }").is_err());
        let e = parse("cpu = { dist = \"weibull\", median = \"50ms\", shape = 1, min = \"1s\", max = \"1s\" }");
        let e = e.unwrap_err();
        assert_eq!((e.key.as_str(), e.message.as_str()), ("cpu.max", "must be above min (1s)"));
        // Written back as resolved.toml writes it, each reads back the same.
        let clipped = Dist::Weibull { median_s: 0.05, shape: 0.46, min_s: 0.01, max_s: 30.0 };
        for d in [Dist::weibull(0.05, 0.46), clipped, Dist::Pareto { mean_s: 1.0, shape: 1.5 }] {
            assert_eq!(parse(&format!("cpu = {}", crate::scenario::toml_value::dist(&d))), Ok(d));
        }
    }

    #[test]
    fn a_bare_number_for_a_request_time_suggests_milliseconds_when_seconds_are_implausible() {
        let read = |text: &str| {
            let root = Node::parse(&format!("[workload]\n{text}")).unwrap();
            let t = Table::any(String::new(), &root).unwrap();
            read(&t.get("workload").unwrap(), Path::new("s.toml")).unwrap_err()
        };
        // 60 s of CPU per request is implausible: 60 ms is meant.
        let e = read("cpu = { dist = \"exponential\", mean = 60 }");
        assert_eq!(e.key, "workload.cpu.mean");
        assert!(e.hint.as_deref().unwrap().starts_with("durations are strings with a unit: mean = \"60ms\""), "{e:?}");
        let e =
            read("cpu = { dist = \"constant\", value = \"1ms\" }\nio = { dist = \"lognormal\", mean = 2.5, cv = 1 }");
        assert!(e.hint.unwrap().contains("mean = \"2.5ms\" (a bare 2.5 read as seconds would be 2.5 s of IO"));
        // 0.06 is plausible as seconds: the plain hint.
        let e = read("cpu = { dist = \"exponential\", mean = 0.06 }");
        assert!(e.hint.unwrap().contains("mean = \"0.06s\""));
        // A number that is not a duration keeps its own message.
        let e = read("cpu = { dist = \"pareto\", mean = \"1s\", shape = 1 }");
        assert!(e.hint.unwrap().contains("finite mean only when shape > 1"));
    }

    /// `scale` instead of `median`: median = scale · (ln 2)^(1/k). With
    /// scale 100 ms and k = 0.5, (ln 2)² = 0.480453, so the median is 48.0453 ms.
    #[test]
    fn weibull_by_scale() {
        let Ok(Dist::Weibull { median_s, shape, .. }) =
            parse("cpu = { dist = \"weibull\", scale = \"100ms\", shape = 0.5 }")
        else {
            panic!("not read")
        };
        assert_eq!(shape, 0.5);
        assert!((median_s - 0.1 * std::f64::consts::LN_2.powi(2)).abs() < 1e-15, "{median_s}");
        assert!((median_s - 0.048_045_3).abs() < 1e-7);
        // The scale the sampler uses is the one given (to rounding).
        assert!((crate::model::weibull_scale_s(median_s, shape) - 0.1).abs() < 1e-15);
        // Written back, it reads back to the same median, bit for bit: as the scale,
        // since the median is no whole number of microseconds.
        let written = crate::scenario::toml_value::dist(&Dist::weibull(median_s, shape));
        assert_eq!(written, "{ dist = \"weibull\", scale = \"100ms\", shape = 0.5 }");
        assert_eq!(parse(&format!("cpu = {written}")), Ok(Dist::weibull(median_s, shape)));
        // Shapes and scales where the scale is no whole microsecond either.
        for (scale, shape) in [("3s", 0.46), ("1us", 3.7), ("17ms", 1.0), ("2h", 0.3)] {
            let d = parse(&format!("cpu = {{ dist = \"weibull\", scale = \"{scale}\", shape = {shape} }}")).unwrap();
            let again = parse(&format!("cpu = {}", crate::scenario::toml_value::dist(&d))).unwrap();
            assert_eq!(again, d, "{scale} {shape}");
        }
        let msg = |t: &str| parse(t).unwrap_err().message;
        assert_eq!(
            msg("cpu = { dist = \"weibull\", median = \"5ms\", scale = \"9ms\", shape = 1 }"),
            "give median or scale, not both"
        );
        assert!(msg("cpu = { dist = \"weibull\", shape = 1 }").contains("weibull needs median (or scale) and shape"));
        assert!(msg("cpu = { dist = \"weibull\", scale = \"0s\", shape = 1 }").contains("longer than 0s"));
    }

    fn either(text: &str) -> Result<Dist, Diag> {
        let root = Node::parse(text).unwrap();
        let t = Table::any(String::new(), &root).unwrap();
        duration_or_dist(&t.get("repair").unwrap(), Path::new("s.toml"))
    }

    #[test]
    fn a_duration_or_a_distribution() {
        assert_eq!(either("repair = \"48h\""), Ok(Dist::Constant { value_s: 172_800.0 }));
        assert_eq!(
            either("repair = { dist = \"exponential\", mean = \"30m\" }"),
            Ok(Dist::Exponential { mean_s: 1800.0 })
        );
        let msg = |t: &str| either(t).unwrap_err().message;
        assert_eq!(msg("repair = \"0s\""), "must be longer than 0s");
        assert!(msg("repair = \"2 fortnights\"").contains("unknown unit \"fortnights\""));
        assert!(msg("repair = { dist = \"constant\", value = \"0s\" }").contains("longer than 0s on average"));
        let e = either("repair = 48").unwrap_err();
        assert!(e.message.starts_with("expected a duration like \"30m\" or a distribution"), "{}", e.message);
        assert!(e.hint.unwrap().contains("repair = \"30m\""));
    }

    #[test]
    fn mistakes() {
        let msg = |t: &str| parse(t).unwrap_err().message;
        assert_eq!(msg("cpu = { dist = \"normal\", mean = \"1s\" }"), "unknown distribution \"normal\"");
        assert!(msg("cpu = { dist = \"lognormal\", mean = \"1s\" }").contains("lognormal needs mean and cv"));
        assert!(msg("cpu = { dist = \"pareto\", mean = \"1s\", shape = 1 }").contains("> 1"));
        assert!(msg("cpu = { dist = \"exponential\", mean = \"0s\" }").contains("longer than 0s"));
        assert!(msg("cpu = { dist = \"exponential\", mean = 40 }").contains("expected a duration"));
        assert!(msg("cpu = { dist = \"uniform\", min = \"2s\", max = \"1s\" }").contains("below min"));
        assert!(msg("cpu = { dist = \"exponential\", mean = \"1s\", cv = 1 }").contains("unknown key \"cv\""));
        assert_eq!(
            parse("cpu = { dist = \"expnential\", mean = \"1s\" }").unwrap_err().message,
            "unknown distribution \"expnential\", did you mean \"exponential\"?"
        );
    }
}
