//! The points of a sweep: the cartesian product of the `--set` values in the
//! order given (the first key varies slowest), with the `--link` keys as one
//! last axis whose values go in step (value `i` of every linked key together,
//! as GNU parallel's `--link`), and the scenario tree with a point's values
//! put in.

use super::spec::SetSpec;
use crate::scenario::node::Node;

/// Most points one sweep may have.
pub const MAX_POINTS: usize = 100_000;

/// All points of a sweep.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    /// The `--set` keys in the order given, then the `--link` keys.
    specs: Vec<SetSpec>,
    /// How many of `specs`, at the end, are `--link` keys.
    linked: usize,
    len: usize,
}

impl Grid {
    /// The product of the `sets` axes and, when `linked` is not empty, one
    /// axis of the linked keys (each key once; every linked key with as many
    /// values as the others, and at least two of them: one links nothing).
    pub fn new(sets: Vec<SetSpec>, linked: Vec<SetSpec>) -> Result<Grid, String> {
        if sets.is_empty() && linked.is_empty() {
            return Err("give at least one --set KEY=VALUES".into());
        }
        if let [only] = linked.as_slice() {
            return Err(format!(
                "--link {} alone links nothing: --link keys take their values in step with each other, \
                 so give two or more (or sweep it alone with --set)",
                only.key
            ));
        }
        let first = sets.len();
        let specs: Vec<SetSpec> = sets.into_iter().chain(linked).collect();
        let flag = |i: usize| if i < first { "--set" } else { "--link" };
        for (i, s) in specs.iter().enumerate() {
            if let Some(j) = specs[..i].iter().position(|t| t.key == s.key) {
                return Err(match (flag(j), flag(i)) {
                    (a, b) if a == b => format!("{a} {} is given twice; list all its values in one {a}", s.key),
                    _ => format!("{} is given with both --set and --link; give it once", s.key),
                });
            }
        }
        let links = &specs[first..];
        if links.iter().any(|s| s.values.len() != links[0].values.len()) {
            let counts: Vec<String> = links.iter().map(|s| format!("{} has {}", s.key, s.values.len())).collect();
            return Err(format!(
                "--link keys take their values in step, so each needs as many values: {}",
                counts.join(", ")
            ));
        }
        let axes = specs[..first].iter().chain(links.first()).map(|s| s.values.len());
        let len = axes.clone().try_fold(1usize, |n, v| n.checked_mul(v).filter(|&n| n <= MAX_POINTS));
        let Some(len) = len else {
            let counts: Vec<String> = axes.map(|v| v.to_string()).collect();
            return Err(format!("the sweep has {} points; at most {MAX_POINTS} are allowed", counts.join(" × ")));
        };
        Ok(Grid { linked: specs.len() - first, specs, len })
    }

    /// The swept keys: the `--set` keys in the order given, then the `--link` keys.
    pub fn specs(&self) -> &[SetSpec] {
        &self.specs
    }

    /// True when key `k` (by position in [`Grid::specs`]) came from `--link`.
    pub fn is_linked(&self, k: usize) -> bool {
        k >= self.specs.len() - self.linked
    }

    /// The flag key `k` came from, for messages: `--set` or `--link`.
    pub fn flag(&self, k: usize) -> &'static str {
        if self.is_linked(k) { "--link" } else { "--set" }
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there is no point (never, for a grid from [`Grid::new`]).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The index of each key's value at point `index` (the linked axis
    /// fastest, then the last `--set` key).
    pub fn choice(&self, index: usize) -> Vec<usize> {
        let mut rest = index;
        let mut out = vec![0; self.specs.len()];
        let first_linked = self.specs.len() - self.linked;
        if let Some(s) = self.specs.get(first_linked) {
            out[first_linked..].fill(rest % s.values.len());
            rest /= s.values.len();
        }
        for (k, s) in self.specs[..first_linked].iter().enumerate().rev() {
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

    fn specs(args: &[&str]) -> Vec<SetSpec> {
        args.iter().map(|a| parse(a).unwrap()).collect()
    }

    fn grid(args: &[&str]) -> Result<Grid, String> {
        Grid::new(specs(args), Vec::new())
    }

    fn linked(sets: &[&str], links: &[&str]) -> Result<Grid, String> {
        Grid::new(specs(sets), specs(links))
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
        assert!(Grid::new(Vec::new(), Vec::new()).is_err());
    }

    #[test]
    fn linked_keys_vary_together_as_the_last_axis() {
        // a=1,2 × the linked pairs (4, 3000), (8, 4500), (16, 7000): 2 × 3 = 6
        // points (not 2 × 3 × 3 = 18), a slowest, the pairs never mixed.
        let g = linked(&["a=1,2"], &["b=4,8,16", "c=3000,4500,7000"]).unwrap();
        assert_eq!(g.len(), 6);
        let all: Vec<String> = (0..6).map(|i| g.labels(i).join(" ")).collect();
        assert_eq!(all, ["1 4 3000", "1 8 4500", "1 16 7000", "2 4 3000", "2 8 4500", "2 16 7000"]);
        assert_eq!(g.describe(4), "a=2, b=8, c=4500");
        assert_eq!((g.flag(0), g.flag(1), g.flag(2)), ("--set", "--link", "--link"));
        // Linked keys alone: one point per pair; ranges link too (4, 8, 12, 16 with 4 prices).
        let g = linked(&[], &["b=4..16:4", "c=3000,4500,6000,7000"]).unwrap();
        assert_eq!(g.len(), 4);
        assert_eq!(g.labels(2), ["12", "6000"]);
        let tree = Node::parse("b = 1\nc = 1\n").unwrap();
        let t = g.apply(&tree, 3).unwrap();
        assert_eq!(
            (t.get("b").unwrap().value.clone(), t.get("c").unwrap().value.clone()),
            (Value::Int(16), Value::Int(7000))
        );
    }

    #[test]
    fn refuses_unequal_links_a_lone_link_and_keys_given_twice() {
        let e = linked(&[], &["b=4,8,16", "c=3000,4500"]).unwrap_err();
        assert_eq!(e, "--link keys take their values in step, so each needs as many values: b has 3, c has 2");
        let e = linked(&["a=1,2"], &["b=4,8"]).unwrap_err();
        assert!(e.starts_with("--link b alone links nothing"), "{e}");
        let e = linked(&["b=1,2"], &["b=4,8", "c=1,2"]).unwrap_err();
        assert_eq!(e, "b is given with both --set and --link; give it once");
        let e = linked(&[], &["b=4,8", "c=1,2", "b=5,6"]).unwrap_err();
        assert!(e.starts_with("--link b is given twice"), "{e}");
        // The linked axis counts once in the product: 1000 × 1000 pairs is 10⁶ points.
        let e = linked(&["a=1..1000"], &["b=1..1000", "c=1..1000"]).unwrap_err();
        assert!(e.contains("1000 × 1000 points"), "{e}");
    }
}
