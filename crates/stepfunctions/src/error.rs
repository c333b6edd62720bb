//! The crate's error: every error Step Functions' API answers, with AWS's type name and
//! message wording ([`SfnError::type_name`], `Display`).

use statebox_asl::Diagnostic;

/// An error answer of the Step Functions API. `Display` is AWS's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SfnError {
    #[error("State Machine Does Not Exist: '{arn}'")]
    StateMachineDoesNotExist { arn: String },
    #[error("Execution Does Not Exist: '{arn}'")]
    ExecutionDoesNotExist { arn: String },
    /// `reason` says what is wrong with the ARN.
    #[error("Invalid Arn: '{reason}'")]
    InvalidArn { reason: String },
    #[error("Execution Already Exists: '{arn}'")]
    ExecutionAlreadyExists { arn: String },
    #[error("State Machine Already Exists: '{arn}'")]
    StateMachineAlreadyExists { arn: String },
    /// Every diagnostic of the definition, as `CODE: message at /pointer`.
    #[error("Invalid State Machine Definition: '{}'", definition_problems(.diagnostics))]
    InvalidDefinition { diagnostics: Vec<Diagnostic> },
    #[error("Invalid Name: '{name}'")]
    InvalidName { name: String },
    #[error("Invalid Execution Input: '{reason}'")]
    InvalidExecutionInput { reason: String },
    #[error("Invalid Output: '{reason}'")]
    InvalidOutput { reason: String },
    /// A task token or a paging token that is not one this server made.
    #[error("Invalid Token: '{reason}'")]
    InvalidToken { reason: String },
    #[error("{message}")]
    TaskDoesNotExist { message: String },
    #[error("{message}")]
    TaskTimedOut { message: String },
    #[error("{message}")]
    StateMachineTypeNotSupported { message: String },
    #[error("Resource not found: '{arn}'")]
    ResourceNotFound { arn: String },
    #[error("Too many tags: '{arn}' would have more than 50")]
    TooManyTags { arn: String },
    #[error("{message}")]
    MissingRequiredParameter { message: String },
    #[error("{message}")]
    ExecutionNotRedrivable { message: String },
    /// The change conflicts with the resource's state (a version an alias routes to, ...).
    #[error("{message}")]
    Conflict { message: String },
    /// A request member outside its constraints (AWS's `1 validation error detected: ...`).
    #[error("{message}")]
    Validation { message: String },
    /// A request body member of the wrong JSON type.
    #[error("{message}")]
    Serialization { message: String },
    #[error("{message}")]
    Internal { message: String },
}

/// `CODE: message at /pointer, ...` as AWS lists a definition's problems.
fn definition_problems(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| {
            let at = if d.pointer.is_empty() {
                "/"
            } else {
                &d.pointer
            };
            format!("{}: {} at {at}", d.code, d.message)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl SfnError {
    /// AWS's error type name (the part of `__type` after `#`, the SDKs' error code).
    pub fn type_name(&self) -> &'static str {
        match self {
            SfnError::StateMachineDoesNotExist { .. } => "StateMachineDoesNotExist",
            SfnError::ExecutionDoesNotExist { .. } => "ExecutionDoesNotExist",
            SfnError::InvalidArn { .. } => "InvalidArn",
            SfnError::ExecutionAlreadyExists { .. } => "ExecutionAlreadyExists",
            SfnError::StateMachineAlreadyExists { .. } => "StateMachineAlreadyExists",
            SfnError::InvalidDefinition { .. } => "InvalidDefinition",
            SfnError::InvalidName { .. } => "InvalidName",
            SfnError::InvalidExecutionInput { .. } => "InvalidExecutionInput",
            SfnError::InvalidOutput { .. } => "InvalidOutput",
            SfnError::InvalidToken { .. } => "InvalidToken",
            SfnError::TaskDoesNotExist { .. } => "TaskDoesNotExist",
            SfnError::TaskTimedOut { .. } => "TaskTimedOut",
            SfnError::StateMachineTypeNotSupported { .. } => "StateMachineTypeNotSupported",
            SfnError::ResourceNotFound { .. } => "ResourceNotFound",
            SfnError::TooManyTags { .. } => "TooManyTags",
            SfnError::MissingRequiredParameter { .. } => "MissingRequiredParameter",
            SfnError::Conflict { .. } => "ConflictException",
            SfnError::ExecutionNotRedrivable { .. } => "ExecutionNotRedrivable",
            SfnError::Validation { .. } => "ValidationException",
            SfnError::Serialization { .. } => "SerializationException",
            SfnError::Internal { .. } => "InternalFailure",
        }
    }

    /// The namespace AWS puts before the type name in `__type`.
    pub fn namespace(&self) -> &'static str {
        match self {
            SfnError::Validation { .. } => "com.amazon.coral.validate",
            SfnError::Serialization { .. } | SfnError::Internal { .. } => {
                "com.amazon.coral.service"
            }
            _ => "com.amazonaws.swf.service.v2.model",
        }
    }

    /// The HTTP status of the answer.
    pub fn status(&self) -> u16 {
        match self {
            SfnError::Internal { .. } => 500,
            _ => 400,
        }
    }

    /// `1 validation error detected: Value null at 'member' failed to satisfy constraint:
    /// Member must not be null`.
    pub fn missing(member: &str) -> SfnError {
        SfnError::Validation {
            message: format!(
                "1 validation error detected: Value null at '{member}' failed to satisfy \
                 constraint: Member must not be null"
            ),
        }
    }

    /// A constraint of one member broken, worded as AWS words it.
    pub fn constraint(member: &str, value: impl std::fmt::Display, constraint: &str) -> SfnError {
        SfnError::Validation {
            message: format!(
                "1 validation error detected: Value '{value}' at '{member}' failed to satisfy \
                 constraint: {constraint}"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_worded_as_aws_words_them() {
        let e = SfnError::StateMachineDoesNotExist {
            arn: "arn:aws:states:us-east-1:123456789012:stateMachine:M".into(),
        };
        assert_eq!(
            e.to_string(),
            "State Machine Does Not Exist: 'arn:aws:states:us-east-1:123456789012:stateMachine:M'"
        );
        let d = SfnError::InvalidDefinition {
            diagnostics: vec![
                Diagnostic::new(
                    "MISSING_TRANSITION_TARGET",
                    "Missing 'Next' target: B",
                    "/States/A/Next",
                ),
                Diagnostic::new("SCHEMA_VALIDATION_FAILED", "x", ""),
            ],
        };
        assert_eq!(
            d.to_string(),
            "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: B at /States/A/Next, SCHEMA_VALIDATION_FAILED: x at /'"
        );
        assert_eq!(SfnError::missing("name").type_name(), "ValidationException");
        assert_eq!(
            SfnError::missing("name").namespace(),
            "com.amazon.coral.validate"
        );
    }
}
