//! What the page saves through the worker's `saveDocument` and reads back from `open`: the
//! person's work (definition, input, selected panel, table and state), and the replies
//! (`open`, `tables`, a run's result, the last run) parsed into the page's types. Pure.

use crate::events::{split_events, RawEvent};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;
use std::borrow::Cow;

/// The page's saved document (its JSON text is opaque to the worker).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub definition: String,
    pub input: String,
    /// The right-hand panel: "execution" or "tables".
    #[serde(default)]
    pub tab: String,
    /// The table shown in the Tables panel.
    #[serde(default)]
    pub table: Option<String>,
    /// The selected state (the graph is a later issue).
    #[serde(default)]
    pub state: Option<String>,
    /// The PartiQL console's history, newest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partiql: Vec<SavedStatement>,
}

/// A PartiQL statement the console ran, with its `?` parameters (a JSON array's text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedStatement {
    pub statement: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub parameters: String,
}

impl Document {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A run's outcome as the Execution panel shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct RunResult {
    /// SUCCEEDED, FAILED, TIMED_OUT, ABORTED (or whatever the worker said).
    pub status: String,
    /// The result JSON, pretty-printed.
    pub pretty: String,
}

impl RunResult {
    fn from_value(result: &Value) -> RunResult {
        RunResult {
            status: result
                .get("status")
                .and_then(Value::as_str)
                .unwrap_or("UNKNOWN")
                .to_string(),
            pretty: serde_json::to_string_pretty(result).unwrap_or_default(),
        }
    }

    /// The result text a run request answers with.
    pub fn parse(text: &str) -> Result<RunResult, String> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| format!("the run's result is not JSON: {e}"))?;
        Ok(RunResult::from_value(&value))
    }
}

/// The newest saved run, as `open` returns it.
#[derive(Debug)]
pub struct LastRun {
    pub result: RunResult,
    pub events: Vec<RawEvent>,
}

/// `open`'s answer.
#[derive(Debug, Default)]
pub struct Opened {
    /// `None` on a first visit (or when the saved text is unreadable: see `problem`).
    pub document: Option<Document>,
    /// The newest run's record (JSON text), read by [`parse_last_run`] in a later task:
    /// a long run's record is megabytes.
    pub last_run: Option<String>,
    pub notice: Option<String>,
    /// Something stored that could not be read back, for an alert.
    pub problem: Option<String>,
}

/// A JSON text that may also come as a nested value: the text itself.
fn nested(raw: &RawValue) -> Result<Cow<'_, str>, serde_json::Error> {
    if raw.get().starts_with('"') {
        serde_json::from_str::<String>(raw.get()).map(Cow::Owned)
    } else {
        Ok(Cow::Borrowed(raw.get()))
    }
}

#[derive(Deserialize)]
struct OpenReply<'a> {
    #[serde(borrow, default)]
    document: Option<&'a RawValue>,
    #[serde(borrow, default, rename = "lastRun")]
    last_run: Option<&'a RawValue>,
    #[serde(default)]
    notice: Option<String>,
}

#[derive(Deserialize)]
struct RunRecord<'a> {
    result: Value,
    #[serde(borrow, default)]
    events: Option<&'a RawValue>,
}

/// Reads a saved run's record: its result, and its events split but not parsed.
pub fn parse_last_run(text: &str) -> Result<LastRun, String> {
    let record: RunRecord =
        serde_json::from_str(text).map_err(|e| format!("The last run could not be read ({e})."))?;
    Ok(LastRun {
        result: RunResult::from_value(&record.result),
        events: match record.events {
            Some(events) => split_events(events.get())?,
            None => Vec::new(),
        },
    })
}

/// Parses `open`'s answer: `{"document": text|null, "lastRun": text|null, "notice": text|null}`.
/// The last run stays text (see [`parse_last_run`]).
pub fn parse_opened(text: &str) -> Result<Opened, String> {
    let reply: OpenReply = serde_json::from_str(text)
        .map_err(|e| format!("the worker's answer to open is not JSON: {e}"))?;
    let mut opened = Opened {
        notice: reply.notice,
        ..Opened::default()
    };
    if let Some(raw) = reply.document {
        let document = nested(raw).and_then(|text| serde_json::from_str::<Document>(&text));
        match document {
            Ok(document) => opened.document = Some(document),
            Err(e) => {
                opened.problem = Some(format!("The saved workflow could not be read ({e})."));
            }
        }
    }
    if let Some(raw) = reply.last_run {
        match nested(raw) {
            Ok(text) => opened.last_run = Some(text.into_owned()),
            Err(e) => opened.problem = Some(format!("The last run could not be read ({e}).")),
        }
    }
    Ok(opened)
}

