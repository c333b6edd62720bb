//! The query and scan builder: Scan or Query, the table or one of its indexes, the key
//! condition (partition key value; sort key with every operator), filter rows of
//! (attribute, type, operator, value), projection, page size and order.

use super::request::{Filter, Mode, ReadSpec, FILTER_OPS, KEY_OPS, VALUE_TYPES};
use super::state::Source;
use super::target_value;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct BuilderProps {
    pub spec: ReadSpec,
    pub sources: Rc<Vec<Source>>,
    pub loading: bool,
    pub on_change: Callback<ReadSpec>,
    pub on_run: Callback<()>,
}

fn options(list: &[&str], selected: &str) -> Html {
    html! {
        { for list.iter().map(|o| html! {
            <option value={o.to_string()} selected={*o == selected}>{ *o }</option>
        }) }
    }
}

/// A callback that edits a copy of the spec with the event's value.
fn edit<E: AsRef<Event> + 'static>(
    spec: &ReadSpec,
    on_change: &Callback<ReadSpec>,
    f: impl Fn(&mut ReadSpec, String) + 'static,
) -> Callback<E> {
    let spec = spec.clone();
    let on_change = on_change.clone();
    Callback::from(move |e: E| {
        let mut s = spec.clone();
        f(&mut s, target_value(e.as_ref()));
        on_change.emit(s);
    })
}

fn filter_row(spec: &ReadSpec, on_change: &Callback<ReadSpec>, i: usize, f: &Filter) -> Html {
    let n = i + 1;
    let needs_value = !f.op.starts_with("attribute_");
    let remove = {
        let spec = spec.clone();
        let on_change = on_change.clone();
        Callback::from(move |_: MouseEvent| {
            let mut s = spec.clone();
            s.filters.remove(i);
            on_change.emit(s);
        })
    };
    html! {
        <div class="filter-row" data-filter={n.to_string()}>
            <input aria-label={format!("Filter {n} attribute")} placeholder="attribute" value={f.attribute.clone()}
                oninput={edit(spec, on_change, move |s, v| s.filters[i].attribute = v)} />
            <select aria-label={format!("Filter {n} type")}
                onchange={edit(spec, on_change, move |s, v| s.filters[i].value_type = v)}>
                { options(&VALUE_TYPES, &f.value_type) }
            </select>
            <select aria-label={format!("Filter {n} condition")}
                onchange={edit(spec, on_change, move |s, v| s.filters[i].op = v)}>
                { options(&FILTER_OPS, &f.op) }
            </select>
            if needs_value {
                <input aria-label={format!("Filter {n} value")} placeholder="value" value={f.value.clone()}
                    oninput={edit(spec, on_change, move |s, v| s.filters[i].value = v)} />
            }
            if f.op == "BETWEEN" {
                <input aria-label={format!("Filter {n} second value")} placeholder="and" value={f.value2.clone()}
                    oninput={edit(spec, on_change, move |s, v| s.filters[i].value2 = v)} />
            }
            <button class="small" onclick={remove} aria-label={format!("Remove filter {n}")}>{ "×" }</button>
        </div>
    }
}

#[function_component]
pub fn Builder(props: &BuilderProps) -> Html {
    let spec = &props.spec;
    let on_change = &props.on_change;
    let query = spec.mode == Mode::Query;
    let sources = props.sources.iter().map(|s| {
        let value = s.index.clone().unwrap_or_default();
        let label = match &s.index {
            Some(i) => format!("Index {i}"),
            None => format!("Table {}", spec.table),
        };
        html! { <option value={value} selected={s.index == spec.index}>{ label }</option> }
    });
    let add_filter = {
        let spec = spec.clone();
        let on_change = on_change.clone();
        Callback::from(move |_: MouseEvent| {
            let mut s = spec.clone();
            s.filters.push(Filter {
                value_type: "S".into(),
                op: "=".into(),
                ..Filter::default()
            });
            on_change.emit(s);
        })
    };
    let on_submit = {
        let on_run = props.on_run.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_run.emit(());
        })
    };
    let (pk, pk_type, pk_value) = &spec.pk;
    html! {
        <form class="builder" aria-label="Query or scan" onsubmit={on_submit}>
            <div class="builder-line">
                <select aria-label="Operation" onchange={edit(spec, on_change, |s, v| {
                    s.mode = if v == "Query" { Mode::Query } else { Mode::Scan };
                })}>
                    <option value="Scan" selected={!query}>{ "Scan" }</option>
                    <option value="Query" selected={query}>{ "Query" }</option>
                </select>
                <select aria-label="Table or index" onchange={edit(spec, on_change, |s, v| {
                    s.index = (!v.is_empty()).then_some(v);
                })}>{ for sources }</select>
                <label class="inline">{ "Page size " }
                    <select aria-label="Page size" onchange={edit(spec, on_change, |s, v| {
                        s.limit = v.parse().unwrap_or(50);
                    })}>
                        { for [10u32, 25, 50, 100, 300, 1000].iter().map(|n| html! {
                            <option value={n.to_string()} selected={spec.limit == *n}>{ n }</option>
                        }) }
                    </select>
                </label>
                if query {
                    <label class="inline">
                        <input type="checkbox" checked={spec.descending}
                            onchange={edit(spec, on_change, |s, _| s.descending = !s.descending)} />
                        { " Descending" }
                    </label>
                }
            </div>
            if query {
                <div class="builder-line key-condition">
                    <label class="inline">{ format!("{pk} ({pk_type}) = ") }
                        <input aria-label={format!("Partition key {pk}")} value={pk_value.clone()}
                            oninput={edit(spec, on_change, |s, v| s.pk.2 = v)} />
                    </label>
                    if let Some((sk, sk_type)) = &spec.sk {
                        <span class="inline">{ format!("{sk} ({sk_type})") }</span>
                        <select aria-label={format!("Sort key {sk} condition")}
                            onchange={edit(spec, on_change, |s, v| s.sk_op = v)}>
                            { options(&KEY_OPS, &spec.sk_op) }
                        </select>
                        <input aria-label={format!("Sort key {sk}")} value={spec.sk_value.clone()}
                            placeholder="(any)" oninput={edit(spec, on_change, |s, v| s.sk_value = v)} />
                        if spec.sk_op == "BETWEEN" {
                            <input aria-label={format!("Sort key {sk} upper bound")} value={spec.sk_value2.clone()}
                                oninput={edit(spec, on_change, |s, v| s.sk_value2 = v)} />
                        }
                    }
                </div>
            }
            { for spec.filters.iter().enumerate().map(|(i, f)| filter_row(spec, on_change, i, f)) }
            <div class="builder-line">
                <button type="button" class="small" onclick={add_filter}>{ "Add filter" }</button>
                <input class="grow" aria-label="Attributes to return" placeholder="attributes to return (all)"
                    value={spec.projection.clone()}
                    oninput={edit(spec, on_change, |s, v| s.projection = v)} />
                <button type="submit" class="primary" disabled={props.loading}>
                    { if query { "Query" } else { "Scan" } }
                </button>
            </div>
        </form>
    }
}
