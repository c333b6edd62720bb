//! How Retry and Catch match an error name, with AWS's rules for the predefined
//! `States.*` errors.

/// `States.Runtime`: never retried nor caught.
pub const RUNTIME: &str = "States.Runtime";
/// `States.ALL`.
pub const ALL: &str = "States.ALL";
/// `States.TaskFailed`.
pub const TASK_FAILED: &str = "States.TaskFailed";
/// `States.Timeout`.
pub const TIMEOUT: &str = "States.Timeout";
/// `States.DataLimitExceeded`.
pub const DATA_LIMIT_EXCEEDED: &str = "States.DataLimitExceeded";

/// The predefined error names.
pub const PREDEFINED: [&str; 16] = [
    "States.ALL",
    "States.DataLimitExceeded",
    "States.ExceedToleratedFailureThreshold",
    "States.HeartbeatTimeout",
    "States.Http.Socket",
    "States.IntrinsicFailure",
    "States.ItemReaderFailed",
    "States.NoChoiceMatched",
    "States.ParameterPathFailure",
    "States.Permissions",
    "States.QueryEvaluationError",
    "States.ResultPathMatchFailure",
    "States.ResultWriterFailed",
    "States.Runtime",
    "States.TaskFailed",
    "States.Timeout",
];

/// True when a retrier/catcher listing `error_equals` handles `error` raised by a state;
/// `from_task` says the error came from a Task's service call.
pub fn matches(error_equals: &[String], error: Option<&str>, from_task: bool) -> bool {
    let Some(error) = error else {
        return false;
    };
    if error == RUNTIME {
        return false;
    }
    error_equals.iter().any(|e| {
        e == error
            || (e == ALL && error != DATA_LIMIT_EXCEEDED)
            || (e == TASK_FAILED && from_task && error != TIMEOUT)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn rules() {
        assert!(matches(&l(&["States.ALL"]), Some("Foo"), false));
        assert!(!matches(&l(&["States.ALL"]), Some("States.Runtime"), false));
        assert!(!matches(
            &l(&["States.Runtime"]),
            Some("States.Runtime"),
            false
        ));
        assert!(!matches(
            &l(&["States.ALL"]),
            Some("States.DataLimitExceeded"),
            false
        ));
        assert!(matches(
            &l(&["States.DataLimitExceeded"]),
            Some("States.DataLimitExceeded"),
            false
        ));
        assert!(matches(
            &l(&["States.TaskFailed"]),
            Some("Lambda.Unknown"),
            true
        ));
        assert!(!matches(
            &l(&["States.TaskFailed"]),
            Some("States.Timeout"),
            true
        ));
        assert!(!matches(&l(&["States.TaskFailed"]), Some("Foo"), false));
        assert!(!matches(&l(&["State.ALL"]), Some("Foo"), false));
        assert!(!matches(&l(&["States.ALL"]), None, false));
    }
}
