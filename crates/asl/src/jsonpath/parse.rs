//! The JSONPath parser: text to [`Path`] in one left-to-right pass (linear time), with
//! Jayway's syntax (`$`, `$$`, `.name`, `['name']`, `[0]`, `[-1]`, `[0,1]`, `[1:3]`, `*`,
//! `..`, `[?(...)]`) and a message plus byte position for everything it rejects.

use super::filter::{self, Expr};
use std::fmt;

/// Longest path text accepted (AWS caps whole definitions; this keeps work bounded).
pub const MAX_PATH_LENGTH: usize = 65_536;
/// How deep filters may nest (`[?(@.a[?(@.b)])]`, parentheses, literals).
pub const MAX_NESTING: usize = 32;

/// Which document a path starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Root {
    /// `$`: the state input (or the current item inside a filter when written `@`).
    Input,
    /// `$$`: the context object.
    Context,
    /// `@`: the node a filter is testing.
    Current,
    /// `$name`: a workflow variable (set by `Assign`).
    Variable(String),
}

/// One step of a path.
#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    /// `.x`, `['x']`, `[0]`, `*`, ...
    Child(Selector),
    /// `..x`, `..*`, `..[0]`: the selector applied at every depth.
    Descendant(Selector),
}

/// What a segment selects.
#[derive(Debug, Clone, PartialEq)]
pub enum Selector {
    Name(String),
    /// `['a','b']`: merged into one object at the leaf, iterated elsewhere (Jayway).
    Names(Vec<String>),
    Wildcard,
    Index(i64),
    Indexes(Vec<i64>),
    Slice(Option<i64>, Option<i64>),
    Filter(Box<Expr>),
    /// A trailing `.name()` path function: accepted, never matches (as on AWS).
    Function(String),
}

/// A parsed path.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    pub root: Root,
    pub segments: Vec<Segment>,
}

/// Why a path was rejected: what and where (byte offset in the text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub position: usize,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at position {}", self.message, self.position)
    }
}

/// Parses a whole path such as `$.a[0]` or `$$.Execution.Id`.
pub fn parse(text: &str) -> Result<Path, ParseError> {
    if text.len() > MAX_PATH_LENGTH {
        return Err(ParseError {
            message: format!("path is longer than {MAX_PATH_LENGTH} bytes"),
            position: MAX_PATH_LENGTH,
        });
    }
    let mut p = Parser::new(text, false);
    let path = p.path(0)?;
    if !p.at_end() {
        return Err(p.expected("the end of the path"));
    }
    Ok(path)
}

/// A cursor over the text. In `in_filter` mode dot-names also stop at operator characters.
pub(crate) struct Parser<'a> {
    pub(crate) text: &'a str,
    pub(crate) pos: usize,
    in_filter: bool,
}

impl<'a> Parser<'a> {
    pub(crate) fn new(text: &'a str, in_filter: bool) -> Self {
        Parser {
            text,
            pos: 0,
            in_filter,
        }
    }

    /// An error at the cursor.
    pub(crate) fn error_at(&self, message: impl Into<String>) -> ParseError {
        ParseError {
            message: message.into(),
            position: self.pos,
        }
    }

    /// "expected X but found 'c'" at the cursor.
    pub(crate) fn expected(&self, what: &str) -> ParseError {
        let found = match self.peek() {
            Some(c) => format!("found '{c}'"),
            None => "reached the end".to_string(),
        };
        self.error_at(format!("expected {what} but {found}"))
    }

    /// Switches dot-names to stop at filter operators; returns the previous mode.
    pub(crate) fn in_filter_mode(&mut self, on: bool) -> bool {
        std::mem::replace(&mut self.in_filter, on)
    }

