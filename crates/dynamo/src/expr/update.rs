//! Applying an UpdateExpression to an item: SET (with `+`/`-`, `if_not_exists`,
//! `list_append`), REMOVE (attributes, map keys, list elements), ADD (numbers and sets)
//! and DELETE (from sets), with AWS's runtime errors.
//!
//! Every right-hand side is evaluated against the item as it was before the update, so
//! `SET a = b, b = a` swaps.

use std::collections::BTreeSet;

use super::ast::{Operand, Path, PathElem, UpdateAction};
use super::condition::lookup;
use super::parse::validation;
use crate::error::DynamoError;
use crate::types::{AttributeValue, Item};

const MISSING: &str =
    "The provided expression refers to an attribute that does not exist in the item";
const BAD_TYPE: &str = "An operand in the update expression has an incorrect data type";
const BAD_PATH: &str = "The document path provided in the update expression is invalid for update";

/// A parsed, validated UpdateExpression.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateExpression {
    pub actions: Vec<UpdateAction>,
}

fn eval(op: &Operand, item: &Item) -> Result<AttributeValue, DynamoError> {
    match op {
        Operand::Path(p) => lookup(item, p).cloned().ok_or_else(|| validation(MISSING)),
        Operand::Value(v) => Ok(v.clone()),
        Operand::Call { name, args } => match (name.as_str(), args.as_slice()) {
            ("if_not_exists", [Operand::Path(p), fallback]) => match lookup(item, p) {
                Some(v) => Ok(v.clone()),
                None => eval(fallback, item),
            },
            ("list_append", [a, b]) => match (eval(a, item)?, eval(b, item)?) {
                (AttributeValue::L(mut a), AttributeValue::L(b)) => {
                    a.extend(b);
                    Ok(AttributeValue::L(a))
                }
                _ => Err(validation(BAD_TYPE)),
            },
            _ => Err(validation(BAD_TYPE)),
        },
        Operand::Arith { plus, left, right } => match (eval(left, item)?, eval(right, item)?) {
            (AttributeValue::N(a), AttributeValue::N(b)) => Ok(AttributeValue::N(if *plus {
                a.checked_add(&b)?
            } else {
                a.checked_sub(&b)?
            })),
            _ => Err(validation(BAD_TYPE)),
        },
        Operand::Placeholder(_) => Err(validation(BAD_TYPE)),
    }
}

/// The container that holds the last element of `path`, and that element.
fn parent_mut<'a>(
    item: &'a mut Item,
    path: &'a Path,
) -> Result<(&'a mut AttributeValue, &'a PathElem), DynamoError> {
    let (last, init) = path
        .elems
        .split_last()
        .ok_or_else(|| validation(BAD_PATH))?;
    let (first, middle) = init.split_first().ok_or_else(|| validation(BAD_PATH))?;
    let PathElem::Attr(name) = first else {
        return Err(validation(BAD_PATH));
    };
    let mut current = item.get_mut(name).ok_or_else(|| validation(BAD_PATH))?;
    for elem in middle {
        current = match (elem, current) {
            (PathElem::Attr(name), AttributeValue::M(map)) => {
                map.get_mut(name).ok_or_else(|| validation(BAD_PATH))?
            }
            (PathElem::Index(i), AttributeValue::L(list)) => list
                .get_mut(*i as usize)
                .ok_or_else(|| validation(BAD_PATH))?,
            _ => return Err(validation(BAD_PATH)),
        };
    }
    Ok((current, last))
}

/// The attribute name of a one-element path.
fn top_only(path: &Path) -> Option<&str> {
    match path.elems.as_slice() {
        [PathElem::Attr(name)] => Some(name),
        _ => None,
    }
}

fn set_path(item: &mut Item, path: &Path, value: AttributeValue) -> Result<(), DynamoError> {
    if let Some(name) = top_only(path) {
        item.insert(name.to_string(), value);
        return Ok(());
    }
    match parent_mut(item, path)? {
        (AttributeValue::M(map), PathElem::Attr(name)) => {
            map.insert(name.clone(), value);
        }
        (AttributeValue::L(list), PathElem::Index(i)) => match list.get_mut(*i as usize) {
            Some(slot) => *slot = value,
            None => list.push(value),
        },
        _ => return Err(validation(BAD_PATH)),
    }
    Ok(())
}

/// Whether the parent of `path` exists and is of the kind its last step needs (a map for
/// a name, a list for an index): REMOVE and DELETE of a missing leaf are no-ops, but on
/// a missing or mistyped parent AWS reports an invalid document path.
fn parent_fits(item: &Item, path: &Path) -> bool {
    let Some((last, init)) = path.elems.split_last() else {
        return false;
    };
    if init.is_empty() {
        return true;
    }
    let parent = Path {
        elems: init.to_vec(),
    };
    matches!(
        (lookup(item, &parent), last),
        (Some(AttributeValue::M(_)), PathElem::Attr(_))
            | (Some(AttributeValue::L(_)), PathElem::Index(_))
    )
}

fn remove_path(item: &mut Item, path: &Path) -> Result<(), DynamoError> {
    if let Some(name) = top_only(path) {
        item.remove(name);
        return Ok(());
    }
    if !parent_fits(item, path) {
        return Err(validation(BAD_PATH));
    }
    let found = parent_mut(item, path)?;
    match found {
        (AttributeValue::M(map), PathElem::Attr(name)) => {
            map.remove(name);
        }
        (AttributeValue::L(list), PathElem::Index(i)) if (*i as usize) < list.len() => {
            list.remove(*i as usize);
        }
        _ => {}
    }
    Ok(())
}

