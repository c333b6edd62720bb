//! State machines: CreateStateMachine, DescribeStateMachine, UpdateStateMachine,
//! DeleteStateMachine, ListStateMachines, ValidateStateMachineDefinition and tags.
//!
//! A definition is checked by the interpreter's validator; any diagnostic refuses it with
//! `InvalidDefinition` listing them all. Creating a machine that exists with the same
//! definition, role and type answers the existing one, as AWS does; anything else is
//! `StateMachineAlreadyExists`.

use crate::arn;
use crate::error::SfnError;
use crate::paging::page;
use crate::persist::{machine_record, Record};
use crate::request::{check_length, Members};
use crate::wire::timestamp;
use crate::StepFunctions;
use serde_json::{json, Map, Value};
use statebox_asl::{limits::is_valid_name, parse_definition, StateMachine};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Longest definition AWS accepts (characters).
pub const MAX_DEFINITION_LENGTH: usize = 1_048_576;
/// Most tags on one resource.
pub const MAX_TAGS: usize = 50;

/// STANDARD or EXPRESS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Standard,
    Express,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Standard => "STANDARD",
            Kind::Express => "EXPRESS",
        }
    }

    fn read(value: Option<&str>) -> Result<Kind, SfnError> {
        match value {
            None | Some("STANDARD") => Ok(Kind::Standard),
            Some("EXPRESS") => Ok(Kind::Express),
            Some(other) => Err(SfnError::constraint(
                "type",
                other,
                "Member must satisfy enum value set: [STANDARD, EXPRESS]",
            )),
        }
    }
}

/// What an execution runs: the machine as it was when the execution started.
#[derive(Debug, Clone)]
pub struct Spec {
    pub arn: String,
    pub name: String,
    pub definition: String,
    pub machine: Arc<StateMachine>,
    pub role_arn: String,
    pub kind: Kind,
    pub updated_millis: i64,
    pub revision_id: Option<String>,
    pub logging: Value,
    pub tracing: Value,
}

/// A state machine, its tags, versions and aliases.
#[derive(Debug, Clone)]
pub struct Machine {
    pub spec: Arc<Spec>,
    pub created_millis: i64,
    pub tags: Vec<(String, String)>,
    /// Published versions by number.
    pub versions: BTreeMap<u32, Version>,
    /// The last version number issued (numbers are never reused).
    pub last_version: u32,
    pub aliases: BTreeMap<String, Alias>,
}

/// A published version: the machine as it was.
#[derive(Debug, Clone)]
pub struct Version {
    pub spec: Arc<Spec>,
    pub created_millis: i64,
    pub description: Option<String>,
}

/// An alias: up to two versions with the share of executions each gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    pub name: String,
    pub description: Option<String>,
    /// (version number, weight in percent).
    pub routing: Vec<(u32, u32)>,
    pub created_millis: i64,
    pub updated_millis: i64,
}

impl Machine {
    /// A new machine with no versions, aliases or tags.
    pub fn new(spec: Spec, created_millis: i64) -> Machine {
        Machine {
            spec: Arc::new(spec),
            created_millis,
            tags: Vec::new(),
            versions: BTreeMap::new(),
            last_version: 0,
            aliases: BTreeMap::new(),
        }
    }
}

/// Parses and validates a definition: the model, or `InvalidDefinition` with every
/// diagnostic.
pub fn checked_definition(definition: &str) -> Result<StateMachine, SfnError> {
    let parsed = parse_definition(definition);
    match parsed.machine {
        Some(machine) if parsed.diagnostics.is_empty() => Ok(machine),
        _ => Err(SfnError::InvalidDefinition {
            diagnostics: parsed.diagnostics,
        }),
    }
}

fn logging_of(m: &Members<'_>) -> Result<Value, SfnError> {
    Ok(match m.object("loggingConfiguration")? {
        Some(Members(v)) => {
            let mut v = v.clone();
            if let Value::Object(o) = &mut v {
                o.entry("level").or_insert(json!("OFF"));
                o.entry("includeExecutionData").or_insert(json!(false));
            }
            v
        }
        None => json!({"level": "OFF", "includeExecutionData": false}),
    })
}

fn tracing_of(m: &Members<'_>) -> Result<Value, SfnError> {
    Ok(match m.object("tracingConfiguration")? {
        Some(Members(v)) => {
            json!({"enabled": v.get("enabled").and_then(Value::as_bool).unwrap_or(false)})
        }
        None => json!({"enabled": false}),
    })
}

fn read_tags(m: &Members<'_>) -> Result<Vec<(String, String)>, SfnError> {
    m.list("tags")?
        .iter()
        .map(|t| {
            let t = Members(t);
            Ok((
                t.string("key")?.unwrap_or_default().to_string(),
                t.string("value")?.unwrap_or_default().to_string(),
            ))
        })
        .collect()
}

