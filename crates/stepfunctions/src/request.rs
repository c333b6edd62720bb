//! Reading a request's members with AWS's answers for missing, mistyped and out-of-range
//! ones (`ValidationException` / `SerializationException` wording).

use crate::error::SfnError;
use serde_json::Value;

/// A request body (a JSON object).
#[derive(Clone, Copy)]
pub struct Members<'a>(pub &'a Value);

impl<'a> Members<'a> {
    fn get(&self, name: &str) -> Option<&'a Value> {
        self.0.get(name).filter(|v| !v.is_null())
    }

    /// A string member, if present.
    pub fn string(&self, name: &str) -> Result<Option<&'a str>, SfnError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(mistyped(name, "a string", other)),
        }
    }

    /// A string member that must be present.
    pub fn required(&self, name: &str) -> Result<&'a str, SfnError> {
        self.string(name)?.ok_or_else(|| SfnError::missing(name))
    }

    /// A string member that must be present and at most `max` characters long.
    pub fn bounded(&self, name: &str, max: usize) -> Result<&'a str, SfnError> {
        let value = self.required(name)?;
        check_length(name, value, max)?;
        Ok(value)
    }

    /// A boolean member, false when absent.
    pub fn flag(&self, name: &str) -> Result<bool, SfnError> {
        match self.get(name) {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(other) => Err(mistyped(name, "a boolean", other)),
        }
    }

    /// `maxResults`: 0 or absent means `default`; above 1000 is refused as AWS refuses it.
    pub fn max_results(&self, default: usize) -> Result<usize, SfnError> {
        let n = match self.get("maxResults") {
            None => return Ok(default),
            Some(Value::Number(n)) => n
                .as_i64()
                .ok_or_else(|| mistyped("maxResults", "an integer", &Value::Number(n.clone())))?,
            Some(other) => return Err(mistyped("maxResults", "an integer", other)),
        };
        if n > 1000 {
            return Err(SfnError::constraint(
                "maxResults",
                n,
                "Member must have value less than or equal to 1000",
            ));
        }
        if n < 0 {
            return Err(SfnError::constraint(
                "maxResults",
                n,
                "Member must have value greater than or equal to 0",
            ));
        }
        Ok(if n == 0 { default } else { n as usize })
    }

    /// An array member (empty when absent).
    pub fn list(&self, name: &str) -> Result<&'a [Value], SfnError> {
        match self.get(name) {
            None => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(other) => Err(mistyped(name, "a list", other)),
        }
    }

    /// An object member, if present.
    pub fn object(&self, name: &str) -> Result<Option<Members<'a>>, SfnError> {
        match self.get(name) {
            None => Ok(None),
            Some(v @ Value::Object(_)) => Ok(Some(Members(v))),
            Some(other) => Err(mistyped(name, "a structure", other)),
        }
    }
}

/// The optional `error` (at most 256 characters) and `cause` (at most 32,768) of a
/// StopExecution or SendTaskFailure request.
pub fn error_and_cause(m: &Members<'_>) -> Result<(Option<String>, Option<String>), SfnError> {
    let error = m.string("error")?.map(String::from);
    let cause = m.string("cause")?.map(String::from);
    if let Some(e) = &error {
        check_length("error", e, 256)?;
    }
    if let Some(c) = &cause {
        check_length("cause", c, 32_768)?;
    }
    Ok((error, cause))
}

/// Refuses a string longer than `max` characters.
pub fn check_length(name: &str, value: &str, max: usize) -> Result<(), SfnError> {
    if value.chars().count() > max {
        return Err(SfnError::constraint(
            name,
            value,
            &format!("Member must have length less than or equal to {max}"),
        ));
    }
    Ok(())
}

fn mistyped(name: &str, expected: &str, got: &Value) -> SfnError {
    let kind = match got {
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
        Value::Null => "null",
    };
    SfnError::Serialization {
        message: format!("'{name}' must be {expected}, not {kind}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn answers_as_aws_for_bad_members() {
        let body = json!({"name": 3, "maxResults": 1001});
        let m = Members(&body);
        assert_eq!(
            m.required("x").unwrap_err().type_name(),
            "ValidationException"
        );
        assert_eq!(
            m.required("name").unwrap_err().type_name(),
            "SerializationException"
        );
        assert_eq!(
            m.max_results(100).unwrap_err().to_string(),
            "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy \
             constraint: Member must have value less than or equal to 1000"
        );
        assert_eq!(Members(&json!({})).max_results(100).unwrap(), 100);
    }
}
