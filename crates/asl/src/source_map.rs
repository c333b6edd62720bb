//! A small JSON parser that records where every value sits in the text.
//!
//! `serde_json` gives values but no positions; the editor needs a line/column range for
//! every diagnostic. [`scan`] parses the text into a [`serde_json::Value`] and a
//! [`SourceMap`] from JSON pointer to the ranges of the value and of its key.

use crate::diagnostic::{pointer_join, LineCol, TextRange};
use serde_json::{Map, Number, Value};
use std::collections::HashMap;

/// Deepest nesting the scanner accepts before giving up: serde_json's own limit (128), so the
/// recursive descent never overflows the stack, even in debug builds on small stacks.
pub const MAX_SCAN_DEPTH: usize = 128;

/// Where a value (and the key naming it, for object members) sits in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spans {
    pub value: TextRange,
    pub key: Option<TextRange>,
}

/// JSON pointer → spans.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    spans: HashMap<String, Spans>,
}

impl SourceMap {
    /// The range to underline for a pointer: the key of a member when known, else the
    /// value; falls back to the nearest ancestor that exists.
    pub fn range_for(&self, pointer: &str) -> Option<TextRange> {
        let mut p = pointer;
        loop {
            if let Some(s) = self.spans.get(p) {
                return Some(s.key.unwrap_or(s.value));
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return None,
            }
        }
    }

    /// The range of the value at a pointer.
    pub fn value_range(&self, pointer: &str) -> Option<TextRange> {
        self.spans.get(pointer).map(|s| s.value)
    }
}

/// A syntax error: what and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanError {
    pub message: String,
    pub at: LineCol,
}

/// Parses JSON text, recording spans.
pub fn scan(text: &str) -> Result<(Value, SourceMap), ScanError> {
    let mut s = Scanner {
        chars: text.chars().collect(),
        pos: 0,
        line: 1,
        col: 1,
        map: SourceMap::default(),
    };
    s.skip_ws();
    let v = s.value(String::new(), None, 0)?;
    s.skip_ws();
    if s.pos < s.chars.len() {
        return Err(s.err("Unexpected content after the end of the JSON document"));
    }
    Ok((v, s.map))
}

struct Scanner {
    chars: Vec<char>,
    pos: usize,
    line: u32,
    col: u32,
    map: SourceMap,
}

impl Scanner {
    fn here(&self) -> LineCol {
        LineCol {
            line: self.line,
            column: self.col,
        }
    }

    fn err(&self, message: &str) -> ScanError {
        ScanError {
            message: message.to_string(),
            at: self.here(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    fn skip_ws(&mut self) {
        while let Some(c) = self.peek() {
            if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
                self.bump();
            } else {
                break;
            }
        }
    }

    fn expect(&mut self, c: char) -> Result<(), ScanError> {
        if self.peek() == Some(c) {
            self.bump();
            Ok(())
        } else {
            Err(self.err(&format!("Expected '{c}'")))
        }
    }

    fn value(
        &mut self,
        pointer: String,
        key: Option<TextRange>,
        depth: usize,
    ) -> Result<Value, ScanError> {
        if depth > MAX_SCAN_DEPTH {
            return Err(self.err("The JSON document is nested too deeply"));
        }
        let start = self.here();
        let v = match self.peek() {
            Some('{') => self.object(&pointer, depth)?,
            Some('[') => self.array(&pointer, depth)?,
            Some('"') => Value::String(self.string()?),
            Some('t') => self.word("true", Value::Bool(true))?,
            Some('f') => self.word("false", Value::Bool(false))?,
            Some('n') => self.word("null", Value::Null)?,
            Some(c) if c == '-' || c.is_ascii_digit() => self.number()?,
            Some(_) => return Err(self.err("Unexpected character")),
            None => return Err(self.err("Unexpected end of input")),
        };
        let range = TextRange {
            start,
            end: self.here(),
        };
        self.map.spans.insert(pointer, Spans { value: range, key });
        Ok(v)
    }

    fn word(&mut self, w: &str, v: Value) -> Result<Value, ScanError> {
        for expected in w.chars() {
            if self.peek() != Some(expected) {
                return Err(self.err("Unexpected token"));
            }
            self.bump();
        }
        Ok(v)
    }

    fn number(&mut self) -> Result<Value, ScanError> {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E') {
                self.bump();
            } else {
                break;
            }
        }
        let text: String = self
            .chars
            .get(start..self.pos)
            .unwrap_or(&[])
            .iter()
            .collect();
        match serde_json::from_str::<Number>(&text) {
            Ok(n) => Ok(Value::Number(n)),
            Err(_) => match text.parse::<f64>().ok().and_then(Number::from_f64) {
                Some(n) => Ok(Value::Number(n)),
                None => Err(self.err("Invalid number")),
            },
        }
    }

