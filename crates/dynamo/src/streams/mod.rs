//! DynamoDB Streams: per-table change records and the Streams API (ListStreams,
//! DescribeStream, GetShardIterator, GetRecords). Each stream has one shard. Records are kept
//! for [`STREAM_RETENTION_MILLIS`] on the engine's clock, also across snapshots.

pub mod api;
pub mod record;

use std::collections::BTreeMap;

pub use record::StreamRecord;

use crate::change::StoredStreamRecord;
use crate::limits::STREAM_RETENTION_MILLIS;
use crate::DynamoError;

/// Whether a record made at `created_millis` is still within retention at `now_millis`.
fn retained(created_millis: i64, now_millis: i64) -> bool {
    created_millis >= now_millis.saturating_sub(STREAM_RETENTION_MILLIS)
}

/// All captured records, by table name.
#[derive(Debug, Default, Clone)]
pub struct StreamStore {
    pub tables: BTreeMap<String, Vec<StreamRecord>>,
}

impl StreamStore {
    /// Appends a record to a table's stream.
    pub fn push(&mut self, table: &str, record: StreamRecord) {
        self.tables
            .entry(table.to_string())
            .or_default()
            .push(record);
    }

    /// Adds a replayed record in sequence order (one already held is not added twice).
    pub fn insert(&mut self, table: &str, record: StreamRecord) {
        let records = self.tables.entry(table.to_string()).or_default();
        let at = records.partition_point(|r| r.sequence < record.sequence);
        if records
            .get(at)
            .is_none_or(|r| r.sequence != record.sequence)
        {
            records.insert(at, record);
        }
    }

    /// Forgets a deleted table's records.
    pub fn drop_table(&mut self, table: &str) {
        self.tables.remove(table);
    }

    /// Drops records older than the retention window.
    pub fn trim(&mut self, now_millis: i64) {
        for records in self.tables.values_mut() {
            let keep_from = records.partition_point(|r| !retained(r.created_millis, now_millis));
            if keep_from > 0 {
                records.drain(..keep_from);
            }
        }
    }

    /// The records within retention at `now_millis`, as stored, by table (tables with none
    /// left out).
    pub fn to_stored(&self, now_millis: i64) -> BTreeMap<String, Vec<StoredStreamRecord>> {
        self.tables
            .iter()
            .map(|(table, records)| {
                let kept = records
                    .iter()
                    .filter(|r| retained(r.created_millis, now_millis))
                    .map(StreamRecord::to_stored)
                    .collect::<Vec<_>>();
                (table.clone(), kept)
            })
            .filter(|(_, records)| !records.is_empty())
            .collect()
    }

    /// Stored records read back: those within retention at `now_millis`, in sequence order.
    pub fn from_stored(
        stored: &BTreeMap<String, Vec<StoredStreamRecord>>,
        now_millis: i64,
    ) -> Result<StreamStore, DynamoError> {
        let mut store = StreamStore::default();
        for (table, records) in stored {
            let mut kept = records
                .iter()
                .filter(|r| retained(r.created_millis, now_millis))
                .map(StreamRecord::from_stored)
                .collect::<Result<Vec<_>, _>>()?;
            kept.sort_by_key(|r| r.sequence);
            if !kept.is_empty() {
                store.tables.insert(table.clone(), kept);
            }
        }
        Ok(store)
    }

    /// The highest sequence number held.
    pub fn last_sequence(&self) -> u64 {
        self.tables
            .values()
            .filter_map(|records| records.last())
            .map(|r| r.sequence)
            .max()
            .unwrap_or(0)
    }
}
