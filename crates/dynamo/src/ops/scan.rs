//! Scan, with parallel segments (Segment/TotalSegments).

use std::ops::Bound;

use serde_json::Value;

use super::common::{check_expression_params, parse_expressions, ReadProjection};
use super::query::SELECT;
use super::read::{run as read, segment_of_item, start_key_bytes, Filter, ReadPlan, Select};
use super::select::{check_select, check_start_key, read_start_key, resolve_index};
use crate::capacity::Detail;
use crate::legacy::condition::{parse_conditions, Conditions};
use crate::request::Request;
use crate::response::Outcome;
use crate::table::schema::IndexDefinition;
use crate::table::Table;
use crate::types::Item;
use crate::validate::constraints::Constraints;
use crate::validate::{common_enums, not_found, table_name, validation};
use crate::{DynamoError, Engine};

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
    c.at_least(r.raw("Limit"), "limit", 1);
    let segment = r.int("Segment")?;
    c.at_least(r.raw("Segment"), "segment", 0);
    c.at_most(r.raw("Segment"), "segment", 999_999);
    let total = r.int("TotalSegments")?;
    c.at_least(r.raw("TotalSegments"), "totalSegments", 1);
    c.at_most(r.raw("TotalSegments"), "totalSegments", 1_000_000);
    let consistent = r.bool("ConsistentRead")?.unwrap_or(false);
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
        &["ProjectionExpression", "FilterExpression"],
        &["AttributesToGet", "ScanFilter", "ConditionalOperator"],
    )?;
    let start_key = read_start_key(&r)?;
    let legacy_filter = match r.object("ScanFilter")? {
        Some(map) => Some(parse_conditions(map)?),
        None => None,
    };
    match (segment, total) {
        (Some(_), None) => {
            return Err(validation(
                "The TotalSegments parameter is required but was not present in the request when Segment parameter is present",
            ))
        }
        (None, Some(_)) => {
            return Err(validation(
                "The Segment parameter is required but was not present in the request when parameter TotalSegments is present",
            ))
        }
        (Some(s), Some(t)) if s >= t => {
            return Err(validation(format!(
                "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: {s} is not less than TotalSegments: {t}"
            )))
        }
        _ => {}
    }
    check_select(&r, select, index_name.is_some(), false)?;
    let mut exprs = parse_expressions(&r)?;
    let projection = ReadProjection::from_request(&r, &mut exprs)?;

    let name = name.unwrap_or_default();
    let table = engine.tables.get(name).ok_or_else(not_found)?;
    let requested: Option<Vec<String>> = match &projection {
        ReadProjection::Attributes(a) => Some(a.clone()),
        ReadProjection::Expression(p) => Some(p.top_level()),
        ReadProjection::All => None,
    };
    let index = resolve_index(table, index_name, consistent, select, requested.as_deref())?;
    let filter = match (exprs.filter.take(), legacy_filter) {
        (Some(f), _) => Filter::Expression(f),
        (None, Some(conds)) => Filter::Legacy(Conditions {
            list: conds,
            or: r.str("ConditionalOperator")? == Some("OR"),
        }),
        (None, None) => Filter::None,
    };
    let exclusive_start = match &start_key {
        Some(k) => {
            check_start_key(table, index, k, false)?;
            check_start_segment(table, index, k, segment, total)?;
            start_key_bytes(table, index, k)
        }
        None => None,
    };
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
        start: Bound::Unbounded,
        end: Bound::Unbounded,
        forward: true,
        exclusive_start,
        limit: limit.map(|l| l.max(1) as usize),
        filter,
        projection,
        select,
        consistent,
        segment: match (segment, total) {
            (Some(s), Some(t)) if t > 1 => Some((s as u64, t as u64)),
            _ => None,
        },
    };
    let detail = Detail::parse(r.str("ReturnConsumedCapacity")?);
    Ok(Outcome {
        response: read(plan, detail)?,
        commit: None,
    })
}

/// A parallel Scan may only continue from a key whose partition lies in its own segment.
fn check_start_segment(
    table: &Table,
    index: Option<&IndexDefinition>,
    key: &Item,
    segment: Option<i64>,
    total: Option<i64>,
) -> Result<(), DynamoError> {
    let (Some(segment), Some(total)) = (segment, total) else {
        return Ok(());
    };
    if total <= 1 {
        return Ok(());
    }
    let hash = match index {
        Some(def) => &def.key.hash.name,
        None => &table.def.key.hash.name,
    };
    if segment_of_item(key, hash, total as u64) == segment as u64 {
        return Ok(());
    }
    Err(validation(format!(
        "The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: {total} Segment: {segment}"
    )))
}
