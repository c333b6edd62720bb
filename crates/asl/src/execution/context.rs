//! The context object (`$$`): Execution, State, StateMachine, Task and Map.Item.

use super::Execution;
use crate::timestamp::format_millis;
use serde_json::{json, Value};

impl Execution {
    /// `$$` for frame `id` in its current state.
    pub(super) fn context(&self, id: usize) -> Value {
        // Building `$$` copies the execution input: skip it for states that never read it,
        // so a Map over many items stays linear.
        let needed = self
            .frames
            .get(id)
            .and_then(|f| f.list.states.get(f.state?))
            .is_none_or(|s| s.uses_context);
        if !needed {
            return Value::Null;
        }
        let (name, entered, retries) = self
            .frames
            .get(id)
            .map(|f| (f.current.clone(), f.entered_time, f.retry_total))
            .unwrap_or_default();
        json!({
            "Execution": {
                "Id": self.execution_arn(),
                "Input": self.input,
                "Name": self.options.name,
                "RoleArn": self.options.role_arn,
                "StartTime": format_millis(self.options.start_time_millis),
                "RedriveCount": 0,
            },
            "State": {
                "EnteredTime": format_millis(entered),
                "Name": name,
                "RetryCount": retries,
            },
            "StateMachine": {
                "Id": self.state_machine_arn(),
                "Name": self.options.state_machine_name,
            },
        })
    }
}

/// Adds `Task.Token` to a context.
pub fn with_task_token(mut ctx: Value, token: &str) -> Value {
    if let Some(m) = ctx.as_object_mut() {
        m.insert("Task".into(), json!({ "Token": token }));
    }
    ctx
}

/// Adds `Map.Item` to a context.
pub fn with_map_item(mut ctx: Value, index: usize, value: &Value) -> Value {
    if let Some(m) = ctx.as_object_mut() {
        m.insert(
            "Map".into(),
            json!({"Item": {"Index": index, "Value": value}}),
        );
    }
    ctx
}
