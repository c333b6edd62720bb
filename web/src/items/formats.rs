//! Import and export formats, each keeping every type and digit: DynamoDB JSON lines (one
//! `{"Item": {...}}` a line, as DynamoDB's export to S3 writes; bare items are read too),
//! CSV (a header `name (TYPE)` per column; a cell whose type differs from its column's, or
//! an empty string, is written as DynamoDB JSON), and the workspace-seed format for every
//! table (`{"tables": [CreateTable...], "items": {...}}`). Errors say the line or row. Pure.

use super::attr::type_of;
use serde_json::{json, Map, Value};

/// Items as DynamoDB JSON lines.
pub fn to_json_lines(items: &[Value]) -> String {
    items
        .iter()
        .map(|i| json!({"Item": i}).to_string() + "\n")
        .collect()
}

fn is_typed(v: &Value) -> bool {
    v.as_object().is_some_and(|o| {
        o.len() == 1
            && matches!(
                type_of(v),
                "S" | "N" | "B" | "BOOL" | "NULL" | "SS" | "NS" | "BS" | "L" | "M"
            )
    })
}

fn is_item(v: &Value) -> bool {
    v.as_object()
        .is_some_and(|o| !o.is_empty() && o.values().all(is_typed))
}

/// Reads DynamoDB JSON lines (blank lines skipped).
pub fn from_json_lines(text: &str) -> Result<Vec<Value>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let v: Value =
            serde_json::from_str(line).map_err(|e| format!("Line {}: not JSON: {e}", i + 1))?;
        let item = match v.get("Item") {
            Some(item) if v.as_object().is_some_and(|o| o.len() == 1) => item.clone(),
            _ => v,
        };
        if !is_item(&item) {
            return Err(format!(
                "Line {}: not an item of DynamoDB JSON (each attribute like {{\"S\": \"x\"}})",
                i + 1
            ));
        }
        out.push(item);
    }
    Ok(out)
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) || text.starts_with(' ') || text.ends_with(' ') {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The text of `value` in a column of type `column_type`.
fn cell(value: &Value, column_type: Option<&str>) -> String {
    let t = type_of(value);
    let inner = value
        .as_object()
        .and_then(|o| o.values().next())
        .cloned()
        .unwrap_or(Value::Null);
    if Some(t) != column_type {
        return value.to_string();
    }
    match (t, &inner) {
        ("S", Value::String(s)) if s.is_empty() => value.to_string(),
        ("S" | "N" | "B", Value::String(s)) => s.clone(),
        ("BOOL", Value::Bool(b)) => b.to_string(),
        ("NULL", _) => "null".into(),
        _ => inner.to_string(),
    }
}

/// Items as CSV over `columns`: each column typed by the type most of its values have.
pub fn to_csv(columns: &[String], items: &[Value]) -> String {
    let types: Vec<Option<String>> = columns
        .iter()
        .map(|c| {
            let mut counts: Vec<(String, usize)> = Vec::new();
            for v in items.iter().filter_map(|i| i.get(c)) {
                let t = type_of(v).to_string();
                match counts.iter_mut().find(|(k, _)| *k == t) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((t, 1)),
                }
            }
            // The most common type; on a tie, the first seen.
            counts
                .into_iter()
                .fold(None::<(String, usize)>, |best, (t, n)| match best {
                    Some((_, m)) if m >= n => best,
                    _ => Some((t, n)),
                })
                .map(|(t, _)| t)
        })
        .collect();
    let mut out = String::new();
    let header: Vec<String> = columns
        .iter()
        .zip(&types)
        .map(|(c, t)| match t {
            Some(t) => csv_field(&format!("{c} ({t})")),
            None => csv_field(c),
        })
        .collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for item in items {
        let row: Vec<String> = columns
            .iter()
            .zip(&types)
            .map(|(c, t)| {
                item.get(c)
                    .map(|v| csv_field(&cell(v, t.as_deref())))
                    .unwrap_or_default()
            })
            .collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Splits CSV text into rows of fields (RFC 4180: quotes, doubled quotes, CRLF or LF).
fn csv_rows(text: &str) -> Result<Vec<Vec<String>>, String> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut line = 1;
    let mut chars = text.chars().peekable();
    let mut started = false;
    while let Some(c) = chars.next() {
        started = true;
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
                line += 1;
                started = false;
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err(format!("Line {line}: a quoted field is not closed"));
    }
    if started {
        row.push(field);
        rows.push(row);
    }
    Ok(rows)
}

/// A cell's value in a column of `column_type` (none: the cell is DynamoDB JSON or a string).
fn parse_cell(text: &str, column_type: Option<&str>) -> Result<Value, String> {
    if text.starts_with('{') {
        if let Ok(v) = serde_json::from_str::<Value>(text) {
            if is_typed(&v) {
                return Ok(v);
            }
        }
    }
    let Some(t) = column_type else {
        return Ok(json!({"S": text}));
    };
    Ok(match t {
        "S" => json!({"S": text}),
        "N" => super::request::typed("N", text)?,
        "B" => json!({"B": text}),
        "BOOL" => super::request::typed("BOOL", text)?,
        "NULL" => json!({"NULL": true}),
        "SS" | "NS" | "BS" | "L" | "M" => {
            let inner: Value =
                serde_json::from_str(text).map_err(|e| format!("not the JSON of a {t}: {e}"))?;
            let mut m = Map::new();
            m.insert(t.into(), inner);
            Value::Object(m)
        }
        other => return Err(format!("unknown type {other:?} in the header")),
    })
}

/// Reads CSV written by [`to_csv`] (or any CSV: untyped columns are strings).
pub fn from_csv(text: &str) -> Result<Vec<Value>, String> {
    let rows = csv_rows(text)?;
    let Some((header, body)) = rows.split_first() else {
        return Ok(Vec::new());
    };
    let columns: Vec<(String, Option<String>)> = header
        .iter()
        .map(|h| {
            let h = h.trim();
            match h.rsplit_once(" (") {
                Some((name, t)) if t.ends_with(')') => {
                    (name.to_string(), Some(t.trim_end_matches(')').to_string()))
                }
                _ => (h.to_string(), None),
            }
        })
        .collect();
    let mut items = Vec::new();
    for (r, row) in body.iter().enumerate() {
        if row.iter().all(String::is_empty) {
            continue;
        }
        if row.len() > columns.len() {
            return Err(format!(
                "Row {}: {} fields, but the header has {}",
                r + 2,
                row.len(),
                columns.len()
            ));
        }
        let mut item = Map::new();
        for ((name, t), text) in columns.iter().zip(row) {
            if text.is_empty() {
                continue;
            }
            let v = parse_cell(text, t.as_deref())
                .map_err(|e| format!("Row {}, column {name}: {e}", r + 2))?;
            item.insert(name.clone(), v);
        }
        items.push(Value::Object(item));
    }
    Ok(items)
}

/// DescribeTable's `Table` as the CreateTable request that makes it again.
pub fn create_request(table: &Value) -> Value {
    let mut req = Map::new();
    for key in ["TableName", "KeySchema", "AttributeDefinitions"] {
        req.insert(key.into(), table[key].clone());
    }
    let provisioned = table["BillingModeSummary"]["BillingMode"] != "PAY_PER_REQUEST";
    req.insert(
        "BillingMode".into(),
        json!(if provisioned {
            "PROVISIONED"
        } else {
            "PAY_PER_REQUEST"
        }),
    );
    let units = |t: &Value| {
        json!({"ReadCapacityUnits": t["ReadCapacityUnits"].as_u64().unwrap_or(5).max(1),
               "WriteCapacityUnits": t["WriteCapacityUnits"].as_u64().unwrap_or(5).max(1)})
    };
    if provisioned {
        req.insert(
            "ProvisionedThroughput".into(),
            units(&table["ProvisionedThroughput"]),
        );
    }
    for kind in ["GlobalSecondaryIndexes", "LocalSecondaryIndexes"] {
        if let Some(list) = table[kind].as_array() {
            let indexes: Vec<Value> = list
                .iter()
                .map(|i| {
                    let mut x = json!({"IndexName": i["IndexName"], "KeySchema": i["KeySchema"],
                        "Projection": i["Projection"]});
                    if provisioned && kind == "GlobalSecondaryIndexes" {
                        x["ProvisionedThroughput"] = units(&i["ProvisionedThroughput"]);
                    }
                    x
                })
                .collect();
            req.insert(kind.into(), Value::Array(indexes));
        }
    }
    if table["StreamSpecification"]["StreamEnabled"] == true {
        req.insert(
            "StreamSpecification".into(),
            table["StreamSpecification"].clone(),
        );
    }
    Value::Object(req)
}

/// The workspace-seed format of tables (DescribeTable's `Table`s) and their items.
pub fn to_seed(tables: &[(Value, Vec<Value>)]) -> Value {
    let mut items = Map::new();
    for (t, list) in tables {
        if let Some(name) = t["TableName"].as_str() {
            items.insert(name.to_string(), Value::Array(list.clone()));
        }
    }
    json!({
        "tables": tables.iter().map(|(t, _)| create_request(t)).collect::<Vec<_>>(),
        "items": items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BIG: &str = "12345678901234567890123456789012345678";

    fn items() -> Vec<Value> {
        vec![
            json!({"pk": {"S": "a,b \"q\""}, "n": {"N": BIG}, "tags": {"SS": ["x", "y"]}, "blob": {"B": "AAEC"},
                   "m": {"M": {"l": {"L": [{"NULL": true}, {"BOOL": false}]}}}, "e": {"S": ""}}),
            json!({"pk": {"S": "line\nbreak"}, "n": {"S": "not a number"}, "ok": {"BOOL": true}}),
        ]
    }

    fn columns() -> Vec<String> {
        super::super::attr::columns(&["pk".into()], &items())
    }

    #[test]
    fn json_lines_round_trip() {
        let text = to_json_lines(&items());
        assert_eq!(text.lines().count(), 2);
        assert_eq!(from_json_lines(&text).unwrap(), items());
        assert_eq!(
            from_json_lines("{\"a\": {\"S\": \"1\"}}\n\n")
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            from_json_lines("{\"Item\": {}}\n{").unwrap_err(),
            "Line 1: not an item of DynamoDB JSON (each attribute like {\"S\": \"x\"})"
        );
        assert!(from_json_lines("\n{")
            .unwrap_err()
            .starts_with("Line 2: not JSON"));
    }

    #[test]
    fn csv_round_trips_every_type_and_digit() {
        let text = to_csv(&columns(), &items());
        assert!(text.starts_with("pk (S),n (N),"));
        assert_eq!(from_csv(&text).unwrap(), items());
    }

    #[test]
    fn csv_errors_say_where_and_plain_csv_reads_as_strings() {
        assert_eq!(
            from_csv("a (N),b\r\nx,1").unwrap_err(),
            "Row 2, column a: \"x\" is not a number"
        );
        assert!(from_csv("a\n\"open").unwrap_err().contains("not closed"));
        assert!(from_csv("a\n1,2")
            .unwrap_err()
            .starts_with("Row 2: 2 fields"));
        assert_eq!(
            from_csv("name,age\nAnn,7\n").unwrap(),
            vec![json!({"name": {"S": "Ann"}, "age": {"S": "7"}})]
        );
        assert!(from_csv("").unwrap().is_empty());
    }

    #[test]
    fn tables_become_a_seed() {
        let t = json!({"TableName": "T", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"}, "ItemCount": 1, "TableStatus": "ACTIVE",
            "GlobalSecondaryIndexes": [{"IndexName": "g", "KeySchema": [], "Projection": {"ProjectionType": "ALL"}, "IndexStatus": "ACTIVE"}],
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"}});
        let seed = to_seed(&[(t, items())]);
        assert_eq!(seed["tables"][0]["BillingMode"], "PAY_PER_REQUEST");
        assert!(seed["tables"][0].get("ItemCount").is_none());
        assert!(seed["tables"][0]["GlobalSecondaryIndexes"][0]
            .get("IndexStatus")
            .is_none());
        assert_eq!(
            seed["tables"][0]["StreamSpecification"]["StreamViewType"],
            "KEYS_ONLY"
        );
        assert_eq!(seed["items"]["T"][0]["n"]["N"], BIG);
    }
}
