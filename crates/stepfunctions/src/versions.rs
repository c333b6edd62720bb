//! Versions and aliases: PublishStateMachineVersion (and `publish` on create and update),
//! ListStateMachineVersions, DeleteStateMachineVersion, Create/Describe/Update/Delete/
//! ListStateMachineAliases, and what a qualified ARN (`:<version>` or `:<alias>`) starts.
//!
//! A version is the machine as it was when published, numbered from 1, numbers never
//! reused; publishing with nothing changed since the last version answers that version.
//! An alias routes executions to one or two versions by weight (percent), drawn from the
//! endpoint's seeded generator.

use crate::arn::{self, Qualifier};
use crate::error::SfnError;
use crate::machines::{Alias, Spec, Version};
use crate::paging::page;
use crate::request::{check_length, Members};
use crate::wire::timestamp;
use crate::StepFunctions;
use serde_json::{json, Map, Value};
use statebox_asl::limits::is_valid_name;
use std::sync::Arc;

/// What a (possibly qualified) state machine ARN runs.
pub struct Target {
    pub spec: Arc<Spec>,
    pub version_arn: Option<String>,
    pub alias_arn: Option<String>,
}

fn version_missing(arn: &str) -> SfnError {
    SfnError::StateMachineDoesNotExist { arn: arn.into() }
}

fn alias_missing(arn: &str) -> SfnError {
    SfnError::ResourceNotFound { arn: arn.into() }
}

impl StepFunctions {
    /// Publishes the machine `arn` as it is now (or answers the last version if it is the
    /// same); returns the version's ARN.
    pub(crate) fn publish(
        &mut self,
        arn: &str,
        description: Option<&str>,
        now: i64,
    ) -> Result<String, SfnError> {
        if let Some(d) = description {
            check_length("description", d, 256)?;
        }
        let place = self.config.place.clone();
        let machine = self
            .machines
            .get_mut(arn)
            .ok_or_else(|| SfnError::StateMachineDoesNotExist { arn: arn.into() })?;
        let same = machine.versions.iter().next_back().filter(|(_, v)| {
            v.spec.definition == machine.spec.definition && v.spec.role_arn == machine.spec.role_arn
        });
        if let Some((n, _)) = same {
            return Ok(place.version(&machine.spec.name, *n));
        }
        machine.last_version += 1;
        let n = machine.last_version;
        machine.versions.insert(
            n,
            Version {
                spec: machine.spec.clone(),
                created_millis: now,
                description: description.map(String::from),
            },
        );
        Ok(place.version(&machine.spec.name, n))
    }

    pub(crate) fn publish_version(&mut self, m: Members<'_>, now: i64) -> Result<Value, SfnError> {
        let arn = self
            .machine(m.required("stateMachineArn")?)?
            .spec
            .arn
            .clone();
        if let Some(revision) = m.string("revisionId")? {
            let current = self
                .machines
                .get(&arn)
                .and_then(|x| x.spec.revision_id.clone());
            if current.as_deref().unwrap_or("INITIAL") != revision {
                return Err(SfnError::Conflict {
                    message: format!(
                        "Failed to publish the State Machine version for revision {revision}. \
                         The current State Machine revision is {}.",
                        current.as_deref().unwrap_or("INITIAL")
                    ),
                });
            }
        }
        let version = self.publish(&arn, m.string("description")?, now)?;
        self.record_machine(&arn);
        let created = self.version_of(&version)?.1.created_millis;
        Ok(json!({"stateMachineVersionArn": version, "creationDate": timestamp(created)}))
    }

    /// The version a version ARN names.
    fn version_of(&self, arn_text: &str) -> Result<(String, &Version), SfnError> {
        let read = arn::machine(arn_text)?;
        let Some(Qualifier::Version(n)) = read.qualifier else {
            return Err(SfnError::InvalidArn {
                reason: format!("Invalid Arn: not a state machine version ARN: {arn_text}"),
            });
        };
        let version = self
            .machines
            .get(&read.arn)
            .and_then(|machine| machine.versions.get(&n))
            .ok_or_else(|| version_missing(arn_text))?;
        Ok((read.arn, version))
    }

