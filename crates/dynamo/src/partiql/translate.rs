//! Translating a PartiQL statement into the DynamoDB request that does the same work:
//! SELECT → GetItem-like Query or Scan (with Filter/Projection expressions), INSERT →
//! PutItem with `attribute_not_exists`, UPDATE → UpdateItem (item must exist), DELETE →
//! DeleteItem. Conditions become expression text with generated `#pN`/`:pN` placeholders,
//! so reserved words and odd names need no escaping and the expression engine does the
//! evaluation.

use serde_json::{json, Map, Value};

use super::ast::{Expr, Operand, Statement};
use super::parse::validation;
use crate::error::DynamoError;
use crate::expr::{parse_condition, ExprKind, ExpressionContext, Path, PathElem};
use crate::types::AttributeValue;

/// A table's (or index's) key attribute names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schema {
    pub hash: String,
    pub range: Option<String>,
    /// Whether this is a global secondary index's schema.
    pub global: bool,
    /// For an index that does not project everything: the attributes it holds.
    pub projected: Option<Vec<String>>,
    /// The index name, when this is an index's schema.
    pub index: Option<String>,
}

fn key_schema(list: &Value) -> Option<Schema> {
    let mut hash = None;
    let mut range = None;
    for k in list.as_array()? {
        let name = k.get("AttributeName")?.as_str()?.to_string();
        match k.get("KeyType")?.as_str()? {
            "HASH" => hash = Some(name),
            _ => range = Some(name),
        }
    }
    Some(Schema {
        hash: hash?,
        range,
        global: false,
        projected: None,
        index: None,
    })
}

/// The key schema of a table, or of one of its indexes, from a DescribeTable response.
pub fn schema_from_describe(desc: &Value, index: Option<&str>) -> Result<Schema, DynamoError> {
    let table = desc.get("Table").unwrap_or(desc);
    let Some(index) = index else {
        return key_schema(&table["KeySchema"])
            .ok_or_else(|| validation("The table has no key schema"));
    };
    for kind in ["GlobalSecondaryIndexes", "LocalSecondaryIndexes"] {
        if let Some(list) = table.get(kind).and_then(Value::as_array) {
            for ix in list {
                if ix.get("IndexName").and_then(Value::as_str) == Some(index) {
                    let schema = key_schema(&ix["KeySchema"])
                        .ok_or_else(|| validation("The index has no key schema"))?;
                    let projection = &ix["Projection"];
                    let projected = match projection["ProjectionType"].as_str() {
                        Some("KEYS_ONLY") | Some("INCLUDE") => {
                            let mut names: Vec<String> = Vec::new();
                            let table_keys = key_schema(&table["KeySchema"]);
                            for s in [Some(&schema), table_keys.as_ref()].into_iter().flatten() {
                                names.push(s.hash.clone());
                                names.extend(s.range.clone());
                            }
                            for n in projection["NonKeyAttributes"]
                                .as_array()
                                .into_iter()
                                .flatten()
                            {
                                names.extend(n.as_str().map(str::to_string));
                            }
                            Some(names)
                        }
                        _ => None,
                    };
                    return Ok(Schema {
                        global: kind == "GlobalSecondaryIndexes",
                        projected,
                        index: Some(index.to_string()),
                        ..schema
                    });
                }
            }
        }
    }
    // PartiQL words it without the index name (Query appends it).
    Err(validation("The table does not have the specified index"))
}

/// Builds expression text with generated placeholders.
#[derive(Default)]
pub struct Builder {
    names: Map<String, Value>,
    values: Map<String, Value>,
    decoded: Vec<(String, AttributeValue)>,
}

impl Builder {
    fn name(&mut self, attr: &str) -> String {
        if let Some((k, _)) = self.names.iter().find(|(_, v)| v.as_str() == Some(attr)) {
            return k.clone();
        }
        let key = format!("#p{}", self.names.len());
        self.names.insert(key.clone(), json!(attr));
        key
    }

    fn value(&mut self, v: &AttributeValue) -> String {
        let key = format!(":p{}", self.values.len());
        self.values.insert(key.clone(), v.to_json());
        self.decoded.push((key.clone(), v.clone()));
        key
    }

