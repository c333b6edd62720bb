//! Mocked service responses in Step Functions Local's MockConfigFile format.
//!
//! ```json
//! {"StateMachines": {"Machine": {"TestCases": {"HappyPath": {"LambdaState": "MockedSuccess"}}}},
//!  "MockedResponses": {"MockedSuccess": {"0": {"Return": {"StatusCode": 200}}},
//!                      "MockedRetry": {"0-1": {"Throw": {"Error": "E", "Cause": "c"}}, "2": {"Return": 1}}}}
//! ```
//! A test case maps state names to mocked responses; a response maps invocation ranges
//! (`"0"`, `"1-2"`, counting every call of that state, retries included) to a `Return`
//! value or a `Throw` error. States a test case does not name call the real service.

use crate::error::ServicesError;
use serde_json::Value;
use statebox_asl::Failure;
use std::collections::BTreeMap;

/// One mocked answer.
#[derive(Debug, Clone, PartialEq)]
pub enum MockResponse {
    /// The task succeeds with this result.
    Return(Value),
    /// The task fails with this error and cause.
    Throw(Failure),
}

/// One mocked response: answers per invocation range, in file order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MockedResponse {
    ranges: Vec<(u32, u32, MockResponse)>,
}

impl MockedResponse {
    /// The answer for the `invocation`-th call (0-based), if the file defines one.
    pub fn for_invocation(&self, invocation: u32) -> Option<&MockResponse> {
        self.ranges
            .iter()
            .find(|(lo, hi, _)| (*lo..=*hi).contains(&invocation))
            .map(|(_, _, r)| r)
    }
}

/// A parsed MockConfigFile.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MockConfig {
    /// state machine → test case → state name → mocked response name.
    state_machines: BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>>,
    responses: BTreeMap<String, MockedResponse>,
}

/// The mocks of one test case: state name → mocked response.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MockCase {
    pub name: String,
    states: BTreeMap<String, MockedResponse>,
}

impl MockCase {
    /// The mocked answer for `state`'s `invocation`-th call: `None` when the state is not
    /// mocked (the real service is called), an error when it is mocked but the file has no
    /// answer for that invocation.
    pub fn respond(&self, state: &str, invocation: u32) -> Option<Result<Value, Failure>> {
        let mocked = self.states.get(state)?;
        Some(match mocked.for_invocation(invocation) {
            Some(MockResponse::Return(v)) => Ok(v.clone()),
            Some(MockResponse::Throw(f)) => Err(f.clone()),
            None => Err(Failure::new(
                "States.Runtime",
                format!(
                    "The mocked response for state '{state}' in test case '{}' has no entry for invocation {invocation}.",
                    self.name
                ),
            )),
        })
    }

    /// The states this test case mocks.
    pub fn mocked_states(&self) -> impl Iterator<Item = &str> {
        self.states.keys().map(String::as_str)
    }
}

