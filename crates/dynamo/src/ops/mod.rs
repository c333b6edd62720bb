//! The operations, one file each, and the dispatch from operation name to handler.

pub mod batch;
pub mod common;
pub mod create_table;
pub mod delete_item;
pub mod expression;
pub mod get_item;
pub mod put_item;
pub mod query;
pub mod read;
pub mod scan;
pub mod select;
pub mod tables;
pub mod tags;
pub mod transact_get;
pub mod transact_write;
pub mod ttl;
pub mod update_item;
pub mod update_table;
pub mod write;

use serde_json::Value;

use crate::response::Outcome;
use crate::{DynamoError, Engine, Executed};

/// Every operation name `execute` knows.
pub const OPERATIONS: &[&str] = &[
    "CreateTable",
    "DescribeTable",
    "ListTables",
    "DeleteTable",
    "UpdateTable",
    "UpdateTimeToLive",
    "DescribeTimeToLive",
    "TagResource",
    "UntagResource",
    "ListTagsOfResource",
    "DescribeLimits",
    "DescribeEndpoints",
    "DescribeContinuousBackups",
    "PutItem",
    "GetItem",
    "DeleteItem",
    "UpdateItem",
    "Query",
    "Scan",
    "BatchGetItem",
    "BatchWriteItem",
    "TransactGetItems",
    "TransactWriteItems",
    "ExecuteStatement",
    "BatchExecuteStatement",
    "ExecuteTransaction",
    "ListStreams",
    "DescribeStream",
    "GetShardIterator",
    "GetRecords",
];

/// Runs one operation by name. Query, Scan and GetItem answer with the stored items
/// borrowed; the rest with a JSON value.
pub fn dispatch<'e>(
    engine: &'e mut Engine,
    operation: &str,
    body: &Value,
) -> Result<Outcome<'e>, DynamoError> {
    let op = operation
        .strip_prefix("DynamoDB_20120810.")
        .or_else(|| operation.strip_prefix("DynamoDBStreams_20120810."))
        .unwrap_or(operation);
    match op {
        "GetItem" => get_item::run(engine, body),
        "Query" => query::run(engine, body),
        "Scan" => scan::run(engine, body),
        _ => dispatch_value(engine, op, operation, body).map(Outcome::from),
    }
}

/// Runs an operation whose response is a JSON value (`op` without its target prefix).
fn dispatch_value(
    engine: &mut Engine,
    op: &str,
    operation: &str,
    body: &Value,
) -> Result<Executed, DynamoError> {
    match op {
        "CreateTable" => create_table::run(engine, body),
        "DescribeTable" => tables::describe_table(engine, body),
        "ListTables" => tables::list_tables(engine, body),
        "DeleteTable" => tables::delete_table(engine, body),
        "UpdateTable" => update_table::run(engine, body),
        "DescribeLimits" => tables::describe_limits(engine, body),
        "DescribeContinuousBackups" => tables::describe_continuous_backups(engine, body),
        "DescribeEndpoints" => tables::describe_endpoints(engine, body),
        "UpdateTimeToLive" => ttl::update_time_to_live(engine, body),
        "DescribeTimeToLive" => ttl::describe_time_to_live(engine, body),
        "TagResource" => tags::tag_resource(engine, body),
        "UntagResource" => tags::untag_resource(engine, body),
        "ListTagsOfResource" => tags::list_tags(engine, body),
        "PutItem" => put_item::run(engine, body),
        "DeleteItem" => delete_item::run(engine, body),
        "UpdateItem" => update_item::run(engine, body),
        "BatchGetItem" => batch::batch_get_item(engine, body),
        "BatchWriteItem" => batch::batch_write_item(engine, body),
        "TransactGetItems" => transact_get::run(engine, body),
        "TransactWriteItems" => transact_write::run(engine, body),
        "ExecuteStatement" => crate::partiql::execute_statement(engine, body),
        "BatchExecuteStatement" => crate::partiql::batch_execute_statement(engine, body),
        "ExecuteTransaction" => crate::partiql::execute_transaction(engine, body),
        "ListStreams" => crate::streams::api::list_streams(engine, body),
        "DescribeStream" => crate::streams::api::describe_stream(engine, body),
        "GetShardIterator" => crate::streams::api::get_shard_iterator(engine, body),
        "GetRecords" => crate::streams::api::get_records(engine, body),
        _ => Err(DynamoError::new(
            "UnknownOperationException",
            format!("Unknown operation: {operation}"),
        )),
    }
}