    /// The names and values so far, as an expression context.
    pub fn context(&self) -> ExpressionContext {
        let names = self
            .names
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
            .collect();
        ExpressionContext::from_maps(names, self.decoded.clone())
    }

    /// A path as expression text (e.g. for a ProjectionExpression).
    pub fn path_text(&mut self, p: &Path) -> String {
        self.path(p)
    }

    fn path(&mut self, p: &Path) -> String {
        let mut out = String::new();
        for (i, e) in p.elems.iter().enumerate() {
            match e {
                PathElem::Attr(a) | PathElem::Placeholder(a) => {
                    if i > 0 {
                        out.push('.');
                    }
                    let n = self.name(a);
                    out.push_str(&n);
                }
                PathElem::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }

    fn operand(&mut self, op: &Operand) -> Result<String, DynamoError> {
        Ok(match op {
            Operand::Path(p) => self.path(p),
            Operand::Value(v) => self.value(v),
            Operand::Call(name, args) => {
                const KNOWN: [&str; 8] = [
                    "size",
                    "begins_with",
                    "contains",
                    "attribute_type",
                    "attribute_exists",
                    "attribute_not_exists",
                    "list_append",
                    "if_not_exists",
                ];
                if !KNOWN.contains(&name.as_str()) {
                    return Err(validation(format!("Unrecognized function: {name}")));
                }
                let args = args
                    .iter()
                    .map(|a| self.operand(a))
                    .collect::<Result<Vec<_>, _>>()?;
                format!("{name}({})", args.join(", "))
            }
            Operand::Arith(plus, a, b) => format!(
                "{} {} {}",
                self.operand(a)?,
                if *plus { "+" } else { "-" },
                self.operand(b)?
            ),
        })
    }

    /// A WHERE condition as ConditionExpression text.
    pub fn expr(&mut self, e: &Expr) -> Result<String, DynamoError> {
        Ok(match e {
            Expr::Compare(op, a, b) => format!("{} {op} {}", self.operand(a)?, self.operand(b)?),
            Expr::Between(v, a, b) => format!(
                "{} BETWEEN {} AND {}",
                self.operand(v)?,
                self.operand(a)?,
                self.operand(b)?
            ),
            Expr::In(v, list) => {
                let v = self.operand(v)?;
                let list = list
                    .iter()
                    .map(|a| self.operand(a))
                    .collect::<Result<Vec<_>, _>>()?;
                format!("{v} IN ({})", list.join(", "))
            }
            Expr::Is(op, negated, what) => {
                let Operand::Path(p) = op else {
                    return Err(validation(
                        "The left hand side argument to IS must be a Variable Reference, Literal, or Path",
                    ));
                };
                let p = self.path(p);
                match (*what, *negated) {
                    ("MISSING", false) => format!("attribute_not_exists({p})"),
                    ("MISSING", true) => format!("attribute_exists({p})"),
                    (_, neg) => {
                        let t = self.value(&AttributeValue::S("NULL".into()));
                        if neg {
                            format!("(NOT attribute_type({p}, {t}))")
                        } else {
                            format!("attribute_type({p}, {t})")
                        }
                    }
                }
            }
            Expr::Call(name, args) => self.operand(&Operand::Call(name.clone(), args.clone()))?,
            Expr::Not(x) => format!("(NOT {})", self.expr(x)?),
            Expr::And(..) | Expr::Or(..) => {
                // A chain of one operator renders flat, so long chains never recurse deeply.
                let and = matches!(e, Expr::And(..));
                let mut parts = Vec::new();
                let mut stack = vec![e];
                while let Some(x) = stack.pop() {
                    match x {
                        Expr::And(a, b) if and => {
                            stack.push(b);
                            stack.push(a);
                        }
                        Expr::Or(a, b) if !and => {
                            stack.push(b);
                            stack.push(a);
                        }
                        other => parts.push(self.expr(other)?),
                    }
                }
                format!("({})", parts.join(if and { " AND " } else { " OR " }))
            }
        })
    }

    /// Adds the names and values to a request.
    pub fn finish(self, request: &mut Map<String, Value>) {
        if !self.names.is_empty() {
            request.insert("ExpressionAttributeNames".into(), Value::Object(self.names));
        }
        if !self.values.is_empty() {
            request.insert(
                "ExpressionAttributeValues".into(),
                Value::Object(self.values),
            );
        }
    }
}

/// Checks a statement's WHERE clause as DynamoDB does before it looks the table up
/// (operand types, functions, BETWEEN bounds), with the expression prefix dropped.
pub fn prevalidate(stmt: &Statement) -> Result<(), DynamoError> {
    let filter = match stmt {
        Statement::Select { filter, .. }
        | Statement::Update { filter, .. }
        | Statement::Delete { filter, .. }
        | Statement::Exists { filter, .. } => filter.as_ref(),
        Statement::Insert { .. } => None,
    };
    let Some(filter) = filter else {
        return Ok(());
    };
    let mut b = Builder::default();
    let text = b.expr(filter)?;
    let mut ctx = b.context();
    match parse_condition(&text, &mut ctx, ExprKind::Filter) {
        Ok(_) => Ok(()),
        // Too long for one expression is decided when the requests are built.
        Err(e) if e.message.contains("Expression size has exceeded") => Ok(()),
        Err(mut e) => {
            if let Some(rest) = e.message.strip_prefix("Invalid FilterExpression: ") {
                e.message = rest.to_string();
            }
            Err(e)
        }
    }
}

/// The top-level AND-ed parts of a condition.
pub fn conjuncts(e: &Expr) -> Vec<&Expr> {
    let mut out = Vec::new();
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        match e {
            Expr::And(a, b) => {
                stack.push(b);
                stack.push(a);
            }
            other => out.push(other),
        }
    }
    out
}

/// `attr = literal` (either way round): the attribute and the value.
fn equality(e: &Expr) -> Option<(&str, &AttributeValue)> {
    let Expr::Compare("=", a, b) = e else {
        return None;
    };
    let (p, v) = match (a, b) {
        (Operand::Path(p), Operand::Value(v)) | (Operand::Value(v), Operand::Path(p)) => (p, v),
        _ => return None,
    };
    match p.elems.as_slice() {
        [PathElem::Attr(n)] => Some((n.as_str(), v)),
        _ => None,
    }
}

/// The top-level attribute a path operand names.
fn top_name(op: &Operand) -> Option<&str> {
    match op {
        Operand::Path(p) => match p.elems.as_slice() {
            [PathElem::Attr(n)] => Some(n),
            _ => None,
        },
        _ => None,
    }
}

/// Whether a part is a sort-key condition a KeyConditionExpression can hold.
fn is_range_condition(e: &Expr, range: &str) -> bool {
    let is_value = |op: &Operand| matches!(op, Operand::Value(_));
    match e {
        Expr::Compare(op, a, b) if *op != "<>" => {
            (top_name(a) == Some(range) && is_value(b))
                || (top_name(b) == Some(range) && is_value(a))
        }
        Expr::Between(v, lo, hi) => top_name(v) == Some(range) && is_value(lo) && is_value(hi),
        Expr::Call(name, args) if name == "begins_with" => {
            args.len() == 2
                && args.first().and_then(top_name) == Some(range)
                && args.get(1).is_some_and(is_value)
        }
        _ => false,
    }
}

/// Whether an operand refers to any of `names` at its top level.
fn operand_mentions(op: &Operand, names: &[&str]) -> bool {
    match op {
        Operand::Path(p) => p.top().is_some_and(|t| names.contains(&t)),
        Operand::Value(_) => false,
        Operand::Call(_, args) => args.iter().any(|a| operand_mentions(a, names)),
        Operand::Arith(_, a, b) => operand_mentions(a, names) || operand_mentions(b, names),
    }
}

fn operand_names(op: &Operand, out: &mut Vec<String>) {
    match op {
        Operand::Path(p) => {
            if let Some(t) = p.top() {
                if !out.iter().any(|o| o == t) {
                    out.push(t.to_string());
                }
            }
        }
        Operand::Value(_) => {}
        Operand::Call(_, args) => args.iter().for_each(|a| operand_names(a, out)),
        Operand::Arith(_, a, b) => {
            operand_names(a, out);
            operand_names(b, out);
        }
    }
}

/// The top-level attributes a condition reads, in order of first use.
fn expr_names(e: &Expr) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        match e {
            Expr::Compare(_, a, b) => {
                operand_names(a, &mut out);
                operand_names(b, &mut out);
            }
            Expr::Between(a, b, c) => [a, b, c].iter().for_each(|o| operand_names(o, &mut out)),
            Expr::In(a, list) => {
                operand_names(a, &mut out);
                list.iter().for_each(|o| operand_names(o, &mut out));
            }
            Expr::Is(a, ..) => operand_names(a, &mut out),
            Expr::Call(_, args) => args.iter().for_each(|o| operand_names(o, &mut out)),
            Expr::Not(x) => stack.push(x),
            Expr::And(a, b) | Expr::Or(a, b) => {
                stack.push(b);
                stack.push(a);
            }
        }
    }
    out
}

