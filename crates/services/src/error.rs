//! The crate's error: problems with the inputs a person gives (mock config files).

/// What is wrong with a mock configuration, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServicesError {
    /// The file is not valid JSON.
    #[error("mock config is not valid JSON at line {line}, column {column}: {message}")]
    MockJson {
        line: usize,
        column: usize,
        message: String,
    },
    /// The JSON does not have the MockConfigFile shape; `pointer` says where.
    #[error("mock config {pointer}: {message}")]
    MockShape { pointer: String, message: String },
    /// `--test-case` names a test case the file does not define.
    #[error("mock config has no test case named '{name}' (test cases: {available})")]
    UnknownTestCase { name: String, available: String },
}
