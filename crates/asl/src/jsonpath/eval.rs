//! Path evaluation with Jayway's rules: level by level (no recursion on path length),
//! deep scans with an explicit stack, and Jayway's exceptions (as [`Miss`]) where a definite
//! prefix meets a missing property or a value of the wrong kind.

use super::filter;
use super::parse::{Path, Root, Segment, Selector};
use super::render;
use super::Variables;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// The documents a path can start from.
#[derive(Clone, Copy)]
pub(crate) struct Docs<'a> {
    pub root: &'a Value,
    pub context: &'a Value,
    pub variables: &'a dyn Variables,
}

/// Why a path found nothing, worded as Jayway's `PathNotFoundException` / `InvalidPathException`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Miss {
    /// A definite path matched nothing: `No results for path: $['a']['b']`.
    NoResults { path: String },
    /// A property before the leaf is absent: `Missing property in path $['a']`.
    MissingProperty { path: String },
    /// A property was asked of something that is not an object.
    NotAnObject {
        property: String,
        path: String,
        found: &'static str,
    },
    /// An index or slice was applied to something that is not an array.
    NotAnArray { token: String, context: String },
    /// An index or slice was applied to null.
    NullArray { path: String },
    /// A filter was applied to a scalar.
    FilterOnPrimitive { token: String, context: String },
    /// The path matched more nodes than [`crate::limits::MAX_PATH_MATCHES`].
    TooManyResults { path: String },
}

impl Miss {
    /// Jayway's exception message.
    pub fn message(&self) -> String {
        match self {
            Miss::NoResults { path } => format!("No results for path: {path}"),
            Miss::MissingProperty { path } => format!("Missing property in path {path}"),
            Miss::NotAnObject {
                property,
                path,
                found,
            } => format!(
                "Expected to find an object with property {property} in path {path} but found '{found}'. \
                 This is not a json object according to the JsonProvider: \
                 'com.jayway.jsonpath.spi.json.JsonSmartJsonProvider'."
            ),
            Miss::NotAnArray { token, context } => format!(
                "Filter: {token} can only be applied to arrays. Current context is: {context}"
            ),
            Miss::NullArray { path } => format!("The path {path} is null"),
            Miss::FilterOnPrimitive { token, context } => format!(
                "Filter: {token} can not be applied to primitives. Current context is: {context}"
            ),
            Miss::TooManyResults { path } => format!(
                "The path {path} matches more than {} nodes",
                crate::limits::MAX_PATH_MATCHES
            ),
        }
    }
}

/// The Java class json-smart would hold this value in (as Jayway names it in messages).
fn java_class(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "java.lang.Boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => match n.as_i64() {
            Some(i) if i32::try_from(i).is_ok() => "java.lang.Integer",
            Some(_) => "java.lang.Long",
            None => "java.math.BigInteger",
        },
        Value::Number(_) => "java.lang.Double",
        Value::String(_) => "java.lang.String",
        Value::Array(_) => "net.minidev.json.JSONArray",
        Value::Object(_) => "net.minidev.json.JSONObject",
    }
}

/// One node reached so far; `path` is kept only while everything upstream is definite.
struct Node<'a> {
    value: &'a Value,
    path: Option<String>,
}

