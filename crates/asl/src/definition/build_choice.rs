//! Building Choice rules: And/Or/Not, every comparison operator and its `...Path` form,
//! JSONata `Condition`s, literal type checks.

use super::build::{is_variable_reference, Builder};
use super::model::*;
use crate::diagnostic::{codes, pointer_join, Diagnostic};
use crate::limits::MAX_NESTING_DEPTH;
use serde_json::{Map, Value};
use std::sync::Arc;

impl Builder {
    pub(super) fn choice(
        &mut self,
        obj: &Map<String, Value>,
        ptr: &str,
        ql: QueryLanguage,
    ) -> ChoiceState {
        let mut st = ChoiceState {
            default: self.opt_string(obj, ptr, "Default").map(Arc::from),
            ..ChoiceState::default()
        };
        let cptr = pointer_join(ptr, "Choices");
        match obj.get("Choices") {
            Some(Value::Array(items)) if !items.is_empty() => {
                for (i, item) in items.iter().enumerate() {
                    let iptr = format!("{cptr}/{i}");
                    let next = match item.get("Next") {
                        Some(Value::String(n)) => Arc::from(n.as_str()),
                        _ => {
                            self.schema(&iptr, "These fields are required: [Next]");
                            Arc::from("")
                        }
                    };
                    if ql == QueryLanguage::JSONata {
                        if let Some(o) = item.as_object() {
                            self.unknown_fields_in(
                                o,
                                &iptr,
                                &[
                                    "Condition",
                                    "Next",
                                    "Assign",
                                    "Output",
                                    "Comment",
                                    "Variable",
                                ],
                                ql,
                            );
                            match o.get("Condition") {
                                Some(c @ (Value::String(_) | Value::Bool(_))) => {
                                    let condition = Condition::Jsonata(self.field(
                                        c,
                                        &pointer_join(&iptr, "Condition"),
                                        "Condition",
                                    ));
                                    let assign = self.assign(o, &iptr, ql);
                                    let output = self.jsonata_field(o, &iptr, "Output", ql);
                                    st.choices.push(ChoiceRule {
                                        condition,
                                        next,
                                        assign,
                                        output,
                                    });
                                }
                                _ => self.schema(&iptr, "These fields are required: [Condition]"),
                            }
                        }
                        continue;
                    }
                    if let Some(condition) = self.condition(item, &iptr, true, 0) {
                        let assign = item.as_object().and_then(|o| self.assign(o, &iptr, ql));
                        st.choices.push(ChoiceRule {
                            condition,
                            next,
                            assign,
                            output: None,
                        });
                    }
                }
            }
            Some(_) => self.schema(&cptr, "The field 'Choices' must be a non-empty array"),
            None => self.schema(ptr, "These fields are required: [Choices]"),
        }
        st
    }

