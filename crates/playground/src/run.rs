//! Running a state machine against a workspace's engine.

use crate::error::PlaygroundError;
use serde_json::{json, Value};
use statebox_asl::{
    parse_definition, ClockMode, Execution, ExecutionOptions, ExecutionStatus, HistoryEvent,
    StateInspection,
};
use statebox_dynamo::{Commit, Engine};
use statebox_services::{MockCase, Services};
use std::time::Duration;

/// How to run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// The execution's name (`$$.Execution.Name`); a fixed default keeps runs reproducible.
    pub name: Option<String>,
    /// Mocked responses for the states a test case names.
    pub mocks: Option<MockCase>,
    /// Seed of the run's random generator (UUIDs, jitter, task tokens).
    pub seed: u64,
    /// Lifts or lowers the 25,000-event history limit (None keeps AWS's).
    pub max_history_events: Option<usize>,
    /// Lifts or lowers the 262,144-byte payload limit (None keeps AWS's; for measurement).
    pub max_payload_bytes: Option<usize>,
    /// Start time in milliseconds since the epoch (virtual clock only).
    pub start_time_millis: i64,
    /// Where the execution's time comes from: virtual (default; Waits pass instantly) or a
    /// real-time clock.
    pub clock: ClockMode,
    /// With a real-time clock, how to wait for the execution's next wake-up (the CLI passes
    /// `std::thread::sleep`; the engine itself never sleeps). Without it, the run returns
    /// `RUNNING` where it would have to wait.
    pub sleep: Option<fn(Duration)>,
    /// Only the result is wanted: the history and the inspections are not kept (the report
    /// holds none), so a long run's memory does not grow with it. Limits and results are
    /// the same as when they are kept.
    pub result_only: bool,
    /// `.waitForTaskToken` Tasks park until their token is answered (step-level drivers
    /// that can answer: the JS API's executions); otherwise the service's result is the
    /// task's result.
    pub park_task_tokens: bool,
}

impl RunOptions {
    /// The options of the JS API's `options` object (`name`, `seed`, `maxHistoryEvents`,
    /// `maxPayloadBytes`, `history`; other members are the caller's); absent or mistyped
    /// members keep the defaults. Without `history: true` the run is result only.
    pub fn from_js_options(options: &Value) -> Self {
        let size = |key: &str| {
            options[key]
                .as_u64()
                .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
        };
        RunOptions {
            name: options["name"].as_str().map(String::from),
            seed: options["seed"].as_u64().unwrap_or(0),
            max_history_events: size("maxHistoryEvents"),
            max_payload_bytes: size("maxPayloadBytes"),
            result_only: options["history"] != json!(true),
            ..RunOptions::default()
        }
    }
}

/// What a run produced.
#[derive(Debug, Clone)]
pub struct RunReport {
    pub status: ExecutionStatus,
    /// The execution history (serializes to GetExecutionHistory's JSON shape).
    pub history: Vec<HistoryEvent>,
    /// The TestState-style inspection data of every state.
    pub inspections: Vec<StateInspection>,
    /// What the run wrote to DynamoDB, commit by commit.
    pub commits: Vec<Commit>,
}

impl RunReport {
    /// `{"status":"SUCCEEDED","output":...}` or `{"status":"FAILED","error":...,"cause":...}`.
    pub fn result(&self) -> Value {
        status_json(&self.status)
    }

    /// The history as JSON values, in GetExecutionHistory's shape (built only when asked:
    /// a long run has tens of thousands of events).
    pub fn history_json(&self) -> Vec<Value> {
        self.history
            .iter()
            .map(|e| serde_json::to_value(e).unwrap_or(Value::Null))
            .collect()
    }
}

