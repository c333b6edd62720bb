//! Evaluates Choice rules: the comparison operators, their `...Path` forms, And/Or/Not and
//! the type tests, as Step Functions does (a type mismatch is simply false).

use crate::definition::model::{Comparison, Condition, Operand};
use crate::jsonpath::Scope;
use crate::timestamp::parse_timestamp;
use serde_json::{Number, Value};
use std::cmp::Ordering;

/// Why a condition could not be evaluated (AWS fails the execution with `States.Runtime`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChoiceError(pub String);

/// Evaluates a condition against the state's effective input.
pub fn evaluate(cond: &Condition, input: &Value, context: &Value) -> Result<bool, ChoiceError> {
    evaluate_in(cond, &Scope::new(input, context))
}

/// [`evaluate`] with workflow variables (`"Variable": "$x"`).
pub fn evaluate_in(cond: &Condition, scope: &Scope<'_>) -> Result<bool, ChoiceError> {
    eval_at(cond, scope, 0)
}

fn eval_at(cond: &Condition, scope: &Scope<'_>, depth: usize) -> Result<bool, ChoiceError> {
    if depth > crate::limits::MAX_JSON_DEPTH {
        return Err(ChoiceError("The choice rule is nested too deeply".into()));
    }
    match cond {
        Condition::And(cs) => {
            for c in cs {
                if !eval_at(c, scope, depth + 1)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        Condition::Or(cs) => {
            for c in cs {
                if eval_at(c, scope, depth + 1)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Condition::Not(c) => Ok(!eval_at(c, scope, depth + 1)?),
        Condition::Jsonata(_) => Err(ChoiceError(
            "A JSONata condition is evaluated by the interpreter, not as a JSONPath rule.".into(),
        )),
        Condition::Compare {
            variable,
            op,
            operand,
        } => {
            let value = variable.select_ref_in(scope);
            if *op == Comparison::IsPresent {
                return Ok(value.is_some() == (operand_bool(operand)));
            }
            let Some(value) = value else {
                if op.is_type_test() {
                    return Ok(false);
                }
                return Err(ChoiceError(format!(
                    "Invalid path '{}': The choice state's condition path references an invalid value.",
                    variable.as_str()
                )));
            };
            let rhs = match operand {
                Operand::Literal(v) => std::borrow::Cow::Borrowed(v),
                Operand::Path(p) => p.select_ref_in(scope).ok_or_else(|| {
                    ChoiceError(format!(
                        "Invalid path '{}': The choice state's condition path references an invalid value.",
                        p.as_str()
                    ))
                })?,
            };
            Ok(compare(*op, &value, &rhs))
        }
    }
}

fn operand_bool(o: &Operand) -> bool {
    matches!(o, Operand::Literal(Value::Bool(true)))
}

/// Compares strings as Java does (UTF-16 code units).
fn cmp_str(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

fn cmp_num(a: &Number, b: &Number) -> Option<Ordering> {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return Some(x.cmp(&y));
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return Some(x.cmp(&y));
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}

/// `StringMatches`: `*` matches any run of characters, `\*` a literal star, `\\` a backslash.
pub fn string_matches(text: &str, pattern: &str) -> bool {
    #[derive(PartialEq)]
    enum Tok {
        Lit(char),
        Star,
    }
    let mut toks = Vec::new();
    let mut it = pattern.chars();
    while let Some(c) = it.next() {
        match c {
            '\\' => match it.next() {
                Some(n) => toks.push(Tok::Lit(n)),
                None => toks.push(Tok::Lit('\\')),
            },
            '*' => toks.push(Tok::Star),
            c => toks.push(Tok::Lit(c)),
        }
    }
    let t: Vec<char> = text.chars().collect();
    // Iterative wildcard matching with backtracking to the last star.
    let (mut ti, mut pi) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match toks.get(pi) {
            Some(Tok::Lit(c)) if Some(c) == t.get(ti) => {
                ti += 1;
                pi += 1;
            }
            Some(Tok::Star) => {
                star = Some((pi, ti));
                pi += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    toks.get(pi..)
        .is_some_and(|rest| rest.iter().all(|t| *t == Tok::Star))
}

fn compare(op: Comparison, a: &Value, b: &Value) -> bool {
    use Comparison::*;
    let want = b.as_bool() == Some(true);
    match op {
        IsNull => a.is_null() == want,
        IsNumeric => a.is_number() == want,
        IsString => a.is_string() == want,
        IsBoolean => a.is_boolean() == want,
        IsTimestamp => a.as_str().is_some_and(|s| parse_timestamp(s).is_some()) == want,
        IsPresent => want,
        BooleanEquals => matches!((a, b), (Value::Bool(x), Value::Bool(y)) if x == y),
        StringMatches => match (a, b) {
            (Value::String(x), Value::String(y)) => string_matches(x, y),
            _ => false,
        },
        StringEquals
        | StringLessThan
        | StringGreaterThan
        | StringLessThanEquals
        | StringGreaterThanEquals => match (a, b) {
            (Value::String(x), Value::String(y)) => ordered(op, cmp_str(x, y)),
            _ => false,
        },
        NumericEquals
        | NumericLessThan
        | NumericGreaterThan
        | NumericLessThanEquals
        | NumericGreaterThanEquals => match (a, b) {
            (Value::Number(x), Value::Number(y)) => cmp_num(x, y).is_some_and(|o| ordered(op, o)),
            _ => false,
        },
        TimestampEquals
        | TimestampLessThan
        | TimestampGreaterThan
        | TimestampLessThanEquals
        | TimestampGreaterThanEquals => {
            match (
                a.as_str().and_then(parse_timestamp),
                b.as_str().and_then(parse_timestamp),
            ) {
                (Some(x), Some(y)) => ordered(op, x.cmp(&y)),
                _ => false,
            }
        }
    }
}

fn ordered(op: Comparison, o: Ordering) -> bool {
    use Comparison::*;
    match op {
        StringEquals | NumericEquals | TimestampEquals => o == Ordering::Equal,
        StringLessThan | NumericLessThan | TimestampLessThan => o == Ordering::Less,
        StringGreaterThan | NumericGreaterThan | TimestampGreaterThan => o == Ordering::Greater,
        StringLessThanEquals | NumericLessThanEquals | TimestampLessThanEquals => {
            o != Ordering::Greater
        }
        _ => o != Ordering::Less,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wildcards() {
        assert!(string_matches("log-2024.txt", "log-*.txt"));
        assert!(string_matches("a*b", "a\\*b"));
        assert!(!string_matches("axb", "a\\*b"));
        assert!(string_matches("", "*"));
        assert!(string_matches("abcabc", "*c*c"));
        assert!(!string_matches("abc", "*d"));
        assert!(string_matches("a\\b", "a\\\\b"));
    }

    #[test]
    fn comparisons() {
        assert!(compare(Comparison::NumericEquals, &json!(1), &json!(1.0)));
        assert!(!compare(Comparison::NumericEquals, &json!("1"), &json!(1)));
        assert!(compare(
            Comparison::StringLessThanEquals,
            &json!("A"),
            &json!("AB")
        ));
        assert!(compare(
            Comparison::TimestampLessThan,
            &json!("2016-03-14T01:59:00Z"),
            &json!("2016-03-14T02:00:00+00:00")
        ));
        assert!(compare(Comparison::IsNull, &json!(null), &json!(true)));
        assert!(!compare(
            Comparison::BooleanEquals,
            &json!(0),
            &json!(false)
        ));
    }
}
