//! `setTimeout` from Rust in a window or a worker (the global scope's, found by name, so
//! the same code runs in both).

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Calls `f` once after `millis` milliseconds (if the scope has timers at all).
pub fn after(millis: f64, f: impl FnOnce() + 'static) {
    let global = js_sys::global();
    let Some(set_timeout) = Reflect::get(&global, &"setTimeout".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
    else {
        return;
    };
    let callback = Closure::once_into_js(f);
    let _ = set_timeout.call2(&global, &callback, &JsValue::from_f64(millis));
}