    pub(crate) fn describe_version(&self, arn_text: &str) -> Result<Value, SfnError> {
        let (_, version) = self.version_of(arn_text)?;
        let s = &version.spec;
        let mut out = json!({
            "stateMachineArn": arn_text,
            "name": s.name,
            "status": "ACTIVE",
            "definition": s.definition,
            "roleArn": s.role_arn,
            "type": s.kind.name(),
            "creationDate": timestamp(version.created_millis),
            "loggingConfiguration": s.logging,
            "tracingConfiguration": s.tracing,
        });
        if let Value::Object(o) = &mut out {
            if let Some(rev) = &s.revision_id {
                o.insert("revisionId".into(), json!(rev));
            }
            if let Some(d) = &version.description {
                o.insert("description".into(), json!(d));
            }
        }
        Ok(out)
    }

    pub(crate) fn list_versions(&self, m: Members<'_>) -> Result<Value, SfnError> {
        let max = m.max_results(100)?;
        let machine = self.machine(m.required("stateMachineArn")?)?;
        let place = &self.config.place;
        let newest_first: Vec<Value> = machine
            .versions
            .iter()
            .rev()
            .map(|(n, v)| {
                json!({
                    "stateMachineVersionArn": place.version(&machine.spec.name, *n),
                    "creationDate": timestamp(v.created_millis),
                })
            })
            .collect();
        let listing = format!("versions:{}", machine.spec.arn);
        let (items, next) = page(&newest_first, &listing, m.string("nextToken")?, max)?;
        let mut out = Map::new();
        out.insert("stateMachineVersions".into(), Value::Array(items.to_vec()));
        if let Some(next) = next {
            out.insert("nextToken".into(), json!(next));
        }
        Ok(Value::Object(out))
    }

    pub(crate) fn delete_version(&mut self, m: Members<'_>) -> Result<Value, SfnError> {
        let arn_text = m.required("stateMachineVersionArn")?;
        let read = arn::machine(arn_text)?;
        let Some(Qualifier::Version(n)) = read.qualifier else {
            return Err(SfnError::InvalidArn {
                reason: format!("Invalid Arn: not a state machine version ARN: {arn_text}"),
            });
        };
        let place = self.config.place.clone();
        let Some(machine) = self.machines.get_mut(&read.arn) else {
            return Ok(json!({}));
        };
        let routing: Vec<String> = machine
            .aliases
            .values()
            .filter(|a| a.routing.iter().any(|(v, _)| *v == n))
            .map(|a| place.alias(&machine.spec.name, &a.name))
            .collect();
        if !routing.is_empty() {
            return Err(SfnError::Conflict {
                message: format!(
                    "Version to be deleted must not be referenced by an alias. Current list of \
                     aliases referencing this version: [{}]",
                    routing.join(", ")
                ),
            });
        }
        if machine.versions.remove(&n).is_some() {
            self.record_machine(&read.arn);
        }
        Ok(json!({}))
    }

    /// Reads `routingConfiguration`: one or two versions of one machine, weights adding up
    /// to 100; returns the machine's ARN and the routes.
    fn routing(&self, m: &Members<'_>) -> Result<(String, Vec<(u32, u32)>), SfnError> {
        let items = m.list("routingConfiguration")?;
        if items.is_empty() || items.len() > 2 {
            return Err(SfnError::constraint(
                "routingConfiguration",
                items.len(),
                "Member must have length less than or equal to 2 and greater than or equal to 1",
            ));
        }
        let mut machine_arn: Option<String> = None;
        let mut routes = Vec::new();
        for item in items {
            let item = Members(item);
            let version_arn = item.required("stateMachineVersionArn")?;
            let weight = item
                .0
                .get("weight")
                .and_then(Value::as_u64)
                .ok_or_else(|| SfnError::missing("weight"))?;
            let (arn, _) = self.version_of(version_arn).map_err(|e| match e {
                SfnError::StateMachineDoesNotExist { arn } => SfnError::ResourceNotFound { arn },
                other => other,
            })?;
            if machine_arn.as_ref().is_some_and(|m| *m != arn) {
                return Err(SfnError::Validation {
                    message:
                        "Routing configuration must contain versions of the same state machine"
                            .into(),
                });
            }
            let Some(Qualifier::Version(n)) = arn::machine(version_arn)?.qualifier else {
                continue;
            };
            if routes.iter().any(|(v, _)| *v == n) {
                return Err(SfnError::Validation {
                    message: "Routing configuration must contain distinct state machine versions"
                        .into(),
                });
            }
            routes.push((n, u32::try_from(weight.min(100)).unwrap_or(100)));
            machine_arn = Some(arn);
        }
        if routes.iter().map(|(_, w)| w).sum::<u32>() != 100 {
            return Err(SfnError::Validation {
                message: "Sum of routing configuration weights must be equal to 100".into(),
            });
        }
        let arn = machine_arn.ok_or_else(|| SfnError::missing("routingConfiguration"))?;
        Ok((arn, routes))
    }

