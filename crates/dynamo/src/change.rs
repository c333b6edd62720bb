//! What a committed write changed, and everything an engine holds: the data the
//! persistence layers (IndexedDB, `statebox serve --data`) store.
//!
//! Items and keys are in DynamoDB JSON (`{"OrderId": {"S": "001"}}`) so that stores need
//! not know the engine's types. A table's definition is an opaque JSON value that only the
//! engine reads back.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One change to the stored state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum Change {
    /// A table was created or its definition changed.
    PutTable { name: String, definition: Value },
    /// A table and all its items were deleted.
    DeleteTable { name: String },
    /// An item was written: its primary key (hash attribute first, then range) and the
    /// whole new item. Stores address items by `table` + `key`.
    PutItem {
        table: String,
        key: Value,
        item: Value,
    },
    /// An item was deleted (its primary key, hash attribute first).
    DeleteItem { table: String, key: Value },
}

/// Every change of one committed write, to be stored atomically.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Commit {
    pub changes: Vec<Change>,
}

/// One table: its definition and all its items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableSnapshot {
    pub name: String,
    pub definition: Value,
    pub items: Vec<Value>,
}

/// Everything an engine holds.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Snapshot {
    pub tables: Vec<TableSnapshot>,
}
