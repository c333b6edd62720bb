//! Filter expressions `[?(...)]`: parsing and evaluation with Jayway's operators
//! (`==`, `!=`, `<`, `<=`, `>`, `>=`, `=~ /re/flags`, `in`, `nin`, `subsetof`, `anyof`,
//! `noneof`, `size`, `empty`, `contains`, existence `@.x`, `!`, `&&`, `||`, parentheses)
//! and Jayway's loose string/number equality.

use super::eval::{self, Docs};
use super::parse::{ParseError, Parser, Path, MAX_NESTING};
use serde_json::{Map, Number, Value};

/// A filter expression. `And`/`Or` are n-ary so long chains never recurse deeply.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Or(Vec<Expr>),
    And(Vec<Expr>),
    Not(Box<Expr>),
    /// `@.x` alone: true when the path finds something.
    Exists(Path),
    Compare(Operand, Op, Operand),
    /// `left =~ /pattern/flags`: the whole string must match (Java's `Matcher.matches`).
    Matches(Operand, Pattern),
}

/// A compiled `/pattern/flags` (linear-time matching; no backreferences or lookaround).
#[derive(Debug, Clone)]
pub struct Pattern {
    pub source: String,
    pub flags: String,
    regex: regex_lite::Regex,
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source && self.flags == other.flags
    }
}

/// Longest regular expression accepted in a filter.
const MAX_PATTERN_LENGTH: usize = 4096;

fn pattern(p: &mut Parser<'_>) -> Result<Pattern, ParseError> {
    let start = p.pos;
    if !p.eat("/") {
        return Err(p.expected("a regular expression such as /abc/i after '=~'"));
    }
    let mut source = String::new();
    loop {
        match p.bump() {
            None => {
                return Err(ParseError {
                    message: "unterminated regular expression".into(),
                    position: start,
                })
            }
            Some('/') => break,
            Some('\\') => {
                source.push('\\');
                match p.bump() {
                    Some(c) => source.push(c),
                    None => {
                        return Err(ParseError {
                            message: "unterminated regular expression".into(),
                            position: start,
                        })
                    }
                }
            }
            Some(c) => source.push(c),
        }
    }
    let mut flags = String::new();
    while let Some(c) = p.peek().filter(|c| c.is_ascii_alphabetic()) {
        if !"imsx".contains(c) {
            return Err(p.error_at(format!("unsupported regular expression flag '{c}'")));
        }
        flags.push(c);
        p.bump();
    }
    if source.len() > MAX_PATTERN_LENGTH {
        return Err(ParseError {
            message: "regular expression is too long".into(),
            position: start,
        });
    }
    let inline = if flags.is_empty() {
        String::new()
    } else {
        format!("(?{flags})")
    };
    let regex = regex_lite::RegexBuilder::new(&format!("^{inline}(?:{source})$"))
        .size_limit(1 << 20)
        .build()
        .map_err(|e| ParseError {
            message: format!("invalid regular expression: {e}"),
            position: start,
        })?;
    Ok(Pattern {
        source,
        flags,
        regex,
    })
}

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Path(Path),
    Literal(Value),
}

/// A relational operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    Nin,
    SubsetOf,
    AnyOf,
    NoneOf,
    Size,
    Empty,
    Contains,
}

/// Parses the inside of `[?( ... )]`, leaving the cursor on the closing `)`.
pub(crate) fn parse_expr(p: &mut Parser<'_>, depth: usize) -> Result<Expr, ParseError> {
    let was = p.in_filter_mode(true);
    let result = or_expr(p, depth);
    p.in_filter_mode(was);
    result
}

fn or_expr(p: &mut Parser<'_>, depth: usize) -> Result<Expr, ParseError> {
    let mut all = vec![and_expr(p, depth)?];
    loop {
        p.skip_spaces();
        if !p.eat("||") {
            break;
        }
        all.push(and_expr(p, depth)?);
    }
    Ok(if all.len() == 1 {
        all.pop().unwrap_or(Expr::Or(Vec::new()))
    } else {
        Expr::Or(all)
    })
}

fn and_expr(p: &mut Parser<'_>, depth: usize) -> Result<Expr, ParseError> {
    let mut all = vec![unary(p, depth)?];
    loop {
        p.skip_spaces();
        if !p.eat("&&") {
            break;
        }
        all.push(unary(p, depth)?);
    }
    Ok(if all.len() == 1 {
        all.pop().unwrap_or(Expr::And(Vec::new()))
    } else {
        Expr::And(all)
    })
}