/// A SELECT on an index may only read what the index projects.
fn check_projected(
    schema: &Schema,
    projection: Option<&Vec<Path>>,
    filter: Option<&Expr>,
) -> Result<(), DynamoError> {
    let (Some(projected), Some(index)) = (&schema.projected, &schema.index) else {
        return Ok(());
    };
    let missing = |names: Vec<String>| -> Vec<String> {
        names
            .into_iter()
            .filter(|n| !projected.contains(n))
            .collect()
    };
    let unfiltered = missing(filter.map(expr_names).unwrap_or_default());
    if !unfiltered.is_empty() {
        return Err(validation(format!(
            "One or more parameter values were invalid: Secondary index {index} does not project one or more filter attributes: [{}]",
            unfiltered.join(", ")
        )));
    }
    if schema.global {
        let mut names: Vec<String> = Vec::new();
        for p in projection.into_iter().flatten() {
            if let Some(t) = p.top() {
                if !names.iter().any(|n| n == t) {
                    names.push(t.to_string());
                }
            }
        }
        let unread = missing(names);
        if !unread.is_empty() {
            return Err(validation(format!(
                "One or more parameter values were invalid: Global secondary index {index} does not project [{}]",
                unread.join(", ")
            )));
        }
    }
    Ok(())
}

/// Whether a condition refers to any of `names`.
fn mentions(e: &Expr, names: &[&str]) -> bool {
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        let hit = match e {
            Expr::Compare(_, a, b) => operand_mentions(a, names) || operand_mentions(b, names),
            Expr::Between(a, b, c) => [a, b, c].iter().any(|o| operand_mentions(o, names)),
            Expr::In(a, list) => {
                operand_mentions(a, names) || list.iter().any(|o| operand_mentions(o, names))
            }
            Expr::Is(a, ..) => operand_mentions(a, names),
            Expr::Call(_, args) => args.iter().any(|o| operand_mentions(o, names)),
            Expr::Not(x) => {
                stack.push(x);
                false
            }
            Expr::And(a, b) | Expr::Or(a, b) => {
                stack.push(a);
                stack.push(b);
                false
            }
        };
        if hit {
            return true;
        }
    }
    false
}

