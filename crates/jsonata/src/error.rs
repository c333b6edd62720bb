//! The crate's error: a JSONata error with the reference implementation's code.

use thiserror::Error;

/// Why an expression could not be parsed or evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum JsonataError {
    /// The expression is not valid JSONata (codes `S0xxx`).
    #[error("{code}: {message}")]
    Syntax { code: String, message: String },
    /// Evaluation failed (codes `T`, `D` and `U`; `D1012` for the time limit, `U1001` for
    /// the depth limit), or a host function refused its arguments.
    #[error("{code}: {message}")]
    Evaluation { code: String, message: String },
    /// The result is a function, refused by [`crate::Environment::data_only`].
    #[error("the expression returned a function, which is not data")]
    NotData,
}

impl JsonataError {
    /// The reference implementation's error code (`T2001`, `S0201`, ...).
    pub fn code(&self) -> &str {
        match self {
            JsonataError::Syntax { code, .. } | JsonataError::Evaluation { code, .. } => code,
            JsonataError::NotData => "",
        }
    }

    /// The message without the code.
    pub fn message(&self) -> &str {
        match self {
            JsonataError::Syntax { message, .. } | JsonataError::Evaluation { message, .. } => {
                message
            }
            JsonataError::NotData => "the expression returned a function, which is not data",
        }
    }
}

/// The code in an engine message such as "Type error: T2002: The right side ...": the first
/// word of a capital letter and four digits.
pub(crate) fn code_in(text: &str) -> Option<(String, String)> {
    let bytes = text.as_bytes();
    for i in 0..bytes.len().saturating_sub(4) {
        let word_start = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let looks =
            bytes[i].is_ascii_uppercase() && bytes[i + 1..i + 5].iter().all(u8::is_ascii_digit);
        let word_end = bytes.get(i + 5).is_none_or(|b| !b.is_ascii_alphanumeric());
        if word_start && looks && word_end {
            let rest = text[i + 5..].trim_start_matches(':').trim();
            return Some((text[i..i + 5].to_string(), rest.to_string()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_found_in_engine_messages() {
        let (code, message) =
            code_in("Type error: T2002: The right side must be a number").unwrap();
        assert_eq!(code, "T2002");
        assert_eq!(message, "The right side must be a number");
        assert_eq!(code_in("no code here").map(|c| c.0), None);
        assert_eq!(code_in("XT2002 is not a code").map(|c| c.0), None);
    }
}
