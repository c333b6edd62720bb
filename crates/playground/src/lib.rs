//! A Statebox workspace: a DynamoDB engine seeded from a workspace seed, and executions of
//! state machines against it through the services layer.
//!
//! The workspace-seed format (`{"tables": [<CreateTable request>, ...], "items": {"<Table>":
//! [<item in DynamoDB JSON>, ...]}}`) is shared by the CLI's `--tables`, the page's sample
//! data, share links and exports.
//!
//! ```
//! use serde_json::json;
//! use statebox_playground::{run, RunOptions, WorkspaceSeed};
//!
//! let seed = WorkspaceSeed::parse(r#"{"tables": [{"TableName": "Orders",
//!     "KeySchema": [{"AttributeName": "OrderId", "KeyType": "HASH"}],
//!     "AttributeDefinitions": [{"AttributeName": "OrderId", "AttributeType": "S"}],
//!     "BillingMode": "PAY_PER_REQUEST"}]}"#).unwrap();
//! let mut engine = statebox_dynamo::Engine::new();
//! seed.apply(&mut engine).unwrap();
//! let definition = r#"{"StartAt": "Put", "States": {"Put": {"Type": "Task",
//!     "Resource": "arn:aws:states:::dynamodb:putItem",
//!     "Parameters": {"TableName": "Orders", "Item": {"OrderId": {"S": "1"}}}, "End": true}}}"#;
//! let report = run(&mut engine, definition, json!({}), RunOptions::default()).unwrap();
//! assert_eq!(report.result()["status"], "SUCCEEDED");
//! assert_eq!(report.commits.len(), 1);
//! ```

pub mod error;
pub mod run;
pub mod seed;

pub use error::PlaygroundError;
pub use run::{run, services_for, start, status_json, RunOptions, RunReport};
pub use seed::WorkspaceSeed;
