//! The "Item by key" form: Get item (optional projection and consistent read), Update item
//! (an update expression with an optional condition) or Delete by key, for the item whose
//! key attributes (named with their types) the person types. The result opens in the item
//! editor; the request is shown as JSON, AWS CLI and a Task state like the builder's.

use super::key_request::{KeyAction, KeySpec};
use super::state::KeyAttr;
use super::target_value;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct KeyFormProps {
    pub spec: KeySpec,
    /// The table's key attributes (partition, then sort).
    pub keys: Rc<Vec<KeyAttr>>,
    pub busy: bool,
    /// What the last action did ("No item has this key.", "Deleted …").
    pub note: Option<String>,
    pub error: Option<String>,
    pub on_change: Callback<KeySpec>,
    pub on_run: Callback<()>,
    /// The request view, rendered under the form.
    pub children: Html,
}

/// A callback that edits a copy of the spec with the event's value.
fn edit<E: AsRef<Event> + 'static>(
    spec: &KeySpec,
    on_change: &Callback<KeySpec>,
    f: impl Fn(&mut KeySpec, String) + 'static,
) -> Callback<E> {
    let spec = spec.clone();
    let on_change = on_change.clone();
    Callback::from(move |e: E| {
        let mut s = spec.clone();
        f(&mut s, target_value(e.as_ref()));
        on_change.emit(s);
    })
}

#[function_component]
pub fn KeyForm(props: &KeyFormProps) -> Html {
    let spec = &props.spec;
    let on_change = &props.on_change;
    let key_fields = props.keys.iter().enumerate().map(|(i, (name, t))| {
        let value = spec.values.get(i).cloned().unwrap_or_default();
        let n = props.keys.len();
        html! {
            <label class="inline">{ format!("{name} ({t}) ") }
                <input aria-label={format!("Item key {name}")} value={value} size="14"
                    placeholder={if t == "B" { "base64" } else { "" }}
                    oninput={edit(spec, on_change, move |s, v| {
                        s.values.resize(n, String::new());
                        s.values[i] = v;
                    })} />
            </label>
        }
    });
    let on_submit = {
        let on_run = props.on_run.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_run.emit(());
        })
    };
    let option = |a: KeyAction| {
        html! { <option value={a.action()} selected={spec.action == a}>{ a.verb() }</option> }
    };
    html! {
        <section class="by-key" aria-label="Item by key">
        <form onsubmit={on_submit}>
            <div class="builder-line">
                <span class="form-title">{ "Item by key" }</span>
                <select aria-label="Item action" onchange={edit(spec, on_change, |s, v| {
                    s.action = KeyAction::from_action(&v);
                })}>
                    { option(KeyAction::Get) }{ option(KeyAction::Update) }{ option(KeyAction::Delete) }
                </select>
                { for key_fields }
                <button type="submit" class="primary" disabled={props.busy}>{ spec.action.verb() }</button>
            </div>
            if spec.action == KeyAction::Get {
                <div class="builder-line">
                    <input class="grow" aria-label="Attributes to get" placeholder="attributes to get (all)"
                        value={spec.projection.clone()}
                        oninput={edit(spec, on_change, |s, v| s.projection = v)} />
                    <label class="inline">
                        <input type="checkbox" checked={spec.consistent}
                            onchange={edit(spec, on_change, |s, _| s.consistent = !s.consistent)} />
                        { " Consistent read" }
                    </label>
                </div>
            } else {
                if spec.action == KeyAction::Update {
                    <div class="builder-line">
                        <input class="grow" aria-label="Update expression" spellcheck="false"
                            placeholder="SET qty = qty - :one REMOVE note" value={spec.update.clone()}
                            oninput={edit(spec, on_change, |s, v| s.update = v)} />
                    </div>
                }
                <div class="builder-line">
                    <input class="grow" aria-label="Update or delete condition" spellcheck="false"
                        placeholder="condition (optional), e.g. attribute_exists(pk)"
                        value={spec.condition.clone()}
                        oninput={edit(spec, on_change, |s, v| s.condition = v)} />
                </div>
                <div class="builder-line">
                    <input class="grow" aria-label="Expression attribute values" spellcheck="false"
                        placeholder={"values, e.g. {\":one\": {\"N\": \"1\"}}"} value={spec.values_json.clone()}
                        oninput={edit(spec, on_change, |s, v| s.values_json = v)} />
                    <input class="grow" aria-label="Expression attribute names" spellcheck="false"
                        placeholder={"names (optional), e.g. {\"#s\": \"status\"}"} value={spec.names.clone()}
                        oninput={edit(spec, on_change, |s, v| s.names = v)} />
                </div>
            }
            if let Some(error) = &props.error {
                <p class="field-error" role="alert">{ error }</p>
            }
            if let Some(note) = &props.note {
                <p class="muted" role="status" data-key-result="">{ note }</p>
            }
        </form>
        { props.children.clone() }
        </section>
    }
}
