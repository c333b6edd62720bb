//! [`Execution`]: an execution driven step by step from JavaScript: step, run to the end,
//! history and inspection data, task tokens, the virtual clock, stop.
//!
//! The services (mocks, their call counts, the DynamoDB engine binding) live as long as the
//! execution; the workspace's engine is lent to them for each step (swapped in and back), so
//! other calls on the workspace see every write a step made. In a persisted workspace each
//! call that runs steps is one stored write.

use crate::error::{js_error, WorkspaceError};
use crate::options::prepare;
use crate::workspace::{Core, Workspace};
use serde_json::Value;
use statebox_asl::ExecutionStatus;
use statebox_dynamo::{Commit, Engine};
use statebox_playground::{services_for, start, status_json, RunOptions};
use statebox_services::Services;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

struct Running {
    execution: statebox_asl::Execution,
    /// Owns a placeholder engine between steps.
    services: Services<Engine>,
}

/// An execution started by `Workspace.startExecution`.
#[wasm_bindgen]
#[derive(Clone)]
pub struct Execution {
    core: Rc<Core>,
    running: Rc<RefCell<Running>>,
}

/// A value now (in memory) or a Promise of it (persisted), as the workspace answers.
fn answer(
    core: &Rc<Core>,
    future: impl std::future::Future<Output = Result<JsValue, WorkspaceError>> + 'static,
) -> Result<JsValue, JsValue> {
    crate::workspace::answer(core, future)
}

impl Running {
    /// Runs `f` with the workspace's engine lent to the services; returns its value and
    /// the commits the steps made.
    fn with_engine<R>(
        &mut self,
        engine: &mut Engine,
        f: impl FnOnce(&mut statebox_asl::Execution, &mut Services<Engine>) -> R,
    ) -> (Vec<Commit>, R) {
        std::mem::swap(self.services.engine(), engine);
        self.services.set_time(self.execution.now_millis());
        let value = f(&mut self.execution, &mut self.services);
        std::mem::swap(self.services.engine(), engine);
        (self.services.take_commits(), value)
    }
}

#[wasm_bindgen]
impl Execution {
    /// Advances by at least one history event. Answers the JSON array text of the events
    /// it added, or `undefined` when it cannot progress (finished, or parked on a task
    /// token that awaits its answer).
    #[wasm_bindgen(unchecked_return_type = "string | undefined | Promise<string | undefined>")]
    pub fn step(&self) -> Result<JsValue, JsValue> {
        let this = self.clone();
        answer(&self.core, async move {
            let added = this.advance(|e, s| e.step(s)).await?;
            Ok(added.map_or(JsValue::UNDEFINED, JsValue::from))
        })
    }

    /// Runs until the execution ends or waits on a task token; answers `status()`.
    #[wasm_bindgen(js_name = runToEnd, unchecked_return_type = "string | Promise<string>")]
    pub fn run_to_end(&self) -> Result<JsValue, JsValue> {
        let this = self.clone();
        answer(&self.core, async move {
            this.advance(|e, s| {
                e.run(s);
                true
            })
            .await?;
            Ok(JsValue::from(this.status()))
        })
    }

    /// Lets `millis` of virtual time pass (Waits, retry backoff, timeouts fire on the way)
    /// and runs; answers `status()`.
    #[wasm_bindgen(js_name = advanceClock, unchecked_return_type = "string | Promise<string>")]
    pub fn advance_clock(&self, millis: f64) -> Result<JsValue, JsValue> {
        let this = self.clone();
        answer(&self.core, async move {
            this.advance(move |e, s| {
                e.advance_clock_by(millis as i64, s);
                true
            })
            .await?;
            Ok(JsValue::from(this.status()))
        })
    }

    /// `{"status":"RUNNING"}`, or the result as `Workspace.run` gives it (JSON text).
    pub fn status(&self) -> String {
        status_json(self.running.borrow().execution.status()).to_string()
    }

    /// The history so far, as GetExecutionHistory's events (JSON array text).
    pub fn history(&self) -> String {
        let running = self.running.borrow();
        events_json(running.execution.history())
    }

    /// The TestState-style inspection data of every state visit (JSON array text).
    pub fn inspections(&self) -> String {
        serde_json::to_string(self.running.borrow().execution.inspections()).unwrap_or_default()
    }

    /// The task tokens awaiting an answer (JSON array text).
    #[wasm_bindgen(js_name = pendingTaskTokens)]
    pub fn pending_task_tokens(&self) -> String {
        serde_json::to_string(&self.running.borrow().execution.pending_task_tokens())
            .unwrap_or_default()
    }

