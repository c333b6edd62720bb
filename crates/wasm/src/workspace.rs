//! [`Workspace`]: one DynamoDB engine that runs keep using, in memory or kept in IndexedDB
//! under a name, with the page's documents and its last runs.
//!
//! In memory every method answers at once (plain values). A persisted workspace's methods
//! return Promises: a write resolves only once its IndexedDB transaction has completed, and
//! every call first catches up with what other tabs and workers wrote under the same name.

use crate::error::{js_error, WorkspaceError};
use crate::execution::Execution;
use crate::options::prepare;
use crate::transfer::{self, Exported};
use serde_json::Value;
use statebox_dynamo::{Commit, Engine};
use statebox_playground::{PlaygroundError, WorkspaceSeed};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

#[cfg(target_arch = "wasm32")]
pub use crate::persisted::Persisted;
#[cfg(not(target_arch = "wasm32"))]
/// Native builds keep workspaces in memory only.
pub enum Persisted {}

/// How many finished runs a workspace keeps.
pub const KEPT_RUNS: usize = 10;

/// The document key of the page's workspace document.
pub const WORKSPACE_DOCUMENT: &str = "workspace";

/// What a workspace shares with its executions and its listeners.
pub struct Core {
    /// The name it was opened under ("" in memory).
    name: String,
    /// Shared with the persisted store's checkpoints (which hold it weakly).
    pub engine: Rc<RefCell<Engine>>,
    pub persisted: Option<Persisted>,
    /// In memory: the documents and runs (persisted workspaces keep them in the store).
    documents: RefCell<BTreeMap<String, String>>,
    runs: RefCell<Vec<String>>,
    /// Called when another tab or worker changed the tables.
    listeners: RefCell<Vec<Rc<dyn Fn()>>>,
}

/// A workspace: one DynamoDB engine that runs keep using.
#[wasm_bindgen]
#[derive(Clone)]
pub struct Workspace {
    core: Rc<Core>,
}

impl Default for Workspace {
    fn default() -> Self {
        Workspace::with(String::new(), Rc::new(RefCell::new(Engine::new())), None)
    }
}

/// A value now (in memory) or a Promise of it (persisted).
pub(crate) fn answer<F>(core: &Rc<Core>, future: F) -> Result<JsValue, JsValue>
where
    F: std::future::Future<Output = Result<JsValue, WorkspaceError>> + 'static,
{
    if core.persisted.is_some() {
        #[cfg(target_arch = "wasm32")]
        {
            return Ok(wasm_bindgen_futures::future_to_promise(async move {
                future.await.map_err(js_error)
            })
            .into());
        }
    }
    // In memory nothing awaits: the future is ready at its first poll.
    now_or_never(future).map_err(js_error)
}

/// Polls a future that never waits (an in-memory workspace's call) to its value.
fn now_or_never<T>(
    future: impl std::future::Future<Output = Result<T, WorkspaceError>>,
) -> Result<T, WorkspaceError> {
    use std::task::{Context, Poll, Waker};
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(value) => value,
        Poll::Pending => Err(WorkspaceError::Request(
            "an in-memory workspace call waited (this is a bug in Statebox)".into(),
        )),
    }
}

