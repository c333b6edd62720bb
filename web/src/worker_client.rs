//! The page's side of the worker protocol (see ARCHITECTURE.md, "The page's worker"): spawns
//! the module worker `./worker.js`, sends requests with numeric ids and awaits their
//! answers, hands a run's event batches to a callback as they come, and turns the worker's
//! unsolicited messages (and its failure to start) into [`Unsolicited`] values.
//!
//! A module worker that awaits its wasm before listening drops the messages that arrive in
//! the meantime, so [`WorkerClient::until_listening`] pings (an unknown op, answered with
//! an error) until the first answer, before the page sends anything that matters.

use js_sys::{Object, Promise, Reflect};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::Callback;

/// The worker's script, next to the page.
pub const WORKER_URL: &str = "./worker.js";

/// A request the worker refused or could not do.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerError {
    pub message: String,
    /// The browser's storage quota is full.
    pub quota: bool,
}

/// A message the worker sent of its own accord.
#[derive(Debug, Clone, PartialEq)]
pub enum Unsolicited {
    /// Another tab changed the tables.
    Changed,
    Notice(String),
    Alert(String),
    /// The worker failed (its script did not load, or it crashed).
    Failed(String),
}

/// What a pending request is waiting for.
struct Pending {
    resolve: js_sys::Function,
    on_events: Option<Callback<String>>,
}

type PendingMap = Rc<RefCell<HashMap<u64, Pending>>>;

/// A handle on the worker; clones share it.
#[derive(Clone)]
pub struct WorkerClient {
    inner: Rc<Inner>,
}

struct Inner {
    worker: Worker,
    next_id: Cell<u64>,
    pending: PendingMap,
    /// Set by the worker's first answer.
    listening: Rc<Cell<bool>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

impl PartialEq for WorkerClient {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn set(object: &Object, key: &str, value: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}

/// Fails every pending request with `message` (the worker is gone).
fn fail_all(pending: &PendingMap, message: &str) {
    let drained: Vec<Pending> = pending.borrow_mut().drain().map(|(_, p)| p).collect();
    for p in drained {
        let answer = Object::new();
        set(&answer, "error", &JsValue::from_str(message));
        let _ = p.resolve.call1(&JsValue::NULL, &answer);
    }
}

/// Routes one message from the worker.
fn route(
    pending: &PendingMap,
    listening: &Cell<bool>,
    unsolicited: &Callback<Unsolicited>,
    data: JsValue,
) {
    listening.set(true);
    let id = get(&data, "id").as_f64();
    let Some(id) = id.map(|n| n as u64) else {
        let text = get(&data, "text").as_string().unwrap_or_default();
        match get(&data, "op").as_string().as_deref() {
            Some("changed") => unsolicited.emit(Unsolicited::Changed),
            Some("notice") => unsolicited.emit(Unsolicited::Notice(text)),
            Some("alert") => unsolicited.emit(Unsolicited::Alert(text)),
            _ => {}
        }
        return;
    };
    let events = get(&data, "events");
    if let Some(batch) = events.as_string() {
        // Clone the callback out so no borrow is held while the page handles the batch.
        let on_events = pending.borrow().get(&id).and_then(|p| p.on_events.clone());
        if let Some(on_events) = on_events {
            on_events.emit(batch);
        }
        return;
    }
    let done = pending.borrow_mut().remove(&id);
    if let Some(p) = done {
        let _ = p.resolve.call1(&JsValue::NULL, &data);
    }
}

/// Reads an answer `{ok}` / `{error, quota}`.
fn answer_of(data: &JsValue) -> Result<Option<String>, WorkerError> {
    let error = get(data, "error");
    if !error.is_undefined() && !error.is_null() {
        return Err(WorkerError {
            message: error
                .as_string()
                .unwrap_or_else(|| "the worker failed".into()),
            quota: get(data, "quota").as_bool().unwrap_or(false),
        });
    }
    Ok(get(data, "ok").as_string())
}

impl WorkerClient {
    /// Starts the worker; `unsolicited` receives its own messages and its failure.
    pub fn spawn(unsolicited: Callback<Unsolicited>) -> Result<WorkerClient, String> {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(WORKER_URL, &options)
            .map_err(|e| format!("The page's worker could not start: {e:?}"))?;
        let pending: PendingMap = Rc::default();
        let listening = Rc::new(Cell::new(false));
        let on_message = {
            let pending = pending.clone();
            let listening = listening.clone();
            let unsolicited = unsolicited.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                route(&pending, &listening, &unsolicited, event.data());
            })
        };
        let on_error = {
            let pending = pending.clone();
            Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
                let detail = event.message();
                let message = if detail.is_empty() {
                    "The page's worker failed to start or crashed; reload the page.".to_string()
                } else {
                    format!("The page's worker failed: {detail}")
                };
                fail_all(&pending, &message);
                unsolicited.emit(Unsolicited::Failed(message));
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(WorkerClient {
            inner: Rc::new(Inner {
                worker,
                next_id: Cell::new(1),
                pending,
                listening,
                _on_message: on_message,
                _on_error: on_error,
            }),
        })
    }

