//! The protocol layer without sockets: turns one HTTP [`Request`] into one [`Response`] by
//! checking it as DynamoDB does (method, content type, JSON, target, credentials), running
//! the operation on the engine, and logging its commit when `--data` is set.
//!
//! The engine and its commit log sit behind one mutex: connection threads parse requests
//! in parallel and hold the lock while the engine runs an operation, writes its response
//! as JSON text straight from the stored items (`Engine::execute_to_json`: no JSON value
//! per item) and its commit is logged, so operations apply in one order and each commit is
//! on disk before its client hears of it. Without `--data` the engine builds no commits.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;
use statebox_dynamo::{DynamoError, Engine, Executed};

use crate::error::ServerError;
use crate::http::{Request, Response};
use crate::protocol::{self, AMZ_JSON};
use crate::stepfunctions::{self, Sfn};
use crate::store::CommitLog;
use statebox_stepfunctions::Config;

/// The answer to `GET /`, as DynamoDB answers a health check.
pub const HEALTHY: &str = "healthy: statebox";

/// An operation's outcome: the response body as JSON text, or the engine's error.
type Outcome = Result<Vec<u8>, Box<DynamoError>>;

/// The engine and the log its commits go to, if any.
pub(crate) type State = (Engine, Option<CommitLog>);

/// Serves DynamoDB and Step Functions requests on one engine.
pub struct Service {
    state: Arc<Mutex<State>>,
    sfn: Arc<Sfn>,
    request_ids: RequestIds,
    /// Whether writes are logged (and fsynced) before they are answered.
    durable: bool,
}

impl Service {
    /// Makes the service: `open` makes the engine (and the log its commits go to, if any);
    /// its error is returned here. The engine gets the system clock.
    pub fn start<F>(open: F) -> Result<Service, ServerError>
    where
        F: FnOnce() -> Result<State, ServerError>,
    {
        let (mut engine, log) = open()?;
        engine.set_clock(Box::new(system_millis));
        // Commits are only for the log: without one, writes need not build them.
        engine.set_commits(log.is_some());
        Ok(Service {
            durable: log.is_some(),
            state: Arc::new(Mutex::new((engine, log))),
            sfn: Arc::new(Sfn::in_memory(Config::default())),
            request_ids: RequestIds::new(),
        })
    }

    /// A service over a new, empty engine that keeps nothing on disk.
    pub fn in_memory() -> Service {
        let mut engine = Engine::new();
        engine.set_clock(Box::new(system_millis));
        engine.set_commits(false);
        Service {
            state: Arc::new(Mutex::new((engine, None))),
            sfn: Arc::new(Sfn::in_memory(Config::default())),
            request_ids: RequestIds::new(),
            durable: false,
        }
    }

    /// The same service with Step Functions run as `config` says (region and account of
    /// ARNs, clock, mocks).
    /// With `data_dir`, state machines and executions are loaded from there and their
    /// changes logged there (the directory's lock must be held: open the tables first).
    pub fn step_functions(
        mut self,
        config: Config,
        data_dir: Option<&std::path::Path>,
    ) -> Result<Service, ServerError> {
        self.sfn = Arc::new(Sfn::new(config, data_dir)?);
        Ok(self)
    }

    /// Whether answering `request` may wait on the disk (a write whose commit is fsynced).
    /// A read is answered on the worker even though it may log the TTL deletes swept before
    /// it: rare, and cheaper than moving every read off the worker.
    pub fn may_block(&self, request: &Request) -> bool {
        let target = request.header("X-Amz-Target").unwrap_or_default();
        if let Some(operation) = statebox_stepfunctions::operation(target) {
            // A synchronous execution waits for its end; TestState may write DynamoDB.
            return operation == "StartSyncExecution"
                || (self.durable && !statebox_stepfunctions::reads_only(operation));
        }
        self.durable
            && request.method == "POST"
            && !request
                .header("X-Amz-Target")
                .and_then(protocol::operation)
                .is_some_and(protocol::reads_only)
    }

