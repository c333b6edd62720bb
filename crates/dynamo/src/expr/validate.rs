//! Semantic checks after parsing: resolves `#n` and `:v`, rejects reserved words, checks
//! function names, operand counts and operand types, BETWEEN bounds, overlapping and
//! conflicting document paths, and reports the first error in AWS's order of precedence.

use std::cmp::Ordering;

use super::ast::{CmpOp, Condition, Operand, Path, PathElem, UpdateAction};
use super::condition::compare_values;
use super::names::ExpressionContext;
use super::parse::validation;
use super::reserved::is_reserved;
use super::ExprKind;
use crate::error::DynamoError;
use crate::types::{encode_base64, AttributeValue};

/// Most values an IN list may hold.
pub const MAX_IN_OPERANDS: usize = 100;

/// Most steps (names and list indexes) one document path may have.
pub const MAX_PATH_DEPTH: usize = 32;

const CONDITION_FUNCTIONS: [(&str, usize); 5] = [
    ("attribute_exists", 1),
    ("attribute_not_exists", 1),
    ("attribute_type", 2),
    ("begins_with", 2),
    ("contains", 2),
];
const UPDATE_FUNCTIONS: [&str; 2] = ["if_not_exists", "list_append"];

/// The first error found of each kind; AWS reports them in a fixed order.
#[derive(Default)]
struct Errors {
    parens: Option<String>,
    unknown_function: Option<String>,
    misused: Option<String>,
    reserved: Option<String>,
    section: Option<String>,
    attr_name: Option<String>,
    attr_value: Option<String>,
    /// The first undefined name or value, whichever came first (conditions).
    attr_any: Option<String>,
    /// A document path deeper than [`MAX_PATH_DEPTH`].
    nesting: Option<String>,
    /// The first condition-level error of the first comparison or function that has
    /// one (conditions report per condition, left to right).
    leaf: Option<String>,
    overlap: Option<String>,
    conflict: Option<String>,
    operand: Option<String>,
    distinct: Option<String>,
    function: Option<String>,
}

fn set(slot: &mut Option<String>, msg: impl FnOnce() -> String) {
    if slot.is_none() {
        *slot = Some(msg());
    }
}

/// Resolves and checks one expression.
pub(crate) struct Checker<'c> {
    ctx: &'c mut ExpressionContext,
    kind: ExprKind,
    e: Errors,
}

/// The value of an operand known before evaluation (a literal).
fn immediate(op: &Operand) -> Option<&AttributeValue> {
    match op {
        Operand::Value(v) => Some(v),
        _ => None,
    }
}

/// The type an operand is known to have before evaluation.
fn static_type(op: &Operand) -> Option<&'static str> {
    match op {
        Operand::Value(v) => Some(v.type_code()),
        Operand::Call { name, args } => match name.as_str() {
            "size" => Some("N"),
            "list_append" => Some("L"),
            "if_not_exists" => args.get(1).and_then(static_type),
            _ => Some("BOOL"),
        },
        Operand::Arith { .. } => Some("N"),
        _ => None,
    }
}

/// `{N:2}` as AWS prints a value in BETWEEN messages.
fn value_text(v: &AttributeValue) -> String {
    let inner = match v {
        AttributeValue::S(s) => s.clone(),
        AttributeValue::N(n) => n.to_string(),
        AttributeValue::B(b) => encode_base64(b),
        other => other.to_json().to_string(),
    };
    format!("AttributeValue: {{{}:{}}}", v.type_code(), inner)
}

/// AWS's long type names in ADD/DELETE messages.
fn long_type(code: &str) -> Option<&'static str> {
    Some(match code {
        "S" => "STRING",
        "N" => "NUMBER",
        "B" => "BINARY",
        "NULL" => "NULL",
        "BOOL" => "BOOLEAN",
        "L" => "LIST",
        "M" => "MAP",
        _ => return None,
    })
}

