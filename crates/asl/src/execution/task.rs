//! Task states: the service call through the [`Integration`], its history events
//! (`TaskScheduled` / `TaskStarted` / `TaskSucceeded` / `TaskFailed` / `TaskTimedOut`, or
//! the `LambdaFunction*` family for Lambda ARNs) and `.waitForTaskToken` parking with the
//! task's `TimeoutSeconds` / `HeartbeatSeconds` deadlines. A call that returns later than
//! `TimeoutSeconds` (possible on a real clock only) fails with `States.Timeout`.

use super::context::with_task_token;
use super::frame::{timeout_fault, Fault, ParkedTask, Phase};
use super::states::Outcome;
use super::Execution;
use crate::definition::model::{State, TaskState};
use crate::history::not_truncated;
use crate::integration::{Integration, TaskRequest};
use crate::payload::to_text;
use serde_json::{json, Map, Value};
use std::sync::Arc;

impl Execution {
    pub(super) fn task(
        &mut self,
        id: usize,
        state: &State,
        t: &TaskState,
        input: &Arc<Value>,
        effective: &Arc<Value>,
        services: &mut dyn Integration,
    ) -> Result<Outcome, Fault> {
        let token = t
            .resource
            .ends_with(".waitForTaskToken")
            .then(|| self.random.task_token());
        let mut ctx = self.context(id);
        if let Some(tok) = &token {
            ctx = with_task_token(ctx, tok);
        }
        let params = self.parameters(id, state, effective, &ctx)?;
        let timeout = self.optional_number(id, &t.timeout, "TimeoutSeconds", effective, &ctx)?;
        let heartbeat =
            self.optional_number(id, &t.heartbeat, "HeartbeatSeconds", effective, &ctx)?;
        let (family, resource_type, resource) = task_names(&t.resource);
        let lambda = family == "LambdaFunction";
        let mut d = Map::new();
        if lambda {
            d.insert("resource".into(), json!(t.resource));
            d.insert("input".into(), json!(to_text(&params)));
            d.insert("inputDetails".into(), not_truncated());
        } else {
            d.insert("resourceType".into(), json!(resource_type));
            d.insert("resource".into(), json!(resource));
            d.insert("region".into(), json!(self.options.region));
            d.insert("parameters".into(), json!(to_text(&params)));
        }
        if let Some(s) = timeout {
            d.insert("timeoutInSeconds".into(), json!(s as u64));
        }
        if let Some(s) = heartbeat {
            d.insert("heartbeatInSeconds".into(), json!(s as u64));
        }
        if let Some(tok) = &token {
            d.insert("taskToken".into(), json!(tok));
        }
        self.emit(id, &format!("{family}Scheduled"), Value::Object(d));
        let started = if lambda {
            Value::Null
        } else {
            json!({"resourceType": resource_type, "resource": resource})
        };
        self.emit(id, &format!("{family}Started"), started);
        let started_at = self.now;
        let millis = |s: f64| (s * 1000.0) as i64;
        let attempt = self.frames.get(id).map(|f| f.retry_total).unwrap_or(0);
        let request = TaskRequest {
            resource: &t.resource,
            state_name: &state.name,
            parameters: &params,
            task_token: token.as_deref(),
            attempt,
        };
        let outcome = services.invoke(&request);
        self.sync_clock();
        if let Some(ms) = timeout.map(millis) {
            if self.now.saturating_sub(started_at) > ms {
                let fault = timeout_fault(false);
                self.task_fault_event(
                    id,
                    TaskEnd::TimedOut,
                    lambda,
                    &resource_type,
                    &resource,
                    &fault,
                );
                return Ok(Outcome::Fail(fault));
            }
        }
        match outcome {
            Ok(result) => {
                if to_text(&result).len() > self.max_payload() {
                    let fault = Fault::new(
                        "States.DataLimitExceeded",
                        format!("The state/task '{}' returned a result with a size exceeding the maximum number of bytes service limit.", state.name),
                    );
                    self.task_fault_event(
                        id,
                        TaskEnd::Failed,
                        lambda,
                        &resource_type,
                        &resource,
                        &fault,
                    );
                    return Ok(Outcome::Fail(fault));
                }
                if let (Some(tok), true) = (&token, self.options.park_task_tokens) {
                    let d = json!({"resourceType": resource_type, "resource": resource,
                        "output": to_text(&result), "outputDetails": not_truncated()});
                    self.emit(id, "TaskSubmitted", d);
                    let parked = ParkedTask {
                        token: tok.clone(),
                        timeout_at: timeout.map(|s| started_at.saturating_add(millis(s))),
                        heartbeat_at: heartbeat.map(|s| started_at.saturating_add(millis(s))),
                        heartbeat_millis: heartbeat.map(millis),
                    };
                    if let Some(f) = self.frames.get_mut(id) {
                        f.phase = Phase::Parked(Box::new(parked));
                    }
                    return Ok(Outcome::Pending);
                }
                self.task_succeeded(id, lambda, &resource_type, &resource, &result);
                self.finish_result(id, state, input, Arc::new(result), true)
            }
            Err(failure) => {
                let mut fault: Fault = failure.into();
                fault.from_task = true;
                self.task_fault_event(
                    id,
                    TaskEnd::Failed,
                    lambda,
                    &resource_type,
                    &resource,
                    &fault,
                );
                Ok(Outcome::Fail(fault))
            }
        }
    }

