//! Primary key validation: the key element matches the schema (names, count, types),
//! no empty string/binary key values, key sizes within AWS's limits.

use super::{invalid, validation};
use crate::limits::{MAX_HASH_KEY_BYTES, MAX_RANGE_KEY_BYTES};
use crate::table::schema::KeySchema;
use crate::types::{AttributeValue, Item};
use crate::DynamoError;

/// `The provided key element does not match the schema`.
pub fn mismatch() -> DynamoError {
    validation("The provided key element does not match the schema")
}

/// Checks one key value: empty string/binary, then size.
pub fn check_key_value(
    name: &str,
    value: &AttributeValue,
    is_hash: bool,
) -> Result<(), DynamoError> {
    match value {
        AttributeValue::S(s) if s.is_empty() => {
            return Err(validation(format!(
                "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: {name}"
            )))
        }
        AttributeValue::B(b) if b.is_empty() => {
            return Err(validation(format!(
                "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: {name}"
            )))
        }
        _ => {}
    }
    let size = value.size();
    if is_hash && size > MAX_HASH_KEY_BYTES {
        return Err(invalid(format!(
            "Size of hashkey has exceeded the maximum size limit of{MAX_HASH_KEY_BYTES} bytes"
        )));
    }
    if !is_hash && size > MAX_RANGE_KEY_BYTES {
        return Err(invalid(format!(
            "Aggregated size of all range keys has exceeded the size limit of {MAX_RANGE_KEY_BYTES} bytes"
        )));
    }
    Ok(())
}

/// Checks a `Key` parameter against the table's key schema.
pub fn check_key(schema: &KeySchema, key: &Item) -> Result<(), DynamoError> {
    let expected = schema.attributes().count();
    if key.len() != expected {
        return Err(mismatch());
    }
    for attr in schema.attributes() {
        let value = key.get(&attr.name).ok_or_else(mismatch)?;
        if value.type_code() != attr.kind.code() {
            return Err(mismatch());
        }
    }
    for attr in schema.attributes() {
        if let Some(value) = key.get(&attr.name) {
            check_key_value(&attr.name, value, attr.name == schema.hash.name)?;
        }
    }
    Ok(())
}
