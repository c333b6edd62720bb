//! The query and scan builder's requests: a [`ReadSpec`] (table or index, key condition,
//! filter rows, projection, limit, order) becomes a Scan or Query request with expression
//! attribute names and values, and that request is shown as JSON, as an AWS CLI command and
//! as an `aws-sdk:dynamodb:*` Task state. Pure.

use serde_json::{json, Map, Value};

/// Scan or Query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Scan,
    Query,
}

impl Mode {
    pub fn action(self) -> &'static str {
        match self {
            Mode::Scan => "Scan",
            Mode::Query => "Query",
        }
    }
}

/// Operators of a sort-key condition.
pub const KEY_OPS: [&str; 7] = ["=", "<", "<=", ">", ">=", "BETWEEN", "begins_with"];
/// Operators of a filter row.
pub const FILTER_OPS: [&str; 15] = [
    "=",
    "<>",
    "<",
    "<=",
    ">",
    ">=",
    "BETWEEN",
    "begins_with",
    "contains",
    "not contains",
    "attribute_exists",
    "attribute_not_exists",
    "size =",
    "size <",
    "size >",
];
/// Types a condition value may have.
pub const VALUE_TYPES: [&str; 5] = ["S", "N", "B", "BOOL", "NULL"];

/// One filter row: attribute, value type, operator, value (and a second for BETWEEN).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Filter {
    pub attribute: String,
    pub value_type: String,
    pub op: String,
    pub value: String,
    pub value2: String,
}

/// What the builder holds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReadSpec {
    pub table: String,
    /// An index name, or none for the table.
    pub index: Option<String>,
    pub mode: Mode,
    /// The partition key's name, type and value (Query).
    pub pk: (String, String, String),
    /// The sort key's name and type (Query), when the table or index has one.
    pub sk: Option<(String, String)>,
    pub sk_op: String,
    pub sk_value: String,
    pub sk_value2: String,
    pub filters: Vec<Filter>,
    /// Attribute names to return, comma-separated (empty: all).
    pub projection: String,
    /// Items per page.
    pub limit: u32,
    /// Query order: ascending unless false.
    pub descending: bool,
}

/// A typed attribute value from the text typed for it.
pub fn typed(value_type: &str, text: &str) -> Result<Value, String> {
    Ok(match value_type {
        "S" => json!({"S": text}),
        "N" => {
            let t = text.trim();
            let ok = !t.is_empty()
                && t.trim_start_matches(['-', '+'])
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
                && t.chars().any(|c| c.is_ascii_digit());
            if !ok {
                return Err(format!("{text:?} is not a number"));
            }
            json!({"N": t})
        }
        "B" => json!({"B": text.trim()}),
        "BOOL" => match text.trim() {
            "true" => json!({"BOOL": true}),
            "false" => json!({"BOOL": false}),
            other => return Err(format!("{other:?} is not true or false")),
        },
        "NULL" => json!({"NULL": true}),
        other => return Err(format!("unknown type {other:?}")),
    })
}

/// Collects `#n`/`:v` placeholders while an expression is written.
#[derive(Default)]
struct Names {
    names: Map<String, Value>,
    values: Map<String, Value>,
}

impl Names {
    fn name(&mut self, attribute: &str) -> String {
        // A path `a.b` is names joined by dots.
        attribute
            .split('.')
            .map(|part| {
                if let Some((k, _)) = self.names.iter().find(|(_, v)| v.as_str() == Some(part)) {
                    return k.clone();
                }
                let key = format!("#n{}", self.names.len());
                self.names.insert(key.clone(), json!(part));
                key
            })
            .collect::<Vec<_>>()
            .join(".")
    }

    fn value(&mut self, v: Value) -> String {
        let key = format!(":v{}", self.values.len());
        self.values.insert(key.clone(), v);
        key
    }
}

