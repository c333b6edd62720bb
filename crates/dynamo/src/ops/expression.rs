//! The single seam between the operations and the expression engine (`crate::expr`):
//! parsing every expression parameter of a request with one shared names/values context
//! (so unused `#n`/`:v` are reported across all of them, as AWS does) and evaluating them.

use serde_json::Value;

use crate::expr::{self, ExprKind, ExpressionContext, Path};
use crate::request::Request;
use crate::types::{AttributeValue, Item};
use crate::DynamoError;

/// The expression parameters of one request, parsed.
#[derive(Debug, Default)]
pub struct Expressions {
    pub condition: Option<Cond>,
    pub filter: Option<Cond>,
    pub key_condition: Option<expr::KeyCondition>,
    pub update: Option<Update>,
    pub projection: Option<Projection>,
}

/// A parsed condition or filter expression.
#[derive(Debug)]
pub struct Cond(expr::Condition);

/// A key condition resolved against a key schema: partition key equality and an
/// optional sort key condition.
#[derive(Debug)]
pub struct KeyCond {
    pub hash: (String, AttributeValue),
    pub range: Option<(String, RangeCond)>,
}

/// A sort key condition.
pub type RangeCond = expr::RangeCondition;

/// A parsed update expression.
#[derive(Debug)]
pub struct Update(expr::UpdateExpression);

/// A parsed projection expression.
#[derive(Debug)]
pub struct Projection(expr::Projection);

/// Parses the expression parameters present in the request, in AWS's order (update,
/// condition, key condition, filter, projection), then reports unused names/values.
pub fn parse(
    request: &Request,
    names: Option<&Value>,
    values: Option<&Value>,
) -> Result<Expressions, DynamoError> {
    let present = [
        "UpdateExpression",
        "ConditionExpression",
        "KeyConditionExpression",
        "FilterExpression",
        "ProjectionExpression",
    ]
    .iter()
    .any(|k| request.has(k));
    if !present {
        return Ok(Expressions::default());
    }
    let mut ctx = ExpressionContext::new(names, values)?;
    let mut out = Expressions::default();
    if let Some(text) = request.str("UpdateExpression")? {
        out.update = Some(Update(expr::parse_update(text, &mut ctx)?));
    }
    if let Some(text) = request.str("ConditionExpression")? {
        out.condition = Some(Cond(expr::parse_condition(
            text,
            &mut ctx,
            ExprKind::Condition,
        )?));
    }
    if let Some(text) = request.str("KeyConditionExpression")? {
        out.key_condition = Some(expr::parse_key_condition(text, &mut ctx)?);
    }
    if let Some(text) = request.str("FilterExpression")? {
        out.filter = Some(Cond(expr::parse_condition(
            text,
            &mut ctx,
            ExprKind::Filter,
        )?));
    }
    if let Some(text) = request.str("ProjectionExpression")? {
        out.projection = Some(Projection(expr::parse_projection(text, &mut ctx)?));
    }
    ctx.check_all_used()?;
    Ok(out)
}

/// Resolves a KeyConditionExpression against the table's or index's key names.
pub fn resolve_key_condition(
    kc: &expr::KeyCondition,
    hash: &str,
    range: Option<&str>,
) -> Result<KeyCond, DynamoError> {
    let resolved = kc.analyze(hash, range)?;
    Ok(KeyCond {
        hash: (hash.to_string(), resolved.hash_value),
        range: match (resolved.range, range) {
            (Some(rc), Some(name)) => Some((name.to_string(), rc)),
            _ => None,
        },
    })
}

fn operand_tops<'a>(op: &'a expr::Operand, out: &mut Vec<&'a str>) {
    let mut stack = vec![op];
    while let Some(op) = stack.pop() {
        match op {
            expr::Operand::Path(p) => out.extend(p.top()),
            expr::Operand::Call { args, .. } => stack.extend(args.iter()),
            expr::Operand::Arith { left, right, .. } => {
                stack.push(left);
                stack.push(right);
            }
            _ => {}
        }
    }
}

