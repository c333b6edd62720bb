//! The engine and its IndexedDB store for this page: loading at start, running a workflow,
//! and writing each commit through.

use crate::sample;
use crate::state::{EventRow, RunView, TableView};
use serde_json::{json, Value};
use statebox_dynamo::{Commit, Engine};
use statebox_idb::Store;
use statebox_playground::{PlaygroundError, RunOptions, WorkspaceSeed};
use std::cell::RefCell;
use std::rc::Rc;

/// The IndexedDB database holding the playground's tables.
pub const DATABASE: &str = "statebox";

/// The page's engine and store. The engine is only borrowed synchronously; the store is
/// awaited with no borrow held.
#[derive(Clone)]
pub struct Session {
    engine: Rc<RefCell<Engine>>,
    store: Option<Rc<Store>>,
}

impl Session {
    /// Opens the store and restores the engine from it. A first visit (no tables stored)
    /// gets the sample tables. If IndexedDB is unavailable, the engine lives in memory and the
    /// returned notice says so.
    pub async fn open() -> (Session, Option<String>) {
        let mut notice = None;
        let store = match Store::open(DATABASE, || {}).await {
            Ok(s) => Some(Rc::new(s)),
            Err(e) => {
                notice = Some(format!("{e}: tables live only in this tab."));
                None
            }
        };
        let mut engine = Engine::new();
        if let Some(store) = &store {
            match store.load().await {
                Ok(loaded) => match Engine::restore(loaded.snapshot) {
                    Ok(restored) => engine = restored,
                    Err(e) => notice = Some(format!("Stored tables could not be restored: {e}")),
                },
                Err(e) => notice = Some(format!("Stored tables could not be read: {e}")),
            }
        }
        let session = Session {
            engine: Rc::new(RefCell::new(engine)),
            store,
        };
        if session.table_names().is_empty() {
            let seeded = WorkspaceSeed::parse(sample::SEED)
                .and_then(|seed| seed.apply(&mut session.engine.borrow_mut()));
            match seeded {
                Ok(commits) => {
                    if let Err(e) = session.persist(&commits).await {
                        notice = Some(e);
                    }
                }
                Err(e) => notice = Some(format!("Sample data: {e}")),
            }
        }
        (session, notice)
    }

    /// Writes commits through to IndexedDB, one transaction each.
    pub async fn persist(&self, commits: &[Commit]) -> Result<(), String> {
        let Some(store) = &self.store else {
            return Ok(());
        };
        // Interim (the worker takes this over): written as the commits they are, on top of
        // whatever the store holds.
        let known = std::cell::Cell::new(None);
        let commits = commits.to_vec();
        store
            .write(&known, |_| (commits, ()))
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// Runs `definition` on `input` (JSON text) to the end; returns the result view and the
    /// commits to persist.
    pub fn run(&self, definition: &str, input: &str) -> (RunView, Vec<Commit>) {
        let input: Value = match serde_json::from_str(input) {
            Ok(v) => v,
            Err(e) => {
                return (
                    RunView {
                        status: "INVALID".into(),
                        body: PlaygroundError::json("the input", &e).to_string(),
                        events: Vec::new(),
                    },
                    Vec::new(),
                )
            }
        };
        let outcome = statebox_playground::run(
            &mut self.engine.borrow_mut(),
            definition,
            input,
            RunOptions::default(),
        );
        match outcome {
            Ok(report) => {
                let result = report.result();
                let status = result["status"].as_str().unwrap_or("UNKNOWN").to_string();
                let body = serde_json::to_string_pretty(&result).unwrap_or_default();
                let events = report.history_json().iter().map(event_row).collect();
                (
                    RunView {
                        status,
                        body,
                        events,
                    },
                    report.commits,
                )
            }
            Err(e) => (
                RunView {
                    status: "INVALID".into(),
                    body: e.to_string(),
                    events: Vec::new(),
                },
                Vec::new(),
            ),
        }
    }

    fn table_names(&self) -> Vec<String> {
        let listed = self.engine.borrow_mut().execute("ListTables", &json!({}));
        listed
            .ok()
            .and_then(|done| {
                done.response["TableNames"].as_array().map(|names| {
                    names
                        .iter()
                        .filter_map(|n| n.as_str().map(String::from))
                        .collect()
                })
            })
            .unwrap_or_default()
    }

    /// Every table with its first page of items.
    pub fn tables(&self) -> Vec<TableView> {
        self.table_names()
            .into_iter()
            .map(|name| {
                let scanned = self
                    .engine
                    .borrow_mut()
                    .execute("Scan", &json!({"TableName": name}));
                let (items, truncated) = match scanned {
                    Ok(done) => (
                        done.response["Items"]
                            .as_array()
                            .cloned()
                            .unwrap_or_default(),
                        done.response.get("LastEvaluatedKey").is_some(),
                    ),
                    Err(_) => (Vec::new(), false),
                };
                TableView {
                    name,
                    items,
                    truncated,
                }
            })
            .collect()
    }
}

/// A history event (GetExecutionHistory JSON) as a row: id, type, state name, details.
fn event_row(event: &Value) -> EventRow {
    let details = event
        .as_object()
        .and_then(|o| o.iter().find(|(k, _)| k.ends_with("EventDetails")))
        .map(|(_, v)| v);
    EventRow {
        id: event["id"].as_i64().unwrap_or(0),
        event_type: event["type"].as_str().unwrap_or("").to_string(),
        state: details
            .and_then(|d| d.get("name"))
            .and_then(Value::as_str)
            .map(String::from),
        details: details.map(Value::to_string).unwrap_or_default(),
    }
}
