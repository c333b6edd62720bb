//! The page's state as a pure reducer: every change is an [`Action`].

use serde_json::Value;
use std::rc::Rc;
use yew::Reducible;

/// One table as the tables panel shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct TableView {
    pub name: String,
    /// Items in DynamoDB JSON, in the table's scan order.
    pub items: Vec<Value>,
    /// Whether the scan stopped at the 1 MB page limit.
    pub truncated: bool,
}

/// One row of the execution's event list.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRow {
    pub id: i64,
    pub event_type: String,
    /// The state the event belongs to, if any.
    pub state: Option<String>,
    /// The event's details object, compact JSON.
    pub details: String,
}

/// What the result panel shows after a run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunView {
    /// SUCCEEDED, FAILED, TIMED_OUT, ABORTED, or INVALID (the definition did not validate).
    pub status: String,
    /// Pretty-printed result JSON, or the list of problems.
    pub body: String,
    /// The execution history, as GetExecutionHistory returns it.
    pub events: Vec<EventRow>,
}

/// Where the page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Loading,
    Ready,
    Running,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PageState {
    pub definition: String,
    pub input: String,
    pub phase: Phase,
    pub result: Option<RunView>,
    pub tables: Vec<TableView>,
    pub selected: Option<String>,
    /// A message about storage (e.g. IndexedDB unavailable: data lives only in this tab).
    pub notice: Option<String>,
}

pub enum Action {
    Loaded {
        tables: Vec<TableView>,
        notice: Option<String>,
    },
    EditDefinition(String),
    EditInput(String),
    RunStarted,
    RunFinished {
        result: RunView,
        tables: Vec<TableView>,
        notice: Option<String>,
    },
    Select(String),
}

impl PageState {
    pub fn new(definition: &str, input: &str) -> Self {
        PageState {
            definition: definition.to_string(),
            input: input.to_string(),
            phase: Phase::Loading,
            result: None,
            tables: Vec::new(),
            selected: None,
            notice: None,
        }
    }

    /// The table the items panel shows: the selected one if it still exists, else the first.
    pub fn shown_table(&self) -> Option<&TableView> {
        self.selected
            .as_ref()
            .and_then(|s| self.tables.iter().find(|t| &t.name == s))
            .or_else(|| self.tables.first())
    }
}

impl Reducible for PageState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Loaded { tables, notice } => {
                next.tables = tables;
                next.notice = notice;
                next.phase = Phase::Ready;
            }
            Action::EditDefinition(text) => next.definition = text,
            Action::EditInput(text) => next.input = text,
            Action::RunStarted => next.phase = Phase::Running,
            Action::RunFinished {
                result,
                tables,
                notice,
            } => {
                next.result = Some(result);
                next.tables = tables;
                if notice.is_some() {
                    next.notice = notice;
                }
                next.phase = Phase::Ready;
            }
            Action::Select(name) => next.selected = Some(name),
        }
        Rc::new(next)
    }
}
