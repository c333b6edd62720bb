//! The item editor's three views of one item and the conversions between them: the form
//! (a row per attribute: name, type, value text), DynamoDB JSON, and plain JSON, which
//! cannot hold every type. An attribute left unchanged in the plain view keeps its exact
//! typed value; a changed one that held a set, binary or a number plain JSON cannot carry
//! is reported by [`losses`] before it is saved. Pure.

use super::attr::{compare_numbers, type_of};
use super::request::typed;
use serde_json::{Map, Value};

/// Every type the form offers.
pub const TYPES: [&str; 10] = ["S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M"];

/// One attribute in the form.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FormRow {
    pub name: String,
    pub value_type: String,
    /// S/N/B: the value; BOOL: true/false; sets: one element a line; L/M: DynamoDB JSON.
    pub text: String,
}

fn inner(value: &Value) -> &Value {
    value
        .as_object()
        .and_then(|o| o.values().next())
        .unwrap_or(&Value::Null)
}

/// The form's rows of an item (in the item's attribute order).
pub fn rows_of(item: &Value) -> Vec<FormRow> {
    item.as_object()
        .into_iter()
        .flatten()
        .map(|(name, value)| {
            let t = type_of(value).to_string();
            let v = inner(value);
            let text = match t.as_str() {
                "S" | "N" | "B" => v.as_str().unwrap_or_default().to_string(),
                "BOOL" => v.as_bool().unwrap_or(false).to_string(),
                "NULL" => String::new(),
                "SS" | "NS" | "BS" => v
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join("\n")
                    })
                    .unwrap_or_default(),
                _ => serde_json::to_string_pretty(v).unwrap_or_default(),
            };
            FormRow {
                name: name.clone(),
                value_type: t,
                text,
            }
        })
        .collect()
}

/// The item the form's rows make, or the first bad row's index and what is wrong.
pub fn item_of(rows: &[FormRow]) -> Result<Value, (usize, String)> {
    let mut item = Map::new();
    for (i, row) in rows.iter().enumerate() {
        let name = row.name.trim();
        if name.is_empty() {
            if row.text.trim().is_empty() {
                continue;
            }
            return Err((i, "the attribute has no name".into()));
        }
        if item.contains_key(name) {
            return Err((i, format!("{name} appears twice")));
        }
        let t = row.value_type.as_str();
        let value = match t {
            "SS" | "NS" | "BS" => {
                let elements: Vec<&str> = row
                    .text
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect();
                if t == "NS" {
                    for e in &elements {
                        typed("N", e).map_err(|m| (i, m))?;
                    }
                }
                let mut m = Map::new();
                m.insert(t.into(), Value::from(elements));
                Value::Object(m)
            }
            "L" | "M" => {
                let v: Value = serde_json::from_str(&row.text)
                    .map_err(|e| (i, format!("not DynamoDB JSON: {e}")))?;
                let ok = if t == "L" {
                    v.is_array()
                } else {
                    v.is_object()
                };
                if !ok {
                    let want = if t == "L" { "a [list]" } else { "an {object}" };
                    return Err((i, format!("{t} needs {want} of DynamoDB JSON values")));
                }
                let mut m = Map::new();
                m.insert(t.into(), v);
                Value::Object(m)
            }
            _ => typed(t, &row.text).map_err(|m| (i, m))?,
        };
        item.insert(name.to_string(), value);
    }
    Ok(Value::Object(item))
}

/// A typed value as plain JSON (sets become lists, binary a string, numbers f64).
pub fn to_plain(value: &Value) -> Value {
    let v = inner(value);
    match type_of(value) {
        "S" | "B" => v.clone(),
        "N" => serde_json::from_str::<Value>(v.as_str().unwrap_or("0")).unwrap_or(Value::Null),
        "BOOL" => v.clone(),
        "NULL" => Value::Null,
        "SS" | "BS" => v.clone(),
        "NS" => Value::Array(
            v.as_array()
                .into_iter()
                .flatten()
                .map(|n| serde_json::from_str(n.as_str().unwrap_or("0")).unwrap_or(Value::Null))
                .collect(),
        ),
        "L" => Value::Array(v.as_array().into_iter().flatten().map(to_plain).collect()),
        "M" => Value::Object(
            v.as_object()
                .into_iter()
                .flatten()
                .map(|(k, x)| (k.clone(), to_plain(x)))
                .collect(),
        ),
        _ => v.clone(),
    }
}

/// An item as plain JSON.
pub fn item_to_plain(item: &Value) -> Value {
    Value::Object(
        item.as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), to_plain(v)))
            .collect(),
    )
}

/// Plain JSON as a typed value: strings S, numbers N, arrays L, objects M.
fn from_plain(value: &Value) -> Value {
    let mut m = Map::new();
    match value {
        Value::String(s) => m.insert("S".into(), Value::from(s.clone())),
        Value::Number(n) => m.insert("N".into(), Value::from(n.to_string())),
        Value::Bool(b) => m.insert("BOOL".into(), Value::from(*b)),
        Value::Null => m.insert("NULL".into(), Value::from(true)),
        Value::Array(a) => m.insert("L".into(), a.iter().map(from_plain).collect()),
        Value::Object(o) => m.insert(
            "M".into(),
            Value::Object(o.iter().map(|(k, v)| (k.clone(), from_plain(v))).collect()),
        ),
    };
    Value::Object(m)
}