fn tags_json(tags: &[(String, String)]) -> Value {
    Value::Array(
        tags.iter()
            .map(|(k, v)| json!({"key": k, "value": v}))
            .collect(),
    )
}

impl StepFunctions {
    /// The machine an unqualified ARN names.
    pub(crate) fn machine(&self, arn_text: &str) -> Result<&Machine, SfnError> {
        let read = arn::machine(arn_text)?;
        if read.qualifier.is_some() {
            return Err(SfnError::Validation {
                message: format!(
                    "This operation takes an unqualified state machine ARN, not a version or alias ARN: {arn_text}"
                ),
            });
        }
        self.machines
            .get(&read.arn)
            .ok_or(SfnError::StateMachineDoesNotExist { arn: read.arn })
    }

    pub(crate) fn create_state_machine(
        &mut self,
        m: Members<'_>,
        now: i64,
    ) -> Result<Value, SfnError> {
        let name = m.required("name")?;
        let definition = m.bounded("definition", MAX_DEFINITION_LENGTH)?;
        let role_arn = m.bounded("roleArn", 256)?;
        check_length("name", name, 80)?;
        let kind = Kind::read(m.string("type")?)?;
        if !is_valid_name(name) {
            return Err(SfnError::InvalidName { name: name.into() });
        }
        let machine = checked_definition(definition)?;
        let logging = logging_of(&m)?;
        let tracing = tracing_of(&m)?;
        let tags = read_tags(&m)?;
        if tags.len() > MAX_TAGS {
            return Err(SfnError::TooManyTags {
                arn: self.config.place.state_machine(name),
            });
        }
        let arn = self.config.place.state_machine(name);
        if let Some(existing) = self.machines.get(&arn) {
            let s = &existing.spec;
            if s.definition == definition && s.role_arn == role_arn && s.kind == kind {
                return Ok(
                    json!({"stateMachineArn": arn, "creationDate": timestamp(existing.created_millis)}),
                );
            }
            return Err(SfnError::StateMachineAlreadyExists { arn });
        }
        let spec = Spec {
            arn: arn.clone(),
            name: name.into(),
            definition: definition.into(),
            machine: Arc::new(machine),
            role_arn: role_arn.into(),
            kind,
            updated_millis: now,
            revision_id: None,
            logging,
            tracing,
        };
        let mut machine = Machine::new(spec, now);
        machine.tags = tags;
        self.machines.insert(arn.clone(), machine);
        let mut out = json!({"stateMachineArn": arn, "creationDate": timestamp(now)});
        if m.flag("publish")? {
            let version = self.publish(&arn, m.string("versionDescription")?, now)?;
            out["stateMachineVersionArn"] = json!(version);
        }
        self.record_machine(&arn);
        Ok(out)
    }

    pub(crate) fn describe_state_machine(&self, m: Members<'_>) -> Result<Value, SfnError> {
        let arn_text = m.required("stateMachineArn")?;
        if let Some(arn::Qualifier::Version(_)) = arn::machine(arn_text)?.qualifier {
            return self.describe_version(arn_text);
        }
        let machine = self.machine(arn_text)?;
        let s = &machine.spec;
        let mut out = json!({
            "stateMachineArn": s.arn,
            "name": s.name,
            "status": "ACTIVE",
            "definition": s.definition,
            "roleArn": s.role_arn,
            "type": s.kind.name(),
            "creationDate": timestamp(machine.created_millis),
            "loggingConfiguration": s.logging,
            "tracingConfiguration": s.tracing,
        });
        if let (Some(rev), Value::Object(o)) = (&s.revision_id, &mut out) {
            o.insert("revisionId".into(), json!(rev));
        }
        Ok(out)
    }

    pub(crate) fn update_state_machine(
        &mut self,
        m: Members<'_>,
        now: i64,
    ) -> Result<Value, SfnError> {
        let arn_text = m.required("stateMachineArn")?;
        let definition = m.string("definition")?;
        let role_arn = m.string("roleArn")?;
        if let Some(d) = definition {
            check_length("definition", d, MAX_DEFINITION_LENGTH)?;
        }
        let logging = m.object("loggingConfiguration")?.is_some();
        let tracing = m.object("tracingConfiguration")?.is_some();
        if definition.is_none() && role_arn.is_none() && !logging && !tracing {
            return Err(SfnError::MissingRequiredParameter {
                message: "Either the definition, the role ARN, the LoggingConfiguration, \
                          or the TracingConfiguration must be specified"
                    .into(),
            });
        }
        let arn = self.machine(arn_text)?.spec.arn.clone();
        let parsed = definition.map(checked_definition).transpose()?;
        let revision = self.new_id();
        let new_logging = if logging { Some(logging_of(&m)?) } else { None };
        let new_tracing = if tracing { Some(tracing_of(&m)?) } else { None };
        let Some(machine) = self.machines.get_mut(&arn) else {
            return Err(SfnError::StateMachineDoesNotExist { arn });
        };
        let mut spec = Spec::clone(&machine.spec);
        if let (Some(text), Some(model)) = (definition, parsed) {
            spec.definition = text.into();
            spec.machine = Arc::new(model);
        }
        if let Some(role) = role_arn {
            spec.role_arn = role.into();
        }
        if let Some(l) = new_logging {
            spec.logging = l;
        }
        if let Some(t) = new_tracing {
            spec.tracing = t;
        }
        spec.updated_millis = now;
        spec.revision_id = Some(revision.clone());
        machine.spec = Arc::new(spec);
        let mut out = json!({"updateDate": timestamp(now), "revisionId": revision});
        if m.flag("publish")? {
            let version = self.publish(&arn, m.string("versionDescription")?, now)?;
            out["stateMachineVersionArn"] = json!(version);
        }
        self.record_machine(&arn);
        Ok(out)
    }

