//! TestState: runs one state once and reports its status, output or error, the state it
//! would go to next and, at the DEBUG and TRACE levels, the data after each step.
//!
//! The state runs in a small machine of its own: it starts there, and every state it may
//! go to (`Next`, `Default`, Choice rules, Catch) is a `Succeed` stand-in, so the stand-in
//! entered is the `nextState` and its input is the state's output. Retry is evaluated, not
//! run, as AWS's TestState does: an error a retrier handles (with
//! `stateConfiguration.retrierRetryCount` attempts made so far) is `RETRIABLE`, with the
//! retrier's index and backoff. A Task's result is `mock.result` / `mock.errorOutput` when
//! given, otherwise the real integration (DynamoDB against the server's tables).

use crate::error::SfnError;
use crate::machines::checked_definition;
use crate::request::Members;
use crate::Config;
use serde_json::{json, Map, Value};
use statebox_asl::definition::model::{State, StateKind};
use statebox_asl::error_match::matches;
use statebox_asl::payload::to_text;
use statebox_asl::{
    Execution, ExecutionOptions, ExecutionStatus, Failure, Integration, StateInspection,
    TaskRequest,
};
use statebox_dynamo::{Commit, Engine};
use statebox_services::Services;
use std::sync::Arc;

/// The name the tested state runs under when the definition is a single state.
const TESTED: &str = "TestState";

/// The task result TestState's `mock` gives.
enum Mock {
    Result(Value),
    Error(Failure),
}

/// Services for the tested state: its mocked result, or the real ones.
struct Tested<'a> {
    mock: Option<Mock>,
    services: Services<&'a mut Engine>,
}

impl Integration for Tested<'_> {
    fn invoke(&mut self, request: &TaskRequest<'_>) -> Result<Value, Failure> {
        match &self.mock {
            Some(Mock::Result(v)) => Ok(v.clone()),
            Some(Mock::Error(f)) => Err(f.clone()),
            None => self.services.invoke(request),
        }
    }
}

/// Answers TestState; returns the response and what it committed to DynamoDB.
pub fn test_state(
    config: &Config,
    body: &Value,
    engine: &mut Engine,
) -> Result<(Value, Vec<Commit>), SfnError> {
    let m = Members(body);
    let definition_text = m.bounded("definition", crate::machines::MAX_DEFINITION_LENGTH)?;
    let level = match m.string("inspectionLevel")? {
        None | Some("INFO") => 0,
        Some("DEBUG") => 1,
        Some("TRACE") => 2,
        Some(other) => {
            return Err(SfnError::constraint(
                "inspectionLevel",
                other,
                "Member must satisfy enum value set: [INFO, DEBUG, TRACE]",
            ))
        }
    };
    let input_text = m.string("input")?.unwrap_or("{}");
    let input: Value =
        serde_json::from_str(input_text).map_err(|e| SfnError::InvalidExecutionInput {
            reason: e.to_string(),
        })?;
    let mock = read_mock(&m)?;
    let retries_made = m
        .object("stateConfiguration")?
        .and_then(|c| c.0.get("retrierRetryCount").and_then(Value::as_u64))
        .unwrap_or(0);
    let definition: Value =
        serde_json::from_str(definition_text).map_err(|e| SfnError::InvalidDefinition {
            diagnostics: vec![statebox_asl::Diagnostic::new(
                "INVALID_JSON_DESCRIPTION",
                e.to_string(),
                "",
            )],
        })?;
    let (name, state) = pick_state(&definition, m.string("stateName")?)?;
    let (wrapper, stripped) = wrappers(&name, &state);
    // The full state (Retry included) is checked, and its retriers read, from one model.
    let checked = checked_definition(&wrapper.to_string())?;
    let model_state = checked
        .states
        .get(&name)
        .cloned()
        .ok_or_else(|| SfnError::Internal {
            message: format!("the tested state '{name}' went missing"),
        })?;
    if mock.is_some() && !matches!(model_state.kind, StateKind::Task(_)) {
        return Err(SfnError::Validation {
            message: "A mock can only be given for a Task state".into(),
        });
    }
    let machine = checked_definition(&stripped.to_string())?;
    let options = ExecutionOptions {
        name: "TestState".into(),
        state_machine_name: "TestState".into(),
        region: config.place.region.clone(),
        account_id: config.place.account.clone(),
        role_arn: m.string("roleArn")?.unwrap_or_default().to_string(),
        ..ExecutionOptions::default()
    };
    let mut execution = Execution::start(&machine, input, options);
    let mut services = Services::new(engine);
    services.set_time(execution.now_millis());
    let mut tested = Tested { mock, services };
    execution.run(&mut tested);
    let commits = tested.services.take_commits();
    let inspection = execution
        .inspections()
        .iter()
        .find(|i| *i.state_name == *name)
        .cloned();
    let next_state = execution
        .history()
        .iter()
        .filter(|e| e.event_type == "SucceedStateEntered")
        .filter_map(|e| e.state_name().map(String::from))
        .find(|n| *n != name);
    let response = report(
        execution.status(),
        &model_state,
        inspection.as_ref(),
        next_state,
        retries_made,
        level,
    );
    Ok((response, commits))
}

