//! Builds one option's chart `TimeSeries` from its `timeseries.csv` rows,
//! one row at a time, so memory does not grow with the horizon. Up to
//! `EXACT_ROWS` rows are kept as they are (charts thin them while drawing);
//! past that, consecutive rows are gathered into at most `MAX_CELLS` cells of
//! equal row count, each kept as its lowest and highest values: the same
//! envelope the drawing's min/max thinning shows, a few thousand points
//! whatever the horizon (a year of 1-minute buckets is 525,600 rows).
//!
//! Values that need a neighbouring row (capacity launched) are derived
//! before rows are gathered. A 95 % band (mean ± half-width over the
//! replications) keeps its widest extent in a gathered cell.

use super::chart::MAX_POINTS;
use super::chart_data::TimeSeries;

/// Rows kept exactly: a few times what a chart draws.
const EXACT_ROWS: usize = 4 * MAX_POINTS;

/// At most this many cells; they hold between half and all of it.
const MAX_CELLS: usize = MAX_POINTS;

/// Values of a row besides its start: offered rate, capacity, launched, p50,
/// p95, p99, cumulative cost, spot interruptions, database utilisation, then
/// the lower ends of the [`BANDS`] bands and their upper ends.
const LINES: usize = 9;
const BANDS: usize = 5;
const VALUES: usize = LINES + 2 * BANDS;

/// One `timeseries.csv` row as read (`NaN` for an empty cell): capacity in
/// vCPUs (or instances in outputs without that column), each banded series
/// with its 95 % half-width (`NaN` with one replication).
#[derive(Clone, Copy, Debug)]
pub struct RawRow {
    pub start_s: f64,
    pub offered_rps: f64,
    pub capacity: f64,
    pub booting: f64,
    pub interruptions: f64,
    /// `NaN` without a database.
    pub db_utilization: f64,
    /// (value, half-width) of capacity, p50, p95, p99 and cumulative cost.
    pub banded: [(f64, f64); BANDS],
}

