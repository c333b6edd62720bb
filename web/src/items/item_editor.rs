//! The item editor (`role="dialog"`, "Item editor"): a form view (a row per attribute:
//! name, type, value), a DynamoDB JSON view and a plain JSON view of the same item. The
//! plain view lists what it cannot hold, and a save that would lose a type asks first.
//! Engine errors are shown at the attribute they name (`role="alert"`).

use super::convert::{self, FormRow, TYPES};
use super::state::{EditMode, Editor, EditorError, View};
use super::target_value;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ItemEditorProps {
    pub editor: Editor,
    pub on_change: Callback<Editor>,
    /// Save; `true` when the person confirmed a save that loses types.
    pub on_save: Callback<(Editor, bool)>,
    pub on_duplicate: Callback<Editor>,
    pub on_delete: Callback<Editor>,
    pub on_close: Callback<()>,
    /// The table's key attributes: their rows are marked and cannot be removed.
    #[prop_or_default]
    pub key_names: std::rc::Rc<Vec<String>>,
}

/// Switches the view, carrying the item over (a view that does not parse stays put, with
/// its error).
pub fn switch(editor: &Editor, view: View) -> Editor {
    let mut e = editor.clone();
    if e.view == view {
        return e;
    }
    match editor.item() {
        Ok(item) => {
            e.rows = convert::rows_of(&item);
            e.json = serde_json::to_string_pretty(&item).unwrap_or_default();
            e.plain =
                serde_json::to_string_pretty(&convert::item_to_plain(&item)).unwrap_or_default();
            e.view = view;
            e.error = None;
            e.losses.clear();
        }
        Err(error) => e.error = Some(error),
    }
    e
}

fn field_error(error: &Option<EditorError>, name: &str) -> Html {
    match error {
        Some(EditorError {
            field: Some(f),
            message,
        }) if f == name => html! {
            <p class="field-error" role="alert" data-field-error={name.to_string()}>{ message }</p>
        },
        _ => html! {},
    }
}

fn form(props: &ItemEditorProps) -> Html {
    let editor = &props.editor;
    let row_edit = |i: usize, f: fn(&mut FormRow, String)| {
        let editor = editor.clone();
        let on_change = props.on_change.clone();
        move |e: Event| {
            let mut ed = editor.clone();
            f(&mut ed.rows[i], target_value(&e));
            ed.losses.clear();
            on_change.emit(ed);
        }
    };
    let rows = editor.rows.iter().enumerate().map(|(i, row)| {
        let name = if row.name.is_empty() {
            format!("attribute {}", i + 1)
        } else {
            row.name.clone()
        };
        let multiline = matches!(row.value_type.as_str(), "SS" | "NS" | "BS" | "L" | "M");
        let on_value = row_edit(i, |r, v| r.text = v);
        let remove = {
            let editor = editor.clone();
            let on_change = props.on_change.clone();
            Callback::from(move |_: MouseEvent| {
                let mut ed = editor.clone();
                ed.rows.remove(i);
                on_change.emit(ed);
            })
        };
        let on_name = row_edit(i, |r, v| r.name = v);
        let on_type = row_edit(i, |r, v| r.value_type = v);
        let hint = match row.value_type.as_str() {
            "SS" | "NS" | "BS" => "one element a line",
            "L" => "[DynamoDB JSON values]",
            "M" => "{\"name\": DynamoDB JSON value}",
            "BOOL" => "true or false",
            "B" => "base64",
            _ => "",
        };
        let invalid = matches!(&editor.error, Some(EditorError { field: Some(f), .. }) if *f == row.name);
        html! {
            <div class={classes!("form-row", invalid.then_some("invalid"))} data-attribute={row.name.clone()}>
                <input class="attr-name" aria-label={format!("Name of {name}")} value={row.name.clone()}
                    oninput={Callback::from(move |e: InputEvent| on_name(e.into()))} />
                <select aria-label={format!("Type of {name}")} onchange={Callback::from(on_type)}>
                    { for TYPES.iter().map(|t| html! {
                        <option value={t.to_string()} selected={row.value_type == *t}>{ *t }</option>
                    }) }
                </select>
                if row.value_type == "NULL" {
                    <span class="muted">{ "null" }</span>
                } else if multiline {
                    <textarea aria-label={format!("Value of {name}")} value={row.text.clone()}
                        placeholder={hint} aria-invalid={invalid.to_string()}
                        rows={row.text.lines().count().clamp(2, 8).to_string()}
                        oninput={Callback::from(move |e: InputEvent| on_value(e.into()))} />
                } else {
                    <input aria-label={format!("Value of {name}")} value={row.text.clone()} placeholder={hint}
                        aria-invalid={invalid.to_string()}
                        oninput={Callback::from(move |e: InputEvent| on_value(e.into()))} />
                }
                if props.key_names.contains(&row.name) {
                    <span class="key-mark" title="A key attribute: every item has it">{ "key" }</span>
                } else {
                    <button class="small" onclick={remove} aria-label={format!("Remove {name}")}>{ "×" }</button>
                }
                { field_error(&editor.error, &row.name) }
            </div>
        }
    });
    let add = {
        let editor = editor.clone();
        let on_change = props.on_change.clone();
        Callback::from(move |_: MouseEvent| {
            let mut ed = editor.clone();
            ed.rows.push(FormRow {
                value_type: "S".into(),
                ..FormRow::default()
            });
            on_change.emit(ed);
        })
    };
    html! {
        <div class="item-form">
            { for rows }
            <button class="small" onclick={add}>{ "Add attribute" }</button>
        </div>
    }
}

