//! Thinning long series before drawing: min/max per pixel column keeps
//! spikes visible while bounding the work (a 14-day run at 1-minute
//! buckets has 20 160 points per line; a chart is ~1500 px wide).

/// At most this many points per drawn line.
pub const MAX_POINTS: usize = 2000;

/// Splits `(xs[i], ys[i])` into runs of finite points (a NaN `y` is a gap,
/// e.g. a bucket that served nothing) and, when there are more than
/// `max_points`, keeps only the lowest and highest point of each of
/// `max_points / 2` equal-width x columns, in x order. `xs` must ascend.
pub fn segments(xs: &[f64], ys: &[f64], max_points: usize) -> Vec<Vec<(f64, f64)>> {
    let n = xs.len().min(ys.len());
    let points = xs[..n].iter().copied().zip(ys[..n].iter().copied());
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    let mut flush = |current: &mut Vec<(f64, f64)>| {
        if !current.is_empty() {
            out.push(std::mem::take(current));
        }
    };
    if n <= max_points.max(2) {
        for (x, y) in points {
            if x.is_finite() && y.is_finite() {
                current.push((x, y));
            } else {
                flush(&mut current);
            }
        }
        flush(&mut current);
        return out;
    }

    let columns = (max_points / 2).max(1);
    let finite_x = || xs[..n].iter().copied().filter(|x| x.is_finite());
    let x0 = finite_x().fold(f64::INFINITY, f64::min);
    let x1 = finite_x().fold(f64::NEG_INFINITY, f64::max);
    let width = if x1 > x0 { x1 - x0 } else { 1.0 };
    let column_of = |x: f64| (((x - x0) / width * columns as f64) as usize).min(columns - 1);

    // Per column: (lowest, highest) finite points and whether all were NaN.
    let mut col: Option<usize> = None;
    let mut low: Option<(f64, f64)> = None;
    let mut high: Option<(f64, f64)> = None;
    let emit = |current: &mut Vec<(f64, f64)>, low: Option<(f64, f64)>, high: Option<(f64, f64)>| match (low, high) {
        (Some(l), Some(h)) if l.0 < h.0 => current.extend([l, h]),
        (Some(l), Some(h)) if h.0 < l.0 => current.extend([h, l]),
        (Some(l), _) => current.push(l),
        _ => {}
    };
    for (x, y) in points {
        if !x.is_finite() {
            continue;
        }
        let c = column_of(x);
        if col != Some(c) {
            emit(&mut current, low.take(), high.take());
            col = Some(c);
        }
        if !y.is_finite() {
            // A gap: close the line drawn so far.
            emit(&mut current, low.take(), high.take());
            flush(&mut current);
            continue;
        }
        if low.is_none_or(|l| y < l.1) {
            low = Some((x, y));
        }
        if high.is_none_or(|h| y > h.1) {
            high = Some((x, y));
        }
    }
    emit(&mut current, low, high);
    flush(&mut current);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_series_split_at_gaps() {
        let xs = [0.0, 1.0, 2.0, 3.0, 4.0];
        let ys = [1.0, 2.0, f64::NAN, 4.0, 5.0];
        let s = segments(&xs, &ys, 100);
        assert_eq!(s, vec![vec![(0.0, 1.0), (1.0, 2.0)], vec![(3.0, 4.0), (4.0, 5.0)]]);
        assert!(segments(&[], &[], 100).is_empty());
        assert!(segments(&[0.0], &[f64::NAN], 100).is_empty());
    }

    #[test]
    fn long_series_keep_extremes() {
        // 20 160 points (14 days of minutes) with one spike at i = 5000.
        let n = 20_160;
        let xs: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let ys: Vec<f64> = (0..n).map(|i| if i == 5000 { 99.0 } else { 1.0 }).collect();
        let s = segments(&xs, &ys, MAX_POINTS);
        let total: usize = s.iter().map(Vec::len).sum();
        assert!(total <= MAX_POINTS, "{total}");
        assert!(s.iter().flatten().any(|&(x, y)| x == 5000.0 && y == 99.0));
        // x stays ascending within the line.
        assert!(s[0].windows(2).all(|w| w[0].0 <= w[1].0));
    }
}
