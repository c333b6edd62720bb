//! DynamoDB's `N`: an exact decimal of up to 38 significant digits, magnitude 1E-130 to
//! 9.9999999999999999999999999999999999999E+125, normalized as DynamoDB normalizes
//! (`001.50E2` → `150`, `-0` → `0`) and printed in plain (never scientific) notation.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use bigdecimal::num_bigint::{BigInt, Sign};
use bigdecimal::BigDecimal;

use super::size::size_of_digits;
use crate::error::DynamoError;

/// Most significant digits a number may hold.
pub const MAX_SIGNIFICANT_DIGITS: usize = 38;
/// Largest decimal exponent (scientific notation) of a non-zero number.
pub const MAX_EXPONENT: i64 = 125;
/// Smallest decimal exponent (scientific notation) of a non-zero number.
pub const MIN_EXPONENT: i64 = -130;

const NOT_A_NUMBER: &str = "The parameter cannot be converted to a numeric value";
const OVERFLOW: &str =
    "Number overflow. Attempting to store a number with magnitude larger than supported range";
const UNDERFLOW: &str =
    "Number underflow. Attempting to store a number with magnitude smaller than supported range";
const TOO_PRECISE: &str = "Attempting to store more than 38 significant digits in a Number";

fn validation(message: impl Into<String>) -> DynamoError {
    DynamoError::new("ValidationException", message)
}

/// An exact DynamoDB number. `Eq`/`Ord` are numeric; `Display` is the canonical form.
#[derive(Clone)]
pub struct Number {
    /// Always normalized (no trailing zeros in the unscaled value).
    value: BigDecimal,
    /// The canonical text, made once: responses, sizes and key encodings read it.
    text: Box<str>,
    /// Bytes DynamoDB counts for it (see [`crate::types::size::number_size`]), made once.
    size: u8,
}

/// The parts of a number: sign, significant digits (no leading or trailing zeros, empty
/// for zero) and the decimal exponent of the first digit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    pub negative: bool,
    pub digits: Vec<u8>,
    pub exponent: i64,
}

impl Number {
    /// Zero.
    pub fn zero() -> Number {
        Number {
            value: BigDecimal::from(0),
            text: "0".into(),
            size: 1,
        }
    }

    /// Parses a DynamoDB number string with AWS's validation and messages.
    pub fn parse(text: &str) -> Result<Number, DynamoError> {
        if text.is_empty() {
            return Err(validation(NOT_A_NUMBER));
        }
        let parts =
            parse_parts(text).ok_or_else(|| validation(format!("{NOT_A_NUMBER}: {text}")))?;
        Number::from_parts(parts)
    }

    /// Builds a number from its parts, checking range and precision (in AWS's order).
    fn from_parts(parts: Parts) -> Result<Number, DynamoError> {
        if parts.digits.is_empty() {
            return Ok(Number::zero());
        }
        if parts.exponent > MAX_EXPONENT {
            return Err(validation(OVERFLOW));
        }
        if parts.exponent < MIN_EXPONENT {
            return Err(validation(UNDERFLOW));
        }
        if parts.digits.len() > MAX_SIGNIFICANT_DIGITS {
            return Err(validation(TOO_PRECISE));
        }
        let digit_text: String = parts.digits.iter().map(|d| char::from(b'0' + d)).collect();
        let magnitude = BigInt::parse_bytes(digit_text.as_bytes(), 10).unwrap_or_default();
        let unscaled = if parts.negative {
            -magnitude
        } else {
            magnitude
        };
        // value = 0.d1d2..dn × 10^(exponent+1) = digits × 10^(exponent + 1 - n)
        let scale = parts.digits.len() as i64 - 1 - parts.exponent;
        Ok(Number {
            value: BigDecimal::new(unscaled, scale),
            text: canonical_text(&parts).into(),
            size: size_of_digits(parts.negative, parts.digits.len(), parts.exponent),
        })
    }

