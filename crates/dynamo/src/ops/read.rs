//! The read loop shared by Query and Scan: walks a key range of the table or an index in
//! key order, stops at Limit or at 1 MB read (measured before filtering), applies the
//! filter and projection, and builds Items/Count/ScannedCount/LastEvaluatedKey.

use std::ops::Bound;

use std::borrow::Cow;

use super::common::ReadProjection;
use super::expression::Cond;
use crate::capacity::{read_units, Consumed, Detail};
use crate::legacy::condition::Conditions;
use crate::limits::MAX_PAGE_BYTES;
use crate::response::{Field, Response};
use crate::storage::ItemStore;
use crate::table::index::{index_entry_key, index_last_key};
use crate::table::schema::IndexDefinition;
use crate::table::{key_of, storage_key, Table};
use crate::types::{item_size, Item};
use crate::DynamoError;

/// A filter from either family.
#[derive(Debug, Default)]
pub enum Filter {
    #[default]
    None,
    Legacy(Conditions),
    Expression(Cond),
}

impl Filter {
    pub fn passes(&self, item: &Item) -> Result<bool, DynamoError> {
        match self {
            Filter::None => Ok(true),
            Filter::Legacy(c) => Ok(c.matches(Some(item))),
            Filter::Expression(c) => c.eval(Some(item)),
        }
    }
}

/// What the caller selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Select {
    AllAttributes,
    AllProjected,
    Specific,
    Count,
}

impl Select {
    pub fn parse(value: Option<&str>) -> Option<Select> {
        value.map(|v| match v {
            "ALL_PROJECTED_ATTRIBUTES" => Select::AllProjected,
            "SPECIFIC_ATTRIBUTES" => Select::Specific,
            "COUNT" => Select::Count,
            _ => Select::AllAttributes,
        })
    }
}

/// Everything the read loop needs.
pub struct ReadPlan<'a> {
    pub table: &'a Table,
    pub index: Option<&'a IndexDefinition>,
    pub start: Bound<Vec<u8>>,
    pub end: Bound<Vec<u8>>,
    pub forward: bool,
    pub exclusive_start: Option<Vec<u8>>,
    pub limit: Option<usize>,
    pub filter: Filter,
    pub projection: ReadProjection,
    pub select: Select,
    pub consistent: bool,
    /// For Scan segments: keep only items whose partition falls in this segment.
    pub segment: Option<(u64, u64)>,
}

/// The stored key of an ExclusiveStartKey in the keyspace being read.
pub fn start_key_bytes(
    table: &Table,
    index: Option<&IndexDefinition>,
    key: &Item,
) -> Option<Vec<u8>> {
    match index {
        None => storage_key(&table.def.key, key),
        Some(def) => index_entry_key(def, &table.def.key, key),
    }
}

fn later_start(a: Bound<Vec<u8>>, exclusive: Vec<u8>) -> Bound<Vec<u8>> {
    match &a {
        Bound::Included(s) if *s > exclusive => a,
        Bound::Excluded(s) if *s >= exclusive => a,
        _ => Bound::Excluded(exclusive),
    }
}

fn earlier_end(a: Bound<Vec<u8>>, exclusive: Vec<u8>) -> Bound<Vec<u8>> {
    match &a {
        Bound::Included(e) if *e < exclusive => a,
        Bound::Excluded(e) if *e <= exclusive => a,
        _ => Bound::Excluded(exclusive),
    }
}

/// The segment (of `total`) the item's partition key (attribute `hash_name`) falls in.
pub fn segment_of_item(item: &Item, hash_name: &str, total: u64) -> u64 {
    let hash_bytes = item
        .get(hash_name)
        .map(crate::types::key::encode)
        .unwrap_or_default();
    segment_of(&hash_bytes, total)
}

/// The segment (of `total`) a partition key value falls in.
fn segment_of(hash_bytes: &[u8], total: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in hash_bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    if total == 0 {
        0
    } else {
        h % total
    }
}

/// Runs the plan and returns the response body, borrowing the items it returns whole.
pub fn run<'a>(plan: ReadPlan<'a>, detail: Detail) -> Result<Response<'a>, DynamoError> {
    let store: &'a dyn ItemStore = match plan.index {
        None => plan.table.items.as_ref(),
        Some(def) => match plan.table.indexes.get(&def.name) {
            Some(data) => data.store.as_ref(),
            None => plan.table.items.as_ref(),
        },
    };
    let (mut start, mut end) = (plan.start, plan.end);
    if let Some(esk) = plan.exclusive_start {
        if plan.forward {
            start = later_start(start, esk);
        } else {
            end = earlier_end(end, esk);
        }
    }
    let mut items: Vec<Cow<'a, Item>> = Vec::new();
    let mut count = 0usize;
    let mut scanned = 0usize;
    let mut bytes = 0usize;
    let mut last: Option<Item> = None;
    let mut iter = store.range(start, end, !plan.forward).peekable();
    let hash_name = match plan.index {
        Some(def) => def.key.hash.name.clone(),
        None => plan.table.def.key.hash.name.clone(),
    };
    while let Some((_, stored)) = iter.next() {
        if let Some((segment, total)) = plan.segment {
            if segment_of_item(stored, &hash_name, total) != segment {
                continue;
            }
        }
        scanned += 1;
        bytes += item_size(stored);
        // For local indexes, attributes outside the projection come from the table.
        let full: Option<&'a Item> = match plan.index {
            Some(def) if !def.global && plan.select != Select::AllProjected => {
                plan.table.get(&key_of(&plan.table.def.key, stored))
            }
            _ => Some(stored),
        };
        let item = full.unwrap_or(stored);
        if plan.filter.passes(item)? {
            count += 1;
            if plan.select != Select::Count {
                items.push(plan.projection.project(item));
            }
        }
        let at_limit = plan.limit.is_some_and(|l| scanned >= l);
        let at_page = bytes >= MAX_PAGE_BYTES;
        if at_limit || at_page {
            if iter.peek().is_some() || at_limit {
                last = Some(match plan.index {
                    None => key_of(&plan.table.def.key, stored),
                    Some(def) => index_last_key(def, &plan.table.def.key, stored),
                });
                // AWS reports no LastEvaluatedKey when the limit lands exactly on the end
                // only for Scan/Query without more data; DynamoDB still returns it.
            }
            break;
        }
    }
    let mut out = Vec::with_capacity(5);
    if plan.select != Select::Count {
        out.push(("Items", Field::Items(items)));
    }
    out.push(("Count", Field::Count(count)));
    out.push(("ScannedCount", Field::Count(scanned)));
    if let Some(last) = last {
        out.push(("LastEvaluatedKey", Field::Item(Cow::Owned(last))));
    }
    let mut consumed = Consumed::new(&plan.table.def.name);
    let units = read_units(bytes, plan.consistent);
    match plan.index {
        None => {
            consumed.table = units;
        }
        Some(def) if def.global => {
            consumed.gsis.insert(def.name.clone(), units);
        }
        Some(def) => {
            consumed.lsis.insert(def.name.clone(), units);
        }
    }
    consumed.read = units;
    if let Some(c) = consumed.to_json(detail, false) {
        out.push(("ConsumedCapacity", Field::Value(c)));
    }
    Ok(Response::Fields(out))
}
