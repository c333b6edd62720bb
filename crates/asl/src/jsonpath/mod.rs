//! JSONPath as Step Functions evaluates it (Jayway semantics): full paths for InputPath,
//! OutputPath, `.$` parameters, ItemsPath; reference paths (a single node, no filters or
//! wildcards) for ResultPath and the `...Path` fields.
//!
//! `parse` builds a [`parse::Path`]; `eval` selects; `write` applies ResultPath; `render`
//! prints paths and the cause texts that quote them.

mod compare;
mod eval;
mod filter;
pub mod parse;
pub mod render;
mod write;

pub use eval::Miss;
pub use write::RESULT_PATH_MATCH_FAILURE;

use crate::error::Failure;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// Workflow variables (`Assign`) visible to a path such as `$name.field`.
pub trait Variables {
    /// The variable's value, or `None` when it is not set.
    fn variable(&self, name: &str) -> Option<&Value>;
}

impl Variables for Map<String, Value> {
    fn variable(&self, name: &str) -> Option<&Value> {
        self.get(name)
    }
}

/// `map.get(key)`; a small object is scanned instead of hashing the key (the same result:
/// keys are unique), which is most of the cost of a lookup such as `$.i` in a hot loop.
fn small_get<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    const SCAN_UP_TO: usize = 8;
    if map.len() <= SCAN_UP_TO {
        map.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v)
    } else {
        map.get(key)
    }
}

/// No variables at all.
pub struct NoVariables;

impl Variables for NoVariables {
    fn variable(&self, _name: &str) -> Option<&Value> {
        None
    }
}

/// Everything a path can read: `$` (the input), `$$` (the context object) and `$name`.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    pub input: &'a Value,
    pub context: &'a Value,
    pub variables: &'a dyn Variables,
}

impl<'a> Scope<'a> {
    /// A scope without variables.
    pub fn new(input: &'a Value, context: &'a Value) -> Self {
        Scope {
            input,
            context,
            variables: &NoVariables,
        }
    }
}

/// A parsed JSONPath expression (`$.a.b[0]`, `$..x`, `$.items[?(@.n > 1)]`, `$$.Execution.Id`).
#[derive(Debug, Clone, PartialEq)]
pub struct JsonPath {
    text: String,
    path: parse::Path,
}

impl JsonPath {
    /// Parses a path; the error is a human message saying what is wrong and where.
    pub fn parse(text: &str) -> Result<JsonPath, String> {
        let path = parse::parse(text).map_err(|e| e.to_string())?;
        Ok(JsonPath {
            text: text.to_string(),
            path,
        })
    }

    /// The path as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The parsed form.
    pub fn path(&self) -> &parse::Path {
        &self.path
    }

    /// True for paths that select exactly one node (no wildcard, filter, slice, union or `..`).
    pub fn is_definite(&self) -> bool {
        self.path.is_definite()
    }

    /// True for a reference path (only `.name`, `['name']` and `[index]` after `$` or `$$`):
    /// what ResultPath and the `...Path` fields require.
    pub fn is_reference_path(&self) -> bool {
        self.path.is_reference()
    }

    /// True when the path starts at the context object (`$$`).
    pub fn is_context(&self) -> bool {
        self.path.root == parse::Root::Context
    }

    /// The variable name when the path starts at a workflow variable (`$name...`).
    pub fn variable(&self) -> Option<&str> {
        match &self.path.root {
            parse::Root::Variable(name) => Some(name),
            _ => None,
        }
    }

    /// The path as Jayway prints it in messages: `$['a'][0]`.
    pub fn canonical(&self) -> String {
        render::canonical(&self.path)
    }

    /// Evaluates against `root` (`$`) and `context` (`$$`): a definite path yields its node
    /// (or `None` when absent), an indefinite one an array of matches (`[]` when nothing
    /// matches, even when a property before the wildcard is missing, as AWS does).
    pub fn select(&self, root: &Value, context: &Value) -> Option<Value> {
        self.resolve(root, context).ok()
    }

