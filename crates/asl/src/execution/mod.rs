//! The interpreter: an explicit state machine that [`Execution::step`] advances, appending
//! history events. Parallel branches and Map iterations are frames scheduled round-robin in
//! a fixed order, so the same input, options and services replay the same history.

mod composite;
mod context;
mod distributed;
mod frame;
mod jsonata;
mod states;
mod task;
mod timing;
mod tokens;

use crate::clock::ClockMode;
use crate::definition::model::StateMachine;
use crate::history::{Details, HistoryEvent};
use crate::inspection::StateInspection;
use crate::integration::Integration;
use crate::limits::MAX_HISTORY_EVENTS;
use crate::random::SeededRandom;
pub use frame::Fault;
use frame::{Frame, Phase};
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::borrow::Cow;
use std::sync::Arc;
pub use tokens::TokenError;

/// How an execution is started.
#[derive(Debug, Clone, PartialEq)]
pub struct ExecutionOptions {
    pub name: String,
    pub state_machine_name: String,
    pub start_time_millis: i64,
    /// Seeds UUIDs, MathRandom, task tokens and retry jitter.
    pub seed: u64,
    /// `None` = AWS's 25,000.
    pub max_history_events: Option<usize>,
    /// The largest state input/output or task result; `None` = AWS's 262,144 bytes. Other
    /// values exist for measurement only: AWS never lifts this limit.
    pub max_payload_bytes: Option<usize>,
    /// When true, a `.waitForTaskToken` Task parks after its service call until
    /// [`Execution::send_task_success`] / [`Execution::send_task_failure`] answer the token;
    /// when false (default) the integration's result is the task's result.
    pub park_task_tokens: bool,
    /// Where time comes from: the execution's own virtual clock (default; Waits, retry
    /// backoff and timeouts pass instantly) or a caller's real-time [`crate::Clock`], with
    /// which the execution starts at the clock's time and `start_time_millis` is ignored.
    pub clock: ClockMode,
    /// True (default): every event and every state's inspection record is kept
    /// ([`Execution::history`], [`Execution::inspections`]). False, for runs that only want
    /// the result (as an Express workflow, which has no GetExecutionHistory): events are
    /// still numbered and counted exactly as when kept (ids, `previousEventId`, the
    /// 25,000-event limit), but neither they nor the inspections are stored, so an
    /// execution's memory does not grow with its length.
    pub record_history: bool,
    pub region: String,
    pub account_id: String,
    pub role_arn: String,
}

impl Default for ExecutionOptions {
    fn default() -> Self {
        ExecutionOptions {
            name: "execution".to_string(),
            state_machine_name: "StateMachine".to_string(),
            start_time_millis: 1_700_000_000_000,
            seed: 0,
            max_history_events: None,
            max_payload_bytes: None,
            park_task_tokens: false,
            clock: ClockMode::Virtual,
            record_history: true,
            region: "us-east-1".to_string(),
            account_id: "123456789012".to_string(),
            role_arn: "arn:aws:iam::123456789012:role/StateboxRole".to_string(),
        }
    }
}

impl ExecutionOptions {
    /// Checks the names as StartExecution does (`InvalidName` on AWS): 1–80 characters, no
    /// whitespace, brackets, wildcards or the punctuation AWS forbids.
    pub fn validate(&self) -> Result<(), String> {
        for (what, name) in [
            ("execution", &self.name),
            ("state machine", &self.state_machine_name),
        ] {
            if !crate::limits::is_valid_name(name) {
                return Err(format!("Invalid {what} name: '{name}'"));
            }
        }
        Ok(())
    }
}

/// Where an execution stands. Serializes as the CLI prints it:
/// `{"status":"SUCCEEDED","output":...}`, `{"status":"FAILED","error":...,"cause":...}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExecutionStatus {
    Running,
    Succeeded {
        output: Value,
    },
    Failed {
        error: Option<String>,
        cause: Option<String>,
    },
    TimedOut {
        error: Option<String>,
        cause: Option<String>,
    },
    Aborted {
        error: Option<String>,
        cause: Option<String>,
    },
}

