//! A tab list (role tablist) over the right-hand panels; the selected panel is rendered by
//! the caller inside a tabpanel labelled by its tab.

use crate::state::Tab;
use yew::prelude::*;

/// The element id of `tab`'s button and of its panel.
pub fn tab_id(tab: Tab) -> String {
    format!("tab-{}", tab.key())
}

pub fn panel_id(tab: Tab) -> String {
    format!("panel-{}", tab.key())
}

#[derive(Properties, PartialEq)]
pub struct PanelTabsProps {
    pub selected: Tab,
    pub on_select: Callback<Tab>,
    /// The selected panel's content.
    pub children: Html,
}

#[function_component]
pub fn PanelTabs(props: &PanelTabsProps) -> Html {
    let tab = |tab: Tab, name: &'static str| {
        let selected = props.selected == tab;
        let on_select = props.on_select.reform(move |_: MouseEvent| tab);
        html! {
            <button role="tab" id={tab_id(tab)} aria-selected={selected.to_string()}
                aria-controls={panel_id(tab)} tabindex={if selected { "0" } else { "-1" }}
                class={classes!("tab", selected.then_some("selected"))}
                onclick={on_select}>{ name }</button>
        }
    };
    let on_key = {
        let on_select = props.on_select.clone();
        let selected = props.selected;
        Callback::from(move |e: KeyboardEvent| {
            let next = match (e.key().as_str(), selected) {
                ("ArrowRight" | "ArrowLeft", Tab::Execution) => Tab::Tables,
                ("ArrowRight" | "ArrowLeft", Tab::Tables) => Tab::Execution,
                _ => return,
            };
            e.prevent_default();
            on_select.emit(next);
        })
    };
    html! {
        <section class="panels">
            <div role="tablist" aria-label="Panels" class="tabs" onkeydown={on_key}>
                { tab(Tab::Execution, "Execution") }
                { tab(Tab::Tables, "Tables") }
            </div>
            <div role="tabpanel" id={panel_id(props.selected)}
                aria-labelledby={tab_id(props.selected)} class="panel">
                { props.children.clone() }
            </div>
        </section>
    }
}
