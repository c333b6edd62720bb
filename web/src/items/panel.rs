//! The Tables panel: the tables list, the query and scan builder with its request, the
//! `Items` grid with paging forward and back, selection and bulk delete, the item editor
//! and the PartiQL console. Owns the items reducer; reads and writes go through the
//! worker's `dynamodb` op (`flows`). When the page's tables refresh (a run, another tab),
//! the shown page is read again and the items that changed are highlighted.

use super::builder::Builder;
use super::console::PartiqlConsole;
use super::flows;
use super::grid::ItemsGrid;
use super::item_editor::ItemEditor;
use super::key_form::KeyForm;
use super::request_view::RequestView;
use super::state::{remember, Console, EditMode, Editor, ItemsAction, ItemsState};
use super::table_admin::TableAdmin;
use super::table_list::TableList;
use super::transfer::Transfer;
use crate::document::{SavedStatement, TableView};
use crate::worker_client::WorkerClient;
use serde_json::Value;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ItemsPanelProps {
    pub client: Option<WorkerClient>,
    pub tables: Rc<Vec<TableView>>,
    /// The selected table's name.
    pub shown: Option<String>,
    /// Bumped each time the page's tables were read again.
    pub version: u64,
    pub on_select: Callback<String>,
    /// After a write here: read the tables list again.
    pub on_written: Callback<()>,
    /// Adds a Task state to the workflow.
    pub on_insert_task: Callback<Value>,
    /// Whether the Tables tab is shown (a hidden panel keeps its state and reads its page
    /// again only once shown).
    #[prop_or(true)]
    pub visible: bool,
    /// The PartiQL console's history (kept in the page's saved document).
    pub history: Rc<Vec<SavedStatement>>,
    pub on_history: Callback<Vec<SavedStatement>>,
}

