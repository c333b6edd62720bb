//! A DynamoDB engine for Statebox: tables in memory, AWS's behaviour, errors and order of
//! checks.
//!
//! The public contract: [`Engine::execute`] takes an operation name (`PutItem`) and its
//! request in DynamoDB's JSON wire shape, and returns the response in the same shape plus
//! the [`Commit`] of item changes it made; errors carry AWS's type and exact message.
//!
//! # Code map
//! - [`types`]: `Number` (exact decimal, AWS's range and messages), `AttributeValue`/`Item`
//!   and DynamoDB JSON, sizes as AWS counts them, the order-preserving key encoding.
//! - [`request`], [`validate`]: reading request JSON (SerializationException) and AWS's
//!   validation (`N validation errors detected: ...`, key schema, item checks), in AWS's order.
//! - [`table`]: definitions (serialized into snapshots), items in an [`storage::ItemStore`]
//!   keyed by the key encoding, one store per secondary index, a TTL index, descriptions.
//! - [`ops`]: one file per operation and [`ops::dispatch`]; `ops/write.rs` is the single write
//!   path (indexes, commit, stream record); `ops/read.rs` the Query/Scan loop;
//!   [`response`]: responses that borrow stored items, written as a `Value`
//!   ([`Engine::execute`]) or straight to JSON text ([`Engine::execute_to_json`]);
//!   `ops/expression.rs` the one seam to [`expr`] (expressions); [`legacy`] holds the
//!   pre-expression parameters (Expected, KeyConditions, AttributeUpdates, ...).
//! - [`streams`]: stream records and the DynamoDB Streams API; [`capacity`]: consumed
//!   capacity; [`clock`]: the injected clock (no system time: the crate builds for wasm).
//! - [`partiql`] runs ExecuteStatement, BatchExecuteStatement and ExecuteTransaction.
//!
//! Invariants: synchronous, deterministic, no I/O; no panics on any request; reads of one
//! key are key lookups and Query reads only its key range.
//!
//! ```
//! use serde_json::json;
//! use statebox_dynamo::Engine;
//!
//! let mut engine = Engine::new();
//! engine.execute("CreateTable", &json!({
//!     "TableName": "Orders",
//!     "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
//!     "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
//!     "BillingMode": "PAY_PER_REQUEST"
//! })).unwrap();
//! let put = engine.execute("PutItem", &json!({
//!     "TableName": "Orders",
//!     "Item": {"id": {"S": "1"}, "total": {"N": "0012.50"}}
//! })).unwrap();
//! assert_eq!(put.commit.unwrap().changes.len(), 1);
//! let got = engine.execute("GetItem", &json!({
//!     "TableName": "Orders", "Key": {"id": {"S": "1"}}
//! })).unwrap();
//! assert_eq!(got.response["Item"]["total"], json!({"N": "12.5"}));
//! let missing = engine.execute("GetItem", &json!({
//!     "TableName": "Nope", "Key": {"id": {"S": "1"}}
//! })).unwrap_err();
//! assert_eq!(missing.type_name, "ResourceNotFoundException");
//! ```

// DynamoError carries AWS's optional extra members (Item, CancellationReasons) inline: a
// public contract other crates read; errors are not on any hot path.
#![allow(clippy::result_large_err)]

pub mod capacity;
pub mod change;
pub mod clock;
pub mod error;
pub mod expr;
pub mod legacy;
pub mod limits;
pub mod ops;
pub mod partiql;
pub mod request;
pub mod response;
pub mod storage;
pub mod streams;
pub mod table;
pub mod types;
pub mod validate;

pub use change::{Change, Commit, Snapshot, TableSnapshot};
pub use clock::{Clock, VirtualClock};
pub use error::DynamoError;
pub use types::{AttributeValue, Item, Number};

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use table::Table;

/// The result of one successful operation: the response as a JSON value
/// ([`Engine::execute`]) or as JSON text (`Executed<Vec<u8>>`, [`Engine::execute_to_json`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Executed<R = Value> {
    /// The response body as DynamoDB returns it.
    pub response: R,
    /// What the operation changed, if it wrote anything.
    pub commit: Option<Commit>,
}

impl Executed {
    /// A response that changed nothing.
    pub fn read(response: Value) -> Self {
        Executed {
            response,
            commit: None,
        }
    }

