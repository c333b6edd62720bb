//! `States.Base64Encode` and `States.Base64Decode` (standard alphabet, padded; inputs of at
//! most 10,000 characters).

use super::eval::{fail, string_arg, Val};
use super::parse::Func;
use crate::error::Failure;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::Value;

/// Longest input either function accepts, in characters.
pub const MAX_BASE64_INPUT_CHARS: usize = 10_000;

pub(crate) fn base64_encode(args: &[Val]) -> Result<Value, Failure> {
    let f = Func::Base64Encode;
    let s = string_arg(f, args, 0)?;
    check_len(f, s)?;
    Ok(Value::String(STANDARD.encode(s.as_bytes())))
}

pub(crate) fn base64_decode(args: &[Val]) -> Result<Value, Failure> {
    let f = Func::Base64Decode;
    let s = string_arg(f, args, 0)?;
    check_len(f, s)?;
    let bytes = STANDARD
        .decode(s.as_bytes())
        .map_err(|_| fail(f, "the input is not valid base64"))?;
    String::from_utf8(bytes)
        .map(Value::String)
        .map_err(|_| fail(f, "the decoded data is not valid UTF-8 text"))
}

fn check_len(f: Func, s: &str) -> Result<(), Failure> {
    let n = s.encode_utf16().count(); // Java String.length()
    if n > MAX_BASE64_INPUT_CHARS {
        return Err(fail(
            f,
            format!("the input has {n} characters; at most {MAX_BASE64_INPUT_CHARS} are allowed"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::tests::{fails, give};
    use serde_json::json;

    #[test]
    fn base64() {
        give(
            json!({"a": "Data to encode"}),
            "States.Base64Encode($.a)",
            json!("RGF0YSB0byBlbmNvZGU="),
        );
        give(
            json!({"a": "RGF0YSB0byBlbmNvZGU="}),
            "States.Base64Decode($.a)",
            json!("Data to encode"),
        );
        give(json!({}), "States.Base64Encode('')", json!(""));
        fails(
            json!({}),
            "States.Base64Decode('***')",
            "States.IntrinsicFailure",
        );
        fails(
            json!({}),
            "States.Base64Encode(1)",
            "States.IntrinsicFailure",
        );
        let long = "a".repeat(10_001);
        fails(
            json!({ "a": long }),
            "States.Base64Encode($.a)",
            "States.IntrinsicFailure",
        );
        let ok = "a".repeat(10_000);
        assert!(super::super::tests::run(json!({ "a": ok }), "States.Base64Encode($.a)").is_ok());
    }
}
