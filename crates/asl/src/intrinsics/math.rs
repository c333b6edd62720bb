//! `States.MathAdd` (arguments rounded half-up to integers, within Java int range) and
//! `States.MathRandom` (start inclusive, end exclusive; a seed replays Java's `Random`).

use super::eval::{arg, fail, nth, Val};
use super::parse::Func;
use super::Random;
use crate::error::Failure;
use crate::jsonpath::render;
use serde_json::Value;

/// A number argument rounded half-up (`Math.round`) to an integer within Java's int range.
fn rounded(f: Func, args: &[Val], i: usize) -> Result<i64, Failure> {
    let v = arg(args, i);
    let Value::Number(n) = v else {
        return Err(fail(
            f,
            format!(
                "the {} argument must be a number but was {}",
                nth(i),
                render::json(v)
            ),
        ));
    };
    let r = match n.as_i64() {
        Some(i) => Some(i),
        None => n
            .as_f64()
            .map(|x| (x + 0.5).floor())
            .filter(|x| x.is_finite())
            .map(|x| x as i64),
    };
    match r {
        Some(r) if i32::try_from(r).is_ok() => Ok(r),
        _ => Err(fail(
            f,
            format!(
                "the {} argument {} is outside the range -2147483648 to 2147483647",
                nth(i),
                render::json(v)
            ),
        )),
    }
}

pub(crate) fn add(args: &[Val]) -> Result<Value, Failure> {
    let f = Func::MathAdd;
    Ok(Value::from(rounded(f, args, 0)? + rounded(f, args, 1)?))
}

pub(crate) fn random(args: &[Val], rng: &mut dyn Random) -> Result<Value, Failure> {
    let f = Func::MathRandom;
    let start = rounded(f, args, 0)?;
    let end = rounded(f, args, 1)?;
    if end <= start {
        return Err(fail(
            f,
            format!("the end ({end}) must be greater than the start ({start})"),
        ));
    }
    let bound = end - start;
    let offset = if args.len() > 2 {
        let seed = rounded(f, args, 2)?;
        JavaRandom::new(seed).next_int(bound)
    } else {
        (rng.next_u64() % bound as u64) as i64
    };
    Ok(Value::from(start + offset))
}

/// `java.util.Random`, so seeded calls give what a JVM gives.
struct JavaRandom(u64);

impl JavaRandom {
    const MULT: u64 = 0x5_DEEC_E66D;
    const MASK: u64 = (1 << 48) - 1;

    fn new(seed: i64) -> Self {
        JavaRandom((seed as u64 ^ Self::MULT) & Self::MASK)
    }

    fn next(&mut self, bits: u32) -> i32 {
        self.0 = (self.0.wrapping_mul(Self::MULT).wrapping_add(0xB)) & Self::MASK;
        (self.0 >> (48 - bits)) as i64 as i32
    }

    /// `nextInt(bound)` for 0 < bound <= i32::MAX.
    fn next_int(&mut self, bound: i64) -> i64 {
        let bound = bound.clamp(1, i64::from(i32::MAX)) as i32;
        if bound & bound.wrapping_neg() == bound {
            return ((i64::from(bound) * i64::from(self.next(31))) >> 31) as i32 as i64;
        }
        loop {
            let bits = self.next(31);
            let val = bits % bound;
            if bits.wrapping_sub(val).wrapping_add(bound - 1) >= 0 {
                return i64::from(val);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{fails, give, run};
    use super::JavaRandom;
    use serde_json::json;

    #[test]
    fn add() {
        give(json!({}), "States.MathAdd(1, 2)", json!(3));
        give(json!({}), "States.MathAdd(1.49, 1.5)", json!(3));
        give(json!({}), "States.MathAdd(-1.5, -1.51)", json!(-3));
        give(json!({}), "States.MathAdd(-0.5, 0)", json!(0));
        give(json!({}), "States.MathAdd(2.5, 0)", json!(3));
        give(json!({}), "States.MathAdd(-3.5, 0)", json!(-3));
        give(
            json!({}),
            "States.MathAdd(2147483647, 1)",
            json!(2147483648_i64),
        );
        fails(
            json!({}),
            "States.MathAdd(2147483648, 1)",
            "States.IntrinsicFailure",
        );
        fails(
            json!({}),
            "States.MathAdd('1', 1)",
            "States.IntrinsicFailure",
        );
    }

    #[test]
    fn random() {
        for _ in 0..20 {
            let v = run(json!({}), "States.MathRandom(5, 8)").expect("runs");
            assert!(matches!(v.as_i64(), Some(5..=7)), "{v}");
        }
        let a = run(json!({}), "States.MathRandom(0, 999, 3)").expect("runs");
        let b = run(json!({}), "States.MathRandom(0, 999, 3)").expect("runs");
        assert_eq!(a, b);
        fails(
            json!({}),
            "States.MathRandom(5, 5)",
            "States.IntrinsicFailure",
        );
    }

    #[test]
    fn java_random_matches_the_jvm() {
        // new java.util.Random(42).nextInt(10) == 0; new Random(0).nextInt(100) == 60
        assert_eq!(JavaRandom::new(42).next_int(10), 0);
        assert_eq!(JavaRandom::new(0).next_int(100), 60);
        // power-of-two bound: new Random(1).nextInt() == -1155869325, so nextInt(16) == 11
        assert_eq!(JavaRandom::new(1).next_int(16), 11);
        assert_eq!(JavaRandom::new(42).next(32), -1_170_105_035);
    }
}
