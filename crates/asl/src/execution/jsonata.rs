//! JSONata fields and workflow variables in a running frame: evaluating a `{% %}` field
//! with `$states` and the frame's variables, and leaving a state (or a Choice rule, or a
//! catcher) through its `Assign` and `Output`. Both read the variables as they were when
//! the state was entered: a state's Output does not see its own Assign. Variables live
//! per frame: a Parallel branch or Map iteration starts with a copy of the outer ones
//! (shared until it assigns), so what it assigns stays inside it.

use super::frame::Fault;
use super::Execution;
use crate::definition::model::Assign;
use crate::jsonata::{Bindings, Field, QUERY_EVALUATION_ERROR};
use crate::jsonpath::Scope;
use crate::payload::to_text;
use serde_json::{Map, Value};
use std::sync::Arc;

/// What `$states` holds besides `input` and `context`.
#[derive(Clone, Copy, Default)]
pub(super) struct Extra<'a> {
    pub result: Option<&'a Value>,
    pub error_output: Option<&'a Value>,
}

impl Execution {
    /// The variables frame `id` sees.
    pub(super) fn variables(&self, id: usize) -> Arc<Map<String, Value>> {
        self.frames
            .get(id)
            .map(|f| f.variables.clone())
            .unwrap_or_default()
    }

    /// `$states` for frame `id`.
    pub(super) fn states_object(&self, id: usize, input: &Value, extra: Extra<'_>) -> Value {
        let mut m = Map::new();
        m.insert("input".into(), input.clone());
        m.insert("context".into(), self.context(id));
        if let Some(r) = extra.result {
            m.insert("result".into(), r.clone());
        }
        if let Some(e) = extra.error_output {
            m.insert("errorOutput".into(), e.clone());
        }
        Value::Object(m)
    }

    /// A `States.QueryEvaluationError` of frame `id` with AWS's prefix.
    pub(super) fn query_fault(&self, id: usize, cause: &str) -> Fault {
        Fault::new(
            QUERY_EVALUATION_ERROR,
            format!("{}{cause}", self.prefix(id)),
        )
    }

    /// The fault for a field whose expression gave a value of the wrong type.
    pub(super) fn unexpected_type(
        &self,
        id: usize,
        field: &Field,
        name: &str,
        expected: &str,
        v: &Value,
    ) -> Fault {
        let text = field.expression().map_or("", |e| e.text());
        self.query_fault(
            id,
            &format!(
                "The JSONata expression '{text}' specified for the field '{name}' returned an unexpected result type. Expected '{expected}', but was '{}' for value: {}",
                crate::payload::type_name(v),
                to_text(v)
            ),
        )
    }

    /// Evaluates a JSONata field of frame `id`'s state against `states`.
    pub(super) fn eval_field(
        &mut self,
        id: usize,
        field: &Field,
        name: &str,
        states: &Value,
    ) -> Result<Value, Fault> {
        if let Some(v) = field.literal() {
            return Ok(v.clone());
        }
        let variables = self.variables(id);
        let mut b = Bindings {
            states,
            variables: &variables,
            random: &mut self.random,
            now_millis: self.now,
        };
        let out = field.eval(name, &mut b);
        out.map_err(|cause| self.query_fault(id, &cause))
    }

    /// Leaves through `assign` and `output`: the output (`default` when there is no
    /// Output; in a JSONPath state `default` is also `$` for Assign's paths), with the
    /// assignments made.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn leave_with(
        &mut self,
        id: usize,
        jsonata: bool,
        assign: Option<&Assign>,
        output: Option<&Field>,
        input: &Value,
        extra: Extra<'_>,
        default: Arc<Value>,
    ) -> Result<Arc<Value>, Fault> {
        if assign.is_none() && output.is_none() {
            return Ok(default);
        }
        let states = jsonata.then(|| self.states_object(id, input, extra));
        let assigned = match assign {
            None => None,
            Some(Assign::Jsonata(f)) => {
                let states = states.as_ref().unwrap_or(&Value::Null);
                Some(self.eval_field(id, f, "Assign", states)?)
            }
            Some(Assign::Paths(tpl)) => {
                let ctx = self.context(id);
                let variables = self.variables(id);
                let scope = Scope {
                    input: &default,
                    context: &ctx,
                    variables: &*variables,
                };
                let v = tpl.apply_in(&scope, &mut self.random);
                Some(v.map_err(|e| self.payload_fault(id, e))?)
            }
        };
        let out = match (output, &states) {
            (Some(f), Some(states)) => Arc::new(self.eval_field(id, f, "Output", states)?),
            _ => default,
        };
        if let Some(Value::Object(values)) = assigned {
            self.check_assigned(id, &values)?;
            self.inspect(id, |i| {
                i.assigned = Some(Arc::new(Value::Object(values.clone())))
            });
            if let Some(f) = self.frames.get_mut(id) {
                f.pending.get_or_insert_with(Map::new).extend(values);
            }
        }
        Ok(out)
    }

    /// Makes the current state's assignments (when it leaves), or drops them (`keep`
    /// false: the state failed).
    /// Returns what was assigned when kept and the history is recorded (for the
    /// StateExited event).
    pub(super) fn settle_assignments(
        &mut self,
        id: usize,
        keep: bool,
    ) -> Option<Map<String, Value>> {
        let recorded = self.options.record_history;
        let f = self.frames.get_mut(id)?;
        let values = f.pending.take()?;
        if !keep {
            return None;
        }
        let vars = Arc::make_mut(&mut f.variables);
        if !recorded {
            vars.extend(values);
            return None;
        }
        for (k, v) in &values {
            vars.insert(k.clone(), v.clone());
        }
        Some(values)
    }

    /// AWS's size limits on what one state assigns.
    fn check_assigned(&self, id: usize, values: &Map<String, Value>) -> Result<(), Fault> {
        use crate::limits::MAX_VARIABLE_BYTES;
        // Usually far below the limit: bounded without writing any text.
        if crate::payload::texts_len_bound(values.values(), MAX_VARIABLE_BYTES).is_some() {
            return Ok(());
        }
        let mut total = 0;
        for (k, v) in values {
            let n = to_text(v).len();
            total += n;
            if n > MAX_VARIABLE_BYTES {
                return Err(Fault::new(
                    "States.Runtime",
                    format!(
                        "{}The variable '{k}' has a size exceeding the maximum number of bytes service limit.",
                        self.prefix(id)
                    ),
                ));
            }
        }
        if total > MAX_VARIABLE_BYTES {
            return Err(Fault::new(
                "States.Runtime",
                format!(
                    "{}The assigned variables have a size exceeding the maximum number of bytes service limit.",
                    self.prefix(id)
                ),
            ));
        }
        Ok(())
    }
}
