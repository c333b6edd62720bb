//! Reading the CLI's inputs: files, and `JSON|@FILE` arguments.

use crate::error::CliError;
use serde_json::Value;
use statebox_playground::PlaygroundError;
use std::path::Path;

/// Reads a whole file as text.
pub fn read_file(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|source| CliError::Read {
        path: path.display().to_string(),
        source,
    })
}

/// Parses an argument that is inline JSON, or `@FILE` naming a file of JSON.
pub fn json_argument(what: &str, arg: &str) -> Result<Value, CliError> {
    let (text, what) = match arg.strip_prefix('@') {
        Some(path) => (read_file(Path::new(path))?, format!("{what} file {path}")),
        None => (arg.to_string(), what.to_string()),
    };
    serde_json::from_str(&text).map_err(|e| PlaygroundError::json(&what, &e).into())
}
