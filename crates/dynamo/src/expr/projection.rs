//! ProjectionExpression: picking attributes, nested map keys and list elements out of an
//! item. Selected list elements keep their order and close up (`a[0], a[2]` gives a
//! two-element list), as DynamoDB returns them.

use std::collections::BTreeMap;

use super::ast::{Path, PathElem};
use crate::types::{AttributeValue, Item};

/// A parsed, validated ProjectionExpression.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    pub paths: Vec<Path>,
}

enum Sel {
    Whole(AttributeValue),
    Map(BTreeMap<String, Sel>),
    List(BTreeMap<u32, Sel>),
}

fn select(value: &AttributeValue, elems: &[PathElem]) -> Option<Sel> {
    let Some((first, rest)) = elems.split_first() else {
        return Some(Sel::Whole(value.clone()));
    };
    match (first, value) {
        (PathElem::Attr(name), AttributeValue::M(map)) => {
            let sel = select(map.get(name)?, rest)?;
            Some(Sel::Map(BTreeMap::from([(name.clone(), sel)])))
        }
        (PathElem::Index(i), AttributeValue::L(list)) => {
            let sel = select(list.get(*i as usize)?, rest)?;
            Some(Sel::List(BTreeMap::from([(*i, sel)])))
        }
        _ => None,
    }
}

fn merge(into: &mut Sel, from: Sel) {
    match (into, from) {
        (Sel::Map(a), Sel::Map(b)) => {
            for (k, v) in b {
                match a.get_mut(&k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        a.insert(k, v);
                    }
                }
            }
        }
        (Sel::List(a), Sel::List(b)) => {
            for (k, v) in b {
                match a.get_mut(&k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        a.insert(k, v);
                    }
                }
            }
        }
        _ => {}
    }
}

fn build(sel: Sel) -> AttributeValue {
    match sel {
        Sel::Whole(v) => v,
        Sel::Map(m) => AttributeValue::M(m.into_iter().map(|(k, v)| (k, build(v))).collect()),
        Sel::List(l) => AttributeValue::L(l.into_values().map(build).collect()),
    }
}

impl Projection {
    /// A projection of the given paths (e.g. the top-level attributes an update wrote).
    pub fn from_paths(paths: Vec<Path>) -> Self {
        Projection { paths }
    }

    /// The parts of `item` the projection names; missing paths are skipped.
    pub fn project(&self, item: &Item) -> Item {
        let mut out: BTreeMap<String, Sel> = BTreeMap::new();
        for path in &self.paths {
            let Some((PathElem::Attr(name), rest)) = path.elems.split_first() else {
                continue;
            };
            let Some(value) = item.get(name) else {
                continue;
            };
            let Some(sel) = select(value, rest) else {
                continue;
            };
            match out.get_mut(name) {
                Some(existing) => merge(existing, sel),
                None => {
                    out.insert(name.clone(), sel);
                }
            }
        }
        out.into_iter().map(|(k, v)| (k, build(v))).collect()
    }
}
