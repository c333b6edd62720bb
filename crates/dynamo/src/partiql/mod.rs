//! PartiQL for DynamoDB: ExecuteStatement, BatchExecuteStatement and ExecuteTransaction.
//!
//! Each statement is parsed (`parse.rs`, DynamoDB's dialect: SELECT / INSERT / UPDATE /
//! DELETE with Ion-ish literals and `?` parameters), translated into the equivalent
//! DynamoDB request (`translate.rs`: Query/Scan, PutItem, UpdateItem, DeleteItem,
//! TransactGetItems/TransactWriteItems), run through [`Engine::execute`] only, and the
//! response is reshaped as the PartiQL operations return it.
//!
//! ```
//! use serde_json::json;
//! use statebox_dynamo::{partiql, Engine};
//!
//! let mut engine = Engine::new();
//! engine.execute("CreateTable", &json!({"TableName": "Orders", "BillingMode": "PAY_PER_REQUEST",
//!     "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
//!     "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]})).unwrap();
//! partiql::execute_statement(&mut engine, &json!({
//!     "Statement": "INSERT INTO \"Orders\" VALUE {'pk': '001', 'status': 'Created'}"})).unwrap();
//! let out = partiql::execute_statement(&mut engine, &json!({
//!     "Statement": "SELECT * FROM \"Orders\" WHERE pk = ?",
//!     "Parameters": [{"S": "001"}],
//! })).unwrap();
//! assert_eq!(out.response["Items"][0]["status"], json!({"S": "Created"}));
//! ```

// `DynamoError` (crate::error) is the crate-wide error type; its size is decided there.
#![allow(clippy::result_large_err)]

pub mod ast;
pub mod lex;
pub mod parse;
pub mod translate;

#[cfg(test)]
mod cases;
#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;

use base64::Engine as _;
use serde_json::{json, Map, Value};

use crate::change::Commit;
use crate::error::DynamoError;
use crate::expr::condition::lookup;
use crate::expr::PathElem;
use crate::types::{item_from_json, item_to_json, AttributeValue, Item};
use crate::{Engine, Executed};
use ast::Statement;
use parse::{parse_statement, validation};
use translate::{key_and_rest, plan, schema_from_describe, Builder, Schema};

/// Most statements in one BatchExecuteStatement.
pub const MAX_BATCH_STATEMENTS: usize = 25;
/// Most statements in one ExecuteTransaction.
pub const MAX_TRANSACTION_STATEMENTS: usize = 100;

const DUPLICATE: &str = "Duplicate primary key exists in table";

fn parameters(v: Option<&Value>) -> Result<Vec<AttributeValue>, DynamoError> {
    let Some(v) = v else {
        return Ok(Vec::new());
    };
    let list = v
        .as_array()
        .ok_or_else(|| validation("Parameters must be a list of attribute values"))?;
    if list.is_empty() {
        return Err(validation("1 validation error detected: Value '[]' at 'parameters' failed to satisfy constraint: Member must have length greater than or equal to 1"));
    }
    list.iter().map(AttributeValue::from_json).collect()
}

fn statement_text(v: &Value) -> Result<&str, DynamoError> {
    v.get("Statement").and_then(Value::as_str).ok_or_else(|| {
        validation("1 validation error detected: Value null at 'statement' failed to satisfy constraint: Member must not be null")
    })
}

fn parse_request(v: &Value) -> Result<Statement, DynamoError> {
    let params = parameters(v.get("Parameters"))?;
    parse_statement(statement_text(v)?, &params)
}

fn schema(engine: &mut Engine, stmt: &Statement) -> Result<Schema, DynamoError> {
    // Data-plane operations word a missing table without naming it.
    let desc = engine
        .execute("DescribeTable", &json!({"TableName": stmt.table()}))
        .map_err(|e| {
            if e.type_name == "ResourceNotFoundException" {
                DynamoError::new("ResourceNotFoundException", "Requested resource not found")
            } else {
                e
            }
        })?;
    let index = match stmt {
        Statement::Select { index, .. } => index.as_deref(),
        _ => None,
    };
    schema_from_describe(&desc.response, index)
}

fn encode_token(key: &Value) -> String {
    base64::engine::general_purpose::STANDARD.encode(key.to_string())
}

fn decode_token(token: &Value) -> Result<Value, DynamoError> {
    let invalid = || validation("Invalid NextToken");
    let text = token.as_str().ok_or_else(invalid)?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|_| invalid())?;
    let key: Value = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    if key.is_object() {
        Ok(key)
    } else {
        Err(invalid())
    }
}

