//! Evaluating conditions against an item, with DynamoDB's comparison rules: `=`/`<>`
//! compare any two values (sets ignore order; a missing attribute equals nothing and so
//! is `<>` everything); `<`, `<=`, `>`, `>=` and BETWEEN compare only N with N
//! (numerically), S with S and B with B (bytewise), anything else is false.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::BTreeSet;

use super::ast::{CmpOp, Condition, Operand, Path, PathElem};
use super::parse::validation;
use crate::error::DynamoError;
use crate::types::{AttributeValue, Item, Number};

/// The value at `path` in `item`, if there is one.
pub fn lookup<'a>(item: &'a Item, path: &Path) -> Option<&'a AttributeValue> {
    let mut elems = path.elems.iter();
    let mut current = match elems.next()? {
        PathElem::Attr(name) => item.get(name)?,
        _ => return None,
    };
    for elem in elems {
        current = match (elem, current) {
            (PathElem::Attr(name), AttributeValue::M(map)) => map.get(name)?,
            (PathElem::Index(i), AttributeValue::L(list)) => list.get(*i as usize)?,
            _ => return None,
        };
    }
    Some(current)
}

/// Order of two values of the same scalar type (N, S, B); `None` otherwise.
pub fn compare_values(a: &AttributeValue, b: &AttributeValue) -> Option<Ordering> {
    match (a, b) {
        (AttributeValue::N(x), AttributeValue::N(y)) => Some(x.cmp(y)),
        (AttributeValue::S(x), AttributeValue::S(y)) => Some(x.as_bytes().cmp(y.as_bytes())),
        (AttributeValue::B(x), AttributeValue::B(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// DynamoDB equality: same type and same value; sets compare as sets.
pub fn values_equal(a: &AttributeValue, b: &AttributeValue) -> bool {
    match (a, b) {
        (AttributeValue::Ss(x), AttributeValue::Ss(y)) => {
            x.len() == y.len() && x.iter().collect::<BTreeSet<_>>() == y.iter().collect()
        }
        (AttributeValue::Ns(x), AttributeValue::Ns(y)) => {
            x.len() == y.len() && x.iter().collect::<BTreeSet<_>>() == y.iter().collect()
        }
        (AttributeValue::Bs(x), AttributeValue::Bs(y)) => {
            x.len() == y.len() && x.iter().collect::<BTreeSet<_>>() == y.iter().collect()
        }
        (AttributeValue::L(x), AttributeValue::L(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| values_equal(p, q))
        }
        (AttributeValue::M(x), AttributeValue::M(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k1, v1), (k2, v2))| k1 == k2 && values_equal(v1, v2))
        }
        _ => a == b,
    }
}

/// `size()`: string and binary length in bytes (UTF-8 for strings: "an attribute's size
/// in bytes"), element count of sets, lists and maps; other types have no size.
pub fn size_of(v: &AttributeValue) -> Option<usize> {
    Some(match v {
        AttributeValue::S(s) => s.len(),
        AttributeValue::B(b) => b.len(),
        AttributeValue::Ss(s) => s.len(),
        AttributeValue::Ns(s) => s.len(),
        AttributeValue::Bs(s) => s.len(),
        AttributeValue::L(l) => l.len(),
        AttributeValue::M(m) => m.len(),
        _ => return None,
    })
}

fn unresolved() -> DynamoError {
    validation("The expression contains an unresolved placeholder")
}

/// The value of an operand, if it has one for this item.
pub fn operand_value<'a>(
    op: &'a Operand,
    item: &'a Item,
) -> Result<Option<Cow<'a, AttributeValue>>, DynamoError> {
    Ok(match op {
        Operand::Path(p) => lookup(item, p).map(Cow::Borrowed),
        Operand::Value(v) => Some(Cow::Borrowed(v)),
        Operand::Call { name, args } if name == "size" => {
            let Some(arg) = args.first() else {
                return Err(unresolved());
            };
            operand_value(arg, item)?
                .and_then(|v| size_of(&v))
                .map(|n| Cow::Owned(AttributeValue::N(Number::from(n as i64))))
        }
        Operand::Placeholder(_) | Operand::Call { .. } | Operand::Arith { .. } => {
            return Err(unresolved())
        }
    })
}

fn contains(haystack: &AttributeValue, needle: &AttributeValue) -> bool {
    match (haystack, needle) {
        (AttributeValue::S(h), AttributeValue::S(n)) => h.contains(n.as_str()),
        (AttributeValue::B(h), AttributeValue::B(n)) => {
            n.is_empty() || h.windows(n.len()).any(|w| w == n.as_slice())
        }
        (AttributeValue::Ss(h), AttributeValue::S(n)) => h.contains(n),
        (AttributeValue::Ns(h), AttributeValue::N(n)) => h.contains(n),
        (AttributeValue::Bs(h), AttributeValue::B(n)) => h.contains(n),
        (AttributeValue::L(h), n) => h.iter().any(|v| values_equal(v, n)),
        _ => false,
    }
}

fn begins_with(value: &AttributeValue, prefix: &AttributeValue) -> bool {
    match (value, prefix) {
        (AttributeValue::S(v), AttributeValue::S(p)) => v.starts_with(p.as_str()),
        (AttributeValue::B(v), AttributeValue::B(p)) => v.starts_with(p),
        _ => false,
    }
}

