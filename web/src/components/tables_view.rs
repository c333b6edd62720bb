//! The Tables panel: a button per DynamoDB table (`data-table`) and the shown table's
//! first page of items as rows (the full item browser is a later issue).

use crate::document::TableView;
use serde_json::Value;
use std::collections::BTreeSet;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TablesViewProps {
    pub tables: Rc<Vec<TableView>>,
    pub shown: Option<String>,
    pub on_select: Callback<String>,
}

/// The union of attribute names over `items`, for the table's columns.
fn columns(items: &[Value]) -> Vec<String> {
    let set: BTreeSet<&String> = items
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|o| o.keys())
        .collect();
    set.into_iter().cloned().collect()
}

fn items_of(table: &TableView) -> Html {
    if table.items.is_empty() {
        return html! { <p class="empty" id="items-empty">{ format!("{} has no items.", table.name) }</p> };
    }
    let cols = columns(&table.items);
    html! {
        <>
        <div class="items-scroll">
            <table class="items" id="items" data-items-of={table.name.clone()}
                aria-label={format!("Items of {}", table.name)}>
                <thead><tr>{ for cols.iter().map(|c| html! { <th>{ c }</th> }) }</tr></thead>
                <tbody>
                { for table.items.iter().map(|item| html! {
                    <tr>{ for cols.iter().map(|c| html! {
                        <td>{ item.get(c).map(|v| html! { <code>{ v.to_string() }</code> }).unwrap_or_default() }</td>
                    }) }</tr>
                }) }
                </tbody>
            </table>
        </div>
        if table.truncated {
            <p class="muted">{ format!("Showing the first {} of {} items.", table.items.len(), table.count) }</p>
        }
        </>
    }
}

#[function_component]
pub fn TablesView(props: &TablesViewProps) -> Html {
    if props.tables.is_empty() {
        return html! { <p class="empty">{ "No tables yet." }</p> };
    }
    let shown = props
        .shown
        .as_ref()
        .and_then(|s| props.tables.iter().find(|t| &t.name == s))
        .or_else(|| props.tables.first());
    let buttons = props.tables.iter().map(|t| {
        let name = t.name.clone();
        let active = shown.is_some_and(|s| s.name == t.name);
        let on_select = props.on_select.reform(move |_: MouseEvent| name.clone());
        html! {
            <li>
                <button class={classes!("table-button", active.then_some("selected"))}
                    aria-pressed={active.to_string()} data-table={t.name.clone()}
                    onclick={on_select}>
                    <span class="table-name">{ &t.name }</span>{ " " }
                    <span class="count">{ format!("({})", t.count) }</span>
                </button>
            </li>
        }
    });
    html! {
        <div class="tables-panel">
            <ul class="tables" id="tables" aria-label="Tables">{ for buttons }</ul>
            { shown.map(items_of).unwrap_or_default() }
        </div>
    }
}
