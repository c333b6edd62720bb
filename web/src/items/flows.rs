//! The items panel's conversations with the worker, all through its `dynamodb` op: describe
//! a table, read a page (or every page), save and delete items (many at once through
//! BatchWriteItem), run a PartiQL statement, and table actions. Each ends in items actions.

use super::attr::key_of;
use super::key_request::{self, KeyAction, KeySpec};
use super::request;
use super::state::{Console, EditMode, Editor, EditorError, ItemsAction, ItemsState};
use crate::worker_client::WorkerClient;
use serde_json::{json, Value};
use std::rc::Rc;
use yew::{Reducible, UseReducerDispatcher};

pub type Dispatcher = UseReducerDispatcher<ItemsState>;

/// Loading every page stops at this many items (the grid is windowed; memory is not).
pub const LOAD_ALL_MAX: usize = 20_000;
/// BatchWriteItem takes at most this many requests.
const BATCH: usize = 25;

/// Runs one DynamoDB action; the answer as JSON or the engine's `Type: message`.
pub async fn call(client: &WorkerClient, action: &str, request: &Value) -> Result<Value, String> {
    let text = client
        .request(
            "dynamodb",
            &[("action", action), ("request", &request.to_string())],
        )
        .await
        .map_err(|e| crate::flows::describe(action, &e))?
        .unwrap_or_else(|| "{}".into());
    serde_json::from_str(&text).map_err(|e| format!("{action}: the answer is not JSON: {e}"))
}

/// Describes `table` and shows its first page.
pub async fn open_table(client: WorkerClient, table: String, state: Rc<ItemsState>, d: Dispatcher) {
    match call(&client, "DescribeTable", &json!({"TableName": table})).await {
        Ok(described) => {
            let action = || ItemsAction::Table {
                table: table.clone(),
                description: described["Table"].clone(),
            };
            // The reducer is pure: the state it will have is the one to read with.
            let next = state.reduce(action());
            if next.table != table {
                return; // another table was asked for meanwhile
            }
            d.dispatch(action());
            read(client, next, 0, None, false, false, d).await;
        }
        Err(message) => d.dispatch(ItemsAction::ReadFailed(message)),
    }
}

/// Runs the builder's query or scan afresh from its first page.
pub async fn restart(client: WorkerClient, state: Rc<ItemsState>, all: bool, d: Dispatcher) {
    let next = state.reduce(ItemsAction::Restart);
    d.dispatch(ItemsAction::Restart);
    read(client, next, 0, None, all, false, d).await;
}

/// Reads page `page` starting after `start` (or every page from there when `all`).
pub async fn read(
    client: WorkerClient,
    state: Rc<ItemsState>,
    page: usize,
    start: Option<Value>,
    all: bool,
    live: bool,
    d: Dispatcher,
) {
    let spec = &state.spec;
    if !live {
        d.dispatch(ItemsAction::Loading);
    }
    let mut items = Vec::new();
    let (mut scanned, mut returned) = (0, 0);
    let mut cursor = start.clone();
    loop {
        let req = match request::build(spec, cursor.as_ref()) {
            Ok(r) => r,
            Err(message) => return d.dispatch(ItemsAction::ReadFailed(message)),
        };
        let answer = match call(&client, spec.mode.action(), &req).await {
            Ok(a) => a,
            Err(message) => return d.dispatch(ItemsAction::ReadFailed(message)),
        };
        items.extend(answer["Items"].as_array().cloned().unwrap_or_default());
        scanned += answer["ScannedCount"].as_u64().unwrap_or(0);
        returned += answer["Count"].as_u64().unwrap_or(0);
        cursor = answer.get("LastEvaluatedKey").cloned();
        if !all || cursor.is_none() || items.len() >= LOAD_ALL_MAX {
            break;
        }
    }
    d.dispatch(ItemsAction::Page {
        generation: state.generation,
        page,
        start,
        items,
        last_key: cursor,
        scanned,
        returned,
        all,
        live,
    });
}