fn condition(
    names: &mut Names,
    attribute: &str,
    op: &str,
    value_type: &str,
    a: &str,
    b: &str,
    at: &str,
) -> Result<String, String> {
    if attribute.trim().is_empty() {
        return Err(format!("{at}: the attribute name is empty"));
    }
    let n = names.name(attribute.trim());
    let mut val = |text: &str, t: &str| {
        typed(t, text)
            .map(|v| names.value(v))
            .map_err(|e| format!("{at}: {e}"))
    };
    Ok(match op {
        "=" | "<>" | "<" | "<=" | ">" | ">=" => format!("{n} {op} {}", val(a, value_type)?),
        "BETWEEN" => {
            let lo = val(a, value_type)?;
            format!("{n} BETWEEN {lo} AND {}", val(b, value_type)?)
        }
        "begins_with" => format!("begins_with({n}, {})", val(a, value_type)?),
        "contains" => format!("contains({n}, {})", val(a, value_type)?),
        "not contains" => format!("NOT contains({n}, {})", val(a, value_type)?),
        "attribute_exists" => format!("attribute_exists({n})"),
        "attribute_not_exists" => format!("attribute_not_exists({n})"),
        "size =" | "size <" | "size >" => {
            format!("size({n}) {} {}", &op[5..], val(a, "N")?)
        }
        other => return Err(format!("{at}: unknown operator {other:?}")),
    })
}

/// The request for one page, starting after `start` (a LastEvaluatedKey).
pub fn build(spec: &ReadSpec, start: Option<&Value>) -> Result<Value, String> {
    let mut names = Names::default();
    let mut req = Map::new();
    req.insert("TableName".into(), json!(spec.table));
    if let Some(index) = &spec.index {
        req.insert("IndexName".into(), json!(index));
    }
    if spec.mode == Mode::Query {
        let (pk, pk_type, pk_value) = &spec.pk;
        let mut key = condition(&mut names, pk, "=", pk_type, pk_value, "", "Partition key")?;
        if let Some((sk, sk_type)) = &spec.sk {
            if !spec.sk_op.is_empty() && !spec.sk_value.is_empty() {
                let c = condition(
                    &mut names,
                    sk,
                    &spec.sk_op,
                    sk_type,
                    &spec.sk_value,
                    &spec.sk_value2,
                    "Sort key",
                )?;
                key = format!("{key} AND {c}");
            }
        }
        req.insert("KeyConditionExpression".into(), json!(key));
        if spec.descending {
            req.insert("ScanIndexForward".into(), json!(false));
        }
    }
    let mut parts = Vec::new();
    for (i, f) in spec.filters.iter().enumerate() {
        if f.attribute.trim().is_empty() {
            continue;
        }
        let at = format!("Filter {}", i + 1);
        parts.push(condition(
            &mut names,
            &f.attribute,
            &f.op,
            &f.value_type,
            &f.value,
            &f.value2,
            &at,
        )?);
    }
    if !parts.is_empty() {
        req.insert("FilterExpression".into(), json!(parts.join(" AND ")));
    }
    let projected: Vec<&str> = spec
        .projection
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if !projected.is_empty() {
        let p: Vec<String> = projected.iter().map(|a| names.name(a)).collect();
        req.insert("ProjectionExpression".into(), json!(p.join(", ")));
    }
    if !names.names.is_empty() {
        req.insert(
            "ExpressionAttributeNames".into(),
            Value::Object(names.names),
        );
    }
    if !names.values.is_empty() {
        req.insert(
            "ExpressionAttributeValues".into(),
            Value::Object(names.values),
        );
    }
    if spec.limit > 0 {
        req.insert("Limit".into(), json!(spec.limit));
    }
    if let Some(start) = start {
        req.insert("ExclusiveStartKey".into(), start.clone());
    }
    Ok(Value::Object(req))
}

