//! Builds the [`StateMachine`] model from the definition JSON, collecting a diagnostic for
//! every field that AWS would reject instead of stopping at the first.

use super::fields;
use super::model::*;
use crate::diagnostic::{codes, pointer_join, Diagnostic};
use crate::intrinsics::{looks_like_intrinsic, Intrinsic};
use crate::jsonpath::JsonPath;
use crate::limits::{MAX_NESTING_DEPTH, MAX_STATE_NAME_LENGTH};
use serde_json::{Map, Value};
use std::sync::Arc;

/// Collects diagnostics while building.
pub struct Builder {
    pub diagnostics: Vec<Diagnostic>,
    /// Set when a path refers to a workflow variable (`$name`).
    pub uses_variables: bool,
}

/// True when a string anywhere in the state's own fields (not nested branches or
/// processors) contains `$$` (checked without recursion).
fn mentions_context(state: &Map<String, Value>) -> bool {
    let mut stack: Vec<&Value> = state
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "Branches" | "ItemProcessor" | "Iterator"))
        .map(|(_, v)| v)
        .collect();
    while let Some(v) = stack.pop() {
        match v {
            Value::String(s) if s.contains("$$") => return true,
            Value::Array(a) => stack.extend(a.iter()),
            Value::Object(m) => {
                if m.keys().any(|k| k.contains("$$")) {
                    return true;
                }
                stack.extend(m.values());
            }
            _ => {}
        }
    }
    false
}

/// A JSONata expression string: `{% ... %}`.
pub fn is_jsonata_expr(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|s| s.trim_start().starts_with("{%") && s.trim_end().ends_with("%}"))
}

/// A workflow variable reference such as `$count` or `$order.id` (not `$`, `$.x`, `$[0]`, `$$`).
fn is_variable_reference(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next() == Some('$') && chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
}

fn type_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

