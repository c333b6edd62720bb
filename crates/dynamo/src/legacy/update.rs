//! Legacy `AttributeUpdates` (PUT, ADD, DELETE per attribute) for UpdateItem.

use serde_json::{Map, Value};

use crate::request::Request;
use crate::table::schema::KeySchema;
use crate::types::{check_attribute_name, AttributeValue, Item};
use crate::validate::invalid;
use crate::DynamoError;

/// One attribute update.
#[derive(Debug, Clone)]
pub struct AttributeUpdate {
    pub attribute: String,
    pub action: String,
    pub value: Option<AttributeValue>,
}

/// Parses an `AttributeUpdates` map.
pub fn parse_updates(map: &Map<String, Value>) -> Result<Vec<AttributeUpdate>, DynamoError> {
    let mut out = Vec::new();
    for (attribute, update) in map {
        check_attribute_name(attribute)?;
        let r = Request::new(update);
        let action = r.str("Action")?.unwrap_or("PUT").to_string();
        if !["PUT", "ADD", "DELETE"].contains(&action.as_str()) {
            return Err(crate::validate::validation(format!(
                "1 validation error detected: Value '{action}' at 'attributeUpdates.{attribute}.member.action' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]"
            )));
        }
        let value = match r.raw("Value") {
            Some(v) => Some(AttributeValue::from_json(v)?),
            None => None,
        };
        if value.is_none() && action != "DELETE" {
            return Err(invalid(
                "Only DELETE action is allowed when no attribute value is specified",
            ));
        }
        if let (Some(v), "DELETE") = (&value, action.as_str()) {
            if !matches!(
                v,
                AttributeValue::Ss(_) | AttributeValue::Ns(_) | AttributeValue::Bs(_)
            ) {
                return Err(invalid(format!(
                    "DELETE action with value is not supported for the type {}",
                    v.type_code()
                )));
            }
        }
        if let (Some(v), "ADD") = (&value, action.as_str()) {
            if !matches!(
                v,
                AttributeValue::N(_)
                    | AttributeValue::Ss(_)
                    | AttributeValue::Ns(_)
                    | AttributeValue::Bs(_)
                    | AttributeValue::L(_)
            ) {
                return Err(invalid(format!(
                    "ADD action is not supported for the type {}",
                    v.type_code()
                )));
            }
        }
        out.push(AttributeUpdate {
            attribute: attribute.clone(),
            action,
            value,
        });
    }
    Ok(out)
}

/// Rejects updates to key attributes.
pub fn check_not_key(updates: &[AttributeUpdate], key: &KeySchema) -> Result<(), DynamoError> {
    for u in updates {
        if key.contains(&u.attribute) {
            return Err(invalid(format!(
                "Cannot update attribute {}. This attribute is part of the key",
                u.attribute
            )));
        }
    }
    Ok(())
}

fn type_mismatch() -> DynamoError {
    invalid("Type mismatch for attribute to update")
}

/// Applies the updates to `item`.
pub fn apply(updates: &[AttributeUpdate], item: &mut Item) -> Result<(), DynamoError> {
    for u in updates {
        let current = item.get(&u.attribute).cloned();
        match (u.action.as_str(), &u.value) {
            ("PUT", Some(v)) => {
                item.insert(u.attribute.clone(), v.clone());
            }
            ("DELETE", None) => {
                item.remove(&u.attribute);
            }
            ("DELETE", Some(v)) => {
                let Some(cur) = current else { continue };
                let result = match (cur, v) {
                    (AttributeValue::Ss(mut a), AttributeValue::Ss(b)) => {
                        a.retain(|x| !b.contains(x));
                        (!a.is_empty()).then_some(AttributeValue::Ss(a))
                    }
                    (AttributeValue::Ns(mut a), AttributeValue::Ns(b)) => {
                        a.retain(|x| !b.contains(x));
                        (!a.is_empty()).then_some(AttributeValue::Ns(a))
                    }
                    (AttributeValue::Bs(mut a), AttributeValue::Bs(b)) => {
                        a.retain(|x| !b.contains(x));
                        (!a.is_empty()).then_some(AttributeValue::Bs(a))
                    }
                    _ => return Err(type_mismatch()),
                };
                match result {
                    Some(r) => item.insert(u.attribute.clone(), r),
                    None => item.remove(&u.attribute),
                };
            }
            ("ADD", Some(v)) => {
                let result = match (current, v) {
                    (None, v) => v.clone(),
                    (Some(AttributeValue::N(a)), AttributeValue::N(b)) => {
                        AttributeValue::N(a.checked_add(b)?)
                    }
                    (Some(AttributeValue::Ss(mut a)), AttributeValue::Ss(b)) => {
                        for x in b {
                            if !a.contains(x) {
                                a.push(x.clone());
                            }
                        }
                        AttributeValue::Ss(a)
                    }
                    (Some(AttributeValue::Ns(mut a)), AttributeValue::Ns(b)) => {
                        for x in b {
                            if !a.contains(x) {
                                a.push(x.clone());
                            }
                        }
                        AttributeValue::Ns(a)
                    }
                    (Some(AttributeValue::Bs(mut a)), AttributeValue::Bs(b)) => {
                        for x in b {
                            if !a.contains(x) {
                                a.push(x.clone());
                            }
                        }
                        AttributeValue::Bs(a)
                    }
                    (Some(AttributeValue::L(mut a)), AttributeValue::L(b)) => {
                        a.extend(b.iter().cloned());
                        AttributeValue::L(a)
                    }
                    _ => return Err(type_mismatch()),
                };
                item.insert(u.attribute.clone(), result);
            }
            _ => {}
        }
    }
    Ok(())
}
