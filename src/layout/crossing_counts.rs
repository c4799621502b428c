//! How many forward flows a horizontal run at a given height would cross over
//! a range of channels, for many runs at once. A loop's track spans every
//! channel between its ends; counting flow by flow, channel by channel, is
//! quadratic on a workflow whose loops return to its first step, so the
//! counts come from one sweep over the channels instead.

/// A flow's way through one channel: the heights where it enters and leaves.
pub type Pass = (f64, f64);

/// A run to count for: it crosses channels `first..=last` at `height`.
#[derive(Debug, Clone, Copy)]
pub struct TrackRun {
    pub first: usize,
    pub last: usize,
    pub height: f64,
}

/// Whether `y` lies strictly between `a` and `b` (by more than half a px):
/// a flow whose vertical part passes height `y`.
pub fn inside(y: f64, a: f64, b: f64) -> bool {
    y > a.min(b) + 0.5 && y < a.max(b) - 0.5
}

/// For every run, the number of passes in its channels that it crosses
/// (`inside(run.height, a, b)`). Runs past the last channel count none there.
pub fn crossings(passes: &[Vec<Pass>], runs: &[TrackRun]) -> Vec<usize> {
    let mut heights: Vec<f64> = runs.iter().map(|r| r.height).collect();
    heights.sort_by(f64::total_cmp);
    heights.dedup();
    // Each run's count is (passes up to its last channel) − (passes before
    // its first), both read while sweeping the channels in order.
    let mut reads: Vec<(usize, usize, bool)> = Vec::with_capacity(2 * runs.len());
    for (i, run) in runs.iter().enumerate() {
        if run.first <= run.last {
            reads.push((run.first, i, false));
            reads.push((run.last + 1, i, true));
        }
    }
    reads.sort_unstable_by_key(|&(channel, i, adds)| (channel, i, adds));
    let mut counts = vec![0isize; runs.len()];
    let mut tree = Fenwick::new(heights.len() + 1);
    let mut next = 0;
    for channel in 0..=passes.len() {
        while let Some(&(_, i, adds)) = reads.get(next).filter(|r| r.0 == channel) {
            let slot = heights.partition_point(|h| h.total_cmp(&runs[i].height).is_lt());
            let seen = tree.prefix(slot);
            counts[i] += if adds { seen } else { -seen };
            next += 1;
        }
        for &(a, b) in passes.get(channel).map_or(&[][..], Vec::as_slice) {
            let start = heights.partition_point(|h| *h <= a.min(b) + 0.5);
            let end = heights.partition_point(|h| *h < a.max(b) - 0.5);
            if start < end {
                tree.add(start, 1);
                tree.add(end, -1);
            }
        }
    }
    // Reads beyond the last channel see every pass.
    for &(_, i, adds) in &reads[next..] {
        let slot = heights.partition_point(|h| h.total_cmp(&runs[i].height).is_lt());
        let seen = tree.prefix(slot);
        counts[i] += if adds { seen } else { -seen };
    }
    counts.into_iter().map(|c| c.max(0) as usize).collect()
}

/// A Fenwick tree: add at a slot, sum of slots `0..=i`.
struct Fenwick(Vec<isize>);

impl Fenwick {
    fn new(len: usize) -> Fenwick {
        Fenwick(vec![0; len + 1])
    }

    fn add(&mut self, slot: usize, value: isize) {
        let mut i = slot + 1;
        while i < self.0.len() {
            self.0[i] += value;
            i += i & i.wrapping_neg();
        }
    }

    fn prefix(&self, slot: usize) -> isize {
        let mut i = (slot + 1).min(self.0.len() - 1);
        let mut sum = 0;
        while i > 0 {
            sum += self.0[i];
            i -= i & i.wrapping_neg();
        }
        sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same count the slow way, pass by pass.
    fn brute(passes: &[Vec<Pass>], run: &TrackRun) -> usize {
        (run.first..=run.last)
            .filter_map(|g| passes.get(g))
            .map(|p| p.iter().filter(|(a, b)| inside(run.height, *a, *b)).count())
            .sum()
    }

    #[test]
    fn sweep_counts_match_counting_pass_by_pass() {
        let mut seed = 7u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let passes: Vec<Vec<Pass>> =
            (0..40).map(|_| (0..next(5)).map(|_| ((next(10) * 20) as f64, (next(10) * 20) as f64)).collect()).collect();
        let runs: Vec<TrackRun> = (0..200)
            .map(|_| {
                let (a, b) = (next(45) as usize, next(45) as usize);
                TrackRun { first: a.min(b), last: a.max(b), height: (next(21) * 10) as f64 - 8.0 }
            })
            .collect();
        let fast = crossings(&passes, &runs);
        let slow: Vec<usize> = runs.iter().map(|r| brute(&passes, r)).collect();
        assert_eq!(fast, slow);
        assert!(slow.iter().any(|c| *c > 3), "the test must count real crossings");
    }

    #[test]
    fn a_height_on_a_pass_end_is_not_inside_it() {
        let passes = vec![vec![(0.0, 100.0)], vec![(100.0, 0.0)]];
        let at = |height| crossings(&passes, &[TrackRun { first: 0, last: 1, height }])[0];
        assert_eq!(at(50.0), 2);
        assert_eq!(at(100.0), 0);
        assert_eq!(at(0.2), 0);
    }
}
