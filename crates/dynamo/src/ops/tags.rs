//! TagResource, UntagResource, ListTagsOfResource, and reading `Tags` lists.

use serde_json::{json, Value};

use crate::limits::MAX_TAGS;
use crate::request::Request;
use crate::table::schema::{table_arn, ACCOUNT, REGION};
use crate::validate::constraints::Constraints;
use crate::validate::validation;
use crate::{Change, Commit, DynamoError, Engine, Executed};

/// Reads a `Tags` list (`[{"Key": .., "Value": ..}]`) with AWS's constraints.
pub fn parse_tags(list: Option<&[Value]>) -> Result<Option<Vec<(String, String)>>, DynamoError> {
    let Some(list) = list else { return Ok(None) };
    let mut c = Constraints::new();
    let mut out = Vec::new();
    for (i, t) in list.iter().enumerate() {
        let r = Request::new(t);
        let key = r.str("Key")?;
        let value = r.str("Value")?;
        let p = format!("tags.{}.member", i + 1);
        c.not_null(r.raw("Key"), &format!("{p}.key"));
        c.length(r.raw("Key"), &format!("{p}.key"), 1, 128);
        c.not_null(r.raw("Value"), &format!("{p}.value"));
        c.length(r.raw("Value"), &format!("{p}.value"), 0, 256);
        if let (Some(k), Some(v)) = (key, value) {
            out.push((k.to_string(), v.to_string()));
        }
    }
    c.finish()?;
    Ok(Some(out))
}

/// The table a tag operation names, checked as AWS authorizes it before anything else:
/// a table ARN that names no table this account can see (another account's, another
/// region's, or a table that does not exist) is refused with AccessDeniedException, as no
/// resource-based policy grants access to it; what is not a DynamoDB ARN at all is a
/// ValidationException.
fn table_of_arn(engine: &Engine, arn: &str, action: &str) -> Result<String, DynamoError> {
    let prefix = format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/");
    let name = arn
        .strip_prefix(&prefix)
        .filter(|n| !n.is_empty() && !n.contains('/'));
    match name {
        Some(name) if engine.tables.contains_key(name) => Ok(name.to_string()),
        _ if arn.starts_with("arn:aws:dynamodb:") => Err(access_denied(arn, action)),
        _ => Err(validation(format!(
            "Invalid TableArn: Invalid ResourceArn provided as input {arn}"
        ))),
    }
}

fn access_denied(arn: &str, action: &str) -> DynamoError {
    DynamoError::new(
        "AccessDeniedException",
        format!(
            "User: arn:aws:iam::{ACCOUNT}:root is not authorized to perform: dynamodb:{action} on resource: {arn} because no resource-based policy allows the dynamodb:{action} action"
        ),
    )
}

fn arn_param<'a>(r: &Request<'a>, c: &mut Constraints) -> Result<Option<&'a str>, DynamoError> {
    let arn = r.str("ResourceArn")?;
    c.not_null(r.raw("ResourceArn"), "resourceArn");
    c.length(r.raw("ResourceArn"), "resourceArn", 1, 1283);
    Ok(arn)
}

fn changed(engine: &Engine, name: &str) -> Commit {
    let definition = engine
        .tables
        .get(name)
        .map(|t| serde_json::to_value(&t.def).unwrap_or(Value::Null))
        .unwrap_or(Value::Null);
    Commit {
        changes: vec![Change::PutTable {
            name: name.to_string(),
            definition,
        }],
    }
}

pub fn tag_resource(engine: &mut Engine, body: &Value) -> Result<Executed, DynamoError> {
    let r = Request::new(body);
    let mut c = Constraints::new();
    let arn = arn_param(&r, &mut c)?;
    c.not_null(r.raw("Tags"), "tags");
    c.finish()?;
    let name = table_of_arn(engine, arn.unwrap_or_default(), "TagResource")?;
    let tags = parse_tags(r.list("Tags")?.map(|v| v.as_slice()))?.unwrap_or_default();
    if tags.is_empty() {
        return Err(validation(
            "One or more parameter values were invalid: Atleast one Tag needs to be provided as Input.",
        ));
    }
    let table = engine
        .tables
        .get_mut(&name)
        .ok_or_else(crate::validate::not_found)?;
    for (k, v) in tags {
        match table.def.tags.iter_mut().find(|(tk, _)| *tk == k) {
            Some(existing) => existing.1 = v,
            None => table.def.tags.push((k, v)),
        }
    }
    if table.def.tags.len() > MAX_TAGS {
        return Err(DynamoError::new(
            "LimitExceededException",
            "One or more parameter values were invalid: The number of tags exceeds the limit of 50",
        ));
    }
    let commit = changed(engine, &name);
    Ok(Executed::wrote(json!({}), commit))
}

pub fn untag_resource(engine: &mut Engine, body: &Value) -> Result<Executed, DynamoError> {
    let r = Request::new(body);
    let mut c = Constraints::new();
    let arn = arn_param(&r, &mut c)?;
    let keys = r.strings("TagKeys")?;
    c.not_null(r.raw("TagKeys"), "tagKeys");
    c.finish()?;
    let name = table_of_arn(engine, arn.unwrap_or_default(), "UntagResource")?;
    let keys = keys.unwrap_or_default();
    if keys.is_empty() {
        return Err(validation(
            "One or more parameter values were invalid: Atleast one Tag Key needs to be provided as Input.",
        ));
    }
    if let Some(table) = engine.tables.get_mut(&name) {
        table.def.tags.retain(|(k, _)| !keys.contains(&k.as_str()));
    }
    let commit = changed(engine, &name);
    Ok(Executed::wrote(json!({}), commit))
}

pub fn list_tags(engine: &mut Engine, body: &Value) -> Result<Executed, DynamoError> {
    let r = Request::new(body);
    let mut c = Constraints::new();
    let arn = arn_param(&r, &mut c)?;
    r.str("NextToken")?;
    c.finish()?;
    let name = table_of_arn(engine, arn.unwrap_or_default(), "ListTagsOfResource")?;
    let tags: Vec<Value> = engine
        .tables
        .get(&name)
        .map(|t| {
            t.def
                .tags
                .iter()
                .map(|(k, v)| json!({"Key": k, "Value": v}))
                .collect()
        })
        .unwrap_or_default();
    let _ = table_arn(&name);
    Ok(Executed::read(json!({ "Tags": tags })))
}
