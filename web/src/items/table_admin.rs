//! Table actions ("Table actions" region): create a table (keys, GSIs and LSIs with their
//! projections, billing, stream, TTL), describe the shown one (a summary and the
//! DescribeTable JSON), add or delete a global index, turn TTL on or off, and delete the
//! table after typing its name. Every action's request is shown as JSON, AWS CLI and Task.

use super::flows::call;
use super::request_view::RequestView;
use super::table_request::{self as tr, IndexForm, TableForm};
use super::target_value;
use crate::worker_client::WorkerClient;
use serde_json::{json, Value};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TableAdminProps {
    pub client: Option<WorkerClient>,
    /// DescribeTable's `Table` of the shown table (none when there is no table).
    pub description: Option<Value>,
    pub on_written: Callback<()>,
    /// A table was created: show it.
    pub on_created: Callback<String>,
    /// The shown table changed (index, TTL): describe it again.
    pub on_changed: Callback<()>,
    pub on_insert_task: Callback<Value>,
}

const KEY_TYPES: [&str; 3] = ["S", "N", "B"];

/// A field with its visible caption above it (the caption is also its accessible name).
fn field(label: &str, control: Html) -> Html {
    html! { <label class="field"><span class="caption">{ label.to_string() }</span>{ control }</label> }
}

fn select(label: String, options: &[&str], selected: &str, on: Callback<Event>) -> Html {
    field(&label, select_only(label.clone(), options, selected, on))
}

fn select_only(label: String, options: &[&str], selected: &str, on: Callback<Event>) -> Html {
    html! {
        <select aria-label={label} onchange={on}>
            { for options.iter().map(|o| html! {
                <option value={o.to_string()} selected={*o == selected}>{ if o.is_empty() { "none" } else { o } }</option>
            }) }
        </select>
    }
}

fn input(label: String, value: &str, on: Callback<InputEvent>) -> Html {
    field(
        &label,
        html! { <input aria-label={label.clone()} value={value.to_string()} oninput={on} /> },
    )
}

