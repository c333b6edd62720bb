//! `States.Format` and the Java-style rendering it uses for non-string arguments
//! (`{a=1, b=[1, 2]}`, doubles as Java prints them: `1.0`, `1.0E20`).

use super::eval::{fail, Val};
use super::parse::Func;
use crate::error::Failure;
use serde_json::{Number, Value};

/// Deeper values render their innermost part as `...` instead of recursing further.
const MAX_RENDER_DEPTH: usize = 512;

/// `States.Format(template, args...)`: each `{}` takes the next argument; `\{`, `\}` are
/// literal braces in a string-literal template.
pub(crate) fn format(args: &[Val]) -> Result<Value, Failure> {
    let f = Func::Format;
    let Some((first, rest)) = args.split_first() else {
        return Err(fail(f, "the first argument must be a string template"));
    };
    let Value::String(template) = &*first.value else {
        return Err(fail(
            f,
            format!(
                "the first argument must be a string but was {}",
                super::eval::type_name(&first.value)
            ),
        ));
    };
    let escaped = first.raw.is_some();
    let text = first.raw.as_deref().unwrap_or(template);
    let mut pieces: Vec<String> = vec![String::new()];
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if escaped => match chars.next() {
                Some(e @ ('\'' | '{' | '}' | '\\')) => push(&mut pieces, e),
                Some('n') => push(&mut pieces, '\n'),
                Some('t') => push(&mut pieces, '\t'),
                Some('r') => push(&mut pieces, '\r'),
                Some(other) => {
                    push(&mut pieces, '\\');
                    push(&mut pieces, other);
                }
                None => push(&mut pieces, '\\'),
            },
            '{' if chars.peek() == Some(&'}') => {
                chars.next();
                pieces.push(String::new());
            }
            c => push(&mut pieces, c),
        }
    }
    let holes = pieces.len() - 1;
    if holes != rest.len() {
        return Err(fail(
            f,
            format!(
                "the template has {holes} placeholder{} but {} argument{} followed it",
                if holes == 1 { "" } else { "s" },
                rest.len(),
                if rest.len() == 1 { "" } else { "s" }
            ),
        ));
    }
    let mut out = String::new();
    for (i, piece) in pieces.iter().enumerate() {
        out.push_str(piece);
        if let Some(a) = rest.get(i) {
            java_string(&a.value, &mut out, 0);
        }
    }
    Ok(Value::String(out))
}

fn push(pieces: &mut [String], c: char) {
    if let Some(last) = pieces.last_mut() {
        last.push(c);
    }
}

/// Appends `v` as Java's `toString` of the equivalent Map/List/boxed value.
pub fn java_string(v: &Value, out: &mut String, depth: usize) {
    if depth > MAX_RENDER_DEPTH {
        out.push_str("...");
        return;
    }
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&java_number(n)),
        Value::String(s) => out.push_str(s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                java_string(item, out, depth + 1);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push('=');
                java_string(item, out, depth + 1);
            }
            out.push('}');
        }
    }
}

/// A number as Java prints an Integer/Long (plain) or a Double (`1.5`, `1.0`, `1.0E20`).
pub fn java_number(n: &Number) -> String {
    if n.is_i64() || n.is_u64() {
        return n.to_string();
    }
    let x = n.as_f64().unwrap_or(0.0);
    java_double(x)
}

/// Java's `Double.toString`.
pub fn java_double(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    let a = x.abs();
    if (1e-3..1e7).contains(&a) {
        let s = format!("{x}");
        if s.contains('.') {
            s
        } else {
            format!("{s}.0")
        }
    } else {
        let s = format!("{x:e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let mantissa = if mantissa.contains('.') {
            mantissa.to_string()
        } else {
            format!("{mantissa}.0")
        };
        format!("{mantissa}E{exp}")
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{fails, give};
    use super::*;
    use serde_json::json;

    #[test]
    fn formats() {
        give(
            json!({"a": "x"}),
            "States.Format('v={}', $.a)",
            json!("v=x"),
        );
        give(json!({}), "States.Format('plain')", json!("plain"));
        give(json!({}), "States.Format('\\{\\}{}', 1)", json!("{}1"));
        give(
            json!({}),
            "States.Format('it\\'s {}', 'me')",
            json!("it's me"),
        );
        give(
            json!({}),
            "States.Format('{} {} {}', null, true, 2.50)",
            json!("null true 2.5"),
        );
        give(
            json!({"o": {"a": 1, "b": [1, 2], "c": {"d": "e"}, "f": null}}),
            "States.Format('{}', $.o)",
            json!("{a=1, b=[1, 2], c={d=e}, f=null}"),
        );
        give(
            json!({"t": "{}-{}"}),
            "States.Format($.t, 1, 2)",
            json!("1-2"),
        );
        give(json!({}), "States.Format('{ {} }', 1)", json!("{ 1 }"));
        fails(
            json!({}),
            "States.Format('{} {}', 1)",
            "States.IntrinsicFailure",
        );
        fails(
            json!({}),
            "States.Format('x', 1)",
            "States.IntrinsicFailure",
        );
        fails(json!({}), "States.Format(1)", "States.IntrinsicFailure");
    }

    #[test]
    fn java_doubles() {
        assert_eq!(java_double(1.0), "1.0");
        assert_eq!(java_double(1.1), "1.1");
        assert_eq!(java_double(1e20), "1.0E20");
        assert_eq!(java_double(1.5e-5), "1.5E-5");
        assert_eq!(java_double(1234567.0), "1234567.0");
        assert_eq!(java_double(12345678.0), "1.2345678E7");
        assert_eq!(java_double(-0.001), "-0.001");
    }
}
