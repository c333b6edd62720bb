//! The PartiQL lexer for DynamoDB's dialect: bare and `"quoted"` identifiers, `'strings'`
//! (`''` escapes a quote), numbers, `?` parameters, punctuation including `<<`/`>>` for
//! sets, and `--` line comments. Never fails: unknown characters become `Unknown`.

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// A bare word (keywords included; the parser decides).
    Ident(String),
    /// A `"quoted"` identifier.
    Quoted(String),
    /// A `'string'` literal.
    Str(String),
    /// A number literal as written (without sign).
    Num(String),
    /// `?`
    Param,
    /// Punctuation: `( ) [ ] { } , . : = <> != < <= > >= << >> * + -`.
    Punct(&'static str),
    /// A character that starts no token.
    Unknown(char),
    /// An unterminated string or quoted identifier.
    Unterminated,
    Eof,
}

const PUNCT: [&str; 22] = [
    "<<", ">>", "<>", "!=", "<=", ">=", "(", ")", "[", "]", "{", "}", ",", ".", ":", "=", "<", ">",
    "*", "+", "-", ";",
];

/// Splits a statement into tokens; the last is always [`Tok::Eof`].
pub fn lex(src: &str) -> Vec<Tok> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '-' && chars.get(i + 1) == Some(&'-') {
            while chars.get(i).is_some_and(|&c| c != '\n') {
                i += 1;
            }
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while chars
                .get(i)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
            {
                i += 1;
            }
            out.push(Tok::Ident(
                chars.get(start..i).unwrap_or_default().iter().collect(),
            ));
            continue;
        }
        if c.is_ascii_digit() {
            let start = i;
            while chars.get(i).is_some_and(|c| c.is_ascii_digit()) {
                i += 1;
            }
            if chars.get(i) == Some(&'.') && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit()) {
                i += 1;
                while chars.get(i).is_some_and(|c| c.is_ascii_digit()) {
                    i += 1;
                }
            }
            if matches!(chars.get(i), Some('e' | 'E')) {
                let mut j = i + 1;
                if matches!(chars.get(j), Some('+' | '-')) {
                    j += 1;
                }
                if chars.get(j).is_some_and(|c| c.is_ascii_digit()) {
                    i = j;
                    while chars.get(i).is_some_and(|c| c.is_ascii_digit()) {
                        i += 1;
                    }
                }
            }
            out.push(Tok::Num(
                chars.get(start..i).unwrap_or_default().iter().collect(),
            ));
            continue;
        }
        if c == '\'' || c == '"' {
            let mut text = String::new();
            i += 1;
            let mut closed = false;
            while let Some(&d) = chars.get(i) {
                if d == c {
                    if chars.get(i + 1) == Some(&c) {
                        text.push(c);
                        i += 2;
                        continue;
                    }
                    i += 1;
                    closed = true;
                    break;
                }
                text.push(d);
                i += 1;
            }
            out.push(match (closed, c) {
                (false, _) => Tok::Unterminated,
                (true, '\'') => Tok::Str(text),
                _ => Tok::Quoted(text),
            });
            continue;
        }
        if c == '?' {
            out.push(Tok::Param);
            i += 1;
            continue;
        }
        let two: String = chars.get(i..i + 2).unwrap_or_default().iter().collect();
        if let Some(p) = PUNCT.iter().find(|p| p.len() == 2 && **p == two) {
            out.push(Tok::Punct(p));
            i += 2;
            continue;
        }
        match PUNCT.iter().find(|p| p.len() == 1 && p.starts_with(c)) {
            Some(p) => out.push(Tok::Punct(p)),
            None => out.push(Tok::Unknown(c)),
        }
        i += 1;
    }
    out.push(Tok::Eof);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexes_statement() {
        let toks = lex("SELECT * FROM \"T\".\"i\" WHERE a['x'] = 'it''s' AND n >= -1.5e3 -- c\n AND s = <<1>> AND p = ?");
        assert!(toks.contains(&Tok::Quoted("T".into())));
        assert!(toks.contains(&Tok::Str("it's".into())));
        assert!(toks.contains(&Tok::Num("1.5e3".into())));
        assert!(toks.contains(&Tok::Punct("<<")));
        assert!(toks.contains(&Tok::Param));
        assert_eq!(toks.last(), Some(&Tok::Eof));
        assert_eq!(lex("'open"), vec![Tok::Unterminated, Tok::Eof]);
    }
}