impl RawRow {
    fn booting(&self) -> bool {
        self.booting > 0.0
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

    /// The values of one drawn point: lines from `line_ends` (the lowest or
    /// highest), bands always at their widest (lowest low, highest high).
    fn point(&self, line_ends: &[f64; VALUES]) -> [f64; VALUES] {
        let mut v = *line_ends;
        v[LINES..LINES + BANDS].copy_from_slice(&self.low[LINES..LINES + BANDS]);
        v[LINES + BANDS..].copy_from_slice(&self.high[LINES + BANDS..]);
        v
    }
}

/// Rows go in by `push`, in time order; `finish` returns the series.
#[derive(Debug, Default)]
pub struct SeriesBuilder {
    /// The latest row: its launched capacity needs whether the next row is booting.
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
            let lines = [
                &mut s.offered_rps,
                &mut s.capacity,
                &mut s.launched,
                &mut s.p50_ms,
                &mut s.p95_ms,
                &mut s.p99_ms,
                &mut s.cumulative_cost_usd,
                &mut s.interruptions,
                &mut s.db_utilization,
            ];
            lines.into_iter().zip(v).for_each(|(line, x)| line.push(*x));
            let bands = [&mut s.capacity_band, &mut s.p50_band, &mut s.p95_band, &mut s.p99_band, &mut s.cost_band];
            for (k, band) in bands.into_iter().enumerate() {
                band.lo.push(v[LINES + k]);
                band.hi.push(v[LINES + BANDS + k]);
            }
        };
        for c in &self.cells {
            add(c.first_s, &c.point(&c.low));
            if c.rows > 1 {
                add(c.last_s, &c.point(&c.high));
            }
        }
        s
    }

    /// Derives row `r`'s values from its neighbours and adds them.
    fn derive(&mut self, r: RawRow, next: Option<&RawRow>) {
        // In service plus booting, only next to booting (so each dashed run starts and ends on the solid line).
        let near_booting = r.booting() || self.before.is_some_and(|b| b.booting()) || next.is_some_and(RawRow::booting);
        let launched = if near_booting { r.capacity + r.booting } else { f64::NAN };
        let [_, p50, p95, p99, cost] = r.banded.map(|(v, _)| v);
        let mut values = [f64::NAN; VALUES];
        let lines = [r.offered_rps, r.capacity, launched, p50, p95, p99, cost, r.interruptions, r.db_utilization];
        values[..LINES].copy_from_slice(&lines);
        for (k, (v, half)) in r.banded.into_iter().enumerate() {
            values[LINES + k] = v - half;
            values[LINES + BANDS + k] = v + half;
        }
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

    /// Row `i` of a synthetic series: capacity 2 vCPUs, `booting` vCPUs
    /// booting, p50 `i` ms (none in row 3) ± 0.5, cost `i` ± `i / 10`.
    fn row(i: usize, spike: f64, booting: f64) -> RawRow {
        RawRow {
            start_s: 60.0 * i as f64,
            offered_rps: spike,
            capacity: 2.0,
            booting,
            interruptions: if i == 4 { 0.5 } else { 0.0 },
            db_utilization: f64::NAN,
            banded: [
                (2.0, f64::NAN),
                (if i == 3 { f64::NAN } else { i as f64 }, 0.5),
                (1.0, f64::NAN),
                (1.0, f64::NAN),
                (i as f64, i as f64 / 10.0),
            ],
        }
    }

    fn build(rows: impl Iterator<Item = RawRow>) -> TimeSeries {
        let mut b = SeriesBuilder::default();
        rows.for_each(|r| b.push(r));
        b.finish()
    }

    #[test]
    fn short_series_are_kept_with_launched_capacity_and_bands() {
        let s = build((0..6).map(|i| row(i, 1.0, if i == 2 { 4.0 } else { 0.0 })));
        assert_eq!(s.len(), 6);
        assert!(s.p50_ms[3].is_nan() && s.p50_ms[4] == 4.0);
        let launched: Vec<bool> = s.launched.iter().map(|v| v.is_finite()).collect();
        assert_eq!(launched, [false, true, true, true, false, false]);
        // 2 vCPUs in service + 4 booting.
        assert_eq!(s.launched[2], 6.0);
        assert_eq!(s.interruptions, [0.0, 0.0, 0.0, 0.0, 0.5, 0.0]);
        // Cost 5 ± 0.5 in row 5; no band where the half-width is empty.
        assert_eq!((s.cost_band.lo[5], s.cost_band.hi[5]), (4.5, 5.5));
        assert_eq!((s.p50_band.lo[1], s.p50_band.hi[1]), (0.5, 1.5));
        assert!(s.capacity_band.lo.iter().chain(&s.capacity_band.hi).all(|v| v.is_nan()));
        assert!(build(std::iter::empty()).is_empty());
    }

    #[test]
    fn long_series_keep_their_envelope() {
        // A year of minutes, one spike of offered load at row 300,001.
        let n = 525_600;
        let s = build((0..n).map(|i| row(i, if i == 300_001 { 100.0 } else { 1.0 }, 0.0)));
        assert!(s.len() <= 2 * MAX_CELLS && s.len() >= MAX_CELLS / 2, "{}", s.len());
        assert_eq!(s.bucket_start_s[0], 0.0);
        assert_eq!(*s.bucket_start_s.last().unwrap(), 60.0 * (n - 1) as f64);
        assert!(s.bucket_start_s.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(s.offered_rps.iter().copied().fold(0.0, f64::max), 100.0);
        assert_eq!(s.offered_rps.iter().copied().fold(f64::INFINITY, f64::min), 1.0);
        assert_eq!(*s.cumulative_cost_usd.last().unwrap(), (n - 1) as f64);
        // A band is at its widest at both points of a cell: the last cell's
        // low end is below its first row's cost, its high end the last row's.
        let last = s.len() - 1;
        let end = (n - 1) as f64;
        assert_eq!(s.cost_band.hi[last], end + end / 10.0);
        assert_eq!(s.cost_band.hi[last - 1], s.cost_band.hi[last]);
        assert!(s.cost_band.lo[last] < s.cumulative_cost_usd[last - 1]);
        // The one empty latency cell is inside a cell with others.
        assert!(s.p50_ms.iter().all(|v| v.is_finite()));
        assert!(s.launched.iter().all(|v| v.is_nan()));
    }
}
