//! Data-driven definition tests: `testdata/definitions.jsonl` lists definitions and the
//! diagnostic codes (with pointers) AWS reports for them.

use super::*;
use serde_json::Value;

#[test]
fn definitions_from_file() {
    let text = include_str!("../../testdata/definitions.jsonl");
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let case: Value = serde_json::from_str(line).unwrap();
        let def = match &case["definition"] {
            Value::String(s) => s.clone(),
            v => serde_json::to_string_pretty(v).unwrap(),
        };
        let parsed = parse_definition(&def);
        let got: Vec<String> = parsed
            .diagnostics
            .iter()
            .map(|d| format!("{} {}", d.code, d.pointer))
            .collect();
        let want: Vec<String> = case["expect"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        assert_eq!(got, want, "line {}: {}", i + 1, case["name"]);
        for d in &parsed.diagnostics {
            assert!(d.range.is_some(), "line {}: no range for {d:?}", i + 1);
        }
    }
}

#[test]
fn half_typed_text_gives_a_ranged_diagnostic() {
    let p = parse_definition("{\n  \"StartAt\": \"A\",\n  \"States\": {");
    assert!(p.machine.is_none());
    assert_eq!(p.diagnostics[0].code, "INVALID_JSON_DESCRIPTION");
    assert_eq!(p.diagnostics[0].range.unwrap().start.line, 3);
}

#[test]
fn fields_of_the_other_query_language_get_aws_messages() {
    let p = parse_definition(
        r#"{"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.a", "QueryLanguage": "JSONPath", "End": true}}}"#,
    );
    let messages: Vec<&str> = p.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(
        messages.contains(
            &"'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine"
        ),
        "{messages:?}"
    );
    let p = parse_definition(
        r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "QueryLanguage": "JSONata", "Parameters": {}, "End": true}}}"#,
    );
    assert_eq!(
        p.diagnostics[0].message,
        "The QueryLanguage is set to 'JSONata', but field 'Parameters' is only supported for the 'JSONPath' QueryLanguage"
    );
    let p = parse_definition(
        r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Output": 1, "QueryLanguage": "jsonpath", "End": true}}}"#,
    );
    let messages: Vec<&str> = p.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        vec![
            "Value should be one of the following: [JSONPath, JSONata]",
            "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage"
        ]
    );
}
