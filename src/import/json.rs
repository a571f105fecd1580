//! JSON-lines access logs: one object per line, field names configurable
//! (`--time-field`, `--duration-field`) or found among the names common
//! loggers use (nginx `escape=json` formats, Caddy, Go and Node loggers).

use serde_json::{Map, Value};

use super::clf::{shorten, status};
use super::clock::{epoch_seconds, text_seconds};

/// Time field names tried in order when `--time-field` is not given.
pub const TIME_FIELDS: &[&str] =
    &["time", "timestamp", "@timestamp", "ts", "time_iso8601", "time_local", "msec", "date"];
/// Request-time field names tried in order when `--duration-field` is not given.
pub const DURATION_FIELDS: &[&str] = &[
    "request_time",
    "duration",
    "response_time",
    "elapsed",
    "latency",
    "duration_ms",
    "response_time_ms",
    "elapsed_ms",
    "duration_us",
];
const STATUS_FIELDS: &[&str] = &["status", "status_code", "code"];
/// Where the request target is; `request` holds a whole request line.
const TARGET_FIELDS: &[&str] = &["path", "uri", "request_uri", "url", "request"];

/// The field names of one JSON log.
#[derive(Clone, Debug, PartialEq)]
pub struct Fields {
    pub time: String,
    pub duration: Option<String>,
}

/// What a JSON line holds that import uses.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonLine {
    /// Unix seconds (UTC).
    pub time_s: f64,
    pub status: Option<u16>,
    pub target: String,
    /// The request time in the log's unit; `None` if absent, null or `-`.
    pub duration: Option<f64>,
}

/// Reads one line as a JSON object.
pub fn object(line: &str) -> Result<Map<String, Value>, String> {
    match serde_json::from_str::<Value>(line) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err("not a JSON object".into()),
        Err(e) => Err(format!("not JSON: {e}")),
    }
}

/// The field names to use: the given ones, else the first common name present in `first`.
pub fn fields(first: &Map<String, Value>, time: Option<&str>, duration: Option<&str>) -> Result<Fields, String> {
    let found = |names: &[&str]| names.iter().find(|n| first.contains_key(**n)).map(|n| n.to_string());
    let time = match time {
        Some(t) => t.to_string(),
        None => found(TIME_FIELDS)
            .ok_or_else(|| format!("no time field among {}: name it with --time-field", TIME_FIELDS.join(", ")))?,
    };
    let duration = duration.map(str::to_string).or_else(|| found(DURATION_FIELDS));
    Ok(Fields { time, duration })
}

/// Reads one line with the given field names.
pub fn parse(line: &str, fields: &Fields) -> Result<JsonLine, String> {
    let map = object(line)?;
    let time = map.get(&fields.time).ok_or_else(|| format!("no \"{}\" field", fields.time))?;
    let time_s = match time {
        Value::Number(n) => n.as_f64().and_then(epoch_seconds),
        Value::String(s) => text_seconds(s),
        _ => None,
    }
    .ok_or_else(|| format!("cannot read \"{}\": {} as a time", fields.time, shorten(&time.to_string())))?;
    let status = STATUS_FIELDS.iter().find_map(|n| map.get(*n)).map(|v| match v {
        Value::Number(n) => n.as_u64().and_then(|c| u16::try_from(c).ok()).filter(|c| (100..1000).contains(c)),
        Value::String(s) => status(s),
        _ => None,
    });
    let status = match status {
        Some(None) => return Err("the status is not a 3-digit code".into()),
        Some(Some(code)) => Some(code),
        None => None,
    };
    let target = TARGET_FIELDS.iter().find_map(|n| Some((*n, map.get(*n)?.as_str()?)));
    let target = match target {
        Some(("request", line)) => line.split_ascii_whitespace().nth(1).unwrap_or("").to_string(),
        Some((_, t)) => t.to_string(),
        None => String::new(),
    };
    let duration = match fields.duration.as_ref().and_then(|n| Some((n, map.get(n)?))) {
        None | Some((_, Value::Null)) => None,
        Some((_, Value::String(s))) if s == "-" || s.is_empty() => None,
        Some((name, v)) => {
            let n = match v {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            };
            let bad = || format!("\"{name}\": {} is not a number >= 0", shorten(&v.to_string()));
            Some(n.filter(|n| n.is_finite() && *n >= 0.0).ok_or_else(bad)?)
        }
    };
    Ok(JsonLine { time_s, status, target, duration })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields_of(line: &str) -> Fields {
        fields(&object(line).unwrap(), None, None).unwrap()
    }

    #[test]
    fn nginx_json_lines_with_strings_for_numbers() {
        // log_format json escape=json '{"time":"$time_iso8601","request":"$request","status":"$status",...}'
        let line = r#"{"time":"2024-05-01T14:00:00+02:00","remote_addr":"203.0.113.7","request":"GET /api/items HTTP/1.1","status":"200","body_bytes_sent":"512","request_time":"0.052"}"#;
        let f = fields_of(line);
        assert_eq!(f, Fields { time: "time".into(), duration: Some("request_time".into()) });
        let got = parse(line, &f).unwrap();
        assert_eq!(
            got,
            JsonLine { time_s: 1_714_564_800.0, status: Some(200), target: "/api/items".into(), duration: Some(0.052) }
        );
    }

    #[test]
    fn caddy_style_lines_with_numbers_and_epoch_time() {
        let line = r#"{"ts":1714564800.25,"request":{"uri":"/x"},"uri":"/x?y=1","status":404,"duration":0.0012}"#;
        let f = fields_of(line);
        assert_eq!(f, Fields { time: "ts".into(), duration: Some("duration".into()) });
        let got = parse(line, &f).unwrap();
        assert_eq!(
            (got.time_s, got.status, got.target.as_str(), got.duration),
            (1_714_564_800.25, Some(404), "/x?y=1", Some(0.0012))
        );
        // Named fields, epoch milliseconds, no status, an upstream "-".
        let f = Fields { time: "at".into(), duration: Some("upstream".into()) };
        let got = parse(r#"{"at":1714564800000,"upstream":"-","path":"/"}"#, &f).unwrap();
        assert_eq!((got.time_s, got.status, got.duration), (1_714_564_800.0, None, None));
    }

    #[test]
    fn unreadable_json_lines_say_why() {
        let f = Fields { time: "time".into(), duration: Some("request_time".into()) };
        let cases = [
            ("{\"time\": ", "not JSON"),
            ("[1, 2]", "not a JSON object"),
            (r#"{"path":"/"}"#, "no \"time\" field"),
            (r#"{"time":"soon"}"#, "cannot read \"time\": \"soon\" as a time"),
            (r#"{"time":1714564800,"status":"OK"}"#, "status is not a 3-digit code"),
            (r#"{"time":1714564800,"request_time":"fast"}"#, "\"request_time\": \"fast\" is not a number"),
            (r#"{"time":1714564800,"request_time":-1}"#, "is not a number >= 0"),
        ];
        for (line, expected) in cases {
            let e = parse(line, &f).unwrap_err();
            assert!(e.contains(expected), "{line}: {e}");
        }
        assert!(fields(&object(r#"{"when":1}"#).unwrap(), None, None).unwrap_err().contains("--time-field"));
    }
}