fn text_view(props: &ItemEditorProps, plain: bool) -> Html {
    let editor = &props.editor;
    let on_input = {
        let editor = editor.clone();
        let on_change = props.on_change.clone();
        Callback::from(move |e: InputEvent| {
            let mut ed = editor.clone();
            let v = target_value(&e);
            if plain {
                ed.plain = v;
            } else {
                ed.json = v;
            }
            ed.losses.clear();
            on_change.emit(ed);
        })
    };
    let (label, value) = if plain {
        ("Item (plain JSON)", editor.plain.clone())
    } else {
        ("Item (DynamoDB JSON)", editor.json.clone())
    };
    let lost = if plain {
        convert::item_losses(&editor.original)
    } else {
        Vec::new()
    };
    html! {
        <>
            if !lost.is_empty() {
                <div class="type-warning" role="note">
                    <strong>{ "Plain JSON cannot hold every type of this item." }</strong>
                    { " Attributes you leave unchanged keep their types; changing these would lose them:" }
                    <ul>{ for lost.iter().map(|l| html! { <li>{ l }</li> }) }</ul>
                </div>
            }
            <textarea class="item-json" aria-label={label} value={value} oninput={on_input}
                spellcheck="false" rows="14" />
        </>
    }
}

fn text_field(props: &ItemEditorProps, f: fn(&mut Editor, String)) -> Callback<InputEvent> {
    let editor = props.editor.clone();
    let on_change = props.on_change.clone();
    Callback::from(move |e: InputEvent| {
        let mut ed = editor.clone();
        f(&mut ed, target_value(&e));
        on_change.emit(ed);
    })
}