impl<'c> Checker<'c> {
    pub(crate) fn new(ctx: &'c mut ExpressionContext, kind: ExprKind) -> Self {
        Checker {
            ctx,
            kind,
            e: Errors::default(),
        }
    }

    pub(crate) fn resolve_path(&mut self, path: &mut Path) {
        self.path(path);
    }

    fn path(&mut self, path: &mut Path) {
        let depth = path.elems.len();
        if depth > MAX_PATH_DEPTH {
            set(&mut self.e.nesting, || {
                format!("The document path has too many nesting levels; nesting levels: {depth}")
            });
        }
        for elem in path.elems.iter_mut() {
            match elem {
                PathElem::Attr(name) => {
                    if is_reserved(name) {
                        set(&mut self.e.reserved, || {
                            format!(
                                "Attribute name is a reserved keyword; reserved keyword: {name}"
                            )
                        });
                    }
                }
                PathElem::Placeholder(key) => match self.ctx.name(key) {
                    Some(name) => *elem = PathElem::Attr(name),
                    None => {
                        let msg = format!(
                            "An expression attribute name used in the document path is not defined; attribute name: {key}"
                        );
                        set(&mut self.e.attr_any, || msg.clone());
                        set(&mut self.e.attr_name, || msg);
                    }
                },
                PathElem::Index(_) => {}
            }
        }
    }

    fn operand(&mut self, op: &mut Operand) {
        match op {
            Operand::Path(p) => self.path(p),
            Operand::Placeholder(key) => match self.ctx.value(key) {
                Some(v) => *op = Operand::Value(v),
                None => {
                    let msg = format!(
                        "An expression attribute value used in expression is not defined; attribute value: {key}"
                    );
                    set(&mut self.e.attr_any, || msg.clone());
                    set(&mut self.e.attr_value, || msg);
                }
            },
            Operand::Value(_) => {}
            Operand::Call { name, args } => {
                for arg in args.iter_mut() {
                    self.operand(arg);
                }
                self.call(name, args);
                if self.kind == ExprKind::Update {
                    self.nested_list_append(args.iter());
                }
            }
            Operand::Arith { plus, left, right } => {
                self.operand(left);
                self.operand(right);
                self.nested_list_append([&**left, &**right]);
                let sym = if *plus { "+" } else { "-" };
                for arg in [&**left, &**right] {
                    if let Some(t) = immediate(arg).map(|v| v.type_code()) {
                        if t != "N" {
                            set(&mut self.e.function, || {
                                format!("Incorrect operand type for operator or function; operator or function: {sym}, operand type: {t}")
                            });
                        }
                    }
                }
            }
        }
    }

    fn count(&mut self, name: &str, args: &[Operand], want: usize) -> bool {
        if args.len() != want {
            // Update expressions rank operand counts with the function checks.
            let slot = if self.kind == ExprKind::Update {
                &mut self.e.function
            } else {
                &mut self.e.operand
            };
            set(slot, || {
                format!(
                    "Incorrect number of operands for operator or function; operator or function: {name}, number of operands: {}",
                    args.len()
                )
            });
            return false;
        }
        true
    }

    /// Whether a function name is known at all, reporting it otherwise.
    fn known_function(&mut self, name: &str) -> bool {
        let known = name == "size"
            || UPDATE_FUNCTIONS.contains(&name)
            || CONDITION_FUNCTIONS.iter().any(|(n, _)| *n == name);
        if !known {
            set(&mut self.e.unknown_function, || {
                format!("Invalid function name; function: {name}")
            });
        }
        known
    }

