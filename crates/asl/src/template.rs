//! Parameters / ResultSelector / ItemSelector templates, compiled once when the definition
//! is built: every `.$` expression is parsed ahead of time and the parts without one are
//! kept as ready values, so running a template (every loop iteration, every Map item) only
//! evaluates and copies. The result and the errors are those of
//! [`apply_template`](crate::payload::apply_template), which evaluates a plain value.

use crate::intrinsics::Random;
use crate::jsonpath::Scope;
use crate::payload::{eval_compiled, Compiled, PayloadError};
use serde_json::{Map, Value};
use std::ops::Deref;

/// A template as written (it reads as the `Value`), with its compiled form.
#[derive(Debug, Clone)]
pub struct Template {
    source: Value,
    node: Node,
}

#[derive(Debug, Clone)]
enum Node {
    /// A part without `.$` fields: copied as is.
    Literal(Value),
    /// An object: (output key, part) in order.
    Object(Vec<(String, Node)>),
    Array(Vec<Node>),
    /// A `key.$` string: its output key is the key without `.$`.
    Dynamic {
        key: String,
        expr: String,
        compiled: Box<Compiled>,
    },
    /// Nested beyond the depth a template may have.
    TooDeep,
}

impl Template {
    /// Compiles `source`.
    pub fn new(source: Value) -> Template {
        let node = compile(&source, 0);
        Template { source, node }
    }

    /// Evaluates the template against `input` (`$`) and `context` (`$$`).
    pub fn apply(
        &self,
        input: &Value,
        context: &Value,
        random: &mut dyn Random,
    ) -> Result<Value, PayloadError> {
        apply(&self.node, &Scope::new(input, context), random)
    }

    /// [`Template::apply`] with workflow variables (`"x.$": "$name.field"`).
    pub fn apply_in(
        &self,
        scope: &Scope<'_>,
        random: &mut dyn Random,
    ) -> Result<Value, PayloadError> {
        apply(&self.node, scope, random)
    }
}

impl Deref for Template {
    type Target = Value;
    fn deref(&self) -> &Value {
        &self.source
    }
}

impl PartialEq for Template {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

/// True when `v` holds no `.$` field and nests at most `remaining` more levels.
fn is_literal(v: &Value, remaining: usize) -> bool {
    match v {
        Value::Object(m) => {
            remaining > 0
                && m.iter().all(|(k, c)| {
                    !(k.ends_with(".$") && c.is_string()) && is_literal(c, remaining - 1)
                })
        }
        Value::Array(items) => remaining > 0 && items.iter().all(|c| is_literal(c, remaining - 1)),
        _ => true,
    }
}

fn compile(v: &Value, depth: usize) -> Node {
    let max = crate::limits::MAX_JSON_DEPTH;
    if depth > max {
        return Node::TooDeep;
    }
    if is_literal(v, max - depth) {
        return Node::Literal(v.clone());
    }
    match v {
        Value::Object(m) => Node::Object(
            m.iter()
                .map(|(k, c)| match (k.strip_suffix(".$"), c) {
                    (Some(name), Value::String(expr)) => (
                        name.to_string(),
                        Node::Dynamic {
                            key: k.clone(),
                            expr: expr.clone(),
                            compiled: Box::new(Compiled::parse(expr)),
                        },
                    ),
                    _ => (k.clone(), compile(c, depth + 1)),
                })
                .collect(),
        ),
        Value::Array(items) => Node::Array(items.iter().map(|c| compile(c, depth + 1)).collect()),
        other => Node::Literal(other.clone()),
    }
}

fn apply(node: &Node, scope: &Scope<'_>, random: &mut dyn Random) -> Result<Value, PayloadError> {
    match node {
        Node::Literal(v) => Ok(v.clone()),
        Node::Object(entries) => {
            let mut out = Map::with_capacity(entries.len());
            for (k, part) in entries {
                let value = match part {
                    Node::Dynamic {
                        key,
                        expr,
                        compiled,
                    } => eval_compiled(key, expr, compiled, scope, random)?,
                    other => apply(other, scope, random)?,
                };
                out.insert(k.clone(), value);
            }
            Ok(Value::Object(out))
        }
        Node::Array(items) => items
            .iter()
            .map(|c| apply(c, scope, random))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        // Only an object holds dynamic parts; this is never reached from the root.
        Node::Dynamic { .. } => Ok(Value::Null),
        Node::TooDeep => Err(PayloadError::Runtime(
            "The template is nested too deeply".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload::apply_template;
    use crate::random::SeededRandom;
    use serde_json::json;

    /// The compiled template gives what evaluating the plain value gives, errors included.
    fn same(template: Value, input: Value) {
        let ctx = json!({"Execution": {"Id": "x"}});
        let compiled = Template::new(template.clone());
        let a = compiled.apply(&input, &ctx, &mut SeededRandom::new(1));
        let b = apply_template(&template, &input, &ctx, &mut SeededRandom::new(1));
        assert_eq!(a, b, "{template}");
        if let (Ok(a), Ok(b)) = (&a, &b) {
            assert_eq!(a.to_string(), b.to_string());
        }
    }

    #[test]
    fn matches_the_interpreted_template() {
        // Deep values recurse when built, compared and dropped: give them room.
        std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn(cases)
            .unwrap()
            .join()
            .unwrap();
    }

    fn cases() {
        let input = json!({"a": 1, "b": [1, 2], "s": "x"});
        same(
            json!({"x.$": "$.a", "y": {"z.$": "$.b[0]", "k": [1, {"w.$": "$.s"}]}, "l": 3}),
            input.clone(),
        );
        same(
            json!({"n.$": "States.MathAdd($.a, 1)", "c.$": "$$.Execution.Id"}),
            input.clone(),
        );
        same(json!({"x.$": 5, "y.$": "$.missing"}), input.clone());
        same(
            json!({"bad.$": "$..[", "x.$": "States.Nope()"}),
            input.clone(),
        );
        same(
            json!({"a": 1, "a.$": "$.s", "b.$": "$.a", "b": 2}),
            input.clone(),
        );
        same(json!([{"x.$": "$.a"}, 1]), input.clone());
        same(json!("plain"), input.clone());
        let mut deep = json!({"x.$": "$.a"});
        for _ in 0..600 {
            deep = json!({"d": deep});
        }
        same(deep, input.clone());
        let mut deep = json!(1);
        for _ in 0..600 {
            deep = json!([deep]);
        }
        same(json!({"x.$": "$.a", "d": deep}), input);
    }
}
