//! Building Retry and Catch entries (with the `States.ALL` placement rules).

use super::build::Builder;
use super::fields;
use super::model::*;
use crate::diagnostic::pointer_join;
use serde_json::{Map, Value};

impl Builder {
    pub(super) fn error_list(&mut self, obj: &Map<String, Value>, ptr: &str) -> Vec<String> {
        match obj.get("ErrorEquals") {
            Some(Value::Array(items)) if !items.is_empty() => {
                let mut out = Vec::new();
                for (i, it) in items.iter().enumerate() {
                    match it.as_str() {
                        Some(s) => out.push(s.to_string()),
                        None => self.schema(
                            &format!("{ptr}/ErrorEquals/{i}"),
                            "Error names must be strings",
                        ),
                    }
                }
                if let Some(pos) = out.iter().position(|e| e == "States.ALL") {
                    if out.len() > 1 || pos != 0 {
                        self.schema(
                            &pointer_join(ptr, "ErrorEquals"),
                            "States.ALL must appear alone in ErrorEquals",
                        );
                    }
                }
                out
            }
            Some(_) => {
                self.schema(
                    &pointer_join(ptr, "ErrorEquals"),
                    "The field 'ErrorEquals' must be a non-empty array",
                );
                Vec::new()
            }
            None => {
                self.schema(ptr, "These fields are required: [ErrorEquals]");
                Vec::new()
            }
        }
    }

    pub(super) fn retriers(&mut self, obj: &Map<String, Value>, ptr: &str) -> Vec<Retrier> {
        let mut out = Vec::new();
        let rptr = pointer_join(ptr, "Retry");
        let Some(v) = obj.get("Retry") else {
            return out;
        };
        let Some(items) = v.as_array() else {
            self.schema(&rptr, "The value of the field 'Retry' must be an array");
            return out;
        };
        let n = items.len();
        for (i, item) in items.iter().enumerate() {
            let iptr = format!("{rptr}/{i}");
            let Some(o) = item.as_object() else {
                self.schema(&iptr, "A retrier must be an object");
                continue;
            };
            self.unknown_fields(o, &iptr, fields::RETRIER);
            let error_equals = self.error_list(o, &iptr);
            if error_equals.iter().any(|e| e == "States.ALL") && i + 1 != n {
                self.schema(&iptr, "A retrier with States.ALL must be the last retrier");
            }
            let mut num = |f: &str, min: f64, int: bool, dflt: f64| -> f64 {
                match o.get(f) {
                    None => dflt,
                    Some(v) => match v
                        .as_f64()
                        .filter(|x| *x >= min && (!int || x.fract() == 0.0))
                    {
                        Some(x) => x,
                        None => {
                            self.schema(
                                &pointer_join(&iptr, f),
                                format!("The value of the field '{f}' must be a number >= {min}"),
                            );
                            dflt
                        }
                    },
                }
            };
            let interval_seconds = num("IntervalSeconds", 1.0, true, 1.0);
            let max_attempts = num("MaxAttempts", 0.0, true, 3.0);
            let backoff_rate = num("BackoffRate", 1.0, false, 2.0);
            let max_delay_seconds = o
                .get("MaxDelaySeconds")
                .map(|_| num("MaxDelaySeconds", 1.0, true, 1.0));
            let jitter = match o.get("JitterStrategy") {
                None => Jitter::None,
                Some(Value::String(s)) if s == "NONE" => Jitter::None,
                Some(Value::String(s)) if s == "FULL" => Jitter::Full,
                Some(_) => {
                    self.schema(
                        &pointer_join(&iptr, "JitterStrategy"),
                        "The value of the field 'JitterStrategy' must be one of [FULL, NONE]",
                    );
                    Jitter::None
                }
            };
            out.push(Retrier {
                error_equals,
                interval_seconds,
                max_attempts: max_attempts.min(f64::from(u32::MAX)) as u32,
                backoff_rate,
                max_delay_seconds,
                jitter,
            });
        }
        out
    }

    pub(super) fn catchers(
        &mut self,
        obj: &Map<String, Value>,
        ptr: &str,
        ql: QueryLanguage,
    ) -> Vec<Catcher> {
        let mut out = Vec::new();
        let cptr = pointer_join(ptr, "Catch");
        let Some(v) = obj.get("Catch") else {
            return out;
        };
        let Some(items) = v.as_array() else {
            self.schema(&cptr, "The value of the field 'Catch' must be an array");
            return out;
        };
        let n = items.len();
        for (i, item) in items.iter().enumerate() {
            let iptr = format!("{cptr}/{i}");
            let Some(o) = item.as_object() else {
                self.schema(&iptr, "A catcher must be an object");
                continue;
            };
            self.unknown_fields_in(o, &iptr, fields::CATCHER, ql);
            let error_equals = self.error_list(o, &iptr);
            if error_equals.iter().any(|e| e == "States.ALL") && i + 1 != n {
                self.schema(&iptr, "A catcher with States.ALL must be the last catcher");
            }
            let next = match self.opt_string(o, &iptr, "Next") {
                Some(n) => n,
                None => {
                    if !o.contains_key("Next") {
                        self.schema(&iptr, "These fields are required: [Next]");
                    }
                    String::new()
                }
            };
            let result_path = if ql == QueryLanguage::JSONPath {
                self.path_field(o, &iptr, "ResultPath", true)
            } else {
                PathField::Default
            };
            let assign = self.assign(o, &iptr, ql);
            let output = self.jsonata_field(o, &iptr, "Output", ql);
            out.push(Catcher {
                error_equals,
                result_path,
                next,
                assign,
                output,
            });
        }
        out
    }
}
