//! The page: starts the worker, wires the reducer to the components, and autosaves the
//! document (300 ms after the last edit, and at once when the page is hidden or closed).

use crate::components::panel_tabs::PanelTabsProps;
use crate::components::{AlertBanner, Editor, ExecutionPanel, PanelTabs, TopBar};
use crate::flows;
use crate::items::ItemsPanel;
use crate::sample;
use crate::state::{Action, PageState, Phase, Tab};
use crate::worker_client::{Unsolicited, WorkerClient};
use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// The page's own workspace (IndexedDB database "statebox").
pub const WORKSPACE: &str = "default";
/// How long after the last edit the document is saved.
const AUTOSAVE_MS: u32 = 300;

type ClientCell = Rc<RefCell<Option<WorkerClient>>>;

fn client_of(cell: &ClientCell) -> Option<WorkerClient> {
    cell.borrow().clone()
}

/// What the worker says unasked becomes page actions.
fn unsolicited(cell: ClientCell, d: UseReducerDispatcher<PageState>) -> Callback<Unsolicited> {
    Callback::from(move |message| match message {
        Unsolicited::Changed => {
            if let Some(client) = client_of(&cell) {
                spawn_local(flows::refresh_tables(client, d.clone()));
            }
        }
        Unsolicited::Notice(text) => d.dispatch(Action::Notice(text)),
        Unsolicited::Alert(text) | Unsolicited::Failed(text) => d.dispatch(Action::Alert(text)),
    })
}

#[function_component]
pub fn App() -> Html {
    let state = use_reducer(|| PageState::new(WORKSPACE, sample::DEFINITION, sample::INPUT));
    let client: ClientCell = use_mut_ref(|| None);
    // The document as of this render, for the pagehide save: (unsaved?, text).
    let latest = use_mut_ref(|| (false, String::new()));
    *latest.borrow_mut() = (
        state.unsaved() && state.phase != Phase::Opening,
        state.document().to_json(),
    );

    {
        let d = state.dispatcher();
        let client = client.clone();
        let latest = latest.clone();
        use_effect_with((), move |_| {
            let on_message = unsolicited(client.clone(), d.clone());
            match WorkerClient::spawn(on_message) {
                Ok(c) => {
                    *client.borrow_mut() = Some(c.clone());
                    spawn_local(flows::open(c, WORKSPACE.to_string(), d));
                }
                Err(message) => d.dispatch(Action::Opened {
                    document: None,
                    last_run: None,
                    tables: Vec::new(),
                    notice: None,
                    alert: Some(message),
                }),
            }
            // Closing or hiding the page saves what is not saved yet, without waiting.
            let save_now = {
                let client = client.clone();
                move || {
                    let (unsaved, text) = latest.borrow().clone();
                    if let (true, Some(c)) = (unsaved, client_of(&client)) {
                        c.save_now(&text);
                    }
                }
            };
            let window = gloo::utils::window();
            let document = gloo::utils::document();
            let on_pagehide = {
                let save_now = save_now.clone();
                EventListener::new(&window, "pagehide", move |_| save_now())
            };
            let on_hidden = {
                let document_ = document.clone();
                EventListener::new(&document, "visibilitychange", move |_| {
                    if document_.visibility_state() == web_sys::VisibilityState::Hidden {
                        save_now();
                    }
                })
            };
            move || {
                drop(on_pagehide);
                drop(on_hidden);
            }
        });
    }

    // Autosave: each edit (re)starts the timer; dropping the old timer cancels it.
    {
        let d = state.dispatcher();
        let client = client.clone();
        let pending = state.unsaved() && state.phase != Phase::Opening;
        let text = state.document().to_json();
        use_effect_with(state.revision, move |&revision| {
            let timer = pending.then(|| {
                Timeout::new(AUTOSAVE_MS, move || {
                    if let Some(c) = client_of(&client) {
                        spawn_local(flows::save(c, text, revision, d));
                    }
                })
            });
            move || drop(timer)
        });
    }

    let on_run = {
        let state = state.clone();
        let client = client.clone();
        Callback::from(move |()| {
            if state.phase != Phase::Ready {
                return;
            }
            if let Some(c) = client_of(&client) {
                flows::start_run(&c, &state.definition, &state.input, state.dispatcher());
            }
        })
    };
    let on_stop = {
        let client = client.clone();
        let running = state.running();
        Callback::from(move |()| {
            if let (Some(run), Some(c)) = (running, client_of(&client)) {
                c.stop(run);
            }
        })
    };
    let d = state.dispatcher().to_callback();
    let on_definition = d.reform(Action::EditDefinition);
    let on_input = d.reform(Action::EditInput);
    let on_tab = d.reform(Action::SelectTab);
    let on_table = d.reform(Action::SelectTable);
    let on_dismiss = d.reform(|()| Action::DismissAlert);
    let on_insert_task = d.reform(Action::InsertTask);
    let on_written = {
        let client = client.clone();
        let d = state.dispatcher();
        Callback::from(move |()| {
            if let Some(c) = client_of(&client) {
                spawn_local(flows::refresh_tables(c, d.clone()));
            }
        })
    };

    let opening = state.phase == Phase::Opening;
    let save = if opening {
        "opening"
    } else if state.unsaved() {
        "unsaved"
    } else {
        "saved"
    };
    // The Tables panel stays mounted (hidden) once shown: it keeps its query, page, sort
    // and highlights while a run shows the Execution panel.
    let tables_seen = use_mut_ref(|| false);
    if state.tab == Tab::Tables {
        *tables_seen.borrow_mut() = true;
    }
    let on_tables = state.tab == Tab::Tables;
    let panel = html! {
        <>
            if !on_tables { <ExecutionPanel run={state.run.clone()} /> }
            if *tables_seen.borrow() {
                <div class="tables-host" hidden={!on_tables}>
                    <ItemsPanel client={client_of(&client)} tables={state.tables.clone()}
                        shown={state.shown_table().map(|t| t.name.clone())} version={state.tables_version}
                        visible={on_tables} on_select={on_table} on_written={on_written}
                        on_insert_task={on_insert_task} history={state.partiql.clone()}
                        on_history={d.reform(Action::PartiqlHistory)} />
                </div>
            }
        </>
    };
    let tabs = PanelTabsProps {
        selected: state.tab,
        on_select: on_tab,
        children: panel,
    };
    html! {
        <>
        <TopBar workspace={state.workspace.clone()} can_run={state.phase == Phase::Ready}
            running={state.running().is_some()} save={save} notice={state.notice.clone()}
            on_run={on_run} on_stop={on_stop} />
        <AlertBanner message={state.alert.clone()} on_dismiss={on_dismiss} />
        <main class="workbench">
            <section class="workflow" aria-label="Workflow">
                <Editor id="definition" label="Definition" hint="Amazon States Language (JSON)"
                    value={state.definition.clone()} readonly={opening} on_change={on_definition} />
                <Editor id="input" label="Input" hint="JSON"
                    value={state.input.clone()} readonly={opening} on_change={on_input} />
            </section>
            <PanelTabs ..tabs />
        </main>
        </>
    }
}
