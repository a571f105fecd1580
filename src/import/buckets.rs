//! Requests counted per time bucket, keyed by bucket index (Unix time ÷
//! bucket width, floored, so buckets start at whole multiples of the width
//! in UTC: minutes start at :00). Only buckets with requests are held, at
//! most [`MAX_BUCKETS`] of them: memory is bounded whatever the log's size
//! and order (lines may come out of order, and from several files).

use std::collections::BTreeMap;

/// The most buckets with requests kept (about 40 bytes each, so 80 MB at
/// most): 3.8 years of minutes, 23 days of seconds.
pub const MAX_BUCKETS: usize = 2_000_000;

/// Counts per bucket.
#[derive(Debug)]
pub struct Buckets {
    width_s: i64,
    counts: BTreeMap<i64, u64>,
    /// The bucket being filled: consecutive lines mostly share one, and
    /// adding to it needs no map look-up.
    current: Option<(i64, u64)>,
}

/// The counts' totals, for the summary and the scenario's comments.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Span {
    /// Start of the first bucket and end of the last, Unix seconds.
    pub first_s: i64,
    pub end_s: i64,
    pub requests: u64,
    /// Buckets with requests.
    pub rows: usize,
    /// The busiest bucket: its count and start.
    pub peak: u64,
    pub peak_at_s: i64,
}

impl Buckets {
    /// Empty counts for buckets `width_s` seconds wide (> 0).
    pub fn new(width_s: i64) -> Buckets {
        Buckets { width_s, counts: BTreeMap::new(), current: None }
    }

    /// Counts one request at Unix time `time_s`; an error once a new bucket
    /// would pass [`MAX_BUCKETS`].
    pub fn add(&mut self, time_s: f64) -> Result<(), String> {
        let index = (time_s / self.width_s as f64).floor() as i64;
        match &mut self.current {
            Some((i, n)) if *i == index => *n += 1,
            _ => {
                self.flush();
                if self.counts.len() >= MAX_BUCKETS && !self.counts.contains_key(&index) {
                    return Err(format!(
                        "more than {MAX_BUCKETS} {} s buckets with requests: give a wider --bucket",
                        self.width_s
                    ));
                }
                self.current = Some((index, 1));
            }
        }
        Ok(())
    }

    fn flush(&mut self) {
        if let Some((index, n)) = self.current.take() {
            *self.counts.entry(index).or_insert(0) += n;
        }
    }

    /// The rows (bucket start in Unix seconds, requests), sorted, and their span
    /// (`None` without any request).
    pub fn finish(mut self) -> (Vec<(i64, u64)>, Option<Span>) {
        self.flush();
        let rows: Vec<(i64, u64)> = self.counts.into_iter().map(|(i, n)| (i * self.width_s, n)).collect();
        let (Some(&(first_s, _)), Some(&(last_s, _))) = (rows.first(), rows.last()) else {
            return (rows, None);
        };
        // The first busiest bucket.
        let &(peak_at_s, peak) = rows.iter().rev().max_by_key(|&&(_, n)| n).unwrap_or(&rows[0]);
        let requests = rows.iter().map(|&(_, n)| n).sum();
        let span = Span { first_s, end_s: last_s + self.width_s, requests, rows: rows.len(), peak, peak_at_s };
        (rows, Some(span))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_order_requests_land_in_sorted_minutes() {
        let mut b = Buckets::new(60);
        // 100 s is in the minute starting at 60; 59.9 in the one at 0; -1 (1969) at -60.
        for t in [100.0, 119.0, 59.9, 120.0, 61.0, -1.0, 100.0] {
            b.add(t).unwrap();
        }
        let (rows, span) = b.finish();
        assert_eq!(rows, vec![(-60, 1), (0, 1), (60, 4), (120, 1)]);
        assert_eq!(span.unwrap(), Span { first_s: -60, end_s: 180, requests: 7, rows: 4, peak: 4, peak_at_s: 60 });
    }

    #[test]
    fn the_first_of_equal_peaks_is_reported_and_empty_logs_have_no_span() {
        let mut b = Buckets::new(60);
        for t in [130.0, 10.0, 131.0, 11.0] {
            b.add(t).unwrap();
        }
        assert_eq!(b.finish().1.unwrap().peak_at_s, 0);
        assert_eq!(Buckets::new(60).finish(), (vec![], None));
    }
}