/// A running (or finished) execution.
#[derive(Debug, Clone)]
pub struct Execution {
    machine: StateMachine,
    options: ExecutionOptions,
    input: Arc<Value>,
    status: ExecutionStatus,
    history: Vec<HistoryEvent>,
    /// Events appended so far (kept in `history` or not, see `record_history`).
    events: usize,
    /// The id and name of the last state entered (for `run_until_state` when events are not
    /// kept).
    last_entered: Option<(i64, Arc<str>)>,
    inspections: Vec<StateInspection>,
    frames: Vec<Frame>,
    /// How the top-level frame ended, until the execution's end event reports it.
    root_outcome: Option<Result<Value, Fault>>,
    /// Scratch buffer of [`pick_and_move`](Self::pick_and_move).
    pick_moves: Vec<(usize, usize)>,
    now: i64,
    random: SeededRandom,
    started: bool,
    store: Option<distributed::StoreHandle>,
    /// Set when nothing can run now: a parked task token awaits an answer, or (real clock)
    /// time must pass; cleared by the next step.
    blocked: bool,
    /// How far the virtual clock may go past parked tasks' deadlines
    /// ([`advance_clock_to`](Self::advance_clock_to)).
    horizon: i64,
    /// Tokens of tasks that were parked and have been answered or timed out.
    closed_tokens: Vec<String>,
}

impl Execution {
    /// Prepares an execution; the first [`step`](Self::step) appends `ExecutionStarted`.
    pub fn start(machine: &StateMachine, input: Value, options: ExecutionOptions) -> Execution {
        let mut options = options;
        if let Some(clock) = options.clock.clock() {
            options.start_time_millis = clock.now_millis();
        }
        // Inputs nested beyond MAX_JSON_DEPTH are refused (AWS's JSON parser refuses them
        // too); they are never cloned nor serialized, which would recurse without bound.
        let too_deep = crate::payload::exceeds_depth(&input, crate::limits::MAX_JSON_DEPTH);
        let input = Arc::new(if too_deep { Value::Null } else { input });
        let mut root = Frame::new(machine.states.clone(), input.clone(), 1);
        let mut root_outcome = None;
        if too_deep {
            root_outcome = Some(Err(Fault::new(
                "States.Runtime",
                format!(
                    "The execution input is nested more than {} levels deep.",
                    crate::limits::MAX_JSON_DEPTH
                ),
            )));
            root.phase = Phase::Finished;
        }
        Execution {
            machine: machine.clone(),
            now: options.start_time_millis,
            random: SeededRandom::new(options.seed),
            options,
            input,
            status: ExecutionStatus::Running,
            history: Vec::new(),
            events: 0,
            last_entered: None,
            inspections: Vec::new(),
            frames: vec![root],
            root_outcome,
            pick_moves: Vec::new(),
            started: false,
            store: None,
            blocked: false,
            horizon: i64::MIN,
            closed_tokens: Vec::new(),
        }
    }

    /// Advances the execution by at least one history event; false, without progress, once
    /// it has finished or while nothing can run now: a parked task awaits its token's answer,
    /// or (real clock) time must pass until [`next_wake_millis`](Self::next_wake_millis).
    /// Never sleeps.
    pub fn step(&mut self, services: &mut dyn Integration) -> bool {
        if self.status != ExecutionStatus::Running {
            return false;
        }
        self.sync_clock();
        let before = self.events;
        let mut guard = 0usize;
        while self.status == ExecutionStatus::Running && self.events == before {
            if self.blocked {
                self.blocked = false;
                return false;
            }
            guard += 1;
            if guard > 1_000_000 {
                self.fail_execution(Fault::new(
                    "States.Runtime",
                    "The interpreter made no progress.",
                ));
                break;
            }
            self.advance(services);
        }
        true
    }

    /// Runs until the execution ends or nothing can run now (see [`step`](Self::step)). On
    /// the virtual clock, time jumps to each Wait or retry wake-up by itself, but never up to
    /// a parked task's deadline: answer the token or let time pass with
    /// [`advance_clock_by`](Self::advance_clock_by).
    pub fn run(&mut self, services: &mut dyn Integration) -> &ExecutionStatus {
        while self.step(services) {}
        &self.status
    }

    /// Runs until a state named `state_name` is entered (or the execution ends).
    pub fn run_until_state(
        &mut self,
        state_name: &str,
        services: &mut dyn Integration,
    ) -> &ExecutionStatus {
        loop {
            let before = self.events as i64;
            if !self.step(services) {
                break;
            }
            let hit = self
                .last_entered
                .as_ref()
                .is_some_and(|(id, name)| *id > before && &**name == state_name);
            if hit {
                break;
            }
        }
        &self.status
    }