/// For a SELECT that can be a Query: the part with the partition key equality and the
/// part (if any) with the sort-key condition. `None` means a Scan: no key equality, or
/// other parts refer to key attributes (which a Query's FilterExpression may not).
fn query_parts(parts: &[&Expr], schema: &Schema) -> Option<(usize, Option<usize>)> {
    let hash = parts
        .iter()
        .position(|p| equality(p).is_some_and(|(n, _)| n == schema.hash))?;
    let range = schema.range.as_deref().and_then(|r| {
        parts
            .iter()
            .enumerate()
            .position(|(j, p)| j != hash && is_range_condition(p, r))
    });
    let keys: Vec<&str> = std::iter::once(schema.hash.as_str())
        .chain(schema.range.as_deref())
        .collect();
    let clean = parts
        .iter()
        .enumerate()
        .all(|(j, p)| j == hash || Some(j) == range || !mentions(p, &keys));
    clean.then_some((hash, range))
}

/// Splits a WHERE clause into the full primary key and the remaining conditions, for
/// statements that address exactly one item.
pub fn key_and_rest<'e>(
    filter: Option<&'e Expr>,
    schema: &Schema,
) -> Result<(Map<String, Value>, Vec<&'e Expr>), DynamoError> {
    let missing =
        || validation("Where clause does not contain a mandatory equality on all key attributes");
    let parts = filter.map(conjuncts).unwrap_or_default();
    let mut key = Map::new();
    let mut rest = Vec::new();
    let key_names: Vec<&str> = std::iter::once(schema.hash.as_str())
        .chain(schema.range.as_deref())
        .collect();
    for part in parts {
        match equality(part) {
            Some((name, v)) if key_names.contains(&name) => {
                if key.contains_key(name) {
                    return Err(validation(format!(
                        "Multiple conditions on same key {name}. Only single item Update/Insert/Delete are supported"
                    )));
                }
                key.insert(name.to_string(), v.to_json());
            }
            _ => rest.push(part),
        }
    }
    if key.len() != key_names.len() {
        return Err(missing());
    }
    Ok((key, rest))
}

