//! The one place a failure the person must see is shown (role=alert): storage full or
//! unavailable, a definition or input that cannot run, a worker that failed.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AlertBannerProps {
    pub message: Option<String>,
    pub on_dismiss: Callback<()>,
}

#[function_component]
pub fn AlertBanner(props: &AlertBannerProps) -> Html {
    let Some(message) = &props.message else {
        return html! {};
    };
    let on_dismiss = props.on_dismiss.reform(|_: MouseEvent| ());
    html! {
        <div class="alert" role="alert">
            <span class="alert-text">{ message }</span>
            <button class="dismiss" aria-label="Dismiss" onclick={on_dismiss}>{ "×" }</button>
        </div>
    }
}
