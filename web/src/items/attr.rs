//! DynamoDB attribute values as the items grid shows them: each value's type, its text
//! (numbers exactly as stored, sets, maps, lists, binary and null as what they are), the
//! union of attribute names for the columns, an item's key, and an order for sorting that
//! compares numbers as exact decimals (never f64). Pure.

use serde_json::{Map, Value};
use std::cmp::Ordering;

/// The DynamoDB type tag of a value (`S`, `N`, `B`, `BOOL`, `NULL`, `SS`, `NS`, `BS`, `L`, `M`),
/// or `?` when the value is not DynamoDB JSON.
pub fn type_of(value: &Value) -> &str {
    match value.as_object() {
        Some(o) if o.len() == 1 => o.keys().next().map(String::as_str).unwrap_or("?"),
        _ => "?",
    }
}

fn inner(value: &Value) -> &Value {
    value
        .as_object()
        .and_then(|o| o.values().next())
        .unwrap_or(&Value::Null)
}

fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// The value's text: S as is, N exactly as stored, B as base64 with its length, sets as
/// `{…}` (a set, not a list), lists as `[…]`, maps as `{name: …}` with typed inner values.
pub fn display(value: &Value) -> String {
    let v = inner(value);
    match type_of(value) {
        "S" => v.as_str().unwrap_or_default().to_string(),
        "N" => v.as_str().unwrap_or_default().to_string(),
        "B" => binary(v.as_str().unwrap_or_default()),
        "BOOL" => v.as_bool().map(|b| b.to_string()).unwrap_or_default(),
        "NULL" => "null".to_string(),
        "SS" => format!(
            "{{{}}}",
            strings(v)
                .iter()
                .map(|s| quoted(s))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        "NS" => format!("{{{}}}", strings(v).join(", ")),
        "BS" => format!(
            "{{{}}}",
            strings(v)
                .iter()
                .map(|s| binary(s))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        "L" => format!(
            "[{}]",
            v.as_array()
                .map(|a| a.iter().map(nested).collect::<Vec<_>>().join(", "))
                .unwrap_or_default()
        ),
        "M" => format!(
            "{{{}}}",
            v.as_object()
                .map(|o| o
                    .iter()
                    .map(|(k, x)| format!("{}: {}", quoted(k), nested(x)))
                    .collect::<Vec<_>>()
                    .join(", "))
                .unwrap_or_default()
        ),
        _ => value.to_string(),
    }
}

/// A value inside a list or map: strings quoted so `"1"` and `1` differ.
fn nested(value: &Value) -> String {
    match type_of(value) {
        "S" => quoted(inner(value).as_str().unwrap_or_default()),
        _ => display(value),
    }
}

fn binary(base64: &str) -> String {
    let len = base64.trim_end_matches('=').len() * 3 / 4;
    format!("0x… {base64} ({len} B)")
}

/// The union of attribute names over `items`: the key attributes first, then the others in
/// the order first seen.
pub fn columns<'a>(
    key_names: &[String],
    items: impl IntoIterator<Item = &'a Value>,
) -> Vec<String> {
    let mut out: Vec<String> = key_names.to_vec();
    for item in items {
        for name in item.as_object().into_iter().flat_map(|o| o.keys()) {
            if !out.contains(name) {
                out.push(name.clone());
            }
        }
    }
    out
}

/// The types `column` holds over `items`, in first-seen order (`["N"]`, or `["S", "N"]`).
pub fn column_types<'a>(column: &str, items: impl IntoIterator<Item = &'a Value>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        if let Some(v) = item.get(column) {
            let t = type_of(v).to_string();
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    out
}

/// The item's key attributes as compact DynamoDB JSON, in key-schema order (the grid's
/// `data-key`).
pub fn key_of(key_names: &[String], item: &Value) -> Value {
    let mut key = Map::new();
    for name in key_names {
        if let Some(v) = item.get(name) {
            key.insert(name.clone(), v.clone());
        }
    }
    Value::Object(key)
}

/// `key_of` as text.
pub fn key_text(key_names: &[String], item: &Value) -> String {
    key_of(key_names, item).to_string()
}

/// The item with its key attributes first (the editor's order).
pub fn keys_first(key_names: &[String], item: &Value) -> Value {
    let mut out = Map::new();
    for name in key_names {
        if let Some(v) = item.get(name) {
            out.insert(name.clone(), v.clone());
        }
    }
    for (k, v) in item.as_object().into_iter().flatten() {
        if !out.contains_key(k) {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

/// A decimal as (negative, digits without leading zeros, exponent of the first digit).
fn decimal_parts(text: &str) -> (bool, Vec<u8>, i64) {
    let t = text.trim();
    let (neg, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (mantissa, exp) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], t[i + 1..].parse::<i64>().unwrap_or(0)),
        None => (t, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits: Vec<u8> = int
        .bytes()
        .chain(frac.bytes())
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    let mut point = int.len() as i64 + exp;
    while digits.first() == Some(&0) {
        digits.remove(0);
        point -= 1;
    }
    while digits.last() == Some(&0) {
        digits.pop();
    }
    if digits.is_empty() {
        return (false, digits, 0);
    }
    (neg, digits, point)
}

/// Compares two decimal texts exactly (38 digits and more, never through f64).
pub fn compare_numbers(a: &str, b: &str) -> Ordering {
    let (an, ad, ap) = decimal_parts(a);
    let (bn, bd, bp) = decimal_parts(b);
    let sign = |neg: bool, d: &Vec<u8>| {
        if d.is_empty() {
            0
        } else if neg {
            -1
        } else {
            1
        }
    };
    let (sa, sb) = (sign(an, &ad), sign(bn, &bd));
    if sa != sb {
        return sa.cmp(&sb);
    }
    if sa == 0 {
        return Ordering::Equal;
    }
    let magnitude = ap.cmp(&bp).then_with(|| ad.cmp(&bd));
    if sa < 0 {
        magnitude.reverse()
    } else {
        magnitude
    }
}

/// The order of two values of a column: missing values last, then by type name, then N
/// numerically, S and B by bytes, others by their text.
pub fn compare_values(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(a), Some(b)) => {
            let (ta, tb) = (type_of(a), type_of(b));
            if ta != tb {
                return ta.cmp(tb);
            }
            let (ia, ib) = (inner(a), inner(b));
            match ta {
                "N" => compare_numbers(
                    ia.as_str().unwrap_or_default(),
                    ib.as_str().unwrap_or_default(),
                ),
                "S" | "B" => ia
                    .as_str()
                    .unwrap_or_default()
                    .cmp(ib.as_str().unwrap_or_default()),
                _ => display(a).cmp(&display(b)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_show_as_what_they_are() {
        let n = "12345678901234567890123456789012345678";
        assert_eq!(display(&json!({"N": n})), n);
        assert_eq!(display(&json!({"SS": ["a", "b"]})), r#"{"a", "b"}"#);
        assert_eq!(display(&json!({"NS": ["1", "2.50"]})), "{1, 2.50}");
        assert_eq!(display(&json!({"NULL": true})), "null");
        assert_eq!(display(&json!({"BOOL": false})), "false");
        assert_eq!(display(&json!({"B": "AAEC"})), "0x… AAEC (3 B)");
        assert_eq!(
            display(&json!({"L": [{"S": "1"}, {"N": "1"}]})),
            r#"["1", 1]"#
        );
        assert_eq!(
            display(&json!({"M": {"a": {"SS": ["x"]}}})),
            r#"{"a": {"x"}}"#
        );
        assert_eq!(type_of(&json!({"BS": []})), "BS");
        assert_eq!(type_of(&json!(3)), "?");
    }

    #[test]
    fn columns_are_the_union_with_keys_first() {
        let items = [
            json!({"b": {"S": "x"}, "pk": {"S": "1"}}),
            json!({"c": {"N": "1"}, "b": {"N": "2"}}),
        ];
        assert_eq!(columns(&["pk".into()], &items), ["pk", "b", "c"]);
        assert_eq!(column_types("b", &items), ["S", "N"]);
        let first = keys_first(&["pk".into()], &items[0]);
        assert_eq!(first.as_object().unwrap().keys().next().unwrap(), "pk");
        assert_eq!(
            key_text(&["pk".into(), "b".into()], &items[0]),
            r#"{"pk":{"S":"1"},"b":{"S":"x"}}"#
        );
    }

    #[test]
    fn numbers_compare_exactly() {
        use Ordering::*;
        assert_eq!(compare_numbers("10", "9"), Greater);
        assert_eq!(compare_numbers("-10", "-9"), Less);
        assert_eq!(compare_numbers("0.10", "0.1"), Equal);
        assert_eq!(compare_numbers("1E+2", "100"), Equal);
        assert_eq!(
            compare_numbers(
                "12345678901234567890123456789012345678",
                "12345678901234567890123456789012345677"
            ),
            Greater
        );
        assert_eq!(compare_numbers("0", "-0.0"), Equal);
        assert_eq!(compare_numbers("-1", "0"), Less);
        assert_eq!(compare_numbers("garbage", "0"), Equal);
    }

    #[test]
    fn missing_values_sort_last() {
        let one = json!({"N": "1"});
        assert_eq!(compare_values(Some(&one), None), Ordering::Less);
        assert_eq!(
            compare_values(Some(&json!({"N": "2"})), Some(&json!({"N": "10"}))),
            Ordering::Less
        );
    }
}
