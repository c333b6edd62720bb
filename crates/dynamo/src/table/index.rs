//! Secondary index entries: which items an index holds (sparse: only items with every
//! index key attribute, of the defined type), their projected attributes and their keys.

use super::schema::{IndexDefinition, KeySchema, Projection};
use crate::types::key::encode_value;
use crate::types::{AttributeValue, Item};

/// The stored key of an item in an index: index key then table key, so entries sharing
/// an index key stay unique and sorted by table key.
pub fn index_entry_key(
    index: &IndexDefinition,
    table_key: &KeySchema,
    item: &Item,
) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    for attr in index.key.attributes() {
        let value = item.get(&attr.name)?;
        if value.type_code() != attr.kind.code() {
            return None;
        }
        encode_value(value, &mut out);
    }
    for attr in table_key.attributes() {
        encode_value(item.get(&attr.name)?, &mut out);
    }
    Some(out)
}

/// The attributes of `item` that `index` projects.
pub fn project(index: &IndexDefinition, table_key: &KeySchema, item: &Item) -> Item {
    match &index.projection {
        Projection::All => item.clone(),
        Projection::KeysOnly | Projection::Include(_) => {
            let keep = |name: &str| {
                table_key.contains(name)
                    || index.key.contains(name)
                    || matches!(&index.projection, Projection::Include(a) if a.iter().any(|x| x == name))
            };
            item.iter()
                .filter(|(k, _)| keep(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        }
    }
}

/// Whether an attribute name is available from the index's projection.
pub fn projects(index: &IndexDefinition, table_key: &KeySchema, name: &str) -> bool {
    match &index.projection {
        Projection::All => true,
        Projection::KeysOnly => table_key.contains(name) || index.key.contains(name),
        Projection::Include(a) => {
            table_key.contains(name) || index.key.contains(name) || a.iter().any(|x| x == name)
        }
    }
}

/// The key attributes (table and index) of an item, for `LastEvaluatedKey` on an index.
pub fn index_last_key(index: &IndexDefinition, table_key: &KeySchema, item: &Item) -> Item {
    let mut out = Item::new();
    for attr in table_key.attributes().chain(index.key.attributes()) {
        if let Some(v) = item.get(&attr.name) {
            out.insert(attr.name.clone(), v.clone());
        }
    }
    out
}

/// Whether a value is a valid key value of the given type (used for sparse indexes).
pub fn is_key_value(value: &AttributeValue) -> bool {
    matches!(
        value,
        AttributeValue::S(_) | AttributeValue::N(_) | AttributeValue::B(_)
    )
}