#[wasm_bindgen]
impl Workspace {
    /// A workspace in memory.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Workspace {
        Workspace::default()
    }

    /// The workspace `name`, kept in IndexedDB and shared by every tab and worker that opens
    /// the same name.
    #[cfg(target_arch = "wasm32")]
    pub async fn open(name: String) -> Result<Workspace, JsValue> {
        Workspace::open_named(&name, || {}).await.map_err(js_error)
    }

    /// The name it was opened under (empty in memory).
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.core.name.clone()
    }

    /// Whether it is kept in IndexedDB.
    #[wasm_bindgen(getter)]
    pub fn persisted(&self) -> bool {
        self.core.persisted.is_some()
    }

    /// Creates tables and items from a workspace seed (JSON text).
    #[wasm_bindgen(unchecked_return_type = "void | Promise<void>")]
    pub fn seed(&self, seed: &str) -> Result<JsValue, JsValue> {
        let (this, seed) = (self.clone(), seed.to_string());
        answer(&self.core, async move {
            this.seed_text(&seed).await.map(|_| JsValue::UNDEFINED)
        })
    }

    /// Calls a DynamoDB action (`"PutItem"`, `"Query"`, ...) with a JSON request; answers
    /// the response JSON, or throws `"<ErrorType>: <message>"`.
    #[wasm_bindgen(unchecked_return_type = "string | Promise<string>")]
    pub fn dynamodb(&self, action: &str, request: &str) -> Result<JsValue, JsValue> {
        let (this, action, request) = (self.clone(), action.to_string(), request.to_string());
        answer(&self.core, async move {
            this.call(&action, &request).await.map(JsValue::from)
        })
    }

    /// Runs a definition on an input (both JSON text) to the end. `options` (JSON text) may
    /// hold `history: true`, `name`, `seed`, `maxHistoryEvents`, `maxPayloadBytes`
    /// (measurement only), and `mockConfig` + `testCase`. Answers the result as JSON text.
    #[wasm_bindgen(unchecked_return_type = "string | Promise<string>")]
    pub fn run(&self, definition: &str, input: &str, options: &str) -> Result<JsValue, JsValue> {
        let (this, definition, input, options) = (
            self.clone(),
            definition.to_string(),
            input.to_string(),
            options.to_string(),
        );
        answer(&self.core, async move {
            this.run_text(&definition, &input, &options)
                .await
                .map(JsValue::from)
        })
    }

    /// Starts an execution to drive step by step (see [`Execution`]).
    #[wasm_bindgen(js_name = startExecution)]
    pub fn start_execution(
        &self,
        definition: &str,
        input: &str,
        options: &str,
    ) -> Result<Execution, JsValue> {
        Execution::start(self.core.clone(), definition, input, options).map_err(js_error)
    }

    /// The whole workspace (tables, items, stream records, tokens, documents, runs) as JSON
    /// text, for [`Workspace::import`].
    #[wasm_bindgen(unchecked_return_type = "string | Promise<string>")]
    pub fn export(&self) -> Result<JsValue, JsValue> {
        let this = self.clone();
        answer(&self.core, async move {
            this.export_text().await.map(JsValue::from)
        })
    }

    /// Replaces everything in the workspace with an export's contents.
    #[wasm_bindgen(unchecked_return_type = "void | Promise<void>")]
    pub fn import(&self, text: &str) -> Result<JsValue, JsValue> {
        let (this, text) = (self.clone(), text.to_string());
        answer(&self.core, async move {
            this.import_text(&text).await.map(|_| JsValue::UNDEFINED)
        })
    }

    /// Calls `callback()` whenever another tab or worker changed this workspace's tables
    /// (after this workspace caught up).
    #[wasm_bindgen(js_name = onChange)]
    pub fn on_change(&self, callback: js_sys::Function) {
        self.add_listener(Rc::new(move || {
            let _ = callback.call0(&JsValue::NULL);
        }));
    }

    /// Closes the workspace's storage (later calls of a persisted workspace fail).
    pub fn close(&self) {
        #[cfg(target_arch = "wasm32")]
        if let Some(p) = &self.core.persisted {
            p.store.close();
        }
    }
}

impl Workspace {
    fn with(name: String, engine: Rc<RefCell<Engine>>, persisted: Option<Persisted>) -> Workspace {
        Workspace {
            core: Rc::new(Core {
                name,
                engine,
                persisted,
                documents: RefCell::default(),
                runs: RefCell::default(),
                listeners: RefCell::default(),
            }),
        }
    }

    /// Whether the workspace is kept in IndexedDB.
    pub fn is_persisted(&self) -> bool {
        self.core.persisted.is_some()
    }

    /// Opens the persisted workspace `name`; `on_blocked` runs if an upgrade waits for
    /// other tabs to close their older connection.
    #[cfg(target_arch = "wasm32")]
    pub async fn open_named(
        name: &str,
        on_blocked: impl FnOnce() + 'static,
    ) -> Result<Workspace, WorkspaceError> {
        let (persisted, engine) = Persisted::open(name, on_blocked).await?;
        let workspace = Workspace::with(name.to_string(), engine, Some(persisted));
        workspace.listen_to_other_copies();
        Ok(workspace)
    }

