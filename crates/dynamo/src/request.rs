//! Reading a request's JSON fields with AWS's serialization errors for wrong JSON types
//! (`SerializationException`), before any semantic validation.

use serde_json::{Map, Value};

use crate::error::DynamoError;
use crate::types::{item_from_json, AttributeValue, Item};

/// How AWS names a JSON number in serialization errors.
const NUMBER_CLASS: &str = "com.amazon.coral.value.json.numbers.TruncatingBigNumber";

fn serialization(message: impl Into<String>) -> DynamoError {
    DynamoError::new("SerializationException", message)
}

/// A borrowed view of a request object.
#[derive(Clone, Copy)]
pub struct Request<'a> {
    map: Option<&'a Map<String, Value>>,
}

impl<'a> Request<'a> {
    /// Views a request body; anything but an object reads as empty.
    pub fn new(value: &'a Value) -> Self {
        Request {
            map: value.as_object(),
        }
    }

    /// The raw field, `None` when absent or JSON `null`.
    pub fn raw(&self, name: &str) -> Option<&'a Value> {
        self.map.and_then(|m| m.get(name)).filter(|v| !v.is_null())
    }

    /// Whether the field is present (and not null).
    pub fn has(&self, name: &str) -> bool {
        self.raw(name).is_some()
    }

    /// A string field.
    pub fn str(&self, name: &str) -> Result<Option<&'a str>, DynamoError> {
        match self.raw(name) {
            None => Ok(None),
            Some(v) => as_str(v).map(Some),
        }
    }

    /// A boolean field.
    pub fn bool(&self, name: &str) -> Result<Option<bool>, DynamoError> {
        match self.raw(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::String(s)) => Err(serialization(format!(
                "'{}' can not be converted to an Boolean",
                s.to_uppercase()
            ))),
            Some(Value::Number(n)) if n.is_f64() => {
                Ok(Some(n.as_f64().unwrap_or(0.0).abs() >= 1.0))
            }
            Some(Value::Number(_)) => Err(serialization(
                "class java.lang.Integer can not be converted to an Boolean",
            )),
            Some(Value::Array(_)) => Err(serialization("Start of list found where not expected")),
            Some(_) => Err(serialization(
                "Start of structure or map found where not expected.",
            )),
        }
    }

    /// An integer field.
    pub fn int(&self, name: &str) -> Result<Option<i64>, DynamoError> {
        match self.raw(name) {
            None => Ok(None),
            Some(Value::Number(n)) => {
                Ok(Some(n.as_i64().unwrap_or_else(|| {
                    n.as_f64().unwrap_or(0.0).floor() as i64
                })))
            }
            Some(Value::Bool(_)) => Err(serialization(
                "class java.lang.Boolean can not be converted to an Integer",
            )),
            Some(Value::String(_)) => Err(serialization(
                "class java.lang.String can not be converted to an Integer",
            )),
            Some(Value::Array(_)) => Err(serialization("Start of list found where not expected")),
            Some(_) => Err(serialization(
                "Start of structure or map found where not expected.",
            )),
        }
    }

    /// A list field.
    pub fn list(&self, name: &str) -> Result<Option<&'a Vec<Value>>, DynamoError> {
        match self.raw(name) {
            None => Ok(None),
            Some(v) => as_list(v).map(Some),
        }
    }

    /// A map/structure field.
    pub fn object(&self, name: &str) -> Result<Option<&'a Map<String, Value>>, DynamoError> {
        match self.raw(name) {
            None => Ok(None),
            Some(v) => as_object(v).map(Some),
        }
    }

    /// A nested structure as a request view.
    pub fn nested(&self, name: &str) -> Result<Option<Request<'a>>, DynamoError> {
        Ok(self.object(name)?.map(|m| Request { map: Some(m) }))
    }

    /// An attribute map field (`Item`, `Key`, `ExclusiveStartKey`...).
    pub fn item(&self, name: &str) -> Result<Option<Item>, DynamoError> {
        match self.raw(name) {
            None => Ok(None),
            Some(v) => item_from_json(v).map(Some),
        }
    }

    /// A list of strings (`AttributesToGet`...).
    pub fn strings(&self, name: &str) -> Result<Option<Vec<&'a str>>, DynamoError> {
        match self.list(name)? {
            None => Ok(None),
            Some(list) => list
                .iter()
                .map(as_str)
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
        }
    }

    /// A map of strings (`ExpressionAttributeNames`).
    pub fn string_map(
        &self,
        name: &str,
    ) -> Result<Option<std::collections::BTreeMap<String, String>>, DynamoError> {
        match self.object(name)? {
            None => Ok(None),
            Some(map) => {
                let mut out = std::collections::BTreeMap::new();
                for (k, v) in map {
                    out.insert(k.clone(), as_str(v)?.to_string());
                }
                Ok(Some(out))
            }
        }
    }

    /// A map of attribute values (`ExpressionAttributeValues`).
    pub fn value_map(
        &self,
        name: &str,
    ) -> Result<Option<std::collections::BTreeMap<String, AttributeValue>>, DynamoError> {
        match self.raw(name) {
            None => Ok(None),
            Some(v) => item_from_json(v).map(Some),
        }
    }
}

/// A JSON string, or AWS's serialization error.
pub fn as_str(value: &Value) -> Result<&str, DynamoError> {
    match value {
        Value::String(s) => Ok(s),
        Value::Bool(_) => Err(serialization(
            "class java.lang.Boolean can not be converted to an String",
        )),
        Value::Number(_) => Err(serialization(format!(
            "class {NUMBER_CLASS} can not be converted to an String"
        ))),
        Value::Array(_) => Err(serialization("Start of list found where not expected")),
        Value::Object(_) => Err(serialization(
            "Start of structure or map found where not expected.",
        )),
        Value::Null => Err(serialization("Expected string")),
    }
}

/// A JSON array, or AWS's serialization error.
pub fn as_list(value: &Value) -> Result<&Vec<Value>, DynamoError> {
    match value {
        Value::Array(a) => Ok(a),
        Value::Object(_) => Err(serialization(
            "Start of structure or map found where not expected.",
        )),
        _ => Err(serialization("Expected list or null")),
    }
}

/// A JSON object where the shape has a map (`ExpressionAttributeNames`...), or AWS's
/// serialization error.
pub fn as_map(value: &Value) -> Result<&Map<String, Value>, DynamoError> {
    match value {
        Value::Object(m) => Ok(m),
        Value::Array(_) => Err(serialization("Start of list found where not expected")),
        _ => Err(serialization("Expected map or null")),
    }
}

/// A JSON object, or AWS's serialization error.
pub fn as_object(value: &Value) -> Result<&Map<String, Value>, DynamoError> {
    match value {
        Value::Object(m) => Ok(m),
        Value::Array(_) => Err(serialization("Start of list found where not expected")),
        _ => Err(serialization("Expected null")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_fields() {
        let body = json!({"TableName": "t", "Limit": 5, "ConsistentRead": true, "Bad": 1});
        let r = Request::new(&body);
        assert_eq!(r.str("TableName").unwrap(), Some("t"));
        assert_eq!(r.int("Limit").unwrap(), Some(5));
        assert_eq!(r.bool("ConsistentRead").unwrap(), Some(true));
        assert_eq!(
            r.str("Bad").unwrap_err().message,
            "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String"
        );
        assert_eq!(r.str("Missing").unwrap(), None);
    }
}
