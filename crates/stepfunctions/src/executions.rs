//! Executions: StartExecution, StartSyncExecution (its start; the caller waits for the end),
//! DescribeExecution, ListExecutions, GetExecutionHistory, StopExecution and
//! DescribeStateMachineForExecution.
//!
//! An execution is the interpreter's [`Execution`] with the services it calls (its own,
//! with the MockConfigFile test case its ARN names; the shared DynamoDB engine is lent to
//! them for each step, see [`crate::driver`]). Starting one only records it: the driver
//! runs it. Express executions are not listed nor described, as on AWS; they are dropped
//! once finished (a synchronous one once its caller has its result).

use crate::arn;
use crate::error::SfnError;
use crate::machines::{Kind, Spec};
use crate::paging::page;
use crate::persist::{ended_record, started_record, StoredRun};
use crate::request::{check_length, error_and_cause, Members};
use crate::wire::{self, timestamp};
use crate::StepFunctions;
use serde_json::{json, Map, Value};
use statebox_asl::payload::to_text;
use statebox_asl::{limits::is_valid_name, Execution, ExecutionOptions, ExecutionStatus};
use statebox_dynamo::Engine;
use statebox_services::Services;
use std::sync::Arc;

/// Largest execution input (bytes), as AWS limits it.
pub const MAX_INPUT_BYTES: usize = 262_144;

/// One execution and what DescribeExecution says of it.
pub struct Run {
    pub arn: String,
    pub name: String,
    pub spec: Arc<Spec>,
    pub input: String,
    pub trace_header: Option<String>,
    /// The version that ran, when a version or alias ARN was started.
    pub version_arn: Option<String>,
    /// The alias started, if any.
    pub alias_arn: Option<String>,
    pub start_millis: i64,
    pub stop_millis: Option<i64>,
    pub execution: Execution,
    pub services: Services<Engine>,
    /// Nothing can run until a task token is answered or (real clock) time passes.
    pub idle: bool,
    /// Started by StartSyncExecution: kept until its caller takes the result.
    pub sync: bool,
    /// What earlier runs left, once redriven.
    pub prior: crate::redrive::Prior,
}

impl Run {
    fn express(&self) -> bool {
        self.spec.kind == Kind::Express
    }

    /// RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED.
    pub fn status_name(&self) -> &'static str {
        match self.execution.status() {
            ExecutionStatus::Running => "RUNNING",
            ExecutionStatus::Succeeded { .. } => "SUCCEEDED",
            ExecutionStatus::Failed { .. } => "FAILED",
            ExecutionStatus::TimedOut { .. } => "TIMED_OUT",
            ExecutionStatus::Aborted { .. } => "ABORTED",
        }
    }

    /// Adds `status`, `stopDate`, `output`, `error` and `cause` as the status has them.
    fn put_outcome(&self, out: &mut Map<String, Value>, include_data: bool) {
        out.insert("status".into(), json!(self.status_name()));
        if let Some(stop) = self.stop_millis {
            out.insert("stopDate".into(), timestamp(stop));
        }
        match self.execution.status() {
            ExecutionStatus::Running => {}
            ExecutionStatus::Succeeded { output } => {
                if include_data {
                    out.insert("output".into(), json!(to_text(output)));
                }
                out.insert("outputDetails".into(), json!({"included": include_data}));
            }
            ExecutionStatus::Failed { error, cause }
            | ExecutionStatus::TimedOut { error, cause }
            | ExecutionStatus::Aborted { error, cause } => {
                if let Some(e) = error {
                    out.insert("error".into(), json!(e));
                }
                if let Some(c) = cause {
                    out.insert("cause".into(), json!(c));
                }
            }
        }
    }

    /// StartSyncExecution's answer, once the execution has ended.
    pub fn sync_result(&self, include_data: bool) -> Value {
        let mut out = Map::new();
        out.insert("executionArn".into(), json!(self.arn));
        out.insert("stateMachineArn".into(), json!(self.spec.arn));
        out.insert("name".into(), json!(self.name));
        out.insert("startDate".into(), timestamp(self.start_millis));
        if include_data {
            out.insert("input".into(), json!(self.input));
        }
        out.insert("inputDetails".into(), json!({"included": include_data}));
        if let Some(t) = &self.trace_header {
            out.insert("traceHeader".into(), json!(t));
        }
        self.put_outcome(&mut out, include_data);
        let billed = self
            .stop_millis
            .unwrap_or(self.start_millis)
            .saturating_sub(self.start_millis);
        out.insert(
            "billingDetails".into(),
            json!({"billedMemoryUsedInMB": 64, "billedDurationInMilliseconds": billed.max(100)}),
        );
        Value::Object(out)
    }
}

