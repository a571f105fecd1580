//! Which requests a trace counts: `--filter-status 2xx,3xx` keeps only
//! those statuses, `--exclude REGEX` drops requests whose target (path and
//! query) matches, e.g. static assets a CDN serves.

use regex::Regex;

use super::format::Request;

/// A status class (`2xx`) or code (`404`) as an inclusive range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatusRange(u16, u16);

/// `--filter-status`: a comma-separated list of classes (`2xx`) and codes (`404`).
pub fn status_list(text: &str) -> Result<Vec<StatusRange>, String> {
    text.split(',')
        .map(|part| {
            let p = part.trim().to_ascii_lowercase();
            let b = p.as_bytes();
            match b {
                [d @ b'1'..=b'5', b'x', b'x'] => {
                    let base = u16::from(d - b'0') * 100;
                    Ok(StatusRange(base, base + 99))
                }
                [b'1'..=b'5', b'0'..=b'9', b'0'..=b'9'] => {
                    let code = p.parse().unwrap_or(0);
                    Ok(StatusRange(code, code))
                }
                _ => Err(format!(
                    "\"{}\": expected status classes like 2xx or codes like 404, e.g. 2xx,3xx",
                    part.trim()
                )),
            }
        })
        .collect()
}

/// Why a request is left out, if it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Keep,
    /// Its status is not in `--filter-status` (or it has none).
    Status,
    /// Its target matches an `--exclude` pattern.
    Excluded,
}

/// The filters given on the command line.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub statuses: Option<Vec<StatusRange>>,
    pub exclude: Vec<Regex>,
}

impl Filter {
    pub fn verdict(&self, r: &Request) -> Verdict {
        if let Some(ranges) = &self.statuses
            && !r.status.is_some_and(|s| ranges.iter().any(|&StatusRange(lo, hi)| (lo..=hi).contains(&s)))
        {
            return Verdict::Status;
        }
        if self.exclude.iter().any(|re| re.is_match(&r.target)) {
            return Verdict::Excluded;
        }
        Verdict::Keep
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(status: Option<u16>, target: &str) -> Request {
        Request { time_s: 0.0, status, target: target.into(), duration_s: None }
    }

    #[test]
    fn statuses_and_patterns_filter_requests() {
        let filter = Filter {
            statuses: Some(status_list("2xx, 304").unwrap()),
            exclude: vec![Regex::new(r"\.(css|js|png)$|^/static/").unwrap()],
        };
        assert_eq!(filter.verdict(&request(Some(200), "/api")), Verdict::Keep);
        assert_eq!(filter.verdict(&request(Some(299), "/")), Verdict::Keep);
        assert_eq!(filter.verdict(&request(Some(304), "/")), Verdict::Keep);
        assert_eq!(filter.verdict(&request(Some(301), "/")), Verdict::Status);
        assert_eq!(filter.verdict(&request(Some(404), "/")), Verdict::Status);
        assert_eq!(filter.verdict(&request(None, "/")), Verdict::Status);
        assert_eq!(filter.verdict(&request(Some(200), "/static/a.txt")), Verdict::Excluded);
        assert_eq!(filter.verdict(&request(Some(200), "/app.js")), Verdict::Excluded);
        assert_eq!(Filter::default().verdict(&request(None, "/x.png")), Verdict::Keep);
    }

    #[test]
    fn status_lists_are_checked() {
        assert_eq!(status_list("2XX,404").unwrap(), vec![StatusRange(200, 299), StatusRange(404, 404)]);
        for bad in ["2x", "200s", "6xx", "", "2xx,,3xx", "ok"] {
            assert!(status_list(bad).unwrap_err().contains("expected status classes"), "{bad}");
        }
    }
}