    /// Answers one request. Never panics, whatever the request holds.
    pub fn handle(&self, request: &Request) -> Response {
        match request.method.as_str() {
            "GET" => return Response::new(200, "text/plain", HEALTHY.into()),
            "HEAD" => return Response::new(200, "text/plain", Vec::new()),
            "OPTIONS" => return preflight(request),
            _ => {}
        }
        let mut response = self.dispatch(request);
        response
            .headers
            .push(("x-amzn-RequestId", self.request_ids.next()));
        if request.header("Origin").is_some() {
            response
                .headers
                .push(("Access-Control-Allow-Origin", "*".into()));
        }
        response
    }

    fn dispatch(&self, request: &Request) -> Response {
        let content_type = request.header("Content-Type").map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
        let json_type = match content_type.as_deref() {
            Some("application/json") => "application/json",
            Some(AMZ_JSON) => AMZ_JSON,
            _ if request.body.is_empty() => AMZ_JSON,
            _ => "",
        };
        if request.method != "POST" || json_type.is_empty() {
            // What DynamoDB answers to anything that is not a JSON POST.
            let mut response =
                Response::new(404, "text/xml", b"<UnknownOperationException/>\n".to_vec());
            add_crc32(&mut response);
            return response;
        }
        let error = |type_name: &str, message: Option<&str>| {
            json_response(
                json_type,
                protocol::status(type_name),
                &protocol::error_body(type_name, message),
            )
        };
        let body: Option<Value> = if request.body.is_empty() {
            None
        } else {
            match serde_json::from_slice::<Value>(&request.body) {
                Ok(value @ Value::Object(_)) => Some(value),
                _ => return error("SerializationException", None),
            }
        };
        let target = request.header("X-Amz-Target").unwrap_or_default();
        let sfn_operation = statebox_stepfunctions::operation(target);
        let Some(operation) = sfn_operation.or_else(|| protocol::operation(target)) else {
            return error("UnknownOperationException", None);
        };
        let signed = request
            .header("Authorization")
            .is_some_and(|auth| auth.trim_start().starts_with("AWS4-"));
        if !signed {
            return error(
                "MissingAuthenticationTokenException",
                Some("Request is missing Authentication Token"),
            );
        }
        let Some(body) = body else {
            return error("SerializationException", None);
        };
        if let Some(operation) = sfn_operation {
            return self.step_function(json_type, operation, &body);
        }
        match self.execute(operation, body) {
            Ok(response) => text_response(json_type, 200, response),
            Err(e) => json_response(
                json_type,
                protocol::status(&e.type_name),
                &protocol::engine_error_body(&e),
            ),
        }
    }

    /// Answers one Step Functions operation.
    fn step_function(&self, json_type: &str, operation: &str, body: &Value) -> Response {
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            stepfunctions::execute(&self.sfn, &self.state, operation, body)
        }));
        match outcome {
            Ok(Ok(response)) => json_response(json_type, 200, &response),
            Ok(Err(e)) => {
                let body = serde_json::json!({
                    "__type": format!("{}#{}", e.namespace(), e.type_name()),
                    "message": e.to_string(),
                });
                json_response(json_type, e.status(), &body)
            }
            Err(_) => {
                let message = format!("statebox failed while running {operation}");
                json_response(
                    json_type,
                    500,
                    &protocol::error_body("InternalServerError", Some(&message)),
                )
            }
        }
    }

    /// Runs one operation under the engine's lock.
    fn execute(&self, operation: &str, body: Value) -> Outcome {
        // A panic inside the engine is caught below, so a poisoned lock still holds a
        // consistent engine: keep serving.
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let (engine, log) = &mut *state;
        execute(engine, log.as_mut(), operation, &body)
    }
}

/// Runs one operation and logs its commit.
fn execute(
    engine: &mut Engine,
    log: Option<&mut CommitLog>,
    operation: &str,
    body: &Value,
) -> Outcome {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        engine.execute_to_json(operation, body).map_err(Box::new)
    }));
    let Executed { response, commit } = match outcome {
        Ok(Ok(executed)) => executed,
        Ok(Err(error)) => return Err(error),
        Err(_) => {
            let message = format!("statebox failed while running {operation}");
            return Err(Box::new(DynamoError::new("InternalServerError", message)));
        }
    };
    if let (Some(commit), Some(log)) = (&commit, log) {
        if let Err(e) = log.append(commit) {
            eprintln!("statebox: cannot write {}: {e}", log.path().display());
            let message = format!("the write was applied but could not be saved: {e}");
            return Err(Box::new(DynamoError::new("InternalServerError", message)));
        }
    }
    Ok(response)
}

