//! Order-preserving key encoding: bytes whose unsigned lexicographic order is DynamoDB's
//! key order (N numerically, S and B by unsigned bytes). Each encoded value is
//! self-delimiting, so a table key is the hash encoding followed by the range encoding, and
//! all items of one partition are one contiguous, sorted range of a `BTreeMap`.

use super::number::Number;
use super::value::AttributeValue;

const NEGATIVE: u8 = 0x01;
const ZERO: u8 = 0x02;
const POSITIVE: u8 = 0x03;

/// Appends the encoding of a number.
pub fn encode_number(number: &Number, out: &mut Vec<u8>) {
    let parts = number.parts();
    if parts.digits.is_empty() {
        out.push(ZERO);
        return;
    }
    // exponent is within -130..=125 for valid numbers; clamp defensively.
    let biased = (parts.exponent.clamp(-130, 125) + 130) as u8;
    if parts.negative {
        out.push(NEGATIVE);
        out.push(255 - biased);
        out.extend(parts.digits.iter().map(|d| 10 - d));
        out.push(0xFF);
    } else {
        out.push(POSITIVE);
        out.push(biased);
        out.extend(parts.digits.iter().map(|d| d + 1));
        out.push(0x00);
    }
}

/// Appends the encoding of a byte string (S as UTF-8, or B): `0x00` escaped as
/// `0x00 0xFF`, terminated by `0x00 0x00`.
pub fn encode_bytes(bytes: &[u8], out: &mut Vec<u8>) {
    for &b in bytes {
        out.push(b);
        if b == 0 {
            out.push(0xFF);
        }
    }
    out.push(0);
    out.push(0);
}

/// Appends the encoding of a key value (S, N or B). Other types encode by their JSON text,
/// which keeps the function total; key validation rejects them before they get here.
pub fn encode_value(value: &AttributeValue, out: &mut Vec<u8>) {
    match value {
        AttributeValue::S(s) => encode_bytes(s.as_bytes(), out),
        AttributeValue::N(n) => encode_number(n, out),
        AttributeValue::B(b) => encode_bytes(b, out),
        other => encode_bytes(other.to_json().to_string().as_bytes(), out),
    }
}

/// The encoding of one key value.
pub fn encode(value: &AttributeValue) -> Vec<u8> {
    let mut out = Vec::new();
    encode_value(value, &mut out);
    out
}

/// The smallest byte string greater than every string that starts with `prefix`.
pub fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xFF {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Vec<u8> {
        encode(&AttributeValue::N(Number::parse(s).unwrap()))
    }

    #[test]
    fn numbers_sort_numerically() {
        let values = [
            "-1e125", "-100", "-10", "-9.99", "-9.9", "-9", "-1", "-0.5", "-1e-130", "0", "1e-130",
            "0.5", "1", "1.5", "1.55", "2", "9", "10", "10.5", "100", "9e125",
        ];
        for pair in values.windows(2) {
            assert!(num(pair[0]) < num(pair[1]), "{} < {}", pair[0], pair[1]);
        }
    }

    #[test]
    fn strings_sort_by_bytes_and_delimit() {
        let s = |v: &str| encode(&AttributeValue::S(v.into()));
        assert!(s("") < s("a"));
        assert!(s("a") < s("a\0"));
        assert!(s("a\0") < s("aa"));
        assert!(s("B") < s("a"));
        assert!(s("z") < s("é"));
        let mut ab = s("a");
        ab.extend(s("b"));
        let mut a_b = s("a\0b");
        a_b.extend(s(""));
        assert_ne!(ab, a_b);
    }

    #[test]
    fn encoding_order_matches_numeric_order_on_random_numbers() {
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut numbers = Vec::new();
        for _ in 0..2000 {
            let digits = 1 + next() % 38;
            let mut text = String::new();
            if next() % 2 == 0 {
                text.push('-');
            }
            for i in 0..digits {
                let d = if i == 0 { 1 + next() % 9 } else { next() % 10 };
                text.push(char::from(b'0' + d as u8));
            }
            let exp = (next() % 200) as i64 - 120;
            text.push_str(&format!("e{exp}"));
            if let Ok(n) = Number::parse(&text) {
                numbers.push(n);
            }
        }
        assert!(numbers.len() > 1000);
        for pair in numbers.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            let ea = encode(&AttributeValue::N(a.clone()));
            let eb = encode(&AttributeValue::N(b.clone()));
            assert_eq!(a.cmp(b), ea.cmp(&eb), "{a} vs {b}");
        }
    }

    #[test]
    fn prefix_end_works() {
        assert_eq!(prefix_end(&[1, 2]), Some(vec![1, 3]));
        assert_eq!(prefix_end(&[1, 0xFF]), Some(vec![2]));
        assert_eq!(prefix_end(&[0xFF]), None);
    }
}
