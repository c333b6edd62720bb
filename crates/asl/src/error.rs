//! The crate's error types.
//!
//! A running state machine fails with a [`Failure`]: an AWS error name (such as
//! `States.Runtime`) and AWS's cause text. Everything else this crate reports about
//! a definition is a [`crate::Diagnostic`], which is data, not an error.

use serde::{Deserialize, Serialize};

/// A runtime failure as Step Functions reports it: `error` is the error name that
/// Retry/Catch match against (`States.TaskFailed`, `DynamoDB.ConditionalCheckFailedException`, ...),
/// `cause` is the human text shown in the execution history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{error}: {cause}")]
pub struct Failure {
    pub error: String,
    pub cause: String,
}

impl Failure {
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        Failure {
            error: error.into(),
            cause: cause.into(),
        }
    }
}
