//! Pieces shared by the item operations: AWS's rule against mixing expression and legacy
//! parameters, conditions and projections from either family, ReturnValues.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::expression::{self, Cond, Expressions, Projection};
use crate::legacy::condition::{parse_expected, Conditions};
use crate::request::Request;
use crate::types::{item_to_json, Item};
use crate::validate::{invalid, validation};
use crate::DynamoError;

/// AWS's check that a request does not mix expression and legacy parameters, and that
/// ExpressionAttributeNames/Values come with an expression.
pub fn check_expression_params(
    r: &Request,
    expressions: &[&str],
    legacy: &[&str],
) -> Result<(), DynamoError> {
    let used: Vec<&str> = expressions.iter().copied().filter(|e| r.has(e)).collect();
    if !used.is_empty() {
        let mut legacy: Vec<&str> = legacy.to_vec();
        if r.has("KeyConditions") && !r.has("KeyConditionExpression") {
            legacy.retain(|l| *l != "KeyConditions");
        }
        let mixed: Vec<&str> = legacy.into_iter().filter(|l| r.has(l)).collect();
        if !mixed.is_empty() {
            return Err(validation(format!(
                "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {{{}}} Expression parameters: {{{}}}",
                mixed.join(", "),
                used.join(", ")
            )));
        }
    }
    if r.has("ExpressionAttributeNames") && used.is_empty() {
        return Err(validation(
            "ExpressionAttributeNames can only be specified when using expressions",
        ));
    }
    let value_exprs: Vec<&str> = expressions
        .iter()
        .copied()
        .filter(|e| *e != "ProjectionExpression")
        .collect();
    if !value_exprs.is_empty()
        && r.has("ExpressionAttributeValues")
        && value_exprs.iter().all(|e| !r.has(e))
    {
        return Err(validation(format!(
            "ExpressionAttributeValues can only be specified when using expressions: {} {} null",
            value_exprs.join(" and "),
            if value_exprs.len() > 1 { "are" } else { "is" }
        )));
    }
    Ok(())
}

/// Parses all expression parameters of a request.
pub fn parse_expressions(r: &Request) -> Result<Expressions, DynamoError> {
    expression::parse(
        r,
        r.raw("ExpressionAttributeNames"),
        r.raw("ExpressionAttributeValues"),
    )
}

/// A write's condition: legacy `Expected` or a ConditionExpression.
#[derive(Debug, Default)]
pub enum WriteCondition {
    #[default]
    None,
    Legacy(Conditions),
    Expression(Cond),
}

impl WriteCondition {
    /// Reads `Expected` + `ConditionalOperator` (the expression comes from `exprs`).
    pub fn from_request(r: &Request, exprs: &mut Expressions) -> Result<Self, DynamoError> {
        if let Some(cond) = exprs.condition.take() {
            return Ok(WriteCondition::Expression(cond));
        }
        match r.object("Expected")? {
            Some(map) => Ok(WriteCondition::Legacy(Conditions {
                list: parse_expected(map)?,
                or: r.str("ConditionalOperator")? == Some("OR"),
            })),
            None => Ok(WriteCondition::None),
        }
    }

    /// Whether the existing item (if any) passes.
    pub fn passes(&self, item: Option<&Item>) -> Result<bool, DynamoError> {
        match self {
            WriteCondition::None => Ok(true),
            WriteCondition::Legacy(c) => Ok(c.matches(item)),
            WriteCondition::Expression(c) => c.eval(item),
        }
    }
}

/// What a read returns of each item: everything, `AttributesToGet`, or a projection.
#[derive(Debug, Default)]
pub enum ReadProjection {
    #[default]
    All,
    Attributes(Vec<String>),
    Expression(Projection),
}

impl ReadProjection {
    /// Reads `AttributesToGet` (checking duplicates) or takes the projection expression.
    pub fn from_request(r: &Request, exprs: &mut Expressions) -> Result<Self, DynamoError> {
        if let Some(p) = exprs.projection.take() {
            return Ok(ReadProjection::Expression(p));
        }
        match r.strings("AttributesToGet")? {
            Some(list) => {
                let mut out: Vec<String> = Vec::new();
                for a in list {
                    crate::types::check_attribute_name(a)?;
                    if out.iter().any(|x| x == a) {
                        return Err(invalid(format!("Duplicate value in attribute name: {a}")));
                    }
                    out.push(a.to_string());
                }
                Ok(ReadProjection::Attributes(out))
            }
            None => Ok(ReadProjection::All),
        }
    }

    /// The projected item.
    pub fn apply(&self, item: &Item) -> Item {
        self.project(item).into_owned()
    }

    /// The projected item, borrowed when the projection keeps everything.
    pub fn project<'i>(&self, item: &'i Item) -> Cow<'i, Item> {
        match self {
            ReadProjection::All => Cow::Borrowed(item),
            ReadProjection::Attributes(names) => Cow::Owned(
                item.iter()
                    .filter(|(k, _)| names.contains(k))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            ),
            ReadProjection::Expression(p) => Cow::Owned(p.apply(item)),
        }
    }

    pub fn is_all(&self) -> bool {
        matches!(self, ReadProjection::All)
    }
}

/// `ConditionalCheckFailedException`, with the item when ReturnValuesOnConditionCheckFailure
/// is ALL_OLD.
pub fn condition_failed(item: Option<&Item>, return_old: bool) -> DynamoError {
    let err = DynamoError::new(
        "ConditionalCheckFailedException",
        "The conditional request failed",
    );
    match item {
        Some(item) if return_old => err.with_item(item_to_json(item)),
        _ => err,
    }
}

/// Inserts a key into a response object if the value is present.
pub fn put_opt(out: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(v) = value {
        out.insert(key.to_string(), v);
    }
}

/// Checks `ReturnValuesOnConditionCheckFailure` and says whether it is ALL_OLD.
pub fn return_old_on_failure(
    r: &Request,
    c: &mut crate::validate::constraints::Constraints,
) -> Result<bool, DynamoError> {
    let v = r.str("ReturnValuesOnConditionCheckFailure")?;
    c.one_of(
        r.raw("ReturnValuesOnConditionCheckFailure"),
        "returnValuesOnConditionCheckFailure",
        &["ALL_OLD", "NONE"],
    );
    Ok(v == Some("ALL_OLD"))
}

/// The items one transaction names (table and key bytes): each at most once, in
/// TransactWriteItems and TransactGetItems alike.
#[derive(Default)]
pub struct TransactionTargets(Vec<(String, Vec<u8>)>);

impl TransactionTargets {
    /// Adds an item, or refuses a second action on one already named.
    pub fn add(&mut self, table: &str, key: Vec<u8>) -> Result<(), DynamoError> {
        if self.0.iter().any(|(t, k)| t == table && *k == key) {
            return Err(validation(
                "Transaction request cannot include multiple operations on one item",
            ));
        }
        self.0.push((table.to_string(), key));
        Ok(())
    }
}
