//! The result of the last run: a status badge and the result JSON (or the problems).

use crate::state::RunView;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ResultViewProps {
    pub result: Option<RunView>,
}

#[function_component]
pub fn ResultView(props: &ResultViewProps) -> Html {
    match &props.result {
        None => html! { <p class="muted" id="result-empty">{ "Run the workflow to see its result." }</p> },
        Some(run) => html! {
            <div id="result">
                <span id="result-status" class={classes!("badge", run.status.clone())}>{ &run.status }</span>
                <pre id="result-body">{ &run.body }</pre>
            </div>
        },
    }
}