    /// Stops the execution (`ExecutionAborted`).
    pub fn stop(&mut self, error: Option<String>, cause: Option<String>) {
        if self.status != ExecutionStatus::Running {
            return;
        }
        if !self.started {
            self.emit_start();
        }
        let mut d = Map::new();
        if let Some(e) = &error {
            d.insert("error".into(), json!(e));
        }
        if let Some(c) = &cause {
            d.insert("cause".into(), json!(c));
        }
        self.emit_raw(0, "ExecutionAborted", Value::Object(d));
        self.status = ExecutionStatus::Aborted { error, cause };
    }

    /// Current status.
    pub fn status(&self) -> &ExecutionStatus {
        &self.status
    }

    /// The history so far (empty when the options say not to record it).
    pub fn history(&self) -> &[HistoryEvent] {
        &self.history
    }

    /// How many events the execution has appended so far, kept or not (the last event's id).
    pub fn event_count(&self) -> usize {
        self.events
    }

    /// TestState-style inspection data of every state run so far (empty when the options
    /// say not to record the history).
    pub fn inspections(&self) -> &[StateInspection] {
        &self.inspections
    }

    /// Ends the execution's life and hands over its status, history and inspections
    /// without copying them (a long run has tens of thousands of events).
    pub fn into_parts(self) -> (ExecutionStatus, Vec<HistoryEvent>, Vec<StateInspection>) {
        (self.status, self.history, self.inspections)
    }

    /// The execution's clock (epoch milliseconds).
    pub fn now_millis(&self) -> i64 {
        self.now
    }

    /// The execution ARN.
    pub fn execution_arn(&self) -> String {
        format!(
            "arn:aws:states:{}:{}:execution:{}:{}",
            self.options.region,
            self.options.account_id,
            self.options.state_machine_name,
            self.options.name
        )
    }

    /// The state machine ARN.
    pub fn state_machine_arn(&self) -> String {
        format!(
            "arn:aws:states:{}:{}:stateMachine:{}",
            self.options.region, self.options.account_id, self.options.state_machine_name
        )
    }

    fn max_payload(&self) -> usize {
        self.options
            .max_payload_bytes
            .unwrap_or(crate::limits::MAX_PAYLOAD_BYTES)
    }

    fn max_events(&self) -> usize {
        self.options
            .max_history_events
            .unwrap_or(MAX_HISTORY_EVENTS)
    }

    fn emit_start(&mut self) {
        self.started = true;
        let d = Details::ExecutionStarted {
            input: self.input.clone(),
            role_arn: self.options.role_arn.as_str().into(),
        };
        self.emit_details(0, Cow::Borrowed("ExecutionStarted"), d);
        if let Some(f) = self.frames.get_mut(0) {
            f.last_event = 1;
        }
    }

    /// Appends an event for frame `frame` (linking `previousEventId`) and returns its id.
    fn emit(&mut self, frame: usize, event_type: &str, details: Value) -> i64 {
        let details = if details.is_null() {
            Details::None
        } else {
            Details::Object(Box::new(details))
        };
        self.emit_for(frame, static_type(event_type), details)
    }

    /// A `MapIteration*` event (`{"name", "index"}` details).
    fn emit_iteration(
        &mut self,
        frame: usize,
        event_type: &'static str,
        name: &Arc<str>,
        index: usize,
    ) -> i64 {
        let d = self.details(|| Details::Iteration {
            name: name.clone(),
            index,
        });
        self.emit_for(frame, event_type, d)
    }

    /// `make()` when events are kept; nothing otherwise (no copies for uncounted details).
    fn details(&self, make: impl FnOnce() -> Details) -> Details {
        if self.options.record_history {
            make()
        } else {
            Details::None
        }
    }

    /// [`emit`](Self::emit) with unrendered details.
    fn emit_for(
        &mut self,
        frame: usize,
        event_type: impl Into<Cow<'static, str>>,
        details: Details,
    ) -> i64 {
        let prev = self.frames.get(frame).map(|f| f.last_event).unwrap_or(0);
        let id = self.emit_details(prev, event_type.into(), details);
        if let Some(f) = self.frames.get_mut(frame) {
            f.last_event = id;
        }
        id
    }

