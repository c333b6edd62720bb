//! The server's error: what can stop `statebox serve` from starting or serving.

use std::path::PathBuf;

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// Binding or accepting on the listening socket failed.
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind {
        port: u16,
        #[source]
        source: std::io::Error,
    },
    /// The async runtime that serves connections could not start.
    #[error("cannot start the server's runtime: {0}")]
    Runtime(#[source] std::io::Error),
    /// Reading or writing a file of the data directory failed.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Another process holds the data directory's lock.
    #[error("{}: another statebox serve is using this data directory (stop it, or choose another --data)", dir.display())]
    Locked { dir: PathBuf },
    /// The data directory holds something that cannot be loaded.
    #[error("{}: {message}", path.display())]
    Corrupt { path: PathBuf, message: String },
}

impl ServerError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        ServerError::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn corrupt(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        ServerError::Corrupt {
            path: path.into(),
            message: message.into(),
        }
    }
}
