//! TransactWriteItems: all-or-nothing writes with CancellationReasons and
//! ClientRequestToken idempotency.

use std::collections::BTreeMap;

/// Remembered client request tokens: token to (request fingerprint, time, response).
pub type Tokens = BTreeMap<String, (String, i64, serde_json::Value)>;
