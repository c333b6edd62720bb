//! How an engine's state is laid out as IndexedDB records (pure Rust, no browser): which
//! records a [`Change`] writes or deletes ([`ops_for`]) and how the stored records read
//! back as a [`Snapshot`] ([`assemble`]). Values are JSON text.
//!
//! - `tables`: key = table name, value = `{"name": ..., "definition": ...}`;
//! - `items`: key = `<table>\u{0}<primary key JSON>`, value = `{"table": ..., "item": ...}`;
//! - `streams`: key = `<table>\u{0}<sequence, 20 digits>`, value = `{"table": ..., "record":
//!   ...}` (a [`StoredStreamRecord`]); zero-padded, so a table's records sort by sequence;
//! - `tokens`: key = client request token, value = a [`StoredToken`];
//! - `meta`: key `engine`, value = `{"sequence": N}`: the engine's counter, so sequence
//!   numbers keep increasing after a reload; key `compacted`, value = the number of the last
//!   commit folded into the stores above (text);
//! - `log` (version 3): key = commit number (a number key), value = a [`LogEntry`]. A write
//!   is one entry added under the next number (so two writers can never both take it); the
//!   entries after `compacted` are folded into the stores above now and then, and the state
//!   is the stores plus those entries replayed. The recent entries also let another tab or
//!   worker catch up by replaying what it missed instead of reloading everything;
//! - `documents` (version 3): key = name, value = text the page keeps (its workspace
//!   document: definition, input, what is selected);
//! - `runs` (version 3): key = run number, 20 digits, value = a finished run as JSON text;
//! - `snapshot` (version 4): key = segment number from 0, value = a piece (a `Uint8Array`) of
//!   the UTF-8 JSON text of the engine's whole [`Snapshot`] at commit `compacted`
//!   ([`snapshot_segments`]). Reading a
//!   few large records is many times faster than reading one record per item (10,000 items:
//!   about 30 ms against 100-200 ms in Chromium), so the state is checkpointed this way and
//!   the per-item stores above are only read from databases written before version 4 (a
//!   checkpoint empties them).
//!
//! All items (and stream records) of a table share the prefix `<table>\u{0}`, so a table's
//! records are the key range [`table_range`]. Table names cannot contain NUL (DynamoDB allows
//! `[a-zA-Z0-9_.-]`), so prefixes never overlap. The first layout had only `tables` and
//! `items`; a database written then reads back with no stream records or tokens.

use crate::error::IdbError;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use statebox_dynamo::change::{StoredStreamRecord, StoredToken};
use statebox_dynamo::{Change, Commit, Snapshot, TableSnapshot};
use std::collections::BTreeMap;

pub const TABLES: &str = "tables";
pub const ITEMS: &str = "items";
pub const STREAMS: &str = "streams";
pub const TOKENS: &str = "tokens";
pub const META: &str = "meta";
pub const LOG: &str = "log";
pub const DOCUMENTS: &str = "documents";
pub const RUNS: &str = "runs";
pub const SNAPSHOT: &str = "snapshot";
/// The stores an engine's state lives in: the checkpoint and the per-item stores of
/// databases written before version 4.
pub const ENGINE_STORES: [&str; 6] = [TABLES, ITEMS, STREAMS, TOKENS, META, SNAPSHOT];
/// The stores a commit or a checkpoint writes: the engine's and the commit log.
pub const WRITE_STORES: [&str; 7] = [TABLES, ITEMS, STREAMS, TOKENS, META, SNAPSHOT, LOG];
/// Every object store, in the order they were introduced (version 1: the first two;
/// version 2: up to `meta`; version 3: up to `runs`; version 4: all).
pub const STORES: [&str; 9] = [
    TABLES, ITEMS, STREAMS, TOKENS, META, LOG, DOCUMENTS, RUNS, SNAPSHOT,
];
/// The `meta` key of the engine's counter.
pub const META_KEY: &str = "engine";
/// The `meta` key of the number of the last commit folded into the engine's stores.
pub const COMPACTED_KEY: &str = "compacted";
/// Checkpoint once this many commits wait, even while writes go on (otherwise the state is
/// checkpointed when the workspace is idle), whatever the state's size.
pub const COMPACT_LIMIT: u64 = 16_384;
/// Checkpoint while writes go on once at least this many commits wait and they are more
/// than the last checkpoint's size in units of [`COMPACT_BYTES_PER_COMMIT`]
/// ([`compact_due`]): a reload then replays at most about that many, and checkpoints cost a
/// bounded share of the writes (writing 2 KiB of checkpoint per commit).
pub const COMPACT_FLOOR: u64 = 512;
/// See [`COMPACT_FLOOR`].
pub const COMPACT_BYTES_PER_COMMIT: usize = 2048;
/// The most text one `snapshot` record holds.
pub const SEGMENT_BYTES: usize = 1 << 20;
/// How many commits the log keeps: a reader further behind reloads everything.
pub const LOG_KEEP: u64 = 1024;

