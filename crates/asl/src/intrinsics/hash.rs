//! `States.Hash(data, algorithm)`: MD5, SHA-1, SHA-256, SHA-384, SHA-512 as lowercase hex.

use super::eval::{fail, string_arg, Val};
use super::parse::Func;
use crate::error::Failure;
use serde_json::Value;
use sha2::Digest;

/// Longest data string accepted, in characters.
pub const MAX_HASH_INPUT_CHARS: usize = 10_000;

pub(crate) fn hash(args: &[Val]) -> Result<Value, Failure> {
    let f = Func::Hash;
    let data = string_arg(f, args, 0)?;
    let algorithm = string_arg(f, args, 1)?;
    let n = data.encode_utf16().count(); // Java String.length()
    if n > MAX_HASH_INPUT_CHARS {
        return Err(fail(
            f,
            format!("the data has {n} characters; at most {MAX_HASH_INPUT_CHARS} are allowed"),
        ));
    }
    let bytes = data.as_bytes();
    let digest: Vec<u8> = match algorithm {
        "MD5" => md5::Md5::digest(bytes).to_vec(),
        "SHA-1" => sha1::Sha1::digest(bytes).to_vec(),
        "SHA-256" => sha2::Sha256::digest(bytes).to_vec(),
        "SHA-384" => sha2::Sha384::digest(bytes).to_vec(),
        "SHA-512" => sha2::Sha512::digest(bytes).to_vec(),
        other => {
            return Err(fail(
                f,
                format!(
                    "the algorithm '{other}' is not supported; use MD5, SHA-1, SHA-256, SHA-384 or SHA-512"
                ),
            ))
        }
    };
    Ok(Value::String(
        digest.iter().map(|b| format!("{b:02x}")).collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{fails, give};
    use serde_json::json;

    #[test]
    fn hashes() {
        let h = |alg: &str, want: &str| {
            give(
                json!({"d": "input data", "a": alg}),
                "States.Hash($.d, $.a)",
                json!(want),
            )
        };
        h("MD5", "812f45842bc6d66ee14572ce20db8e86");
        h("SHA-1", "aaff4a450a104cd177d28d18d74485e8cae074b7");
        h(
            "SHA-256",
            "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3",
        );
        give(json!({}), "States.Hash('', 'SHA-384')", json!("38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b"));
        give(json!({}), "States.Hash('', 'SHA-512')", json!("cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"));
        fails(
            json!({}),
            "States.Hash('x', 'sha-256')",
            "States.IntrinsicFailure",
        );
        fails(
            json!({}),
            "States.Hash(1, 'MD5')",
            "States.IntrinsicFailure",
        );
    }
}
