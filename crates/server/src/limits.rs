//! Every bound the server puts on a client, each in one named constant.

use std::time::Duration;

/// Largest request head (request line and headers) accepted.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;

/// Most headers in one request.
pub const MAX_HEADERS: usize = 64;

/// Largest request body accepted. DynamoDB's own limit is 16 MB per request
/// (`BatchWriteItem`); a little slack covers JSON framing.
pub const MAX_BODY_BYTES: usize = 17 * 1024 * 1024;

/// How long a kept-alive connection may sit idle before the next request starts.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(120);

/// How long one request may take to arrive once its first byte is in.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// How long writing one response may block on a client that does not read.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// Most connections served at once; more are answered 503 and closed.
pub const MAX_CONNECTIONS: usize = 256;

/// How long a rejected client's remaining bytes are read and dropped before closing.
pub const LINGER_TIME: Duration = Duration::from_secs(2);

/// How many of a rejected client's remaining bytes are read and dropped at most.
pub const LINGER_BYTES: usize = 1024 * 1024;
