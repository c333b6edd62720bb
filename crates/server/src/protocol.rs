//! DynamoDB's JSON 1.0 protocol: which `X-Amz-Target`s exist, and how an error is shaped on
//! the wire (its `__type` namespace, `message` or `Message`, and HTTP status), as AWS sends
//! them.

use serde_json::{Map, Value};
use statebox_dynamo::DynamoError;

/// The target prefix of DynamoDB operations.
pub const DYNAMODB_API: &str = "DynamoDB_20120810";
/// The target prefix of DynamoDB Streams operations.
pub const STREAMS_API: &str = "DynamoDBStreams_20120810";

/// The media type SDKs send and AWS answers with.
pub const AMZ_JSON: &str = "application/x-amz-json-1.0";

const DYNAMODB_OPERATIONS: &[&str] = &[
    "BatchExecuteStatement",
    "BatchGetItem",
    "BatchWriteItem",
    "CreateBackup",
    "CreateGlobalTable",
    "CreateTable",
    "DeleteBackup",
    "DeleteItem",
    "DeleteResourcePolicy",
    "DeleteTable",
    "DescribeBackup",
    "DescribeContinuousBackups",
    "DescribeContributorInsights",
    "DescribeEndpoints",
    "DescribeExport",
    "DescribeGlobalTable",
    "DescribeGlobalTableSettings",
    "DescribeImport",
    "DescribeKinesisStreamingDestination",
    "DescribeLimits",
    "DescribeTable",
    "DescribeTableReplicaAutoScaling",
    "DescribeTimeToLive",
    "DisableKinesisStreamingDestination",
    "EnableKinesisStreamingDestination",
    "ExecuteStatement",
    "ExecuteTransaction",
    "ExportTableToPointInTime",
    "GetItem",
    "GetResourcePolicy",
    "ImportTable",
    "ListBackups",
    "ListContributorInsights",
    "ListExports",
    "ListGlobalTables",
    "ListImports",
    "ListTables",
    "ListTagsOfResource",
    "PutItem",
    "PutResourcePolicy",
    "Query",
    "RestoreTableFromBackup",
    "RestoreTableToPointInTime",
    "Scan",
    "TagResource",
    "TransactGetItems",
    "TransactWriteItems",
    "UntagResource",
    "UpdateContinuousBackups",
    "UpdateContributorInsights",
    "UpdateGlobalTable",
    "UpdateGlobalTableSettings",
    "UpdateItem",
    "UpdateKinesisStreamingDestination",
    "UpdateTable",
    "UpdateTableReplicaAutoScaling",
    "UpdateTimeToLive",
];

const STREAMS_OPERATIONS: &[&str] = &[
    "DescribeStream",
    "GetRecords",
    "GetShardIterator",
    "ListStreams",
];

/// The operation an `X-Amz-Target` names, if it is one DynamoDB or DynamoDB Streams has.
pub fn operation(target: &str) -> Option<&str> {
    let (api, operation) = target.split_once('.')?;
    let known = match api {
        DYNAMODB_API => DYNAMODB_OPERATIONS,
        STREAMS_API => STREAMS_OPERATIONS,
        _ => return None,
    };
    known.contains(&operation).then_some(operation)
}

/// Operations that never write, so never wait on the commit log.
const READ_ONLY_OPERATIONS: &[&str] = &[
    "BatchGetItem",
    "DescribeEndpoints",
    "DescribeLimits",
    "DescribeStream",
    "DescribeTable",
    "DescribeTimeToLive",
    "GetItem",
    "GetRecords",
    "GetShardIterator",
    "ListStreams",
    "ListTables",
    "ListTagsOfResource",
    "Query",
    "Scan",
    "TransactGetItems",
];

/// Whether an operation only reads (and so never waits on the disk).
pub fn reads_only(operation: &str) -> bool {
    READ_ONLY_OPERATIONS.contains(&operation)
}

/// The namespace AWS puts before an error's name in `__type`.
fn namespace(type_name: &str) -> &'static str {
    match type_name {
        "UnknownOperationException"
        | "SerializationException"
        | "MissingAuthenticationTokenException"
        | "IncompleteSignatureException"
        | "InvalidSignatureException"
        | "UnrecognizedClientException"
        | "AccessDeniedException"
        | "RequestExpired"
        | "RequestTimeoutException"
        | "RequestEntityTooLargeException"
        | "RequestHeaderFieldsTooLargeException" => "com.amazon.coral.service",
        "ValidationException" => "com.amazon.coral.validate",
        "ThrottlingException" => "com.amazon.coral.availability",
        _ => "com.amazonaws.dynamodb.v20120810",
    }
}

/// The HTTP status AWS answers an error with.
pub fn status(type_name: &str) -> u16 {
    match type_name {
        "InternalServerError" => 500,
        "ServiceUnavailable" => 503,
        "RequestTimeoutException" => 408,
        "RequestEntityTooLargeException" => 413,
        "RequestHeaderFieldsTooLargeException" => 431,
        _ => 400,
    }
}

/// The JSON body of an engine error, with the `Item` or `CancellationReasons` it carries.
pub fn engine_error_body(error: &DynamoError) -> Value {
    let mut body = error_body(&error.type_name, Some(&error.message));
    if let Value::Object(fields) = &mut body {
        if let Some(item) = &error.item {
            fields.insert("Item".into(), item.clone());
        }
        if let Some(reasons) = &error.cancellation_reasons {
            fields.insert("CancellationReasons".into(), Value::Array(reasons.clone()));
        }
    }
    body
}

