//! "Did you mean …?" suggestions by edit distance.

/// The candidate closest to `word` (case-insensitive), if it is close enough
/// to be a likely typo: at most 2 edits, or a third of the word's length.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (levenshtein(&word, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// `, did you mean "x"?` or nothing.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(word, candidates).map(|c| format!(", did you mean \"{c}\"?")).unwrap_or_default()
}

/// The number of single-character insertions, deletions and substitutions
/// that turn `a` into `b`.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = substitution.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("instnces", "instances"), 1);
    }

    #[test]
    fn suggests_only_close_words() {
        let keys = ["servers", "cores", "instances"];
        assert_eq!(closest("instnces", keys), Some("instances"));
        assert_eq!(closest("Cors", keys), Some("cores"));
        assert_eq!(closest("banana", keys), None);
        assert_eq!(did_you_mean("sevrers", keys), ", did you mean \"servers\"?");
    }
}