    /// Sign, significant digits and exponent of the first digit.
    pub fn parts(&self) -> Parts {
        // The canonical text always parses; zero's parts are the fallback of a bug only.
        parse_parts(&self.text).unwrap_or(Parts {
            negative: false,
            digits: Vec::new(),
            exponent: 0,
        })
    }

    /// Whether negative, how many significant digits, and the exponent of the first digit,
    /// read from the canonical text without allocating (zero: `(false, 0, 0)`).
    pub fn digit_span(&self) -> (bool, usize, i64) {
        let negative = self.text.starts_with('-');
        let body = self.text.trim_start_matches('-');
        if body == "0" {
            return (false, 0, 0);
        }
        match body.split_once('.') {
            Some(("0", fraction)) => {
                let zeros = fraction.len() - fraction.trim_start_matches('0').len();
                (negative, fraction.len() - zeros, -(zeros as i64) - 1)
            }
            Some((integer, fraction)) => (
                negative,
                integer.len() + fraction.len(),
                integer.len() as i64 - 1,
            ),
            None => (
                negative,
                body.trim_end_matches('0').len(),
                body.len() as i64 - 1,
            ),
        }
    }

    /// Bytes DynamoDB counts for this number (see [`crate::types::size::number_size`]).
    pub fn size(&self) -> usize {
        usize::from(self.size)
    }

    /// The canonical text (`Display` writes the same).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The parts of an exact decimal (not yet checked against DynamoDB's range).
    fn decimal_parts(value: &BigDecimal) -> Parts {
        let (unscaled, scale) = value.as_bigint_and_exponent();
        let negative = unscaled.sign() == Sign::Minus;
        let text = unscaled.magnitude().to_string();
        let mut digits: Vec<u8> = text.bytes().map(|b| b - b'0').collect();
        while digits.last() == Some(&0) {
            digits.pop();
        }
        if digits.is_empty() {
            return Parts {
                negative: false,
                digits,
                exponent: 0,
            };
        }
        let exponent = text.len() as i64 - 1 - scale;
        Parts {
            negative,
            digits,
            exponent,
        }
    }

    /// Whether the number is zero.
    pub fn is_zero(&self) -> bool {
        self.value.sign() == Sign::NoSign
    }

    /// Whether the number is below zero.
    pub fn is_negative(&self) -> bool {
        self.value.sign() == Sign::Minus
    }

    /// The exact decimal.
    pub fn as_decimal(&self) -> &BigDecimal {
        &self.value
    }

    /// Checks an exact decimal against DynamoDB's range and precision.
    pub fn from_decimal(value: BigDecimal) -> Result<Number, DynamoError> {
        Number::from_parts(Number::decimal_parts(&value.normalized()))
    }

    /// `self + other`, with AWS's errors for an arithmetic result out of range.
    pub fn checked_add(&self, other: &Number) -> Result<Number, DynamoError> {
        Number::from_arithmetic(&self.value + &other.value)
    }

    /// `self - other`, with AWS's errors for an arithmetic result out of range.
    pub fn checked_sub(&self, other: &Number) -> Result<Number, DynamoError> {
        Number::from_arithmetic(&self.value - &other.value)
    }

    /// The exact result of `+`, `-` or `ADD`. AWS does not round it: a result that needs
    /// more than 38 significant digits (`1e50 - 1`, `1e37 + 0.1`) is a Number overflow,
    /// not the 38-digit message a literal gets; the exponent limits are as for literals.
    fn from_arithmetic(value: BigDecimal) -> Result<Number, DynamoError> {
        let parts = Number::decimal_parts(&value.normalized());
        if parts.digits.len() > MAX_SIGNIFICANT_DIGITS && parts.exponent >= MIN_EXPONENT {
            return Err(validation(OVERFLOW));
        }
        Number::from_parts(parts)
    }

    /// The value as an `i64` when it is an integer that fits.
    pub fn to_i64(&self) -> Option<i64> {
        let parts = self.parts();
        if parts.digits.is_empty() {
            return Some(0);
        }
        if parts.exponent < parts.digits.len() as i64 - 1 || parts.exponent > 18 {
            return None;
        }
        self.text.parse().ok()
    }

