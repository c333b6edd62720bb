//! DynamoDB's limits, each in one named constant.

/// Largest item, in bytes (400 KB).
pub const MAX_ITEM_BYTES: usize = 400 * 1024;
/// Largest partition key value, in bytes.
pub const MAX_HASH_KEY_BYTES: usize = 2048;
/// Largest sort key value, in bytes.
pub const MAX_RANGE_KEY_BYTES: usize = 1024;
/// Longest attribute name, in UTF-8 bytes (65,536 and more are refused).
pub const MAX_ATTRIBUTE_NAME_BYTES: usize = 65_535;
/// Longest key attribute name and projected attribute name, in characters.
pub const MAX_KEY_NAME_CHARS: usize = 255;
/// Largest page a Query or Scan reads before stopping (1 MB).
pub const MAX_PAGE_BYTES: usize = 1024 * 1024;
/// Most items in one BatchWriteItem.
pub const MAX_BATCH_WRITE: usize = 25;
/// Largest BatchGetItem response before the rest goes to UnprocessedKeys (16 MB).
pub const MAX_BATCH_GET_RESPONSE_BYTES: usize = 16 * 1024 * 1024;
/// Most keys in one BatchGetItem.
pub const MAX_BATCH_GET: usize = 100;
/// Most actions in one TransactWriteItems / TransactGetItems.
pub const MAX_TRANSACT_ITEMS: usize = 100;
/// Largest transaction payload, in bytes (4 MB).
pub const MAX_TRANSACT_BYTES: usize = 4 * 1024 * 1024;
/// Most global secondary indexes per table.
pub const MAX_GSIS: usize = 20;
/// Most local secondary indexes per table.
pub const MAX_LSIS: usize = 5;
/// Most projected non-key attributes over all indexes of a table.
pub const MAX_PROJECTED_ATTRIBUTES: usize = 100;
/// Largest provisioned capacity value accepted.
pub const MAX_CAPACITY_UNITS: i64 = 1_000_000_000_000;
/// Bytes per write capacity unit.
pub const WRITE_UNIT_BYTES: usize = 1024;
/// Bytes per read capacity unit.
pub const READ_UNIT_BYTES: usize = 4096;
/// Most tags on one resource.
pub const MAX_TAGS: usize = 50;
/// How long a transaction's ClientRequestToken is remembered (10 minutes).
pub const IDEMPOTENCY_WINDOW_MILLIS: i64 = 10 * 60 * 1000;
/// How long stream records are kept (24 hours).
pub const STREAM_RETENTION_MILLIS: i64 = 24 * 60 * 60 * 1000;
/// Most records one GetRecords returns.
pub const MAX_GET_RECORDS: usize = 1000;
/// Most tables ListTables returns per page.
pub const MAX_LIST_TABLES: i64 = 100;
