//! The tables list: a button per DynamoDB table (`data-table`) with its item count.

use crate::document::TableView;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TableListProps {
    pub tables: Rc<Vec<TableView>>,
    pub shown: Option<String>,
    pub on_select: Callback<String>,
}

#[function_component]
pub fn TableList(props: &TableListProps) -> Html {
    let buttons = props.tables.iter().map(|t| {
        let name = t.name.clone();
        let active = props.shown.as_ref() == Some(&t.name);
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
    html! { <ul class="tables" id="tables" aria-label="Tables">{ for buttons }</ul> }
}
