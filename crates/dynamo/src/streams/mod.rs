//! DynamoDB Streams: per-table change records and the Streams API (ListStreams,
//! DescribeStream, GetShardIterator, GetRecords). Each stream has one shard.

pub mod api;
pub mod record;

use std::collections::BTreeMap;

pub use record::StreamRecord;

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

    /// Forgets a deleted table's records.
    pub fn drop_table(&mut self, table: &str) {
        self.tables.remove(table);
    }

    /// Drops records older than the retention window.
    pub fn trim(&mut self, now_millis: i64) {
        for records in self.tables.values_mut() {
            let cutoff = now_millis - crate::limits::STREAM_RETENTION_MILLIS;
            let keep_from = records.partition_point(|r| r.created_millis < cutoff);
            if keep_from > 0 {
                records.drain(..keep_from);
            }
        }
    }
}
