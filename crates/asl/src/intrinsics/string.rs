//! `States.StringSplit(text, delimiters)`: splits on any of the delimiter's characters and
//! drops empty pieces (Java's `StringTokenizer`).

use super::eval::{string_arg, Val};
use super::parse::Func;
use crate::error::Failure;
use serde_json::Value;

pub(crate) fn split(args: &[Val]) -> Result<Value, Failure> {
    let f = Func::StringSplit;
    let text = string_arg(f, args, 0)?;
    let delims = string_arg(f, args, 1)?;
    Ok(Value::Array(
        text.split(|c| delims.contains(c))
            .filter(|s| !s.is_empty())
            .map(|s| Value::String(s.to_string()))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{fails, give};
    use serde_json::json;

    #[test]
    fn splits() {
        give(
            json!({}),
            "States.StringSplit('a,b,,c', ',')",
            json!(["a", "b", "c"]),
        );
        give(json!({}), "States.StringSplit(',,,,', ',')", json!([]));
        give(
            json!({}),
            "States.StringSplit('This.is+a,test=string', '.+,=')",
            json!(["This", "is", "a", "test", "string"]),
        );
        give(json!({}), "States.StringSplit('abc', '')", json!(["abc"]));
        give(json!({}), "States.StringSplit('', ',')", json!([]));
        fails(
            json!({}),
            "States.StringSplit(1, ',')",
            "States.IntrinsicFailure",
        );
    }
}
