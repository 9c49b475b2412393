//! [`Ring`]: a log that keeps only its newest entries, so an endpoint that runs for days (the
//! request log, the traffic recorder) holds a bounded amount, and counts what it let go.

use std::collections::VecDeque;

/// The newest `limit` entries pushed, oldest first, and how many were pushed in all.
#[derive(Debug, Clone)]
pub(super) struct Ring<T> {
    limit: usize,
    entries: VecDeque<T>,
    pushed: u64,
}

impl<T> Ring<T> {
    /// An empty ring keeping at most `limit` entries (at least 1).
    pub(super) fn new(limit: usize) -> Self {
        Self {
            limit: limit.max(1),
            entries: VecDeque::new(),
            pushed: 0,
        }
    }

    /// Adds `entry`, dropping the oldest one when the ring is full.
    pub(super) fn push(&mut self, entry: T) {
        if self.entries.len() == self.limit {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
        self.pushed = self.pushed.saturating_add(1);
    }

    /// The entries kept, oldest first.
    pub(super) fn iter(&self) -> impl Iterator<Item = &T> {
        self.entries.iter()
    }

    /// How many entries are kept.
    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }

    /// How many entries were pushed since the ring was made, those dropped included.
    pub(super) fn pushed(&self) -> u64 {
        self.pushed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_newest_entries_and_counts_them_all() {
        let mut ring = Ring::new(3);
        for n in 0..10 {
            ring.push(n);
        }
        assert_eq!(ring.iter().copied().collect::<Vec<_>>(), [7, 8, 9]);
        assert_eq!((ring.len(), ring.pushed()), (3, 10));
        let mut one = Ring::new(0);
        one.push('a');
        one.push('b');
        assert_eq!(one.iter().copied().collect::<String>(), "b");
    }
}
