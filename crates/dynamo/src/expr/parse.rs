//! The expression parser: tokens to syntax tree, reporting syntax errors as AWS words them
//! (`Syntax error; token: "x", near: "a x b"`).
//!
//! Hand-written and linear: boolean structure (AND/OR/NOT/parentheses) is parsed with an
//! explicit operator stack (shunting-yard), so no input, however deeply nested, grows the
//! call stack; function calls in operand position nest at most [`MAX_CALL_DEPTH`] deep.
//! Semantic checks (names, values, reserved words, functions) happen afterwards, in
//! `validate.rs`, so that syntax errors win as they do in AWS.

use super::ast::{CmpOp, Condition, Operand, Path, PathElem, UpdateAction};
use super::lex::{lex, Tok, Token};
use super::ExprKind;
use crate::error::DynamoError;

/// How deeply function calls may nest inside one another (`size(size(...))`).
pub const MAX_CALL_DEPTH: usize = 32;

/// The most operators and functions one expression may hold (AWS's documented limit).
/// Counting stops the parse at the first one past it, so no syntax tree is ever deeper.
pub const MAX_OPERATORS: usize = 300;

/// The highest list index a document path may name.
pub const MAX_LIST_INDEX: u64 = 4_294_967_294;

/// Words that end a path in condition expressions.
const CONDITION_KEYWORDS: [&str; 5] = ["AND", "OR", "NOT", "BETWEEN", "IN"];
/// Words that start the sections of an update expression.
const UPDATE_KEYWORDS: [&str; 4] = ["SET", "REMOVE", "ADD", "DELETE"];

/// A parsed update expression before validation: actions, and the section words in the
/// order they appeared (to report a repeated section).
#[derive(Debug, Clone, PartialEq)]
pub struct RawUpdate {
    pub actions: Vec<UpdateAction>,
    pub sections: Vec<&'static str>,
}

/// What the parser found besides the tree.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ParseNotes {
    /// `((a = :v))`: AWS rejects doubled parentheses.
    pub redundant_parens: bool,
    /// The digits of the first list index out of AWS's range (`a[99999999999]`), reported
    /// once the expression has parsed.
    pub bad_index: Option<String>,
}

pub(crate) fn validation(msg: impl Into<String>) -> DynamoError {
    DynamoError::new("ValidationException", msg)
}

struct Parser<'a> {
    src: &'a str,
    toks: Vec<Token>,
    pos: usize,
    kind: ExprKind,
    keywords: &'static [&'static str],
    notes: ParseNotes,
    /// Operators and functions read so far (see [`MAX_OPERATORS`]).
    operators: usize,
}

enum StackOp {
    LParen,
    Not,
    And,
    Or,
}

type PResult<T> = Result<T, DynamoError>;

/// Checks the size limit and emptiness shared by every expression kind.
pub(crate) fn check_text(text: &str, kind: ExprKind) -> PResult<()> {
    if text.len() > super::MAX_EXPRESSION_BYTES {
        return Err(validation(format!(
            "Invalid {}: Expression size has exceeded the maximum allowed size; expression size: {}",
            kind.label(),
            text.len()
        )));
    }
    if text
        .trim_matches(|c| matches!(c, ' ' | '\t' | '\r' | '\n'))
        .is_empty()
    {
        return Err(validation(format!(
            "Invalid {}: The expression can not be empty;",
            kind.label()
        )));
    }
    Ok(())
}

