//! Builds one option's chart `TimeSeries` from its `timeseries.csv` rows,
//! one row at a time, so memory does not grow with the horizon. Up to
//! `EXACT_ROWS` rows are kept as they are (charts thin them while drawing);
//! past that, consecutive rows are gathered into at most `MAX_CELLS` cells of
//! equal row count, each kept as its lowest and highest values: the same
//! envelope the drawing's min/max thinning shows, a few thousand points
//! whatever the horizon (a year of 1-minute buckets is 525,600 rows).
//!
//! Values that need a neighbouring row (served rate, instances launched) are
//! derived before rows are gathered.

use super::chart::MAX_POINTS;
use super::chart_data::TimeSeries;

/// Rows kept exactly: a few times what a chart draws.
const EXACT_ROWS: usize = 4 * MAX_POINTS;

/// At most this many cells; they hold between half and all of it.
const MAX_CELLS: usize = MAX_POINTS;

/// Values of a row besides its start: offered rate, served rate, instances,
/// launched, p50, p95, p99, cumulative cost, spot interruptions.
const VALUES: usize = 9;

/// One `timeseries.csv` row as read (`NaN` for an empty cell).
#[derive(Clone, Copy, Debug)]
pub struct RawRow {
    pub start_s: f64,
    pub offered_rps: f64,
    pub served: f64,
    pub instances: f64,
    pub pending: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub cumulative_cost_usd: f64,
    pub interruptions: f64,
}

impl RawRow {
    fn booting(&self) -> bool {
        self.pending > 0.0
    }
}

/// Consecutive rows: where they start and end, and each value's lowest and
/// highest finite value (`NaN` when none is finite).
#[derive(Clone, Copy, Debug)]
struct Cell {
    first_s: f64,
    last_s: f64,
    rows: usize,
    low: [f64; VALUES],
    high: [f64; VALUES],
}

impl Cell {
    fn of(start_s: f64, values: [f64; VALUES]) -> Cell {
        Cell { first_s: start_s, last_s: start_s, rows: 1, low: values, high: values }
    }

    /// Adds the later cell `next` (`f64::min`/`max` skip `NaN`).
    fn absorb(&mut self, next: &Cell) {
        self.last_s = next.last_s;
        self.rows += next.rows;
        for k in 0..VALUES {
            self.low[k] = self.low[k].min(next.low[k]);
            self.high[k] = self.high[k].max(next.high[k]);
        }
    }
}

/// Rows go in by `push`, in time order; `finish` returns the series.
#[derive(Debug, Default)]
pub struct SeriesBuilder {
    /// The latest row: its served rate needs the next row's start, its
    /// launched count whether the next row is booting.
    held: Option<RawRow>,
    /// The row before `held`.
    before: Option<RawRow>,
    /// Rows (cells of one row) while exact, then cells of `cell_rows` rows.
    cells: Vec<Cell>,
    cell_rows: usize,
}

impl SeriesBuilder {
    pub fn push(&mut self, row: RawRow) {
        if let Some(held) = self.held {
            self.derive(held, Some(&row));
        }
        self.before = self.held.replace(row);
    }

    pub fn finish(mut self) -> TimeSeries {
        if let Some(held) = self.held.take() {
            self.derive(held, None);
        }
        let mut s = TimeSeries::default();
        let mut add = |start_s: f64, v: &[f64; VALUES]| {
            s.bucket_start_s.push(start_s);
            s.offered_rps.push(v[0]);
            s.served_rps.push(v[1]);
            s.instances.push(v[2]);
            s.launched.push(v[3]);
            s.p50_ms.push(v[4]);
            s.p95_ms.push(v[5]);
            s.p99_ms.push(v[6]);
            s.cumulative_cost_usd.push(v[7]);
            s.interruptions.push(v[8]);
        };
        for c in &self.cells {
            add(c.first_s, &c.low);
            if c.rows > 1 {
                add(c.last_s, &c.high);
            }
        }
        s
    }

