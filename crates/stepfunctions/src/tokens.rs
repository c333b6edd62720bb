//! SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat: a token is routed to the
//! execution whose parked `.waitForTaskToken` task made it, which answers it with AWS's
//! errors (`TaskTimedOut` once the task has closed, `TaskDoesNotExist`, `InvalidToken`).

use crate::error::SfnError;
use crate::request::{check_length, error_and_cause, Members};
use crate::StepFunctions;
use serde_json::{json, Value};
use statebox_asl::execution::TokenError;

/// Longest task token (characters).
pub const MAX_TOKEN_LENGTH: usize = 2048;

/// A token answer's refusal as the API error of the same name.
fn api_error(e: TokenError) -> SfnError {
    let message =
        e.0.split_once(": ")
            .map_or(e.0.as_str(), |(_, m)| m)
            .to_string();
    match e.name() {
        "TaskTimedOut" => SfnError::TaskTimedOut { message },
        "InvalidToken" => SfnError::InvalidToken {
            reason: "Invalid token".into(),
        },
        _ => SfnError::TaskDoesNotExist { message },
    }
}

enum Answer {
    Success(Value),
    Failure(Option<String>, Option<String>),
    Heartbeat,
}

impl StepFunctions {
    fn answer(&mut self, token: &str, answer: Answer) -> Result<Value, SfnError> {
        check_length("taskToken", token, MAX_TOKEN_LENGTH)?;
        let Some(arn) = self.tokens.get(token).cloned() else {
            return Err(if token.starts_with("AQ") && token.len() == 88 {
                SfnError::TaskDoesNotExist {
                    message: "Task Does Not Exist: 'Provided task does not exist'".into(),
                }
            } else {
                SfnError::InvalidToken {
                    reason: "Invalid token".into(),
                }
            });
        };
        let Some(run) = self.runs.get_mut(&arn) else {
            return Err(SfnError::TaskTimedOut {
                message: "Task Timed Out: 'Provided task does not exist anymore'".into(),
            });
        };
        let outcome = match answer {
            Answer::Success(output) => run.execution.send_task_success(token, output),
            Answer::Failure(error, cause) => run.execution.send_task_failure(token, error, cause),
            Answer::Heartbeat => run.execution.send_task_heartbeat(token),
        };
        outcome.map_err(api_error)?;
        run.idle = false;
        Ok(json!({}))
    }

    pub(crate) fn send_task_success(&mut self, m: Members<'_>) -> Result<Value, SfnError> {
        let token = m.required("taskToken")?;
        let output_text = m.required("output")?;
        check_length("output", output_text, crate::executions::MAX_INPUT_BYTES)?;
        let output: Value =
            serde_json::from_str(output_text).map_err(|e| SfnError::InvalidOutput {
                reason: e.to_string(),
            })?;
        self.answer(token, Answer::Success(output))
    }

    pub(crate) fn send_task_failure(&mut self, m: Members<'_>) -> Result<Value, SfnError> {
        let token = m.required("taskToken")?;
        let (error, cause) = error_and_cause(&m)?;
        self.answer(token, Answer::Failure(error, cause))
    }

    pub(crate) fn send_task_heartbeat(&mut self, m: Members<'_>) -> Result<Value, SfnError> {
        let token = m.required("taskToken")?;
        self.answer(token, Answer::Heartbeat)
    }
}