    /// A response with its commit (`None` when the commit is empty).
    pub fn wrote(response: Value, commit: Commit) -> Self {
        Executed {
            response,
            commit: if commit.changes.is_empty() {
                None
            } else {
                Some(commit)
            },
        }
    }
}

/// The engine: all tables in memory.
pub struct Engine {
    pub(crate) tables: BTreeMap<String, Table>,
    pub(crate) clock: Box<dyn Clock>,
    /// A counter for deterministic ids (table ids, stream sequence numbers).
    pub(crate) sequence: u64,
    /// Stream records of tables with streams enabled.
    pub(crate) streams: streams::StreamStore,
    /// Recent TransactWriteItems client request tokens.
    pub(crate) tokens: ops::transact_write::Tokens,
    /// Makes the item stores of new tables and indexes.
    pub(crate) store_factory: storage::StoreFactory,
    /// Changes made outside a successful operation (TTL deletes swept before an operation
    /// that then failed), handed out with the next successful operation's commit.
    pub(crate) pending: Commit,
    /// Whether writes build their [`Commit`] (see [`Engine::set_commits`]).
    pub(crate) record_commits: bool,
}

impl Default for Engine {
    fn default() -> Self {
        Engine {
            tables: BTreeMap::new(),
            clock: Box::new(VirtualClock::new(clock::DEFAULT_EPOCH_MILLIS)),
            sequence: 0,
            streams: streams::StreamStore::default(),
            tokens: Default::default(),
            pending: Commit::default(),
            store_factory: storage::memory_store,
            record_commits: true,
        }
    }
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine")
            .field("tables", &self.tables.keys().collect::<Vec<_>>())
            .field("now_millis", &self.clock.now_millis())
            .finish()
    }
}

impl Engine {
    /// An empty engine on a virtual clock fixed at 2024-01-01T00:00:00Z.
    pub fn new() -> Self {
        Engine::default()
    }

    /// An empty engine on the given clock.
    pub fn with_clock(clock: Box<dyn Clock>) -> Self {
        Engine {
            clock,
            ..Engine::default()
        }
    }

    /// An empty engine whose tables keep their items in stores made by `factory`.
    pub fn with_store(factory: storage::StoreFactory) -> Self {
        Engine {
            store_factory: factory,
            ..Engine::default()
        }
    }

    /// Replaces the clock.
    pub fn set_clock(&mut self, clock: Box<dyn Clock>) {
        self.clock = clock;
    }

    /// Whether writes build their [`Commit`] (the default). A host that persists nothing
    /// (`statebox serve` without `--data`) turns it off: every operation then returns no
    /// commit, and writes skip making their changes' JSON.
    pub fn set_commits(&mut self, record: bool) {
        self.record_commits = record;
        if !record {
            self.pending = Commit::default();
        }
    }

    /// The clock's current time.
    pub fn now_millis(&self) -> i64 {
        self.clock.now_millis()
    }

    /// Runs one operation (`"PutItem"`, `"Query"`, ...) on its JSON request.
    ///
    /// Items whose TTL has passed on the engine's clock are deleted first (as TTL deletes in
    /// streams); those deletes are part of the returned commit.
    pub fn execute(&mut self, operation: &str, request: &Value) -> Result<Executed, DynamoError> {
        self.run(operation, request, |response| response.into_value())
    }

    /// [`Engine::execute`] with the response as JSON text: the same operation and the same
    /// JSON, written straight from the stored items (what the HTTP endpoint sends).
    pub fn execute_to_json(
        &mut self,
        operation: &str,
        request: &Value,
    ) -> Result<Executed<Vec<u8>>, DynamoError> {
        self.run(operation, request, |response| response.to_json_vec())
    }

