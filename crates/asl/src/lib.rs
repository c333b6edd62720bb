//! Amazon States Language for Statebox: the definition model with positioned diagnostics,
//! JSONPath, intrinsic functions and a step-able, deterministic interpreter.
//!
//! Code map:
//! - [`source_map`] scans JSON text keeping positions; [`definition`] builds the
//!   [`StateMachine`] model and every [`Diagnostic`] (`parse_definition` never fails);
//!   [`template`] compiles its Parameters-like templates once.
//! - [`execution`] runs a machine one history event at a time ([`Execution::step`]);
//!   [`payload`], [`choice_eval`], [`error_match`] hold the data-flow, Choice and
//!   Retry/Catch rules; [`history`] and [`inspection`] are what it records; [`clock`] is
//!   where its time comes from (virtual by default, or a caller's real-time clock).
//! - [`integration`] is the boundary to services; [`item_store`] the one to S3-like objects
//!   (Distributed Map); [`conformance`] runs AWS-recorded cases.
//!
//! ```
//! use statebox_asl::{parse_definition, Execution, ExecutionOptions, ExecutionStatus, NoServices};
//! use serde_json::json;
//!
//! let parsed = parse_definition(r#"{
//!   "StartAt": "Greet",
//!   "States": {
//!     "Greet": {"Type": "Pass", "Parameters": {"hello.$": "$.name"}, "ResultPath": "$.out", "Next": "Done"},
//!     "Done": {"Type": "Succeed", "OutputPath": "$.out"}
//!   }
//! }"#);
//! assert!(parsed.diagnostics.is_empty());
//! let machine = parsed.machine.unwrap();
//! let mut exec = Execution::start(&machine, json!({"name": "world"}), ExecutionOptions::default());
//! let status = exec.run(&mut NoServices);
//! assert_eq!(status, &ExecutionStatus::Succeeded { output: json!({"hello": "world"}) });
//! assert_eq!(exec.history().first().unwrap().event_type, "ExecutionStarted");
//!
//! // Broken definitions still give a model and every diagnostic, with positions.
//! let bad = parse_definition("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"B\"}}}");
//! assert_eq!(bad.diagnostics[0].code, "MISSING_TRANSITION_TARGET");
//! assert_eq!(bad.diagnostics[0].range.unwrap().start.line, 1);
//! ```

pub mod choice_eval;
pub mod clock;
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
pub mod item_store;
pub mod jsonata;
pub mod jsonpath;
pub mod limits;
pub mod payload;
pub mod random;
pub mod source_map;
pub mod template;
pub mod timestamp;

pub use clock::{Clock, ClockMode, ManualClock};
pub use definition::model::StateMachine;
pub use definition::{parse_definition, Parsed};
pub use diagnostic::{Diagnostic, LineCol, TextRange};
pub use error::Failure;
pub use execution::{Execution, ExecutionOptions, ExecutionStatus};
pub use history::HistoryEvent;
pub use inspection::StateInspection;
pub use integration::{Integration, NoServices, TaskRequest};
