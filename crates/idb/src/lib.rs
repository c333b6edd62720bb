//! IndexedDB persistence for the DynamoDB engine.
//!
//! The engine reports each committed write as a [`statebox_dynamo::Commit`]; [`Store::apply`]
//! writes one commit in one IndexedDB transaction, so a page reload never sees half a
//! transaction. [`Store::load`] reads everything back as a [`statebox_dynamo::Snapshot`] for
//! [`statebox_dynamo::Engine::restore`]. Object stores: `tables` (table name → definition),
//! `items` (table + primary key → item), `streams` (table + sequence → stream record),
//! `tokens` (TransactWriteItems client request tokens) and `meta` (the engine's counter),
//! values as JSON text; a database written before the last three existed still loads.
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
pub mod records;
#[cfg(target_arch = "wasm32")]
mod store;

pub use error::IdbError;
#[cfg(target_arch = "wasm32")]
pub use store::Store;
