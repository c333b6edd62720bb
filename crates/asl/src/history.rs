//! Execution history events in the shape GetExecutionHistory returns them.
//!
//! An execution appends tens of thousands of events, so an event is kept small and
//! allocation-free: its type is a static name (AWS's fixed set, see [`event_type`]), its
//! timestamp text is rendered from the milliseconds only when asked, and its details keep
//! shared values, rendered as JSON only when serialized.

use crate::timestamp::format_millis;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::sync::Arc;

/// One history event. Serializes as AWS does: `timestamp`, `type`, `id`, `previousEventId`
/// and one `...EventDetails` object named after the type (e.g. `stateEnteredEventDetails`).
///
/// The details keep the state input / output as shared values: their JSON text is only
/// rendered when the event is serialized (or [`HistoryEvent::details`] builds them).
#[derive(Debug, Clone)]
pub struct HistoryEvent {
    /// AWS's event type (`PassStateEntered`, `TaskScheduled`, ...).
    pub event_type: Cow<'static, str>,
    pub id: i64,
    pub previous_event_id: i64,
    details: Details,
    /// Milliseconds since the epoch ([`HistoryEvent::timestamp`] is its ISO-8601 text).
    pub timestamp_millis: i64,
}

/// The details of one event, unrendered. Their key (`stateEnteredEventDetails`, ...) follows
/// from the event type ([`details_key`]).
#[derive(Debug, Clone)]
pub enum Details {
    None,
    /// Any details object.
    Object(Box<Value>),
    /// `{"name", "input"|"output" (as JSON text), "inputDetails"|"outputDetails"}` of a
    /// state entered / exited event.
    State {
        exited: bool,
        name: Arc<str>,
        payload: Arc<Value>,
        /// What the state assigned (exited events of states with `Assign`): written as
        /// `assignedVariables`, each value as its JSON text, with `assignedVariablesDetails`.
        assigned: Option<Box<Map<String, Value>>>,
    },
    /// `executionStartedEventDetails`: `{"input", "inputDetails", "roleArn"}`.
    ExecutionStarted {
        input: Arc<Value>,
        role_arn: Box<str>,
    },
    /// `executionSucceededEventDetails`: `{"output", "outputDetails"}`.
    ExecutionSucceeded {
        output: Arc<Value>,
    },
    /// `{"name", "index"}` of a Map iteration event.
    Iteration {
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
            Details::Object(m) => m.serialize(s),
            Details::State {
                exited,
                name,
                payload,
                assigned,
            } => {
                let mut m = s.serialize_map(None)?;
                m.serialize_entry("name", name)?;
                if *exited {
                    m.serialize_entry("output", &AsText(payload))?;
                    m.serialize_entry("outputDetails", &NotTruncated)?;
                    if let Some(values) = assigned {
                        let texts: Map<String, Value> = values
                            .iter()
                            .map(|(k, v)| (k.clone(), Value::String(crate::payload::to_text(v))))
                            .collect();
                        m.serialize_entry("assignedVariables", &texts)?;
                        m.serialize_entry("assignedVariablesDetails", &NotTruncated)?;
                    }
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
    /// The details key for an event of type `event_type`, if there are details.
    fn key(&self, event_type: &str) -> Option<Cow<'static, str>> {
        match self {
            Details::None => None,
            Details::State { exited: false, .. } => Some(Cow::Borrowed("stateEnteredEventDetails")),
            Details::State { exited: true, .. } => Some(Cow::Borrowed("stateExitedEventDetails")),
            Details::ExecutionStarted { .. } => Some(Cow::Borrowed("executionStartedEventDetails")),
            Details::ExecutionSucceeded { .. } => {
                Some(Cow::Borrowed("executionSucceededEventDetails"))
            }
            Details::Object(_) | Details::Iteration { .. } => {
                Some(Cow::Owned(details_key(event_type)))
            }
        }
    }

    fn to_value(&self) -> Option<Value> {
        match self {
            Details::None => None,
            Details::Object(v) => Some(Value::clone(v)),
            other => Some(serde_json::to_value(Body(other)).unwrap_or(Value::Null)),
        }
    }
}

impl HistoryEvent {
    /// An event; `event_type` is kept as a static name when it is one of AWS's.
    pub fn new(
        event_type: impl Into<Cow<'static, str>>,
        id: i64,
        previous_event_id: i64,
        details: Details,
        timestamp_millis: i64,
    ) -> Self {
        let event_type = match event_type.into() {
            Cow::Owned(s) => self::event_type(&s).map_or(Cow::Owned(s), Cow::Borrowed),
            borrowed => borrowed,
        };
        HistoryEvent {
            event_type,
            id,
            previous_event_id,
            details,
            timestamp_millis,
        }
    }

    /// The ISO-8601 time of the event on the execution's clock.
    pub fn timestamp(&self) -> String {
        format_millis(self.timestamp_millis)
    }

    /// The details object, if the event has one (built on each call).
    pub fn details(&self) -> Option<Value> {
        self.details.to_value()
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
            Details::Object(v) => v.get("name")?.as_str(),
            _ => None,
        }
    }
}

impl PartialEq for HistoryEvent {
    fn eq(&self, other: &Self) -> bool {
        self.event_type == other.event_type
            && self.id == other.id
            && self.previous_event_id == other.previous_event_id
            && self.timestamp_millis == other.timestamp_millis
            && self.details() == other.details()
    }
}

impl Serialize for HistoryEvent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let key = self.details.key(&self.event_type);
        let mut m = s.serialize_map(Some(4 + usize::from(key.is_some())))?;
        m.serialize_entry("timestamp", &self.timestamp())?;
        m.serialize_entry("type", &*self.event_type)?;
        m.serialize_entry("id", &self.id)?;
        m.serialize_entry("previousEventId", &self.previous_event_id)?;
        if let Some(k) = key {
            m.serialize_entry(&*k, &Body(&self.details))?;
        }
        m.end()
    }
}

