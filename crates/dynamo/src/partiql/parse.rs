//! The PartiQL parser: SELECT, INSERT, UPDATE and DELETE in DynamoDB's dialect, with Ion-ish
//! literals (`'s'`, numbers, `true`/`false`/`null`, `[..]`, `{'k': v}`, `<<..>>`) and `?`
//! parameters bound while parsing. Recursive descent with a nesting limit, so no input
//! can exhaust the stack; every error is AWS's `ValidationException`.

use std::collections::BTreeMap;

use super::ast::{Expr, Operand, Returning, Statement};
use super::lex::{lex, Tok};
use crate::error::DynamoError;
use crate::expr::{Path, PathElem};
use crate::types::{AttributeValue, Number};

/// How deeply parentheses, NOT and literals may nest in one statement.
pub const MAX_NESTING: usize = 64;

/// The longest statement DynamoDB accepts, in characters.
pub const MAX_STATEMENT_LENGTH: usize = 8192;

const KEYWORDS: [&str; 19] = [
    "AND",
    "OR",
    "NOT",
    "BETWEEN",
    "IN",
    "IS",
    "WHERE",
    "FROM",
    "SET",
    "REMOVE",
    "RETURNING",
    "VALUE",
    "VALUES",
    "SELECT",
    "MISSING",
    "NULL",
    "TRUE",
    "FALSE",
    "INTO",
];

pub(crate) fn validation(msg: impl Into<String>) -> DynamoError {
    DynamoError::new("ValidationException", msg)
}

/// `Statement wasn't well formed, can't be processed: {detail}`.
pub(crate) fn malformed(detail: &str) -> DynamoError {
    validation(format!(
        "Statement wasn't well formed, can't be processed: {detail}"
    ))
}

fn param_mismatch() -> DynamoError {
    validation("Number of parameters in request and statement don't match.")
}

struct Parser<'p> {
    toks: Vec<Tok>,
    pos: usize,
    params: &'p [AttributeValue],
    next_param: usize,
    depth: usize,
}

type PResult<T> = Result<T, DynamoError>;

impl<'p> Parser<'p> {
    fn cur(&self) -> &Tok {
        self.toks.get(self.pos).unwrap_or(&Tok::Eof)
    }

    fn peek(&self, n: usize) -> &Tok {
        self.toks.get(self.pos + n).unwrap_or(&Tok::Eof)
    }

    fn bump(&mut self) -> Tok {
        let t = self.cur().clone();
        if self.pos < self.toks.len() {
            self.pos += 1;
        }
        t
    }

    fn is_kw(&self, word: &str) -> bool {
        matches!(self.cur(), Tok::Ident(w) if w.eq_ignore_ascii_case(word))
    }

