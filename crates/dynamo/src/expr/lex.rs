//! The expression lexer: turns an expression string into tokens with byte spans.
//!
//! It never fails: a character that starts no token becomes [`Tok::Unknown`] and the
//! parser reports it as AWS does. One pass, linear in the input.

/// What a token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    /// A bare name: `[A-Za-z][A-Za-z0-9_]*` (keywords are names too; the parser decides).
    Ident,
    /// An expression attribute name: `#` followed by `[A-Za-z0-9_]*`.
    Name,
    /// An expression attribute value: `:` followed by `[A-Za-z0-9_]*`.
    Value,
    /// A run of decimal digits (only valid as a list index).
    Int,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Dot,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Plus,
    Minus,
    /// A lone `#` or `:` (no name follows): never valid, reported like any token.
    Sigil,
    /// A character that starts no token.
    Unknown,
    /// The end of the input.
    Eof,
}

/// One token: its kind and its byte range in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub tok: Tok,
    pub start: usize,
    pub end: usize,
}

impl Token {
    /// The token's text in `src` (`<EOF>` for the end).
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        if self.tok == Tok::Eof {
            return "<EOF>";
        }
        src.get(self.start..self.end).unwrap_or("")
    }

    /// Whether this is the bare word `word` (ASCII case-insensitive).
    pub fn is_word(&self, src: &str, word: &str) -> bool {
        self.tok == Tok::Ident && self.text(src).eq_ignore_ascii_case(word)
    }
}

/// Names start with a letter: AWS rejects `_version` with `token: "_"`.
fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic()
}

fn is_ident_part(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Splits `src` into tokens; the last token is always [`Tok::Eof`].
pub fn lex(src: &str) -> Vec<Token> {
    let bytes = src.as_bytes();
    let mut tokens = Vec::new();
    let mut chars = src.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if matches!(c, ' ' | '\t' | '\r' | '\n') {
            continue;
        }
        let mut end = start + c.len_utf8();
        let mut take_while = |pred: fn(char) -> bool, end: &mut usize| {
            while let Some(&(i, d)) = chars.peek() {
                if !pred(d) {
                    break;
                }
                *end = i + d.len_utf8();
                chars.next();
            }
        };
        let tok = match c {
            c if is_ident_start(c) => {
                take_while(is_ident_part, &mut end);
                Tok::Ident
            }
            '0'..='9' => {
                take_while(|d| d.is_ascii_digit(), &mut end);
                Tok::Int
            }
            '#' | ':' => {
                take_while(is_ident_part, &mut end);
                match (end > start + 1, c) {
                    (false, _) => Tok::Sigil,
                    (true, '#') => Tok::Name,
                    (true, _) => Tok::Value,
                }
            }
            '(' => Tok::LParen,
            ')' => Tok::RParen,
            '[' => Tok::LBracket,
            ']' => Tok::RBracket,
            ',' => Tok::Comma,
            '.' => Tok::Dot,
            '=' => Tok::Eq,
            '+' => Tok::Plus,
            '-' => Tok::Minus,
            '<' | '>' => {
                let next = bytes.get(end).copied();
                let tok = match (c, next) {
                    ('<', Some(b'>')) => Some(Tok::Ne),
                    ('<', Some(b'=')) => Some(Tok::Le),
                    ('>', Some(b'=')) => Some(Tok::Ge),
                    _ => None,
                };
                match tok {
                    Some(t) => {
                        chars.next();
                        end += 1;
                        t
                    }
                    None if c == '<' => Tok::Lt,
                    None => Tok::Gt,
                }
            }
            _ => Tok::Unknown,
        };
        tokens.push(Token { tok, start, end });
    }
    tokens.push(Token {
        tok: Tok::Eof,
        start: src.len(),
        end: src.len(),
    });
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Tok> {
        lex(src).into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn lexes_operators_and_names() {
        assert_eq!(
            kinds("a.b[1] <> :v AND #n>=size(x)"),
            vec![
                Tok::Ident,
                Tok::Dot,
                Tok::Ident,
                Tok::LBracket,
                Tok::Int,
                Tok::RBracket,
                Tok::Ne,
                Tok::Value,
                Tok::Ident,
                Tok::Name,
                Tok::Ge,
                Tok::Ident,
                Tok::LParen,
                Tok::Ident,
                Tok::RParen,
                Tok::Eof
            ]
        );
    }

    #[test]
    fn unknown_characters_and_unicode_do_not_panic() {
        let src = "é = !'x\"";
        let toks = lex(src);
        assert_eq!(toks[0].tok, Tok::Unknown);
        assert_eq!(toks[0].text(src), "é");
        assert_eq!(toks.last().map(|t| t.tok.clone()), Some(Tok::Eof));
    }
}
