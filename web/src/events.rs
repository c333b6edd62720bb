//! A run's history events as the page keeps them: the worker's batches (GetExecutionHistory
//! JSON) split into raw events that are parsed only when a row shows them, in an
//! append-only log whose appends never copy the events already there, so a long run's
//! thousandth batch costs what its first did.

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

/// One event as it came from the worker: its JSON text, a slice of its batch's text (shared
/// by the batch's events), kept unparsed until a row shows it. A long run's batches hold
/// thousands of events; only the rows in view are ever parsed.
#[derive(Debug, Clone)]
pub struct RawEvent {
    batch: Rc<str>,
    start: usize,
    end: usize,
}

impl RawEvent {
    /// The event's JSON text.
    pub fn text(&self) -> &str {
        &self.batch[self.start..self.end]
    }

    /// The row this event shows as (an event that is not an object with an id shows as
    /// an empty row with id 0 and its text as details).
    pub fn row(&self) -> EventRow {
        serde_json::from_str::<Value>(self.text())
            .ok()
            .and_then(|v| EventRow::from_json(&v))
            .unwrap_or_else(|| EventRow {
                id: 0,
                event_type: String::new(),
                state: None,
                details: self.text().to_string(),
            })
    }

    /// The execution's final status when this is its closing event.
    pub fn final_status(&self) -> Option<&'static str> {
        #[derive(serde::Deserialize)]
        struct Typed<'a> {
            #[serde(borrow, rename = "type")]
            kind: std::borrow::Cow<'a, str>,
        }
        let typed: Typed = serde_json::from_str(self.text()).ok()?;
        match typed.kind.as_ref() {
            "ExecutionSucceeded" => Some("SUCCEEDED"),
            "ExecutionFailed" => Some("FAILED"),
            "ExecutionTimedOut" => Some("TIMED_OUT"),
            "ExecutionAborted" => Some("ABORTED"),
            _ => None,
        }
    }
}

/// The end (exclusive) of the JSON value starting at `from`: strings are skipped whole,
/// brackets counted. Only the array's structure is checked; each event is parsed when
/// shown.
fn value_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if depth == 0 {
                    return (i < bytes.len()).then_some(i + 1);
                }
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b',' if depth == 0 => return Some(i),
            b if depth == 0 && b.is_ascii_whitespace() => return Some(i),
            _ => {}
        }
        i += 1;
    }
    (depth == 0).then_some(i)
}

fn skip_space(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// Splits a JSON array of events (a batch's text, or a saved run's `events`) into raw
/// events without parsing them: one pass over the text, no copy of it.
pub fn split_events(text: &str) -> Result<Vec<RawEvent>, String> {
    let bad = || "a batch of events is not a JSON array".to_string();
    let batch: Rc<str> = Rc::from(text.trim());
    let bytes = batch.as_bytes();
    if bytes.first() != Some(&b'[') || bytes.last() != Some(&b']') {
        return Err(bad());
    }
    let inner_end = bytes.len() - 1;
    let mut events = Vec::new();
    let mut i = skip_space(bytes, 1);
    while i < inner_end {
        let end = value_end(&bytes[..inner_end], i).ok_or_else(bad)?;
        let value_end = end
            - (bytes[i..end]
                .iter()
                .rev()
                .take_while(|b| b.is_ascii_whitespace())
                .count());
        if value_end == i {
            return Err(bad());
        }
        events.push(RawEvent {
            batch: batch.clone(),
            start: i,
            end: value_end,
        });
        i = skip_space(bytes, end);
        if i < inner_end {
            if bytes[i] != b',' {
                return Err(bad());
            }
            i = skip_space(bytes, i + 1);
            if i >= inner_end {
                return Err(bad());
            }
        }
    }
    Ok(events)
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
    fn splitting_keeps_each_event_whole() {
        let text = r#" [ {"id": 1, "type": "A", "x": "a,]}\"{"} , [1, [2]] ,"s]" , 3 ,{"id":2}] "#;
        let events = split_events(text).unwrap();
        let texts: Vec<&str> = events.iter().map(RawEvent::text).collect();
        assert_eq!(
            texts,
            vec![
                r#"{"id": 1, "type": "A", "x": "a,]}\"{"}"#,
                "[1, [2]]",
                r#""s]""#,
                "3",
                r#"{"id":2}"#
            ]
        );
        assert_eq!(events[0].row().event_type, "A");
        assert!(split_events("[]").unwrap().is_empty());
        assert!(split_events(" [ ] ").unwrap().is_empty());
        for bad in ["", "{}", "[1,]", "[,1]", "[1 2]", "[{]", "[\"open]"] {
            assert!(split_events(bad).is_err(), "{bad}");
        }
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
