//! A DynamoDB engine for Statebox (stub: being written for issue 4).
//!
//! The public contract: [`Engine::execute`] takes an operation name (`PutItem`) and its
//! request in DynamoDB's JSON wire shape, and returns the response in the same shape plus
//! the [`Commit`] of item changes it made; errors carry AWS's type and exact message.

pub mod change;
pub mod error;

pub use change::{Change, Commit, Snapshot, TableSnapshot};
pub use error::DynamoError;

use serde_json::Value;

/// The result of one successful operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Executed {
    /// The response body as DynamoDB returns it.
    pub response: Value,
    /// What the operation changed, if it wrote anything.
    pub commit: Option<Commit>,
}

/// The engine: all tables in memory.
#[derive(Debug, Default)]
pub struct Engine {}

impl Engine {
    pub fn new() -> Self {
        Engine::default()
    }

    /// Runs one operation (`"PutItem"`, `"Query"`, ...) on its JSON request.
    pub fn execute(&mut self, operation: &str, _request: &Value) -> Result<Executed, DynamoError> {
        Err(DynamoError::new(
            "UnknownOperationException",
            format!("operation {operation} is not implemented yet"),
        ))
    }

    /// Everything the engine holds, for persistence.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot::default()
    }

    /// Rebuilds an engine from a snapshot.
    pub fn restore(_snapshot: Snapshot) -> Result<Self, DynamoError> {
        Ok(Engine::default())
    }
}
