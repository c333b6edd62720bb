//! A run's history events as the page keeps them: rows parsed from the worker's batches
//! (GetExecutionHistory JSON), in an append-only log whose appends never copy the rows
//! already there, so a long run's thousandth batch costs what its first did.

use serde_json::Value;
use std::rc::Rc;

/// One row of the Events table.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRow {
    pub id: u64,
    pub event_type: String,
    /// The state the event belongs to, if any.
    pub state: Option<String>,
    /// The event's details object, compact JSON (empty when it has none).
    pub details: String,
}

impl EventRow {
    /// A row from one event object; `None` when it is not an object with an `id`.
    pub fn from_json(event: &Value) -> Option<EventRow> {
        let object = event.as_object()?;
        let id = object.get("id")?.as_u64()?;
        let details = object
            .iter()
            .find(|(k, _)| k.ends_with("EventDetails"))
            .map(|(_, v)| v);
        Some(EventRow {
            id,
            event_type: object
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            state: details
                .and_then(|d| d.get("name"))
                .and_then(Value::as_str)
                .map(String::from),
            details: details.map(Value::to_string).unwrap_or_default(),
        })
    }
}

/// Rows from a JSON array of events (a batch's text, or a saved run's `events`).
pub fn rows_of(events: &Value) -> Vec<EventRow> {
    events
        .as_array()
        .map(|a| a.iter().filter_map(EventRow::from_json).collect())
        .unwrap_or_default()
}

/// Parses one batch: the JSON text of an array of history events.
pub fn parse_batch(text: &str) -> Result<Vec<EventRow>, String> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| format!("an event batch is not JSON: {e}"))?;
    if !value.is_array() {
        return Err("an event batch is not a JSON array".into());
    }
    Ok(rows_of(&value))
}

/// An append-only list of rows kept as shared chunks (one per batch). Cloning it copies
/// the list of chunk pointers, never the rows. Two logs compare equal when they are the
/// same run with the same number of rows (appends are the only change).
#[derive(Debug, Clone, Default)]
pub struct EventLog {
    /// Which run these rows belong to (a new run starts a new log).
    run: u64,
    chunks: Vec<Rc<Vec<EventRow>>>,
    /// `starts[i]` is the index of `chunks[i]`'s first row.
    starts: Vec<usize>,
    len: usize,
}

impl PartialEq for EventLog {
    fn eq(&self, other: &Self) -> bool {
        self.run == other.run && self.len == other.len
    }
}

impl EventLog {
    pub fn new(run: u64) -> Self {
        EventLog {
            run,
            ..EventLog::default()
        }
    }

    /// The run these rows belong to.
    pub fn run(&self) -> u64 {
        self.run
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds a batch at the end (an empty batch changes nothing).
    pub fn append(&mut self, rows: Vec<EventRow>) {
        if rows.is_empty() {
            return;
        }
        self.starts.push(self.len);
        self.len += rows.len();
        self.chunks.push(Rc::new(rows));
    }

    /// The chunks, each shared: the table renders one component per chunk.
    pub fn chunks(&self) -> &[Rc<Vec<EventRow>>] {
        &self.chunks
    }

    /// The row at `index`.
    pub fn get(&self, index: usize) -> Option<&EventRow> {
        if index >= self.len {
            return None;
        }
        let chunk = self.starts.partition_point(|&s| s <= index) - 1;
        self.chunks[chunk].get(index - self.starts[chunk])
    }

    /// The rows in `[start, end)` (clamped to the log).
    pub fn range(&self, start: usize, end: usize) -> impl Iterator<Item = &EventRow> {
        let end = end.min(self.len);
        (start.min(end)..end).filter_map(move |i| self.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(id: u64) -> EventRow {
        EventRow {
            id,
            event_type: "PassStateEntered".into(),
            state: None,
            details: String::new(),
        }
    }

    #[test]
    fn a_row_takes_the_type_the_state_and_the_details() {
        let event = json!({"id": 2, "previousEventId": 1, "timestamp": "t",
            "type": "PassStateEntered",
            "stateEnteredEventDetails": {"name": "P", "input": "{}"}});
        let row = EventRow::from_json(&event).unwrap();
        assert_eq!(row.id, 2);
        assert_eq!(row.event_type, "PassStateEntered");
        assert_eq!(row.state.as_deref(), Some("P"));
        assert_eq!(row.details, r#"{"name":"P","input":"{}"}"#);
        let bare = EventRow::from_json(&json!({"id": 1, "type": "ExecutionAborted"})).unwrap();
        assert_eq!(bare.state, None);
        assert_eq!(bare.details, "");
    }

    #[test]
    fn bad_batches_are_errors_and_bad_events_are_skipped() {
        assert!(parse_batch("not json").is_err());
        assert!(parse_batch("{}").is_err());
        let rows = parse_batch(r#"[{"id": 1, "type": "A"}, 7, {"type": "no id"}]"#).unwrap();
        assert_eq!(rows.len(), 1);
    }

    #[test]
    fn the_log_indexes_across_chunks() {
        let mut log = EventLog::new(1);
        log.append((1..=3).map(row).collect());
        log.append(Vec::new());
        log.append((4..=4).map(row).collect());
        log.append((5..=9).map(row).collect());
        assert_eq!(log.len(), 9);
        assert_eq!(log.chunks().len(), 3);
        for i in 0..9 {
            assert_eq!(log.get(i).unwrap().id, i as u64 + 1);
        }
        assert!(log.get(9).is_none());
        let ids: Vec<u64> = log.range(2, 6).map(|r| r.id).collect();
        assert_eq!(ids, vec![3, 4, 5, 6]);
        assert_eq!(log.range(8, 100).count(), 1);
        assert_eq!(log.range(20, 10).count(), 0);
        assert_eq!(log.get(log.len() - 1).unwrap().id, 9);
    }

    #[test]
    fn logs_compare_by_run_and_length() {
        let mut a = EventLog::new(1);
        let b = a.clone();
        assert_eq!(a, b);
        a.append(vec![row(1)]);
        assert_ne!(a, b);
        assert_ne!(EventLog::new(1), EventLog::new(2));
    }
}
