//! KeyConditionExpression: which partition a Query reads and which sort-key range, with
//! AWS's messages for conditions a key condition may not hold.

use super::ast::{CmpOp, Condition, Operand, PathElem};
use super::parse::validation;
use crate::error::DynamoError;
use crate::types::{AttributeValue, Item};

/// A parsed, validated KeyConditionExpression.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyCondition {
    pub condition: Condition,
}

/// The condition on the sort key.
#[derive(Debug, Clone, PartialEq)]
pub enum RangeCondition {
    Eq(AttributeValue),
    Lt(AttributeValue),
    Le(AttributeValue),
    Gt(AttributeValue),
    Ge(AttributeValue),
    Between(AttributeValue, AttributeValue),
    BeginsWith(AttributeValue),
}

/// What a Query reads: one partition and, optionally, a sort-key range.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyRange {
    pub hash_value: AttributeValue,
    pub range: Option<RangeCondition>,
}

fn invalid_operator(op: &str) -> DynamoError {
    validation(format!(
        "Invalid operator used in KeyConditionExpression: {op}"
    ))
}

fn unsupported() -> DynamoError {
    validation("Query key condition not supported")
}

/// The attribute a key condition is about (a top-level name only).
fn key_name(op: &Operand) -> Result<Option<&str>, DynamoError> {
    match op {
        Operand::Path(p) => match p.elems.as_slice() {
            [PathElem::Attr(name)] => Ok(Some(name)),
            _ => Err(validation(
                "KeyConditionExpressions cannot have conditions on nested attributes",
            )),
        },
        _ => Ok(None),
    }
}

fn literal(op: &Operand) -> Result<AttributeValue, DynamoError> {
    match op {
        Operand::Value(v) => Ok(v.clone()),
        _ => Err(unsupported()),
    }
}

fn flip(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        other => other,
    }
}

/// One `key op value` part of the condition.
fn part(cond: &Condition) -> Result<(&str, RangeCondition), DynamoError> {
    match cond {
        Condition::Compare { op, left, right } => {
            if *op == CmpOp::Ne {
                return Err(invalid_operator("<>"));
            }
            let (name, value, op) = match (key_name(left)?, key_name(right)?) {
                (Some(name), None) => (name, literal(right)?, *op),
                (None, Some(name)) => (name, literal(left)?, flip(*op)),
                _ => return Err(unsupported()),
            };
            let rc = match op {
                CmpOp::Eq => RangeCondition::Eq(value),
                CmpOp::Lt => RangeCondition::Lt(value),
                CmpOp::Le => RangeCondition::Le(value),
                CmpOp::Gt => RangeCondition::Gt(value),
                _ => RangeCondition::Ge(value),
            };
            Ok((name, rc))
        }
        Condition::Between { value, low, high } => {
            let name = key_name(value)?.ok_or_else(unsupported)?;
            Ok((name, RangeCondition::Between(literal(low)?, literal(high)?)))
        }
        Condition::Function { name, args } if name == "begins_with" => {
            let first = args.first().ok_or_else(unsupported)?;
            let key = key_name(first)?.ok_or_else(unsupported)?;
            let prefix = literal(args.get(1).ok_or_else(unsupported)?)?;
            Ok((key, RangeCondition::BeginsWith(prefix)))
        }
        Condition::Function { name, .. } => Err(invalid_operator(name)),
        Condition::In { .. } => Err(invalid_operator("IN")),
        Condition::Not(_) => Err(invalid_operator("NOT")),
        Condition::Or(..) => Err(invalid_operator("OR")),
        Condition::And(..) => Err(unsupported()),
    }
}

impl KeyCondition {
    /// The partition and sort-key range for a table or index whose key is `hash_key`
    /// (and `range_key`). The caller checks the values' types against the schema.
    pub fn analyze(
        &self,
        hash_key: &str,
        range_key: Option<&str>,
    ) -> Result<KeyRange, DynamoError> {
        let mut parts = Vec::new();
        let mut stack = vec![&self.condition];
        while let Some(cond) = stack.pop() {
            match cond {
                Condition::And(a, b) => {
                    stack.push(b);
                    stack.push(a);
                }
                other => parts.push(part(other)?),
            }
        }
        if parts.len() > 2 {
            return Err(validation("Conditions can be of length 1 or 2 only"));
        }
        if let [(a, _), (b, _)] = parts.as_slice() {
            if a == b {
                return Err(validation(
                    "KeyConditionExpressions must only contain one condition per key",
                ));
            }
        }
        let has_hash = parts.iter().any(|(n, _)| *n == hash_key);
        let mut hash_value = None;
        let mut range = None;
        for (name, rc) in parts {
            if name == hash_key {
                match rc {
                    RangeCondition::Eq(v) => hash_value = Some(v),
                    _ => return Err(unsupported()),
                }
            } else if Some(name) == range_key {
                range = Some(rc);
            } else {
                let missed = match range_key {
                    Some(r) if has_hash => r,
                    None if has_hash => return Err(unsupported()),
                    _ => hash_key,
                };
                return Err(validation(format!(
                    "Query condition missed key schema element: {missed}"
                )));
            }
        }
        let hash_value = hash_value.ok_or_else(|| {
            validation(format!(
                "Query condition missed key schema element: {hash_key}"
            ))
        })?;
        Ok(KeyRange { hash_value, range })
    }

    /// Whether an item's key satisfies the condition.
    pub fn matches(&self, item: &Item) -> Result<bool, DynamoError> {
        self.condition.eval(item)
    }
}
