//! The crate's error.

/// An IndexedDB failure, or stored data that does not read back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdbError {
    /// The browser's IndexedDB refused an operation.
    #[error("IndexedDB {operation} failed: {message}")]
    Browser { operation: String, message: String },
    /// A stored record is not what this version wrote.
    #[error("stored record {key} is unreadable: {message}")]
    Corrupt { key: String, message: String },
}

impl IdbError {
    pub fn browser(operation: &str, e: impl std::fmt::Display) -> Self {
        IdbError::Browser {
            operation: operation.to_string(),
            message: e.to_string(),
        }
    }
}