/// PartiQL names each selected path by its last name: `SELECT m.nested` returns
/// `{"nested": ...}`, not the nested structure a ProjectionExpression keeps.
fn reshape(item: &Value, stmt: &Statement) -> Value {
    let Statement::Select {
        projection: Some(paths),
        ..
    } = stmt
    else {
        return item.clone();
    };
    let Ok(full) = item_from_json(item) else {
        return item.clone();
    };
    let mut out = Item::new();
    for path in paths {
        let name = path.elems.iter().rev().find_map(|e| match e {
            PathElem::Attr(n) => Some(n.clone()),
            _ => None,
        });
        if let (Some(name), Some(v)) = (name, lookup(&full, path)) {
            out.insert(name, v.clone());
        }
    }
    item_to_json(&out)
}

/// Passes the underlying operation's `ConsumedCapacity` on, when it reported one.
fn copy_capacity(from: &Value, to: &mut Value) {
    if let Some(c) = from.get("ConsumedCapacity") {
        set(to, "ConsumedCapacity", c.clone());
    }
}

fn merge(into: &mut Option<Commit>, from: Option<Commit>) {
    if let Some(c) = from {
        match into {
            Some(existing) => existing.changes.extend(c.changes),
            None => *into = Some(c),
        }
    }
}

fn set(req: &mut Value, key: &str, value: Value) {
    if let Some(map) = req.as_object_mut() {
        map.insert(key.to_string(), value);
    }
}

/// Runs a translated request. The expressions are ours, not the caller's, so their
/// validation messages lose the `Invalid FilterExpression: ` prefix, as AWS's PartiQL
/// messages do (`Incorrect operand type for operator or function; operator or function:
/// <, operand type: BOOL`).
fn call(engine: &mut Engine, op: &str, req: &Value) -> Result<Executed, DynamoError> {
    engine.execute(op, req).map_err(|mut e| {
        for kind in [
            "ConditionExpression",
            "FilterExpression",
            "KeyConditionExpression",
            "UpdateExpression",
            "ProjectionExpression",
        ] {
            let prefix = format!("Invalid {kind}: ");
            if let Some(rest) = e.message.strip_prefix(&prefix) {
                e.message = rest.to_string();
                break;
            }
        }
        e
    })
}

/// Runs one parsed statement.
fn run(engine: &mut Engine, stmt: &Statement, request: &Value) -> Result<Executed, DynamoError> {
    if matches!(stmt, Statement::Exists { .. }) {
        return Err(validation(
            "EXISTS can only be used in ExecuteTransaction write requests.",
        ));
    }
    translate::prevalidate(stmt)?;
    let schema = schema(engine, stmt)?;
    let (op, mut req) = plan(stmt, &schema)?;
    match stmt {
        Statement::Select { .. } => {
            for key in ["Limit", "ConsistentRead", "ReturnConsumedCapacity"] {
                if let Some(v) = request.get(key) {
                    set(&mut req, key, v.clone());
                }
            }
            if schema.global && request.get("ConsistentRead") == Some(&json!(true)) {
                return Err(validation(
                    "Strongly consistent read is not supported on Global Secondary Indexes",
                ));
            }
            if let Some(token) = request.get("NextToken") {
                set(&mut req, "ExclusiveStartKey", decode_token(token)?);
            }
            let out = call(engine, op, &req)?;
            let mut response = Map::new();
            let items: Vec<Value> = out
                .response
                .get("Items")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|i| reshape(i, stmt))
                .collect();
            response.insert("Items".into(), Value::Array(items));
            if let Some(c) = out.response.get("ConsumedCapacity") {
                response.insert("ConsumedCapacity".into(), c.clone());
            }
            if let Some(last) = out.response.get("LastEvaluatedKey") {
                response.insert("NextToken".into(), json!(encode_token(last)));
                response.insert("LastEvaluatedKey".into(), last.clone());
            }
            Ok(Executed {
                response: Value::Object(response),
                commit: out.commit,
            })
        }
        _ => {
            for key in [
                "ReturnValuesOnConditionCheckFailure",
                "ReturnConsumedCapacity",
            ] {
                if let Some(v) = request.get(key) {
                    set(&mut req, key, v.clone());
                }
            }
            let out = call(engine, op, &req).map_err(|e| {
                if matches!(stmt, Statement::Insert { .. })
                    && e.type_name == "ConditionalCheckFailedException"
                {
                    DynamoError::new("DuplicateItemException", DUPLICATE)
                } else {
                    e
                }
            })?;
            let items = match out.response.get("Attributes") {
                Some(a) => json!([a]),
                None => json!([]),
            };
            let mut response = json!({ "Items": items });
            copy_capacity(&out.response, &mut response);
            Ok(Executed {
                response,
                commit: out.commit,
            })
        }
    }
}

/// ExecuteStatement: one PartiQL statement (`Statement`, `Parameters`, `ConsistentRead`,
/// `Limit`, `NextToken`, `ReturnValuesOnConditionCheckFailure`).
pub fn execute_statement(engine: &mut Engine, request: &Value) -> Result<Executed, DynamoError> {
    let stmt = parse_request(request)?;
    run(engine, &stmt, request)
}