    fn condition(&mut self, v: &Value, ptr: &str, top: bool, depth: usize) -> Option<Condition> {
        let Some(o) = v.as_object() else {
            self.schema(ptr, "A choice rule must be an object");
            return None;
        };
        if depth > MAX_NESTING_DEPTH * 4 {
            self.diagnostics.push(Diagnostic::new(
                codes::TOO_DEEPLY_NESTED,
                "The choice rule is too deeply nested",
                ptr,
            ));
            return None;
        }
        if !top && o.contains_key("Next") {
            self.schema(
                &pointer_join(ptr, "Next"),
                "The field \"Next\" is not supported by Step Functions in a nested choice rule",
            );
        }
        for k in ["And", "Or"] {
            if let Some(list) = o.get(k) {
                self.unknown_fields(o, ptr, &[k, "Next", "Comment", "Assign"]);
                let Some(items) = list.as_array().filter(|a| !a.is_empty()) else {
                    self.schema(
                        &pointer_join(ptr, k),
                        format!("The field '{k}' must be a non-empty array"),
                    );
                    return None;
                };
                let mut conds = Vec::new();
                for (i, it) in items.iter().enumerate() {
                    conds.extend(self.condition(it, &format!("{ptr}/{k}/{i}"), false, depth + 1));
                }
                return Some(if k == "And" {
                    Condition::And(conds)
                } else {
                    Condition::Or(conds)
                });
            }
        }
        if let Some(inner) = o.get("Not") {
            self.unknown_fields(o, ptr, &["Not", "Next", "Comment", "Assign"]);
            let c = self.condition(inner, &pointer_join(ptr, "Not"), false, depth + 1)?;
            return Some(Condition::Not(Box::new(c)));
        }
        let mut found: Vec<(&str, Comparison, bool)> = Vec::new();
        for (name, op) in Comparison::ALL {
            if o.contains_key(name) {
                found.push((name, op, false));
            }
            if !op.is_type_test() {
                let pname = format!("{name}Path");
                if o.contains_key(&pname) {
                    found.push((name, op, true));
                }
            }
        }
        let mut allowed: Vec<String> = vec!["Variable".into(), "Next".into(), "Comment".into()];
        if top {
            allowed.push("Assign".into());
        }
        for (name, _, is_path) in &found {
            allowed.push(if *is_path {
                format!("{name}Path")
            } else {
                name.to_string()
            });
        }
        let allowed_refs: Vec<&str> = allowed.iter().map(|s| s.as_str()).collect();
        self.unknown_fields(o, ptr, &allowed_refs);
        if found.len() != 1 {
            self.schema(
                ptr,
                if found.is_empty() {
                    "A choice rule must contain exactly one comparison operator (or And, Or, Not)"
                        .to_string()
                } else {
                    "A choice rule must contain exactly one comparison operator".to_string()
                },
            );
            return None;
        }
        let (name, op, is_path) = found.remove(0);
        let refs_variable = [
            Some("Variable".to_string()),
            Some(if is_path {
                format!("{name}Path")
            } else {
                String::new()
            }),
        ]
        .into_iter()
        .flatten()
        .filter_map(|f| o.get(&f).and_then(Value::as_str))
        .find(|s| is_variable_reference(s))
        .map(str::to_string);
        if refs_variable.is_some() {
            self.uses_variables = true;
        }
        let variable = match o.get("Variable") {
            Some(Value::String(s)) => {
                self.parse_path(&pointer_join(ptr, "Variable"), "Variable", s, false)?
            }
            Some(_) => {
                self.schema(
                    &pointer_join(ptr, "Variable"),
                    "The value of the field 'Variable' must be a string",
                );
                return None;
            }
            None => {
                self.schema(ptr, "These fields are required: [Variable]");
                return None;
            }
        };
        let field = if is_path {
            format!("{name}Path")
        } else {
            name.to_string()
        };
        let fptr = pointer_join(ptr, &field);
        let raw = o.get(&field).cloned().unwrap_or(Value::Null);
        let operand = if is_path {
            let Some(s) = raw.as_str() else {
                self.schema(
                    &fptr,
                    format!("The value of the field '{field}' must be a string"),
                );
                return None;
            };
            Operand::Path(self.parse_path(&fptr, &field, s, false)?)
        } else {
            let ok = match op {
                _ if op.is_type_test() => raw.is_boolean(),
                Comparison::BooleanEquals => raw.is_boolean(),
                Comparison::NumericEquals
                | Comparison::NumericLessThan
                | Comparison::NumericGreaterThan
                | Comparison::NumericLessThanEquals
                | Comparison::NumericGreaterThanEquals => raw.is_number(),
                Comparison::TimestampEquals
                | Comparison::TimestampLessThan
                | Comparison::TimestampGreaterThan
                | Comparison::TimestampLessThanEquals
                | Comparison::TimestampGreaterThanEquals => raw
                    .as_str()
                    .is_some_and(|s| crate::timestamp::parse_timestamp(s).is_some()),
                _ => raw.is_string(),
            };
            if !ok {
                self.schema(
                    &fptr,
                    format!("The value of the field '{field}' has the wrong type: {raw}"),
                );
                return None;
            }
            Operand::Literal(raw)
        };
        Some(Condition::Compare {
            variable,
            op,
            operand,
        })
    }
}