    /// Runs one operation and writes its response with `finish` (while it may still borrow
    /// the engine's items).
    fn run<R>(
        &mut self,
        operation: &str,
        request: &Value,
        finish: impl FnOnce(response::Response<'_>) -> R,
    ) -> Result<Executed<R>, DynamoError> {
        let counter = self.sequence;
        let swept = self.sweep_ttl();
        self.pending.changes.extend(swept.changes);
        let outcome = ops::dispatch(self, operation, request)?;
        let mut executed = Executed {
            response: finish(outcome.response),
            commit: outcome.commit,
        };
        if !self.record_commits {
            executed.commit = None;
        } else if !self.pending.changes.is_empty() {
            let mut changes = std::mem::take(&mut self.pending.changes);
            if let Some(commit) = executed.commit.take() {
                changes.extend(commit.changes);
            }
            executed.commit = Some(Commit { changes });
        }
        if let Some(commit) = &mut executed.commit {
            if self.sequence != counter {
                commit.changes.push(Change::Counter {
                    sequence: self.sequence,
                });
            }
        }
        Ok(executed)
    }

    /// Deletes every item whose TTL attribute (epoch seconds) is at or before the clock's
    /// time, in tables with TTL enabled. Returns the deletes as one commit.
    pub fn sweep_ttl(&mut self) -> Commit {
        let now_secs = self.clock.now_millis().div_euclid(1000);
        let expired: Vec<(String, Vec<Item>)> = self
            .tables
            .values()
            .filter(|t| !t.ttl_index.is_empty())
            .map(|t| (t.def.name.clone(), t.expired(now_secs)))
            .filter(|(_, keys)| !keys.is_empty())
            .collect();
        let mut commit = Commit::default();
        for (table, keys) in expired {
            for key in keys {
                self.remove_item(&table, &key, true, &mut commit);
            }
        }
        self.streams.trim(self.clock.now_millis());
        commit
    }

    /// Changes not yet handed out with a successful operation (see [`Engine::execute`]).
    pub fn take_pending_commit(&mut self) -> Option<Commit> {
        let commit = std::mem::take(&mut self.pending);
        (!commit.changes.is_empty()).then_some(commit)
    }

    /// The next value of the engine's deterministic counter.
    pub(crate) fn next_sequence(&mut self) -> u64 {
        self.sequence = self.sequence.saturating_add(1);
        self.sequence
    }

    /// Everything the engine holds, for persistence: tables and items, the counter, the
    /// stream records within retention and the client request tokens within their window
    /// (both on the engine's clock).
    pub fn snapshot(&self) -> Snapshot {
        let now = self.clock.now_millis();
        Snapshot {
            tables: self
                .tables
                .values()
                .map(|t| TableSnapshot {
                    name: t.def.name.clone(),
                    definition: serde_json::to_value(&t.def).unwrap_or(Value::Null),
                    items: t
                        .items
                        .range(
                            std::ops::Bound::Unbounded,
                            std::ops::Bound::Unbounded,
                            false,
                        )
                        .map(|(_, item)| types::item_to_json(item))
                        .collect(),
                })
                .collect(),
            sequence: self.sequence,
            streams: self.streams.to_stored(now),
            tokens: ops::transact_write::tokens_to_stored(&self.tokens, now),
        }
    }

    /// The whole state as one commit, as if written into empty stores: every table, item,
    /// stream record within retention, token within its window, and the counter. A store
    /// that is emptied and then given this commit holds what [`Engine::snapshot`] holds.
    pub fn state_commit(&self) -> Commit {
        let now = self.clock.now_millis();
        let mut changes = Vec::new();
        for (name, t) in &self.tables {
            changes.push(Change::PutTable {
                name: name.clone(),
                definition: serde_json::to_value(&t.def).unwrap_or(Value::Null),
            });
            for (_, item) in t.items.range(
                std::ops::Bound::Unbounded,
                std::ops::Bound::Unbounded,
                false,
            ) {
                changes.push(Change::PutItem {
                    table: name.clone(),
                    key: table::key_json(&t.def.key, item),
                    item: types::item_to_json(item),
                });
            }
        }
        for (table, records) in self.streams.to_stored(now) {
            for record in records {
                changes.push(Change::StreamRecord {
                    table: table.clone(),
                    record,
                });
            }
        }
        for token in ops::transact_write::tokens_to_stored(&self.tokens, now) {
            changes.push(Change::ClientToken(token));
        }
        changes.push(Change::Counter {
            sequence: self.sequence,
        });
        Commit { changes }
    }

    /// Rebuilds an engine from a snapshot (on the default clock: see [`Engine::load`] to
    /// restore on another).
    pub fn restore(snapshot: Snapshot) -> Result<Self, DynamoError> {
        let mut engine = Engine::default();
        engine.load(snapshot)?;
        Ok(engine)
    }

    /// Replaces all tables, stream records and tokens with a snapshot's, keeping the clock.
    /// Records and tokens past their retention on that clock are not restored.
    pub fn load(&mut self, snapshot: Snapshot) -> Result<(), DynamoError> {
        let now = self.clock.now_millis();
        let mut tables = BTreeMap::new();
        for t in snapshot.tables {
            let def: table::schema::TableDefinition = serde_json::from_value(t.definition)
                .map_err(|e| {
                    DynamoError::new(
                        "InternalServerError",
                        format!("cannot restore table {}: {e}", t.name),
                    )
                })?;
            let mut table = Table::with_store(def, self.store_factory);
            for item in &t.items {
                table.put(types::stored_item_from_json(item)?);
            }
            tables.insert(t.name, table);
        }
        let streams = streams::StreamStore::from_stored(&snapshot.streams, now)?;
        let mut tokens = ops::transact_write::Tokens::new();
        for token in &snapshot.tokens {
            ops::transact_write::remember(&mut tokens, token, now);
        }
        self.tables = tables;
        self.streams = streams;
        self.tokens = tokens;
        // Keep deterministic ids (table ids, sequence numbers) above those already handed
        // out, also for a snapshot written before it held the counter.
        self.sequence = self
            .sequence
            .max(snapshot.sequence)
            .max(self.tables.len() as u64)
            .max(self.streams.last_sequence());
        Ok(())
    }

    /// Applies commits in order (a log's tail after a snapshot).
    pub fn replay<'a>(
        &mut self,
        commits: impl IntoIterator<Item = &'a Commit>,
    ) -> Result<(), DynamoError> {
        for change in commits.into_iter().flat_map(|c| &c.changes) {
            self.apply_change(change)?;
        }
        Ok(())
    }

