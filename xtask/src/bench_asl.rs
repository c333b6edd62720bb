//! `cargo xtask bench asl` (being written).

use std::path::Path;

pub fn run(_root: &Path, _args: &[String]) -> Result<(), String> {
    Err("the ASL benchmark is not written yet".into())
}
