//! Query: key conditions (KeyConditionExpression or legacy KeyConditions) turned into a key
//! range of the table or index, then the shared read loop.

use std::ops::Bound;

use serde_json::Value;

use super::common::{check_expression_params, parse_expressions, ReadProjection};
use super::expression::{resolve_key_condition, KeyCond, RangeCond};
use super::read::{run as read, start_key_bytes, Filter, ReadPlan, Select};
use super::select::{check_select, check_start_key, read_start_key, resolve_index};
use crate::capacity::Detail;
use crate::legacy::condition::{parse_conditions, Condition, Conditions, Op};
use crate::request::Request;
use crate::response::Outcome;
use crate::table::schema::KeySchema;
use crate::types::key::{encode_value, prefix_end};
use crate::types::AttributeValue;
use crate::validate::constraints::Constraints;
use crate::validate::{common_enums, invalid, not_found, table_name, validation};
use crate::{DynamoError, Engine};

/// In the order AWS lists them in its enum constraint message.
pub const SELECT: &[&str] = &[
    "SPECIFIC_ATTRIBUTES",
    "COUNT",
    "ALL_ATTRIBUTES",
    "ALL_PROJECTED_ATTRIBUTES",
];

fn not_supported() -> DynamoError {
    validation("Query key condition not supported")
}

fn type_mismatch() -> DynamoError {
    invalid("Condition parameter type does not match schema type")
}

/// Converts legacy KeyConditions to a key condition on `schema`.
fn legacy_key_condition(conds: Vec<Condition>, schema: &KeySchema) -> Result<KeyCond, DynamoError> {
    if conds.len() > 2 {
        return Err(validation("Conditions can be of length 1 or 2 only"));
    }
    let hash_cond = conds
        .iter()
        .find(|c| c.attribute == schema.hash.name)
        .ok_or_else(|| {
            validation(format!(
                "Query condition missed key schema element: {}",
                schema.hash.name
            ))
        })?;
    if hash_cond.op != Op::Eq {
        return Err(not_supported());
    }
    let hash_value = hash_cond
        .values
        .first()
        .cloned()
        .ok_or_else(not_supported)?;
    let mut range = None;
    for c in &conds {
        if c.attribute == schema.hash.name {
            continue;
        }
        let Some(r) = schema.range.as_ref().filter(|r| r.name == c.attribute) else {
            return Err(not_supported());
        };
        let v = |i: usize| c.values.get(i).cloned().ok_or_else(not_supported);
        let cond = match c.op {
            Op::Eq => RangeCond::Eq(v(0)?),
            Op::Lt => RangeCond::Lt(v(0)?),
            Op::Le => RangeCond::Le(v(0)?),
            Op::Gt => RangeCond::Gt(v(0)?),
            Op::Ge => RangeCond::Ge(v(0)?),
            Op::Between => RangeCond::Between(v(0)?, v(1)?),
            Op::BeginsWith => RangeCond::BeginsWith(v(0)?),
            _ => return Err(not_supported()),
        };
        range = Some((r.name.clone(), cond));
    }
    Ok(KeyCond {
        hash: (schema.hash.name.clone(), hash_value),
        range,
    })
}

/// Checks that a key condition's names and value types match `schema`.
pub fn check_key_condition(cond: &KeyCond, schema: &KeySchema) -> Result<(), DynamoError> {
    if cond.hash.0 != schema.hash.name {
        return Err(validation(format!(
            "Query condition missed key schema element: {}",
            schema.hash.name
        )));
    }
    if cond.hash.1.type_code() != schema.hash.kind.code() {
        return Err(type_mismatch());
    }
    if let Some((name, rc)) = &cond.range {
        let Some(range) = schema.range.as_ref().filter(|r| &r.name == name) else {
            return Err(not_supported());
        };
        let values: Vec<&AttributeValue> = match rc {
            RangeCond::Eq(v)
            | RangeCond::Lt(v)
            | RangeCond::Le(v)
            | RangeCond::Gt(v)
            | RangeCond::Ge(v)
            | RangeCond::BeginsWith(v) => vec![v],
            RangeCond::Between(a, b) => vec![a, b],
        };
        if values.iter().any(|v| v.type_code() != range.kind.code()) {
            return Err(type_mismatch());
        }
        if let RangeCond::BeginsWith(AttributeValue::N(_)) = rc {
            return Err(invalid(
                "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
            ));
        }
    }
    Ok(())
}

