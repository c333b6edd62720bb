//! Task tokens: a `.waitForTaskToken` Task parked by [`ExecutionOptions::park_task_tokens`]
//! resumes when the token is answered, as SendTaskSuccess / SendTaskFailure do on AWS.
//!
//! [`ExecutionOptions::park_task_tokens`]: super::ExecutionOptions::park_task_tokens

use super::frame::{Fault, Phase};
use super::states::Outcome;
use super::task::task_names;
use super::{Execution, ExecutionStatus};
use crate::definition::model::StateKind;
use serde_json::Value;
use std::sync::Arc;

/// Why a token answer was refused (AWS's `TaskDoesNotExist` / `InvalidToken`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenError(pub String);

impl Execution {
    /// Tokens of the tasks waiting for an answer.
    pub fn pending_task_tokens(&self) -> Vec<String> {
        self.frames
            .iter()
            .filter_map(|f| match &f.phase {
                Phase::Parked { token } if f.outcome.is_none() => Some(token.clone()),
                _ => None,
            })
            .collect()
    }

    fn parked_frame(&self, token: &str) -> Result<usize, TokenError> {
        if self.status != ExecutionStatus::Running {
            return Err(TokenError(
                "TaskTimedOut: the execution is not running".into(),
            ));
        }
        self.frames
            .iter()
            .position(|f| {
                f.outcome.is_none() && matches!(&f.phase, Phase::Parked { token: t } if t == token)
            })
            .ok_or_else(|| TokenError("TaskDoesNotExist: no task is waiting for this token".into()))
    }

    /// Completes the parked task with `output` (SendTaskSuccess).
    pub fn send_task_success(&mut self, token: &str, output: Value) -> Result<(), TokenError> {
        let id = self.parked_frame(token)?;
        let Some(state) = self.state_of(id) else {
            return Err(TokenError("TaskDoesNotExist".into()));
        };
        let StateKind::Task(t) = &state.kind else {
            return Err(TokenError("TaskDoesNotExist".into()));
        };
        let (family, resource_type, resource) = task_names(&t.resource);
        self.task_succeeded(
            id,
            family == "LambdaFunction",
            &resource_type,
            &resource,
            &output,
        );
        if let Some(f) = self.frames.get_mut(id) {
            f.phase = Phase::Run;
        }
        let input = self
            .frames
            .get(id)
            .map(|f| f.input.clone())
            .unwrap_or_default();
        let outcome = match self.finish_result(id, &state, &input, Arc::new(output), true) {
            Ok(o) => o,
            Err(f) => Outcome::Fail(f),
        };
        self.after_body_pub(id, outcome);
        Ok(())
    }

    /// Fails the parked task (SendTaskFailure); Retry and Catch apply.
    pub fn send_task_failure(
        &mut self,
        token: &str,
        error: Option<String>,
        cause: Option<String>,
    ) -> Result<(), TokenError> {
        let id = self.parked_frame(token)?;
        let Some(state) = self.state_of(id) else {
            return Err(TokenError("TaskDoesNotExist".into()));
        };
        let StateKind::Task(t) = &state.kind else {
            return Err(TokenError("TaskDoesNotExist".into()));
        };
        let (family, resource_type, resource) = task_names(&t.resource);
        let fault = Fault {
            error,
            cause,
            from_task: true,
        };
        self.task_failed(
            id,
            family == "LambdaFunction",
            &resource_type,
            &resource,
            &fault,
        );
        if let Some(f) = self.frames.get_mut(id) {
            f.phase = Phase::Run;
        }
        self.after_body_pub(id, Outcome::Fail(fault));
        Ok(())
    }
}
