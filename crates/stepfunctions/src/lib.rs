//! The AWS Step Functions API over the statebox interpreter, without sockets: what
//! `statebox serve` answers to `X-Amz-Target: AWSStepFunctions.<Operation>`.
//!
//! - [`StepFunctions::execute`] answers one operation's JSON body with its JSON response or
//!   an [`SfnError`] (AWS's type name, namespace and message). It never runs an execution:
//!   StartExecution records one, and [`StepFunctions::run_ready`] (the server's background
//!   driver) steps every execution that can move, lending it the shared DynamoDB engine, so
//!   Task states read and write the same tables the DynamoDB endpoint serves.
//! - [`test_state`] answers TestState (it runs one state at once, with a mocked or real
//!   Task result).
//! - ARNs are AWS's for the configured [`Place`]; a state machine ARN with a `#TestCase`
//!   suffix runs with that test case of the `--mock-config` file, as Step Functions Local
//!   does.
//!
//! ```
//! use serde_json::json;
//! use statebox_stepfunctions::{Config, StepFunctions};
//!
//! let mut sfn = StepFunctions::new(Config::default());
//! let created = sfn.execute("CreateStateMachine", &json!({
//!     "name": "Hello", "roleArn": "arn:aws:iam::123456789012:role/R",
//!     "definition": r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#,
//! }), 1_700_000_000_000).unwrap();
//! let machine = created["stateMachineArn"].as_str().unwrap();
//! let started = sfn.execute("StartExecution", &json!({"stateMachineArn": machine, "name": "e1",
//!     "input": "{\"a\": 1}"}), 1_700_000_000_000).unwrap();
//! let mut engine = statebox_dynamo::Engine::new();
//! while sfn.has_work() {
//!     sfn.run_ready(&mut engine, 100);
//! }
//! let described = sfn.execute("DescribeExecution",
//!     &json!({"executionArn": started["executionArn"]}), 1_700_000_000_000).unwrap();
//! assert_eq!(described["status"], "SUCCEEDED");
//! assert_eq!(described["output"], "{\"a\":1}");
//! ```

pub mod arn;
mod driver;
pub mod error;
mod executions;
pub mod machines;
mod paging;
pub mod persist;
mod redrive;
mod request;
mod test_state;
mod tokens;
mod versions;
pub mod wire;

pub use arn::Place;
pub use error::SfnError;
pub use persist::Record;
pub use test_state::test_state;

use executions::Run;
use machines::Machine;
use request::Members;
use serde_json::{json, Value};
use statebox_asl::ClockMode;
use statebox_services::MockConfig;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The target prefix of Step Functions operations.
pub const TARGET_PREFIX: &str = "AWSStepFunctions";

/// The operations this endpoint answers.
pub const OPERATIONS: &[&str] = &[
    "CreateStateMachine",
    "CreateStateMachineAlias",
    "DeleteStateMachine",
    "DeleteStateMachineAlias",
    "DeleteStateMachineVersion",
    "DescribeExecution",
    "DescribeStateMachine",
    "DescribeStateMachineAlias",
    "DescribeStateMachineForExecution",
    "GetExecutionHistory",
    "ListExecutions",
    "ListStateMachineAliases",
    "ListStateMachineVersions",
    "ListStateMachines",
    "ListTagsForResource",
    "PublishStateMachineVersion",
    "RedriveExecution",
    "SendTaskFailure",
    "SendTaskHeartbeat",
    "SendTaskSuccess",
    "StartExecution",
    "StartSyncExecution",
    "StopExecution",
    "TagResource",
    "TestState",
    "UntagResource",
    "UpdateStateMachine",
    "UpdateStateMachineAlias",
    "ValidateStateMachineDefinition",
];

/// The operation an `X-Amz-Target` names, if it is a Step Functions one this endpoint has.
pub fn operation(target: &str) -> Option<&str> {
    let (api, operation) = target.split_once('.')?;
    (api == TARGET_PREFIX && OPERATIONS.contains(&operation)).then_some(operation)
}

/// Operations that change nothing (no record to log).
const READ_ONLY: &[&str] = &[
    "DescribeExecution",
    "DescribeStateMachine",
    "DescribeStateMachineAlias",
    "DescribeStateMachineForExecution",
    "GetExecutionHistory",
    "ListExecutions",
    "ListStateMachineAliases",
    "ListStateMachineVersions",
    "ListStateMachines",
    "ListTagsForResource",
    "ValidateStateMachineDefinition",
];

/// Whether an operation only reads.
pub fn reads_only(operation: &str) -> bool {
    READ_ONLY.contains(&operation)
}