/// One entry of the commit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LogEntry {
    /// A commit, as the engine made it.
    Commit(Commit),
    /// Everything was replaced (an import or a clear): readers reload.
    Reset,
}

/// A log entry to write, borrowing its commit (serialises exactly as [`LogEntry`]).
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum LogEntryRef<'a> {
    Commit(&'a Commit),
    Reset,
}

/// Reads a log entry back.
pub fn log_entry(text: &str) -> Result<LogEntry, IdbError> {
    read(LOG, text)
}

/// The `runs` key of run number `n`: zero-padded so runs sort in order.
pub fn run_key(n: u64) -> String {
    format!("{n:020}")
}

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

/// The value stored for a stream record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreamEntry {
    pub table: String,
    pub record: StoredStreamRecord,
}

/// The value stored under [`META_KEY`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MetaRecord {
    #[serde(default)]
    pub sequence: u64,
}

/// The `items` key of the item with primary key `key` in `table`.
pub fn item_key(table: &str, key: &Value) -> String {
    format!("{table}\u{0}{key}")
}

/// The `streams` key of the record with `sequence` in `table`'s stream.
pub fn stream_key(table: &str, sequence: u64) -> String {
    format!("{table}\u{0}{sequence:020}")
}

/// The half-open key range holding every item (or stream record) of `table`.
pub fn table_range(table: &str) -> (String, String) {
    (format!("{table}\u{0}"), format!("{table}\u{1}"))
}

/// One write to an object store.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Put {
        store: &'static str,
        key: String,
        value: String,
    },
    Delete {
        store: &'static str,
        key: String,
    },
    /// Deletes the keys in `[lo, hi)`.
    DeleteRange {
        store: &'static str,
        lo: String,
        hi: String,
    },
}

fn put(store: &'static str, key: String, value: &impl Serialize) -> Op {
    Op::Put {
        store,
        key,
        value: serde_json::to_string(value).unwrap_or_default(),
    }
}

/// The writes that store one change.
pub fn ops_for(change: &Change) -> Vec<Op> {
    match change {
        Change::PutTable { name, definition } => {
            let record = TableRecord {
                name: name.clone(),
                definition: definition.clone(),
            };
            vec![put(TABLES, name.clone(), &record)]
        }
        Change::DeleteTable { name } => {
            let (lo, hi) = table_range(name);
            vec![
                Op::Delete {
                    store: TABLES,
                    key: name.clone(),
                },
                Op::DeleteRange {
                    store: ITEMS,
                    lo: lo.clone(),
                    hi: hi.clone(),
                },
                Op::DeleteRange {
                    store: STREAMS,
                    lo,
                    hi,
                },
            ]
        }
        Change::PutItem { table, key, item } => {
            let record = ItemRecord {
                table: table.clone(),
                item: item.clone(),
            };
            vec![put(ITEMS, item_key(table, key), &record)]
        }
        Change::DeleteItem { table, key } => vec![Op::Delete {
            store: ITEMS,
            key: item_key(table, key),
        }],
        Change::StreamRecord { table, record } => {
            let entry = StreamEntry {
                table: table.clone(),
                record: record.clone(),
            };
            vec![put(STREAMS, stream_key(table, record.sequence), &entry)]
        }
        Change::ClientToken(token) => vec![put(TOKENS, token.token.clone(), token)],
        Change::Counter { sequence } => {
            let meta = MetaRecord {
                sequence: *sequence,
            };
            vec![put(META, META_KEY.to_string(), &meta)]
        }
    }
}