/// A GetItem request for a SELECT that names one whole primary key.
fn get_item(
    engine: &mut Engine,
    stmt: &Statement,
    consistent: Option<&Value>,
    context: &str,
) -> Result<Value, DynamoError> {
    let Statement::Select {
        projection,
        table,
        index,
        filter,
        ..
    } = stmt
    else {
        return Err(validation("Unsupported operation in transaction."));
    };
    if index.is_some() {
        return Err(validation(
            "Reads on indices are not supported within transactions.",
        ));
    }
    let schema = schema(engine, stmt)?;
    let must_key = || {
        validation(format!(
            "Select statements within {context} must specify the primary key in the where clause."
        ))
    };
    let (key, rest) = key_and_rest(filter.as_ref(), &schema).map_err(|_| must_key())?;
    if !rest.is_empty() {
        return Err(must_key());
    }
    let mut req = Map::new();
    req.insert("TableName".into(), json!(table));
    req.insert("Key".into(), Value::Object(key));
    let mut b = Builder::default();
    if let Some(paths) = projection {
        if paths.iter().all(|p| p.elems.len() == 1) {
            let text: Vec<String> = paths.iter().map(|p| b.path_text(p)).collect();
            req.insert("ProjectionExpression".into(), json!(text.join(", ")));
        }
    }
    if let Some(c) = consistent {
        req.insert("ConsistentRead".into(), c.clone());
    }
    b.finish(&mut req);
    Ok(Value::Object(req))
}

/// AWS's short error code in BatchExecuteStatement responses.
fn batch_code(type_name: &str) -> String {
    match type_name {
        "ValidationException" => "ValidationError".to_string(),
        other => other.strip_suffix("Exception").unwrap_or(other).to_string(),
    }
}

/// BatchExecuteStatement: up to 25 statements, each succeeding or failing on its own
/// (reads must name a whole primary key).
pub fn batch_execute_statement(
    engine: &mut Engine,
    request: &Value,
) -> Result<Executed, DynamoError> {
    // Every member's violations are reported together, in the model's order.
    let mut c = crate::validate::constraints::Constraints::new();
    let statements = request.get("Statements").and_then(Value::as_array);
    match statements {
        None => c.push("Value null at 'statements' failed to satisfy constraint: Member must not be null"),
        Some(list) if list.is_empty() => c.push("Value '[]' at 'statements' failed to satisfy constraint: Member must have length greater than or equal to 1"),
        Some(list) if list.len() > MAX_BATCH_STATEMENTS => c.push(format!("Value at 'statements' failed to satisfy constraint: Member must have length less than or equal to {MAX_BATCH_STATEMENTS}")),
        Some(_) => {}
    }
    c.one_of(
        request.get("ReturnConsumedCapacity"),
        "returnConsumedCapacity",
        &["INDEXES", "TOTAL", "NONE"],
    );
    c.finish()?;
    let statements = statements.map(Vec::as_slice).unwrap_or_default();
    let mut responses = Vec::new();
    let mut commit = None;
    for s in statements {
        let result = parse_request(s).and_then(|stmt| {
            let table = stmt.table().to_string();
            if matches!(stmt, Statement::Select { .. }) {
                translate::prevalidate(&stmt)?;
                let req = get_item(
                    engine,
                    &stmt,
                    s.get("ConsistentRead"),
                    "BatchExecuteStatement",
                )?;
                let out = call(engine, "GetItem", &req)?;
                let mut entry = Map::new();
                entry.insert("TableName".into(), json!(table));
                if let Some(item) = out.response.get("Item") {
                    entry.insert("Item".into(), reshape(item, &stmt));
                }
                Ok((Value::Object(entry), out.commit))
            } else {
                let out = run(engine, &stmt, s)?;
                Ok((json!({ "TableName": table }), out.commit))
            }
        });
        match result {
            Ok((entry, c)) => {
                responses.push(entry);
                merge(&mut commit, c);
            }
            Err(e) => {
                let mut error = Map::new();
                error.insert("Code".into(), json!(batch_code(&e.type_name)));
                error.insert("Message".into(), json!(e.message));
                if let Some(item) = e.item {
                    error.insert("Item".into(), item);
                }
                responses.push(json!({ "Error": error }));
            }
        }
    }
    Ok(Executed {
        response: json!({ "Responses": responses }),
        commit,
    })
}

