//! Which fields each state type accepts, as the ASL specification and AWS list them.

/// Fields every state accepts.
pub const COMMON: &[&str] = &["Type", "Comment", "QueryLanguage", "Assign"];

/// Fields accepted only with `QueryLanguage: JSONata` (in states, Choice rules and
/// catchers).
pub const JSONATA_ONLY: &[&str] = &["Arguments", "Output", "Items", "Condition"];

/// Fields accepted only with `QueryLanguage: JSONPath`: in a JSONata state AWS names them
/// in its own message rather than calling them unknown.
pub const JSONPATH_ONLY: &[&str] = &[
    "InputPath",
    "OutputPath",
    "ResultPath",
    "Parameters",
    "ResultSelector",
    "Result",
    "ItemsPath",
    "TimeoutSecondsPath",
    "HeartbeatSecondsPath",
    "SecondsPath",
    "TimestampPath",
    "MaxConcurrencyPath",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCountPath",
    "ErrorPath",
    "CausePath",
    "Variable",
];

/// Fields accepted per `Type` in addition to [`COMMON`].
pub fn fields_for(type_name: &str) -> &'static [&'static str] {
    match type_name {
        "Pass" => &[
            "Next",
            "End",
            "InputPath",
            "OutputPath",
            "Parameters",
            "Result",
            "ResultPath",
            "Output",
        ],
        "Task" => &[
            "Next",
            "End",
            "InputPath",
            "OutputPath",
            "Parameters",
            "ResultSelector",
            "ResultPath",
            "Retry",
            "Catch",
            "Resource",
            "TimeoutSeconds",
            "TimeoutSecondsPath",
            "HeartbeatSeconds",
            "HeartbeatSecondsPath",
            "Credentials",
            "Arguments",
            "Output",
        ],
        "Choice" => &["InputPath", "OutputPath", "Choices", "Default", "Output"],
        "Wait" => &[
            "Next",
            "End",
            "InputPath",
            "OutputPath",
            "Seconds",
            "SecondsPath",
            "Timestamp",
            "TimestampPath",
            "Output",
        ],
        "Succeed" => &["InputPath", "OutputPath", "Output"],
        "Fail" => &["Error", "ErrorPath", "Cause", "CausePath"],
        "Parallel" => &[
            "Next",
            "End",
            "InputPath",
            "OutputPath",
            "Parameters",
            "ResultSelector",
            "ResultPath",
            "Retry",
            "Catch",
            "Branches",
            "Arguments",
            "Output",
        ],
        "Map" => &[
            "Next",
            "End",
            "InputPath",
            "OutputPath",
            "Parameters",
            "ResultSelector",
            "ResultPath",
            "Retry",
            "Catch",
            "Iterator",
            "ItemProcessor",
            "ItemsPath",
            "ItemSelector",
            "ItemReader",
            "ItemBatcher",
            "ResultWriter",
            "MaxConcurrency",
            "MaxConcurrencyPath",
            "ToleratedFailureCount",
            "ToleratedFailureCountPath",
            "ToleratedFailurePercentage",
            "ToleratedFailurePercentagePath",
            "Label",
            "Items",
            "Arguments",
            "Output",
        ],
        _ => &[],
    }
}

/// The state types.
pub const TYPES: &[&str] = &[
    "Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map",
];

/// Fields of a Retry entry.
pub const RETRIER: &[&str] = &[
    "ErrorEquals",
    "IntervalSeconds",
    "MaxAttempts",
    "BackoffRate",
    "MaxDelaySeconds",
    "JitterStrategy",
    "Comment",
];

/// Fields of a Catch entry.
pub const CATCHER: &[&str] = &[
    "ErrorEquals",
    "ResultPath",
    "Next",
    "Comment",
    "Assign",
    "Output",
];

/// Top-level fields of a definition.
pub const TOP_LEVEL: &[&str] = &[
    "Comment",
    "StartAt",
    "States",
    "Version",
    "TimeoutSeconds",
    "QueryLanguage",
];

/// Fields of a Parallel branch / Map processor.
pub const BLOCK: &[&str] = &["Comment", "StartAt", "States", "ProcessorConfig"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_has_fields() {
        for t in TYPES {
            assert!(!fields_for(t).is_empty() || *t == "Succeed");
        }
        assert!(fields_for("Nope").is_empty());
    }
}
