//! Requests on one item named by its key: GetItem (optional projection, consistent read),
//! UpdateItem (an update expression, an optional condition, returning the new item) and
//! DeleteItem (an optional condition, returning the old item). A [`KeySpec`] holds what
//! the person typed; [`build`] makes the request from it and the table's key attributes.
//! Pure.

use super::request::typed;
use super::state::KeyAttr;
use serde_json::{json, Map, Value};

/// Which action the "Item by key" form sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeyAction {
    #[default]
    Get,
    Update,
    Delete,
}

impl KeyAction {
    /// The DynamoDB action's name.
    pub fn action(self) -> &'static str {
        match self {
            KeyAction::Get => "GetItem",
            KeyAction::Update => "UpdateItem",
            KeyAction::Delete => "DeleteItem",
        }
    }

    /// The submit button's name.
    pub fn verb(self) -> &'static str {
        match self {
            KeyAction::Get => "Get item",
            KeyAction::Update => "Update item",
            KeyAction::Delete => "Delete by key",
        }
    }

    pub fn from_action(action: &str) -> KeyAction {
        match action {
            "UpdateItem" => KeyAction::Update,
            "DeleteItem" => KeyAction::Delete,
            _ => KeyAction::Get,
        }
    }
}

/// What the person typed in the "Item by key" form.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KeySpec {
    pub action: KeyAction,
    /// One value per key attribute of the table (partition, then sort).
    pub values: Vec<String>,
    /// GetItem: attribute names to return, comma-separated (empty: all).
    pub projection: String,
    /// GetItem: a strongly consistent read.
    pub consistent: bool,
    /// UpdateItem: the UpdateExpression.
    pub update: String,
    /// UpdateItem, DeleteItem: a ConditionExpression ("" for none).
    pub condition: String,
    /// ExpressionAttributeNames: a JSON object ("" for none).
    pub names: String,
    /// ExpressionAttributeValues: a JSON object of DynamoDB JSON values ("" for none).
    pub values_json: String,
}

/// A JSON object typed in a field, or none when the field is empty.
fn object(text: &str, field: &str, example: &str) -> Result<Option<Map<String, Value>>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Ok(Some(m)),
        Ok(_) => Err(format!("{field}: a JSON object such as {example}")),
        Err(e) => Err(format!("{field}: {e}")),
    }
}

/// The key of the item the form names.
pub fn key(keys: &[KeyAttr], values: &[String]) -> Result<Value, String> {
    let mut key = Map::new();
    for (i, (name, t)) in keys.iter().enumerate() {
        let text = values.get(i).map(String::as_str).unwrap_or_default();
        if text.is_empty() {
            return Err(format!("Key {name}: a value is needed"));
        }
        let v = typed(t, text).map_err(|e| format!("Key {name}: {e}"))?;
        key.insert(name.clone(), v);
    }
    Ok(Value::Object(key))
}