fn read_mock(m: &Members<'_>) -> Result<Option<Mock>, SfnError> {
    let Some(mock) = m.object("mock")? else {
        return Ok(None);
    };
    if let Some(result) = mock.string("result")? {
        let value = serde_json::from_str(result).map_err(|e| SfnError::Validation {
            message: format!("mock.result is not valid JSON: {e}"),
        })?;
        return Ok(Some(Mock::Result(value)));
    }
    if let Some(error) = mock.object("errorOutput")? {
        return Ok(Some(Mock::Error(Failure::new(
            error.string("error")?.unwrap_or_default(),
            error.string("cause")?.unwrap_or_default(),
        ))));
    }
    Ok(None)
}

/// The state to test: the one `stateName` names in a whole machine, or the single state.
fn pick_state(definition: &Value, state_name: Option<&str>) -> Result<(String, Value), SfnError> {
    let states = definition.get("States").and_then(Value::as_object);
    match (states, state_name) {
        (Some(states), Some(name)) => states
            .get(name)
            .map(|s| (name.to_string(), s.clone()))
            .ok_or_else(|| SfnError::Validation {
                message: format!("The state '{name}' is not in the definition's States"),
            }),
        (Some(_), None) => Err(SfnError::Validation {
            message: "stateName is required when the definition is a whole state machine".into(),
        }),
        (None, _) if definition.is_object() => {
            Ok((state_name.unwrap_or(TESTED).to_string(), definition.clone()))
        }
        (None, _) => Err(SfnError::InvalidDefinition {
            diagnostics: vec![statebox_asl::Diagnostic::new(
                "SCHEMA_VALIDATION_FAILED",
                "The state definition must be a JSON object",
                "",
            )],
        }),
    }
}

/// The machine around the state (as given, and with `Retry` removed to run).
fn wrappers(name: &str, state: &Value) -> (Value, Value) {
    let mut targets = Vec::new();
    collect_targets(state, &mut targets);
    let mut states = Map::new();
    states.insert(name.to_string(), state.clone());
    for target in targets {
        if target != name {
            states
                .entry(target)
                .or_insert_with(|| json!({"Type": "Succeed"}));
        }
    }
    let wrapper = json!({"StartAt": name, "States": states.clone()});
    let mut stripped_state = state.clone();
    if let Value::Object(o) = &mut stripped_state {
        o.remove("Retry");
    }
    states.insert(name.to_string(), stripped_state);
    (wrapper, json!({"StartAt": name, "States": states}))
}

/// The names a state may go to.
fn collect_targets(state: &Value, out: &mut Vec<String>) {
    for key in ["Next", "Default"] {
        if let Some(n) = state.get(key).and_then(Value::as_str) {
            out.push(n.to_string());
        }
    }
    for list in ["Choices", "Catch"] {
        for rule in state
            .get(list)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(n) = rule.get("Next").and_then(Value::as_str) {
                out.push(n.to_string());
            }
        }
    }
}

