//! The page's state as a pure reducer: every change is an [`Action`]. No browser here, so
//! `cargo test -p statebox-web` runs it natively.

use crate::document::{Document, LastRun, RunResult, SavedStatement, TableView};
use crate::events::{EventLog, RawEvent};
use std::rc::Rc;
use yew::Reducible;

/// The right-hand panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Execution,
    Tables,
}

impl Tab {
    /// The name saved in the document.
    pub fn key(self) -> &'static str {
        match self {
            Tab::Execution => "execution",
            Tab::Tables => "tables",
        }
    }

    pub fn from_key(key: &str) -> Tab {
        match key {
            "tables" => Tab::Tables,
            _ => Tab::Execution,
        }
    }
}

/// Where the page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Waiting for the worker's `open`.
    Opening,
    Ready,
    /// A run is going; `run` is its request id (Stop names it).
    Running {
        run: u64,
    },
}

/// What the Execution panel shows: the run going on, or the last one.
#[derive(Debug, Clone, PartialEq)]
pub struct RunView {
    /// RUNNING while the run goes, then its final status.
    pub status: String,
    /// The result once the run has ended.
    pub result: Option<RunResult>,
    pub events: EventLog,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PageState {
    /// The workspace's name ("default" for the page's own).
    pub workspace: String,
    pub phase: Phase,
    pub definition: String,
    pub input: String,
    pub tab: Tab,
    pub selected_table: Option<String>,
    /// The PartiQL console's history, newest first (saved with the document).
    pub partiql: Rc<Vec<SavedStatement>>,
    pub run: Option<RunView>,
    pub tables: Rc<Vec<TableView>>,
    /// Bumped each time the tables are read again (the items panel then reads its page again).
    pub tables_version: u64,
    /// A standing message about storage (e.g. IndexedDB unavailable), shown in the header.
    pub notice: Option<String>,
    /// Something that could not be done (role=alert).
    pub alert: Option<String>,
    /// Bumped by every change to the saved document.
    pub revision: u64,
    /// The newest revision the worker has stored.
    pub saved_revision: u64,
}

pub enum Action {
    /// The worker opened the workspace. Without a document, the defaults stay.
    Opened {
        document: Option<Box<Document>>,
        last_run: Option<LastRun>,
        tables: Vec<TableView>,
        notice: Option<String>,
        alert: Option<String>,
    },
    EditDefinition(String),
    EditInput(String),
    SelectTab(Tab),
    SelectTable(String),
    /// The PartiQL console's history changed (a statement ran).
    PartiqlHistory(Vec<SavedStatement>),
    RunStarted {
        run: u64,
    },
    /// A batch of the run's history events.
    Events {
        run: u64,
        rows: Vec<RawEvent>,
    },
    RunFinished {
        run: u64,
        result: RunResult,
    },
    /// The run could not start (bad definition or input) or the worker failed it.
    RunFailed {
        run: u64,
        message: String,
    },
    Tables(Vec<TableView>),
    /// Adds a Task state (from the item browser) to the definition.
    InsertTask(serde_json::Value),
    /// The worker stored the document as it was at `revision`.
    Saved {
        revision: u64,
    },
    Notice(String),
    Alert(String),
    DismissAlert,
}

impl PageState {
    pub fn new(workspace: &str, definition: &str, input: &str) -> Self {
        PageState {
            workspace: workspace.to_string(),
            phase: Phase::Opening,
            definition: definition.to_string(),
            input: input.to_string(),
            tab: Tab::Execution,
            selected_table: None,
            partiql: Rc::new(Vec::new()),
            run: None,
            tables: Rc::new(Vec::new()),
            tables_version: 0,
            notice: None,
            alert: None,
            revision: 0,
            saved_revision: 0,
        }
    }

    /// The document to save.
    pub fn document(&self) -> Document {
        Document {
            definition: self.definition.clone(),
            input: self.input.clone(),
            tab: self.tab.key().to_string(),
            table: self.selected_table.clone(),
            state: None,
            partiql: self.partiql.as_ref().clone(),
        }
    }

    /// Whether the document has changes the worker has not stored yet.
    pub fn unsaved(&self) -> bool {
        self.saved_revision < self.revision
    }

    pub fn running(&self) -> Option<u64> {
        match self.phase {
            Phase::Running { run } => Some(run),
            _ => None,
        }
    }

    /// The table the items panel shows: the selected one if it still exists, else the first.
    pub fn shown_table(&self) -> Option<&TableView> {
        self.selected_table
            .as_ref()
            .and_then(|s| self.tables.iter().find(|t| &t.name == s))
            .or_else(|| self.tables.first())
    }

