//! Definitions: the model ([`model`]), building it from JSON with diagnostics ([`build`]),
//! graph checks ([`validate`]) and the entry point [`parse_definition`].

pub mod build;
mod build_choice;
mod build_handlers;
mod build_states;
pub mod fields;
pub mod model;
pub mod validate;

use crate::diagnostic::{codes, Diagnostic, TextRange};
use crate::source_map::scan;
use model::StateMachine;
use serde::Serialize;

/// What parsing a definition produced: the model it could build and every diagnostic.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// `None` only when the text is unusable (not JSON, or not an object).
    pub machine: Option<StateMachine>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Parsed {
    /// True when there is a machine and no diagnostic: AWS would accept the definition.
    pub fn is_valid(&self) -> bool {
        self.machine.is_some() && self.diagnostics.is_empty()
    }
}

/// A diagnostic as `ValidateStateMachineDefinition` returns it.
#[derive(Debug, Clone, Serialize)]
pub struct ValidationDiagnostic {
    pub severity: &'static str,
    pub code: String,
    pub message: String,
    pub location: String,
}

/// Parses a definition; never fails.
pub fn parse_definition(text: &str) -> Parsed {
    let (value, map) = match scan(text) {
        Ok(ok) => ok,
        Err(e) => {
            return Parsed {
                machine: None,
                diagnostics: vec![Diagnostic {
                    code: codes::INVALID_JSON_DESCRIPTION.to_string(),
                    message: format!(
                        "{} at line {}, column {}",
                        e.message, e.at.line, e.at.column
                    ),
                    pointer: String::new(),
                    range: Some(TextRange {
                        start: e.at,
                        end: e.at,
                    }),
                }],
            }
        }
    };
    let mut parsed = parse_value(&value);
    for d in &mut parsed.diagnostics {
        d.range = map.range_for(&d.pointer);
    }
    parsed
}

/// Builds from an already parsed JSON value (diagnostics have no ranges).
pub fn parse_value(value: &serde_json::Value) -> Parsed {
    // The builder clones and walks values recursively: refuse what the scanner would refuse.
    if crate::payload::exceeds_depth(value, crate::source_map::MAX_SCAN_DEPTH) {
        return Parsed {
            machine: None,
            diagnostics: vec![Diagnostic::new(
                codes::TOO_DEEPLY_NESTED,
                format!(
                    "The definition is nested more than {} levels deep",
                    crate::source_map::MAX_SCAN_DEPTH
                ),
                "",
            )],
        };
    }
    let mut b = build::Builder {
        diagnostics: Vec::new(),
        uses_variables: false,
    };
    let machine = b.machine(value);
    let mut diagnostics = b.diagnostics;
    if let Some(m) = &machine {
        validate::validate(m, &mut diagnostics);
    }
    Parsed {
        machine,
        diagnostics,
    }
}

#[cfg(test)]
mod tests;
