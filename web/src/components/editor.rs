//! A plain text editor (a labelled textarea) for JSON: the definition and the input. The
//! label is the textbox's accessible name.

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// The element id (the label points at it).
    pub id: AttrValue,
    /// The accessible name ("Definition", "Input").
    pub label: AttrValue,
    /// A hint under the label.
    #[prop_or_default]
    pub hint: AttrValue,
    pub value: AttrValue,
    /// Read-only while the workspace opens (its saved text is about to arrive).
    #[prop_or_default]
    pub readonly: bool,
    pub on_change: Callback<String>,
}

#[function_component]
pub fn Editor(props: &EditorProps) -> Html {
    let on_input = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            on_change.emit(area.value());
        })
    };
    html! {
        <div class={classes!("editor", format!("editor-{}", props.id))}>
            <label for={props.id.clone()}>
                { props.label.clone() }
                if !props.hint.is_empty() {
                    <span class="hint" aria-hidden="true">{ props.hint.clone() }</span>
                }
            </label>
            <textarea
                id={props.id.clone()}
                spellcheck="false"
                autocomplete="off"
                readonly={props.readonly}
                value={props.value.clone()}
                oninput={on_input}
            />
        </div>
    }
}
