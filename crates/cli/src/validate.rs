//! `statebox validate`.

use crate::error::CliError;
use crate::input::read_file;
use std::path::Path;
use std::process::ExitCode;

pub fn validate(path: &Path) -> Result<ExitCode, CliError> {
    let text = read_file(path)?;
    let parsed = statebox_asl::parse_definition(&text);
    if parsed.diagnostics.is_empty() {
        outln!("{}: valid", path.display());
        return Ok(ExitCode::SUCCESS);
    }
    for d in &parsed.diagnostics {
        match &d.range {
            Some(r) => outln!(
                "{}:{}:{}: {} at {}: {}",
                path.display(),
                r.start.line,
                r.start.column,
                d.code,
                if d.pointer.is_empty() {
                    "/"
                } else {
                    &d.pointer
                },
                d.message
            ),
            None => outln!(
                "{}: {} at {}: {}",
                path.display(),
                d.code,
                d.pointer,
                d.message
            ),
        }
    }
    outln!("{} problem(s)", parsed.diagnostics.len());
    Ok(ExitCode::from(1))
}
