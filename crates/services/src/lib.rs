//! Binds Amazon States Language Task resources to services.
//!
//! [`Services`] implements the interpreter's [`statebox_asl::Integration`]: a Task's
//! `Resource` ARN is parsed ([`Resource`]), mocked responses from a Step Functions Local
//! MockConfigFile ([`MockConfig`]) take precedence for the states a test case names, and
//! DynamoDB resources run against the in-memory [`statebox_dynamo::Engine`], through the
//! optimized integration (`arn:aws:states:::dynamodb:putItem`) or the AWS SDK integration
//! (`arn:aws:states:::aws-sdk:dynamodb:putItem`), with AWS's result shapes and error names.
//!
//! ```
//! use serde_json::json;
//! use statebox_asl::{Integration, TaskRequest};
//! use statebox_services::Services;
//!
//! let mut engine = statebox_dynamo::Engine::new();
//! let mut services = Services::new(&mut engine);
//! let params = json!({"TableName": "Missing", "Key": {"id": {"S": "1"}}});
//! let request = TaskRequest {
//!     resource: "arn:aws:states:::dynamodb:getItem",
//!     state_name: "Get",
//!     parameters: &params,
//!     task_token: None,
//!     attempt: 0,
//! };
//! // No table yet: the task fails as it would on AWS.
//! let failure = services.invoke(&request).unwrap_err();
//! assert!(failure.error.starts_with("DynamoDB."));
//! ```

mod dynamodb;
pub mod error;
pub mod mock;
pub mod resource;
mod services;

pub use error::ServicesError;
pub use mock::{MockCase, MockConfig};
pub use resource::{IntegrationPattern, Resource};
pub use services::Services;
