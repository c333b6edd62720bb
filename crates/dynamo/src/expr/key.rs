//! KeyConditionExpression: which partition a Query reads and which sort-key range.
//!
//! Two stages, as in AWS: the shape of the condition is checked when it is parsed
//! (before the table is looked up: operators, nested paths, one attribute per condition,
//! one condition per key), the key schema when [`KeyCondition::analyze`] is called.

use super::ast::{CmpOp, Condition, Operand, PathElem};
use super::parse::validation;
use crate::error::DynamoError;
use crate::types::{AttributeValue, Item};

/// A parsed, validated KeyConditionExpression.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyCondition {
    pub condition: Condition,
    /// The AND-ed parts: attribute name and its condition.
    pub parts: Vec<(String, RangeCondition)>,
}

/// A condition on one key attribute.
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

fn first_operand(op: &str) -> DynamoError {
    validation(format!(
        "Invalid condition in KeyConditionExpression: {op} operator must have the key attribute as its first operand"
    ))
}

/// Walks a condition's operands in order: one top-level attribute, the rest values.
fn attribute_of(operands: &[&Operand]) -> Result<String, DynamoError> {
    let mut name: Option<String> = None;
    for op in operands {
        match op {
            Operand::Call { .. } | Operand::Arith { .. } => {
                return Err(validation(
                    "KeyConditionExpressions cannot contain nested operations",
                ))
            }
            Operand::Path(p) => {
                if name.is_some() {
                    return Err(validation(
                        "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition",
                    ));
                }
                match p.elems.as_slice() {
                    [PathElem::Attr(n)] => name = Some(n.clone()),
                    _ => {
                        return Err(validation(
                            "Invalid KeyConditionExpression: KeyConditionExpressions cannot have conditions on nested attributes",
                        ))
                    }
                }
            }
            Operand::Value(_) | Operand::Placeholder(_) => {}
        }
    }
    name.ok_or_else(|| {
        validation("Invalid condition in KeyConditionExpression: No key attribute specified")
    })
}

fn value(op: &Operand) -> Result<AttributeValue, DynamoError> {
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
fn part(cond: &Condition) -> Result<(String, RangeCondition), DynamoError> {
    match cond {
        Condition::Compare { op, left, right } => {
            if *op == CmpOp::Ne {
                return Err(invalid_operator("<>"));
            }
            let name = attribute_of(&[left, right])?;
            let (v, op) = match left {
                Operand::Path(_) => (value(right)?, *op),
                _ => (value(left)?, flip(*op)),
            };
            let rc = match op {
                CmpOp::Eq => RangeCondition::Eq(v),
                CmpOp::Lt => RangeCondition::Lt(v),
                CmpOp::Le => RangeCondition::Le(v),
                CmpOp::Gt => RangeCondition::Gt(v),
                _ => RangeCondition::Ge(v),
            };
            Ok((name, rc))
        }
        Condition::Between {
            value: v,
            low,
            high,
        } => {
            if !matches!(v, Operand::Path(_)) {
                return Err(first_operand("BETWEEN"));
            }
            let name = attribute_of(&[v, low, high])?;
            Ok((name, RangeCondition::Between(value(low)?, value(high)?)))
        }
        Condition::Function { name, args } if name == "begins_with" => {
            let (Some(first), Some(second)) = (args.first(), args.get(1)) else {
                return Err(unsupported());
            };
            if !matches!(first, Operand::Path(_)) {
                return Err(first_operand("begins_with"));
            }
            let key = attribute_of(&[first, second])?;
            Ok((key, RangeCondition::BeginsWith(value(second)?)))
        }
        Condition::Function { name, .. } => Err(invalid_operator(name)),
        Condition::In { .. } => Err(invalid_operator("IN")),
        Condition::Not(_) => Err(invalid_operator("NOT")),
        Condition::Or(..) => Err(invalid_operator("OR")),
        Condition::And(..) => Err(unsupported()),
    }
}

/// The shape checks AWS makes before looking at the table.
pub(crate) fn key_parts(cond: &Condition) -> Result<Vec<(String, RangeCondition)>, DynamoError> {
    let mut parts: Vec<(String, RangeCondition)> = Vec::new();
    let mut stack = vec![cond];
    while let Some(c) = stack.pop() {
        match c {
            Condition::And(a, b) => {
                stack.push(b);
                stack.push(a);
            }
            other => {
                let (name, rc) = part(other)?;
                if parts.iter().any(|(n, _)| *n == name) {
                    return Err(validation(
                        "KeyConditionExpressions must only contain one condition per key",
                    ));
                }
                parts.push((name, rc));
            }
        }
    }
    if parts.len() > 2 {
        return Err(validation("Conditions can be of length 1 or 2 only"));
    }
    Ok(parts)
}

impl KeyCondition {
    /// The partition and sort-key range for a table or index whose key is `hash_key`
    /// (and `range_key`). The caller checks the values' types against the schema.
    pub fn analyze(
        &self,
        hash_key: &str,
        range_key: Option<&str>,
    ) -> Result<KeyRange, DynamoError> {
        let has_hash = self.parts.iter().any(|(n, _)| n == hash_key);
        let mut hash_value = None;
        let mut range = None;
        for (name, rc) in &self.parts {
            if name == hash_key {
                match rc {
                    RangeCondition::Eq(v) => hash_value = Some(v.clone()),
                    _ => return Err(unsupported()),
                }
            } else if Some(name.as_str()) == range_key {
                range = Some(rc.clone());
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
