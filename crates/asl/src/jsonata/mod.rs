//! JSONata in states (`QueryLanguage: JSONata`): a field's value is JSON in which every
//! string `{% ... %}` is a JSONata expression. [`Field`] compiles such a value once, when
//! the definition is built, and evaluates it with `$states` (input, context, result,
//! errorOutput), the workflow variables the expressions name, and Step Functions' own
//! functions ([`functions`]). Failures carry AWS's `States.QueryEvaluationError` texts.

pub mod functions;
mod scan;

pub use scan::reads_context;

use crate::intrinsics::Random;
use serde_json::{Map, Value};
use statebox_jsonata::{Environment, JsonataError, Query};

/// `States.QueryEvaluationError`.
pub const QUERY_EVALUATION_ERROR: &str = "States.QueryEvaluationError";

/// A field's value with its `{% %}` expressions compiled.
#[derive(Debug, Clone)]
pub struct Field {
    source: Value,
    node: Node,
}

impl PartialEq for Field {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

#[derive(Debug, Clone)]
enum Node {
    Literal(Value),
    Expr(Box<Expr>),
    Object(Vec<(String, Node)>),
    Array(Vec<Node>),
}

/// One `{% ... %}` expression.
#[derive(Debug, Clone)]
pub struct Expr {
    /// The text between `{%` and `%}`, trimmed (as AWS quotes it in causes).
    text: String,
    query: Result<Query, JsonataError>,
    /// The `$names` the text mentions: only these variables are bound when it runs.
    names: Vec<String>,
    /// What it reads of `$states`: only that is bound.
    reads: scan::Reads,
}

/// True for a string `{% ... %}`.
pub fn is_expression(text: &str) -> bool {
    let t = text.trim();
    t.len() >= 4 && t.starts_with("{%") && t.ends_with("%}")
}

/// What an evaluation sees besides the expression.
pub struct Bindings<'a> {
    /// `$states`: `input`, `context`, and `result` / `errorOutput` where they exist.
    pub states: &'a Value,
    /// The workflow variables visible to the state.
    pub variables: &'a Map<String, Value>,
    pub random: &'a mut dyn Random,
    /// The execution's clock (epoch milliseconds): what `$now()` and `$millis()` read, so a
    /// run replays the same and a virtual clock is seen as the workflow's time.
    pub now_millis: i64,
}

impl Field {
    /// Compiles `value`: strings `{% ... %}` anywhere in it become expressions.
    pub fn new(value: &Value) -> Field {
        Field {
            source: value.clone(),
            node: compile(value, 0),
        }
    }

    /// The value as written.
    pub fn source(&self) -> &Value {
        &self.source
    }

    /// The value when it holds no expression.
    pub fn literal(&self) -> Option<&Value> {
        match &self.node {
            Node::Literal(v) => Some(v),
            _ => None,
        }
    }

    /// The expression when the whole value is one `{% %}` string.
    pub fn expression(&self) -> Option<&Expr> {
        match &self.node {
            Node::Expr(e) => Some(e),
            _ => None,
        }
    }

    /// Every expression's syntax error, with the field path it sits at.
    pub fn syntax_errors(&self, field: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        collect_errors(&self.node, field, &mut out);
        out
    }

    /// Evaluates the value; `field` names it in causes (`Output`, `Assign/x`, ...). The
    /// error is the cause text without the state prefix.
    pub fn eval(&self, field: &str, b: &mut Bindings<'_>) -> Result<Value, String> {
        eval(&self.node, field, b)
    }
}

fn compile(value: &Value, depth: usize) -> Node {
    if depth > crate::limits::MAX_JSON_DEPTH || !has_expression(value, 0) {
        return Node::Literal(value.clone());
    }
    match value {
        Value::String(s) if is_expression(s) => Node::Expr(Box::new(Expr::new(s))),
        Value::Object(m) => Node::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), compile(v, depth + 1)))
                .collect(),
        ),
        Value::Array(items) => Node::Array(items.iter().map(|v| compile(v, depth + 1)).collect()),
        other => Node::Literal(other.clone()),
    }
}

fn has_expression(value: &Value, depth: usize) -> bool {
    if depth > crate::limits::MAX_JSON_DEPTH {
        return false;
    }
    match value {
        Value::String(s) => is_expression(s),
        Value::Object(m) => m.values().any(|v| has_expression(v, depth + 1)),
        Value::Array(items) => items.iter().any(|v| has_expression(v, depth + 1)),
        _ => false,
    }
}

