//! The single seam between the operations and the expression engine (`crate::expr`):
//! parsing every expression parameter of a request at once (so names/values usage is
//! checked across all of them, as AWS does) and evaluating them against items.

use serde_json::Value;

use crate::request::Request;
use crate::types::{AttributeValue, Item};
use crate::DynamoError;

/// The expression parameters of one request, parsed.
#[derive(Debug, Default)]
pub struct Expressions {
    pub condition: Option<Cond>,
    pub filter: Option<Cond>,
    pub key_condition: Option<KeyCond>,
    pub update: Option<Update>,
    pub projection: Option<Projection>,
}

/// A parsed condition or filter expression.
#[derive(Debug)]
pub struct Cond {
    _text: String,
}

/// A parsed key condition: partition key equality and an optional sort key condition.
#[derive(Debug)]
pub struct KeyCond {
    pub hash: (String, AttributeValue),
    pub range: Option<(String, RangeCond)>,
}

/// A sort key condition.
#[derive(Debug, Clone)]
pub enum RangeCond {
    Eq(AttributeValue),
    Lt(AttributeValue),
    Le(AttributeValue),
    Gt(AttributeValue),
    Ge(AttributeValue),
    Between(AttributeValue, AttributeValue),
    BeginsWith(AttributeValue),
}

/// A parsed update expression.
#[derive(Debug)]
pub struct Update {
    _text: String,
}

/// A parsed projection expression.
#[derive(Debug)]
pub struct Projection {
    _text: String,
}

fn unsupported(kind: &str) -> DynamoError {
    DynamoError::new(
        "ValidationException",
        format!("{kind} is not supported by this engine yet"),
    )
}

/// Parses the expression parameters present in the request.
pub fn parse(request: &Request, _names: Option<&Value>, _values: Option<&Value>) -> Result<Expressions, DynamoError> {
    for kind in [
        "UpdateExpression",
        "ConditionExpression",
        "KeyConditionExpression",
        "FilterExpression",
        "ProjectionExpression",
    ] {
        if request.has(kind) {
            return Err(unsupported(kind));
        }
    }
    Ok(Expressions::default())
}

impl Cond {
    /// Whether the item satisfies the condition (a missing item is an empty one).
    pub fn eval(&self, _item: Option<&Item>) -> Result<bool, DynamoError> {
        Err(unsupported("ConditionExpression"))
    }
}

impl Update {
    /// Applies the update to the item.
    pub fn apply(&self, _item: &mut Item) -> Result<(), DynamoError> {
        Err(unsupported("UpdateExpression"))
    }

    /// The top-level attributes the update touches (for UPDATED_OLD/UPDATED_NEW).
    pub fn touched(&self) -> Vec<String> {
        Vec::new()
    }
}

impl Projection {
    /// The projected part of an item.
    pub fn apply(&self, item: &Item) -> Item {
        item.clone()
    }
}
