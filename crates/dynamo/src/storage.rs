//! Where items live: an ordered map from encoded key bytes (see [`crate::types::key`]) to
//! items, behind the [`ItemStore`] trait so another store can replace the in-memory one.

use std::collections::BTreeMap;
use std::ops::Bound;

use crate::types::Item;

/// An ordered key-value store of items. `Send`, so an engine can move to the thread that
/// serves it.
pub trait ItemStore: std::fmt::Debug + Send {
    fn get(&self, key: &[u8]) -> Option<&Item>;
    /// Stores an item, returning the one it replaced.
    fn put(&mut self, key: Vec<u8>, item: Item) -> Option<Item>;
    fn remove(&mut self, key: &[u8]) -> Option<Item>;
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Items with keys in the range, ascending or descending.
    fn range<'a>(
        &'a self,
        start: Bound<Vec<u8>>,
        end: Bound<Vec<u8>>,
        reverse: bool,
    ) -> Box<dyn Iterator<Item = (&'a Vec<u8>, &'a Item)> + 'a>;
}

/// Makes an empty store (one per table and one per secondary index).
pub type StoreFactory = fn() -> Box<dyn ItemStore>;

/// The default factory: an empty [`MemoryStore`].
pub fn memory_store() -> Box<dyn ItemStore> {
    Box::new(MemoryStore::default())
}

/// The in-memory store: a `BTreeMap`.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    items: BTreeMap<Vec<u8>, Item>,
}

impl ItemStore for MemoryStore {
    fn get(&self, key: &[u8]) -> Option<&Item> {
        self.items.get(key)
    }

    fn put(&mut self, key: Vec<u8>, item: Item) -> Option<Item> {
        self.items.insert(key, item)
    }

    fn remove(&mut self, key: &[u8]) -> Option<Item> {
        self.items.remove(key)
    }

    fn len(&self) -> usize {
        self.items.len()
    }

    fn range<'a>(
        &'a self,
        start: Bound<Vec<u8>>,
        end: Bound<Vec<u8>>,
        reverse: bool,
    ) -> Box<dyn Iterator<Item = (&'a Vec<u8>, &'a Item)> + 'a> {
        // BTreeMap::range panics on start > end or equal excluded bounds: guard.
        let empty = match (&start, &end) {
            (Bound::Included(s), Bound::Included(e)) => s > e,
            (Bound::Included(s), Bound::Excluded(e))
            | (Bound::Excluded(s), Bound::Included(e))
            | (Bound::Excluded(s), Bound::Excluded(e)) => s >= e,
            _ => false,
        };
        if empty {
            return Box::new(std::iter::empty());
        }
        let iter = self.items.range((start, end));
        if reverse {
            Box::new(iter.rev())
        } else {
            Box::new(iter)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_never_panic() {
        let mut s = MemoryStore::default();
        s.put(vec![1], Item::new());
        s.put(vec![2], Item::new());
        assert_eq!(
            s.range(Bound::Excluded(vec![2]), Bound::Excluded(vec![1]), false)
                .count(),
            0
        );
        assert_eq!(
            s.range(Bound::Included(vec![1]), Bound::Unbounded, true)
                .count(),
            2
        );
    }
}