    fn eat_kw(&mut self, word: &str) -> bool {
        if self.is_kw(word) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn expect_kw(&mut self, word: &str) -> PResult<()> {
        if self.eat_kw(word) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn is_punct(&self, p: &str) -> bool {
        matches!(self.cur(), Tok::Punct(q) if *q == p)
    }

    fn eat_punct(&mut self, p: &str) -> bool {
        if self.is_punct(p) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn expect_punct(&mut self, p: &str, name: &str) -> PResult<()> {
        if self.eat_punct(p) {
            Ok(())
        } else {
            Err(malformed(&format!("Expected {name}")))
        }
    }

    fn unexpected(&self) -> DynamoError {
        match self.cur() {
            Tok::Eof => malformed("Unexpected end of statement"),
            Tok::Unterminated => malformed("Unterminated string or quoted identifier"),
            Tok::Unknown(c) => malformed(&format!("Unexpected character: {c}")),
            Tok::Ident(w) if KEYWORDS.iter().any(|k| w.eq_ignore_ascii_case(k)) => {
                malformed("Unexpected keyword")
            }
            _ => malformed("Unexpected term"),
        }
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(malformed("Statement nesting is too deep"));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    fn param(&mut self) -> PResult<AttributeValue> {
        let v = self
            .params
            .get(self.next_param)
            .cloned()
            .ok_or_else(param_mismatch)?;
        self.next_param += 1;
        Ok(v)
    }

    /// A table name: `"T"` or `T`.
    fn name(&mut self) -> PResult<String> {
        match self.cur().clone() {
            Tok::Quoted(s) if s.is_empty() => {
                Err(validation("Path component cannot be an empty string"))
            }
            Tok::Quoted(s) => {
                self.bump();
                Ok(s)
            }
            Tok::Ident(s) if !KEYWORDS.iter().any(|k| s.eq_ignore_ascii_case(k)) => {
                self.bump();
                Ok(s)
            }
            _ => Err(self.unexpected()),
        }
    }

    fn path(&mut self) -> PResult<Path> {
        let first = match self.cur().clone() {
            Tok::Quoted(s) => s,
            Tok::Ident(s) if !KEYWORDS.iter().any(|k| s.eq_ignore_ascii_case(k)) => s,
            Tok::Punct("[") => return Err(validation("A path cannot start with a list index")),
            _ => return Err(self.unexpected()),
        };
        self.bump();
        let mut elems = vec![PathElem::Attr(first)];
        loop {
            if self.eat_punct(".") {
                match self.bump() {
                    Tok::Ident(s) | Tok::Quoted(s) => elems.push(PathElem::Attr(s)),
                    _ => return Err(malformed("Expected identifier for simple path")),
                }
            } else if self.eat_punct("[") {
                match self.bump() {
                    Tok::Num(n) => {
                        let i: u32 = n.parse().map_err(|_| {
                            validation(format!(
                                "List index is not within the allowable range; index: [{n}]"
                            ))
                        })?;
                        elems.push(PathElem::Index(i));
                    }
                    Tok::Str(s) => elems.push(PathElem::Attr(s)),
                    Tok::Punct("-") => {
                        let n = match self.bump() {
                            Tok::Num(n) => n,
                            _ => String::new(),
                        };
                        return Err(validation(format!(
                            "List index is not within the allowable range; index: [-{n}]"
                        )));
                    }
                    _ => return Err(self.unexpected()),
                }
                self.expect_punct("]", "RIGHT_BRACKET")?;
            } else {
                return Ok(Path { elems });
            }
        }
    }

    fn number(text: &str, negative: bool) -> PResult<AttributeValue> {
        let text = if negative {
            format!("-{text}")
        } else {
            text.to_string()
        };
        Ok(AttributeValue::N(Number::parse(&text)?))
    }

    /// An Ion-ish literal.
    fn literal(&mut self) -> PResult<AttributeValue> {
        self.enter()?;
        let v = self.literal_inner();
        self.leave();
        v
    }

    fn literal_inner(&mut self) -> PResult<AttributeValue> {
        match self.bump() {
            Tok::Str(s) => Ok(AttributeValue::S(s)),
            Tok::Num(n) => Self::number(&n, false),
            Tok::Punct("-") => match self.bump() {
                Tok::Num(n) => Self::number(&n, true),
                _ => Err(malformed("Unexpected term")),
            },
            Tok::Param => self.param(),
            Tok::Ident(w) if w.eq_ignore_ascii_case("true") => Ok(AttributeValue::Bool(true)),
            Tok::Ident(w) if w.eq_ignore_ascii_case("false") => Ok(AttributeValue::Bool(false)),
            Tok::Ident(w) if w.eq_ignore_ascii_case("null") => Ok(AttributeValue::Null),
            Tok::Punct("[") => {
                let mut list = Vec::new();
                if !self.eat_punct("]") {
                    loop {
                        list.push(self.literal()?);
                        if self.eat_punct("]") {
                            break;
                        }
                        self.expect_punct(",", "COMMA")?;
                    }
                }
                Ok(AttributeValue::L(list))
            }
            Tok::Punct("{") => {
                let mut map = BTreeMap::new();
                if !self.eat_punct("}") {
                    loop {
                        let key = match self.bump() {
                            Tok::Str(s) => s,
                            Tok::Param => match self.param()? {
                                AttributeValue::S(s) => s,
                                other => {
                                    return Err(validation(format!(
                                    "Tuple keys must be of type String. Actual type: {} under {}",
                                    other.type_code(),
                                    "item"
                                )))
                                }
                            },
                            _ => return Err(malformed("Unexpected term")),
                        };
                        self.expect_punct(":", "COLON")?;
                        let value = self.literal()?;
                        if map.contains_key(&key) {
                            return Err(validation(format!(
                                "Duplicate keys in tuple. Key: {key} under item"
                            )));
                        }
                        map.insert(key, value);
                        if self.eat_punct("}") {
                            break;
                        }
                        self.expect_punct(",", "COMMA")?;
                    }
                }
                Ok(AttributeValue::M(map))
            }
            Tok::Punct("<<") => {
                let mut items = Vec::new();
                if !self.eat_punct(">>") {
                    loop {
                        items.push(self.literal()?);
                        if self.eat_punct(">>") {
                            break;
                        }
                        self.expect_punct(",", "COMMA")?;
                    }
                }
                bag(items)
            }
            _ => Err(malformed("Unexpected term")),
        }
    }

    fn starts_literal(&self) -> bool {
        match self.cur() {
            Tok::Str(_) | Tok::Num(_) | Tok::Param => true,
            Tok::Punct(p) => matches!(*p, "[" | "{" | "<<" | "-"),
            Tok::Ident(w) => ["true", "false", "null"]
                .iter()
                .any(|k| w.eq_ignore_ascii_case(k)),
            _ => false,
        }
    }

    fn operand(&mut self) -> PResult<Operand> {
        if self.starts_literal() {
            return Ok(Operand::Value(self.literal()?));
        }
        if let (Tok::Ident(name), Tok::Punct("(")) = (self.cur().clone(), self.peek(1).clone()) {
            self.enter()?;
            self.bump();
            self.bump();
            let mut args = Vec::new();
            if !self.eat_punct(")") {
                loop {
                    args.push(self.value_operand()?);
                    if self.eat_punct(")") {
                        break;
                    }
                    self.expect_punct(",", "COMMA")?;
                }
            }
            self.leave();
            return Ok(Operand::Call(name.to_ascii_lowercase(), args));
        }
        Ok(Operand::Path(self.path()?))
    }

    /// An operand with optional `+`/`-` (SET values and function arguments).
    fn value_operand(&mut self) -> PResult<Operand> {
        let left = self.operand()?;
        let plus = if self.eat_punct("+") {
            true
        } else if self.eat_punct("-") {
            false
        } else {
            return Ok(left);
        };
        let right = self.operand()?;
        Ok(Operand::Arith(plus, Box::new(left), Box::new(right)))
    }

    fn comparator(&mut self) -> Option<&'static str> {
        let op = match self.cur() {
            Tok::Punct("=") => "=",
            Tok::Punct("<>") | Tok::Punct("!=") => "<>",
            Tok::Punct("<") => "<",
            Tok::Punct("<=") => "<=",
            Tok::Punct(">") => ">",
            Tok::Punct(">=") => ">=",
            _ => return None,
        };
        self.bump();
        Some(op)
    }

    fn expr(&mut self) -> PResult<Expr> {
        self.enter()?;
        let mut left = self.and_expr()?;
        while self.eat_kw("OR") {
            let right = self.and_expr()?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        self.leave();
        Ok(left)
    }

    fn and_expr(&mut self) -> PResult<Expr> {
        let mut left = self.not_expr()?;
        while self.eat_kw("AND") {
            let right = self.not_expr()?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn not_expr(&mut self) -> PResult<Expr> {
        if self.eat_kw("NOT") {
            self.enter()?;
            let inner = self.not_expr()?;
            self.leave();
            return Ok(Expr::Not(Box::new(inner)));
        }
        if self.is_punct("(") {
            self.bump();
            let inner = self.expr()?;
            self.expect_punct(")", "RIGHT_PAREN")?;
            return Ok(inner);
        }
        self.predicate()
    }

    fn predicate(&mut self) -> PResult<Expr> {
        let left = self.value_operand()?;
        if let Some(op) = self.comparator() {
            let right = self.value_operand()?;
            return Ok(Expr::Compare(op, left, right));
        }
        if self.eat_kw("BETWEEN") {
            let low = self.value_operand()?;
            self.expect_kw("AND")?;
            let high = self.value_operand()?;
            return Ok(Expr::Between(left, low, high));
        }
        if self.eat_kw("IN") {
            let close = if self.eat_punct("[") {
                "]"
            } else {
                self.expect_punct("(", "LEFT_PAREN")?;
                ")"
            };
            let mut list = Vec::new();
            loop {
                list.push(self.value_operand()?);
                if self.eat_punct(close) {
                    break;
                }
                self.expect_punct(",", "COMMA")?;
            }
            return Ok(Expr::In(left, list));
        }
        if self.eat_kw("IS") {
            let negated = self.eat_kw("NOT");
            let what = if self.eat_kw("MISSING") {
                "MISSING"
            } else if self.eat_kw("NULL") {
                "NULL"
            } else {
                return Err(self.unexpected());
            };
            return Ok(Expr::Is(left, negated, what));
        }
        match left {
            Operand::Call(name, args) => Ok(Expr::Call(name, args)),
            _ => Err(validation(
                "WHERE clause must contain an expression that resolves to a boolean",
            )),
        }
    }

    fn where_clause(&mut self) -> PResult<Option<Expr>> {
        if self.eat_kw("WHERE") {
            Ok(Some(self.expr()?))
        } else {
            Ok(None)
        }
    }

    fn returning(&mut self, delete: bool) -> PResult<Option<Returning>> {
        if !self.eat_kw("RETURNING") {
            return Ok(None);
        }
        let all = if self.eat_kw("ALL") {
            true
        } else if self.eat_kw("MODIFIED") {
            false
        } else {
            return Err(self.unexpected());
        };
        let new = if self.eat_kw("NEW") {
            true
        } else if self.eat_kw("OLD") {
            false
        } else {
            return Err(self.unexpected());
        };
        if !self.eat_punct("*") {
            return Err(validation(
                "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause",
            ));
        }
        let r = match (all, new) {
            (true, true) => Returning::AllNew,
            (true, false) => Returning::AllOld,
            (false, true) => Returning::UpdatedNew,
            (false, false) => Returning::UpdatedOld,
        };
        if delete && r != Returning::AllOld {
            let text = match r {
                Returning::AllNew => "ALL NEW *",
                Returning::UpdatedNew => "MODIFIED NEW *",
                _ => "MODIFIED OLD *",
            };
            return Err(validation(format!(
                "Invalid returning clause: RETURNING {text}. Only RETURNING ALL OLD * is allowed in DELETE statements."
            )));
        }
        Ok(Some(r))
    }

    /// The rest of a SELECT, after the keyword.
    fn select(&mut self) -> PResult<Statement> {
        let projection = if self.eat_punct("*") {
            if self.is_punct(",") {
                return Err(validation(
                    "Other attributes should not be present in the projection when '*' is used.",
                ));
            }
            None
        } else {
            let mut paths = vec![self.path()?];
            while self.eat_punct(",") {
                if self.is_punct("*") {
                    return Err(validation(
                            "Other attributes should not be present in the projection when '*' is used.",
                        ));
                }
                paths.push(self.path()?);
            }
            Some(paths)
        };
        self.expect_kw("FROM")?;
        let table = self.name()?;
        let index = if self.eat_punct(".") {
            Some(self.name()?)
        } else {
            None
        };
        if self.is_punct(".") {
            return Err(validation(
                "A path may contain at most 2 components in the FROM clause",
            ));
        }
        let filter = self.where_clause()?;
        let order = if self.eat_kw("ORDER") {
            self.expect_kw("BY")?;
            let path = self.path()?;
            let descending = if self.eat_kw("DESC") {
                true
            } else {
                self.eat_kw("ASC");
                false
            };
            Some((path, descending))
        } else {
            None
        };
        Ok(Statement::Select {
            projection,
            table,
            index,
            filter,
            order,
        })
    }

    fn statement(&mut self) -> PResult<Statement> {
        let stmt = if self.eat_kw("SELECT") {
            self.select()?
        } else if self.eat_kw("EXISTS") {
            self.expect_punct("(", "LEFT_PAREN")?;
            self.expect_kw("SELECT")?;
            let Statement::Select { table, filter, .. } = self.select()? else {
                return Err(malformed("Unexpected term"));
            };
            self.expect_punct(")", "RIGHT_PAREN")?;
            Statement::Exists { table, filter }
        } else if self.eat_kw("INSERT") {
            self.expect_kw("INTO")?;
            let table = self.name()?;
            if self.is_kw("VALUES") {
                return Err(validation("Unsupported operation: Inserting multiple items in a single statement is not supported, use \"INSERT INTO tableName VALUE item\" instead"));
            }
            self.expect_kw("VALUE")?;
            if !self.is_punct("{") && !matches!(self.cur(), Tok::Param) {
                return Err(validation("Unsupported format in item expression. Please use struct format {...} to express item values for insert statement."));
            }
            let item = self.literal()?;
            if !matches!(item, AttributeValue::M(_)) {
                return Err(validation("Unsupported format in item expression. Please use struct format {...} to express item values for insert statement."));
            }
            if self.is_kw("RETURNING") {
                return Err(validation("RETURNING is not supported in INSERT"));
            }
            Statement::Insert { table, item }
        } else if self.eat_kw("UPDATE") {
            let table = self.name()?;
            let mut sets = Vec::new();
            let mut removes = Vec::new();
            loop {
                if self.eat_kw("SET") {
                    loop {
                        let path = self.path()?;
                        self.expect_punct("=", "EQUALS")?;
                        sets.push((path, self.value_operand()?));
                        if !self.eat_punct(",") {
                            break;
                        }
                    }
                } else if self.eat_kw("REMOVE") {
                    loop {
                        removes.push(self.path()?);
                        if !self.eat_punct(",") {
                            break;
                        }
                    }
                } else {
                    break;
                }
            }
            if sets.is_empty() && removes.is_empty() {
                return Err(self.unexpected());
            }
            let filter = self.where_clause()?;
            let returning = self.returning(false)?;
            Statement::Update {
                table,
                sets,
                removes,
                filter,
                returning,
            }
        } else if self.eat_kw("DELETE") {
            self.expect_kw("FROM")?;
            let table = self.name()?;
            let filter = self.where_clause()?;
            let returning = self.returning(true)?;
            Statement::Delete {
                table,
                filter,
                returning,
            }
        } else {
            return Err(malformed("Expected data manipulation"));
        };
        self.eat_punct(";");
        if *self.cur() != Tok::Eof {
            return Err(malformed("Unexpected token after expression"));
        }
        if self.next_param != self.params.len() {
            return Err(param_mismatch());
        }
        Ok(stmt)
    }
}

/// `<<...>>`: a string set or a number set.
fn bag(items: Vec<AttributeValue>) -> PResult<AttributeValue> {
    if items.is_empty() {
        return Err(validation("Empty bags are not supported"));
    }
    if items.iter().all(|v| matches!(v, AttributeValue::S(_))) {
        let mut out: Vec<String> = Vec::new();
        for v in items {
            if let AttributeValue::S(s) = v {
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
        return Ok(AttributeValue::Ss(out));
    }
    if items.iter().all(|v| matches!(v, AttributeValue::N(_))) {
        let mut out: Vec<Number> = Vec::new();
        for v in items {
            if let AttributeValue::N(n) = v {
                if !out.contains(&n) {
                    out.push(n);
                }
            }
        }
        return Ok(AttributeValue::Ns(out));
    }
    if items.iter().all(|v| matches!(v, AttributeValue::B(_))) {
        let mut out: Vec<Vec<u8>> = Vec::new();
        for v in items {
            if let AttributeValue::B(b) = v {
                if !out.contains(&b) {
                    out.push(b);
                }
            }
        }
        return Ok(AttributeValue::Bs(out));
    }
    Err(validation(
        "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags",
    ))
}

/// Parses one statement, binding `?` parameters in order.
pub fn parse_statement(text: &str, params: &[AttributeValue]) -> Result<Statement, DynamoError> {
    if text.chars().count() > MAX_STATEMENT_LENGTH {
        return Err(validation(format!(
            "1 validation error detected: Value '{text}' at 'statement' failed to satisfy constraint: Member must have length less than or equal to {MAX_STATEMENT_LENGTH}"
        )));
    }
    let mut p = Parser {
        toks: lex(text),
        pos: 0,
        params,
        next_param: 0,
        depth: 0,
    };
    p.statement()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Statement, String> {
        parse_statement(text, &[]).map_err(|e| e.message)
    }

    #[test]
    fn parses_each_statement_kind() {
        assert!(matches!(
            parse("SELECT a, b.c[1] FROM \"T\".\"idx\" WHERE pk = 'x' AND n BETWEEN 1 AND 5"),
            Ok(Statement::Select { index: Some(_), .. })
        ));
        let insert = parse("INSERT INTO \"T\" VALUE {'pk': 'a', 'n': -1.5, 'l': [1, true, null], 'm': {'x': <<'a', 'b'>>}}");
        assert!(matches!(insert, Ok(Statement::Insert { .. })), "{insert:?}");
        assert!(matches!(
            parse("UPDATE \"T\" SET a = a + 1 SET b = 'x' REMOVE c WHERE pk = 'k' RETURNING ALL NEW *"),
            Ok(Statement::Update { returning: Some(Returning::AllNew), .. })
        ));
        assert!(matches!(
            parse("DELETE FROM T WHERE pk = 'k' RETURNING ALL OLD *;"),
            Ok(Statement::Delete { .. })
        ));
    }

    #[test]
    fn reports_aws_messages() {
        assert_eq!(
            parse("SLECT * FROM T"),
            Err(
                "Statement wasn't well formed, can't be processed: Expected data manipulation"
                    .into()
            )
        );
        assert_eq!(
            parse("UPDATE \"T\" SET t=1 WHERE pk='minus' AND sk='1' garbage"),
            Err("Statement wasn't well formed, can't be processed: Unexpected token after expression".into())
        );
        assert_eq!(
            parse("SELECT * FROM T WHERE a = ?"),
            Err("Number of parameters in request and statement don't match.".into())
        );
        assert_eq!(
            parse("DELETE FROM T WHERE pk = 'k' RETURNING ALL NEW *"),
            Err("Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements.".into())
        );
        assert_eq!(
            parse("INSERT INTO T VALUE {'a': <<>>}"),
            Err("Empty bags are not supported".into())
        );
        assert!(parse(&format!(
            "SELECT * FROM T WHERE {}a = 1{}",
            "(".repeat(5000),
            ")".repeat(5000)
        ))
        .is_err());
    }

    #[test]
    fn binds_parameters_in_order() {
        let params = [
            AttributeValue::S("k".into()),
            AttributeValue::N(Number::from(3)),
        ];
        let stmt =
            parse_statement("SELECT * FROM T WHERE pk = ? AND n > ?", &params).expect("parses");
        let Statement::Select {
            filter: Some(Expr::And(a, b)),
            ..
        } = stmt
        else {
            panic!("shape");
        };
        assert!(matches!(
            *a,
            Expr::Compare("=", _, Operand::Value(AttributeValue::S(_)))
        ));
        assert!(matches!(
            *b,
            Expr::Compare(">", _, Operand::Value(AttributeValue::N(_)))
        ));
    }
}
