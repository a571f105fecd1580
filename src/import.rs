//! `hostsim import`: web server access logs in, a trace, a fitted workload
//! and a runnable scenario out. Each file is streamed once; what is kept
//! is bounded (per-bucket counts, a fixed histogram of request times, the
//! first few bad lines), never a per-request record.

pub mod buckets;
pub mod clf;
pub mod clock;
pub mod durations;
pub mod filter;
pub mod format;
pub mod json;
pub mod lines;
pub mod outputs;
pub mod text;

use std::path::{Path, PathBuf};

use buckets::Buckets;
use durations::Durations;
use filter::{Filter, Verdict};
use format::{Choice, Format, SAMPLE_LINES};
use lines::{Line, Lines};

/// Bad lines shown with their file and line.
pub const BAD_SHOWN: usize = 5;

/// How to read the logs.
#[derive(Clone, Debug)]
pub struct Options<'a> {
    pub choice: Choice<'a>,
    /// Width of a trace row, whole seconds.
    pub bucket_s: i64,
    pub filter: Filter,
}

/// Everything read from the logs.
#[derive(Debug)]
pub struct Tally {
    /// Each file and its format (`None`: empty).
    pub files: Vec<(PathBuf, Option<Format>)>,
    /// Non-blank lines read.
    pub lines: u64,
    /// Lines that could not be read, and the first few as `file:line: reason`.
    pub bad: u64,
    pub bad_shown: Vec<String>,
    /// Requests read, by status class: index 1 to 5 for 1xx to 5xx, 0 for none or other.
    pub statuses: [u64; 6],
    /// Requests left out by `--filter-status` and by `--exclude`.
    pub status_filtered: u64,
    pub excluded: u64,
    /// The requests kept, per bucket.
    pub buckets: Buckets,
    /// Their request times, and how many had none.
    pub durations: Durations,
    pub without_duration: u64,
}

impl Tally {
    fn new(bucket_s: i64) -> Tally {
        Tally {
            files: Vec::new(),
            lines: 0,
            bad: 0,
            bad_shown: Vec::new(),
            statuses: [0; 6],
            status_filtered: 0,
            excluded: 0,
            buckets: Buckets::new(bucket_s),
            durations: Durations::default(),
            without_duration: 0,
        }
    }

    /// Requests read (kept or filtered out).
    pub fn requests_read(&self) -> u64 {
        self.statuses.iter().sum()
    }
}

/// Reads every file; an error (naming the file) if one cannot be read or
/// its format not recognised.
pub fn read(paths: &[PathBuf], options: &Options) -> Result<Tally, String> {
    let mut tally = Tally::new(options.bucket_s);
    for path in paths {
        read_file(path, options, &mut tally)?;
    }
    Ok(tally)
}

fn read_file(path: &Path, options: &Options, tally: &mut Tally) -> Result<(), String> {
    let failed = |e: std::io::Error| format!("{}: cannot read: {e}", path.display());
    let mut lines = Lines::open(path).map_err(failed)?;
    // The first lines are read ahead to recognise the format, then counted like the rest.
    let mut head = Vec::new();
    let mut texts = Vec::new();
    while texts.len() < SAMPLE_LINES {
        let Some((number, line)) = lines.next_line().map_err(failed)? else { break };
        if let Line::Text(t) = &line
            && !t.trim().is_empty()
        {
            texts.push(t.clone());
        }
        head.push((number, line));
    }
    if texts.is_empty() {
        // An empty file (logrotate makes them) adds nothing, but its too-long lines count.
        tally.files.push((path.to_path_buf(), None));
        for (number, line) in head {
            tally.line(path, number, line, None, options)?;
        }
        return Ok(());
    }
    let format = format::detect(&texts, &options.choice).map_err(|e| format!("{}: {e}", path.display()))?;
    for (number, line) in head {
        tally.line(path, number, line, Some(&format), options)?;
    }
    while let Some((number, line)) = lines.next_line().map_err(failed)? {
        tally.line(path, number, line, Some(&format), options)?;
    }
    tally.files.push((path.to_path_buf(), Some(format)));
    Ok(())
}

impl Tally {
    /// Counts one line.
    fn line(
        &mut self,
        path: &Path,
        number: u64,
        line: Line,
        format: Option<&Format>,
        o: &Options,
    ) -> Result<(), String> {
        let parsed = match (line, format) {
            (Line::Text(t), _) if t.trim().is_empty() => return Ok(()),
            (Line::TooLong, _) => Err(format!("longer than {} KiB", lines::MAX_LINE_BYTES >> 10)),
            (Line::Text(t), Some(f)) => f.parse(&t),
            (Line::Text(_), None) => Err("no format".to_string()),
        };
        self.lines += 1;
        let request = match parsed {
            Ok(r) => r,
            Err(reason) => {
                self.bad += 1;
                if self.bad_shown.len() < BAD_SHOWN {
                    self.bad_shown.push(format!("{}:{number}: {reason}", path.display()));
                }
                return Ok(());
            }
        };
        let class = match request.status.map(|s| s / 100) {
            Some(c @ 1..=5) => usize::from(c),
            _ => 0,
        };
        self.statuses[class] += 1;
        match o.filter.verdict(&request) {
            Verdict::Status => self.status_filtered += 1,
            Verdict::Excluded => self.excluded += 1,
            Verdict::Keep => {
                self.buckets.add(request.time_s)?;
                match request.duration_s {
                    Some(d) => self.durations.add(d),
                    None => self.without_duration += 1,
                }
            }
        }
        Ok(())
    }
}