/// Evaluates `path` and returns every match in document order. `current` is `@`.
/// Fails like Jayway where a definite prefix breaks; a definite path with no match
/// returns `Ok(vec![])` (the caller words that as [`Miss::NoResults`]).
pub(crate) fn evaluate<'a>(
    path: &Path,
    docs: &Docs<'a>,
    current: &'a Value,
) -> Result<Vec<Cow<'a, Value>>, Miss> {
    let start = match &path.root {
        Root::Input => docs.root,
        Root::Context => docs.context,
        Root::Current => current,
        Root::Variable(name) => match docs.variables.variable(name) {
            Some(v) => v,
            None => {
                return Err(Miss::NoResults {
                    path: render::canonical(path),
                })
            }
        },
    };
    let root_name = if path.root == Root::Current { "@" } else { "$" };
    let mut level = vec![Node {
        value: start,
        path: Some(root_name.to_string()),
    }];
    let n = path.segments.len();
    let mut definite = true;
    for (i, seg) in path.segments.iter().enumerate() {
        let leaf = i + 1 == n;
        if leaf {
            if let Segment::Child(Selector::Names(names)) = seg {
                let mut merged = Vec::new();
                for node in &level {
                    if let Some(m) = merge(node, names, definite)? {
                        merged.push(Cow::Owned(m));
                    }
                }
                return Ok(merged);
            }
        }
        let mut next = Vec::new();
        for node in level {
            step(seg, node, leaf, definite, docs, &mut next)?;
            // Chained deep scans (`$..a..a..a`) multiply matches combinatorially.
            if next.len() > crate::limits::MAX_PATH_MATCHES {
                return Err(Miss::TooManyResults {
                    path: render::canonical(path),
                });
            }
        }
        level = next;
        definite &= matches!(
            seg,
            Segment::Child(Selector::Name(_)) | Segment::Child(Selector::Index(_))
        );
    }
    Ok(level.into_iter().map(|n| Cow::Borrowed(n.value)).collect())
}

/// Appends to a kept path in place (amortised, so long definite paths stay linear).
fn child_path(path: Option<String>, suffix: impl FnOnce() -> String) -> Option<String> {
    path.map(|mut p| {
        p.push_str(&suffix());
        p
    })
}

/// The leaf `['a','b']`: an object of the properties present.
fn merge(node: &Node<'_>, names: &[String], definite: bool) -> Result<Option<Value>, Miss> {
    let Value::Object(map) = node.value else {
        if definite {
            return Err(Miss::NotAnObject {
                property: render::names(names),
                path: node.path.clone().unwrap_or_default(),
                found: java_class(node.value),
            });
        }
        return Ok(None);
    };
    let mut out = Map::new();
    for name in names {
        if let Some(v) = map.get(name) {
            out.insert(name.clone(), v.clone());
        }
    }
    Ok(Some(Value::Object(out)))
}

fn step<'a>(
    seg: &Segment,
    node: Node<'a>,
    leaf: bool,
    definite: bool,
    docs: &Docs<'a>,
    out: &mut Vec<Node<'a>>,
) -> Result<(), Miss> {
    match seg {
        Segment::Child(sel) => select(sel, node, leaf, definite, docs, out),
        Segment::Descendant(sel) => {
            // Pre-order walk over containers, as Jayway's ScanPathToken does.
            let mut stack = vec![node.value];
            while let Some(v) = stack.pop() {
                scan_one(sel, v, docs, out);
                match v {
                    Value::Object(m) => stack.extend(m.values().rev().filter(|c| is_container(c))),
                    Value::Array(a) => stack.extend(a.iter().rev().filter(|c| is_container(c))),
                    _ => {}
                }
            }
            Ok(())
        }
    }
}

fn is_container(v: &Value) -> bool {
    matches!(v, Value::Object(_) | Value::Array(_))
}

/// What a scan adds at one container.
fn scan_one<'a>(sel: &Selector, v: &'a Value, docs: &Docs<'a>, out: &mut Vec<Node<'a>>) {
    let push = |out: &mut Vec<Node<'a>>, value| out.push(Node { value, path: None });
    match (sel, v) {
        (Selector::Name(k), Value::Object(m)) => {
            if let Some(c) = m.get(k) {
                push(out, c);
            }
        }
        (Selector::Names(ks), Value::Object(m)) => {
            for k in ks {
                if let Some(c) = m.get(k) {
                    push(out, c);
                }
            }
        }
        (Selector::Wildcard, Value::Object(m)) => m.values().for_each(|c| push(out, c)),
        (Selector::Wildcard, Value::Array(a)) => a.iter().for_each(|c| push(out, c)),
        (Selector::Filter(e), Value::Object(_)) if filter::accept(e, v, docs) => push(out, v),
        (Selector::Index(_) | Selector::Indexes(_) | Selector::Slice(..), Value::Array(_)) => {
            let node = Node {
                value: v,
                path: None,
            };
            let _ = select(sel, node, false, false, docs, out);
        }
        _ => {}
    }
}

