//! The result of the last run: a status badge, the result JSON (or the problems), and the
//! execution's events.

use crate::state::RunView;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ResultViewProps {
    pub result: Option<RunView>,
}

#[function_component]
pub fn ResultView(props: &ResultViewProps) -> Html {
    match &props.result {
        None => {
            html! { <p class="muted" id="result-empty">{ "Run the workflow to see its result." }</p> }
        }
        Some(run) => html! {
            <div id="result">
                <span id="result-status" class={classes!("badge", run.status.clone())}>{ &run.status }</span>
                <pre id="result-body">{ &run.body }</pre>
                if !run.events.is_empty() {
                    <h2>{ format!("Events ({})", run.events.len()) }</h2>
                    <table class="items events" id="events">
                        <thead><tr><th>{ "#" }</th><th>{ "Type" }</th><th>{ "State" }</th><th>{ "Details" }</th></tr></thead>
                        <tbody>
                        { for run.events.iter().map(|e| html! {
                            <tr>
                                <td>{ e.id }</td>
                                <td>{ &e.event_type }</td>
                                <td>{ e.state.clone().unwrap_or_default() }</td>
                                <td><code>{ &e.details }</code></td>
                            </tr>
                        }) }
                        </tbody>
                    </table>
                }
            </div>
        },
    }
}
