//! DynamoDB expressions: ConditionExpression, FilterExpression, KeyConditionExpression,
//! UpdateExpression and ProjectionExpression, with AWS's grammar, semantics and messages.
//!
//! Pipeline: `lex` → `parse` (syntax errors only) → `validate` (names, values, reserved
//! words, functions, paths; AWS's error precedence) → evaluation (`condition`, `update`,
//! `projection`, `key`). Every error is a `ValidationException` with AWS's exact text.
//!
//! Use, for one request (all its expressions share one context, as in AWS):
//!
//! ```
//! use serde_json::json;
//! use statebox_dynamo::expr::{parse_condition, parse_update, ExprKind, ExpressionContext};
//! use statebox_dynamo::{AttributeValue, Item, Number};
//!
//! let values = json!({":one": {"N": "1"}});
//! let mut ctx = ExpressionContext::new(None, Some(&values)).unwrap();
//! let update = parse_update("SET n = n + :one", &mut ctx).unwrap();
//! let cond = parse_condition("attribute_exists(pk)", &mut ctx, ExprKind::Condition).unwrap();
//! ctx.check_all_used().unwrap(); // an unused #name or :value would be AWS's error here
//!
//! let mut item = Item::new();
//! item.insert("pk".into(), AttributeValue::S("a".into()));
//! item.insert("n".into(), AttributeValue::N(Number::parse("41").unwrap()));
//! if cond.eval(&item).unwrap() {
//!     update.apply(&mut item).unwrap();
//! }
//! assert_eq!(item["n"], AttributeValue::N(Number::parse("42").unwrap()));
//! ```
//!
//! Parsing is linear in the input and never recurses on boolean nesting, and it stops at
//! the 301st operator or function (AWS's limit), so no syntax tree is deeper than that;
//! evaluation of AND/OR/NOT is iterative; no input panics (see `props.rs`).

// `DynamoError` (crate::error) is the crate-wide error type; its size is decided there.
#![allow(clippy::result_large_err)]

pub mod ast;
pub mod condition;
pub mod key;
pub mod lex;
pub mod names;
pub mod parse;
pub mod projection;
pub mod reserved;
pub mod update;
mod validate;

#[cfg(test)]
mod cases;
#[cfg(test)]
mod props;

pub use ast::{CmpOp, Condition, Operand, Path, PathElem, UpdateAction};
pub use key::{KeyCondition, KeyRange, RangeCondition};
pub use names::ExpressionContext;
pub use projection::Projection;
pub use update::UpdateExpression;

use crate::error::DynamoError;
use validate::Checker;

/// The longest expression AWS accepts, in bytes.
pub const MAX_EXPRESSION_BYTES: usize = 4096;

/// Which request parameter an expression came from (it names the parameter in messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExprKind {
    Condition,
    Filter,
    KeyCondition,
    Update,
    Projection,
}

impl ExprKind {
    /// The parameter name used in AWS's messages (`Invalid ConditionExpression: ...`).
    pub fn label(self) -> &'static str {
        match self {
            ExprKind::Condition => "ConditionExpression",
            ExprKind::Filter => "FilterExpression",
            ExprKind::KeyCondition => "KeyConditionExpression",
            ExprKind::Update => "UpdateExpression",
            ExprKind::Projection => "ProjectionExpression",
        }
    }
}

/// Parses and validates a ConditionExpression or FilterExpression (`kind` names it in
/// messages), resolving `#n`/`:v` from `ctx` and marking them used.
pub fn parse_condition(
    text: &str,
    ctx: &mut ExpressionContext,
    kind: ExprKind,
) -> Result<Condition, DynamoError> {
    let (mut cond, notes) = parse::parse_condition_syntax(text, kind)?;
    let mut checker = Checker::new(ctx, kind);
    if notes.redundant_parens {
        checker.redundant_parens();
    }
    checker.condition(&mut cond);
    checker.finish()?;
    Ok(cond)
}

/// Parses and validates a KeyConditionExpression; call [`KeyCondition::analyze`] with the
/// table's or index's key names next.
pub fn parse_key_condition(
    text: &str,
    ctx: &mut ExpressionContext,
) -> Result<KeyCondition, DynamoError> {
    let condition = parse_condition(text, ctx, ExprKind::KeyCondition)?;
    let parts = key::key_parts(&condition)?;
    Ok(KeyCondition { condition, parts })
}

/// Parses and validates an UpdateExpression.
pub fn parse_update(
    text: &str,
    ctx: &mut ExpressionContext,
) -> Result<UpdateExpression, DynamoError> {
    let mut raw = parse::parse_update_syntax(text)?;
    let mut checker = Checker::new(ctx, ExprKind::Update);
    checker.update(&mut raw.actions, &raw.sections);
    checker.finish()?;
    Ok(UpdateExpression {
        actions: raw.actions,
    })
}

/// Parses and validates a ProjectionExpression.
pub fn parse_projection(
    text: &str,
    ctx: &mut ExpressionContext,
) -> Result<Projection, DynamoError> {
    let mut paths = parse::parse_projection_syntax(text)?;
    let mut checker = Checker::new(ctx, ExprKind::Projection);
    for path in paths.iter_mut() {
        checker.resolve_path(path);
    }
    checker.paths(paths.iter());
    checker.finish()?;
    Ok(Projection { paths })
}
