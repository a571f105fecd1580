//! Placing text labels next to points so that no two labels overlap each
//! other or the points, and all stay inside the plot (greedy: nearest free
//! spot among positions around the point, in rings further out).

/// An axis-aligned box in pixels: `(left, top, right, bottom)`.
pub type Rect = (i32, i32, i32, i32);

fn overlap(a: Rect, b: Rect) -> i64 {
    let w = (a.2.min(b.2) - a.0.max(b.0)).max(0) as i64;
    let h = (a.3.min(b.3) - a.1.max(b.1)).max(0) as i64;
    w * h
}

/// How much covering an obstacle costs, per pixel of overlap: text,
/// markers and other labels must stay readable ([`HARD`]); a line running
/// under a label is tolerable ([`SOFT`]).
pub const HARD: i64 = 100;
/// See [`HARD`].
pub const SOFT: i64 = 1;

/// For each point `(x, y)` with label size `(w, h)`, the top-left corner of
/// its label. `obstacles` are weighted boxes labels should avoid (markers,
/// lines); placed labels become [`HARD`] obstacles for the next ones.
/// `bounds` is the box labels must stay in. Positions are tried right,
/// left, above, below and diagonally, at growing distances; the first free
/// one is kept, else the cheapest. Deterministic.
pub fn place(points: &[(i32, i32)], sizes: &[(i32, i32)], obstacles: &[(Rect, i64)], bounds: Rect) -> Vec<(i32, i32)> {
    let mut taken: Vec<(Rect, i64)> = obstacles.to_vec();
    let mut out = Vec::with_capacity(points.len());
    for (&(x, y), &(w, h)) in points.iter().zip(sizes) {
        let mut best: Option<((i32, i32), i64)> = None;
        'rings: for ring in 1..=10 {
            let d = 4 + 14 * ring;
            let candidates = [
                (x + d, y - h / 2),
                (x - d - w, y - h / 2),
                (x - w / 2, y - d - h),
                (x - w / 2, y + d),
                (x + d, y - d - h + 6),
                (x + d, y + d - 6),
                (x - d - w, y - d - h + 6),
                (x - d - w, y + d - 6),
            ];
            for (lx, ly) in candidates {
                let rect = (lx, ly, lx + w, ly + h);
                let inside = lx >= bounds.0 && ly >= bounds.1 && lx + w <= bounds.2 && ly + h <= bounds.3;
                let outside_penalty = if inside { 0 } else { i64::MAX / 4 };
                let cost = taken.iter().map(|&(t, weight)| weight * overlap(t, rect)).sum::<i64>() + outside_penalty;
                if best.is_none_or(|(_, c)| cost < c) {
                    best = Some(((lx, ly), cost));
                }
                if cost == 0 {
                    break 'rings;
                }
            }
        }
        let (pos, _) = best.unwrap_or(((x, y), 0));
        taken.push(((pos.0, pos.1, pos.0 + w, pos.1 + h), HARD));
        out.push(pos);
    }
    out
}

/// The point of `rect` nearest to `p` (where a leader line from `p` ends).
pub fn nearest_point(rect: Rect, p: (i32, i32)) -> (i32, i32) {
    (p.0.clamp(rect.0, rect.2), p.1.clamp(rect.1, rect.3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_of_close_points_do_not_overlap() {
        // Three points 5 px apart, labels 80×20: all would start at the
        // right of their point and collide; the placer spreads them.
        let points = [(100, 100), (105, 100), (110, 100)];
        let sizes = [(80, 20); 3];
        let obstacles: Vec<(Rect, i64)> = points.iter().map(|&(x, y)| ((x - 8, y - 8, x + 8, y + 8), HARD)).collect();
        let pos = place(&points, &sizes, &obstacles, (0, 0, 400, 300));
        let rects: Vec<Rect> = pos.iter().map(|&(x, y)| (x, y, x + 80, y + 20)).collect();
        for i in 0..3 {
            for j in 0..3 {
                if i != j {
                    assert_eq!(overlap(rects[i], rects[j]), 0, "{rects:?}");
                }
            }
            for (o, _) in &obstacles {
                assert_eq!(overlap(rects[i], *o), 0, "{rects:?}");
            }
        }
    }

    #[test]
    fn a_line_is_crossed_rather_than_a_label() {
        // A full-height line (soft) right of the point, and a label (hard)
        // left of it: the new label crosses the line.
        let line = ((110, 0, 114, 300), SOFT);
        let label = ((0, 0, 95, 300), HARD);
        let pos = place(&[(100, 150)], &[(80, 20)], &[line, label], (0, 0, 400, 300));
        assert!(pos[0].0 > 100, "{pos:?}");
    }

    #[test]
    fn labels_stay_inside() {
        // A point at the right edge gets its label on the left.
        let pos = place(&[(395, 150)], &[(80, 20)], &[], (0, 0, 400, 300));
        assert!(pos[0].0 + 80 <= 400);
    }
}
