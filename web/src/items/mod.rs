//! The item browser (the Tables panel): pure helpers ([`attr`] type rendering and exact
//! number order, [`convert`] the editor's form / DynamoDB JSON / plain JSON views,
//! [`request`] query and scan requests as JSON, AWS CLI and Task, [`key_request`] GetItem,
//! UpdateItem and DeleteItem by key), its reducer ([`state`]),
//! its conversations with the worker ([`flows`]) and one component per file.

pub mod attr;
pub mod builder;
pub mod console;
pub mod convert;
pub mod flows;
pub mod formats;
pub mod grid;
pub mod item_editor;
pub mod key_form;
pub mod key_request;
pub mod panel;
pub mod request;
pub mod request_view;
pub mod state;
pub mod table_admin;
pub mod table_list;
pub mod table_request;
pub mod transfer;

pub use panel::ItemsPanel;

/// The `value` of an event's target (input, select or textarea).
pub fn target_value(e: &web_sys::Event) -> String {
    e.target()
        .and_then(|t| js_sys::Reflect::get(&t, &"value".into()).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}
pub mod workflow;
