//! Filter evaluation: whether a candidate (`@`) passes a [`Expr`], with Jayway's evaluators
//! (loose string/number equality, typed ordering, `in`/`nin`/`subsetof`/`anyof`/`noneof`,
//! `size`, `empty`, `contains`, whole-string regex matches).

use super::eval::{self, Docs};
use super::filter::{Expr, Op, Operand};
use serde_json::{Number, Value};

/// A filter operand's value: a JSON value or nothing (a path that found nothing).
type Operandv<'v> = Option<std::borrow::Cow<'v, Value>>;

/// True when `candidate` (`@`) passes the filter.
pub(crate) fn accept(expr: &Expr, candidate: &Value, docs: &Docs<'_>) -> bool {
    match expr {
        Expr::Or(all) => all.iter().any(|e| accept(e, candidate, docs)),
        Expr::And(all) => all.iter().all(|e| accept(e, candidate, docs)),
        Expr::Not(e) => !accept(e, candidate, docs),
        Expr::Exists(path) => match eval::evaluate(path, docs, candidate) {
            Ok(found) => !found.is_empty(),
            Err(_) => false,
        },
        Expr::Compare(l, op, r) => {
            let l = value_of(l, candidate, docs);
            let r = value_of(r, candidate, docs);
            compare(l.as_deref(), *op, r.as_deref())
        }
        Expr::Matches(l, pattern) => {
            let text = match value_of(l, candidate, docs).as_deref() {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                Some(Value::Bool(b)) => b.to_string(),
                _ => return false,
            };
            pattern.regex.is_match(&text)
        }
    }
}

fn value_of<'v>(operand: &'v Operand, candidate: &'v Value, docs: &Docs<'v>) -> Operandv<'v> {
    match operand {
        Operand::Literal(v) => Some(std::borrow::Cow::Borrowed(v)),
        Operand::Path(path) => {
            let found = eval::evaluate(path, docs, candidate).ok()?;
            if path.is_definite() {
                found.into_iter().next()
            } else {
                Some(std::borrow::Cow::Owned(Value::Array(
                    found.into_iter().map(|v| v.into_owned()).collect(),
                )))
            }
        }
    }
}

/// Applies `op` the way Jayway's evaluators do.
pub(crate) fn compare(l: Option<&Value>, op: Op, r: Option<&Value>) -> bool {
    match op {
        Op::Eq => loose_eq(l, r),
        Op::Ne => !loose_eq(l, r),
        Op::Lt | Op::Le | Op::Gt | Op::Ge => {
            let ord = match (l, r) {
                (Some(Value::Number(a)), Some(Value::Number(b))) => num_cmp(a, b),
                (Some(Value::String(a)), Some(Value::String(b))) => Some(a.cmp(b)),
                _ => None,
            };
            let Some(ord) = ord else { return false };
            match op {
                Op::Lt => ord.is_lt(),
                Op::Le => ord.is_le(),
                Op::Gt => ord.is_gt(),
                _ => ord.is_ge(),
            }
        }
        Op::In => match r {
            Some(Value::Array(items)) => items.iter().any(|i| loose_eq(l, Some(i))),
            _ => false,
        },
        Op::Nin => match r {
            Some(Value::Array(items)) => !items.iter().any(|i| loose_eq(l, Some(i))),
            _ => true,
        },
        Op::SubsetOf | Op::AnyOf | Op::NoneOf => {
            let (Some(Value::Array(ls)), Some(Value::Array(rs))) = (l, r) else {
                return false;
            };
            let inside = |x: &Value| rs.iter().any(|y| loose_eq(Some(x), Some(y)));
            match op {
                Op::SubsetOf => ls.iter().all(inside),
                Op::AnyOf => ls.iter().any(inside),
                _ => !ls.iter().any(inside),
            }
        }
        Op::Size => {
            let len = match l {
                Some(Value::String(s)) => s.encode_utf16().count(), // Java length
                Some(Value::Array(a)) => a.len(),
                _ => return false,
            };
            matches!(r, Some(Value::Number(n)) if n.as_u64() == Some(len as u64))
        }
        Op::Empty => {
            let empty = match l {
                Some(Value::String(s)) => s.is_empty(),
                Some(Value::Array(a)) => a.is_empty(),
                _ => return false,
            };
            matches!(r, Some(Value::Bool(b)) if *b == empty)
        }
        Op::Contains => match (l, r) {
            (Some(Value::String(a)), Some(Value::String(b))) => a.contains(b.as_str()),
            (Some(Value::Array(a)), r) => a.iter().any(|x| loose_eq(Some(x), r)),
            _ => false,
        },
    }
}

fn num_cmp(a: &Number, b: &Number) -> Option<std::cmp::Ordering> {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return Some(x.cmp(&y));
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return Some(x.cmp(&y));
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}

/// Jayway's equality: numbers by value, a number equals a string holding the same number,
/// a string equals a number rendered the same, containers structurally.
fn loose_eq(l: Option<&Value>, r: Option<&Value>) -> bool {
    match (l, r) {
        (Some(Value::Number(a)), Some(Value::Number(b))) => {
            num_cmp(a, b).is_some_and(|o| o.is_eq())
        }
        (Some(Value::Number(a)), Some(Value::String(b))) => b
            .trim()
            .parse::<f64>()
            .ok()
            .zip(a.as_f64())
            .is_some_and(|(b, a)| a == b),
        (Some(Value::String(a)), Some(Value::Number(b))) => *a == b.to_string(),
        (Some(Value::Array(a)), Some(Value::Array(b))) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| loose_eq(Some(x), Some(y)))
        }
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(k, x)| b.get(k).is_some_and(|y| loose_eq(Some(x), Some(y))))
        }
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn operators() {
        let c = |l: Value, op, r: Value| compare(Some(&l), op, Some(&r));
        assert!(c(json!(1), Op::Eq, json!(1.0)));
        assert!(c(json!(1), Op::Eq, json!("1")));
        assert!(!c(json!(1), Op::Eq, json!(true)));
        assert!(c(json!("b"), Op::Gt, json!("a")));
        assert!(!c(json!("2"), Op::Gt, json!(1)));
        assert!(c(json!(2), Op::In, json!([1, 2])));
        assert!(c(json!(3), Op::Nin, json!([1, 2])));
        assert!(c(json!([1]), Op::SubsetOf, json!([1, 2])));
        assert!(c(json!([3, 1]), Op::AnyOf, json!([1, 2])));
        assert!(c(json!([3]), Op::NoneOf, json!([1, 2])));
        assert!(c(json!("abc"), Op::Size, json!(3)));
        assert!(c(json!([]), Op::Empty, json!(true)));
        assert!(c(json!("abc"), Op::Contains, json!("b")));
        assert!(c(json!([{"a": 1}]), Op::Contains, json!({"a": 1})));
        assert!(compare(None, Op::Ne, Some(&json!(1))));
        assert!(!compare(None, Op::Lt, Some(&json!(1))));
    }
}
