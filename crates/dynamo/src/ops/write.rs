//! The one write path: stores or removes an item, keeps indexes in step, records the
//! [`Change`] for the commit (unless commits are off: [`Engine::set_commits`]) and the stream
//! record when the table has a stream (also a change of the same commit, so that a restored
//! engine serves the same records).

use crate::streams::StreamRecord;
use crate::table::{key_json, key_of};
use crate::types::{item_to_json, Item};
use crate::{Change, Commit, Engine};

impl Engine {
    /// Stores `item` in `table` (replacing any item with its key). Returns the old item.
    pub(crate) fn store_item(
        &mut self,
        table: &str,
        item: Item,
        commit: &mut Commit,
    ) -> Option<Item> {
        let now = self.clock.now_millis();
        let t = self.tables.get_mut(table)?;
        if self.record_commits {
            commit.changes.push(Change::PutItem {
                table: table.to_string(),
                key: key_json(&t.def.key, &item),
                item: item_to_json(&item),
            });
        }
        let Some(settings) = t.def.stream.clone() else {
            return t.put(item);
        };
        let key = key_of(&t.def.key, &item);
        let old = t.put(item.clone());
        if old.as_ref() != Some(&item) {
            self.sequence = self.sequence.saturating_add(1);
            self.append_record(
                table,
                StreamRecord {
                    sequence: self.sequence,
                    event_name: if old.is_some() { "MODIFY" } else { "INSERT" },
                    keys: key,
                    new_image: Some(item),
                    old_image: old.clone(),
                    created_millis: now,
                    view_type: settings.view_type,
                    ttl: false,
                    label: settings.label,
                },
                commit,
            );
        }
        old
    }

    /// Removes the item with `key` from `table`. Returns the removed item.
    pub(crate) fn remove_item(
        &mut self,
        table: &str,
        key: &Item,
        by_ttl: bool,
        commit: &mut Commit,
    ) -> Option<Item> {
        let now = self.clock.now_millis();
        let t = self.tables.get_mut(table)?;
        let old = t.delete(key)?;
        if self.record_commits {
            commit.changes.push(Change::DeleteItem {
                table: table.to_string(),
                key: key_json(&t.def.key, &old),
            });
        }
        if let Some(settings) = t.def.stream.clone() {
            let keys = key_of(&t.def.key, &old);
            self.sequence = self.sequence.saturating_add(1);
            self.append_record(
                table,
                StreamRecord {
                    sequence: self.sequence,
                    event_name: "REMOVE",
                    keys,
                    new_image: None,
                    old_image: Some(old.clone()),
                    created_millis: now,
                    view_type: settings.view_type,
                    ttl: by_ttl,
                    label: settings.label,
                },
                commit,
            );
        }
        Some(old)
    }

    /// Appends a record to `table`'s stream, and to the commit when commits are on.
    fn append_record(&mut self, table: &str, record: StreamRecord, commit: &mut Commit) {
        if self.record_commits {
            commit.changes.push(Change::StreamRecord {
                table: table.to_string(),
                record: record.to_stored(),
            });
        }
        self.streams.push(table, record);
    }
}

use crate::capacity::{write_units, Consumed};
use crate::table::index::{index_entry_key, project};
use crate::table::schema::TableDefinition;
use crate::types::item_size;
use serde_json::{json, Value};

/// Capacity consumed by replacing `old` with `new` (either may be absent): the table's
/// units for the larger item, plus each index entry written or deleted.
pub fn write_capacity(def: &TableDefinition, old: Option<&Item>, new: Option<&Item>) -> Consumed {
    let size = old
        .map(item_size)
        .unwrap_or(0)
        .max(new.map(item_size).unwrap_or(0));
    let mut consumed = Consumed::write(&def.name, write_units(size));
    for index in &def.indexes {
        let entry = |i: Option<&Item>| {
            i.and_then(|i| {
                index_entry_key(index, &def.key, i).map(|k| (k, project(index, &def.key, i)))
            })
        };
        let before = entry(old);
        let after = entry(new);
        let units = match (&before, &after) {
            (None, None) => 0.0,
            (Some((kb, pb)), Some((ka, pa))) => {
                if kb != ka {
                    write_units(item_size(pb)) + write_units(item_size(pa))
                } else if pb != pa {
                    write_units(item_size(pa).max(item_size(pb)))
                } else {
                    0.0
                }
            }
            (Some((_, p)), None) | (None, Some((_, p))) => write_units(item_size(p)),
        };
        if units > 0.0 {
            consumed.write += units;
            let map = if index.global {
                &mut consumed.gsis
            } else {
                &mut consumed.lsis
            };
            *map.entry(index.name.clone()).or_default() += units;
        }
    }
    consumed
}

/// `ItemCollectionMetrics` for a write to a table with local secondary indexes.
pub fn item_collection_metrics(def: &TableDefinition, item: &Item, asked: bool) -> Option<Value> {
    if !asked || !def.indexes.iter().any(|i| !i.global) {
        return None;
    }
    let hash = item.get(&def.key.hash.name)?;
    Some(json!({
        "ItemCollectionKey": { def.key.hash.name.clone(): hash.to_json() },
        "SizeEstimateRangeGB": [0.0, 1.0]
    }))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::Engine;

    #[test]
    fn writes_without_commits_still_write() {
        let mut engine = Engine::new();
        engine.set_commits(false);
        let table = json!({"TableName": "tbl",
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST"});
        assert_eq!(engine.execute("CreateTable", &table).unwrap().commit, None);
        let item = json!({"id": {"S": "a"}, "n": {"N": "1"}});
        let put = json!({"TableName": "tbl", "Item": item});
        assert_eq!(engine.execute("PutItem", &put).unwrap().commit, None);
        let key = json!({"TableName": "tbl", "Key": {"id": {"S": "a"}}});
        let got = engine.execute("GetItem", &key).unwrap();
        assert_eq!(got.response["Item"], item);
        assert_eq!(engine.execute("DeleteItem", &key).unwrap().commit, None);
        engine.set_commits(true);
        let commit = engine.execute("PutItem", &put).unwrap().commit.unwrap();
        assert_eq!(commit.changes.len(), 1);
    }
}