fn select<'a>(
    sel: &Selector,
    node: Node<'a>,
    leaf: bool,
    definite: bool,
    docs: &Docs<'a>,
    out: &mut Vec<Node<'a>>,
) -> Result<(), Miss> {
    let v = node.value;
    match sel {
        Selector::Name(_) | Selector::Names(_) if !v.is_object() => {
            if definite {
                let property = match sel {
                    Selector::Names(ks) => render::names(ks),
                    Selector::Name(k) => render::names(std::slice::from_ref(k)),
                    _ => String::new(),
                };
                return Err(Miss::NotAnObject {
                    property,
                    path: node.path.unwrap_or_default(),
                    found: java_class(v),
                });
            }
        }
        Selector::Name(k) => {
            if let Some(c) = v.get(k) {
                out.push(Node {
                    value: c,
                    path: child_path(node.path, || render::names(std::slice::from_ref(k))),
                });
            } else if !leaf && definite {
                return Err(Miss::MissingProperty {
                    path: child_path(node.path, || render::names(std::slice::from_ref(k)))
                        .unwrap_or_default(),
                });
            }
        }
        Selector::Names(ks) => {
            for k in ks {
                if let Some(c) = v.get(k) {
                    out.push(Node {
                        value: c,
                        path: None,
                    });
                }
            }
        }
        Selector::Wildcard => match v {
            Value::Object(m) => m.values().for_each(|c| {
                out.push(Node {
                    value: c,
                    path: None,
                })
            }),
            Value::Array(a) => a.iter().for_each(|c| {
                out.push(Node {
                    value: c,
                    path: None,
                })
            }),
            _ => {}
        },
        Selector::Index(_) | Selector::Indexes(_) | Selector::Slice(..) => {
            let Value::Array(items) = v else {
                if definite {
                    return Err(if v.is_null() {
                        Miss::NullArray {
                            path: node.path.unwrap_or_default(),
                        }
                    } else {
                        Miss::NotAnArray {
                            token: render::selector(sel),
                            context: render::java_value(v),
                        }
                    });
                }
                return Ok(());
            };
            let len = items.len() as i64;
            let at = |i: i64| if i < 0 { len.saturating_add(i) } else { i };
            let mut kept = node.path;
            // `written` is the index as written: Jayway prints `[-1]`, not the resolved slot.
            let mut push = |i: i64, written: Option<i64>| {
                if let Some(c) = usize::try_from(i).ok().and_then(|i| items.get(i)) {
                    out.push(Node {
                        value: c,
                        path: written.and_then(|w| child_path(kept.take(), || format!("[{w}]"))),
                    });
                }
            };
            match sel {
                Selector::Index(i) => push(at(*i), Some(*i)),
                Selector::Indexes(is) => is.iter().for_each(|i| push(at(*i), None)),
                Selector::Slice(from, to) => {
                    let from = from.map_or(0, |f| at(f).max(0));
                    let to = to.map_or(len, |t| at(t).min(len));
                    let mut i = from;
                    while i < to {
                        push(i, None);
                        i += 1;
                    }
                }
                _ => {}
            }
        }
        Selector::Function(_) => {}
        Selector::Filter(e) => match v {
            Value::Object(_) => {
                if filter::accept(e, v, docs) {
                    out.push(Node {
                        value: v,
                        path: None,
                    });
                }
            }
            Value::Array(a) => {
                // AWS: "@ does not match scalar values. It only matches objects."
                for c in a.iter().filter(|c| c.is_object()) {
                    if filter::accept(e, c, docs) {
                        out.push(Node {
                            value: c,
                            path: None,
                        });
                    }
                }
            }
            _ => {
                if definite {
                    return Err(Miss::FilterOnPrimitive {
                        token: "[?]".to_string(),
                        context: render::java_value(v),
                    });
                }
            }
        },
    }
    Ok(())
}