/// The condition text for a list of AND-ed parts (`None` when empty).
pub fn and_all(b: &mut Builder, parts: &[&Expr]) -> Result<Option<String>, DynamoError> {
    let texts = parts
        .iter()
        .map(|p| b.expr(p))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((!texts.is_empty()).then(|| texts.join(" AND ")))
}

/// The body of the request a statement turns into (without paging parameters).
pub fn plan(stmt: &Statement, schema: &Schema) -> Result<(&'static str, Value), DynamoError> {
    let mut b = Builder::default();
    let mut req = Map::new();
    req.insert("TableName".into(), json!(stmt.table()));
    let op = match stmt {
        Statement::Select {
            projection,
            index,
            filter,
            order,
            ..
        } => {
            if let Some((path, descending)) = order {
                let parts = filter.as_ref().map(conjuncts).unwrap_or_default();
                if filter.is_none() {
                    return Err(validation(
                        "Must have WHERE clause in the statement when using ORDER BY clause.",
                    ));
                }
                let attr = match path.elems.as_slice() {
                    [PathElem::Attr(a)] => a.as_str(),
                    _ => "",
                };
                if attr != schema.hash && Some(attr) != schema.range.as_deref() {
                    return Err(validation(format!(
                        "Variable reference {} in ORDER BY clause must be part of the primary key",
                        path.top().unwrap_or(attr)
                    )));
                }
                if query_parts(&parts, schema).is_none() {
                    return Err(validation("Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause."));
                }
                if *descending && Some(attr) == schema.range.as_deref() {
                    req.insert("ScanIndexForward".into(), json!(false));
                }
            }
            if let Some(index) = index {
                req.insert("IndexName".into(), json!(index));
            }
            check_projected(schema, projection.as_ref(), filter.as_ref())?;
            // Nested paths are picked out of whole items afterwards (PartiQL names them
            // by their last name), so only top-level lists become a projection.
            if let Some(paths) = projection {
                if paths.iter().all(|p| p.elems.len() == 1) {
                    let text: Vec<String> = paths.iter().map(|p| b.path(p)).collect();
                    req.insert("ProjectionExpression".into(), json!(text.join(", ")));
                }
            }
            let parts = filter.as_ref().map(conjuncts).unwrap_or_default();
            match query_parts(&parts, schema) {
                Some((hash, range)) => {
                    let mut key_text = Vec::new();
                    for i in std::iter::once(hash).chain(range) {
                        if let Some(p) = parts.get(i) {
                            key_text.push(b.expr(p)?);
                        }
                    }
                    let rest: Vec<&Expr> = parts
                        .iter()
                        .enumerate()
                        .filter(|(j, _)| *j != hash && Some(*j) != range)
                        .map(|(_, p)| *p)
                        .collect();
                    req.insert(
                        "KeyConditionExpression".into(),
                        json!(key_text.join(" AND ")),
                    );
                    if let Some(f) = and_all(&mut b, &rest)? {
                        req.insert("FilterExpression".into(), json!(f));
                    }
                    "Query"
                }
                None => {
                    if let Some(f) = filter {
                        let text = b.expr(f)?;
                        req.insert("FilterExpression".into(), json!(text));
                    }
                    "Scan"
                }
            }
        }
        Statement::Insert { item, .. } => {
            let AttributeValue::M(map) = item else {
                return Err(validation("Unsupported format in item expression. Please use struct format {...} to express item values for insert statement."));
            };
            for k in std::iter::once(&schema.hash).chain(schema.range.as_ref()) {
                if !map.contains_key(k) {
                    return Err(validation(format!(
                        "Key attribute should be present in the item: Key {k}"
                    )));
                }
            }
            req.insert(
                "Item".into(),
                item.to_json().get("M").cloned().unwrap_or_default(),
            );
            let h = b.name(&schema.hash);
            req.insert(
                "ConditionExpression".into(),
                json!(format!("attribute_not_exists({h})")),
            );
            "PutItem"
        }
        Statement::Update {
            sets,
            removes,
            filter,
            returning,
            ..
        } => {
            let (key, rest) = key_and_rest(filter.as_ref(), schema)?;
            req.insert("Key".into(), Value::Object(key));
            let mut set_parts = Vec::new();
            let mut add_parts = Vec::new();
            let mut delete_parts = Vec::new();
            for (path, value) in sets {
                match value {
                    Operand::Call(name, args) if name == "set_add" || name == "set_delete" => {
                        let (Some(Operand::Path(p)), Some(Operand::Value(v)), 2) =
                            (args.first(), args.get(1), args.len())
                        else {
                            return Err(validation(format!(
                                "{} must have exactly two arguments",
                                name.to_ascii_uppercase()
                            )));
                        };
                        if p != path {
                            return Err(validation(format!(
                                "The first argument to {} must equal the assignment value",
                                name.to_ascii_uppercase()
                            )));
                        }
                        let text = format!("{} {}", b.path(p), b.value(v));
                        if name == "set_add" {
                            add_parts.push(text);
                        } else {
                            delete_parts.push(text);
                        }
                    }
                    _ => {
                        let text = format!("{} = {}", b.path(path), b.operand(value)?);
                        set_parts.push(text);
                    }
                }
            }
            let remove_parts: Vec<String> = removes.iter().map(|p| b.path(p)).collect();
            let mut update = Vec::new();
            for (word, parts) in [
                ("SET", set_parts),
                ("REMOVE", remove_parts),
                ("ADD", add_parts),
                ("DELETE", delete_parts),
            ] {
                if !parts.is_empty() {
                    update.push(format!("{word} {}", parts.join(", ")));
                }
            }
            req.insert("UpdateExpression".into(), json!(update.join(" ")));
            let h = b.name(&schema.hash);
            let mut cond = format!("attribute_exists({h})");
            if let Some(r) = and_all(&mut b, &rest)? {
                cond = format!("{cond} AND {r}");
            }
            req.insert("ConditionExpression".into(), json!(cond));
            if let Some(r) = returning {
                req.insert("ReturnValues".into(), json!(r.return_values()));
            }
            "UpdateItem"
        }
        Statement::Exists { filter, .. } => {
            let (key, rest) = key_and_rest(filter.as_ref(), schema).map_err(|_| {
                validation("EXISTS() must contain a single item read with additional condition")
            })?;
            req.insert("Key".into(), Value::Object(key));
            let h = b.name(&schema.hash);
            let mut cond = format!("attribute_exists({h})");
            if let Some(r) = and_all(&mut b, &rest)? {
                cond = format!("{cond} AND {r}");
            }
            req.insert("ConditionExpression".into(), json!(cond));
            "ConditionCheck"
        }
        Statement::Delete {
            filter, returning, ..
        } => {
            let (key, rest) = key_and_rest(filter.as_ref(), schema)?;
            req.insert("Key".into(), Value::Object(key));
            if let Some(c) = and_all(&mut b, &rest)? {
                req.insert("ConditionExpression".into(), json!(c));
            }
            if let Some(r) = returning {
                req.insert("ReturnValues".into(), json!(r.return_values()));
            }
            "DeleteItem"
        }
    };
    b.finish(&mut req);
    Ok((op, Value::Object(req)))
}

