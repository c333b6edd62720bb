//! Fuzz-style property tests: arbitrary token soups and mutations of valid paths never
//! panic in `parse`, `select`, `resolve` or `write`.

use super::JsonPath;
use serde_json::json;

/// xorshift64*: a tiny deterministic generator for test inputs.
pub(crate) struct Gen(pub u64);

impl Gen {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// A string of 0..max_tokens tokens drawn from `alphabet`, sometimes spliced into a seed.
    pub(crate) fn soup(&mut self, alphabet: &[&str], seeds: &[&str], max_tokens: usize) -> String {
        let mut out = String::new();
        if self.below(2) == 0 {
            let seed = seeds[self.below(seeds.len())];
            let cut = self.below(seed.len() + 1);
            let cut = (0..=cut)
                .rev()
                .find(|&c| seed.is_char_boundary(c))
                .unwrap_or(0);
            out.push_str(&seed[..cut]);
            for _ in 0..self.below(3) {
                out.push_str(alphabet[self.below(alphabet.len())]);
            }
            let skip = self.below(seed.len() - cut + 1) + cut;
            let skip = (skip..=seed.len())
                .find(|&c| seed.is_char_boundary(c))
                .unwrap_or(seed.len());
            out.push_str(&seed[skip..]);
        } else {
            for _ in 0..self.below(max_tokens) {
                out.push_str(alphabet[self.below(alphabet.len())]);
            }
        }
        out
    }
}

const ALPHABET: &[&str] = &[
    "$",
    "$$",
    "@",
    ".",
    "..",
    "[",
    "]",
    "'",
    "\"",
    "\\",
    "*",
    "?",
    "(",
    ")",
    "a",
    "b",
    "0",
    "1",
    "-",
    ":",
    ",",
    " ",
    "==",
    "!=",
    "<",
    ">=",
    "&&",
    "||",
    "!",
    " in ",
    " nin ",
    " size ",
    "{",
    "}",
    "\u{3000}",
    "é",
    "5.5e3",
    "true",
    "null",
    "=~",
    " =~ /a.*/i",
    "/",
    "\\d",
    "-9223372036854775808",
    "99999999999999999999",
];

const SEEDS: &[&str] = &[
    "$.a.b[0]",
    "$..book[?(@.price < 10 && @.tag)].title",
    "$['a b','c'][1:3]",
    "$$.Execution.Input['x']",
    "$.a[?(@.b in ['x', 2, {'k': [1]}])]",
    "$.a[-1:][*]..c",
    "$..x[?(@.n =~ /a(b|c)*\\d/i || @.m)]",
];

#[test]
fn arbitrary_paths_never_panic() {
    let mut g = Gen(0x5EED_1234);
    let docs = [
        json!({"a": {"b": [1, {"c": 2}], "tag": true}, "book": [{"price": 5, "title": "t", "tag": 1}]}),
        json!([1, [2, [3]], {"a": null}]),
        json!("s"),
        json!(null),
    ];
    for _ in 0..20_000 {
        let text = g.soup(ALPHABET, SEEDS, 24);
        if let Ok(p) = JsonPath::parse(&text) {
            for doc in &docs {
                let _ = p.select(doc, doc);
                if let Err(m) = p.resolve(doc, doc) {
                    let _ = m.message();
                }
                let mut target = doc.clone();
                if p.write(&mut target, json!("written")).is_ok() {
                    // A successful ResultPath write is found again at the same path.
                    assert_eq!(p.select(&target, doc), Some(json!("written")), "{text}");
                }
                let _ = p.canonical();
            }
        }
    }
}

#[test]
fn long_inputs_parse_in_linear_time() {
    let long = format!("$.{}", vec!["a"; 50_000].join("."));
    assert!(JsonPath::parse(&long).is_err(), "over the length limit");
    let ok = format!("$.{}", vec!["a"; 20_000].join("."));
    let p = JsonPath::parse(&ok).expect("parses");
    assert_eq!(p.select(&json!({}), &json!({})), None);
    let nested = format!("$[?({}@.a{})]", "(".repeat(100), ")".repeat(100));
    assert!(JsonPath::parse(&nested).is_err(), "nesting limit");
    let negations = format!("$[?({}@.a)]", "!".repeat(100));
    assert!(JsonPath::parse(&negations).is_err(), "nesting limit");
    let chain = format!("$[?(@.a{})]", " && @.a".repeat(5_000));
    let p = JsonPath::parse(&chain).expect("long chains are flat");
    assert_eq!(
        p.select(&json!([{"a": 1}]), &json!({})),
        Some(json!([{"a": 1}]))
    );
}
