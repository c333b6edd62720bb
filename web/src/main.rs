//! The Statebox playground page (Yew): a definition editor, a Run button, the execution
//! result, and the DynamoDB tables, all kept in the browser's IndexedDB.
//!
//! Layout: [`state`] is the page's pure reducer; [`session`] owns the engine and the
//! IndexedDB store; `components/` holds one component per file; [`app`] wires them.

mod app;
mod components;
mod sample;
mod session;
mod state;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