/// An execution as listed: running or ended here, or brought back from the log.
#[derive(Clone, Copy)]
enum Entry<'a> {
    Live(&'a Run),
    Stored(&'a StoredRun),
}

impl Entry<'_> {
    fn machine_arn(&self) -> &str {
        match self {
            Entry::Live(r) => &r.spec.arn,
            Entry::Stored(s) => &s.spec.arn,
        }
    }

    fn status_name(&self) -> &str {
        match self {
            Entry::Live(r) => r.status_name(),
            Entry::Stored(s) => &s.end.status,
        }
    }

    fn redrive(&self) -> (u32, Option<i64>) {
        match self {
            Entry::Live(r) => (r.prior.redrive_count, r.prior.redrive_millis),
            Entry::Stored(s) => (s.end.redrive_count, s.end.redrive_millis),
        }
    }

    fn qualified(&self) -> (&Option<String>, &Option<String>) {
        match self {
            Entry::Live(r) => (&r.version_arn, &r.alias_arn),
            Entry::Stored(s) => (&s.start.version_arn, &s.start.alias_arn),
        }
    }

    fn summary(&self) -> Value {
        let (arn, name, start, stop) = match self {
            Entry::Live(r) => (&r.arn, &r.name, r.start_millis, r.stop_millis),
            Entry::Stored(s) => (
                &s.start.arn,
                &s.start.name,
                s.start.start_millis,
                Some(s.end.stop_millis),
            ),
        };
        let mut o = Map::new();
        o.insert("executionArn".into(), json!(arn));
        o.insert("stateMachineArn".into(), json!(self.machine_arn()));
        o.insert("name".into(), json!(name));
        o.insert("status".into(), json!(self.status_name()));
        o.insert("startDate".into(), timestamp(start));
        if let Some(stop) = stop {
            o.insert("stopDate".into(), timestamp(stop));
        }
        let (version, alias) = self.qualified();
        put_qualified(&mut o, version, alias);
        let (count, at) = self.redrive();
        if let Some(at) = at {
            o.insert("redriveCount".into(), json!(count));
            o.insert("redriveDate".into(), timestamp(at));
        }
        Value::Object(o)
    }
}

/// `includedData`: true unless `METADATA_ONLY`.
fn included_data(m: &Members<'_>) -> Result<bool, SfnError> {
    match m.string("includedData")? {
        None | Some("ALL_DATA") => Ok(true),
        Some("METADATA_ONLY") => Ok(false),
        Some(other) => Err(SfnError::constraint(
            "includedData",
            other,
            "Member must satisfy enum value set: [ALL_DATA, METADATA_ONLY]",
        )),
    }
}

const STATUSES: [&str; 6] = [
    "RUNNING",
    "SUCCEEDED",
    "FAILED",
    "TIMED_OUT",
    "ABORTED",
    "PENDING_REDRIVE",
];