/// The stored values (JSON text) of every object store; those a database of the first
/// layout lacks are empty.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoredRecords {
    pub tables: Vec<String>,
    pub items: Vec<String>,
    pub streams: Vec<String>,
    pub tokens: Vec<String>,
    pub meta: Option<String>,
}

/// Whether `waiting` commits after a checkpoint of `bytes` should be checkpointed now,
/// while writes go on.
pub fn compact_due(waiting: u64, bytes: usize) -> bool {
    waiting >= COMPACT_LIMIT
        || waiting >= COMPACT_FLOOR.max((bytes / COMPACT_BYTES_PER_COMMIT) as u64)
}

/// The `snapshot` records of `snapshot`: its JSON text as UTF-8 bytes (stored as binary, so
/// reading it back is a copy, not a UTF-16 to UTF-8 conversion) cut into pieces of at most
/// `segment` bytes, in order.
pub fn snapshot_segments(snapshot: &Snapshot, segment: usize) -> Result<Vec<Vec<u8>>, IdbError> {
    let text = serde_json::to_vec(snapshot).map_err(|e| IdbError::browser("write", e))?;
    Ok(text.chunks(segment.max(1)).map(<[u8]>::to_vec).collect())
}

/// The snapshot the `snapshot` records hold (None when there are none: a database written
/// before version 4, or never checkpointed).
pub fn snapshot_of(segments: &[Vec<u8>]) -> Result<Option<Snapshot>, IdbError> {
    if segments.is_empty() {
        return Ok(None);
    }
    serde_json::from_slice(&segments.concat())
        .map(Some)
        .map_err(|e| IdbError::Corrupt {
            key: SNAPSHOT.into(),
            message: e.to_string(),
        })
}

fn read<T: for<'de> Deserialize<'de>>(store: &str, text: &str) -> Result<T, IdbError> {
    serde_json::from_str(text).map_err(|e| IdbError::Corrupt {
        key: store.into(),
        message: e.to_string(),
    })
}

/// Builds a snapshot from the stored values. Records of a table that is gone (left by an
/// interrupted delete) are dropped; retention is the engine's to apply when it loads.
pub fn assemble(stored: StoredRecords) -> Result<Snapshot, IdbError> {
    let mut by_table: BTreeMap<String, TableSnapshot> = BTreeMap::new();
    for text in &stored.tables {
        let record: TableRecord = read(TABLES, text)?;
        by_table.insert(
            record.name.clone(),
            TableSnapshot {
                name: record.name,
                definition: record.definition,
                items: Vec::new(),
            },
        );
    }
    for text in &stored.items {
        let record: ItemRecord = read(ITEMS, text)?;
        if let Some(table) = by_table.get_mut(&record.table) {
            table.items.push(record.item);
        }
    }
    let mut streams: BTreeMap<String, Vec<StoredStreamRecord>> = BTreeMap::new();
    for text in &stored.streams {
        let entry: StreamEntry = read(STREAMS, text)?;
        if by_table.contains_key(&entry.table) {
            streams.entry(entry.table).or_default().push(entry.record);
        }
    }
    for records in streams.values_mut() {
        records.sort_by_key(|r| r.sequence);
    }
    let tokens = stored
        .tokens
        .iter()
        .map(|text| read::<StoredToken>(TOKENS, text))
        .collect::<Result<Vec<_>, _>>()?;
    let meta: MetaRecord = match &stored.meta {
        Some(text) => read(META, text)?,
        None => MetaRecord::default(),
    };
    Ok(Snapshot {
        tables: by_table.into_values().collect(),
        sequence: meta.sequence,
        streams,
        tokens,
    })
}

#[cfg(test)]
mod tests;
