//! AWS's request-shape validation errors: `N validation error(s) detected: Value 'x' at
//! 'path' failed to satisfy constraint: Member must ...`, collected (at most 10) and
//! reported together.

use serde_json::Value;

use crate::error::DynamoError;

/// Collects constraint violations in the order AWS reports them.
#[derive(Debug, Default)]
pub struct Constraints {
    errors: Vec<String>,
}

/// How AWS prints a value inside a constraint message.
pub fn show(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "null".to_string(),
        Some(Value::String(s)) => format!("'{s}'"),
        Some(Value::Array(a)) => format!(
            "'[{}]'",
            a.iter()
                .map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Some(other) => format!("'{other}'"),
    }
}

impl Constraints {
    pub fn new() -> Self {
        Constraints::default()
    }

    /// Records a violation unless `ok`.
    pub fn check(&mut self, ok: bool, value: Option<&Value>, path: &str, constraint: &str) {
        if !ok && self.errors.len() < 10 {
            self.errors.push(format!(
                "Value {} at '{path}' failed to satisfy constraint: Member {constraint}",
                show(value)
            ));
        }
    }

    /// Records a violation worded in full by the caller.
    pub fn push(&mut self, message: impl Into<String>) {
        if self.errors.len() < 10 {
            self.errors.push(message.into());
        }
    }

    /// `Member must not be null`.
    pub fn not_null(&mut self, value: Option<&Value>, path: &str) {
        self.check(
            value.is_some_and(|v| !v.is_null()),
            value,
            path,
            "must not be null",
        );
    }

    /// `Member must satisfy enum value set: [..]` (absent values pass).
    pub fn one_of(&mut self, value: Option<&Value>, path: &str, allowed: &[&str]) {
        if let Some(Value::String(s)) = value {
            self.check(
                allowed.contains(&s.as_str()),
                value,
                path,
                &format!("must satisfy enum value set: [{}]", allowed.join(", ")),
            );
        }
    }

    /// Table and index names: pattern and length 3..=255.
    pub fn name(&mut self, value: Option<&Value>, path: &str, required: bool) {
        match value {
            Some(Value::String(s)) => {
                self.check(
                    s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-'),
                    value,
                    path,
                    "must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
                );
                self.check(
                    s.chars().count() >= 3,
                    value,
                    path,
                    "must have length greater than or equal to 3",
                );
                self.check(
                    s.chars().count() <= 255,
                    value,
                    path,
                    "must have length less than or equal to 255",
                );
            }
            _ if required => self.not_null(value, path),
            _ => {}
        }
    }

    /// A number bound: `Member must have value greater than or equal to N`.
    pub fn at_least(&mut self, value: Option<&Value>, path: &str, min: i64) {
        if let Some(Value::Number(n)) = value {
            let ok = n.as_f64().is_some_and(|v| v >= min as f64);
            self.check(
                ok,
                value,
                path,
                &format!("must have value greater than or equal to {min}"),
            );
        }
    }

    /// A number bound: `Member must have value less than or equal to N`.
    pub fn at_most(&mut self, value: Option<&Value>, path: &str, max: i64) {
        if let Some(Value::Number(n)) = value {
            let ok = n.as_f64().is_some_and(|v| v <= max as f64);
            self.check(
                ok,
                value,
                path,
                &format!("must have value less than or equal to {max}"),
            );
        }
    }

    /// A length bound on a string, list or map.
    pub fn length(&mut self, value: Option<&Value>, path: &str, min: usize, max: usize) {
        let len = match value {
            Some(Value::String(s)) => s.chars().count(),
            Some(Value::Array(a)) => a.len(),
            Some(Value::Object(o)) => o.len(),
            _ => return,
        };
        self.check(
            len >= min,
            value,
            path,
            &format!("must have length greater than or equal to {min}"),
        );
        self.check(
            len <= max,
            value,
            path,
            &format!("must have length less than or equal to {max}"),
        );
    }

    /// How many violations were recorded.
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// Whether nothing was recorded yet.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The collected error, if any.
    pub fn finish(self) -> Result<(), DynamoError> {
        if self.errors.is_empty() {
            return Ok(());
        }
        let n = self.errors.len();
        Err(DynamoError::new(
            "ValidationException",
            format!(
                "{n} validation error{} detected: {}",
                if n > 1 { "s" } else { "" },
                self.errors.join("; ")
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reports_like_aws() {
        let mut c = Constraints::new();
        c.name(Some(&json!("a!")), "tableName", true);
        assert_eq!(
            c.finish().unwrap_err().message,
            "2 validation errors detected: Value 'a!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value 'a!' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"
        );
        let mut c = Constraints::new();
        c.name(None, "tableName", true);
        assert_eq!(
            c.finish().unwrap_err().message,
            "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"
        );
    }
}
