//! Selection tests in the one-line style: `give(input, path, expected)`.

use super::JsonPath;
use serde_json::{json, Value};

fn give(input: Value, path: &str, want: Value) {
    let p = JsonPath::parse(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(
        p.select(&input, &json!({"Execution": {"Id": "x"}})),
        Some(want),
        "{path}"
    );
}

fn none(input: Value, path: &str, message: &str) {
    let p = JsonPath::parse(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let miss = p.resolve(&input, &json!({})).expect_err(path);
    assert_eq!(miss.message(), message, "{path}");
}

fn store() -> Value {
    json!({"store": {"book": [
        {"category": "reference", "author": "Nigel Rees", "title": "Sayings", "price": 8.95},
        {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword", "price": 12.99},
        {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553", "price": 8.99},
        {"category": "fiction", "author": "J. R. R. Tolkien", "title": "LOTR", "isbn": "0-395", "price": 22.99}
    ], "bicycle": {"color": "red", "price": 19.95}}, "expensive": 10})
}

#[test]
fn definite() {
    give(json!({"a": 1}), "$", json!({"a": 1}));
    give(json!({"a": {"b": null}}), "$.a.b", json!(null));
    give(json!({"a b": 1}), "$['a b']", json!(1));
    give(json!({"a": [1, 2, 3]}), "$.a[0]", json!(1));
    give(json!({"a": [1, 2, 3]}), "$.a[-1]", json!(3));
    give(json!({}), "$$.Execution.Id", json!("x"));
    give(
        json!({"a": 1, "b": 2, "c": 3}),
        "$['a','c']",
        json!({"a": 1, "c": 3}),
    );
}

#[test]
fn indefinite() {
    give(json!({"a": [1, 2, 3]}), "$.a[*]", json!([1, 2, 3]));
    give(json!({"a": [1, 2, 3]}), "$.a[1:]", json!([2, 3]));
    give(json!({"a": [1, 2, 3]}), "$.a[:-1]", json!([1, 2]));
    give(json!({"a": [1, 2, 3]}), "$.a[-2:]", json!([2, 3]));
    give(json!({"a": [1, 2, 3]}), "$.a[0,2,7]", json!([1, 3]));
    give(json!({"a": [1, 2, 3]}), "$.a[5:9]", json!([]));
    give(json!({"a": {"x": 1, "y": 2}}), "$.a.*", json!([1, 2]));
    give(
        json!({"a": [{"b": 1}, {"c": 2}, {"b": 3}]}),
        "$.a[*].b",
        json!([1, 3]),
    );
    give(
        store(),
        "$..author",
        json!([
            "Nigel Rees",
            "Evelyn Waugh",
            "Herman Melville",
            "J. R. R. Tolkien"
        ]),
    );
    give(
        store(),
        "$.store..price",
        json!([8.95, 12.99, 8.99, 22.99, 19.95]),
    );
    give(store(), "$..book[2].title", json!(["Moby Dick"]));
    give(store(), "$..book[-1:].title", json!(["LOTR"]));
    give(
        store(),
        "$..book[?(@.isbn)].title",
        json!(["Moby Dick", "LOTR"]),
    );
    give(
        store(),
        "$..book[?(!@.isbn)].title",
        json!(["Sayings", "Sword"]),
    );
    give(
        store(),
        "$.store.book[?(@.price < 10)].price",
        json!([8.95, 8.99]),
    );
    give(
        store(),
        "$.store.book[?(@.price < $.expensive)].price",
        json!([8.95, 8.99]),
    );
    give(
        store(),
        "$.store.book[?(@.category == 'fiction' && @.price > 20)].title",
        json!(["LOTR"]),
    );
    give(
        store(),
        "$.store.book[?(@.price > 20 || @.price < 9)].title",
        json!(["Sayings", "Moby Dick", "LOTR"]),
    );
    give(
        store(),
        "$.store.book[?(@.category in ['reference'])].title",
        json!(["Sayings"]),
    );
    give(
        store(),
        "$.store.book[?(@.category nin ['fiction'])].title",
        json!(["Sayings"]),
    );
    give(
        store(),
        "$.store.book[?(@.title size 5)].title",
        json!(["Sword"]),
    );
    give(
        store(),
        "$.store.book[?((@.price < 9) && !(@.isbn))].title",
        json!(["Sayings"]),
    );
    give(
        store(),
        "$.store.bicycle[?(@.color == \"red\")].price",
        json!([19.95]),
    );
    give(store(), "$..[?(@.color)].price", json!([19.95]));
    give(
        store(),
        "$.store.book[?(@.author =~ /.*REES/i)].title",
        json!(["Sayings"]),
    );
    give(
        store(),
        "$.store.book[?(@.author =~ /Rees/)].title",
        json!([]),
    );
    give(
        store(),
        "$.store.book[?(@.isbn =~ /0-\\d+/)].title",
        json!(["Moby Dick", "LOTR"]),
    );
    give(json!({"a": 1}), "$..*", json!([1]));
}

#[test]
fn aws_quirks() {
    // Filters only ever match objects.
    give(json!({"a": [1, 5, {"n": 5}]}), "$.a[?(@ > 1)]", json!([]));
    give(
        json!({"a": [1, 5, {"n": 5}]}),
        "$.a[?(@.n > 1)]",
        json!([{"n": 5}]),
    );
    // Path functions are accepted but find nothing.
    none(
        json!({"Jobs": [0, 1]}),
        "$.Jobs.sum()",
        "No results for path: $['Jobs'].sum()",
    );
}

#[test]
fn misses() {
    none(json!({}), "$.foo", "No results for path: $['foo']");
    none(
        json!({}),
        "$.no.such.result.path",
        "Missing property in path $['no']",
    );
    none(
        json!({"a": {}}),
        "$.a.b",
        "No results for path: $['a']['b']",
    );
    none(
        json!({"a": [1]}),
        "$.a[3]",
        "No results for path: $['a'][3]",
    );
    none(json!({"a": null}), "$.a[0]", "The path $['a'] is null");
    // test_json_path_array_wildcard_or_slice_with_no_input: AWS gives [] here.
    give(json!({}), "$.items[*]", json!([]));
    give(json!({}), "$.item.items[1:]", json!([]));
    give(json!({}), "$.items[*].itemValue", json!([]));
    give(json!({"item": 5}), "$.item.items[1:5].itemValue", json!([]));
    none(
        json!({"a": 5}),
        "$.a.b",
        "Expected to find an object with property ['b'] in path $['a'] but found 'java.lang.Integer'. \
         This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JsonSmartJsonProvider'.",
    );
    none(
        json!({"a": {"b": 1}}),
        "$.a[0]",
        "Filter: [0] can only be applied to arrays. Current context is: {\"b\":1}",
    );
}

#[test]
fn deep_values_do_not_overflow() {
    let mut v = json!(1);
    for _ in 0..500 {
        v = json!([v]);
    }
    let p = JsonPath::parse("$..*").expect("parses");
    assert!(matches!(p.select(&v, &json!(null)), Some(Value::Array(a)) if a.len() == 500));
    // Dropping a deep serde_json value recurses; unwind it by hand.
    let mut cur = v;
    while let Value::Array(mut a) = cur {
        cur = a.pop().unwrap_or(Value::Null);
    }
}

#[test]
fn variables() {
    use super::Scope;
    let vars: serde_json::Map<String, Value> =
        serde_json::from_value(json!({"v": {"a": [1, 2], "o": [{"n": 0}, {"n": 1}]}, "s": "x"}))
            .expect("map");
    let scope = Scope {
        input: &json!({"a": 0}),
        context: &json!({}),
        variables: &vars,
    };
    let sel = |text: &str| JsonPath::parse(text).expect("parses").select_in(&scope);
    assert_eq!(sel("$v.a[1]"), Some(json!(2)));
    assert_eq!(sel("$s"), Some(json!("x")));
    assert_eq!(sel("$.a"), Some(json!(0)));
    assert_eq!(sel("$nope"), None);
    assert_eq!(sel("$v.o[?(@.n > $.a)]"), Some(json!([{"n": 1}])));
    assert_eq!(
        JsonPath::parse("$v.a").expect("parses").variable(),
        Some("v")
    );
}

/// Every path used by a JSONPath-mode conformance definition parses.
#[test]
fn conformance_paths_parse() {
    for line in include_str!("conformance_paths.txt").lines() {
        if let Err(e) = JsonPath::parse(line) {
            panic!("{line}: {e}");
        }
    }
}

#[test]
fn escaped_bracket_names() {
    // ESCAPE_SEQUENCES_JSONPATH: the key holds a backslash; the path finds it.
    let input = json!({"Test\\\"\"Name\"": "Value\"\\"});
    give(input, "$['Test\\\"\"Name\"']", json!("Value\"\\"));
}
