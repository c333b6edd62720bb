//! [`Services`]: the [`Integration`] the interpreter calls for Task states.

use crate::dynamodb::{self, CallMeta, Flavor};
use crate::mock::MockCase;
use crate::resource::Resource;
use serde_json::Value;
use statebox_asl::{Failure, Integration, TaskRequest};
use statebox_dynamo::{Commit, Engine};
use std::borrow::BorrowMut;
use std::collections::BTreeMap;
use std::time::{Duration, UNIX_EPOCH};

/// Services bound for one execution: the DynamoDB engine (borrowed, `&mut Engine`, or
/// owned), optional mocks, and what the run committed.
pub struct Services<E: BorrowMut<Engine>> {
    dynamo: E,
    mocks: Option<MockCase>,
    invocations: BTreeMap<String, u32>,
    commits: Vec<Commit>,
    calls: u64,
    now_millis: i64,
}

impl<E: BorrowMut<Engine>> Services<E> {
    /// Services over `dynamo`, with no mocks.
    pub fn new(dynamo: E) -> Self {
        Services {
            dynamo,
            mocks: None,
            invocations: BTreeMap::new(),
            commits: Vec::new(),
            calls: 0,
            now_millis: 0,
        }
    }

    /// Answers the states `case` names from its mocked responses.
    pub fn with_mocks(mut self, case: MockCase) -> Self {
        self.mocks = Some(case);
        self
    }

    /// Sets the time stamped on responses (milliseconds since the epoch).
    pub fn set_time(&mut self, now_millis: i64) {
        self.now_millis = now_millis;
    }

    /// The DynamoDB engine the services call (a driver that keeps the services across steps
    /// may swap a shared engine in and out around each step).
    pub fn engine(&mut self) -> &mut Engine {
        self.dynamo.borrow_mut()
    }

    /// Every commit the DynamoDB engine made during this run, in order (for persistence).
    pub fn take_commits(&mut self) -> Vec<Commit> {
        std::mem::take(&mut self.commits)
    }

    /// A request id in AWS's shape (52 upper-case letters and digits), deterministic per call.
    fn next_request_id(&mut self) -> String {
        self.calls += 1;
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        let mut state = self.calls.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5DEE_CE66_D1CE_4E5B;
        (0..52)
            .map(|_| {
                // xorshift64*: a fixed, dependency-free sequence; ids need only look like AWS's.
                state ^= state >> 12;
                state ^= state << 25;
                state ^= state >> 27;
                let n = state.wrapping_mul(0x2545_F491_4F6C_DD1D);
                ALPHABET[(n % ALPHABET.len() as u64) as usize] as char
            })
            .collect()
    }

    fn http_date(&self) -> String {
        let millis = u64::try_from(self.now_millis).unwrap_or(0);
        httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_millis(millis))
    }
}

impl<E: BorrowMut<Engine>> Integration for Services<E> {
    fn invoke(&mut self, request: &TaskRequest<'_>) -> Result<Value, Failure> {
        let count = self
            .invocations
            .entry(request.state_name.to_string())
            .or_insert(0);
        let invocation = *count;
        *count += 1;
        if let Some(answer) = self
            .mocks
            .as_ref()
            .and_then(|m| m.respond(request.state_name, invocation))
        {
            return answer;
        }
        let (flavor, action) = match Resource::parse(request.resource) {
            Resource::Optimized {
                service, action, ..
            } if service == "dynamodb" => (Flavor::Optimized, action),
            Resource::AwsSdk {
                service, action, ..
            } if service == "dynamodb" => (Flavor::AwsSdk, action),
            _ => {
                return Err(Failure::new(
                    "States.Runtime",
                    format!(
                        "An error occurred while executing the state '{}'. No service is bound to the resource '{}': Statebox runs DynamoDB tasks against its engine; mock other resources with a MockConfigFile test case.",
                        request.state_name, request.resource
                    ),
                ))
            }
        };
        let request_id = self.next_request_id();
        let http_date = self.http_date();
        let meta = CallMeta {
            request_id: &request_id,
            http_date: &http_date,
        };
        let (result, commit) = dynamodb::call(
            self.dynamo.borrow_mut(),
            flavor,
            &action,
            request.parameters,
            &meta,
        )?;
        if let Some(commit) = commit {
            self.commits.push(commit);
        }
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::MockConfig;
    use serde_json::json;

    fn request<'a>(resource: &'a str, state: &'a str, params: &'a Value) -> TaskRequest<'a> {
        TaskRequest {
            resource,
            state_name: state,
            parameters: params,
            task_token: None,
            attempt: 0,
        }
    }

    #[test]
    fn mocks_answer_before_services() {
        let config = MockConfig::parse(
            r#"{"StateMachines": {"M": {"TestCases": {"T": {"Call": "R"}}}},
                "MockedResponses": {"R": {"0": {"Return": {"ok": true}}}}}"#,
        )
        .unwrap();
        let mut engine = Engine::new();
        let mut services =
            Services::new(&mut engine).with_mocks(config.test_case("T", None).unwrap());
        let p = json!({});
        let lambda = "arn:aws:lambda:us-east-1:123456789012:function:f";
        assert_eq!(
            services.invoke(&request(lambda, "Call", &p)).unwrap(),
            json!({"ok": true})
        );
        let second = services.invoke(&request(lambda, "Call", &p)).unwrap_err();
        assert!(second.cause.contains("invocation 1"), "{second:?}");
        let unbound = services.invoke(&request(lambda, "Other", &p)).unwrap_err();
        assert_eq!(unbound.error, "States.Runtime");
    }

    #[test]
    fn request_ids_look_like_aws() {
        let mut engine = Engine::new();
        let mut s = Services::new(&mut engine);
        let a = s.next_request_id();
        let b = s.next_request_id();
        assert_eq!(a.len(), 52);
        assert_ne!(a, b);
        assert!(a
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
    }
}