    fn emit_raw(&mut self, previous: i64, event_type: &str, details: Value) -> i64 {
        let details = if details.is_null() {
            Details::None
        } else {
            Details::Object(Box::new(details))
        };
        self.emit_details(previous, static_type(event_type), details)
    }

    fn emit_details(
        &mut self,
        previous: i64,
        event_type: Cow<'static, str>,
        details: Details,
    ) -> i64 {
        self.events += 1;
        let id = self.events as i64;
        if self.options.record_history {
            self.history.push(HistoryEvent::new(
                event_type, id, previous, details, self.now,
            ));
        }
        id
    }

    fn fail_execution(&mut self, fault: Fault) {
        let mut d = Map::new();
        if let Some(e) = &fault.error {
            d.insert("error".into(), json!(e));
        }
        if let Some(c) = &fault.cause {
            d.insert("cause".into(), json!(c));
        }
        self.emit(0, "ExecutionFailed", Value::Object(d));
        self.status = ExecutionStatus::Failed {
            error: fault.error,
            cause: fault.cause,
        };
    }

    /// One scheduling round: runs one frame's next phase.
    fn advance(&mut self, services: &mut dyn Integration) {
        if !self.started {
            self.emit_start();
            return;
        }
        if self.events + 1 >= self.max_events() {
            let max = self.max_events();
            self.fail_execution(Fault::new(
                "States.Runtime",
                format!("The execution reached the maximum number of history events ({max})."),
            ));
            return;
        }
        if let Some(outcome) = self.root_outcome.take() {
            match outcome {
                Ok(output) => {
                    let d = Details::ExecutionSucceeded {
                        output: Arc::new(output.clone()),
                    };
                    self.emit_for(0, "ExecutionSucceeded", d);
                    self.status = ExecutionStatus::Succeeded { output };
                }
                Err(fault) => self.fail_execution(fault),
            }
            return;
        }
        match self.pick_and_move() {
            Some(id) => self.run_frame(id, services),
            None => self.advance_clock(),
        }
    }

    /// Finds the next runnable frame under `id`, round-robin among children; records the
    /// cursor moves to make in `moves` (applied by the caller once a frame is chosen).
    fn pick(&self, id: usize, depth: usize, moves: &mut Vec<(usize, usize)>) -> Option<usize> {
        if depth > crate::limits::MAX_NESTING_DEPTH * 2 + 4 {
            return None;
        }
        let frame = self.frames.get(id)?;
        match &frame.phase {
            Phase::Enter | Phase::Run => Some(id),
            Phase::Sleep { until, .. } => (*until <= self.now).then_some(id),
            Phase::Finished | Phase::Parked { .. } => None,
            Phase::Composite(c) => {
                if !c.finished.is_empty() {
                    return Some(id);
                }
                if !c.pending.is_empty()
                    && (c.max_concurrency == 0 || c.running < c.max_concurrency)
                {
                    return Some(id);
                }
                let n = c.active.len();
                for k in 0..n {
                    let idx = (c.cursor + k) % n;
                    let Some(&child) = c.active.get(idx) else {
                        continue;
                    };
                    if let Some(found) = self.pick(child, depth + 1, moves) {
                        moves.push((id, idx + 1));
                        return Some(found);
                    }
                }
                (c.pending.is_empty() && c.running == 0).then_some(id)
            }
        }
    }

    fn pick_and_move(&mut self) -> Option<usize> {
        // The cursor moves go through one buffer kept between rounds (a round per event).
        let mut moves = std::mem::take(&mut self.pick_moves);
        moves.clear();
        let found = self.pick(0, 0, &mut moves);
        if found.is_some() {
            for &(parent, cursor) in &moves {
                if let Some(Frame {
                    phase: Phase::Composite(c),
                    ..
                }) = self.frames.get_mut(parent)
                {
                    c.cursor = cursor;
                }
            }
        }
        self.pick_moves = moves;
        found
    }
}

/// An event type as a static name when it is one of AWS's (no allocation per event).
fn static_type(event_type: &str) -> Cow<'static, str> {
    crate::history::event_type(event_type)
        .map_or_else(|| Cow::Owned(event_type.to_string()), Cow::Borrowed)
}

#[cfg(test)]
mod scripted_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod timing_tests;
