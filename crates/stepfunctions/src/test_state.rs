//! TestState: placeholder.
use crate::error::SfnError;
use serde_json::Value;
use statebox_dynamo::{Commit, Engine};

/// Answers TestState.
pub fn test_state(
    _config: &crate::Config,
    _body: &Value,
    _engine: &mut Engine,
) -> Result<(Value, Vec<Commit>), SfnError> {
    Err(SfnError::Internal { message: "TestState is not answered yet".into() })
}