    /// The value as an `f64` (lossy; for display or time arithmetic only).
    pub fn to_f64_lossy(&self) -> f64 {
        self.text.parse().unwrap_or(0.0)
    }
}

/// Parses `[+-]digits[.digits][(e|E)[+-]digits]` into normalized parts.
fn parse_parts(text: &str) -> Option<Parts> {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut negative = false;
    if let Some(&c) = bytes.first() {
        if c == b'+' || c == b'-' {
            negative = c == b'-';
            i = 1;
        }
    }
    let mut mantissa: Vec<u8> = Vec::new();
    let mut int_digits: i64 = 0;
    let mut seen_point = false;
    let mut any_digit = false;
    while let Some(&c) = bytes.get(i) {
        match c {
            b'0'..=b'9' => {
                any_digit = true;
                if mantissa.is_empty() && c == b'0' {
                    // leading zero: shifts the exponent only after the point
                    if seen_point {
                        int_digits -= 1;
                    }
                } else {
                    mantissa.push(c - b'0');
                    if !seen_point {
                        int_digits += 1;
                    }
                }
            }
            b'.' if !seen_point => seen_point = true,
            _ => break,
        }
        i += 1;
    }
    if !any_digit {
        return None;
    }
    let mut exp: i64 = 0;
    if let Some(&c) = bytes.get(i) {
        if c != b'e' && c != b'E' {
            return None;
        }
        i += 1;
        let mut exp_negative = false;
        if let Some(&s) = bytes.get(i) {
            if s == b'+' || s == b'-' {
                exp_negative = s == b'-';
                i += 1;
            }
        }
        let start = i;
        while let Some(&d) = bytes.get(i) {
            if !d.is_ascii_digit() {
                return None;
            }
            exp = exp.saturating_mul(10).saturating_add(i64::from(d - b'0'));
            i += 1;
        }
        if i == start {
            return None;
        }
        if exp_negative {
            exp = -exp;
        }
    }
    while mantissa.last() == Some(&0) {
        mantissa.pop();
    }
    if mantissa.is_empty() {
        return Some(Parts {
            negative: false,
            digits: mantissa,
            exponent: 0,
        });
    }
    Some(Parts {
        negative,
        digits: mantissa,
        exponent: (int_digits - 1).saturating_add(exp),
    })
}

/// The canonical plain-notation text of normalized parts.
fn canonical_text(parts: &Parts) -> String {
    if parts.digits.is_empty() {
        return "0".to_string();
    }
    let mut out = String::with_capacity(parts.digits.len() + 8);
    if parts.negative {
        out.push('-');
    }
    let digits = parts.digits.iter().map(|d| char::from(b'0' + d));
    let n = parts.digits.len() as i64;
    if parts.exponent < 0 {
        out.push_str("0.");
        for _ in 0..(-parts.exponent - 1) {
            out.push('0');
        }
        out.extend(digits);
    } else if parts.exponent + 1 >= n {
        out.extend(digits);
        for _ in 0..(parts.exponent + 1 - n) {
            out.push('0');
        }
    } else {
        let split = (parts.exponent + 1) as usize;
        out.extend(digits.clone().take(split));
        out.push('.');
        out.extend(digits.skip(split));
    }
    out
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Number({self})")
    }
}

impl FromStr for Number {
    type Err = DynamoError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Number::parse(s)
    }
}

impl From<i64> for Number {
    fn from(v: i64) -> Self {
        let mut number = Number {
            value: BigDecimal::from(v).normalized(),
            text: v.to_string().into(),
            size: 0,
        };
        let (negative, digits, exponent) = number.digit_span();
        number.size = size_of_digits(negative, digits, exponent);
        number
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        // Canonical texts are equal exactly when the numbers are.
        self.text == other.text
    }
}

impl Eq for Number {}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Number {
    fn cmp(&self, other: &Self) -> Ordering {
        self.value.cmp(&other.value)
    }
}

