//! Legacy conditions: `Expected` (PutItem/UpdateItem/DeleteItem) and the
//! `ComparisonOperator` + `AttributeValueList` maps of `KeyConditions`, `QueryFilter` and
//! `ScanFilter`, with AWS's validation messages, and their evaluation against an item.

use std::cmp::Ordering;

use serde_json::{Map, Value};

use super::compare::{begins_with, contains, equal, order};
use crate::request::{as_list, as_object, Request};
use crate::types::{check_attribute_name, AttributeValue, Item};
use crate::validate::{invalid, validation};
use crate::DynamoError;

/// A comparison operator of the legacy API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Le,
    Lt,
    Ge,
    Gt,
    NotNull,
    Null,
    Contains,
    NotContains,
    BeginsWith,
    In,
    Between,
}

/// The operator names AWS accepts.
pub const OPERATORS: &[&str] = &[
    "IN",
    "NULL",
    "BETWEEN",
    "LT",
    "NOT_CONTAINS",
    "EQ",
    "GT",
    "NOT_NULL",
    "NE",
    "LE",
    "BEGINS_WITH",
    "GE",
    "CONTAINS",
];

impl Op {
    pub fn parse(name: &str) -> Option<Op> {
        Some(match name {
            "EQ" => Op::Eq,
            "NE" => Op::Ne,
            "LE" => Op::Le,
            "LT" => Op::Lt,
            "GE" => Op::Ge,
            "GT" => Op::Gt,
            "NOT_NULL" => Op::NotNull,
            "NULL" => Op::Null,
            "CONTAINS" => Op::Contains,
            "NOT_CONTAINS" => Op::NotContains,
            "BEGINS_WITH" => Op::BeginsWith,
            "IN" => Op::In,
            "BETWEEN" => Op::Between,
            _ => return None,
        })
    }

    fn arity_ok(self, n: usize) -> bool {
        match self {
            Op::Null | Op::NotNull => n == 0,
            Op::In => n >= 1,
            Op::Between => n == 2,
            _ => n == 1,
        }
    }

    fn allowed_types(self) -> Option<&'static [&'static str]> {
        match self {
            Op::Eq | Op::Ne => Some(&["S", "N", "B", "SS", "NS", "BS", "BOOL", "NULL", "L", "M"]),
            Op::Le | Op::Lt | Op::Ge | Op::Gt | Op::In | Op::Between => Some(&["S", "N", "B"]),
            Op::Contains | Op::NotContains => {
                Some(&["S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS"])
            }
            Op::BeginsWith => Some(&["S", "B"]),
            Op::Null | Op::NotNull => None,
        }
    }
}

/// One legacy condition on one top-level attribute.
#[derive(Debug, Clone)]
pub struct Condition {
    pub attribute: String,
    pub op: Op,
    pub values: Vec<AttributeValue>,
    pub op_name: String,
}

/// A set of conditions joined by AND (default) or OR.
#[derive(Debug, Clone, Default)]
pub struct Conditions {
    pub list: Vec<Condition>,
    pub or: bool,
}

fn parse_values(list: Option<&Value>) -> Result<Vec<AttributeValue>, DynamoError> {
    let mut out = Vec::new();
    if let Some(list) = list.filter(|v| !v.is_null()) {
        for v in as_list(list)? {
            out.push(AttributeValue::from_json(v)?);
        }
    }
    Ok(out)
}

fn check_operands(op: Op, op_name: &str, values: &[AttributeValue]) -> Result<(), DynamoError> {
    if !op.arity_ok(values.len()) {
        return Err(invalid(format!(
            "Invalid number of argument(s) for the {op_name} ComparisonOperator"
        )));
    }
    if let Some(first) = values.first() {
        if values.iter().any(|v| v.type_code() != first.type_code()) {
            return Err(invalid(
                "AttributeValues inside AttributeValueList must be of same type",
            ));
        }
    }
    if let Some(allowed) = op.allowed_types() {
        for v in values {
            if !allowed.contains(&v.type_code()) {
                return Err(invalid(format!(
                    "ComparisonOperator {op_name} is not valid for {} AttributeValue type",
                    v.type_code()
                )));
            }
        }
    }
    if op == Op::Between {
        if let (Some(lo), Some(hi)) = (values.first(), values.get(1)) {
            if order(lo, hi) == Some(Ordering::Greater) {
                return Err(validation(
                    "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound",
                ));
            }
        }
    }
    Ok(())
}

/// Parses a `KeyConditions` / `QueryFilter` / `ScanFilter` map.
pub fn parse_conditions(map: &Map<String, Value>) -> Result<Vec<Condition>, DynamoError> {
    let mut out = Vec::new();
    for (attribute, cond) in map {
        check_attribute_name(attribute)?;
        let r = Request::new(cond);
        let op_name = r.str("ComparisonOperator")?.unwrap_or_default().to_string();
        let values = parse_values(r.raw("AttributeValueList"))?;
        let op = Op::parse(&op_name).ok_or_else(|| {
            validation(format!(
                "1 validation error detected: Value '{op_name}' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                OPERATORS.join(", ")
            ))
        })?;
        check_operands(op, &op_name, &values)?;
        out.push(Condition {
            attribute: attribute.clone(),
            op,
            values,
            op_name,
        });
    }
    Ok(out)
}