/// Reads the shown page again (after a write here or elsewhere).
pub async fn reload(client: WorkerClient, state: Rc<ItemsState>, live: bool, d: Dispatcher) {
    let start = state.pages.get(state.page).cloned().flatten();
    let (page, all) = (state.page, state.all);
    read(client, state, page, start, all, live, d).await;
}

/// Deletes the items with these keys (DynamoDB JSON texts), 25 a BatchWriteItem.
pub async fn delete_keys(
    client: WorkerClient,
    state: Rc<ItemsState>,
    keys: Vec<String>,
    d: Dispatcher,
) {
    let table = state.table.clone();
    for chunk in keys.chunks(BATCH) {
        let mut requests: Vec<Value> = chunk
            .iter()
            .filter_map(|k| serde_json::from_str::<Value>(k).ok())
            .map(|key| json!({"DeleteRequest": {"Key": key}}))
            .collect();
        // Unprocessed requests are sent again (the engine has no throttling, but be fair).
        for _ in 0..5 {
            if requests.is_empty() {
                break;
            }
            let req = json!({"RequestItems": {table.clone(): requests}});
            match call(&client, "BatchWriteItem", &req).await {
                Ok(answer) => {
                    requests = answer["UnprocessedItems"][&table]
                        .as_array()
                        .cloned()
                        .unwrap_or_default();
                }
                Err(message) => return d.dispatch(ItemsAction::ReadFailed(message)),
            }
        }
    }
    d.dispatch(ItemsAction::SelectAll(false));
    reload(client, state, false, d).await;
}

/// Every item of `table` (Scan page after page).
pub async fn scan_all(client: &WorkerClient, table: &str) -> Result<Vec<Value>, String> {
    let mut items = Vec::new();
    let mut start: Option<Value> = None;
    loop {
        let mut req = json!({"TableName": table});
        if let Some(k) = start.take() {
            req["ExclusiveStartKey"] = k;
        }
        let answer = call(client, "Scan", &req).await?;
        items.extend(answer["Items"].as_array().cloned().unwrap_or_default());
        match answer.get("LastEvaluatedKey") {
            Some(k) => start = Some(k.clone()),
            None => return Ok(items),
        }
    }
}

/// Every table of the workspace with its items, in the workspace-seed format.
pub async fn export_seed(client: &WorkerClient) -> Result<Value, String> {
    let listed = call(client, "ListTables", &json!({})).await?;
    let mut tables = Vec::new();
    for name in listed["TableNames"].as_array().into_iter().flatten() {
        let name = name.as_str().unwrap_or_default();
        let described = call(client, "DescribeTable", &json!({"TableName": name})).await?;
        tables.push((described["Table"].clone(), scan_all(client, name).await?));
    }
    Ok(super::formats::to_seed(&tables))
}

/// Puts `items` into `table`, 25 a BatchWriteItem; an error names the items it concerns.
pub async fn import_items(
    client: &WorkerClient,
    table: &str,
    items: &[Value],
) -> Result<usize, String> {
    for (n, chunk) in items.chunks(BATCH).enumerate() {
        let mut requests: Vec<Value> = chunk
            .iter()
            .map(|item| json!({"PutRequest": {"Item": item}}))
            .collect();
        for _ in 0..5 {
            if requests.is_empty() {
                break;
            }
            let req = json!({"RequestItems": {table: requests}});
            let answer = call(client, "BatchWriteItem", &req).await.map_err(|e| {
                let first = n * BATCH + 1;
                format!("Items {first} to {}: {e}", first + chunk.len() - 1)
            })?;
            requests = answer["UnprocessedItems"][table]
                .as_array()
                .cloned()
                .unwrap_or_default();
        }
    }
    Ok(items.len())
}

