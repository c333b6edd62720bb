//! The workspace-seed format: tables to create and items to put before a run.

use crate::error::PlaygroundError;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use statebox_dynamo::{Commit, Engine};
use std::collections::BTreeMap;

/// `{"tables": [<CreateTable request>, ...], "items": {"<TableName>": [<item>, ...]}}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceSeed {
    #[serde(default)]
    pub tables: Vec<Value>,
    #[serde(default)]
    pub items: BTreeMap<String, Vec<Value>>,
}

impl WorkspaceSeed {
    /// Parses a seed file; errors give the line and column.
    pub fn parse(text: &str) -> Result<WorkspaceSeed, PlaygroundError> {
        serde_json::from_str(text).map_err(|e| PlaygroundError::json("the seed", &e))
    }

    /// Creates the tables and puts the items, returning every commit. Stops at the first
    /// request the engine refuses, naming it by JSON pointer.
    pub fn apply(&self, engine: &mut Engine) -> Result<Vec<Commit>, PlaygroundError> {
        let mut commits = Vec::new();
        for (i, table) in self.tables.iter().enumerate() {
            let done = engine
                .execute("CreateTable", table)
                .map_err(|e| PlaygroundError::Seed {
                    pointer: format!("/tables/{i}"),
                    message: format!("{}: {}", e.type_name, e.message),
                })?;
            commits.extend(done.commit);
        }
        for (table, items) in &self.items {
            for (i, item) in items.iter().enumerate() {
                let request = json!({"TableName": table, "Item": item});
                let done =
                    engine
                        .execute("PutItem", &request)
                        .map_err(|e| PlaygroundError::Seed {
                            pointer: format!(
                                "/items/{}/{i}",
                                table.replace('~', "~0").replace('/', "~1")
                            ),
                            message: format!("{}: {}", e.type_name, e.message),
                        })?;
                commits.extend(done.commit);
            }
        }
        Ok(commits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_unknown_fields_with_position() {
        let err = WorkspaceSeed::parse("{\n \"tabels\": []}").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("line 2"), "{text}");
        assert!(text.contains("tabels"), "{text}");
    }

    #[test]
    fn names_the_refused_request() {
        let seed = WorkspaceSeed::parse(r#"{"items": {"Missing": [{"id": {"S": "1"}}]}}"#).unwrap();
        let err = seed.apply(&mut Engine::new()).unwrap_err();
        assert!(
            err.to_string().starts_with("seed /items/Missing/0: "),
            "{err}"
        );
    }
}
