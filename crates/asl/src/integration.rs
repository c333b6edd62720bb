//! The boundary between the interpreter and the services a Task state calls.
//!
//! The interpreter knows nothing of DynamoDB or Lambda: when a Task state runs, it hands a
//! [`TaskRequest`] to an [`Integration`] and records what comes back. The
//! `statebox-services` crate implements this trait for real services and mocks.

use crate::error::Failure;
use serde_json::Value;

/// What a Task state asks of a service, after InputPath and Parameters were applied.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRequest<'a> {
    /// The state's `Resource` ARN as written (e.g. `arn:aws:states:::dynamodb:putItem`).
    pub resource: &'a str,
    /// The state's name, for messages and mocks.
    pub state_name: &'a str,
    /// The effective parameters (the state input after InputPath and Parameters).
    pub parameters: &'a Value,
    /// The task token when the resource ends in `.waitForTaskToken`.
    pub task_token: Option<&'a str>,
    /// 0 for the first attempt, 1 for the first retry, ...
    pub attempt: u32,
}

/// Calls services on behalf of Task states. Implementations are synchronous and deterministic.
pub trait Integration {
    /// Runs the task and returns its result, or the failure AWS would report
    /// (error name and cause text).
    fn invoke(&mut self, request: &TaskRequest<'_>) -> Result<Value, Failure>;
}

/// An integration that fails every task, for runs without services.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoServices;

impl Integration for NoServices {
    fn invoke(&mut self, request: &TaskRequest<'_>) -> Result<Value, Failure> {
        Err(Failure::new(
            "States.Runtime",
            format!(
                "An error occurred while executing the state '{}'. No service is bound to the resource '{}'.",
                request.state_name, request.resource
            ),
        ))
    }
}