/// The system clock, for a server that answers real clients.
pub(crate) fn system_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn json_response(content_type: &str, status: u16, body: &Value) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    text_response(content_type, status, bytes)
}

/// A response whose body is JSON text already.
fn text_response(content_type: &str, status: u16, body: Vec<u8>) -> Response {
    let mut response = Response::new(status, content_type, body);
    add_crc32(&mut response);
    response
}

/// The answer to a request refused before it reached the protocol (a bound of
/// [`crate::limits`] was reached): AWS's JSON error shape, with its status and checksum.
pub(crate) fn refusal(type_name: &str, message: &str) -> Response {
    json_response(
        AMZ_JSON,
        protocol::status(type_name),
        &protocol::error_body(type_name, Some(message)),
    )
}

/// `x-amz-crc32`: the CRC32 of the body, which SDKs check.
fn add_crc32(response: &mut Response) {
    let crc = crc32fast::hash(&response.body);
    response.headers.push(("x-amz-crc32", crc.to_string()));
}

/// Answers a browser's CORS preflight.
fn preflight(request: &Request) -> Response {
    let mut response = Response::new(200, "text/plain", Vec::new());
    response
        .headers
        .push(("Access-Control-Allow-Origin", "*".into()));
    for (asked, allow) in [
        (
            "Access-Control-Request-Headers",
            "Access-Control-Allow-Headers",
        ),
        (
            "Access-Control-Request-Method",
            "Access-Control-Allow-Methods",
        ),
    ] {
        if let Some(value) = request.header(asked) {
            response.headers.push((allow, value.to_string()));
        }
    }
    response
        .headers
        .push(("Access-Control-Max-Age", "172800".into()));
    response
}

/// Request ids in AWS's style: 52 characters of `A-Z0-9`, unique within a process.
struct RequestIds {
    seed: u64,
    counter: AtomicU64,
}

impl RequestIds {
    fn new() -> RequestIds {
        use std::hash::{BuildHasher, Hasher};
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(std::process::id().into());
        RequestIds {
            seed: hasher.finish(),
            counter: AtomicU64::new(0),
        }
    }

    fn next(&self) -> String {
        const ALPHABET: &[u8; 36] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let mut state = self.seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (0..52)
            .map(|_| {
                state = splitmix64(state);
                ALPHABET[(state % 36) as usize] as char
            })
            .collect()
    }
}

fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(response: &Response) -> Value {
        serde_json::from_slice(&response.body).unwrap()
    }

    fn error_type(response: &Response) -> String {
        body(response)["__type"].as_str().unwrap().to_string()
    }

    #[test]
    fn answers_a_health_check() {
        let mut request = Request::dynamodb("", "");
        request.method = "GET".into();
        let response = Service::in_memory().handle(&request);
        assert_eq!(
            (response.status, response.text()),
            (200, HEALTHY.to_string())
        );
    }

    #[test]
    fn rejects_bad_requests_in_dynamodb_order() {
        let service = Service::in_memory();
        let bad_json = service.handle(&Request::dynamodb("DynamoDB_20120810.ListTables", "{"));
        assert_eq!(bad_json.status, 400);
        assert_eq!(
            body(&bad_json),
            json!({"__type": "com.amazon.coral.service#SerializationException"})
        );

        let unknown = service.handle(&Request::dynamodb("DynamoDB_20120810.Nope", "{}"));
        assert_eq!(
            error_type(&unknown),
            "com.amazon.coral.service#UnknownOperationException"
        );

        let mut unsigned = Request::dynamodb("DynamoDB_20120810.ListTables", "{}");
        unsigned.headers.retain(|(name, _)| name != "Authorization");
        let unsigned = service.handle(&unsigned);
        assert_eq!(
            body(&unsigned),
            json!({"__type": "com.amazon.coral.service#MissingAuthenticationTokenException",
                   "message": "Request is missing Authentication Token"})
        );

        let empty = service.handle(&Request::dynamodb("DynamoDB_20120810.ListTables", ""));
        assert_eq!(
            error_type(&empty),
            "com.amazon.coral.service#SerializationException"
        );

        let mut xml = Request::dynamodb("DynamoDB_20120810.ListTables", "{}");
        xml.headers.retain(|(name, _)| name != "Content-Type");
        xml.headers.push(("Content-Type".into(), "text/xml".into()));
        assert_eq!(service.handle(&xml).status, 404);
    }

    #[test]
    fn every_json_answer_has_a_request_id_and_checksum() {
        let response =
            Service::in_memory().handle(&Request::dynamodb("DynamoDB_20120810.Nope", "{}"));
        assert_eq!(response.header("x-amzn-RequestId").map(str::len), Some(52));
        let crc = crc32fast::hash(&response.body).to_string();
        assert_eq!(response.header("x-amz-crc32"), Some(crc.as_str()));
        assert_eq!(response.header("Content-Type"), Some(AMZ_JSON));
    }

    #[test]
    fn passes_engine_errors_through() {
        // Whatever the engine answers ListTables today, the body is an AWS error or a result.
        let response =
            Service::in_memory().handle(&Request::dynamodb("DynamoDB_20120810.ListTables", "{}"));
        let value = body(&response);
        if response.status != 200 {
            assert!(value["__type"].as_str().unwrap().contains('#'), "{value}");
        }
    }

    #[test]
    fn answers_step_functions_on_the_same_service() {
        let service = Service::in_memory();
        let created = service.handle(&Request::dynamodb(
            "AWSStepFunctions.CreateStateMachine",
            r#"{"name": "M", "roleArn": "r", "definition": "{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Succeed\"}}}"}"#,
        ));
        assert_eq!(created.status, 200, "{}", created.text());
        assert_eq!(
            body(&created)["stateMachineArn"],
            "arn:aws:states:us-east-1:123456789012:stateMachine:M"
        );
        let missing = service.handle(&Request::dynamodb(
            "AWSStepFunctions.DescribeExecution",
            r#"{"executionArn": "arn:aws:states:us-east-1:123456789012:execution:M:e"}"#,
        ));
        assert_eq!(
            body(&missing),
            json!({"__type": "com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist",
                   "message": "Execution Does Not Exist: 'arn:aws:states:us-east-1:123456789012:execution:M:e'"})
        );
        let invalid = service.handle(&Request::dynamodb("AWSStepFunctions.ListExecutions", "{}"));
        assert_eq!(
            error_type(&invalid),
            "com.amazon.coral.validate#ValidationException"
        );
        let unknown = service.handle(&Request::dynamodb("AWSStepFunctions.Frobnicate", "{}"));
        assert_eq!(
            error_type(&unknown),
            "com.amazon.coral.service#UnknownOperationException"
        );
    }

    #[test]
    fn runs_executions_in_the_background() {
        let service = Service::in_memory();
        let create = r#"{"name": "M", "roleArn": "r", "definition": "{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}"}"#;
        service.handle(&Request::dynamodb(
            "AWSStepFunctions.CreateStateMachine",
            create,
        ));
        let start = r#"{"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:M", "name": "e", "input": "{\"x\": 1}"}"#;
        let started = service.handle(&Request::dynamodb("AWSStepFunctions.StartExecution", start));
        assert_eq!(started.status, 200, "{}", started.text());
        let describe = r#"{"executionArn": "arn:aws:states:us-east-1:123456789012:execution:M:e"}"#;
        let mut status = String::new();
        for _ in 0..200 {
            let described = service.handle(&Request::dynamodb(
                "AWSStepFunctions.DescribeExecution",
                describe,
            ));
            status = body(&described)["status"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            if status != "RUNNING" {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert_eq!(status, "SUCCEEDED");
    }

    #[test]
    fn request_ids_differ() {
        let ids = RequestIds::new();
        let (a, b) = (ids.next(), ids.next());
        assert_ne!(a, b);
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
    }
}
