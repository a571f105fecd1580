//! A trace as a piecewise-constant arrival rate: each row is a segment of
//! one bucket at `count × scale / bucket` requests per second, the time
//! between rows (missing rows) a segment at rate zero. The first kept row
//! is t = 0. Rows are read lazily, one at a time.

use super::trace::{TraceError, TraceReader};
use crate::model::Trace;

/// Hands out a trace's rate segments in time order.
pub struct TraceRates {
    reader: TraceReader,
    /// The first kept row's timestamp (t = 0), once read.
    origin_s: Option<f64>,
    bucket_s: f64,
    /// Requests per second per unit of count: scale / bucket.
    rate_per_count: f64,
    /// The next row not yet handed out: (start, rate), seconds from t = 0.
    next: Option<(f64, f64)>,
    /// No rows left (end of file or an error).
    done: bool,
    error: Option<TraceError>,
}

impl TraceRates {
    /// Opens the trace file for replay.
    pub fn open(trace: &Trace) -> Result<TraceRates, TraceError> {
        let bucket_s = trace.bucket.as_secs_f64();
        Ok(TraceRates {
            reader: TraceReader::open(trace.into())?,
            origin_s: None,
            bucket_s,
            rate_per_count: trace.scale / bucket_s,
            next: None,
            done: false,
            error: None,
        })
    }

    /// The segment that starts at `t_s`: its end (at most `horizon_s`) and
    /// its rate. After the last row, one segment at rate zero to the horizon.
    pub fn segment(&mut self, t_s: f64, horizon_s: f64) -> (f64, f64) {
        if self.next.is_none() && !self.done {
            self.read_row();
        }
        match self.next {
            Some((start, _)) if start > t_s => (start.min(horizon_s), 0.0),
            Some((start, rate)) => {
                self.next = None;
                // Rows are at least a bucket apart, so the row ends after t_s
                // (barring rounding): never hand out a segment ending before it starts.
                ((start + self.bucket_s).max(t_s).min(horizon_s), rate)
            }
            None => (horizon_s, 0.0),
        }
    }

    /// The first kept row's timestamp, in seconds of the time column (t = 0),
    /// once a segment has been asked for.
    pub fn origin_s(&self) -> Option<f64> {
        self.origin_s
    }

    /// Why the rows stopped early, if they did (the file changed or became
    /// unreadable after it was validated).
    pub fn error(&self) -> Option<&TraceError> {
        self.error.as_ref()
    }

    fn read_row(&mut self) {
        match self.reader.next_row() {
            Ok(Some(row)) => {
                let origin = *self.origin_s.get_or_insert(row.time_s);
                self.next = Some((row.time_s - origin, row.count * self.rate_per_count));
            }
            Ok(None) => self.done = true,
            Err(e) => {
                self.done = true;
                self.error = Some(e);
            }
        }
    }
}
