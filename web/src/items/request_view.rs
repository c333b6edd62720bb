//! The builder's request shown three ways (JSON, AWS CLI, an `aws-sdk:dynamodb:*` Task
//! state) with Copy, and for the Task, a button that adds it to the workflow.

use super::request::{aws_cli, task_state};
use serde_json::Value;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RequestViewProps {
    pub action: AttrValue,
    pub request: Value,
    /// "json", "cli" or "task".
    pub shown: AttrValue,
    pub on_show: Callback<String>,
    /// Adds the Task state to the workflow.
    pub on_insert: Callback<Value>,
    /// The accessible name of the request's text.
    #[prop_or(AttrValue::Static("Request"))]
    pub label: AttrValue,
}

/// Puts `text` on the clipboard (best effort: a page without permission just does not).
pub fn copy(text: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

#[function_component]
pub fn RequestView(props: &RequestViewProps) -> Html {
    let shown = match props.shown.as_str() {
        "cli" | "task" => props.shown.as_str(),
        _ => "json",
    };
    let task = task_state(&props.action, &props.request);
    let text = match shown {
        "cli" => aws_cli(&props.action, &props.request),
        "task" => serde_json::to_string_pretty(&task).unwrap_or_default(),
        _ => serde_json::to_string_pretty(&props.request).unwrap_or_default(),
    };
    let tab = |key: &'static str, label: &str| {
        let onclick = props.on_show.reform(move |_: MouseEvent| key.to_string());
        html! {
            <button class={classes!("view-tab", (shown == key).then_some("selected"))}
                aria-pressed={(shown == key).to_string()} onclick={onclick}>{ label }</button>
        }
    };
    let on_copy = {
        let text = text.clone();
        Callback::from(move |_: MouseEvent| copy(&text))
    };
    let on_insert = {
        let cb = props.on_insert.clone();
        Callback::from(move |_: MouseEvent| cb.emit(task.clone()))
    };
    html! {
        <details class="request-view">
            <summary>{ format!("{} request", props.action) }</summary>
            <div class="view-tabs" role="group" aria-label="Request format">
                { tab("json", "JSON") }{ tab("cli", "AWS CLI") }{ tab("task", "Task state") }
                <button class="small" onclick={on_copy}>{ "Copy request" }</button>
                if shown == "task" {
                    <button class="small" onclick={on_insert}>{ "Add to workflow" }</button>
                }
            </div>
            <pre class="request-text" aria-label={props.label.clone()} data-format={shown.to_string()}>{ text }</pre>
        </details>
    }
}