#[function_component]
pub fn ItemEditor(props: &ItemEditorProps) -> Html {
    let editor = &props.editor;
    // The editor opens under the grid: bring it into view for each item opened.
    let section = use_node_ref();
    {
        let section = section.clone();
        use_effect_with(editor.original.clone(), move |_| {
            if let Some(el) = section.cast::<web_sys::Element>() {
                el.scroll_into_view_with_bool(true);
            }
        });
    }
    let tab = |view: View, label: &str| {
        let editor = editor.clone();
        let on_change = props.on_change.clone();
        let onclick = Callback::from(move |_: MouseEvent| on_change.emit(switch(&editor, view)));
        html! {
            <button class={classes!("view-tab", (props.editor.view == view).then_some("selected"))}
                aria-pressed={(props.editor.view == view).to_string()} onclick={onclick}>{ label }</button>
        }
    };
    let body = match editor.view {
        View::Form => form(props),
        View::Json => text_view(props, false),
        View::Plain => text_view(props, true),
    };
    let save = {
        let editor = editor.clone();
        let on_save = props.on_save.clone();
        Callback::from(move |_: MouseEvent| on_save.emit((editor.clone(), false)))
    };
    let save_anyway = {
        let editor = editor.clone();
        let on_save = props.on_save.clone();
        Callback::from(move |_: MouseEvent| on_save.emit((editor.clone(), true)))
    };
    let duplicate = {
        let editor = editor.clone();
        let cb = props.on_duplicate.clone();
        Callback::from(move |_: MouseEvent| cb.emit(editor.clone()))
    };
    let delete = {
        let editor = editor.clone();
        let cb = props.on_delete.clone();
        Callback::from(move |_: MouseEvent| cb.emit(editor.clone()))
    };
    let close = props.on_close.reform(|_: MouseEvent| ());
    let partial = editor.projected.is_some();
    let title = match (editor.mode, partial) {
        (EditMode::New, _) => "New item",
        (EditMode::Edit, false) => "Edit item",
        (EditMode::Edit, true) => "Item (projected)",
    };
    let general_error = match &editor.error {
        Some(EditorError { field, message })
            if field
                .as_ref()
                .is_none_or(|f| !editor.rows.iter().any(|r| &r.name == f))
                || editor.view != View::Form =>
        {
            html! { <p class="field-error" role="alert">{ message }</p> }
        }
        _ => html! {},
    };
    html! {
        <section class="item-editor" role="dialog" aria-label="Item editor" ref={section}>
            <header class="editor-head">
                <h3>{ title }</h3>
                <div class="view-tabs" role="group" aria-label="View">
                    { tab(View::Form, "Form") }
                    { tab(View::Json, "DynamoDB JSON") }
                    { tab(View::Plain, "Plain JSON") }
                </div>
            </header>
            if let Some(projection) = &editor.projected {
                <p class="type-warning" role="note" data-projected={projection.clone()}>
                    { format!("Only the attributes asked for ({projection}) were read, so this item is shown, \
                        not saved: get it with no attributes listed to edit it.") }
                </p>
            }
            { general_error }
            { body }
            if !editor.losses.is_empty() {
                <div class="type-warning" role="alert">
                    <strong>{ "Saving this would lose type information:" }</strong>
                    <ul>{ for editor.losses.iter().map(|l| html! { <li>{ l }</li> }) }</ul>
                    <button class="danger" onclick={save_anyway}>{ "Save anyway" }</button>
                </div>
            }
            <details class="condition">
                <summary>{ "Condition (optional): the save or delete happens only if it holds" }</summary>
                <div class="builder-line">
                    <input class="grow" aria-label="Condition expression" placeholder="attribute_not_exists(pk)"
                        value={editor.condition.clone()} oninput={text_field(props, |e, v| e.condition = v)} />
                    <input class="grow" aria-label="Condition values" placeholder={"{\":v\": {\"N\": \"1\"}}"}
                        value={editor.condition_values.clone()} oninput={text_field(props, |e, v| e.condition_values = v)} />
                </div>
            </details>
            <footer class="editor-actions">
                <button class="primary" onclick={save} disabled={editor.busy || partial}>{ "Save item" }</button>
                if editor.mode == EditMode::Edit {
                    <button class="secondary" onclick={duplicate} disabled={partial}>{ "Duplicate item" }</button>
                    <button class="danger" onclick={delete} disabled={partial}>{ "Delete item" }</button>
                }
                <button class="secondary" onclick={close}>{ "Cancel" }</button>
            </footer>
        </section>
    }
}