fn unary(p: &mut Parser<'_>, depth: usize) -> Result<Expr, ParseError> {
    if depth >= MAX_NESTING {
        return Err(p.error_at("filter is nested too deeply"));
    }
    p.skip_spaces();
    if p.peek() == Some('!') && !p.rest().starts_with("!=") {
        p.bump();
        return Ok(Expr::Not(Box::new(unary(p, depth + 1)?)));
    }
    if p.eat("(") {
        let inner = or_expr(p, depth + 1)?;
        p.skip_spaces();
        if !p.eat(")") {
            return Err(p.expected("')'"));
        }
        return Ok(inner);
    }
    let left = operand(p, depth)?;
    p.skip_spaces();
    if p.eat("=~") {
        p.skip_spaces();
        return Ok(Expr::Matches(left, pattern(p)?));
    }
    let Some(op) = operator(p)? else {
        return match left {
            Operand::Path(path) => Ok(Expr::Exists(path)),
            Operand::Literal(_) => Err(p.expected("a comparison operator")),
        };
    };
    p.skip_spaces();
    let right = operand(p, depth)?;
    Ok(Expr::Compare(left, op, right))
}

fn operator(p: &mut Parser<'_>) -> Result<Option<Op>, ParseError> {
    for (s, op) in [
        ("==", Op::Eq),
        ("!=", Op::Ne),
        ("<=", Op::Le),
        (">=", Op::Ge),
        ("<", Op::Lt),
        (">", Op::Gt),
    ] {
        if p.eat(s) {
            // `===` and `!==` are Jayway's type-strict forms; treat like the loose ones.
            p.eat("=");
            return Ok(Some(op));
        }
    }
    for (s, op) in [
        ("nin", Op::Nin),
        ("in", Op::In),
        ("subsetof", Op::SubsetOf),
        ("anyof", Op::AnyOf),
        ("noneof", Op::NoneOf),
        ("size", Op::Size),
        ("empty", Op::Empty),
        ("contains", Op::Contains),
    ] {
        let rest = p.rest();
        if rest.starts_with(s)
            && !rest[s.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            p.eat(s);
            return Ok(Some(op));
        }
    }
    Ok(None)
}

fn operand(p: &mut Parser<'_>, depth: usize) -> Result<Operand, ParseError> {
    p.skip_spaces();
    match p.peek() {
        Some('@') | Some('$') => Ok(Operand::Path(p.path(depth)?)),
        _ => Ok(Operand::Literal(literal(p, depth)?)),
    }
}

/// A literal: number, quoted string, true/false/null, or a JSON-like array/object whose
/// strings may use single quotes.
fn literal(p: &mut Parser<'_>, depth: usize) -> Result<Value, ParseError> {
    if depth >= MAX_NESTING {
        return Err(p.error_at("literal is nested too deeply"));
    }
    p.skip_spaces();
    match p.peek() {
        Some('\'') | Some('"') => Ok(Value::String(p.quoted()?)),
        Some('[') => {
            p.bump();
            let mut items = Vec::new();
            p.skip_spaces();
            if p.eat("]") {
                return Ok(Value::Array(items));
            }
            loop {
                items.push(literal(p, depth + 1)?);
                p.skip_spaces();
                if p.eat("]") {
                    return Ok(Value::Array(items));
                }
                if !p.eat(",") {
                    return Err(p.expected("',' or ']'"));
                }
            }
        }
        Some('{') => {
            p.bump();
            let mut map = Map::new();
            p.skip_spaces();
            if p.eat("}") {
                return Ok(Value::Object(map));
            }
            loop {
                p.skip_spaces();
                if !matches!(p.peek(), Some('\'') | Some('"')) {
                    return Err(p.expected("a quoted key"));
                }
                let key = p.quoted()?;
                p.skip_spaces();
                if !p.eat(":") {
                    return Err(p.expected("':'"));
                }
                let value = literal(p, depth + 1)?;
                map.insert(key, value);
                p.skip_spaces();
                if p.eat("}") {
                    return Ok(Value::Object(map));
                }
                if !p.eat(",") {
                    return Err(p.expected("',' or '}'"));
                }
            }
        }
        Some(c) if c == '-' || c.is_ascii_digit() => number(p),
        _ => {
            for (word, value) in [
                ("true", Value::Bool(true)),
                ("false", Value::Bool(false)),
                ("null", Value::Null),
            ] {
                if p.eat(word) {
                    return Ok(value);
                }
            }
            Err(p.expected("a path, a number, a string, true, false or null"))
        }
    }
}

fn number(p: &mut Parser<'_>) -> Result<Value, ParseError> {
    let start = p.pos;
    p.eat("-");
    let digits = |p: &mut Parser<'_>| {
        let s = p.pos;
        while matches!(p.peek(), Some(c) if c.is_ascii_digit()) {
            p.bump();
        }
        p.pos > s
    };
    if !digits(p) {
        return Err(p.expected("digits"));
    }
    if p.peek() == Some('.') {
        p.bump();
        if !digits(p) {
            return Err(p.expected("digits after '.'"));
        }
    }
    if matches!(p.peek(), Some('e') | Some('E')) {
        p.bump();
        if !p.eat("+") {
            p.eat("-");
        }
        if !digits(p) {
            return Err(p.expected("exponent digits"));
        }
    }
    let text = &p.text[start..p.pos];
    serde_json::from_str::<Number>(text)
        .map(Value::Number)
        .map_err(|_| ParseError {
            message: format!("invalid number {text}"),
            position: start,
        })
}

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
                Some(Value::String(s)) => s.chars().count(),
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
