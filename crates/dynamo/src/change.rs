//! What a committed write changed, and everything an engine holds: the data the
//! persistence layers (IndexedDB, `statebox serve --data`) store.
//!
//! Items and keys are in DynamoDB JSON (`{"OrderId": {"S": "001"}}`) so that stores need
//! not know the engine's types. A table's definition is an opaque JSON value that only the
//! engine reads back. Stream records and TransactWriteItems client request tokens travel in
//! the same commit as the write that made them; fields added since the first format default
//! when absent, so stores written before them still load.

use std::collections::BTreeMap;

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
    /// A record was appended to a table's stream. Stores address records by `table` +
    /// `record.sequence`.
    StreamRecord {
        table: String,
        record: StoredStreamRecord,
    },
    /// A TransactWriteItems client request token was remembered (for 10 minutes).
    ClientToken(StoredToken),
    /// The engine's counter (table ids, stream sequence numbers) after the write, in the
    /// commit of every write that moved it, so that a restored engine numbers on.
    Counter { sequence: u64 },
}

/// A stream record as stored: what GetRecords returns for it, in DynamoDB JSON. Only the
/// images its view type shows are kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredStreamRecord {
    /// The engine-wide sequence number (GetRecords shows it times 100, 21 digits).
    pub sequence: u64,
    /// When the record was made, on the engine's clock.
    pub created_millis: i64,
    /// `INSERT`, `MODIFY` or `REMOVE`.
    pub event_name: String,
    pub keys: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_image: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_image: Option<Value>,
    /// `KEYS_ONLY`, `NEW_IMAGE`, `OLD_IMAGE` or `NEW_AND_OLD_IMAGES`.
    pub view_type: String,
    /// Deleted by TTL.
    #[serde(default, skip_serializing_if = "is_false")]
    pub ttl: bool,
    /// The stream label the record belongs to.
    pub label: String,
}

/// A remembered client request token: the request it came with (as a fingerprint), when,
/// and the response a retry gets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredToken {
    pub token: String,
    pub fingerprint: String,
    pub millis: i64,
    pub response: Value,
}

fn is_false(b: &bool) -> bool {
    !*b
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
    /// The engine's counter (table ids, stream sequence numbers), so that numbers handed
    /// out after a restore are above those handed out before.
    #[serde(default)]
    pub sequence: u64,
    /// Stream records within the retention window, by table name, oldest first.
    #[serde(default)]
    pub streams: BTreeMap<String, Vec<StoredStreamRecord>>,
    /// Client request tokens within their idempotency window.
    #[serde(default)]
    pub tokens: Vec<StoredToken>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A log line and a snapshot as written before stream records and tokens were stored.
    const FIRST_FORMAT_COMMIT: &str = include_str!("../tests/persist/first-format-commit.json");
    const FIRST_FORMAT_SNAPSHOT: &str = include_str!("../tests/persist/first-format-snapshot.json");

    #[test]
    fn the_first_format_still_loads() {
        let commit: Commit = serde_json::from_str(FIRST_FORMAT_COMMIT).unwrap();
        assert_eq!(commit.changes.len(), 2);
        let snapshot: Snapshot = serde_json::from_str(FIRST_FORMAT_SNAPSHOT).unwrap();
        assert_eq!(snapshot.tables.len(), 1);
        assert_eq!(snapshot.sequence, 0);
        assert!(snapshot.streams.is_empty() && snapshot.tokens.is_empty());
    }

    #[test]
    fn new_changes_round_trip() {
        let changes = vec![
            Change::StreamRecord {
                table: "T".into(),
                record: StoredStreamRecord {
                    sequence: 7,
                    created_millis: 1,
                    event_name: "INSERT".into(),
                    keys: serde_json::json!({"id": {"S": "a"}}),
                    new_image: None,
                    old_image: None,
                    view_type: "KEYS_ONLY".into(),
                    ttl: false,
                    label: "2024-01-01T00:00:00.000".into(),
                },
            },
            Change::ClientToken(StoredToken {
                token: "t".into(),
                fingerprint: "{}".into(),
                millis: 2,
                response: serde_json::json!({}),
            }),
        ];
        let text = serde_json::to_string(&Commit { changes }).unwrap();
        assert!(
            text.contains(r#""kind":"ClientToken","token":"t""#),
            "{text}"
        );
        let back: Commit = serde_json::from_str(&text).unwrap();
        assert_eq!(serde_json::to_string(&back).unwrap(), text);
    }
}