impl StepFunctions {
    fn entry(&self, arn_text: &str) -> Result<Entry<'_>, SfnError> {
        if arn::execution(arn_text)? {
            return Err(SfnError::InvalidArn {
                reason: "Resource type not valid in this context: express".into(),
            });
        }
        if let Some(run) = self.runs.get(arn_text) {
            return Ok(Entry::Live(run));
        }
        self.stored.get(arn_text).map(Entry::Stored).ok_or_else(|| {
            SfnError::ExecutionDoesNotExist {
                arn: arn_text.into(),
            }
        })
    }

    /// Records a new execution (the driver runs it); its ARN and start time.
    pub(crate) fn start_execution(
        &mut self,
        m: Members<'_>,
        now: i64,
        sync: bool,
    ) -> Result<(String, i64), SfnError> {
        let machine_arn = m.required("stateMachineArn")?;
        let read = arn::machine(machine_arn)?;
        let target = self.resolve(machine_arn)?;
        let spec = target.spec.clone();
        if sync && spec.kind != Kind::Express {
            return Err(SfnError::StateMachineTypeNotSupported {
                message: "This operation is not supported by this type of state machine".into(),
            });
        }
        let name = match m.string("name")? {
            Some(n) => {
                check_length("name", n, 80)?;
                if !is_valid_name(n) {
                    return Err(SfnError::InvalidName { name: n.into() });
                }
                n.to_string()
            }
            None => self.new_id(),
        };
        let input_text = m.string("input")?.unwrap_or("{}").to_string();
        if input_text.len() > MAX_INPUT_BYTES {
            return Err(SfnError::constraint(
                "input",
                "<input>",
                &format!("Member must have length less than or equal to {MAX_INPUT_BYTES}"),
            ));
        }
        let input: Value =
            serde_json::from_str(&input_text).map_err(|e| SfnError::InvalidExecutionInput {
                reason: e.to_string(),
            })?;
        let trace_header = m.string("traceHeader")?.map(String::from);
        let arn = match spec.kind {
            Kind::Standard => self.config.place.execution(&spec.name, &name),
            Kind::Express => {
                let id = self.new_id();
                self.config.place.express(&spec.name, &name, &id)
            }
        };
        if self.stored.contains_key(&arn) {
            return Err(SfnError::ExecutionAlreadyExists { arn });
        }
        if let Some(existing) = self.runs.get(&arn) {
            // The same name and input while it runs: the same execution, as on AWS.
            if existing.input == input_text
                && existing.execution.status() == &ExecutionStatus::Running
            {
                return Ok((arn, existing.start_millis));
            }
            return Err(SfnError::ExecutionAlreadyExists { arn });
        }
        let mocks = match &read.test_case {
            None => None,
            Some(case) => Some(self.mock_case(case, &spec.name)?),
        };
        let seed = self.next_seed();
        let options = ExecutionOptions {
            name: name.clone(),
            state_machine_name: spec.name.clone(),
            start_time_millis: now,
            seed,
            park_task_tokens: true,
            clock: self.config.clock.clone(),
            region: self.config.place.region.clone(),
            account_id: self.config.place.account.clone(),
            role_arn: spec.role_arn.clone(),
            ..ExecutionOptions::default()
        };
        let execution = Execution::start(&spec.machine, input, options);
        let start_millis = execution.now_millis();
        let mut services = Services::new(Engine::new());
        if let Some(case) = mocks {
            services = services.with_mocks(case);
        }
        let run = Run {
            arn: arn.clone(),
            name,
            spec,
            input: input_text,
            trace_header,
            version_arn: target.version_arn,
            alias_arn: target.alias_arn,
            start_millis,
            stop_millis: None,
            execution,
            services,
            idle: false,
            sync,
            prior: Default::default(),
        };
        if !run.express() {
            self.order.push(arn.clone());
            self.record(|_| started_record(&run));
        }
        self.active.insert(arn.clone());
        self.runs.insert(arn.clone(), run);
        Ok((arn, start_millis))
    }

    fn mock_case(
        &self,
        case: &str,
        machine: &str,
    ) -> Result<statebox_services::MockCase, SfnError> {
        let Some(config) = &self.config.mocks else {
            return Err(SfnError::Validation {
                message: format!(
                    "The state machine ARN names the test case '{case}', but statebox serve \
                     was started without --mock-config"
                ),
            });
        };
        config
            .test_case(case, Some(machine))
            .map_err(|e| SfnError::Validation {
                message: e.to_string(),
            })
    }

    pub(crate) fn describe_execution(&self, m: Members<'_>) -> Result<Value, SfnError> {
        let include = included_data(&m)?;
        let run = match self.entry(m.required("executionArn")?)? {
            Entry::Live(run) => run,
            Entry::Stored(stored) => return Ok(describe_stored(stored, include)),
        };
        let mut out = Map::new();
        out.insert("executionArn".into(), json!(run.arn));
        out.insert("stateMachineArn".into(), json!(run.spec.arn));
        out.insert("name".into(), json!(run.name));
        out.insert("startDate".into(), timestamp(run.start_millis));
        if include {
            out.insert("input".into(), json!(run.input));
        }
        out.insert("inputDetails".into(), json!({"included": include}));
        if let Some(t) = &run.trace_header {
            out.insert("traceHeader".into(), json!(t));
        }
        run.put_outcome(&mut out, include);
        put_qualified(&mut out, &run.version_arn, &run.alias_arn);
        put_redrive(
            &mut out,
            run.status_name(),
            run.prior.redrive_count,
            run.prior.redrive_millis,
        );
        Ok(Value::Object(out))
    }

    pub(crate) fn list_executions(&self, m: Members<'_>) -> Result<Value, SfnError> {
        let max = m.max_results(100)?;
        let filter = m.string("statusFilter")?;
        let redriven = match m.string("redriveFilter")? {
            None => None,
            Some("REDRIVEN") => Some(true),
            Some("NOT_REDRIVEN") => Some(false),
            Some(other) => {
                return Err(SfnError::constraint(
                    "redriveFilter",
                    other,
                    "Member must satisfy enum value set: [REDRIVEN, NOT_REDRIVEN]",
                ))
            }
        };
        if let Some(f) = filter {
            if !STATUSES.contains(&f) {
                return Err(SfnError::constraint(
                    "statusFilter",
                    f,
                    "Member must satisfy enum value set: [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE]",
                ));
            }
        }
        let Some(machine_arn) = m.string("stateMachineArn")? else {
            return Err(SfnError::Validation {
                message: "Must provide a StateMachine ARN or MapRun ARN".into(),
            });
        };
        let read = arn::machine(machine_arn)?;
        let spec = self
            .machines
            .get(&read.arn)
            .ok_or_else(|| SfnError::StateMachineDoesNotExist {
                arn: machine_arn.into(),
            })?
            .spec
            .clone();
        let qualified = read.qualifier.is_some().then_some(machine_arn);
        if spec.kind == Kind::Express {
            return Err(SfnError::StateMachineTypeNotSupported {
                message: "This operation is not supported by this type of state machine".into(),
            });
        }
        // Newest first, as AWS lists them.
        let matching: Vec<Entry<'_>> = self
            .order
            .iter()
            .rev()
            .filter_map(|arn| {
                self.runs
                    .get(arn)
                    .map(Entry::Live)
                    .or_else(|| self.stored.get(arn).map(Entry::Stored))
            })
            .filter(|e| e.machine_arn() == spec.arn)
            .filter(|e| {
                let (version, alias) = e.qualified();
                qualified
                    .is_none_or(|q| version.as_deref() == Some(q) || alias.as_deref() == Some(q))
            })
            .filter(|e| filter.is_none_or(|f| e.status_name() == f))
            .filter(|e| redriven.is_none_or(|r| (e.redrive().0 > 0) == r))
            .collect();
        let listing = format!(
            "executions:{machine_arn}:{}:{redriven:?}",
            filter.unwrap_or("")
        );
        let (items, next) = page(&matching, &listing, m.string("nextToken")?, max)?;
        let listed: Vec<Value> = items.iter().map(Entry::summary).collect();
        let mut out = Map::new();
        out.insert("executions".into(), Value::Array(listed));
        if let Some(next) = next {
            out.insert("nextToken".into(), json!(next));
        }
        Ok(Value::Object(out))
    }

    pub(crate) fn get_execution_history(&self, m: Members<'_>) -> Result<Value, SfnError> {
        let arn_text = m.required("executionArn")?;
        let max = m.max_results(100)?;
        let reverse = m.flag("reverseOrder")?;
        let include = match m.0.get("includeExecutionData") {
            None | Some(Value::Null) => true,
            Some(_) => m.flag("includeExecutionData")?,
        };
        let listing = format!("history:{arn_text}:{reverse}");
        let token = m.string("nextToken")?;
        let (rendered, next) = match self.entry(arn_text)? {
            Entry::Live(run) if !run.prior.events.is_empty() => {
                let mut events = run.history_values(include);
                if reverse {
                    events.reverse();
                }
                let (items, next) = page(&events, &listing, token, max)?;
                (items.to_vec(), next)
            }
            Entry::Live(run) => {
                let mut events: Vec<&statebox_asl::HistoryEvent> =
                    run.execution.history().iter().collect();
                if reverse {
                    events.reverse();
                }
                let (items, next) = page(&events, &listing, token, max)?;
                (
                    items.iter().map(|e| wire::event(e, include)).collect(),
                    next,
                )
            }
            Entry::Stored(stored) => {
                let mut events: Vec<&Value> = stored.end.history.iter().collect();
                if reverse {
                    events.reverse();
                }
                let (items, next) = page(&events, &listing, token, max)?;
                let rendered: Vec<Value> = items
                    .iter()
                    .map(|e| {
                        let mut e = Value::clone(e);
                        if !include {
                            wire::strip_data(&mut e);
                        }
                        e
                    })
                    .collect();
                (rendered, next)
            }
        };
        let mut out = Map::new();
        out.insert("events".into(), Value::Array(rendered));
        if let Some(next) = next {
            out.insert("nextToken".into(), json!(next));
        }
        Ok(Value::Object(out))
    }

    pub(crate) fn stop_execution(&mut self, m: Members<'_>) -> Result<Value, SfnError> {
        let arn_text = m.required("executionArn")?;
        let (error, cause) = error_and_cause(&m)?;
        if let Entry::Stored(stored) = self.entry(arn_text)? {
            return Ok(json!({"stopDate": timestamp(stored.end.stop_millis)}));
        }
        let Some(run) = self.runs.get_mut(arn_text) else {
            return Err(SfnError::ExecutionDoesNotExist {
                arn: arn_text.into(),
            });
        };
        let stop = if run.execution.status() == &ExecutionStatus::Running {
            run.execution.stop(error, cause);
            run.stop_millis = Some(run.execution.now_millis());
            self.active.remove(arn_text);
            let stop = run.stop_millis.unwrap_or(run.start_millis);
            if self.records.is_some() {
                if let Some(record) = self.runs.get(arn_text).map(ended_record) {
                    self.record(|_| record);
                }
            }
            stop
        } else {
            run.stop_millis.unwrap_or(run.start_millis)
        };
        Ok(json!({"stopDate": timestamp(stop)}))
    }

    pub(crate) fn describe_machine_for_execution(&self, m: Members<'_>) -> Result<Value, SfnError> {
        let s = match self.entry(m.required("executionArn")?)? {
            Entry::Live(run) => &run.spec,
            Entry::Stored(stored) => &stored.spec,
        };
        let mut out = json!({
            "stateMachineArn": s.arn,
            "name": s.name,
            "definition": s.definition,
            "roleArn": s.role_arn,
            "updateDate": timestamp(s.updated_millis),
            "loggingConfiguration": s.logging,
            "tracingConfiguration": s.tracing,
        });
        if let (Some(rev), Value::Object(o)) = (&s.revision_id, &mut out) {
            o.insert("revisionId".into(), json!(rev));
        }
        Ok(out)
    }

    /// StartSyncExecution's answer once `arn` has ended (the run is then dropped); `None`
    /// while it runs.
    pub fn take_sync_result(&mut self, arn: &str, include_data: bool) -> Option<Value> {
        let run = self.runs.get(arn)?;
        if run.execution.status() == &ExecutionStatus::Running {
            return None;
        }
        let result = run.sync_result(include_data);
        self.runs.remove(arn);
        Some(result)
    }
}

