//! Import and export ("Import and export" region): the shown table to and from DynamoDB
//! JSON lines and CSV, and every table to and from the workspace-seed format. Exports are
//! downloaded as files; imports read a chosen file or pasted text. Formats: `formats`.

use super::attr::columns;
use super::flows::{export_seed, import_items, scan_all};
use super::formats;
use super::target_value;
use crate::worker_client::WorkerClient;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TransferProps {
    pub client: Option<WorkerClient>,
    pub table: AttrValue,
    pub key_names: Rc<Vec<String>>,
    pub on_written: Callback<()>,
}

/// Offers `text` as a downloaded file.
fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|e| format!("{e:?}"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
    let a: web_sys::HtmlAnchorElement = gloo::utils::document()
        .create_element("a")
        .map_err(|e| format!("{e:?}"))?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

#[function_component]
pub fn Transfer(props: &TransferProps) -> Html {
    let format = use_state(|| "jsonl".to_string());
    let text = use_state(String::new);
    let message = use_state(|| None::<(bool, String)>);

    let export = |kind: &'static str| {
        let client = props.client.clone();
        let table = props.table.to_string();
        let keys = props.key_names.clone();
        let message = message.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(c) = client.clone() else { return };
            let (table, keys, message) = (table.clone(), keys.clone(), message.clone());
            spawn_local(async move {
                let result = async {
                    if kind == "seed" {
                        let seed = export_seed(&c).await?;
                        let text = serde_json::to_string_pretty(&seed).unwrap_or_default();
                        download("workspace-seed.json", "application/json", &text)?;
                        return Ok(format!(
                            "Exported {} tables as a workspace seed.",
                            seed["tables"].as_array().map_or(0, Vec::len)
                        ));
                    }
                    let items = scan_all(&c, &table).await?;
                    if kind == "csv" {
                        let cols = columns(&keys, items.iter());
                        download(
                            &format!("{table}.csv"),
                            "text/csv",
                            &formats::to_csv(&cols, &items),
                        )?;
                    } else {
                        download(
                            &format!("{table}.jsonl"),
                            "application/x-ndjson",
                            &formats::to_json_lines(&items),
                        )?;
                    }
                    Ok::<_, String>(format!("Exported {} items of {table}.", items.len()))
                }
                .await;
                message.set(Some(match result {
                    Ok(m) => (true, m),
                    Err(e) => (false, format!("Export failed: {e}")),
                }));
            });
        })
    };
    let on_file = {
        let text = text.clone();
        let format = format.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            let name = file.name();
            if name.ends_with(".csv") {
                format.set("csv".into());
            } else if name.ends_with(".jsonl") || name.ends_with(".ndjson") {
                format.set("jsonl".into());
            } else if name.ends_with(".json") {
                format.set("seed".into());
            }
            let text = text.clone();
            spawn_local(async move {
                if let Ok(v) = JsFuture::from(file.text()).await {
                    text.set(v.as_string().unwrap_or_default());
                }
            });
        })
    };
    let import = {
        let client = props.client.clone();
        let table = props.table.to_string();
        let format = format.clone();
        let text = text.clone();
        let message = message.clone();
        let written = props.on_written.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(c) = client.clone() else { return };
            let (table, kind, body) = (table.clone(), (*format).clone(), (*text).clone());
            let (message, written) = (message.clone(), written.clone());
            spawn_local(async move {
                let result = async {
                    if kind == "seed" {
                        c.request("seed", &[("seed", &body)])
                            .await
                            .map_err(|e| crate::flows::describe("The seed", &e))?;
                        return Ok("Imported the workspace seed.".to_string());
                    }
                    let items = if kind == "csv" {
                        formats::from_csv(&body)?
                    } else {
                        formats::from_json_lines(&body)?
                    };
                    let n = import_items(&c, &table, &items).await?;
                    Ok::<_, String>(format!("Imported {n} items into {table}."))
                }
                .await;
                message.set(Some(match result {
                    Ok(m) => (true, m),
                    Err(e) => (false, format!("Import failed: {e}")),
                }));
                written.emit(());
            });
        })
    };
    let on_format = {
        let format = format.clone();
        Callback::from(move |e: Event| format.set(target_value(&e)))
    };
    let on_text = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| text.set(target_value(&e)))
    };
    let target = if *format == "seed" {
        "the workspace".to_string()
    } else {
        props.table.to_string()
    };
    html! {
        <details class="transfer">
            <summary>{ "Import and export" }</summary>
            <section class="builder" aria-label="Import and export">
                <div class="builder-line">
                    <button class="small" onclick={export("jsonl")}>{ "Export JSON lines" }</button>
                    <button class="small" onclick={export("csv")}>{ "Export CSV" }</button>
                    <button class="small" onclick={export("seed")}>{ "Export all tables (seed)" }</button>
                </div>
                <div class="builder-line">
                    <select aria-label="Import format" onchange={on_format}>
                        <option value="jsonl" selected={*format == "jsonl"}>{ "DynamoDB JSON lines" }</option>
                        <option value="csv" selected={*format == "csv"}>{ "CSV" }</option>
                        <option value="seed" selected={*format == "seed"}>{ "Workspace seed (all tables)" }</option>
                    </select>
                    <input type="file" aria-label="Import file" accept=".jsonl,.ndjson,.csv,.json" onchange={on_file} />
                </div>
                <textarea class="item-json" aria-label="Import text" rows="4" spellcheck="false"
                    placeholder="…or paste the text here" value={(*text).clone()} oninput={on_text} />
                <div class="builder-line">
                    <button class="primary" disabled={text.trim().is_empty()} onclick={import}>
                        { format!("Import into {target}") }
                    </button>
                </div>
                { match &*message {
                    Some((true, m)) => html! { <p class="muted" role="status">{ m }</p> },
                    Some((false, m)) => html! { <p class="field-error" role="alert">{ m }</p> },
                    None => html! {},
                } }
            </section>
        </details>
    }
}
