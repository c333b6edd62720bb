//! Execution history events in the shape GetExecutionHistory returns them.

use serde::Serialize;
use serde_json::{Map, Value};

/// One history event. Serializes as AWS does: `timestamp`, `type`, `id`, `previousEventId`
/// and one `...EventDetails` object named after the type (e.g. `stateEnteredEventDetails`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEvent {
    /// ISO-8601 time of the event on the execution's clock.
    pub timestamp: String,
    #[serde(rename = "type")]
    pub event_type: String,
    pub id: i64,
    pub previous_event_id: i64,
    /// The details object keyed by its AWS name (at most one key).
    #[serde(flatten)]
    pub details: Map<String, Value>,
    /// Milliseconds since the epoch (not part of AWS's shape).
    #[serde(skip)]
    pub timestamp_millis: i64,
}

impl HistoryEvent {
    /// The details object, if the event has one.
    pub fn details(&self) -> Option<&Value> {
        self.details.values().next()
    }
}

/// AWS's details key for an event type: `StateEntered` kinds share `stateEnteredEventDetails`,
/// others use their own name with a lowercase first letter.
pub fn details_key(event_type: &str) -> String {
    let base = if event_type.ends_with("StateEntered") {
        "StateEntered"
    } else if event_type.ends_with("StateExited") {
        "StateExited"
    } else {
        event_type
    };
    let mut chars = base.chars();
    match chars.next() {
        Some(c) => format!("{}{}EventDetails", c.to_ascii_lowercase(), chars.as_str()),
        None => String::new(),
    }
}

/// `{"truncated": false}` as AWS attaches to inputs and outputs.
pub fn not_truncated() -> Value {
    serde_json::json!({"truncated": false})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_eq!(details_key("PassStateEntered"), "stateEnteredEventDetails");
        assert_eq!(details_key("MapStateExited"), "stateExitedEventDetails");
        assert_eq!(details_key("TaskScheduled"), "taskScheduledEventDetails");
        assert_eq!(
            details_key("MapIterationStarted"),
            "mapIterationStartedEventDetails"
        );
    }
}