/// DescribeExecution of an execution brought back from the log.
fn describe_stored(stored: &StoredRun, include: bool) -> Value {
    let (start, end) = (&stored.start, &stored.end);
    let mut out = Map::new();
    out.insert("executionArn".into(), json!(start.arn));
    out.insert("stateMachineArn".into(), json!(stored.spec.arn));
    out.insert("name".into(), json!(start.name));
    out.insert("startDate".into(), timestamp(start.start_millis));
    if include {
        out.insert("input".into(), json!(start.input));
    }
    out.insert("inputDetails".into(), json!({"included": include}));
    if let Some(t) = &start.trace_header {
        out.insert("traceHeader".into(), json!(t));
    }
    out.insert("status".into(), json!(end.status));
    out.insert("stopDate".into(), timestamp(end.stop_millis));
    if let Some(output) = &end.output {
        if include {
            out.insert("output".into(), json!(output));
        }
        out.insert("outputDetails".into(), json!({"included": include}));
    }
    if let Some(e) = &end.error {
        out.insert("error".into(), json!(e));
    }
    if let Some(c) = &end.cause {
        out.insert("cause".into(), json!(c));
    }
    put_qualified(&mut out, &start.version_arn, &start.alias_arn);
    put_redrive(&mut out, &end.status, end.redrive_count, end.redrive_millis);
    Value::Object(out)
}

/// `stateMachineVersionArn` and `stateMachineAliasArn`, when the execution had them.
fn put_qualified(out: &mut Map<String, Value>, version: &Option<String>, alias: &Option<String>) {
    if let Some(v) = version {
        out.insert("stateMachineVersionArn".into(), json!(v));
    }
    if let Some(a) = alias {
        out.insert("stateMachineAliasArn".into(), json!(a));
    }
}

/// `redriveCount`, `redriveDate`, `redriveStatus` and its reason.
fn put_redrive(out: &mut Map<String, Value>, status: &str, count: u32, at: Option<i64>) {
    out.insert("redriveCount".into(), json!(count));
    if let Some(at) = at {
        out.insert("redriveDate".into(), timestamp(at));
    }
    if matches!(status, "FAILED" | "ABORTED" | "TIMED_OUT") {
        out.insert("redriveStatus".into(), json!("REDRIVABLE"));
    } else {
        out.insert("redriveStatus".into(), json!("NOT_REDRIVABLE"));
        out.insert(
            "redriveStatusReason".into(),
            json!(format!("Execution is {status} and cannot be redriven")),
        );
    }
}
