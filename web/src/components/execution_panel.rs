//! The Execution panel: the status line (`data-execution-status`), the result JSON once the
//! run has ended, and the Events table.

use super::events_table::EventsTable;
use crate::state::RunView;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ExecutionPanelProps {
    pub run: Option<RunView>,
}

#[function_component]
pub fn ExecutionPanel(props: &ExecutionPanelProps) -> Html {
    let Some(run) = &props.run else {
        return html! {
            <p class="empty">{ "Press Run to start an execution of the workflow on the left; its status, result and events appear here." }</p>
        };
    };
    let count = run.events.len();
    html! {
        <div class="execution">
            <p class="status-line">
                <span class={classes!("badge", run.status.clone())}
                    data-execution-status={run.status.clone()}>{ &run.status }</span>
                <span class="muted">{ format!("{count} event{}", if count == 1 { "" } else { "s" }) }</span>
            </p>
            if let Some(result) = &run.result {
                <pre class="result" aria-label="Result">{ &result.pretty }</pre>
            }
            <EventsTable events={run.events.clone()} streaming={run.status == "RUNNING"} />
        </div>
    }
}
