//! A table: its definition, its items (in an [`ItemStore`] keyed by the order-preserving
//! key encoding) and one store per secondary index, kept in step on every write.

pub mod describe;
pub mod index;
pub mod schema;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::storage::{memory_store, ItemStore, StoreFactory};
use crate::types::key::encode_value;
use crate::types::{item_size, Item};
use schema::{KeySchema, TableDefinition};

/// A secondary index's items and their total size.
#[derive(Debug)]
pub struct IndexData {
    pub store: Box<dyn ItemStore>,
    pub size_bytes: usize,
}

impl IndexData {
    fn new(factory: StoreFactory) -> Self {
        IndexData {
            store: factory(),
            size_bytes: 0,
        }
    }
}

/// A table and its data.
#[derive(Debug)]
pub struct Table {
    pub def: TableDefinition,
    pub items: Box<dyn ItemStore>,
    pub size_bytes: usize,
    /// Index name to its entries.
    pub indexes: BTreeMap<String, IndexData>,
    /// (expiry in epoch seconds, stored key) of items with a TTL, when TTL is enabled.
    pub ttl_index: BTreeSet<(i64, Vec<u8>)>,
    /// Makes the stores of indexes added later.
    factory: StoreFactory,
}

/// The stored key of an item under a key schema (`None` if a key attribute is missing).
pub fn storage_key(schema: &KeySchema, item: &Item) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    for attr in schema.attributes() {
        encode_value(item.get(&attr.name)?, &mut out);
    }
    Some(out)
}

/// An item's primary key attributes.
pub fn key_of(schema: &KeySchema, item: &Item) -> Item {
    schema
        .attributes()
        .filter_map(|a| item.get(&a.name).map(|v| (a.name.clone(), v.clone())))
        .collect()
}

/// A key as DynamoDB JSON, hash attribute first.
pub fn key_json(schema: &KeySchema, item: &Item) -> Value {
    let mut map = Map::new();
    for attr in schema.attributes() {
        if let Some(v) = item.get(&attr.name) {
            map.insert(attr.name.clone(), v.to_json());
        }
    }
    Value::Object(map)
}

impl Table {
    /// An empty table in memory.
    pub fn new(def: TableDefinition) -> Self {
        Table::with_store(def, memory_store)
    }

    /// An empty table whose items and index entries live in stores made by `factory`.
    pub fn with_store(def: TableDefinition, factory: StoreFactory) -> Self {
        let indexes = def
            .indexes
            .iter()
            .map(|i| (i.name.clone(), IndexData::new(factory)))
            .collect();
        Table {
            def,
            items: factory(),
            size_bytes: 0,
            indexes,
            ttl_index: BTreeSet::new(),
            factory,
        }
    }

    /// The stored key of an item of this table.
    pub fn key_bytes(&self, item: &Item) -> Option<Vec<u8>> {
        storage_key(&self.def.key, item)
    }

    /// The item with this primary key.
    pub fn get(&self, key: &Item) -> Option<&Item> {
        self.items.get(&self.key_bytes(key)?)
    }

    /// Writes an item (replacing any with the same key), keeping indexes in step.
    /// Returns the replaced item.
    pub fn put(&mut self, item: Item) -> Option<Item> {
        let key = self.key_bytes(&item)?;
        let size = item_size(&item);
        let ttl = self.ttl_of(&item);
        let entries = self.index_entries(&item);
        let old = self.items.put(key.clone(), item);
        if let Some(old) = &old {
            self.size_bytes = self.size_bytes.saturating_sub(item_size(old));
            self.unindex(old);
            if let Some(t) = self.ttl_of(old) {
                self.ttl_index.remove(&(t, key.clone()));
            }
        }
        self.size_bytes += size;
        self.index(entries);
        if let Some(t) = ttl {
            self.ttl_index.insert((t, key));
        }
        old
    }