    fn edited(&mut self) {
        self.revision += 1;
    }

    fn current_run(&mut self, run: u64) -> Option<&mut RunView> {
        if self.running() == Some(run) {
            self.run.as_mut()
        } else {
            None
        }
    }
}

impl Reducible for PageState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Opened {
                document,
                last_run,
                tables,
                notice,
                alert,
            } => {
                if let Some(doc) = document {
                    next.definition = doc.definition;
                    next.input = doc.input;
                    next.tab = Tab::from_key(&doc.tab);
                    next.selected_table = doc.table;
                    next.partiql = Rc::new(doc.partiql);
                }
                if let Some(last) = last_run {
                    let mut events = EventLog::new(0);
                    events.append(last.events);
                    next.run = Some(RunView {
                        status: last.result.status.clone(),
                        result: Some(last.result),
                        events,
                    });
                }
                next.tables = Rc::new(tables);
                next.notice = notice;
                next.alert = alert.or(next.alert);
                next.phase = Phase::Ready;
                next.saved_revision = next.revision;
            }
            Action::EditDefinition(text) => {
                next.definition = text;
                next.edited();
            }
            Action::EditInput(text) => {
                next.input = text;
                next.edited();
            }
            Action::SelectTab(tab) => {
                if next.tab != tab {
                    next.tab = tab;
                    next.edited();
                }
            }
            Action::SelectTable(name) => {
                if next.selected_table.as_deref() != Some(&name) {
                    next.selected_table = Some(name);
                    next.edited();
                }
            }
            Action::PartiqlHistory(history) => {
                if *next.partiql != history {
                    next.partiql = Rc::new(history);
                    next.edited();
                }
            }
            Action::RunStarted { run } => {
                next.phase = Phase::Running { run };
                next.run = Some(RunView {
                    status: "RUNNING".into(),
                    result: None,
                    events: EventLog::new(run),
                });
                next.alert = None;
                if next.tab != Tab::Execution {
                    next.tab = Tab::Execution;
                    next.edited();
                }
            }
            Action::Events { run, rows } => match next.current_run(run) {
                Some(view) => {
                    // The closing event shows the final status at once; the run's answer
                    // (after its record is stored) re-enables Run.
                    if let Some(status) = rows.last().and_then(RawEvent::final_status) {
                        view.status = status.to_string();
                    }
                    view.events.append(rows);
                }
                None => return self,
            },
            Action::RunFinished { run, result } => {
                let Some(view) = next.current_run(run) else {
                    return self;
                };
                view.status = result.status.clone();
                view.result = Some(result);
                next.phase = Phase::Ready;
            }
            Action::RunFailed { run, message } => {
                if next.running() != Some(run) {
                    return self;
                }
                // Events already shown stay (a storage failure mid-run); a run that never
                // started shows nothing.
                match next.run.as_mut() {
                    Some(view) if !view.events.is_empty() => view.status = "ERROR".into(),
                    _ => next.run = None,
                }
                next.phase = Phase::Ready;
                next.alert = Some(message);
            }
            Action::Tables(tables) => {
                next.tables = Rc::new(tables);
                next.tables_version += 1;
            }
            Action::InsertTask(task) => {
                match crate::items::workflow::insert_task(&next.definition, &task) {
                    Ok((text, name)) => {
                        next.definition = text;
                        next.notice =
                            Some(format!("Added the Task state \"{name}\" to the workflow."));
                        next.edited();
                    }
                    Err(message) => next.alert = Some(message),
                }
            }
            Action::Saved { revision } => {
                if revision <= next.saved_revision {
                    return self;
                }
                next.saved_revision = revision;
            }
            Action::Notice(text) => next.notice = Some(text),
            Action::Alert(text) => next.alert = Some(text),
            Action::DismissAlert => next.alert = None,
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ready() -> Rc<PageState> {
        Rc::new(PageState::new("default", "{}", "{}")).reduce(Action::Opened {
            document: None,
            last_run: None,
            tables: Vec::new(),
            notice: None,
            alert: None,
        })
    }