#[cfg(test)]
mod tests {
    use super::super::parse::parse_statement;
    use super::*;

    fn schema() -> Schema {
        Schema {
            hash: "pk".into(),
            range: Some("sk".into()),
            global: false,
            projected: None,
            index: None,
        }
    }

    fn planned(text: &str) -> Result<(&'static str, Value), String> {
        let stmt = parse_statement(text, &[]).map_err(|e| e.message)?;
        plan(&stmt, &schema()).map_err(|e| e.message)
    }

    #[test]
    fn select_with_hash_key_is_a_query() {
        let (op, req) =
            planned("SELECT a, \"status\" FROM \"T\" WHERE pk = 'x' AND n > 3").expect("plans");
        assert_eq!(op, "Query");
        assert_eq!(req["KeyConditionExpression"], "#p2 = :p0");
        assert_eq!(req["FilterExpression"], "#p3 > :p1");
        assert_eq!(req["ProjectionExpression"], "#p0, #p1");
        assert_eq!(req["ExpressionAttributeNames"]["#p1"], "status");
    }

    #[test]
    fn sort_key_conditions_go_to_the_key_condition() {
        let (op, req) = planned("SELECT * FROM T WHERE pk = 'a' AND sk BETWEEN 1 AND 3 AND n = 1")
            .expect("plans");
        assert_eq!(op, "Query");
        assert_eq!(
            req["KeyConditionExpression"],
            "#p0 = :p0 AND #p1 BETWEEN :p1 AND :p2"
        );
        assert_eq!(req["FilterExpression"], "#p2 = :p3");
        // A Query's filter may not name key attributes: such statements scan.
        let (op, _) = planned("SELECT * FROM T WHERE pk = 'a' AND sk <> 2").expect("plans");
        assert_eq!(op, "Scan");
    }