/// The request the form sends to `table` (whose key attributes are `keys`).
pub fn build(table: &str, keys: &[KeyAttr], spec: &KeySpec) -> Result<Value, String> {
    let mut req = json!({"TableName": table, "Key": key(keys, &spec.values)?});
    let mut names =
        object(&spec.names, "Attribute names", "{\"#s\": \"status\"}")?.unwrap_or_default();
    let values = object(
        &spec.values_json,
        "Attribute values",
        "{\":v\": {\"N\": \"1\"}}",
    )?;
    match spec.action {
        KeyAction::Get => {
            let parts: Vec<&str> = spec
                .projection
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect();
            if !parts.is_empty() {
                let mut projected = Vec::new();
                for path in parts {
                    let mut out = Vec::new();
                    for part in path.split('.') {
                        let existing = names
                            .iter()
                            .find(|(_, v)| v.as_str() == Some(part))
                            .map(|(k, _)| k.clone());
                        let placeholder = existing.unwrap_or_else(|| {
                            let k = format!("#p{}", names.len());
                            names.insert(k.clone(), json!(part));
                            k
                        });
                        out.push(placeholder);
                    }
                    projected.push(out.join("."));
                }
                req["ProjectionExpression"] = json!(projected.join(", "));
            }
            if spec.consistent {
                req["ConsistentRead"] = json!(true);
            }
        }
        KeyAction::Update => {
            if spec.update.trim().is_empty() {
                return Err("Update expression: e.g. SET qty = qty - :one".into());
            }
            req["UpdateExpression"] = json!(spec.update.trim());
        }
        KeyAction::Delete => {}
    }
    if spec.action != KeyAction::Get {
        if !spec.condition.trim().is_empty() {
            req["ConditionExpression"] = json!(spec.condition.trim());
        }
        if let Some(values) = values {
            req["ExpressionAttributeValues"] = Value::Object(values);
        }
        req["ReturnValues"] = json!(if spec.action == KeyAction::Update {
            "ALL_NEW"
        } else {
            "ALL_OLD"
        });
    }
    if !names.is_empty() {
        req["ExpressionAttributeNames"] = Value::Object(names);
    }
    Ok(req)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> Vec<KeyAttr> {
        vec![("pk".into(), "S".into()), ("sk".into(), "N".into())]
    }

    #[test]
    fn get_item_with_projection_and_consistent_read() {
        let spec = KeySpec {
            values: vec!["a".into(), "12345678901234567890123456789012345678".into()],
            projection: "qty, address.city".into(),
            consistent: true,
            ..KeySpec::default()
        };
        let req = build("T", &keys(), &spec).unwrap();
        assert_eq!(
            req["Key"],
            json!({"pk": {"S": "a"}, "sk": {"N": "12345678901234567890123456789012345678"}})
        );
        assert_eq!(req["ProjectionExpression"], "#p0, #p1.#p2");
        assert_eq!(req["ExpressionAttributeNames"]["#p2"], "city");
        assert_eq!(req["ConsistentRead"], true);
        assert!(req.get("ReturnValues").is_none());
    }

    #[test]
    fn update_and_delete_carry_their_expressions() {
        let spec = KeySpec {
            action: KeyAction::Update,
            values: vec!["a".into(), "1".into()],
            update: "SET #q = #q - :one".into(),
            condition: "#q >= :one".into(),
            names: "{\"#q\": \"qty\"}".into(),
            values_json: "{\":one\": {\"N\": \"1\"}}".into(),
            ..KeySpec::default()
        };
        let req = build("T", &keys(), &spec).unwrap();
        assert_eq!(req["UpdateExpression"], "SET #q = #q - :one");
        assert_eq!(req["ConditionExpression"], "#q >= :one");
        assert_eq!(req["ExpressionAttributeNames"]["#q"], "qty");
        assert_eq!(req["ExpressionAttributeValues"][":one"]["N"], "1");
        assert_eq!(req["ReturnValues"], "ALL_NEW");
        let delete = KeySpec {
            action: KeyAction::Delete,
            update: String::new(),
            ..spec
        };
        let req = build("T", &keys(), &delete).unwrap();
        assert_eq!(req["ReturnValues"], "ALL_OLD");
        assert!(req.get("UpdateExpression").is_none());
    }

    #[test]
    fn bad_input_says_where() {
        let spec = KeySpec {
            values: vec!["a".into(), "ten".into()],
            ..KeySpec::default()
        };
        assert!(build("T", &keys(), &spec)
            .unwrap_err()
            .starts_with("Key sk:"));
        let spec = KeySpec {
            values: vec!["a".into()],
            ..KeySpec::default()
        };
        assert_eq!(
            build("T", &keys(), &spec).unwrap_err(),
            "Key sk: a value is needed"
        );
        let spec = KeySpec {
            action: KeyAction::Update,
            values: vec!["a".into(), "1".into()],
            update: "SET a = :v".into(),
            values_json: "[1]".into(),
            ..KeySpec::default()
        };
        assert!(build("T", &keys(), &spec)
            .unwrap_err()
            .starts_with("Attribute values:"));
    }
}
