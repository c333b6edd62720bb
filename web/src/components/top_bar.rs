//! The header: the product's name, the workspace, Run and Stop, whether the work is saved,
//! and the worker's standing notice (e.g. storage only in memory, an upgrade waiting).

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TopBarProps {
    pub workspace: AttrValue,
    /// Run is possible (the workspace is open and nothing runs).
    pub can_run: bool,
    pub running: bool,
    /// "saved", "unsaved" or "opening", for `data-save` and the label.
    pub save: AttrValue,
    pub notice: Option<String>,
    pub on_run: Callback<()>,
    pub on_stop: Callback<()>,
}

#[function_component]
pub fn TopBar(props: &TopBarProps) -> Html {
    let save_label = match props.save.as_str() {
        "saved" => "All changes saved",
        "unsaved" => "Saving…",
        _ => "Opening…",
    };
    html! {
        <header class="top-bar">
            <h1>{ "Statebox" }</h1>
            <span class="workspace" title="Workspace">
                <span class="label">{ "workspace" }</span>
                <span class="name">{ props.workspace.clone() }</span>
            </span>
            <div class="run-controls">
                <button class="run" disabled={!props.can_run}
                    onclick={props.on_run.reform(|_: MouseEvent| ())}>{ "Run" }</button>
                <button class="stop secondary" disabled={!props.running}
                    onclick={props.on_stop.reform(|_: MouseEvent| ())}>{ "Stop" }</button>
            </div>
            <span class="save-state" data-save={props.save.clone()}>{ save_label }</span>
            if let Some(notice) = &props.notice {
                <span class="notice" role="status">{ notice }</span>
            }
        </header>
    }
}
