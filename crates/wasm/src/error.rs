//! The crate's error: what a JavaScript caller sees as an `Error`'s message.

/// Why a workspace call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkspaceError {
    /// What the caller sent was refused: bad JSON (with line and column), an invalid
    /// definition (every diagnostic), a DynamoDB error (`<Type>: <message>`), an unknown
    /// task token.
    #[error("{0}")]
    Request(String),
    /// The workspace's storage failed; nothing of the call was stored.
    #[error("{0}")]
    Storage(#[from] statebox_idb::IdbError),
}

impl WorkspaceError {
    /// Whether the browser's storage quota is full.
    pub fn is_quota(&self) -> bool {
        matches!(self, WorkspaceError::Storage(e) if e.is_quota())
    }
}

impl From<String> for WorkspaceError {
    fn from(message: String) -> Self {
        WorkspaceError::Request(message)
    }
}

/// A JavaScript `Error` with the message.
pub fn js_error(message: impl std::fmt::Display) -> wasm_bindgen::JsValue {
    let message = message.to_string();
    #[cfg(target_arch = "wasm32")]
    {
        wasm_bindgen::JsError::new(&message).into()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        // Native builds (doc tests) never cross into JavaScript.
        let _ = message;
        wasm_bindgen::JsValue::NULL
    }
}
