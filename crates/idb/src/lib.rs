//! IndexedDB persistence for the DynamoDB engine.
//!
//! The engine reports each committed write as a [`statebox_dynamo::Commit`]; [`Store::apply`]
//! writes one commit in one IndexedDB transaction, so a page reload never sees half a
//! transaction. [`Store::load`] reads everything back as a [`statebox_dynamo::Snapshot`] for
//! [`statebox_dynamo::Engine::restore`]. Two object stores: `tables` (table name → definition)
//! and `items` (table + primary key → item), values as JSON text.
//!
//! The record layout ([`records`]) is plain Rust and tested natively; the IndexedDB calls
//! exist only on wasm32.
//!
//! ```
//! use serde_json::json;
//! use statebox_idb::records::{item_key, assemble};
//!
//! let key = item_key("Orders", &json!({"OrderId": {"S": "001"}}));
//! assert!(key.starts_with("Orders\u{0}"));
//! let snapshot = assemble(vec![], vec![]).unwrap();
//! assert!(snapshot.tables.is_empty());
//! ```

pub mod error;
pub mod records;
#[cfg(target_arch = "wasm32")]
mod store;

pub use error::IdbError;
#[cfg(target_arch = "wasm32")]
pub use store::Store;
