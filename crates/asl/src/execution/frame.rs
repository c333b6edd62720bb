//! A frame is one thread of control: the top-level machine, one Parallel branch or one Map
//! iteration. Each frame runs one state at a time through a few phases.

use crate::definition::model::StateList;
use serde_json::Value;
use std::collections::VecDeque;
use std::sync::Arc;

/// A failure inside the interpreter; unlike [`crate::Failure`] both parts may be absent
/// (a Fail state without Error or Cause).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub error: Option<String>,
    pub cause: Option<String>,
    /// The error came from a Task's service call (matters for `States.TaskFailed`).
    pub from_task: bool,
    /// A `States.Timeout` raised because no heartbeat came in time: Retry and Catch
    /// listing `States.HeartbeatTimeout` match it too.
    pub heartbeat: bool,
}

impl Fault {
    /// A fault with both parts.
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        Fault {
            error: Some(error.into()),
            cause: Some(cause.into()),
            from_task: false,
            heartbeat: false,
        }
    }

    /// True when a retrier or catcher listing `error_equals` handles this fault.
    pub fn matched_by(&self, error_equals: &[String]) -> bool {
        crate::error_match::matches(error_equals, self.error.as_deref(), self.from_task)
            || (self.heartbeat && error_equals.iter().any(|e| e == HEARTBEAT_TIMEOUT))
    }
}

/// `States.HeartbeatTimeout`: matched in Retry and Catch only; the events say `States.Timeout`.
pub const HEARTBEAT_TIMEOUT: &str = "States.HeartbeatTimeout";

impl From<crate::Failure> for Fault {
    fn from(f: crate::Failure) -> Self {
        Fault::new(f.error, f.cause)
    }
}

/// What a sleeping frame does when it wakes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// Run the state again (after a retry delay).
    Run,
    /// Leave the Wait state.
    WaitExit,
}

/// Where a frame is in its current state.
#[derive(Debug, Clone)]
pub enum Phase {
    /// About to enter `current` (emits the StateEntered event).
    Enter,
    /// Entered; runs the state's body.
    Run,
    /// Waiting on the clock.
    Sleep { until: i64, then: Wake },
    /// A Parallel or Map state waiting for its children.
    Composite(Box<Composite>),
    /// A `.waitForTaskToken` Task waiting for `send_task_success` / `send_task_failure`.
    Parked(Box<ParkedTask>),
    /// The frame ended (its result went to its Parallel / Map parent, or for the top-level
    /// frame to the execution).
    Finished,
}

/// A parked task's token and deadlines (epoch milliseconds on the execution's clock).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParkedTask {
    pub token: String,
    /// `TimeoutSeconds` after the task started.
    pub timeout_at: Option<i64>,
    /// `HeartbeatSeconds` after the task started or its last heartbeat.
    pub heartbeat_at: Option<i64>,
    /// `HeartbeatSeconds` in milliseconds (a heartbeat moves `heartbeat_at` this far on).
    pub heartbeat_millis: Option<i64>,
}

impl ParkedTask {
    /// The earliest deadline.
    pub fn deadline(&self) -> Option<i64> {
        match (self.timeout_at, self.heartbeat_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The fault the task fails with at `now`, if a deadline has passed: the timeout wins a
    /// tie with the heartbeat.
    pub fn expired(&self, now: i64) -> Option<Fault> {
        let timeout = self.timeout_at.is_some_and(|t| t <= now);
        let heartbeat = self.heartbeat_at.is_some_and(|t| t <= now);
        (timeout || heartbeat).then(|| timeout_fault(heartbeat && !timeout))
    }
}

/// The fault of a task that timed out (AWS records `States.Timeout` and no cause for both
/// `TimeoutSeconds` and `HeartbeatSeconds`).
pub fn timeout_fault(heartbeat: bool) -> Fault {
    Fault {
        error: Some(crate::error_match::TIMEOUT.to_string()),
        cause: None,
        from_task: true,
        heartbeat,
    }
}

/// Parallel or Map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompositeKind {
    Parallel,
    Map,
}

/// The bookkeeping of a running Parallel or Map state. Every operation on it is O(1)
/// amortized, so Maps of many items stay fast.
#[derive(Debug, Clone)]
pub struct Composite {
    pub kind: CompositeKind,
    /// Child frame ids started so far; finished ones are compacted away lazily.
    pub active: Vec<usize>,
    /// Children that finished and wait to be reported, in finishing order, with how they
    /// ended (moved here from the child, which keeps only its `Finished` phase).
    pub finished: VecDeque<(usize, Result<Value, Fault>)>,
    /// Items not started yet.
    pub pending: Pending,
    /// Results by branch / item index.
    pub results: Vec<Value>,
    /// Round-robin position in `active`.
    pub cursor: usize,
    /// Children started and not yet reported.
    pub running: usize,
    /// 0 = unlimited.
    pub max_concurrency: usize,
    pub tolerated_count: Option<u64>,
    pub tolerated_percentage: Option<f64>,
    pub failures: u64,
    pub total: usize,
    /// Distributed Map: the map run's id and ARN.
    pub map_run: Option<(String, String)>,
}

/// The Map items not started yet, in order: taken from the items array as each iteration
/// starts (no copy of the whole array up front), or made beforehand by an ItemSelector or
/// ItemBatcher.
#[derive(Debug, Clone, Default)]
pub struct Pending {
    /// The next item's index.
    next: usize,
    /// How many items there are.
    end: usize,
    source: Source,
}

#[derive(Debug, Clone, Default)]
enum Source {
    #[default]
    None,
    /// The items array (a `Value::Array`).
    Array(Arc<Value>),
    /// The iteration inputs made beforehand, taken out as they start.
    Values(Vec<Value>),
}

impl Pending {
    /// The items of `items` (an array; anything else has none).
    pub fn from_array(items: Arc<Value>) -> Self {
        let end = items.as_array().map_or(0, Vec::len);
        Pending {
            next: 0,
            end,
            source: Source::Array(items),
        }
    }

