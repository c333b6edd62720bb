//! ExpressionAttributeNames (`#n`) and ExpressionAttributeValues (`:v`): the request's
//! maps, checked as AWS checks them, with a record of which entries the expressions used
//! so that unused ones can be reported (`... unused in expressions: keys: {:x}`).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::parse::validation;
use crate::error::DynamoError;
use crate::types::AttributeValue;

/// The names and values of one request, shared by all its expressions.
#[derive(Debug, Clone, Default)]
pub struct ExpressionContext {
    names: BTreeMap<String, String>,
    name_order: Vec<String>,
    values: BTreeMap<String, AttributeValue>,
    value_order: Vec<String>,
    used_names: BTreeSet<String>,
    used_values: BTreeSet<String>,
}

fn valid_key(key: &str, sigil: char) -> bool {
    let mut chars = key.chars();
    chars.next() == Some(sigil)
        && key.len() > 1
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl ExpressionContext {
    /// Reads `ExpressionAttributeNames` and `ExpressionAttributeValues` (either may be
    /// absent), with AWS's messages for empty maps, malformed keys and invalid values.
    pub fn new(names: Option<&Value>, values: Option<&Value>) -> Result<Self, DynamoError> {
        let mut ctx = ExpressionContext::default();
        if let Some(names) = names {
            // JSON type errors are the request's shape: SerializationException.
            let map = crate::request::as_map(names)?;
            for value in map.values() {
                crate::request::as_str(value)?;
            }
            if map.is_empty() {
                return Err(validation("ExpressionAttributeNames must not be empty"));
            }
            for (key, value) in map {
                if !valid_key(key, '#') {
                    return Err(validation(format!(
                        "ExpressionAttributeNames contains invalid key: Syntax error; key: \"{key}\""
                    )));
                }
                let value = crate::request::as_str(value)?;
                if value.is_empty() {
                    return Err(validation(format!(
                        "ExpressionAttributeNames contains invalid value: Empty attribute name for key {key}"
                    )));
                }
                crate::types::check_attribute_name(value)?;
                ctx.names.insert(key.clone(), value.to_string());
                ctx.name_order.push(key.clone());
            }
        }
        if let Some(values) = values {
            let map = crate::request::as_map(values)?;
            if map.is_empty() {
                return Err(validation("ExpressionAttributeValues must not be empty"));
            }
            for (key, value) in map {
                if !valid_key(key, ':') {
                    return Err(validation(format!(
                        "ExpressionAttributeValues contains invalid key: Syntax error; key: \"{key}\""
                    )));
                }
                let value = AttributeValue::from_json(value).map_err(|e| {
                    if e.type_name == "SerializationException" {
                        return e;
                    }
                    validation(format!(
                        "ExpressionAttributeValues contains invalid value: {} for key {key}",
                        e.message
                    ))
                })?;
                ctx.values.insert(key.clone(), value);
                ctx.value_order.push(key.clone());
            }
        }
        Ok(ctx)
    }

    /// A context built from already-decoded maps (PartiQL and tests).
    pub fn from_maps(names: Vec<(String, String)>, values: Vec<(String, AttributeValue)>) -> Self {
        let mut ctx = ExpressionContext::default();
        for (k, v) in names {
            ctx.name_order.push(k.clone());
            ctx.names.insert(k, v);
        }
        for (k, v) in values {
            ctx.value_order.push(k.clone());
            ctx.values.insert(k, v);
        }
        ctx
    }

    /// The attribute name `#n` stands for, marking it used.
    pub fn name(&mut self, key: &str) -> Option<String> {
        let found = self.names.get(key).cloned();
        if found.is_some() {
            self.used_names.insert(key.to_string());
        }
        found
    }

    /// The value `:v` stands for, marking it used.
    pub fn value(&mut self, key: &str) -> Option<AttributeValue> {
        let found = self.values.get(key).cloned();
        if found.is_some() {
            self.used_values.insert(key.to_string());
        }
        found
    }

    /// Whether any names or values were supplied.
    pub fn has_names(&self) -> bool {
        !self.names.is_empty()
    }

    /// Whether any values were supplied.
    pub fn has_values(&self) -> bool {
        !self.values.is_empty()
    }

    /// AWS's error when a supplied name or value was used by no expression; call after
    /// parsing every expression of the request.
    pub fn check_all_used(&self) -> Result<(), DynamoError> {
        let unused: Vec<&str> = self
            .name_order
            .iter()
            .filter(|k| !self.used_names.contains(*k))
            .map(String::as_str)
            .collect();
        if !unused.is_empty() {
            return Err(validation(format!(
                "Value provided in ExpressionAttributeNames unused in expressions: keys: {{{}}}",
                unused.join(", ")
            )));
        }
        let unused: Vec<&str> = self
            .value_order
            .iter()
            .filter(|k| !self.used_values.contains(*k))
            .map(String::as_str)
            .collect();
        if !unused.is_empty() {
            return Err(validation(format!(
                "Value provided in ExpressionAttributeValues unused in expressions: keys: {{{}}}",
                unused.join(", ")
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(names: Option<Value>, values: Option<Value>) -> String {
        ExpressionContext::new(names.as_ref(), values.as_ref())
            .err()
            .map(|e| e.message)
            .unwrap_or_default()
    }

    #[test]
    fn rejects_malformed_maps() {
        assert_eq!(
            err(Some(json!({})), None),
            "ExpressionAttributeNames must not be empty"
        );
        assert_eq!(
            err(Some(json!({"a": "a"})), None),
            "ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\""
        );
        assert_eq!(
            err(None, Some(json!({}))),
            "ExpressionAttributeValues must not be empty"
        );
        assert_eq!(
            err(None, Some(json!({"b": {"S": "a"}}))),
            "ExpressionAttributeValues contains invalid key: Syntax error; key: \"b\""
        );
    }

    #[test]
    fn reports_unused_entries_in_request_order() {
        let names = json!({"#b": "b", "#a": "a"});
        let values = json!({":x": {"S": "1"}, ":y": {"N": "1"}});
        let mut ctx = ExpressionContext::new(Some(&names), Some(&values)).expect("valid");
        assert_eq!(
            ctx.check_all_used()
                .err()
                .map(|e| e.message)
                .unwrap_or_default(),
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b, #a}"
        );
        ctx.name("#a");
        ctx.name("#b");
        ctx.value(":y");
        assert_eq!(
            ctx.check_all_used()
                .err()
                .map(|e| e.message)
                .unwrap_or_default(),
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}"
        );
        ctx.value(":x");
        assert!(ctx.check_all_used().is_ok());
    }
}
