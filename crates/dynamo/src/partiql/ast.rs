//! The PartiQL statements DynamoDB supports, as a syntax tree.

use crate::expr::Path;
use crate::types::AttributeValue;

/// A value-producing expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Path(Path),
    /// A literal or a bound `?` parameter.
    Value(AttributeValue),
    /// A function call: `size(a)`, `list_append(a, [1])`, `set_add(s, <<'x'>>)`, ...
    Call(String, Vec<Operand>),
    /// `a + 1`, `a - 1`.
    Arith(bool, Box<Operand>, Box<Operand>),
}

/// A WHERE condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Compare(&'static str, Operand, Operand),
    Between(Operand, Operand, Operand),
    In(Operand, Vec<Operand>),
    /// `a IS [NOT] MISSING` / `a IS [NOT] NULL` (bool: negated, str: MISSING or NULL).
    Is(Operand, bool, &'static str),
    /// A boolean function: begins_with, contains, attribute_type, attribute_exists, ...
    Call(String, Vec<Operand>),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
}

/// `RETURNING ( ALL | MODIFIED ) ( NEW | OLD ) *`, as UpdateItem's ReturnValues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returning {
    AllNew,
    AllOld,
    UpdatedNew,
    UpdatedOld,
}

impl Returning {
    /// The ReturnValues of the equivalent UpdateItem/DeleteItem request.
    pub fn return_values(self) -> &'static str {
        match self {
            Returning::AllNew => "ALL_NEW",
            Returning::AllOld => "ALL_OLD",
            Returning::UpdatedNew => "UPDATED_NEW",
            Returning::UpdatedOld => "UPDATED_OLD",
        }
    }
}

/// One statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Statement {
    Select {
        /// `None` for `*`.
        projection: Option<Vec<Path>>,
        table: String,
        index: Option<String>,
        filter: Option<Expr>,
        /// `ORDER BY path [ASC|DESC]`: the path and whether descending.
        order: Option<(Path, bool)>,
    },
    Insert {
        table: String,
        item: AttributeValue,
    },
    Update {
        table: String,
        sets: Vec<(Path, Operand)>,
        removes: Vec<Path>,
        filter: Option<Expr>,
        returning: Option<Returning>,
    },
    Delete {
        table: String,
        filter: Option<Expr>,
        returning: Option<Returning>,
    },
    /// `EXISTS(SELECT * FROM "T" WHERE <key> [AND <condition>])`: a transaction's
    /// condition check.
    Exists {
        table: String,
        filter: Option<Expr>,
    },
}

impl Statement {
    /// The table the statement works on.
    pub fn table(&self) -> &str {
        match self {
            Statement::Select { table, .. }
            | Statement::Insert { table, .. }
            | Statement::Update { table, .. }
            | Statement::Delete { table, .. }
            | Statement::Exists { table, .. } => table,
        }
    }
}