    /// A call in operand position.
    fn call(&mut self, name: &str, args: &[Operand]) {
        if !self.known_function(name) {
            return;
        }
        let update = self.kind == ExprKind::Update;
        if update && !UPDATE_FUNCTIONS.contains(&name) {
            set(&mut self.e.unknown_function, || {
                format!("The function is not allowed in an update expression; function: {name}")
            });
            return;
        }
        if !update && UPDATE_FUNCTIONS.contains(&name) {
            set(&mut self.e.unknown_function, || {
                format!("The function is not allowed in a condition expression; function: {name}")
            });
            return;
        }
        if !update && name != "size" {
            self.misused(name);
            return;
        }
        if !update {
            self.misused_args(args);
        }
        match name {
            "size" if self.count(name, args, 1) => {
                if let Some(t) = args.first().and_then(static_type) {
                    if matches!(t, "N" | "BOOL" | "NULL") {
                        set(&mut self.e.function, || {
                            format!("Incorrect operand type for operator or function; operator or function: size, operand type: {t}")
                        });
                    }
                }
            }
            "if_not_exists"
                if self.count(name, args, 2) && !matches!(args.first(), Some(Operand::Path(_))) =>
            {
                set(&mut self.e.function, || {
                    "Operator or function requires a document path; operator or function: if_not_exists".to_string()
                });
            }
            "list_append" if self.count(name, args, 2) => {
                for arg in args {
                    if let Some(t) = immediate(arg).map(|v| v.type_code()) {
                        if t != "L" {
                            set(&mut self.e.function, || {
                                format!("Incorrect operand type for operator or function; operator or function: list_append, operand type: {t}")
                            });
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// In an update, `list_append` gives a value only to a SET action: not to another
    /// function (`list_append(list_append(:a, :b), :c)`) nor to `+`/`-`.
    fn nested_list_append<'o>(&mut self, operands: impl IntoIterator<Item = &'o Operand>) {
        if operands
            .into_iter()
            .any(|op| matches!(op, Operand::Call { name, .. } if name == "list_append"))
        {
            self.misused("list_append");
        }
    }

    fn misused(&mut self, name: &str) {
        set(&mut self.e.misused, || {
            format!("The function is not allowed to be used this way in an expression; function: {name}")
        });
    }

    /// Boolean functions may not stand where a value is expected.
    fn misused_args(&mut self, args: &[Operand]) {
        for arg in args {
            if let Operand::Call { name, .. } = arg {
                if name != "size" && CONDITION_FUNCTIONS.iter().any(|(n, _)| n == name) {
                    self.misused(name);
                }
            }
        }
    }

    fn distinct(&mut self, op: &str, first: &Operand, second: &Operand) {
        if let (Operand::Path(a), Operand::Path(b)) = (first, second) {
            if a == b {
                set(&mut self.e.distinct, || {
                    format!("The first operand must be distinct from the remaining operands for this operator or function; operator: {op}, first operand: {a}")
                });
            }
        }
    }

    /// Checks every comparison and function of a condition, left to right, without
    /// recursion (conditions may nest as deep as the size limit allows).
    pub(crate) fn condition(&mut self, cond: &mut Condition) {
        let mut stack = vec![cond];
        while let Some(c) = stack.pop() {
            match c {
                Condition::Not(x) => stack.push(&mut **x),
                Condition::And(a, b) | Condition::Or(a, b) => {
                    stack.push(&mut **b);
                    stack.push(&mut **a);
                }
                leaf => {
                    self.leaf(leaf);
                    let first = [
                        self.e.attr_any.take(),
                        self.e.nesting.take(),
                        self.e.operand.take(),
                        self.e.distinct.take(),
                        self.e.function.take(),
                    ]
                    .into_iter()
                    .flatten()
                    .next();
                    self.e.attr_name = None;
                    self.e.attr_value = None;
                    if let Some(msg) = first {
                        set(&mut self.e.leaf, || msg);
                    }
                }
            }
        }
    }

    fn leaf(&mut self, cond: &mut Condition) {
        match cond {
            Condition::Not(_) | Condition::And(..) | Condition::Or(..) => {}
            Condition::Compare { op, left, right } => {
                self.operand(left);
                self.operand(right);
                self.misused_args(&[left.clone(), right.clone()]);
                self.distinct(op.symbol(), left, right);
                if !matches!(op, CmpOp::Eq | CmpOp::Ne) {
                    for side in [&*left, &*right] {
                        if let Some(t) = immediate(side).map(|v| v.type_code()) {
                            if !matches!(t, "N" | "S" | "B") {
                                let sym = op.symbol();
                                set(&mut self.e.function, || {
                                    format!("Incorrect operand type for operator or function; operator or function: {sym}, operand type: {t}")
                                });
                            }
                        }
                    }
                }
            }
            Condition::Between { value, low, high } => {
                self.operand(value);
                self.operand(low);
                self.operand(high);
                self.misused_args(&[value.clone(), low.clone(), high.clone()]);
                for side in [&*value, &*low, &*high] {
                    if let Some(t) = immediate(side).map(|v| v.type_code()) {
                        if !matches!(t, "N" | "S" | "B") {
                            set(&mut self.e.function, || {
                                format!("Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: {t}")
                            });
                        }
                    }
                }
                if let (Some(l), Some(h)) = (immediate(low), immediate(high)) {
                    if l.type_code() != h.type_code() {
                        set(&mut self.e.function, || {
                            format!("The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: {}, upper bound operand: {}", value_text(l), value_text(h))
                        });
                    } else if compare_values(l, h) == Some(Ordering::Greater) {
                        set(&mut self.e.function, || {
                            format!("The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: {}, upper bound operand: {}", value_text(l), value_text(h))
                        });
                    }
                }
            }
            Condition::In { value, list } => {
                self.operand(value);
                for item in list.iter_mut() {
                    self.operand(item);
                }
                self.misused_args(std::slice::from_ref(value));
                self.misused_args(list);
                if list.len() > MAX_IN_OPERANDS {
                    let n = list.len();
                    set(&mut self.e.operand, || {
                        format!("The IN operator is provided with too many operands; number of operands: {n}")
                    });
                }
            }
            Condition::Function { name, args } => {
                for arg in args.iter_mut() {
                    self.operand(arg);
                }
                self.function(name, args);
            }
        }
    }

    /// A boolean function standing as a condition.
    fn function(&mut self, name: &str, args: &[Operand]) {
        if !self.known_function(name) {
            return;
        }
        if UPDATE_FUNCTIONS.contains(&name) {
            set(&mut self.e.unknown_function, || {
                format!("The function is not allowed in a condition expression; function: {name}")
            });
            return;
        }
        if name == "size" {
            self.misused(name);
            return;
        }
        self.misused_args(args);
        let want = CONDITION_FUNCTIONS
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(0, |(_, c)| *c);
        if !self.count(name, args, want) {
            return;
        }
        if let [first, second] = args {
            self.distinct(name, first, second);
        }
        match name {
            "attribute_exists" | "attribute_not_exists"
                if !matches!(args.first(), Some(Operand::Path(_))) =>
            {
                set(&mut self.e.function, || {
                    format!("Operator or function requires a document path; operator or function: {name}")
                });
            }
            "begins_with" => {
                for arg in args {
                    if let Some(t) = static_type(arg) {
                        if t != "S" && t != "B" {
                            set(&mut self.e.function, || {
                                format!("Incorrect operand type for operator or function; operator or function: begins_with, operand type: {t}")
                            });
                        }
                    }
                }
            }
            "attribute_type" => match args.get(1) {
                Some(Operand::Value(AttributeValue::S(t))) => {
                    const TYPES: [&str; 10] =
                        ["B", "NULL", "SS", "BOOL", "L", "BS", "N", "NS", "S", "M"];
                    if !TYPES.contains(&t.as_str()) {
                        set(&mut self.e.function, || {
                            format!("Invalid attribute type name found; type: {t}, valid types: {{B,NULL,SS,BOOL,L,BS,N,NS,S,M}}")
                        });
                    }
                }
                Some(other) => {
                    let t = static_type(other).unwrap_or("{NS,SS,L,BS,N,M,B,BOOL,NULL,S}");
                    set(&mut self.e.function, || {
                        format!("Incorrect operand type for operator or function; operator or function: attribute_type, operand type: {t}")
                    });
                }
                None => {}
            },
            _ => {}
        }
    }

    /// Overlapping (`[a]` and `[a, b]`) and conflicting (`[a, b]` and `[a, [1]]`) paths.
    pub(crate) fn paths<'p>(&mut self, paths: impl Iterator<Item = &'p Path>) {
        let mut seen: Vec<&Path> = Vec::new();
        for path in paths {
            for earlier in &seen {
                let mut conflict = false;
                let mut differ = false;
                for (a, b) in earlier.elems.iter().zip(path.elems.iter()) {
                    match (a, b) {
                        (PathElem::Index(x), PathElem::Index(y)) if x == y => {}
                        (PathElem::Attr(x), PathElem::Attr(y)) if x == y => {}
                        (PathElem::Index(_), PathElem::Index(_))
                        | (PathElem::Attr(_), PathElem::Attr(_)) => {
                            differ = true;
                            break;
                        }
                        _ => {
                            conflict = true;
                            break;
                        }
                    }
                }
                if conflict {
                    set(&mut self.e.conflict, || {
                        format!("Two document paths conflict with each other; must remove or rewrite one of these paths; path one: {earlier}, path two: {path}")
                    });
                } else if !differ {
                    set(&mut self.e.overlap, || {
                        format!("Two document paths overlap with each other; must remove or rewrite one of these paths; path one: {earlier}, path two: {path}")
                    });
                }
            }
            if self.e.overlap.is_some() {
                return;
            }
            seen.push(path);
        }
    }

    pub(crate) fn update(&mut self, actions: &mut [UpdateAction], sections: &[&'static str]) {
        for (i, s) in sections.iter().enumerate() {
            if sections.get(..i).is_some_and(|before| before.contains(s)) {
                set(&mut self.e.section, || {
                    format!("The \"{s}\" section can only be used once in an update expression;")
                });
            }
        }
        for action in actions.iter_mut() {
            match action {
                UpdateAction::Set { path, value } => {
                    self.path(path);
                    self.operand(value);
                }
                UpdateAction::Remove { path } => self.path(path),
                UpdateAction::Add { path, value } => self.add_delete("ADD", path, value),
                UpdateAction::Delete { path, value } => self.add_delete("DELETE", path, value),
            }
        }
        self.paths(actions.iter().map(|a| a.path()));
    }

    fn add_delete(&mut self, op: &str, path: &mut Path, value: &mut Operand) {
        self.path(path);
        self.operand(value);
        if let Some(t) = immediate(value).map(|v| v.type_code()) {
            if let Some(long) = long_type(t) {
                if !(op == "ADD" && t == "N") {
                    set(&mut self.e.operand, || {
                        format!("Incorrect operand type for operator or function; operator: {op}, operand type: {long}")
                    });
                }
            }
        }
    }

    /// The first error in AWS's order for this kind of expression.
    pub(crate) fn finish(self) -> Result<(), DynamoError> {
        let e = self.e;
        let order = match self.kind {
            ExprKind::Update => vec![
                e.reserved,
                e.unknown_function,
                e.section,
                e.attr_name,
                e.attr_value,
                e.nesting,
                e.overlap,
                e.conflict,
                e.operand,
                e.function,
                e.misused,
                e.distinct,
            ],
            ExprKind::Projection => {
                vec![e.reserved, e.attr_name, e.nesting, e.overlap, e.conflict]
            }
            _ => vec![e.parens, e.unknown_function, e.misused, e.reserved, e.leaf],
        };
        match order.into_iter().flatten().next() {
            Some(msg) => Err(validation(format!("Invalid {}: {msg}", self.kind.label()))),
            None => Ok(()),
        }
    }

    pub(crate) fn redundant_parens(&mut self) {
        set(&mut self.e.parens, || {
            "The expression has redundant parentheses;".to_string()
        });
    }
}
