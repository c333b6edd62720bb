//! Execution history events in the shape GetExecutionHistory returns them.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::Value;
use std::sync::{Arc, OnceLock};

/// One history event. Serializes as AWS does: `timestamp`, `type`, `id`, `previousEventId`
/// and one `...EventDetails` object named after the type (e.g. `stateEnteredEventDetails`).
///
/// The details keep the state input / output as shared values: their JSON text is only
/// rendered when the event is serialized (or [`HistoryEvent::details`] is asked for).
#[derive(Debug, Clone)]
pub struct HistoryEvent {
    /// ISO-8601 time of the event on the execution's clock.
    pub timestamp: String,
    pub event_type: String,
    pub id: i64,
    pub previous_event_id: i64,
    details: Details,
    /// The details rendered as JSON, built on demand.
    rendered: OnceLock<Box<Option<Value>>>,
    /// Milliseconds since the epoch (not part of AWS's shape).
    pub timestamp_millis: i64,
}

/// The details of one event, unrendered.
#[derive(Debug, Clone)]
pub enum Details {
    None,
    /// Any details object, under its key.
    Object(String, Box<Value>),
    /// `{"name", "input"|"output" (as JSON text), "inputDetails"|"outputDetails"}` of a
    /// state entered / exited event.
    State {
        exited: bool,
        name: Arc<str>,
        payload: Arc<Value>,
    },
    /// `executionStartedEventDetails`: `{"input", "inputDetails", "roleArn"}`.
    ExecutionStarted {
        input: Arc<Value>,
        role_arn: String,
    },
    /// `executionSucceededEventDetails`: `{"output", "outputDetails"}`.
    ExecutionSucceeded {
        output: Arc<Value>,
    },
    /// `{"name", "index"}` of a Map iteration event, under `key`.
    Iteration {
        key: &'static str,
        name: Arc<str>,
        index: usize,
    },
}

struct NotTruncated;

impl Serialize for NotTruncated {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry("truncated", &false)?;
        m.end()
    }
}

/// A value serialized as its compact JSON text (a string).
struct AsText<'a>(&'a Value);

impl Serialize for AsText<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::payload::to_text(self.0))
    }
}

/// The body of a [`Details`] (without its key).
struct Body<'a>(&'a Details);

impl Serialize for Body<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Details::None => s.serialize_unit(),
            Details::Object(_, m) => m.serialize(s),
            Details::State {
                exited,
                name,
                payload,
            } => {
                let mut m = s.serialize_map(Some(3))?;
                m.serialize_entry("name", name)?;
                if *exited {
                    m.serialize_entry("output", &AsText(payload))?;
                    m.serialize_entry("outputDetails", &NotTruncated)?;
                } else {
                    m.serialize_entry("input", &AsText(payload))?;
                    m.serialize_entry("inputDetails", &NotTruncated)?;
                }
                m.end()
            }
            Details::ExecutionStarted { input, role_arn } => {
                let mut m = s.serialize_map(Some(3))?;
                m.serialize_entry("input", &AsText(input))?;
                m.serialize_entry("inputDetails", &NotTruncated)?;
                m.serialize_entry("roleArn", role_arn)?;
                m.end()
            }
            Details::Iteration { name, index, .. } => {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("name", name)?;
                m.serialize_entry("index", index)?;
                m.end()
            }
            Details::ExecutionSucceeded { output } => {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("output", &AsText(output))?;
                m.serialize_entry("outputDetails", &NotTruncated)?;
                m.end()
            }
        }
    }
}

impl Details {
    /// The details key, if any.
    fn key(&self) -> Option<&str> {
        match self {
            Details::None => None,
            Details::Object(k, _) => Some(k),
            Details::State { exited: false, .. } => Some("stateEnteredEventDetails"),
            Details::State { exited: true, .. } => Some("stateExitedEventDetails"),
            Details::ExecutionStarted { .. } => Some("executionStartedEventDetails"),
            Details::ExecutionSucceeded { .. } => Some("executionSucceededEventDetails"),
            Details::Iteration { key, .. } => Some(key),
        }
    }

    fn to_value(&self) -> Option<Value> {
        match self {
            Details::None => None,
            Details::Object(_, v) => Some(Value::clone(v)),
            other => Some(serde_json::to_value(Body(other)).unwrap_or(Value::Null)),
        }
    }
}

impl HistoryEvent {
    /// An event (`details` keyed as [`details_key`] says for its type).
    pub fn new(
        timestamp: String,
        event_type: String,
        id: i64,
        previous_event_id: i64,
        details: Details,
        timestamp_millis: i64,
    ) -> Self {
        HistoryEvent {
            timestamp,
            event_type,
            id,
            previous_event_id,
            details,
            rendered: OnceLock::new(),
            timestamp_millis,
        }
    }

    /// The details object, if the event has one.
    pub fn details(&self) -> Option<&Value> {
        self.rendered
            .get_or_init(|| Box::new(self.details.to_value()))
            .as_ref()
            .as_ref()
    }

    /// The unrendered details.
    pub fn raw_details(&self) -> &Details {
        &self.details
    }

    /// The state name of a state entered / exited event.
    pub fn state_name(&self) -> Option<&str> {
        match &self.details {
            Details::State { name, .. } => Some(name),
            Details::Iteration { name, .. } => Some(name),
            _ => self.details()?.get("name")?.as_str(),
        }
    }
}

impl PartialEq for HistoryEvent {
    fn eq(&self, other: &Self) -> bool {
        self.timestamp == other.timestamp
            && self.event_type == other.event_type
            && self.id == other.id
            && self.previous_event_id == other.previous_event_id
            && self.timestamp_millis == other.timestamp_millis
            && self.details.key() == other.details.key()
            && self.details() == other.details()
    }
}

impl Serialize for HistoryEvent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let key = self.details.key();
        let mut m = s.serialize_map(Some(4 + usize::from(key.is_some())))?;
        m.serialize_entry("timestamp", &self.timestamp)?;
        m.serialize_entry("type", &self.event_type)?;
        m.serialize_entry("id", &self.id)?;
        m.serialize_entry("previousEventId", &self.previous_event_id)?;
        if let Some(k) = key {
            m.serialize_entry(k, &Body(&self.details))?;
        }
        m.end()
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