/// The response from how the run ended.
fn report(
    status: &ExecutionStatus,
    state: &State,
    inspection: Option<&StateInspection>,
    next_state: Option<String>,
    retries_made: u64,
    level: u8,
) -> Value {
    let mut out = Map::new();
    let error = inspection
        .and_then(|i| i.error_details.as_ref())
        .map(|d| (d.error.clone(), d.cause.clone()));
    let from_task = matches!(state.kind, StateKind::Task(_));
    let mut details = Map::new();
    let retrier = error.as_ref().and_then(|(e, _)| {
        state
            .retry
            .iter()
            .enumerate()
            .find(|(_, r)| matches(&r.error_equals, e.as_deref(), from_task))
    });
    let status_name = match (status, &error, retrier) {
        (_, Some(_), Some((index, r))) if retries_made < u64::from(r.max_attempts) => {
            let mut backoff = r.interval_seconds * r.backoff_rate.powi(retries_made as i32);
            if let Some(max) = r.max_delay_seconds {
                backoff = backoff.min(max);
            }
            details.insert("retryIndex".into(), json!(index));
            details.insert(
                "retryBackoffIntervalSeconds".into(),
                json!(backoff.round() as i64),
            );
            "RETRIABLE"
        }
        (ExecutionStatus::Succeeded { .. }, Some((e, _)), _) => {
            if let Some(index) = state
                .catch
                .iter()
                .position(|c| matches(&c.error_equals, e.as_deref(), from_task))
            {
                details.insert("catchIndex".into(), json!(index));
            }
            "CAUGHT_ERROR"
        }
        (ExecutionStatus::Succeeded { .. }, None, _) => "SUCCEEDED",
        _ => "FAILED",
    };
    if let ("SUCCEEDED" | "CAUGHT_ERROR", ExecutionStatus::Succeeded { output }) =
        (status_name, status)
    {
        out.insert("output".into(), json!(to_text(output)));
    }
    let (error_name, cause) = match (&error, status) {
        (Some(e), _) => e.clone(),
        (
            None,
            ExecutionStatus::Failed { error, cause }
            | ExecutionStatus::TimedOut { error, cause }
            | ExecutionStatus::Aborted { error, cause },
        ) => (error.clone(), cause.clone()),
        _ => (None, None),
    };
    if status_name != "SUCCEEDED" {
        if let Some(e) = error_name {
            out.insert("error".into(), json!(e));
        }
        if let Some(c) = cause {
            out.insert("cause".into(), json!(c));
        }
    }
    if status_name == "SUCCEEDED" || status_name == "CAUGHT_ERROR" {
        if let Some(next) = next_state {
            out.insert("nextState".into(), json!(next));
        }
    }
    if level > 0 {
        out.insert(
            "inspectionData".into(),
            inspection_data(inspection, details),
        );
    }
    out.insert("status".into(), json!(status_name));
    Value::Object(out)
}

/// `inspectionData`: each step's value as JSON text.
fn inspection_data(inspection: Option<&StateInspection>, details: Map<String, Value>) -> Value {
    let mut data = Map::new();
    if let Some(i) = inspection {
        let text = |v: &Option<Arc<Value>>| v.as_ref().map(|v| json!(to_text(v)));
        data.insert("input".into(), json!(to_text(&i.input)));
        for (key, value) in [
            ("afterInputPath", text(&i.after_input_path)),
            ("afterParameters", text(&i.after_parameters)),
            ("result", text(&i.result)),
            ("afterResultSelector", text(&i.after_result_selector)),
            ("afterResultPath", text(&i.after_result_path)),
        ] {
            if let Some(v) = value {
                data.insert(key.into(), v);
            }
        }
        if let Some(map) = &i.map {
            for (key, value) in [
                ("afterItemsPath", text(&map.after_items_path)),
                ("afterItemSelector", text(&map.after_item_selector)),
            ] {
                if let Some(v) = value {
                    data.insert(key.into(), v);
                }
            }
            if let Some(n) = map.max_concurrency {
                data.insert("maxConcurrency".into(), json!(n));
            }
            if let Some(n) = map.tolerated_failure_count {
                data.insert("toleratedFailureCount".into(), json!(n));
            }
            if let Some(n) = map.tolerated_failure_percentage {
                data.insert("toleratedFailurePercentage".into(), json!(n));
            }
        }
    }
    if !details.is_empty() {
        data.insert("errorDetails".into(), Value::Object(details));
    }
    Value::Object(data)
}
