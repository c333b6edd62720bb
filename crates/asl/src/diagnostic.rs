//! Diagnostics about a definition: an AWS error code, a message, the JSON pointer of the
//! offending field and, when the text is known, its 1-based line/column range.

use serde::Serialize;

/// A 1-based position in the definition text (columns count Unicode scalar values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Default)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// A range in the definition text; `end` is exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct TextRange {
    pub start: LineCol,
    pub end: LineCol,
}

/// One problem found in a definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// AWS's diagnostic code (`SCHEMA_VALIDATION_FAILED`, `MISSING_TRANSITION_TARGET`, ...).
    pub code: String,
    /// The message, worded as AWS words it where known.
    pub message: String,
    /// JSON pointer of the field concerned (`/States/A/Next`); empty for the whole document.
    pub pointer: String,
    /// Where the field is in the text.
    pub range: Option<TextRange>,
}

/// The diagnostic codes this crate emits (AWS's ValidateStateMachineDefinition codes).
pub mod codes {
    /// The text is not JSON.
    pub const INVALID_JSON_DESCRIPTION: &str = "INVALID_JSON_DESCRIPTION";
    /// A field is missing, unknown, of the wrong type or out of range.
    pub const SCHEMA_VALIDATION_FAILED: &str = "SCHEMA_VALIDATION_FAILED";
    /// `Next`, `Default`, `StartAt` or a Catch `Next` names a state that does not exist.
    pub const MISSING_TRANSITION_TARGET: &str = "MISSING_TRANSITION_TARGET";
    /// A state no transition reaches.
    pub const UNREACHABLE_STATE: &str = "UNREACHABLE_STATE";
    /// A state name appears twice in the same scope (or across nested scopes).
    pub const DUPLICATE_STATE_NAME: &str = "DUPLICATE_STATE_NAME";
    /// The workflow (or a branch) has no terminal state.
    pub const MISSING_END_STATE: &str = "MISSING_END_STATE";
    /// A Task `Resource` that is not a valid ARN.
    pub const INVALID_RESOURCE: &str = "INVALID_RESOURCE";
    /// A state name that breaks the naming rules.
    pub const INVALID_STATE_NAME: &str = "INVALID_STATE_NAME";
    /// A Map `Label` that breaks the naming rules.
    pub const INVALID_LABEL_NAME: &str = "INVALID_LABEL_NAME";
    /// The same Map `Label` twice.
    pub const DUPLICATE_LABEL_NAME: &str = "DUPLICATE_LABEL_NAME";
    /// States nested too deeply.
    pub const TOO_DEEPLY_NESTED: &str = "TOO_DEEPLY_NESTED";
}

impl Diagnostic {
    /// A diagnostic without a range (filled in later from the source map).
    pub fn new(code: &str, message: impl Into<String>, pointer: impl Into<String>) -> Self {
        Diagnostic {
            code: code.to_string(),
            message: message.into(),
            pointer: pointer.into(),
            range: None,
        }
    }
}

/// Escapes one JSON pointer segment (`~` → `~0`, `/` → `~1`).
pub fn pointer_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Appends a segment to a pointer.
pub fn pointer_join(base: &str, segment: &str) -> String {
    format!("{base}/{}", pointer_segment(segment))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape() {
        assert_eq!(pointer_join("/States", "a/b~c"), "/States/a~1b~0c");
    }
}
