//! Adds a Task state made by the item browser to the workflow definition: under a free
//! name, as the start state of an empty workflow, otherwise unlinked (`End: true`) for the
//! person to wire in. Keeps the definition's other text order. Pure.

use serde_json::{Map, Value};

/// The definition text with `task` added as a state named after its resource.
pub fn insert_task(definition: &str, task: &Value) -> Result<(String, String), String> {
    let mut def: Value = serde_json::from_str(definition).map_err(|e| {
        format!("The definition is not JSON ({e}), so the Task could not be added to it.")
    })?;
    let Some(root) = def.as_object_mut() else {
        return Err("The definition is not a JSON object, so the Task could not be added.".into());
    };
    let action = task["Resource"]
        .as_str()
        .and_then(|r| r.rsplit(':').next())
        .unwrap_or("task");
    let table = task["Parameters"]["TableName"].as_str().unwrap_or_default();
    let mut base: String = action
        .chars()
        .take(1)
        .flat_map(char::to_uppercase)
        .chain(action.chars().skip(1))
        .collect();
    if !table.is_empty() {
        base = format!("{base} {table}");
    }
    let states = root
        .entry("States")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(states) = states.as_object_mut() else {
        return Err("The definition's States is not an object.".into());
    };
    let mut name = base.clone();
    let mut n = 2;
    while states.contains_key(&name) {
        name = format!("{base} {n}");
        n += 1;
    }
    let first = states.is_empty();
    states.insert(name.clone(), task.clone());
    if first || root.get("StartAt").is_none() {
        root.insert("StartAt".into(), Value::from(name.clone()));
    }
    Ok((serde_json::to_string_pretty(&def).unwrap_or_default(), name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_task_gets_a_free_name() {
        let task = json!({"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:query",
            "Parameters": {"TableName": "Orders"}, "End": true});
        let def = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}, "Query Orders": {}}}"#;
        let (text, name) = insert_task(def, &task).unwrap();
        assert_eq!(name, "Query Orders 2");
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["StartAt"], "A");
        assert_eq!(v["States"]["Query Orders 2"]["Resource"], task["Resource"]);
        let (text, _) = insert_task("{}", &task).unwrap();
        assert!(text.contains("\"StartAt\": \"Query Orders\""));
        assert!(insert_task("{", &task).unwrap_err().contains("not JSON"));
    }
}
