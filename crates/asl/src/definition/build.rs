//! Builds the [`StateMachine`] model from the definition JSON, collecting a diagnostic for
//! every field that AWS would reject instead of stopping at the first.

use super::fields;
use super::model::*;
use crate::diagnostic::{codes, pointer_join, Diagnostic};
use crate::intrinsics::{looks_like_intrinsic, Intrinsic};
use crate::jsonata::Field;
use crate::jsonpath::JsonPath;
use crate::limits::{MAX_NESTING_DEPTH, MAX_STATE_NAME_LENGTH};
use crate::template::Template;
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
            Value::String(s)
                if crate::jsonata::is_expression(s) && crate::jsonata::reads_context(s) =>
            {
                return true
            }
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
pub(super) fn is_variable_reference(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next() == Some('$') && chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
}

pub(super) use crate::payload::type_name as type_of;

impl Builder {
    pub(super) fn schema(&mut self, pointer: &str, message: impl Into<String>) {
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

    pub(super) fn query_language(
        &mut self,
        obj: &Map<String, Value>,
        ptr: &str,
    ) -> Option<QueryLanguage> {
        match obj.get("QueryLanguage") {
            None => None,
            Some(Value::String(s)) if s == "JSONPath" => Some(QueryLanguage::JSONPath),
            Some(Value::String(s)) if s == "JSONata" => Some(QueryLanguage::JSONata),
            Some(v) => {
                self.schema(
                    &pointer_join(ptr, "QueryLanguage"),
                    "Value should be one of the following: [JSONPath, JSONata]",
                );
                // AWS still reads the language case-insensitively for its other checks.
                match v.as_str().map(str::to_ascii_lowercase).as_deref() {
                    Some("jsonata") => Some(QueryLanguage::JSONata),
                    Some("jsonpath") => Some(QueryLanguage::JSONPath),
                    _ => None,
                }
            }
        }
    }

    pub(super) fn unknown_fields(&mut self, obj: &Map<String, Value>, ptr: &str, allowed: &[&str]) {
        for k in obj.keys() {
            if !allowed.contains(&k.as_str()) {
                self.schema(
                    &pointer_join(ptr, k),
                    format!("The field \"{k}\" is not supported by Step Functions"),
                );
            }
        }
    }

    /// As [`Self::unknown_fields`] for an object that has a query language: `all` lists its
    /// fields in either language; one of the other language gets AWS's message naming both,
    /// at the object's pointer.
    pub(super) fn unknown_fields_in(
        &mut self,
        obj: &Map<String, Value>,
        ptr: &str,
        all: &[&str],
        ql: QueryLanguage,
    ) {
        let (this, other, theirs) = match ql {
            QueryLanguage::JSONata => ("JSONata", "JSONPath", fields::JSONPATH_ONLY),
            QueryLanguage::JSONPath => ("JSONPath", "JSONata", fields::JSONATA_ONLY),
        };
        for k in obj.keys() {
            if !all.contains(&k.as_str()) {
                self.schema(
                    &pointer_join(ptr, k),
                    format!("The field \"{k}\" is not supported by Step Functions"),
                );
            } else if theirs.contains(&k.as_str()) {
                self.schema(
                    ptr,
                    format!(
                        "The QueryLanguage is set to '{this}', but field '{k}' is only supported for the '{other}' QueryLanguage"
                    ),
                );
            }
        }
    }

    pub(super) fn opt_string(
        &mut self,
        obj: &Map<String, Value>,
        ptr: &str,
        f: &str,
    ) -> Option<String> {
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
    pub(super) fn block(
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
                "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
            );
        }
        let ql = state_ql.unwrap_or(parent_ql);
        let mut allowed: Vec<&str> = fields::COMMON.to_vec();
        allowed.extend_from_slice(fields::fields_for(&type_name));
        self.unknown_fields_in(obj, ptr, &allowed, ql);
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
            self.catchers(obj, ptr, ql)
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
            name: Arc::from(name),
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
            jsonata: !jsonpath,
            assign: self.assign(obj, ptr, ql),
            output: self.jsonata_field(obj, ptr, "Output", ql),
            arguments: self.jsonata_field(obj, ptr, "Arguments", ql),
            pointer: ptr.to_string(),
            uses_context: mentions_context(obj),
        })
    }

    /// `Assign`: a template of paths in a JSONPath state, of `{% %}` in a JSONata one.
    pub(super) fn assign(
        &mut self,
        obj: &Map<String, Value>,
        ptr: &str,
        ql: QueryLanguage,
    ) -> Option<Assign> {
        let v = obj.get("Assign")?;
        self.uses_variables = true;
        let fptr = pointer_join(ptr, "Assign");
        let Some(m) = v.as_object() else {
            self.schema(&fptr, "The value of the field 'Assign' must be an object");
            return None;
        };
        for k in m.keys() {
            let name = k.strip_suffix(".$").unwrap_or(k);
            let valid = name
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_alphanumeric() || c == '_');
            if !valid || name == "states" {
                self.schema(
                    &pointer_join(&fptr, k),
                    format!("The variable name '{name}' is not valid"),
                );
            }
        }
        match ql {
            QueryLanguage::JSONPath => {
                self.check_template(v, &fptr, 0);
                Some(Assign::Paths(Template::new(v.clone())))
            }
            QueryLanguage::JSONata => Some(Assign::Jsonata(self.field(v, &fptr, "Assign"))),
        }
    }

    /// A JSONata field (`Output`, `Arguments`) of a JSONata state.
    pub(super) fn jsonata_field(
        &mut self,
        obj: &Map<String, Value>,
        ptr: &str,
        f: &str,
        ql: QueryLanguage,
    ) -> Option<Field> {
        if ql != QueryLanguage::JSONata {
            return None;
        }
        let v = obj.get(f)?;
        Some(self.field(v, &pointer_join(ptr, f), f))
    }

    /// Compiles a JSONata value, reporting expressions that do not parse.
    pub(super) fn field(&mut self, v: &Value, ptr: &str, name: &str) -> Field {
        let field = Field::new(v);
        for (at, message) in field.syntax_errors(name) {
            self.schema(
                ptr,
                format!("The JSONata expression in the field '{at}' is not valid: {message}"),
            );
        }
        field
    }

    pub(super) fn parse_path(
        &mut self,
        ptr: &str,
        field: &str,
        text: &str,
        reference: bool,
    ) -> Option<JsonPath> {
        let variable = is_variable_reference(text);
        if variable {
            self.uses_variables = true;
            // A path may read a variable (ItemsPath, SecondsPath, MaxItemsPath, ...); only
            // ResultPath, which writes, cannot name one.
            if field == "ResultPath" {
                self.schema(
                    ptr,
                    format!(
                        "The value for the field '{field}' must be a valid ReferencePath: {text}"
                    ),
                );
                return None;
            }
        }
        match JsonPath::parse(text) {
            Ok(p) => {
                if reference && !variable && !p.is_reference_path() {
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

    pub(super) fn path_field(
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
    pub(super) fn template(
        &mut self,
        obj: &Map<String, Value>,
        ptr: &str,
        f: &str,
    ) -> Option<Template> {
        let v = obj.get(f)?;
        let fptr = pointer_join(ptr, f);
        if !v.is_object() && f != "Parameters" {
            self.schema(
                &fptr,
                format!("The value of the field '{f}' must be an object"),
            );
        }
        self.check_template(v, &fptr, 0);
        Some(Template::new(v.clone()))
    }

    pub(super) fn check_template(&mut self, v: &Value, ptr: &str, depth: usize) {
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

    pub(super) fn number_source(
        &mut self,
        obj: &Map<String, Value>,
        ptr: &str,
        f: &str,
        min: f64,
        integer: bool,
    ) -> Option<NumberSource> {
        if let Some(v) = obj.get(f).filter(|v| is_jsonata_expr(v)) {
            return Some(NumberSource::Expr(self.field(v, &pointer_join(ptr, f), f)));
        }
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
}
