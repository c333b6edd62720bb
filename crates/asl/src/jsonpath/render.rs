//! How Jayway and Step Functions print paths and values in error causes: the canonical
//! bracket form (`$['a'][0]`) and every cause text that quotes a path.

use super::parse::{Path, Root, Segment, Selector};
use serde_json::Value;

/// `['a']` or `['a','b']`.
pub fn names(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    format!("[{}]", quoted.join(","))
}

/// One selector as Jayway prints it.
pub fn selector(sel: &Selector) -> String {
    match sel {
        Selector::Name(n) => names(std::slice::from_ref(n)),
        Selector::Names(ns) => names(ns),
        Selector::Wildcard => "[*]".to_string(),
        Selector::Index(i) => format!("[{i}]"),
        Selector::Indexes(is) => {
            let all: Vec<String> = is.iter().map(|i| i.to_string()).collect();
            format!("[{}]", all.join(","))
        }
        Selector::Slice(from, to) => format!(
            "[{}:{}]",
            from.map(|f| f.to_string()).unwrap_or_default(),
            to.map(|t| t.to_string()).unwrap_or_default()
        ),
        Selector::Filter(_) => "[?]".to_string(),
        Selector::Function(name) => format!(".{name}()"),
    }
}

/// The whole path in Jayway's canonical form: `$['a'][0]`, `$..['x']`, `$['a'][*]`.
pub fn canonical(path: &Path) -> String {
    let mut out = match &path.root {
        Root::Input => "$".to_string(),
        Root::Context => "$$".to_string(),
        Root::Current => "@".to_string(),
        Root::Variable(name) => format!("${name}"),
    };
    for seg in &path.segments {
        match seg {
            Segment::Child(sel) => out.push_str(&selector(sel)),
            Segment::Descendant(sel) => {
                out.push_str("..");
                out.push_str(&selector(sel));
            }
        }
    }
    out
}

/// A value the way Java's `toString` shows it in Jayway messages (strings bare).
pub fn java_value(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => json(other),
    }
}

/// Compact JSON as Step Functions (Jackson) writes it: `{"a":1,"b":[1.5,"x"]}`, with
/// fractional numbers as Java doubles (`1.0E20`) and control characters as `\u001F`.
pub fn json(v: &Value) -> String {
    let mut out = String::new();
    write_json(v, &mut out, 0);
    out
}

fn write_json(v: &Value, out: &mut String, depth: usize) {
    match v {
        Value::Number(n) if !(n.is_i64() || n.is_u64()) => {
            out.push_str(&crate::intrinsics::java_double(n.as_f64().unwrap_or(0.0)))
        }
        Value::String(s) => write_string(s, out),
        Value::Array(items) if depth < 512 => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out, depth + 1);
            }
            out.push(']');
        }
        Value::Object(map) if depth < 512 => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(k, out);
                out.push(':');
                write_json(item, out, depth + 1);
            }
            out.push('}');
        }
        other => out.push_str(&serde_json::to_string(other).unwrap_or_default()),
    }
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `Invalid path '<path>' : <jayway message>`: InputPath / OutputPath / ItemsPath failures.
pub fn invalid_path_cause(path_text: &str, jayway_message: &str) -> String {
    format!("Invalid path '{path_text}' : {jayway_message}")
}

/// A `.$` field (Parameters, ResultSelector, ItemSelector...) whose path found nothing:
/// `The JSONPath '$.x' specified for the field 'y.$' could not be found in the input '{...}'`.
pub fn field_not_found_cause(path_text: &str, field: &str, input: &Value) -> String {
    format!(
        "The JSONPath '{path_text}' specified for the field '{field}' could not be found in the input '{}'",
        json(input)
    )
}

/// InputPath / Parameters applied to a null or empty input (recorded AWS text).
pub const NULL_INPUT_CAUSE: &str = "Unable to apply Path transformation to null or empty input.";

/// ResultPath could not be applied (`States.ResultPathMatchFailure`).
/// NOTE: wording not confirmed against a recorded AWS cause.
pub fn result_path_cause(path_text: &str, input: &Value) -> String {
    format!(
        "Unable to apply ResultPath '{path_text}' to input '{}'",
        json(input)
    )
}

/// A `...Path` field (SecondsPath, MaxItemsPath...) whose value is not usable:
/// `The MaxItemsPath field refers to value "1.5" which is not a valid integer: $.MaxItems`.
pub fn not_valid_integer_cause(field: &str, value: &Value, path_text: &str) -> String {
    format!(
        "The {field} field refers to value \"{}\" which is not a valid integer: {path_text}",
        java_value(value)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jsonpath::parse::parse;
    use serde_json::json;

    fn canon(text: &str) -> String {
        canonical(&parse(text).expect("parses"))
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(canon("$.foo"), "$['foo']");
        assert_eq!(canon("$.a[0].b"), "$['a'][0]['b']");
        assert_eq!(canon("$..x[*]"), "$..['x'][*]");
        assert_eq!(canon("$['a','b']"), "$['a','b']");
        assert_eq!(canon("$.a[1:]"), "$['a'][1:]");
        assert_eq!(canon("$.a[?(@.b)]"), "$['a'][?]");
    }

    #[test]
    fn jackson_json() {
        assert_eq!(
            json(&json!({"a": 1, "b": [1.5, "x\"y\n\u{1f}"], "c": null})),
            "{\"a\":1,\"b\":[1.5,\"x\\\"y\\n\\u001F\"],\"c\":null}"
        );
        assert_eq!(json(&json!(1e20)), "1.0E20");
        assert_eq!(json(&json!(100.0)), "100.0");
        assert_eq!(json(&json!(-5)), "-5");
    }

    #[test]
    fn causes() {
        assert_eq!(
            invalid_path_cause("$.foo", "No results for path: $['foo']"),
            "Invalid path '$.foo' : No results for path: $['foo']"
        );
        assert_eq!(
            field_not_found_cause("$.x", "y.$", &json!({"flagged": false})),
            "The JSONPath '$.x' specified for the field 'y.$' could not be found in the input '{\"flagged\":false}'"
        );
        assert_eq!(
            not_valid_integer_cause("MaxItemsPath", &json!("1.5"), "$.MaxItems"),
            "The MaxItemsPath field refers to value \"1.5\" which is not a valid integer: $.MaxItems"
        );
    }
}
