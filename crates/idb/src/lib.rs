//! IndexedDB persistence for a workspace: the DynamoDB engine's state, a log of recent
//! commits that keeps several tabs and workers in agreement, the page's documents and its
//! last runs.
//!
//! The engine reports each committed write as a [`statebox_dynamo::Commit`]; `Store::write`
//! runs the caller's operation inside one readwrite IndexedDB transaction that first catches
//! the caller up with commits other tabs made, then stores the operation's commits, so a page
//! reload never sees half a transaction and concurrent writers lose nothing. `Store::load`
//! reads everything back as a [`statebox_dynamo::Snapshot`] for
//! [`statebox_dynamo::Engine::restore`]. Object stores: `tables` (table name → definition),
//! `items` (table + primary key → item), `streams` (table + sequence → stream record),
//! `tokens` (TransactWriteItems client request tokens), `meta` (the engine's counter and the
//! last commit's number), `log`, `documents` and `runs`, values as JSON text; a database
//! written by an earlier version (1 or 2) opens with nothing lost.
//!
//! The record layout ([`records`]) is plain Rust and tested natively; the IndexedDB calls
//! exist only on wasm32.
//!
//! ```
//! use serde_json::json;
//! use statebox_idb::records::{assemble, item_key, StoredRecords};
//!
//! let key = item_key("Orders", &json!({"OrderId": {"S": "001"}}));
//! assert!(key.starts_with("Orders\u{0}"));
//! let snapshot = assemble(StoredRecords::default()).unwrap();
//! assert!(snapshot.tables.is_empty());
//! ```

pub mod error;
#[cfg(target_arch = "wasm32")]
mod future;
pub mod records;
#[cfg(target_arch = "wasm32")]
mod store;

pub use error::IdbError;
#[cfg(target_arch = "wasm32")]
pub use store::{request_persistence, CatchUp, Loaded, Store, VERSION};