/// Where an engine error belongs in the editor: the attribute it names, or an empty set.
pub fn error_field(message: &str, item: &Value) -> Option<String> {
    let names: Vec<&String> = item.as_object()?.keys().collect();
    let word = |name: &str| {
        message.match_indices(name).any(|(i, _)| {
            let before = message[..i].chars().next_back();
            let after = message[i + name.len()..].chars().next();
            let edge = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != '_');
            edge(before) && edge(after)
        })
    };
    if let Some(name) = names.iter().find(|n| word(n)) {
        return Some((*name).clone());
    }
    if message.contains("empty") {
        let empty = item.as_object()?.iter().find(|(_, v)| {
            ["SS", "NS", "BS"].iter().any(|t| {
                v.get(*t)
                    .and_then(Value::as_array)
                    .is_some_and(Vec::is_empty)
            })
        });
        return empty.map(|(k, _)| k.clone());
    }
    None
}

/// Saves the editor's item (PutItem; an edited key also deletes the old item).
pub async fn save(client: WorkerClient, state: Rc<ItemsState>, editor: Editor, d: Dispatcher) {
    let item = match editor.item() {
        Ok(item) => item,
        Err(error) => {
            return d.dispatch(ItemsAction::Edit(Some(Editor {
                error: Some(error),
                ..editor
            })))
        }
    };
    let table = state.table.clone();
    let put = match editor.with_condition(json!({"TableName": table, "Item": item})) {
        Ok(put) => put,
        Err(error) => {
            return d.dispatch(ItemsAction::Edit(Some(Editor {
                error: Some(error),
                ..editor
            })))
        }
    };
    if let Err(message) = call(&client, "PutItem", &put).await {
        let field = error_field(&message, &item);
        return d.dispatch(ItemsAction::Edit(Some(Editor {
            error: Some(EditorError { field, message }),
            busy: false,
            ..editor
        })));
    }
    let old_key = key_of(&state.key_names, &editor.original);
    if editor.mode == EditMode::Edit && old_key != key_of(&state.key_names, &item) {
        let del = json!({"TableName": table, "Key": old_key});
        if let Err(message) = call(&client, "DeleteItem", &del).await {
            d.dispatch(ItemsAction::ReadFailed(message));
        }
    }
    d.dispatch(ItemsAction::EditorSaved);
    reload(client, state, false, d).await;
}

/// Deletes the editor's item (DeleteItem, with the editor's condition if any).
pub async fn delete_item(
    client: WorkerClient,
    state: Rc<ItemsState>,
    editor: Editor,
    d: Dispatcher,
) {
    let key = key_of(&state.key_names, &editor.original);
    let request = editor.with_condition(json!({"TableName": state.table, "Key": key}));
    let failed = match request {
        Ok(request) => call(&client, "DeleteItem", &request)
            .await
            .err()
            .map(|message| EditorError {
                field: None,
                message,
            }),
        Err(error) => Some(error),
    };
    if let Some(error) = failed {
        return d.dispatch(ItemsAction::Edit(Some(Editor {
            error: Some(error),
            ..editor
        })));
    }
    d.dispatch(ItemsAction::EditorSaved);
    reload(client, state, false, d).await;
}