/// `PascalCase` to `--kebab-case`.
fn option_name(key: &str) -> String {
    let mut out = String::from("--");
    for (i, c) in key.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Single-quotes for a POSIX shell.
fn shell(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The request as an `aws dynamodb <action>` command.
pub fn aws_cli(action: &str, request: &Value) -> String {
    let mut command = format!(
        "aws dynamodb {}",
        option_name(action).trim_start_matches('-')
    );
    for (key, value) in request.as_object().into_iter().flatten() {
        let text = match value {
            Value::String(s) => shell(s),
            // Booleans are flags: --consistent-read, --no-scan-index-forward.
            Value::Bool(on) => {
                let flag = option_name(key);
                let flag = if *on {
                    flag
                } else {
                    format!("--no-{}", &flag[2..])
                };
                command.push_str(&format!(" \\\n    {flag}"));
                continue;
            }
            Value::Number(n) => n.to_string(),
            other => shell(&other.to_string()),
        };
        command.push_str(&format!(" \\\n    {} {text}", option_name(key)));
    }
    command
}

/// The request as a Task state of the workflow (`aws-sdk:dynamodb:<action>`).
pub fn task_state(action: &str, request: &Value) -> Value {
    let mut chars = action.chars();
    let camel = match chars.next() {
        Some(c) => c.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    };
    json!({
        "Type": "Task",
        "Resource": format!("arn:aws:states:::aws-sdk:dynamodb:{camel}"),
        "Parameters": request,
        "End": true
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> ReadSpec {
        ReadSpec {
            table: "Orders".into(),
            mode: Mode::Query,
            pk: ("pk".into(), "S".into(), "c#1".into()),
            sk: Some(("sk".into(), "N".into())),
            sk_op: "BETWEEN".into(),
            sk_value: "1".into(),
            sk_value2: "12345678901234567890123456789012345678".into(),
            limit: 25,
            ..ReadSpec::default()
        }
    }

    #[test]
    fn a_query_names_its_attributes_and_values() {
        let mut s = spec();
        s.filters.push(Filter {
            attribute: "tags".into(),
            value_type: "S".into(),
            op: "contains".into(),
            value: "red".into(),
            value2: String::new(),
        });
        s.descending = true;
        let req = build(&s, Some(&json!({"pk": {"S": "c#1"}}))).unwrap();
        assert_eq!(
            req["KeyConditionExpression"],
            "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2"
        );
        assert_eq!(
            req["ExpressionAttributeValues"][":v2"]["N"],
            "12345678901234567890123456789012345678"
        );
        assert_eq!(req["FilterExpression"], "contains(#n2, :v3)");
        assert_eq!(req["ScanIndexForward"], false);
        assert_eq!(req["Limit"], 25);
        assert_eq!(req["ExclusiveStartKey"]["pk"]["S"], "c#1");
    }

    #[test]
    fn bad_values_say_where() {
        let mut s = spec();
        s.sk_value = "ten".into();
        assert_eq!(
            build(&s, None).unwrap_err(),
            "Sort key: \"ten\" is not a number"
        );
        let mut s = spec();
        s.mode = Mode::Scan;
        s.filters.push(Filter {
            attribute: "a".into(),
            op: "size >".into(),
            value: "x".into(),
            ..Filter::default()
        });
        assert!(build(&s, None).unwrap_err().starts_with("Filter 1:"));
    }

    #[test]
    fn a_scan_with_projection_and_exists() {
        let s = ReadSpec {
            table: "T".into(),
            projection: "a, b.c".into(),
            filters: vec![Filter {
                attribute: "a".into(),
                op: "attribute_exists".into(),
                ..Filter::default()
            }],
            ..ReadSpec::default()
        };
        let req = build(&s, None).unwrap();
        assert_eq!(req["FilterExpression"], "attribute_exists(#n0)");
        assert_eq!(req["ProjectionExpression"], "#n0, #n1.#n2");
        assert!(req.get("Limit").is_none());
    }

    #[test]
    fn shown_as_cli_and_task() {
        let req = build(&spec(), None).unwrap();
        let cli = aws_cli("Query", &req);
        assert!(cli.starts_with("aws dynamodb query"));
        assert!(cli.contains("--table-name 'Orders'"));
        assert!(cli.contains("--key-condition-expression '#n0 = :v0"));
        assert!(cli.contains("--limit 25"));
        let task = task_state("Query", &req);
        assert_eq!(task["Resource"], "arn:aws:states:::aws-sdk:dynamodb:query");
        assert_eq!(task["Parameters"]["TableName"], "Orders");
        assert_eq!(shell("it's"), r"'it'\''s'");
        let get = json!({"TableName": "T", "Key": {"pk": {"S": "a"}}, "ConsistentRead": true});
        let cli = aws_cli("GetItem", &get);
        assert!(cli.starts_with("aws dynamodb get-item"));
        assert!(cli.contains("--consistent-read"));
        assert!(!cli.contains("'true'"));
        assert_eq!(
            task_state("GetItem", &get)["Resource"],
            "arn:aws:states:::aws-sdk:dynamodb:getItem"
        );
    }
}
