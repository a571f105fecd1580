//! `load_balancer = "alb"` (or a table with explicit prices) on an iaas or
//! hybrid option: an AWS Application Load Balancer in front of its
//! instances, priced from the ELB table, which has us-east-1 prices only.

use crate::catalog::elb;
use crate::model::LoadBalancer;
use crate::scenario::error::Diag;
use crate::scenario::node::Value;
use crate::scenario::reader::{Bounds, Field};
use crate::scenario::spec::{Key, Type};
use crate::scenario::suggest::did_you_mean;
use crate::scenario::toml_value::{inline, number, string};

const KINDS: [&str; 1] = ["alb"];
/// `load_balancer = "alb"` or a table of its prices.
pub const TYPE: Type = Type::Either(&[Type::OneOf(&KINDS), Type::Table(KEYS)]);
const KEYS: &[Key] = &[
    Key::new("kind", Type::OneOf(&KINDS), "an AWS Application Load Balancer").default("required"),
    Key::new("usd_per_hour", Type::Number, "price per hour").unit("USD").default("us-east-1's, required elsewhere"),
    Key::new("usd_per_lcu_hour", Type::Number, "price per LCU-hour")
        .unit("USD")
        .default("us-east-1's, required elsewhere"),
    Key::new("requests_per_connection", Type::Number, "requests per client connection").default("1"),
    Key::new("rules", Type::Integer, "listener rules evaluated per request (10 are free)").default("1"),
];
const EXPLICIT: &str = "load_balancer = { kind = \"alb\", usd_per_hour = 0.0225, usd_per_lcu_hour = 0.008 }";

/// `load_balancer = "alb"` or `{ kind = "alb", usd_per_hour, usd_per_lcu_hour,
/// requests_per_connection, rules }`; `aws_region` is where the option's cloud prices come from.
pub fn read(f: &Field, aws_region: Option<&str>) -> Result<LoadBalancer, Diag> {
    let table = match &f.node.value {
        Value::Str(_) => None,
        Value::Table(_) => Some(f.table(KEYS)?),
        _ => {
            return Err(f
                .error(format!("expected \"alb\" or a table, got {}", f.node.describe()))
                .hint(format!("load_balancer = \"alb\" (us-east-1 prices), or {EXPLICIT}")));
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::HostingOption;
    use crate::scenario::test_option::parse_option;

    const BURST: &str =
        "burst = { instance = \"m5.large\", autoscaling = { policy = \"hpa\", target = 0.6, max = 4 } }";

    /// An option of `kind` in `region` with the kind's `keys`.
    fn option(kind: &str, region: &str, keys: &str) -> Result<HostingOption, String> {
        parse_option(&format!("name = \"web\"\nkind = \"{kind}\"\nregion = \"{region}\"\n{keys}"))
    }

    fn iaas(region: &str, lb: &str) -> Result<Option<LoadBalancer>, String> {
        // Prices by hand: dallas has no AWS instance or egress prices either.
        let priced = "hourly_usd = 0.096\negress_usd_per_gb = 0.09";
        option("iaas", region, &format!("instance = \"m5.large\"\n{priced}\ninitial = 2\nload_balancer = {lb}"))
            .map(|o| o.load_balancer)
    }

    #[test]
    fn alb_in_us_east_1_and_explicit_prices_elsewhere() {
        let us = LoadBalancer { usd_per_hour: 0.0225, usd_per_lcu_hour: 0.008, requests_per_connection: 1.0, rules: 1 };
        assert_eq!(iaas("us-east-1", "\"alb\""), Ok(Some(us.clone())));
        assert_eq!(iaas("washington", "{ kind = \"alb\", rules = 25 }"), Ok(Some(LoadBalancer { rules: 25, ..us })));
        let paris = "{ kind = \"alb\", usd_per_hour = 0.0252, usd_per_lcu_hour = 0.008, requests_per_connection = 8 }";
        let expected = LoadBalancer { usd_per_hour: 0.0252, requests_per_connection: 8.0, ..us.clone() };
        assert_eq!(iaas("eu-west-3", paris), Ok(Some(expected)));
        // A hybrid has it at the option level.
        let vps = "baseline = { kind = \"vps\", instances = 1, plan = \"linode-4gb\" }";
        let hybrid = option("hybrid", "us-east-1", &format!("{vps}\n{BURST}\nload_balancer = \"alb\"")).unwrap();
        assert_eq!(hybrid.load_balancer, Some(us));
        assert_eq!(option("iaas", "us-east-1", "instance = \"m5.large\"\ninitial = 2").unwrap().load_balancer, None);
    }

    #[test]
    fn mistakes() {
        let cases = [
            (
                iaas("eu-west-2", "\"alb\""),
                "the built-in ALB prices are for us-east-1 only; this option's prices come from \"eu-west-2\": give usd_per_hour",
            ),
            (
                iaas("dallas", "{ kind = \"alb\", usd_per_hour = 0.02 }"),
                "come from a region without AWS prices: give usd_per_lcu_hour",
            ),
            (iaas("us-east-1", "\"nlb\""), "load_balancer: unknown load balancer \"nlb\", did you mean \"alb\"?"),
            (iaas("us-east-1", "{ usd_per_hour = 1 }"), "load_balancer.kind: required key is missing"),
            (
                iaas("us-east-1", "{ kind = \"alb\", requests_per_connection = 0.5 }"),
                "requests_per_connection: expected a number >= 1",
            ),
            (
                iaas("us-east-1", "{ kind = \"alb\", rules = 0 }"),
                "load_balancer.rules: expected a positive integer, got 0",
            ),
            (iaas("us-east-1", "3"), "load_balancer: expected \"alb\" or a table, got 3"),
        ];
        for (got, fragment) in cases {
            let err = got.unwrap_err();
            assert!(err.contains(fragment), "expected {fragment:?} in:\n{err}");
        }
        let vps = "baseline = { kind = \"vps\", instances = 1, plan = \"linode-4gb\" }";
        let others = [
            ("vps", "instances = 2\nplan = \"linode-4gb\"", "a VPS provider's balancer is not priced here"),
            ("bare_metal", "servers = 1\ncores = 8", "add your own balancer's cost to colo_usd_per_month"),
            ("paas", "dyno = \"standard-1x\"", "a paas option has its own router"),
        ];
        for (kind, keys, fragment) in others {
            let err = option(kind, "us-east-1", &format!("{keys}\nload_balancer = \"alb\"")).unwrap_err();
            assert!(err.contains("\"load_balancer\" is an iaas or hybrid key") && err.contains(fragment), "{err}");
        }
        let in_burst = "burst = { instance = \"m5.large\", load_balancer = \"alb\", autoscaling = { policy = \"hpa\", target = 0.6, max = 4 } }";
        let err = option("hybrid", "us-east-1", &format!("{vps}\n{in_burst}")).unwrap_err();
        assert!(err.contains("burst.load_balancer: \"load_balancer\" is set on the option itself"), "{err}");
        let in_baseline =
            "baseline = { kind = \"vps\", instances = 1, plan = \"linode-4gb\", load_balancer = \"alb\" }";
        let err = option("hybrid", "us-east-1", &format!("{in_baseline}\n{BURST}")).unwrap_err();
        assert!(err.contains("baseline.load_balancer: \"load_balancer\" is an iaas or hybrid key; a hybrid option has it on the option itself"), "{err}");
    }
}
