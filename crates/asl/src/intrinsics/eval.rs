//! Evaluation: resolves arguments (literals, paths, nested calls), then dispatches to the
//! function modules. Argument helpers here give every function the same type checks and
//! failure wording.

use super::parse::{Arg, Call, Func};
use super::{array, encode, format, hash, json, math, string, uuid, Random};
use crate::error::Failure;
use crate::jsonpath::{render, Scope};
use serde_json::Value;
use std::borrow::Cow;

/// The error name of a failed intrinsic.
pub const INTRINSIC_FAILURE: &str = "States.IntrinsicFailure";

/// What arguments resolve against.
pub(crate) struct Env<'a> {
    pub scope: Scope<'a>,
    /// The `.$` field holding the call, for AWS's "could not be found" cause.
    pub field: Option<&'a str>,
    pub random: &'a mut dyn Random,
}

/// An evaluated argument, with the string form of a literal kept for Format.
pub(crate) struct Val<'a> {
    pub value: Cow<'a, Value>,
    /// For string literals: the text with escapes kept.
    pub raw: Option<String>,
}

/// A `States.IntrinsicFailure` naming the function.
pub(crate) fn fail(func: Func, message: impl std::fmt::Display) -> Failure {
    Failure::new(
        INTRINSIC_FAILURE,
        format!("Invalid arguments in {}: {message}", func.name()),
    )
}

/// The cause when a path argument finds nothing.
pub fn missing_path_cause(path: &str, input: &Value) -> String {
    format!(
        "The JSONPath '{path}' could not be found in the input '{}'",
        render::json(input)
    )
}

/// Calls with at most this many arguments keep them on the stack (no allocation).
const INLINE_ARGS: usize = 4;

pub(crate) fn eval<'a>(call: &'a Call, env: &mut Env<'a>) -> Result<Value, Failure> {
    let n = call.args.len();
    if n <= INLINE_ARGS {
        let mut args: [Val<'a>; INLINE_ARGS] = std::array::from_fn(|_| Val {
            value: Cow::Owned(Value::Null),
            raw: None,
        });
        for (slot, arg) in args.iter_mut().zip(&call.args) {
            *slot = resolve(arg, env)?;
        }
        dispatch(call.func, &mut args[..n], env)
    } else {
        let mut args = call
            .args
            .iter()
            .map(|arg| resolve(arg, env))
            .collect::<Result<Vec<_>, _>>()?;
        dispatch(call.func, &mut args, env)
    }
}

/// One argument's value.
fn resolve<'a>(arg: &'a Arg, env: &mut Env<'a>) -> Result<Val<'a>, Failure> {
    Ok(match arg {
        Arg::Str { value, raw } => Val {
            value: Cow::Owned(Value::String(value.clone())),
            raw: Some(raw.clone()),
        },
        Arg::Literal(v) => Val {
            value: Cow::Borrowed(v),
            raw: None,
        },
        Arg::Path(p) => match p.select_ref_in(&env.scope) {
            Some(value) => Val { value, raw: None },
            None => {
                let cause = match env.field {
                    Some(field) => {
                        render::field_not_found_cause(p.as_str(), field, env.scope.input)
                    }
                    None => missing_path_cause(p.as_str(), env.scope.input),
                };
                return Err(Failure::new("States.Runtime", cause));
            }
        },
        Arg::Call(inner) => Val {
            value: Cow::Owned(eval(inner, env)?),
            raw: None,
        },
    })
}

fn dispatch(f: Func, args: &mut [Val<'_>], env: &mut Env<'_>) -> Result<Value, Failure> {
    match f {
        Func::Format => format::format(args),
        Func::StringToJson => json::string_to_json(args),
        Func::JsonToString => Ok(Value::String(render::json(&args_value(args, 0)))),
        Func::Array => Ok(Value::Array(
            args.iter_mut()
                .map(|a| std::mem::take(&mut a.value).into_owned())
                .collect(),
        )),
        Func::ArrayPartition => array::partition(args),
        Func::ArrayContains => array::contains(args),
        Func::ArrayRange => array::range(args),
        Func::ArrayGetItem => array::get_item(args),
        Func::ArrayLength => array::length(args),
        Func::ArrayUnique => array::unique(args),
        Func::Base64Encode => encode::base64_encode(args),
        Func::Base64Decode => encode::base64_decode(args),
        Func::Hash => hash::hash(args),
        Func::JsonMerge => json::merge(args),
        Func::MathRandom => math::random(args, env.random),
        Func::MathAdd => math::add(args),
        Func::StringSplit => string::split(args),
        Func::Uuid => Ok(Value::String(uuid::v4(env.random))),
    }
}

fn args_value(args: &[Val], i: usize) -> Value {
    args.get(i)
        .map(|a| a.value.as_ref().clone())
        .unwrap_or(Value::Null)
}

/// The `i`th argument (arity is checked at parse time, so absence is a null).
pub(crate) fn arg<'a>(args: &'a [Val<'_>], i: usize) -> &'a Value {
    static NULL: Value = Value::Null;
    args.get(i).map_or(&NULL, |a| &*a.value)
}

/// Ordinal words for messages ("first argument").
pub(crate) fn nth(i: usize) -> &'static str {
    ["first", "second", "third", "fourth"]
        .get(i)
        .copied()
        .unwrap_or("next")
}

pub(crate) use crate::payload::type_name;

pub(crate) fn string_arg<'a>(f: Func, args: &'a [Val<'_>], i: usize) -> Result<&'a str, Failure> {
    match arg(args, i) {
        Value::String(s) => Ok(s),
        other => Err(fail(
            f,
            format!(
                "the {} argument must be a string but was {}",
                nth(i),
                type_name(other)
            ),
        )),
    }
}

pub(crate) fn array_arg<'a>(
    f: Func,
    args: &'a [Val<'_>],
    i: usize,
) -> Result<&'a Vec<Value>, Failure> {
    match arg(args, i) {
        Value::Array(a) => Ok(a),
        other => Err(fail(
            f,
            format!(
                "the {} argument must be an array but was {}",
                nth(i),
                type_name(other)
            ),
        )),
    }
}

/// An integer argument: a JSON number with no fractional part, within i64.
pub(crate) fn int_arg(f: Func, args: &[Val], i: usize) -> Result<i64, Failure> {
    let v = arg(args, i);
    let n = match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|x| x.fract() == 0.0 && x.abs() < 9.2e18)
                .map(|x| x as i64)
        }),
        _ => None,
    };
    n.ok_or_else(|| {
        fail(
            f,
            format!(
                "the {} argument must be an integer but was {}",
                nth(i),
                render::json(v)
            ),
        )
    })
}