#[function_component]
pub fn ItemsPanel(props: &ItemsPanelProps) -> Html {
    let state = use_reducer(ItemsState::default);
    let snapshot = || Rc::new((*state).clone());
    let shown = props
        .shown
        .clone()
        .filter(|s| props.tables.iter().any(|t| &t.name == s))
        .or_else(|| props.tables.first().map(|t| t.name.clone()));

    // A new table (or the worker becoming ready): describe it and read its first page.
    {
        let d = state.dispatcher();
        let client = props.client.clone();
        let st = snapshot();
        use_effect_with((shown.clone(), client.is_some()), move |(table, _)| {
            if let (Some(table), Some(client)) = (table.clone(), client) {
                d.dispatch(ItemsAction::Want(table.clone()));
                let st = Rc::new(
                    yew::Reducible::reduce(st, ItemsAction::Want(table.clone()))
                        .as_ref()
                        .clone(),
                );
                spawn_local(flows::open_table(client, table, st, d));
            }
        });
    }
    // The tables were read again: read the shown page again, highlighting changes.
    {
        let d = state.dispatcher();
        let client = props.client.clone();
        let st = snapshot();
        let table = shown.clone();
        // The tables version the shown page was last read at (None before the first).
        let read_at = use_mut_ref(|| None::<u64>);
        let visible = props.visible;
        use_effect_with((props.version, visible), move |&(version, _)| {
            let last = read_at.borrow().to_owned();
            // On mount the other effect opens the table; hidden, or nothing new since the
            // last read: nothing to do.
            if last.is_none() {
                *read_at.borrow_mut() = Some(version);
            }
            if last.is_none() || !visible || last == Some(version) {
                return;
            }
            *read_at.borrow_mut() = Some(version);
            match (client, table) {
                // The shown table is still opening (this render's state is of another
                // table): read it afresh, so a change made meanwhile is not missed.
                (Some(client), Some(table)) if st.table != table => {
                    d.dispatch(ItemsAction::Want(table.clone()));
                    let st = yew::Reducible::reduce(st, ItemsAction::Want(table.clone()));
                    spawn_local(flows::open_table(client, table, st, d));
                }
                (Some(client), Some(_)) => spawn_local(flows::reload(client, st, true, d)),
                _ => {}
            }
        });
    }

    if props.tables.is_empty() {
        return html! {
            <div class="tables-panel">
                <p class="empty">{ "No tables yet." }</p>
                <TableAdmin client={props.client.clone()} description={None::<Value>}
                    on_written={props.on_written.clone()} on_created={props.on_select.clone()}
                    on_changed={Callback::noop()} on_insert_task={props.on_insert_task.clone()} />
            </div>
        };
    }

    let d = state.dispatcher();
    let client = props.client.clone();
    let written = props.on_written.clone();

    let on_spec = d.to_callback().reform(ItemsAction::Spec);
    let on_changed = {
        let client = client.clone();
        let st = snapshot();
        let d = d.clone();
        Callback::from(move |()| {
            if let Some(c) = client.clone() {
                spawn_local(flows::open_table(
                    c,
                    st.table.clone(),
                    st.clone(),
                    d.clone(),
                ));
            }
        })
    };
    let on_run = {
        let client = client.clone();
        let st = snapshot();
        let d = d.clone();
        Callback::from(move |()| {
            if let Some(c) = client.clone() {
                spawn_local(flows::restart(c, st.clone(), false, d.clone()));
            }
        })
    };
    let page_nav = |page: usize, start: Option<Value>, all: bool| {
        let client = client.clone();
        let st = snapshot();
        let d = d.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(c) = client.clone() {
                spawn_local(flows::read(
                    c,
                    st.clone(),
                    page,
                    start.clone(),
                    all,
                    false,
                    d.clone(),
                ));
            }
        })
    };
    let prev = (state.page > 0).then(|| {
        page_nav(
            state.page - 1,
            state.pages.get(state.page - 1).cloned().flatten(),
            false,
        )
    });
    let next = (!state.all)
        .then(|| state.last_key.clone())
        .flatten()
        .map(|k| page_nav(state.page + 1, Some(k), false));
    let load_all = {
        let client = client.clone();
        let st = snapshot();
        let d = d.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(c) = client.clone() {
                spawn_local(flows::restart(c, st.clone(), true, d.clone()));
            }
        })
    };
    let delete_selected = {
        let st = snapshot();
        let d = d.clone();
        let written = written.clone();
        let client = client.clone();
        Callback::from(move |_: MouseEvent| {
            let keys: Vec<String> = st.selected.iter().cloned().collect();
            let confirmed = web_sys::window()
                .and_then(|w| {
                    w.confirm_with_message(&format!(
                        "Delete {} item{} from {}? This cannot be undone.",
                        keys.len(),
                        if keys.len() == 1 { "" } else { "s" },
                        st.table
                    ))
                    .ok()
                })
                .unwrap_or(false);
            if let (true, Some(c)) = (confirmed, client.clone()) {
                let (st, d, written) = (st.clone(), d.clone(), written.clone());
                spawn_local(async move {
                    flows::delete_keys(c, st, keys, d).await;
                    written.emit(());
                });
            }
        })
    };
    let new_item = {
        let d = d.clone();
        let st = snapshot();
        Callback::from(move |_: MouseEvent| {
            let mut item = serde_json::Map::new();
            for (name, t) in st.source_keys() {
                let empty = if t == "N" { "0" } else { "" };
                let mut v = serde_json::Map::new();
                v.insert(t, Value::from(empty));
                item.insert(name, Value::Object(v));
            }
            d.dispatch(ItemsAction::Edit(Some(Editor::new(
                EditMode::New,
                Value::Object(item),
            ))));
        })
    };
    let on_open = {
        let keys = state.key_names.clone();
        d.to_callback().reform(move |item: Value| {
            let item = super::attr::keys_first(&keys, &item);
            ItemsAction::Edit(Some(Editor::new(EditMode::Edit, item)))
        })
    };

    let editor = state.editor.clone().map(|editor| {
        let on_change = d
            .to_callback()
            .reform(|e: Editor| ItemsAction::Edit(Some(e)));
        let on_close = d.to_callback().reform(|()| ItemsAction::Edit(None));
        let on_save = {
            let client = client.clone();
            let st = snapshot();
            let d = d.clone();
            let written = written.clone();
            Callback::from(move |(editor, confirmed): (Editor, bool)| {
                if !confirmed && editor.view == super::state::View::Plain {
                    if let Ok((_, lost)) =
                        super::convert::typed_from_plain(&editor.plain, &editor.original)
                    {
                        if !lost.is_empty() {
                            d.dispatch(ItemsAction::Edit(Some(Editor {
                                losses: lost,
                                ..editor
                            })));
                            return;
                        }
                    }
                }
                if let Some(c) = client.clone() {
                    let (st, d, written) = (st.clone(), d.clone(), written.clone());
                    spawn_local(async move {
                        flows::save(c, st, editor, d).await;
                        written.emit(());
                    });
                }
            })
        };
        let on_duplicate = {
            let d = d.clone();
            Callback::from(move |editor: Editor| {
                if let Ok(item) = editor.item() {
                    d.dispatch(ItemsAction::Edit(Some(Editor::new(EditMode::New, item))));
                }
            })
        };
        let on_delete = {
            let client = client.clone();
            let st = snapshot();
            let d = d.clone();
            let written = written.clone();
            Callback::from(move |editor: Editor| {
                if let Some(c) = client.clone() {
                    let (st, d, written) = (st.clone(), d.clone(), written.clone());
                    spawn_local(async move {
                        flows::delete_item(c, st, editor, d).await;
                        written.emit(());
                    });
                }
            })
        };
        html! {
            <ItemEditor editor={editor} key_names={Rc::new(state.key_names.clone())} on_change={on_change} on_save={on_save}
                on_duplicate={on_duplicate} on_delete={on_delete} on_close={on_close} />
        }
    });

    let on_console = d.to_callback().reform(ItemsAction::Console);
    let run_console = {
        let client = client.clone();
        let d = d.clone();
        let written = written.clone();
        let history = props.history.clone();
        let on_history = props.on_history.clone();
        move |console: Console, next: bool| {
            if let Some(c) = client.clone() {
                if !next {
                    on_history.emit(remember(
                        &history,
                        SavedStatement {
                            statement: console.statement.trim().to_string(),
                            parameters: console.parameters.trim().to_string(),
                        },
                    ));
                }
                let console = Console {
                    busy: true,
                    ..console
                };
                d.dispatch(ItemsAction::Console(console.clone()));
                let (d, written) = (d.clone(), written.clone());
                spawn_local(async move {
                    flows::run_statement(c, console, next, d).await;
                    written.emit(());
                });
            }
        }
    };
    let on_statement = {
        let console = state.console.clone();
        let run_console = run_console.clone();
        Callback::from(move |next: bool| run_console(console.clone(), next))
    };
    let on_rerun = {
        let console = state.console.clone();
        Callback::from(move |saved: SavedStatement| {
            run_console(
                Console {
                    statement: saved.statement,
                    parameters: saved.parameters,
                    ..console.clone()
                },
                false,
            )
        })
    };
    let on_by_key = {
        let client = client.clone();
        let st = snapshot();
        let d = d.clone();
        let written = written.clone();
        Callback::from(move |()| {
            if let Some(c) = client.clone() {
                let (st, d, written) = (st.clone(), d.clone(), written.clone());
                let spec = st.by_key.clone();
                spawn_local(async move {
                    let writes = spec.action != super::key_request::KeyAction::Get;
                    flows::by_key(c, st, spec, d).await;
                    if writes {
                        written.emit(());
                    }
                });
            }
        })
    };
    let key_request = super::key_request::build(&state.table, &state.source_keys(), &state.by_key)
        .ok()
        .map(|req| {
            html! {
                <RequestView action={state.by_key.action.action()} request={req}
                    shown={state.by_key_view.clone()} label="Item request"
                    on_show={d.to_callback().reform(ItemsAction::ByKeyView)}
                    on_insert={props.on_insert_task.clone()} />
            }
        });
    let request = flows::shown_request(&state).ok();
    let ordered = Rc::new(state.ordered());
    let key_names = Rc::new(state.key_names.clone());
    let count = props
        .tables
        .iter()
        .find(|t| Some(&t.name) == shown.as_ref())
        .map(|t| t.count)
        .unwrap_or(0);
    let n_selected = state.selected.len();
    let loaded = state.items.len();
    let whole_table = state.spec.mode == super::request::Mode::Scan
        && state.spec.index.is_none()
        && state
            .spec
            .filters
            .iter()
            .all(|f| f.attribute.trim().is_empty());
    let (sort_scope, sort_note) = match &state.sort {
        None => ("", String::new()),
        Some(_) if state.all && state.last_key.is_some() => (
            "capped",
            format!(
                "Sorted the first {loaded} items only: Load all stops at {} items.",
                flows::LOAD_ALL_MAX
            ),
        ),
        Some(_) if !state.all && (state.last_key.is_some() || state.page > 0) => (
            "page",
            if whole_table {
                format!("Sorted {loaded} of {count} items (this page only): Load all to sort everything.")
            } else {
                format!("Sorted the {loaded} items of this page only: Load all to sort the whole result.")
            },
        ),
        Some(_) => ("all", format!("Sorted all {loaded} items of the result.")),
    };
    html! {
        <div class="tables-panel">
            <TableList tables={props.tables.clone()} shown={shown.clone()} on_select={props.on_select.clone()} />
            <TableAdmin client={props.client.clone()} description={state.description.clone()}
                on_written={props.on_written.clone()} on_created={props.on_select.clone()}
                on_changed={on_changed} on_insert_task={props.on_insert_task.clone()} />
            <Builder spec={state.spec.clone()} sources={Rc::new(state.sources.clone())}
                loading={state.loading} on_change={on_spec} on_run={on_run} />
            if let Some((action, req)) = request {
                <RequestView action={action} request={req} shown={state.request_view.clone()}
                    on_show={d.to_callback().reform(ItemsAction::RequestView)}
                    on_insert={props.on_insert_task.clone()} />
            }
            if let Some(error) = &state.error {
                <p class="field-error" role="alert">{ error }</p>
            }
            <KeyForm spec={state.by_key.clone()} keys={Rc::new(state.source_keys())} busy={state.by_key_busy}
                note={state.by_key_note.clone()} error={state.by_key_error.clone()}
                on_change={d.to_callback().reform(ItemsAction::ByKey)} on_run={on_by_key}>
                { key_request.unwrap_or_default() }
            </KeyForm>
            <div class="grid-toolbar">
                <span class="counts" data-returned={state.returned.to_string()} data-scanned={state.scanned.to_string()}>
                    { format!("Page {} · {} returned · {} scanned", state.page + 1, state.returned, state.scanned) }
                    { format!(" · table holds {count}") }
                    if state.all { { " · all pages loaded" } }
                    if state.loading { { " · loading…" } }
                </span>
                <button class="small" disabled={prev.is_none()} onclick={prev.unwrap_or_default()}>{ "Previous page" }</button>
                <button class="small" disabled={next.is_none()} onclick={next.unwrap_or_default()}>{ "Next page" }</button>
                <button class="small" disabled={state.all || (state.last_key.is_none() && state.page == 0)}
                    onclick={load_all}>{ "Load all" }</button>
                <span class="spacer-flex"></span>
                <button class="small" onclick={new_item}>{ "Create item" }</button>
                <button class="small danger" disabled={n_selected == 0} onclick={delete_selected}>
                    { format!("Delete selected ({n_selected})") }
                </button>
            </div>
            if !sort_note.is_empty() {
                <p class={classes!("sort-note", (sort_scope != "all").then_some("partial"))} role="status"
                    data-sort-scope={sort_scope}>{ sort_note }</p>
            }
            if state.items.is_empty() && !state.loading {
                <p class="empty" id="items-empty">{ format!("No items in this page of {}.", state.table) }</p>
            }
            <ItemsGrid label="Items" key_names={key_names.clone()} columns={Rc::new(state.columns.clone())}
                items={ordered} selected={Rc::new(state.selected.clone())} changed={Rc::new(state.changed.clone())}
                sort={state.sort.clone()} interactive=true
                on_sort={d.to_callback().reform(ItemsAction::Sort)}
                on_toggle={d.to_callback().reform(ItemsAction::Toggle)}
                on_select_all={d.to_callback().reform(ItemsAction::SelectAll)}
                on_open={on_open} />
            { editor.unwrap_or_default() }
            <Transfer client={props.client.clone()} table={state.table.clone()} key_names={key_names.clone()}
                on_written={props.on_written.clone()} />
            <PartiqlConsole console={state.console.clone()} key_names={key_names} on_change={on_console}
                on_run={on_statement} history={props.history.clone()} on_rerun={on_rerun} />
        </div>
    }
}