    fn routing_json(&self, machine: &str, routes: &[(u32, u32)]) -> Value {
        Value::Array(
            routes
                .iter()
                .map(|(v, w)| json!({"stateMachineVersionArn": self.config.place.version(machine, *v), "weight": w}))
                .collect(),
        )
    }

    pub(crate) fn create_alias(&mut self, m: Members<'_>, now: i64) -> Result<Value, SfnError> {
        let name = m.required("name")?;
        check_length("name", name, 80)?;
        if !is_valid_name(name) || name.parse::<u32>().is_ok() {
            return Err(SfnError::InvalidName { name: name.into() });
        }
        let description = m.string("description")?.map(String::from);
        let (machine_arn, routing) = self.routing(&m)?;
        let place = self.config.place.clone();
        let Some(machine) = self.machines.get_mut(&machine_arn) else {
            return Err(SfnError::ResourceNotFound { arn: machine_arn });
        };
        let alias_arn = place.alias(&machine.spec.name, name);
        if let Some(existing) = machine.aliases.get(name) {
            if existing.routing == routing && existing.description == description {
                return Ok(
                    json!({"stateMachineAliasArn": alias_arn, "creationDate": timestamp(existing.created_millis)}),
                );
            }
            return Err(SfnError::Conflict {
                message: format!("Failed to create alias because an alias with the same name and a different routing configuration already exists: {alias_arn}"),
            });
        }
        machine.aliases.insert(
            name.into(),
            Alias {
                name: name.into(),
                description,
                routing,
                created_millis: now,
                updated_millis: now,
            },
        );
        self.record_machine(&machine_arn);
        Ok(json!({"stateMachineAliasArn": alias_arn, "creationDate": timestamp(now)}))
    }

    /// The machine ARN and alias an alias ARN names.
    fn alias_of(&self, arn_text: &str) -> Result<(String, &Alias), SfnError> {
        let read = arn::machine(arn_text)?;
        let Some(Qualifier::Alias(name)) = read.qualifier else {
            return Err(SfnError::InvalidArn {
                reason: format!("Invalid Arn: not a state machine alias ARN: {arn_text}"),
            });
        };
        let alias = self
            .machines
            .get(&read.arn)
            .and_then(|machine| machine.aliases.get(&name))
            .ok_or_else(|| alias_missing(arn_text))?;
        Ok((read.name, alias))
    }

    pub(crate) fn describe_alias(&self, m: Members<'_>) -> Result<Value, SfnError> {
        let arn_text = m.required("stateMachineAliasArn")?;
        let (machine, alias) = self.alias_of(arn_text)?;
        let mut out = json!({
            "stateMachineAliasArn": arn_text,
            "name": alias.name,
            "routingConfiguration": self.routing_json(&machine, &alias.routing),
            "creationDate": timestamp(alias.created_millis),
            "updateDate": timestamp(alias.updated_millis),
        });
        if let (Some(d), Value::Object(o)) = (&alias.description, &mut out) {
            o.insert("description".into(), json!(d));
        }
        Ok(out)
    }

    pub(crate) fn update_alias(&mut self, m: Members<'_>, now: i64) -> Result<Value, SfnError> {
        let arn_text = m.required("stateMachineAliasArn")?;
        self.alias_of(arn_text)?;
        let description = m.string("description")?.map(String::from);
        let routing = if m.list("routingConfiguration")?.is_empty() {
            None
        } else {
            Some(self.routing(&m)?)
        };
        if description.is_none() && routing.is_none() {
            return Err(SfnError::Validation {
                message: "Either the description or the RoutingConfiguration must be specified"
                    .into(),
            });
        }
        let read = arn::machine(arn_text)?;
        if let Some((machine_arn, _)) = &routing {
            if *machine_arn != read.arn {
                return Err(SfnError::Validation {
                    message:
                        "Routing configuration must contain versions of the alias's state machine"
                            .into(),
                });
            }
        }
        let Some(Qualifier::Alias(name)) = read.qualifier else {
            return Err(alias_missing(arn_text));
        };
        let alias = self
            .machines
            .get_mut(&read.arn)
            .and_then(|machine| machine.aliases.get_mut(&name))
            .ok_or_else(|| alias_missing(arn_text))?;
        if let Some(d) = description {
            alias.description = Some(d);
        }
        if let Some((_, routes)) = routing {
            alias.routing = routes;
        }
        alias.updated_millis = now;
        self.record_machine(&read.arn);
        Ok(json!({"updateDate": timestamp(now)}))
    }

