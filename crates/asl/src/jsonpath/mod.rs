//! JSONPath as Step Functions evaluates it (Jayway semantics): full paths for InputPath,
//! OutputPath, `.$` parameters, ItemsPath; reference paths (a single node, no filters or
//! wildcards) for ResultPath and the `...Path` fields.
//!
//! STUB SIGNATURES: the implementation is being written; the signatures below are the contract.

use crate::error::Failure;
use serde_json::Value;

/// A parsed JSONPath expression (`$.a.b[0]`, `$..x`, `$.items[?(@.n > 1)]`, `$$.Execution.Id`).
#[derive(Debug, Clone, PartialEq)]
pub struct JsonPath {
    text: String,
}

impl JsonPath {
    /// Parses a path; the error is a human message saying what is wrong and where.
    pub fn parse(text: &str) -> Result<JsonPath, String> {
        Ok(JsonPath {
            text: text.to_string(),
        })
    }

    /// The path as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// True for paths that select exactly one node (no wildcard, filter, slice, union or `..`).
    pub fn is_definite(&self) -> bool {
        true
    }

    /// Evaluates against `root` (`$`) and `context` (`$$`): a definite path yields its node
    /// (or `None` when absent), an indefinite one an array of matches.
    pub fn select(&self, _root: &Value, _context: &Value) -> Option<Value> {
        None
    }

    /// Writes `value` at this reference path inside `target`, creating missing objects,
    /// as ResultPath does. Fails with `States.ResultPathMatchFailure` and AWS's cause text
    /// when the path cannot be created.
    pub fn write(&self, _target: &mut Value, _value: Value) -> Result<(), Failure> {
        Err(Failure::new("States.Runtime", "not implemented"))
    }
}
