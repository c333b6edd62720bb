//! The crate's error.

/// An IndexedDB failure, or stored data that does not read back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdbError {
    /// The browser's IndexedDB refused an operation.
    #[error("IndexedDB {operation} failed: {message}")]
    Browser { operation: String, message: String },
    /// The origin's storage quota is full: nothing of the operation was stored.
    #[error("the browser's storage for this site is full: the {operation} was not saved (free space by deleting tables or items, or other sites' data)")]
    QuotaExceeded { operation: String },
    /// This context has no IndexedDB (a private window, a sandboxed frame, Node).
    #[error("IndexedDB is unavailable: {reason}")]
    Unavailable { reason: String },
    /// The connection is gone (another tab upgraded the database, or the browser closed it).
    #[error("the workspace's storage is closed: {reason}")]
    Closed { reason: String },
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

    /// Whether the storage quota is full.
    pub fn is_quota(&self) -> bool {
        matches!(self, IdbError::QuotaExceeded { .. })
    }
}
