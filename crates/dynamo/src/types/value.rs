//! `AttributeValue`: one DynamoDB value, read from and written to DynamoDB JSON
//! (`{"S": "x"}`, `{"N": "1"}`, `{"B": "<base64>"}`, ...) with AWS's validation messages.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{Map, Value};

use super::number::Number;
use crate::error::DynamoError;
use crate::limits::MAX_ATTRIBUTE_NAME_BYTES;

/// Deepest nesting of lists and maps AWS accepts.
pub const MAX_NESTING_DEPTH: usize = 32;

/// An item: attribute name to value.
pub type Item = BTreeMap<String, AttributeValue>;

/// One DynamoDB value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttributeValue {
    S(String),
    N(Number),
    B(Vec<u8>),
    Bool(bool),
    Null,
    M(BTreeMap<String, AttributeValue>),
    L(Vec<AttributeValue>),
    Ss(Vec<String>),
    Ns(Vec<Number>),
    Bs(Vec<Vec<u8>>),
}

fn validation(message: impl Into<String>) -> DynamoError {
    DynamoError::new("ValidationException", message)
}

fn invalid(message: impl std::fmt::Display) -> DynamoError {
    validation(format!(
        "One or more parameter values were invalid: {message}"
    ))
}

fn serialization(message: impl Into<String>) -> DynamoError {
    DynamoError::new("SerializationException", message)
}

/// Java-style class name of a JSON scalar, as AWS names it in serialization errors.
fn json_class(value: &Value) -> &'static str {
    match value {
        Value::Bool(_) => "java.lang.Boolean",
        Value::Number(_) => "com.amazon.coral.value.json.numbers.TruncatingBigNumber",
        _ => "java.lang.String",
    }
}

fn expect_string(value: &Value, blob: bool) -> Result<&str, DynamoError> {
    let article = if blob { "a Blob" } else { "an String" };
    match value {
        Value::String(s) => Ok(s),
        Value::Array(_) => Err(serialization("Start of list found where not expected")),
        Value::Object(_) => Err(serialization(
            "Start of structure or map found where not expected.",
        )),
        other => Err(serialization(format!(
            "class {} can not be converted to {article}",
            json_class(other)
        ))),
    }
}

fn expect_list(value: &Value) -> Result<&Vec<Value>, DynamoError> {
    match value {
        Value::Array(a) => Ok(a),
        Value::Object(_) => Err(serialization(
            "Start of structure or map found where not expected.",
        )),
        _ => Err(serialization("Expected list or null")),
    }
}

fn expect_map(value: &Value) -> Result<&Map<String, Value>, DynamoError> {
    match value {
        Value::Object(m) => Ok(m),
        Value::Array(_) => Err(serialization("Start of list found where not expected")),
        _ => Err(serialization("Expected map or null")),
    }
}

/// Decodes base64 as AWS does, with its messages.
pub fn decode_base64(text: &str) -> Result<Vec<u8>, DynamoError> {
    let prefix = format!("'{text}' can not be converted to a Blob: ");
    if text.len() & 3 != 0 {
        return Err(serialization(format!(
            "{prefix}Base64 encoded length is expected a multiple of 4 bytes but found: {}",
            text.len()
        )));
    }
    let mut seen_pad = false;
    for c in text.chars() {
        let ok = c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '=';
        if !ok || (seen_pad && c != '=') {
            return Err(serialization(format!(
                "{prefix}Invalid Base64 character: '{c}'"
            )));
        }
        seen_pad |= c == '=';
    }
    STANDARD.decode(text).map_err(|_| {
        serialization(format!(
            "{prefix}Invalid last non-pad Base64 character dectected"
        ))
    })
}

/// Encodes bytes as standard padded base64.
pub fn encode_base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

fn has_duplicates<T: Ord + Clone>(items: &[T]) -> bool {
    let mut sorted: Vec<&T> = items.iter().collect();
    sorted.sort();
    sorted.windows(2).any(|w| w[0] == w[1])
}

impl AttributeValue {
    /// Reads one value from DynamoDB JSON, with AWS's validation and messages.
    pub fn from_json(value: &Value) -> Result<Self, DynamoError> {
        Self::from_json_at(value, 0, Names::Checked)
    }

    /// Reads one value a store kept: as [`AttributeValue::from_json`], except that map keys
    /// are taken as stored (an engine before the attribute-name checks accepted empty and
    /// over-long names, and what it stored must still load).
    pub fn from_stored_json(value: &Value) -> Result<Self, DynamoError> {
        Self::from_json_at(value, 0, Names::AsStored)
    }

