//! DynamoDB Task resources against the in-memory engine, shaped as AWS returns them.
//!
//! The optimized integration (`arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem`)
//! adds `SdkHttpMetadata` and `SdkResponseMetadata` to the result and names errors
//! `DynamoDB.<Exception>` (`DynamoDB.AmazonDynamoDBException` for errors the Java SDK v1
//! does not model, such as ValidationException). The AWS SDK integration
//! (`arn:aws:states:::aws-sdk:dynamodb:<action>`) returns the bare response and names errors
//! `DynamoDb.<Exception>` (`DynamoDb.DynamoDbException` for unmodeled ones).

use serde_json::{json, Value};
use statebox_asl::Failure;
use statebox_dynamo::{Commit, DynamoError, Engine};

/// The actions the optimized integration offers.
pub const OPTIMIZED_ACTIONS: [&str; 4] = ["getItem", "putItem", "updateItem", "deleteItem"];

/// Error types the AWS SDKs model as their own exception classes; others surface as the
/// service's base exception.
const MODELED_ERRORS: [&str; 17] = [
    "BackupInUseException",
    "BackupNotFoundException",
    "ConditionalCheckFailedException",
    "DuplicateItemException",
    "IdempotentParameterMismatchException",
    "InternalServerErrorException",
    "ItemCollectionSizeLimitExceededException",
    "LimitExceededException",
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "ResourceInUseException",
    "ResourceNotFoundException",
    "TableAlreadyExistsException",
    "TableInUseException",
    "TableNotFoundException",
    "TransactionCanceledException",
    "TransactionConflictException",
];

/// Which Step Functions integration called DynamoDB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Optimized,
    AwsSdk,
}

/// One call's context: the request id and time AWS would stamp on it.
pub struct CallMeta<'a> {
    pub request_id: &'a str,
    pub http_date: &'a str,
}

/// Runs `action` (camelCase, as in the ARN) with `parameters`, returning the task result and
/// the engine's commit.
pub fn call(
    engine: &mut Engine,
    flavor: Flavor,
    action: &str,
    parameters: &Value,
    meta: &CallMeta<'_>,
) -> Result<(Value, Option<Commit>), Failure> {
    if flavor == Flavor::Optimized && !OPTIMIZED_ACTIONS.contains(&action) {
        return Err(Failure::new(
            "States.Runtime",
            format!(
                "The resource provided arn:aws:states:::dynamodb:{action} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."
            ),
        ));
    }
    let operation = pascal_case(action);
    match engine.execute(&operation, parameters) {
        Ok(done) => {
            let result = match flavor {
                Flavor::AwsSdk => done.response,
                Flavor::Optimized => with_sdk_metadata(done.response, meta),
            };
            Ok((result, done.commit))
        }
        Err(e) => Err(rename(flavor, &e, meta.request_id)),
    }
}

/// `putItem` → `PutItem`.
fn pascal_case(action: &str) -> String {
    let mut chars = action.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

fn status_code(e: &DynamoError) -> u16 {
    if e.type_name.starts_with("InternalServerError") {
        500
    } else {
        400
    }
}

/// Names a DynamoDB error the way Step Functions reports it for `flavor`.
pub fn rename(flavor: Flavor, e: &DynamoError, request_id: &str) -> Failure {
    let modeled = MODELED_ERRORS.contains(&e.type_name.as_str());
    let status = status_code(e);
    match flavor {
        Flavor::Optimized => Failure::new(
            if modeled {
                format!("DynamoDB.{}", e.type_name)
            } else {
                "DynamoDB.AmazonDynamoDBException".to_string()
            },
            format!(
                "{} (Service: AmazonDynamoDBv2; Status Code: {status}; Error Code: {}; Request ID: {request_id}; Proxy: null)",
                e.message, e.type_name
            ),
        ),
        Flavor::AwsSdk => Failure::new(
            if modeled {
                format!("DynamoDb.{}", e.type_name)
            } else {
                "DynamoDb.DynamoDbException".to_string()
            },
            format!(
                "{} (Service: DynamoDb, Status Code: {status}, Request ID: {request_id})",
                e.message
            ),
        ),
    }
}

/// Adds the HTTP metadata the optimized integration's Java SDK exposes.
fn with_sdk_metadata(response: Value, meta: &CallMeta<'_>) -> Value {
    let body = response.to_string();
    let length = body.len().to_string();
    let crc = crc32fast::hash(body.as_bytes()).to_string();
    let headers = [
        ("Connection", "keep-alive"),
        ("Content-Length", length.as_str()),
        ("Content-Type", "application/x-amz-json-1.0"),
        ("Date", meta.http_date),
        ("Server", "Server"),
        ("x-amz-crc32", crc.as_str()),
        ("x-amzn-RequestId", meta.request_id),
    ];
    let mut all = serde_json::Map::new();
    let mut single = serde_json::Map::new();
    for (k, v) in headers {
        all.insert(k.to_string(), json!([v]));
        single.insert(k.to_string(), json!(v));
    }
    let mut out = match response {
        Value::Object(map) => map,
        other => {
            let mut m = serde_json::Map::new();
            m.insert("Response".to_string(), other);
            m
        }
    };
    out.insert(
        "SdkHttpMetadata".to_string(),
        json!({"AllHttpHeaders": all, "HttpHeaders": single, "HttpStatusCode": 200}),
    );
    out.insert(
        "SdkResponseMetadata".to_string(),
        json!({"RequestId": meta.request_id}),
    );
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_as_aws_does() {
        let v = DynamoError::new("ValidationException", "1 validation error detected: x");
        let f = rename(Flavor::Optimized, &v, "RID");
        assert_eq!(f.error, "DynamoDB.AmazonDynamoDBException");
        assert_eq!(
            f.cause,
            "1 validation error detected: x (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ValidationException; Request ID: RID; Proxy: null)"
        );
        let nf = DynamoError::new("ResourceNotFoundException", "Requested resource not found");
        let f = rename(Flavor::AwsSdk, &nf, "RID");
        assert_eq!(f.error, "DynamoDb.ResourceNotFoundException");
        assert_eq!(
            f.cause,
            "Requested resource not found (Service: DynamoDb, Status Code: 400, Request ID: RID)"
        );
        let c = DynamoError::new(
            "ConditionalCheckFailedException",
            "The conditional request failed",
        );
        assert_eq!(
            rename(Flavor::Optimized, &c, "R").error,
            "DynamoDB.ConditionalCheckFailedException"
        );
        assert_eq!(
            rename(Flavor::AwsSdk, &v, "R").error,
            "DynamoDb.DynamoDbException"
        );
    }

    #[test]
    fn metadata_counts_the_body() {
        let meta = CallMeta {
            request_id: "R",
            http_date: "Thu, 01 Jan 1970 00:00:00 GMT",
        };
        let out = with_sdk_metadata(json!({}), &meta);
        assert_eq!(
            out["SdkHttpMetadata"]["HttpHeaders"]["Content-Length"],
            json!("2")
        );
        assert_eq!(out["SdkResponseMetadata"]["RequestId"], json!("R"));
    }

    #[test]
    fn unsupported_optimized_action_fails() {
        let mut engine = Engine::new();
        let meta = CallMeta {
            request_id: "R",
            http_date: "d",
        };
        let err = call(&mut engine, Flavor::Optimized, "query", &json!({}), &meta).unwrap_err();
        assert_eq!(err.error, "States.Runtime");
        assert_eq!(pascal_case("transactWriteItems"), "TransactWriteItems");
    }
}