    #[test]
    fn select_without_key_is_a_scan() {
        let (op, req) =
            planned("SELECT * FROM T WHERE a IS MISSING OR begins_with(b, 'x')").expect("plans");
        assert_eq!(op, "Scan");
        assert_eq!(
            req["FilterExpression"],
            "(attribute_not_exists(#p0) OR begins_with(#p1, :p0))"
        );
    }

    #[test]
    fn writes_need_the_whole_key() {
        assert_eq!(
            planned("DELETE FROM T WHERE pk = 'x'")
                .err()
                .unwrap_or_default(),
            "Where clause does not contain a mandatory equality on all key attributes"
        );
        let (op, req) = planned("UPDATE T SET n = n + 1 SET s = set_add(s, <<'a'>>) REMOVE r WHERE pk = 'x' AND sk = 1 AND n < 9 RETURNING MODIFIED OLD *").expect("plans");
        assert_eq!(op, "UpdateItem");
        assert_eq!(req["Key"], json!({"pk": {"S": "x"}, "sk": {"N": "1"}}));
        assert_eq!(
            req["UpdateExpression"],
            "SET #p0 = #p0 + :p0 REMOVE #p2 ADD #p1 :p1"
        );
        assert_eq!(
            req["ConditionExpression"],
            "attribute_exists(#p3) AND #p0 < :p2"
        );
        assert_eq!(req["ReturnValues"], "UPDATED_OLD");
        let (op, req) = planned("INSERT INTO T VALUE {'pk': 'a', 'sk': 1}").expect("plans");
        assert_eq!(op, "PutItem");
        assert_eq!(req["ConditionExpression"], "attribute_not_exists(#p0)");
        assert_eq!(
            planned("INSERT INTO T VALUE {'pk': 'a'}")
                .err()
                .unwrap_or_default(),
            "Key attribute should be present in the item: Key sk"
        );
    }
}
