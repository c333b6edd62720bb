//! The page's conversations with the worker, each an async function that ends in reducer
//! actions: opening the workspace (seeding the sample on a first visit), refreshing the
//! tables, a run with its event stream, and saving the document.

use crate::document::{parse_last_run, parse_opened, parse_tables, Opened, RunResult, TableView};
use crate::events::{parse_batch, RawEvent};
use crate::sample;
use crate::state::Action;
use crate::worker_client::{WorkerClient, WorkerError};
use gloo::render::{request_animation_frame, AnimationFrame};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::{Callback, UseReducerDispatcher};

use crate::state::PageState;

type Dispatcher = UseReducerDispatcher<PageState>;

/// The options of a run from the page (the worker keeps and streams the history).
const RUN_OPTIONS: &str = "{}";

/// A worker error as the person reads it.
pub fn describe(what: &str, error: &WorkerError) -> String {
    if error.quota {
        format!(
            "The browser's storage for this page is full, so {what} could not be saved: {}. \
             Free some space (or delete items or tables) and try again.",
            error.message
        )
    } else {
        format!("{what}: {}", error.message)
    }
}

async fn tables(client: &WorkerClient) -> Result<Vec<TableView>, String> {
    match client.request("tables", &[]).await {
        Ok(Some(text)) => parse_tables(&text),
        Ok(None) => Ok(Vec::new()),
        Err(e) => Err(describe("The tables could not be read", &e)),
    }
}

/// Opens the workspace `name` and puts the page in order.
pub async fn open(client: WorkerClient, name: String, d: Dispatcher) {
    let mut alert = None;
    let listening = client.until_listening().await;
    let opened = match listening {
        Err(e) => Err(describe("The workspace could not be opened", &e)),
        Ok(()) => match client.request("open", &[("name", &name)]).await {
            Ok(Some(text)) => {
                // Each step over a long last run's megabytes in a task of its own.
                gloo::timers::future::TimeoutFuture::new(0).await;
                parse_opened(&text)
            }
            Ok(None) => Ok(Opened::default()),
            Err(e) => Err(describe("The workspace could not be opened", &e)),
        },
    };
    let opened = match opened {
        Ok(opened) => opened,
        Err(message) => {
            d.dispatch(Action::Opened {
                document: None,
                last_run: None,
                tables: Vec::new(),
                notice: None,
                alert: Some(message),
            });
            return;
        }
    };
    let mut listed = tables(&client).await;
    let first_visit = opened.document.is_none() && matches!(&listed, Ok(t) if t.is_empty());
    if first_visit {
        let seeded = client.request("seed", &[("seed", sample::SEED)]).await;
        listed = tables(&client).await;
        // Another tab opening for the first time at once may have seeded first.
        if let (Err(e), Ok(true)) = (seeded, listed.as_ref().map(Vec::is_empty)) {
            alert = Some(describe("The sample tables could not be created", &e));
        }
    }
    let tables = listed.unwrap_or_else(|message| {
        alert = Some(message);
        Vec::new()
    });
    // The last run (megabytes after a long one) is read in a task of its own.
    let last_run = match opened.last_run {
        Some(text) => {
            gloo::timers::future::TimeoutFuture::new(0).await;
            match parse_last_run(&text) {
                Ok(run) => Some(run),
                Err(message) => {
                    alert = Some(message);
                    None
                }
            }
        }
        None => None,
    };
    d.dispatch(Action::Opened {
        document: opened.document.map(Box::new),
        last_run,
        tables,
        notice: opened.notice,
        alert: alert.or(opened.problem),
    });
}

/// Reads the tables again (after a run, or when another tab changed them).
pub async fn refresh_tables(client: WorkerClient, d: Dispatcher) {
    match tables(&client).await {
        Ok(tables) => d.dispatch(Action::Tables(tables)),
        Err(message) => d.dispatch(Action::Alert(message)),
    }
}

/// A run's event rows as they come, handed to the page at most once an animation frame
/// (the worker posts a batch every few milliseconds; rendering each one would be wasted
/// work on the main thread).
#[derive(Clone)]
struct EventFlow {
    run: Rc<Cell<u64>>,
    pending: Rc<RefCell<Vec<RawEvent>>>,
    frame: Rc<RefCell<Option<AnimationFrame>>>,
    d: Dispatcher,
}

impl EventFlow {
    fn push(&self, rows: Vec<RawEvent>) {
        self.pending.borrow_mut().extend(rows);
        if self.frame.borrow().is_some() {
            return;
        }
        let flow = self.clone();
        *self.frame.borrow_mut() = Some(request_animation_frame(move |_| flow.flush()));
    }

    /// Hands over what is pending now (at the next frame, and before the run's end).
    fn flush(&self) {
        self.frame.borrow_mut().take();
        let rows = std::mem::take(&mut *self.pending.borrow_mut());
        if !rows.is_empty() {
            self.d.dispatch(Action::Events {
                run: self.run.get(),
                rows,
            });
        }
    }
}

/// Starts a run; returns its id at once and drives it to its end in the background.
pub fn start_run(client: &WorkerClient, definition: &str, input: &str, d: Dispatcher) -> u64 {
    let flow = EventFlow {
        run: Rc::new(Cell::new(0)),
        pending: Rc::default(),
        frame: Rc::default(),
        d: d.clone(),
    };
    let on_events = {
        let flow = flow.clone();
        let d = d.clone();
        Callback::from(move |batch: String| match parse_batch(&batch) {
            Ok(rows) => flow.push(rows),
            Err(message) => d.dispatch(Action::Alert(message)),
        })
    };
    let (run, answer) = client.run(definition, input, RUN_OPTIONS, on_events);
    flow.run.set(run);
    d.dispatch(Action::RunStarted { run });
    let client = client.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let outcome = match answer.await {
            Ok(Some(text)) => RunResult::parse(&text),
            Ok(None) => Err("The run ended without a result.".to_string()),
            Err(e) => Err(describe("The workflow could not run", &e)),
        };
        flow.flush();
        match outcome {
            Ok(result) => d.dispatch(Action::RunFinished { run, result }),
            Err(message) => d.dispatch(Action::RunFailed { run, message }),
        }
        refresh_tables(client, d).await;
    });
    run
}

/// Saves the document text as of `revision`.
pub async fn save(client: WorkerClient, text: String, revision: u64, d: Dispatcher) {
    match client.request("saveDocument", &[("text", &text)]).await {
        Ok(_) => d.dispatch(Action::Saved { revision }),
        Err(e) => d.dispatch(Action::Alert(describe("Your latest edit", &e))),
    }
}