    pub(crate) fn delete_state_machine(&mut self, m: Members<'_>) -> Result<Value, SfnError> {
        let read = arn::machine(m.required("stateMachineArn")?)?;
        // Deleting a machine that does not exist succeeds, as on AWS.
        if self.machines.remove(&read.arn).is_some() {
            self.record(|_| Record::Deleted {
                arn: read.arn.clone(),
            });
        }
        Ok(json!({}))
    }

    pub(crate) fn list_state_machines(&self, m: Members<'_>) -> Result<Value, SfnError> {
        let max = m.max_results(100)?;
        let mut all: Vec<&Machine> = self.machines.values().collect();
        all.sort_by(|a, b| a.spec.name.cmp(&b.spec.name));
        let (items, next) = page(&all, "stateMachines", m.string("nextToken")?, max)?;
        let listed: Vec<Value> = items
            .iter()
            .map(|machine| {
                json!({
                    "stateMachineArn": machine.spec.arn,
                    "name": machine.spec.name,
                    "type": machine.spec.kind.name(),
                    "creationDate": timestamp(machine.created_millis),
                })
            })
            .collect();
        let mut out = Map::new();
        out.insert("stateMachines".into(), Value::Array(listed));
        if let Some(next) = next {
            out.insert("nextToken".into(), json!(next));
        }
        Ok(Value::Object(out))
    }

    pub(crate) fn validate_definition(&self, m: Members<'_>) -> Result<Value, SfnError> {
        let definition = m.bounded("definition", MAX_DEFINITION_LENGTH)?;
        Kind::read(m.string("type")?)?;
        let max = m.max_results(100)?;
        let diagnostics = parse_definition(definition).diagnostics;
        let listed: Vec<Value> = diagnostics
            .iter()
            .take(max)
            .map(|d| {
                json!({
                    "severity": "ERROR",
                    "code": d.code,
                    "message": d.message,
                    "location": if d.pointer.is_empty() { "/" } else { d.pointer.as_str() },
                })
            })
            .collect();
        Ok(json!({
            "result": if diagnostics.is_empty() { "OK" } else { "FAIL" },
            "diagnostics": listed,
            "truncated": diagnostics.len() > max,
        }))
    }

    /// Records the machine `arn` as it is now.
    pub(crate) fn record_machine(&mut self, arn: &str) {
        if self.records.is_none() {
            return;
        }
        if let Some(machine) = self.machines.get(arn) {
            let record = machine_record(machine);
            self.record(|_| record);
        }
    }

    fn tagged(&mut self, resource: &str) -> Result<&mut Machine, SfnError> {
        arn::taggable(resource)?;
        self.machines
            .get_mut(resource)
            .ok_or_else(|| SfnError::ResourceNotFound {
                arn: resource.into(),
            })
    }

    pub(crate) fn tag_resource(&mut self, m: Members<'_>) -> Result<Value, SfnError> {
        let resource = m.required("resourceArn")?;
        let tags = read_tags(&m)?;
        let machine = self.tagged(resource)?;
        for (key, value) in tags {
            match machine.tags.iter_mut().find(|(k, _)| *k == key) {
                Some(existing) => existing.1 = value,
                None => machine.tags.push((key, value)),
            }
        }
        if machine.tags.len() > MAX_TAGS {
            return Err(SfnError::TooManyTags {
                arn: resource.into(),
            });
        }
        self.record_machine(resource);
        Ok(json!({}))
    }

    pub(crate) fn untag_resource(&mut self, m: Members<'_>) -> Result<Value, SfnError> {
        let resource = m.required("resourceArn")?;
        let keys: Vec<&str> = m
            .list("tagKeys")?
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let machine = self.tagged(resource)?;
        machine.tags.retain(|(k, _)| !keys.contains(&k.as_str()));
        self.record_machine(resource);
        Ok(json!({}))
    }

    pub(crate) fn list_tags(&mut self, m: Members<'_>) -> Result<Value, SfnError> {
        let resource = m.required("resourceArn")?;
        let machine = self.tagged(resource)?;
        Ok(json!({"tags": tags_json(&machine.tags)}))
    }
}
