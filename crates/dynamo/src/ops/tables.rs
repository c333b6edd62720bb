//! DescribeTable, ListTables, DeleteTable, DescribeLimits, DescribeEndpoints.

use serde_json::{json, Value};

use crate::limits::MAX_LIST_TABLES;
use crate::request::Request;
use crate::table::describe::describe;
use crate::validate::constraints::Constraints;
use crate::validate::{table_name, table_not_found, validation};
use crate::{Change, Commit, DynamoError, Engine, Executed};

pub fn describe_table(engine: &mut Engine, body: &Value) -> Result<Executed, DynamoError> {
    let r = Request::new(body);
    let mut c = Constraints::new();
    let name = table_name(&r, &mut c)?;
    c.finish()?;
    let name = name.unwrap_or_default();
    let table = engine
        .tables
        .get(name)
        .ok_or_else(|| table_not_found(name))?;
    Ok(Executed::read(
        json!({ "Table": describe(table, "ACTIVE") }),
    ))
}

pub fn list_tables(engine: &mut Engine, body: &Value) -> Result<Executed, DynamoError> {
    let r = Request::new(body);
    let mut c = Constraints::new();
    let start = r.str("ExclusiveStartTableName")?;
    c.name(
        r.raw("ExclusiveStartTableName"),
        "exclusiveStartTableName",
        false,
    );
    let limit = r.int("Limit")?;
    c.at_least(r.raw("Limit"), "limit", 1);
    c.at_most(r.raw("Limit"), "limit", MAX_LIST_TABLES);
    c.finish()?;
    let limit = limit.unwrap_or(MAX_LIST_TABLES) as usize;
    let mut names = engine
        .tables
        .keys()
        .filter(|n| start.is_none_or(|s| n.as_str() > s));
    let page: Vec<&String> = names.by_ref().take(limit).collect();
    let more = names.next().is_some();
    let mut out = json!({ "TableNames": page });
    if more {
        if let Some(last) = page.last() {
            out["LastEvaluatedTableName"] = json!(last);
        }
    }
    Ok(Executed::read(out))
}

pub fn delete_table(engine: &mut Engine, body: &Value) -> Result<Executed, DynamoError> {
    let r = Request::new(body);
    let mut c = Constraints::new();
    let name = table_name(&r, &mut c)?;
    c.finish()?;
    let name = name.unwrap_or_default();
    let table = engine
        .tables
        .get(name)
        .ok_or_else(|| table_not_found(name))?;
    if table.def.deletion_protection {
        return Err(validation(
            "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.",
        ));
    }
    let description = describe(table, "DELETING");
    engine.tables.remove(name);
    engine.streams.drop_table(name);
    Ok(Executed::wrote(
        json!({ "TableDescription": description }),
        Commit {
            changes: vec![Change::DeleteTable {
                name: name.to_string(),
            }],
        },
    ))
}

pub fn describe_limits(_engine: &mut Engine, _body: &Value) -> Result<Executed, DynamoError> {
    Ok(Executed::read(json!({
        "AccountMaxReadCapacityUnits": 80000,
        "AccountMaxWriteCapacityUnits": 80000,
        "TableMaxReadCapacityUnits": 40000,
        "TableMaxWriteCapacityUnits": 40000
    })))
}

pub fn describe_endpoints(_engine: &mut Engine, _body: &Value) -> Result<Executed, DynamoError> {
    Ok(Executed::read(json!({
        "Endpoints": [{"Address": "dynamodb.us-east-1.amazonaws.com", "CachePeriodInMinutes": 1440}]
    })))
}

/// DescribeContinuousBackups: backups are always on and point-in-time recovery off (the
/// engine keeps no backups); answered so tools that read it (Terraform, CDK) work.
pub fn describe_continuous_backups(
    engine: &mut Engine,
    body: &Value,
) -> Result<Executed, DynamoError> {
    let r = Request::new(body);
    let mut c = Constraints::new();
    let name = table_name(&r, &mut c)?;
    c.finish()?;
    let name = name.unwrap_or_default();
    if !engine.tables.contains_key(name) {
        return Err(DynamoError::new(
            "TableNotFoundException",
            format!("Table not found: {name}"),
        ));
    }
    Ok(Executed::read(json!({
        "ContinuousBackupsDescription": {
            "ContinuousBackupsStatus": "ENABLED",
            "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "DISABLED"}
        }
    })))
}