impl MockConfig {
    /// Parses a MockConfigFile, saying where anything is wrong.
    pub fn parse(text: &str) -> Result<MockConfig, ServicesError> {
        let root: Value = serde_json::from_str(text).map_err(|e| ServicesError::MockJson {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        let root = object(&root, "")?;
        let mut config = MockConfig::default();
        for key in root.keys() {
            if key != "StateMachines" && key != "MockedResponses" {
                return Err(shape(
                    &format!("/{}", escape(key)),
                    "unknown field (expected StateMachines or MockedResponses)",
                ));
            }
        }
        if let Some(responses) = root.get("MockedResponses") {
            for (name, ranges) in object(responses, "/MockedResponses")? {
                let pointer = format!("/MockedResponses/{}", escape(name));
                config
                    .responses
                    .insert(name.clone(), parse_response(ranges, &pointer)?);
            }
        }
        if let Some(machines) = root.get("StateMachines") {
            for (machine, body) in object(machines, "/StateMachines")? {
                let mp = format!("/StateMachines/{}", escape(machine));
                let body = object(body, &mp)?;
                let cases = body
                    .get("TestCases")
                    .ok_or_else(|| shape(&mp, "missing TestCases"))?;
                let cp = format!("{mp}/TestCases");
                let mut parsed = BTreeMap::new();
                for (case, states) in object(cases, &cp)? {
                    let sp = format!("{cp}/{}", escape(case));
                    let mut map = BTreeMap::new();
                    for (state, response) in object(states, &sp)? {
                        let rp = format!("{sp}/{}", escape(state));
                        let response = response
                            .as_str()
                            .ok_or_else(|| shape(&rp, "must be the name of a mocked response"))?;
                        if !config.responses.contains_key(response) {
                            return Err(shape(
                                &rp,
                                &format!(
                                    "no mocked response named '{response}' in MockedResponses"
                                ),
                            ));
                        }
                        map.insert(state.clone(), response.to_string());
                    }
                    parsed.insert(case.clone(), map);
                }
                config.state_machines.insert(machine.clone(), parsed);
            }
        }
        Ok(config)
    }

    /// Picks a test case by name, in `state_machine` if given, else in whichever state
    /// machine defines it (it must be unambiguous).
    pub fn test_case(
        &self,
        name: &str,
        state_machine: Option<&str>,
    ) -> Result<MockCase, ServicesError> {
        let mut found = self
            .state_machines
            .iter()
            .filter(|(m, _)| state_machine.is_none_or(|wanted| wanted == m.as_str()))
            .filter_map(|(_, cases)| cases.get(name));
        let Some(states) = found.next() else {
            return Err(ServicesError::UnknownTestCase {
                name: name.to_string(),
                available: self.test_case_names().join(", "),
            });
        };
        let states = states
            .iter()
            .filter_map(|(state, response)| {
                self.responses
                    .get(response)
                    .map(|r| (state.clone(), r.clone()))
            })
            .collect();
        Ok(MockCase {
            name: name.to_string(),
            states,
        })
    }

    /// Every `StateMachine/TestCase` the file defines.
    pub fn test_case_names(&self) -> Vec<String> {
        self.state_machines
            .iter()
            .flat_map(|(m, cases)| cases.keys().map(move |c| format!("{m}/{c}")))
            .collect()
    }
}

fn parse_response(ranges: &Value, pointer: &str) -> Result<MockedResponse, ServicesError> {
    let mut parsed = MockedResponse::default();
    for (range, answer) in object(ranges, pointer)? {
        let rp = format!("{pointer}/{}", escape(range));
        let (lo, hi) = parse_range(range)
            .ok_or_else(|| shape(&rp, "invocation range must be \"N\" or \"N-M\" with N <= M"))?;
        let answer = object(answer, &rp)?;
        let response = match (answer.get("Return"), answer.get("Throw")) {
            (Some(v), None) => MockResponse::Return(v.clone()),
            (None, Some(t)) => {
                let tp = format!("{rp}/Throw");
                let t = object(t, &tp)?;
                let text = |field: &str| -> Result<String, ServicesError> {
                    match t.get(field) {
                        None => Ok(String::new()),
                        Some(Value::String(s)) => Ok(s.clone()),
                        Some(_) => Err(shape(&format!("{tp}/{field}"), "must be a string")),
                    }
                };
                MockResponse::Throw(Failure::new(text("Error")?, text("Cause")?))
            }
            _ => return Err(shape(&rp, "must have exactly one of Return or Throw")),
        };
        parsed.ranges.push((lo, hi, response));
    }
    Ok(parsed)
}

fn parse_range(text: &str) -> Option<(u32, u32)> {
    let (lo, hi) = match text.split_once('-') {
        Some((a, b)) => (a.trim().parse().ok()?, b.trim().parse().ok()?),
        None => {
            let n = text.trim().parse().ok()?;
            (n, n)
        }
    };
    (lo <= hi).then_some((lo, hi))
}

fn object<'a>(
    value: &'a Value,
    pointer: &str,
) -> Result<&'a serde_json::Map<String, Value>, ServicesError> {
    value.as_object().ok_or_else(|| {
        shape(
            if pointer.is_empty() { "/" } else { pointer },
            "must be an object",
        )
    })
}

fn shape(pointer: &str, message: &str) -> ServicesError {
    ServicesError::MockShape {
        pointer: pointer.to_string(),
        message: message.to_string(),
    }
}

/// JSON pointer escaping (RFC 6901).
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const FILE: &str = r#"{
      "StateMachines": {"M": {"TestCases": {"Happy": {"A": "Ok"}, "Retry": {"A": "Flaky"}}}},
      "MockedResponses": {
        "Ok": {"0": {"Return": {"StatusCode": 200, "Payload": {"x": 1}}}},
        "Flaky": {"0-1": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "slow down"}},
                  "2": {"Return": 7}}
      }}"#;

    #[test]
    fn answers_by_invocation_range() {
        let config = MockConfig::parse(FILE).unwrap();
        let case = config.test_case("Retry", None).unwrap();
        let err = case.respond("A", 0).unwrap().unwrap_err();
        assert_eq!(err.error, "Lambda.TooManyRequestsException");
        assert!(case.respond("A", 1).unwrap().is_err());
        assert_eq!(case.respond("A", 2).unwrap().unwrap(), json!(7));
        assert!(case.respond("A", 3).unwrap().is_err(), "no entry for 3");
        assert!(case.respond("B", 0).is_none(), "B is not mocked");
    }

    #[test]
    fn errors_say_where() {
        let err =
            MockConfig::parse(r#"{"MockedResponses": {"X": {"a-b": {"Return": 1}}}}"#).unwrap_err();
        assert!(err.to_string().contains("/MockedResponses/X/a-b"), "{err}");
        let err = MockConfig::parse("{\n  \"StateMachines\": [}").unwrap_err();
        assert!(
            matches!(err, ServicesError::MockJson { line: 2, .. }),
            "{err}"
        );
        let err = MockConfig::parse(
            r#"{"StateMachines": {"M": {"TestCases": {"T": {"S": "Missing"}}}}}"#,
        )
        .unwrap_err();
        assert!(err
            .to_string()
            .contains("no mocked response named 'Missing'"));
        let config = MockConfig::parse(FILE).unwrap();
        let err = config.test_case("Nope", None).unwrap_err();
        assert!(err.to_string().contains("M/Happy"), "{err}");
    }
}