/// Parses an `Expected` map.
pub fn parse_expected(map: &Map<String, Value>) -> Result<Vec<Condition>, DynamoError> {
    let mut out = Vec::new();
    for (attribute, cond) in map {
        check_attribute_name(attribute)?;
        let obj = as_object(cond)?;
        let r = Request::new(cond);
        let has = |k: &str| obj.get(k).is_some_and(|v| !v.is_null());
        if has("AttributeValueList") && has("Value") {
            return Err(invalid(format!(
                "Value and AttributeValueList cannot be used together for Attribute: {attribute}"
            )));
        }
        if has("ComparisonOperator") {
            let op_name = r.str("ComparisonOperator")?.unwrap_or_default().to_string();
            if has("Exists") {
                return Err(invalid(format!(
                    "Exists and ComparisonOperator cannot be used together for Attribute: {attribute}"
                )));
            }
            if op_name != "NULL"
                && op_name != "NOT_NULL"
                && !has("AttributeValueList")
                && !has("Value")
            {
                return Err(invalid(format!(
                    "Value or AttributeValueList must be used with ComparisonOperator: {op_name} for Attribute: {attribute}"
                )));
            }
            let values = if has("Value") {
                vec![AttributeValue::from_json(
                    obj.get("Value").unwrap_or(&Value::Null),
                )?]
            } else {
                parse_values(r.raw("AttributeValueList"))?
            };
            let op = Op::parse(&op_name)
                .ok_or_else(|| invalid(format!("Unsupported operator: {op_name}")))?;
            check_operands(op, &op_name, &values)?;
            out.push(Condition {
                attribute: attribute.clone(),
                op,
                values,
                op_name,
            });
        } else if has("AttributeValueList") {
            return Err(invalid(format!(
                "AttributeValueList can only be used with a ComparisonOperator for Attribute: {attribute}"
            )));
        } else {
            let exists = r.bool("Exists")?;
            let value = obj.get("Value").filter(|v| !v.is_null());
            match (exists.unwrap_or(true), value) {
                (true, None) => {
                    return Err(invalid(format!(
                        "Value must be provided when Exists is {} for Attribute: {attribute}",
                        exists
                            .map(|e| e.to_string())
                            .unwrap_or_else(|| "null".into())
                    )))
                }
                (false, Some(_)) => {
                    return Err(invalid(format!(
                        "Value cannot be used when Exists is false for Attribute: {attribute}"
                    )))
                }
                (true, Some(v)) => out.push(Condition {
                    attribute: attribute.clone(),
                    op: Op::Eq,
                    values: vec![AttributeValue::from_json(v)?],
                    op_name: "EQ".into(),
                }),
                (false, None) => out.push(Condition {
                    attribute: attribute.clone(),
                    op: Op::Null,
                    values: vec![],
                    op_name: "NULL".into(),
                }),
            }
        }
    }
    Ok(out)
}

impl Condition {
    /// Whether `item` satisfies the condition.
    pub fn matches(&self, item: Option<&Item>) -> bool {
        let attr = item.and_then(|i| i.get(&self.attribute));
        let first = self.values.first();
        let cmp = |want: &[Ordering]| match (attr, first) {
            (Some(a), Some(v)) => order(a, v).is_some_and(|o| want.contains(&o)),
            _ => false,
        };
        match self.op {
            Op::Eq => matches!((attr, first), (Some(a), Some(v)) if equal(a, v)),
            Op::Ne => !matches!((attr, first), (Some(a), Some(v)) if equal(a, v)),
            Op::Lt => cmp(&[Ordering::Less]),
            Op::Le => cmp(&[Ordering::Less, Ordering::Equal]),
            Op::Gt => cmp(&[Ordering::Greater]),
            Op::Ge => cmp(&[Ordering::Greater, Ordering::Equal]),
            Op::NotNull => attr.is_some(),
            Op::Null => attr.is_none(),
            Op::Contains => matches!((attr, first), (Some(a), Some(v)) if contains(a, v)),
            Op::NotContains => matches!((attr, first), (Some(a), Some(v)) if !contains(a, v)),
            Op::BeginsWith => matches!((attr, first), (Some(a), Some(v)) if begins_with(a, v)),
            Op::In => attr.is_some_and(|a| self.values.iter().any(|v| equal(a, v))),
            Op::Between => match (attr, self.values.first(), self.values.get(1)) {
                (Some(a), Some(lo), Some(hi)) => {
                    order(a, lo).is_some_and(|o| o != Ordering::Less)
                        && order(a, hi).is_some_and(|o| o != Ordering::Greater)
                }
                _ => false,
            },
        }
    }
}

impl Conditions {
    /// Whether `item` satisfies all (AND) or any (OR) conditions; empty is true.
    pub fn matches(&self, item: Option<&Item>) -> bool {
        if self.list.is_empty() {
            return true;
        }
        if self.or {
            self.list.iter().any(|c| c.matches(item))
        } else {
            self.list.iter().all(|c| c.matches(item))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn expected_messages() {
        let e = |v: Value| parse_expected(v.as_object().unwrap()).unwrap_err().message;
        assert_eq!(
            e(json!({"a": {}})),
            "One or more parameter values were invalid: Value must be provided when Exists is null for Attribute: a"
        );
        assert_eq!(
            e(json!({"a": {"Exists": false, "Value": {"S": "x"}}})),
            "One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: a"
        );
        assert_eq!(
            e(json!({"a": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "2"}, {"N": "1"}]}})),
            "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound"
        );
    }

    #[test]
    fn evaluates() {
        let conds = parse_expected(
            json!({"a": {"Value": {"N": "1"}}, "b": {"Exists": false}})
                .as_object()
                .unwrap(),
        )
        .unwrap();
        let c = Conditions {
            list: conds,
            or: false,
        };
        let mut item = Item::new();
        item.insert("a".into(), AttributeValue::N(crate::Number::from(1)));
        assert!(c.matches(Some(&item)));
        item.insert("b".into(), AttributeValue::Null);
        assert!(!c.matches(Some(&item)));
    }
}