impl Builder {
    fn schema(&mut self, pointer: &str, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::new(
            codes::SCHEMA_VALIDATION_FAILED,
            message,
            pointer,
        ));
    }

    /// Builds the whole machine; `None` when the document is not even an object.
    pub fn machine(&mut self, v: &Value) -> Option<StateMachine> {
        let Some(obj) = v.as_object() else {
            self.schema("", format!("Expected an object but found {}", type_of(v)));
            return None;
        };
        self.unknown_fields(obj, "", fields::TOP_LEVEL);
        let comment = self.opt_string(obj, "", "Comment");
        let version = self.opt_string(obj, "", "Version");
        if let Some(ver) = &version {
            if ver != "1.0" {
                self.schema(
                    "/Version",
                    "The value of the field 'Version' must be \"1.0\"",
                );
            }
        }
        let timeout_seconds = match obj.get("TimeoutSeconds") {
            None => None,
            Some(t) => match t.as_u64() {
                Some(n) if n > 0 && n <= crate::limits::MAX_TIMEOUT_SECONDS => Some(n),
                _ => {
                    self.schema(
                        "/TimeoutSeconds",
                        "The value of the field 'TimeoutSeconds' must be a positive integer",
                    );
                    None
                }
            },
        };
        let query_language = self
            .query_language(obj, "")
            .unwrap_or(QueryLanguage::JSONPath);
        let states = self.block(obj, "", 0, query_language);
        Some(StateMachine {
            comment,
            version,
            timeout_seconds,
            query_language,
            states: Arc::new(states),
            source: v.clone(),
            uses_variables: self.uses_variables,
        })
    }

    fn query_language(&mut self, obj: &Map<String, Value>, ptr: &str) -> Option<QueryLanguage> {
        match obj.get("QueryLanguage") {
            None => None,
            Some(Value::String(s)) if s == "JSONPath" => Some(QueryLanguage::JSONPath),
            Some(Value::String(s)) if s == "JSONata" => Some(QueryLanguage::JSONata),
            Some(_) => {
                self.schema(
                    &pointer_join(ptr, "QueryLanguage"),
                    "The value of the field 'QueryLanguage' must be one of [JSONPath, JSONata]",
                );
                None
            }
        }
    }

    fn unknown_fields(&mut self, obj: &Map<String, Value>, ptr: &str, allowed: &[&str]) {
        for k in obj.keys() {
            if !allowed.contains(&k.as_str()) {
                self.schema(
                    &pointer_join(ptr, k),
                    format!("Field '{k}' is not supported by Step Functions"),
                );
            }
        }
    }

    fn opt_string(&mut self, obj: &Map<String, Value>, ptr: &str, f: &str) -> Option<String> {
        match obj.get(f) {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(v) => {
                self.schema(
                    &pointer_join(ptr, f),
                    format!(
                        "The value of the field '{f}' must be a string but was {}",
                        type_of(v)
                    ),
                );
                None
            }
        }
    }

    /// A `StartAt` + `States` block.
    fn block(
        &mut self,
        obj: &Map<String, Value>,
        ptr: &str,
        depth: usize,
        ql: QueryLanguage,
    ) -> StateList {
        let mut list = StateList {
            pointer: ptr.to_string(),
            ..StateList::default()
        };
        if depth > MAX_NESTING_DEPTH {
            self.diagnostics.push(Diagnostic::new(
                codes::TOO_DEEPLY_NESTED,
                "The states are too deeply nested",
                ptr,
            ));
            return list;
        }
        match obj.get("StartAt") {
            Some(Value::String(s)) => list.start_at = s.clone(),
            Some(_) => self.schema(
                &pointer_join(ptr, "StartAt"),
                "The value of the field 'StartAt' must be a string",
            ),
            None => self.schema(ptr, "These fields are required: [StartAt]"),
        }
        let states_ptr = pointer_join(ptr, "States");
        match obj.get("States") {
            Some(Value::Object(states)) => {
                if states.is_empty() {
                    self.schema(&states_ptr, "The field 'States' must not be empty");
                }
                for (name, sv) in states {
                    let sptr = pointer_join(&states_ptr, name);
                    if name.is_empty() || name.chars().count() > MAX_STATE_NAME_LENGTH {
                        self.diagnostics.push(Diagnostic::new(
                            codes::INVALID_STATE_NAME,
                            format!(
                                "State names must be between 1 and {MAX_STATE_NAME_LENGTH} characters long"
                            ),
                            sptr.clone(),
                        ));
                    }
                    if let Some(s) = self.state(name, sv, &sptr, depth, ql) {
                        list.states.push(s);
                    }
                }
            }
            Some(_) => self.schema(
                &states_ptr,
                "The value of the field 'States' must be an object",
            ),
            None => self.schema(ptr, "These fields are required: [States]"),
        }
        list
    }

    fn state(
        &mut self,
        name: &str,
        v: &Value,
        ptr: &str,
        depth: usize,
        parent_ql: QueryLanguage,
    ) -> Option<State> {
        let Some(obj) = v.as_object() else {
            self.schema(
                ptr,
                format!("A state must be an object but was {}", type_of(v)),
            );
            return None;
        };
        let type_name = match obj.get("Type") {
            Some(Value::String(t)) if fields::TYPES.contains(&t.as_str()) => t.clone(),
            Some(Value::String(t)) => {
                self.schema(
                    &pointer_join(ptr, "Type"),
                    format!(
                        "The value of the field 'Type' must be one of [Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map] but was '{t}'"
                    ),
                );
                return None;
            }
            Some(_) => {
                self.schema(
                    &pointer_join(ptr, "Type"),
                    "The value of the field 'Type' must be a string",
                );
                return None;
            }
            None => {
                self.schema(ptr, "These fields are required: [Type]");
                return None;
            }
        };
        let state_ql = self.query_language(obj, ptr);
        if parent_ql == QueryLanguage::JSONata && state_ql == Some(QueryLanguage::JSONPath) {
            self.schema(
                &pointer_join(ptr, "QueryLanguage"),
                "A state cannot use JSONPath when the state machine uses JSONata",
            );
        }
        let ql = state_ql.unwrap_or(parent_ql);
        let mut allowed: Vec<&str> = fields::COMMON.to_vec();
        allowed.extend_from_slice(fields::fields_for(&type_name));
        if ql == QueryLanguage::JSONata {
            allowed.retain(|f| {
                !matches!(
                    *f,
                    "InputPath"
                        | "OutputPath"
                        | "Parameters"
                        | "ResultSelector"
                        | "ResultPath"
                        | "ItemsPath"
                        | "ItemSelector"
                ) || *f == "ItemSelector"
            });
        } else {
            allowed.retain(|f| !fields::JSONATA_ONLY.contains(f));
        }
        self.unknown_fields(obj, ptr, &allowed);
        let allows = |f: &str| fields::fields_for(&type_name).contains(&f);

        let transition = if allows("End") {
            let next = self.opt_string(obj, ptr, "Next");
            let end = match obj.get("End") {
                None => false,
                Some(Value::Bool(b)) => *b,
                Some(_) => {
                    self.schema(
                        &pointer_join(ptr, "End"),
                        "The value of the field 'End' must be a boolean",
                    );
                    false
                }
            };
            match (next, end) {
                (Some(_), true) => {
                    self.schema(ptr, "The fields 'Next' and 'End' cannot both be set");
                    Transition::End
                }
                (Some(n), false) => Transition::Next(n),
                (None, true) => Transition::End,
                (None, false) => {
                    self.schema(ptr, "These fields are required: [Next | End]");
                    Transition::None
                }
            }
        } else {
            Transition::None
        };

        let jsonpath = ql == QueryLanguage::JSONPath;
        let input_path = if jsonpath {
            self.path_field(obj, ptr, "InputPath", false)
        } else {
            PathField::Default
        };
        let output_path = if jsonpath {
            self.path_field(obj, ptr, "OutputPath", false)
        } else {
            PathField::Default
        };
        let result_path = if jsonpath && allows("ResultPath") {
            self.path_field(obj, ptr, "ResultPath", true)
        } else {
            PathField::Default
        };
        let parameters = if jsonpath && allows("Parameters") {
            self.template(obj, ptr, "Parameters")
        } else {
            None
        };
        let result_selector = if jsonpath && allows("ResultSelector") {
            self.template(obj, ptr, "ResultSelector")
        } else {
            None
        };
        let retry = if allows("Retry") {
            self.retriers(obj, ptr)
        } else {
            Vec::new()
        };
        let catch = if allows("Catch") {
            self.catchers(obj, ptr)
        } else {
            Vec::new()
        };

        let kind = match type_name.as_str() {
            "Pass" => StateKind::Pass(PassState {
                result: obj.get("Result").cloned(),
            }),
            "Task" => StateKind::Task(self.task(obj, ptr)),
            "Choice" => StateKind::Choice(self.choice(obj, ptr, ql)),
            "Wait" => StateKind::Wait(self.wait(obj, ptr)),
            "Succeed" => StateKind::Succeed,
            "Fail" => StateKind::Fail(self.fail(obj, ptr)),
            "Parallel" => StateKind::Parallel(self.parallel(obj, ptr, depth, ql)),
            _ => StateKind::Map(Box::new(self.map(
                obj,
                ptr,
                depth,
                ql,
                parameters.is_some(),
            ))),
        };
        let comment = self.opt_string(obj, ptr, "Comment");
        Some(State {
            name: name.to_string(),
            comment,
            kind,
            transition,
            input_path,
            output_path,
            result_path,
            parameters,
            result_selector,
            retry,
            catch,
            query_language: state_ql,
            assign: obj.get("Assign").cloned(),
            pointer: ptr.to_string(),
            uses_context: mentions_context(obj),
        })
    }

    fn parse_path(
        &mut self,
        ptr: &str,
        field: &str,
        text: &str,
        reference: bool,
    ) -> Option<JsonPath> {
        if is_variable_reference(text) {
            self.uses_variables = true;
            return None;
        }
        match JsonPath::parse(text) {
            Ok(p) => {
                if reference && !p.is_reference_path() {
                    self.schema(
                        ptr,
                        format!("The value for the field '{field}' must be a valid ReferencePath: {text}"),
                    );
                    return None;
                }
                Some(p)
            }
            Err(e) => {
                self.schema(
                    ptr,
                    format!(
                        "The value for the field '{field}' must be a valid JSONPath: {text} ({e})"
                    ),
                );
                None
            }
        }
    }

    fn path_field(
        &mut self,
        obj: &Map<String, Value>,
        ptr: &str,
        f: &str,
        reference: bool,
    ) -> PathField {
        let fptr = pointer_join(ptr, f);
        match obj.get(f) {
            None => PathField::Default,
            Some(Value::Null) => PathField::Null,
            Some(Value::String(s)) => {
                if reference && s.starts_with("$$") {
                    self.schema(
                        &fptr,
                        format!("The value for the field '{f}' must be a valid ReferencePath: {s}"),
                    );
                    return PathField::Default;
                }
                match self.parse_path(&fptr, f, s, reference) {
                    Some(p) => PathField::Path(p),
                    None => PathField::Default,
                }
            }
            Some(v) => {
                self.schema(
                    &fptr,
                    format!(
                        "The value of the field '{f}' must be a string or null but was {}",
                        type_of(v)
                    ),
                );
                PathField::Default
            }
        }
    }

    /// Parameters / ResultSelector / ItemSelector: an object whose `.$` fields are checked.
    fn template(&mut self, obj: &Map<String, Value>, ptr: &str, f: &str) -> Option<Value> {
        let v = obj.get(f)?;
        let fptr = pointer_join(ptr, f);
        if !v.is_object() && f != "Parameters" {
            self.schema(
                &fptr,
                format!("The value of the field '{f}' must be an object"),
            );
        }
        self.check_template(v, &fptr, 0);
        Some(v.clone())
    }

    fn check_template(&mut self, v: &Value, ptr: &str, depth: usize) {
        if depth > crate::limits::MAX_JSON_DEPTH {
            return;
        }
        match v {
            Value::Object(m) => {
                for (k, child) in m {
                    let cptr = pointer_join(ptr, k);
                    if k.ends_with(".$") {
                        match child {
                            Value::String(s) => self.check_dynamic(&cptr, k, s),
                            _ => self.schema(
                                &cptr,
                                format!("The value of the field '{k}' must be a string that is a valid JSONPath or intrinsic function"),
                            ),
                        }
                    } else {
                        self.check_template(child, &cptr, depth + 1);
                    }
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    self.check_template(child, &format!("{ptr}/{i}"), depth + 1);
                }
            }
            _ => {}
        }
    }

    fn check_dynamic(&mut self, ptr: &str, field: &str, s: &str) {
        if looks_like_intrinsic(s) {
            if let Err(e) = Intrinsic::parse(s) {
                self.schema(
                    ptr,
                    format!(
                        "The value for the field '{field}' must be a valid intrinsic function: {e}"
                    ),
                );
            }
        } else {
            self.parse_path(ptr, field, s, false);
        }
    }

    fn number_source(
        &mut self,
        obj: &Map<String, Value>,
        ptr: &str,
        f: &str,
        min: f64,
        integer: bool,
    ) -> Option<NumberSource> {
        let pf = format!("{f}Path");
        match (obj.get(f), obj.get(&pf)) {
            (Some(_), Some(_)) => {
                self.schema(
                    ptr,
                    format!("The fields '{f}' and '{pf}' cannot both be set"),
                );
                None
            }
            (Some(v), None) => {
                let n = v
                    .as_f64()
                    .filter(|n| *n >= min && (!integer || n.fract() == 0.0));
                match n {
                    Some(n) => Some(NumberSource::Literal(n)),
                    None => {
                        let what = if integer { "an integer" } else { "a number" };
                        self.schema(
                            &pointer_join(ptr, f),
                            format!("The value of the field '{f}' must be {what} >= {min}"),
                        );
                        None
                    }
                }
            }
            (None, Some(Value::String(s))) => self
                .parse_path(&pointer_join(ptr, &pf), &pf, s, true)
                .map(NumberSource::Path),
            (None, Some(_)) => {
                self.schema(
                    &pointer_join(ptr, &pf),
                    format!("The value of the field '{pf}' must be a string"),
                );
                None
            }
            (None, None) => None,
        }
    }

    fn task(&mut self, obj: &Map<String, Value>, ptr: &str) -> TaskState {
        let resource = match obj.get("Resource") {
            Some(Value::String(s)) => {
                if !s.starts_with("arn:") {
                    self.diagnostics.push(Diagnostic::new(
                        codes::INVALID_RESOURCE,
                        format!("Invalid resource: {s}"),
                        pointer_join(ptr, "Resource"),
                    ));
                }
                s.clone()
            }
            Some(_) => {
                self.schema(
                    &pointer_join(ptr, "Resource"),
                    "The value of the field 'Resource' must be a string",
                );
                String::new()
            }
            None => {
                self.schema(ptr, "These fields are required: [Resource]");
                String::new()
            }
        };
        let timeout = self.number_source(obj, ptr, "TimeoutSeconds", 1.0, true);
        let heartbeat = self.number_source(obj, ptr, "HeartbeatSeconds", 1.0, true);
        if let (Some(NumberSource::Literal(t)), Some(NumberSource::Literal(h))) =
            (&timeout, &heartbeat)
        {
            if h >= t {
                self.schema(
                    &pointer_join(ptr, "HeartbeatSeconds"),
                    "HeartbeatSeconds must be smaller than TimeoutSeconds",
                );
            }
        }
        TaskState {
            resource,
            timeout,
            heartbeat,
            credentials: obj.get("Credentials").cloned(),
        }
    }

    fn error_list(&mut self, obj: &Map<String, Value>, ptr: &str) -> Vec<String> {
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

    fn retriers(&mut self, obj: &Map<String, Value>, ptr: &str) -> Vec<Retrier> {
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

    fn catchers(&mut self, obj: &Map<String, Value>, ptr: &str) -> Vec<Catcher> {
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
            self.unknown_fields(o, &iptr, fields::CATCHER);
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
            let result_path = self.path_field(o, &iptr, "ResultPath", true);
            out.push(Catcher {
                error_equals,
                result_path,
                next,
            });
        }
        out
    }

    fn choice(&mut self, obj: &Map<String, Value>, ptr: &str, ql: QueryLanguage) -> ChoiceState {
        let mut st = ChoiceState {
            default: self.opt_string(obj, ptr, "Default"),
            ..ChoiceState::default()
        };
        let cptr = pointer_join(ptr, "Choices");
        match obj.get("Choices") {
            Some(Value::Array(items)) if !items.is_empty() => {
                for (i, item) in items.iter().enumerate() {
                    let iptr = format!("{cptr}/{i}");
                    let next = match item.get("Next") {
                        Some(Value::String(n)) => n.clone(),
                        _ => {
                            self.schema(&iptr, "These fields are required: [Next]");
                            String::new()
                        }
                    };
                    if ql == QueryLanguage::JSONata {
                        if let Some(o) = item.as_object() {
                            self.unknown_fields(
                                o,
                                &iptr,
                                &["Condition", "Next", "Assign", "Output", "Comment"],
                            );
                            match o.get("Condition") {
                                Some(Value::String(c)) => st.choices.push(ChoiceRule {
                                    condition: Condition::Unsupported(c.clone()),
                                    next,
                                }),
                                _ => self.schema(&iptr, "These fields are required: [Condition]"),
                            }
                        }
                        continue;
                    }
                    if let Some(condition) = self.condition(item, &iptr, true, 0) {
                        st.choices.push(ChoiceRule { condition, next });
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
                "Field 'Next' is not supported by Step Functions in a nested choice rule",
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
        if let Some(text) = refs_variable {
            self.uses_variables = true;
            return Some(Condition::Unsupported(text));
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

    fn wait(&mut self, obj: &Map<String, Value>, ptr: &str) -> WaitState {
        self.wait_fields(obj, ptr)
            .unwrap_or(WaitState::Seconds(0.0))
    }

    fn wait_fields(&mut self, obj: &Map<String, Value>, ptr: &str) -> Option<WaitState> {
        let present: Vec<&str> = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"]
            .into_iter()
            .filter(|f| obj.contains_key(*f))
            .collect();
        if present.len() != 1 {
            self.schema(ptr, "A Wait state must contain exactly one of [Seconds, SecondsPath, Timestamp, TimestampPath]");
            return Some(WaitState::Seconds(0.0));
        }
        let f = present[0];
        let fptr = pointer_join(ptr, f);
        let v = obj.get(f).cloned().unwrap_or(Value::Null);
        if is_jsonata_expr(&v) {
            // Evaluated by JSONata at run time (not supported by this interpreter).
            return Some(WaitState::Seconds(0.0));
        }
        Some(match f {
            "Seconds" => match v.as_f64().filter(|n| *n >= 0.0 && n.fract() == 0.0) {
                Some(n) => WaitState::Seconds(n),
                None => {
                    self.schema(
                        &fptr,
                        "The value of the field 'Seconds' must be a non-negative integer",
                    );
                    WaitState::Seconds(0.0)
                }
            },
            "Timestamp" => match v.as_str() {
                Some(s) if crate::timestamp::parse_timestamp(s).is_some() => {
                    WaitState::Timestamp(s.to_string())
                }
                _ => {
                    self.schema(&fptr, "The value of the field 'Timestamp' must be an ISO-8601 extended offset date-time format string");
                    WaitState::Seconds(0.0)
                }
            },
            _ => {
                let Some(s) = v.as_str() else {
                    self.schema(
                        &fptr,
                        format!("The value of the field '{f}' must be a string"),
                    );
                    return Some(WaitState::Seconds(0.0));
                };
                let p = self.parse_path(&fptr, f, s, true)?;
                if f == "SecondsPath" {
                    WaitState::SecondsPath(p)
                } else {
                    WaitState::TimestampPath(p)
                }
            }
        })
    }

    fn string_source(
        &mut self,
        obj: &Map<String, Value>,
        ptr: &str,
        f: &str,
    ) -> Option<StringSource> {
        let pf = format!("{f}Path");
        match (obj.get(f), obj.get(&pf)) {
            (Some(_), Some(_)) => {
                self.schema(
                    ptr,
                    format!("The fields '{f}' and '{pf}' cannot both be set"),
                );
                None
            }
            (Some(_), None) => self.opt_string(obj, ptr, f).map(StringSource::Literal),
            (None, Some(Value::String(s))) => {
                let fptr = pointer_join(ptr, &pf);
                if looks_like_intrinsic(s) {
                    match Intrinsic::parse(s) {
                        Ok(i) => Some(StringSource::Intrinsic(i)),
                        Err(e) => {
                            self.schema(&fptr, format!("The value for the field '{pf}' must be a valid intrinsic function: {e}"));
                            None
                        }
                    }
                } else {
                    self.parse_path(&fptr, &pf, s, false)
                        .map(StringSource::Path)
                }
            }
            (None, Some(_)) => {
                self.schema(
                    &pointer_join(ptr, &pf),
                    format!("The value of the field '{pf}' must be a string"),
                );
                None
            }
            (None, None) => None,
        }
    }

    fn fail(&mut self, obj: &Map<String, Value>, ptr: &str) -> FailState {
        FailState {
            error: self.string_source(obj, ptr, "Error"),
            cause: self.string_source(obj, ptr, "Cause"),
        }
    }

    fn parallel(
        &mut self,
        obj: &Map<String, Value>,
        ptr: &str,
        depth: usize,
        ql: QueryLanguage,
    ) -> ParallelState {
        let mut st = ParallelState::default();
        let bptr = pointer_join(ptr, "Branches");
        match obj.get("Branches") {
            Some(Value::Array(items)) if !items.is_empty() => {
                for (i, b) in items.iter().enumerate() {
                    let iptr = format!("{bptr}/{i}");
                    match b.as_object() {
                        Some(o) => {
                            self.unknown_fields(o, &iptr, &["Comment", "StartAt", "States"]);
                            st.branches
                                .push(Arc::new(self.block(o, &iptr, depth + 1, ql)));
                        }
                        None => self.schema(&iptr, "A branch must be an object"),
                    }
                }
            }
            Some(_) => self.schema(&bptr, "The field 'Branches' must be a non-empty array"),
            None => self.schema(ptr, "These fields are required: [Branches]"),
        }
        st
    }

    fn map(
        &mut self,
        obj: &Map<String, Value>,
        ptr: &str,
        depth: usize,
        ql: QueryLanguage,
        has_parameters: bool,
    ) -> MapState {
        let (pfield, processor) = match (obj.get("ItemProcessor"), obj.get("Iterator")) {
            (Some(_), Some(_)) => {
                self.schema(
                    ptr,
                    "The fields 'ItemProcessor' and 'Iterator' cannot both be set",
                );
                ("ItemProcessor", obj.get("ItemProcessor"))
            }
            (Some(p), None) => ("ItemProcessor", Some(p)),
            (None, Some(p)) => ("Iterator", Some(p)),
            (None, None) => {
                self.schema(ptr, "These fields are required: [ItemProcessor]");
                ("ItemProcessor", None)
            }
        };
        let pptr = pointer_join(ptr, pfield);
        let mut list = StateList::default();
        if let Some(p) = processor {
            match p.as_object() {
                Some(o) => {
                    self.unknown_fields(o, &pptr, fields::BLOCK);
                    list = self.block(o, &pptr, depth + 1, ql);
                    list.processor_mode = match o.get("ProcessorConfig") {
                        None => None,
                        Some(cfg) => match cfg.get("Mode").and_then(Value::as_str) {
                            Some("DISTRIBUTED") => Some(ProcessorMode::Distributed),
                            Some("INLINE") | None => Some(ProcessorMode::Inline),
                            Some(other) => {
                                self.schema(&format!("{pptr}/ProcessorConfig/Mode"), format!("The value of the field 'Mode' must be one of [INLINE, DISTRIBUTED] but was '{other}'"));
                                None
                            }
                        },
                    };
                }
                None => self.schema(
                    &pptr,
                    format!("The value of the field '{pfield}' must be an object"),
                ),
            }
        }
        let item_selector = if ql == QueryLanguage::JSONPath {
            self.template(obj, ptr, "ItemSelector")
        } else {
            obj.get("ItemSelector").cloned()
        };
        if item_selector.is_some() && has_parameters {
            self.schema(
                ptr,
                "The fields 'ItemSelector' and 'Parameters' cannot both be set",
            );
        }
        let items_path = if ql == QueryLanguage::JSONPath {
            self.path_field(obj, ptr, "ItemsPath", true)
        } else {
            PathField::Default
        };
        let max_concurrency = self.number_source(obj, ptr, "MaxConcurrency", 0.0, true);
        let tolerated_failure_count =
            self.number_source(obj, ptr, "ToleratedFailureCount", 0.0, true);
        let tolerated_failure_percentage =
            match self.number_source(obj, ptr, "ToleratedFailurePercentage", 0.0, false) {
                Some(NumberSource::Literal(p)) if p > 100.0 => {
                    self.schema(
                        &pointer_join(ptr, "ToleratedFailurePercentage"),
                        "ToleratedFailurePercentage must be between 0 and 100",
                    );
                    None
                }
                other => other,
            };
        let label = self.opt_string(obj, ptr, "Label");
        if let Some(l) = &label {
            if l.chars().count() > 40
                || l.chars()
                    .any(|c| c.is_whitespace() || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c))
            {
                self.diagnostics.push(Diagnostic::new(
                    codes::INVALID_LABEL_NAME,
                    format!("Invalid label name: {l}"),
                    pointer_join(ptr, "Label"),
                ));
            }
        }
        let distributed = list.processor_mode == Some(ProcessorMode::Distributed);
        for f in [
            "ItemReader",
            "ItemBatcher",
            "ResultWriter",
            "Label",
            "ToleratedFailureCount",
            "ToleratedFailurePercentage",
            "ToleratedFailureCountPath",
            "ToleratedFailurePercentagePath",
        ] {
            if obj.contains_key(f) && !distributed {
                self.schema(
                    &pointer_join(ptr, f),
                    format!(
                        "The field '{f}' is only supported with ProcessorConfig Mode DISTRIBUTED"
                    ),
                );
            }
        }
        MapState {
            processor: Arc::new(list),
            items_path,
            item_selector,
            max_concurrency,
            tolerated_failure_count,
            tolerated_failure_percentage,
            label,
            item_reader: obj.get("ItemReader").cloned(),
            item_batcher: obj.get("ItemBatcher").cloned(),
            result_writer: obj.get("ResultWriter").cloned(),
        }
    }
}
