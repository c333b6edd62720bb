//! The crate's error: AWS's error type name and its exact message.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{type_name}: {message}")]
pub struct DynamoError {
    /// AWS's error type, e.g. `ResourceNotFoundException`, `ValidationException`.
    pub type_name: String,
    /// AWS's message text.
    pub message: String,
}

impl DynamoError {
    pub fn new(type_name: impl Into<String>, message: impl Into<String>) -> Self {
        DynamoError {
            type_name: type_name.into(),
            message: message.into(),
        }
    }
}