    /// Applies one change (as stored by a persistence layer) to the engine's state. Replayed
    /// in order from an engine's snapshot, its commits rebuild the same state, counter
    /// included; stream records past retention are trimmed at the next operation.
    pub fn apply_change(&mut self, change: &Change) -> Result<(), DynamoError> {
        match change {
            Change::PutTable { name, definition } => {
                let def: table::schema::TableDefinition =
                    serde_json::from_value(definition.clone()).map_err(|e| {
                        DynamoError::new("InternalServerError", format!("bad definition: {e}"))
                    })?;
                match self.tables.get_mut(name) {
                    Some(t) => {
                        let ttl_changed = t.def.ttl != def.ttl;
                        let rebuild: Vec<String> = def
                            .indexes
                            .iter()
                            .filter(|i| t.def.index(&i.name).is_none())
                            .map(|i| i.name.clone())
                            .collect();
                        t.def = def;
                        t.indexes.retain(|n, _| t.def.index(n).is_some());
                        for n in rebuild {
                            t.rebuild_index(&n);
                        }
                        if ttl_changed {
                            t.rebuild_ttl();
                        }
                    }
                    None => {
                        let table = Table::with_store(def, self.store_factory);
                        self.tables.insert(name.clone(), table);
                    }
                }
            }
            Change::DeleteTable { name } => {
                self.tables.remove(name);
                self.streams.drop_table(name);
            }
            Change::PutItem { table, item, .. } => {
                if let Some(t) = self.tables.get_mut(table) {
                    t.put(types::stored_item_from_json(item)?);
                }
            }
            Change::DeleteItem { table, key } => {
                if let Some(t) = self.tables.get_mut(table) {
                    t.delete(&types::stored_item_from_json(key)?);
                }
            }
            Change::StreamRecord { table, record } => {
                // The number was handed out whether or not the table is still there.
                self.sequence = self.sequence.max(record.sequence);
                if self.tables.contains_key(table) {
                    let record = streams::StreamRecord::from_stored(record)?;
                    self.streams.insert(table, record);
                }
            }
            Change::Counter { sequence } => {
                self.sequence = self.sequence.max(*sequence);
            }
            Change::ClientToken(token) => {
                let now = self.clock.now_millis();
                ops::transact_write::remember(&mut self.tokens, token, now);
            }
        }
        Ok(())
    }
}