    /// Derives row `r`'s values from its neighbours and adds them.
    fn derive(&mut self, r: RawRow, next: Option<&RawRow>) {
        // Bucket width from the next bucket's start; the last reuses the previous width.
        let width = match (next, self.before) {
            (Some(n), _) => n.start_s - r.start_s,
            (None, Some(b)) => r.start_s - b.start_s,
            (None, None) => f64::NAN,
        };
        let served_rps = if width > 0.0 { r.served / width } else { f64::NAN };
        // In service plus booting, only next to booting (so each dashed run starts and ends on the solid line).
        let near_booting = r.booting() || self.before.is_some_and(|b| b.booting()) || next.is_some_and(RawRow::booting);
        let launched = if near_booting { r.instances + r.pending } else { f64::NAN };
        let values = [
            r.offered_rps,
            served_rps,
            r.instances,
            launched,
            r.p50_ms,
            r.p95_ms,
            r.p99_ms,
            r.cumulative_cost_usd,
            r.interruptions,
        ];
        self.add(Cell::of(r.start_s, values));
    }

    fn add(&mut self, row: Cell) {
        if self.cell_rows == 0 {
            self.cells.push(row);
            if self.cells.len() <= EXACT_ROWS {
                return;
            }
            self.cell_rows = 1;
        } else {
            match self.cells.last_mut() {
                Some(last) if last.rows < self.cell_rows => last.absorb(&row),
                _ => self.cells.push(row),
            }
        }
        while self.cells.len() > MAX_CELLS {
            self.cell_rows *= 2;
            self.cells = self
                .cells
                .chunks(2)
                .map(|pair| {
                    let mut c = pair[0];
                    if let Some(next) = pair.get(1) {
                        c.absorb(next);
                    }
                    c
                })
                .collect();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(i: usize, served: f64, pending: f64) -> RawRow {
        RawRow {
            start_s: 60.0 * i as f64,
            offered_rps: 1.0,
            served,
            instances: 2.0,
            pending,
            p50_ms: if i == 3 { f64::NAN } else { i as f64 },
            p95_ms: 1.0,
            p99_ms: 1.0,
            cumulative_cost_usd: i as f64,
            interruptions: if i == 4 { 0.5 } else { 0.0 },
        }
    }

    fn build(rows: impl Iterator<Item = RawRow>) -> TimeSeries {
        let mut b = SeriesBuilder::default();
        rows.for_each(|r| b.push(r));
        b.finish()
    }

    #[test]
    fn short_series_are_kept_with_derived_rates_and_launched_counts() {
        let s = build((0..6).map(|i| row(i, 120.0, if i == 2 { 1.0 } else { 0.0 })));
        assert_eq!(s.len(), 6);
        assert_eq!(s.served_rps, [2.0; 6]);
        assert!(s.p50_ms[3].is_nan() && s.p50_ms[4] == 4.0);
        let launched: Vec<bool> = s.launched.iter().map(|v| v.is_finite()).collect();
        assert_eq!(launched, [false, true, true, true, false, false]);
        assert_eq!(s.launched[2], 3.0);
        assert_eq!(s.interruptions, [0.0, 0.0, 0.0, 0.0, 0.5, 0.0]);
        assert!(build(std::iter::empty()).is_empty());
        assert!(build(std::iter::once(row(0, 1.0, 0.0))).served_rps[0].is_nan());
    }

    #[test]
    fn long_series_keep_their_envelope() {
        // A year of minutes, one spike of served requests at row 300,001.
        let n = 525_600;
        let s = build((0..n).map(|i| row(i, if i == 300_001 { 6_000.0 } else { 60.0 }, 0.0)));
        assert!(s.len() <= 2 * MAX_CELLS && s.len() >= MAX_CELLS / 2, "{}", s.len());
        assert_eq!(s.bucket_start_s[0], 0.0);
        assert_eq!(*s.bucket_start_s.last().unwrap(), 60.0 * (n - 1) as f64);
        assert!(s.bucket_start_s.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(s.served_rps.iter().copied().fold(0.0, f64::max), 100.0);
        assert_eq!(s.served_rps.iter().copied().fold(f64::INFINITY, f64::min), 1.0);
        assert_eq!(*s.cumulative_cost_usd.last().unwrap(), (n - 1) as f64);
        // The one empty latency cell is inside a cell with others.
        assert!(s.p50_ms.iter().all(|v| v.is_finite()));
        assert!(s.launched.iter().all(|v| v.is_nan()));
    }
}
