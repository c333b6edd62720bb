//! What an expression's text mentions: the `$names` it reads, and which parts of `$states`
//! (`$states.input.order.id` reads only that branch of the input). An evaluation converts
//! only what it reads into the engine's values: a Map whose ItemSelector reads
//! `$states.context.Map.Item.Value` stays linear in its items instead of converting the whole
//! input once per item. Any use this scan cannot see through (`$states` alone, a wildcard,
//! a quoted name, the parent operator `%`) binds the whole of what it reaches.

use serde_json::{Map, Value};

/// The parts of `$states` an expression reads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reads {
    /// Nothing below this key is needed whole: only the children listed.
    children: Vec<(String, Reads)>,
    /// The value here is read whole.
    whole: bool,
}

impl Reads {
    fn add(&mut self, chain: &[String]) {
        if self.whole {
            return;
        }
        let Some((first, rest)) = chain.split_first() else {
            self.whole = true;
            self.children.clear();
            return;
        };
        match self.children.iter_mut().find(|(k, _)| k == first) {
            Some((_, child)) => child.add(rest),
            None => {
                let mut child = Reads::default();
                child.add(rest);
                self.children.push((first.clone(), child));
            }
        }
    }

    /// True when `key` at the top (`input`, `context`, ...) is read at all.
    pub fn reads(&self, key: &str) -> bool {
        self.whole || self.children.iter().any(|(k, _)| k == key)
    }

    /// The part of `value` that is read: objects keep only the keys read below them;
    /// anything else (arrays, which paths map over, and scalars) is kept whole.
    pub fn prune(&self, value: &Value) -> Value {
        match value {
            Value::Object(m) if !self.whole => {
                let mut out = Map::new();
                for (k, child) in &self.children {
                    if let Some(v) = m.get(k) {
                        out.insert(k.clone(), child.prune(v));
                    }
                }
                Value::Object(out)
            }
            v => v.clone(),
        }
    }
}

/// The `$names` in `text` (outside strings, quoted names and comments) and what it reads
/// of `$states`.
pub fn scan(text: &str) -> (Vec<String>, Reads) {
    let chars: Vec<char> = text.chars().collect();
    let mut names: Vec<String> = Vec::new();
    let mut reads = Reads::default();
    let mut parent_operator = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '"' | '\'' => i = skip_string(&chars, i + 1, c),
            '`' => i = skip_until(&chars, i + 1, &['`']),
            '/' if chars.get(i + 1) == Some(&'*') => i = skip_comment(&chars, i + 2),
            '%' => {
                parent_operator = true;
                i += 1;
            }
            '$' => {
                let (name, end) = name_at(&chars, i + 1);
                if name == "states" {
                    let (chain, after) = chain_at(&chars, end);
                    reads.add(&chain);
                    i = after;
                } else {
                    i = end.max(i + 1);
                }
                if !name.is_empty() && !names.contains(&name) {
                    names.push(name);
                }
            }
            _ => i += 1,
        }
    }
    if parent_operator && names.iter().any(|n| n == "states") {
        reads.add(&[]);
    }
    (names, reads)
}

/// True when a JSONata expression (`{% ... %}` or the text between) reads
/// `$states.context`.
pub fn reads_context(text: &str) -> bool {
    let t = text.trim();
    let inner = t
        .strip_prefix("{%")
        .and_then(|t| t.strip_suffix("%}"))
        .unwrap_or(t);
    scan(inner).1.reads("context")
}

fn name_at(chars: &[char], start: usize) -> (String, usize) {
    let mut end = start;
    while end < chars.len() && (chars[end].is_alphanumeric() || chars[end] == '_') {
        end += 1;
    }
    (chars[start..end].iter().collect(), end)
}

/// The `.name.name` chain after `$states`, and where it ends.
fn chain_at(chars: &[char], mut i: usize) -> (Vec<String>, usize) {
    let mut chain = Vec::new();
    loop {
        let j = skip_space(chars, i);
        if chars.get(j) != Some(&'.') {
            return (chain, i);
        }
        let k = skip_space(chars, j + 1);
        let starts_name = chars.get(k).is_some_and(|c| c.is_alphabetic() || *c == '_');
        if !starts_name {
            return (chain, i);
        }
        let (name, end) = name_at(chars, k);
        chain.push(name);
        i = end;
    }
}

fn skip_space(chars: &[char], mut i: usize) -> usize {
    while chars.get(i).is_some_and(|c| c.is_whitespace()) {
        i += 1;
    }
    i
}

fn skip_string(chars: &[char], mut i: usize, quote: char) -> usize {
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    i
}

fn skip_until(chars: &[char], mut i: usize, end: &[char]) -> usize {
    while i < chars.len() && !end.contains(&chars[i]) {
        i += 1;
    }
    i + 1
}

fn skip_comment(chars: &[char], mut i: usize) -> usize {
    while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
        i += 1;
    }
    i + 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_in_strings_quotes_and_comments_are_not_variables() {
        let (names, _) = scan("$a & '$b' & \"$c\" & `$d` /* it's $e */ & $states.input & $a");
        assert_eq!(names, vec!["a", "states"]);
    }

    #[test]
    fn only_the_branches_read_are_kept() {
        let states = json!({"input": {"a": {"x": 1, "y": 2}, "b": [1, 2]}, "context": {"big": 1}});
        let (_, reads) = scan("$states.input.a.x + $count($states.input.b.c)");
        assert_eq!(
            reads.prune(&states),
            json!({"input": {"a": {"x": 1}, "b": [1, 2]}})
        );
        assert!(!reads.reads("context"));
        let (_, reads) = scan("$states.input.a . y");
        assert_eq!(reads.prune(&states), json!({"input": {"a": {"y": 2}}}));
    }

    #[test]
    fn uses_the_scan_cannot_follow_bind_everything_they_reach() {
        let states = json!({"input": {"a": 1, "b": 2}, "context": {"c": 3}});
        for text in [
            "$states",
            "$keys($states)",
            "$states.input.a.%.b",
            "($s := $states; $s.input.a)",
        ] {
            assert_eq!(scan(text).1.prune(&states), states, "{text}");
        }
        let (_, reads) = scan("$states.input.* ");
        assert_eq!(reads.prune(&states), json!({"input": {"a": 1, "b": 2}}));
        let (_, reads) = scan("$states.input.`a`");
        assert_eq!(reads.prune(&states), json!({"input": {"a": 1, "b": 2}}));
        assert!(reads_context("$states.context.Map.Item.Value"));
        assert!(reads_context("$states"));
        assert!(!reads_context("$states.input.context"));
        assert!(!reads_context(" {% $states.input.value + 1 %} "));
        assert!(reads_context("{% $states.context.Execution.Id %}"));
    }
}