/// One table as the Tables panel shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct TableView {
    pub name: String,
    /// How many items the table holds.
    pub count: u64,
    /// The first page of items, DynamoDB JSON, in scan order.
    pub items: Vec<Value>,
    /// Whether there are more items than this page.
    pub truncated: bool,
}

/// Parses `tables`' answer: `[{"name", "count", "items", "truncated"}]`.
pub fn parse_tables(text: &str) -> Result<Vec<TableView>, String> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| format!("the worker's list of tables is not JSON: {e}"))?;
    let list = value
        .as_array()
        .ok_or("the worker's list of tables is not an array")?;
    Ok(list
        .iter()
        .filter_map(|t| {
            let items = t
                .get("items")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            Some(TableView {
                name: t.get("name")?.as_str()?.to_string(),
                count: t
                    .get("count")
                    .and_then(Value::as_u64)
                    .unwrap_or(items.len() as u64),
                items,
                truncated: t.get("truncated").and_then(Value::as_bool).unwrap_or(false),
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_document_round_trips_and_old_shapes_load() {
        let doc = Document {
            definition: "{}".into(),
            input: "{\"a\": 1}".into(),
            tab: "tables".into(),
            table: Some("Orders".into()),
            state: None,
            partiql: vec![SavedStatement {
                statement: "SELECT * FROM \"Orders\" WHERE OrderId = ?".into(),
                parameters: "[{\"S\": \"1\"}]".into(),
            }],
        };
        let reply = json!({"document": doc.to_json(), "lastRun": null, "notice": null});
        let opened = parse_opened(&reply.to_string()).unwrap();
        assert_eq!(opened.document, Some(doc));
        assert!(opened.last_run.is_none());
        let minimal = json!({"document": r#"{"definition": "d", "input": "i"}"#});
        let opened = parse_opened(&minimal.to_string()).unwrap();
        assert_eq!(opened.document.unwrap().tab, "");
    }

    #[test]
    fn a_first_visit_has_nothing_and_a_bad_document_is_a_problem_not_a_failure() {
        let opened =
            parse_opened(r#"{"document": null, "lastRun": null, "notice": "in memory"}"#).unwrap();
        assert_eq!(opened.document, None);
        assert_eq!(opened.notice.as_deref(), Some("in memory"));
        let opened = parse_opened(r#"{"document": "{not json"}"#).unwrap();
        assert_eq!(opened.document, None);
        assert!(opened.problem.unwrap().contains("saved workflow"));
        assert!(parse_opened("nope").is_err());
    }

    #[test]
    fn the_last_run_brings_its_status_and_events() {
        let run = json!({"definition": "{}", "input": "{}",
            "result": {"status": "SUCCEEDED", "output": {"x": 1}},
            "events": [{"id": 1, "type": "ExecutionStarted"}, {"id": 2, "type": "ExecutionSucceeded"}]});
        let reply = json!({"document": null, "lastRun": run.to_string()});
        let text = parse_opened(&reply.to_string()).unwrap().last_run.unwrap();
        let last = parse_last_run(&text).unwrap();
        assert_eq!(last.result.status, "SUCCEEDED");
        assert!(last.result.pretty.contains("\"x\": 1"));
        assert_eq!(last.events.len(), 2);
        assert_eq!(last.events[1].row().event_type, "ExecutionSucceeded");
        // The run record may also come as a nested object.
        let reply = json!({"lastRun": run});
        let text = parse_opened(&reply.to_string()).unwrap().last_run.unwrap();
        assert_eq!(parse_last_run(&text).unwrap().events.len(), 2);
        assert!(parse_last_run("{").is_err());
    }

    #[test]
    fn tables_parse_with_their_counts() {
        let text = r#"[{"name": "Orders", "count": 3, "items": [{"OrderId": {"S": "1"}}], "truncated": true},
            {"name": "Empty", "items": []}, {"count": 1}]"#;
        let tables = parse_tables(text).unwrap();
        assert_eq!(tables.len(), 2);
        assert_eq!(tables[0].count, 3);
        assert!(tables[0].truncated);
        assert_eq!(tables[1].count, 0);
        assert!(parse_tables("{}").is_err());
    }

    #[test]
    fn run_results_take_their_status() {
        let r = RunResult::parse(r#"{"status": "FAILED", "error": "E", "cause": "c"}"#).unwrap();
        assert_eq!(r.status, "FAILED");
        assert!(RunResult::parse("").is_err());
    }
}
