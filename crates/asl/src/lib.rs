//! Amazon States Language for Statebox.
//!
//! The definition model, diagnostics, JSONPath, intrinsics and a step-able interpreter.

pub mod choice_eval;
pub mod conformance;
pub mod definition;
pub mod diagnostic;
pub mod error;
pub mod error_match;
pub mod execution;
pub mod history;
pub mod inspection;
pub mod integration;
pub mod intrinsics;
pub mod jsonpath;
pub mod limits;
pub mod payload;
pub mod random;
pub mod source_map;
pub mod timestamp;

pub use definition::model::StateMachine;
pub use definition::{parse_definition, Parsed};
pub use diagnostic::{Diagnostic, LineCol, TextRange};
pub use error::Failure;
pub use execution::{Execution, ExecutionOptions, ExecutionStatus};
pub use history::HistoryEvent;
pub use inspection::StateInspection;
pub use integration::{Integration, NoServices, TaskRequest};
