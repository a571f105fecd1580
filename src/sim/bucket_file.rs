//! A job's buckets in an anonymous temporary file, in a fixed binary
//! encoding, so memory does not grow with the horizon (a year of 1-minute
//! buckets is 525,600 of them per job). The file is unlinked as it is
//! created: nothing is left behind, even on a panic or an interrupt. Short
//! series stay in memory: thousands of replications would otherwise each
//! hold a file descriptor.

use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::sync::Mutex;

use tempfile::SpooledTempFile;

use crate::sim::series::{BucketLatency, BucketStats};
use crate::stats::outcomes::Outcomes;

/// Bytes per bucket: 11 integers, a latency flag, 4 latency figures, steal and cost.
const RECORD_BYTES: usize = 11 * 8 + 1 + 4 * 8 + 2 * 8;

/// Buckets read from the file at once.
const CHUNK_RECORDS: usize = 512;

/// Series up to this size stay in memory (478 buckets).
const IN_MEMORY_BYTES: usize = 64 << 10;

/// Appends buckets in order. The first I/O error is kept and returned by
/// `finish`, so the simulation's hot path needs no error handling.
pub struct BucketWriter {
    out: io::Result<BufWriter<SpooledTempFile>>,
    len: usize,
}

impl Default for BucketWriter {
    fn default() -> BucketWriter {
        let file = tempfile::spooled_tempfile(IN_MEMORY_BYTES);
        BucketWriter { out: Ok(BufWriter::with_capacity(CHUNK_RECORDS * RECORD_BYTES, file)), len: 0 }
    }
}

impl BucketWriter {
    pub fn push(&mut self, b: &BucketStats) {
        if let Ok(out) = &mut self.out
            && let Err(e) = out.write_all(&encode(b))
        {
            self.out = Err(e);
        }
        self.len += 1;
    }

    pub fn finish(self) -> io::Result<BucketFile> {
        let file = self.out?.into_inner().map_err(io::IntoInnerError::into_error)?;
        Ok(BucketFile { file: Mutex::new(file), len: self.len })
    }
}

/// Buckets written by a `BucketWriter`, to be read in order, any number of times.
#[derive(Debug)]
pub struct BucketFile {
    /// Readers seek before each chunk, so they share the file under a lock.
    file: Mutex<SpooledTempFile>,
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
        BucketReader { file: &self.file, next_record: 0, left: self.len, chunk: Vec::new(), at: 0 }
    }
}

/// Reads a `BucketFile` a chunk at a time; stops after an error.
pub struct BucketReader<'a> {
    file: &'a Mutex<SpooledTempFile>,
    next_record: u64,
    left: usize,
    chunk: Vec<u8>,
    at: usize,
}

impl BucketReader<'_> {
    fn refill(&mut self) -> io::Result<()> {
        let records = self.left.min(CHUNK_RECORDS);
        self.chunk.resize(records * RECORD_BYTES, 0);
        let mut file = self.file.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        file.seek(SeekFrom::Start(self.next_record * RECORD_BYTES as u64))?;
        file.read_exact(&mut self.chunk)?;
        self.next_record += records as u64;
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
        l.mean_us.to_bits(),
        l.p50_us.to_bits(),
        l.p95_us.to_bits(),
        l.p99_us.to_bits(),
        b.steal_busy_us.to_bits(),
        b.cost_usd.to_bits(),
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
    let mut f = || f64::from_bits(next());
    let latency = BucketLatency { mean_us: f(), p50_us: f(), p95_us: f(), p99_us: f() };
    BucketStats {
        outcomes,
        busy_slot_us,
        slot_us,
        instance_us,
        pending_us,
        warming_us,
        latency: (record[0] == 1).then_some(latency),
        steal_busy_us: f(),
        cost_usd: f(),
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
        };
        // In memory, then in a file.
        for n in [3, 2 * CHUNK_RECORDS as u64 + 7] {
            let all: Vec<BucketStats> = (0..n).map(bucket).collect();
            let mut w = BucketWriter::default();
            all.iter().for_each(|b| w.push(b));
            let file = w.finish().unwrap();
            assert_eq!(file.len(), all.len());
            let first = file.iter();
            let second: Vec<BucketStats> = file.iter().map(Result::unwrap).collect();
            assert_eq!(second, all);
            assert_eq!(first.map(Result::unwrap).collect::<Vec<_>>(), all);
        }
    }
}
