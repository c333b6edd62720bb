//! A run's history events as the page keeps them: the worker's batches (GetExecutionHistory
//! JSON) split into raw events that are parsed only when a row shows them, in an
//! append-only log whose appends never copy the events already there, so a long run's
//! thousandth batch costs what its first did.

use serde_json::value::RawValue;
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

/// One event as it came from the worker: its JSON text, kept unparsed until a row shows
/// it (a long run's batches hold thousands of events; only the rows in view are parsed).
#[derive(Debug)]
pub struct RawEvent(Box<RawValue>);

impl RawEvent {
    /// The row this event shows as (an event that is not an object with an id shows as
    /// an empty row with id 0).
    pub fn row(&self) -> EventRow {
        serde_json::from_str::<Value>(self.0.get())
            .ok()
            .and_then(|v| EventRow::from_json(&v))
            .unwrap_or(EventRow {
                id: 0,
                event_type: String::new(),
                state: None,
                details: self.0.get().to_string(),
            })
    }

    /// The execution's final status when this is its closing event.
    pub fn final_status(&self) -> Option<&'static str> {
        #[derive(serde::Deserialize)]
        struct Typed<'a> {
            #[serde(borrow, rename = "type")]
            kind: &'a str,
        }
        let typed: Typed = serde_json::from_str(self.0.get()).ok()?;
        match typed.kind {
            "ExecutionSucceeded" => Some("SUCCEEDED"),
            "ExecutionFailed" => Some("FAILED"),
            "ExecutionTimedOut" => Some("TIMED_OUT"),
            "ExecutionAborted" => Some("ABORTED"),
            _ => None,
        }
    }
}

/// Splits a JSON array of events (a batch's text, or a saved run's `events`) into raw
/// events, without parsing them.
pub fn split_events(text: &str) -> Result<Vec<RawEvent>, String> {
    let raw: Vec<Box<RawValue>> = serde_json::from_str(text)
        .map_err(|e| format!("a batch of events is not a JSON array: {e}"))?;
    Ok(raw.into_iter().map(RawEvent).collect())
}

/// Parses one batch: the JSON text of an array of history events.
pub fn parse_batch(text: &str) -> Result<Vec<RawEvent>, String> {
    split_events(text)
}

/// An append-only list of rows kept as shared chunks (one per batch). Cloning it copies
/// the list of chunk pointers, never the rows. Two logs compare equal when they are the
/// same run with the same number of rows (appends are the only change).
#[derive(Debug, Clone, Default)]
pub struct EventLog {
    /// Which run these rows belong to (a new run starts a new log).
    run: u64,
    chunks: Vec<Rc<Vec<RawEvent>>>,
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
    pub fn append(&mut self, rows: Vec<RawEvent>) {
        if rows.is_empty() {
            return;
        }
        self.starts.push(self.len);
        self.len += rows.len();
        self.chunks.push(Rc::new(rows));
    }

    /// The chunks, each shared: the table renders one component per chunk.
    pub fn chunks(&self) -> &[Rc<Vec<RawEvent>>] {
        &self.chunks
    }

    /// The event at `index`.
    pub fn get(&self, index: usize) -> Option<&RawEvent> {
        if index >= self.len {
            return None;
        }
        let chunk = self.starts.partition_point(|&s| s <= index) - 1;
        self.chunks[chunk].get(index - self.starts[chunk])
    }

    /// The rows in `[start, end)` (clamped to the log).
    pub fn range(&self, start: usize, end: usize) -> impl Iterator<Item = &RawEvent> {
        let end = end.min(self.len);
        (start.min(end)..end).filter_map(move |i| self.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(id: u64) -> RawEvent {
        let text = format!(r#"[{{"id": {id}, "type": "PassStateEntered"}}]"#);
        split_events(&text).unwrap().pop().unwrap()
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
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].row().id, 1);
        assert_eq!(rows[1].row().id, 0);
        assert_eq!(rows[1].row().details, "7");
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
            assert_eq!(log.get(i).unwrap().row().id, i as u64 + 1);
        }
        assert!(log.get(9).is_none());
        let ids: Vec<u64> = log.range(2, 6).map(|r| r.row().id).collect();
        assert_eq!(ids, vec![3, 4, 5, 6]);
        assert_eq!(log.range(8, 100).count(), 1);
        assert_eq!(log.range(20, 10).count(), 0);
        assert_eq!(log.get(log.len() - 1).unwrap().row().id, 9);
    }

    #[test]
    fn closing_events_give_the_final_status() {
        let events = parse_batch(
            r#"[{"id": 1, "type": "ExecutionStarted"}, {"id": 2, "type": "ExecutionAborted"},
                {"id": 3, "type": "ExecutionTimedOut"}, {"nope": 1}]"#,
        )
        .unwrap();
        let statuses: Vec<_> = events.iter().map(RawEvent::final_status).collect();
        assert_eq!(
            statuses,
            vec![None, Some("ABORTED"), Some("TIMED_OUT"), None]
        );
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