    fn string(&mut self) -> Result<String, ScanError> {
        self.expect('"')?;
        let mut out = String::new();
        loop {
            match self.bump() {
                None => return Err(self.err("Unterminated string")),
                Some('"') => return Ok(out),
                Some('\\') => match self.bump() {
                    Some('"') => out.push('"'),
                    Some('\\') => out.push('\\'),
                    Some('/') => out.push('/'),
                    Some('b') => out.push('\u{8}'),
                    Some('f') => out.push('\u{c}'),
                    Some('n') => out.push('\n'),
                    Some('r') => out.push('\r'),
                    Some('t') => out.push('\t'),
                    Some('u') => {
                        let hi = self.hex4()?;
                        if (0xD800..0xDC00).contains(&hi) {
                            if self.peek() == Some('\\') {
                                self.bump();
                                self.expect('u')?;
                                let lo = self.hex4()?;
                                let c = 0x10000
                                    + ((hi - 0xD800) << 10)
                                    + (lo.wrapping_sub(0xDC00) & 0x3FF);
                                out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
                            } else {
                                out.push('\u{FFFD}');
                            }
                        } else {
                            out.push(char::from_u32(hi).unwrap_or('\u{FFFD}'));
                        }
                    }
                    _ => return Err(self.err("Invalid escape in string")),
                },
                Some(c) if (c as u32) < 0x20 => return Err(self.err("Control character in string")),
                Some(c) => out.push(c),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, ScanError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = self
                .peek()
                .and_then(|c| c.to_digit(16))
                .ok_or_else(|| self.err("Invalid unicode escape"))?;
            self.bump();
            v = v * 16 + d;
        }
        Ok(v)
    }

    fn object(&mut self, pointer: &str, depth: usize) -> Result<Value, ScanError> {
        self.expect('{')?;
        let mut map = Map::new();
        self.skip_ws();
        if self.peek() == Some('}') {
            self.bump();
            return Ok(Value::Object(map));
        }
        loop {
            self.skip_ws();
            let kstart = self.here();
            if self.peek() != Some('"') {
                return Err(self.err("Expected a string key"));
            }
            let key = self.string()?;
            let krange = TextRange {
                start: kstart,
                end: self.here(),
            };
            self.skip_ws();
            self.expect(':')?;
            self.skip_ws();
            let v = self.value(pointer_join(pointer, &key), Some(krange), depth + 1)?;
            map.insert(key, v);
            self.skip_ws();
            match self.bump() {
                Some(',') => continue,
                Some('}') => return Ok(Value::Object(map)),
                _ => return Err(self.err("Expected ',' or '}'")),
            }
        }
    }

    fn array(&mut self, pointer: &str, depth: usize) -> Result<Value, ScanError> {
        self.expect('[')?;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(']') {
            self.bump();
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_ws();
            let p = format!("{pointer}/{}", items.len());
            items.push(self.value(p, None, depth + 1)?);
            self.skip_ws();
            match self.bump() {
                Some(',') => continue,
                Some(']') => return Ok(Value::Array(items)),
                _ => return Err(self.err("Expected ',' or ']'")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn records_key_and_value_ranges() {
        let (v, map) = scan("{\n  \"A\": [1, {\"b\": true}]\n}").unwrap();
        assert_eq!(v, json!({"A": [1, {"b": true}]}));
        let a = map.range_for("/A").unwrap();
        assert_eq!((a.start.line, a.start.column), (2, 3));
        let b = map.value_range("/A/1/b").unwrap();
        assert_eq!((b.start.line, b.start.column, b.end.column), (2, 18, 22));
        assert_eq!(map.range_for("/A/7/zz"), Some(a));
    }

    #[test]
    fn reports_errors_with_positions() {
        let e = scan("{\"a\": }").unwrap_err();
        assert_eq!(e.at, LineCol { line: 1, column: 7 });
        assert!(scan("[[[[").is_err());
        assert!(scan(&"[".repeat(10_000)).is_err());
        assert_eq!(scan("\"\\ud83c\\udd97\"").unwrap().0, json!("\u{1F197}"));
    }
}

#[cfg(test)]
mod deep_tests {
    use super::*;

    #[test]
    fn deep_objects_are_errors() {
        let n = 10_000;
        let t = format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n));
        assert!(scan(&t).is_err());
    }
}
