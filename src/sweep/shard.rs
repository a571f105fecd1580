//! `--shard I/N`: which slice of the points one process runs. Shard `I`
//! (1-based) of `N` runs the points whose index `p` (0-based, cartesian
//! order) has `p % N == I − 1`, so every shard gets a mix of cheap and
//! expensive points. `--shard auto` and `auto/N` take `I` from the batch
//! engine's environment.

use std::fmt;
use std::str::FromStr;

/// Most shards of one sweep.
pub const MAX_SHARDS: u32 = 100_000;
// The longest folder name made from a scenario name (a shard's staging
// folder) fits NAME_MAX, 255 bytes.
const _: () = assert!(
    MAX_SHARDS <= 100_000
        && crate::scenario::MAX_NAME_BYTES
            + "-sweep-shard-100000-of-100000".len()
            + crate::report::output::NAME_OVERHEAD_BYTES
            <= 255
);

/// A resolved shard: `index` in `1..=count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// 1-based.
    pub index: u32,
    /// Number of shards.
    pub count: u32,
}

impl Shard {
    /// Whether point `p` (0-based) belongs to this shard.
    pub fn contains(&self, p: usize) -> bool {
        p % self.count as usize == (self.index - 1) as usize
    }

    /// `2/3`.
    pub fn label(&self) -> String {
        format!("{}/{}", self.index, self.count)
    }
}

/// The `--shard` argument as given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShardArg {
    /// `I/N`.
    Fixed(Shard),
    /// `auto` (N from `SLURM_ARRAY_TASK_COUNT`) or `auto/N`.
    Auto(Option<u32>),
}

impl fmt::Display for ShardArg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShardArg::Fixed(s) => write!(f, "{}", s.label()),
            ShardArg::Auto(None) => write!(f, "auto"),
            ShardArg::Auto(Some(n)) => write!(f, "auto/{n}"),
        }
    }
}

fn count(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_SHARDS).contains(&n) => Ok(n),
        _ => Err(format!("the number of shards must be an integer from 1 to {MAX_SHARDS}, got \"{text}\"")),
    }
}

impl FromStr for ShardArg {
    type Err = String;

    /// `I/N` (1 ≤ I ≤ N), `auto` or `auto/N`.
    fn from_str(s: &str) -> Result<ShardArg, String> {
        let (i, n) = match s.split_once('/') {
            Some((i, n)) => (i.trim(), Some(n)),
            None => (s.trim(), None),
        };
        if i == "auto" {
            return Ok(ShardArg::Auto(n.map(count).transpose()?));
        }
        let Some(n) = n else {
            return Err(format!("expected I/N (e.g. 2/3), auto/N or auto, got \"{s}\""));
        };
        let count = count(n)?;
        match i.parse::<u32>() {
            Ok(index) if (1..=count).contains(&index) => Ok(ShardArg::Fixed(Shard { index, count })),
            _ => Err(format!("the shard index is 1-based: expected 1 to {count}, got \"{i}\"")),
        }
    }
}

impl ShardArg {
    /// The shard to run; `auto` reads `env` (the process environment in
    /// the binary): `JOB_COMPLETION_INDEX` (Kubernetes Indexed Job, 0-based),
    /// else `SLURM_ARRAY_TASK_ID` counted from `SLURM_ARRAY_TASK_MIN`
    /// (default 0), with N from `auto/N` or `SLURM_ARRAY_TASK_COUNT`.
    pub fn resolve(self, env: impl Fn(&str) -> Option<String>) -> Result<Shard, String> {
        let given = match self {
            ShardArg::Fixed(s) => return Ok(s),
            ShardArg::Auto(n) => n,
        };
        let number = |var: &str| -> Result<Option<i64>, String> {
            env(var)
                .map(|v| v.trim().parse::<i64>().map_err(|_| format!("--shard auto: {var}={v} is not an integer")))
                .transpose()
        };
        let (zero_based, from, n) = if let Some(i) = number("JOB_COMPLETION_INDEX")? {
            (i, "JOB_COMPLETION_INDEX", given)
        } else if let Some(id) = number("SLURM_ARRAY_TASK_ID")? {
            let min = number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
            let n = match given {
                Some(n) => Some(n),
                None => env("SLURM_ARRAY_TASK_COUNT").map(|c| count(&c)).transpose()?,
            };
            (id - min, "SLURM_ARRAY_TASK_ID", n)
        } else {
            return Err("--shard auto: neither JOB_COMPLETION_INDEX (Kubernetes Indexed Job) nor \
                        SLURM_ARRAY_TASK_ID (Slurm job array) is set; give --shard I/N"
                .into());
        };
        let Some(count) = n else {
            return Err(format!("--shard auto: {from} gives the shard but not how many there are; use --shard auto/N"));
        };
        match u32::try_from(zero_based + 1) {
            Ok(index) if (1..=count).contains(&index) => Ok(Shard { index, count }),
            _ => Err(format!(
                "--shard auto: {from} gives shard {} (0-based {zero_based}), outside 1..{count}",
                zero_based + 1
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
    }

    #[test]
    fn parses_fixed_and_auto() {
        assert_eq!("2/3".parse(), Ok(ShardArg::Fixed(Shard { index: 2, count: 3 })));
        assert_eq!("auto".parse(), Ok(ShardArg::Auto(None)));
        assert_eq!("auto/4".parse(), Ok(ShardArg::Auto(Some(4))));
        for bad in ["0/3", "4/3", "3", "a/3", "1/0", "auto/x"] {
            assert!(bad.parse::<ShardArg>().is_err(), "{bad}");
        }
    }

    #[test]
    fn slices_are_disjoint_and_cover_every_point() {
        let shards: Vec<Shard> = (1..=3).map(|index| Shard { index, count: 3 }).collect();
        for p in 0..10 {
            assert_eq!(shards.iter().filter(|s| s.contains(p)).count(), 1);
        }
        assert!(shards[1].contains(4)); // 4 % 3 == 1 → shard 2
    }

    #[test]
    fn auto_reads_kubernetes_then_slurm() {
        let k8s = [("JOB_COMPLETION_INDEX", "0")];
        assert_eq!(ShardArg::Auto(Some(3)).resolve(env(&k8s)), Ok(Shard { index: 1, count: 3 }));
        assert!(ShardArg::Auto(None).resolve(env(&k8s)).unwrap_err().contains("auto/N"));
        // --array=1-4: ids 1..4 from min 1; the count comes from Slurm.
        let slurm = [("SLURM_ARRAY_TASK_ID", "4"), ("SLURM_ARRAY_TASK_MIN", "1"), ("SLURM_ARRAY_TASK_COUNT", "4")];
        assert_eq!(ShardArg::Auto(None).resolve(env(&slurm)), Ok(Shard { index: 4, count: 4 }));
        // --array=0-3 without MIN in the environment counts from 0.
        let slurm0 = [("SLURM_ARRAY_TASK_ID", "3")];
        assert_eq!(ShardArg::Auto(Some(4)).resolve(env(&slurm0)), Ok(Shard { index: 4, count: 4 }));
        assert!(ShardArg::Auto(Some(2)).resolve(env(&slurm0)).unwrap_err().contains("outside 1..2"));
        assert!(ShardArg::Auto(Some(2)).resolve(env(&[])).unwrap_err().contains("neither"));
        let fixed = ShardArg::Fixed(Shard { index: 1, count: 2 });
        assert_eq!(fixed.resolve(env(&k8s)), Ok(Shard { index: 1, count: 2 }));
    }
}