    /// Sends `op` with string fields; returns the request's id and its answer.
    fn send(
        &self,
        op: &str,
        fields: &[(&str, &str)],
        on_events: Option<Callback<String>>,
    ) -> (
        u64,
        impl std::future::Future<Output = Result<Option<String>, WorkerError>>,
    ) {
        let id = self.inner.next_id.get();
        self.inner.next_id.set(id + 1);
        let message = Object::new();
        set(&message, "id", &JsValue::from_f64(id as f64));
        set(&message, "op", &JsValue::from_str(op));
        for (key, value) in fields {
            set(&message, key, &JsValue::from_str(value));
        }
        let pending = self.inner.pending.clone();
        let promise = Promise::new(&mut |resolve, _reject| {
            pending.borrow_mut().insert(
                id,
                Pending {
                    resolve,
                    on_events: on_events.clone(),
                },
            );
        });
        let posted = self.inner.worker.post_message(&message);
        if let Err(e) = posted {
            self.inner.pending.borrow_mut().remove(&id);
            let message = format!("could not send {op} to the worker: {e:?}");
            return (
                id,
                futures_answer(Err(WorkerError {
                    message,
                    quota: false,
                })),
            );
        }
        (id, futures_answer(Ok(promise)))
    }

    /// Waits until the worker answers at all (see the module doc): a ping every 50 ms, for
    /// at most `PING_LIMIT` pings.
    pub async fn until_listening(&self) -> Result<(), WorkerError> {
        const PING_LIMIT: u32 = 600;
        for _ in 0..PING_LIMIT {
            if self.inner.listening.get() {
                break;
            }
            let (id, _answer) = self.send("ping", &[], None);
            gloo::timers::future::TimeoutFuture::new(50).await;
            self.inner.pending.borrow_mut().remove(&id);
        }
        if self.inner.listening.get() {
            Ok(())
        } else {
            Err(WorkerError {
                message: "the page's worker does not answer".into(),
                quota: false,
            })
        }
    }

    /// A request whose answer is awaited.
    pub async fn request(
        &self,
        op: &str,
        fields: &[(&str, &str)],
    ) -> Result<Option<String>, WorkerError> {
        self.send(op, fields, None).1.await
    }

    /// Starts a run: returns its id (for [`WorkerClient::stop`]) and its answer; each event
    /// batch (JSON array text) goes to `on_events` before the answer.
    pub fn run(
        &self,
        definition: &str,
        input: &str,
        options: &str,
        on_events: Callback<String>,
    ) -> (
        u64,
        impl std::future::Future<Output = Result<Option<String>, WorkerError>>,
    ) {
        self.send(
            "run",
            &[
                ("definition", definition),
                ("input", input),
                ("options", options),
            ],
            Some(on_events),
        )
    }

    /// Asks the worker to abort run `run` (its answer comes through the run's future).
    pub fn stop(&self, run: u64) {
        let message = Object::new();
        set(&message, "op", &JsValue::from_str("stop"));
        set(&message, "run", &JsValue::from_f64(run as f64));
        let _ = self.inner.worker.post_message(&message);
    }

    /// Sends `saveDocument` without awaiting it (for `pagehide`: the page may be gone
    /// before the answer).
    pub fn save_now(&self, text: &str) {
        let _ = self.send("saveDocument", &[("text", text)], None);
    }
}

/// The answer of a sent request (or the error of one that could not be sent).
async fn futures_answer(sent: Result<Promise, WorkerError>) -> Result<Option<String>, WorkerError> {
    let promise = sent?;
    let data = JsFuture::from(promise).await.map_err(|e| WorkerError {
        message: format!("{e:?}"),
        quota: false,
    })?;
    answer_of(&data)
}