    pub(crate) fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }

    pub(crate) fn peek(&self) -> Option<char> {
        self.text.get(self.pos..).and_then(|s| s.chars().next())
    }

    pub(crate) fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or("")
    }

    pub(crate) fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    pub(crate) fn eat(&mut self, s: &str) -> bool {
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    pub(crate) fn skip_spaces(&mut self) {
        while matches!(self.peek(), Some(c) if c.is_whitespace()) {
            self.bump();
        }
    }

    /// `$...`, `$$...` or (inside filters) `@...`.
    pub(crate) fn path(&mut self, depth: usize) -> Result<Path, ParseError> {
        let root = if self.eat("$$") {
            Root::Context
        } else if self.eat("$") {
            let start = self.pos;
            if matches!(self.peek(), Some(c) if c.is_ascii_alphabetic() || c == '_') {
                while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == '_') {
                    self.bump();
                }
                Root::Variable(self.text[start..self.pos].to_string())
            } else {
                Root::Input
            }
        } else if self.in_filter && self.eat("@") {
            Root::Current
        } else {
            return Err(self.expected("a path starting with '$'"));
        };
        let mut segments = Vec::new();
        loop {
            match self.peek() {
                Some('.') => {
                    if self.eat("..") {
                        if self.peek() == Some('.') {
                            return Err(self.error_at("unexpected '.' after '..'"));
                        }
                        let sel = if self.peek() == Some('[') {
                            self.bracket(depth)?
                        } else {
                            self.dot_name("..")?
                        };
                        segments.push(Segment::Descendant(sel));
                    } else {
                        self.pos += 1;
                        // Jayway accepts `.['name']` (AWS documents `$.abc.['def ghi']`).
                        let sel = if self.peek() == Some('[') {
                            self.bracket(depth)?
                        } else {
                            self.dot_name(".")?
                        };
                        segments.push(Segment::Child(sel));
                    }
                }
                Some('[') => segments.push(Segment::Child(self.bracket(depth)?)),
                _ => break,
            }
        }
        Ok(Path { root, segments })
    }

    /// The name after `.` or `..`: `*` or characters up to the next `.`/`[`.
    fn dot_name(&mut self, after: &str) -> Result<Selector, ParseError> {
        if self.eat("*") {
            return Ok(Selector::Wildcard);
        }
        let start = self.pos;
        while let Some(c) = self.peek() {
            let stop = c == '.'
                || c == '['
                || (self.in_filter && (c.is_whitespace() || "()=!<>&|,~]".contains(c)));
            if stop {
                break;
            }
            if c.is_whitespace() {
                return Err(self.error_at(
                    "use bracket notation ['my prop'] for a property with blank characters",
                ));
            }
            if c == '(' {
                return self.function(start);
            }
            self.pos += c.len_utf8();
        }
        if self.pos == start {
            return Err(if self.at_end() {
                self.error_at(format!("path must not end with '{after}'"))
            } else {
                self.expected(&format!("a property name after '{after}'"))
            });
        }
        Ok(Selector::Name(self.text[start..self.pos].to_string()))
    }

    /// `name(...)` ending a path (Jayway's `length()`, `sum()`, ...). Step Functions accepts
    /// these in definitions but they never find anything at run time.
    fn function(&mut self, start: usize) -> Result<Selector, ParseError> {
        let name = self.text[start..self.pos].to_string();
        if name.is_empty() {
            return Err(self.expected("a function name before '('"));
        }
        self.bump(); // '('
        while let Some(c) = self.peek() {
            match c {
                ')' => break,
                '(' => return Err(self.error_at("nested parentheses in function arguments")),
                _ => {
                    self.bump();
                }
            }
        }
        if !self.eat(")") {
            return Err(self.error_at(format!("unclosed '(' of function {name}()")));
        }
        if !self.at_end() {
            return Err(self.expected(&format!("the end of the path after {name}()")));
        }
        Ok(Selector::Function(name))
    }

    /// `[...]`: names, indexes, slices, `*` or a filter.
    fn bracket(&mut self, depth: usize) -> Result<Selector, ParseError> {
        let open = self.pos;
        self.pos += 1; // '['
        self.skip_spaces();
        let sel = match self.peek() {
            Some('\'') | Some('"') => {
                let mut names = vec![self.quoted_name()?];
                loop {
                    self.skip_spaces();
                    if !self.eat(",") {
                        break;
                    }
                    self.skip_spaces();
                    if !matches!(self.peek(), Some('\'') | Some('"')) {
                        return Err(self.expected("a quoted property name"));
                    }
                    names.push(self.quoted_name()?);
                }
                if names.len() == 1 {
                    Selector::Name(names.pop().unwrap_or_default())
                } else {
                    Selector::Names(names)
                }
            }
            Some('*') => {
                self.pos += 1;
                Selector::Wildcard
            }
            Some('?') => {
                self.pos += 1;
                self.skip_spaces();
                if !self.eat("(") {
                    return Err(self.expected("'(' after '?'"));
                }
                if depth >= MAX_NESTING {
                    return Err(self.error_at("filters are nested too deeply"));
                }
                let expr = filter::parse_expr(self, depth + 1)?;
                self.skip_spaces();
                if !self.eat(")") {
                    return Err(self.expected("')' to close the filter"));
                }
                Selector::Filter(Box::new(expr))
            }
            Some(c) if c == '-' || c == ':' || c.is_ascii_digit() => self.indexes()?,
            None => {
                return Err(ParseError {
                    message: "unclosed '['".into(),
                    position: open,
                })
            }
            _ => return Err(self.expected("a quoted name, an index, '*' or '?(' inside '['")),
        };
        self.skip_spaces();
        if !self.eat("]") {
            if self.at_end() {
                return Err(ParseError {
                    message: "unclosed '['".into(),
                    position: open,
                });
            }
            return Err(self.expected("']'"));
        }
        Ok(sel)
    }

    /// `0`, `-1`, `0,1,2`, `1:3`, `:2`, `-2:`.
    fn indexes(&mut self) -> Result<Selector, ParseError> {
        let first = self.opt_int()?;
        self.skip_spaces();
        if self.eat(":") {
            self.skip_spaces();
            let second = self.opt_int()?;
            self.skip_spaces();
            if self.peek() == Some(':') {
                return Err(self.error_at("slice steps are not supported"));
            }
            return Ok(Selector::Slice(first, second));
        }
        let Some(first) = first else {
            return Err(self.expected("an index"));
        };
        let mut all = vec![first];
        loop {
            self.skip_spaces();
            if !self.eat(",") {
                break;
            }
            self.skip_spaces();
            match self.opt_int()? {
                Some(i) => all.push(i),
                None => return Err(self.expected("an index after ','")),
            }
        }
        Ok(if all.len() == 1 {
            Selector::Index(first)
        } else {
            Selector::Indexes(all)
        })
    }

    fn opt_int(&mut self) -> Result<Option<i64>, ParseError> {
        let start = self.pos;
        self.eat("-");
        let digits = self.pos;
        while matches!(self.peek(), Some(c) if c.is_ascii_digit()) {
            self.pos += 1;
        }
        if self.pos == digits {
            self.pos = start;
            if self.peek() == Some('-') {
                return Err(self.error_at("expected digits after '-'"));
            }
            return Ok(None);
        }
        self.text[start..self.pos]
            .parse::<i64>()
            .map(Some)
            .map_err(|_| ParseError {
                message: "index is out of range".into(),
                position: start,
            })
    }

    /// A `'...'` or `"..."` string with backslash escapes.
    pub(crate) fn quoted(&mut self) -> Result<String, ParseError> {
        self.quoted_string(true)
    }

    /// A bracket property name: a backslash keeps the next character from closing the
    /// name, and both stay in the name (AWS finds key `a\"b` with `$['a\"b']`).
    fn quoted_name(&mut self) -> Result<String, ParseError> {
        self.quoted_string(false)
    }

    fn quoted_string(&mut self, unescape: bool) -> Result<String, ParseError> {
        let start = self.pos;
        let Some(quote) = self.bump() else {
            return Err(self.error_at("expected a quoted string"));
        };
        let mut out = String::new();
        loop {
            match self.bump() {
                None => {
                    return Err(ParseError {
                        message: "unterminated string".into(),
                        position: start,
                    })
                }
                Some('\\') => match self.bump() {
                    None => {
                        return Err(ParseError {
                            message: "unterminated string".into(),
                            position: start,
                        })
                    }
                    Some(c) if !unescape => {
                        out.push('\\');
                        out.push(c);
                    }
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some('r') => out.push('\r'),
                    Some(c) => out.push(c),
                },
                Some(c) if c == quote => return Ok(out),
                Some(c) => out.push(c),
            }
        }
    }
}

