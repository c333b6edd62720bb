//! The page: wires the reducer, the session and the components together.

use crate::components::{Editor, ResultView, TablesView};
use crate::sample;
use crate::session::Session;
use crate::state::{Action, PageState, Phase};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

#[function_component]
pub fn App() -> Html {
    let state = use_reducer(|| PageState::new(sample::DEFINITION, sample::INPUT));
    let session = use_mut_ref(|| None::<Session>);

    {
        let state = state.dispatcher();
        let session = session.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                let (opened, notice) = Session::open().await;
                let tables = opened.tables();
                *session.borrow_mut() = Some(opened);
                state.dispatch(Action::Loaded { tables, notice });
            });
        });
    }

    let on_run = {
        let state = state.clone();
        let session = session.clone();
        Callback::from(move |_| {
            let Some(current) = session.borrow().clone() else {
                return;
            };
            let dispatcher = state.dispatcher();
            dispatcher.dispatch(Action::RunStarted);
            let (result, commits) = current.run(&state.definition, &state.input);
            spawn_local(async move {
                let notice = current.persist(&commits).await.err();
                let tables = current.tables();
                dispatcher.dispatch(Action::RunFinished {
                    result,
                    tables,
                    notice,
                });
            });
        })
    };
    let on_definition = {
        let d = state.dispatcher();
        Callback::from(move |text| d.dispatch(Action::EditDefinition(text)))
    };
    let on_input = {
        let d = state.dispatcher();
        Callback::from(move |text| d.dispatch(Action::EditInput(text)))
    };
    let on_select = {
        let d = state.dispatcher();
        Callback::from(move |name| d.dispatch(Action::Select(name)))
    };

    let status = match state.phase {
        Phase::Loading => "loading tables…",
        Phase::Ready => "ready",
        Phase::Running => "running…",
    };
    let shown = state.shown_table().map(|t| t.name.clone());
    html! {
        <>
        <header>
            <h1>{ "Statebox" }</h1>
            <span class="status" id="status" data-phase={status}>{ status }</span>
            if let Some(notice) = &state.notice {
                <span class="error" id="notice">{ notice }</span>
            }
        </header>
        <main>
            <section>
                <h2>{ "Workflow" }</h2>
                <Editor id="definition" label="Definition (Amazon States Language)"
                    value={state.definition.clone()} on_change={on_definition} />
            </section>
            <section>
                <h2>{ "Run" }</h2>
                <Editor id="input" label="Execution input (JSON)"
                    value={state.input.clone()} on_change={on_input} />
                <div class="actions">
                    <button id="run" onclick={on_run} disabled={state.phase != Phase::Ready}>{ "Run" }</button>
                </div>
                <h2>{ "Result" }</h2>
                <ResultView result={state.result.clone()} />
            </section>
            <section>
                <h2>{ "DynamoDB tables" }</h2>
                <TablesView tables={state.tables.clone()} shown={shown} on_select={on_select} />
            </section>
        </main>
        </>
    }
}