    fn row(id: u64, event_type: &str) -> RawEvent {
        let text = format!(r#"[{{"id": {id}, "type": "{event_type}"}}]"#);
        crate::events::parse_batch(&text).unwrap().pop().unwrap()
    }

    #[test]
    fn opening_restores_the_document_and_the_last_run() {
        let doc = Document {
            definition: "def".into(),
            input: "in".into(),
            tab: "tables".into(),
            table: Some("Orders".into()),
            state: None,
            partiql: vec![SavedStatement {
                statement: "SELECT * FROM \"Orders\"".into(),
                parameters: String::new(),
            }],
        };
        let last = LastRun {
            result: RunResult {
                status: "SUCCEEDED".into(),
                pretty: "{}".into(),
            },
            events: vec![row(1, "ExecutionStarted"), row(2, "ExecutionSucceeded")],
        };
        let s = Rc::new(PageState::new("default", "sample", "{}")).reduce(Action::Opened {
            document: Some(Box::new(doc.clone())),
            last_run: Some(last),
            tables: Vec::new(),
            notice: Some("in memory".into()),
            alert: None,
        });
        assert_eq!(s.phase, Phase::Ready);
        assert_eq!(s.document(), doc);
        assert_eq!(s.tab, Tab::Tables);
        let run = s.run.as_ref().unwrap();
        assert_eq!(run.status, "SUCCEEDED");
        assert_eq!(run.events.len(), 2);
        assert!(!s.unsaved());
        assert_eq!(s.notice.as_deref(), Some("in memory"));
    }

    #[test]
    fn edits_are_unsaved_until_the_worker_stores_their_revision() {
        let s = ready().reduce(Action::EditDefinition("a".into()));
        let s = s.reduce(Action::EditInput("b".into()));
        assert!(s.unsaved());
        let s = s.reduce(Action::Saved { revision: 1 });
        assert!(s.unsaved());
        let s = s.reduce(Action::Saved { revision: 2 });
        assert!(!s.unsaved());
        // Selecting what is already selected is no edit.
        let s = s.reduce(Action::SelectTab(Tab::Execution));
        assert!(!s.unsaved());
        let s = s.reduce(Action::SelectTable("T".into()));
        assert!(s.unsaved());
    }

    #[test]
    fn a_run_streams_its_events_then_ends() {
        let s = ready().reduce(Action::SelectTab(Tab::Tables));
        let s = s.reduce(Action::RunStarted { run: 7 });
        assert_eq!(s.tab, Tab::Execution);
        assert_eq!(s.running(), Some(7));
        assert_eq!(s.run.as_ref().unwrap().status, "RUNNING");
        let s = s.reduce(Action::Events {
            run: 7,
            rows: vec![row(1, "ExecutionStarted")],
        });
        // A stale run's batch is ignored.
        let s = s.reduce(Action::Events {
            run: 3,
            rows: vec![row(9, "X")],
        });
        let s = s.reduce(Action::Events {
            run: 7,
            rows: vec![row(2, "ExecutionAborted")],
        });
        // Ended (the closing event came) but not yet answered: Run stays off.
        assert_eq!(s.run.as_ref().unwrap().status, "ABORTED");
        assert_eq!(s.running(), Some(7));
        let s = s.reduce(Action::RunFinished {
            run: 7,
            result: RunResult {
                status: "ABORTED".into(),
                pretty: "{}".into(),
            },
        });
        assert_eq!(s.phase, Phase::Ready);
        let run = s.run.as_ref().unwrap();
        assert_eq!(run.status, "ABORTED");
        assert_eq!(run.events.len(), 2);
        assert_eq!(
            run.events.get(1).unwrap().row().event_type,
            "ExecutionAborted"
        );
    }

    #[test]
    fn a_rejected_run_is_an_alert() {
        let s = ready().reduce(Action::RunStarted { run: 1 });
        let s = s.reduce(Action::RunFailed {
            run: 1,
            message: "/States/A/Next: no such state".into(),
        });
        assert_eq!(s.phase, Phase::Ready);
        assert!(s.run.is_none());
        assert!(s.alert.as_deref().unwrap().contains("/States/A"));
        let s = s.reduce(Action::DismissAlert);
        assert!(s.alert.is_none());
    }

    #[test]
    fn the_shown_table_falls_back_to_the_first() {
        let table = |name: &str| TableView {
            name: name.into(),
            count: 0,
            items: Vec::new(),
            truncated: false,
        };
        let s = ready().reduce(Action::Tables(vec![table("A"), table("B")]));
        assert_eq!(s.shown_table().unwrap().name, "A");
        let s = s.reduce(Action::SelectTable("B".into()));
        assert_eq!(s.shown_table().unwrap().name, "B");
        let s = s.reduce(Action::SelectTable("Gone".into()));
        assert_eq!(s.shown_table().unwrap().name, "A");
    }
}