impl<'a> Parser<'a> {
    fn new(src: &'a str, kind: ExprKind) -> Self {
        let keywords: &'static [&'static str] = match kind {
            ExprKind::Update => &UPDATE_KEYWORDS,
            ExprKind::Projection => &[],
            _ => &CONDITION_KEYWORDS,
        };
        Parser {
            src,
            toks: lex(src),
            pos: 0,
            kind,
            keywords,
            notes: ParseNotes::default(),
            operators: 0,
        }
    }

    /// Counts one operator or function, failing past [`MAX_OPERATORS`].
    fn count_operator(&mut self) -> PResult<()> {
        self.operators += 1;
        if self.operators > MAX_OPERATORS {
            return Err(validation(format!(
                "Invalid {}: The expression contains too many operators; operator count: {}",
                self.kind.label(),
                self.operators
            )));
        }
        Ok(())
    }

    /// The list index error noted while parsing, if any.
    fn index_error(&self) -> PResult<()> {
        match &self.notes.bad_index {
            Some(digits) => Err(validation(format!(
                "Invalid {}: List index is not within the allowable range; index: [{digits}]",
                self.kind.label()
            ))),
            None => Ok(()),
        }
    }

    fn tok_at(&self, i: usize) -> Token {
        self.toks.get(i).cloned().unwrap_or(Token {
            tok: Tok::Eof,
            start: self.src.len(),
            end: self.src.len(),
        })
    }

    fn cur(&self) -> Token {
        self.tok_at(self.pos)
    }

    fn advance(&mut self) {
        if self.pos < self.toks.len() {
            self.pos += 1;
        }
    }

    fn is_keyword(&self, t: &Token) -> bool {
        t.tok == Tok::Ident && self.keywords.iter().any(|k| t.is_word(self.src, k))
    }

    /// AWS's syntax error for the token at `i`: the token, and the text from the previous
    /// token to the next one.
    fn error_at(&self, i: usize) -> DynamoError {
        let t = self.tok_at(i);
        let label = self.kind.label();
        // A captured AWS answer gives `!` after other tokens (`pk = !!`) without the
        // `near` part, but a leading one with it (`!!! INVALID !!!` → `near: "!!"`);
        // every other character that starts no token (`_version` → `token: "_",
        // near: "_version"`) is reported with it.
        if t.tok == Tok::Unknown && t.text(self.src) == "!" && i > 0 {
            return validation(format!(
                "Invalid {label}: Syntax error; token: \"{}\"",
                t.text(self.src)
            ));
        }
        let prev = if i > 0 {
            Some(self.tok_at(i - 1))
        } else {
            None
        };
        let next = self.tok_at(i + 1);
        let start = prev.as_ref().map_or(t.start, |p| p.start);
        let end = if t.tok == Tok::Eof {
            prev.as_ref().map_or(t.end, |p| p.end)
        } else if next.tok == Tok::Eof {
            t.end
        } else {
            next.end
        };
        let near = self.src.get(start..end).unwrap_or("");
        validation(format!(
            "Invalid {label}: Syntax error; token: \"{}\", near: \"{near}\"",
            t.text(self.src)
        ))
    }

    fn error(&self) -> DynamoError {
        self.error_at(self.pos)
    }

    fn expect(&mut self, tok: Tok) -> PResult<()> {
        if self.cur().tok == tok {
            self.advance();
            Ok(())
        } else {
            Err(self.error())
        }
    }

    fn text(&self, t: &Token) -> String {
        t.text(self.src).to_string()
    }

    /// `name ( . name | [ int ] )*`
    fn path(&mut self) -> PResult<Path> {
        let t = self.cur();
        let first = match t.tok {
            Tok::Ident if !self.is_keyword(&t) => PathElem::Attr(self.text(&t)),
            Tok::Name => PathElem::Placeholder(self.text(&t)),
            _ => return Err(self.error()),
        };
        self.advance();
        let mut elems = vec![first];
        loop {
            match self.cur().tok {
                Tok::Dot => {
                    self.advance();
                    let t = self.cur();
                    let elem = match t.tok {
                        Tok::Ident => PathElem::Attr(self.text(&t)),
                        Tok::Name => PathElem::Placeholder(self.text(&t)),
                        _ => return Err(self.error()),
                    };
                    self.advance();
                    elems.push(elem);
                }
                Tok::LBracket => {
                    self.advance();
                    let t = self.cur();
                    if t.tok != Tok::Int {
                        return Err(self.error());
                    }
                    let digits = t.text(self.src);
                    let index = digits
                        .parse::<u64>()
                        .ok()
                        .filter(|i| *i <= MAX_LIST_INDEX)
                        .and_then(|i| u32::try_from(i).ok());
                    if index.is_none() && self.notes.bad_index.is_none() {
                        self.notes.bad_index = Some(digits.to_string());
                    }
                    let index = index.unwrap_or(0);
                    self.advance();
                    self.expect(Tok::RBracket)?;
                    elems.push(PathElem::Index(index));
                }
                _ => return Ok(Path { elems }),
            }
        }
    }

    /// A path, a `:value`, or a function call.
    fn operand(&mut self, depth: usize) -> PResult<Operand> {
        let t = self.cur();
        match t.tok {
            Tok::Value => {
                self.advance();
                Ok(Operand::Placeholder(self.text(&t)))
            }
            Tok::Ident if !self.is_keyword(&t) && self.tok_at(self.pos + 1).tok == Tok::LParen => {
                if depth >= MAX_CALL_DEPTH {
                    return Err(self.error());
                }
                self.count_operator()?;
                let name = self.text(&t);
                self.advance();
                self.advance();
                let mut args = vec![self.operand_parens(depth + 1)?];
                while self.cur().tok == Tok::Comma {
                    self.advance();
                    args.push(self.operand_parens(depth + 1)?);
                }
                self.expect(Tok::RParen)?;
                Ok(Operand::Call { name, args })
            }
            _ => Ok(Operand::Path(self.path()?)),
        }
    }

    /// An operand, optionally in parentheses (more than one pair is redundant).
    fn operand_parens(&mut self, depth: usize) -> PResult<Operand> {
        let mut parens = 0usize;
        while self.cur().tok == Tok::LParen {
            self.advance();
            parens += 1;
        }
        let op = self.operand(depth)?;
        for _ in 0..parens {
            self.expect(Tok::RParen)?;
        }
        if parens >= 2 {
            self.notes.redundant_parens = true;
        }
        Ok(op)
    }

    fn comparator(&self) -> Option<CmpOp> {
        Some(match self.cur().tok {
            Tok::Eq => CmpOp::Eq,
            Tok::Ne => CmpOp::Ne,
            Tok::Lt => CmpOp::Lt,
            Tok::Le => CmpOp::Le,
            Tok::Gt => CmpOp::Gt,
            Tok::Ge => CmpOp::Ge,
            _ => return None,
        })
    }

    fn at_word(&self, word: &str) -> bool {
        self.cur().is_word(self.src, word)
    }

    /// At a run of `(`: how many of them open conditions; the rest wrap the first
    /// operand (`((a) = :v)`: one of two). One look ahead per run keeps parsing linear.
    fn condition_parens_ahead(&mut self) -> usize {
        let saved = self.pos;
        let saved_operators = self.operators;
        let saved_index = self.notes.bad_index.clone();
        let mut run = 0;
        while self.cur().tok == Tok::LParen {
            self.advance();
            run += 1;
        }
        let mut open = run;
        if self.operand(0).is_ok() {
            let mut closed = 0;
            while closed < run && self.cur().tok == Tok::RParen {
                self.advance();
                closed += 1;
            }
            if self.comparator().is_some() || self.at_word("BETWEEN") || self.at_word("IN") {
                open = run - closed;
            }
        }
        self.pos = saved;
        self.operators = saved_operators;
        self.notes.bad_index = saved_index;
        open
    }

    /// One comparison, BETWEEN, IN, or function call.
    fn atom(&mut self) -> PResult<Condition> {
        let left = self.operand_parens(0)?;
        if let Some(op) = self.comparator() {
            self.count_operator()?;
            self.advance();
            let right = self.operand_parens(0)?;
            return Ok(Condition::Compare { op, left, right });
        }
        if self.at_word("BETWEEN") {
            self.count_operator()?;
            self.advance();
            let low = self.operand_parens(0)?;
            if !self.at_word("AND") {
                return Err(self.error());
            }
            self.advance();
            let high = self.operand_parens(0)?;
            return Ok(Condition::Between {
                value: left,
                low,
                high,
            });
        }
        if self.at_word("IN") {
            self.count_operator()?;
            self.advance();
            self.expect(Tok::LParen)?;
            let mut list = vec![self.operand_parens(0)?];
            while self.cur().tok == Tok::Comma {
                self.advance();
                list.push(self.operand_parens(0)?);
            }
            self.expect(Tok::RParen)?;
            return Ok(Condition::In { value: left, list });
        }
        match left {
            Operand::Call { name, args } => Ok(Condition::Function { name, args }),
            _ => Err(self.error()),
        }
    }

    fn reduce(&self, op: StackOp, out: &mut Vec<(Condition, u8)>) -> PResult<()> {
        let node = match op {
            StackOp::Not => {
                let (a, _) = out.pop().ok_or_else(|| self.error())?;
                Condition::Not(Box::new(a))
            }
            StackOp::And | StackOp::Or => {
                let (b, _) = out.pop().ok_or_else(|| self.error())?;
                let (a, _) = out.pop().ok_or_else(|| self.error())?;
                if matches!(op, StackOp::And) {
                    Condition::And(Box::new(a), Box::new(b))
                } else {
                    Condition::Or(Box::new(a), Box::new(b))
                }
            }
            StackOp::LParen => return Err(self.error()),
        };
        out.push((node, 0));
        Ok(())
    }

    /// A whole condition, up to the end of the input.
    fn condition(&mut self) -> PResult<Condition> {
        let mut ops: Vec<StackOp> = Vec::new();
        let mut out: Vec<(Condition, u8)> = Vec::new();
        let mut expect_operand = true;
        loop {
            let t = self.cur();
            if expect_operand {
                if t.is_word(self.src, "NOT") {
                    self.count_operator()?;
                    ops.push(StackOp::Not);
                    self.advance();
                    continue;
                }
                if t.tok == Tok::LParen {
                    for _ in 0..self.condition_parens_ahead() {
                        ops.push(StackOp::LParen);
                        self.advance();
                    }
                    // Parentheses left over wrap the first operand of a comparison.
                    if self.cur().tok != Tok::LParen {
                        continue;
                    }
                }
                let atom = self.atom()?;
                out.push((atom, 0));
                expect_operand = false;
                continue;
            }
            if t.is_word(self.src, "AND") || t.is_word(self.src, "OR") {
                let is_and = t.is_word(self.src, "AND");
                while let Some(top) = ops.last() {
                    let pops = match top {
                        StackOp::Not | StackOp::And => true,
                        StackOp::Or => !is_and,
                        StackOp::LParen => false,
                    };
                    if !pops {
                        break;
                    }
                    if let Some(op) = ops.pop() {
                        self.reduce(op, &mut out)?;
                    }
                }
                self.count_operator()?;
                ops.push(if is_and { StackOp::And } else { StackOp::Or });
                self.advance();
                expect_operand = true;
            } else if t.tok == Tok::RParen {
                loop {
                    match ops.pop() {
                        None => return Err(self.error()),
                        Some(StackOp::LParen) => break,
                        Some(op) => self.reduce(op, &mut out)?,
                    }
                }
                if let Some(top) = out.last_mut() {
                    top.1 = top.1.saturating_add(1);
                    if top.1 >= 2 {
                        self.notes.redundant_parens = true;
                    }
                }
                self.advance();
            } else if t.tok == Tok::Eof {
                while let Some(op) = ops.pop() {
                    if matches!(op, StackOp::LParen) {
                        return Err(self.error());
                    }
                    self.reduce(op, &mut out)?;
                }
                break;
            } else {
                return Err(self.error());
            }
        }
        match (out.pop(), out.is_empty()) {
            (Some((cond, _)), true) => Ok(cond),
            _ => Err(self.error()),
        }
    }

    /// `operand (+|- operand)?`
    fn set_operand(&mut self, first: Option<Operand>) -> PResult<Operand> {
        let left = match first {
            Some(op) => op,
            None => self.operand_parens(0)?,
        };
        let plus = match self.cur().tok {
            Tok::Plus => true,
            Tok::Minus => false,
            _ => return Ok(left),
        };
        self.count_operator()?;
        self.advance();
        let right = self.operand_parens(0)?;
        Ok(Operand::Arith {
            plus,
            left: Box::new(left),
            right: Box::new(right),
        })
    }

    /// The right-hand side of a SET action: `value`, or `( value )`.
    fn set_value(&mut self) -> PResult<Operand> {
        if self.cur().tok != Tok::LParen {
            return self.set_operand(None);
        }
        self.advance();
        let inner = self.set_operand(None)?;
        self.expect(Tok::RParen)?;
        // `(a) + b`: the parentheses held only the first operand.
        if matches!(self.cur().tok, Tok::Plus | Tok::Minus)
            && !matches!(inner, Operand::Arith { .. })
        {
            return self.set_operand(Some(inner));
        }
        Ok(inner)
    }

    fn update(&mut self) -> PResult<RawUpdate> {
        let mut actions = Vec::new();
        let mut sections = Vec::new();
        loop {
            let t = self.cur();
            let section = UPDATE_KEYWORDS
                .iter()
                .find(|k| t.is_word(self.src, k))
                .copied()
                .ok_or_else(|| self.error())?;
            self.advance();
            sections.push(section);
            loop {
                let path = self.path()?;
                let action = match section {
                    "SET" => {
                        self.expect(Tok::Eq)?;
                        let value = self.set_value()?;
                        UpdateAction::Set { path, value }
                    }
                    "REMOVE" => UpdateAction::Remove { path },
                    _ => {
                        let t = self.cur();
                        if t.tok != Tok::Value {
                            return Err(self.error());
                        }
                        self.advance();
                        let value = Operand::Placeholder(self.text(&t));
                        if section == "ADD" {
                            UpdateAction::Add { path, value }
                        } else {
                            UpdateAction::Delete { path, value }
                        }
                    }
                };
                actions.push(action);
                if self.cur().tok == Tok::Comma {
                    self.advance();
                } else {
                    break;
                }
            }
            let t = self.cur();
            if t.tok == Tok::Eof {
                return Ok(RawUpdate { actions, sections });
            }
            if !self.is_keyword(&t) {
                return Err(self.error());
            }
        }
    }

    fn projection(&mut self) -> PResult<Vec<Path>> {
        let mut paths = vec![self.path()?];
        while self.cur().tok == Tok::Comma {
            self.advance();
            paths.push(self.path()?);
        }
        if self.cur().tok != Tok::Eof {
            return Err(self.error());
        }
        Ok(paths)
    }
}

