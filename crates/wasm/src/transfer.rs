//! The export format of a whole workspace: `{"format": "statebox-workspace", "version": 1,
//! "engine": <snapshot: tables, items, stream records, tokens, counter>, "document": <the
//! page's workspace document or null>, "runs": [<finished runs, oldest first>]}`.

use serde::{Deserialize, Serialize};
use statebox_dynamo::Snapshot;

const FORMAT: &str = "statebox-workspace";
const VERSION: u32 = 1;

/// What an export holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Exported {
    pub snapshot: Snapshot,
    pub document: Option<String>,
    pub runs: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct Wire {
    format: String,
    version: u32,
    engine: Snapshot,
    #[serde(default)]
    document: Option<String>,
    #[serde(default)]
    runs: Vec<String>,
}

/// The export's JSON text.
pub fn export(exported: &Exported) -> String {
    serde_json::to_string(&Wire {
        format: FORMAT.into(),
        version: VERSION,
        engine: exported.snapshot.clone(),
        document: exported.document.clone(),
        runs: exported.runs.clone(),
    })
    .unwrap_or_default()
}

/// Reads an export back; the error says where it is wrong.
pub fn import(text: &str) -> Result<Exported, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        format!(
            "the workspace file is not JSON: {e} (line {}, column {})",
            e.line(),
            e.column()
        )
    })?;
    if value["format"] != FORMAT {
        return Err(format!(
            "/format: not a Statebox workspace export (expected \"{FORMAT}\")"
        ));
    }
    if value["version"].as_u64() != Some(u64::from(VERSION)) {
        return Err(format!(
            "/version: {} is not a version this Statebox reads ({VERSION})",
            value["version"]
        ));
    }
    let wire: Wire =
        serde_json::from_value(value).map_err(|e| format!("the workspace file: {e}"))?;
    Ok(Exported {
        snapshot: wire.engine,
        document: wire.document,
        runs: wire.runs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_export_reads_back_and_bad_files_say_where() {
        let exported = Exported {
            snapshot: Snapshot::default(),
            document: Some("{\"definition\":\"x\"}".into()),
            runs: vec!["{}".into()],
        };
        assert_eq!(import(&export(&exported)).unwrap(), exported);
        assert!(import("{").unwrap_err().contains("line 1"));
        assert!(import("{\"format\":\"x\"}")
            .unwrap_err()
            .starts_with("/format"));
        let wrong = "{\"format\":\"statebox-workspace\",\"version\":9}";
        assert!(import(wrong).unwrap_err().starts_with("/version"));
    }
}