impl Hash for Number {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl Hash for Parts {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.negative.hash(state);
        self.digits.hash(state);
        self.exponent.hash(state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        Number::parse(s)
            .map(|n| n.to_string())
            .unwrap_or_else(|e| e.message)
    }

    #[test]
    fn normalizes() {
        assert_eq!(canon("001.50E2"), "150");
        assert_eq!(canon("-0"), "0");
        assert_eq!(canon("-0.000"), "0");
        assert_eq!(canon("0.0001"), "0.0001");
        assert_eq!(canon("1e3"), "1000");
        assert_eq!(canon("+12.3400"), "12.34");
        assert_eq!(canon(".5"), "0.5");
        assert_eq!(canon("5."), "5");
        assert_eq!(canon("-123.456e-2"), "-1.23456");
        assert_eq!(canon("1E-130"), format!("0.{}1", "0".repeat(129)));
    }

    #[test]
    fn rejects_like_aws() {
        assert_eq!(canon(""), NOT_A_NUMBER);
        assert_eq!(canon("b"), format!("{NOT_A_NUMBER}: b"));
        assert_eq!(canon("1e"), format!("{NOT_A_NUMBER}: 1e"));
        assert_eq!(canon(" 1"), format!("{NOT_A_NUMBER}:  1"));
        assert_eq!(canon("NaN"), format!("{NOT_A_NUMBER}: NaN"));
        assert_eq!(canon("1e126"), OVERFLOW);
        assert_eq!(canon("-1e126"), OVERFLOW);
        assert_eq!(canon("1e-131"), UNDERFLOW);
        assert_eq!(
            canon("123456789012345678901234567890123456789"),
            TOO_PRECISE
        );
        assert_eq!(
            canon("-1.23456789012345678901234567890123456789"),
            TOO_PRECISE
        );
        assert_eq!(canon("1e99999999999999999999999"), OVERFLOW);
        assert_eq!(canon("0e99999999999999999999999"), "0");
        let max = format!("9.{}E+125", "9".repeat(37));
        assert!(Number::parse(&max).is_ok());
    }

    #[test]
    fn orders_numerically() {
        let n = |s: &str| Number::parse(s).unwrap();
        assert!(n("-10") < n("-9.5"));
        assert!(n("2") < n("10"));
        assert_eq!(n("1.0"), n("1"));
        assert!(n("0.001") > n("-0.001"));
    }

    #[test]
    fn arithmetic_checks_range() {
        let n = |s: &str| Number::parse(s).unwrap();
        assert_eq!(n("1.5").checked_add(&n("2.5")).unwrap().to_string(), "4");
        assert_eq!(n("1").checked_sub(&n("3")).unwrap().to_string(), "-2");
        let max = n(&format!("9.{}E+125", "9".repeat(37)));
        assert_eq!(max.checked_add(&max).unwrap_err().message, OVERFLOW);
        let big = n("1e37");
        assert_eq!(big.checked_add(&n("0.1")).unwrap_err().message, OVERFLOW);
        assert_eq!(
            n("1e50").checked_sub(&n("1")).unwrap_err().message,
            OVERFLOW
        );
        let tiny = n("2e-130");
        assert_eq!(
            tiny.checked_sub(&n("1.5e-130")).unwrap_err().message,
            UNDERFLOW
        );
        assert_eq!(
            n("1e50").checked_sub(&n("1e12")).unwrap().to_string(),
            format!("{}{}", "9".repeat(38), "0".repeat(12))
        );
        assert_eq!(n("12").to_i64(), Some(12));
        assert_eq!(n("1.2").to_i64(), None);
    }

    #[test]
    fn digit_span_matches_parts() {
        for text in [
            "0", "1", "-1", "100", "-12.5", "0.0012", "-0.5", "1e125", "1e-130", "10.01",
        ] {
            let number = Number::parse(text).unwrap();
            let parts = number.parts();
            assert_eq!(
                number.digit_span(),
                (parts.negative, parts.digits.len(), parts.exponent),
                "{text}"
            );
        }
    }
}