    fn from_json_at(value: &Value, depth: usize, names: Names) -> Result<Self, DynamoError> {
        if depth > MAX_NESTING_DEPTH {
            return Err(invalid("Nesting Levels have exceeded supported limits"));
        }
        let object = expect_map(value)?;
        let mut result: Option<AttributeValue> = None;
        let mut count = 0;
        for (type_name, inner) in object {
            if inner.is_null() {
                continue;
            }
            let parsed = match type_name.as_str() {
                "S" => AttributeValue::S(expect_string(inner, false)?.to_string()),
                "N" => AttributeValue::N(Number::parse(expect_string(inner, false)?)?),
                "B" => AttributeValue::B(decode_base64(expect_string(inner, true)?)?),
                "BOOL" => AttributeValue::Bool(parse_bool(inner)?),
                "NULL" => {
                    if !parse_bool(inner)? {
                        return Err(invalid(
                            "Null attribute value types must have the value of true",
                        ));
                    }
                    AttributeValue::Null
                }
                "SS" => {
                    let list = expect_list(inner)?;
                    let mut out = Vec::with_capacity(list.len());
                    for v in list {
                        out.push(expect_string(v, false)?.to_string());
                    }
                    if out.is_empty() {
                        return Err(invalid("An string set  may not be empty"));
                    }
                    if has_duplicates(&out) {
                        return Err(invalid(format!(
                            "Input collection [{}] contains duplicates.",
                            out.join(", ")
                        )));
                    }
                    AttributeValue::Ss(out)
                }
                "NS" => {
                    let list = expect_list(inner)?;
                    let mut out = Vec::with_capacity(list.len());
                    for v in list {
                        out.push(Number::parse(expect_string(v, false)?)?);
                    }
                    if out.is_empty() {
                        return Err(invalid("An number set  may not be empty"));
                    }
                    if has_duplicates(&out) {
                        return Err(validation("Input collection contains duplicates"));
                    }
                    AttributeValue::Ns(out)
                }
                "BS" => {
                    let list = expect_list(inner)?;
                    let mut texts = Vec::with_capacity(list.len());
                    let mut out = Vec::with_capacity(list.len());
                    for v in list {
                        let text = expect_string(v, true)?;
                        out.push(decode_base64(text)?);
                        texts.push(text);
                    }
                    if out.is_empty() {
                        return Err(invalid("Binary sets should not be empty"));
                    }
                    if has_duplicates(&out) {
                        return Err(invalid(format!(
                            "Input collection [{}]of type BS contains duplicates.",
                            texts.join(", ")
                        )));
                    }
                    AttributeValue::Bs(out)
                }
                "M" => {
                    let map = expect_map(inner)?;
                    let mut out = BTreeMap::new();
                    for (k, v) in map {
                        names.check(k)?;
                        out.insert(k.clone(), Self::from_json_at(v, depth + 1, names)?);
                    }
                    AttributeValue::M(out)
                }
                "L" => {
                    let list = expect_list(inner)?;
                    let mut out = Vec::with_capacity(list.len());
                    for v in list {
                        out.push(Self::from_json_at(v, depth + 1, names)?);
                    }
                    AttributeValue::L(out)
                }
                _ => continue,
            };
            count += 1;
            result = Some(parsed);
        }
        match (count, result) {
            (1, Some(v)) => Ok(v),
            (0, _) | (_, None) => Err(validation(
                "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
            )),
            _ => Err(validation(
                "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
            )),
        }
    }

    /// Writes the value as DynamoDB JSON (the same serialization responses write as text).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    /// The DynamoDB type code: `S`, `N`, `B`, `BOOL`, `NULL`, `M`, `L`, `SS`, `NS`, `BS`.
    pub fn type_code(&self) -> &'static str {
        match self {
            AttributeValue::S(_) => "S",
            AttributeValue::N(_) => "N",
            AttributeValue::B(_) => "B",
            AttributeValue::Bool(_) => "BOOL",
            AttributeValue::Null => "NULL",
            AttributeValue::M(_) => "M",
            AttributeValue::L(_) => "L",
            AttributeValue::Ss(_) => "SS",
            AttributeValue::Ns(_) => "NS",
            AttributeValue::Bs(_) => "BS",
        }
    }

    /// Nesting depth: 0 for scalars and sets, 1 + deepest child for lists and maps.
    pub fn depth(&self) -> usize {
        match self {
            AttributeValue::M(m) => 1 + m.values().map(|v| v.depth()).max().unwrap_or(0),
            AttributeValue::L(l) => 1 + l.iter().map(|v| v.depth()).max().unwrap_or(0),
            _ => 0,
        }
    }
}

fn parse_bool(value: &Value) -> Result<bool, DynamoError> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::String(s) => match s.to_uppercase().as_str() {
            "TRUE" | "1" | "YES" => Ok(true),
            "FALSE" | "0" | "NO" => Ok(false),
            upper => Err(serialization(format!(
                "'{upper}' can not be converted to an Boolean"
            ))),
        },
        Value::Number(_) => Err(serialization(format!(
            "class {} can not be converted to an Boolean",
            json_class(value)
        ))),
        Value::Array(_) => Err(serialization("Start of list found where not expected")),
        Value::Object(_) => Err(serialization(
            "Start of structure or map found where not expected.",
        )),
        Value::Null => Ok(false),
    }
}

/// Checks an attribute name as AWS does wherever it reads one: not empty, under 64 KB.
pub fn check_attribute_name(name: &str) -> Result<(), DynamoError> {
    if name.is_empty() {
        return Err(validation("Empty attribute name"));
    }
    if name.len() > MAX_ATTRIBUTE_NAME_BYTES {
        return Err(validation(format!(
            "1 validation error detected: Attribute name is too large, must be less than {} bytes",
            MAX_ATTRIBUTE_NAME_BYTES + 1
        )));
    }
    Ok(())
}

