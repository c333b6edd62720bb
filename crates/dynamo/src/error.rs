//! The crate's error: AWS's error type name and its exact message, plus the extra members
//! some errors carry (`Item` of a ConditionalCheckFailedException with
//! ReturnValuesOnConditionCheckFailure=ALL_OLD, `CancellationReasons` of a
//! TransactionCanceledException).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{type_name}: {message}")]
pub struct DynamoError {
    /// AWS's error type, e.g. `ResourceNotFoundException`, `ValidationException`.
    pub type_name: String,
    /// AWS's message text.
    pub message: String,
    /// The item returned with a failed condition (DynamoDB JSON), when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<Value>,
    /// Per-action reasons of a cancelled transaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancellation_reasons: Option<Vec<Value>>,
}

impl DynamoError {
    pub fn new(type_name: impl Into<String>, message: impl Into<String>) -> Self {
        DynamoError {
            type_name: type_name.into(),
            message: message.into(),
            item: None,
            cancellation_reasons: None,
        }
    }

    /// Attaches the item of a failed condition.
    pub fn with_item(mut self, item: Value) -> Self {
        self.item = Some(item);
        self
    }

    /// Attaches a cancelled transaction's reasons.
    pub fn with_cancellation_reasons(mut self, reasons: Vec<Value>) -> Self {
        self.cancellation_reasons = Some(reasons);
        self
    }

    /// The error body as AWS's JSON protocol sends it:
    /// `{"__type": "com.amazonaws.dynamodb.v20120810#X", "message": "..."}` plus extras.
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        let prefix = match self.type_name.as_str() {
            "SerializationException" | "UnknownOperationException" => "com.amazon.coral.service#",
            "ValidationException" => "com.amazon.coral.validate#",
            _ => "com.amazonaws.dynamodb.v20120810#",
        };
        out.insert(
            "__type".into(),
            Value::String(format!("{prefix}{}", self.type_name)),
        );
        let key = if self.type_name == "SerializationException" {
            "Message"
        } else {
            "message"
        };
        out.insert(key.into(), Value::String(self.message.clone()));
        if let Some(item) = &self.item {
            out.insert("Item".into(), item.clone());
        }
        if let Some(reasons) = &self.cancellation_reasons {
            out.insert("CancellationReasons".into(), Value::Array(reasons.clone()));
        }
        Value::Object(out)
    }
}
