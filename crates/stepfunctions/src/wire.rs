//! Values in the shapes the JSON protocol carries: timestamps as epoch seconds (a number
//! with milliseconds, as AWS sends them), history events with their `<type>EventDetails`,
//! and `includeExecutionData: false` leaving inputs and outputs out.

use serde_json::{json, Value};
use statebox_asl::HistoryEvent;

/// Epoch milliseconds as the protocol's timestamp: seconds, with milliseconds as decimals.
pub fn timestamp(millis: i64) -> Value {
    if millis % 1000 == 0 {
        json!(millis / 1000)
    } else {
        json!(millis as f64 / 1000.0)
    }
}

/// The members of an event's details that hold execution data.
const DATA_MEMBERS: [&str; 3] = ["input", "output", "parameters"];

/// One history event as GetExecutionHistory returns it: `timestamp`, `type`, `id`,
/// `previousEventId` and its details; without the data members unless `include_data`.
pub fn event(event: &HistoryEvent, include_data: bool) -> Value {
    let mut value = serde_json::to_value(event).unwrap_or_else(|_| json!({}));
    if let Value::Object(fields) = &mut value {
        fields.insert("timestamp".into(), timestamp(event.timestamp_millis));
    }
    if !include_data {
        strip_data(&mut value);
    }
    value
}

/// Removes the execution data (inputs, outputs, parameters) from a rendered event.
pub fn strip_data(event: &mut Value) {
    if let Value::Object(fields) = event {
        for (key, details) in fields.iter_mut() {
            if let (true, Value::Object(d)) = (key.ends_with("EventDetails"), details) {
                for member in DATA_MEMBERS {
                    d.remove(member);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use statebox_asl::history::Details;

    #[test]
    fn timestamps_are_epoch_seconds() {
        assert_eq!(timestamp(1_700_000_000_000), json!(1_700_000_000));
        assert_eq!(timestamp(1_700_000_000_123), json!(1_700_000_000.123));
    }

    #[test]
    fn events_leave_data_out_when_asked() {
        let details = Details::Object(Box::new(json!({"input": "{}", "name": "A"})));
        let e = HistoryEvent::new("PassStateEntered", 2, 1, details, 1_000);
        assert_eq!(
            event(&e, true),
            json!({"timestamp": 1, "type": "PassStateEntered", "id": 2, "previousEventId": 1,
                   "stateEnteredEventDetails": {"input": "{}", "name": "A"}})
        );
        assert_eq!(
            event(&e, false)["stateEnteredEventDetails"],
            json!({"name": "A"})
        );
    }
}
