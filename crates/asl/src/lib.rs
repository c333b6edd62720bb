//! Amazon States Language for Statebox.
//!
//! The definition model, diagnostics, JSONPath, intrinsics and the interpreter (issue 3).

pub mod error;
pub mod integration;
pub mod intrinsics;
pub mod jsonpath;

pub use error::Failure;
pub use integration::{Integration, NoServices, TaskRequest};
