//! `cargo xtask bench dynamodb` (being written).

use std::path::Path;

pub fn run(_root: &Path, _args: &[String]) -> Result<(), String> {
    Err("the DynamoDB benchmark is not written yet".into())
}
