//! What `--data DIR` keeps of Step Functions: [`Record`]s the caller appends to a log as
//! they are made ([`StepFunctions::take_records`]) and replays at start
//! ([`StepFunctions::restore`]): state machines as created or changed, deletions, and each
//! standard execution's start and end (its status, output and whole history).
//!
//! An execution that was running when the server stopped cannot go on (the interpreter's
//! state is not kept): it comes back ABORTED, its cause saying why.

use crate::executions::Run;
use crate::machines::{checked_definition, Alias, Kind, Machine, Spec, Version};
use crate::wire;
use crate::StepFunctions;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use statebox_asl::payload::to_text;
use statebox_asl::ExecutionStatus;
use std::sync::Arc;

/// The cause of an execution that was running when the server stopped.
pub const CUT_SHORT: &str =
    "statebox serve stopped while this execution was running; running executions do not survive a restart";

/// One change to keep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Record {
    /// A state machine as created or last changed (tags included).
    Machine(StoredMachine),
    /// A state machine deleted.
    Deleted { arn: String },
    /// A standard execution started.
    Started(StoredStart),
    /// A standard execution ended.
    Ended(StoredEnd),
    /// An ended execution was redriven (its last end no longer holds).
    Redriven { arn: String },
}

/// A state machine's definition and settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredSpec {
    pub arn: String,
    pub name: String,
    pub definition: String,
    pub role_arn: String,
    pub kind: String,
    pub updated_millis: i64,
    pub revision_id: Option<String>,
    pub logging: Value,
    pub tracing: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredMachine {
    pub spec: StoredSpec,
    pub created_millis: i64,
    pub tags: Vec<(String, String)>,
    #[serde(default)]
    pub versions: Vec<StoredVersion>,
    #[serde(default)]
    pub last_version: u32,
    #[serde(default)]
    pub aliases: Vec<StoredAlias>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredVersion {
    pub number: u32,
    pub spec: StoredSpec,
    pub created_millis: i64,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredAlias {
    pub name: String,
    pub description: Option<String>,
    pub routing: Vec<(u32, u32)>,
    pub created_millis: i64,
    pub updated_millis: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredStart {
    pub arn: String,
    pub name: String,
    pub spec: StoredSpec,
    pub input: String,
    pub trace_header: Option<String>,
    pub start_millis: i64,
    #[serde(default)]
    pub version_arn: Option<String>,
    #[serde(default)]
    pub alias_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredEnd {
    pub arn: String,
    pub stop_millis: i64,
    /// SUCCEEDED, FAILED, TIMED_OUT or ABORTED.
    pub status: String,
    /// The output's JSON text (SUCCEEDED only).
    pub output: Option<String>,
    pub error: Option<String>,
    pub cause: Option<String>,
    /// The events as GetExecutionHistory returns them with their data.
    pub history: Vec<Value>,
    #[serde(default)]
    pub redrive_count: u32,
    #[serde(default)]
    pub redrive_millis: Option<i64>,
}

/// An execution brought back from the log: what DescribeExecution and GetExecutionHistory
/// say of it.
#[derive(Debug, Clone)]
pub struct StoredRun {
    pub start: StoredStart,
    pub spec: Arc<Spec>,
    pub end: StoredEnd,
}

impl StoredSpec {
    fn of(spec: &Spec) -> StoredSpec {
        StoredSpec {
            arn: spec.arn.clone(),
            name: spec.name.clone(),
            definition: spec.definition.clone(),
            role_arn: spec.role_arn.clone(),
            kind: spec.kind.name().into(),
            updated_millis: spec.updated_millis,
            revision_id: spec.revision_id.clone(),
            logging: spec.logging.clone(),
            tracing: spec.tracing.clone(),
        }
    }

    /// The spec, its definition parsed again (`None` if it no longer parses).
    fn spec(&self) -> Option<Spec> {
        let machine = checked_definition(&self.definition).ok()?;
        Some(Spec {
            arn: self.arn.clone(),
            name: self.name.clone(),
            definition: self.definition.clone(),
            machine: Arc::new(machine),
            role_arn: self.role_arn.clone(),
            kind: if self.kind == "EXPRESS" {
                Kind::Express
            } else {
                Kind::Standard
            },
            updated_millis: self.updated_millis,
            revision_id: self.revision_id.clone(),
            logging: self.logging.clone(),
            tracing: self.tracing.clone(),
        })
    }
}

/// The record of a machine.
pub(crate) fn machine_record(machine: &Machine) -> Record {
    Record::Machine(StoredMachine {
        spec: StoredSpec::of(&machine.spec),
        created_millis: machine.created_millis,
        tags: machine.tags.clone(),
        versions: machine
            .versions
            .iter()
            .map(|(n, v)| StoredVersion {
                number: *n,
                spec: StoredSpec::of(&v.spec),
                created_millis: v.created_millis,
                description: v.description.clone(),
            })
            .collect(),
        last_version: machine.last_version,
        aliases: machine
            .aliases
            .values()
            .map(|a| StoredAlias {
                name: a.name.clone(),
                description: a.description.clone(),
                routing: a.routing.clone(),
                created_millis: a.created_millis,
                updated_millis: a.updated_millis,
            })
            .collect(),
    })
}

/// The record of a run's start.
pub(crate) fn started_record(run: &Run) -> Record {
    Record::Started(StoredStart {
        arn: run.arn.clone(),
        name: run.name.clone(),
        spec: StoredSpec::of(&run.spec),
        input: run.input.clone(),
        trace_header: run.trace_header.clone(),
        start_millis: run.start_millis,
        version_arn: run.version_arn.clone(),
        alias_arn: run.alias_arn.clone(),
    })
}

/// The record of a run's end.
pub(crate) fn ended_record(run: &Run) -> Record {
    let (output, error, cause) = match run.execution.status() {
        ExecutionStatus::Succeeded { output } => (Some(to_text(output)), None, None),
        ExecutionStatus::Failed { error, cause }
        | ExecutionStatus::TimedOut { error, cause }
        | ExecutionStatus::Aborted { error, cause } => (None, error.clone(), cause.clone()),
        ExecutionStatus::Running => (None, None, None),
    };
    Record::Ended(StoredEnd {
        arn: run.arn.clone(),
        stop_millis: run.stop_millis.unwrap_or(run.start_millis),
        status: run.status_name().into(),
        output,
        error,
        cause,
        history: run.history_values(true),
        redrive_count: run.prior.redrive_count,
        redrive_millis: run.prior.redrive_millis,
    })
}

impl StepFunctions {
    /// Starts keeping records of changes for [`take_records`](Self::take_records).
    pub fn keep_records(&mut self) {
        self.records.get_or_insert_with(Vec::new);
    }

    /// The records made since the last call (none unless [`keep_records`](Self::keep_records)).
    pub fn take_records(&mut self) -> Vec<Record> {
        self.records
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    pub(crate) fn record(&mut self, make: impl FnOnce(&Self) -> Record) {
        if self.records.is_some() {
            let record = make(self);
            if let Some(records) = &mut self.records {
                records.push(record);
            }
        }
    }

    /// Replays records (in the order they were made); returns how many state machines
    /// and executions there are then. Records naming definitions that no longer parse are
    /// skipped.
    pub fn restore(&mut self, records: Vec<Record>) -> (usize, usize) {
        let mut starts: Vec<StoredStart> = Vec::new();
        let mut ends: std::collections::HashMap<String, StoredEnd> = Default::default();
        for record in records {
            match record {
                Record::Machine(m) => {
                    if let Some(spec) = m.spec.spec() {
                        let arn = spec.arn.clone();
                        let mut machine = Machine::new(spec, m.created_millis);
                        machine.tags = m.tags;
                        machine.last_version = m.last_version;
                        for v in m.versions {
                            if let Some(spec) = v.spec.spec() {
                                let version = Version {
                                    spec: Arc::new(spec),
                                    created_millis: v.created_millis,
                                    description: v.description,
                                };
                                machine.versions.insert(v.number, version);
                            }
                        }
                        for a in m.aliases {
                            let alias = Alias {
                                name: a.name.clone(),
                                description: a.description,
                                routing: a.routing,
                                created_millis: a.created_millis,
                                updated_millis: a.updated_millis,
                            };
                            machine.aliases.insert(a.name, alias);
                        }
                        self.machines.insert(arn, machine);
                    }
                }
                Record::Deleted { arn } => {
                    self.machines.remove(&arn);
                }
                Record::Started(s) => starts.push(s),
                Record::Ended(e) => {
                    ends.insert(e.arn.clone(), e);
                }
                Record::Redriven { arn } => {
                    ends.remove(&arn);
                }
            }
        }
        for start in starts {
            let Some(spec) = start.spec.spec() else {
                continue;
            };
            let end = ends.remove(&start.arn).unwrap_or_else(|| cut_short(&start));
            self.order.push(start.arn.clone());
            self.stored.insert(
                start.arn.clone(),
                StoredRun {
                    start,
                    spec: Arc::new(spec),
                    end,
                },
            );
        }
        (self.machines.len(), self.stored.len())
    }

    /// Every record needed to rebuild the present state (for compacting the log).
    pub fn snapshot_records(&self) -> Vec<Record> {
        let mut out: Vec<Record> = self.machines.values().map(machine_record).collect();
        for arn in &self.order {
            if let Some(stored) = self.stored.get(arn) {
                out.push(Record::Started(stored.start.clone()));
                out.push(Record::Ended(stored.end.clone()));
            } else if let Some(run) = self.runs.get(arn) {
                out.push(started_record(run));
                if run.execution.status() != &ExecutionStatus::Running {
                    out.push(ended_record(run));
                }
            }
        }
        out
    }
}

/// The end of an execution the server stopped under: ABORTED, with its start and end events.
fn cut_short(start: &StoredStart) -> StoredEnd {
    let at = wire::timestamp(start.start_millis);
    StoredEnd {
        arn: start.arn.clone(),
        stop_millis: start.start_millis,
        status: "ABORTED".into(),
        output: None,
        error: None,
        cause: Some(CUT_SHORT.into()),
        redrive_count: 0,
        redrive_millis: None,
        history: vec![
            json!({"timestamp": at, "type": "ExecutionStarted", "id": 1, "previousEventId": 0,
                   "executionStartedEventDetails": {"input": start.input, "inputDetails": {"truncated": false},
                                                    "roleArn": start.spec.role_arn}}),
            json!({"timestamp": at, "type": "ExecutionAborted", "id": 2, "previousEventId": 1,
                   "executionAbortedEventDetails": {"cause": CUT_SHORT}}),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Config;
    use statebox_dynamo::Engine;

    const NOW: i64 = 1_700_000_000_000;

    fn call(sfn: &mut StepFunctions, op: &str, body: Value) -> Value {
        sfn.execute(op, &body, NOW).unwrap()
    }

    #[test]
    fn records_rebuild_machines_and_executions() {
        let mut sfn = StepFunctions::new(Config::default());
        sfn.keep_records();
        let definition = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#;
        let created = call(
            &mut sfn,
            "CreateStateMachine",
            json!({"name": "M", "roleArn": "r", "definition": definition}),
        );
        let machine = created["stateMachineArn"].clone();
        call(
            &mut sfn,
            "StartExecution",
            json!({"stateMachineArn": machine, "name": "done", "input": "{\"a\": 1}"}),
        );
        while sfn.has_work() {
            sfn.run_ready(&mut Engine::new(), 100);
        }
        let waiting = r#"{"StartAt": "W", "States": {"W": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken", "End": true}}}"#;
        call(
            &mut sfn,
            "CreateStateMachine",
            json!({"name": "H", "roleArn": "r", "definition": waiting}),
        );
        let describe =
            json!({"executionArn": "arn:aws:states:us-east-1:123456789012:execution:M:done"});
        let before = call(&mut sfn, "DescribeExecution", describe.clone());
        let history = call(&mut sfn, "GetExecutionHistory", describe.clone());
        let mut records = sfn.take_records();
        // A start without its end: the server stopped while it ran.
        let mut cut = records
            .iter()
            .find_map(|r| match r {
                Record::Started(s) => Some(s.clone()),
                _ => None,
            })
            .unwrap();
        cut.arn = cut.arn.replace(":done", ":cut");
        cut.name = "cut".into();
        records.push(Record::Started(cut));

        let mut again = StepFunctions::new(Config::default());
        assert_eq!(again.restore(records), (2, 2));
        assert_eq!(
            call(&mut again, "DescribeExecution", describe.clone()),
            before
        );
        assert_eq!(call(&mut again, "GetExecutionHistory", describe), history);
        let cut = call(
            &mut again,
            "DescribeExecution",
            json!({"executionArn": "arn:aws:states:us-east-1:123456789012:execution:M:cut"}),
        );
        assert_eq!(
            (cut["status"].as_str(), cut["cause"].as_str()),
            (Some("ABORTED"), Some(CUT_SHORT))
        );
        assert_eq!(again.snapshot_records().len(), 2 + 4);
    }
}
