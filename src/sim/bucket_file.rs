//! A job's buckets in a fixed binary encoding, in anonymous temporary files,
//! so memory does not grow with the horizon (a year of 1-minute buckets is
//! 525,600 of them per job). Buckets are written in chunks; the chunks of
//! many jobs go to one shared file (a `Spill`), so the number of open files
//! does not grow with replications. A file is unlinked as it is created:
//! nothing is left behind, even on a panic or an interrupt. A series
//! shorter than one chunk stays in memory.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::hosting::serverless::BilledUse;
use crate::sim::series::{BucketLatency, BucketStats, DbLoad};
use crate::stats::outcomes::Outcomes;

/// Bytes per bucket: 12 integers, a latency flag, 4 latency figures, steal, cost, 3 billed and 4 database figures.
const RECORD_BYTES: usize = 12 * 8 + 1 + 4 * 8 + 2 * 8 + 3 * 8 + 4 * 8;

/// Buckets per chunk: written, and read back, at once (70 KB).
const CHUNK_RECORDS: usize = 512;

const CHUNK_BYTES: usize = CHUNK_RECORDS * RECORD_BYTES;

/// An anonymous temporary file that writers append whole chunks to, created
/// on first use and closed when the last writer or `BucketFile` using it is
/// dropped. Writers and readers take turns under a lock: each turn moves a
/// whole chunk.
#[derive(Debug, Default)]
pub struct Spill {
    state: Mutex<SpillState>,
}

#[derive(Debug, Default)]
struct SpillState {
    file: Option<File>,
    len: u64,
}

impl Spill {
    fn lock(&self) -> MutexGuard<'_, SpillState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Appends `bytes`; returns the offset they start at.
    fn append(&self, bytes: &[u8]) -> io::Result<u64> {
        let mut state = self.lock();
        let at = state.len;
        let file = match &mut state.file {
            Some(file) => file,
            none => none.insert(tempfile::tempfile()?),
        };
        file.seek(SeekFrom::Start(at))?;
        file.write_all(bytes)?;
        state.len += bytes.len() as u64;
        Ok(at)
    }

    /// Fills `buf` from offset `at` (written by `append`).
    fn read_at(&self, at: u64, buf: &mut [u8]) -> io::Result<()> {
        let mut state = self.lock();
        let file = state.file.as_mut().ok_or_else(|| io::Error::other("read before any write"))?;
        file.seek(SeekFrom::Start(at))?;
        file.read_exact(buf)
    }
}

/// Appends buckets in order. The first I/O error is kept and returned by
/// `finish`, so the simulation's hot path needs no error handling.
pub struct BucketWriter {
    spill: Arc<Spill>,
    /// The chunk being filled.
    buf: Vec<u8>,
    /// Where each full chunk went in `spill`, in order.
    chunks: Vec<u64>,
    len: usize,
    error: Option<io::Error>,
}

impl BucketWriter {
    /// A writer whose full chunks go to `spill`, which other writers may share.
    pub fn new(spill: Arc<Spill>) -> BucketWriter {
        BucketWriter { spill, buf: Vec::with_capacity(CHUNK_BYTES), chunks: Vec::new(), len: 0, error: None }
    }

    pub fn push(&mut self, b: &BucketStats) {
        self.buf.extend_from_slice(&encode(b));
        self.len += 1;
        if self.buf.len() == CHUNK_BYTES {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.error.is_none() {
            match self.spill.append(&self.buf) {
                Ok(at) => self.chunks.push(at),
                Err(e) => self.error = Some(e),
            }
        }
        self.buf.clear();
    }

    /// The buckets written: in the spill file, or in memory if they never filled a chunk.
    pub fn finish(mut self) -> io::Result<BucketFile> {
        if !self.chunks.is_empty() && !self.buf.is_empty() {
            self.flush();
        }
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.buf.shrink_to_fit();
        Ok(BucketFile { spill: self.spill, chunks: self.chunks, tail: self.buf, len: self.len })
    }
}

/// Buckets written by a `BucketWriter`, to be read in order, any number of times.
#[derive(Debug)]
pub struct BucketFile {
    spill: Arc<Spill>,
    chunks: Vec<u64>,
    /// The buckets after the chunks (all of them when there is no chunk).
    tail: Vec<u8>,
    len: usize,
}

impl BucketFile {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The buckets in order.
    pub fn iter(&self) -> BucketReader<'_> {
        BucketReader { file: self, next_chunk: 0, left: self.len, chunk: Vec::new(), at: 0 }
    }
}

/// Reads a `BucketFile` a chunk at a time; stops after an error.
pub struct BucketReader<'a> {
    file: &'a BucketFile,
    next_chunk: usize,
    left: usize,
    chunk: Vec<u8>,
    at: usize,
}

impl BucketReader<'_> {
    fn refill(&mut self) -> io::Result<()> {
        let bytes = self.left.min(CHUNK_RECORDS) * RECORD_BYTES;
        self.chunk.resize(bytes, 0);
        match self.file.chunks.get(self.next_chunk) {
            Some(&at) => self.file.spill.read_at(at, &mut self.chunk)?,
            None => self.chunk.copy_from_slice(&self.file.tail[..bytes]),
        }
        self.next_chunk += 1;
        self.at = 0;
        Ok(())
    }
}