impl Path {
    /// True when the path selects at most one node (Jayway's "definite" path).
    pub fn is_definite(&self) -> bool {
        let n = self.segments.len();
        self.segments.iter().enumerate().all(|(i, s)| match s {
            Segment::Child(Selector::Name(_))
            | Segment::Child(Selector::Index(_))
            | Segment::Child(Selector::Function(_)) => true,
            Segment::Child(Selector::Names(_)) => i + 1 == n,
            _ => false,
        })
    }

    /// True for a reference path: `$` or `$$` followed only by single names and indexes.
    pub fn is_reference(&self) -> bool {
        matches!(self.root, Root::Input | Root::Context)
            && self.segments.iter().all(|s| {
                matches!(
                    s,
                    Segment::Child(Selector::Name(_)) | Segment::Child(Selector::Index(_))
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Path {
        parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn bad(text: &str, position: usize) {
        match parse(text) {
            Ok(p) => panic!("{text} parsed as {p:?}"),
            Err(e) => assert_eq!(e.position, position, "{text}: {e}"),
        }
    }

    #[test]
    fn shapes() {
        let n = |s: &str| Segment::Child(Selector::Name(s.into()));
        assert_eq!(ok("$").segments, vec![]);
        assert_eq!(ok("$$").root, Root::Context);
        assert_eq!(ok("$var_1.a").root, Root::Variable("var_1".into()));
        assert_eq!(ok("$var_1.a").segments, vec![n("a")]);
        assert_eq!(ok("$.a.b").segments, vec![n("a"), n("b")]);
        assert_eq!(ok("$['a b']").segments, vec![n("a b")]);
        assert_eq!(
            ok("$.abc.['def ghi']").segments,
            vec![n("abc"), n("def ghi")]
        );
        assert_eq!(ok("$[\"a'b\"]").segments, vec![n("a'b")]);
        assert_eq!(ok("$['it\\'s']").segments, vec![n("it\\'s")]);
        assert_eq!(
            ok("$['Test\\\"\"Name\"']").segments,
            vec![n("Test\\\"\"Name\"")]
        );
        assert_eq!(ok("$.a-b:c").segments, vec![n("a-b:c")]);
        assert_eq!(
            ok("$[ 0 , -1 ]").segments,
            vec![Segment::Child(Selector::Indexes(vec![0, -1]))]
        );
        assert_eq!(
            ok("$[1:]").segments,
            vec![Segment::Child(Selector::Slice(Some(1), None))]
        );
        assert_eq!(
            ok("$[:-2]").segments,
            vec![Segment::Child(Selector::Slice(None, Some(-2)))]
        );
        assert_eq!(
            ok("$..x").segments,
            vec![Segment::Descendant(Selector::Name("x".into()))]
        );
        assert_eq!(
            ok("$..*").segments,
            vec![Segment::Descendant(Selector::Wildcard)]
        );
        assert!(ok("$.a[?(@.b > 1 && @.c == 'x' || !@.d)]").segments.len() == 2);
    }

    #[test]
    fn definiteness() {
        assert!(ok("$.a[0]['b']").is_definite());
        assert!(ok("$.a['b','c']").is_definite());
        assert!(!ok("$['b','c'].d").is_definite());
        assert!(!ok("$.a[*]").is_definite());
        assert!(!ok("$..a").is_definite());
        assert!(!ok("$.a[0:1]").is_definite());
        assert!(ok("$.a[0].b").is_reference());
        assert!(!ok("$.a.*").is_reference());
    }

    #[test]
    fn rejects() {
        bad("", 0);
        bad("a.b", 0);
        bad("$.", 2);
        bad("$..", 3);
        bad("$...a", 3);
        bad("$.a b", 3);
        bad("$[", 1);
        bad("$['a'", 1);
        bad("$['a", 2);
        bad("$[1:2:3]", 5);
        bad("$[abc]", 2);
        bad("$.a.length(", 11);
        bad("$.a.length().b", 12);
        bad("$.a.f(()", 6);
        assert_eq!(
            ok("$.Jobs.sum()").segments[1],
            Segment::Child(Selector::Function("sum".into()))
        );
        bad("$[99999999999999999999]", 2);
        bad("$[?(@.a", 7);
        bad("$[?(@.a =~ /x/q)]", 14);
        bad("$[?(@.a =~ /(x/)]", 11);
        bad("$[?(@.a =~ /x)]", 11);
        bad("$[?(@.a =~ 'x')]", 11);
    }
}
