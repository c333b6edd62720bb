//! Query/Scan parameter checks shared by both: Select against projections, IndexName,
//! ConsistentRead on GSIs, ExclusiveStartKey.

use super::read::Select;
use crate::request::Request;
use crate::table::index::projects;
use crate::table::schema::{IndexDefinition, Projection};
use crate::table::Table;
use crate::types::Item;
use crate::validate::{invalid, validation};
use crate::DynamoError;

/// Checks Select against AttributesToGet/ProjectionExpression (before the table is known).
/// Query wraps the SPECIFIC_ATTRIBUTES message in the `1 validation error detected:`
/// envelope; Scan returns it bare (as DynamoDB does).
pub fn check_select(
    r: &Request,
    select: Option<Select>,
    has_index: bool,
    is_query: bool,
) -> Result<(), DynamoError> {
    let raw = r.str("Select")?;
    if r.has("ProjectionExpression") && select.is_some_and(|s| s != Select::Specific) {
        return Err(validation(format!(
            "Cannot specify the ProjectionExpression when choosing to get {}",
            if select == Some(Select::Count) {
                "only the Count"
            } else {
                raw.unwrap_or_default()
            }
        )));
    }
    if select == Some(Select::AllProjected) && !has_index {
        return Err(validation(
            "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName",
        ));
    }
    if r.has("AttributesToGet") && select.is_some_and(|s| s != Select::Specific) {
        return Err(validation(
            "Cannot use both Select and AttributesToGet unless Select is SPECIFIC_ATTRIBUTES",
        ));
    }
    if select == Some(Select::Specific)
        && !r.has("AttributesToGet")
        && !r.has("ProjectionExpression")
    {
        let message = "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES";
        return Err(validation(if is_query {
            format!("1 validation error detected: {message}")
        } else {
            message.to_string()
        }));
    }
    Ok(())
}

/// Finds the index, checks ConsistentRead and the GSI projection rules.
pub fn resolve_index<'a>(
    table: &'a Table,
    index_name: Option<&str>,
    consistent: bool,
    select: Option<Select>,
    requested: Option<&[String]>,
) -> Result<Option<&'a IndexDefinition>, DynamoError> {
    let Some(name) = index_name else {
        return Ok(None);
    };
    let index = table.def.index(name).ok_or_else(|| {
        validation(format!(
            "The table does not have the specified index: {name}"
        ))
    })?;
    if index.global && consistent {
        return Err(validation(
            "Consistent reads are not supported on global secondary indexes",
        ));
    }
    if index.global && index.projection != Projection::All {
        if select == Some(Select::AllAttributes) {
            return Err(invalid(format!(
                "Select type ALL_ATTRIBUTES is not supported for global secondary index {name} because its projection type is not ALL"
            )));
        }
        if let Some(requested) = requested {
            let mut missing: Vec<&str> = requested
                .iter()
                .filter(|a| !projects(index, &table.def.key, a))
                .map(String::as_str)
                .collect();
            missing.sort();
            missing.dedup();
            if !missing.is_empty() {
                return Err(invalid(format!(
                    "Global secondary index {name} does not project [{}]",
                    missing.join(", ")
                )));
            }
        }
    }
    Ok(Some(index))
}

/// Checks an ExclusiveStartKey: the table's key attributes (and the index's), typed.
/// AWS words a misfit key in full only for a Scan of a table; a Query, or a Scan of an
/// index, says just "The provided starting key is invalid".
pub fn check_start_key(
    table: &Table,
    index: Option<&IndexDefinition>,
    key: &Item,
    query: bool,
) -> Result<(), DynamoError> {
    let bad = || {
        validation(if query || index.is_some() {
            "The provided starting key is invalid"
        } else {
            "The provided starting key is invalid: The provided key element does not match the schema"
        })
    };
    let mut expected: Vec<&crate::table::schema::KeyAttribute> =
        table.def.key.attributes().collect();
    if let Some(index) = index {
        for a in index.key.attributes() {
            if !expected.iter().any(|e| e.name == a.name) {
                expected.push(a);
            }
        }
    }
    if key.len() != expected.len() {
        return Err(bad());
    }
    for a in expected {
        match key.get(&a.name) {
            Some(v) if v.type_code() == a.kind.code() => {}
            _ => return Err(bad()),
        }
    }
    Ok(())
}

/// Reads ExclusiveStartKey, prefixing attribute value errors as AWS does.
pub fn read_start_key(r: &Request) -> Result<Option<Item>, DynamoError> {
    r.item("ExclusiveStartKey").map_err(|e| {
        let unprefixed = [
            "number set",
            "duplicates",
            "numeric value",
            "Number ",
            "significant digits",
        ]
        .iter()
        .any(|m| e.message.contains(m));
        if e.type_name == "ValidationException" && !unprefixed {
            validation(format!(
                "The provided starting key is invalid: {}",
                e.message
            ))
        } else {
            e
        }
    })
}
