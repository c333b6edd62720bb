//! What the TestState API's DEBUG inspection level shows for one state run: the value after
//! each data-flow step, the error if any, and for Map the item settings.
//!
//! One record per state run, so records stay small: values and names are shared with the
//! execution (no copies), and the rarely set parts (errors, Map settings) are boxed.

use serde::Serialize;
use serde_json::Value;
use std::sync::Arc;

/// The data of one state's run.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct StateInspection {
    pub state_name: Arc<str>,
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
    pub next_state: Option<Arc<str>>,
    /// The workflow variables the state assigned (`Assign`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assigned: Option<Arc<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_details: Option<Box<ErrorDetails>>,
    /// Map only: the item settings (serialized inline, after `errorDetails`).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub map: Option<Box<MapInspection>>,
}

impl StateInspection {
    /// The record of a state just entered (its entered event's id and its raw input).
    pub fn new(state_name: Arc<str>, entered_event_id: i64, input: Arc<Value>) -> Self {
        StateInspection {
            state_name,
            entered_event_id,
            input,
            after_input_path: None,
            after_parameters: None,
            result: None,
            after_result_selector: None,
            after_result_path: None,
            output: None,
            next_state: None,
            assigned: None,
            error_details: None,
            map: None,
        }
    }

    /// The Map part, created when first set.
    pub fn map_mut(&mut self) -> &mut MapInspection {
        self.map.get_or_insert_with(Box::default)
    }
}

/// The Map state's part of an inspection.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct MapInspection {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn serializes_in_aws_order() {
        let mut i = StateInspection {
            state_name: Arc::from("M"),
            entered_event_id: 2,
            input: Arc::new(json!({"a": 1})),
            error_details: Some(Box::new(ErrorDetails {
                error: Some("E".into()),
                cause: None,
            })),
            ..StateInspection::default()
        };
        i.map_mut().max_concurrency = Some(3);
        i.map_mut().after_items_path = Some(Arc::new(json!([1])));
        assert_eq!(
            serde_json::to_string(&i).unwrap(),
            r#"{"stateName":"M","enteredEventId":2,"input":{"a":1},"errorDetails":{"error":"E"},"afterItemsPath":[1],"maxConcurrency":3}"#
        );
    }
}
