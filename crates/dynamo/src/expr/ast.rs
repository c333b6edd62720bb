//! The expression syntax tree shared by condition, filter, key condition, update and
//! projection expressions.
//!
//! The parser builds it with placeholders (`#n`, `:v`) still in place; resolution
//! (`names.rs`) replaces them with the request's names and values, so evaluation needs
//! nothing but the tree and the item.

use std::fmt;

use crate::types::AttributeValue;

/// One step of a document path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathElem {
    /// An attribute or map key, by name (resolved).
    Attr(String),
    /// An expression attribute name not yet resolved (`#n`).
    Placeholder(String),
    /// A list index.
    Index(u32),
}

/// A document path such as `a.b[2].c`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    pub elems: Vec<PathElem>,
}

impl Path {
    /// The attribute the path starts at.
    pub fn top(&self) -> Option<&str> {
        match self.elems.first() {
            Some(PathElem::Attr(name)) => Some(name),
            _ => None,
        }
    }

    /// A path of one top-level attribute.
    pub fn attr(name: &str) -> Path {
        Path {
            elems: vec![PathElem::Attr(name.to_string())],
        }
    }
}

/// AWS's way of printing a path in messages: `[a, b, [2]]`.
impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (i, elem) in self.elems.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            match elem {
                PathElem::Attr(name) | PathElem::Placeholder(name) => f.write_str(name)?,
                PathElem::Index(i) => write!(f, "[{i}]")?,
            }
        }
        f.write_str("]")
    }
}

/// A value-producing operand.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// An attribute of the item.
    Path(Path),
    /// An expression attribute value not yet resolved (`:v`).
    Placeholder(String),
    /// A resolved value.
    Value(AttributeValue),
    /// A function call in operand position: `size(a)`, `if_not_exists(a, :v)`,
    /// `list_append(a, :v)` (and, before validation, any other name).
    Call { name: String, args: Vec<Operand> },
    /// `x + y` / `x - y` (update expressions only).
    Arith {
        plus: bool,
        left: Box<Operand>,
        right: Box<Operand>,
    },
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "<>",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

/// A condition (ConditionExpression, FilterExpression, KeyConditionExpression).
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    Compare {
        op: CmpOp,
        left: Operand,
        right: Operand,
    },
    Between {
        value: Operand,
        low: Operand,
        high: Operand,
    },
    In {
        value: Operand,
        list: Vec<Operand>,
    },
    /// A boolean function: attribute_exists, attribute_not_exists, attribute_type,
    /// begins_with, contains (before validation: any call standing as a condition).
    Function {
        name: String,
        args: Vec<Operand>,
    },
    Not(Box<Condition>),
    And(Box<Condition>, Box<Condition>),
    Or(Box<Condition>, Box<Condition>),
}

/// One action of an update expression.
#[derive(Debug, Clone, PartialEq)]
pub enum UpdateAction {
    Set { path: Path, value: Operand },
    Remove { path: Path },
    Add { path: Path, value: Operand },
    Delete { path: Path, value: Operand },
}

impl UpdateAction {
    /// The path the action writes.
    pub fn path(&self) -> &Path {
        match self {
            UpdateAction::Set { path, .. }
            | UpdateAction::Remove { path }
            | UpdateAction::Add { path, .. }
            | UpdateAction::Delete { path, .. } => path,
        }
    }
}