/// An error's JSON body. `message` is left out when `None`, as AWS does for a body that is
/// not JSON or a target it does not know. A TransactionCanceledException's
/// `CancellationReasons` are read back from its message.
pub fn error_body(type_name: &str, message: Option<&str>) -> Value {
    let mut body = Map::new();
    body.insert(
        "__type".into(),
        Value::String(format!("{}#{type_name}", namespace(type_name))),
    );
    if type_name == "TransactionCanceledException" {
        if let Some(reasons) = message.and_then(cancellation_reasons) {
            body.insert("CancellationReasons".into(), reasons);
        }
    }
    if let Some(message) = message {
        // AWS spells it `Message` for these two, `message` for the rest.
        let key = match type_name {
            "SerializationException" | "TransactionCanceledException" => "Message",
            _ => "message",
        };
        body.insert(key.into(), Value::String(message.to_string()));
    }
    Value::Object(body)
}

/// `CancellationReasons` read back from a cancellation message such as
/// `Transaction cancelled, please refer cancellation reasons for specific reasons
/// [ConditionalCheckFailed, None]`, one reason per transaction item.
fn cancellation_reasons(message: &str) -> Option<Value> {
    let open = message.rfind('[')?;
    let close = open + message[open..].find(']')?;
    let reasons = message[open + 1..close]
        .split(',')
        .map(|code| {
            let code = code.trim();
            let mut reason = Map::new();
            reason.insert("Code".into(), Value::String(code.to_string()));
            let text = match code {
                "ConditionalCheckFailed" => Some("The conditional request failed"),
                "TransactionConflict" => Some("Transaction is ongoing for the item"),
                "ItemCollectionSizeLimitExceeded" => Some("Collection size exceeded."),
                _ => None,
            };
            if let Some(text) = text {
                reason.insert("Message".into(), Value::String(text.to_string()));
            }
            Value::Object(reason)
        })
        .collect();
    Some(Value::Array(reasons))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn knows_the_targets_of_both_apis() {
        assert_eq!(operation("DynamoDB_20120810.PutItem"), Some("PutItem"));
        assert_eq!(
            operation("DynamoDBStreams_20120810.GetRecords"),
            Some("GetRecords")
        );
        assert_eq!(operation("DynamoDB_20120810.GetRecords"), None);
        assert_eq!(operation("DynamoDB_20120810.Frobnicate"), None);
        assert_eq!(operation("DynamoDB_20111205.PutItem"), None);
        assert_eq!(operation("PutItem"), None);
        assert_eq!(operation(""), None);
    }

    #[test]
    fn knows_which_operations_only_read() {
        assert!(reads_only("GetItem") && reads_only("Query") && reads_only("GetRecords"));
        assert!(!reads_only("PutItem") && !reads_only("ExecuteStatement"));
        assert!(READ_ONLY_OPERATIONS
            .iter()
            .all(|op| DYNAMODB_OPERATIONS.contains(op) || STREAMS_OPERATIONS.contains(op)));
    }

    #[test]
    fn shapes_errors_as_aws_does() {
        assert_eq!(
            error_body(
                "ResourceNotFoundException",
                Some("Requested resource not found")
            ),
            json!({"__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
                   "message": "Requested resource not found"})
        );
        assert_eq!(
            error_body("ValidationException", Some("bad")),
            json!({"__type": "com.amazon.coral.validate#ValidationException", "message": "bad"})
        );
        assert_eq!(
            error_body("SerializationException", None),
            json!({"__type": "com.amazon.coral.service#SerializationException"})
        );
        assert_eq!(
            error_body("SerializationException", Some("x")),
            json!({"__type": "com.amazon.coral.service#SerializationException", "Message": "x"})
        );
        assert_eq!(status("InternalServerError"), 500);
        assert_eq!(status("ConditionalCheckFailedException"), 400);
        assert_eq!(status("ServiceUnavailable"), 503);
        assert_eq!(status("RequestTimeoutException"), 408);
        assert_eq!(status("RequestEntityTooLargeException"), 413);
    }

    #[test]
    fn keeps_what_an_engine_error_carries() {
        let mut error = DynamoError::new(
            "ConditionalCheckFailedException",
            "The conditional request failed",
        );
        error.item = Some(json!({"id": {"S": "a"}}));
        assert_eq!(
            engine_error_body(&error),
            json!({"__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
                   "message": "The conditional request failed", "Item": {"id": {"S": "a"}}})
        );
        let mut error = DynamoError::new("TransactionCanceledException", "cancelled [None]");
        error.cancellation_reasons = Some(vec![json!({"Code": "None"}), json!({"Code": "None"})]);
        let body = engine_error_body(&error);
        assert_eq!(
            body["CancellationReasons"],
            json!([{"Code": "None"}, {"Code": "None"}])
        );
    }

    #[test]
    fn reads_cancellation_reasons_from_the_message() {
        let message = "Transaction cancelled, please refer cancellation reasons for specific \
                       reasons [ConditionalCheckFailed, None]";
        assert_eq!(
            error_body("TransactionCanceledException", Some(message)),
            json!({"__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
                   "CancellationReasons": [
                       {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"},
                       {"Code": "None"}],
                   "Message": message})
        );
    }
}
