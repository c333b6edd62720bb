//! RedriveExecution: a FAILED, ABORTED or TIMED_OUT standard execution runs again from the
//! top-level state it did not finish, with that state's input, as AWS redrives it. The
//! history goes on: an `ExecutionRedriven` event (`redriveCount`), then the new run's
//! events numbered after it. A Map or Parallel state is run again whole (AWS reruns only
//! its unsuccessful iterations or branches), and `$$.Execution.RedriveCount` reads 0.

use crate::arn;
use crate::error::SfnError;
use crate::executions::Run;
use crate::machines::Spec;
use crate::persist::Record;
use crate::request::Members;
use crate::wire::{self, timestamp};
use crate::StepFunctions;
use serde_json::{json, Value};
use statebox_asl::diagnostic::codes::UNREACHABLE_STATE;
use statebox_asl::{parse_definition, Execution, ExecutionOptions, StateMachine};
use statebox_dynamo::Engine;
use statebox_services::Services;

/// Most redrives of one execution.
pub const MAX_REDRIVES: u32 = 1000;

/// What an earlier run of a redriven execution left.
#[derive(Debug, Clone, Default)]
pub struct Prior {
    /// The events so far (with data), the `ExecutionRedriven` event last.
    pub events: Vec<Value>,
    pub redrive_count: u32,
    pub redrive_millis: Option<i64>,
}

/// The state to run again and its input: the last top-level state entered and not exited.
fn restart_point(events: &[Value], machine: &StateMachine) -> Option<(String, Value)> {
    let top = machine.state_names();
    let mut open: Option<(String, Value)> = None;
    for event in events {
        let kind = event["type"].as_str().unwrap_or_default();
        let details = if kind.ends_with("StateEntered") {
            &event["stateEnteredEventDetails"]
        } else if kind.ends_with("StateExited") {
            &event["stateExitedEventDetails"]
        } else {
            continue;
        };
        let Some(name) = details["name"].as_str().filter(|n| top.contains(n)) else {
            continue;
        };
        if kind.ends_with("StateEntered") {
            let input = details["input"]
                .as_str()
                .and_then(|text| serde_json::from_str(text).ok())
                .unwrap_or(Value::Null);
            open = Some((name.to_string(), input));
        } else {
            open = None;
        }
    }
    open
}

/// The machine started at `state` (other states unreachable from there are allowed).
fn started_at(spec: &Spec, state: &str) -> Option<StateMachine> {
    let mut definition: Value = serde_json::from_str(&spec.definition).ok()?;
    definition["StartAt"] = json!(state);
    let parsed = parse_definition(&definition.to_string());
    let only_unreachable = parsed
        .diagnostics
        .iter()
        .all(|d| d.code == UNREACHABLE_STATE);
    parsed.machine.filter(|_| only_unreachable)
}

fn not_redrivable(message: impl Into<String>) -> SfnError {
    SfnError::ExecutionNotRedrivable {
        message: message.into(),
    }
}

