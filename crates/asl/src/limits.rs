//! The limits Step Functions enforces, each in one named constant.

/// Largest input, output, result or parameters payload in bytes (UTF-8 of the JSON text).
pub const MAX_PAYLOAD_BYTES: usize = 262_144;
/// Largest value one variable may hold, and largest total one state may assign (bytes of
/// the values' JSON text).
pub const MAX_VARIABLE_BYTES: usize = 262_144;
/// Most events an execution history may hold; the execution fails when it would exceed it.
pub const MAX_HISTORY_EVENTS: usize = 25_000;
/// Longest state name (characters).
pub const MAX_STATE_NAME_LENGTH: usize = 80;
/// Longest execution or state machine name (characters).
pub const MAX_EXECUTION_NAME_LENGTH: usize = 80;
/// How deep Parallel/Map blocks may nest in this implementation.
pub const MAX_NESTING_DEPTH: usize = 32;
/// How deep a JSON value may nest before templates and comparisons stop descending.
pub const MAX_JSON_DEPTH: usize = 512;
/// Longest execution (one year) and therefore the largest TimeoutSeconds.
pub const MAX_TIMEOUT_SECONDS: u64 = 31_536_000;
/// Longest Wait (one year), in seconds.
pub const MAX_WAIT_SECONDS: f64 = 31_536_000.0;
/// Most Map iterations this in-process engine runs for one Map state.
pub const MAX_MAP_ITEMS: usize = 100_000;
/// Most nodes one JSONPath step may match: more than a payload-sized document holds, so
/// only chained deep scans (`$..a..a..a`) that repeat nodes combinatorially reach it.
pub const MAX_PATH_MATCHES: usize = MAX_PAYLOAD_BYTES;
/// Cap on any single retry delay (one year in seconds).
pub const MAX_RETRY_DELAY_SECONDS: f64 = 31_536_000.0;

/// True when `name` is a valid execution / state machine name (1–80 chars, no whitespace,
/// brackets, wildcards, punctuation listed by AWS, nor control characters).
pub fn is_valid_name(name: &str) -> bool {
    let n = name.chars().count();
    (1..=MAX_EXECUTION_NAME_LENGTH).contains(&n)
        && !name.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c)
                || ('\u{7f}'..='\u{9f}').contains(&c)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_valid_name("run-1_a.b"));
        assert!(!is_valid_name(""));
        assert!(!is_valid_name("a b"));
        assert!(!is_valid_name(&"x".repeat(81)));
    }
}
