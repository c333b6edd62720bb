//! The crate's error: what is wrong with a workspace input, and where.

use statebox_asl::Diagnostic;

#[derive(Debug, Clone, thiserror::Error)]
pub enum PlaygroundError {
    /// A JSON input did not parse.
    #[error("{what} is not valid JSON at line {line}, column {column}: {message}")]
    Json {
        what: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// A workspace seed has the wrong shape or the engine refused part of it.
    #[error("seed {pointer}: {message}")]
    Seed { pointer: String, message: String },
    /// The definition has errors; each diagnostic says where.
    #[error("the definition is invalid:\n{}", render(.diagnostics))]
    InvalidDefinition { diagnostics: Vec<Diagnostic> },
}

fn render(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| match &d.range {
            Some(r) => format!(
                "  {}:{} {} {}: {}",
                r.start.line, r.start.column, d.pointer, d.code, d.message
            ),
            None => format!("  {} {}: {}", d.pointer, d.code, d.message),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl PlaygroundError {
    /// Wraps a serde_json error on the input named `what`.
    pub fn json(what: &str, e: &serde_json::Error) -> Self {
        PlaygroundError::Json {
            what: what.to_string(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        }
    }
}
