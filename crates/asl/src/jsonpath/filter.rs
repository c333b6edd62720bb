//! Filter expressions `[?(...)]`: the syntax tree and its parser, with Jayway's operators
//! (`==`, `!=`, `<`, `<=`, `>`, `>=`, `=~ /re/flags`, `in`, `nin`, `subsetof`, `anyof`,
//! `noneof`, `size`, `empty`, `contains`, existence `@.x`, `!`, `&&`, `||`, parentheses).
//! Evaluation lives in `compare.rs`.

use super::parse::{ParseError, Parser, Path, MAX_NESTING};
use serde_json::{Map, Number, Value};

pub(crate) use super::compare::accept;

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
    pub(crate) regex: regex_lite::Regex,
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