    /// Answers a task token with its output (JSON text), as SendTaskSuccess; the execution
    /// goes on at the next step.
    #[wasm_bindgen(js_name = sendTaskSuccess)]
    pub fn send_task_success(&self, token: &str, output: &str) -> Result<(), JsValue> {
        let output: Value = serde_json::from_str(output).map_err(|e| {
            js_error(statebox_playground::PlaygroundError::json(
                "the task output",
                &e,
            ))
        })?;
        self.running
            .borrow_mut()
            .execution
            .send_task_success(token, output)
            .map_err(|e| js_error(e.0))
    }

    /// Fails a task token, as SendTaskFailure.
    #[wasm_bindgen(js_name = sendTaskFailure)]
    pub fn send_task_failure(
        &self,
        token: &str,
        error: Option<String>,
        cause: Option<String>,
    ) -> Result<(), JsValue> {
        self.running
            .borrow_mut()
            .execution
            .send_task_failure(token, error, cause)
            .map_err(|e| js_error(e.0))
    }

    /// Records a heartbeat for a task token, as SendTaskHeartbeat.
    #[wasm_bindgen(js_name = sendTaskHeartbeat)]
    pub fn send_task_heartbeat(&self, token: &str) -> Result<(), JsValue> {
        self.running
            .borrow_mut()
            .execution
            .send_task_heartbeat(token)
            .map_err(|e| js_error(e.0))
    }

    /// Aborts the execution, as StopExecution (status ABORTED).
    pub fn stop(&self, error: Option<String>, cause: Option<String>) {
        self.running.borrow_mut().execution.stop(error, cause);
    }
}

impl Execution {
    /// Starts `definition` on `input` with the JS options; `.waitForTaskToken` tasks park
    /// until answered, and the history is always kept.
    pub(crate) fn start(
        core: Rc<Core>,
        definition: &str,
        input: &str,
        options: &str,
    ) -> Result<Execution, WorkspaceError> {
        let prepared = prepare(input, options)?;
        let options = RunOptions {
            result_only: false,
            park_task_tokens: true,
            ..prepared.options
        };
        let execution = start(definition, prepared.input, &options).map_err(|e| e.to_string())?;
        let services = services_for(Engine::new(), &execution, &options);
        Ok(Execution {
            core,
            running: Rc::new(RefCell::new(Running {
                execution,
                services,
            })),
        })
    }

    /// Starts an execution in `workspace` (for Rust callers such as the page's worker).
    pub fn start_in(
        workspace: &Workspace,
        definition: &str,
        input: &str,
        options: &str,
    ) -> Result<Execution, WorkspaceError> {
        Execution::start(workspace.core().clone(), definition, input, options)
    }

    /// Runs `f` (which advances the execution) as one write of the workspace; answers the
    /// JSON array text of the events added, or None if `f` made no progress.
    pub async fn advance(
        &self,
        f: impl FnOnce(&mut statebox_asl::Execution, &mut Services<Engine>) -> bool,
    ) -> Result<Option<String>, WorkspaceError> {
        let before = self.event_count();
        let progressed = self.advance_by(f).await?;
        Ok((progressed && self.event_count() > before).then(|| self.events_since(before)))
    }

    /// Runs `f` (which advances the execution) as one write of the workspace; whether it
    /// made progress.
    pub async fn advance_by(
        &self,
        f: impl FnOnce(&mut statebox_asl::Execution, &mut Services<Engine>) -> bool,
    ) -> Result<bool, WorkspaceError> {
        let running = self.running.clone();
        Workspace::write(&self.core, move |engine| {
            running.borrow_mut().with_engine(engine, f)
        })
        .await
    }

    /// Whether the execution has ended.
    pub fn finished(&self) -> bool {
        !matches!(
            self.running.borrow().execution.status(),
            ExecutionStatus::Running
        )
    }

    /// The number of events so far.
    pub fn event_count(&self) -> usize {
        self.running.borrow().execution.history().len()
    }

    /// Events from `from` on, as a JSON array text.
    pub fn events_since(&self, from: usize) -> String {
        let running = self.running.borrow();
        let history = running.execution.history();
        events_json(&history[from.min(history.len())..])
    }
}

/// Events as GetExecutionHistory's JSON array text.
fn events_json(events: &[statebox_asl::HistoryEvent]) -> String {
    let values: Vec<Value> = events
        .iter()
        .map(|e| serde_json::to_value(e).unwrap_or(Value::Null))
        .collect();
    Value::Array(values).to_string()
}
