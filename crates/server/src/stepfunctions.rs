//! The Step Functions endpoint on the same port: requests whose `X-Amz-Target` is
//! `AWSStepFunctions.<Operation>` are answered by `statebox-stepfunctions`, and a background
//! thread (the driver) runs executions, lending them the DynamoDB engine for each slice so
//! that Task states read and write the tables the DynamoDB endpoint serves.
//!
//! Locks are taken in one order, Step Functions then engine: requests lock one or the
//! other (TestState only the engine), the driver both for a slice of steps. The driver
//! holds weak references, so it ends when its service is dropped; it starts with the first
//! execution. StartSyncExecution waits (off the runtime's worker, see `may_block`) on a
//! condition variable the driver signals after each slice. With `--data`, the changes of
//! each request and each slice are logged (see `sfn_store`) under the Step Functions lock.

use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError, Weak};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use statebox_stepfunctions::{test_state, Config, SfnError, StepFunctions};

use crate::error::ServerError;
use crate::service::{system_millis, State};
use crate::sfn_store::{self, SfnLog};

/// About how many events the driver steps (over all executions) while it holds the engine.
const SLICE_EVENTS: usize = 1024;
/// How long the driver sleeps with nothing to do before checking it is still wanted.
const IDLE_CHECK: Duration = Duration::from_millis(500);
/// How long StartSyncExecution waits for its execution (AWS ends express workflows at 5 min).
const SYNC_LIMIT: Duration = Duration::from_secs(300);

/// State machines and executions, and the log their changes go to (with `--data`).
pub(crate) struct SfnState {
    api: StepFunctions,
    log: Option<SfnLog>,
}

impl SfnState {
    /// Appends the changes made since the last call to the log.
    fn flush(&mut self) {
        let records = self.api.take_records();
        if let Some(log) = &mut self.log {
            if let Err(e) = log.append(&records) {
                eprintln!("statebox: cannot write {}: {e}", log.path().display());
            }
        }
    }
}

/// The Step Functions side of a service.
pub(crate) struct Sfn {
    state: Mutex<SfnState>,
    /// Signalled when an execution may run (started, token answered, stopped).
    wake: Condvar,
    /// Signalled after each driver slice (synchronous executions wait on it).
    slice_done: Condvar,
    driver: OnceLock<()>,
}

impl Sfn {
    /// Step Functions as `config` says; with `data_dir`, what it keeps is loaded from there
    /// and its changes are logged there.
    pub(crate) fn new(config: Config, data_dir: Option<&Path>) -> Result<Sfn, ServerError> {
        let mut sfn = Sfn::in_memory(config);
        let state = sfn.state.get_mut().unwrap_or_else(PoisonError::into_inner);
        let api = &mut state.api;
        state.log = match data_dir {
            None => None,
            Some(dir) => {
                let (records, dropped) = sfn_store::load(dir)?;
                let (machines, executions) = api.restore(records);
                api.keep_records();
                let log = sfn_store::rewrite(dir, &api.snapshot_records())?;
                eprintln!(
                    "statebox: loaded {machines} state machine(s), {executions} execution(s) from {}{}",
                    dir.display(),
                    if dropped { "; dropped a cut-short last line" } else { "" }
                );
                Some(log)
            }
        };
        Ok(sfn)
    }

    /// Step Functions as `config` says, kept in memory only.
    pub(crate) fn in_memory(config: Config) -> Sfn {
        let seed = u64::try_from(system_millis()).unwrap_or(0) ^ u64::from(std::process::id());
        Sfn {
            state: Mutex::new(SfnState {
                api: StepFunctions::with_seed(config, seed),
                log: None,
            }),
            wake: Condvar::new(),
            slice_done: Condvar::new(),
            driver: OnceLock::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, SfnState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Answers one Step Functions operation: the response body, or the error.
pub(crate) fn execute(
    sfn: &Arc<Sfn>,
    engine: &Arc<Mutex<State>>,
    operation: &str,
    body: &Value,
) -> Result<Value, SfnError> {
    let now = system_millis();
    if operation == "TestState" {
        let config = sfn.lock().api.config().clone();
        let mut state = engine.lock().unwrap_or_else(PoisonError::into_inner);
        let (engine, log) = &mut *state;
        let (response, commits) = test_state(&config, body, engine)?;
        if let Some(log) = log {
            append(log, &commits);
        }
        return Ok(response);
    }
    let mut guard = sfn.lock();
    let outcome = guard.api.execute(operation, body, now);
    guard.flush();
    let response = outcome?;
    if matches!(
        operation,
        "StartExecution" | "StartSyncExecution" | "SendTaskSuccess" | "SendTaskFailure"
    ) {
        start_driver(sfn, engine);
        sfn.wake.notify_all();
    }
    if operation != "StartSyncExecution" {
        return Ok(response);
    }
    let arn = response["executionArn"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let include = body["includedData"].as_str() != Some("METADATA_ONLY");
    let deadline = Instant::now() + SYNC_LIMIT;
    loop {
        if let Some(result) = guard.api.take_sync_result(&arn, include) {
            return Ok(result);
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(json!({"executionArn": arn, "status": "TIMED_OUT",
                "error": "States.Timeout", "cause": "The express execution ran past 5 minutes."}));
        }
        guard = sfn
            .slice_done
            .wait_timeout(guard, left.min(IDLE_CHECK))
            .unwrap_or_else(PoisonError::into_inner)
            .0;
    }
}

fn append(log: &mut crate::store::CommitLog, commits: &[statebox_dynamo::Commit]) {
    for commit in commits {
        if let Err(e) = log.append(commit) {
            eprintln!("statebox: cannot write {}: {e}", log.path().display());
        }
    }
}

/// Starts the driver thread once.
fn start_driver(sfn: &Arc<Sfn>, engine: &Arc<Mutex<State>>) {
    sfn.driver.get_or_init(|| {
        let (sfn, engine) = (Arc::downgrade(sfn), Arc::downgrade(engine));
        let spawned = std::thread::Builder::new()
            .name("statebox-sfn".into())
            .spawn(move || drive(&sfn, &engine));
        if let Err(e) = spawned {
            eprintln!("statebox: cannot start the Step Functions driver: {e}");
        }
    });
}

/// Runs executions until the service is dropped.
fn drive(sfn: &Weak<Sfn>, engine: &Weak<Mutex<State>>) {
    loop {
        let (Some(sfn), Some(engine)) = (sfn.upgrade(), engine.upgrade()) else {
            return;
        };
        let mut guard = sfn.lock();
        guard.api.wake_due(system_millis());
        if guard.api.has_work() {
            {
                let mut state = engine.lock().unwrap_or_else(PoisonError::into_inner);
                let (engine, log) = &mut *state;
                let commits = guard.api.run_ready(engine, SLICE_EVENTS);
                if let Some(log) = log {
                    append(log, &commits);
                }
            }
            guard.flush();
            sfn.slice_done.notify_all();
            drop(guard);
            // Let requests waiting on either lock in between slices.
            std::thread::yield_now();
            continue;
        }
        sfn.slice_done.notify_all();
        let wait = guard.api.next_wake().map_or(IDLE_CHECK, |at| {
            let ms = at.saturating_sub(system_millis()).clamp(1, 500);
            Duration::from_millis(u64::try_from(ms).unwrap_or(1))
        });
        drop(sfn.wake.wait_timeout(guard, wait));
    }
}
