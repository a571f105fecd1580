//! A server's power draw by its size: the median SPECpower_ssj2008 results
//! of 2018–21 per socket count and total-core group, which
//! `power = { draw = "specpower" }` turns into one server's idle and
//! full-load watts for its `cores`.
//!
//! Method: within one socket count, the watts are interpolated linearly in
//! cores between the groups' median core counts (a group stands at its
//! median server, e.g. 1 socket 17–32 cores at 28 cores), and held flat
//! from a group's median to its range's outer edge. Core counts outside
//! every group of that socket count are refused: the table has no servers
//! there. By default a server has 1 socket up to 64 cores, 2 up to 128 and
//! 4 (the table's "4+") above.

use std::sync::OnceLock;

use super::Provenance;
use super::embedded::rows;

/// `submitted,sockets,cores_total,n_results,cores_median,…,watts_100pct_median,…,watts_active_idle_median,…`.
const CSV: &str = include_str!("../../data/specpower_by_size_2018-2021.csv");

/// Where the table comes from and when the results were submitted.
pub const PROVENANCE: Provenance = Provenance::builtin(
    "SPECpower_ssj2008 results (single-node, compliant), median per sockets × total-core group; from \
     cloud-carbon-footprint/cloud-carbon-coefficients data/SPECpower-full-results.csv (commit 2ecb2f61)",
    "2018-2021",
);

/// The socket counts the table has (4 stands for "4 or more").
pub const SOCKETS: [u32; 3] = [1, 2, 4];

/// One group of results: servers of `sockets` sockets and `cores_lo..=cores_hi` cores.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub sockets: u32,
    pub cores_lo: u32,
    pub cores_hi: u32,
    /// How many results the medians are of.
    pub results: u32,
    /// The median server's total cores: where the group's watts stand.
    pub cores_median: u32,
    /// Median watts at 100 % of the benchmark's load and at active idle.
    pub max_w: f64,
    pub idle_w: f64,
}

/// Every group, by sockets then cores (read once; a test checks every row parses).
pub fn groups() -> &'static [Group] {
    static GROUPS: OnceLock<Vec<Group>> = OnceLock::new();
    GROUPS.get_or_init(|| rows(CSV).filter_map(|r| group(&r)).collect())
}

fn group(r: &[&str]) -> Option<Group> {
    let (lo, hi) = r.get(2)?.split_once('-')?;
    Some(Group {
        sockets: r.get(1)?.trim_end_matches('+').parse().ok()?,
        cores_lo: lo.parse().ok()?,
        cores_hi: hi.parse().ok()?,
        results: r.get(3)?.parse().ok()?,
        cores_median: r.get(4)?.parse().ok()?,
        max_w: r.get(7)?.parse().ok()?,
        idle_w: r.get(10)?.parse().ok()?,
    })
}

/// How the table names a socket count: 4 stands for four or more.
pub fn sockets_label(sockets: u32) -> String {
    if sockets == 4 { "4+".into() } else { sockets.to_string() }
}

/// The socket count a server of `cores` is taken to have when not given.
pub fn default_sockets(cores: u32) -> u32 {
    match cores {
        0..=64 => 1,
        65..=128 => 2,
        _ => 4,
    }
}

/// The core counts the table covers with `sockets` sockets, if it has any such servers.
pub fn cores_range(sockets: u32) -> Option<(u32, u32)> {
    let of = || groups().iter().filter(|g| g.sockets == sockets);
    Some((of().map(|g| g.cores_lo).min()?, of().map(|g| g.cores_hi).max()?))
}

/// One server's (idle, full-load) watts with `sockets` sockets and `cores`
/// cores, by the method above; `None` outside the table's core range.
pub fn watts(sockets: u32, cores: u32) -> Option<(f64, f64)> {
    let (lo, hi) = cores_range(sockets)?;
    if !(lo..=hi).contains(&cores) {
        return None;
    }
    let mut points: Vec<&Group> = groups().iter().filter(|g| g.sockets == sockets).collect();
    points.sort_by_key(|g| g.cores_median);
    let at = |g: &Group| (g.idle_w, g.max_w);
    let (first, last) = (points[0], points[points.len() - 1]);
    if cores <= first.cores_median {
        return Some(at(first));
    }
    if cores >= last.cores_median {
        return Some(at(last));
    }
    let upper = points.iter().position(|g| g.cores_median >= cores)?;
    let (a, b) = (points[upper - 1], points[upper]);
    let t = f64::from(cores - a.cores_median) / f64::from(b.cores_median - a.cores_median);
    Some((a.idle_w + t * (b.idle_w - a.idle_w), a.max_w + t * (b.max_w - a.max_w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: (f64, f64), want: (f64, f64)) -> bool {
        (got.0 - want.0).abs() < 1e-9 && (got.1 - want.1).abs() < 1e-9
    }

    #[test]
    fn every_row_parses() {
        assert_eq!(groups().len(), CSV.lines().count() - 1);
        assert!(groups().iter().all(|g| g.cores_lo <= g.cores_median && g.cores_median <= g.cores_hi));
        assert!(groups().iter().all(|g| g.idle_w < g.max_w && g.results >= 3));
        assert_eq!(cores_range(1), Some((1, 64)));
        assert_eq!(cores_range(2), Some((17, 128)));
        assert_eq!(cores_range(4), Some((65, 256)));
        assert_eq!(cores_range(3), None);
    }

    #[test]
    fn watts_at_a_group_median_are_the_groups() {
        // 1 socket, 33–64 cores (16 results, median 64 cores): 63.5 W idle, 235.5 W at full load.
        assert!(close(watts(1, 64).unwrap(), (63.5, 235.5)));
        // 2 sockets, 33–64 cores (50 results, median 56 cores): 53.5 W, 411 W.
        assert!(close(watts(2, 56).unwrap(), (53.5, 411.0)));
    }

    #[test]
    fn watts_between_medians_are_interpolated_and_flat_beyond_them() {
        // 1 socket, 16 cores lies between the 1–8 group (median 6 cores: 15.9 W, 71.7 W)
        // and the 17–32 group (median 28: 39.4 W, 217 W), 10/22 of the way:
        // idle 15.9 + 23.5 × 10/22 = 26.5818…, full 71.7 + 145.3 × 10/22 = 137.7454…
        assert!(close(watts(1, 16).unwrap(), (15.9 + 23.5 * 10.0 / 22.0, 71.7 + 145.3 * 10.0 / 22.0)));
        // Below the first median, the first group's watts: 1 core and 4 cores as 6.
        assert!(close(watts(1, 1).unwrap(), (15.9, 71.7)));
        assert!(close(watts(1, 4).unwrap(), (15.9, 71.7)));
        // 2 sockets, 17 cores: below the 17–32 group's median (26): 115 W, 284.5 W.
        assert!(close(watts(2, 17).unwrap(), (115.0, 284.5)));
        // Outside the groups of that socket count: no servers to go by.
        assert_eq!(watts(1, 65), None);
        assert_eq!(watts(2, 16), None);
        assert_eq!(watts(4, 257), None);
        assert_eq!(watts(1, 0), None);
    }

    #[test]
    fn the_default_socket_count_covers_1_to_256_cores() {
        for cores in 1..=256 {
            assert!(watts(default_sockets(cores), cores).is_some(), "{cores}");
        }
        assert_eq!((default_sockets(64), default_sockets(65), default_sockets(129)), (1, 2, 4));
    }
}
