//! The DynamoDB tables: a button per table and the shown table's items as rows.

use crate::state::TableView;
use serde_json::Value;
use std::collections::BTreeSet;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TablesViewProps {
    pub tables: Vec<TableView>,
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

#[function_component]
pub fn TablesView(props: &TablesViewProps) -> Html {
    if props.tables.is_empty() {
        return html! { <p class="muted">{ "No tables." }</p> };
    }
    let shown = props
        .shown
        .as_ref()
        .and_then(|s| props.tables.iter().find(|t| &t.name == s))
        .or_else(|| props.tables.first());
    let buttons = props.tables.iter().map(|t| {
        let name = t.name.clone();
        let on_select = props.on_select.clone();
        let active = shown.is_some_and(|s| s.name == t.name);
        html! {
            <li>
                <button
                    class={classes!((!active).then_some("secondary"))}
                    data-table={t.name.clone()}
                    onclick={Callback::from(move |_| on_select.emit(name.clone()))}
                >{ format!("{} ({})", t.name, t.items.len()) }</button>
            </li>
        }
    });
    let body = match shown {
        None => html! {},
        Some(table) if table.items.is_empty() => {
            html! { <p class="muted" id="items-empty">{ format!("{} has no items.", table.name) }</p> }
        }
        Some(table) => {
            let cols = columns(&table.items);
            html! {
                <>
                <table class="items" id="items" data-table={table.name.clone()}>
                    <thead><tr>{ for cols.iter().map(|c| html! { <th>{ c }</th> }) }</tr></thead>
                    <tbody>
                    { for table.items.iter().map(|item| html! {
                        <tr>{ for cols.iter().map(|c| html! {
                            <td>{ item.get(c).map(|v| html! { <code>{ v.to_string() }</code> }).unwrap_or_default() }</td>
                        }) }</tr>
                    }) }
                    </tbody>
                </table>
                if table.truncated {
                    <p class="muted">{ "Showing the first 1 MB page of the scan." }</p>
                }
                </>
            }
        }
    };
    html! {
        <>
            <ul class="tables" id="tables">{ for buttons }</ul>
            { body }
        </>
    }
}