impl Iterator for BucketReader<'_> {
    type Item = io::Result<BucketStats>;

    fn next(&mut self) -> Option<io::Result<BucketStats>> {
        if self.left == 0 {
            return None;
        }
        if self.at == self.chunk.len()
            && let Err(e) = self.refill()
        {
            self.left = 0;
            return Some(Err(e));
        }
        let record = &self.chunk[self.at..self.at + RECORD_BYTES];
        self.at += RECORD_BYTES;
        self.left -= 1;
        Some(Ok(decode(record)))
    }
}

fn encode(b: &BucketStats) -> [u8; RECORD_BYTES] {
    let o = &b.outcomes;
    let l = b.latency.unwrap_or_default();
    let words = [
        o.offered,
        o.served,
        o.timed_out,
        o.rejected,
        o.failed,
        o.in_flight,
        b.busy_slot_us,
        b.slot_us,
        b.instance_us,
        b.pending_us,
        b.warming_us,
        b.interruptions,
        l.mean_us.to_bits(),
        l.p50_us.to_bits(),
        l.p95_us.to_bits(),
        l.p99_us.to_bits(),
        b.steal_busy_us.to_bits(),
        b.cost_usd.to_bits(),
        b.billed.requests,
        b.billed.busy_us,
        b.billed.warm_busy_us,
        b.db.primary_busy_us,
        b.db.replica_busy_us,
        b.db.queries,
        b.db.wait_us,
    ];
    let mut out = [0; RECORD_BYTES];
    out[0] = u8::from(b.latency.is_some());
    for (chunk, w) in out[1..].chunks_exact_mut(8).zip(words) {
        chunk.copy_from_slice(&w.to_le_bytes());
    }
    out
}

fn decode(record: &[u8]) -> BucketStats {
    let mut words = record[1..].chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")));
    let mut next = || words.next().expect("a whole record");
    let outcomes = Outcomes {
        offered: next(),
        served: next(),
        timed_out: next(),
        rejected: next(),
        failed: next(),
        in_flight: next(),
    };
    let (busy_slot_us, slot_us, instance_us, pending_us, warming_us) = (next(), next(), next(), next(), next());
    let interruptions = next();
    let mut f = || f64::from_bits(next());
    let latency = BucketLatency { mean_us: f(), p50_us: f(), p95_us: f(), p99_us: f() };
    let (steal_busy_us, cost_usd) = (f(), f());
    let billed = BilledUse { requests: next(), busy_us: next(), warm_busy_us: next() };
    let db = DbLoad { primary_busy_us: next(), replica_busy_us: next(), queries: next(), wait_us: next() };
    BucketStats {
        outcomes,
        busy_slot_us,
        slot_us,
        instance_us,
        pending_us,
        warming_us,
        latency: (record[0] == 1).then_some(latency),
        steal_busy_us,
        cost_usd,
        interruptions,
        billed,
        db,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_read_back_as_written_any_number_of_times() {
        let bucket = |i: u64| BucketStats {
            outcomes: Outcomes { offered: i, served: i + 1, timed_out: 2, rejected: 3, failed: 4, in_flight: 5 },
            busy_slot_us: 6 * i,
            slot_us: 7,
            instance_us: 8,
            pending_us: 9,
            warming_us: 10,
            latency: (!i.is_multiple_of(3)).then_some(BucketLatency {
                mean_us: 1.5,
                p50_us: 0.1,
                p95_us: f64::MAX,
                p99_us: -0.0,
            }),
            steal_busy_us: 0.25 * i as f64,
            cost_usd: 1e-9 * i as f64,
            interruptions: 11 * i,
            billed: BilledUse { requests: 12 * i, busy_us: 13, warm_busy_us: 14 * i },
            db: DbLoad { primary_busy_us: 15 * i, replica_busy_us: 16, queries: 17 * i, wait_us: 18 },
        };
        // In memory, then in a file; the second time two writers share the
        // file, their chunks interleaved.
        let spill = Arc::new(Spill::default());
        for n in [3, 2 * CHUNK_RECORDS as u64 + 7] {
            let all: Vec<BucketStats> = (0..n).map(bucket).collect();
            let (mut w, mut other) = (BucketWriter::new(spill.clone()), BucketWriter::new(spill.clone()));
            for b in &all {
                w.push(b);
                other.push(&bucket(b.outcomes.offered + 1));
            }
            let (file, other) = (w.finish().unwrap(), other.finish().unwrap());
            assert_eq!(file.len(), all.len());
            let first = file.iter();
            let second: Vec<BucketStats> = file.iter().map(Result::unwrap).collect();
            assert_eq!(second, all);
            assert_eq!(first.map(Result::unwrap).collect::<Vec<_>>(), all);
            let shifted: Vec<BucketStats> = (1..=n).map(bucket).collect();
            assert_eq!(other.iter().map(Result::unwrap).collect::<Vec<_>>(), shifted);
        }
        // Both long series whole in the file; the short ones stayed in memory.
        assert_eq!(spill.lock().len, 2 * (2 * CHUNK_BYTES + 7 * RECORD_BYTES) as u64);
    }
}