enum Frame<'a> {
    Visit(&'a Condition),
    Not,
    And(&'a Condition),
    Or(&'a Condition),
}

impl Condition {
    /// Whether `item` satisfies the condition (a missing item is an empty item).
    /// Iterative, so nesting depth costs heap, not stack.
    pub fn eval(&self, item: &Item) -> Result<bool, DynamoError> {
        let mut stack = vec![Frame::Visit(self)];
        let mut value = false;
        while let Some(frame) = stack.pop() {
            match frame {
                Frame::Visit(Condition::Not(c)) => {
                    stack.push(Frame::Not);
                    stack.push(Frame::Visit(c));
                }
                Frame::Visit(Condition::And(a, b)) => {
                    stack.push(Frame::And(b));
                    stack.push(Frame::Visit(a));
                }
                Frame::Visit(Condition::Or(a, b)) => {
                    stack.push(Frame::Or(b));
                    stack.push(Frame::Visit(a));
                }
                Frame::Visit(leaf) => value = leaf.eval_leaf(item)?,
                Frame::Not => value = !value,
                Frame::And(b) => {
                    if value {
                        stack.push(Frame::Visit(b));
                    }
                }
                Frame::Or(b) => {
                    if !value {
                        stack.push(Frame::Visit(b));
                    }
                }
            }
        }
        Ok(value)
    }

    /// The top-level attribute names the condition reads, in order of first use (for
    /// checks such as "Filter Expression can only contain non-primary key attributes").
    pub fn attributes(&self) -> Vec<&str> {
        fn operand<'a>(op: &'a Operand, out: &mut Vec<&'a str>) {
            match op {
                Operand::Path(p) => {
                    if let Some(t) = p.top() {
                        if !out.contains(&t) {
                            out.push(t);
                        }
                    }
                }
                Operand::Call { args, .. } => args.iter().for_each(|a| operand(a, out)),
                Operand::Arith { left, right, .. } => {
                    operand(left, out);
                    operand(right, out);
                }
                Operand::Value(_) | Operand::Placeholder(_) => {}
            }
        }
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(c) = stack.pop() {
            match c {
                Condition::Not(x) => stack.push(x),
                Condition::And(a, b) | Condition::Or(a, b) => {
                    stack.push(b);
                    stack.push(a);
                }
                Condition::Compare { left, right, .. } => {
                    operand(left, &mut out);
                    operand(right, &mut out);
                }
                Condition::Between { value, low, high } => {
                    for o in [value, low, high] {
                        operand(o, &mut out);
                    }
                }
                Condition::In { value, list } => {
                    operand(value, &mut out);
                    list.iter().for_each(|o| operand(o, &mut out));
                }
                Condition::Function { args, .. } => args.iter().for_each(|o| operand(o, &mut out)),
            }
        }
        out
    }

    fn eval_leaf(&self, item: &Item) -> Result<bool, DynamoError> {
        Ok(match self {
            Condition::Not(_) | Condition::And(..) | Condition::Or(..) => self.eval(item)?,
            Condition::Compare { op, left, right } => {
                let l = operand_value(left, item)?;
                let r = operand_value(right, item)?;
                match (l, r) {
                    (Some(l), Some(r)) => match op {
                        CmpOp::Eq => values_equal(&l, &r),
                        CmpOp::Ne => !values_equal(&l, &r),
                        _ => match compare_values(&l, &r) {
                            None => false,
                            Some(ord) => match op {
                                CmpOp::Lt => ord == Ordering::Less,
                                CmpOp::Le => ord != Ordering::Greater,
                                CmpOp::Gt => ord == Ordering::Greater,
                                _ => ord != Ordering::Less,
                            },
                        },
                    },
                    _ => *op == CmpOp::Ne,
                }
            }
            Condition::Between { value, low, high } => {
                let v = operand_value(value, item)?;
                let l = operand_value(low, item)?;
                let h = operand_value(high, item)?;
                match (v, l, h) {
                    (Some(v), Some(l), Some(h)) => {
                        compare_values(&v, &l).is_some_and(|o| o != Ordering::Less)
                            && compare_values(&v, &h).is_some_and(|o| o != Ordering::Greater)
                    }
                    _ => false,
                }
            }
            Condition::In { value, list } => {
                let Some(v) = operand_value(value, item)? else {
                    return Ok(false);
                };
                for candidate in list {
                    if let Some(c) = operand_value(candidate, item)? {
                        if values_equal(&v, &c) {
                            return Ok(true);
                        }
                    }
                }
                false
            }
            Condition::Function { name, args } => {
                let first = args.first().ok_or_else(unresolved)?;
                match name.as_str() {
                    "attribute_exists" => operand_value(first, item)?.is_some(),
                    "attribute_not_exists" => operand_value(first, item)?.is_none(),
                    _ => {
                        let second = args.get(1).ok_or_else(unresolved)?;
                        let (Some(a), Some(b)) =
                            (operand_value(first, item)?, operand_value(second, item)?)
                        else {
                            return Ok(false);
                        };
                        match name.as_str() {
                            "attribute_type" => {
                                matches!(&*b, AttributeValue::S(t) if t == a.type_code())
                            }
                            "begins_with" => begins_with(&a, &b),
                            "contains" => contains(&a, &b),
                            _ => return Err(unresolved()),
                        }
                    }
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse_condition, ExprKind, ExpressionContext};

    #[test]
    fn lists_attributes_read() {
        let mut ctx = ExpressionContext::default();
        let c = parse_condition(
            "a.b = c OR NOT (size(d[1]) > e AND begins_with(a, f))",
            &mut ctx,
            ExprKind::Filter,
        )
        .expect("parses");
        assert_eq!(c.attributes(), vec!["a", "c", "d", "e", "f"]);
    }
}