    /// Other tabs' commits: catch up at once, then tell the listeners.
    #[cfg(target_arch = "wasm32")]
    fn listen_to_other_copies(&self) {
        use wasm_bindgen::JsCast;
        let Some(channel) = self.core.persisted.as_ref().and_then(|p| p.channel()) else {
            return;
        };
        let core = Rc::downgrade(&self.core);
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |event: web_sys::MessageEvent| {
                let Some(core) = core.upgrade() else {
                    return;
                };
                let seq = event.data().as_f64().unwrap_or(0.0) as u64;
                let persisted = core.persisted.as_ref();
                if persisted.and_then(|p| p.at()).is_some_and(|at| at >= seq) {
                    return;
                }
                wasm_bindgen_futures::spawn_local(async move {
                    let Some(p) = core.persisted.as_ref() else {
                        return;
                    };
                    if let Ok(true) = p.refresh(&core.engine).await {
                        let listeners: Vec<_> = core.listeners.borrow().clone();
                        for listener in listeners {
                            listener();
                        }
                    }
                });
            },
        );
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
    }

    /// Registers a change listener (see [`Workspace::on_change`]).
    pub fn add_listener(&self, listener: Rc<dyn Fn()>) {
        self.core.listeners.borrow_mut().push(listener);
    }

    pub(crate) fn core(&self) -> &Rc<Core> {
        &self.core
    }

    /// Runs `f` on the engine as one write: stored (and awaited) when persisted.
    pub(crate) async fn write<R>(
        core: &Core,
        f: impl FnOnce(&mut Engine) -> (Vec<Commit>, R),
    ) -> Result<R, WorkspaceError> {
        match &core.persisted {
            #[cfg(target_arch = "wasm32")]
            Some(p) => p.write(&core.engine, f).await,
            #[cfg(not(target_arch = "wasm32"))]
            Some(p) => match *p {},
            None => Ok(f(&mut core.engine.borrow_mut()).1),
        }
    }

    /// Runs one operation `f` as one write: stored (and awaited) when persisted, where `f`
    /// may run twice (again on the latest state if another tab wrote first).
    pub(crate) async fn write_op<R>(
        core: &Core,
        mut f: impl FnMut(&mut Engine) -> (Vec<Commit>, R),
    ) -> Result<R, WorkspaceError> {
        match &core.persisted {
            #[cfg(target_arch = "wasm32")]
            Some(p) => p.write_op(&core.engine, f).await,
            #[cfg(not(target_arch = "wasm32"))]
            Some(p) => match *p {},
            None => Ok(f(&mut core.engine.borrow_mut()).1),
        }
    }

    /// Catches up with other copies before a read.
    pub(crate) async fn refresh(core: &Core) -> Result<(), WorkspaceError> {
        match &core.persisted {
            #[cfg(target_arch = "wasm32")]
            Some(p) => p.refresh(&core.engine).await.map(|_| ()),
            #[cfg(not(target_arch = "wasm32"))]
            Some(p) => match *p {},
            None => Ok(()),
        }
    }

    /// [`Workspace::seed`] for Rust callers.
    pub async fn seed_text(&self, seed: &str) -> Result<(), WorkspaceError> {
        let seed = WorkspaceSeed::parse(seed).map_err(|e| e.to_string())?;
        Workspace::write(&self.core, |engine| match seed.apply(engine) {
            Ok(commits) => (commits, Ok(())),
            // The seed applies in order: what went in before the failure is kept, as
            // the engine holds it.
            Err(e) => (Vec::new(), Err(e)),
        })
        .await?
        .map_err(|e: PlaygroundError| WorkspaceError::Request(e.to_string()))
    }

    /// [`Workspace::dynamodb`] for Rust callers.
    pub async fn call(&self, action: &str, request: &str) -> Result<String, WorkspaceError> {
        let request: Value = serde_json::from_str(request)
            .map_err(|e| PlaygroundError::json("the request", &e).to_string())?;
        let execute = |engine: &mut Engine| {
            // The response is written straight from the stored items (no JSON value tree).
            match engine.execute_to_json(action, &request) {
                Ok(done) => (
                    done.commit.into_iter().collect(),
                    String::from_utf8(done.response).map_err(|e| e.to_string()),
                ),
                Err(e) => (Vec::new(), Err(e.to_string())),
            }
        };
        let result = if reads_only(action) {
            Workspace::refresh(&self.core).await?;
            let (commits, result) = execute(&mut self.core.engine.borrow_mut());
            // A read sweeps expired TTL items first: that deletion is stored like any write.
            if !commits.is_empty() {
                Workspace::write(&self.core, move |_| (commits, ())).await?;
            }
            result
        } else {
            Workspace::write_op(&self.core, execute).await?
        };
        result.map_err(WorkspaceError::Request)
    }

    /// [`Workspace::run`] for Rust callers.
    pub async fn run_text(
        &self,
        definition: &str,
        input: &str,
        options: &str,
    ) -> Result<String, WorkspaceError> {
        let prepared = prepare(input, options)?;
        let definition = definition.to_string();
        let report = Workspace::write(&self.core, move |engine| {
            match statebox_playground::run(engine, &definition, prepared.input, prepared.options) {
                Ok(mut report) => (std::mem::take(&mut report.commits), Ok(report)),
                Err(e) => (Vec::new(), Err(e.to_string())),
            }
        })
        .await??;
        let mut result = report.result();
        if prepared.history {
            result["history"] = Value::Array(report.history_json());
        }
        Ok(result.to_string())
    }

    /// The in-memory runs (oldest first) or the stored ones.
    pub async fn runs(&self) -> Result<Vec<String>, WorkspaceError> {
        match &self.core.persisted {
            #[cfg(target_arch = "wasm32")]
            Some(p) => Ok(p.store.runs().await?),
            #[cfg(not(target_arch = "wasm32"))]
            Some(p) => match *p {},
            None => Ok(self.core.runs.borrow().clone()),
        }
    }

    /// Keeps a finished run (JSON text), dropping the oldest beyond [`KEPT_RUNS`].
    pub async fn add_run(&self, text: &str) -> Result<(), WorkspaceError> {
        match &self.core.persisted {
            #[cfg(target_arch = "wasm32")]
            Some(p) => Ok(p.store.add_run(text, KEPT_RUNS).await?),
            #[cfg(not(target_arch = "wasm32"))]
            Some(p) => match *p {},
            None => {
                let mut runs = self.core.runs.borrow_mut();
                runs.push(text.to_string());
                let excess = runs.len().saturating_sub(KEPT_RUNS);
                runs.drain(..excess);
                Ok(())
            }
        }
    }

    /// A document (None if never saved).
    pub async fn document(&self, key: &str) -> Result<Option<String>, WorkspaceError> {
        match &self.core.persisted {
            #[cfg(target_arch = "wasm32")]
            Some(p) => Ok(p.store.document(key).await?),
            #[cfg(not(target_arch = "wasm32"))]
            Some(p) => match *p {},
            None => Ok(self.core.documents.borrow().get(key).cloned()),
        }
    }

    /// Saves a document; resolves once stored.
    pub async fn put_document(&self, key: &str, text: &str) -> Result<(), WorkspaceError> {
        match &self.core.persisted {
            #[cfg(target_arch = "wasm32")]
            Some(p) => Ok(p.store.put_document(key, text).await?),
            #[cfg(not(target_arch = "wasm32"))]
            Some(p) => match *p {},
            None => {
                self.core
                    .documents
                    .borrow_mut()
                    .insert(key.to_string(), text.to_string());
                Ok(())
            }
        }
    }

    /// [`Workspace::export`] for Rust callers.
    pub async fn export_text(&self) -> Result<String, WorkspaceError> {
        Workspace::refresh(&self.core).await?;
        let snapshot = self.core.engine.borrow().snapshot();
        let document = self.document(WORKSPACE_DOCUMENT).await?;
        let runs = self.runs().await?;
        Ok(transfer::export(&Exported {
            snapshot,
            document,
            runs,
        }))
    }

    /// [`Workspace::import`] for Rust callers.
    pub async fn import_text(&self, text: &str) -> Result<(), WorkspaceError> {
        let imported = transfer::import(text)?;
        let engine = Engine::restore(imported.snapshot).map_err(|e| e.to_string())?;
        match &self.core.persisted {
            #[cfg(target_arch = "wasm32")]
            Some(p) => {
                p.replace(&self.core.engine, engine).await?;
                p.store.set_runs(&imported.runs).await?;
            }
            #[cfg(not(target_arch = "wasm32"))]
            Some(p) => match *p {},
            None => {
                *self.core.engine.borrow_mut() = engine;
                *self.core.runs.borrow_mut() = imported.runs;
            }
        }
        if let Some(document) = imported.document {
            self.put_document(WORKSPACE_DOCUMENT, &document).await?;
        }
        Ok(())
    }

    /// [`Workspace::run`] with plain Rust errors (in memory: answers at once).
    pub fn run_json(&self, definition: &str, input: &str, options: &str) -> Result<String, String> {
        now_or_never(self.run_text(definition, input, options)).map_err(|e| e.to_string())
    }

    /// [`Workspace::dynamodb`] with plain Rust errors (in memory: answers at once).
    pub fn dynamodb_json(&self, action: &str, request: &str) -> Result<String, String> {
        now_or_never(self.call(action, request)).map_err(|e| e.to_string())
    }

    /// [`Workspace::seed`] with plain Rust errors (in memory: answers at once).
    pub fn seed_json(&self, seed: &str) -> Result<(), String> {
        now_or_never(self.seed_text(seed)).map_err(|e| e.to_string())
    }
}

/// Actions that never write: served from the engine after catching up, without a write
/// transaction.
fn reads_only(action: &str) -> bool {
    matches!(
        action,
        "GetItem"
            | "BatchGetItem"
            | "Query"
            | "Scan"
            | "DescribeTable"
            | "ListTables"
            | "TransactGetItems"
            | "DescribeTimeToLive"
            | "DescribeContinuousBackups"
            | "ListTagsOfResource"
            | "DescribeStream"
            | "ListStreams"
            | "GetShardIterator"
            | "GetRecords"
            | "DescribeEndpoints"
            | "DescribeLimits"
    )
}