/// Whether a key (an ExclusiveStartKey) satisfies the key condition.
fn key_condition_holds(cond: &KeyCond, key: &crate::types::Item) -> bool {
    use crate::legacy::compare::{begins_with, equal, order};
    use std::cmp::Ordering::{Equal, Greater, Less};
    if !key
        .get(&cond.hash.0)
        .is_some_and(|v| equal(v, &cond.hash.1))
    {
        return false;
    }
    let Some((name, rc)) = &cond.range else {
        return true;
    };
    let Some(v) = key.get(name) else {
        return false;
    };
    let is = |w: &AttributeValue, want: &[std::cmp::Ordering]| {
        order(v, w).is_some_and(|o| want.contains(&o))
    };
    match rc {
        RangeCond::Eq(w) => is(w, &[Equal]),
        RangeCond::Lt(w) => is(w, &[Less]),
        RangeCond::Le(w) => is(w, &[Less, Equal]),
        RangeCond::Gt(w) => is(w, &[Greater]),
        RangeCond::Ge(w) => is(w, &[Greater, Equal]),
        RangeCond::Between(a, b) => is(a, &[Greater, Equal]) && is(b, &[Less, Equal]),
        RangeCond::BeginsWith(w) => begins_with(v, w),
    }
}

fn with(prefix: &[u8], value: &AttributeValue) -> Vec<u8> {
    let mut out = prefix.to_vec();
    encode_value(value, &mut out);
    out
}

fn after_all(bytes: Vec<u8>) -> Bound<Vec<u8>> {
    match prefix_end(&bytes) {
        Some(e) => Bound::Excluded(e),
        None => Bound::Unbounded,
    }
}

/// The byte range of a key condition in a store whose keys start with hash then range.
pub fn key_range(cond: &KeyCond) -> (Bound<Vec<u8>>, Bound<Vec<u8>>) {
    let mut prefix = Vec::new();
    encode_value(&cond.hash.1, &mut prefix);
    let Some((_, rc)) = &cond.range else {
        return (Bound::Included(prefix.clone()), after_all(prefix));
    };
    match rc {
        RangeCond::Eq(v) => {
            let p = with(&prefix, v);
            (Bound::Included(p.clone()), after_all(p))
        }
        RangeCond::Lt(v) => (
            Bound::Included(prefix.clone()),
            Bound::Excluded(with(&prefix, v)),
        ),
        RangeCond::Le(v) => (Bound::Included(prefix.clone()), after_all(with(&prefix, v))),
        RangeCond::Gt(v) => (
            match prefix_end(&with(&prefix, v)) {
                Some(s) => Bound::Included(s),
                None => Bound::Excluded(with(&prefix, v)),
            },
            after_all(prefix),
        ),
        RangeCond::Ge(v) => (Bound::Included(with(&prefix, v)), after_all(prefix)),
        RangeCond::Between(a, b) => (
            Bound::Included(with(&prefix, a)),
            after_all(with(&prefix, b)),
        ),
        RangeCond::BeginsWith(v) => {
            let mut p = with(&prefix, v);
            // Drop the value's terminator so longer values share the prefix.
            let terminator = match v {
                AttributeValue::S(_) | AttributeValue::B(_) => 2,
                _ => 0,
            };
            p.truncate(p.len().saturating_sub(terminator));
            (Bound::Included(p.clone()), after_all(p))
        }
    }
}

