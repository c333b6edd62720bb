//! JSONata for Statebox: parse an expression once ([`Query::parse`]), evaluate it against
//! JSON input with variables, host functions and limits ([`Environment`]), and get the
//! reference implementation's error codes ([`JsonataError`]). The language itself is the
//! `jsonata-core` crate, chosen by measurement on the reference suite; this crate bounds
//! every evaluation (depth, sequence length, time) and runs that suite's cases ([`suite`]).
//!
//! ```
//! use serde_json::json;
//! use statebox_jsonata::{Environment, Query};
//!
//! let query = Query::parse("$sum(Account.Order.Product.(Price * Quantity))").unwrap();
//! let input = json!({"Account": {"Order": [{"Product": [{"Price": 2, "Quantity": 3}]}]}});
//! let result = query.evaluate(Some(&input), &Environment::new()).unwrap();
//! assert_eq!(result, Some(json!(6)));
//! ```

pub mod error;
pub mod query;
pub mod suite;

pub use error::JsonataError;
pub use query::{Data, Environment, HostFunction, Limits, Query};
