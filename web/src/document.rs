//! What the page saves through the worker's `saveDocument` and reads back from `open`: the
//! person's work (definition, input, selected panel, table and state), and the replies
//! (`open`, `tables`, a run's result, the last run) parsed into the page's types. Pure.

use crate::events::{rows_of, EventRow};
use serde::{Deserialize, Serialize};
use serde_json::Value;

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
#[derive(Debug, Clone, PartialEq)]
pub struct LastRun {
    pub result: RunResult,
    pub events: Vec<EventRow>,
}

/// `open`'s answer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Opened {
    /// `None` on a first visit (or when the saved text is unreadable: see `problem`).
    pub document: Option<Document>,
    pub last_run: Option<LastRun>,
    pub notice: Option<String>,
    /// Something stored that could not be read back, for an alert.
    pub problem: Option<String>,
}

/// A JSON text that may also come as a nested value or `null`.
fn nested(value: Option<&Value>) -> Option<Result<Value, serde_json::Error>> {
    match value? {
        Value::Null => None,
        Value::String(text) => Some(serde_json::from_str(text)),
        other => Some(Ok(other.clone())),
    }
}

/// Parses `open`'s answer: `{"document": text|null, "lastRun": text|null, "notice": text|null}`.
pub fn parse_opened(text: &str) -> Result<Opened, String> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| format!("the worker's answer to open is not JSON: {e}"))?;
    let mut opened = Opened {
        notice: value
            .get("notice")
            .and_then(Value::as_str)
            .map(String::from),
        ..Opened::default()
    };
    match nested(value.get("document")).map(|r| r.and_then(serde_json::from_value::<Document>)) {
        Some(Ok(document)) => opened.document = Some(document),
        Some(Err(e)) => {
            opened.problem = Some(format!("The saved workflow could not be read ({e})."));
        }
        None => {}
    }
    match nested(value.get("lastRun")) {
        Some(Ok(run)) => {
            opened.last_run = run.get("result").map(|result| LastRun {
                result: RunResult::from_value(result),
                events: run.get("events").map(rows_of).unwrap_or_default(),
            });
        }
        Some(Err(e)) => {
            opened.problem = Some(format!("The last run could not be read ({e})."));
        }
        None => {}
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
        };
        let reply = json!({"document": doc.to_json(), "lastRun": null, "notice": null});
        let opened = parse_opened(&reply.to_string()).unwrap();
        assert_eq!(opened.document, Some(doc));
        assert_eq!(opened.last_run, None);
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
        let last = parse_opened(&reply.to_string()).unwrap().last_run.unwrap();
        assert_eq!(last.result.status, "SUCCEEDED");
        assert!(last.result.pretty.contains("\"x\": 1"));
        assert_eq!(last.events.len(), 2);
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
