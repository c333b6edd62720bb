//! What the TestState API's DEBUG inspection level shows for one state run: the value after
//! each data-flow step, the error if any, and for Map the item settings.

use serde::Serialize;
use serde_json::Value;
use std::sync::Arc;

/// The data of one state's run.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct StateInspection {
    pub state_name: String,
    /// History id of the state's entered event.
    pub entered_event_id: i64,
    pub input: Arc<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_input_path: Option<Arc<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_parameters: Option<Arc<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<Arc<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_result_selector: Option<Arc<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_result_path: Option<Arc<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Arc<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_details: Option<ErrorDetails>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_items_path: Option<Arc<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_item_selector: Option<Arc<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_concurrency: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tolerated_failure_count: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tolerated_failure_percentage: Option<f64>,
}

/// `errorDetails`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorDetails {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}
