//! Naming the AWS region a price comes from: an AWS region's own name or a
//! city (or alias) that hosts one; shared by `hostsim catalog --region`, a
//! catalog entry's `region` and the messages for options outside AWS.

use super::suggest::did_you_mean;
use crate::network::{self, ALIASES};

/// The AWS region `written` names (any case): its own name, or the AWS
/// region of a measured city or alias; else why not, as a sentence.
pub fn parse(written: &str) -> Result<&'static str, String> {
    if let Some(aws) = network::aws_region(written) {
        return Ok(aws);
    }
    if network::canonical_region(written).is_some() {
        return Err(format!("\"{written}\" hosts no AWS region; {}", instead(written)));
    }
    let candidates =
        network::aws_regions().chain(network::known_regions().iter().copied()).chain(ALIASES.iter().map(|(a, _)| *a));
    let dym = did_you_mean(written, candidates);
    Err(format!(
        "unknown region \"{written}\"{} Give an AWS region name ({}) or a city that hosts one",
        if dym.is_empty() { ".".to_string() } else { dym },
        network::aws_regions().collect::<Vec<_>>().join(", ")
    ))
}

/// The AWS regions hostsim places at the same measured city as `written`
/// (so writing one keeps the option's latencies), in the aliases' order.
pub fn placed_at(written: &str) -> Vec<&'static str> {
    let Some(city) = network::canonical_region(written) else { return Vec::new() };
    network::aws_regions().filter(|a| network::canonical_region(a) == Some(city)).collect()
}

/// What to write instead of a region outside AWS, e.g. for dallas: "write
/// one of the AWS regions hostsim places at dallas (us-west-1, us-west-2,
/// mx-central-1)".
pub fn instead(written: &str) -> String {
    match placed_at(written).as_slice() {
        [] => "write an AWS region name such as us-east-1 (hostsim catalog --kind ec2 --region NAME lists its prices)"
            .to_string(),
        near => format!(
            "write one of the AWS regions hostsim places at {} instead ({}): same latencies, their prices",
            network::canonical_region(written).unwrap_or(written),
            near.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cities_and_mistakes() {
        assert_eq!(parse("EU-West-2"), Ok("eu-west-2"));
        assert_eq!(parse("london"), Ok("eu-west-2"));
        assert_eq!(parse("washington-dc"), Ok("us-east-1"));
        assert_eq!(parse("us-west-2"), Ok("us-west-2"));
        let dallas = parse("dallas").unwrap_err();
        assert!(dallas.starts_with("\"dallas\" hosts no AWS region; write one of the AWS regions hostsim places at dallas instead (us-west-1, us-west-2, mx-central-1)"), "{dallas}");
        assert_eq!(placed_at("toronto"), ["ca-west-1"]);
        assert_eq!(
            placed_at("chennai"),
            ["ap-south-2", "ap-southeast-1", "ap-southeast-3", "ap-southeast-5", "ap-southeast-7"]
        );
        assert_eq!(placed_at("mars"), Vec::<&str>::new());
        let typo = parse("eu-wset-2").unwrap_err();
        assert!(typo.starts_with("unknown region \"eu-wset-2\", did you mean \"eu-west-2\"?"), "{typo}");
        assert!(instead("mars").contains("such as us-east-1"));
    }
}
