//! `load_balancer = "alb"` (or a table with explicit prices) on an iaas or
//! hybrid option: an AWS Application Load Balancer in front of its
//! instances, priced from the ELB table, which has us-east-1 prices only.

use crate::catalog::elb;
use crate::model::LoadBalancer;
use crate::scenario::error::Diag;
use crate::scenario::node::Value;
use crate::scenario::reader::{Bounds, Field};
use crate::scenario::suggest::did_you_mean;
use crate::scenario::toml_value::{inline, number, string};

const KEYS: &[&str] = &["kind", "usd_per_hour", "usd_per_lcu_hour", "requests_per_connection", "rules"];
const KINDS: [&str; 1] = ["alb"];
const EXPLICIT: &str = "load_balancer = { kind = \"alb\", usd_per_hour = 0.0225, usd_per_lcu_hour = 0.008 }";

/// `load_balancer = "alb"` or `{ kind = "alb", usd_per_hour, usd_per_lcu_hour,
/// requests_per_connection, rules }`; `aws_region` is where the option's cloud prices come from.
pub fn read(f: &Field, aws_region: Option<&str>) -> Result<LoadBalancer, Diag> {
    let table = match &f.node.value {
        Value::Str(_) => None,
        _ => Some(f.table(KEYS)?),
    };
    let kind_field = match &table {
        None => f.clone(),
        Some(t) => t.require("kind", "kind = \"alb\"")?,
    };
    let kind = kind_field.str()?;
    if kind != "alb" {
        return Err(kind_field
            .error(format!("unknown load balancer \"{kind}\"{}", did_you_mean(kind, KINDS)))
            .hint("hostsim prices an AWS Application Load Balancer: load_balancer = \"alb\""));
    }
    let builtin = (aws_region == Some(elb::REGION)).then(elb::alb_prices);
    let price = |key: &str, pick: fn((f64, f64)) -> f64| -> Result<f64, Diag> {
        match (table.as_ref().and_then(|t| t.get(key)), builtin) {
            (Some(p), _) => p.number(Bounds::NONNEG),
            (None, Some(prices)) => Ok(pick(prices)),
            (None, None) => {
                let here = aws_region.map_or("a region without AWS prices".to_string(), |r| format!("\"{r}\""));
                Err(f
                    .error(format!(
                        "the built-in ALB prices are for {} only; this option's prices come from {here}: give {key}",
                        elb::REGION
                    ))
                    .hint(format!("give that region's prices, for example: {EXPLICIT}")))
            }
        }
    };
    let usd_per_hour = price("usd_per_hour", |p| p.0)?;
    let usd_per_lcu_hour = price("usd_per_lcu_hour", |p| p.1)?;
    let requests_per_connection = match table.as_ref().and_then(|t| t.get("requests_per_connection")) {
        Some(r) => r.number(Bounds::at_least(1.0)).map_err(|d| {
            d.hint("requests each client connection carries (HTTP keep-alive); 1 = a new connection per request")
        })?,
        None => 1.0,
    };
    let rules = match table.as_ref().and_then(|t| t.get("rules")) {
        Some(r) => r.u32(1)?,
        None => 1,
    };
    Ok(LoadBalancer { usd_per_hour, usd_per_lcu_hour, requests_per_connection, rules })
}

/// `load_balancer` as written to `resolved.toml`, prices spelled out.
pub fn write(lb: &LoadBalancer) -> String {
    inline(&[
        ("kind", string("alb")),
        ("usd_per_hour", number(lb.usd_per_hour)),
        ("usd_per_lcu_hour", number(lb.usd_per_lcu_hour)),
        ("requests_per_connection", number(lb.requests_per_connection)),
        ("rules", lb.rules.to_string()),
    ])
}