    pub(crate) fn delete_alias(&mut self, m: Members<'_>) -> Result<Value, SfnError> {
        let arn_text = m.required("stateMachineAliasArn")?;
        let read = arn::machine(arn_text)?;
        let Some(Qualifier::Alias(name)) = read.qualifier else {
            return Err(SfnError::InvalidArn {
                reason: format!("Invalid Arn: not a state machine alias ARN: {arn_text}"),
            });
        };
        let removed = self
            .machines
            .get_mut(&read.arn)
            .and_then(|machine| machine.aliases.remove(&name));
        if removed.is_some() {
            self.record_machine(&read.arn);
        }
        Ok(json!({}))
    }

    pub(crate) fn list_aliases(&self, m: Members<'_>) -> Result<Value, SfnError> {
        let max = m.max_results(100)?;
        let machine = self.machine(m.required("stateMachineArn")?)?;
        let listed: Vec<Value> = machine
            .aliases
            .values()
            .map(|a| {
                json!({
                    "stateMachineAliasArn": self.config.place.alias(&machine.spec.name, &a.name),
                    "creationDate": timestamp(a.created_millis),
                })
            })
            .collect();
        let listing = format!("aliases:{}", machine.spec.arn);
        let (items, next) = page(&listed, &listing, m.string("nextToken")?, max)?;
        let mut out = Map::new();
        out.insert("stateMachineAliases".into(), Value::Array(items.to_vec()));
        if let Some(next) = next {
            out.insert("nextToken".into(), json!(next));
        }
        Ok(Value::Object(out))
    }

    /// What a state machine, version or alias ARN runs (an alias draws its version by
    /// weight).
    pub(crate) fn resolve(&mut self, arn_text: &str) -> Result<Target, SfnError> {
        let read = arn::machine(arn_text)?;
        let plain = match read.test_case {
            Some(_) => arn_text.split('#').next().unwrap_or(arn_text),
            None => arn_text,
        };
        let machine = self
            .machines
            .get(&read.arn)
            .ok_or_else(|| SfnError::StateMachineDoesNotExist { arn: plain.into() })?;
        match &read.qualifier {
            None => Ok(Target {
                spec: machine.spec.clone(),
                version_arn: None,
                alias_arn: None,
            }),
            Some(Qualifier::Version(n)) => {
                let version = machine
                    .versions
                    .get(n)
                    .ok_or_else(|| version_missing(plain))?;
                Ok(Target {
                    spec: version.spec.clone(),
                    version_arn: Some(plain.into()),
                    alias_arn: None,
                })
            }
            Some(Qualifier::Alias(name)) => {
                let alias = machine
                    .aliases
                    .get(name)
                    .ok_or_else(|| alias_missing(plain))?;
                let routes = alias.routing.clone();
                let machine_name = machine.spec.name.clone();
                let draw = (self.next_seed() % 100) as u32;
                let mut chosen = routes.first().map(|(v, _)| *v).unwrap_or(0);
                let mut bound = 0;
                for (v, w) in &routes {
                    bound += w;
                    if draw < bound {
                        chosen = *v;
                        break;
                    }
                }
                let machine = self
                    .machines
                    .get(&read.arn)
                    .ok_or_else(|| SfnError::StateMachineDoesNotExist { arn: plain.into() })?;
                let version = machine.versions.get(&chosen).ok_or_else(|| {
                    version_missing(&self.config.place.version(&machine_name, chosen))
                })?;
                Ok(Target {
                    spec: version.spec.clone(),
                    version_arn: Some(self.config.place.version(&machine_name, chosen)),
                    alias_arn: Some(plain.into()),
                })
            }
        }
    }
}