pub fn run<'e>(engine: &'e mut Engine, body: &Value) -> Result<Outcome<'e>, DynamoError> {
    let r = Request::new(body);
    let mut c = Constraints::new();
    common_enums(&r, &mut c)?;
    let name = table_name(&r, &mut c)?;
    let index_name = r.str("IndexName")?;
    c.name(r.raw("IndexName"), "indexName", false);
    let select = Select::parse(r.str("Select")?);
    c.one_of(r.raw("Select"), "select", SELECT);
    let limit = r.int("Limit")?;
    // Query reports Limit without echoing the value (Scan still echoes it).
    if limit.is_some_and(|l| l < 1) {
        c.push(
            "Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
        );
    }
    let consistent = r.bool("ConsistentRead")?.unwrap_or(false);
    let forward = r.bool("ScanIndexForward")?.unwrap_or(true);
    r.str("ConditionalOperator")?;
    c.one_of(
        r.raw("ConditionalOperator"),
        "conditionalOperator",
        crate::ops::put_item::CONDITIONAL_OPERATORS,
    );
    r.list("AttributesToGet")?;
    c.length(r.raw("AttributesToGet"), "attributesToGet", 1, usize::MAX);
    c.finish()?;

    check_expression_params(
        &r,
        &[
            "ProjectionExpression",
            "FilterExpression",
            "KeyConditionExpression",
        ],
        &[
            "AttributesToGet",
            "QueryFilter",
            "ConditionalOperator",
            "KeyConditions",
        ],
    )?;
    let start_key = read_start_key(&r)?;
    let legacy_keys = match r.object("KeyConditions")? {
        Some(map) => Some(parse_conditions(map)?),
        None => None,
    };
    let legacy_filter = match r.object("QueryFilter")? {
        Some(map) => Some(parse_conditions(map)?),
        None => None,
    };
    check_select(&r, select, index_name.is_some(), true)?;
    let mut exprs = parse_expressions(&r)?;
    let projection = ReadProjection::from_request(&r, &mut exprs)?;
    if legacy_keys.is_none() && exprs.key_condition.is_none() {
        return Err(validation(
            "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
        ));
    }

    let name = name.unwrap_or_default();
    let table = engine.tables.get(name).ok_or_else(not_found)?;
    let requested: Option<Vec<String>> = match &projection {
        ReadProjection::Attributes(a) => Some(a.clone()),
        ReadProjection::Expression(p) => Some(p.top_level()),
        ReadProjection::All => None,
    };
    let index = resolve_index(table, index_name, consistent, select, requested.as_deref())?;
    let schema = index.map(|i| &i.key).unwrap_or(&table.def.key);
    let key_cond = match (exprs.key_condition.take(), legacy_keys) {
        (Some(k), _) => resolve_key_condition(
            &k,
            &schema.hash.name,
            schema.range.as_ref().map(|r| r.name.as_str()),
        )?,
        (None, Some(conds)) => legacy_key_condition(conds, schema)?,
        (None, None) => return Err(not_supported()),
    };
    check_key_condition(&key_cond, schema)?;
    let filter = match (exprs.filter.take(), legacy_filter) {
        (Some(f), _) => {
            for top in f.top_level() {
                if schema.contains(top) {
                    return Err(validation(format!(
                        "Filter Expression can only contain non-primary key attributes: Primary key attribute: {top}"
                    )));
                }
            }
            Filter::Expression(f)
        }
        (None, Some(conds)) => {
            for cnd in &conds {
                if schema.contains(&cnd.attribute) {
                    return Err(validation(format!(
                        "QueryFilter can only contain non-key attributes: Primary key attribute: {}",
                        cnd.attribute
                    )));
                }
            }
            Filter::Legacy(Conditions {
                list: conds,
                or: r.str("ConditionalOperator")? == Some("OR"),
            })
        }
        (None, None) => Filter::None,
    };
    // A keyed read of an index may not filter on attributes the index does not hold.
    if let Some(ix) = index {
        let mut missing: Vec<String> = match &filter {
            Filter::Expression(f) => f.top_level().into_iter().map(str::to_string).collect(),
            Filter::Legacy(c) => c.list.iter().map(|c| c.attribute.clone()).collect(),
            Filter::None => Vec::new(),
        };
        missing.retain(|a| !crate::table::index::projects(ix, &table.def.key, a));
        missing.sort();
        missing.dedup();
        if !missing.is_empty() {
            return Err(invalid(format!(
                "Secondary index {} does not project one or more filter attributes: [{}]",
                ix.name,
                missing.join(", ")
            )));
        }
    }
    let exclusive_start = match &start_key {
        Some(k) => {
            check_start_key(table, index, k, true)?;
            if !key_condition_holds(&key_cond, k) {
                return Err(validation(
                    "The provided starting key is outside query boundaries based on provided conditions",
                ));
            }
            start_key_bytes(table, index, k)
        }
        None => None,
    };
    let (start, end) = key_range(&key_cond);
    let select = select.unwrap_or(if index.is_some() && requested.is_none() {
        Select::AllProjected
    } else if requested.is_some() {
        Select::Specific
    } else {
        Select::AllAttributes
    });
    let plan = ReadPlan {
        table,
        index,
        start,
        end,
        forward,
        exclusive_start,
        limit: limit.map(|l| l.max(1) as usize),
        filter,
        projection,
        select,
        consistent,
        segment: None,
    };
    let detail = Detail::parse(r.str("ReturnConsumedCapacity")?);
    Ok(Outcome {
        response: read(plan, detail)?,
        commit: None,
    })
}
