//! Task tokens: a `.waitForTaskToken` Task parked by [`ExecutionOptions::park_task_tokens`]
//! resumes when the token is answered, as SendTaskSuccess / SendTaskFailure do on AWS;
//! SendTaskHeartbeat moves its `HeartbeatSeconds` deadline on. Answers are refused with
//! AWS's errors: `InvalidToken` (not a token this interpreter makes), `TaskTimedOut` (the
//! task was answered or timed out already, or the execution ended), `TaskDoesNotExist`.
//!
//! [`ExecutionOptions::park_task_tokens`]: super::ExecutionOptions::park_task_tokens

use super::frame::{Fault, Phase};
use super::states::Outcome;
use super::task::task_names;
use super::{Execution, ExecutionStatus};
use crate::definition::model::StateKind;
use serde_json::Value;
use std::sync::Arc;

/// Why a token answer was refused: `"<AWS error name>: <message>"`, the name being
/// `TaskDoesNotExist`, `TaskTimedOut` or `InvalidToken`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenError(pub String);

impl TokenError {
    /// AWS's error name (`TaskDoesNotExist`, `TaskTimedOut`, `InvalidToken`).
    pub fn name(&self) -> &str {
        self.0.split(':').next().unwrap_or_default()
    }
}

/// AWS's message for a token whose task is closed.
const GONE: &str = "TaskTimedOut: Task Timed Out: 'Provided task does not exist anymore'";

impl Execution {
    /// Tokens of the tasks waiting for an answer.
    pub fn pending_task_tokens(&self) -> Vec<String> {
        self.frames
            .iter()
            .filter_map(|f| match &f.phase {
                Phase::Parked(p) => Some(p.token.clone()),
                _ => None,
            })
            .collect()
    }

    /// The parked frame waiting for `token`. Reads the real clock first: a task whose
    /// deadline has passed times out now, and its token is refused with `TaskTimedOut`.
    fn parked_frame(&mut self, token: &str) -> Result<usize, TokenError> {
        if !looks_like_token(token) {
            return Err(TokenError(
                "InvalidToken: Invalid Token: 'Invalid token'".into(),
            ));
        }
        if self.status != ExecutionStatus::Running {
            return Err(TokenError(GONE.into()));
        }
        self.sync_clock();
        let found = self
            .frames
            .iter()
            .position(|f| matches!(&f.phase, Phase::Parked(p) if p.token == token));
        match found {
            Some(id) if self.expire_task(id) => Err(TokenError(GONE.into())),
            Some(id) => Ok(id),
            None if self.closed_tokens.iter().any(|t| t == token) => Err(TokenError(GONE.into())),
            None => Err(TokenError(
                "TaskDoesNotExist: no task is waiting for this token".into(),
            )),
        }
    }

    /// The parked task's state's resource names: (lambda, resourceType, resource).
    fn parked_resource(&self, id: usize) -> Result<(bool, String, String), TokenError> {
        let Some(state) = self.state_of(id) else {
            return Err(TokenError("TaskDoesNotExist".into()));
        };
        let StateKind::Task(t) = &state.kind else {
            return Err(TokenError("TaskDoesNotExist".into()));
        };
        let (family, resource_type, resource) = task_names(&t.resource);
        Ok((family == "LambdaFunction", resource_type, resource))
    }

    /// Unparks frame `id`, remembering its token as answered.
    fn unpark(&mut self, id: usize, token: &str) {
        self.closed_tokens.push(token.to_string());
        if let Some(f) = self.frames.get_mut(id) {
            f.phase = Phase::Run;
        }
    }

    /// Completes the parked task with `output` (SendTaskSuccess).
    pub fn send_task_success(&mut self, token: &str, output: Value) -> Result<(), TokenError> {
        let id = self.parked_frame(token)?;
        let (lambda, resource_type, resource) = self.parked_resource(id)?;
        let Some(state) = self.state_of(id) else {
            return Err(TokenError("TaskDoesNotExist".into()));
        };
        self.task_succeeded(id, lambda, &resource_type, &resource, &output);
        self.unpark(id, token);
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
        let (lambda, resource_type, resource) = self.parked_resource(id)?;
        let fault = Fault {
            error,
            cause,
            from_task: true,
            heartbeat: false,
        };
        self.task_fault_event(
            id,
            super::task::TaskEnd::Failed,
            lambda,
            &resource_type,
            &resource,
            &fault,
        );
        self.unpark(id, token);
        self.after_body_pub(id, Outcome::Fail(fault));
        Ok(())
    }

    /// Tells the parked task its worker is alive (SendTaskHeartbeat): its `HeartbeatSeconds`
    /// deadline starts again from now. No history event, as on AWS.
    pub fn send_task_heartbeat(&mut self, token: &str) -> Result<(), TokenError> {
        let id = self.parked_frame(token)?;
        let now = self.now;
        if let Some(Phase::Parked(p)) = self.frames.get_mut(id).map(|f| &mut f.phase) {
            if let Some(ms) = p.heartbeat_millis {
                p.heartbeat_at = Some(now.saturating_add(ms));
            }
        }
        Ok(())
    }
}

/// The shape of the tokens [`crate::random::SeededRandom::task_token`] makes.
fn looks_like_token(token: &str) -> bool {
    token.len() == 88
        && token.starts_with("AQ")
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}
