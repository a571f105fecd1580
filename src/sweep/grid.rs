//! The cartesian product of the `--set` values: point `i` of the sweep, in
//! the order given (the first key varies slowest, the last fastest), and the
//! scenario tree with that point's values put in.

use super::spec::SetSpec;
use crate::scenario::node::Node;

/// Most points one sweep may have.
pub const MAX_POINTS: usize = 100_000;

/// All points of a sweep.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    specs: Vec<SetSpec>,
    len: usize,
}

impl Grid {
    /// The product of `specs` (at least one; each key once).
    pub fn new(specs: Vec<SetSpec>) -> Result<Grid, String> {
        if specs.is_empty() {
            return Err("give at least one --set KEY=VALUES".into());
        }
        for (i, s) in specs.iter().enumerate() {
            if specs[..i].iter().any(|t| t.key == s.key) {
                return Err(format!("--set {} is given twice; list all its values in one --set", s.key));
            }
        }
        let len = specs.iter().try_fold(1usize, |n, s| n.checked_mul(s.values.len()).filter(|&n| n <= MAX_POINTS));
        let Some(len) = len else {
            let counts: Vec<String> = specs.iter().map(|s| s.values.len().to_string()).collect();
            return Err(format!("the sweep has {} points; at most {MAX_POINTS} are allowed", counts.join(" × ")));
        };
        Ok(Grid { specs, len })
    }

    /// The swept keys, in the order given.
    pub fn specs(&self) -> &[SetSpec] {
        &self.specs
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there is no point (never, for a grid from [`Grid::new`]).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The index of each key's value at point `index` (last key fastest).
    pub fn choice(&self, index: usize) -> Vec<usize> {
        let mut rest = index;
        let mut out = vec![0; self.specs.len()];
        for (k, s) in self.specs.iter().enumerate().rev() {
            out[k] = rest % s.values.len();
            rest /= s.values.len();
        }
        out
    }

    /// The labels (the `sweep.csv` key cells) of point `index`.
    pub fn labels(&self, index: usize) -> Vec<String> {
        let choice = self.choice(index);
        self.specs.iter().zip(choice).map(|(s, c)| s.values[c].label.clone()).collect()
    }

    /// `key=value, key=value` for messages.
    pub fn describe(&self, index: usize) -> String {
        let labels = self.labels(index);
        let pairs = self.specs.iter().zip(&labels).map(|(s, l)| format!("{}={l}", s.key));
        pairs.collect::<Vec<_>>().join(", ")
    }

    /// `tree` with the values of point `index` put in; on failure, the key
    /// (by position) that could not be set and why.
    pub fn apply(&self, tree: &Node, index: usize) -> Result<Node, (usize, String)> {
        let mut tree = tree.clone();
        for (k, (s, c)) in self.specs.iter().zip(self.choice(index)).enumerate() {
            tree.set_path(&s.key, s.values[c].node.clone()).map_err(|e| (k, e))?;
        }
        Ok(tree)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::node::Value;
    use crate::sweep::spec::parse;

    fn grid(args: &[&str]) -> Result<Grid, String> {
        Grid::new(args.iter().map(|a| parse(a).unwrap()).collect())
    }

    #[test]
    fn points_are_in_cartesian_order_last_key_fastest() {
        let g = grid(&["a=1,2", "b=x,y,z"]).unwrap();
        assert_eq!(g.len(), 6);
        let all: Vec<Vec<String>> = (0..6).map(|i| g.labels(i)).collect();
        assert_eq!(all[0], ["1", "x"]);
        assert_eq!(all[2], ["1", "z"]);
        assert_eq!(all[3], ["2", "x"]);
        assert_eq!(g.describe(5), "a=2, b=z");
    }

    #[test]
    fn apply_sets_every_key() {
        let tree = Node::parse("[traffic]\nbase_rps = 1\n[[option]]\nname = \"web\"\nservers = 1\n").unwrap();
        let g = grid(&["traffic.base_rps=10,20", "option.web.servers=3"]).unwrap();
        let t = g.apply(&tree, 1).unwrap();
        assert_eq!(t.get("traffic").unwrap().get("base_rps").unwrap().value, Value::Int(20));
        let g = grid(&["traffic.base_rps=10", "option.db.servers=3"]).unwrap();
        let (key, e) = g.apply(&tree, 0).unwrap_err();
        assert_eq!(key, 1);
        assert!(e.contains("no element named \"db\""), "{e}");
    }

    #[test]
    fn refuses_repeated_keys_and_huge_products() {
        assert!(grid(&["a=1", "a=2"]).unwrap_err().contains("given twice"));
        let e = grid(&["a=1..1000", "b=1..1000"]).unwrap_err();
        assert!(e.contains("1000 × 1000 points"), "{e}");
        assert!(Grid::new(Vec::new()).is_err());
    }
}