    pub(super) fn task_succeeded(
        &mut self,
        id: usize,
        lambda: bool,
        resource_type: &str,
        resource: &str,
        result: &Value,
    ) {
        let mut d = Map::new();
        if !lambda {
            d.insert("resourceType".into(), json!(resource_type));
            d.insert("resource".into(), json!(resource));
        }
        d.insert("output".into(), json!(to_text(result)));
        d.insert("outputDetails".into(), not_truncated());
        let family = if lambda { "LambdaFunction" } else { "Task" };
        self.emit(id, &format!("{family}Succeeded"), Value::Object(d));
    }

    /// `TaskFailed` / `LambdaFunctionFailed`, or `TaskTimedOut` / `LambdaFunctionTimedOut`:
    /// the resource (not for Lambda ARNs), error and cause (AWS records none for a timeout).
    pub(super) fn task_fault_event(
        &mut self,
        id: usize,
        end: TaskEnd,
        lambda: bool,
        resource_type: &str,
        resource: &str,
        fault: &Fault,
    ) {
        let mut d = Map::new();
        if !lambda {
            d.insert("resourceType".into(), json!(resource_type));
            d.insert("resource".into(), json!(resource));
        }
        if let Some(e) = &fault.error {
            d.insert("error".into(), json!(e));
        }
        if let Some(c) = &fault.cause {
            d.insert("cause".into(), json!(c));
        }
        let family = if lambda { "LambdaFunction" } else { "Task" };
        let suffix = match end {
            TaskEnd::Failed => "Failed",
            TaskEnd::TimedOut => "TimedOut",
        };
        self.emit(id, &format!("{family}{suffix}"), Value::Object(d));
    }
}

/// How a task ended without a result (the event's suffix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TaskEnd {
    Failed,
    TimedOut,
}

/// Event family and AWS's `resourceType` / `resource` split of a Task resource ARN.
pub fn task_names(arn: &str) -> (&'static str, String, String) {
    if arn.starts_with("arn:aws:lambda:") {
        return ("LambdaFunction", "lambda".into(), arn.to_string());
    }
    let rest = arn.strip_prefix("arn:aws:states:::").unwrap_or(arn);
    match rest.rsplit_once(':') {
        Some((ty, res)) => ("Task", ty.to_string(), res.to_string()),
        None => ("Task", String::new(), rest.to_string()),
    }
}

#[cfg(test)]
mod unit {
    use super::task_names;

    #[test]
    fn splits_resources() {
        assert_eq!(
            task_names("arn:aws:states:::dynamodb:putItem").1,
            "dynamodb"
        );
        assert_eq!(task_names("arn:aws:states:::dynamodb:putItem").2, "putItem");
        assert_eq!(
            task_names("arn:aws:states:::aws-sdk:dynamodb:getItem").1,
            "aws-sdk:dynamodb"
        );
        assert_eq!(
            task_names("arn:aws:lambda:us-east-1:1:function:f").0,
            "LambdaFunction"
        );
    }
}
