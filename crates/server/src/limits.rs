//! Every bound the server puts on a client, each in one named constant, gathered in
//! [`Limits`] (which a test can lower), and the open-file limit that caps connections.

use std::time::Duration;

/// Largest request head (request line and headers) accepted; hyper answers a larger one
/// `431` and closes.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;

/// Most headers in one request; hyper answers more `431` and closes.
pub const MAX_HEADERS: usize = 64;

/// Largest request body accepted. DynamoDB's own limit is 16 MB per request
/// (`BatchWriteItem`); a little slack covers JSON framing.
pub const MAX_BODY_BYTES: usize = 17 * 1024 * 1024;

/// How long a kept-alive connection may sit idle before the next request starts.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(120);

/// How long one request may take to arrive once its first byte is in (the head), or once
/// its head is in (the body); past it the client is answered `408` and the connection closed.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// How long writing a response may stall on a client that does not read.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// Most connections open at once. When all are taken, the connection idle the longest is
/// closed to make room; only when every one is busy is a new client answered `503`.
/// The open-file limit may lower it: see [`connection_cap`].
pub const MAX_CONNECTIONS: usize = 50_000;

/// Open files kept out of the connection cap: the listener, stdio, the data directory's
/// snapshot, log and lock, and headroom for connections still closing.
pub const RESERVED_FILES: u64 = 64;

/// Below this many possible connections, starting warns that the open-file limit is low.
pub const FEW_CONNECTIONS: usize = 4096;

/// How long a refused client gets to send its request and read the `503`.
pub const REFUSAL_TIME: Duration = Duration::from_secs(2);

/// The bounds one server applies; [`Limits::default`] holds the constants above.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most connections open at once (before the open-file limit lowers it).
    pub max_connections: usize,
    /// See [`IDLE_TIMEOUT`].
    pub idle_timeout: Duration,
    /// See [`REQUEST_TIMEOUT`].
    pub request_timeout: Duration,
    /// See [`WRITE_TIMEOUT`].
    pub write_timeout: Duration,
    /// See [`MAX_BODY_BYTES`].
    pub max_body_bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: MAX_CONNECTIONS,
            idle_timeout: IDLE_TIMEOUT,
            request_timeout: REQUEST_TIMEOUT,
            write_timeout: WRITE_TIMEOUT,
            max_body_bytes: MAX_BODY_BYTES,
        }
    }
}

/// Raises this process's open-file soft limit to its hard limit; returns the soft limit
/// now in force, if the system tells.
pub fn raise_open_file_limit() -> Option<u64> {
    rlimit::increase_nofile_limit(u64::MAX)
        .ok()
        .or_else(open_file_limit)
}

/// The open-file soft limit in force, if the system tells.
pub fn open_file_limit() -> Option<u64> {
    rlimit::Resource::NOFILE.get().ok().map(|(soft, _)| soft)
}

/// How many connections can be open at once: `wanted`, lowered to what an open-file limit
/// of `files` leaves after [`RESERVED_FILES`] (at least one).
pub fn connection_cap(wanted: usize, files: Option<u64>) -> usize {
    let Some(files) = files else {
        return wanted.max(1);
    };
    let room = usize::try_from(files.saturating_sub(RESERVED_FILES)).unwrap_or(usize::MAX);
    wanted.min(room).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_open_file_limit_lowers_the_cap() {
        assert_eq!(connection_cap(MAX_CONNECTIONS, None), MAX_CONNECTIONS);
        assert_eq!(connection_cap(MAX_CONNECTIONS, Some(1024)), 960);
        assert_eq!(connection_cap(3, Some(1 << 20)), 3);
        assert_eq!(connection_cap(MAX_CONNECTIONS, Some(10)), 1);
        assert_eq!(
            connection_cap(MAX_CONNECTIONS, Some(u64::MAX)),
            MAX_CONNECTIONS
        );
    }
}
