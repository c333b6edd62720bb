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