#[function_component]
pub fn TableAdmin(props: &TableAdminProps) -> Html {
    let mode = use_state(String::new);
    let form = use_state(TableForm::new);
    let index = use_state(|| IndexForm {
        kind: "GSI".into(),
        hash: (String::new(), "S".into()),
        range: (String::new(), "S".into()),
        projection: "ALL".into(),
        ..IndexForm::default()
    });
    let ttl = use_state(String::new);
    let ttl_status = use_state(|| None::<String>);
    let confirm = use_state(String::new);
    let error = use_state(|| None::<String>);
    let shown_as = use_state(|| "json".to_string());
    let table = props
        .description
        .as_ref()
        .and_then(|d| d["TableName"].as_str())
        .unwrap_or_default()
        .to_string();

    // TTL status when the TTL form opens.
    {
        let client = props.client.clone();
        let ttl_status = ttl_status.clone();
        let ttl = ttl.clone();
        let table = table.clone();
        use_effect_with(((*mode).clone(), table.clone()), move |(m, _)| {
            if let (Some(c), "ttl" | "describe") = (client, m.as_str()) {
                spawn_local(async move {
                    let answer = call(&c, "DescribeTimeToLive", &json!({"TableName": table})).await;
                    let d = &answer.unwrap_or_default()["TimeToLiveDescription"];
                    let status = d["TimeToLiveStatus"].as_str().unwrap_or("DISABLED");
                    if let Some(a) = d["AttributeName"].as_str() {
                        ttl.set(a.to_string());
                        ttl_status.set(Some(format!("{status} on {a}")));
                    } else {
                        ttl_status.set(Some(status.to_string()));
                    }
                });
            }
        });
    }

    let toggle = |m: &'static str| {
        let mode = mode.clone();
        let error = error.clone();
        let confirm = confirm.clone();
        Callback::from(move |_: MouseEvent| {
            error.set(None);
            confirm.set(String::new());
            mode.set(if *mode == m {
                String::new()
            } else {
                m.to_string()
            });
        })
    };
    // Runs `action` with `request`; on success closes the form and calls `then`.
    let run = {
        let client = props.client.clone();
        let error = error.clone();
        let mode = mode.clone();
        let written = props.on_written.clone();
        move |steps: Vec<(&'static str, Value)>, then: Callback<()>| {
            let (client, error, mode, written) =
                (client.clone(), error.clone(), mode.clone(), written.clone());
            Callback::from(move |_: MouseEvent| {
                let Some(c) = client.clone() else { return };
                let (steps, error, mode, written, then) = (
                    steps.clone(),
                    error.clone(),
                    mode.clone(),
                    written.clone(),
                    then.clone(),
                );
                spawn_local(async move {
                    for (action, request) in steps {
                        if let Err(message) = call(&c, action, &request).await {
                            error.set(Some(message));
                            written.emit(());
                            return;
                        }
                    }
                    error.set(None);
                    mode.set(String::new());
                    written.emit(());
                    then.emit(());
                });
            })
        }
    };
    let request_view = |action: &str, request: &Value| {
        html! {
            <RequestView action={action.to_string()} request={request.clone()} shown={(*shown_as).clone()}
                on_show={{ let s = shown_as.clone(); Callback::from(move |v: String| s.set(v)) }}
                on_insert={props.on_insert_task.clone()} />
        }
    };
    let problem = |e: &str| html! { <p class="field-error" role="alert">{ e.to_string() }</p> };

    let body = match mode.as_str() {
        "create" => {
            let f = (*form).clone();
            let set = |g: fn(&mut TableForm, String)| {
                let form = form.clone();
                Callback::from(move |e: Event| {
                    let mut next = (*form).clone();
                    g(&mut next, target_value(&e));
                    form.set(next);
                })
            };
            let set_text = |g: fn(&mut TableForm, String)| {
                let cb = set(g);
                Callback::from(move |e: InputEvent| cb.emit(e.into()))
            };
            let add = |kind: &'static str| {
                let form = form.clone();
                Callback::from(move |_: MouseEvent| {
                    let mut next = (*form).clone();
                    next.indexes.push(IndexForm {
                        kind: kind.into(),
                        hash: (String::new(), "S".into()),
                        range: (String::new(), "S".into()),
                        projection: "ALL".into(),
                        ..IndexForm::default()
                    });
                    form.set(next);
                })
            };
            let indexes = f.indexes.iter().enumerate().map(|(i, ix)| {
                let n = i + 1;
                let edit = |g: fn(&mut IndexForm, String)| {
                    let form = form.clone();
                    Callback::from(move |e: Event| {
                        let mut next = (*form).clone();
                        g(&mut next.indexes[i], target_value(&e));
                        form.set(next);
                    })
                };
                let edit_text = |g: fn(&mut IndexForm, String)| {
                    let cb = edit(g);
                    Callback::from(move |e: InputEvent| cb.emit(e.into()))
                };
                let remove = {
                    let form = form.clone();
                    Callback::from(move |_: MouseEvent| {
                        let mut next = (*form).clone();
                        next.indexes.remove(i);
                        form.set(next);
                    })
                };
                let lsi = ix.kind == "LSI";
                html! {
                    <div class="builder-line index-form" data-index-form={n.to_string()}>
                        <strong class="inline">{ if lsi { format!("Local index {n}") } else { format!("Global index {n}") } }</strong>
                        { input(format!("Index {n} name"), &ix.name, edit_text(|x, v| x.name = v)) }
                        if !lsi {
                            { input(format!("Index {n} partition key"), &ix.hash.0, edit_text(|x, v| x.hash.0 = v)) }
                            { select(format!("Index {n} partition key type"), &KEY_TYPES, &ix.hash.1, edit(|x, v| x.hash.1 = v)) }
                        }
                        { input(format!("Index {n} sort key"), &ix.range.0, edit_text(|x, v| x.range.0 = v)) }
                        { select(format!("Index {n} sort key type"), &KEY_TYPES, &ix.range.1, edit(|x, v| x.range.1 = v)) }
                        { select(format!("Index {n} projection"), &["ALL", "KEYS_ONLY", "INCLUDE"], &ix.projection, edit(|x, v| x.projection = v)) }
                        if ix.projection == "INCLUDE" {
                            { input(format!("Index {n} included attributes"), &ix.include, edit_text(|x, v| x.include = v)) }
                        }
                        <button class="small" onclick={remove} aria-label={format!("Remove index {n}")}>{ "×" }</button>
                    </div>
                }
            });
            let request = tr::create_table(&f);
            let submit = match &request {
                Ok(req) => {
                    let mut steps = vec![("CreateTable", req.clone())];
                    if !f.ttl.trim().is_empty() {
                        if let Ok(t) = tr::time_to_live(f.name.trim(), &f.ttl, true) {
                            steps.push(("UpdateTimeToLive", t));
                        }
                    }
                    let name = f.name.trim().to_string();
                    let created = props.on_created.reform(move |()| name.clone());
                    run(steps, created)
                }
                Err(_) => Callback::noop(),
            };
            html! {
                <div class="admin-form" data-form="create">
                    <div class="builder-line">
                        { input("Table name".into(), &f.name, set_text(|f, v| f.name = v)) }
                        { input("Partition key name".into(), &f.hash.0, set_text(|f, v| f.hash.0 = v)) }
                        { select("Partition key type".into(), &KEY_TYPES, &f.hash.1, set(|f, v| f.hash.1 = v)) }
                        { input("Sort key name".into(), &f.range.0, set_text(|f, v| f.range.0 = v)) }
                        { select("Sort key type".into(), &KEY_TYPES, &f.range.1, set(|f, v| f.range.1 = v)) }
                    </div>
                    <div class="builder-line">
                        { select("Billing mode".into(), &["PAY_PER_REQUEST", "PROVISIONED"], &f.billing, set(|f, v| f.billing = v)) }
                        if f.billing == "PROVISIONED" {
                            { input("Read capacity units".into(), &f.read_units, set_text(|f, v| f.read_units = v)) }
                            { input("Write capacity units".into(), &f.write_units, set_text(|f, v| f.write_units = v)) }
                        }
                        { select("Stream".into(), &["", "KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"], &f.stream, set(|f, v| f.stream = v)) }
                        { input("TTL attribute".into(), &f.ttl, set_text(|f, v| f.ttl = v)) }
                    </div>
                    { for indexes }
                    <div class="builder-line">
                        <button class="small" onclick={add("GSI")}>{ "Add global index" }</button>
                        <button class="small" onclick={add("LSI")}>{ "Add local index" }</button>
                        <span class="spacer-flex"></span>
                        <button class="primary" disabled={request.is_err()} onclick={submit}>{ "Create table" }</button>
                    </div>
                    { match &request { Ok(r) => request_view("CreateTable", r), Err(e) => problem(e) } }
                </div>
            }
        }
        "describe" => match &props.description {
            Some(d) => html! {
                <div class="admin-form" data-form="describe">
                    <dl class="summary">
                        { for tr::summary(d).into_iter().map(|(k, v)| html! { <><dt>{ k }</dt><dd>{ v }</dd></> }) }
                        <dt>{ "Time to live" }</dt><dd>{ (*ttl_status).clone().unwrap_or_default() }</dd>
                    </dl>
                    <details>
                        <summary>{ "DescribeTable JSON" }</summary>
                        <pre class="request-text" aria-label="DescribeTable">{ serde_json::to_string_pretty(d).unwrap_or_default() }</pre>
                    </details>
                </div>
            },
            None => html! {},
        },
        "index" => {
            let ix = (*index).clone();
            let edit = |g: fn(&mut IndexForm, String)| {
                let index = index.clone();
                Callback::from(move |e: Event| {
                    let mut next = (*index).clone();
                    g(&mut next, target_value(&e));
                    index.set(next);
                })
            };
            let edit_text = |g: fn(&mut IndexForm, String)| {
                let cb = edit(g);
                Callback::from(move |e: InputEvent| cb.emit(e.into()))
            };
            let existing = props
                .description
                .as_ref()
                .and_then(|d| d["GlobalSecondaryIndexes"].as_array().cloned())
                .unwrap_or_default();
            let deletes = existing
                .iter()
                .filter_map(|g| g["IndexName"].as_str())
                .map(|name| {
                    let req = tr::delete_index(&table, name);
                    let go = run(vec![("UpdateTable", req)], props.on_changed.clone());
                    let label = format!("Delete index {name}");
                    let name = name.to_string();
                    let confirmed = Callback::from(move |e: MouseEvent| {
                        let ok = web_sys::window()
                            .and_then(|w| {
                                w.confirm_with_message(&format!("Delete the index {name}?"))
                                    .ok()
                            })
                            .unwrap_or(false);
                        if ok {
                            go.emit(e);
                        }
                    });
                    html! { <button class="small danger" onclick={confirmed}>{ label }</button> }
                });
            let request = props
                .description
                .as_ref()
                .map(|d| tr::add_index(d, &ix))
                .unwrap_or_else(|| Err("no table".into()));
            let submit = match &request {
                Ok(r) => run(vec![("UpdateTable", r.clone())], props.on_changed.clone()),
                Err(_) => Callback::noop(),
            };
            html! {
                <div class="admin-form" data-form="index">
                    <div class="builder-line">{ for deletes }</div>
                    <div class="builder-line">
                        { input("New index name".into(), &ix.name, edit_text(|x, v| x.name = v)) }
                        { input("New index partition key".into(), &ix.hash.0, edit_text(|x, v| x.hash.0 = v)) }
                        { select("New index partition key type".into(), &KEY_TYPES, &ix.hash.1, edit(|x, v| x.hash.1 = v)) }
                        { input("New index sort key".into(), &ix.range.0, edit_text(|x, v| x.range.0 = v)) }
                        { select("New index sort key type".into(), &KEY_TYPES, &ix.range.1, edit(|x, v| x.range.1 = v)) }
                        { select("New index projection".into(), &["ALL", "KEYS_ONLY", "INCLUDE"], &ix.projection, edit(|x, v| x.projection = v)) }
                        if ix.projection == "INCLUDE" {
                            { input("New index included attributes".into(), &ix.include, edit_text(|x, v| x.include = v)) }
                        }
                        <button class="primary" disabled={request.is_err()} onclick={submit}>{ "Add index" }</button>
                    </div>
                    { match &request { Ok(r) => request_view("UpdateTable", r), Err(e) => problem(e) } }
                </div>
            }
        }
        "ttl" => {
            let on = tr::time_to_live(&table, &ttl, true);
            let off = tr::time_to_live(&table, &ttl, false);
            let go = |r: &Result<Value, String>| match r {
                Ok(r) => run(
                    vec![("UpdateTimeToLive", r.clone())],
                    props.on_changed.clone(),
                ),
                Err(_) => Callback::noop(),
            };
            let on_attr = {
                let ttl = ttl.clone();
                Callback::from(move |e: InputEvent| ttl.set(target_value(&e)))
            };
            html! {
                <div class="admin-form" data-form="ttl">
                    <div class="builder-line">
                        <span class="inline" data-ttl-status="">{ format!("Time to live: {}", (*ttl_status).clone().unwrap_or_default()) }</span>
                        { input("TTL attribute".into(), &ttl, on_attr) }
                        <button class="small" disabled={on.is_err()} onclick={go(&on)}>{ "Turn on TTL" }</button>
                        <button class="small" disabled={off.is_err()} onclick={go(&off)}>{ "Turn off TTL" }</button>
                    </div>
                    { match &on { Ok(r) => request_view("UpdateTimeToLive", r), Err(e) => problem(e) } }
                </div>
            }
        }
        "delete" => {
            let req = json!({"TableName": table});
            let matches = *confirm == table;
            let go = if matches {
                run(vec![("DeleteTable", req.clone())], Callback::noop())
            } else {
                Callback::noop()
            };
            let on_confirm = {
                let confirm = confirm.clone();
                Callback::from(move |e: InputEvent| confirm.set(target_value(&e)))
            };
            html! {
                <div class="admin-form" role="dialog" aria-label="Delete table" data-form="delete">
                    <p>{ format!("Deleting {table} deletes every item in it. Type the table's name to confirm.") }</p>
                    <div class="builder-line">
                        <input aria-label="Table name to delete" value={(*confirm).clone()} oninput={on_confirm} />
                        <button class="danger" disabled={!matches} onclick={go}>{ format!("Delete table {table}") }</button>
                    </div>
                    { request_view("DeleteTable", &req) }
                </div>
            }
        }
        _ => html! {},
    };
    let pressed = |m: &str| (*mode == m).to_string();
    let has_table = props.description.is_some();
    html! {
        <section class="table-admin" aria-label="Table actions">
            <div class="builder-line">
                <button class="small" aria-pressed={pressed("create")} onclick={toggle("create")}>{ "New table" }</button>
                if has_table {
                    <button class="small" aria-pressed={pressed("describe")} onclick={toggle("describe")}>{ "Describe" }</button>
                    <button class="small" aria-pressed={pressed("index")} onclick={toggle("index")}>{ "Indexes" }</button>
                    <button class="small" aria-pressed={pressed("ttl")} onclick={toggle("ttl")}>{ "Time to live" }</button>
                    <button class="small danger" aria-pressed={pressed("delete")} onclick={toggle("delete")}>{ "Delete…" }</button>
                }
            </div>
            if let Some(e) = &*error { { problem(e) } }
            { body }
        </section>
    }
}
