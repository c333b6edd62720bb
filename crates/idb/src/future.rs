//! Futures over IndexedDB's event callbacks (wasm32 only).
//!
//! Written on web-sys directly rather than through a wrapper crate because the store needs
//! three things wrappers hide: the name of the DOMException that aborted a transaction
//! (`QuotaExceededError` is a message for the person, not a generic failure), requests that
//! are issued without being awaited one by one (a commit's puts go out together and only
//! the transaction's completion is awaited: one round trip, not one per record), and the
//! `blocked` / `versionchange` events of other tabs.
//!
//! Continuations run in the microtask after the success event, while the transaction is
//! still active, so a store may read, compute synchronously and write in one transaction.

use crate::error::IdbError;
use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DomException, Event, IdbRequest, IdbTransaction};

/// `IDBTransaction.commit()`: ends the transaction without waiting for the event loop.
/// (web-sys marks its binding deprecated; the method is standard in every current browser.)
pub fn commit_now(tx: &IdbTransaction) {
    let commit = Reflect::get(tx, &"commit".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(commit) = commit {
        // A transaction that already ended throws: its outcome says how it ended.
        let _ = commit.call0(tx);
    }
}

/// The name of a DOMException (`QuotaExceededError`, `ConstraintError`, ...), if it is one.
pub fn exception_name(error: &JsValue) -> Option<String> {
    error.dyn_ref::<DomException>().map(DomException::name)
}

/// A readable message for a thrown JS value.
pub fn message_of(error: &JsValue) -> String {
    if let Some(e) = error.dyn_ref::<DomException>() {
        return format!("{}: {}", e.name(), e.message());
    }
    if let Some(e) = error.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    error.as_string().unwrap_or_else(|| format!("{error:?}"))
}

/// Maps a browser error to the crate's error, recognising a full quota.
pub fn browser_error(operation: &str, error: &JsValue) -> IdbError {
    if exception_name(error).as_deref() == Some("QuotaExceededError") {
        return IdbError::QuotaExceeded {
            operation: operation.to_string(),
        };
    }
    IdbError::browser(operation, message_of(error))
}

/// Resolves with the request's result once it succeeds; rejects with its error (the
/// error event's default is prevented so the transaction decides by itself whether it
/// aborts: an unhandled request error aborts it, as the caller then returns the error).
/// The handlers are set at once, so several requests may be issued before any is awaited.
pub fn request(req: &IdbRequest) -> JsFuture {
    let promise = Promise::new(&mut |resolve, reject| {
        let ok_req = req.clone();
        let on_success = Closure::once_into_js(move |_: Event| {
            let result = ok_req.result().unwrap_or(JsValue::UNDEFINED);
            let _ = resolve.call1(&JsValue::NULL, &result);
        });
        let err_req = req.clone();
        let on_error = Closure::once_into_js(move |_: Event| {
            let error = err_req
                .error()
                .ok()
                .flatten()
                .map(JsValue::from)
                .unwrap_or(JsValue::UNDEFINED);
            let _ = reject.call1(&JsValue::NULL, &error);
        });
        req.set_onsuccess(Some(on_success.unchecked_ref()));
        req.set_onerror(Some(on_error.unchecked_ref()));
    });
    JsFuture::from(promise)
}

/// How a transaction ended.
pub enum Outcome {
    Complete,
    /// Aborted, with the transaction's error (None when it was aborted on purpose).
    Aborted(Option<JsValue>),
}

/// A future for the end of `tx`. Create it before the transaction can end (right after
/// issuing its requests) and await it after `commit()`.
pub fn finished(tx: &IdbTransaction) -> JsFuture {
    let promise = Promise::new(&mut |resolve, _reject| {
        let done = resolve.clone();
        let on_complete = Closure::once_into_js(move |_: Event| {
            let _ = done.call1(&JsValue::NULL, &JsValue::TRUE);
        });
        let aborted_tx = tx.clone();
        let on_abort = Closure::once_into_js(move |_: Event| {
            let error = aborted_tx
                .error()
                .map(JsValue::from)
                .unwrap_or(JsValue::NULL);
            let _ = resolve.call1(&JsValue::NULL, &error);
        });
        tx.set_oncomplete(Some(on_complete.unchecked_ref()));
        tx.set_onabort(Some(on_abort.unchecked_ref()));
    });
    JsFuture::from(promise)
}

/// Awaits a future made by [`finished`].
pub async fn outcome(done: JsFuture) -> Outcome {
    match done.await {
        Ok(v) if v == JsValue::TRUE => Outcome::Complete,
        Ok(v) if v.is_null() || v.is_undefined() => Outcome::Aborted(None),
        Ok(v) | Err(v) => Outcome::Aborted(Some(v)),
    }
}