/// What plain JSON would lose of `value` at `path` (sets, binary, inexact numbers).
pub fn losses(path: &str, value: &Value) -> Vec<String> {
    let v = inner(value);
    match type_of(value) {
        "SS" | "NS" | "BS" => vec![format!(
            "{path}: the set ({}) would become a list",
            type_of(value)
        )],
        "B" => vec![format!("{path}: binary would become a string")],
        "N" => {
            let text = v.as_str().unwrap_or_default();
            let plain = to_plain(value).to_string();
            if compare_numbers(text, &plain) == std::cmp::Ordering::Equal {
                Vec::new()
            } else {
                vec![format!("{path}: the number {text} would become {plain}")]
            }
        }
        "L" => v
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
            .flat_map(|(i, x)| losses(&format!("{path}[{i}]"), x))
            .collect(),
        "M" => v
            .as_object()
            .into_iter()
            .flatten()
            .flat_map(|(k, x)| losses(&format!("{path}.{k}"), x))
            .collect(),
        _ => Vec::new(),
    }
}

/// Everything plain JSON would lose of `item`.
pub fn item_losses(item: &Value) -> Vec<String> {
    item.as_object()
        .into_iter()
        .flatten()
        .flat_map(|(k, v)| losses(k, v))
        .collect()
}

/// The typed item for an edited plain-JSON text: unchanged attributes keep `original`'s
/// typed values; changed ones are typed from plain JSON, and what that loses is listed.
pub fn typed_from_plain(text: &str, original: &Value) -> Result<(Value, Vec<String>), String> {
    let plain: Value = serde_json::from_str(text).map_err(|e| format!("Plain JSON: {e}"))?;
    let Value::Object(plain) = plain else {
        return Err("Plain JSON: an item is a JSON object".into());
    };
    let mut item = Map::new();
    let mut lost = Vec::new();
    for (name, value) in plain {
        match original.get(&name) {
            Some(old) if to_plain(old) == value => {
                item.insert(name, old.clone());
            }
            old => {
                if let Some(old) = old {
                    lost.extend(losses(&name, old));
                }
                item.insert(name, from_plain(&value));
            }
        }
    }
    Ok((Value::Object(item), lost))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const BIG: &str = "12345678901234567890123456789012345678";

    fn item() -> Value {
        json!({"pk": {"S": "a"}, "n": {"N": BIG}, "tags": {"SS": ["x", "y"]},
               "blob": {"B": "AAEC"}, "ok": {"BOOL": true}, "none": {"NULL": true},
               "l": {"L": [{"N": "1"}, {"M": {"s": {"NS": ["1", "2"]}}}]}})
    }

    #[test]
    fn the_form_round_trips_every_type() {
        let rows = rows_of(&item());
        assert_eq!(rows[1].text, BIG);
        assert_eq!(rows[2].text, "x\ny");
        assert_eq!(item_of(&rows).unwrap(), item());
    }

    #[test]
    fn bad_form_rows_say_which() {
        let mut rows = rows_of(&item());
        rows[1].text = "12a".into();
        assert_eq!(item_of(&rows).unwrap_err().0, 1);
        let mut rows = rows_of(&item());
        rows[6].text = "{".into();
        let (at, message) = item_of(&rows).unwrap_err();
        assert_eq!(at, 6);
        assert!(message.contains("not DynamoDB JSON"));
        rows[6].name = "pk".into();
        rows[6].text = "[]".into();
        assert_eq!(item_of(&rows).unwrap_err().1, "pk appears twice");
    }

    #[test]
    fn plain_json_warns_of_what_it_would_lose() {
        let lost = item_losses(&item());
        assert_eq!(lost.len(), 4, "{lost:?}");
        assert!(lost[0].starts_with("n: the number"));
        assert!(lost
            .iter()
            .any(|l| l == "l[1].s: the set (NS) would become a list"));
        assert!(item_losses(&json!({"n": {"N": "1.5"}})).is_empty());
    }

    #[test]
    fn unchanged_attributes_keep_their_types() {
        let original = item();
        let mut plain = item_to_plain(&original);
        plain["ok"] = json!(false);
        let (typed, lost) = typed_from_plain(&plain.to_string(), &original).unwrap();
        assert_eq!(typed["n"]["N"], BIG);
        assert_eq!(typed["tags"]["SS"], json!(["x", "y"]));
        assert_eq!(typed["ok"], json!({"BOOL": false}));
        assert!(lost.is_empty());
        plain["tags"] = json!(["x"]);
        let (typed, lost) = typed_from_plain(&plain.to_string(), &original).unwrap();
        assert_eq!(typed["tags"], json!({"L": [{"S": "x"}]}));
        assert_eq!(lost, ["tags: the set (SS) would become a list"]);
        assert!(typed_from_plain("[1]", &original).is_err());
    }
}
