//! Sizes in bytes as DynamoDB counts them (for the 400 KB item limit, key limits and
//! capacity units): names and strings by UTF-8 length, numbers by base-100 digits.

use super::number::Number;
use super::value::{AttributeValue, Item};

/// Bytes DynamoDB counts for a number: one per pair of significant digits (pairs aligned on
/// the decimal point), plus one, plus one more when negative. Numbers compute it once, when
/// made (with [`size_of_digits`]).
pub fn number_size(number: &Number) -> usize {
    number.size()
}

/// [`number_size`] of a number with `digits` significant digits, the first at decimal
/// `exponent` (at most 22 for a valid number; saturates at 255).
pub fn size_of_digits(negative: bool, digits: usize, exponent: i64) -> u8 {
    if digits == 0 {
        return 1;
    }
    // Align digits into base-100 groups around the decimal point.
    let first = exponent; // exponent of the first digit
    let last = exponent - (digits as i64 - 1);
    let group = |e: i64| e.div_euclid(2);
    let groups = group(first) - group(last) + 1;
    u8::try_from(1 + groups + i64::from(negative)).unwrap_or(u8::MAX)
}

impl AttributeValue {
    /// Bytes DynamoDB counts for this value (without its attribute name).
    pub fn size(&self) -> usize {
        match self {
            AttributeValue::S(s) => s.len(),
            AttributeValue::N(n) => number_size(n),
            AttributeValue::B(b) => b.len(),
            AttributeValue::Bool(_) | AttributeValue::Null => 1,
            AttributeValue::M(m) => {
                3 + m.iter().map(|(k, v)| 1 + k.len() + v.size()).sum::<usize>()
            }
            AttributeValue::L(l) => 3 + l.iter().map(|v| 1 + v.size()).sum::<usize>(),
            AttributeValue::Ss(s) => s.iter().map(|v| v.len()).sum(),
            AttributeValue::Ns(s) => s.iter().map(number_size).sum(),
            AttributeValue::Bs(s) => s.iter().map(|v| v.len()).sum(),
        }
    }
}

/// Bytes DynamoDB counts for a whole item: each attribute's name plus its value.
pub fn item_size(item: &Item) -> usize {
    item.iter().map(|(k, v)| k.len() + v.size()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> usize {
        number_size(&Number::parse(s).unwrap())
    }

    #[test]
    fn numbers() {
        assert_eq!(n("0"), 1);
        assert_eq!(n("1"), 2);
        assert_eq!(n("10"), 2);
        assert_eq!(n("100"), 2);
        assert_eq!(n("123"), 3);
        assert_eq!(n("-1"), 3);
        assert_eq!(n("1.5"), 3);
        assert_eq!(n("12345678901234567890123456789012345678"), 20);
    }

    #[test]
    fn items() {
        let mut item = Item::new();
        item.insert("id".into(), AttributeValue::S("abc".into()));
        item.insert("ok".into(), AttributeValue::Bool(true));
        assert_eq!(item_size(&item), 2 + 3 + 2 + 1);
    }
}
