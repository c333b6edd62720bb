//! A run's input and options as the JS API takes them (JSON text), read into the
//! playground's types. `options` may hold `history: true`, `name`, `seed`,
//! `maxHistoryEvents`, `maxPayloadBytes` (measurement only), and `mockConfig` + `testCase`.

use serde_json::Value;
use statebox_playground::{PlaygroundError, RunOptions};
use statebox_services::MockConfig;

/// What a run starts from.
pub struct Prepared {
    pub input: Value,
    pub options: RunOptions,
    /// Whether the caller asked for the history in the result.
    pub history: bool,
}

/// Reads `input` and `options` (JSON text); errors say which and where.
pub fn prepare(input: &str, options: &str) -> Result<Prepared, String> {
    let input: Value = serde_json::from_str(input)
        .map_err(|e| PlaygroundError::json("the input", &e).to_string())?;
    let options: Value = if options.trim().is_empty() {
        Value::Object(Default::default())
    } else {
        serde_json::from_str(options)
            .map_err(|e| PlaygroundError::json("the options", &e).to_string())?
    };
    let mocks = match (options.get("mockConfig"), options.get("testCase")) {
        (Some(config), Some(Value::String(case))) => {
            let text = match config {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            Some(
                MockConfig::parse(&text)
                    .and_then(|c| c.test_case(case, None))
                    .map_err(|e| e.to_string())?,
            )
        }
        _ => None,
    };
    Ok(Prepared {
        input,
        history: options["history"] == Value::Bool(true),
        options: RunOptions {
            mocks,
            ..RunOptions::from_js_options(&options)
        },
    })
}
