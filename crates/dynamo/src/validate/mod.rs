//! Request validation shared by the operations, with AWS's messages and order.

pub mod constraints;
pub mod item;
pub mod key;
pub mod schema;

use crate::error::DynamoError;
use crate::request::Request;
use constraints::Constraints;

/// `ValidationException` with a message.
pub fn validation(message: impl Into<String>) -> DynamoError {
    DynamoError::new("ValidationException", message)
}

/// `ValidationException: One or more parameter values were invalid: ...`.
pub fn invalid(message: impl std::fmt::Display) -> DynamoError {
    validation(format!(
        "One or more parameter values were invalid: {message}"
    ))
}

/// `ResourceNotFoundException: Requested resource not found`.
pub fn not_found() -> DynamoError {
    DynamoError::new("ResourceNotFoundException", "Requested resource not found")
}

/// `ResourceNotFoundException: Requested resource not found: Table: X not found`.
pub fn table_not_found(name: &str) -> DynamoError {
    DynamoError::new(
        "ResourceNotFoundException",
        format!("Requested resource not found: Table: {name} not found"),
    )
}

/// A table name or table ARN as the name (`arn:...:table/Name` → `Name`).
pub fn resolve_table_name(value: &str) -> &str {
    if value.starts_with("arn:") {
        if let Some(pos) = value.find(":table/") {
            let rest = &value[pos + 7..];
            return rest.split('/').next().unwrap_or(rest);
        }
    }
    value
}

/// Checks the `TableName` parameter of operations on an existing table (a name or a
/// table ARN: pattern, length 1..=255 (an ARN 1..=1024), not null), recording violations; returns the
/// (ARN-resolved) name when it is a string. CreateTable checks 3..=255 instead.
pub fn table_name<'a>(
    request: &Request<'a>,
    constraints: &mut Constraints,
) -> Result<Option<&'a str>, DynamoError> {
    let raw = request.str("TableName")?;
    let value = request.raw("TableName");
    match raw {
        Some(name) => {
            if !name.starts_with("arn:") {
                constraints.check(
                    name.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-'),
                    value,
                    "tableName",
                    "must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
                );
            }
            // A plain name is capped at 255 characters (recorded against AWS); a table
            // ARN may run to 1024.
            let max = if name.starts_with("arn:") { 1024 } else { 255 };
            constraints.length(value, "tableName", 1, max);
            Ok(Some(resolve_table_name(name)))
        }
        None => {
            constraints.not_null(value, "tableName");
            Ok(None)
        }
    }
}

/// CreateTable's `TableName`: pattern and length 3..=255.
pub fn new_table_name<'a>(
    request: &Request<'a>,
    constraints: &mut Constraints,
) -> Result<Option<&'a str>, DynamoError> {
    let raw = request.str("TableName")?;
    constraints.name(request.raw("TableName"), "tableName", true);
    Ok(raw)
}

/// Checks an enum parameter.
pub fn enum_param(
    request: &Request,
    constraints: &mut Constraints,
    field: &str,
    path: &str,
    allowed: &[&str],
) -> Result<(), DynamoError> {
    request.str(field)?;
    constraints.one_of(request.raw(field), path, allowed);
    Ok(())
}

/// The ReturnConsumedCapacity / ReturnItemCollectionMetrics / ReturnValues family.
pub fn common_enums(request: &Request, constraints: &mut Constraints) -> Result<(), DynamoError> {
    enum_param(
        request,
        constraints,
        "ReturnConsumedCapacity",
        "returnConsumedCapacity",
        &["INDEXES", "TOTAL", "NONE"],
    )
}
