//! How tables and items are laid out as IndexedDB records (pure Rust, no browser).
//!
//! - `tables` store: key = table name, value = `{"name": ..., "definition": ...}` as JSON text;
//! - `items` store: key = `<table>\u{0}<primary key JSON>`, value = `{"table": ..., "item": ...}`
//!   as JSON text. All items of a table share the prefix `<table>\u{0}`, so a table's items are
//!   the key range [`table_range`]. Table names cannot contain NUL (DynamoDB allows
//!   `[a-zA-Z0-9_.-]`), so prefixes never overlap.

use crate::error::IdbError;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use statebox_dynamo::{Snapshot, TableSnapshot};
use std::collections::BTreeMap;

/// The value stored for a table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableRecord {
    pub name: String,
    pub definition: Value,
}

/// The value stored for an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemRecord {
    pub table: String,
    pub item: Value,
}

/// The `items` key of the item with primary key `key` in `table`.
pub fn item_key(table: &str, key: &Value) -> String {
    format!("{table}\u{0}{key}")
}

/// The half-open key range holding every item of `table`.
pub fn table_range(table: &str) -> (String, String) {
    (format!("{table}\u{0}"), format!("{table}\u{1}"))
}

/// Builds a snapshot from the stored values (JSON text) of both stores.
pub fn assemble(tables: Vec<String>, items: Vec<String>) -> Result<Snapshot, IdbError> {
    let mut by_table: BTreeMap<String, TableSnapshot> = BTreeMap::new();
    for text in tables {
        let record: TableRecord = serde_json::from_str(&text).map_err(|e| IdbError::Corrupt {
            key: "tables".into(),
            message: e.to_string(),
        })?;
        by_table.insert(
            record.name.clone(),
            TableSnapshot {
                name: record.name,
                definition: record.definition,
                items: Vec::new(),
            },
        );
    }
    for text in items {
        let record: ItemRecord = serde_json::from_str(&text).map_err(|e| IdbError::Corrupt {
            key: "items".into(),
            message: e.to_string(),
        })?;
        // An item whose table is gone was left by an interrupted delete: drop it.
        if let Some(table) = by_table.get_mut(&record.table) {
            table.items.push(record.item);
        }
    }
    Ok(Snapshot {
        tables: by_table.into_values().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn items_group_under_their_tables() {
        let tables = vec![json!({"name": "A", "definition": {"k": 1}}).to_string()];
        let items = vec![
            json!({"table": "A", "item": {"id": {"S": "1"}}}).to_string(),
            json!({"table": "Gone", "item": {"id": {"S": "2"}}}).to_string(),
        ];
        let snap = assemble(tables, items).unwrap();
        assert_eq!(snap.tables.len(), 1);
        assert_eq!(snap.tables[0].items, vec![json!({"id": {"S": "1"}})]);
    }

    #[test]
    fn table_ranges_do_not_overlap() {
        let (lo, hi) = table_range("A");
        let inside = item_key("A", &json!({"id": {"S": "zzz"}}));
        let other = item_key("A.b", &json!({"id": {"S": "1"}}));
        assert!(lo <= inside && inside < hi);
        assert!(!(lo <= other && other < hi));
    }

    #[test]
    fn corrupt_records_are_errors() {
        assert!(matches!(
            assemble(vec!["{".into()], vec![]),
            Err(IdbError::Corrupt { .. })
        ));
    }
}
