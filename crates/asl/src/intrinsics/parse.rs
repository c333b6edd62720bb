//! The intrinsic-call parser: `States.Name(arg, ...)` where an argument is a single-quoted
//! string (escapes `\'`, `\{`, `\}`, `\\`), a number, `true`/`false`/`null`, a path
//! (`$`, `$.x`, `$$.x`) or a nested call, nested at most [`MAX_NESTING`] deep.
//! One pass over the text; every rejection carries a message and a byte position.

use crate::jsonpath::JsonPath;
use serde_json::{Number, Value};

/// How deep calls may nest (AWS: "up to 10 intrinsic functions within a field").
pub const MAX_NESTING: usize = 10;
/// Longest intrinsic text accepted.
pub const MAX_LENGTH: usize = 65_536;

/// The 18 functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    Format,
    StringToJson,
    JsonToString,
    Array,
    ArrayPartition,
    ArrayContains,
    ArrayRange,
    ArrayGetItem,
    ArrayLength,
    ArrayUnique,
    Base64Encode,
    Base64Decode,
    Hash,
    JsonMerge,
    MathRandom,
    MathAdd,
    StringSplit,
    Uuid,
}

impl Func {
    const ALL: [(&'static str, Func); 18] = [
        ("States.Format", Func::Format),
        ("States.StringToJson", Func::StringToJson),
        ("States.JsonToString", Func::JsonToString),
        ("States.Array", Func::Array),
        ("States.ArrayPartition", Func::ArrayPartition),
        ("States.ArrayContains", Func::ArrayContains),
        ("States.ArrayRange", Func::ArrayRange),
        ("States.ArrayGetItem", Func::ArrayGetItem),
        ("States.ArrayLength", Func::ArrayLength),
        ("States.ArrayUnique", Func::ArrayUnique),
        ("States.Base64Encode", Func::Base64Encode),
        ("States.Base64Decode", Func::Base64Decode),
        ("States.Hash", Func::Hash),
        ("States.JsonMerge", Func::JsonMerge),
        ("States.MathRandom", Func::MathRandom),
        ("States.MathAdd", Func::MathAdd),
        ("States.StringSplit", Func::StringSplit),
        ("States.UUID", Func::Uuid),
    ];

    /// The name as written in ASL.
    pub fn name(self) -> &'static str {
        Func::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("States.?", |(n, _)| n)
    }

    fn from_name(name: &str) -> Option<Func> {
        Func::ALL.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
    }

    /// Allowed argument counts (min, max).
    pub fn arity(self) -> (usize, usize) {
        match self {
            Func::Format => (1, usize::MAX),
            Func::Array => (0, usize::MAX),
            Func::Uuid => (0, 0),
            Func::StringToJson
            | Func::JsonToString
            | Func::ArrayLength
            | Func::ArrayUnique
            | Func::Base64Encode
            | Func::Base64Decode => (1, 1),
            Func::ArrayPartition
            | Func::ArrayContains
            | Func::ArrayGetItem
            | Func::Hash
            | Func::MathAdd
            | Func::StringSplit => (2, 2),
            Func::ArrayRange | Func::JsonMerge => (3, 3),
            Func::MathRandom => (2, 3),
        }
    }
}

/// An argument.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// A string literal: its value, and its text with escapes kept (for Format's `\{`).
    Str {
        value: String,
        raw: String,
    },
    /// A number, `true`, `false` or `null`.
    Literal(Value),
    Path(JsonPath),
    Call(Box<Call>),
}

/// A call.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub func: Func,
    pub args: Vec<Arg>,
}

/// Why an intrinsic was rejected: the same what-and-where error as a path's.
pub use crate::jsonpath::parse::ParseError;

/// Parses a whole intrinsic call (surrounding blanks allowed).
pub fn parse(text: &str) -> Result<Call, ParseError> {
    if text.len() > MAX_LENGTH {
        return Err(ParseError {
            message: format!("intrinsic function is longer than {MAX_LENGTH} bytes"),
            position: MAX_LENGTH,
        });
    }
    let mut p = Cursor { text, pos: 0 };
    p.spaces();
    let call = p.call(1)?;
    p.spaces();
    if p.pos < text.len() {
        return Err(p.expected("the end of the intrinsic function"));
    }
    Ok(call)
}

struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl Cursor<'_> {
    fn rest(&self) -> &str {
        self.text.get(self.pos..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn spaces(&mut self) {
        while matches!(self.peek(), Some(c) if c.is_whitespace()) {
            self.bump();
        }
    }

    fn error(&self, message: impl Into<String>, position: usize) -> ParseError {
        ParseError {
            message: message.into(),
            position,
        }
    }

    fn expected(&self, what: &str) -> ParseError {
        let found = match self.peek() {
            Some(c) => format!("found '{c}'"),
            None => "reached the end".to_string(),
        };
        self.error(format!("expected {what} but {found}"), self.pos)
    }

    fn call(&mut self, depth: usize) -> Result<Call, ParseError> {
        let start = self.pos;
        if depth > MAX_NESTING {
            return Err(self.error(
                format!("intrinsic functions may be nested at most {MAX_NESTING} deep"),
                start,
            ));
        }
        while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == '.' || c == '_') {
            self.bump();
        }
        let name = &self.text[start..self.pos];
        if name.is_empty() {
            return Err(self.expected("an intrinsic function such as States.Format"));
        }
        let Some(func) = Func::from_name(name) else {
            return Err(self.error(format!("unknown intrinsic function '{name}'"), start));
        };
        if self.peek() != Some('(') {
            return Err(self.expected(&format!("'(' after {name}")));
        }
        self.bump();
        let mut args = Vec::new();
        self.spaces();
        if self.peek() == Some(')') {
            self.bump();
        } else {
            loop {
                self.spaces();
                args.push(self.arg(depth)?);
                self.spaces();
                match self.bump() {
                    Some(',') => continue,
                    Some(')') => break,
                    Some(c) => {
                        return Err(self.error(
                            format!("expected ',' or ')' but found '{c}'"),
                            self.pos - c.len_utf8(),
                        ))
                    }
                    None => return Err(self.error(format!("unclosed '(' of {name}"), start)),
                }
            }
        }
        let (min, max) = func.arity();
        if args.len() < min || args.len() > max {
            let want = match (min, max) {
                (a, b) if a == b => format!("{a}"),
                (a, usize::MAX) => format!("at least {a}"),
                (a, b) => format!("{a} to {b}"),
            };
            return Err(self.error(
                format!(
                    "{name} takes {want} argument{} but was given {}",
                    if min == 1 && max == 1 || (min, max) == (1, usize::MAX) {
                        ""
                    } else {
                        "s"
                    },
                    args.len()
                ),
                start,
            ));
        }
        Ok(Call { func, args })
    }

    fn arg(&mut self, depth: usize) -> Result<Arg, ParseError> {
        match self.peek() {
            Some('\'') => self.string(),
            Some('$') => self.path(),
            Some(c) if c == '-' || c.is_ascii_digit() => self.number(),
            Some('S') => Ok(Arg::Call(Box::new(self.call(depth + 1)?))),
            _ => {
                for (word, value) in [
                    ("true", Value::Bool(true)),
                    ("false", Value::Bool(false)),
                    ("null", Value::Null),
                ] {
                    if self.rest().starts_with(word)
                        && !self.rest()[word.len()..]
                            .starts_with(|c: char| c.is_alphanumeric() || c == '_')
                    {
                        self.pos += word.len();
                        return Ok(Arg::Literal(value));
                    }
                }
                Err(self.expected("a string, number, path or intrinsic function"))
            }
        }
    }

    fn string(&mut self) -> Result<Arg, ParseError> {
        let start = self.pos;
        self.bump(); // opening quote
        let mut value = String::new();
        let raw_start = self.pos;
        loop {
            match self.bump() {
                None => return Err(self.error("unterminated string", start)),
                Some('\'') => break,
                Some('\\') => match self.bump() {
                    None => return Err(self.error("unterminated string", start)),
                    Some(c @ ('\'' | '{' | '}' | '\\')) => value.push(c),
                    Some('n') => value.push('\n'),
                    Some('t') => value.push('\t'),
                    Some('r') => value.push('\r'),
                    Some(c) => {
                        value.push('\\');
                        value.push(c);
                    }
                },
                Some(c) => value.push(c),
            }
        }
        let raw = self.text[raw_start..self.pos - 1].to_string();
        Ok(Arg::Str { value, raw })
    }

    fn number(&mut self) -> Result<Arg, ParseError> {
        let start = self.pos;
        while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || "+-.".contains(c)) {
            self.bump();
        }
        let text = &self.text[start..self.pos];
        serde_json::from_str::<Number>(text)
            .map(|n| Arg::Literal(Value::Number(n)))
            .map_err(|_| self.error(format!("invalid number '{text}'"), start))
    }

    /// A path runs to the next `,` or `)` outside brackets and quotes.
    fn path(&mut self) -> Result<Arg, ParseError> {
        let start = self.pos;
        let mut brackets = 0usize;
        let mut quote: Option<char> = None;
        while let Some(c) = self.peek() {
            match quote {
                Some(q) => {
                    if c == '\\' {
                        self.bump();
                    } else if c == q {
                        quote = None;
                    }
                }
                None => match c {
                    '\'' | '"' => quote = Some(c),
                    '[' => brackets += 1,
                    ']' => brackets = brackets.saturating_sub(1),
                    ',' | ')' if brackets == 0 => break,
                    c if c.is_whitespace() && brackets == 0 => break,
                    _ => {}
                },
            }
            self.bump();
        }
        let text = &self.text[start..self.pos];
        JsonPath::parse(text)
            .map(Arg::Path)
            .map_err(|e| self.error(format!("invalid path '{text}': {e}"), start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bad(text: &str, message: &str) {
        match parse(text) {
            Ok(c) => panic!("{text} parsed as {c:?}"),
            Err(e) => assert!(e.to_string().contains(message), "{text}: {e}"),
        }
    }

    #[test]
    fn parses() {
        let c = parse("States.Format('a\\'b\\{\\}', $.x, 1, -2.5, true, null, States.UUID())")
            .expect("parses");
        assert_eq!(c.func, Func::Format);
        assert_eq!(c.args.len(), 7);
        assert_eq!(
            c.args[0],
            Arg::Str {
                value: "a'b{}".into(),
                raw: "a\\'b\\{\\}".into()
            }
        );
        assert!(matches!(&c.args[1], Arg::Path(p) if p.as_str() == "$.x"));
        assert!(parse("  States.Array($['a,b'], $.c[0,1])  ").is_ok());
        assert!(parse("States.Array($$.Execution.Id, $)").is_ok());
    }

    #[test]
    fn rejects() {
        bad("States.Nope(1)", "unknown intrinsic function 'States.Nope'");
        bad(
            "States.UUID(1)",
            "States.UUID takes 0 arguments but was given 1",
        );
        bad(
            "States.MathAdd(1)",
            "States.MathAdd takes 2 arguments but was given 1",
        );
        bad(
            "States.Format()",
            "States.Format takes at least 1 argument but was given 0",
        );
        bad("States.Array(1", "unclosed '('");
        bad("States.Array('a)", "unterminated string");
        bad("States.Array(1 2)", "expected ',' or ')'");
        bad("States.Array(1) x", "expected the end");
        bad("States.Array(foo)", "expected a string, number, path");
        bad("States.Array($.a b)", "expected ',' or ')'");
        bad("States.Array(1.2.3)", "invalid number");
        bad("", "expected an intrinsic function");
        let deep = format!("{}1{}", "States.Array(".repeat(11), ")".repeat(11));
        bad(&deep, "nested at most 10 deep");
        let ok = format!("{}1{}", "States.Array(".repeat(10), ")".repeat(10));
        assert!(parse(&ok).is_ok());
    }
}