/// How the endpoint runs.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The region and account in ARNs.
    pub place: Place,
    /// Executions' time: virtual (Waits pass at once) or a real clock.
    pub clock: ClockMode,
    /// `--mock-config`: test cases a `#TestCase` ARN suffix picks.
    pub mocks: Option<MockConfig>,
}

/// State machines and executions.
pub struct StepFunctions {
    pub(crate) config: Config,
    pub(crate) machines: BTreeMap<String, Machine>,
    pub(crate) runs: HashMap<String, Run>,
    /// Standard executions' ARNs in start order.
    pub(crate) order: Vec<String>,
    /// Executions still running.
    pub(crate) active: BTreeSet<String>,
    /// Task token → the ARN of the execution that made it.
    pub(crate) tokens: HashMap<String, String>,
    /// Executions brought back from the log by [`StepFunctions::restore`].
    pub(crate) stored: HashMap<String, persist::StoredRun>,
    /// Changes to keep, when the caller keeps them (see [`persist`]).
    pub(crate) records: Option<Vec<Record>>,
    ids: u64,
    id_seed: u64,
}

impl StepFunctions {
    pub fn new(config: Config) -> StepFunctions {
        StepFunctions::with_seed(config, 0x5EED)
    }

    /// With the seed of the generated names and execution seeds (the server passes
    /// something that differs between runs, so names do not repeat across restarts).
    pub fn with_seed(config: Config, seed: u64) -> StepFunctions {
        StepFunctions {
            config,
            machines: BTreeMap::new(),
            runs: HashMap::new(),
            order: Vec::new(),
            active: BTreeSet::new(),
            tokens: HashMap::new(),
            stored: HashMap::new(),
            records: None,
            ids: 0,
            id_seed: seed,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Answers one operation (TestState excepted: see [`test_state`]). `now_millis` is the
    /// time of the request (creation dates, the start of executions).
    pub fn execute(
        &mut self,
        operation: &str,
        body: &Value,
        now_millis: i64,
    ) -> Result<Value, SfnError> {
        let m = Members(body);
        match operation {
            "CreateStateMachine" => self.create_state_machine(m, now_millis),
            "DescribeStateMachine" => self.describe_state_machine(m),
            "UpdateStateMachine" => self.update_state_machine(m, now_millis),
            "DeleteStateMachine" => self.delete_state_machine(m),
            "ListStateMachines" => self.list_state_machines(m),
            "ValidateStateMachineDefinition" => self.validate_definition(m),
            "TagResource" => self.tag_resource(m),
            "UntagResource" => self.untag_resource(m),
            "ListTagsForResource" => self.list_tags(m),
            "PublishStateMachineVersion" => self.publish_version(m, now_millis),
            "ListStateMachineVersions" => self.list_versions(m),
            "DeleteStateMachineVersion" => self.delete_version(m),
            "CreateStateMachineAlias" => self.create_alias(m, now_millis),
            "DescribeStateMachineAlias" => self.describe_alias(m),
            "UpdateStateMachineAlias" => self.update_alias(m, now_millis),
            "DeleteStateMachineAlias" => self.delete_alias(m),
            "ListStateMachineAliases" => self.list_aliases(m),
            "StartExecution" => {
                let (arn, start) = self.start_execution(m, now_millis, false)?;
                Ok(json!({"executionArn": arn, "startDate": wire::timestamp(start)}))
            }
            "StartSyncExecution" => {
                let (arn, _) = self.start_execution(m, now_millis, true)?;
                Ok(json!({"executionArn": arn}))
            }
            "DescribeExecution" => self.describe_execution(m),
            "ListExecutions" => self.list_executions(m),
            "GetExecutionHistory" => self.get_execution_history(m),
            "StopExecution" => self.stop_execution(m),
            "RedriveExecution" => self.redrive_execution(m, now_millis),
            "DescribeStateMachineForExecution" => self.describe_machine_for_execution(m),
            "SendTaskSuccess" => self.send_task_success(m),
            "SendTaskFailure" => self.send_task_failure(m),
            "SendTaskHeartbeat" => self.send_task_heartbeat(m),
            other => Err(SfnError::Internal {
                message: format!("{other} is not answered here"),
            }),
        }
    }

    /// A new identifier in the UUID shape (execution names, revision ids, express ids).
    pub(crate) fn new_id(&mut self) -> String {
        let a = splitmix64(self.next_seed());
        let b = splitmix64(a ^ 0xA5A5_A5A5);
        let hex = format!("{a:016x}{b:016x}");
        format!(
            "{}-{}-4{}-a{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[13..16],
            &hex[17..20],
            &hex[20..32]
        )
    }

    /// The next seed for an execution's random generator.
    pub(crate) fn next_seed(&mut self) -> u64 {
        self.ids += 1;
        splitmix64(self.id_seed ^ self.ids.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }
}

fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
