//! Comparing attribute values as DynamoDB does: N numerically, S and B by unsigned bytes,
//! sets by membership regardless of order; values of different types never order.

use std::cmp::Ordering;

use crate::types::AttributeValue;

/// Orders two values of the same scalar type (S, N, B); `None` otherwise.
pub fn order(a: &AttributeValue, b: &AttributeValue) -> Option<Ordering> {
    match (a, b) {
        (AttributeValue::S(x), AttributeValue::S(y)) => Some(x.as_bytes().cmp(y.as_bytes())),
        (AttributeValue::N(x), AttributeValue::N(y)) => Some(x.cmp(y)),
        (AttributeValue::B(x), AttributeValue::B(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

fn same_members<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x))
}

/// Equality as DynamoDB defines it (sets compare as sets).
pub fn equal(a: &AttributeValue, b: &AttributeValue) -> bool {
    match (a, b) {
        (AttributeValue::Ss(x), AttributeValue::Ss(y)) => same_members(x, y),
        (AttributeValue::Ns(x), AttributeValue::Ns(y)) => same_members(x, y),
        (AttributeValue::Bs(x), AttributeValue::Bs(y)) => same_members(x, y),
        (AttributeValue::L(x), AttributeValue::L(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equal(p, q))
        }
        (AttributeValue::M(x), AttributeValue::M(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => a == b,
    }
}

/// `contains(a, b)`: substring of a string, subsequence of bytes, member of a set or list.
pub fn contains(haystack: &AttributeValue, needle: &AttributeValue) -> bool {
    match (haystack, needle) {
        (AttributeValue::S(h), AttributeValue::S(n)) => h.contains(n.as_str()),
        (AttributeValue::B(h), AttributeValue::B(n)) => {
            n.is_empty() || h.windows(n.len()).any(|w| w == n.as_slice())
        }
        (AttributeValue::Ss(h), AttributeValue::S(n)) => h.contains(n),
        (AttributeValue::Ns(h), AttributeValue::N(n)) => h.contains(n),
        (AttributeValue::Bs(h), AttributeValue::B(n)) => h.contains(n),
        (AttributeValue::L(h), n) => h.iter().any(|v| equal(v, n)),
        _ => false,
    }
}

/// `begins_with(a, b)` for strings and binaries.
pub fn begins_with(value: &AttributeValue, prefix: &AttributeValue) -> bool {
    match (value, prefix) {
        (AttributeValue::S(v), AttributeValue::S(p)) => v.starts_with(p.as_str()),
        (AttributeValue::B(v), AttributeValue::B(p)) => v.starts_with(p),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Number;

    fn n(s: &str) -> AttributeValue {
        AttributeValue::N(Number::parse(s).unwrap())
    }

    #[test]
    fn compares() {
        assert_eq!(order(&n("10"), &n("9")), Some(Ordering::Greater));
        assert_eq!(order(&n("1"), &AttributeValue::S("1".into())), None);
        assert!(equal(
            &AttributeValue::Ss(vec!["a".into(), "b".into()]),
            &AttributeValue::Ss(vec!["b".into(), "a".into()])
        ));
        assert!(contains(
            &AttributeValue::S("hello".into()),
            &AttributeValue::S("ell".into())
        ));
        assert!(begins_with(
            &AttributeValue::S("hello".into()),
            &AttributeValue::S("he".into())
        ));
    }
}
