//! One history event as a table row: id, type, state, details (cut short; the whole JSON
//! is the cell's tooltip).

use crate::events::EventRow;
use yew::prelude::*;

/// Details longer than this are cut in the cell (the row is one line anyway).
const SHOWN_CHARS: usize = 120;
/// The tooltip's limit.
const TITLE_CHARS: usize = 4_000;

fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// The row's markup (a plain function: rows are many, and a component each would cost more).
pub fn event_row(row: &EventRow) -> Html {
    let kind = if row.event_type.ends_with("Failed")
        || row.event_type.ends_with("TimedOut")
        || row.event_type.ends_with("Aborted")
    {
        "bad"
    } else if row.event_type.ends_with("Succeeded") {
        "good"
    } else {
        ""
    };
    html! {
        <tr key={row.id.to_string()} data-event-id={row.id.to_string()}>
            <td class="id">{ row.id }</td>
            <td class={classes!("type", kind)}>{ &row.event_type }</td>
            <td class="state">{ row.state.clone().unwrap_or_default() }</td>
            <td class="details" title={cut(&row.details, TITLE_CHARS)}>
                <code>{ cut(&row.details, SHOWN_CHARS) }</code>
            </td>
        </tr>
    }
}