/// `a` followed by the members of `b` it lacks (n log n, so large sets stay fast).
fn union<T: Clone + Ord>(mut a: Vec<T>, b: &[T]) -> Vec<T> {
    let mut seen: BTreeSet<T> = a.iter().cloned().collect();
    for x in b {
        if seen.insert(x.clone()) {
            a.push(x.clone());
        }
    }
    a
}

/// The members of `a` not in `b`.
fn difference<T: Clone + Ord>(a: &[T], b: &[T]) -> Vec<T> {
    let remove: BTreeSet<&T> = b.iter().collect();
    a.iter().filter(|x| !remove.contains(x)).cloned().collect()
}

fn add(
    existing: Option<&AttributeValue>,
    value: &AttributeValue,
) -> Result<AttributeValue, DynamoError> {
    Ok(match (existing, value) {
        (
            None,
            v @ (AttributeValue::N(_)
            | AttributeValue::Ss(_)
            | AttributeValue::Ns(_)
            | AttributeValue::Bs(_)),
        ) => v.clone(),
        (Some(AttributeValue::N(a)), AttributeValue::N(b)) => AttributeValue::N(a.checked_add(b)?),
        (Some(AttributeValue::Ss(a)), AttributeValue::Ss(b)) => {
            AttributeValue::Ss(union(a.clone(), b))
        }
        (Some(AttributeValue::Ns(a)), AttributeValue::Ns(b)) => {
            AttributeValue::Ns(union(a.clone(), b))
        }
        (Some(AttributeValue::Bs(a)), AttributeValue::Bs(b)) => {
            AttributeValue::Bs(union(a.clone(), b))
        }
        _ => return Err(validation(BAD_TYPE)),
    })
}

/// The set left after DELETE, or `None` when it would be empty.
fn delete(
    existing: &AttributeValue,
    value: &AttributeValue,
) -> Result<Option<AttributeValue>, DynamoError> {
    let result = match (existing, value) {
        (AttributeValue::Ss(a), AttributeValue::Ss(b)) => {
            let d = difference(a, b);
            (!d.is_empty()).then_some(AttributeValue::Ss(d))
        }
        (AttributeValue::Ns(a), AttributeValue::Ns(b)) => {
            let d = difference(a, b);
            (!d.is_empty()).then_some(AttributeValue::Ns(d))
        }
        (AttributeValue::Bs(a), AttributeValue::Bs(b)) => {
            let d = difference(a, b);
            (!d.is_empty()).then_some(AttributeValue::Bs(d))
        }
        _ => return Err(validation(BAD_TYPE)),
    };
    Ok(result)
}

impl UpdateExpression {
    /// Applies the update to `item`. On error the item is left unchanged.
    pub fn apply(&self, item: &mut Item) -> Result<(), DynamoError> {
        self.apply_to(item, true)
    }

    /// Applies the update to an item that does not exist yet (`item` holds its key):
    /// REMOVE finds nothing to remove there, whatever the path.
    pub fn apply_new(&self, item: &mut Item) -> Result<(), DynamoError> {
        self.apply_to(item, false)
    }

    fn apply_to(&self, item: &mut Item, exists: bool) -> Result<(), DynamoError> {
        let original = item.clone();
        let mut writes: Vec<(&Path, AttributeValue)> = Vec::new();
        let mut removals: Vec<&Path> = Vec::new();
        for action in &self.actions {
            match action {
                UpdateAction::Set { path, value } => writes.push((path, eval(value, &original)?)),
                UpdateAction::Remove { path } => {
                    if exists {
                        removals.push(path);
                    }
                }
                UpdateAction::Add { path, value } => {
                    let value = eval(value, &original)?;
                    writes.push((path, add(lookup(&original, path), &value)?));
                }
                UpdateAction::Delete { path, value } => {
                    let value = eval(value, &original)?;
                    if !parent_fits(&original, path) {
                        return Err(validation(BAD_PATH));
                    }
                    if let Some(existing) = lookup(&original, path) {
                        match delete(existing, &value)? {
                            Some(v) => writes.push((path, v)),
                            None => removals.push(path),
                        }
                    }
                }
            }
        }
        // Paths never overlap, so only elements appended past the end of a list depend
        // on the order of writes: AWS appends them in index order, as written or not.
        writes.sort_by_cached_key(|(path, _)| path.elems.cmp_key());
        let mut next = original;
        for (path, value) in writes {
            set_path(&mut next, path, value)?;
        }
        // Later list indexes first, so that earlier indexes still name the same elements.
        removals.sort_by_cached_key(|path| std::cmp::Reverse(path.elems.cmp_key()));
        for path in removals {
            remove_path(&mut next, path)?;
        }
        *item = next;
        Ok(())
    }

    /// The paths the update writes, in order (for `ReturnValues: UPDATED_*` and for the
    /// "part of the key" check).
    pub fn paths(&self) -> Vec<&Path> {
        self.actions.iter().map(|a| a.path()).collect()
    }
}

trait CmpKey {
    fn cmp_key(&self) -> Vec<(u8, u32, &str)>;
}

impl CmpKey for Vec<PathElem> {
    fn cmp_key(&self) -> Vec<(u8, u32, &str)> {
        self.iter()
            .map(|e| match e {
                PathElem::Attr(s) | PathElem::Placeholder(s) => (0, 0, s.as_str()),
                PathElem::Index(i) => (1, *i, ""),
            })
            .collect()
    }
}