    /// Iteration inputs made beforehand.
    pub fn from_values(values: Vec<Value>) -> Self {
        Pending {
            next: 0,
            end: values.len(),
            source: Source::Values(values),
        }
    }

    /// The next item: its index and iteration input.
    pub fn pop_front(&mut self) -> Option<(usize, Value)> {
        if self.next >= self.end {
            return None;
        }
        let i = self.next;
        self.next += 1;
        let value = match &mut self.source {
            Source::None => Value::Null,
            Source::Array(items) => items.get(i).cloned().unwrap_or(Value::Null),
            Source::Values(values) => values.get_mut(i).map(Value::take).unwrap_or(Value::Null),
        };
        Some((i, value))
    }

    /// Items left.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.next)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drops the items left.
    pub fn clear(&mut self) {
        *self = Pending::default();
    }
}

/// One thread of control.
#[derive(Debug, Clone)]
pub struct Frame {
    pub list: Arc<StateList>,
    /// The current state's name (shared with the model, its events and inspection).
    pub current: Arc<str>,
    /// The current state's position in `list` (`None` when no state has that name).
    pub state: Option<usize>,
    /// The raw input of the current state.
    pub input: Arc<Value>,
    /// `input` is known to be within the payload size limit (it is the previous state's
    /// output, checked when that state left).
    pub input_checked: bool,
    pub phase: Phase,
    /// The Parallel / Map frame this frame is a child of.
    pub parent: Option<usize>,
    /// Last event this frame appended (for `previousEventId`).
    pub last_event: i64,
    pub entered_event: i64,
    pub entered_time: i64,
    /// Attempts used per retrier of the current state.
    pub retry_counts: Vec<u32>,
    /// Total retries of the current state (`$$.State.RetryCount`).
    pub retry_total: u32,
    /// The branch index (Parallel) or item index (Map) this frame runs, if a child.
    pub map_index: Option<usize>,
    /// Index of the current state's inspection record.
    pub inspection: Option<usize>,
    /// Effective input of the current state (after InputPath / Parameters), for composites
    /// and Wait (the frame's input until then).
    pub effective: Arc<Value>,
    /// The workflow variables this frame sees (its own and, copied in when it started,
    /// its parent's).
    pub variables: Arc<serde_json::Map<String, Value>>,
    /// What the current state assigns, made when it leaves (after its OutputPath, which
    /// still reads the values from before).
    pub pending: Option<serde_json::Map<String, Value>>,
}

impl Frame {
    /// A frame about to enter the block's start state.
    pub fn new(list: Arc<StateList>, input: Arc<Value>, last_event: i64) -> Self {
        let state = list.index_of(&list.start_at);
        let current = match state.and_then(|i| list.states.get(i)) {
            Some(s) => s.name.clone(),
            None => Arc::from(list.start_at.as_str()),
        };
        Frame {
            current,
            state,
            effective: input.clone(),
            list,
            input,
            input_checked: false,
            phase: Phase::Enter,
            parent: None,
            last_event,
            entered_event: 0,
            entered_time: 0,
            retry_counts: Vec::new(),
            retry_total: 0,
            map_index: None,
            inspection: None,
            variables: Arc::default(),
            pending: None,
        }
    }
}