/// Parses a condition (ConditionExpression, FilterExpression, KeyConditionExpression).
pub fn parse_condition_syntax(text: &str, kind: ExprKind) -> PResult<(Condition, ParseNotes)> {
    check_text(text, kind)?;
    let mut p = Parser::new(text, kind);
    let cond = p.condition()?;
    p.index_error()?;
    Ok((cond, p.notes))
}

/// Parses an UpdateExpression.
pub fn parse_update_syntax(text: &str) -> PResult<RawUpdate> {
    check_text(text, ExprKind::Update)?;
    let mut p = Parser::new(text, ExprKind::Update);
    let update = p.update()?;
    p.index_error()?;
    Ok(update)
}

/// Parses a ProjectionExpression.
pub fn parse_projection_syntax(text: &str) -> PResult<Vec<Path>> {
    check_text(text, ExprKind::Projection)?;
    let mut p = Parser::new(text, ExprKind::Projection);
    let paths = p.projection()?;
    p.index_error()?;
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cond_err(text: &str) -> String {
        parse_condition_syntax(text, ExprKind::Condition)
            .err()
            .map(|e| e.message)
            .unwrap_or_default()
    }

    #[test]
    fn syntax_errors_name_token_and_surroundings() {
        assert_eq!(
            cond_err("foo"),
            "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"foo\""
        );
        assert_eq!(
            cond_err("a = :v b"),
            "Invalid ConditionExpression: Syntax error; token: \"b\", near: \":v b\""
        );
        assert_eq!(
            cond_err("a x c = d"),
            "Invalid ConditionExpression: Syntax error; token: \"x\", near: \"a x c\""
        );
        assert_eq!(
            cond_err("pk = !!"),
            "Invalid ConditionExpression: Syntax error; token: \"!\""
        );
        assert_eq!(
            cond_err(""),
            "Invalid ConditionExpression: The expression can not be empty;"
        );
    }

    #[test]
    fn precedence_and_over_or_not_over_and() {
        let (c, _) = parse_condition_syntax("NOT a = :a AND b = :b OR c = :c", ExprKind::Condition)
            .expect("parses");
        match c {
            Condition::Or(left, _) => match *left {
                Condition::And(l, _) => assert!(matches!(*l, Condition::Not(_))),
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn parenthesized_operands_and_redundant_parens() {
        assert!(parse_condition_syntax("(a) = :v", ExprKind::Condition).is_ok());
        let (_, notes) = parse_condition_syntax("((a)) = :v", ExprKind::Condition).expect("ok");
        assert!(notes.redundant_parens);
        let (_, notes) = parse_condition_syntax("((a) = :v)", ExprKind::Condition).expect("ok");
        assert!(!notes.redundant_parens);
        let (_, notes) = parse_condition_syntax("((a = :v))", ExprKind::Condition).expect("ok");
        assert!(notes.redundant_parens);
        let (_, notes) =
            parse_condition_syntax("((a = :v) AND b = :v)", ExprKind::Condition).expect("ok");
        assert!(!notes.redundant_parens);
    }

    #[test]
    fn update_syntax() {
        let u = parse_update_syntax("SET a = b + :c, d[1].e = list_append(if_not_exists(d, :e), :f) REMOVE x ADD n :n DELETE s :s")
            .expect("parses");
        assert_eq!(u.actions.len(), 5);
        assert_eq!(u.sections, vec!["SET", "REMOVE", "ADD", "DELETE"]);
        let err = parse_update_syntax("SET MyStr = myNum Mystr2 myNum2").expect_err("fails");
        assert_eq!(
            err.message,
            "Invalid UpdateExpression: Syntax error; token: \"Mystr2\", near: \"myNum Mystr2 myNum2\""
        );
        let err = parse_update_syntax("SET a = b + c + d").expect_err("fails");
        assert!(err.message.contains("token: \"+\""));
        let err = parse_update_syntax("SET MyStr = myNum + 1").expect_err("fails");
        assert_eq!(
            err.message,
            "Invalid UpdateExpression: Syntax error; token: \"1\", near: \"+ 1\""
        );
    }
}
