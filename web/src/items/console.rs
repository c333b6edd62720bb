//! The PartiQL console: the **PartiQL statement** textbox, its `?` parameters (a JSON array
//! of DynamoDB JSON values), **Run statement**, the results as a grid ("Statement results")
//! with a next page when the engine returns a NextToken, and a history of statements (the
//! last 50, saved with the workspace's document): click one to put it back with its
//! parameters, or **Run again** to run it at once.

use super::attr::columns;
use super::grid::ItemsGrid;
use super::state::Console;
use super::target_value;
use crate::document::SavedStatement;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PartiqlConsoleProps {
    pub console: Console,
    pub key_names: Rc<Vec<String>>,
    pub on_change: Callback<Console>,
    /// Run the statement; `true` for the next page of its results.
    pub on_run: Callback<bool>,
    /// Statements run before, newest first.
    pub history: Rc<Vec<SavedStatement>>,
    /// Run a statement of the history again (it is also put back in the console).
    pub on_rerun: Callback<SavedStatement>,
}

#[function_component]
pub fn PartiqlConsole(props: &PartiqlConsoleProps) -> Html {
    let c = &props.console;
    let edit = |f: fn(&mut Console, String)| {
        let c = c.clone();
        let on_change = props.on_change.clone();
        Callback::from(move |e: InputEvent| {
            let mut next = c.clone();
            f(&mut next, target_value(&e));
            on_change.emit(next);
        })
    };
    let run = props.on_run.reform(|_: MouseEvent| false);
    let more = props.on_run.reform(|_: MouseEvent| true);
    let history = props.history.iter().enumerate().map(|(i, saved)| {
        let pick = {
            let c = c.clone();
            let saved = saved.clone();
            let on_change = props.on_change.clone();
            Callback::from(move |_: MouseEvent| {
                on_change.emit(Console {
                    statement: saved.statement.clone(),
                    parameters: saved.parameters.clone(),
                    ..c.clone()
                })
            })
        };
        let rerun = {
            let saved = saved.clone();
            props.on_rerun.reform(move |_: MouseEvent| saved.clone())
        };
        html! {
            <li data-history={i.to_string()}>
                <button class="history-item" onclick={pick} title="Put back in the console">
                    <code>{ &saved.statement }</code>
                    if !saved.parameters.is_empty() {
                        <span class="muted history-params">{ format!(" with {}", saved.parameters) }</span>
                    }
                </button>
                <button class="small" onclick={rerun} disabled={c.busy}
                    aria-label={format!("Run again: {}", saved.statement)}>{ "Run again" }</button>
            </li>
        }
    });
    let key_names: Rc<Vec<String>> = Rc::new(
        props
            .key_names
            .iter()
            .filter(|k| c.items.iter().all(|i| i.get(*k).is_some()))
            .cloned()
            .collect(),
    );
    let cols = Rc::new(columns(&key_names, c.items.iter()));
    html! {
        <section class="partiql" aria-label="PartiQL console">
            <h3>{ "PartiQL" }</h3>
            <textarea class="statement" aria-label="PartiQL statement" spellcheck="false" rows="3"
                placeholder={"SELECT * FROM \"Orders\" WHERE OrderId = ?"}
                value={c.statement.clone()} oninput={edit(|c, v| c.statement = v)} />
            <div class="builder-line">
                <input class="grow" aria-label="Statement parameters" spellcheck="false"
                    placeholder={"parameters for ?, e.g. [{\"S\": \"001\"}]"}
                    value={c.parameters.clone()} oninput={edit(|c, v| c.parameters = v)} />
                <button class="primary" onclick={run} disabled={c.busy || c.statement.trim().is_empty()}>
                    { "Run statement" }
                </button>
            </div>
            if let Some(error) = &c.error {
                <p class="field-error" role="alert">{ error }</p>
            }
            if let Some(n) = c.ran {
                <p class="muted" data-statement-count={n.to_string()}>
                    { format!("{n} item{} returned.", if n == 1 { "" } else { "s" }) }
                    if c.next_token.is_some() {
                        { " " }<button class="small" onclick={more}>{ "Next page of results" }</button>
                    }
                </p>
                if n > 0 {
                    <ItemsGrid label="Statement results" key_names={key_names} columns={cols}
                        items={c.items.clone()} />
                }
            }
            if !props.history.is_empty() {
                <details class="history">
                    <summary>{ format!("History ({})", props.history.len()) }</summary>
                    <ul aria-label="Statement history">{ for history }</ul>
                </details>
            }
        </section>
    }
}