/// ExecuteTransaction: all reads (→ TransactGetItems) or all writes (→ TransactWriteItems),
/// all or nothing.
pub fn execute_transaction(engine: &mut Engine, request: &Value) -> Result<Executed, DynamoError> {
    let list = request
        .get("TransactStatements")
        .and_then(Value::as_array)
        .ok_or_else(|| validation("1 validation error detected: Value null at 'transactStatements' failed to satisfy constraint: Member must not be null"))?;
    if list.is_empty() {
        return Err(validation("1 validation error detected: Value '[]' at 'transactStatements' failed to satisfy constraint: Member must have length greater than or equal to 1"));
    }
    if list.len() > MAX_TRANSACTION_STATEMENTS {
        return Err(validation(format!("1 validation error detected: Value at 'transactStatements' failed to satisfy constraint: Member must have length less than or equal to {MAX_TRANSACTION_STATEMENTS}")));
    }
    // Per-statement validation errors name the statement, as AWS does.
    let at = |i: usize| {
        move |e: DynamoError| {
            if e.type_name == "ValidationException" {
                validation(format!(
                    "Validation failed in TransactStatements[{i}]: {}",
                    e.message
                ))
            } else {
                e
            }
        }
    };
    let mut stmts = Vec::new();
    for (i, s) in list.iter().enumerate() {
        let stmt = parse_request(s).map_err(at(i))?;
        translate::prevalidate(&stmt).map_err(at(i))?;
        if matches!(
            stmt,
            Statement::Update {
                returning: Some(_),
                ..
            } | Statement::Delete {
                returning: Some(_),
                ..
            }
        ) {
            return Err(at(i)(validation(
                "RETURNING clause is not supported in ExecuteTransaction.",
            )));
        }
        stmts.push(stmt);
    }
    let reads = stmts
        .iter()
        .filter(|s| matches!(s, Statement::Select { .. }))
        .count();
    if reads == stmts.len() {
        let mut items = Vec::new();
        for (i, stmt) in stmts.iter().enumerate() {
            let get = get_item(engine, stmt, None, "ExecuteTransaction").map_err(at(i))?;
            items.push(json!({ "Get": get }));
        }
        let mut body = json!({ "TransactItems": items });
        if let Some(v) = request.get("ReturnConsumedCapacity") {
            set(&mut body, "ReturnConsumedCapacity", v.clone());
        }
        let out = call(engine, "TransactGetItems", &body)?;
        let mut responses = out.response.get("Responses").cloned().unwrap_or(json!([]));
        if let Some(list) = responses.as_array_mut() {
            for (r, stmt) in list.iter_mut().zip(&stmts) {
                if let Some(item) = r.get_mut("Item") {
                    *item = reshape(item, stmt);
                }
            }
        }
        let mut response = json!({ "Responses": responses });
        copy_capacity(&out.response, &mut response);
        return Ok(Executed {
            response,
            commit: out.commit,
        });
    }
    if reads > 0 {
        return Err(validation("Unsupported operation in transaction."));
    }
    let mut items = Vec::new();
    for (i, stmt) in stmts.iter().enumerate() {
        let schema = schema(engine, stmt)?;
        let (op, req) = plan(stmt, &schema).map_err(at(i))?;
        let kind = match op {
            "PutItem" => "Put",
            "UpdateItem" => "Update",
            "ConditionCheck" => "ConditionCheck",
            _ => "Delete",
        };
        items.push(json!({ kind: req }));
    }
    let mut body = json!({ "TransactItems": items });
    for key in ["ClientRequestToken", "ReturnConsumedCapacity"] {
        if let Some(v) = request.get(key) {
            set(&mut body, key, v.clone());
        }
    }
    let out =
        call(engine, "TransactWriteItems", &body).map_err(|e| duplicate_reasons(e, &stmts))?;
    let mut response = json!({});
    copy_capacity(&out.response, &mut response);
    Ok(Executed {
        response,
        commit: out.commit,
    })
}

/// A cancelled INSERT reports `DuplicateItem`, not `ConditionalCheckFailed`.
fn duplicate_reasons(mut e: DynamoError, stmts: &[Statement]) -> DynamoError {
    if e.type_name != "TransactionCanceledException" {
        return e;
    }
    let Some(reasons) = e.cancellation_reasons.as_mut() else {
        return e;
    };
    for (reason, stmt) in reasons.iter_mut().zip(stmts) {
        if matches!(stmt, Statement::Insert { .. })
            && reason.get("Code").and_then(Value::as_str) == Some("ConditionalCheckFailed")
        {
            *reason = json!({ "Code": "DuplicateItem", "Message": DUPLICATE });
        }
    }
    let codes: Vec<&str> = reasons
        .iter()
        .map(|r| r.get("Code").and_then(Value::as_str).unwrap_or("None"))
        .collect();
    let prefix = "Transaction cancelled, please refer cancellation reasons for specific reasons [";
    if e.message.starts_with(prefix) {
        e.message = format!("{prefix}{}]", codes.join(", "));
    }
    e
}
