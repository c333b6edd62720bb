//! The CLI's error: a bad argument or input, reported with what and where.

use statebox_playground::PlaygroundError;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("cannot read or write {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    /// A file's content is wrong: the message says the line (and the case) where.
    #[error("{path}: {message}")]
    Input { path: String, message: String },
    #[error("{0}")]
    Playground(#[from] PlaygroundError),
    #[error("{0}")]
    Services(#[from] statebox_services::ServicesError),
    #[error("{0}")]
    Server(String),
}