    /// Deletes the item with this key, keeping indexes in step.
    pub fn delete(&mut self, key: &Item) -> Option<Item> {
        let bytes = self.key_bytes(key)?;
        let old = self.items.remove(&bytes)?;
        if let Some(t) = self.ttl_of(&old) {
            self.ttl_index.remove(&(t, bytes));
        }
        self.size_bytes = self.size_bytes.saturating_sub(item_size(&old));
        self.unindex(&old);
        Some(old)
    }

    /// An item's entries in the secondary indexes that hold it: (index position in the
    /// definition, entry key, projected item).
    fn index_entries(&self, item: &Item) -> Vec<(usize, Vec<u8>, Item)> {
        let mut entries = Vec::new();
        for (position, def) in self.def.indexes.iter().enumerate() {
            if let Some(k) = index::index_entry_key(def, &self.def.key, item) {
                entries.push((position, k, index::project(def, &self.def.key, item)));
            }
        }
        entries
    }

    /// Stores index entries made by [`Table::index_entries`].
    fn index(&mut self, entries: Vec<(usize, Vec<u8>, Item)>) {
        for (position, k, projected) in entries {
            let Some(def) = self.def.indexes.get(position) else {
                continue;
            };
            if let Some(data) = self.indexes.get_mut(&def.name) {
                data.size_bytes += item_size(&projected);
                if let Some(old) = data.store.put(k, projected) {
                    data.size_bytes = data.size_bytes.saturating_sub(item_size(&old));
                }
            }
        }
    }

    fn unindex(&mut self, item: &Item) {
        for def in &self.def.indexes {
            if let Some(k) = index::index_entry_key(def, &self.def.key, item) {
                if let Some(data) = self.indexes.get_mut(&def.name) {
                    if let Some(old) = data.store.remove(&k) {
                        data.size_bytes = data.size_bytes.saturating_sub(item_size(&old));
                    }
                }
            }
        }
    }

    /// Builds (backfills) one index's entries from all items.
    pub fn rebuild_index(&mut self, name: &str) {
        let Some(def) = self.def.index(name).cloned() else {
            return;
        };
        let mut data = IndexData::new(self.factory);
        for (_, item) in self.items.range(
            std::ops::Bound::Unbounded,
            std::ops::Bound::Unbounded,
            false,
        ) {
            if let Some(k) = index::index_entry_key(&def, &self.def.key, item) {
                let projected = index::project(&def, &self.def.key, item);
                data.size_bytes += item_size(&projected);
                data.store.put(k, projected);
            }
        }
        self.indexes.insert(name.to_string(), data);
    }

    /// The expiry (epoch seconds) of an item, when TTL is enabled and the item has a
    /// numeric TTL attribute.
    pub fn ttl_of(&self, item: &Item) -> Option<i64> {
        let ttl = self.def.ttl.as_ref().filter(|t| t.enabled)?;
        match item.get(&ttl.attribute)? {
            crate::types::AttributeValue::N(n) => Some(n.to_f64_lossy().floor() as i64),
            _ => None,
        }
    }

    /// Rebuilds the TTL index (after TTL is enabled or disabled).
    pub fn rebuild_ttl(&mut self) {
        let mut index = BTreeSet::new();
        for (key, item) in self.items.range(
            std::ops::Bound::Unbounded,
            std::ops::Bound::Unbounded,
            false,
        ) {
            if let Some(t) = self.ttl_of(item) {
                index.insert((t, key.clone()));
            }
        }
        self.ttl_index = index;
    }

    /// Keys of items whose TTL has passed at `now_secs` (items expired more than five
    /// years before are ignored, as DynamoDB ignores them).
    pub fn expired(&self, now_secs: i64) -> Vec<Item> {
        let oldest = now_secs - 5 * 365 * 24 * 3600;
        self.ttl_index
            .range((oldest, Vec::new())..)
            .take_while(|(t, _)| *t <= now_secs)
            .filter_map(|(_, k)| self.items.get(k).map(|i| key_of(&self.def.key, i)))
            .collect()
    }

    /// Number of items.
    pub fn item_count(&self) -> usize {
        self.items.len()
    }
}

impl IndexData {
    /// Number of entries.
    pub fn store_len(&self) -> usize {
        self.store.len()
    }
}
