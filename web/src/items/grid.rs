//! A grid of DynamoDB items (`role="grid"`): a column per attribute with the types it
//! holds, each cell typed (`data-type`), a checkbox per row for selecting many, sortable
//! headers, and a `[role=row][data-key]` per item. Long results are windowed with the
//! events table's arithmetic (`crate::window`): only the rows in view are on the page.

use super::attr::{column_types, display, key_text, type_of};
use crate::window::{window, ROW_PX};
use serde_json::Value;
use std::collections::BTreeSet;
use std::rc::Rc;
use web_sys::HtmlElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ItemsGridProps {
    /// The grid's accessible name ("Items").
    pub label: AttrValue,
    pub key_names: Rc<Vec<String>>,
    pub columns: Rc<Vec<String>>,
    /// The items in the order shown.
    pub items: Rc<Vec<Value>>,
    #[prop_or_default]
    pub selected: Rc<BTreeSet<String>>,
    #[prop_or_default]
    pub changed: Rc<BTreeSet<String>>,
    #[prop_or_default]
    pub sort: Option<(String, bool)>,
    /// Rows can be selected, sorted and opened.
    #[prop_or_default]
    pub interactive: bool,
    #[prop_or_default]
    pub on_sort: Callback<String>,
    #[prop_or_default]
    pub on_toggle: Callback<String>,
    #[prop_or_default]
    pub on_select_all: Callback<bool>,
    #[prop_or_default]
    pub on_open: Callback<Value>,
}

fn spacer(px: f64, span: usize) -> Html {
    if px <= 0.0 {
        return html! {};
    }
    html! {
        <tr class="spacer" aria-hidden="true" style={format!("height: {px}px")}>
            <td colspan={span.to_string()}></td>
        </tr>
    }
}

#[function_component]
pub fn ItemsGrid(props: &ItemsGridProps) -> Html {
    let scroller = use_node_ref();
    let scroll_top = use_state_eq(|| 0.0_f64);
    let view_px = use_state_eq(|| 420.0_f64);
    {
        let scroller = scroller.clone();
        let view_px = view_px.clone();
        // The box grows with its rows up to its maximum height: measure it again when the
        // number of rows changes.
        // A hidden panel measures 0: keep the last height then.
        use_effect_with(props.items.len(), move |_| {
            if let Some(el) = scroller.cast::<HtmlElement>() {
                if el.client_height() > 0 {
                    view_px.set(el.client_height() as f64);
                }
            }
        });
    }
    let on_scroll = {
        let scroller = scroller.clone();
        let scroll_top = scroll_top.clone();
        let view_px = view_px.clone();
        Callback::from(move |_: Event| {
            if let Some(el) = scroller.cast::<HtmlElement>() {
                scroll_top.set(el.scroll_top() as f64);
                view_px.set(el.client_height() as f64);
            }
        })
    };

    let items = &props.items;
    let span = props.columns.len() + usize::from(props.interactive);
    let all_selected = !items.is_empty() && props.selected.len() == items.len();
    let header = props.columns.iter().map(|c| {
        let types = column_types(c, items.iter()).join(" | ");
        let sort = match &props.sort {
            Some((s, true)) if s == c => "ascending",
            Some((s, false)) if s == c => "descending",
            _ => "none",
        };
        let is_key = props.key_names.contains(c);
        let label = html! {
            <>
                <span class="col-name">{ c }</span>
                if is_key { <span class="key-mark" title="key attribute">{ "key" }</span> }
                <span class="col-types">{ types }</span>
            </>
        };
        if props.interactive {
            let column = c.clone();
            let on_sort = props.on_sort.reform(move |_: MouseEvent| column.clone());
            html! {
                <th role="columnheader" aria-sort={sort} data-column={c.clone()}>
                    <button class="sort" onclick={on_sort} title={format!("Sort by {c}")}>
                        { label }
                        <span class="sort-mark" aria-hidden="true">{
                            match sort { "ascending" => "▲", "descending" => "▼", _ => "" }
                        }</span>
                    </button>
                </th>
            }
        } else {
            html! { <th role="columnheader" data-column={c.clone()}>{ label }</th> }
        }
    });

    let w = window(items.len(), false, *scroll_top, *view_px);
    let rows = items[w.start..w.end].iter().map(|item| {
        let key = key_text(&props.key_names, item);
        let selected = props.selected.contains(&key);
        let changed = props.changed.contains(&key);
        let check = if props.interactive {
            let k = key.clone();
            let on_toggle = props.on_toggle.reform(move |_: Event| k.clone());
            html! {
                <td role="gridcell" class="check">
                    <input type="checkbox" checked={selected} onchange={on_toggle}
                        aria-label={format!("Select {key}")} />
                </td>
            }
        } else {
            html! {}
        };
        let cells = props.columns.iter().enumerate().map(|(i, c)| match item.get(c) {
            Some(v) => {
                let text = display(v);
                let t = type_of(v).to_string();
                let body = if props.interactive && i == 0 {
                    let it = item.clone();
                    let on_open = props.on_open.reform(move |_: MouseEvent| it.clone());
                    html! { <button class="open-item" onclick={on_open} title="Open in the item editor">{ text.clone() }</button> }
                } else {
                    html! { text.clone() }
                };
                html! {
                    <td role="gridcell" data-column={c.clone()} data-type={t.clone()} title={format!("{t}: {text}")}>
                        <span class={classes!("type", format!("t-{}", t.to_lowercase()))}>{ t }</span>
                        { body }
                    </td>
                }
            }
            None => html! { <td role="gridcell" class="absent" data-column={c.clone()}></td> },
        });
        html! {
            <tr role="row" data-key={key.clone()} aria-selected={selected.to_string()}
                class={classes!(selected.then_some("selected"), changed.then_some("changed"))}
                data-changed={changed.then_some("true")}>
                { check }
                { for cells }
            </tr>
        }
    });
    let on_all = {
        let on_select_all = props.on_select_all.clone();
        Callback::from(move |_: Event| on_select_all.emit(!all_selected))
    };
    html! {
        <div class="grid-scroll" ref={scroller} onscroll={on_scroll} style={format!("--row: {ROW_PX}px")}>
            <table role="grid" class="items-grid" aria-label={props.label.clone()}
                aria-rowcount={(items.len() + 1).to_string()} aria-multiselectable={props.interactive.then_some("true")}>
                <thead>
                    <tr role="row">
                        if props.interactive {
                            <th role="columnheader" class="check">
                                <input type="checkbox" checked={all_selected} onchange={on_all}
                                    aria-label="Select all items" />
                            </th>
                        }
                        { for header }
                    </tr>
                </thead>
                <tbody>
                    { spacer(w.above_px, span) }
                    { for rows }
                    { spacer(w.below_px, span) }
                </tbody>
            </table>
        </div>
    }
}