/// Whether attribute names are checked as AWS checks a request's, or taken as stored.
#[derive(Clone, Copy)]
enum Names {
    Checked,
    AsStored,
}

impl Names {
    fn check(self, name: &str) -> Result<(), DynamoError> {
        match self {
            Names::Checked => check_attribute_name(name),
            Names::AsStored => Ok(()),
        }
    }
}

/// Reads an item (`{"name": {"S": "x"}, ...}`) from DynamoDB JSON.
pub fn item_from_json(value: &Value) -> Result<Item, DynamoError> {
    item_with_names(value, Names::Checked)
}

/// Reads an item a store kept (see [`AttributeValue::from_stored_json`]).
pub fn stored_item_from_json(value: &Value) -> Result<Item, DynamoError> {
    item_with_names(value, Names::AsStored)
}

fn item_with_names(value: &Value, names: Names) -> Result<Item, DynamoError> {
    let map = expect_map(value)?;
    let mut item = Item::new();
    for (name, v) in map {
        names.check(name)?;
        item.insert(name.clone(), AttributeValue::from_json_at(v, 0, names)?);
    }
    Ok(item)
}

/// Writes an item as DynamoDB JSON (the same serialization responses write as text).
pub fn item_to_json(item: &Item) -> Value {
    serde_json::to_value(item).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(v: Value) -> String {
        AttributeValue::from_json(&v).unwrap_err().message
    }

    #[test]
    fn round_trips() {
        for v in [
            json!({"S": "x"}),
            json!({"N": "1.5"}),
            json!({"B": "aGk="}),
            json!({"BOOL": true}),
            json!({"NULL": true}),
            json!({"M": {"a": {"L": [{"N": "1"}, {"S": ""}]}}}),
            json!({"SS": ["a", "b"]}),
            json!({"NS": ["1", "2"]}),
            json!({"BS": ["YQ==", "Yg=="]}),
        ] {
            assert_eq!(AttributeValue::from_json(&v).unwrap().to_json(), v);
        }
        assert_eq!(
            AttributeValue::from_json(&json!({"N": "01.0"}))
                .unwrap()
                .to_json(),
            json!({"N": "1"})
        );
    }

    #[test]
    fn validates_like_aws() {
        assert_eq!(
            err(json!({})),
            "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
        );
        assert_eq!(
            err(json!({"S": "a", "N": "1"})),
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
        );
        assert_eq!(
            err(json!({"SS": []})),
            "One or more parameter values were invalid: An string set  may not be empty"
        );
        assert_eq!(
            err(json!({"SS": ["a", "a"]})),
            "One or more parameter values were invalid: Input collection [a, a] contains duplicates."
        );
        assert_eq!(
            err(json!({"NS": ["1", "1.0"]})),
            "Input collection contains duplicates"
        );
        assert_eq!(
            err(json!({"BS": ["Yg==", "Yg=="]})),
            "One or more parameter values were invalid: Input collection [Yg==, Yg==]of type BS contains duplicates."
        );
        for null in [json!({"NULL": false}), json!({"NULL": "no"})] {
            assert_eq!(
                err(null),
                "One or more parameter values were invalid: Null attribute value types must have the value of true"
            );
        }
        assert_eq!(
            err(json!({"M": {"a": {"L": [{"NULL": false}]}}})),
            "One or more parameter values were invalid: Null attribute value types must have the value of true"
        );
        assert_eq!(
            err(json!({"B": "abc"})),
            "'abc' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 3"
        );
        let mut deep = json!({"S": "x"});
        for _ in 0..40 {
            deep = json!({"L": [deep]});
        }
        assert_eq!(
            err(deep),
            "One or more parameter values were invalid: Nesting Levels have exceeded supported limits"
        );
    }

    #[test]
    fn attribute_names_within_aws_limits() {
        let at_limit = "n".repeat(65_535);
        let over = "n".repeat(65_536);
        let item_err = |v: Value| item_from_json(&v).unwrap_err().message;
        assert!(item_from_json(&json!({ at_limit.clone(): {"N": "1"} })).is_ok());
        assert!(item_from_json(&json!({"m": {"M": { at_limit: {"N": "1"} }}})).is_ok());
        let too_large =
            "1 validation error detected: Attribute name is too large, must be less than 65536 bytes";
        assert_eq!(item_err(json!({ over.clone(): {"N": "1"} })), too_large);
        assert_eq!(
            item_err(json!({"m": {"M": { over: {"N": "1"} }}})),
            too_large
        );
        assert_eq!(
            item_err(json!({"l": {"L": [{"M": {"": {"N": "1"}}}]}})),
            "Empty attribute name"
        );
        // What an engine stored before these checks still loads.
        let stored = json!({"": {"S": "a"}, "l": {"L": [{"M": {"": {"N": "1"}}}]}});
        assert_eq!(
            item_to_json(&stored_item_from_json(&stored).unwrap()),
            stored
        );
    }
}
