//! Independent, seeded random streams: one per (seed, replication, purpose).
//!
//! Every option in a replication draws arrivals and demands from the same
//! streams (common random numbers), so differences between options are not
//! noise; a purpose's stream is never shared with another purpose, so adding
//! a draw for one model cannot shift another's.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator behind every stream: fast, small state, good quality.
pub type Stream = Xoshiro256PlusPlus;

/// What a stream is used for; its discriminant is part of the stream's seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    Arrivals = 1,
    UserRegion = 2,
    Cpu = 3,
    Io = 4,
    Routing = 5,
    Failures = 6,
    Outages = 7,
    Neighbours = 8,
    Boot = 9,
    Interruptions = 10,
    /// Serverless cold starts.
    ColdStart = 11,
    /// Serverless keep-alive after each busy period.
    KeepAlive = 12,
    /// The region an option across regions sends a request to, by weights.
    GeoRouting = 13,
    /// The seed of each request's database queries (their times, reads or writes, replicas).
    Database = 14,
}

/// SplitMix64 step: spreads nearby seeds far apart.
fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The stream for one purpose of one replication of a seeded scenario;
/// `sub` tells apart streams of one purpose (e.g. the server a failure
/// stream belongs to, so server 3 fails at the same times in every option).
pub fn stream(seed: u64, replication: u32, purpose: Purpose, sub: u64) -> Stream {
    let key = splitmix64(splitmix64(splitmix64(splitmix64(seed) ^ u64::from(replication)) ^ purpose as u64) ^ sub);
    Stream::seed_from_u64(key)
}

/// A uniform draw in (0, 1]: never zero, so `ln` and powers are safe.
#[inline]
pub fn unit_open0<R: rand::Rng + ?Sized>(rng: &mut R) -> f64 {
    ((rng.next_u64() >> 11) + 1) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A uniform integer in [0, n) by Lemire's multiply-shift (bias < n / 2^64).
#[inline]
pub fn below<R: rand::Rng + ?Sized>(rng: &mut R, n: u64) -> u64 {
    split_below(rng.next_u64(), n).0
}

/// Multiply-shift on a uniform 64-bit draw `x`: the integer in [0, n), and
/// the product's low half, itself close to uniform and nearly independent
/// of the integer while n ≪ 2^64 (a second draw from the same number).
#[inline]
pub fn split_below(x: u64, n: u64) -> (u64, u64) {
    let product = u128::from(x) * u128::from(n);
    ((product >> 64) as u64, product as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn streams_differ_by_purpose_and_replication_and_repeat_by_seed() {
        let a = stream(42, 0, Purpose::Cpu, 0).next_u64();
        assert_eq!(a, stream(42, 0, Purpose::Cpu, 0).next_u64());
        assert_ne!(a, stream(42, 0, Purpose::Io, 0).next_u64());
        assert_ne!(a, stream(42, 0, Purpose::Cpu, 1).next_u64());
        assert_ne!(a, stream(42, 1, Purpose::Cpu, 0).next_u64());
        assert_ne!(a, stream(43, 0, Purpose::Cpu, 0).next_u64());
    }

    #[test]
    fn unit_open0_stays_in_range_and_has_mean_one_half() {
        let mut rng = stream(1, 0, Purpose::Arrivals, 0);
        let n = 100_000;
        let sum: f64 = (0..n)
            .map(|_| {
                let u = unit_open0(&mut rng);
                assert!(u > 0.0 && u <= 1.0);
                u
            })
            .sum();
        // sd of the mean = sqrt(1/12 / n) = 0.00091; allow 5 sd.
        assert!((sum / n as f64 - 0.5).abs() < 0.0046);
    }
}