impl StepFunctions {
    pub(crate) fn redrive_execution(
        &mut self,
        m: Members<'_>,
        now: i64,
    ) -> Result<Value, SfnError> {
        let arn_text = m.required("executionArn")?;
        if arn::execution(arn_text)? {
            return Err(not_redrivable(format!(
                "Execution with arn {arn_text} is an express execution and cannot be redriven"
            )));
        }
        // What the execution was, from its live run or from the log.
        let (head, status, events, prior_count) = if let Some(run) = self.runs.get(arn_text) {
            (
                run_head(run),
                run.status_name().to_string(),
                run.history_values(true),
                run.prior.redrive_count,
            )
        } else if let Some(stored) = self.stored.get(arn_text) {
            let head = Head {
                name: stored.start.name.clone(),
                spec: stored.spec.clone(),
                input: stored.start.input.clone(),
                trace_header: stored.start.trace_header.clone(),
                version_arn: stored.start.version_arn.clone(),
                alias_arn: stored.start.alias_arn.clone(),
                start_millis: stored.start.start_millis,
            };
            (
                head,
                stored.end.status.clone(),
                stored.end.history.clone(),
                stored.end.redrive_count,
            )
        } else {
            return Err(SfnError::ExecutionDoesNotExist {
                arn: arn_text.into(),
            });
        };
        if !matches!(status.as_str(), "FAILED" | "ABORTED" | "TIMED_OUT") {
            return Err(not_redrivable(format!(
                "Execution with arn {arn_text} is {status} and cannot be redriven"
            )));
        }
        if prior_count >= MAX_REDRIVES {
            return Err(not_redrivable(format!(
                "Execution with arn {arn_text} has been redriven {MAX_REDRIVES} times"
            )));
        }
        let (state, input) = restart_point(&events, &head.spec.machine).ok_or_else(|| {
            not_redrivable(format!(
                "Execution with arn {arn_text} failed before any state ran and cannot be redriven"
            ))
        })?;
        let machine = started_at(&head.spec, &state).ok_or_else(|| SfnError::Internal {
            message: format!("the definition cannot start at '{state}' for the redrive"),
        })?;
        let redrive_count = prior_count + 1;
        let mut prior_events = events;
        let last = prior_events.len() as i64;
        prior_events.push(json!({
            "timestamp": timestamp(now),
            "type": "ExecutionRedriven",
            "id": last + 1,
            "previousEventId": last,
            "executionRedrivenEventDetails": {"redriveCount": redrive_count},
        }));
        let seed = self.next_seed();
        let options = ExecutionOptions {
            name: head.name.clone(),
            state_machine_name: head.spec.name.clone(),
            start_time_millis: now,
            seed,
            park_task_tokens: true,
            clock: self.config.clock.clone(),
            region: self.config.place.region.clone(),
            account_id: self.config.place.account.clone(),
            role_arn: head.spec.role_arn.clone(),
            ..ExecutionOptions::default()
        };
        let execution = Execution::start(&machine, input, options);
        let run = Run {
            arn: arn_text.to_string(),
            name: head.name,
            spec: head.spec,
            input: head.input,
            trace_header: head.trace_header,
            version_arn: head.version_arn,
            alias_arn: head.alias_arn,
            start_millis: head.start_millis,
            stop_millis: None,
            execution,
            services: Services::new(Engine::new()),
            idle: false,
            sync: false,
            prior: Prior {
                events: prior_events,
                redrive_count,
                redrive_millis: Some(now),
            },
        };
        self.stored.remove(arn_text);
        self.runs.insert(arn_text.to_string(), run);
        self.active.insert(arn_text.to_string());
        self.record(|_| Record::Redriven {
            arn: arn_text.to_string(),
        });
        Ok(json!({"redriveDate": timestamp(now)}))
    }
}

/// What a redrive keeps of the execution.
struct Head {
    name: String,
    spec: std::sync::Arc<Spec>,
    input: String,
    trace_header: Option<String>,
    version_arn: Option<String>,
    alias_arn: Option<String>,
    start_millis: i64,
}

fn run_head(run: &Run) -> Head {
    Head {
        name: run.name.clone(),
        spec: run.spec.clone(),
        input: run.input.clone(),
        trace_header: run.trace_header.clone(),
        version_arn: run.version_arn.clone(),
        alias_arn: run.alias_arn.clone(),
        start_millis: run.start_millis,
    }
}

impl Run {
    /// Every event so far, earlier runs' first, as GetExecutionHistory returns them.
    pub fn history_values(&self, include_data: bool) -> Vec<Value> {
        let mut out: Vec<Value> = self
            .prior
            .events
            .iter()
            .map(|e| {
                let mut e = e.clone();
                if !include_data {
                    wire::strip_data(&mut e);
                }
                e
            })
            .collect();
        let redriven = !self.prior.events.is_empty();
        // The new run's own ExecutionStarted is not shown: ExecutionRedriven stands for it.
        let offset = if redriven { out.len() as i64 - 1 } else { 0 };
        for event in self.execution.history() {
            if redriven && event.id == 1 {
                continue;
            }
            let mut e = wire::event(event, include_data);
            if offset != 0 {
                e["id"] = json!(event.id + offset);
                e["previousEventId"] = json!(event.previous_event_id + offset);
            }
            out.push(e);
        }
        out
    }
}
