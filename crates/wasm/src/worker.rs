//! The page's worker (`static/worker.js` calls [`serve_worker`]): owns the page's workspace
//! off the main thread, runs executions in slices of a few milliseconds, streams their events
//! to the page in batches and stops a run at once when asked.
//!
//! Protocol (messages are plain objects, JSON payloads are strings): the page sends
//! `{id, op, ...}` and gets `{id, ok}` or `{id, error, quota}`; ops are `open {name}`,
//! `dynamodb {action, request}`, `seed {seed}`, `tables`, `run {definition, input, options}`
//! (answered after any number of `{id, events}` batches), `saveDocument {text}`; and
//! `{op: "stop", run}` without an answer. The worker also sends `{op: "changed"}` when another
//! tab or worker changed the tables, and `{op: "notice", text}`.

use crate::error::WorkspaceError;
use crate::execution::Execution;
use crate::workspace::{Workspace, WORKSPACE_DOCUMENT};
use js_sys::{Object, Reflect};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// How long one slice of a run may hold the worker before it posts its events and lets
/// messages (a Stop) in.
const SLICE_MILLIS: f64 = 8.0;

/// Rows of a table sent with the tables list (the item browser pages further itself).
const FIRST_PAGE: u32 = 200;

#[derive(Default)]
struct State {
    workspace: RefCell<Option<Workspace>>,
    /// Runs asked to stop (by request id).
    stops: RefCell<BTreeSet<u64>>,
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(fields: &[(&str, JsValue)]) {
    let message = Object::new();
    for (key, value) in fields {
        let _ = Reflect::set(&message, &JsValue::from_str(key), value);
    }
    let _ = scope().post_message(&message);
}

fn field(data: &JsValue, key: &str) -> JsValue {
    Reflect::get(data, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn text(data: &JsValue, key: &str) -> String {
    field(data, key).as_string().unwrap_or_default()
}

fn answer(id: f64, result: Result<Option<String>, WorkspaceError>) {
    match result {
        Ok(ok) => post(&[
            ("id", id.into()),
            ("ok", ok.map_or(JsValue::NULL, JsValue::from)),
        ]),
        Err(e) => post(&[
            ("id", id.into()),
            ("error", e.to_string().into()),
            ("quota", e.is_quota().into()),
        ]),
    }
}

/// Starts answering the page's messages in this worker.
#[wasm_bindgen(js_name = serveWorker)]
pub fn serve_worker() {
    let state = Rc::new(State::default());
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let data = event.data();
        let op = text(&data, "op");
        if op == "stop" {
            if let Some(run) = field(&data, "run").as_f64() {
                state.stops.borrow_mut().insert(run as u64);
            }
            return;
        }
        let id = field(&data, "id").as_f64().unwrap_or(-1.0);
        let state = state.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let result = handle(&state, id, &op, &data).await;
            answer(id, result);
        });
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
}

fn workspace(state: &State) -> Result<Workspace, WorkspaceError> {
    state
        .workspace
        .borrow()
        .clone()
        .ok_or_else(|| WorkspaceError::Request("the workspace is not open yet".into()))
}

async fn handle(
    state: &State,
    id: f64,
    op: &str,
    data: &JsValue,
) -> Result<Option<String>, WorkspaceError> {
    match op {
        "open" => open(state, &text(data, "name")).await.map(Some),
        "dynamodb" => workspace(state)?
            .call(&text(data, "action"), &text(data, "request"))
            .await
            .map(Some),
        "seed" => workspace(state)?
            .seed_text(&text(data, "seed"))
            .await
            .map(|_| None),
        "tables" => tables(&workspace(state)?).await.map(Some),
        "saveDocument" => workspace(state)?
            .put_document(WORKSPACE_DOCUMENT, &text(data, "text"))
            .await
            .map(|_| None),
        "run" => run(state, id, data).await.map(Some),
        other => Err(WorkspaceError::Request(format!(
            "unknown worker request {other:?}"
        ))),
    }
}

async fn open(state: &State, name: &str) -> Result<String, WorkspaceError> {
    let name = if name.is_empty() { "default" } else { name };
    let mut notice = None;
    let opened = Workspace::open_named(name, || {
        post(&[
            ("op", "notice".into()),
            (
                "text",
                "Statebox is waiting for other tabs with an older version to close.".into(),
            ),
        ]);
    })
    .await;
    let ws = match opened {
        Ok(ws) => ws,
        Err(e) => {
            notice = Some(format!("{e}. This workspace lives in memory only."));
            Workspace::new()
        }
    };
    ws.add_listener(Rc::new(|| post(&[("op", "changed".into())])));
    let document = ws.document(WORKSPACE_DOCUMENT).await?;
    let last_run = ws.runs().await?.pop();
    *state.workspace.borrow_mut() = Some(ws);
    Ok(json!({"document": document, "lastRun": last_run, "notice": notice}).to_string())
}

async fn tables(ws: &Workspace) -> Result<String, WorkspaceError> {
    let listed: Value =
        serde_json::from_str(&ws.call("ListTables", "{}").await?).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for name in listed["TableNames"].as_array().into_iter().flatten() {
        let name = name.as_str().unwrap_or_default();
        let page: Value = serde_json::from_str(
            &ws.call(
                "Scan",
                &json!({"TableName": name, "Limit": FIRST_PAGE}).to_string(),
            )
            .await?,
        )
        .map_err(|e| e.to_string())?;
        let described: Value = serde_json::from_str(
            &ws.call("DescribeTable", &json!({"TableName": name}).to_string())
                .await?,
        )
        .map_err(|e| e.to_string())?;
        out.push(json!({
            "name": name,
            "count": described["Table"]["ItemCount"],
            "items": page["Items"],
            "truncated": page.get("LastEvaluatedKey").is_some(),
        }));
    }
    Ok(Value::Array(out).to_string())
}

/// Lets the worker's event loop run (a Stop message may arrive) without the 4 ms clamp of
/// nested timers: a message through a fresh MessageChannel.
async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Ok(channel) = web_sys::MessageChannel::new() {
            let port = channel.port2();
            let on_message = Closure::once_into_js(move || {
                let _ = resolve.call0(&JsValue::NULL);
            });
            port.set_onmessage(Some(on_message.unchecked_ref()));
            let _ = channel.port1().post_message(&JsValue::NULL);
        } else {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn now() -> f64 {
    js_sys::Date::now()
}

async fn run(state: &State, id: f64, data: &JsValue) -> Result<String, WorkspaceError> {
    let ws = workspace(state)?;
    let (definition, input) = (text(data, "definition"), text(data, "input"));
    let options = match text(data, "options") {
        o if o.trim().is_empty() => "{}".to_string(),
        o => o,
    };
    let execution = Execution::start_in(&ws, &definition, &input, &options)?;
    let key = id as u64;
    state.stops.borrow_mut().remove(&key);
    let mut sent = 0;
    loop {
        if state.stops.borrow_mut().remove(&key) {
            execution.stop(None, None);
        }
        let deadline = now() + SLICE_MILLIS;
        let progressed = execution
            .advance_by(|e, s| {
                let mut progressed = false;
                while now() < deadline && e.step(s) {
                    progressed = true;
                }
                progressed
            })
            .await?;
        let count = execution.event_count();
        if count > sent {
            post(&[
                ("id", id.into()),
                ("events", execution.events_since(sent).into()),
            ]);
            sent = count;
        }
        // Finished, or parked on a task token the page cannot answer yet: the stream ends
        // with the execution RUNNING.
        if execution.finished() || !progressed {
            break;
        }
        yield_now().await;
    }
    let result = execution.status();
    let record = json!({
        "definition": definition,
        "input": input,
        "result": serde_json::from_str::<Value>(&result).unwrap_or(Value::Null),
        "events": serde_json::from_str::<Value>(&execution.history()).unwrap_or(Value::Null),
    });
    // The run is over either way; a full quota is reported with the result still shown.
    if let Err(e) = ws.add_run(&record.to_string()).await {
        post(&[("op", "alert".into()), ("text", e.to_string().into())]);
    }
    Ok(result)
}