    /// [`JsonPath::select`] with workflow variables.
    pub fn select_in(&self, scope: &Scope<'_>) -> Option<Value> {
        self.resolve_in(scope).ok()
    }

    /// Like [`JsonPath::select`] but says why nothing was found, in Jayway's words
    /// (use [`Miss::message`] inside [`render::invalid_path_cause`]).
    pub fn resolve(&self, root: &Value, context: &Value) -> Result<Value, Miss> {
        self.resolve_in(&Scope::new(root, context))
    }

    /// [`JsonPath::resolve`] with workflow variables.
    pub fn resolve_in(&self, scope: &Scope<'_>) -> Result<Value, Miss> {
        self.resolve_ref_in(scope).map(Cow::into_owned)
    }

    /// [`JsonPath::select_in`] borrowing the selected node when the path is definite.
    pub fn select_ref_in<'a>(&self, scope: &Scope<'a>) -> Option<Cow<'a, Value>> {
        self.resolve_ref_in(scope).ok()
    }

    /// [`JsonPath::resolve_in`] borrowing the selected node when the path is definite.
    pub fn resolve_ref_in<'a>(&self, scope: &Scope<'a>) -> Result<Cow<'a, Value>, Miss> {
        if let Some(v) = self.lookup(scope) {
            return Ok(Cow::Borrowed(v));
        }
        let docs = eval::Docs {
            root: scope.input,
            context: scope.context,
            variables: scope.variables,
        };
        let found = match eval::evaluate(&self.path, &docs, scope.input) {
            Ok(found) => found,
            // AWS returns `[]` for an indefinite path whose definite prefix is missing
            // (`$.items[*]` on `{}`), where Jayway alone would throw.
            Err(miss @ Miss::TooManyResults { .. }) => return Err(miss),
            Err(_) if !self.is_definite() => Vec::new(),
            Err(miss) => return Err(miss),
        };
        let function = self
            .path
            .segments
            .iter()
            .any(|s| matches!(s, parse::Segment::Child(parse::Selector::Function(_))));
        if function {
            return Err(Miss::NoResults {
                path: self.canonical(),
            });
        }
        if self.is_definite() {
            match found.into_iter().next() {
                Some(v) => Ok(v),
                None => Err(Miss::NoResults {
                    path: self.canonical(),
                }),
            }
        } else {
            Ok(Cow::Owned(Value::Array(
                found.into_iter().map(|v| v.into_owned()).collect(),
            )))
        }
    }

    /// The node a path of only `.name` / `[index]` steps from `$` or `$$` selects, found
    /// without the general evaluator; `None` when absent or for any other path (the general
    /// evaluator then gives the result and AWS's texts).
    fn lookup<'a>(&self, scope: &Scope<'a>) -> Option<&'a Value> {
        let mut v = match self.path.root {
            parse::Root::Input => scope.input,
            parse::Root::Context => scope.context,
            _ => return None,
        };
        for seg in &self.path.segments {
            v = match seg {
                parse::Segment::Child(parse::Selector::Name(k)) => small_get(v.as_object()?, k)?,
                parse::Segment::Child(parse::Selector::Index(i)) => {
                    let a = v.as_array()?;
                    let i = if *i < 0 {
                        (a.len() as i64).saturating_add(*i)
                    } else {
                        *i
                    };
                    a.get(usize::try_from(i).ok()?)?
                }
                _ => return None,
            };
        }
        Some(v)
    }

    /// Writes `value` at this reference path inside `target`, creating missing objects,
    /// as ResultPath does. Fails with `States.ResultPathMatchFailure` and AWS's cause text
    /// when the path cannot be created.
    pub fn write(&self, target: &mut Value, value: Value) -> Result<(), Failure> {
        write::write(&self.path, &self.text, target, value)
    }
}

#[cfg(test)]
pub(crate) mod fuzz;
#[cfg(test)]
mod tests;