fn collect_errors(node: &Node, field: &str, out: &mut Vec<(String, String)>) {
    match node {
        Node::Literal(_) => {}
        Node::Expr(e) => {
            if let Err(err) = &e.query {
                out.push((
                    field.to_string(),
                    format!("{}: {}", err.code(), err.message()),
                ));
            }
        }
        Node::Object(entries) => {
            for (k, n) in entries {
                collect_errors(n, &format!("{field}/{k}"), out);
            }
        }
        Node::Array(items) => {
            for (i, n) in items.iter().enumerate() {
                collect_errors(n, &format!("{field}[{i}]"), out);
            }
        }
    }
}

fn eval(node: &Node, field: &str, b: &mut Bindings<'_>) -> Result<Value, String> {
    match node {
        Node::Literal(v) => Ok(v.clone()),
        Node::Expr(e) => e.eval(field, b),
        Node::Object(entries) => {
            let mut out = Map::with_capacity(entries.len());
            for (k, n) in entries {
                out.insert(k.clone(), eval(n, &format!("{field}/{k}"), b)?);
            }
            Ok(Value::Object(out))
        }
        Node::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, n)| eval(n, &format!("{field}[{i}]"), b))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
    }
}

impl Expr {
    fn new(source: &str) -> Expr {
        let t = source.trim();
        let text = t[2..t.len() - 2].trim().to_string();
        let query = Query::parse(&text);
        let (names, reads) = scan::scan(&text);
        Expr {
            names,
            reads,
            query,
            text,
        }
    }

    /// The expression as written between `{%` and `%}`.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Evaluates; `undefined` is an error, as on AWS.
    pub fn eval(&self, field: &str, b: &mut Bindings<'_>) -> Result<Value, String> {
        self.eval_optional(field, b)?.ok_or_else(|| {
            format!(
                "The JSONata expression '{}' specified for the field '{field}' returned nothing (undefined).",
                self.text
            )
        })
    }

    /// Evaluates; `None` for undefined.
    pub fn eval_optional(
        &self,
        field: &str,
        b: &mut Bindings<'_>,
    ) -> Result<Option<Value>, String> {
        let query = match &self.query {
            Ok(q) => q,
            Err(e) => return Err(self.failed(field, e)),
        };
        let mut env = Environment::new();
        env.data_only();
        for name in &self.names {
            if name == "states" {
                env.bind("states", &self.reads.prune(b.states));
            } else if let Some(v) = b.variables.get(name) {
                env.bind(name, v);
            }
        }
        functions::install(&mut env, &self.names, b.random, b.now_millis);
        query.evaluate(None, &env).map_err(|e| match e {
            JsonataError::NotData => format!(
                "The JSONata expression '{}' specified for the field '{field}' returned an unsupported result type.",
                self.text
            ),
            e => self.failed(field, &e),
        })
    }

    fn failed(&self, field: &str, e: &JsonataError) -> String {
        format!(
            "The JSONata expression '{}' specified for the field '{field}' threw an error during evaluation. {}: {}",
            self.text,
            e.code(),
            e.message()
        )
    }
}

pub use crate::payload::type_name;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::SeededRandom;
    use serde_json::json;

    fn run(field: Value, states: Value, vars: Value) -> Result<Value, String> {
        let vars = vars.as_object().cloned().unwrap_or_default();
        let mut random = SeededRandom::new(7);
        let mut b = Bindings {
            states: &states,
            variables: &vars,
            random: &mut random,
            now_millis: 1_700_000_000_123,
        };
        Field::new(&field).eval("Output", &mut b)
    }

    #[test]
    fn expressions_anywhere_in_the_value_are_evaluated() {
        let out = run(
            json!({"a": "{% $states.input.x + 1 %}", "b": ["{% $y %}", 2], "c": "plain"}),
            json!({"input": {"x": 41}}),
            json!({"y": "v"}),
        );
        assert_eq!(out, Ok(json!({"a": 42, "b": ["v", 2], "c": "plain"})));
    }

    #[test]
    fn the_clock_is_the_executions() {
        let out = run(
            json!("{% [$now(), $millis(), $millis() = $millis()] %}"),
            json!({}),
            json!({}),
        );
        assert_eq!(
            out,
            Ok(json!([
                "2023-11-14T22:13:20.123Z",
                1_700_000_000_123u64,
                true
            ]))
        );
    }

    #[test]
    fn undefined_and_functions_fail_with_aws_causes() {
        let e = run(json!({"r": "{% $nope %}"}), json!({}), json!({})).unwrap_err();
        assert_eq!(e, "The JSONata expression '$nope' specified for the field 'Output/r' returned nothing (undefined).");
        let e = run(json!("{% function($x){$x} %}"), json!({}), json!({})).unwrap_err();
        assert!(e.ends_with("returned an unsupported result type."), "{e}");
    }
}