/// The CLI's and the page's JSON view of an execution status.
pub fn status_json(status: &ExecutionStatus) -> Value {
    let ended = |name: &str, error: &Option<String>, cause: &Option<String>| json!({"status": name, "error": error, "cause": cause});
    match status {
        ExecutionStatus::Running => json!({"status": "RUNNING"}),
        ExecutionStatus::Succeeded { output } => json!({"status": "SUCCEEDED", "output": output}),
        ExecutionStatus::Failed { error, cause } => ended("FAILED", error, cause),
        ExecutionStatus::TimedOut { error, cause } => ended("TIMED_OUT", error, cause),
        ExecutionStatus::Aborted { error, cause } => ended("ABORTED", error, cause),
    }
}

/// Parses `definition` and starts an execution of it on `input` (nothing has run yet:
/// [`Execution::step`] or [`Execution::run`] it with services from [`services_for`]). An
/// invalid definition is an error carrying every diagnostic.
pub fn start(
    definition: &str,
    input: Value,
    options: &RunOptions,
) -> Result<Execution, PlaygroundError> {
    let parsed = parse_definition(definition);
    let machine = match parsed.machine {
        Some(m) if parsed.diagnostics.is_empty() => m,
        _ => {
            return Err(PlaygroundError::InvalidDefinition {
                diagnostics: parsed.diagnostics,
            })
        }
    };
    let exec_options = ExecutionOptions {
        name: options
            .name
            .clone()
            .unwrap_or_else(|| "statebox-execution".to_string()),
        seed: options.seed,
        max_history_events: options.max_history_events,
        max_payload_bytes: options.max_payload_bytes,
        start_time_millis: options.start_time_millis,
        clock: options.clock.clone(),
        record_history: !options.result_only,
        park_task_tokens: options.park_task_tokens,
        ..ExecutionOptions::default()
    };
    Ok(Execution::start(&machine, input, exec_options))
}

/// The services an execution started by [`start`] runs with: `dynamo`, the options' mocks,
/// and the execution's time.
pub fn services_for<E: std::borrow::BorrowMut<Engine>>(
    dynamo: E,
    execution: &Execution,
    options: &RunOptions,
) -> Services<E> {
    let mut services = Services::new(dynamo);
    services.set_time(execution.now_millis());
    match &options.mocks {
        Some(case) => services.with_mocks(case.clone()),
        None => services,
    }
}

/// Parses `definition`, runs it to the end with `input` against `engine`, and reports.
/// An invalid definition is an error carrying every diagnostic.
pub fn run(
    engine: &mut Engine,
    definition: &str,
    input: Value,
    options: RunOptions,
) -> Result<RunReport, PlaygroundError> {
    let mut execution = start(definition, input, &options)?;
    let mut services = services_for(engine, &execution, &options);
    execution.run(&mut services);
    // A real clock: sleep until the next wake-up and go on (a task token's answer cannot
    // come here, so with nothing timed left the run ends RUNNING).
    while let (Some(sleep), Some(clock), Some(wake)) = (
        options.sleep,
        options.clock.clock(),
        execution.next_wake_millis(),
    ) {
        let millis = wake.saturating_sub(clock.now_millis()).max(1);
        sleep(Duration::from_millis(u64::try_from(millis).unwrap_or(1)));
        execution.run(&mut services);
    }
    let (status, history, inspections) = execution.into_parts();
    Ok(RunReport {
        status,
        history,
        inspections,
        commits: services.take_commits(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn js_options_read_their_members_and_keep_defaults_otherwise() {
        let o = RunOptions::from_js_options(&json!({
            "name": "n1", "seed": 7, "maxHistoryEvents": 9007199254740991u64,
            "maxPayloadBytes": 10
        }));
        assert_eq!(o.name.as_deref(), Some("n1"));
        assert_eq!(o.seed, 7);
        assert_eq!(o.max_payload_bytes, Some(10));
        assert!(o.max_history_events.is_some_and(|n| n >= 1 << 52));
        assert!(o.result_only);
        assert!(!RunOptions::from_js_options(&json!({"history": true})).result_only);
        let d = RunOptions::from_js_options(&json!({"seed": "x", "maxPayloadBytes": -1}));
        assert_eq!((d.seed, d.max_payload_bytes, d.name), (0, None, None));
    }
}