/// Runs the console's statement with its parameters.
pub async fn run_statement(client: WorkerClient, console: Console, next: bool, d: Dispatcher) {
    let statement = console.statement.trim().to_string();
    let mut req = json!({"Statement": statement});
    if !console.parameters.trim().is_empty() {
        match serde_json::from_str::<Value>(&console.parameters) {
            Ok(Value::Array(p)) if !p.is_empty() => req["Parameters"] = Value::Array(p),
            Ok(Value::Array(_)) => {}
            Ok(_) => {
                return d.dispatch(ItemsAction::Console(Console {
                    error: Some(
                        "Parameters: a JSON array of DynamoDB JSON values, e.g. [{\"S\": \"001\"}]"
                            .into(),
                    ),
                    ..console
                }))
            }
            Err(e) => {
                return d.dispatch(ItemsAction::Console(Console {
                    error: Some(format!("Parameters: {e}")),
                    ..console
                }))
            }
        }
    }
    if next {
        if let Some(token) = &console.next_token {
            req["NextToken"] = json!(token);
        }
    }
    let done = match call(&client, "ExecuteStatement", &req).await {
        Ok(answer) => {
            let items = answer["Items"].as_array().cloned().unwrap_or_default();
            Console {
                ran: Some(items.len()),
                items: Rc::new(items),
                next_token: answer["NextToken"].as_str().map(str::to_string),
                error: None,
                busy: false,
                ..console
            }
        }
        Err(message) => Console {
            error: Some(message),
            busy: false,
            ..console
        },
    };
    d.dispatch(ItemsAction::Console(done));
}

/// Sends the "Item by key" form's GetItem, UpdateItem or DeleteItem. The item found or
/// updated opens in the editor; an update or delete reads the shown page again.
pub async fn by_key(client: WorkerClient, state: Rc<ItemsState>, spec: KeySpec, d: Dispatcher) {
    let done = |note: Option<String>, error: Option<String>| ItemsAction::ByKeyDone { note, error };
    let req = match key_request::build(&state.table, &state.source_keys(), &spec) {
        Ok(r) => r,
        Err(e) => return d.dispatch(done(None, Some(e))),
    };
    d.dispatch(ItemsAction::ByKeyBusy);
    let answer = match call(&client, spec.action.action(), &req).await {
        Ok(a) => a,
        Err(e) => return d.dispatch(done(None, Some(e))),
    };
    let key = serde_json::to_string(&req["Key"]).unwrap_or_default();
    let open = |item: &Value, projected: Option<String>| {
        let item = super::attr::keys_first(&state.key_names, item);
        ItemsAction::Edit(Some(Editor {
            projected,
            ..Editor::new(EditMode::Edit, item)
        }))
    };
    match spec.action {
        KeyAction::Get => match answer.get("Item") {
            Some(item) => {
                let projection = spec.projection.trim();
                let projected = (!projection.is_empty()).then(|| projection.to_string());
                d.dispatch(open(item, projected));
                d.dispatch(done(Some(format!("Got the item {key}.")), None));
            }
            None => d.dispatch(done(Some(format!("No item has the key {key}.")), None)),
        },
        KeyAction::Update => {
            if let Some(item) = answer.get("Attributes") {
                d.dispatch(open(item, None));
            }
            d.dispatch(done(Some(format!("Updated the item {key}.")), None));
            reload(client, state, false, d).await;
        }
        KeyAction::Delete => {
            let note = if answer.get("Attributes").is_some() {
                format!("Deleted the item {key}.")
            } else {
                format!("No item had the key {key}: nothing was deleted.")
            };
            d.dispatch(done(Some(note), None));
            reload(client, state, false, d).await;
        }
    }
}

/// The builder's request for the first page, shown as JSON, CLI or Task.
pub fn shown_request(state: &ItemsState) -> Result<(String, Value), String> {
    let action = state.spec.mode.action();
    let start = state.pages.get(state.page).cloned().flatten();
    request::build(&state.spec, start.as_ref()).map(|r| (action.to_string(), r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_land_at_the_attribute_they_name() {
        let item = json!({"OrderId": {"N": "1"}, "Order": {"S": "x"}, "tags": {"SS": []}});
        let m = "ValidationException: One or more parameter values were invalid: Type mismatch for key OrderId expected: S actual: N";
        assert_eq!(error_field(m, &item).as_deref(), Some("OrderId"));
        let m = "ValidationException: One or more parameter values were invalid: An string set  may not be empty";
        assert_eq!(error_field(m, &item).as_deref(), Some("tags"));
        assert_eq!(error_field("Item size has exceeded", &item), None);
    }
}