/// Every history event type Step Functions records (GetExecutionHistory's `type`).
const EVENT_TYPES: [&str; 62] = [
    "ActivityFailed",
    "ActivityScheduled",
    "ActivityScheduleFailed",
    "ActivityStarted",
    "ActivitySucceeded",
    "ActivityTimedOut",
    "ChoiceStateEntered",
    "ChoiceStateExited",
    "EvaluationFailed",
    "ExecutionAborted",
    "ExecutionFailed",
    "ExecutionRedriven",
    "ExecutionStarted",
    "ExecutionSucceeded",
    "ExecutionTimedOut",
    "FailStateEntered",
    "LambdaFunctionFailed",
    "LambdaFunctionScheduled",
    "LambdaFunctionScheduleFailed",
    "LambdaFunctionStarted",
    "LambdaFunctionStartFailed",
    "LambdaFunctionSucceeded",
    "LambdaFunctionTimedOut",
    "MapIterationAborted",
    "MapIterationFailed",
    "MapIterationStarted",
    "MapIterationSucceeded",
    "MapRunAborted",
    "MapRunFailed",
    "MapRunRedriven",
    "MapRunStarted",
    "MapRunSucceeded",
    "MapStateAborted",
    "MapStateEntered",
    "MapStateExited",
    "MapStateFailed",
    "MapStateStarted",
    "MapStateSucceeded",
    "ParallelStateAborted",
    "ParallelStateEntered",
    "ParallelStateExited",
    "ParallelStateFailed",
    "ParallelStateStarted",
    "ParallelStateSucceeded",
    "PassStateEntered",
    "PassStateExited",
    "SucceedStateEntered",
    "SucceedStateExited",
    "TaskFailed",
    "TaskScheduled",
    "TaskStarted",
    "TaskStartFailed",
    "TaskStateAborted",
    "TaskStateEntered",
    "TaskStateExited",
    "TaskSubmitFailed",
    "TaskSubmitted",
    "TaskSucceeded",
    "TaskTimedOut",
    "WaitStateAborted",
    "WaitStateEntered",
    "WaitStateExited",
];

/// The static name of a known event type (`None` for any other text).
pub fn event_type(name: &str) -> Option<&'static str> {
    EVENT_TYPES.iter().copied().find(|t| *t == name)
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
    fn known_types_are_static() {
        let e = HistoryEvent::new("Task".to_string() + "Scheduled", 1, 0, Details::None, 0);
        assert!(matches!(e.event_type, Cow::Borrowed("TaskScheduled")));
        let e = HistoryEvent::new("Custom".to_string(), 1, 0, Details::None, 0);
        assert_eq!(e.event_type, "Custom");
        assert_eq!(e.timestamp(), format_millis(0));
    }

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