impl Cond {
    /// The top-level attribute names the condition reads.
    pub fn top_level(&self) -> Vec<&str> {
        let mut out = Vec::new();
        let mut stack = vec![&self.0];
        while let Some(c) = stack.pop() {
            match c {
                expr::Condition::Compare { left, right, .. } => {
                    operand_tops(left, &mut out);
                    operand_tops(right, &mut out);
                }
                expr::Condition::Between { value, low, high } => {
                    for o in [value, low, high] {
                        operand_tops(o, &mut out);
                    }
                }
                expr::Condition::In { value, list } => {
                    operand_tops(value, &mut out);
                    for o in list {
                        operand_tops(o, &mut out);
                    }
                }
                expr::Condition::Function { args, .. } => {
                    for o in args {
                        operand_tops(o, &mut out);
                    }
                }
                expr::Condition::Not(inner) => stack.push(inner),
                expr::Condition::And(a, b) | expr::Condition::Or(a, b) => {
                    stack.push(a);
                    stack.push(b);
                }
            }
        }
        out
    }

    /// Whether the item satisfies the condition (a missing item is an empty one).
    pub fn eval(&self, item: Option<&Item>) -> Result<bool, DynamoError> {
        match item {
            Some(i) => self.0.eval(i),
            None => self.0.eval(&Item::new()),
        }
    }
}

impl Update {
    /// Applies the update to the item.
    pub fn apply(&self, item: &mut Item) -> Result<(), DynamoError> {
        self.0.apply(item)
    }

    /// Applies the update to an item that does not exist yet (see
    /// [`expr::UpdateExpression::apply_new`]).
    pub fn apply_new(&self, item: &mut Item) -> Result<(), DynamoError> {
        self.0.apply_new(item)
    }

    /// The paths the update writes.
    pub fn paths(&self) -> Vec<Path> {
        self.0.paths().into_iter().cloned().collect()
    }

    /// Top-level attributes assigned a literal value (`SET a = :v`, `ADD a :v`), with it.
    pub fn literal_assignments(&self) -> Vec<(&str, &crate::types::AttributeValue)> {
        use crate::expr::{Operand, UpdateAction};
        self.0
            .actions
            .iter()
            .filter_map(|a| match a {
                UpdateAction::Set {
                    path,
                    value: Operand::Value(v),
                }
                | UpdateAction::Add {
                    path,
                    value: Operand::Value(v),
                } if path.elems.len() == 1 => path.top().map(|t| (t, v)),
                _ => None,
            })
            .collect()
    }

    /// What standalone UpdateItem charges against the item size limit for the actions
    /// themselves: 19 bytes per SET or ADD, 2 per REMOVE or DELETE.
    pub fn action_cost(&self) -> usize {
        use crate::expr::UpdateAction;
        self.0
            .actions
            .iter()
            .map(|a| match a {
                UpdateAction::Set { .. } | UpdateAction::Add { .. } => 19,
                UpdateAction::Remove { .. } | UpdateAction::Delete { .. } => 2,
            })
            .sum()
    }

    /// Every document path the update writes or reads.
    pub fn all_paths(&self) -> Vec<&Path> {
        use crate::expr::{Operand, UpdateAction};
        fn walk<'a>(op: &'a Operand, out: &mut Vec<&'a Path>) {
            match op {
                Operand::Path(p) => out.push(p),
                Operand::Call { args, .. } => args.iter().for_each(|a| walk(a, out)),
                Operand::Arith { left, right, .. } => {
                    walk(left, out);
                    walk(right, out);
                }
                Operand::Placeholder(_) | Operand::Value(_) => {}
            }
        }
        let mut out = Vec::new();
        for a in &self.0.actions {
            out.push(a.path());
            match a {
                UpdateAction::Set { value, .. }
                | UpdateAction::Add { value, .. }
                | UpdateAction::Delete { value, .. } => walk(value, &mut out),
                UpdateAction::Remove { .. } => {}
            }
        }
        out
    }

    /// The top-level attributes the update writes.
    pub fn touched(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in self.0.paths() {
            if let Some(t) = p.top() {
                if !out.iter().any(|o| o == t) {
                    out.push(t.to_string());
                }
            }
        }
        out
    }
}

/// The parts of `item` at `paths` (for `ReturnValues: UPDATED_OLD/UPDATED_NEW`).
pub fn pick_paths(item: &Item, paths: Vec<Path>) -> Item {
    expr::Projection::from_paths(paths).project(item)
}

impl Projection {
    /// The projected part of an item.
    pub fn apply(&self, item: &Item) -> Item {
        self.0.project(item)
    }

    /// The top-level attribute names the projection reads.
    pub fn top_level(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in &self.0.paths {
            if let Some(t) = p.top() {
                if !out.iter().any(|o| o == t) {
                    out.push(t.to_string());
                }
            }
        }
        out
    }
}
