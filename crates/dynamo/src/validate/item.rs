//! Whole-item validation for writes: key attributes present and typed, index keys typed,
//! not empty and within the key size limits, item size within 400 KB.

use super::key::check_key_value;
use super::{invalid, validation};
use crate::limits::{MAX_HASH_KEY_BYTES, MAX_ITEM_BYTES, MAX_RANGE_KEY_BYTES};
use crate::table::schema::TableDefinition;
use crate::types::{item_size, AttributeValue, Item};
use crate::DynamoError;

/// Checks the primary key attributes of an item to be written.
pub fn check_item_key(def: &TableDefinition, item: &Item) -> Result<(), DynamoError> {
    for attr in def.key.attributes() {
        match item.get(&attr.name) {
            None => {
                return Err(invalid(format!(
                    "Missing the key {} in the item",
                    attr.name
                )))
            }
            Some(v) if v.type_code() != attr.kind.code() => {
                return Err(invalid(format!(
                    "Type mismatch for key {} expected: {} actual: {}",
                    attr.name,
                    attr.kind.code(),
                    v.type_code()
                )))
            }
            Some(v) => check_key_value(&attr.name, v, attr.name == def.key.hash.name)?,
        }
    }
    Ok(())
}

/// Checks secondary index key attributes of an item to be written.
pub fn check_index_keys(def: &TableDefinition, item: &Item) -> Result<(), DynamoError> {
    // AWS names the alphabetically first offending index (recorded: gsi1 before lsi1).
    let mut indexes: Vec<_> = def.indexes.iter().collect();
    indexes.sort_by(|a, b| a.name.cmp(&b.name));
    for index in indexes {
        for attr in index.key.attributes() {
            if let Some(v) = item.get(&attr.name) {
                if v.type_code() != attr.kind.code() {
                    return Err(invalid(format!(
                        "Type mismatch for Index Key {} Expected: {} Actual: {} IndexName: {}",
                        attr.name,
                        attr.kind.code(),
                        v.type_code(),
                        index.name
                    )));
                }
                let empty = matches!(v, AttributeValue::S(s) if s.is_empty())
                    || matches!(v, AttributeValue::B(b) if b.is_empty());
                if empty {
                    return Err(validation(format!(
                        "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty {} value. IndexName: {}, IndexKey: {}",
                        if v.type_code() == "S" { "string" } else { "binary" },
                        index.name,
                        attr.name
                    )));
                }
                let max = if attr.name == index.key.hash.name {
                    MAX_HASH_KEY_BYTES
                } else {
                    MAX_RANGE_KEY_BYTES
                };
                let size = v.size();
                if size > max {
                    return Err(invalid(format!(
                        "Size limit exceeded for Index Key {} Actual Size: {size} bytes Max Size: {max} bytes IndexName: {}",
                        attr.name, index.name
                    )));
                }
            }
        }
    }
    Ok(())
}

/// Checks the item size limit (and the nesting limit, which updates could otherwise grow
/// past).
pub fn check_item_size(item: &Item) -> Result<(), DynamoError> {
    if item
        .values()
        .any(|v| v.depth() > crate::types::MAX_NESTING_DEPTH)
    {
        return Err(invalid("Nesting Levels have exceeded supported limits"));
    }
    if item_size(item) > MAX_ITEM_BYTES {
        return Err(validation(
            "Item size has exceeded the maximum allowed size",
        ));
    }
    Ok(())
}

/// All checks for an item about to be stored, in AWS's order.
pub fn check_item(def: &TableDefinition, item: &Item) -> Result<(), DynamoError> {
    check_item_key(def, item)?;
    check_item_size(item)?;
    check_index_keys(def, item)
}
